"""Puntos de cambio de la serie de un indicador, con la estimación de cada tramo y la prueba de su diferencia.

Los cortes salen de ``segmentacion.puntos_de_cambio`` sobre los periodos con muestra suficiente
(peso = n de cada periodo). Los conteos de los periodos de cada tramo se suman y se comparan
con la prueba de ``analisis.resumen.comparar`` (t de Welch, z de proporciones, z del NPS); en
percentiles, que no se pueden sumar, con la U de Mann-Whitney sobre los valores por periodo.
"""

import math
from dataclasses import dataclass, replace
from datetime import date

import pandas as pd
from scipy import stats

from analisis.escalas import Z_95
from analisis.kpis import Comparacion, Estimacion
from analisis.tendencias.indicadores import PERCENTILES, _conteo_de, comparar_indicador, estimar_indicador
from analisis.tendencias.segmentacion import puntos_de_cambio

__all__ = ["Cambio", "cambios"]

_NAN = float("nan")


@dataclass(frozen=True)
class Cambio:
    """Un punto de cambio: ``periodo`` en que empieza el tramo nuevo, la estimación de ese
    tramo (``despues``) y del anterior (``antes``), y la prueba de la diferencia."""

    periodo: date
    antes: Estimacion
    despues: Estimacion
    comparacion: Comparacion | None

    @property
    def diferencia(self) -> float:
        """Valor del tramo nuevo menos el del anterior."""
        return self.despues.valor - self.antes.valor


def _tramo(clave: str, filas: pd.DataFrame) -> tuple[Estimacion, dict]:
    """Estimación de un tramo de periodos y sus conteos sumados (los percentiles no se suman:
    su valor es la mediana de los valores por periodo)."""
    sumas = filas.select_dtypes("number").sum().to_dict()
    if clave in PERCENTILES:
        n = _conteo_de(sumas, "n_resolucion" if clave.startswith("resolucion") else "n_respuesta")
        return Estimacion(float(filas[clave].median()), _NAN, _NAN, n), sumas
    return estimar_indicador(clave, sumas), sumas


def _comparar_tramos(clave: str, antes: pd.DataFrame, despues: pd.DataFrame, sumas: tuple[dict, dict],
                     alfa: float) -> Comparacion | None:
    """Prueba del cambio entre dos tramos: la de ``comparar_indicador`` o, en percentiles, Mann-Whitney."""
    if clave not in PERCENTILES:
        comparacion = comparar_indicador(clave, sumas[1], sumas[0])
        return None if comparacion is None else replace(comparacion, alfa=alfa)
    prueba = stats.mannwhitneyu(despues[clave], antes[clave], alternative="two-sided")
    return Comparacion(float(despues[clave].median() - antes[clave].median()), float(prueba.pvalue),
                       "U de Mann-Whitney sobre los valores por periodo", alfa)


def _validas(clave: str, filas: pd.DataFrame, muestra_minima: int) -> pd.DataFrame:
    """Filas de un grupo con muestra suficiente y valor, en orden de periodo."""
    filas = filas.sort_values("periodo", kind="stable").reset_index(drop=True)
    estimaciones = [estimar_indicador(clave, fila) for fila in filas.to_dict("records")]
    utiles = [e.n >= muestra_minima and not math.isnan(e.valor) for e in estimaciones]
    return filas.assign(_valor=[e.valor for e in estimaciones], _n=[e.n for e in estimaciones])[utiles]


def cambios(clave: str, filas: pd.DataFrame, *, muestra_minima: int, alfa: float = 0.05) -> list[Cambio]:
    """Puntos de cambio de la serie de un grupo, con la estimación de cada tramo y su prueba.

    Solo cuentan los periodos con n ≥ ``muestra_minima``; el peso de cada periodo es su n.
    Cada cambio compara el tramo que empieza en él con el tramo inmediatamente anterior.
    """
    validas = _validas(clave, filas, muestra_minima).reset_index(drop=True)
    if validas.empty:
        return []
    total, _ = _tramo(clave, validas)
    varianza = None if math.isnan(total.margen) else (total.margen / Z_95) ** 2 * total.n
    cortes = puntos_de_cambio(validas["_valor"].to_numpy(), pesos=validas["_n"].to_numpy(), varianza=varianza)
    limites = [0, *cortes, len(validas)]
    resultado = []
    for anterior, corte, siguiente in zip(limites, limites[1:], limites[2:]):
        antes, despues = validas.iloc[anterior:corte], validas.iloc[corte:siguiente]
        (estimacion_antes, sumas_antes), (estimacion_despues, sumas_despues) = _tramo(clave, antes), _tramo(
            clave, despues)
        resultado.append(Cambio(
            periodo=pd.Timestamp(validas.loc[corte, "periodo"]).date(),
            antes=estimacion_antes, despues=estimacion_despues,
            comparacion=_comparar_tramos(clave, antes, despues, (sumas_antes, sumas_despues), alfa),
        ))
    return resultado
