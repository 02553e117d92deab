"""La guía de inicio y «Configuración de la organización» en un Chromium real; la cadena de la aerolínea."""

import pytest
from playwright.sync_api import expect

from datos.ajustes.cli import main as configuracion
from datos.almacen.conexion import Almacen
from datos.cuentas.usuarios import crear_usuario
from datos.ingesta.cli import main as cargar
from tests import ARCHIVOS
from tests.navegador import CLAVE, USUARIO, _servir, captura, entrar, esperar_la_ejecucion

pytestmark = pytest.mark.navegador

ALTO = {"width": 1400, "height": 2600}


@pytest.fixture
def servidor_nuevo(tmp_path):
    """Una base nueva con la administradora y una cuenta de calidad."""
    ruta = tmp_path / "nueva.duckdb"
    almacen = Almacen(str(ruta))
    crear_usuario(almacen.cursor(), USUARIO, CLAVE, "administrador", nombre="Administradora")
    crear_usuario(almacen.cursor(), "calidad", CLAVE, "calidad", nombre="Carlos Calidad")
    almacen.cerrar()
    yield from _servir(ruta)


@pytest.fixture
def servidor_aerolinea(tmp_path):
    """Una base nueva con la configuración de la aerolínea y su muestra cargadas por la línea de órdenes."""
    ruta = str(tmp_path / "aerolinea.duckdb")
    assert configuracion(["importar", str(ARCHIVOS / "configuracion_aerolinea.toml"), "--db", ruta]) == 0
    assert cargar([str(ARCHIVOS / "encuestas_aerolinea_kaggle.csv"), "--tipo", "encuestas", "--db", ruta]) == 0
    almacen = Almacen(ruta)
    crear_usuario(almacen.cursor(), USUARIO, CLAVE, "administrador", nombre="Administradora")
    almacen.cerrar()
    yield from _servir(tmp_path / "aerolinea.duckdb")


def test_guia_de_inicio_y_configuracion(servidor_nuevo, pagina):
    pagina.set_viewport_size(ALTO)
    entrar(pagina, servidor_nuevo)
    expect(pagina.get_by_text("1. Defina su cadena de servicio", exact=False)).to_be_visible(timeout=30_000)
    esperar_la_ejecucion(pagina, despues_ms=2000)
    captura(pagina, "guia_admin_vacia")
    pagina.get_by_role("button", name="Empezar con la cadena sugerida", exact=False).click()
    expect(pagina.get_by_text("Su cadena: Atención inicial", exact=False)).to_be_visible(timeout=30_000)
    esperar_la_ejecucion(pagina, despues_ms=2000)
    captura(pagina, "guia_admin_con_cadena")
    pagina.get_by_role("link", name="Configurar la organización").click()
    expect(pagina.get_by_role("heading", name="Configuración de la organización")).to_be_visible(timeout=30_000)
    esperar_la_ejecucion(pagina, despues_ms=2000)
    expect(pagina.get_by_text("Traceback")).to_have_count(0)
    captura(pagina, "organizacion_cadena")
    for pestana in ("Escalas", "Metas", "Archivo de configuración"):
        pagina.get_by_role("tab", name=pestana).click()
        esperar_la_ejecucion(pagina, despues_ms=2000)
        captura(pagina, f"organizacion_{pestana.split()[0].lower()}")


def test_guia_para_quien_no_administra(servidor_nuevo, pagina):
    pagina.set_viewport_size(ALTO)
    entrar(pagina, servidor_nuevo, usuario="calidad")
    expect(pagina.get_by_text("pida al administrador", exact=False)).to_be_visible(timeout=30_000)
    expect(pagina.get_by_role("button", name="Empezar con la cadena sugerida", exact=False)).to_have_count(0)
    esperar_la_ejecucion(pagina, despues_ms=2000)
    captura(pagina, "guia_calidad_vacia")


def test_la_cadena_de_la_aerolinea(servidor_aerolinea, pagina):
    pagina.set_viewport_size(ALTO)
    entrar(pagina, f"{servidor_aerolinea}/cadena")
    expect(pagina.get_by_text("El eslabón más débil:", exact=False)).to_be_visible(timeout=90_000)
    esperar_la_ejecucion(pagina, despues_ms=2000)
    expect(pagina.get_by_text("Traceback")).to_have_count(0)
    captura(pagina, "cadena_aerolinea")
