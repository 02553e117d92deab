"""La carpeta de entrada: un archivo conocido se carga y va a hechos/, uno malo a rechazados/ con su informe."""

import os
import shutil
import time
from datetime import datetime

import pytest

from tests import ARCHIVOS
from datos.ajustes.operacion import AjustesOperacion, guardar_operacion
from datos.almacen.conexion import Almacen
from datos.ingesta.carga import cargar_archivo
from datos.ingesta.entrada import HECHOS, ORIGEN, RECHAZADOS, pendientes, revisar_entrada

MOMENTO = datetime(2026, 10, 31, 9, 30)


@pytest.fixture
def almacen(tmp_path):
    """Un almacén que ya conoce las cabeceras de dos exportaciones (mapeos confirmados por la línea de órdenes)."""
    almacen = Almacen(str(tmp_path / "e.duckdb"))
    for archivo in ("encuestas_utf8_bom_coma.csv", "encuestas_1252_puntoycoma.csv"):
        cargar_archivo(almacen.cursor(), ARCHIVOS / archivo, "encuestas", solo_validas=True)
    yield almacen
    almacen.cerrar()


@pytest.fixture
def entrada(almacen, tmp_path, monkeypatch):
    """La carpeta de entrada configurada en el almacén (sin ``ESLABON_ENTRADA``)."""
    monkeypatch.delenv("ESLABON_ENTRADA", raising=False)
    carpeta = tmp_path / "entrada"
    carpeta.mkdir()
    guardar_operacion(almacen.cursor(), AjustesOperacion(entrada_carpeta=str(carpeta)), autor="admin")
    return carpeta


def _dejar(carpeta, nombre: str, contenido: str | None = None, origen: str | None = None):
    """Deja un archivo en la carpeta como lo haría otro sistema (ya quieto: fecha de hace un minuto)."""
    ruta = carpeta / nombre
    if origen:
        shutil.copy(ARCHIVOS / origen, ruta)
    else:
        ruta.write_text(contenido, encoding="utf-8")
    antes = time.time() - 60
    os.utime(ruta, (antes, antes))
    return ruta


def test_un_archivo_con_cabeceras_conocidas_se_carga_y_va_a_hechos(almacen, entrada):
    _dejar(entrada, "semana.csv", "response_id,submitted_at,customer_id,channel,csat,nps,ces,comment\n"
                                  "B-1,2026-10-01 10:00:00,C-9,Chat,5,9,6,Bien\n")
    resultado = revisar_entrada(almacen.cursor(), MOMENTO)
    assert resultado == "1 archivo cargado, 0 rechazados (semana.csv: cargado)."
    assert not (entrada / "semana.csv").exists()
    movido = entrada / HECHOS / "20261031-093000_semana.csv"
    assert movido.is_file()
    informe = movido.with_name(movido.name + ".informe.txt").read_text(encoding="utf-8")
    assert "Cargado como encuestas: Carga n.º" in informe
    assert almacen.cursor().execute(
        "SELECT archivo, origen, filas_guardadas FROM cargas ORDER BY carga_id DESC LIMIT 1").fetchall() == [
        ("semana.csv", ORIGEN, 1)]
    assert revisar_entrada(almacen.cursor(), MOMENTO) is None  # nada más pendiente


def test_un_archivo_con_errores_va_a_rechazados_con_su_informe_y_no_guarda_nada(almacen, entrada):
    _dejar(entrada, "malo.csv", origen="encuestas_1252_puntoycoma.csv")
    cargas = almacen.cursor().execute("SELECT count(*) FROM cargas").fetchall()[0][0]
    assert "rechazado" in revisar_entrada(almacen.cursor(), MOMENTO)
    movido = entrada / RECHAZADOS / "20261031-093000_malo.csv"
    informe = movido.with_name(movido.name + ".informe.txt").read_text(encoding="utf-8")
    assert "Rechazado: 1 fila tiene errores" in informe
    assert "Fila 4, columna Recomendación: 'diez' no es un número entre 0 y 10" in informe
    errores = movido.with_name(movido.name + ".errores.csv").read_bytes().decode("utf-8-sig")
    assert errores.startswith("Fila;Columna;Valor;Mensaje")
    assert almacen.cursor().execute("SELECT count(*) FROM cargas").fetchall()[0][0] == cargas
    assert almacen.cursor().execute(
        "SELECT count(*) FROM bitacora WHERE accion = 'carpeta de entrada' AND detalle LIKE '%malo.csv%'"
    ).fetchall()[0][0] == 1


def test_cabeceras_desconocidas_o_archivo_ilegible_se_rechazan_explicando_por_que(almacen, entrada):
    _dejar(entrada, "nuevo.csv", "otra;cosa\n1;2\n")
    _dejar(entrada, "vacio.csv", "")
    assert revisar_entrada(almacen.cursor(), MOMENTO).startswith("0 archivos cargados, 2 rechazados")
    nuevo = (entrada / RECHAZADOS / "20261031-093000_nuevo.csv.informe.txt").read_text(encoding="utf-8")
    assert "No hay un mapeo confirmado para las columnas de «nuevo.csv»" in nuevo
    assert (entrada / RECHAZADOS / "20261031-093000_vacio.csv.informe.txt").is_file()


def test_solo_se_toman_archivos_quietos_visibles_y_de_datos(entrada):
    _dejar(entrada, "listo.csv", "a\n1\n")
    _dejar(entrada, ".oculto.csv", "a\n1\n")
    _dejar(entrada, "notas.pdf", "x")
    (entrada / "escribiendose.csv").write_text("a\n1\n")
    assert [p.name for p in pendientes(entrada)] == ["listo.csv"]
    assert pendientes(entrada / "no_existe") == []


def test_la_variable_de_entorno_manda_sobre_lo_guardado(almacen, entrada, tmp_path, monkeypatch):
    otra = tmp_path / "otra"
    otra.mkdir()
    monkeypatch.setenv("ESLABON_ENTRADA", str(otra))
    _dejar(entrada, "en_la_guardada.csv", "otra;cosa\n1;2\n")
    assert revisar_entrada(almacen.cursor(), MOMENTO) is None
    assert (entrada / "en_la_guardada.csv").exists()
