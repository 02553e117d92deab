"""Pruebas en un Chromium real sin pantalla contra `streamlit run app.py`.

Se eligen con ``-m navegador`` y corren por defecto. Si la variable
``ESLABON_CAPTURAS`` nombra una carpeta, guardan allí capturas PNG de cada página.
Los servidores y el navegador vienen de ``tests/navegador.py``.
"""

import pytest
from playwright.sync_api import expect

from tests.navegador import CLAVE, captura, entrar

pytestmark = pytest.mark.navegador


def test_demo_y_tarjetas_de_kpi(servidor_vacio, pagina):
    entrar(pagina, servidor_vacio)
    expect(pagina.get_by_role("heading", name="Resumen ejecutivo")).to_be_visible(timeout=30_000)
    boton = pagina.get_by_role("button", name="Cargar datos de demostración")
    expect(boton).to_be_visible(timeout=30_000)
    captura(pagina, "resumen_vacio")
    boton.click()
    tarjetas = pagina.get_by_test_id("stMetric")
    expect(tarjetas).to_have_count(8, timeout=90_000)
    expect(pagina.get_by_text("datos de demostración", exact=False).first).to_be_visible()
    for titulo in ("NPS", "CSAT top-2-box", "Cumplimiento de la promesa", "Respuesta: p90"):
        expect(pagina.get_by_test_id("stMetricLabel").filter(has_text=titulo).first).to_be_visible()
    valores = pagina.get_by_test_id("stMetricValue").all_inner_texts()
    assert all(v.strip() and v.strip() != "—" for v in valores), valores
    assert any("," in v for v in valores), "los decimales deben llevar coma"
    expect(pagina.get_by_text("Traceback")).to_have_count(0)
    pagina.wait_for_timeout(1500)
    captura(pagina, "resumen_ejecutivo")


def test_entrar_rechazo_de_pagina_ajena_y_salir(servidor_demo, pagina):
    entrar(pagina, f"{servidor_demo}/cadena", usuario="capacitadora")
    expect(pagina.get_by_role("heading", name="Resumen ejecutivo")).to_be_visible(timeout=30_000)
    expect(pagina.get_by_role("heading", name="Cadena de servicio")).to_have_count(0)
    expect(pagina.get_by_test_id("stMetric")).to_have_count(8, timeout=60_000)
    expect(pagina.get_by_text("Ver tendencia")).to_have_count(0)
    menu = pagina.get_by_test_id("stSidebarNav")
    expect(menu.get_by_text("Brechas de habilidades")).to_be_visible()
    expect(menu.get_by_text("Cargar datos")).to_have_count(0)
    captura(pagina, "rol_capacitacion")
    pagina.get_by_role("button", name="Salir").click()
    expect(pagina.get_by_role("button", name="Entrar")).to_be_visible(timeout=30_000)
    expect(pagina.get_by_test_id("stMetric")).to_have_count(0)


def test_recargar_la_pagina_no_cierra_la_sesion_y_salir_si(servidor_demo, pagina):
    entrar(pagina, f"{servidor_demo}/tendencias")
    expect(pagina.get_by_role("heading", name="Tendencias")).to_be_visible(timeout=60_000)
    cookie = next(c for c in pagina.context.cookies() if c["name"] == "eslabon_sesion")
    assert cookie["sameSite"] == "Strict" and cookie["expires"] == -1
    assert CLAVE not in cookie["value"]
    pagina.reload()
    expect(pagina.get_by_role("heading", name="Tendencias")).to_be_visible(timeout=60_000)
    expect(pagina.get_by_role("button", name="Salir")).to_be_visible(timeout=30_000)
    expect(pagina.get_by_role("button", name="Entrar")).to_have_count(0)
    pagina.get_by_role("button", name="Salir").click()
    expect(pagina.get_by_role("button", name="Entrar")).to_be_visible(timeout=30_000)
    pagina.reload()
    expect(pagina.get_by_role("button", name="Entrar")).to_be_visible(timeout=30_000)
    expect(pagina.get_by_test_id("stMetric")).to_have_count(0)
