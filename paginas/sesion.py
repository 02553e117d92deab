"""Sesión de usuario: quién entró, qué páginas ve y cuándo caduca.

Las páginas que un rol no puede usar no se registran en la navegación, así
que tampoco se abren escribiendo su dirección: Streamlit solo sirve las
páginas de ``st.navigation``. La sesión vive en ``st.session_state`` y
caduca tras ``ESLABON_SESION_MINUTOS`` minutos sin actividad (30 por defecto).
"""

import os
import time
from dataclasses import dataclass

import streamlit as st

from datos.cuentas.usuarios import NOMBRES_ROLES, Usuario, cuenta_por_usuario, registrar
from paginas import comun

__all__ = ["Pagina", "PAGINAS", "usuario_actual", "iniciar", "cerrar", "navegacion_de", "menu_usuario",
           "minutos_de_sesion", "modo", "entrada_oidc", "puede_ver", "enlace",
           "puede_ver_clientes"]

TODOS = tuple(NOMBRES_ROLES)


@dataclass(frozen=True)
class Pagina:
    """Una página de la aplicación, su grupo de audiencia y los roles que la ven."""

    archivo: str
    titulo: str
    icono: str
    grupo: str
    roles: tuple[str, ...]


#: Todas las páginas, en el orden del menú. El administrador ve todas.
PAGINAS: tuple[Pagina, ...] = (
    Pagina("paginas/resumen.py", "Resumen ejecutivo", ":material/dashboard:", "Dirección", TODOS),
    Pagina("paginas/carga.py", "Cargar datos", ":material/upload_file:", "Calidad", ("calidad", "administrador")),
    Pagina("paginas/brechas.py", "Brechas de habilidades", ":material/school:", "Capacitación",
           ("capacitación", "administrador")),
    Pagina("paginas/realimentacion.py", "Realimentación", ":material/forum:", "Capacitación",
           ("capacitación", "administrador")),
    Pagina("paginas/tendencias.py", "Tendencias", ":material/trending_up:", "Análisis",
           ("dirección", "calidad", "administrador")),
    Pagina("paginas/cadena.py", "Cadena de servicio", ":material/link:", "Análisis",
           ("dirección", "calidad", "administrador")),
    Pagina("paginas/perfiles.py", "Perfiles de clientes", ":material/groups:", "Análisis",
           ("dirección", "calidad", "administrador")),
    Pagina("paginas/comentarios.py", "Comentarios", ":material/chat:", "Análisis",
           ("dirección", "calidad", "administrador")),
    Pagina("paginas/administracion.py", "Usuarios y bitácora", ":material/admin_panel_settings:", "Administración",
           ("administrador",)),
    Pagina("paginas/operacion.py", "Operación", ":material/manage_history:", "Administración", ("administrador",)),
)


def minutos_de_sesion() -> int:
    """Minutos de inactividad tras los que caduca la sesión (``ESLABON_SESION_MINUTOS``, 30 por defecto)."""
    return int(os.environ.get("ESLABON_SESION_MINUTOS", "30"))


def modo() -> str:
    """'claves' (cuentas de Eslabón, por defecto) u 'oidc' (``ESLABON_AUTENTICACION=oidc``, con ``st.login``)."""
    return "oidc" if os.environ.get("ESLABON_AUTENTICACION", "").lower() == "oidc" else "claves"


def entrada_oidc() -> None:
    """Botón de inicio de sesión único; sin cuenta de Eslabón para ese correo, explica qué falta."""
    if not st.user.is_logged_in:
        st.button("Entrar con la cuenta de la organización", type="primary", icon=":material/login:",
                  on_click=st.login)
        return
    st.warning(f"{st.user.get('email', 'Esta persona')} no tiene una cuenta activa en Eslabón. "
               "Pida al administrador que la cree con este correo como usuario.", icon=":material/person_off:")
    st.button("Salir", on_click=st.logout)


def _usuario_oidc() -> Usuario | None:
    """La cuenta de Eslabón del correo que el proveedor de identidad dio por válido."""
    if not st.user.is_logged_in or not st.user.get("email"):
        return None
    usuario = cuenta_por_usuario(comun.almacen().cursor(), str(st.user.get("email")).lower())
    if usuario is not None and "usuario" not in st.session_state:
        iniciar(usuario)
    return usuario


def usuario_actual() -> Usuario | None:
    """El usuario con sesión vigente, o None (y la sesión se cierra si caducó)."""
    if modo() == "oidc":
        return _usuario_oidc()
    usuario = st.session_state.get("usuario")
    if usuario is None:
        return None
    if time.monotonic() - st.session_state.get("ultima_actividad", 0.0) > 60 * minutos_de_sesion():
        cerrar(motivo="sesión caducada")
        st.session_state["aviso_acceso"] = "Su sesión caducó por inactividad. Entre de nuevo."
        return None
    st.session_state["ultima_actividad"] = time.monotonic()
    return usuario


def iniciar(usuario: Usuario) -> None:
    """Abre la sesión de ``usuario`` en este navegador."""
    st.session_state["usuario"] = usuario
    st.session_state["ultima_actividad"] = time.monotonic()


def cerrar(*, motivo: str = "salida") -> None:
    """Cierra la sesión y la anota en la bitácora."""
    usuario = st.session_state.pop("usuario", None)
    if usuario is not None:
        registrar(comun.almacen().cursor(), usuario.usuario, motivo)


def navegacion_de(usuario: Usuario | None) -> dict[str, list]:
    """Las páginas que ``usuario`` puede ver, agrupadas por audiencia, listas para ``st.navigation``.

    Sin usuario se registran todas (la navegación va oculta y no se ejecuta
    ninguna): así la dirección pedida sobrevive a la pantalla de entrada.
    """
    grupos: dict[str, list] = {}
    for pagina in PAGINAS:
        if usuario is None or usuario.rol in pagina.roles:
            grupos.setdefault(pagina.grupo, []).append(
                st.Page(pagina.archivo, title=pagina.titulo, icon=pagina.icono,
                        default=pagina.archivo == "paginas/resumen.py"))
    return grupos


def puede_ver(usuario: Usuario | None, archivo: str) -> bool:
    """True si el rol de ``usuario`` incluye la página ``archivo`` (p. ej. 'paginas/carga.py')."""
    return usuario is not None and any(p.archivo == archivo and usuario.rol in p.roles for p in PAGINAS)


#: Roles que pueden ver los identificadores reales de los clientes (los demás ven seudónimos).
ROLES_CON_CLIENTES = ("calidad", "administrador")


def puede_ver_clientes() -> bool:
    """True si la persona con sesión puede ver identificadores reales de clientes."""
    usuario = st.session_state.get("usuario")
    return usuario is not None and usuario.rol in ROLES_CON_CLIENTES


def enlace(archivo: str, **opciones) -> None:
    """``st.page_link`` a ``archivo`` solo si la persona con sesión puede ver esa página."""
    if puede_ver(st.session_state.get("usuario"), archivo):
        st.page_link(archivo, **opciones)


def menu_usuario(usuario: Usuario) -> None:
    """Nombre, rol y botón para salir, al pie de la barra lateral."""
    with st.sidebar:
        st.divider()
        st.caption(f"{usuario.nombre} · {NOMBRES_ROLES[usuario.rol]}")
        if st.button("Salir", icon=":material/logout:", key="salir"):
            cerrar()
            if modo() == "oidc":
                st.logout()
            st.rerun()
