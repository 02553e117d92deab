"""La página «Perfiles de clientes» en un Chromium real: personas, mapa, comparación y detalle."""

import pytest
from playwright.sync_api import expect

from tests.navegador import captura, entrar

pytestmark = pytest.mark.navegador


def test_perfiles_de_clientes(servidor_demo, pagina):
    entrar(pagina, f"{servidor_demo}/perfiles")
    expect(pagina.get_by_role("heading", name="Perfiles de clientes")).to_be_visible(timeout=60_000)
    expect(pagina.get_by_test_id("stMetricLabel").filter(has_text="Estabilidad")).to_be_visible(timeout=60_000)
    valores = pagina.get_by_test_id("stMetricValue").all_inner_texts()
    assert any("," in v for v in valores), "los decimales deben llevar coma"
    expect(pagina.get_by_role("heading", name="por teléfono")).to_have_count(1)
    expect(pagina.get_by_text("Traceback")).to_have_count(0)
    pagina.wait_for_timeout(1000)
    captura(pagina, "perfiles_personas")

    pagina.get_by_role("tab", name="Mapa").click()
    expect(pagina.get_by_text("Cada punto es un cliente", exact=False)).to_be_visible()
    expect(pagina.locator(".js-plotly-plot").first).to_be_visible()
    pagina.wait_for_timeout(1500)
    captura(pagina, "perfiles_mapa")

    pagina.get_by_role("tab", name="Comparación").click()
    expect(pagina.get_by_text("Indicadores por perfil")).to_be_visible()
    pagina.wait_for_timeout(1500)
    captura(pagina, "perfiles_comparacion")

    pagina.get_by_role("tab", name="Número de perfiles").click()
    expect(pagina.get_by_text("mayor silueta").first).to_be_visible()
    pagina.wait_for_timeout(1000)
    captura(pagina, "perfiles_silueta")

    pagina.get_by_role("tab", name="Clientes", exact=True).click()
    expect(pagina.get_by_role("button", name="Excel", exact=True)).to_be_visible()
    with pagina.expect_download() as descarga:
        pagina.get_by_role("button", name="CSV", exact=True).click()
    assert descarga.value.suggested_filename == "clientes_perfil.csv"
    assert descarga.value.path().read_bytes().startswith("\ufeff".encode())  # CSV en UTF-8 con BOM
    pagina.get_by_test_id("stSidebarNav").get_by_text("Usuarios y bitácora").click()
    pagina.get_by_role("tab", name="Bitácora").click()
    expect(pagina.get_by_text("clientes_perfil.csv").first).to_be_attached(timeout=30_000)  # celda de la tabla
    captura(pagina, "perfiles_clientes")
