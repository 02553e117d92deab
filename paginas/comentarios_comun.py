"""Temas y sentimiento de los comentarios en caché, para la página «Comentarios» y el enlace desde «Cadena de servicio».

Los modelos se aprenden de una muestra del historial que la persona puede ver
(``datos.consultas.comentarios.comentarios_para_modelos``) y se guardan con ``st.cache_resource``
con la ``comun.huella()`` en la clave (base, versión de los datos y alcance): una carga nueva los
reajusta. Los comentarios de cada filtro se leen una sola vez y se asignan a los temas (y al tono,
si hay modelo) de una pasada. Los nombres y uniones que dan los usuarios se leen sin caché
(guardarlos no cambia la versión de los datos).
"""

import pandas as pd
import streamlit as st

from analisis import comentarios
from analisis.errores import MuestraInsuficiente
from analisis.formato import sin_markdown
from datos.consultas import comentarios as consultas_comentarios
from datos.consultas.filtros import Filtros
from paginas import comun, sesion

__all__ = ["temas", "sentimiento", "asignados", "notas", "enlace_desde_cadena"]


def _muestra_modelos() -> pd.DataFrame:
    """Comentarios del historial visible con que se aprenden los modelos (muestra acotada, en caché)."""
    return comun.consultar(consultas_comentarios.comentarios_para_modelos, comun.alcance(), cache="grande")


@st.cache_resource(show_spinner=False, max_entries=4)
def _temas(huella: comun.Huella, n_temas: int | None) -> comentarios.Temas:
    """Temas ajustados sobre la muestra del historial, equilibrando notas bajas, medias y altas."""
    muestra = _muestra_modelos()
    return comentarios.temas(muestra["comentario"], n_temas, grupos=comentarios.tonos_de_encuestas(muestra))


@st.cache_resource(show_spinner=False, max_entries=2)
def _sentimiento(huella: comun.Huella) -> comentarios.ModeloSentimiento:
    """Modelo de sentimiento aprendido de los comentarios calificados de la muestra del historial."""
    return comentarios.entrenar_desde_encuestas(_muestra_modelos())


def temas(n_temas: int | None = None) -> comentarios.Temas:
    """Los temas (automáticos o ``n_temas``) con los nombres y uniones guardados por los usuarios.

    Raises ``MuestraInsuficiente`` si hay muy pocos comentarios.
    """
    guardados = comun.consultar(consultas_comentarios.temas_comentarios, cache=None)
    return comentarios.con_guardados(_temas(comun.huella(), n_temas), guardados)


def sentimiento() -> comentarios.ModeloSentimiento:
    """El modelo de sentimiento. Raises ``MuestraInsuficiente`` con pocos comentarios calificados."""
    return _sentimiento(comun.huella())


@st.cache_resource(show_spinner=False, max_entries=8)
def _asignados(huella: comun.Huella, filtros: Filtros, n_temas: int | None, con_tono: bool) -> pd.DataFrame:
    """Comentarios del filtro, leídos una vez, con tema (sin uniones), afinidad, tono y, con ``con_tono``,
    el sentimiento del modelo; no se modifica (``cache_resource``)."""
    filas = comun.consultar(consultas_comentarios.comentarios_encuestas, filtros, cache="grande")
    return comentarios.asignar(filas, _temas(huella, n_temas), _sentimiento(huella) if con_tono else None)


def asignados(filtros: Filtros, resultado: comentarios.Temas, n_temas: int | None = None, *,
              con_tono: bool = False) -> pd.DataFrame:
    """Comentarios del filtro (a lo sumo ``LIMITE_COMENTARIOS``) con tema, afinidad y tono, y las uniones aplicadas.

    Con ``con_tono`` traen también el ``sentimiento`` que lee el modelo (raises ``MuestraInsuficiente`` si
    no hay comentarios calificados suficientes para aprenderlo); sin él, ``sentimiento`` queda vacío.
    """
    return comentarios.con_uniones(_asignados(comun.huella(), filtros, n_temas, con_tono), resultado)


@st.cache_resource(show_spinner=False, max_entries=4)
def _notas(huella: comun.Huella, filtros: Filtros) -> pd.DataFrame:
    """Notas de auditoría del filtro con su sentimiento predicho y el texto enmascarado."""
    return comentarios.asignar_notas(comun.consultar(consultas_comentarios.notas_auditorias, filtros, cache="grande"),
                                     _sentimiento(huella))


def notas(filtros: Filtros) -> pd.DataFrame:
    """Notas de auditoría del filtro con su sentimiento. Raises ``MuestraInsuficiente`` si no hay modelo."""
    return _notas(comun.huella(), filtros)


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
