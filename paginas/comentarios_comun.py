"""Temas y sentimiento de los comentarios en caché, para la página «Comentarios» y el enlace desde «Cadena de servicio».

Los modelos se aprenden de una muestra del historial que la persona puede ver
(``datos.consultas.comentarios.comentarios_para_modelos``) en ``datos.precalculo.calculos`` y se guardan en
``datos.precalculo.RESULTADOS`` con la ``comun.huella()`` en la clave (base, versión de los datos y
alcance), vía ``comun.precalculado``: una carga nueva los reajusta (el precálculo de fondo, antes de la
primera visita). Los comentarios de cada filtro se leen una sola vez y se asignan a los temas (y al tono,
si hay modelo) de una pasada. Los nombres y uniones que dan los usuarios se leen sin caché
(guardarlos no cambia la versión de los datos).
"""

import pandas as pd
import streamlit as st

from analisis import comentarios
from analisis.errores import MuestraInsuficiente
from analisis.formato import sin_markdown
from datos.consultas import comentarios as consultas_comentarios
from datos.precalculo import calculos
from datos.consultas.filtros import Filtros
from paginas import comun, sesion

__all__ = ["temas", "sentimiento", "asignados", "notas", "enlace_desde_cadena"]


def temas(n_temas: int | None = None) -> comentarios.Temas:
    """Los temas (automáticos o ``n_temas``) con los nombres y uniones guardados por los usuarios.

    Raises ``MuestraInsuficiente`` si hay muy pocos comentarios.
    """
    guardados = comun.consultar(consultas_comentarios.temas_comentarios, cache=None)
    return comentarios.con_guardados(comun.precalculado(calculos.temas_comentarios, n_temas), guardados)


def sentimiento() -> comentarios.ModeloSentimiento:
    """El modelo de sentimiento. Raises ``MuestraInsuficiente`` con pocos comentarios calificados."""
    return comun.precalculado(calculos.sentimiento_comentarios)


def asignados(filtros: Filtros, resultado: comentarios.Temas, n_temas: int | None = None, *,
              con_tono: bool = False) -> pd.DataFrame:
    """Comentarios del filtro (a lo sumo ``LIMITE_COMENTARIOS``) con tema, afinidad y tono, y las uniones aplicadas.

    Con ``con_tono`` traen también el ``sentimiento`` que lee el modelo (raises ``MuestraInsuficiente`` si
    no hay comentarios calificados suficientes para aprenderlo); sin él, ``sentimiento`` queda vacío.
    """
    return comentarios.con_uniones(comun.precalculado(calculos.comentarios_asignados, filtros, n_temas, con_tono),
                                   resultado)


def notas(filtros: Filtros) -> pd.DataFrame:
    """Notas de auditoría del filtro con su sentimiento. Raises ``MuestraInsuficiente`` si no hay modelo."""
    return comun.precalculado(calculos.notas_auditorias, filtros)


def _resumen_de_etapa(filtros: Filtros, etapa: str) -> str | None:
    """«En <etapa>, los comentarios negativos hablan de: …», o None si no hay comentarios suficientes."""
    try:
        resultado = temas()
    except MuestraInsuficiente:
        return None
    return comentarios.resumen_de_etapa(asignados(filtros, resultado), resultado, etapa)


def enlace_desde_cadena(filtros: Filtros, etapa: str | None) -> None:
    """Lo que dicen los comentarios negativos de ``etapa`` (si hay bastantes) y el enlace a «Comentarios»."""
    if etapa is not None:
        with st.spinner("Leyendo los comentarios…"):
            resumen = _resumen_de_etapa(filtros, etapa)
        if resumen:
            st.markdown(f":material/chat: {sin_markdown(resumen)}")
    sesion.enlace("paginas/comentarios.py", label="Leer los comentarios de los clientes", icon=":material/forum:")
