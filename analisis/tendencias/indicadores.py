"""Los indicadores de la página de tendencias: definición, formato, estimación por punto y prueba del cambio.

Cada punto lleva las estimaciones de ``analisis.resumen.estimar`` (Wilson para proporciones,
varianza multinomial para el NPS, t de Student para medias); los percentiles de tiempo llevan
el intervalo de estadísticos de orden (Conover 1999) que calcula el motor. El cambio entre dos
filas usa la prueba de ``analisis.resumen.comparar`` (t de Welch, z de proporciones, z del NPS,
mediana de Mood).
"""

import math
from collections.abc import Mapping

import pandas as pd

from analisis import resumen
from analisis.formato import con_signo, segun_unidad
from analisis.kpis import Comparacion, Estimacion, comparar_proporciones, proporcion
from analisis.resumen import KPIS, Kpi

__all__ = ["INDICADORES", "PERCENTILES", "NOMBRES_DESGLOSE", "indicador", "metodo", "de_encuestas",
           "sentido_predeterminado", "formatear", "formatear_cambio", "estimar_indicador", "comparar_indicador",
           "meta_y_sentido", "medida_de"]

_NAN = float("nan")

#: Indicadores de la página de tendencias: los del resumen ejecutivo y tres más.
INDICADORES: tuple[Kpi, ...] = KPIS + (
    Kpi("resolucion_mediana", "Resolución: mediana", "horas", 0.1,
        "Mediana del tiempo hasta resolver el caso, en horas, con intervalo al 95 % por estadísticos de orden "
        "(Conover 1999). El cambio se prueba con la prueba de la mediana de Mood."),
    Kpi("resolucion_p90", "Resolución: p90", "horas", 0.1,
        "Percentil 90 del tiempo de resolución (el 90 % de los casos se resuelve en este tiempo o menos), con "
        "intervalo al 95 % por estadísticos de orden. Sin prueba de significancia para el cambio entre periodos."),
    Kpi("tasa_quejas", "Tasa de quejas y reclamos", "proporcion", 0.03,
        "Interacciones cuyo motivo es queja o reclamo, sobre las que tienen motivo, con intervalo de Wilson al 95 %. "
        "El cambio se prueba con la prueba z de dos proporciones."),
)

#: Texto del método de los tiempos de respuesta en esta página, que sí muestra el intervalo de cada percentil.
_METODOS_EN_SERIE = {
    "respuesta_mediana": "Mediana del tiempo hasta la primera respuesta, en minutos, con intervalo al 95 % por "
                         "estadísticos de orden (Conover 1999). El cambio se prueba con la prueba de la mediana "
                         "de Mood.",
    "respuesta_p90": "Percentil 90 del tiempo hasta la primera respuesta (el 90 % de los contactos se responde en este "
                     "tiempo o menos), con intervalo al 95 % por estadísticos de orden. Sin prueba de significancia "
                     "para el cambio entre periodos.",
}

#: Percentiles de tiempo: clave → (columna de la tabla ``interacciones``, cuantil).
PERCENTILES: dict[str, tuple[str, float]] = {
    "respuesta_mediana": ("tiempo_respuesta_min", 0.5), "respuesta_p90": ("tiempo_respuesta_min", 0.9),
    "resolucion_mediana": ("tiempo_resolucion_h", 0.5), "resolucion_p90": ("tiempo_resolucion_h", 0.9),
}

_DE_ENCUESTAS = frozenset({"csat_media", "csat_top2", "nps", "ces_media"})
_MENOR_ES_MEJOR = frozenset({*PERCENTILES, "tasa_quejas"})
_CLAVES_RESUMEN = frozenset(k.clave for k in KPIS)

#: Cómo se nombra cada indicador dentro de una frase.
_EN_FRASE = {
    "csat_media": "el CSAT medio", "csat_top2": "el CSAT top-2-box", "nps": "el NPS", "ces_media": "el CES medio",
    "promesa": "el cumplimiento de la promesa", "fcr": "la resolución al primer contacto",
    "respuesta_mediana": "la mediana del tiempo de respuesta", "respuesta_p90": "el p90 del tiempo de respuesta",
    "resolucion_mediana": "la mediana del tiempo de resolución", "resolucion_p90": "el p90 del tiempo de resolución",
    "tasa_quejas": "la tasa de quejas y reclamos",
}

#: Desgloses de las series (los de ``datos.consultas.DESGLOSES``) y su nombre en la interfaz.
NOMBRES_DESGLOSE = {"canal": "Canal", "sucursal": "Sucursal", "tipo_cliente": "Tipo de cliente", "equipo": "Equipo",
                    "motivo": "Motivo", "segmento": "Segmento"}


def indicador(clave: str) -> Kpi:
    """La definición del indicador ``clave`` (una de ``INDICADORES``)."""
    for kpi in INDICADORES:
        if kpi.clave == clave:
            return kpi
    raise ValueError(f"'clave' debe ser uno de {[k.clave for k in INDICADORES]}, no {clave!r}")


def metodo(clave: str) -> str:
    """Texto de ayuda que nombra el método del indicador en la página de tendencias."""
    return _METODOS_EN_SERIE.get(clave, indicador(clave).metodo)


def de_encuestas(clave: str) -> bool:
    """True si el indicador sale de las encuestas; False si sale de las interacciones."""
    indicador(clave)
    return clave in _DE_ENCUESTAS


def sentido_predeterminado(clave: str) -> str:
    """'menor' para tiempos y quejas (menos es mejor), 'mayor' para los demás."""
    indicador(clave)
    return "menor" if clave in _MENOR_ES_MEJOR else "mayor"


def formatear(valor: float | None, unidad: str) -> str:
    """Valor con el formato de su unidad: las de ``formato.segun_unidad`` más 'horas'.

    >>> formatear(12.25, "horas"), formatear(0.5, "proporcion")
    ('12,2 h', '50,0 %')
    """
    if unidad == "horas":
        return segun_unidad(valor, "minutos").replace(" min", " h")
    return segun_unidad(valor, unidad)


def formatear_cambio(diferencia: float | None, unidad: str, extra: int = 0) -> str:
    """Diferencia con signo en la unidad del indicador (puntos porcentuales en proporciones),
    con ``extra`` decimales más de los habituales (útil para pendientes pequeñas).

    >>> formatear_cambio(-3.0, "horas"), formatear_cambio(0.034, "proporcion")
    ('-3,0 h', '+3,4 pp')
    >>> formatear_cambio(-0.0004, "proporcion", 1)
    '-0,04 pp'
    """
    formatos = {"escala": (2, 1, ""), "proporcion": (1, 100, " pp"), "puntos": (1, 1, " pts"),
                "minutos": (1, 1, " min"), "horas": (1, 1, " h")}
    if unidad not in formatos:
        raise ValueError(f"'unidad' debe ser una de {sorted(formatos)}")
    decimales, factor, sufijo = formatos[unidad]
    return con_signo(None if diferencia is None else factor * diferencia, decimales + extra, sufijo)


def _numero_de(fila: Mapping, campo: str) -> float:
    """Valor numérico de la fila (NULL del motor o campo ausente → NaN)."""
    valor = fila.get(campo)
    return _NAN if valor is None or pd.isna(valor) else float(valor)


def _conteo_de(fila: Mapping, campo: str) -> int:
    """Conteo de la fila (NULL del motor o campo ausente → 0)."""
    valor = _numero_de(fila, campo)
    return 0 if math.isnan(valor) else int(valor)


def estimar_indicador(clave: str, fila: Mapping) -> Estimacion:
    """Estimación con intervalo al 95 % del indicador ``clave`` en una fila agregada.

    Usa ``analisis.resumen.estimar`` para los KPI del resumen; la tasa de quejas es
    una proporción de Wilson (``quejas`` / ``n_motivo``). En los percentiles el
    intervalo viene en ``ic_inf``/``ic_sup`` de la fila si la consulta
    ``intervalo_percentil`` lo añadió; si no, queda NaN.

    >>> estimar_indicador("tasa_quejas", {"quejas": 8, "n_motivo": 10}).valor
    0.8
    """
    indicador(clave)
    if clave in _CLAVES_RESUMEN:
        base = resumen.estimar(clave, fila)
    elif clave == "tasa_quejas":
        base = proporcion(_conteo_de(fila, "quejas"), _conteo_de(fila, "n_motivo"))
    else:
        base = Estimacion(_numero_de(fila, clave), _NAN, _NAN, _conteo_de(fila, "n_resolucion"))
    if clave in PERCENTILES and "ic_inf" in fila:
        return Estimacion(base.valor, _numero_de(fila, "ic_inf"), _numero_de(fila, "ic_sup"), base.n)
    return base


def comparar_indicador(clave: str, actual: Mapping, anterior: Mapping) -> Comparacion | None:
    """Prueba del cambio entre dos filas de ``comparacion_encuestas``/``comparacion_interacciones``.

    Los KPI del resumen usan ``analisis.resumen.comparar``; la tasa de quejas, la prueba z
    de dos proporciones; la mediana de resolución, la prueba de la mediana de Mood (con los
    campos ``resolucion_*``). Devuelve None si no hay prueba (p90) o faltan datos.
    """
    indicador(clave)
    if clave in _CLAVES_RESUMEN:
        return resumen.comparar(clave, actual, anterior)
    if clave == "tasa_quejas":
        return comparar_proporciones(_conteo_de(actual, "quejas"), _conteo_de(actual, "n_motivo"),
                                     _conteo_de(anterior, "quejas"), _conteo_de(anterior, "n_motivo"))
    if clave == "resolucion_mediana":
        return resumen.comparar("respuesta_mediana", *(
            {"sobre_mediana_conjunta": _conteo_de(f, "resolucion_sobre_mediana_conjunta"),
             "n_respuesta": _conteo_de(f, "n_resolucion"),
             "respuesta_mediana": _numero_de(f, "resolucion_mediana")} for f in (actual, anterior)))
    return None


def meta_y_sentido(clave: str, metas: pd.DataFrame) -> tuple[float | None, str]:
    """(meta, sentido) del indicador según la tabla ``metas``; sin meta: (None, sentido predeterminado)."""
    fila = metas[metas["kpi"] == clave]
    if fila.empty:
        return None, sentido_predeterminado(clave)
    return float(fila["meta"].iloc[0]), str(fila["sentido"].iloc[0])


def medida_de(clave: str) -> str:
    """Escala de encuesta más cercana al indicador: 'nps', 'ces' o 'csat' (para el resto)."""
    indicador(clave)
    return {"nps": "nps", "ces_media": "ces"}.get(clave, "csat")
