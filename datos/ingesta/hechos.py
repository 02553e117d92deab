"""Dónde se comprueban y se escriben las filas de una carga: las tablas del almacén o el lago Parquet.

``EnAlmacen`` (el modo predeterminado) y ``datos.motores.lago_cargas.EnLago`` (el modo Spark)
ofrecen los mismos pasos; ``hechos_de(lago)`` elige uno. ``referencias`` dice qué columnas de un
archivo citan fichas de otra tabla (clientes, agentes).
"""

from contextlib import AbstractContextManager, nullcontext

import duckdb

from datos.almacen.derivados import registrar_carga
from datos.ingesta.validacion import Columna
from datos.motores.lago_cargas import EnLago, Lago

__all__ = ["EnAlmacen", "hechos_de", "referencias"]

#: Columnas que citan la ficha de otra tabla, y esa tabla.
_REFERENCIAS = {"cliente_id": "clientes", "agente_id": "agentes"}


class EnAlmacen:
    """Los datos viven en las tablas del almacén (el modo predeterminado): se comprueba y se inserta
    en ``main`` dentro de la transacción de la carga. ``datos.motores.lago_cargas.EnLago`` es el
    equivalente para un lago Parquet; los métodos que aquí no hacen nada son sus pasos propios."""

    def tabla(self, nombre: str) -> str:
        """SQL de la tabla con las claves guardadas de ``nombre``."""
        return f"main.{nombre}"

    def destino(self, nombre: str) -> str:
        """SQL de la tabla donde se insertan las filas nuevas de ``nombre``."""
        return f"main.{nombre}"

    def bloqueo(self, con: duckdb.DuckDBPyConnection) -> AbstractContextManager:
        """Nada que excluir: la transacción de DuckDB basta."""
        return nullcontext()

    def preparar(self, con, claves, destinos) -> None:
        """Nada que copiar: las comprobaciones leen ``main`` directamente."""

    def escribir(self, con, carga_id) -> None:
        """Nada más que escribir: las filas ya se insertaron en ``main``."""

    def registrar_carga(self, con: duckdb.DuckDBPyConnection, tabla: str, carga_id: int) -> None:
        """Recalcula ``fcr`` en los grupos que toca la carga y sube la versión de los datos."""
        registrar_carga(con, tabla, carga_id)

    def descartar(self) -> None:
        """Nada que borrar: ``ROLLBACK`` basta."""

    def publicar(self, con) -> None:
        """Nada que publicar: ``COMMIT`` basta."""


def hechos_de(lago: Lago | None) -> EnAlmacen | EnLago:
    """Dónde se comprueban y escriben las filas: el almacén (``lago`` es ``None``) o el lago."""
    return EnAlmacen() if lago is None else EnLago(lago)


def referencias(tipo, columnas: list[Columna]) -> list[tuple[int, Columna, str]]:
    """``(posición, columna, tabla citada)`` de cada columna que cita clientes o agentes de otra tabla.

    Las fichas de un archivo de clientes no se citan a sí mismas: su ``cliente_id`` no cuenta.
    """
    return [(k, c, _REFERENCIAS[c.destino]) for k, c in enumerate(columnas)
            if c.destino in _REFERENCIAS and tipo.tabla != _REFERENCIAS[c.destino]]
