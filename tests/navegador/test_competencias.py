"""Las páginas de capacitación en un Chromium real: mapa de brechas, pestañas y vista previa del informe."""

import pytest
from playwright.sync_api import expect

from tests.navegador import captura, entrar

pytestmark = pytest.mark.navegador

TIEMPO = 60_000


def _sin_errores(pagina) -> None:
    """Ni trazas de Python ni cajas de excepción en la página."""
    expect(pagina.get_by_text("Traceback")).to_have_count(0)
    expect(pagina.get_by_test_id("stException")).to_have_count(0)


def test_brechas_de_habilidades(servidor_demo, pagina):
    entrar(pagina, f"{servidor_demo}/brechas")
    expect(pagina.get_by_role("heading", name="Brechas de habilidades")).to_be_visible(timeout=TIEMPO)
    mapa = pagina.locator(".js-plotly-plot").first
    expect(mapa).to_be_visible(timeout=TIEMPO)
    expect(mapa.get_by_text("Equipo Orinoco").or_(mapa.get_by_text("Resuelve")).first).to_be_visible()
    pagina.get_by_label("Ver por").click()
    pagina.get_by_role("option", name="Equipo").click()
    expect(pagina.locator(".js-plotly-plot").first.get_by_text("Equipo Caribe")).to_be_visible(timeout=TIEMPO)
    _sin_errores(pagina)
    pagina.wait_for_timeout(1000)
    captura(pagina, "brechas_mapa")
    for pestana, texto, nombre in (("Perfil de un agente", "Puntaje medio por competencia", "brechas_perfil"),
                                   ("Impacto en los clientes", "asociación", "brechas_impacto"),
                                   ("Plan de capacitación", "Sesiones sugeridas por tema", "brechas_plan"),
                                   ("Progreso", "Prueba t de Welch", "brechas_progreso"),
                                   ("Calibración", "Desvío de cada auditor", "brechas_calibracion"),
                                   ("Estándar y reglas", "Conversión a la escala común", "brechas_estandar")):
        pagina.get_by_role("tab", name=pestana).click()
        expect(pagina.get_by_text(texto).first).to_be_visible(timeout=TIEMPO)
        pagina.wait_for_timeout(800)
        _sin_errores(pagina)
        captura(pagina, nombre)


def test_realimentacion_muestra_el_informe(servidor_demo, pagina):
    entrar(pagina, f"{servidor_demo}/realimentacion")
    expect(pagina.get_by_role("heading", name="Realimentación")).to_be_visible(timeout=TIEMPO)
    expect(pagina.get_by_role("button", name="Descargar HTML")).to_be_visible(timeout=TIEMPO)
    expect(pagina.get_by_role("button", name="Descargar todos los equipos (ZIP)")).to_be_visible()
    informe = pagina.frame_locator("iframe").first
    expect(informe.get_by_role("heading", name="Informe de realimentación · Equipo Andes")).to_be_visible(
        timeout=TIEMPO)
    expect(informe.get_by_text("Plan de capacitación")).to_be_visible()
    with pagina.expect_download() as descarga:
        pagina.get_by_role("button", name="Descargar HTML").click()
    assert descarga.value.suggested_filename == "informe_equipo_andes.html"
    assert "Equipo Andes" in open(descarga.value.path(), encoding="utf-8").read()
    pagina.wait_for_timeout(1500)
    _sin_errores(pagina)
    expect(informe.get_by_role("heading", name="Informe de realimentación · Equipo Andes")).to_be_visible()
    captura(pagina, "realimentacion")
