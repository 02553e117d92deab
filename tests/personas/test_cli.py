"""``python -m datos.personas``: buscar, exportar, suprimir y retener con sus estados de salida."""

import json
import subprocess
import sys

import pytest

from datos.almacen.conexion import Almacen
from tests import RAIZ
from tests.personas.conftest import marcar


def _orden(*argumentos) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "datos.personas", *map(str, argumentos)], cwd=RAIZ,
                          capture_output=True, text=True, timeout=120)


@pytest.fixture
def base_marcada(base_demo):
    """Ruta de una copia de la demostración con una persona marcada (y la persona)."""
    almacen = Almacen(str(base_demo))
    marcada = marcar(almacen)
    almacen.cerrar()
    return base_demo, marcada


def test_buscar_exportar_suprimir_y_sus_estados(base_marcada, tmp_path):
    ruta, marcada = base_marcada
    buscada = _orden("buscar", marcada.correo, "--db", ruta)
    assert buscada.returncode == 0, buscada.stderr
    assert marcada.cliente_id in buscada.stdout and "Encuestas y comentarios" in buscada.stdout

    copia = tmp_path / "copia.json"
    exportada = _orden("exportar", marcada.cliente_id, copia, "--db", ruta)
    assert exportada.returncode == 0, exportada.stderr
    assert json.loads(copia.read_text(encoding="utf-8"))["Ficha del cliente"][0]["Cliente"] == marcada.cliente_id

    suprimida = _orden("suprimir", marcada.cliente_id, "--db", ruta, "--referencia", "EXP-9", "--usuario", "dpo")
    assert suprimida.returncode == 0, suprimida.stderr
    assert "copias de seguridad" in suprimida.stdout

    otra_vez = _orden("suprimir", marcada.cliente_id, "--db", ruta)
    assert otra_vez.returncode == 1 and "No hay datos" in otra_vez.stderr
    assert _orden("buscar", marcada.correo, "--db", ruta).returncode == 1

    almacen = Almacen(str(ruta))
    anotadas = almacen.cursor().execute("SELECT usuario, accion FROM bitacora WHERE accion LIKE '%personales' "
                                        "ORDER BY momento").fetchall()
    almacen.cerrar()
    assert anotadas[-1] == ("dpo", "suprimir datos personales")


@pytest.mark.parametrize("argumentos", [
    ("buscar", "CLI-000001", "--db", "/no/existe.duckdb"),
    ("exportar", "CLI-000001", "copia.csv", "--db", "{ruta}"),
    ("suprimir",),
    ("borrar", "CLI-000001"),
])
def test_argumentos_que_no_se_pueden_usar_salen_con_2(base_demo, argumentos):
    resultado = _orden(*(a.format(ruta=base_demo) for a in argumentos))
    assert resultado.returncode == 2, resultado.stdout


def test_retener_desde_la_consola(base_demo):
    resultado = _orden("retener", "--db", base_demo)
    assert resultado.returncode == 0, resultado.stderr
    assert "Retención aplicada" in resultado.stdout


def test_ayuda_en_espanol():
    resultado = _orden("--help")
    assert resultado.returncode == 0 and "suprimir" in resultado.stdout and "retener" in resultado.stdout
