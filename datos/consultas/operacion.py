"""El estado del trabajador programado, para la página «Operación»."""

import ibis
from ibis.expr.types import Table

__all__ = ["trabajos", "ejecuciones"]


def trabajos(con: ibis.BaseBackend) -> Table:
    """La última ejecución de cada trabajo: cuándo, estado, resultado y la próxima guardada."""
    return con.table("trabajos").order_by("trabajo")


def ejecuciones(con: ibis.BaseBackend, *, limite: int = 50) -> Table:
    """Las ``limite`` ejecuciones más recientes que hicieron algo o fallaron, de la más nueva a la más vieja."""
    return con.table("ejecuciones_trabajos").order_by(ibis.desc("inicio")).limit(limite)
