"""Una caída de la aplicación (kill -9) a mitad de una carga enviada por la línea de órdenes deja el almacén como estaba."""

import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import duckdb

from tests import RAIZ
from datos.servicio.canal import archivo_de_servicio

#: Filas del archivo: su carga tarda bastante más que los segundos tras los que se mata la aplicación.
FILAS = 1_200_000
#: Un proceso «aplicación»: abre la base, escucha órdenes y espera a que lo maten.
APLICACION = """
import sys, time
from datos.almacen.conexion import Almacen
from datos.servicio.canal import Servicio
almacen = Almacen(sys.argv[1])
Servicio(almacen.ruta).iniciar()
print("lista", flush=True)
time.sleep(600)
"""


def _csv_grande(ruta, filas: int) -> None:
    """Un CSV de encuestas de ``filas`` filas (tarda unos segundos en cargarse)."""
    with open(ruta, "w", encoding="utf-8") as f:
        f.write("response_id,submitted_at,customer_id,channel,csat,nps,ces,comment\n")
        for i in range(filas):
            f.write(f"R-{i},2026-03-{1 + i % 28:02d} 10:00:00,C-{i % 5000},Chat,{1 + i % 5},{i % 11},{1 + i % 7},"
                    f"comentario {i}\n")


def _esperar_la_conexion(puerto: int, orden: subprocess.Popen, segundos: float = 120) -> None:
    """Espera a que la orden se conecte al servicio de la aplicación (una conexión TCP establecida con
    ``puerto`` en ``/proc/net/tcp``): antes, matar la aplicación no la pillaría a mitad de la carga, sino a la
    orden aún arrancando (con la máquina cargada tarda segundos), que entonces la corre ella sola."""
    limite = time.monotonic() + segundos
    while time.monotonic() < limite and orden.poll() is None:
        for linea in Path("/proc/net/tcp").read_text().splitlines()[1:]:
            local, remoto, estado = linea.split()[1:4]
            if estado == "01" and puerto in (int(local.split(":")[1], 16), int(remoto.split(":")[1], 16)):
                return
        time.sleep(0.05)
    raise AssertionError("la orden no llegó a conectarse con la aplicación")


def test_matar_la_aplicacion_a_mitad_de_una_carga_no_deja_nada_a_medias(tmp_path):
    db = tmp_path / "app.duckdb"
    entorno = {**os.environ, "PYTHONPATH": str(RAIZ)}
    _csv_grande(tmp_path / "grande.csv", FILAS)
    aplicacion = subprocess.Popen([sys.executable, "-c", APLICACION, str(db)], stdout=subprocess.PIPE, text=True,
                                  env=entorno)
    try:
        assert aplicacion.stdout.readline().strip() == "lista"
        orden = subprocess.Popen([sys.executable, "-m", "datos.cargar", "grande.csv", "--tipo", "encuestas",
                                  "--db", str(db)], cwd=tmp_path, env=entorno, stdout=subprocess.PIPE,
                                 stderr=subprocess.PIPE, text=True)
        _esperar_la_conexion(json.loads(archivo_de_servicio(db).read_text(encoding="utf-8"))["puerto"], orden)
        time.sleep(1.0)  # la aplicación ya está cargando el archivo de la orden
        assert orden.poll() is None, "la carga terminó antes de la caída: hace falta un archivo más grande"
        os.kill(aplicacion.pid, signal.SIGKILL)
        salida, errores = orden.communicate(timeout=120)
    finally:
        aplicacion.kill()
        aplicacion.wait()
    assert orden.returncode == 1 and "se cerró antes de terminar la orden" in errores, (salida, errores)
    with duckdb.connect(str(db), read_only=True) as con:
        assert con.execute("SELECT count(*) FROM encuestas").fetchall() == [(0,)]
        assert con.execute("SELECT count(*) FROM cargas").fetchall() == [(0,)]
    assert archivo_de_servicio(db).exists()  # quedó el de la aplicación muerta: la próxima orden corre sola
    reintento = subprocess.run([sys.executable, "-m", "datos.cargar", "grande.csv", "--tipo", "encuestas",
                                "--db", str(db)], cwd=tmp_path, env=entorno, capture_output=True, text=True,
                               timeout=300)
    assert reintento.returncode == 0 and "1.200.000 filas nuevas" in reintento.stdout, reintento.stderr
