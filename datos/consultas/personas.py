"""Datos personales: buscar a un cliente por un atributo subido y el registro de solicitudes.

Las filas de una persona las leen ``datos.personas`` con una sola condición SQL por lugar, la misma
en el almacén y en los Parquet del lago (buscar, exportar y suprimir no pueden discrepar); aquí
quedan las lecturas que la página y la búsqueda hacen con Ibis.
"""

import ibis
from ibis.expr.types import Table

__all__ = ["candidatos_por_atributo", "solicitudes"]


def candidatos_por_atributo(con: ibis.BaseBackend, texto: str, digitos: str, *, clientes: Table | None = None
                            ) -> Table:
    """Clientes cuyos atributos subidos contienen ``texto`` (en minúsculas) o, si ``digitos`` no está
    vacío, esos dígitos (un teléfono escrito con espacios o guiones). Es un primer filtro en el motor:
    ``datos.personas`` comprueba después que algún atributo sea exactamente ese correo o teléfono.
    ``clientes`` es otra tabla de clientes con las mismas columnas (los Parquet del lago); si no, la del almacén."""
    t = con.table("clientes") if clientes is None else clientes
    texto_atributos = t.atributos.cast("string")
    condicion = texto_atributos.lower().contains(texto)
    if digitos:
        condicion = condicion | texto_atributos.re_replace(r"[^0-9]", "").contains(digitos)
    return t.filter(t.atributos.notnull(), condicion).select("cliente_id", atributos=texto_atributos)


def solicitudes(con: ibis.BaseBackend, *, limite: int = 200) -> Table:
    """Las ``limite`` solicitudes de acceso, supresión y retención más recientes (sin datos de personas)."""
    t = con.table("solicitudes_personales")
    return t.order_by(ibis.desc("solicitud")).limit(limite)
