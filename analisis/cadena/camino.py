"""Desde dónde se analiza cada resultado: las sumas por lote del motor o una fila por encuestado.

CSAT, NPS y CES (continuos) se analizan desde las sumas que el motor calcula con todas las
respuestas del filtro (``datos.consultas.cadena.sumas_cadena``); el sí/no necesita una regresión
logística, que pide las respuestas una a una (``datos.consultas.cadena.calificaciones_por_respuesta``,
una muestra del motor por encima de su tope). La página pregunta a ``desde_sumas`` qué traer y
entrega lo traído a ``analizar_resultado`` o ``comparar_resultado``, que eligen el análisis con
la misma regla: la decisión está en un solo sitio.
"""

from collections.abc import Mapping, Sequence

import pandas as pd

from analisis.cadena.agregada import analizar_cadena_agregada
from analisis.cadena.configuracion import Resultado
from analisis.cadena.eslabon import ResultadoCadena, analizar_cadena
from analisis.cadena.segmentos import ComparacionSegmentos, comparar_segmentos, comparar_segmentos_agregada
from analisis.escalas import REMUESTRAS_CADENA

__all__ = ["desde_sumas", "analizar_resultado", "comparar_resultado"]


def desde_sumas(objetivo: Resultado) -> bool:
    """True si ``objetivo`` se analiza desde las sumas por lote del motor; False si necesita las filas.

    >>> from analisis.cadena.configuracion import RESULTADOS
    >>> [desde_sumas(r) for r in RESULTADOS]
    [True, True, True, False]
    """
    if not isinstance(objetivo, Resultado):
        raise ValueError("'objetivo' debe ser un Resultado (uno de RESULTADOS)")
    return objetivo.tipo == "continuo"


def analizar_resultado(datos: pd.DataFrame, etapas: Sequence[str], objetivo: Resultado, *,
                       metas: Mapping[str, float] | None = None, medida: str = "media",
                       remuestras: int = REMUESTRAS_CADENA, semilla: int = 0) -> ResultadoCadena:
    """El eslabón más débil de ``objetivo`` desde lo que ``desde_sumas`` pidió traer.

    ``datos`` son las sumas de ``sumas_cadena`` (``analizar_cadena_agregada``) o las filas de
    ``calificaciones_por_respuesta`` (``analizar_cadena`` sobre la columna de ``objetivo``).
    """
    opciones = {"metas": metas, "medida": medida, "remuestras": remuestras, "semilla": semilla}
    if desde_sumas(objetivo):
        return analizar_cadena_agregada(datos, etapas, **opciones)
    return analizar_cadena(datos, etapas, objetivo.columna, **opciones)


def comparar_resultado(datos: pd.DataFrame, etapas: Sequence[str], objetivo: Resultado, segmento: str, *,
                       muestra_minima: int = 30, metas: Mapping[str, float] | None = None, medida: str = "media",
                       remuestras: int = REMUESTRAS_CADENA, semilla: int = 0) -> ComparacionSegmentos:
    """La comparación por ``segmento`` de ``objetivo`` desde lo que ``desde_sumas`` pidió traer.

    ``datos`` son las sumas de ``sumas_cadena`` con ``segmento`` (``comparar_segmentos_agregada``)
    o las filas de ``calificaciones_por_respuesta`` (``comparar_segmentos``).
    """
    opciones = {"muestra_minima": muestra_minima, "metas": metas, "medida": medida, "remuestras": remuestras,
                "semilla": semilla}
    if desde_sumas(objetivo):
        return comparar_segmentos_agregada(datos, etapas, **opciones)
    return comparar_segmentos(datos, etapas, objetivo.columna, segmento, **opciones)
