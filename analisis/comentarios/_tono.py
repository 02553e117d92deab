"""Tono que enseña una calificación: negativo, neutral o positivo.

Los cortes de NPS (detractor, pasivo, promotor) y de CSAT (insatisfecho, satisfecho) salen de
``analisis.escalas``; cualquier otra escala se lee en proporción.
"""

from collections.abc import Iterable, Sequence

import numpy as np
import pandas as pd

from analisis.escalas import (CSAT_INSATISFECHO_HASTA, CSAT_SATISFECHO, DETRACTOR_HASTA, ESCALA_CSAT, ESCALA_NPS,
                              PROMOTOR_DESDE)

#: Tonos, de peor a mejor.
TONOS = ("negativo", "neutral", "positivo")
#: Escala → (nota hasta la que el tono es negativo, nota desde la que es positivo), en las escalas con cortes propios.
_CORTES = {ESCALA_NPS: (DETRACTOR_HASTA, PROMOTOR_DESDE), ESCALA_CSAT: (CSAT_INSATISFECHO_HASTA, CSAT_SATISFECHO)}


def _validar_escala(escala: Sequence[float]) -> tuple[float, float]:
    """(mínimo, máximo) de la escala; falla si no es un par creciente."""
    if len(escala) != 2 or not escala[0] < escala[1]:
        raise ValueError("'escala' debe ser un par (mínimo, máximo) con mínimo < máximo, p. ej. (1, 5) o (0, 10)")
    return float(escala[0]), float(escala[1])


def tono_de_calificacion(calificaciones: Iterable[float], escala: Sequence[float] = ESCALA_CSAT) -> np.ndarray:
    """Tono que enseña cada calificación: 'negativo', 'neutral', 'positivo' o None (sin nota).

    Escala (0, 10) = NPS: 0–6 negativo (detractor), 7–8 neutral, 9–10 positivo; escala (1, 5) =
    CSAT: 1–2 negativo, 3 neutral, 4–5 positivo (los cortes de ``analisis.escalas``). Cualquier
    otra escala se lee en proporción: el cuarto inferior es negativo y el superior positivo
    (CES 1–7: 1–2 y 6–7).

    >>> tono_de_calificacion([1, 3, 5, None], (1, 5)).tolist()
    ['negativo', 'neutral', 'positivo', None]
    >>> tono_de_calificacion([6, 7, 9], (0, 10)).tolist()
    ['negativo', 'neutral', 'positivo']
    """
    minimo, maximo = _validar_escala(escala)
    valores = pd.to_numeric(pd.Series(list(calificaciones), dtype=object), errors="coerce").to_numpy(float)
    fuera = (valores < minimo) | (valores > maximo)
    if fuera.any():
        raise ValueError(f"'calificaciones': hay notas fuera de la escala {minimo:g}–{maximo:g}")
    if (minimo, maximo) in _CORTES:
        hasta, desde = _CORTES[minimo, maximo]
        negativo, positivo = valores <= hasta, valores >= desde
    else:
        relativa = (valores - minimo) / (maximo - minimo)
        negativo, positivo = relativa <= 0.25, relativa >= 0.75
    tonos = np.select([negativo, positivo], ["negativo", "positivo"], "neutral").astype(object)
    tonos[np.isnan(valores)] = None
    return tonos


def tonos_de_encuestas(tabla: pd.DataFrame) -> np.ndarray:
    """Tono de cada respuesta: el de su CSAT (1–5) o, si no lo tiene, el de su NPS (0–10).

    >>> tonos_de_encuestas(pd.DataFrame({"csat": [1, None, None], "nps": [10, 9, None]})).tolist()
    ['negativo', 'positivo', None]
    """
    por_csat = tono_de_calificacion(tabla["csat"], ESCALA_CSAT)
    por_nps = tono_de_calificacion(tabla["nps"], ESCALA_NPS)
    return np.where(pd.isna(por_csat), por_nps, por_csat)
