"""Fixtures compartidas: almacenes nuevos en memoria o en archivo temporal."""

import pytest

from datos.almacen import Almacen


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
