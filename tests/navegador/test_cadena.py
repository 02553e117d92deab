"""La página «Cadena de servicio» en un Chromium real sin pantalla, sobre los datos de demostración."""

import pytest
from playwright.sync_api import expect

from datos.demo.generador import ETAPA_DEBIL
from tests.navegador import captura, entrar

pytestmark = pytest.mark.navegador


def test_cadena_muestra_el_eslabon_y_sus_graficos(servidor_demo, pagina):
    pagina.set_viewport_size({"width": 1440, "height": 2600})  # la página entera en cada captura
    entrar(pagina, f"{servidor_demo}/cadena")
    expect(pagina.get_by_role("heading", name="Cadena de servicio")).to_be_visible(timeout=60_000)
    titular = pagina.get_by_role("heading", name=f"El eslabón más débil: {ETAPA_DEBIL}")
    expect(titular).to_be_visible(timeout=60_000)
    expect(pagina.get_by_text("de las 200 remuestras", exact=False).first).to_be_visible()
    expect(pagina.get_by_text("IC 95 %", exact=False).first).to_be_visible()
    expect(pagina.get_by_text("calculados en el motor de datos", exact=False)).to_be_visible()
    graficos = pagina.locator(".js-plotly-plot")
    # Diagrama, cuadrantes y barras: los de «Por segmento» solo al abrir su pestaña (paginas.pestanas).
    expect(graficos).to_have_count(3, timeout=30_000)
    expect(pagina.get_by_text("Concentrar aquí").first).to_be_visible()
    expect(pagina.get_by_text("Posible exceso").first).to_be_visible()
    expect(pagina.get_by_text("Traceback")).to_have_count(0)
    pagina.wait_for_timeout(1500)
    captura(pagina, "cadena")

    pagina.get_by_role("tab", name="Desempeño por etapa").click()
    expect(pagina.get_by_text("Todas las respuestas del filtro", exact=False)).to_be_visible(timeout=30_000)
    captura(pagina, "cadena_desempeno")
    pagina.get_by_role("tab", name="Vista operativa").click()
    expect(pagina.get_by_text("Reabiertos", exact=False).first).to_be_visible(timeout=30_000)
    captura(pagina, "cadena_operativa")
    pagina.get_by_role("tab", name="Por segmento").click()
    expect(pagina.get_by_text("★", exact=False).first).to_be_visible(timeout=60_000)
    expect(graficos).to_have_count(3, timeout=30_000)  # diagrama y los dos de segmentos
    pagina.wait_for_timeout(1500)
    captura(pagina, "cadena_segmentos")
    expect(pagina.get_by_text("Traceback")).to_have_count(0)
