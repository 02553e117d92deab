"""Eslabón: tablero de calidad del servicio al cliente (punto de entrada de Streamlit)."""

import streamlit as st

from paginas import acceso, comun, sesion

st.set_page_config(page_title="Eslabón · Calidad del servicio", page_icon="🔗", layout="wide")
comun.textos_en_espanol()

usuario = sesion.usuario_actual()
navegacion = st.navigation(sesion.navegacion_de(usuario), position="sidebar" if usuario else "hidden",
                           expanded=True)
if usuario is None:
    sesion.recordar_pedida(navegacion)
    acceso.pantalla()
comun.barra_lateral(usuario)
sesion.menu_usuario(usuario)
sesion.aviso_de_pagina()
navegacion.run()
