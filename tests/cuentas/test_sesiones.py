"""Sesiones: ficha firmada, caducidad, cierre y la cuenta releída del almacén en cada comprobación."""

from datetime import datetime, timedelta

import pytest

from datos.cuentas.sesiones import (HORAS_MAXIMAS, SesionNoValida, abrir_sesion, cerrar_sesion, secreto,
                                    sesion_vigente)
from datos.cuentas.usuarios import actualizar_usuario, crear_usuario

AHORA = datetime(2026, 5, 1, 10, 0)


@pytest.fixture
def con(con_memoria, monkeypatch):
    """Un almacén con la cuenta «ana» (calidad), sesiones de 30 minutos y el secreto generado en el almacén."""
    monkeypatch.setenv("ESLABON_SESION_MINUTOS", "30")
    monkeypatch.delenv("ESLABON_SECRETO", raising=False)
    crear_usuario(con_memoria, "jefa", "una-clave-larga-1", "administrador")
    crear_usuario(con_memoria, "ana", "una-clave-larga-1", "calidad")
    return con_memoria


def test_la_ficha_no_contiene_la_clave_y_el_almacen_no_guarda_la_ficha(con):
    ficha = abrir_sesion(con, "ana", ahora=AHORA)
    assert "una-clave-larga-1" not in ficha and "ana" not in ficha
    guardado = con.execute("SELECT huella FROM sesiones").fetchall()[0][0]
    assert ficha.split(".")[0] not in guardado and len(ficha.split(".")[0]) >= 43
    assert sesion_vigente(con, ficha, ahora=AHORA + timedelta(minutes=5)).usuario == "ana"


@pytest.mark.parametrize("cambio", [lambda f: f[:-1] + ("0" if f[-1] != "0" else "1"), lambda f: "x" + f,
                                    lambda f: f.split(".")[0], lambda f: ""])
def test_una_ficha_alterada_no_sirve(con, cambio):
    ficha = abrir_sesion(con, "ana", ahora=AHORA)
    with pytest.raises(SesionNoValida):
        sesion_vigente(con, cambio(ficha), ahora=AHORA)


def test_caduca_por_inactividad_y_por_duracion_maxima(con):
    ficha = abrir_sesion(con, "ana", ahora=AHORA)
    with pytest.raises(SesionNoValida, match="caducó"):
        sesion_vigente(con, ficha, ahora=AHORA + timedelta(minutes=31))
    activa = abrir_sesion(con, "ana", ahora=AHORA)
    momento = AHORA
    while momento < AHORA + timedelta(hours=HORAS_MAXIMAS - 1):
        momento += timedelta(minutes=20)
        sesion_vigente(con, activa, ahora=momento)
    with pytest.raises(SesionNoValida, match="caducó"):
        sesion_vigente(con, activa, ahora=AHORA + timedelta(hours=HORAS_MAXIMAS, minutes=1))


def test_salir_cierra_la_ficha_en_todo_navegador(con):
    ficha = abrir_sesion(con, "ana", ahora=AHORA)
    cerrar_sesion(con, ficha)
    with pytest.raises(SesionNoValida) as rechazo:
        sesion_vigente(con, ficha, ahora=AHORA)
    assert rechazo.value.mensaje == ""
    assert ("ana", "salida") in con.execute("SELECT usuario, accion FROM bitacora").fetchall()


def test_la_cuenta_se_relee_en_cada_comprobacion(con):
    ficha = abrir_sesion(con, "ana", ahora=AHORA)
    actualizar_usuario(con, "ana", rol="dirección", activo=True, equipos=("Equipo Andes",), autor="jefa")
    cuenta = sesion_vigente(con, ficha, ahora=AHORA)
    assert (cuenta.rol, cuenta.equipos) == ("dirección", ("Equipo Andes",))
    actualizar_usuario(con, "ana", rol="dirección", activo=False, autor="jefa")
    with pytest.raises(SesionNoValida, match="ya no está activa"):
        sesion_vigente(con, ficha, ahora=AHORA)


def test_el_secreto_del_entorno_firma_y_cambiarlo_cierra_las_sesiones(con, monkeypatch):
    generado = secreto(con)
    assert len(generado) == 64 and secreto(con) == generado
    ficha = abrir_sesion(con, "ana", ahora=AHORA)
    monkeypatch.setenv("ESLABON_SECRETO", "s" * 40)
    with pytest.raises(SesionNoValida):
        sesion_vigente(con, ficha, ahora=AHORA)
    monkeypatch.setenv("ESLABON_SECRETO", "corto")
    with pytest.raises(Exception, match="al menos 32"):
        abrir_sesion(con, "ana")
