"""Fixtures compartidas: almacenes nuevos en memoria o en archivo temporal."""

import pytest

from tests.navegador import pagina, servidor_demo, servidor_vacio  # noqa: F401 - fixtures compartidas

from datos import demo
from datos.almacen.conexion import Almacen


@pytest.fixture
def almacen_memoria():
    """Un almacén DuckDB en memoria, migrado y vacío."""
    almacen = Almacen(":memory:")
    yield almacen
    almacen.cerrar()


@pytest.fixture
def con_memoria(almacen_memoria):
    """Cursor DuckDB de un almacén en memoria, migrado y vacío."""
    return almacen_memoria.cursor()


@pytest.fixture
def base_vacia(tmp_path, monkeypatch):
    """ESLABON_DB apuntando a un archivo nuevo."""
    ruta = tmp_path / "eslabon.duckdb"
    monkeypatch.setenv("ESLABON_DB", str(ruta))
    return ruta


@pytest.fixture
def base_demo(base_vacia):
    """ESLABON_DB con datos de demostración pequeños ya cargados."""
    almacen = Almacen(str(base_vacia))
    demo.cargar_demo(almacen.cursor(), escala=0.3)
    almacen.cerrar()
    return base_vacia
