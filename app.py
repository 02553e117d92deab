"""Eslabón: tablero de calidad del servicio al cliente (punto de entrada de Streamlit)."""

import streamlit as st

from paginas import comun

st.set_page_config(page_title="Eslabón · Calidad del servicio", page_icon="🔗", layout="wide")

navegacion = st.navigation({
    "Dirección": [
        st.Page("paginas/resumen.py", title="Resumen ejecutivo", icon=":material/dashboard:", default=True),
    ],
})
comun.barra_lateral()
navegacion.run()
