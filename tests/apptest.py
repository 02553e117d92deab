"""Ayudas para las pruebas de páginas con ``streamlit.testing.v1.AppTest``.

``abrir(pagina, usuario=…)`` abre una sesión de verdad: crea (o ajusta) la cuenta en el almacén de
``ESLABON_DB`` y pone su ficha firmada en la sesión, como haría la pantalla de entrada; cada
ejecución la comprueba en el almacén. ``entrar`` usa el formulario de entrada real. ``abrir_pestana(at,
etiqueta)`` abre una pestaña perezosa (``paginas.pestanas``: solo la abierta se ejecuta) y
``recorrer_pestanas(at)``, una tras otra, las que no están abiertas.
"""

import secrets
from collections.abc import Iterator
from datetime import date
from pathlib import Path

import streamlit as st
from streamlit.testing.v1 import AppTest

from analisis.formato import fecha_corta, leer_fecha
from datos.almacen.conexion import Almacen, ruta_predeterminada
from datos.cuentas.sesiones import abrir_sesion
from datos.cuentas.usuarios import Usuario, actualizar_usuario, cuenta_por_usuario, crear_usuario
from datos.precalculo import CIFRAS, CONSULTAS, RESULTADOS
from paginas.comun import CLAVES_PERIODO
from paginas.pestanas import PREFIJO

#: Segundos que una ejecución de la app puede tardar en AppTest.
TIEMPO = 120
APP = str(Path(__file__).resolve().parent.parent / "app.py")

#: Persona con sesión abierta que usan por defecto las pruebas de páginas.
ADMINISTRADORA = Usuario("admin", "Administradora", "administrador")


def sesion_de(usuario: Usuario) -> str:
    """Deja ``usuario`` como cuenta activa del almacén de ``ESLABON_DB`` y devuelve la ficha de una sesión nueva."""
    almacen = Almacen(ruta_predeterminada())
    try:
        cursor = almacen.cursor()
        if cuenta_por_usuario(cursor, usuario.usuario) is None:
            crear_usuario(cursor, usuario.usuario, secrets.token_urlsafe(16), usuario.rol, nombre=usuario.nombre,
                          sucursales=usuario.sucursales, equipos=usuario.equipos, autor="pruebas")
        elif cuenta_por_usuario(cursor, usuario.usuario) != usuario:
            actualizar_usuario(cursor, usuario.usuario, rol=usuario.rol, activo=True, sucursales=usuario.sucursales,
                               equipos=usuario.equipos, autor="pruebas")
        return abrir_sesion(cursor, usuario.usuario)
    finally:
        almacen.cerrar()


def vaciar_caches() -> None:
    """Vacía las cachés de Streamlit y los almacenes de resultados del proceso (``RESULTADOS``, ``CIFRAS``,
    ``CONSULTAS``).

    Estos no distinguen el motor (en producción no cambia dentro de un proceso): una prueba que lee el mismo
    archivo con DuckDB y con Spark los vacía entre uno y otro para no comparar un motor consigo mismo.
    """
    st.cache_data.clear()
    st.cache_resource.clear()
    RESULTADOS.vaciar()
    CIFRAS.vaciar()
    CONSULTAS.vaciar()


def abrir(pagina: str | None = None, *, usuario: Usuario | None = ADMINISTRADORA, tiempo: float = TIEMPO) -> AppTest:
    """Ejecuta la app con una sesión de ``usuario`` abierta y, si se indica, cambia a ``pagina``.

    ``usuario=None`` abre la app sin sesión (la pantalla de entrada); ``tiempo``: segundos por ejecución.
    """
    at = AppTest.from_file(APP, default_timeout=tiempo)
    if usuario is not None:
        at.session_state["ficha"] = sesion_de(usuario)
    at.run()
    if pagina:
        at.switch_page(pagina).run()
    return at


def entrar(usuario: str, clave: str, pagina: str | None = None) -> AppTest:
    """Entra por el formulario de la pantalla de entrada y, si se indica, cambia a ``pagina``."""
    at = AppTest.from_file(APP, default_timeout=TIEMPO).run()
    at.text_input[0].input(usuario)
    at.text_input[1].input(clave)
    next(b for b in at.button if b.label == "Entrar").click().run()
    if pagina:
        at.switch_page(pagina).run()
    return at


def sin_errores(at: AppTest) -> None:
    """Falla si la ejecución dejó excepciones o mensajes de error en pantalla."""
    assert not at.exception, [e.value for e in at.exception]
    assert not at.error, [e.value for e in at.error]


def periodo(at: AppTest) -> tuple[date, date]:
    """El periodo que muestran las cajas «Desde» y «Hasta» de la barra lateral."""
    return tuple(leer_fecha(at.sidebar.text_input(key=clave).value) for clave in CLAVES_PERIODO)


def elegir_periodo(at: AppTest, desde: date | str, hasta: date | str) -> AppTest:
    """Escribe ``desde`` y ``hasta`` (fechas o textos) en las cajas del periodo, como al pulsar Enter, y ejecuta."""
    for clave, valor in zip(CLAVES_PERIODO, (desde, hasta)):
        at.sidebar.text_input(key=clave).input(valor if isinstance(valor, str) else fecha_corta(valor))
    return at.run()


def clave_de_pestanas(at: AppTest) -> str | None:
    """La clave de sesión de las pestañas perezosas de la página (``paginas.pestanas``), o None si no tiene."""
    claves = [clave for clave in at.session_state.keys() if clave.startswith(PREFIJO)]
    assert len(claves) <= 1, f"más de un juego de pestañas perezosas: {claves}"
    return claves[0] if claves else None


def abrir_pestana(at: AppTest, etiqueta: str) -> AppTest:
    """Abre la pestaña perezosa ``etiqueta`` de la página, como al pulsarla, y ejecuta."""
    clave = clave_de_pestanas(at)
    assert clave is not None, "la página no tiene pestañas perezosas"
    at.session_state[clave] = etiqueta
    at.run()
    assert at.session_state[clave] == etiqueta, f"no existe la pestaña «{etiqueta}»"
    return at


def recorrer_pestanas(at: AppTest) -> Iterator[str]:
    """Abre una por una (``abrir_pestana``) las pestañas perezosas de la página que no están abiertas y produce la
    etiqueta de cada una, con ``at`` ya ejecutado en ella; nada si la página no tiene pestañas perezosas."""
    clave = clave_de_pestanas(at)
    if clave is None:
        return
    abierta = at.session_state[clave]
    for etiqueta in [t.label for t in at.tabs if t.label != abierta]:
        abrir_pestana(at, etiqueta)
        yield etiqueta
