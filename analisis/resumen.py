"""Tarjetas del resumen ejecutivo: cada KPI con su intervalo, su meta y su cambio.

Entra lo que el motor agregó (una fila por periodo y una por mes, con sumas y
conteos; ver ``datos.consultas``); salen ``TarjetaKpi`` listas para dibujar.
Cada cifra sale de una función probada de ``analisis.kpis``.
"""

import math
from collections.abc import Mapping
from dataclasses import dataclass

import pandas as pd

from analisis.escalas import (CSAT_SATISFECHO, DETRACTOR_HASTA, DIAS_RECONTACTO, ESCALA_CES, ESCALA_CSAT, ESCALA_NPS,
                              PROMOTOR_DESDE, Z_95, texto_escala, texto_ventana_fcr)
from analisis.formato import cambio_segun_unidad, numero, segun_unidad, valor_p
from analisis.privacidad import ocultar_pequenos
from analisis.kpis import (Comparacion, Estimacion, comparar_medias, comparar_nps, comparar_proporciones, media,
                           nps, proporcion)

__all__ = ["Kpi", "KPIS", "TarjetaKpi", "TextosTarjeta", "estimar", "comparar", "semaforo", "tarjetas", "serie",
           "describir"]


@dataclass(frozen=True)
class Kpi:
    """Definición de un KPI del resumen.

    ``unidad`` decide el formato ('escala', 'proporcion', 'puntos', 'minutos');
    ``tolerancia`` es la distancia a la meta que aún cuenta como ámbar;
    ``metodo`` es el texto de ayuda que nombra el método en la interfaz.
    """

    clave: str
    titulo: str
    unidad: str
    tolerancia: float
    metodo: str
    sin_datos: str = "Sin datos en el periodo"


KPIS: tuple[Kpi, ...] = (
    Kpi("csat_media", f"CSAT (media {texto_escala(ESCALA_CSAT)})", "escala", 0.2,
        f"Media de las respuestas de satisfacción ({ESCALA_CSAT[0]} a {ESCALA_CSAT[1]}) con intervalo t de Student "
        "al 95 %. "
        "El cambio frente al periodo anterior se prueba con la t de Welch."),
    Kpi("csat_top2", "CSAT top-2-box", "proporcion", 0.05,
        f"Porcentaje de respuestas {CSAT_SATISFECHO} o {ESCALA_CSAT[1]} con intervalo de Wilson al 95 %. "
        "El cambio se prueba con la prueba z de dos proporciones."),
    Kpi("nps", "NPS", "puntos", 5.0,
        f"% de promotores ({texto_escala((PROMOTOR_DESDE, ESCALA_NPS[1]))}) menos % de detractores "
        f"({texto_escala((ESCALA_NPS[0], DETRACTOR_HASTA))}), de −100 a 100. Margen de error al 95 %: "
        f"±{numero(Z_95, 2)}·√((pP + pD − (pP − pD)²)/n)·100. El cambio se prueba con una prueba z."),
    Kpi("ces_media", f"CES (media {texto_escala(ESCALA_CES)})", "escala", 0.3,
        f"Media del acuerdo con «me lo hicieron fácil» ({ESCALA_CES[0]} a {ESCALA_CES[1]}) con intervalo t al 95 %; "
        "cambio probado con la t de Welch."),
    Kpi("promesa", "Cumplimiento de la promesa", "proporcion", 0.03,
        "Interacciones atendidas y resueltas dentro del tiempo prometido, con intervalo de Wilson al 95 %."),
    Kpi("fcr", "Resolución al primer contacto", "proporcion", 0.05,
        f"Contactos resueltos sin que el mismo cliente vuelva por el mismo motivo en {DIAS_RECONTACTO} días "
        f"(FCR), con intervalo de Wilson al 95 %. {texto_ventana_fcr()}",
        f"Sin contactos con la ventana de {DIAS_RECONTACTO} días ya cerrada en el periodo"),
    Kpi("respuesta_mediana", "Respuesta: mediana", "minutos", 0.1,
        "Mediana del tiempo hasta la primera respuesta al cliente, en minutos. El cambio se prueba con la prueba "
        "de la mediana de Mood; el intervalo de un percentil no se muestra."),
    Kpi("respuesta_p90", "Respuesta: p90", "minutos", 0.1,
        "Percentil 90 del tiempo hasta la primera respuesta: el 90 % de los contactos recibe respuesta "
        "en este tiempo o menos. "
        "Sin prueba de significancia para el cambio."),
)

_NAN = float("nan")


@dataclass(frozen=True)
class TarjetaKpi:
    """Todo lo que muestra la tarjeta de un KPI.

    ``estado`` es 'verde' (cumple la meta), 'ambar' (a menos de la tolerancia),
    'rojo', 'sin_meta' o 'sin_datos'. ``suficiente`` es False si la muestra del
    periodo actual es menor que la muestra mínima configurada. ``serie`` tiene
    columnas ``mes``, ``valor``, ``n`` y ``suficiente``. ``oculto`` es True si la
    cifra no se muestra por el umbral de privacidad del segmento.
    """

    kpi: Kpi
    actual: Estimacion
    anterior: Estimacion
    meta: float | None
    sentido: str
    estado: str
    cambio: Comparacion | None
    suficiente: bool
    muestra_minima: int
    serie: pd.DataFrame
    oculto: bool = False


def _entero(fila: Mapping, campo: str) -> int:
    """Conteo de la fila como entero (NULL del motor → 0)."""
    valor = fila.get(campo)
    return 0 if valor is None or pd.isna(valor) else int(valor)


def _real(fila: Mapping, campo: str) -> float:
    """Valor de la fila como real (NULL del motor → NaN)."""
    valor = fila.get(campo)
    return _NAN if valor is None or pd.isna(valor) else float(valor)


def _grupos_nps(fila: Mapping) -> tuple[int, int, int]:
    """(promotores, pasivos, detractores) de una fila agregada de encuestas."""
    promotores, detractores = _entero(fila, "promotores"), _entero(fila, "detractores")
    return promotores, _entero(fila, "n_nps") - promotores - detractores, detractores


#: KPI que son proporciones: clave → (campo de éxitos, campo del total).
_PROPORCIONES = {"csat_top2": ("csat_top2", "n_csat"), "promesa": ("promesa_cumplida", "n_promesa"),
                 "fcr": ("fcr", "n_fcr")}


def _conteos(fila: Mapping, clave: str) -> tuple[int, int]:
    """(éxitos, total) del KPI de proporción ``clave``."""
    exitos, total = _PROPORCIONES[clave]
    return _entero(fila, exitos), _entero(fila, total)


def _momentos(fila: Mapping, medida: str) -> tuple[float, float, int]:
    """(suma, suma de cuadrados, n) de ``medida`` ('csat' o 'ces')."""
    n = _entero(fila, f"n_{medida}")
    return (_real(fila, f"suma_{medida}") if n else 0.0), (_real(fila, f"suma2_{medida}") if n else 0.0), n


def estimar(clave: str, fila: Mapping) -> Estimacion:
    """Estimación del KPI ``clave`` a partir de una fila agregada por el motor.

    Parameters
    ----------
    clave : una de las claves de ``KPIS``.
    fila : conteos y sumas de ``datos.consultas`` (resumen o serie).
    """
    if clave in ("csat_media", "ces_media"):
        return media(*_momentos(fila, clave.removesuffix("_media")))
    if clave == "nps":
        return nps(*_grupos_nps(fila))
    if clave in _PROPORCIONES:
        return proporcion(*_conteos(fila, clave))
    if clave in ("respuesta_mediana", "respuesta_p90"):
        return Estimacion(_real(fila, clave), _NAN, _NAN, _entero(fila, "n_respuesta"))
    raise ValueError(f"'clave' debe ser uno de {[k.clave for k in KPIS]}, no {clave!r}")


def comparar(clave: str, actual: Mapping, anterior: Mapping) -> Comparacion | None:
    """Cambio del KPI ``clave`` entre dos filas agregadas, con la prueba que corresponde.

    ``None`` si no hay prueba para ese KPI (p90) o si algún periodo no tiene datos.
    """
    if clave in ("csat_media", "ces_media"):
        medida = clave.removesuffix("_media")
        return comparar_medias(_momentos(actual, medida), _momentos(anterior, medida))
    if clave == "nps":
        return comparar_nps(_grupos_nps(actual), _grupos_nps(anterior))
    if clave == "respuesta_mediana":
        prueba = comparar_proporciones(_entero(actual, "sobre_mediana_conjunta"), _entero(actual, "n_respuesta"),
                                       _entero(anterior, "sobre_mediana_conjunta"), _entero(anterior, "n_respuesta"))
        if prueba is None:
            return None
        diferencia = _real(actual, "respuesta_mediana") - _real(anterior, "respuesta_mediana")
        return Comparacion(diferencia, prueba.p, "prueba de la mediana de Mood", prueba.alfa)
    if clave == "respuesta_p90":
        return None
    if clave in _PROPORCIONES:
        return comparar_proporciones(*_conteos(actual, clave), *_conteos(anterior, clave))
    raise ValueError(f"'clave' debe ser uno de {[k.clave for k in KPIS]}, no {clave!r}")


def semaforo(valor: float, meta: float | None, sentido: str, tolerancia: float) -> str:
    """Estado frente a la meta: 'verde', 'ambar', 'rojo', 'sin_meta' o 'sin_datos'.

    ``sentido`` es 'mayor' (más es mejor) o 'menor'. En KPI de tiempo la
    tolerancia es relativa a la meta; en los demás, absoluta.

    >>> semaforo(4.1, 4.0, "mayor", 0.2), semaforo(3.9, 4.0, "mayor", 0.2), semaforo(3.5, 4.0, "mayor", 0.2)
    ('verde', 'ambar', 'rojo')
    """
    if sentido not in ("mayor", "menor"):
        raise ValueError("'sentido' debe ser 'mayor' o 'menor'")
    if meta is None or math.isnan(meta):
        return "sin_meta"
    if valor is None or math.isnan(valor):
        return "sin_datos"
    falta = meta - valor if sentido == "mayor" else valor - meta
    if falta <= 0:
        return "verde"
    return "ambar" if falta <= tolerancia else "rojo"


def serie(clave: str, filas: pd.DataFrame, muestra_minima: int) -> pd.DataFrame:
    """Serie mensual del KPI: columnas ``mes``, ``valor``, ``n``, ``suficiente``."""
    estimaciones = [estimar(clave, fila) for fila in filas.to_dict("records")]
    return pd.DataFrame({
        "mes": filas["mes"].to_numpy() if len(filas) else [],
        "valor": [e.valor for e in estimaciones],
        "n": [e.n for e in estimaciones],
        "suficiente": [e.n >= muestra_minima for e in estimaciones],
    })


def _fila_de_periodo(resumen: pd.DataFrame, periodo: str) -> dict:
    """La fila del periodo pedido ('actual' o 'anterior'); vacía si no hay datos."""
    filas = resumen[resumen["periodo"] == periodo].to_dict("records")
    return filas[0] if filas else {}


def tarjetas(resumen_encuestas: pd.DataFrame, resumen_interacciones: pd.DataFrame,
             serie_encuestas: pd.DataFrame, serie_interacciones: pd.DataFrame,
             metas: pd.DataFrame, muestra_minima: int, *, privacidad: int = 0) -> list[TarjetaKpi]:
    """Construye las tarjetas de todos los KPI del resumen ejecutivo.

    Una cifra calculada con menos de ``privacidad`` casos (umbral de
    privacidad por segmento, aparte de la muestra mínima estadística) se
    oculta: valor, intervalo, cambio y meses de la minitendencia.

    Parameters
    ----------
    resumen_encuestas, resumen_interacciones : una fila por periodo ('actual', 'anterior').
    serie_encuestas, serie_interacciones : una fila por mes.
    metas : columnas ``kpi``, ``meta``, ``sentido``.
    muestra_minima : n por debajo del cual una cifra se marca como insuficiente.
    privacidad : n por debajo del cual una cifra no se muestra (0: sin umbral).

    Returns
    -------
    list[TarjetaKpi] en el orden de ``KPIS``.
    """
    if muestra_minima < 1:
        raise ValueError("'muestra_minima' debe ser al menos 1")
    metas_por_kpi = {fila["kpi"]: fila for fila in metas.to_dict("records")}
    resultado = []
    for kpi in KPIS:
        de_encuestas = kpi.clave in ("csat_media", "csat_top2", "nps", "ces_media")
        resumen = resumen_encuestas if de_encuestas else resumen_interacciones
        actual, anterior = _fila_de_periodo(resumen, "actual"), _fila_de_periodo(resumen, "anterior")
        estimacion = estimar(kpi.clave, actual)
        oculto = 0 < estimacion.n < privacidad
        if oculto:
            estimacion = Estimacion(_NAN, _NAN, _NAN, estimacion.n)
        meta_fila = metas_por_kpi.get(kpi.clave, {})
        meta, sentido = meta_fila.get("meta"), meta_fila.get("sentido", "mayor")
        tolerancia = kpi.tolerancia * meta if kpi.unidad == "minutos" and meta else kpi.tolerancia
        resultado.append(TarjetaKpi(
            kpi=kpi,
            actual=estimacion,
            anterior=estimar(kpi.clave, anterior),
            meta=meta,
            sentido=sentido,
            estado=semaforo(estimacion.valor, meta, sentido, tolerancia),
            cambio=None if oculto else comparar(kpi.clave, actual, anterior),
            suficiente=estimacion.n >= muestra_minima,
            muestra_minima=muestra_minima,
            oculto=oculto,
            serie=ocultar_pequenos(serie(kpi.clave, serie_encuestas if de_encuestas else serie_interacciones,
                                         muestra_minima), n="n", columnas=["valor"], minimo=privacidad),
        ))
    return resultado


_ESTADOS = {
    "verde": "Cumple la meta",
    "ambar": "Cerca de la meta",
    "rojo": "Lejos de la meta",
    "sin_meta": "Sin meta definida",
    "sin_datos": "Sin datos",
}


@dataclass(frozen=True)
class TextosTarjeta:
    """Los textos ya formateados (en español) de una tarjeta de KPI."""

    valor: str
    cambio: str | None
    color_cambio: str
    intervalo: str
    meta: str
    significancia: str
    aviso: str | None


def describir(tarjeta: TarjetaKpi) -> TextosTarjeta:
    """Convierte una tarjeta en los textos que la interfaz muestra.

    ``color_cambio`` sigue la convención de ``st.metric``: 'normal' si subir es
    bueno, 'inverse' si subir es malo, 'off' (gris) si el cambio no es
    significativo o no se puede probar.
    """
    unidad, actual = tarjeta.kpi.unidad, tarjeta.actual
    if math.isnan(actual.ic_inf):
        intervalo = f"n = {numero(actual.n, 0)}"
    else:
        intervalo = (f"IC 95 %: {segun_unidad(actual.ic_inf, unidad)} – {segun_unidad(actual.ic_sup, unidad)}"
                     f" · n = {numero(actual.n, 0)}")
    meta = _ESTADOS[tarjeta.estado]
    if tarjeta.meta is not None and not math.isnan(tarjeta.meta):
        meta = (f"Meta {segun_unidad(tarjeta.meta, unidad)}: sin cifra que comparar" if tarjeta.estado == "sin_datos"
                else f"{meta} ({segun_unidad(tarjeta.meta, unidad)})")
    cambio, color = None, "off"
    if tarjeta.cambio is None:
        significancia = ("Sin prueba de significancia para este indicador" if tarjeta.kpi.clave == "respuesta_p90"
                         else "Sin datos del periodo anterior para comparar")
        if tarjeta.anterior.n and not math.isnan(tarjeta.anterior.valor) and not math.isnan(actual.valor):
            cambio = cambio_segun_unidad(actual.valor - tarjeta.anterior.valor, unidad)
    else:
        cambio = cambio_segun_unidad(tarjeta.cambio.diferencia, unidad)
        if tarjeta.cambio.significativo:
            significancia = f"Cambio significativo ({valor_p(tarjeta.cambio.p)})"
            color = "normal" if tarjeta.sentido == "mayor" else "inverse"
        else:
            significancia = f"Cambio no significativo ({valor_p(tarjeta.cambio.p)}): puede ser ruido"
    aviso = None
    if tarjeta.oculto:
        significancia = "Sin comparación: cifra oculta"
        aviso = f"Oculto por privacidad: solo {numero(actual.n, 0)} casos en este segmento"
    elif not tarjeta.suficiente:
        aviso = (f"Muestra insuficiente (n = {numero(actual.n, 0)} < {numero(tarjeta.muestra_minima, 0)}): "
                 "cifra poco fiable" if actual.n else tarjeta.kpi.sin_datos)
    return TextosTarjeta(segun_unidad(actual.valor, unidad), cambio, color, intervalo, meta, significancia, aviso)
