"""Una transacción de DuckDB como bloque ``with``: todo lo de dentro se confirma junto o nada, y de una en una.

Cada escritura del almacén (cargas, deshacer, ajustes, demostración, migraciones, respaldos) pasa por
aquí en vez de repetir ``BEGIN … COMMIT`` con su ``ROLLBACK``.

Una sola escritura a la vez por proceso: DuckDB confirma sus transacciones de forma optimista, y dos
cargas que se solapan (dos analistas con archivos de las mismas cabeceras, o una carga de la página y
otra que llega por ``datos.servicio``) chocaban al confirmar en ``mapeos`` o en
``configuracion.version_datos`` («Duplicate key firma…», «Conflict on update»). Por eso ``transaccion``
toma primero ``ESCRITURA``, un candado reentrante del proceso: la segunda espera a que la primera
confirme y después ve lo que guardó. Leer no lo toma: las páginas siguen leyendo mientras se carga.
"""

import threading
from collections.abc import Iterator
from contextlib import contextmanager

import duckdb

__all__ = ["ESCRITURA", "transaccion"]

#: El candado de las escrituras del proceso (reentrante: una transacción puede llamar a otra función que lo toma).
ESCRITURA = threading.RLock()


@contextmanager
def transaccion(con: duckdb.DuckDBPyConnection) -> Iterator[duckdb.DuckDBPyConnection]:
    """Abre una transacción en ``con`` (con ``ESCRITURA`` tomado); la confirma al salir bien y la deshace si algo falla.

    Cualquier excepción, también ``KeyboardInterrupt`` (``BaseException``), deshace todo lo
    escrito dentro del bloque y se vuelve a lanzar. Si falla el propio ``COMMIT``, DuckDB ya la
    deshizo y su error sale tal cual. Devuelve ``con`` para ``as``.

    >>> con = duckdb.connect()
    >>> _ = con.execute("CREATE TABLE t (x INTEGER)")
    >>> with transaccion(con):
    ...     _ = con.execute("INSERT INTO t VALUES (1)")
    >>> con.execute("SELECT count(*) FROM t").fetchall()
    [(1,)]
    """
    with ESCRITURA:
        con.execute("BEGIN TRANSACTION")
        try:
            yield con
        except BaseException:
            con.execute("ROLLBACK")
            raise
        con.execute("COMMIT")
