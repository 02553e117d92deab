"""Exportaciones: inyección de fórmulas neutralizada en CSV y Excel."""

import io
import zipfile

import duckdb
import openpyxl
import pandas as pd
import pytest

from datos.cuentas.exportar import a_csv, a_excel, a_zip, consulta_a_csv, libro, neutralizar

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


def test_categorias_peligrosas_tambien():
    tabla = pd.DataFrame({"equipo": pd.Categorical(["=1+2", "Norte"])})
    assert neutralizar(tabla)["equipo"].tolist() == ["'=1+2", "Norte"]


def _libro_hostil() -> openpyxl.Workbook:
    """Un libro de openpyxl con un texto que openpyxl guardaría como fórmula, en dos hojas."""
    hojas = openpyxl.Workbook()
    hojas.active.append(["Agente", "Puntaje"])
    hojas.active.append(['=HYPERLINK("http://malo.example","clic")', 0.8])
    hojas.create_sheet("Plan").append(["@SUM(1+1)", -3, "bien"])
    return hojas


def test_libro_neutraliza_cada_celda_de_cada_hoja():
    leido = openpyxl.load_workbook(io.BytesIO(libro(_libro_hostil())))
    assert leido.active["A2"].value == "'=HYPERLINK(\"http://malo.example\",\"clic\")"
    assert leido.active["A2"].data_type == "s" and leido.active["B2"].value == 0.8
    assert [c.value for c in leido["Plan"][1]] == ["'@SUM(1+1)", -3, "bien"]


def test_zip_escribe_cada_archivo_por_el_camino_neutralizado():
    contenido = a_zip({"a.html": "<p>=1+2</p>", "b.csv": pd.DataFrame({"x": ["+1"]}), "c.xlsx": _libro_hostil()})
    comprimido = zipfile.ZipFile(io.BytesIO(contenido))
    assert comprimido.read("a.html").decode() == "<p>=1+2</p>"
    assert comprimido.read("b.csv").decode("utf-8-sig").splitlines() == ["x", "'+1"]
    assert openpyxl.load_workbook(io.BytesIO(comprimido.read("c.xlsx"))).active["A2"].data_type == "s"
    with pytest.raises(TypeError, match="no bytes"):
        a_zip({"d.bin": b"=1+2"})
