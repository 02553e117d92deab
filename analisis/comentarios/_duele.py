"""Qué duele: los temas que acompañan a las peores notas.

``lo_que_duele`` compara, para cada tema, los comentarios que lo tratan con los que no: diferencia
de CSAT medio (t de Welch, intervalo al 95 %; ``analisis.kpis.diferencia_medias``), diferencia de
NPS (intervalo normal con la varianza de cada NPS; ``analisis.kpis.diferencia_nps``) y cuántas
veces más aparece el tema entre los comentarios de nota baja que entre los demás (prueba z de dos
proporciones; ``analisis.kpis.comparar_proporciones``). Los cortes de NPS son los de ``analisis.escalas``.
"""

import math

import numpy as np
import pandas as pd

from analisis.comentarios._asignacion import nombre_tema
from analisis.comentarios._temas import SIN_TEMA, Temas
from analisis.escalas import DETRACTOR_HASTA, PROMOTOR_DESDE
from analisis.kpis import comparar_medias, comparar_proporciones, diferencia_medias, diferencia_nps


#: Columnas de ``lo_que_duele``, en orden.
_COLUMNAS = ["tema", "nombre", "n", "dif_csat", "csat_inf", "csat_sup", "p_csat", "dif_nps", "nps_inf", "nps_sup",
             "en_negativos", "en_resto", "razon", "p_razon", "suficiente"]


def lo_que_duele(asignados: pd.DataFrame, resultado: Temas, *, muestra_minima: int = 30) -> pd.DataFrame:
    """Qué temas acompañan a las peores notas (ver el método en el módulo). Una fila por tema.

    Columnas: ``tema``, ``nombre``, ``n`` (comentarios con el tema), ``dif_csat`` (CSAT medio con
    el tema − sin él) con ``csat_inf``/``csat_sup`` y ``p_csat``; ``dif_nps`` con
    ``nps_inf``/``nps_sup`` (puntos); ``en_negativos`` y ``en_resto`` (proporción de los
    comentarios de nota baja, y de los demás calificados, que tratan el tema), ``razon``
    (en_negativos / en_resto: cuántas veces más aparece entre las notas bajas) y ``p_razon``;
    ``suficiente`` (n ≥ ``muestra_minima``). Ordenado del tema más sobrerrepresentado entre las
    notas bajas al menos.
    """
    calificados = asignados[asignados["tono"].notna()]
    negativos = calificados["tono"] == "negativo"
    csat, nps = (asignados[columna].to_numpy(float) for columna in ("csat", "nps"))
    filas = []
    for tema in sorted(t for t in asignados["tema"].unique() if t != SIN_TEMA):
        tiene = (asignados["tema"] == tema).to_numpy()
        filas.append({"tema": int(tema), "nombre": nombre_tema(resultado, tema), "n": int(tiene.sum()),
                      **_diferencias(csat, nps, tiene),
                      **_sobrerrepresentacion(calificados["tema"] == tema, negativos),
                      "suficiente": bool(tiene.sum() >= muestra_minima)})
    tabla = pd.DataFrame(filas, columns=_COLUMNAS)
    return tabla.sort_values(["razon", "tema"], ascending=[False, True], na_position="last").reset_index(drop=True)


def _sumas(notas: np.ndarray) -> tuple[float, float, int]:
    """(suma, suma de cuadrados, n) de las notas con dato, como las piden las medias de ``analisis.kpis``.

    >>> _sumas(np.array([1, 2, np.nan]))
    (3.0, 5.0, 2)
    """
    valores = notas[~np.isnan(notas)]
    return float(valores.sum()), float(np.square(valores).sum()), len(valores)


def _clases_nps(notas: np.ndarray) -> tuple[int, int, int]:
    """(promotores, pasivos, detractores) de unas notas NPS con dato, con los cortes de ``analisis.escalas``.

    >>> _clases_nps(np.array([10, 9, 8, 6, 0, np.nan]))
    (2, 1, 2)
    """
    valores = notas[~np.isnan(notas)]
    promotores, detractores = int((valores >= PROMOTOR_DESDE).sum()), int((valores <= DETRACTOR_HASTA).sum())
    return promotores, len(valores) - promotores - detractores, detractores


def _diferencias(csat: np.ndarray, nps: np.ndarray, tiene: np.ndarray) -> dict[str, float]:
    """CSAT medio (t de Welch) y NPS (puntos, normal) de los comentarios con el tema (``tiene``) menos los de los
    demás, con sus intervalos al 95 % y el valor p del CSAT; NaN donde falten datos."""
    csat_con, csat_sin = _sumas(csat[tiene]), _sumas(csat[~tiene])
    medias, prueba = diferencia_medias(csat_con, csat_sin), comparar_medias(csat_con, csat_sin)
    puntos = diferencia_nps(_clases_nps(nps[tiene]), _clases_nps(nps[~tiene]))
    return {"dif_csat": medias.valor, "csat_inf": medias.ic_inf, "csat_sup": medias.ic_sup,
            "p_csat": prueba.p if prueba else math.nan, "dif_nps": puntos.valor, "nps_inf": puntos.ic_inf,
            "nps_sup": puntos.ic_sup}


def _sobrerrepresentacion(en_tema: pd.Series, negativos: pd.Series) -> dict[str, float]:
    """Parte de los comentarios calificados de nota baja (y de los demás) que tratan el tema, su razón y el valor p
    de la prueba z de dos proporciones."""
    a, n_a = int((en_tema & negativos).sum()), int(negativos.sum())
    b, n_b = int((en_tema & ~negativos).sum()), int((~negativos).sum())
    prueba = comparar_proporciones(a, n_a, b, n_b)
    en_negativos, en_resto = (a / n_a if n_a else math.nan), (b / n_b if n_b else math.nan)
    return {"en_negativos": en_negativos, "en_resto": en_resto,
            "razon": en_negativos / en_resto if en_resto else math.nan, "p_razon": prueba.p if prueba else math.nan}
