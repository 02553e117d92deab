"""Una caída de la aplicación (kill -9) a mitad de una carga enviada por la línea de órdenes deja el almacén como estaba."""

import os
import signal
import subprocess
import sys
import time

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
        time.sleep(2.5)
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
