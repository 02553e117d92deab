"""Archivos hostiles contra el motor de carga (hypothesis): nunca una excepción no controlada,
nunca una carga a medias y, tras un rechazo, los datos guardados quedan idénticos."""

import tempfile
from datetime import date
from pathlib import Path

import openpyxl
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests import ARCHIVOS
from datos.almacen.conexion import Almacen
from datos.ingesta.carga import cargar_archivo
from analisis.errores import ErrorEslabon

DATOS = ARCHIVOS
TABLAS = ("encuestas", "encuesta_etapas", "interacciones", "auditorias", "auditoria_competencias", "clientes",
          "agentes", "cargas")
AJUSTES = settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
CELDAS = st.one_of(st.text(max_size=20), st.sampled_from(["=HYPERLINK(\"http://x\",\"a\")", "9", "diez", "01/02/2026",
                                                          "Muy satisfecho", "\x00", "\"", ";", "N/A", "1e309"]))


@pytest.fixture(scope="module")
def almacen():
    """Un almacén con una carga válida previa, compartido por los ejemplos."""
    almacen = Almacen(":memory:")
    cargar_archivo(almacen.cursor(), DATOS / "encuestas_utf8_bom_coma.csv", "encuestas", hoy=date(2026, 11, 1))
    yield almacen
    almacen.cerrar()


def _foto(con):
    return {t: con.execute(f"SELECT count(*), sum(hash(COLUMNS(*))) FROM {t}").fetchall() for t in TABLAS}


def _probar(con, contenido: bytes, nombre: str, tipo: str) -> None:
    """Carga el archivo sin --solo-validas: o todo o nada, y nada si hubo rechazo."""
    antes = _foto(con)
    with tempfile.TemporaryDirectory() as carpeta:
        ruta = Path(carpeta) / nombre
        ruta.write_bytes(contenido)
        try:
            validacion, resultado, _ = cargar_archivo(con, ruta, tipo, hoy=date(2026, 11, 1))
        except ErrorEslabon:
            assert _foto(con) == antes
            return
    if resultado.carga_id is None:
        assert _foto(con) == antes
    else:
        assert not validacion.hay_errores
        filas = con.execute("SELECT count(*) FROM encuestas WHERE carga_id = ?", [resultado.carga_id]).fetchall()
        assert filas[0][0] == resultado.guardadas == validacion.filas_nuevas


@AJUSTES
@given(st.binary(max_size=400), st.sampled_from(["x.csv", "x.xlsx", "x.xls", "x.txt"]))
def test_bytes_cualesquiera(almacen, contenido, nombre):
    _probar(almacen.cursor(), contenido, nombre, "encuestas")


@AJUSTES
@given(st.lists(st.lists(CELDAS, min_size=1, max_size=6), min_size=0, max_size=8),
       st.sampled_from([";", ",", "\t", "|"]), st.sampled_from(["utf-8", "utf-16", "cp1252", "utf-8-sig"]),
       st.integers(min_value=0, max_value=60))
def test_csv_malformados_y_truncados(almacen, filas, delimitador, codificacion, corte):
    texto = "fecha;nps;csat\n".replace(";", delimitador) + "\n".join(delimitador.join(f) for f in filas)
    datos = texto.encode(codificacion, errors="replace")
    _probar(almacen.cursor(), datos[:len(datos) - corte] if corte < len(datos) else datos, "x.csv", "encuestas")


@AJUSTES
@given(st.lists(st.lists(CELDAS, min_size=1, max_size=5), min_size=1, max_size=6))
def test_excel_con_formulas_y_textos_raros(almacen, filas):
    libro = openpyxl.Workbook()
    hoja = libro.active
    hoja.append(["Fecha", "NPS", "Comentario"])
    for fila in filas:
        hoja.append([ILLEGAL_CHARACTERS_RE.sub("", c) for c in fila])
    with tempfile.NamedTemporaryFile(suffix=".xlsx") as f:
        libro.save(f.name)
        contenido = Path(f.name).read_bytes()
    _probar(almacen.cursor(), contenido, "x.xlsx", "encuestas")


@pytest.mark.parametrize("contenido", [
    b"",
    ("fecha;nps\n01/02/2026;" + "9" * 3_000_000 + "\n").encode(),
    (";".join(f"c{i}" for i in range(10_000)) + "\n" + ";".join("1" for _ in range(10_000)) + "\n").encode(),
    b"fecha;nps\n01/02/2026;9\x00\x00\n\x00\x00\x00",
])
def test_archivos_extremos(almacen, contenido):
    _probar(almacen.cursor(), contenido, "x.csv", "encuestas")
