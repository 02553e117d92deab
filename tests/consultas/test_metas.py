"""La meta que rige en un periodo: la de la fecha más reciente que no lo pasa, la de su sucursal o canal antes que
la general, y la de siempre si no hay otra."""

from datetime import date

import pytest

from datos.ajustes.organizacion import Configuracion, MetaDesde, aplicar
import pandas as pd

from datos.consultas import resumen, tendencias
from datos.consultas.filtros import Filtros


@pytest.fixture
def backend(almacen_memoria):
    aplicar(almacen_memoria.cursor(), Configuracion(
        metas={"csat_media": 4.0, "nps": 30.0},
        metas_por_fecha=(MetaDesde("csat_media", 4.3, date(2027, 1, 1)),
                         MetaDesde("csat_media", 3.8, date(2026, 6, 1), sucursal="Norte"),
                         MetaDesde("respuesta_p90", 50.0, date(2026, 1, 1), canal="Chat"))), usuario="prueba")
    return almacen_memoria.ibis()


def _metas(backend, filtros):
    tabla = resumen.metas(backend, filtros).execute()
    return {f.kpi: (f.meta, f.sentido) for f in tabla.itertuples()}


def test_una_meta_de_2027_no_cambia_2026(backend):
    assert _metas(backend, Filtros(hasta=date(2026, 12, 31)))["csat_media"] == (4.0, "mayor")
    assert _metas(backend, Filtros(hasta=date(2027, 1, 1)))["csat_media"] == (4.3, "mayor")


def test_la_de_la_sucursal_o_el_canal_elegidos_manda_sobre_la_general(backend):
    assert _metas(backend, Filtros(hasta=date(2026, 12, 31), sucursales=("Norte",)))["csat_media"] == (3.8, "mayor")
    assert _metas(backend, Filtros(hasta=date(2026, 12, 31), sucursales=("Norte", "Sur")))["csat_media"][0] == 4.0
    con_chat = _metas(backend, Filtros(hasta=date(2026, 3, 1), canales=("Chat",)))
    assert con_chat["respuesta_p90"] == (50.0, "menor")
    assert "respuesta_p90" not in _metas(backend, Filtros(hasta=date(2026, 3, 1)))


def test_sin_filtros_son_las_metas_de_siempre(backend):
    assert _metas(backend, None) == {"csat_media": (4.0, "mayor"), "nps": (30.0, "mayor")}


def _metas_por_mes(backend, filtros, kpi="csat_media"):
    tabla = tendencias.metas_por_periodo(backend, filtros, "mes", kpi).execute()
    return {f.periodo.strftime("%Y-%m"): f.meta for f in tabla.itertuples()}


@pytest.fixture
def con_encuestas(almacen_memoria, backend):
    """Encuestas a mediados de cada mes de octubre de 2026 a febrero de 2027, en Norte y Sur."""
    cursor = almacen_memoria.cursor()
    for i, dia in enumerate(("2026-10-15", "2026-11-15", "2026-12-15", "2027-01-15", "2027-02-15")):
        for j, sucursal in enumerate(("Norte", "Sur")):
            cursor.execute("INSERT INTO encuestas (respuesta_id, fecha, sucursal, csat, carga_id) VALUES (?, ?, ?, 4, 1)",
                           [f"e{i}{j}", dia, sucursal])
    return backend


def test_cada_periodo_tiene_la_meta_que_regia_entonces(con_encuestas):
    por_mes = _metas_por_mes(con_encuestas, Filtros(date(2026, 10, 1), date(2027, 2, 28)))
    assert por_mes == {"2026-10": 4.0, "2026-11": 4.0, "2026-12": 4.0, "2027-01": 4.3, "2027-02": 4.3}
    hasta_2026 = _metas_por_mes(con_encuestas, Filtros(date(2026, 10, 1), date(2026, 12, 31)))
    assert hasta_2026 == {"2026-10": 4.0, "2026-11": 4.0, "2026-12": 4.0}


def test_por_periodo_respeta_la_sucursal_elegida(con_encuestas):
    por_mes = _metas_por_mes(con_encuestas, Filtros(date(2026, 10, 1), date(2027, 2, 28), sucursales=("Norte",)))
    assert por_mes == {"2026-10": 3.8, "2026-11": 3.8, "2026-12": 3.8, "2027-01": 3.8, "2027-02": 3.8}


def test_por_periodo_sin_meta_es_nula(con_encuestas):
    por_mes = _metas_por_mes(con_encuestas, Filtros(date(2026, 10, 1), date(2026, 11, 30)), kpi="ces_media")
    assert list(por_mes) == ["2026-10", "2026-11"] and all(pd.isna(m) for m in por_mes.values())
