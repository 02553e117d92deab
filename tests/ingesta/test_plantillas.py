"""Plantillas descargables: una plantilla rellenada tal cual se carga sola, y cada columna está explicada."""

import csv
import io
from datetime import date

import openpyxl
import pandas as pd
import pytest

from datos.ingesta.carga import cargar_archivo
from datos.ingesta.mapeo import TIPOS, etapas_y_competencias
from datos.ingesta.plantillas import descripcion_de_columnas, instrucciones_csv, plantilla_csv, plantilla_excel

HOY = date(2026, 11, 1)


@pytest.fixture
def configurado(con_memoria):
    """(cursor de un almacén vacío, sus etapas y competencias configuradas)."""
    etapas, competencias = etapas_y_competencias(con_memoria)
    return con_memoria, etapas, competencias


@pytest.mark.parametrize("tipo", list(TIPOS))
@pytest.mark.parametrize("formato", ["csv", "xlsx"])
def test_la_plantilla_con_su_ejemplo_se_carga_sin_mapear_nada(configurado, tmp_path, tipo, formato):
    con, etapas, competencias = configurado
    generar = plantilla_csv if formato == "csv" else plantilla_excel
    ruta = tmp_path / f"plantilla.{formato}"
    ruta.write_bytes(generar(tipo, etapas=etapas, competencias=competencias))
    validacion, resultado, _ = cargar_archivo(con, ruta, tipo, crear_desconocidos=True, hoy=HOY)
    assert validacion.n_errores == 0, validacion.errores["mensaje"].tolist()
    assert resultado.guardadas == 1
    columnas = set(descripcion_de_columnas(tipo, etapas=etapas, competencias=competencias)["Columna"])
    assert set(validacion.mapeo) == columnas - {"(otras columnas)"}


def test_la_plantilla_excel_explica_cada_columna_en_su_hoja(configurado):
    con, etapas, competencias = configurado
    libro = openpyxl.load_workbook(io.BytesIO(plantilla_excel("encuestas", etapas=etapas)))
    assert libro.sheetnames == ["Datos", "Instrucciones"]
    instrucciones = list(libro["Instrucciones"].values)
    descripcion = descripcion_de_columnas("encuestas", etapas=etapas)
    assert instrucciones[0] == ("Columna", "Obligatoria", "Qué poner", "Ejemplo")
    assert [fila[0] for fila in instrucciones[1:]] == descripcion["Columna"].tolist()
    assert [fila[0] for fila in instrucciones[1:]] == [celda.value for celda in libro["Datos"][1]]


def test_las_instrucciones_del_csv_son_las_de_la_hoja_excel(configurado):
    con, etapas, competencias = configurado
    contenido = instrucciones_csv("auditorias", competencias=competencias)
    assert contenido.startswith(b"\xef\xbb\xbf")
    leidas = pd.read_csv(io.BytesIO(contenido), sep=";", encoding="utf-8-sig", dtype=str, keep_default_na=False)
    esperadas = descripcion_de_columnas("auditorias", competencias=competencias).astype(str)
    pd.testing.assert_frame_equal(leidas, esperadas)
    assert len(competencias) == 15 and set(competencias) <= set(leidas["Columna"])
    assert leidas["Qué poner"].str.len().min() > 10


def test_tipo_desconocido():
    with pytest.raises(ValueError, match="'tipo' debe ser uno de"):
        instrucciones_csv("ventas")


@pytest.mark.parametrize("generar", [plantilla_csv, instrucciones_csv, plantilla_excel])
def test_una_etapa_con_nombre_de_formula_sale_neutralizada(generar):
    etapa = '=HYPERLINK("http://malo.example","clic")'
    contenido = generar("encuestas", etapas=("Atención", etapa))
    if generar is plantilla_excel:
        libro = openpyxl.load_workbook(io.BytesIO(contenido))
        celdas = [c for hoja in libro.worksheets for fila in hoja.iter_rows() for c in fila]
        assert not [c.coordinate for c in celdas if c.data_type == "f"]
        textos = [c.value for c in celdas if isinstance(c.value, str)]
    else:
        textos = [v for fila in csv.reader(io.StringIO(contenido.decode("utf-8-sig")), delimiter=";") for v in fila]
    assert "'" + etapa in textos
    assert not [t for t in textos if t.startswith(("=", "+", "-", "@"))]
