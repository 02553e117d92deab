"""``datos.almacen.transaccion``: confirma al salir bien y deshace ante cualquier excepción."""

import duckdb
import pytest

from datos.almacen import transaccion


@pytest.fixture
def con():
    """DuckDB en memoria con una tabla de una columna."""
    conexion = duckdb.connect()
    conexion.execute("CREATE TABLE t (x INTEGER)")
    yield conexion
    conexion.close()


def _filas(con) -> int:
    return con.execute("SELECT count(*) FROM t").fetchall()[0][0]


def test_confirma_al_salir_bien(con):
    with transaccion(con) as dentro:
        dentro.execute("INSERT INTO t VALUES (1), (2)")
    assert _filas(con) == 2


def test_deshace_y_relanza_un_error(con):
    with pytest.raises(ValueError, match="falla"):
        with transaccion(con):
            con.execute("INSERT INTO t VALUES (1)")
            raise ValueError("falla")
    assert _filas(con) == 0
    with transaccion(con):  # la conexión queda lista para otra transacción
        con.execute("INSERT INTO t VALUES (3)")
    assert _filas(con) == 1


def test_deshace_ante_keyboard_interrupt(con):
    with pytest.raises(KeyboardInterrupt):
        with transaccion(con):
            con.execute("INSERT INTO t VALUES (1)")
            raise KeyboardInterrupt
    assert _filas(con) == 0


def test_deshace_si_falla_una_sentencia(con):
    with pytest.raises(duckdb.Error):
        with transaccion(con):
            con.execute("INSERT INTO t VALUES (1)")
            con.execute("INSERT INTO t VALUES ('no es un número')")
    assert _filas(con) == 0


def test_un_commit_fallido_sale_con_su_propio_error(con):
    con.execute("CREATE TABLE u (x INTEGER PRIMARY KEY)")
    otra = con.cursor()
    with pytest.raises(duckdb.TransactionException, match="Failed to commit"):
        with transaccion(con):
            con.execute("INSERT INTO u VALUES (1)")
            with transaccion(otra):
                otra.execute("INSERT INTO u VALUES (1)")
    assert con.execute("SELECT count(*) FROM u").fetchall() == [(1,)]
