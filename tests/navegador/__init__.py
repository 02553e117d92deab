"""Fixtures de las pruebas de navegador: la aplicación servida de verdad y un Chromium sin pantalla.

``servidor_vacio`` arranca ``streamlit run app.py`` sobre una base nueva;
``servidor_demo`` sobre una base con datos de demostración pequeños. Ambos
esperan a ``/_stcore/health`` y terminan el proceso al salir. ``pagina`` es
una pestaña del Chromium de Debian (Playwright no descarga navegadores aquí).
"""

import os
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest
from playwright.sync_api import sync_playwright

from tests import RAIZ
from datos.almacen.conexion import Almacen
from datos.cuentas.usuarios import crear_usuario
from paginas.sesion import COOKIE

#: Administrador que los servidores de prueba crean desde el entorno en su primer arranque.
USUARIO, CLAVE = "admin", "clave-de-pruebas-1"
CHROMIUM = "/usr/bin/chromium"
ARGUMENTOS_CHROMIUM = ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                       "--disable-background-networking", "--disable-component-update", "--disable-sync"]


def _puerto_libre() -> int:
    """Un puerto TCP libre en la interfaz local."""
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _esperar_salud(url: str, proceso: subprocess.Popen, segundos: float = 60) -> None:
    """Espera a que el servidor responda a /_stcore/health; falla si el proceso muere o se agota el tiempo."""
    limite = time.monotonic() + segundos
    while time.monotonic() < limite:
        if proceso.poll() is not None:
            raise RuntimeError(f"streamlit terminó con código {proceso.returncode}")
        try:
            with urllib.request.urlopen(f"{url}/_stcore/health", timeout=2) as respuesta:
                if respuesta.status == 200:
                    return
        except OSError:
            time.sleep(0.3)
    raise TimeoutError("streamlit no respondió a /_stcore/health")


def _servir(ruta_db: Path):
    """Arranca la aplicación sobre ``ruta_db`` en un puerto libre; produce su URL y la detiene al final."""
    puerto = _puerto_libre()
    entorno = {**os.environ, "ESLABON_DB": str(ruta_db), "ESLABON_ADMIN_USUARIO": USUARIO,
               "ESLABON_ADMIN_CLAVE": CLAVE}
    registro = open(ruta_db.with_suffix(".log"), "w")
    proceso = subprocess.Popen(
        [sys.executable, "-m", "streamlit", "run", "app.py", "--server.headless", "true",
         "--server.port", str(puerto), "--server.address", "127.0.0.1", "--browser.gatherUsageStats", "false"],
        cwd=RAIZ, env=entorno, stdout=registro, stderr=subprocess.STDOUT,
    )
    url = f"http://127.0.0.1:{puerto}"
    try:
        _esperar_salud(url, proceso)
        yield url
    finally:
        proceso.terminate()
        try:
            proceso.wait(timeout=10)
        except subprocess.TimeoutExpired:
            proceso.kill()
        registro.close()


@pytest.fixture
def pagina():
    """Una pestaña de Chromium (Debian) de 1440×1100."""
    with sync_playwright() as p:
        navegador = p.chromium.launch(executable_path=CHROMIUM, args=ARGUMENTOS_CHROMIUM)
        try:
            yield navegador.new_page(viewport={"width": 1440, "height": 1100}, locale="es-ES")
        finally:
            navegador.close()


@pytest.fixture
def servidor_vacio(tmp_path):
    """URL de la aplicación servida sobre una base de datos vacía."""
    yield from _servir(tmp_path / "vacia.duckdb")


@pytest.fixture
def servidor_demo(base_demo):
    """URL de la aplicación servida sobre una base con datos de demostración (escala 0,3, ``base_demo``).

    Tiene las cuentas del administrador de pruebas y «capacitadora» (rol capacitación, misma clave).
    """
    almacen = Almacen(str(base_demo))
    crear_usuario(almacen.cursor(), USUARIO, CLAVE, "administrador", nombre="Administradora")
    crear_usuario(almacen.cursor(), "capacitadora", CLAVE, "capacitación", nombre="Carla Capacitadora")
    almacen.cerrar()
    yield from _servir(base_demo)


def captura(pagina, nombre: str) -> None:
    """Guarda una captura de página completa en ``$ESLABON_CAPTURAS/<nombre>.png`` si la variable existe."""
    carpeta = os.environ.get("ESLABON_CAPTURAS")
    if carpeta:
        Path(carpeta).mkdir(parents=True, exist_ok=True)
        pagina.screenshot(path=str(Path(carpeta) / f"{nombre}.png"), full_page=True)


def esperar_la_ejecucion(pagina, *, pausa_ms: int = 0, despues_ms: int = 0) -> None:
    """Espera a que Streamlit termine de ejecutar la página y a que se dibujen los componentes que cargan
    aparte (tablas, listas, el selector de archivos): mientras tanto solo hay esqueletos.

    ``pausa_ms`` antes de mirar (tras un cambio, la nueva ejecución tarda en empezar); ``despues_ms`` después
    (los gráficos se dibujan tras la ejecución).
    """
    pagina.wait_for_timeout(pausa_ms)
    pagina.wait_for_function(
        "() => document.querySelector('[data-testid=\"stApp\"]')?.getAttribute('data-test-script-state') "
        "=== 'notRunning'", timeout=120_000)
    pagina.wait_for_function("() => !document.querySelector('[data-testid^=\"stSkeleton\"]')", timeout=60_000)
    pagina.wait_for_timeout(despues_ms)


def entrar(pagina, url: str, *, usuario: str = USUARIO, clave: str = CLAVE, espera_ms: int = 30_000) -> None:
    """Abre ``url`` y entra con usuario y clave; la app muestra después la página pedida en ``url``.

    ``espera_ms``: cuánto esperar a la app ya abierta (más con Spark, que arranca con la primera consulta).
    """
    pagina.goto(url)
    pagina.get_by_label("Usuario").fill(usuario)
    pagina.get_by_label("Clave").fill(clave)
    pagina.get_by_role("button", name="Entrar").click()
    pagina.get_by_role("button", name="Salir").wait_for(timeout=espera_ms)
    # La ficha llega a la cookie con un guion que el navegador corre tras dibujar la página: sin ella, abrir
    # otra dirección enseguida (una recarga) volvería a la pantalla de entrada.
    pagina.wait_for_function(f"() => document.cookie.includes('{COOKIE}=')", timeout=espera_ms)
