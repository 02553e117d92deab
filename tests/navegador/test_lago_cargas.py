"""«Cargar datos» en modo lago (Spark) en un Chromium real: dice dónde va la carga y la escribe allí."""


import pytest
from playwright.sync_api import expect

from tests import ARCHIVOS
from datos import demo

from datos.motores import lago
from datos.almacen.conexion import Almacen
from datos.cuentas.usuarios import crear_usuario
from tests.navegador import CLAVE, USUARIO, _servir, captura, entrar

pytestmark = pytest.mark.navegador

ARCHIVO = ARCHIVOS / "encuestas_1252_puntoycoma.csv"


@pytest.fixture
def servidor_lago(tmp_path, monkeypatch):
    """(URL de la aplicación en modo Spark sobre un lago exportado de la demostración, carpeta del lago)."""
    ruta, destino = tmp_path / "demo.duckdb", tmp_path / "lago"
    almacen = Almacen(str(ruta))
    demo.cargar_demo(almacen.cursor(), escala=0.05)
    crear_usuario(almacen.cursor(), USUARIO, CLAVE, "administrador", nombre="Administradora")
    almacen.cerrar()
    assert lago.main(["--db", str(ruta), "--destino", str(destino)]) == 0
    monkeypatch.setenv("ESLABON_MOTOR", "pyspark")
    monkeypatch.setenv("ESLABON_LAGO", str(destino))
    for url in _servir(ruta):
        yield url, destino


def test_subir_en_modo_lago(servidor_lago, pagina):
    url, destino = servidor_lago
    entrar(pagina, f"{url}/carga", espera_ms=180_000)
    expect(pagina.get_by_text(f"Las cargas se escriben en el lago Parquet de {destino}")).to_be_visible(
        timeout=60_000)
    captura(pagina, "carga_lago_destino")
    pagina.locator("input[type=file]").first.set_input_files(str(ARCHIVO))
    pagina.get_by_role("button", name="Validar el archivo").click()
    expect(pagina.get_by_text("1 fila tiene errores", exact=False)).to_be_visible(timeout=30_000)
    pagina.get_by_role("button", name="Importar 2 filas").click()
    expect(pagina.get_by_text("guardada: 2 filas nuevas", exact=False)).to_be_visible(timeout=30_000)
    expect(pagina.get_by_text("Traceback")).to_have_count(0)
    assert list((destino / "encuestas").rglob("carga-2-*.parquet"))
    captura(pagina, "carga_lago")
