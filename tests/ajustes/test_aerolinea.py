"""La encuesta real de una aerolínea (``tests/datos/encuestas_aerolinea_kaggle.csv``, ver ``FUENTES.md``) tal como viene.

Un almacén nuevo, un archivo de configuración y una carga por la línea de órdenes: entran todas las filas,
ningún 0 («no aplica») se guarda como calificación y la cadena nombra su eslabón más débil entre sus
propios 14 pasos.
"""

import csv

import pytest

from analisis import cadena
from datos.ajustes.cli import main as configuracion
from datos.almacen.conexion import Almacen
from datos.consultas import cadena as consultas_cadena
from datos.consultas.filtros import Filtros
from datos.ingesta.cli import main as cargar
from datos.motores.motor import Motor
from tests import ARCHIVOS

MUESTRA = ARCHIVOS / "encuestas_aerolinea_kaggle.csv"
CONFIGURACION = ARCHIVOS / "configuracion_aerolinea.toml"


def _filas_del_archivo() -> list[dict]:
    with open(MUESTRA, encoding="utf-8", newline="") as f:
        return list(csv.DictReader(f))


PASOS = tuple(list(_filas_del_archivo()[0])[8:22])


@pytest.fixture(scope="module")
def aerolinea(tmp_path_factory):
    """Un almacén nuevo con la configuración de la aerolínea y la muestra cargada por la línea de órdenes."""
    db = str(tmp_path_factory.mktemp("aerolinea") / "aerolinea.duckdb")
    assert configuracion(["importar", str(CONFIGURACION), "--db", db]) == 0
    assert cargar([str(MUESTRA), "--tipo", "encuestas", "--db", db]) == 0
    almacen = Almacen(db)
    yield almacen
    almacen.cerrar()


def _valor(almacen, sql):
    return almacen.cursor().execute(sql).fetchall()[0][0]


def test_la_cadena_es_la_de_la_aerolinea_en_su_orden(aerolinea):
    assert len(PASOS) == 14
    etapas = aerolinea.cursor().execute("SELECT etapa FROM etapas ORDER BY orden").fetchall()
    assert tuple(e for e, in etapas) == PASOS


def test_entran_todas_las_filas_y_los_ceros_quedan_vacios(aerolinea):
    filas = _filas_del_archivo()
    ceros = sum(1 for fila in filas for paso in PASOS if fila[paso] == "0")
    assert ceros > 0
    assert _valor(aerolinea, "SELECT count(*) FROM encuestas") == len(filas)
    assert _valor(aerolinea, "SELECT filas_rechazadas FROM cargas") == 0
    assert _valor(aerolinea, "SELECT count(*) FROM encuesta_etapas WHERE calificacion = 0") == 0
    assert _valor(aerolinea, "SELECT count(*) FROM encuesta_etapas WHERE calificacion IS NULL") == ceros
    assert _valor(aerolinea, "SELECT min(calificacion) FROM encuesta_etapas") == 1


def test_la_satisfaccion_general_usa_las_etiquetas_configuradas(aerolinea):
    satisfechos = sum(1 for fila in _filas_del_archivo() if fila["satisfaction"] == "satisfied")
    conteo = dict(aerolinea.cursor().execute("SELECT csat, count(*) FROM encuestas GROUP BY csat").fetchall())
    assert conteo == {5.0: satisfechos, 1.0: len(_filas_del_archivo()) - satisfechos}


def test_el_eslabon_mas_debil_es_uno_de_sus_14_pasos(aerolinea):
    motor = Motor(aerolinea)
    configurada = cadena.configuracion_cadena(motor.consultar(consultas_cadena.etapas_cadena))
    assert configurada.etapas == PASOS
    filtros = Filtros()
    escala = cadena.escala_de_distribucion(motor.consultar(consultas_cadena.distribucion_etapas, filtros))
    objetivo = cadena.RESULTADOS[0]
    sumas = motor.consultar(consultas_cadena.sumas_cadena, filtros, configurada.etapas, objetivo.columna, escala)
    resultado = cadena.analizar_resultado(sumas, configurada.etapas, objetivo, remuestras=50)
    assert resultado.eslabon_mas_debil in PASOS
    assert cadena.describir(resultado, objetivo, muestra_minima=30).titular
