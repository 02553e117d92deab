"""Eslabón: tablero de calidad del servicio al cliente (punto de entrada de Streamlit)."""

import streamlit as st

from paginas import comun

st.set_page_config(page_title="Eslabón · Calidad del servicio", page_icon="🔗", layout="wide")

navegacion = st.navigation({
    "Dirección": [
        st.Page("paginas/resumen.py", title="Resumen ejecutivo", icon=":material/dashboard:", default=True),
    ],
    "Calidad": [
        st.Page("paginas/carga.py", title="Cargar datos", icon=":material/upload_file:"),
    ],
    "Capacitación": [
        st.Page("paginas/brechas.py", title="Brechas de habilidades", icon=":material/school:"),
        st.Page("paginas/realimentacion.py", title="Realimentación", icon=":material/forum:"),
    ],
    "Análisis": [
        st.Page("paginas/tendencias.py", title="Tendencias", icon=":material/trending_up:"),
        st.Page("paginas/perfiles.py", title="Perfiles de clientes", icon=":material/groups:"),
        st.Page("paginas/cadena.py", title="Cadena de servicio", icon=":material/link:"),
        st.Page("paginas/comentarios.py", title="Comentarios", icon=":material/chat:"),
    ],
})
comun.barra_lateral()
navegacion.run()
