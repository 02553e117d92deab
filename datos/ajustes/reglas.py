"""Escritura de las reglas de alerta configuradas por el usuario (tabla ``reglas_alerta``).

Las reglas ya validadas (``analisis.alertas.validar_reglas``) reemplazan a las guardadas
en una sola transacción, que además sube ``configuracion.version_datos`` para que todas
las páginas vuelvan a evaluar sus alertas, y anota en la bitácora cada regla que cambió con su
texto anterior y el nuevo (``datos.cuentas.configuracion.anotar_cambio``).
"""

from collections.abc import Iterable

import duckdb

from analisis.alertas import Regla, describir_regla
from datos.almacen.derivados import subir_version
from datos.almacen.transaccion import transaccion
from datos.cuentas.configuracion import anotar_cambio

__all__ = ["guardar_reglas"]


def _descritas(reglas: Iterable[Regla]) -> dict[int, str]:
    """Número de regla → su descripción legible (``analisis.alertas.describir_regla``)."""
    return {regla.regla_id: describir_regla(regla) for regla in reglas}


def guardar_reglas(con: duckdb.DuckDBPyConnection, reglas: Iterable[Regla], *, autor: str) -> int:
    """Reemplaza todas las reglas de alerta por ``reglas`` y devuelve cuántas quedaron.

    Parameters
    ----------
    con : cursor DuckDB del almacén.
    reglas : ``analisis.alertas.Regla`` ya validadas.
    autor : usuario que guarda; la bitácora anota a su nombre cada regla añadida, cambiada o quitada.
    """
    reglas = list(reglas)
    filas = [[r.regla_id, r.tipo, r.kpi, r.desglose, r.dias, r.alfa, r.activa] for r in reglas]
    nuevas = _descritas(reglas)
    with transaccion(con):
        antes = _descritas(Regla(*fila) for fila in con.execute(
            "SELECT regla_id, tipo, kpi, desglose, dias, alfa, activa FROM reglas_alerta").fetchall())
        con.execute("DELETE FROM reglas_alerta")
        if filas:
            con.executemany("INSERT INTO reglas_alerta VALUES (?, ?, ?, ?, ?, ?, ?)", filas)
        subir_version(con)
        for numero_regla in sorted(antes.keys() | nuevas.keys()):
            if antes.get(numero_regla) != nuevas.get(numero_regla):
                anotar_cambio(con, autor, f"Regla de alerta {numero_regla}", antes.get(numero_regla),
                              nuevas.get(numero_regla))
    return len(filas)
