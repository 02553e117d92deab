"""Eslabón: tablero de calidad del servicio al cliente (punto de entrada de Streamlit).

``streamlit run app.py`` encuentra ``app`` (un ``st.App``) y sirve este mismo archivo como guion de
cada sesión; su ``lifespan`` abre el almacén y arranca el servicio de órdenes y el trabajador en
cuanto arranca el servidor, sin esperar a ningún navegador. Cada sesión corre este archivo como
``__main__``: la navegación y la barra lateral compartida.
"""

import streamlit as st

from paginas import acceso, comun, sesion

if __name__ == "__main__":
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
else:
    app = st.App(__file__, lifespan=comun.al_arrancar_el_servidor)
