"""Envíos: las suscripciones guardadas, la historia de las entregas y las que siguen fallando."""

import ibis
from ibis.expr.types import Table

__all__ = ["entregas", "fallos_pendientes", "suscripciones"]


def suscripciones(con: ibis.BaseBackend) -> Table:
    """Las suscripciones en su orden: ``para``, ``frecuencia``, ``informe``, ``sucursales``, ``equipos``,
    ``webhook``, ``activo`` y ``creado`` (las listas como arreglos de texto)."""
    t = con.table("envios")
    return t.order_by("orden").select(
        para=t.para.cast("array<string>"), frecuencia=t.frecuencia, informe=t.informe,
        sucursales=t.sucursales.cast("array<string>"), equipos=t.equipos.cast("array<string>"), webhook=t.webhook,
        activo=t.activo, creado=t.creado)


def entregas(con: ibis.BaseBackend, *, limite: int = 500) -> Table:
    """Las ``limite`` entregas más recientes (correo o webhook), con su estado, intentos y error."""
    t = con.table("entregas_envios")
    return (t.order_by([ibis.desc("momento"), ibis.desc("entrega_id")]).limit(limite)
            .select("momento", "informe", "canal", "destino", "estado", "intentos", "asunto", "error"))


def fallos_pendientes(con: ibis.BaseBackend) -> Table:
    """Las entregas cuyo último intento falló (por suscripción, canal y destino): las que aún no llegaron."""
    t = con.table("entregas_envios")
    orden = ibis.row_number().over(group_by=["clave", "canal", "destino"],
                                   order_by=[ibis.desc("momento"), ibis.desc("entrega_id")])
    ultimas = t.mutate(_orden=orden)
    ultimas = ultimas.filter(ultimas._orden == 0, ultimas.estado == "fallido")
    return ultimas.select("momento", "informe", "canal", "destino", "intentos", "error").order_by(ibis.desc("momento"))
