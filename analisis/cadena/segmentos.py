"""El análisis de la cadena repetido en cada segmento (tipo de cliente, canal, sucursal), desde filas o sumas."""

import math
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from functools import partial

import pandas as pd

from analisis.cadena import sumas as contrato
from analisis.cadena.agregada import analizar_cadena_agregada
from analisis.cadena.configuracion import escala_de_etapas
from analisis.cadena.eslabon import ResultadoCadena, analizar_cadena
from analisis.cadena.validacion import (columnas_numericas, tipo_de_resultado, validar_entrada, validar_etapas,
                                        validar_muestra_minima)
from analisis.errores import MuestraInsuficiente
from analisis.escalas import REMUESTRAS_CADENA
from analisis.formato import numero

__all__ = ["ComparacionSegmentos", "comparar_segmentos", "comparar_segmentos_agregada"]


@dataclass(frozen=True, eq=False)
class ComparacionSegmentos:
    """El análisis de la cadena repetido en cada segmento.

    ``resumen``: una fila por segmento (índice ``segmento``) con ``n``, ``r2``, ``eslabon``,
    ``confianza``, ``ganancia`` (del eslabón), ``suficiente`` y ``nota`` (por qué no hay análisis).
    ``proporciones``: segmentos × etapas con la parte del R² de cada etapa (NaN sin análisis).
    ``resultados``: el ``ResultadoCadena`` completo de cada segmento analizado.
    """

    resumen: pd.DataFrame
    proporciones: pd.DataFrame
    resultados: dict[str, ResultadoCadena]


def comparar_segmentos(respuestas: pd.DataFrame, etapas: Sequence[str], resultado: str, segmento: str, *,
                       muestra_minima: int = 30, tipo_resultado: str | None = None,
                       metas: Mapping[str, float] | None = None, remuestras: int = REMUESTRAS_CADENA,
                       semilla: int = 0, medida: str = "media",
                       escala: tuple[float, float] | None = None) -> ComparacionSegmentos:
    """Repite ``analizar_cadena`` para cada valor de la columna ``segmento`` y compara sus eslabones.

    El tipo de resultado y la escala se fijan con todas las respuestas, para que todos los
    segmentos se midan igual. Un segmento con menos de ``muestra_minima`` respuestas, o en el que
    el análisis no es posible, queda sin análisis y con la razón en ``nota``.

    >>> import numpy as np
    >>> rng = np.random.default_rng(3)
    >>> datos = pd.DataFrame(rng.integers(1, 6, size=(80, 2)), columns=["A", "B"]).astype(float)
    >>> datos["csat"] = datos["A"] + rng.normal(size=80)
    >>> datos["canal"] = ["Chat"] * 60 + ["Correo"] * 20
    >>> comparar_segmentos(datos, ["A", "B"], "csat", "canal", remuestras=0).resumen["nota"].tolist()
    ['', 'Muestra insuficiente (n = 20 < 30)']
    """
    etapas = validar_entrada(respuestas, etapas, resultado)
    if segmento not in respuestas.columns:
        raise ValueError(f"'segmento' debe ser una columna de 'respuestas', no {segmento!r}")
    validar_muestra_minima(muestra_minima)
    tipo = tipo_de_resultado(columnas_numericas(respuestas, [resultado], "respuestas")[:, 0], tipo_resultado)
    escala = escala_de_etapas(columnas_numericas(respuestas, etapas, "respuestas"), escala)
    grupos = ((str(valor), len(grupo),
               partial(analizar_cadena, grupo, etapas, resultado, tipo_resultado=tipo, metas=metas,
                       remuestras=remuestras, semilla=semilla, medida=medida, escala=escala))
              for valor, grupo in respuestas.groupby(segmento, sort=True, dropna=True))
    return _comparar(grupos, etapas, muestra_minima)


def comparar_segmentos_agregada(sumas: pd.DataFrame, etapas: Sequence[str], *, muestra_minima: int = 30,
                                metas: Mapping[str, float] | None = None, remuestras: int = REMUESTRAS_CADENA,
                                semilla: int = 0, medida: str = "media") -> ComparacionSegmentos:
    """``comparar_segmentos`` desde sumas por segmento y lote del motor (resultado continuo).

    ``sumas`` son las de ``datos.consultas.cadena.sumas_cadena`` con ``segmento``: una columna
    ``segmento`` más (las filas con segmento vacío se ignoran, como en ``comparar_segmentos``).
    Cada segmento se analiza con ``analizar_cadena_agregada``; su ``n`` para la muestra mínima
    es el de encuestados con alguna etapa calificada (``filas``), como el de filas de
    ``comparar_segmentos``.
    """
    validar_muestra_minima(muestra_minima)
    if not isinstance(sumas, pd.DataFrame) or contrato.SEGMENTO not in sumas.columns:
        raise ValueError("'sumas' debe ser un DataFrame con la columna 'segmento' (sumas_cadena con segmento)")
    etapas = validar_etapas(etapas)
    grupos = ((str(valor), int(grupo[contrato.FILAS].sum()),
               partial(analizar_cadena_agregada, grupo, etapas, metas=metas, remuestras=remuestras, semilla=semilla,
                       medida=medida))
              for valor, grupo in sumas.groupby(contrato.SEGMENTO, sort=True, dropna=True))
    return _comparar(grupos, etapas, muestra_minima)


def _comparar(grupos: Iterable[tuple[str, int, Callable[[], ResultadoCadena]]], etapas: tuple[str, ...],
              muestra_minima: int) -> ComparacionSegmentos:
    """Analiza cada grupo (nombre, n, análisis pendiente) con muestra suficiente y arma la comparación."""
    filas, proporciones, resultados = [], {}, {}
    for nombre, n, analizar in grupos:
        fila = {"segmento": nombre, "n": n, "r2": math.nan, "eslabon": None, "confianza": math.nan,
                "ganancia": math.nan, "suficiente": n >= muestra_minima, "nota": ""}
        if not fila["suficiente"]:
            fila["nota"] = f"Muestra insuficiente (n = {numero(n, 0)} < {numero(muestra_minima, 0)})"
        else:
            try:
                analisis = analizar()
            except MuestraInsuficiente as error:
                fila["nota"] = error.mensaje
            else:
                resultados[nombre] = analisis
                proporciones[nombre] = analisis.importancia["proporcion"]
                ganancia = analisis.ganancia
                fila.update(n=analisis.n, r2=analisis.r2, eslabon=analisis.eslabon_mas_debil,
                            confianza=analisis.confianza, ganancia=ganancia.valor if ganancia else math.nan)
        filas.append(fila)
    resumen = pd.DataFrame(filas, columns=["segmento", "n", "r2", "eslabon", "confianza", "ganancia", "suficiente",
                                           "nota"]).set_index("segmento")
    tabla = pd.DataFrame(proporciones, index=pd.Index(etapas, name="etapa")).T.reindex(resumen.index)
    return ComparacionSegmentos(resumen, tabla, resultados)
