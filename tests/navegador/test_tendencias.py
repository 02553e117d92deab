"""La página Tendencias en un Chromium real: serie, pruebas, desglose, distribución, detalle y enlace."""

import re

import pytest
from playwright.sync_api import expect

from tests.navegador import captura, entrar

pytestmark = pytest.mark.navegador


def _elegir(pagina, etiqueta: str, opcion: str) -> None:
    """Elige ``opcion`` en el selectbox de Streamlit rotulado ``etiqueta``."""
    pagina.get_by_test_id("stSelectbox").filter(has_text=etiqueta).click()
    pagina.get_by_role("option", name=opcion, exact=True).click()


def test_tendencias_con_desglose_y_detalle(servidor_demo, pagina):
    entrar(pagina, f"{servidor_demo}/tendencias?kpi=promesa")
    expect(pagina.get_by_role("heading", name="Tendencias")).to_be_visible(timeout=30_000)
    expect(pagina.get_by_role("heading", name="¿Es real?")).to_be_visible(timeout=30_000)
    expect(pagina.get_by_text("Mann-Kendall").first).to_be_visible()
    expect(pagina.locator(".js-plotly-plot")).to_have_count(2, timeout=30_000)
    expect(pagina.get_by_test_id("stDataFrame")).to_have_count(3)  # cambios, detalle y editor de reglas
    expect(pagina.get_by_role("button", name="CSV").first).to_be_visible()
    pagina.wait_for_timeout(1000)
    captura(pagina, "tendencias")

    expect(pagina.get_by_text("Sin selección: se muestra el último periodo")).to_be_visible()
    pagina.locator(".js-plotly-plot").first.locator(".scatterlayer .point").nth(5).click(force=True)
    expect(pagina.get_by_text("Sin selección: se muestra el último periodo")).to_have_count(0, timeout=30_000)
    elegido = pagina.get_by_test_id("stMarkdown").locator("strong").filter(has_text=re.compile(r"^Sem\. "))
    expect(elegido).to_have_count(1)
    assert elegido.inner_text() != "Sem. 26/10/2026"  # ya no es el último periodo, sino el punto elegido
    expect(pagina.get_by_test_id("stDataFrame").nth(1)).to_be_visible()
    captura(pagina, "tendencias_punto_elegido")

    _elegir(pagina, "Horizonte", "Todo el historial")
    _elegir(pagina, "Desglose", "Sucursal")
    expect(pagina.get_by_text(re.compile(r"Sucursal Norte bajó .* desde el"))).to_be_visible(timeout=30_000)
    ejes = pagina.locator(".js-plotly-plot").first.locator(".ytick text").all_text_contents()
    assert any(t.endswith(" %") for t in ejes), ejes
    expect(pagina.get_by_text("Traceback")).to_have_count(0)
    pagina.wait_for_timeout(1500)
    captura(pagina, "tendencias_sucursal")
    for seccion in ("Distribución de las calificaciones", "Detalle"):
        pagina.get_by_role("heading", name=seccion).scroll_into_view_if_needed()
        pagina.wait_for_timeout(800)
        captura(pagina, f"tendencias_{seccion.split()[0].lower()}")


def test_enlace_desde_el_resumen(servidor_demo, pagina):
    entrar(pagina, servidor_demo)
    expect(pagina.get_by_role("heading", name="Qué requiere atención ahora")).to_be_visible(timeout=60_000)
    expect(pagina.get_by_role("link", name="Ver tendencia")).to_have_count(8)
    pagina.get_by_role("heading", name="Qué requiere atención ahora").scroll_into_view_if_needed()
    pagina.wait_for_timeout(1000)
    captura(pagina, "resumen_alertas")
    pagina.locator('a[href*="kpi=nps"]').click()
    expect(pagina.get_by_role("heading", name="Tendencias")).to_be_visible(timeout=30_000)
    expect(pagina.get_by_role("combobox", name="Indicador")).to_have_value("NPS", timeout=30_000)
    assert "kpi=nps" in pagina.url
