"""Comparación de segmentos: cuál cambió más frente al periodo anterior, como datos, textos o exportación."""

import math
from dataclasses import replace

import numpy as np
import pandas as pd

from analisis.formato import con_precision, numero
from analisis.tendencias.frases import Diagnostico, texto_p
from analisis.tendencias.indicadores import comparar_indicador, estimar_indicador, formatear, formatear_cambio, \
    indicador
from analisis.tendencias.series import _POR_PERIODO
from analisis.tendencias.tablas import en_unidad_de_exportacion

__all__ = ["ranking_de_cambios", "formatear_ranking", "ayuda_ranking", "ranking_para_exportar"]

_NAN = float("nan")


def ranking_de_cambios(clave: str, comparacion: pd.DataFrame, *, muestra_minima: int, sentido: str,
                       diagnosticos: list["Diagnostico"] | None = None, alfa: float = 0.05) -> pd.DataFrame:
    """Grupos ordenados por su cambio frente al periodo anterior, los que más empeoran primero.

    Parameters
    ----------
    clave : uno de ``INDICADORES``.
    comparacion : salida de ``comparacion_encuestas``/``comparacion_interacciones`` con desglose.
    muestra_minima : n mínimo en ambos periodos para considerar fiable el cambio.
    sentido : 'mayor' (más es mejor) o 'menor'.
    diagnosticos : los de ``diagnosticar`` sobre la serie del mismo desglose, para añadir
        la tendencia de cada grupo.

    Returns
    -------
    DataFrame con ``grupo``, ``anterior``, ``actual``, ``cambio``, ``p``, ``significativo``,
    ``n_anterior``, ``n_actual``, ``suficiente`` y, con ``diagnosticos``, ``tendencia`` y
    ``pendiente`` (Sen por periodo).
    """
    if sentido not in ("mayor", "menor"):
        raise ValueError("'sentido' debe ser 'mayor' o 'menor'")
    filas = []
    for grupo, datos in comparacion.groupby("grupo", sort=True):
        actual, anterior = (next(iter(datos[datos["periodo"] == p].to_dict("records")), {})
                            for p in ("actual", "anterior"))
        e_actual, e_anterior = estimar_indicador(clave, actual), estimar_indicador(clave, anterior)
        prueba = comparar_indicador(clave, actual, anterior)
        prueba = prueba if prueba is None else replace(prueba, alfa=alfa)
        filas.append({
            "grupo": grupo, "anterior": e_anterior.valor, "actual": e_actual.valor,
            "cambio": e_actual.valor - e_anterior.valor,
            "p": _NAN if prueba is None else prueba.p,
            "significativo": bool(prueba is not None and prueba.significativo),
            "n_anterior": e_anterior.n, "n_actual": e_actual.n,
            "suficiente": min(e_anterior.n, e_actual.n) >= muestra_minima,
        })
    tabla = pd.DataFrame(filas, columns=["grupo", "anterior", "actual", "cambio", "p", "significativo",
                                         "n_anterior", "n_actual", "suficiente"])
    if diagnosticos is not None:
        tendencias = {d.grupo: d.tendencia for d in diagnosticos}
        tabla["tendencia"] = [tendencias[g].tendencia if g in tendencias else "sin datos" for g in tabla["grupo"]]
        tabla["pendiente"] = [tendencias[g].pendiente if g in tendencias else _NAN for g in tabla["grupo"]]
    signo = 1 if sentido == "mayor" else -1
    orden = (tabla["cambio"] * signo).fillna(np.inf)
    return tabla.assign(_orden=orden).sort_values(["_orden", "grupo"]).drop(columns="_orden").reset_index(drop=True)


def formatear_ranking(ranking: pd.DataFrame, clave: str, periodicidad: str = "mes") -> pd.DataFrame:
    """La tabla de ``ranking_de_cambios`` como textos en español para mostrarla tal cual.

    Encabezados y textos cortos («No (p = 0,319)») para que quepa en una pantalla de 1280 px; lo que dice
    cada columna está en ``ayuda_ranking``.
    """
    unidad = indicador(clave).unidad
    columnas = {
        "Segmento": ranking["grupo"],
        "Anterior": [formatear(v, unidad) for v in ranking["anterior"]],
        "Elegido": [formatear(v, unidad) for v in ranking["actual"]],
        "Cambio": [formatear_cambio(v, unidad) for v in ranking["cambio"]],
        "Significativo": [("Sí" if s else "No") + f" ({texto_p(p)})" if not math.isnan(p) else "Sin prueba"
                          for s, p in zip(ranking["significativo"], ranking["p"])],
        "n (ant. → elegido)": [f"{numero(a, 0)} → {numero(b, 0)}" + ("" if ok else " ⚠")
                               for a, b, ok in zip(ranking["n_anterior"], ranking["n_actual"], ranking["suficiente"])],
    }
    if "tendencia" in ranking:
        columnas["Tendencia"] = [str(t).capitalize() for t in ranking["tendencia"]]
        columnas[f"Sen {_POR_PERIODO[periodicidad]}"] = [formatear_cambio(v, unidad, 1) for v in ranking["pendiente"]]
    return pd.DataFrame(columnas)


def ayuda_ranking() -> dict[str, str]:
    """Qué dice cada columna de ``formatear_ranking`` (la página lo pone en la ayuda de su encabezado)."""
    return {"Anterior": "El indicador en el periodo anterior de igual duración.",
            "Elegido": "El indicador en el periodo de la barra lateral.",
            "Significativo": "Si el cambio es estadísticamente significativo al 5 %, con su valor p.",
            "n (ant. → elegido)": "Respuestas o casos de cada periodo; ⚠ marca una muestra insuficiente.",
            "Tendencia": "Tendencia de la serie según la prueba de Mann-Kendall.",
            }


def ranking_para_exportar(ranking: pd.DataFrame, clave: str) -> pd.DataFrame:
    """La tabla de ``ranking_de_cambios`` con encabezados en español y las cifras con la precisión y la unidad
    de la pantalla (proporciones en %, cambios en puntos porcentuales, valor p con 4 decimales)."""
    unidad = indicador(clave).unidad
    nombres = {"grupo": "Segmento", "significativo": "Significativo", "n_anterior": "n anterior",
               "n_actual": "n elegido", "suficiente": "Muestra suficiente", "tendencia": "Tendencia (Mann-Kendall)",
               "p": "Valor p"}
    tabla = en_unidad_de_exportacion(ranking, {"anterior": "Periodo anterior", "actual": "Periodo elegido"}, unidad)
    tabla = en_unidad_de_exportacion(tabla, {"cambio": "Cambio"}, unidad, cambio=True)
    if "pendiente" in ranking:
        tabla = en_unidad_de_exportacion(tabla, {"pendiente": "Pendiente de Sen por periodo"}, unidad, extra=1,
                                         cambio=True)
    return con_precision(tabla, {"p": 4}).rename(columns=nombres)
