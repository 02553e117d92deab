"""Sin aplicación, las órdenes sobre una misma base esperan su turno (``datos.servicio.turno``) en vez de fallar."""

import os
import subprocess
import sys

import duckdb

from tests import RAIZ
from datos.servicio.turno import archivo_de_turno, turno

#: Filas de cada archivo: su carga dura varios segundos, más que el arranque de la otra orden.
FILAS = 400_000


def _csv(ruta, prefijo: str, filas: int = FILAS) -> None:
    """Un CSV de encuestas con ``filas`` filas de identificadores ``<prefijo>-i``."""
    with open(ruta, "w", encoding="utf-8") as f:
        f.write("response_id,submitted_at,customer_id,channel,csat,nps,ces,comment\n")
        for i in range(filas):
            f.write(f"{prefijo}-{i},2026-03-{1 + i % 28:02d} 10:00:00,C-{i % 5000},Chat,{1 + i % 5},{i % 11},"
                    f"{1 + i % 7},comentario {i}\n")


def _orden(*argv: str, carpeta, **entorno) -> subprocess.Popen:
    """``python -m`` en otro proceso, como una tarea de cron."""
    return subprocess.Popen([sys.executable, "-m", *argv], cwd=carpeta, stdout=subprocess.PIPE,
                            stderr=subprocess.PIPE, text=True, env={**os.environ, "PYTHONPATH": str(RAIZ), **entorno})


def test_dos_cargas_a_la_vez_sin_aplicacion_se_guardan_las_dos_una_tras_otra(tmp_path):
    _csv(tmp_path / "a.csv", "A")
    _csv(tmp_path / "b.csv", "B")
    ordenes = [_orden("datos.cargar", nombre, "--tipo", "encuestas", "--db", "turnos.duckdb", carpeta=tmp_path)
               for nombre in ("a.csv", "b.csv")]
    resultados = [orden.communicate(timeout=600) for orden in ordenes]
    for orden, (salida, errores) in zip(ordenes, resultados):
        assert orden.returncode == 0, errores
        assert "guardada: 400.000 filas nuevas" in salida, salida
        assert "lock" not in errores.lower()
    esperaron = [errores for _, errores in resultados if "Esperando a que termine otra orden" in errores]
    assert len(esperaron) == 1, resultados  # la segunda esperó su turno, la primera no
    with duckdb.connect(str(tmp_path / "turnos.duckdb"), read_only=True) as con:
        assert con.execute("SELECT count(*) FROM encuestas").fetchall() == [(2 * FILAS,)]
        cargas = con.execute("SELECT archivo, filas_guardadas FROM cargas ORDER BY carga_id").fetchall()
    assert sorted(cargas) == [("a.csv", FILAS), ("b.csv", FILAS)]


def test_si_el_turno_no_llega_a_tiempo_sale_con_2_y_lo_explica_sin_hacer_nada(tmp_path):
    db = tmp_path / "ocupada.duckdb"
    with turno(db):  # otra orden tiene la base
        orden = _orden("datos.respaldo", "crear", "respaldo", "--db", str(db), carpeta=tmp_path,
                       ESLABON_ESPERA_ORDEN="1")
        salida, errores = orden.communicate(timeout=120)
    assert orden.returncode == 2, (salida, errores)
    assert "Esperando a que termine otra orden" in errores
    assert "Otra orden sigue usando la base de datos" in errores and "después de esperar 1 segundo" in errores
    assert "Traceback" not in errores
    assert not (tmp_path / "respaldo").exists() and not db.exists()
    assert oct(archivo_de_turno(db).stat().st_mode & 0o777) == "0o600"


def test_una_espera_que_no_es_un_numero_se_explica(tmp_path):
    orden = _orden("datos.respaldo", "crear", "respaldo", "--db", "x.duckdb", carpeta=tmp_path,
                   ESLABON_ESPERA_ORDEN="mucho")
    _, errores = orden.communicate(timeout=120)
    assert orden.returncode == 2 and "ESLABON_ESPERA_ORDEN debe ser un número de segundos" in errores
