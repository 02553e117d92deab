"""Línea de órdenes ``python -m datos.cargar``: estados de salida 0, 1 y 2 y el informe en español."""

import json
import subprocess
import sys

import pytest

from tests import ARCHIVOS, RAIZ
from datos.ingesta.cli import main

DATOS = ARCHIVOS


def test_todo_guardado_y_luego_ya_estaba(tmp_path, capsys):
    db = str(tmp_path / "e.duckdb")
    assert main([str(DATOS / "encuestas_utf8_bom_coma.csv"), "--tipo", "encuestas", "--db", db]) == 0
    assert "3 filas nuevas" in capsys.readouterr().out
    assert main([str(DATOS / "encuestas_utf8_bom_coma.csv"), "--tipo", "encuestas", "--db", db]) == 0
    assert "3 filas ya estaban guardadas" in capsys.readouterr().out


def test_filas_rechazadas_imprimen_el_informe(tmp_path, capsys):
    db = str(tmp_path / "e.duckdb")
    assert main([str(DATOS / "encuestas_1252_puntoycoma.csv"), "--tipo", "encuestas", "--db", db]) == 1
    salida = capsys.readouterr().out
    assert "No se guardó nada" in salida
    assert "Fila 4, columna Recomendación: 'diez' no es un número entre 0 y 10" in salida
    assert main([str(DATOS / "encuestas_1252_puntoycoma.csv"), "--tipo", "encuestas", "--db", db,
                 "--solo-validas"]) == 1
    assert "2 filas nuevas" in capsys.readouterr().out


def test_mapeo_json(tmp_path, capsys):
    archivo = tmp_path / "olist.csv"
    archivo.write_text("review_id,order_id,review_score,review_creation_date\nr1,o1,5,2018-01-18 00:00:00\n",
                       encoding="utf-8")
    mapeo = tmp_path / "mapeo.json"
    mapeo.write_text(json.dumps({"review_score": "csat", "review_creation_date": "fecha"}), encoding="utf-8")
    assert main([str(archivo), "--tipo", "encuestas", "--mapeo", str(mapeo), "--db", str(tmp_path / "e.duckdb")]) == 0


@pytest.mark.parametrize("argumentos", [
    ["no_existe.csv", "--tipo", "encuestas"],
    [str(DATOS / "encuestas_utf8_bom_coma.csv"), "--tipo", "encuestas", "--mapeo", "no_existe.json"],
])
def test_archivo_ilegible_sale_con_2(tmp_path, capsys, argumentos):
    assert main(argumentos + ["--db", str(tmp_path / "e.duckdb")]) == 2
    assert capsys.readouterr().err.strip()


def test_argumentos_invalidos_y_ayuda():
    with pytest.raises(SystemExit) as salida:
        main(["x.csv", "--tipo", "ventas"])
    assert salida.value.code == 2
    ayuda = subprocess.run([sys.executable, "-m", "datos.cargar", "--help"], capture_output=True, text=True,
                           cwd=RAIZ)
    assert ayuda.returncode == 0 and "--solo-validas" in ayuda.stdout
