"""La meta que rige en un periodo: la de la fecha más reciente que no lo pasa, la de su sucursal o canal antes que
la general, y la de siempre si no hay otra."""

from datetime import date

import pytest

from datos.ajustes.organizacion import Configuracion, MetaDesde, aplicar
from datos.consultas import resumen
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
