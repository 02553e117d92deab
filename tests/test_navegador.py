"""Pruebas en un Chromium real sin pantalla contra `streamlit run app.py`.

Se eligen con ``-m navegador`` y corren por defecto. Si la variable
``ESLABON_CAPTURAS`` nombra una carpeta, guardan allí capturas PNG de cada página.
"""

import os
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest
from playwright.sync_api import expect, sync_playwright

pytestmark = pytest.mark.navegador

RAIZ = Path(__file__).resolve().parent.parent
CHROMIUM = "/usr/bin/chromium"
ARGUMENTOS_CHROMIUM = ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                       "--disable-background-networking", "--disable-component-update", "--disable-sync"]


def _puerto_libre() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _esperar_salud(url: str, proceso: subprocess.Popen, segundos: float = 60) -> None:
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


@pytest.fixture
def servidor(tmp_path):
    """Arranca la aplicación sobre una base vacía en un puerto libre y devuelve su URL."""
    puerto = _puerto_libre()
    entorno = {**os.environ, "ESLABON_DB": str(tmp_path / "navegador.duckdb")}
    proceso = subprocess.Popen(
        [sys.executable, "-m", "streamlit", "run", "app.py", "--server.headless", "true",
         "--server.port", str(puerto), "--server.address", "127.0.0.1", "--browser.gatherUsageStats", "false"],
        cwd=RAIZ, env=entorno, stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
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


@pytest.fixture
def pagina():
    """Una pestaña de Chromium (Debian) de 1440×1100."""
    with sync_playwright() as p:
        navegador = p.chromium.launch(executable_path=CHROMIUM, args=ARGUMENTOS_CHROMIUM)
        try:
            yield navegador.new_page(viewport={"width": 1440, "height": 1100}, locale="es-ES")
        finally:
            navegador.close()


def _captura(pagina, nombre: str) -> None:
    carpeta = os.environ.get("ESLABON_CAPTURAS")
    if carpeta:
        Path(carpeta).mkdir(parents=True, exist_ok=True)
        pagina.screenshot(path=str(Path(carpeta) / f"{nombre}.png"), full_page=True)


def test_demo_y_tarjetas_de_kpi(servidor, pagina):
    pagina.goto(servidor)
    expect(pagina.get_by_role("heading", name="Resumen ejecutivo")).to_be_visible(timeout=30_000)
    boton = pagina.get_by_role("button", name="Cargar datos de demostración")
    expect(boton).to_be_visible(timeout=30_000)
    _captura(pagina, "resumen_vacio")
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
    _captura(pagina, "resumen_ejecutivo")
