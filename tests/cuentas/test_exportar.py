"""Exportaciones: inyección de fórmulas neutralizada en CSV y Excel."""

import io

import duckdb
import openpyxl
import pandas as pd
import pytest

from datos.cuentas.exportar import a_csv, a_excel, consulta_a_csv, neutralizar

PELIGROSOS = ["=HYPERLINK(\"http://x\",\"clic\")", "+1", "-1+2", "@SUM(A1)", "\tx", "\rx"]


@pytest.mark.parametrize("texto", PELIGROSOS)
def test_celdas_peligrosas_se_neutralizan(texto):
    assert neutralizar(pd.DataFrame({"c": [texto]}))["c"][0] == "'" + texto


def test_texto_normal_y_numeros_no_cambian():
    tabla = pd.DataFrame({"c": ["hola", "a=b", None], "n": [-1.5, 2.0, 3.0]})
    salida = neutralizar(tabla)
    assert salida["c"].tolist()[:2] == ["hola", "a=b"] and pd.isna(salida["c"][2])
    assert salida["n"].tolist() == [-1.5, 2.0, 3.0]
    assert tabla["c"][0] == "hola"


def test_encabezados_tambien():
    assert list(neutralizar(pd.DataFrame({"=cmd": [1]})).columns) == ["'=cmd"]


def test_csv_espanol_y_seguro():
    texto = a_csv(pd.DataFrame({"comentario": ["=1+1"], "nps": [7.5]})).decode("utf-8-sig")
    assert texto.splitlines() == ["comentario;nps", "'=1+1;7,5"]


def test_excel_seguro_y_con_varias_hojas():
    contenido = a_excel({"Resumen": pd.DataFrame({"x": ["@malo", "bien"]}), "Una hoja con nombre muy largo de más": pd.DataFrame({"y": [1]})})
    libro = openpyxl.load_workbook(io.BytesIO(contenido))
    assert libro.sheetnames == ["Resumen", "Una hoja con nombre muy largo d"]
    assert libro["Resumen"]["A2"].value == "'@malo" and libro["Resumen"]["A2"].data_type == "s"
    with pytest.raises(ValueError, match="hojas"):
        a_excel({})


def test_consulta_a_csv_neutraliza_textos_y_encabezados_en_duckdb():
    con = duckdb.connect()
    con.execute("CREATE TABLE t AS SELECT * FROM (VALUES (1, '=1+1', 'hola'), (-2, '-3', '@x')) v(n, \"=a\", b)")
    texto = consulta_a_csv(con, "SELECT * FROM t ORDER BY n DESC").decode("utf-8")
    assert texto.startswith("\ufeff")
    assert texto[1:].splitlines() == ["n;'=a;b", "1;'=1+1;hola", "-2;'-3;'@x"]


@pytest.mark.parametrize("texto", PELIGROSOS + ["hola", "a=b"])
def test_consulta_a_csv_y_neutralizar_aplican_la_misma_regla(texto):
    con = duckdb.connect()
    sql = consulta_a_csv(con, "SELECT $$" + texto + "$$ AS c")
    esperado = neutralizar(pd.DataFrame({"c": [texto]}))["c"][0]
    assert pd.read_csv(io.BytesIO(sql), sep=";", encoding="utf-8-sig", dtype=str, keep_default_na=False,
                       skip_blank_lines=False)["c"][0] == esperado
