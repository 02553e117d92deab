"""Un cambio sobre las filas de una tabla, el mismo en el almacén DuckDB y en los Parquet del lago.

Un ``Cambio`` es una condición SQL sobre las filas (alias ``t``) y qué hacer con las que la
cumplen: reemplazar columnas (``SELECT * REPLACE (...)``) o borrarlas; con ``conservar`` se añade
la copia reemplazada y la original se queda. Las condiciones solo citan columnas del esquema y
tablas temporales que llenan consultas con parámetros (``_fichas``: identificador → ficha
anónima; ``_respuestas``, ``_contactos``, ``_plazo``): ningún valor de un usuario se pega en el SQL.
Supresión y retención (``datos.personas.supresion``, ``datos.personas.retencion``) los describen;
aquí se cuentan, se leen y se aplican en el almacén (``datos.personas.lago`` en el lago).
"""

from dataclasses import dataclass

import duckdb
import pandas as pd

__all__ = ["Cambio", "FICHA_ANONIMA", "PREFIJO_ANONIMO", "contar", "leer", "aplicar", "seleccion_cambiada"]

#: Comienzo de todo identificador anónimo que escribe Eslabón (``ANON-`` y 16 cifras hexadecimales al azar).
PREFIJO_ANONIMO = "ANON-"

#: SQL de la ficha anónima del cliente de la fila ``t`` (su fila en ``_fichas``).
FICHA_ANONIMA = "(SELECT f.token FROM _fichas f WHERE f.cliente_id = t.cliente_id)"


@dataclass(frozen=True)
class Cambio:
    """Qué filas de ``tabla`` cambian (``condicion``) y cómo: ``reemplazos`` o, si es None, borrarlas."""

    tabla: str
    condicion: str
    reemplazos: str | None = None
    conservar: bool = False

    def __post_init__(self):
        if self.conservar and self.reemplazos is None:
            raise ValueError("'conservar' necesita 'reemplazos': no se conserva lo que se borra")


def contar(con: duckdb.DuckDBPyConnection, tabla: str, condicion: str) -> int:
    """Filas de ``tabla`` del almacén que cumplen ``condicion``."""
    return con.execute(f"SELECT count(*) FROM {tabla} AS t WHERE {condicion}").fetchall()[0][0]


def leer(con: duckdb.DuckDBPyConnection, tabla: str, condicion: str, columnas: tuple[str, ...]) -> pd.DataFrame:
    """Las ``columnas`` de las filas de ``tabla`` del almacén que cumplen ``condicion``."""
    return con.execute(f"SELECT {', '.join(columnas)} FROM {tabla} AS t WHERE {condicion}").fetchdf()


def seleccion_cambiada(cambio: Cambio) -> str:
    """SQL de las filas de una tabla ``t`` después del cambio (para reescribir un Parquet)."""
    intactas = f"SELECT * FROM t WHERE ({cambio.condicion}) IS NOT TRUE"
    if cambio.reemplazos is None:
        return intactas
    cambiadas = f"SELECT * REPLACE ({cambio.reemplazos}) FROM t WHERE {cambio.condicion}"
    base = "SELECT * FROM t" if cambio.conservar else intactas
    return f"{base} UNION ALL {cambiadas}"


def aplicar(con: duckdb.DuckDBPyConnection, cambio: Cambio) -> int:
    """Aplica ``cambio`` a la tabla del almacén (en la transacción de quien llama); devuelve las filas tocadas.

    Las filas se eligen una vez por ``rowid``, así que el resultado no depende de que la fila ya
    cambiada siga o no cumpliendo la condición.
    """
    con.execute(f"CREATE OR REPLACE TEMP TABLE _elegidas AS SELECT rowid AS fila FROM {cambio.tabla} AS t "
                f"WHERE {cambio.condicion}")
    filas = con.execute("SELECT count(*) FROM _elegidas").fetchall()[0][0]
    if filas:
        elegidas = "rowid IN (SELECT fila FROM _elegidas)"
        if cambio.reemplazos is not None:
            con.execute(f"INSERT INTO {cambio.tabla} SELECT * REPLACE ({cambio.reemplazos}) "
                        f"FROM {cambio.tabla} AS t WHERE {elegidas}")
        if not cambio.conservar:
            con.execute(f"DELETE FROM {cambio.tabla} WHERE {elegidas}")
    con.execute("DROP TABLE _elegidas")
    return filas
