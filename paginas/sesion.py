"""Sesión de usuario: quién entró, qué páginas ve y cuándo caduca.

Las páginas que un rol no puede usar no se registran en la navegación, así
que tampoco se abren escribiendo su dirección: Streamlit solo sirve las
páginas de ``st.navigation``.

La sesión es una fila del almacén (``datos.cuentas.sesiones``); el navegador guarda solo su ficha
firmada, en ``st.session_state`` y en la cookie ``eslabon_sesion`` (de sesión del navegador,
``SameSite=Strict``, ``Secure`` con HTTPS), así que recargar la página (F5) no cierra la sesión. En
**cada ejecución** ``usuario_actual`` comprueba la ficha en el almacén y relee la cuenta: una cuenta
desactivada sale, un rol o un alcance nuevos valen ya, y la sesión caduca tras
``ESLABON_SESION_MINUTOS`` minutos sin actividad (30 por defecto), también con inicio de sesión
único (OIDC).
"""

import functools
import os
from collections.abc import Callable
from dataclasses import dataclass

import pandas as pd
import streamlit as st
from streamlit.runtime.scriptrunner import get_script_run_ctx

from analisis.formato import sin_markdown
from analisis.privacidad import seudonimizar
from datos.cuentas.sesiones import SesionNoValida, abrir_sesion, cerrar_sesion, sesion_vigente
from datos.cuentas.usuarios import NOMBRES_ROLES, Usuario, cuenta_por_usuario, registrar
from paginas import comun

__all__ = ["Pagina", "PAGINAS", "COOKIE", "usuario_actual", "iniciar", "cerrar", "navegacion_de", "menu_usuario",
           "modo", "entrada_oidc", "aviso_de_pagina", "recordar_pedida", "puede_ver", "puede_cargar", "enlace", "puede_ver_clientes", "direccion_cliente", "protectora",
           "borrar_cookie_pendiente"]

#: Nombre de la cookie que guarda la ficha de la sesión en el navegador.
COOKIE = "eslabon_sesion"
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
    Pagina("paginas/organizacion.py", "Configuración de la organización", ":material/tune:", "Administración",
           ("administrador",)),
    Pagina("paginas/datos_personales.py", "Datos personales", ":material/shield_person:", "Administración",
           ("administrador",)),
    Pagina("paginas/envios.py", "Envíos y alertas", ":material/outgoing_mail:", "Administración", ("administrador",)),
    Pagina("paginas/operacion.py", "Operación", ":material/manage_history:", "Administración", ("administrador",)),
)


def modo() -> str:
    """'claves' (cuentas de Eslabón, por defecto) u 'oidc' (``ESLABON_AUTENTICACION=oidc``, con ``st.login``)."""
    return "oidc" if os.environ.get("ESLABON_AUTENTICACION", "").lower() == "oidc" else "claves"


def entrada_oidc() -> None:
    """Botón de inicio de sesión único; sin cuenta de Eslabón para ese correo, explica qué falta."""
    if not st.user.is_logged_in:
        st.button("Entrar con la cuenta de la organización", type="primary", icon=":material/login:",
                  on_click=st.login)
        return
    comun.aviso_error(f"{st.user.get('email', 'Esta persona')} no tiene una cuenta activa en Eslabón. "
                      "Pida al administrador que la cree con este correo como usuario.", como=st.warning,
                      icono=":material/person_off:")
    st.button("Salir", on_click=st.logout)


def direccion_cliente() -> str | None:
    """La dirección IP del cliente (None si se conecta desde la misma máquina).

    Detrás de un proxy inverso (``ESLABON_DETRAS_DE_PROXY=1``) es la última dirección de
    ``X-Forwarded-For``, la que anotó el proxy; sin esa variable la cabecera se ignora, porque
    cualquiera puede escribirla.
    """
    if os.environ.get("ESLABON_DETRAS_DE_PROXY") == "1":
        reenviada = st.context.headers.get("X-Forwarded-For", "")
        if reenviada.strip():
            return reenviada.split(",")[-1].strip()
    return st.context.ip_address


def _poner_cookie(ficha: str | None) -> None:
    """Guarda ``ficha`` en la cookie de sesión del navegador (o la borra con None)."""
    atributos = "Path=/; SameSite=Strict" + ("" if ficha else "; Max-Age=0")
    st.html(f"<script>document.cookie = '{COOKIE}={ficha or ''}; {atributos}' + "
            "(location.protocol === 'https:' ? '; Secure' : '');</script>", unsafe_allow_javascript=True)


def _abrir_oidc() -> None:
    """Con inicio de sesión único y sin ficha, abre una sesión para la cuenta activa de ese correo."""
    if not st.user.is_logged_in or not st.user.get("email"):
        return
    cursor = comun.almacen().cursor()
    cuenta = cuenta_por_usuario(cursor, str(st.user.get("email")).lower())
    if cuenta is not None:
        registrar(cursor, cuenta.usuario, "entrada", "inicio de sesión único")
        st.session_state["ficha"] = abrir_sesion(cursor, cuenta.usuario)


def _olvidar(motivo: str) -> None:
    """Quita la sesión de este navegador; con ``motivo`` lo explica en la pantalla de entrada."""
    for clave in ("usuario", "ficha"):
        st.session_state.pop(clave, None)
    st.session_state["borrar_cookie"] = True
    if motivo:
        st.session_state["aviso_acceso"] = motivo
        if modo() == "oidc" and st.user.is_logged_in:
            st.logout()


def usuario_actual() -> Usuario | None:
    """La cuenta con sesión vigente, releída del almacén en esta ejecución, o None.

    Deja la cuenta en ``st.session_state["usuario"]`` (la leen el alcance y la caché de las
    consultas). Una sesión caducada, cerrada o de una cuenta inactiva se olvida.
    """
    guardada = st.context.cookies.get(COOKIE)
    ficha = st.session_state.get("ficha") or (guardada if isinstance(guardada, str) else None)
    if not ficha and modo() == "oidc":
        _abrir_oidc()
        ficha = st.session_state.get("ficha")
    if not ficha:
        st.session_state.pop("usuario", None)
        return None
    try:
        usuario = sesion_vigente(comun.almacen().cursor(), ficha)
        if modo() == "oidc" and usuario.usuario != str(st.user.get("email", "")).lower():
            raise SesionNoValida("")
    except SesionNoValida as rechazo:
        _olvidar(rechazo.mensaje)
        return None
    st.session_state["ficha"], st.session_state["usuario"] = ficha, usuario
    return usuario


def iniciar(usuario: Usuario) -> None:
    """Abre la sesión de ``usuario`` en este navegador (la ficha va a la cookie en la próxima ejecución)."""
    st.session_state["ficha"] = abrir_sesion(comun.almacen().cursor(), usuario.usuario)
    st.session_state["usuario"] = usuario


def cerrar(*, motivo: str = "salida") -> None:
    """Cierra la sesión en el almacén (su ficha deja de servir) y la olvida en este navegador."""
    cerrar_sesion(comun.almacen().cursor(), st.session_state.get("ficha"), motivo=motivo)
    _olvidar("")


def borrar_cookie_pendiente() -> None:
    """Borra la cookie de una sesión que ya terminó (se llama desde la pantalla de entrada)."""
    if st.session_state.pop("borrar_cookie", False):
        _poner_cookie(None)


def _direccion(pagina: Pagina) -> str:
    """La dirección de ``pagina`` en el navegador (``paginas/carga.py`` → ``carga``)."""
    return pagina.archivo.rsplit("/", 1)[-1].removesuffix(".py")


def _direccion_pedida() -> str:
    """La dirección de página que escribió la persona (``/carga`` → ``carga``; vacía en la raíz o al navegar).

    Streamlit solo la recibe al abrir una dirección; al pulsar el menú llega la página elegida. La ruta de
    la página oculta ``_RUTA_NO_DISPONIBLE`` (a la que se encamina una dirección sin página) cuenta como vacía.
    """
    contexto = get_script_run_ctx()
    direccion = (contexto.pages_manager.intended_page_name or "").strip("/") if contexto else ""
    return "" if direccion == _RUTA_NO_DISPONIBLE else direccion


#: Claves de ``st.session_state``: el aviso de una dirección que no se pudo abrir y la dirección
#: pedida antes de entrar (se comprueba con el rol de la cuenta al entrar).
_AVISO_PAGINA, _PEDIDA_SIN_SESION = "aviso_pagina", "pagina_pedida_sin_sesion"
#: Página de inicio (su dirección en el navegador es la raíz, no «/resumen») y ruta de la página oculta que
#: explica una dirección escrita sin página: la única ruta fija, porque Streamlit no admite «/» en una ruta.
_INICIO, _RUTA_NO_DISPONIBLE = "paginas/resumen.py", "pagina-no-disponible"


def _no_disponible(direccion: str, usuario: Usuario | None) -> str | None:
    """Por qué la dirección ``direccion`` no abre ninguna página para ``usuario`` (texto para mostrar);
    None si es la dirección de la página de inicio escrita a mano («/resumen»): se abre sin aviso."""
    pagina = next((p for p in PAGINAS if _direccion(p) == direccion), None)
    if pagina is None:
        return (f"La dirección «/{sin_markdown(direccion)}» no corresponde a ninguna página de Eslabón; "
                "se muestra el Resumen ejecutivo.")
    if pagina.archivo == _INICIO:
        return None
    rol = NOMBRES_ROLES[usuario.rol] if usuario is not None else ""
    return (f"La página «{pagina.titulo}» no está disponible para su rol ({rol}); "
            "se muestra el Resumen ejecutivo.")


def _pagina_no_disponible(direccion: str, usuario: Usuario | None) -> "st.Page":
    """Página oculta en ``direccion`` que anota por qué no se abre y lleva al Resumen; «/resumen» (reservada por
    la página de inicio, no puede ser la ruta de otra) se encamina a la ruta fija ``_RUTA_NO_DISPONIBLE``.

    Sin ella Streamlit abriría el Resumen con su aviso en inglés («Page not found»).
    """
    def llevar_al_resumen() -> None:
        aviso = _no_disponible(direccion, st.session_state.get("usuario", usuario))
        if aviso:
            st.session_state[_AVISO_PAGINA] = aviso
        st.switch_page(_INICIO)

    contexto, ruta = get_script_run_ctx(), direccion
    if contexto is not None and direccion == _INICIO.rsplit("/", 1)[-1].removesuffix(".py"):
        ruta, gestor = _RUTA_NO_DISPONIBLE, contexto.pages_manager
        gestor.set_script_intent(gestor.intended_page_script_hash, ruta)
    return st.Page(llevar_al_resumen, title="Página no disponible", url_path=ruta, visibility="hidden")


def navegacion_de(usuario: Usuario | None) -> dict[str, list]:
    """Las páginas que ``usuario`` puede ver, agrupadas por audiencia, listas para ``st.navigation``.

    Sin usuario se registran todas (la navegación va oculta y no se ejecuta
    ninguna): así la dirección pedida sobrevive a la pantalla de entrada. Una
    dirección escrita que no abre ninguna página del rol (no existe, su rol no la
    ve o es «/resumen», cuya página vive en la raíz pero reserva esa dirección)
    abre una página oculta que dice por qué y lleva al Resumen (``aviso_de_pagina``).
    Una dirección de varias partes (``/a/b``) no llega aquí: Streamlit no sirve la
    aplicación en una subcarpeta.
    """
    grupos: dict[str, list] = {}
    for pagina in PAGINAS:
        if usuario is None or usuario.rol in pagina.roles:
            grupos.setdefault(pagina.grupo, []).append(
                st.Page(pagina.archivo, title=pagina.titulo, icon=pagina.icono, default=pagina.archivo == _INICIO))
    guardada = st.session_state.pop(_PEDIDA_SIN_SESION, "") if usuario else st.session_state.get(_PEDIDA_SIN_SESION, "")
    pedida = _direccion_pedida() or guardada
    abiertas = {_direccion(p) for p in PAGINAS
                if (usuario is None or usuario.rol in p.roles) and p.archivo != _INICIO}
    if pedida and pedida not in abiertas:
        next(iter(grupos.values())).append(_pagina_no_disponible(pedida, usuario))
        if usuario is None:
            st.session_state[_PEDIDA_SIN_SESION] = pedida
    return grupos


def recordar_pedida(pagina: "st.Page") -> None:
    """Sin sesión: recuerda la dirección de ``pagina`` (la pedida) para comprobarla con el rol al entrar
    (la de una dirección sin página ya quedó guardada en ``navegacion_de``)."""
    if pagina.url_path != _RUTA_NO_DISPONIBLE:
        st.session_state[_PEDIDA_SIN_SESION] = pagina.url_path


def aviso_de_pagina() -> None:
    """Muestra (una vez) por qué no se abrió la dirección que escribió la persona."""
    if aviso := st.session_state.pop(_AVISO_PAGINA, None):
        st.warning(aviso, icon=":material/block:")


def puede_ver(usuario: Usuario | None, archivo: str) -> bool:
    """True si el rol de ``usuario`` incluye la página ``archivo`` (p. ej. 'paginas/carga.py')."""
    return usuario is not None and any(p.archivo == archivo and usuario.rol in p.roles for p in PAGINAS)


#: Roles que pueden ver los identificadores reales de clientes y personas (los demás ven seudónimos).
ROLES_CON_CLIENTES = ("calidad", "administrador")


def puede_ver_clientes() -> bool:
    """True si la persona con sesión puede ver identificadores reales de clientes."""
    usuario = st.session_state.get("usuario")
    return usuario is not None and usuario.rol in ROLES_CON_CLIENTES


def puede_cargar(usuario: Usuario | None) -> bool:
    """True si ``usuario`` puede escribir datos (cargar archivos o la demostración): los roles de «Cargar datos»."""
    return puede_ver(usuario, "paginas/carga.py")


def protectora() -> Callable[[pd.DataFrame], pd.DataFrame]:
    """Lo que pone seudónimos de clientes y personas en una tabla si el rol de la sesión no puede ver identidades
    (la única regla de seudónimos por rol: ``analisis.privacidad.seudonimizar``), con el rol de esta ejecución ya
    leído: sirve también para una tabla que se prepara al pulsar una descarga, fuera de la ejecución de la página
    (sin ``st.session_state``)."""
    return functools.partial(seudonimizar, ver_identidades=puede_ver_clientes())


def enlace(archivo: str, **opciones) -> None:
    """``st.page_link`` a ``archivo`` solo si la persona con sesión puede ver esa página."""
    if puede_ver(st.session_state.get("usuario"), archivo):
        st.page_link(archivo, **opciones)


def menu_usuario(usuario: Usuario) -> None:
    """Nombre, rol y botón para salir, al pie de la barra lateral."""
    with st.sidebar:
        st.divider()
        # Se escribe en cada ejecución hasta que el navegador la traiga: una ejecución que cambia de página
        # (st.switch_page, st.rerun) descarta el guion antes de que el navegador lo corra.
        if st.context.cookies.get(COOKIE) != st.session_state["ficha"]:
            _poner_cookie(st.session_state["ficha"])
        st.caption(f"{sin_markdown(usuario.nombre)} · {NOMBRES_ROLES[usuario.rol]}")
        if st.button("Salir", icon=":material/logout:", key="salir"):
            cerrar()
            if modo() == "oidc":
                st.logout()
            st.rerun()
