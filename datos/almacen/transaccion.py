"""Una transacción de DuckDB como bloque ``with``: todo lo de dentro se confirma junto o nada.

Cada escritura del almacén (cargas, deshacer, ajustes, demostración, migraciones) pasa por aquí en
vez de repetir ``BEGIN … COMMIT`` con su ``ROLLBACK``.
"""

from collections.abc import Iterator
from contextlib import contextmanager

import duckdb

__all__ = ["transaccion"]


@contextmanager
def transaccion(con: duckdb.DuckDBPyConnection) -> Iterator[duckdb.DuckDBPyConnection]:
    """Abre una transacción en ``con``; la confirma al salir bien y la deshace si algo falla.

    Cualquier excepción, también ``KeyboardInterrupt`` (``BaseException``), deshace todo lo
    escrito dentro del bloque y se vuelve a lanzar. Si falla el propio ``COMMIT`` (un conflicto con
    otra transacción), DuckDB ya la deshizo y su error sale tal cual. Devuelve ``con`` para ``as``.

    >>> con = duckdb.connect()
    >>> _ = con.execute("CREATE TABLE t (x INTEGER)")
    >>> with transaccion(con):
    ...     _ = con.execute("INSERT INTO t VALUES (1)")
    >>> con.execute("SELECT count(*) FROM t").fetchall()
    [(1,)]
    """
    con.execute("BEGIN TRANSACTION")
    try:
        yield con
    except BaseException:
        con.execute("ROLLBACK")
        raise
    con.execute("COMMIT")
