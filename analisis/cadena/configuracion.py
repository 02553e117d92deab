"""Qué se analiza: los resultados que la cadena explica, sus etapas y metas, y la escala de las calificaciones.

>>> umbral_bajo((1, 5)), umbral_alto((1, 5)), umbral_alto((0, 10))
(2, 4, 9)
"""

import math
from dataclasses import dataclass

import numpy as np
import pandas as pd

from analisis.cadena.validacion import exigir_columnas
from analisis.escalas import CSAT_SATISFECHO, ESCALA_CES, ESCALA_CSAT, ESCALA_NPS, texto_escala

__all__ = ["Resultado", "RESULTADOS", "ESCALAS", "ConfiguracionCadena", "configuracion_cadena",
           "escala_de_calificaciones", "escala_de_etapas", "escala_de_distribucion", "umbral_alto", "umbral_bajo"]


@dataclass(frozen=True)
class Resultado:
    """Un resultado global que la cadena puede explicar.

    ``columna`` en los datos, ``titulo`` para el selector, ``nombre`` dentro de una frase
    ("la variación en el CSAT"), ``tipo`` ('continuo' o 'binario') y ``unidad`` de la ganancia.
    """

    columna: str
    titulo: str
    nombre: str
    tipo: str
    unidad: str


#: Resultados que ofrece la página (columnas de ``datos.consultas.cadena.calificaciones_por_respuesta``).
RESULTADOS: tuple[Resultado, ...] = (
    Resultado("csat", f"CSAT (satisfacción, {texto_escala(ESCALA_CSAT)})", "el CSAT", "continuo", "puntos de CSAT"),
    Resultado("nps", f"Recomendación (NPS, {texto_escala(ESCALA_NPS)})",
              f"la recomendación ({texto_escala(ESCALA_NPS)})", "continuo",
              f"puntos de recomendación ({texto_escala(ESCALA_NPS)})"),
    Resultado("ces", f"CES (facilidad, {texto_escala(ESCALA_CES)})", "el CES", "continuo", "puntos de CES"),
    Resultado("satisfecho", f"Satisfecho sí/no (CSAT {texto_escala((CSAT_SATISFECHO, ESCALA_CSAT[1]))})",
              "la satisfacción (sí/no)", "binario", "pp de clientes satisfechos"),
)


#: Escalas de calificación reconocidas (mínimo, máximo).
ESCALAS: tuple[tuple[int, int], ...] = ((1, 5), (1, 7), (0, 10), (0, 100))


@dataclass(frozen=True)
class ConfiguracionCadena:
    """Etapas en orden y su meta de media (``metas`` es None si alguna etapa no tiene meta)."""

    etapas: tuple[str, ...]
    metas: tuple[tuple[str, float], ...] | None

    @property
    def metas_por_etapa(self) -> dict[str, float] | None:
        """Las metas como diccionario etapa → meta, o None."""
        return None if self.metas is None else dict(self.metas)


def configuracion_cadena(tabla: pd.DataFrame) -> ConfiguracionCadena:
    """Lee la tabla ``etapas`` (``etapa``, ``orden``, ``meta``) como configuración de la cadena.

    >>> tabla = pd.DataFrame({"etapa": ["B", "A"], "orden": [2, 1], "meta": [4.0, 3.5]})
    >>> configuracion_cadena(tabla)
    ConfiguracionCadena(etapas=('A', 'B'), metas=(('A', 3.5), ('B', 4.0)))
    """
    exigir_columnas(tabla, ("etapa", "orden", "meta"), "tabla")
    ordenada = tabla.sort_values(["orden", "etapa"])
    etapas = tuple(str(e) for e in ordenada["etapa"])
    metas = ordenada["meta"].astype(float)
    con_meta = bool(len(metas)) and bool(metas.notna().all())
    return ConfiguracionCadena(etapas, tuple(zip(etapas, metas.tolist())) if con_meta else None)


def escala_de_calificaciones(minimo: float, maximo: float) -> tuple[float, float]:
    """La escala reconocida más pequeña que contiene los valores observados.

    Si ninguna de ``ESCALAS`` los contiene, la escala va del mínimo al máximo observados
    (redondeados hacia fuera); sin datos, 1–5.

    >>> escala_de_calificaciones(1, 5), escala_de_calificaciones(2, 6), escala_de_calificaciones(0, 9)
    ((1, 5), (1, 7), (0, 10))
    >>> escala_de_calificaciones(-2.5, 3.2)
    (-3, 4)
    """
    if math.isnan(minimo) or math.isnan(maximo):
        return ESCALAS[0]
    for escala in ESCALAS:
        if escala[0] <= minimo and maximo <= escala[1]:
            return escala
    return math.floor(minimo), math.ceil(maximo)


def escala_de_etapas(x: np.ndarray, escala: tuple[float, float] | None) -> tuple[float, float]:
    """La escala pedida (validada contra los datos) o la inferida de ellos."""
    observados = x[~np.isnan(x)]
    minimo, maximo = (float(observados.min()), float(observados.max())) if observados.size else (math.nan, math.nan)
    if escala is None:
        return escala_de_calificaciones(minimo, maximo)
    if len(escala) != 2 or not escala[0] < escala[1]:
        raise ValueError("'escala' debe ser un par (mínimo, máximo) con mínimo < máximo")
    if observados.size and (minimo < escala[0] or maximo > escala[1]):
        raise ValueError(f"'respuestas' tiene calificaciones de etapa fuera de la escala {escala[0]}–{escala[1]}")
    return float(escala[0]), float(escala[1])


def escala_de_distribucion(distribucion: pd.DataFrame) -> tuple[float, float]:
    """Escala de las calificaciones de etapa según su reparto (``datos.consultas.cadena.distribucion_etapas``).

    Es la que se pasa a ``datos.consultas.cadena.sumas_cadena`` antes de agregar (fija el top-2-box).

    >>> escala_de_distribucion(pd.DataFrame({"etapa": ["A", "A"], "valor": [2.0, 7.0], "n": [1, 1],
    ...                                      "suma": [2.0, 7.0], "suma2": [4.0, 49.0]}))
    (1, 7)
    """
    exigir_columnas(distribucion, ("etapa", "valor", "n", "suma", "suma2"), "distribucion")
    valores = distribucion["valor"].astype(float)
    return escala_de_calificaciones(float(valores.min()) if len(valores) else math.nan,
                                    float(valores.max()) if len(valores) else math.nan)


def umbral_alto(escala: tuple[float, float]) -> float:
    """Primera calificación del top-2-box (4 en 1–5, 9 en 0–10, 99 en 0–100)."""
    return escala[1] - 1


def umbral_bajo(escala: tuple[float, float]) -> float:
    """Última calificación baja (bottom-2-box: 2 en 1–5, 1 en 0–10)."""
    return escala[0] + 1
