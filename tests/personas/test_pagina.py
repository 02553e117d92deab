"""La página «Datos personales»: un administrador busca, exporta y suprime; otros roles no la alcanzan."""

import pytest
from playwright.sync_api import expect

from datos.almacen.conexion import Almacen
from datos.cuentas.usuarios import Usuario, crear_usuario
from tests.apptest import abrir, sin_errores
from tests.navegador import CLAVE, _servir, captura, entrar
from tests.personas.conftest import marcar

PAGINA = "paginas/datos_personales.py"


@pytest.fixture
def marcada(base_demo):
    almacen = Almacen(str(base_demo))
    persona = marcar(almacen)
    almacen.cerrar()
    return persona


def test_el_administrador_busca_y_suprime_desde_la_pagina(marcada):
    at = abrir(PAGINA)
    sin_errores(at)
    assert at.title[0].value == "Datos personales"
    at.text_input[0].input(marcada.correo)
    at.button[0].click().run()
    sin_errores(at)
    assert any(marcada.cliente_id in t.value for t in at.text)
    assert [b.label for b in at.get("download_button")] == ["Excel", "JSON"]
    confirmar = at.checkbox(key="dp_confirmar")
    boton = next(b for b in at.button if b.label == "Suprimir")
    assert boton.disabled
    confirmar.check().run()
    next(b for b in at.button if b.label == "Suprimir").click().run()
    sin_errores(at)
    assert any("datos suprimidos (anonimizar)" in s.value for s in at.success)
    assert not any(b.label == "Suprimir" for b in at.button), "la confirmación no queda armada"
    at.text_input[0].input(marcada.cliente_id)
    at.button[0].click().run()
    assert any("No hay datos" in w.value for w in at.warning)


@pytest.mark.parametrize("rol", ["capacitación", "dirección", "calidad"])
def test_otros_roles_no_tienen_la_pagina(base_demo, rol):
    at = abrir(usuario=Usuario("otra", "Otra persona", rol))
    with pytest.raises(ValueError, match="Could not find a navigation page"):
        at.switch_page(PAGINA)


@pytest.fixture
def servidor_con_roles(base_demo):
    """La app servida de verdad con una cuenta por rol (misma clave) y una persona marcada."""
    almacen = Almacen(str(base_demo))
    for usuario, rol in (("admin", "administrador"), ("capacitadora", "capacitación"), ("directora", "dirección")):
        crear_usuario(almacen.cursor(), usuario, CLAVE, rol)
    marcar(almacen)
    almacen.cerrar()
    yield from _servir(base_demo)


@pytest.mark.navegador
def test_en_el_navegador_solo_el_administrador_llega(servidor_con_roles, pagina):
    for usuario in ("capacitadora", "directora"):
        entrar(pagina, f"{servidor_con_roles}/datos_personales", usuario=usuario)
        expect(pagina.get_by_role("heading", name="Resumen ejecutivo")).to_be_visible(timeout=30_000)
        expect(pagina.get_by_role("heading", name="Datos personales")).to_have_count(0)
        expect(pagina.get_by_test_id("stSidebarNav").get_by_text("Datos personales")).to_have_count(0)
        captura(pagina, f"datos_personales_{usuario}")
        pagina.get_by_role("button", name="Salir").click()
        expect(pagina.get_by_role("button", name="Entrar")).to_be_visible(timeout=30_000)
    entrar(pagina, f"{servidor_con_roles}/datos_personales")
    expect(pagina.get_by_role("heading", name="Datos personales")).to_be_visible(timeout=30_000)
    pagina.get_by_role("textbox", name="Identificador de cliente, correo o teléfono").fill("+34 600 111 222")
    pagina.get_by_role("button", name="Buscar").click()
    expect(pagina.get_by_text("Dónde hay datos de esta persona")).to_be_visible(timeout=30_000)
    expect(pagina.get_by_text("Traceback")).to_have_count(0)
    pagina.wait_for_timeout(1000)
    captura(pagina, "datos_personales_administrador")
