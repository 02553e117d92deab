"""Exportaciones: inyección de fórmulas neutralizada en CSV y Excel."""

import io

import openpyxl
import pandas as pd
import pytest

from datos.cuentas.exportar import a_csv, a_excel, neutralizar

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
