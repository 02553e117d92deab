"""Entradas hostiles: texto de inyección SQL en todos los filtros de todas las consultas."""

import importlib
import inspect
import pkgutil
from datetime import date

import pytest

from datos import consultas as paquete_consultas
from datos.consultas import filtros as consultas_filtros
from datos.consultas.filtros import Filtros

HOSTIL = "x'); DROP TABLE encuestas; --"


@pytest.fixture(scope="module")
def almacen_demo(demo_compartida):
    """Almacén con una demostración pequeña (escala 0,05), compartido y de solo lectura."""
    return demo_compartida(escala=0.05)


def _huella(cursor):
    """Filas de cada tabla de la base: si algo se borra o cambia, la huella cambia."""
    tablas = [f[0] for f in cursor.execute(
        "SELECT table_name FROM information_schema.tables WHERE table_schema = 'main' ORDER BY 1").fetchall()]
    return {t: cursor.execute(f'SELECT count(*), sum(hash(COLUMNS(*))) FROM "{t}"').fetchall()[0] for t in tablas}


def _consultas_con_filtros():
    """Funciones públicas de los módulos de ``datos.consultas`` que reciben ``filtros`` y nada más obligatorio."""
    elegidas = []
    for modulo in pkgutil.iter_modules(paquete_consultas.__path__):
        dominio = importlib.import_module(f"{paquete_consultas.__name__}.{modulo.name}")
        for nombre in getattr(dominio, "__all__", ()):
            funcion = getattr(dominio, nombre)
            if not inspect.isfunction(funcion) or funcion.__module__ != dominio.__name__:
                continue
            parametros = list(inspect.signature(funcion).parameters.values())
            obligatorios = [p.name for p in parametros if p.default is inspect.Parameter.empty]
            if obligatorios == ["con", "filtros"]:
                elegidas.append(funcion)
    return elegidas


def test_ningun_filtro_hostil_cambia_la_base(almacen_demo):
    funciones = _consultas_con_filtros()
    assert len(funciones) >= 10, funciones
    antes = _huella(almacen_demo.cursor())
    hostiles = Filtros(date(2026, 1, 1), date(2026, 3, 31), canales=(HOSTIL,), sucursales=(HOSTIL,),
                       tipos_cliente=(HOSTIL,), equipos=(HOSTIL,))
    for funcion in funciones:
        funcion(almacen_demo.ibis(), hostiles).to_pandas()
    assert _huella(almacen_demo.cursor()) == antes
    assert consultas_filtros.encuestas(almacen_demo.ibis(), Filtros()).count().execute() > 0
