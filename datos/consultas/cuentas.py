"""Cuentas y bitácora, para la página de administración."""


import ibis
from ibis.expr.types import Table


__all__ = ['bitacora', 'usuarios']


def usuarios(con: ibis.BaseBackend) -> Table:
    """Cuentas de usuario sin el hash de la clave, ordenadas por usuario."""
    t = con.table("usuarios")
    return t.select("usuario", "nombre", "rol", "activo", sucursales=t.sucursales.cast("array<string>"),
                    equipos=t.equipos.cast("array<string>"), intentos_fallidos=t.intentos_fallidos,
                    bloqueado_hasta=t.bloqueado_hasta, creado=t.creado).order_by("usuario")


def bitacora(con: ibis.BaseBackend, *, limite: int = 1000) -> Table:
    """Las ``limite`` anotaciones más recientes de la bitácora (quién, qué, cuándo)."""
    t = con.table("bitacora")
    return t.order_by(ibis.desc("momento")).limit(limite)
