"""Escritura de las reglas de alerta configuradas por el usuario (tabla ``reglas_alerta``).

Las reglas ya validadas (``analisis.alertas.validar_reglas``) reemplazan a las guardadas
en una sola transacción, que además sube ``configuracion.version_datos`` para que todas
las páginas vuelvan a evaluar sus alertas.
"""

from collections.abc import Iterable

import duckdb

from datos.almacen.derivados import subir_version
from datos.almacen.transaccion import transaccion

__all__ = ["guardar_reglas"]


def guardar_reglas(con: duckdb.DuckDBPyConnection, reglas: Iterable) -> int:
    """Reemplaza todas las reglas de alerta por ``reglas`` y devuelve cuántas quedaron.

    Parameters
    ----------
    con : cursor DuckDB del almacén.
    reglas : objetos con ``regla_id``, ``tipo``, ``kpi``, ``desglose``, ``dias``, ``alfa`` y
        ``activa`` (``analisis.alertas.Regla``).
    """
    filas = [[r.regla_id, r.tipo, r.kpi, r.desglose, r.dias, r.alfa, r.activa] for r in reglas]
    with transaccion(con):
        con.execute("DELETE FROM reglas_alerta")
        if filas:
            con.executemany("INSERT INTO reglas_alerta VALUES (?, ?, ?, ?, ?, ?, ?)", filas)
        subir_version(con)
    return len(filas)
