"""El historial de cargas y deshacer una carga entera (también en el lago Parquet).

Cada carga queda en ``cargas`` con quién la hizo; deshacerla borra sus filas de todas las tablas
en una transacción, la marca como deshecha (no desaparece del historial, con 0 filas guardadas: ya
no queda ninguna) y la anota en la bitácora.
"""

import getpass

import duckdb
import pandas as pd

from analisis.errores import CargaNoEncontrada
from datos.almacen.derivados import registrar_escritura
from datos.almacen.transaccion import transaccion
from datos.cuentas.usuarios import registrar
from datos.ingesta.hechos import hechos_de
from datos.motores.lago_cargas import Lago

__all__ = ["historial", "deshacer", "usuario_actual"]


def historial(con: duckdb.DuckDBPyConnection) -> pd.DataFrame:
    """Todas las cargas, de la más reciente a la más antigua, con su estado ('vigente' o 'deshecha')."""
    return con.execute(
        "SELECT carga_id, creada, tipo, archivo, filas_leidas, filas_guardadas, filas_repetidas, "
        "filas_rechazadas, usuario, origen, CASE WHEN deshecha IS NULL THEN 'vigente' ELSE 'deshecha' END AS estado, "
        "deshecha, deshecha_por, es_demo FROM cargas ORDER BY carga_id DESC").df()


def usuario_actual() -> str:
    """El usuario del sistema operativo, o 'anónimo' si no se puede saber."""
    try:
        return getpass.getuser() or "anónimo"
    except (KeyError, OSError):
        return "anónimo"


def deshacer(con: duckdb.DuckDBPyConnection, carga_id: int, *, usuario: str | None = None,
             lago: Lago | None = None) -> dict[str, int]:
    """Borra de todas las tablas las filas de una carga y la marca como deshecha (queda en el historial).

    Con ``lago`` también retira sus filas del lago Parquet (archivos de la carga, o reescritos sin
    ellas si las mezclan con otras), en la misma confirmación.

    Returns
    -------
    dict[str, int]
        Filas borradas por tabla (solo las que tenían alguna; con ``lago``, las retiradas del lago).

    Raises
    ------
    CargaNoEncontrada
        Si la carga no existe o ya estaba deshecha.
    """
    filas = con.execute("SELECT deshecha FROM cargas WHERE carga_id = ?", [int(carga_id)]).fetchall()
    if not filas:
        raise CargaNoEncontrada(f"No existe la carga n.º {carga_id}.")
    if filas[0][0] is not None:
        raise CargaNoEncontrada(f"La carga n.º {carga_id} ya se deshizo el {filas[0][0]:%d/%m/%Y a las %H:%M}.")
    hechos = hechos_de(lago)
    with hechos.bloqueo(con):
        try:
            with transaccion(con):
                borradas = _borrar(con, int(carga_id))
                if lago is not None:
                    borradas = hechos.retirar(con, int(carga_id))
                con.execute("UPDATE cargas SET deshecha = current_timestamp, deshecha_por = ?, filas_guardadas = 0 "
                            "WHERE carga_id = ?",
                            [usuario or usuario_actual(), int(carga_id)])
                registrar(con, usuario or usuario_actual(), "deshacer carga",
                          f"n.º {carga_id}: {sum(borradas.values())} filas")
                registrar_escritura(con)
        except BaseException:
            hechos.descartar()
            raise
        hechos.publicar(con)
    return borradas


def _borrar(con: duckdb.DuckDBPyConnection, carga_id: int) -> dict[str, int]:
    """Borra la carga de cada tabla del almacén con ``carga_id``; devuelve las filas borradas por tabla."""
    borradas = {}
    for tabla in _tablas_con_carga(con):
        n = con.execute(f'DELETE FROM main."{tabla}" WHERE carga_id = ?', [carga_id]).fetchall()[0][0]
        if n:
            borradas[tabla] = n
    return borradas


def _tablas_con_carga(con: duckdb.DuckDBPyConnection) -> list[str]:
    """Tablas del almacén (sin ``cargas``) con una columna ``carga_id``, en orden alfabético."""
    return [f[0] for f in con.execute(
        "SELECT c.table_name FROM information_schema.columns c JOIN information_schema.tables t "
        "ON t.table_name = c.table_name AND t.table_schema = c.table_schema AND t.table_catalog = c.table_catalog "
        "WHERE c.column_name = 'carga_id' AND c.table_name <> 'cargas' AND t.table_type = 'BASE TABLE' "
        "AND c.table_catalog = current_database() AND c.table_schema = 'main' ORDER BY 1").fetchall()]
