"""Pestañas perezosas: de las pestañas de una página de análisis solo se ejecuta la abierta, y solo ella llega
al navegador.

Con ``st.tabs`` sin estado, Streamlit ejecuta el contenido de todas las pestañas en cada ejecución y el
navegador las recibe y dibuja todas: Brechas (siete pestañas, cuatro figuras y diez tablas) tardaba unos 2 s
en su primera visita, casi todo en el navegador, aunque sus resultados ya estaban calculados. Con
``pestanas(contenidos, clave)`` cambiar de pestaña es una ejecución de la página (con resultados ya
calculados, unas décimas de segundo), y la pestaña elegida se conserva mientras la persona siga en la página.

Los controles con clave dentro de una pestaña perezosa se dibujan con ``persist_state=CONSERVAR``: así guardan
lo elegido mientras su pestaña está cerrada (sin él, Streamlit los olvida al no dibujarlos).
"""

from collections.abc import Callable

import streamlit as st

#: Comienzo de la clave de todas las pestañas perezosas (``pestana_brechas``): las pruebas las recorren todas.
PREFIJO = "pestana_"
#: ``persist_state`` de los controles dentro de una pestaña perezosa: lo elegido dura mientras se esté en la página.
CONSERVAR = "page"


def pestanas(contenidos: dict[str, Callable[[], None]], clave: str) -> None:
    """Dibuja una pestaña por etiqueta de ``contenidos`` y ejecuta, dentro de la suya, solo la función de la
    pestaña abierta (la primera al entrar en la página). ``clave``: nombre único en la app (``"brechas"``),
    con el que la pestaña abierta queda en ``st.session_state[PREFIJO + clave]``."""
    contenedores = st.tabs(list(contenidos), key=PREFIJO + clave, on_change="rerun")
    for dibujar, contenedor in zip(contenidos.values(), contenedores):
        if contenedor.open:
            with contenedor:
                dibujar()
