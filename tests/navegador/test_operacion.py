"""Operación con la aplicación en marcha (un servidor Streamlit de verdad): órdenes de cron, respaldo y carpeta de entrada."""

import json
import os
import shutil
import subprocess
import sys
import time

import duckdb
import pytest
from playwright.sync_api import expect

from tests import ARCHIVOS, RAIZ
from tests.navegador import CLAVE, captura, entrar

pytestmark = pytest.mark.navegador

CABECERA = "response_id,submitted_at,customer_id,channel,csat,nps,ces,comment\n"


def _orden(*argv: str, carpeta) -> subprocess.CompletedProcess:
    """Una orden ``python -m`` desde otro proceso, como la lanzaría cron."""
    return subprocess.run([sys.executable, "-m", *argv], capture_output=True, text=True, cwd=carpeta, timeout=300,
                          env={**os.environ, "PYTHONPATH": str(RAIZ)})


def _ir(pagina, titulo: str) -> None:
    """Abre una página desde el menú lateral (la sesión vive en la pestaña: recargar la cerraría)."""
    pagina.get_by_role("link", name=titulo).click()
    expect(pagina.get_by_role("heading", name=titulo)).to_be_visible(timeout=30_000)


def _quieto(ruta) -> None:
    """Fecha el archivo hace un minuto (ya terminado de escribir, como lo dejaría otro sistema)."""
    antes = time.time() - 60
    os.utime(ruta, (antes, antes))


def test_cron_respaldo_y_carpeta_de_entrada_con_la_aplicacion_en_marcha(servidor_demo, base_demo, pagina, tmp_path):
    entrar(pagina, f"{servidor_demo}/carga")  # la aplicación abre su base y arranca su servicio de órdenes
    expect(pagina.get_by_role("heading", name="Cargar datos")).to_be_visible(timeout=30_000)
    shutil.copy(ARCHIVOS / "encuestas_utf8_bom_coma.csv", tmp_path / "lote_cron.csv")

    # 1. Una carga por la línea de órdenes, con la aplicación sirviendo, y la página la muestra.
    carga = _orden("datos.cargar", "lote_cron.csv", "--tipo", "encuestas", "--db", str(base_demo), carpeta=tmp_path)
    assert carga.returncode == 0, carga.stderr
    assert "guardada: 3 filas nuevas" in carga.stdout
    _ir(pagina, "Resumen ejecutivo")
    _ir(pagina, "Cargar datos")
    historial = pagina.get_by_test_id("stTable").last  # el historial es una tabla ajustada (st.table)
    expect(historial).to_contain_text("lote_cron.csv", timeout=30_000)
    expect(historial).to_contain_text("línea de órdenes")
    captura(pagina, "operacion_carga_por_cron")

    # 2. Un respaldo tomado mientras tanto se restaura con las mismas filas.
    respaldo = _orden("datos.respaldo", "crear", "respaldo", "--db", str(base_demo), carpeta=tmp_path)
    assert respaldo.returncode == 0, respaldo.stderr
    restaurada = _orden("datos.respaldo", "restaurar", "respaldo", "--db", "restaurada.duckdb", carpeta=tmp_path)
    assert restaurada.returncode == 0, restaurada.stderr
    esperadas = json.loads((tmp_path / "respaldo" / "respaldo.json").read_text(encoding="utf-8"))["filas"]
    with duckdb.connect(str(tmp_path / "restaurada.duckdb"), read_only=True) as con:
        for tabla, filas in esperadas.items():
            assert con.execute(f'SELECT count(*) FROM "{tabla}"').fetchall()[0][0] == filas, tabla
        assert con.execute("SELECT count(*) FROM cargas WHERE archivo = 'lote_cron.csv'").fetchall()[0][0] == 1

    # 3. La carpeta de entrada, configurada en «Operación»: uno se carga, el malo se rechaza con su informe.
    entrada = tmp_path / "entrada"
    entrada.mkdir()
    (entrada / "bueno.csv").write_text(CABECERA + "E-1,2026-03-09 10:00:00,C-7,Chat,4,9,6,Bien\n", encoding="utf-8")
    (entrada / "malo.csv").write_text(CABECERA + "E-2,2026-03-09 10:00:00,C-8,Chat,siete,9,6,\n", encoding="utf-8")
    for nombre in ("bueno.csv", "malo.csv"):
        _quieto(entrada / nombre)
    _ir(pagina, "Operación")
    pagina.get_by_role("tab", name="Carpeta de entrada").click()
    pagina.get_by_label("Carpeta de entrada (ruta completa; vacía: sin carpeta)").fill(str(entrada))
    pagina.get_by_role("button", name="Guardar la carpeta").click()
    expect(pagina.get_by_text("Archivos esperando en la carpeta de entrada")).to_be_visible(timeout=30_000)
    pagina.get_by_role("tab", name="Trabajos programados").click()
    pagina.get_by_role("button", name="Ejecutar ahora").click()
    # El mensaje y, ya dibujada, la celda de la tabla de trabajos dicen lo mismo: basta el primero.
    expect(pagina.get_by_text("1 archivo cargado, 1 rechazado", exact=False).first).to_be_visible(timeout=60_000)
    expect(pagina.get_by_text("Traceback")).to_have_count(0)
    captura(pagina, "operacion_administrador")
    hechos = list((entrada / "hechos").glob("*_bueno.csv"))
    rechazados = list((entrada / "rechazados").glob("*_malo.csv"))
    assert len(hechos) == 1 and len(rechazados) == 1
    informe = rechazados[0].with_name(rechazados[0].name + ".informe.txt").read_text(encoding="utf-8")
    assert "Rechazado: 1 fila tiene errores" in informe and "siete" in informe
    _ir(pagina, "Cargar datos")
    expect(pagina.get_by_test_id("stTable").last).to_contain_text("carpeta de entrada", timeout=30_000)


def test_solo_el_administrador_ve_operacion(servidor_demo, pagina):
    entrar(pagina, servidor_demo, usuario="capacitadora", clave=CLAVE)
    expect(pagina.get_by_role("link", name="Realimentación")).to_be_visible(timeout=30_000)
    expect(pagina.get_by_role("link", name="Operación")).to_have_count(0)
    captura(pagina, "operacion_capacitadora_sin_menu")
