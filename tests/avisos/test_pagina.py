"""La página «Envíos y alertas»: solo administración, fallos a la vista, suscripciones e historia, enviar ahora."""

import os
from datetime import datetime

import pytest

from datos.almacen.conexion import Almacen
from datos.avisos import enviar_pendientes, guardar_envios, validar_envios
from datos.cuentas.usuarios import ROLES, Usuario
from paginas import sesion
from tests.apptest import abrir, sin_errores
from tests.avisos import correo_local, puerto_libre  # noqa: F401 - fixture

PAGINA = "paginas/envios.py"


@pytest.mark.parametrize("rol", ROLES)
def test_solo_la_administracion_ve_la_pagina(rol):
    assert sesion.puede_ver(Usuario("x", "X", rol), PAGINA) == (rol == "administrador")


def test_muestra_los_fallos_y_envia_ahora(base_demo, correo_local, monkeypatch):
    almacen = Almacen(str(base_demo))
    guardar_envios(almacen.cursor(), validar_envios([
        {"para": "direccion@empresa.com", "frecuencia": "semanal", "informe": "resumen"}]))
    bueno = os.environ["ESLABON_SMTP"]
    monkeypatch.setenv("ESLABON_SMTP", f"127.0.0.1:{puerto_libre()}")
    enviar_pendientes(almacen.cursor(), datetime(2026, 10, 26, 8), todos=True, dormir=lambda s: None)
    almacen.cerrar()
    monkeypatch.setenv("ESLABON_SMTP", bueno)
    at = abrir(PAGINA)
    assert at.title[0].value == "Envíos y alertas"
    assert [e.value for e in at.error] == [
        "1 entrega no llegó tras todos sus intentos. Se reintentan en la próxima ronda; revise el error de cada una."]
    assert not at.exception
    assert at.tabs[0].label == "Suscripciones" and at.tabs[1].label == "Historia de entregas"
    next(b for b in at.button if b.label == "Enviar todo ahora").click().run()
    sin_errores_salvo_fallos = [e.value for e in at.error if "no llegó" not in e.value]
    assert sin_errores_salvo_fallos == [] and not at.exception
    assert [s.value for s in at.success] == ["1 entrega enviada, 0 fallidas."]
    assert len(correo_local.para("direccion@empresa.com")) == 1
    at.run()
    sin_errores(at)


def test_sin_suscripciones_ni_correo_lo_dice_sin_errores(base_vacia, monkeypatch):
    monkeypatch.delenv("ESLABON_SMTP", raising=False)
    at = abrir(PAGINA)
    sin_errores(at)
    assert any("El correo no está configurado" in w.value for w in at.warning)
    assert [i.value for i in at.info] == ["Todavía no salió ningún envío."]
