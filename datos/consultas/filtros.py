"""Filtros de la barra lateral, alcance de cada cuenta y las tablas de hechos ya filtradas."""

from dataclasses import dataclass, replace
from datetime import date, timedelta

import ibis
from ibis.expr.types import BooleanValue, Table


__all__ = ['FUERA_DE_ALCANCE', 'Filtros', 'con_alcance', 'encuestas', 'entre_fechas', 'filtrar', 'interacciones', 'muestra_por_hash', 'periodo_anterior', 'ventana_de_meses']


@dataclass(frozen=True)
class Filtros:
    """Filtros compartidos por todas las páginas (inmutables, sirven de clave de caché).

    ``desde`` y ``hasta`` son fechas inclusivas; ``None`` deja el extremo abierto.
    Las tuplas vacías no filtran.
    """

    desde: date | None = None
    hasta: date | None = None
    canales: tuple[str, ...] = ()
    sucursales: tuple[str, ...] = ()
    tipos_cliente: tuple[str, ...] = ()
    equipos: tuple[str, ...] = ()


#: Valor que ninguna fila tiene: deja vacía una selección que cae fuera del alcance del usuario.
FUERA_DE_ALCANCE = "\u0000fuera de alcance"


def _dentro_del_alcance(elegidos: tuple[str, ...], permitidos: tuple[str, ...]) -> tuple[str, ...]:
    """Selección restringida a lo permitido (sin permitidos: sin restricción; sin elección: todo lo permitido)."""
    if not permitidos:
        return elegidos
    if not elegidos:
        return tuple(permitidos)
    return tuple(v for v in elegidos if v in permitidos) or (FUERA_DE_ALCANCE,)


def con_alcance(filtros: Filtros, *, sucursales: tuple[str, ...] = (), equipos: tuple[str, ...] = ()) -> Filtros:
    """Los filtros limitados al alcance de datos de un usuario (sus sucursales y equipos permitidos).

    Como todas las consultas filtradas parten de ``Filtros``, aplicar el
    alcance aquí lo aplica en todas las páginas.

    >>> con_alcance(Filtros(), sucursales=("Norte",)).sucursales
    ('Norte',)
    >>> con_alcance(Filtros(sucursales=("Sur",)), sucursales=("Norte",)).sucursales == (FUERA_DE_ALCANCE,)
    True
    """
    return replace(filtros, sucursales=_dentro_del_alcance(filtros.sucursales, tuple(sucursales)),
                   equipos=_dentro_del_alcance(filtros.equipos, tuple(equipos)))


def periodo_anterior(desde: date, hasta: date) -> tuple[date, date]:
    """Devuelve el periodo inmediatamente anterior de la misma duración.

    >>> periodo_anterior(date(2026, 3, 1), date(2026, 3, 31))
    (datetime.date(2026, 1, 29), datetime.date(2026, 2, 28))
    """
    dias = (hasta - desde).days + 1
    return desde - timedelta(days=dias), desde - timedelta(days=1)


def _condiciones(columna_y_valores: list[tuple[ibis.Value, tuple[str, ...]]]) -> list[BooleanValue]:
    """Convierte pares (columna, valores) en condiciones ``isin``, saltando las listas vacías."""
    return [columna.isin(list(valores)) for columna, valores in columna_y_valores if valores]


def entre_fechas(columna: ibis.Value, desde: date | None, hasta: date | None) -> list[BooleanValue]:
    """Condiciones para ``desde <= columna < hasta + 1 día`` (extremos ``None`` abiertos)."""
    condiciones = []
    if desde is not None:
        condiciones.append(columna >= ibis.timestamp(desde.isoformat()))
    if hasta is not None:
        condiciones.append(columna < ibis.timestamp((hasta + timedelta(days=1)).isoformat()))
    return condiciones


def filtrar(tabla: Table, condiciones: list[BooleanValue]) -> Table:
    """Aplica las condiciones (ninguna: la tabla tal cual)."""
    return tabla.filter(*condiciones) if condiciones else tabla


def interacciones(con: ibis.BaseBackend, filtros: Filtros) -> Table:
    """Interacciones filtradas.

    Incluye ``fcr`` (resuelto al primer contacto), que se guarda ya calculado
    en cada escritura sobre todas las interacciones (ver ``datos.almacen.derivados``),
    así que un recontacto por otro canal o fuera del rango de fechas también cuenta.
    """
    t = con.table("interacciones")
    condiciones = entre_fechas(t.fecha_inicio, filtros.desde, filtros.hasta)
    condiciones += _condiciones([(t.canal, filtros.canales), (t.sucursal, filtros.sucursales)])
    if filtros.tipos_cliente:
        clientes = con.table("clientes")
        clientes = clientes.filter(clientes.tipo_cliente.isin(list(filtros.tipos_cliente)))
        condiciones.append(t.cliente_id.isin(clientes.cliente_id))
    if filtros.equipos:
        agentes = con.table("agentes")
        agentes = agentes.filter(agentes.equipo.isin(list(filtros.equipos)))
        condiciones.append(t.agente_id.isin(agentes.agente_id))
    return filtrar(t, condiciones)


def encuestas(con: ibis.BaseBackend, filtros: Filtros) -> Table:
    """Respuestas de encuesta filtradas.

    El filtro por equipo usa el agente de la interacción a la que responde la
    encuesta; una respuesta sin interacción no pertenece a ningún equipo y
    queda fuera cuando se filtra por equipo.
    """
    t = con.table("encuestas")
    condiciones = entre_fechas(t.fecha, filtros.desde, filtros.hasta)
    condiciones += _condiciones([
        (t.canal, filtros.canales), (t.sucursal, filtros.sucursales), (t.tipo_cliente, filtros.tipos_cliente),
    ])
    if filtros.equipos:
        agentes = con.table("agentes")
        agentes = agentes.filter(agentes.equipo.isin(list(filtros.equipos)))
        contactos = con.table("interacciones")
        contactos = contactos.filter(contactos.agente_id.isin(agentes.agente_id))
        condiciones.append(t.interaccion_id.isin(contactos.interaccion_id))
    return filtrar(t, condiciones)


def ventana_de_meses(filtros: Filtros, meses: int | None) -> Filtros:
    """Los filtros con el rango llevado a los ``meses`` meses calendario que terminan en ``filtros.hasta``.

    ``meses=None`` quita el inicio (todo el historial hasta ``hasta``). Los demás filtros no cambian.
    Sin ``hasta`` (base vacía) devuelve los filtros tal cual.
    """
    if filtros.hasta is None:
        return filtros
    if meses is None:
        return replace(filtros, desde=None)
    inicio = filtros.hasta.replace(day=1)
    for _ in range(meses - 1):
        inicio = (inicio - timedelta(days=1)).replace(day=1)
    return replace(filtros, desde=inicio)


def muestra_por_hash(tabla: Table, clave: str, limite: int) -> Table:
    """A lo sumo ``limite`` filas: las de menor MD5 de ``clave``, que equivale a un sorteo reproducible.

    Es la misma muestra para los mismos datos en cualquier motor: el MD5 es el mismo en DuckDB,
    Spark y los demás (la función ``hash`` de cada motor, no).
    """
    if limite < 1:
        raise ValueError("'limite' debe ser un entero positivo")
    return tabla.order_by(tabla[clave].cast("string").hexdigest("md5")).limit(limite)
