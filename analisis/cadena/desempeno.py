"""Desempeño por etapa (de lo que agregó el motor) y vista operativa de las interacciones, con sus intervalos."""

import math
from collections.abc import Mapping, Sequence

import numpy as np
import pandas as pd

from analisis.cadena.configuracion import escala_de_distribucion, umbral_alto, umbral_bajo
from analisis.cadena.validacion import exigir_columnas, validar_muestra_minima
from analisis.kpis import media, proporcion

__all__ = ["desempeno_por_etapa", "vista_operativa"]


def desempeno_por_etapa(distribucion: pd.DataFrame, etapas: Sequence[str], *,
                        metas: Mapping[str, float] | None = None, escala: tuple[float, float] | None = None,
                        muestra_minima: int = 30) -> pd.DataFrame:
    """Media, notas bajas y top-2-box de cada etapa, con intervalos al 95 % y frente a su meta.

    Parameters
    ----------
    distribucion : ``etapa``, ``valor`` (calificación redondeada), ``n``, ``suma``, ``suma2``
        (``datos.consultas.cadena.distribucion_etapas``). Las etapas no configuradas se ignoran.
    etapas : etapas de la cadena, en orden.
    metas : meta de la media de cada etapa (None: sin metas).
    escala : (mínimo, máximo); None la infiere de los valores.
    muestra_minima : n por debajo del cual la etapa se marca como insuficiente.

    Returns
    -------
    DataFrame indexado por ``etapa`` (en orden, también las que no tienen datos) con ``n``,
    ``media``/``media_inf``/``media_sup`` (t de Student), ``bajas``/``bajas_inf``/``bajas_sup``
    (dos notas más bajas, Wilson), ``top2``/``top2_inf``/``top2_sup`` (dos más altas, Wilson),
    ``meta``, ``brecha`` (meta − media), ``cumple`` (media ≥ meta; NA sin meta o sin datos) y
    ``suficiente``.

    >>> d = pd.DataFrame({"etapa": ["A"] * 3, "valor": [1, 4, 5], "n": [2, 4, 4], "suma": [2.0, 16, 20],
    ...                   "suma2": [2.0, 64, 100]})
    >>> t = desempeno_por_etapa(d, ["A", "B"], metas={"A": 4, "B": 4}, muestra_minima=5)
    >>> [round(float(v), 3) for v in t.loc["A", ["n", "media", "bajas", "top2", "brecha"]]]
    [10.0, 3.8, 0.2, 0.8, 0.2]
    >>> int(t.loc["B", "n"]), bool(t.loc["B", "suficiente"])
    (0, False)
    """
    exigir_columnas(distribucion, ("etapa", "valor", "n", "suma", "suma2"), "distribucion")
    validar_muestra_minima(muestra_minima)
    etapas = tuple(etapas)
    escala = escala or escala_de_distribucion(distribucion)
    filas = []
    for etapa in etapas:
        parte = distribucion[distribucion["etapa"] == etapa]
        n = int(parte["n"].sum())
        promedio = media(float(parte["suma"].sum()), float(parte["suma2"].sum()), n)
        bajas = proporcion(int(parte.loc[parte["valor"] <= umbral_bajo(escala), "n"].sum()), n)
        altas = proporcion(int(parte.loc[parte["valor"] >= umbral_alto(escala), "n"].sum()), n)
        meta = math.nan if metas is None or etapa not in metas else float(metas[etapa])
        filas.append({"etapa": etapa, "n": n, "media": promedio.valor, "media_inf": promedio.ic_inf,
                      "media_sup": promedio.ic_sup, "bajas": bajas.valor, "bajas_inf": bajas.ic_inf,
                      "bajas_sup": bajas.ic_sup, "top2": altas.valor, "top2_inf": altas.ic_inf,
                      "top2_sup": altas.ic_sup, "meta": meta, "brecha": meta - promedio.valor,
                      "cumple": None if math.isnan(meta) or n == 0 else bool(promedio.valor >= meta),
                      "suficiente": n >= muestra_minima})
    tabla = pd.DataFrame(filas).set_index("etapa")
    tabla["cumple"] = tabla["cumple"].astype("boolean")
    return tabla


def vista_operativa(operacion: pd.DataFrame, etapas: Sequence[str], *, muestra_minima: int = 30) -> pd.DataFrame:
    """Indicadores operativos por etapa de la cadena, con intervalos de Wilson y t al 95 %.

    Parameters
    ----------
    operacion : una fila por etapa de ``datos.consultas.cadena.operacion_etapas``.
    etapas : etapas de la cadena, en orden (las interacciones de otras etapas se ignoran).
    muestra_minima : n por debajo del cual una cifra se marca como insuficiente.

    Returns
    -------
    DataFrame indexado por ``etapa`` con ``volumen`` y ``participacion`` (parte de las
    interacciones de la cadena); ``incumplimiento``, ``escalamiento`` (sobre las interacciones con
    dato) y ``reapertura`` (sobre las resueltas), cada una con ``_inf``/``_sup``; ``respuesta_mediana``,
    ``respuesta_p90`` (minutos), ``resolucion_mediana``, ``resolucion_p90`` (horas); ``csat``,
    ``csat_inf``, ``csat_sup`` y ``n_csat`` de las encuestas de esos contactos; ``suficiente``
    (volumen ≥ muestra mínima) y ``csat_suficiente``.

    >>> o = pd.DataFrame({"etapa": ["A"], "n_interacciones": [100], "n_promesa": [100], "incumplidas": [10],
    ...     "n_escalado": [100], "escaladas": [5], "resueltas": [80], "reabiertas": [8],
    ...     "respuesta_mediana": [12.0], "respuesta_p90": [50.0], "resolucion_mediana": [3.0],
    ...     "resolucion_p90": [20.0], "n_csat": [2], "suma_csat": [9.0], "suma2_csat": [41.0], "csat_top2": [2]})
    >>> v = vista_operativa(o, ["A", "B"])
    >>> [float(x) for x in v.loc["A", ["volumen", "incumplimiento", "reapertura", "csat"]]]
    [100.0, 0.1, 0.1, 4.5]
    """
    exigir_columnas(operacion, ("etapa", "n_interacciones", "n_promesa", "incumplidas", "n_escalado", "escaladas",
                                "resueltas", "reabiertas", "respuesta_mediana", "respuesta_p90",
                                "resolucion_mediana", "resolucion_p90", "n_csat", "suma_csat", "suma2_csat"),
                    "operacion")
    validar_muestra_minima(muestra_minima)
    por_etapa = operacion.set_index("etapa").reindex(list(etapas))
    total = int(np.nansum(por_etapa["n_interacciones"]))
    filas = []
    for etapa, fila in por_etapa.iterrows():
        volumen = _entero(fila["n_interacciones"])
        tasas = {nombre: proporcion(_entero(fila[exitos]), _entero(fila[base]))
                 for nombre, exitos, base in (("incumplimiento", "incumplidas", "n_promesa"),
                                              ("escalamiento", "escaladas", "n_escalado"),
                                              ("reapertura", "reabiertas", "resueltas"))}
        csat = media(_real(fila["suma_csat"], 0.0), _real(fila["suma2_csat"], 0.0), _entero(fila["n_csat"]))
        salida = {"etapa": etapa, "volumen": volumen, "participacion": volumen / total if total else math.nan}
        for nombre, estimacion in tasas.items():
            salida.update({nombre: estimacion.valor, f"{nombre}_inf": estimacion.ic_inf,
                           f"{nombre}_sup": estimacion.ic_sup})
        salida.update({campo: _real(fila[campo]) for campo in ("respuesta_mediana", "respuesta_p90",
                                                               "resolucion_mediana", "resolucion_p90")})
        salida.update({"csat": csat.valor, "csat_inf": csat.ic_inf, "csat_sup": csat.ic_sup, "n_csat": csat.n,
                       "suficiente": volumen >= muestra_minima, "csat_suficiente": csat.n >= muestra_minima})
        filas.append(salida)
    return pd.DataFrame(filas).set_index("etapa")


def _entero(valor) -> int:
    """Conteo del motor como entero (NULL → 0)."""
    return 0 if valor is None or pd.isna(valor) else int(valor)


def _real(valor, vacio: float = math.nan) -> float:
    """Valor del motor como real (NULL → ``vacio``)."""
    return vacio if valor is None or pd.isna(valor) else float(valor)
