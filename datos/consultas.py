"""Consultas de lectura como expresiones Ibis.

Cada función recibe un backend Ibis (DuckDB por defecto; las mismas
expresiones corren sin cambios en Spark u otro motor) y devuelve una
expresión sin ejecutar. Toda la agregación ocurre en el motor: a pandas solo
llegan resultados pequeños (una fila por periodo o por mes).

Los filtros de la barra lateral viajan en ``Filtros``; una lista vacía
significa "sin filtro" (un ``isin`` vacío no devolvería nada).
"""

from dataclasses import dataclass
from datetime import date, timedelta

import ibis
from ibis.expr.types import BooleanValue, Table

__all__ = [
    "Filtros", "periodo_anterior", "interacciones", "encuestas", "resumen_encuestas",
    "resumen_interacciones", "serie_encuestas", "serie_interacciones", "valores_de_filtro",
    "rango_de_fechas", "metas", "configuracion", "DIAS_RECONTACTO",
]

#: Un contacto resuelto cuenta como resuelto al primer contacto (FCR) si el mismo
#: cliente no vuelve por el mismo motivo en estos días.
DIAS_RECONTACTO = 7


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


def _entre_fechas(columna: ibis.Value, desde: date | None, hasta: date | None) -> list[BooleanValue]:
    """Condiciones para ``desde <= columna < hasta + 1 día`` (extremos ``None`` abiertos)."""
    condiciones = []
    if desde is not None:
        condiciones.append(columna >= ibis.timestamp(desde.isoformat()))
    if hasta is not None:
        condiciones.append(columna < ibis.timestamp((hasta + timedelta(days=1)).isoformat()))
    return condiciones


def _filtrar(tabla: Table, condiciones: list[BooleanValue]) -> Table:
    """Aplica las condiciones (ninguna: la tabla tal cual)."""
    return tabla.filter(*condiciones) if condiciones else tabla


def interacciones(con: ibis.BaseBackend, filtros: Filtros) -> Table:
    """Interacciones filtradas, con la columna derivada ``fcr`` (resuelto al primer contacto).

    ``fcr`` es verdadero si el contacto quedó resuelto y el mismo cliente no
    volvió por el mismo motivo en ``DIAS_RECONTACTO`` días. Se calcula sobre
    todas las interacciones antes de filtrar, para que un recontacto por otro
    canal o fuera del rango de fechas también cuente.
    """
    t = con.table("interacciones")
    siguiente = t.fecha_inicio.lead().over(
        ibis.window(group_by=[t.cliente_id, t.motivo], order_by=t.fecha_inicio)
    )
    sin_recontacto = t.cliente_id.isnull() | siguiente.isnull() | (
        siguiente > t.fecha_inicio + ibis.interval(days=DIAS_RECONTACTO)
    )
    t = t.mutate(fcr=t.resuelto & sin_recontacto)
    condiciones = _entre_fechas(t.fecha_inicio, filtros.desde, filtros.hasta)
    condiciones += _condiciones([(t.canal, filtros.canales), (t.sucursal, filtros.sucursales)])
    if filtros.tipos_cliente:
        clientes = con.table("clientes")
        clientes = clientes.filter(clientes.tipo_cliente.isin(list(filtros.tipos_cliente)))
        condiciones.append(t.cliente_id.isin(clientes.cliente_id))
    if filtros.equipos:
        agentes = con.table("agentes")
        agentes = agentes.filter(agentes.equipo.isin(list(filtros.equipos)))
        condiciones.append(t.agente_id.isin(agentes.agente_id))
    return _filtrar(t, condiciones)


def encuestas(con: ibis.BaseBackend, filtros: Filtros) -> Table:
    """Respuestas de encuesta filtradas.

    El filtro por equipo usa el agente de la interacción a la que responde la
    encuesta; una respuesta sin interacción no pertenece a ningún equipo y
    queda fuera cuando se filtra por equipo.
    """
    t = con.table("encuestas")
    condiciones = _entre_fechas(t.fecha, filtros.desde, filtros.hasta)
    condiciones += _condiciones([
        (t.canal, filtros.canales), (t.sucursal, filtros.sucursales), (t.tipo_cliente, filtros.tipos_cliente),
    ])
    if filtros.equipos:
        agentes = con.table("agentes")
        agentes = agentes.filter(agentes.equipo.isin(list(filtros.equipos)))
        contactos = con.table("interacciones")
        contactos = contactos.filter(contactos.agente_id.isin(agentes.agente_id))
        condiciones.append(t.interaccion_id.isin(contactos.interaccion_id))
    return _filtrar(t, condiciones)


def _metricas_encuestas(t: Table) -> dict[str, ibis.Value]:
    """Sumas y conteos de encuestas de los que salen CSAT, NPS y CES con sus intervalos."""
    return {
        "n_respuestas": t.count(),
        "n_csat": t.csat.count(),
        "suma_csat": t.csat.sum(),
        "suma2_csat": (t.csat * t.csat).sum(),
        "csat_top2": (t.csat >= 4).sum(),
        "n_nps": t.nps.count(),
        "promotores": (t.nps >= 9).sum(),
        "detractores": (t.nps <= 6).sum(),
        "n_ces": t.ces.count(),
        "suma_ces": t.ces.sum(),
        "suma2_ces": (t.ces * t.ces).sum(),
        "ces_facil": (t.ces >= 5).sum(),
    }


def _metricas_interacciones(t: Table) -> dict[str, ibis.Value]:
    """Conteos y percentiles de interacciones: promesa, FCR y tiempos de respuesta."""
    return {
        "n_interacciones": t.count(),
        "n_promesa": t.promesa_cumplida.count(),
        "promesa_cumplida": t.promesa_cumplida.sum(),
        "n_fcr": t.fcr.count(),
        "fcr": t.fcr.sum(),
        "n_respuesta": t.tiempo_respuesta_min.count(),
        "respuesta_mediana": t.tiempo_respuesta_min.quantile(0.5),
        "respuesta_p90": t.tiempo_respuesta_min.quantile(0.9),
    }


def _etiqueta_periodo(columna: ibis.Value, desde: date) -> ibis.Value:
    """'actual' para fechas desde ``desde``; 'anterior' para las previas."""
    return ibis.ifelse(columna >= ibis.timestamp(desde.isoformat()), "actual", "anterior")


def _con_periodo_anterior(filtros: Filtros) -> Filtros:
    """Los mismos filtros, con el rango ampliado para cubrir también el periodo anterior."""
    desde_anterior, _ = periodo_anterior(filtros.desde, filtros.hasta)
    return Filtros(desde_anterior, filtros.hasta, filtros.canales, filtros.sucursales,
                   filtros.tipos_cliente, filtros.equipos)


def resumen_encuestas(con: ibis.BaseBackend, filtros: Filtros) -> Table:
    """Una fila por periodo ('actual', 'anterior') con las métricas de encuestas.

    Requiere ``filtros.desde`` y ``filtros.hasta``: el periodo anterior tiene la misma duración.
    """
    t = encuestas(con, _con_periodo_anterior(filtros))
    t = t.mutate(periodo=_etiqueta_periodo(t.fecha, filtros.desde))
    return t.group_by("periodo").aggregate(**_metricas_encuestas(t))


def resumen_interacciones(con: ibis.BaseBackend, filtros: Filtros) -> Table:
    """Una fila por periodo ('actual', 'anterior') con las métricas de interacciones.

    Incluye ``sobre_mediana_conjunta``: cuántos tiempos de respuesta del periodo
    superan la mediana de ambos periodos juntos (la prueba de la mediana de Mood
    compara esas proporciones).
    """
    t = interacciones(con, _con_periodo_anterior(filtros))
    t = t.mutate(periodo=_etiqueta_periodo(t.fecha_inicio, filtros.desde))
    t = t.cross_join(t.aggregate(mediana_conjunta=t.tiempo_respuesta_min.quantile(0.5)))
    return t.group_by("periodo").aggregate(
        sobre_mediana_conjunta=(t.tiempo_respuesta_min > t.mediana_conjunta).sum(),
        **_metricas_interacciones(t),
    )


def _serie(tabla: Table, columna_fecha: str, metricas: dict[str, ibis.Value]) -> Table:
    """Agrega ``metricas`` por mes calendario de ``columna_fecha`` (columna ``mes``), ordenado."""
    mes = tabla[columna_fecha].truncate("M").cast("date")
    return tabla.group_by(mes=mes).aggregate(**metricas).order_by("mes")


def _ventana_de_meses(filtros: Filtros, meses: int) -> Filtros:
    """Los filtros con el rango de fechas llevado a los ``meses`` meses calendario que terminan en ``hasta``."""
    inicio = filtros.hasta.replace(day=1)
    for _ in range(meses - 1):
        inicio = (inicio - timedelta(days=1)).replace(day=1)
    return Filtros(inicio, filtros.hasta, filtros.canales, filtros.sucursales,
                   filtros.tipos_cliente, filtros.equipos)


def serie_encuestas(con: ibis.BaseBackend, filtros: Filtros, *, meses: int = 12) -> Table:
    """Métricas de encuestas por mes, en los ``meses`` meses que terminan en ``filtros.hasta``."""
    t = encuestas(con, _ventana_de_meses(filtros, meses))
    return _serie(t, "fecha", _metricas_encuestas(t))


def serie_interacciones(con: ibis.BaseBackend, filtros: Filtros, *, meses: int = 12) -> Table:
    """Métricas de interacciones por mes, en los ``meses`` meses que terminan en ``filtros.hasta``."""
    t = interacciones(con, _ventana_de_meses(filtros, meses))
    return _serie(t, "fecha_inicio", _metricas_interacciones(t))


def valores_de_filtro(con: ibis.BaseBackend, campo: str) -> Table:
    """Valores distintos, no nulos y ordenados de un filtro de la barra lateral (columna ``valor``).

    ``campo`` es 'canal', 'sucursal', 'tipo_cliente' o 'equipo'.
    """
    origenes = {
        "canal": [("interacciones", "canal"), ("encuestas", "canal")],
        "sucursal": [("interacciones", "sucursal"), ("encuestas", "sucursal")],
        "tipo_cliente": [("clientes", "tipo_cliente"), ("encuestas", "tipo_cliente")],
        "equipo": [("agentes", "equipo")],
    }
    if campo not in origenes:
        raise ValueError(f"'campo' debe ser uno de {sorted(origenes)}, no {campo!r}")
    partes = [con.table(tabla).select(valor=con.table(tabla)[columna]) for tabla, columna in origenes[campo]]
    union = ibis.union(*partes, distinct=True) if len(partes) > 1 else partes[0].distinct()
    return union.filter(union.valor.notnull()).order_by("valor")


def rango_de_fechas(con: ibis.BaseBackend) -> Table:
    """Una fila con la primera y la última fecha de encuestas e interacciones (``primera``, ``ultima``)."""
    e = con.table("encuestas")
    i = con.table("interacciones")
    fechas = ibis.union(e.select(fecha=e.fecha), i.select(fecha=i.fecha_inicio))
    return fechas.aggregate(primera=fechas.fecha.min().cast("date"), ultima=fechas.fecha.max().cast("date"))


def metas(con: ibis.BaseBackend) -> Table:
    """Metas por KPI: ``kpi``, ``meta`` y ``sentido`` ('mayor' o 'menor' es mejor)."""
    return con.table("metas")


def configuracion(con: ibis.BaseBackend) -> Table:
    """Pares ``clave``/``valor`` de configuración (p. ej. ``muestra_minima``)."""
    return con.table("configuracion")
