"""«Cargar datos» en un Chromium real: subir un CSV, validar e importar."""

from pathlib import Path

import pytest
from playwright.sync_api import expect

from tests import ARCHIVOS
from tests.navegador import captura, entrar

pytestmark = pytest.mark.navegador

ARCHIVO = ARCHIVOS / "encuestas_1252_puntoycoma.csv"


def test_subir_validar_e_importar(servidor_demo, pagina):
    entrar(pagina, f"{servidor_demo}/carga")
    expect(pagina.get_by_role("heading", name="Cargar datos")).to_be_visible(timeout=30_000)
    pagina.locator("input[type=file]").first.set_input_files(str(ARCHIVO))
    expect(pagina.get_by_text("windows-1252", exact=False)).to_be_visible(timeout=30_000)
    pagina.get_by_role("button", name="Validar el archivo").click()
    expect(pagina.get_by_text("1 fila tiene errores", exact=False)).to_be_visible(timeout=30_000)
    captura(pagina, "carga_validacion")
    pagina.get_by_role("button", name="Importar 2 filas").click()
    expect(pagina.get_by_text("guardada: 2 filas nuevas", exact=False)).to_be_visible(timeout=30_000)
    expect(pagina.get_by_text("Traceback")).to_have_count(0)
    captura(pagina, "carga_historial")


def test_plantillas_con_sus_instrucciones(servidor_demo, pagina):
    entrar(pagina, f"{servidor_demo}/carga")
    pagina.get_by_text("Plantillas para descargar").click()
    for boton in ("Plantilla CSV", "Instrucciones del CSV", "Plantilla Excel"):
        expect(pagina.get_by_role("button", name=boton)).to_be_visible(timeout=30_000)
    with pagina.expect_download() as descarga:
        pagina.get_by_role("button", name="Instrucciones del CSV").click()
    assert descarga.value.suggested_filename == "plantilla_encuestas_instrucciones.csv"
    assert "Qué poner" in Path(descarga.value.path()).read_text(encoding="utf-8-sig")
    captura(pagina, "carga_plantillas")
