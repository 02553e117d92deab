"""Temas y sentimiento de los comentarios en caché, para la página «Comentarios» y el enlace desde «Cadena de servicio».

Los modelos se aprenden de una muestra del historial que la persona puede ver
(``consultas.comentarios_para_modelos``) y se guardan con ``st.cache_resource`` por base de datos y versión de los datos: una carga nueva
los reajusta. Los comentarios de cada filtro se asignan a los temas una vez por filtro. Los nombres
y uniones que dan los usuarios se leen sin caché (guardarlos no cambia la versión de los datos).
"""

import numpy as np
import pandas as pd
import streamlit as st

from analisis import comentarios
from datos.consultas.filtros import Filtros
from analisis.errores import MuestraInsuficiente
from paginas import comun, sesion

__all__ = ["temas", "sentimiento", "asignados", "sentimientos", "notas", "enlace_desde_cadena"]


def _muestra_modelos(alcance: Filtros) -> pd.DataFrame:
    """Comentarios del historial visible con que se aprenden los modelos (muestra acotada, en caché)."""
    return comun.consultar_filas("comentarios_para_modelos", alcance)


@st.cache_resource(show_spinner=False, max_entries=4)
def _temas(ruta: str, version: int, n_temas: int | None, alcance: Filtros) -> comentarios.Temas:
    """Temas ajustados sobre la muestra del historial, equilibrando notas bajas, medias y altas."""
    muestra = _muestra_modelos(alcance)
    return comentarios.temas(muestra["comentario"], n_temas, grupos=comentarios.tonos_de_encuestas(muestra))


@st.cache_resource(show_spinner=False, max_entries=2)
def _sentimiento(ruta: str, version: int, alcance: Filtros) -> comentarios.ModeloSentimiento:
    """Modelo de sentimiento aprendido de los comentarios calificados de la muestra del historial."""
    return comentarios.entrenar_desde_encuestas(_muestra_modelos(alcance))


def temas(n_temas: int | None = None) -> comentarios.Temas:
    """Los temas (automáticos o ``n_temas``) con los nombres y uniones guardados por los usuarios.

    Raises ``MuestraInsuficiente`` si hay muy pocos comentarios.
    """
    almacen = comun.almacen()
    guardados = comun.consultar_al_dia("temas_comentarios")
    return comentarios.con_guardados(_temas(almacen.ruta, almacen.version_datos(), n_temas, comun.alcance()), guardados)


def sentimiento() -> comentarios.ModeloSentimiento:
    """El modelo de sentimiento. Raises ``MuestraInsuficiente`` con pocos comentarios calificados."""
    almacen = comun.almacen()
    return _sentimiento(almacen.ruta, almacen.version_datos(), comun.alcance())


@st.cache_resource(show_spinner=False, max_entries=8)
def _asignados(ruta: str, version: int, filtros: Filtros, n_temas: int | None) -> pd.DataFrame:
    """Comentarios del filtro con su tema (sin uniones), afinidad y tono; no se modifica (``cache_resource``)."""
    return comentarios.asignar(comun.consultar_filas("comentarios_encuestas", filtros),
                               _temas(ruta, version, n_temas, comun.alcance()))


def asignados(filtros: Filtros, resultado: comentarios.Temas, n_temas: int | None = None) -> pd.DataFrame:
    """Comentarios del filtro (a lo sumo ``LIMITE_COMENTARIOS``) con tema, afinidad y tono, y las uniones aplicadas."""
    almacen = comun.almacen()
    return comentarios.con_uniones(_asignados(almacen.ruta, almacen.version_datos(), filtros, n_temas), resultado)


@st.cache_resource(show_spinner=False, max_entries=8)
def _sentimientos(ruta: str, version: int, filtros: Filtros) -> np.ndarray:
    """Sentimiento predicho de cada comentario del filtro, en el orden de ``comentarios_encuestas``."""
    textos = comun.consultar_filas("comentarios_encuestas", filtros)["comentario"]
    return _sentimiento(ruta, version, comun.alcance()).predecir(textos)


def sentimientos(filtros: Filtros) -> np.ndarray:
    """Sentimiento predicho de cada comentario del filtro (mismo orden que ``asignados``)."""
    almacen = comun.almacen()
    return _sentimientos(almacen.ruta, almacen.version_datos(), filtros)


@st.cache_resource(show_spinner=False, max_entries=4)
def _notas(ruta: str, version: int, filtros: Filtros) -> pd.DataFrame:
    """Notas de auditoría del filtro con su sentimiento predicho y el texto enmascarado."""
    return comentarios.asignar_notas(comun.consultar_filas("notas_auditorias", filtros),
                                     _sentimiento(ruta, version, comun.alcance()))


def notas(filtros: Filtros) -> pd.DataFrame:
    """Notas de auditoría del filtro con su sentimiento. Raises ``MuestraInsuficiente`` si no hay modelo."""
    almacen = comun.almacen()
    return _notas(almacen.ruta, almacen.version_datos(), filtros)


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
            st.markdown(f":material/chat: {resumen}")
    sesion.enlace("paginas/comentarios.py", label="Leer los comentarios de los clientes", icon=":material/forum:")
