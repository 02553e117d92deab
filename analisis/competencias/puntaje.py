"""Puntaje de una auditoría, como las fichas de calidad de los centros de contacto.

Media ponderada por los pesos de las competencias respondidas (una N/A sale y su peso se
reparte entre las demás); un error crítico o una competencia crítica por debajo de
``UMBRAL_CRITICO`` hacen fallar la auditoría (puntaje 0).
"""

from dataclasses import dataclass

import numpy as np
import pandas as pd

from analisis.competencias._comun import _NAN

__all__ = ["UMBRAL_CRITICO", "PuntajeAuditoria", "puntaje_auditoria", "estandar_para_editar", "estandar_editado"]


#: Una competencia crítica con valor común menor que este hace fallar la auditoría.
UMBRAL_CRITICO = 0.5


@dataclass(frozen=True)
class PuntajeAuditoria:
    """Puntaje global de una auditoría (0..1) y cómo se obtuvo.

    ``detalle`` tiene una fila por competencia: ``competencia``, ``valor_comun``, ``peso``,
    ``peso_efectivo`` (peso repartido entre las respondidas; 0 si es N/A) y ``aporte``.
    """

    puntaje: float
    fallida: bool
    motivo: str
    detalle: pd.DataFrame


def puntaje_auditoria(calificaciones: pd.DataFrame, estandar: pd.DataFrame, *, errores_criticos: int = 0,
                      umbral_critico: float = UMBRAL_CRITICO) -> PuntajeAuditoria:
    """Puntaje global de una auditoría según pesos, N/A y errores críticos.

    Parameters
    ----------
    calificaciones : ``competencia`` y ``valor_comun`` (0..1; NaN = N/A) de una auditoría.
    estandar : ``competencia``, ``peso`` y ``critica`` (las que falten pesan 1 y no son críticas).
    errores_criticos : errores críticos registrados en la auditoría (p. ej. dar información falsa).
    umbral_critico : valor común por debajo del cual una competencia crítica hace fallar.

    Returns
    -------
    PuntajeAuditoria: Σ peso·valor / Σ peso de las respondidas, o 0 si falla; NaN si todo es N/A.

    Examples
    --------
    >>> cal = pd.DataFrame({"competencia": ["a", "b", "c"], "valor_comun": [1.0, 0.5, float("nan")]})
    >>> est = pd.DataFrame({"competencia": ["a", "b", "c"], "peso": [1.0, 3.0, 2.0], "critica": [False] * 3})
    >>> puntaje_auditoria(cal, est).puntaje   # (1·1 + 3·0,5) / (1 + 3)
    0.625
    """
    if errores_criticos < 0:
        raise ValueError("'errores_criticos' no puede ser negativo")
    detalle = calificaciones[["competencia", "valor_comun"]].merge(
        estandar[["competencia", "peso", "critica"]], on="competencia", how="left")
    detalle["peso"] = detalle["peso"].fillna(1.0)
    detalle["critica"] = detalle["critica"].fillna(False).astype(bool)
    respondida = detalle["valor_comun"].notna()
    peso_total = detalle.loc[respondida, "peso"].sum()
    detalle["peso_efectivo"] = np.where(respondida, detalle["peso"] / peso_total if peso_total else 0.0, 0.0)
    detalle["aporte"] = detalle["peso_efectivo"] * detalle["valor_comun"].fillna(0.0)
    criticas = detalle.loc[detalle["critica"] & (detalle["valor_comun"] < umbral_critico), "competencia"].tolist()
    if errores_criticos:
        return PuntajeAuditoria(0.0, True, f"{errores_criticos} error(es) crítico(s) registrado(s)", detalle)
    if criticas:
        return PuntajeAuditoria(0.0, True, f"competencia crítica bajo el umbral: {', '.join(criticas)}", detalle)
    if peso_total == 0:
        return PuntajeAuditoria(_NAN, False, "todas las competencias son N/A", detalle)
    return PuntajeAuditoria(float(detalle["aporte"].sum()), False, "", detalle)


def estandar_para_editar(estandar: pd.DataFrame) -> pd.DataFrame:
    """``competencia``, ``nombre``, ``meta`` en % (0,8 → 80), ``peso`` y ``critica`` del estándar, para editarlos.

    >>> estandar_para_editar(pd.DataFrame({"competencia": ["a"], "nombre": ["A"], "meta": [0.8], "peso": [1.0],
    ...                                    "critica": [False]}))["meta"].tolist()
    [80.0]
    """
    tabla = estandar[["competencia", "nombre", "meta", "peso", "critica"]]
    return tabla.assign(meta=(100 * tabla["meta"].astype(float)).round(6))


def estandar_editado(editado: pd.DataFrame) -> pd.DataFrame:
    """La tabla de ``estandar_para_editar`` (meta en %) con la meta de vuelta en la escala común (80 → 0,8).

    Una meta vacía sigue vacía (quien guarda la rechaza con su mensaje).
    """
    return editado.assign(meta=(editado["meta"].astype(float) / 100).round(8))
