"""Cuentas: hash de claves, entrada, bloqueo por intentos, alcance, el último administrador y bitácora."""

from datetime import datetime, timedelta

import pytest

from datos.cuentas.intentos import INTENTOS_MAXIMOS, MINUTOS_BLOQUEO, autenticar, olvidar_intentos
from datos.cuentas.usuarios import (AccesoDenegado, CuentaNoValida, actualizar_usuario, cambiar_clave,
                                    crear_administrador_desde_entorno, crear_usuario, hay_usuarios)
from analisis.errores import ErrorEslabon

CLAVE = "una-clave-larga-1"


@pytest.fixture(autouse=True)
def _sin_intentos_previos():
    """Los contadores en memoria (usuarios inexistentes, direcciones) empiezan vacíos en cada prueba."""
    olvidar_intentos()


def _bitacora(con):
    return con.execute("SELECT usuario, accion FROM bitacora ORDER BY momento, rowid").fetchall()


def test_la_clave_no_se_guarda_en_claro(con_memoria):
    crear_usuario(con_memoria, "ana", CLAVE, "calidad")
    guardado = con_memoria.execute("SELECT clave_hash FROM usuarios").fetchall()[0][0]
    assert CLAVE not in guardado and guardado.startswith("$argon2id$")


def test_entrada_correcta_devuelve_el_usuario_con_su_alcance(con_memoria):
    crear_usuario(con_memoria, "Ana", CLAVE, "dirección", nombre="Ana Ruiz", sucursales=("Sucursal Norte",))
    usuario = autenticar(con_memoria, " ANA ", CLAVE)
    assert (usuario.usuario, usuario.nombre, usuario.rol) == ("ana", "Ana Ruiz", "dirección")
    assert usuario.sucursales == ("Sucursal Norte",) and usuario.equipos == ()
    assert ("ana", "entrada") in _bitacora(con_memoria)


@pytest.mark.parametrize("usuario, clave", [("ana", "otra-clave-larga"), ("nadie", CLAVE), ("ana", "")])
def test_entrada_incorrecta_no_revela_si_el_usuario_existe(con_memoria, usuario, clave):
    crear_usuario(con_memoria, "ana", CLAVE, "calidad")
    with pytest.raises(AccesoDenegado, match="Usuario o clave incorrectos"):
        autenticar(con_memoria, usuario, clave)


def test_bloqueo_tras_intentos_fallidos_y_desbloqueo_con_el_tiempo(con_memoria):
    crear_usuario(con_memoria, "ana", CLAVE, "calidad")
    ahora = datetime(2026, 5, 1, 10, 0)
    for _ in range(INTENTOS_MAXIMOS):
        with pytest.raises(AccesoDenegado):
            autenticar(con_memoria, "ana", "mala-clave-larga", ahora=ahora)
    with pytest.raises(AccesoDenegado, match="Demasiados intentos"):
        autenticar(con_memoria, "ana", CLAVE, ahora=ahora + timedelta(minutes=1))
    despues = ahora + timedelta(minutes=MINUTOS_BLOQUEO + 1)
    assert autenticar(con_memoria, "ana", CLAVE, ahora=despues).usuario == "ana"


def test_un_acierto_reinicia_el_contador(con_memoria):
    crear_usuario(con_memoria, "ana", CLAVE, "calidad")
    for _ in range(INTENTOS_MAXIMOS - 1):
        with pytest.raises(AccesoDenegado):
            autenticar(con_memoria, "ana", "mala-clave-larga")
    autenticar(con_memoria, "ana", CLAVE)
    with pytest.raises(AccesoDenegado, match="incorrectos"):
        autenticar(con_memoria, "ana", "mala-clave-larga")


def test_cuenta_inactiva_no_entra(con_memoria):
    crear_usuario(con_memoria, "ana", CLAVE, "calidad")
    actualizar_usuario(con_memoria, "ana", rol="calidad", activo=False, autor="admin")
    with pytest.raises(AccesoDenegado):
        autenticar(con_memoria, "ana", CLAVE)


def test_cambiar_clave_y_rol(con_memoria):
    crear_usuario(con_memoria, "ana", CLAVE, "calidad")
    cambiar_clave(con_memoria, "ana", "nueva-clave-larga", autor="admin")
    actualizar_usuario(con_memoria, "ana", rol="capacitación", activo=True, equipos=("Equipo Andes",), autor="admin")
    usuario = autenticar(con_memoria, "ana", "nueva-clave-larga")
    assert usuario.rol == "capacitación" and usuario.equipos == ("Equipo Andes",)
    assert ("admin", "cambiar clave") in _bitacora(con_memoria)


@pytest.mark.parametrize("argumentos, mensaje", [
    (("a", CLAVE, "calidad"), "usuario"), (("ana", CLAVE, "jefe"), "rol"), (("ana", "corta", "calidad"), "clave"),
    (("ana'; DROP TABLE usuarios; --", CLAVE, "calidad"), "usuario"),
])
def test_validaciones(con_memoria, argumentos, mensaje):
    with pytest.raises(ValueError, match=mensaje):
        crear_usuario(con_memoria, *argumentos)


def test_usuario_repetido(con_memoria):
    crear_usuario(con_memoria, "ana", CLAVE, "calidad")
    with pytest.raises(ErrorEslabon, match="Ya existe"):
        crear_usuario(con_memoria, "ANA", CLAVE, "calidad")


def test_primer_administrador_desde_el_entorno(con_memoria, monkeypatch):
    monkeypatch.delenv("ESLABON_ADMIN_USUARIO", raising=False)
    assert crear_administrador_desde_entorno(con_memoria) is None
    monkeypatch.setenv("ESLABON_ADMIN_USUARIO", "jefa")
    monkeypatch.setenv("ESLABON_ADMIN_CLAVE", CLAVE)
    assert crear_administrador_desde_entorno(con_memoria).rol == "administrador"
    assert hay_usuarios(con_memoria)
    assert crear_administrador_desde_entorno(con_memoria) is None


def test_no_se_desactiva_ni_se_degrada_al_ultimo_administrador(con_memoria):
    crear_usuario(con_memoria, "jefa", CLAVE, "administrador")
    for rol, activo in (("calidad", True), ("administrador", False)):
        with pytest.raises(CuentaNoValida, match="último administrador activo"):
            actualizar_usuario(con_memoria, "jefa", rol=rol, activo=activo, autor="jefa")
    assert con_memoria.execute("SELECT rol, activo FROM usuarios").fetchall() == [("administrador", True)]
    crear_usuario(con_memoria, "otro", CLAVE, "administrador")
    actualizar_usuario(con_memoria, "jefa", rol="calidad", activo=True, autor="otro")
    with pytest.raises(CuentaNoValida, match="último administrador activo"):
        actualizar_usuario(con_memoria, "otro", rol="administrador", activo=False, autor="otro")
    detalle = con_memoria.execute("SELECT detalle FROM bitacora WHERE accion = 'actualizar usuario'").fetchall()
    assert detalle == [("jefa: rol=administrador, activo=True, sucursales=[], equipos=[] → rol=calidad, activo=True, "
                        "sucursales=[], equipos=[]",)]
