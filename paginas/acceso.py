"""Pantalla de entrada: acceso con usuario y clave, o alta del primer administrador.

No es una página de la navegación: ``app.py`` la dibuja en lugar de la página
pedida mientras no hay sesión, de modo que, al entrar, se abre justo la
página (y los parámetros) que la persona había pedido.
"""

import streamlit as st

from datos.cuentas.intentos import autenticar
from datos.cuentas.usuarios import (LARGO_MINIMO_CLAVE, AccesoDenegado, crear_administrador_desde_entorno,
                                    crear_usuario, hay_usuarios)
from analisis.errores import ErrorEslabon
from paginas import comun, sesion

__all__ = ["pantalla"]


def _primer_administrador(cursor) -> None:
    """Formulario para crear la cuenta de administrador en una instalación sin cuentas."""
    st.subheader("Primera puesta en marcha")
    st.write("Cree la cuenta de administrador. Con ella podrá dar de alta a las demás personas y asignarles un rol.")
    with st.form("primer_administrador", enter_to_submit=False):
        usuario = st.text_input("Usuario", placeholder="p. ej. admin")
        clave = st.text_input("Clave", type="password", help=f"Al menos {LARGO_MINIMO_CLAVE} caracteres.")
        repetida = st.text_input("Repita la clave", type="password")
        if st.form_submit_button("Crear administrador", type="primary"):
            if clave != repetida:
                st.error("Las dos claves no coinciden.")
                return
            try:
                sesion.iniciar(crear_usuario(cursor, usuario, clave, "administrador", nombre="Administrador",
                                             autor="instalación"))
            except ErrorEslabon as error:
                comun.aviso_error(error)
                return
            st.rerun()


def _entrar(cursor) -> None:
    """Formulario de usuario y clave."""
    with st.form("entrar", enter_to_submit=False):
        st.subheader("Entrar")
        usuario = st.text_input("Usuario")
        clave = st.text_input("Clave", type="password")
        if st.form_submit_button("Entrar", type="primary", icon=":material/login:"):
            try:
                sesion.iniciar(autenticar(cursor, usuario, clave, direccion=sesion.direccion_cliente()))
            except AccesoDenegado as error:
                comun.aviso_error(error)
                return
            st.rerun()


def pantalla() -> None:
    """Dibuja la entrada que corresponda y detiene la ejecución (sin sesión no se muestra ningún dato)."""
    sesion.borrar_cookie_pendiente()
    with st.columns([1, 2, 1])[1]:
        st.title("Eslabón")
        st.caption("Calidad del servicio al cliente: indicadores, cadena de servicio, brechas y perfiles.")
        if aviso := st.session_state.pop("aviso_acceso", None):
            comun.aviso_error(aviso, como=st.info, icono=":material/schedule:")
        if sesion.modo() == "oidc":
            sesion.entrada_oidc()
        else:
            cursor = comun.almacen().cursor()
            crear_administrador_desde_entorno(cursor)
            if hay_usuarios(cursor):
                _entrar(cursor)
            else:
                _primer_administrador(cursor)
    st.stop()
