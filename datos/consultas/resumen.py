"""Resumen ejecutivo: métricas de encuestas e interacciones, series cortas, valores de filtro, metas y configuración."""

from dataclasses import replace
from datetime import date

import ibis
from ibis.expr.types import Table

from analisis.tendencias.indicadores import INDICADORES, sentido_predeterminado
from datos.almacen.agregados import sumas_encuestas, sumas_interacciones
from datos.consultas import agregados, percentiles
from datos.consultas.filtros import Filtros, encuestas, interacciones, periodo_anterior, ventana_de_meses

__all__ = ['con_periodo_anterior', 'configuracion', 'etiqueta_periodo', 'meta_que_rige', 'metas', 'metas_del_alcance', 'metricas_encuestas', 'metricas_interacciones', 'rango_de_fechas', 'resumen_encuestas', 'resumen_interacciones', 'serie_encuestas', 'serie_interacciones', 'valores_de_filtro']


#: Sumas y conteos de encuestas de los que salen CSAT, NPS y CES con sus intervalos (las mismas que los agregados).
metricas_encuestas = sumas_encuestas

#: Conteos de interacciones que usa el resumen (los demás de ``sumas_interacciones`` son de tendencias).
_CONTEOS_RESUMEN = ("n_interacciones", "n_promesa", "promesa_cumplida", "n_fcr", "fcr", "n_respuesta")


def metricas_interacciones(con: ibis.BaseBackend, t: Table) -> dict[str, ibis.Value]:
    """Conteos y percentiles de interacciones: promesa, FCR y tiempos de respuesta."""
    conteos = sumas_interacciones(t)
    return {
        **{nombre: conteos[nombre] for nombre in _CONTEOS_RESUMEN},
        "respuesta_mediana": percentiles.percentil(con, t.tiempo_respuesta_min, 0.5),
        "respuesta_p90": percentiles.percentil(con, t.tiempo_respuesta_min, 0.9),
    }


def etiqueta_periodo(columna: ibis.Value, desde: date) -> ibis.Value:
    """'actual' para fechas desde ``desde``; 'anterior' para las previas."""
    return ibis.ifelse(columna >= ibis.timestamp(desde.isoformat()), "actual", "anterior")


def con_periodo_anterior(filtros: Filtros) -> Filtros:
    """Los mismos filtros, con el rango ampliado para cubrir también el periodo anterior."""
    desde_anterior, _ = periodo_anterior(filtros.desde, filtros.hasta)
    return replace(filtros, desde=desde_anterior)


def resumen_encuestas(con: ibis.BaseBackend, filtros: Filtros) -> Table:
    """Una fila por periodo ('actual', 'anterior') con las métricas de encuestas.

    Requiere ``filtros.desde`` y ``filtros.hasta``: el periodo anterior tiene la misma duración.
    Lee los agregados diarios si están vigentes (``datos.consultas.agregados``).
    """
    ambos = con_periodo_anterior(filtros)
    t = encuestas(con, ambos)
    t = t.mutate(periodo=etiqueta_periodo(t.fecha, filtros.desde))
    por_filas = t.group_by("periodo").aggregate(**metricas_encuestas(t))
    if not agregados.usar(con, "encuestas"):
        return por_filas
    return agregados.encuestas_agregadas(con, ambos, agregados.por_periodo(filtros), por_filas)


def resumen_interacciones(con: ibis.BaseBackend, filtros: Filtros) -> Table:
    """Una fila por periodo ('actual', 'anterior') con las métricas de interacciones.

    Incluye ``sobre_mediana_conjunta``: cuántos tiempos de respuesta del periodo
    superan la mediana de ambos periodos juntos (la prueba de la mediana de Mood
    compara esas proporciones).
    """
    ambos = con_periodo_anterior(filtros)
    t = interacciones(con, ambos)
    t = t.mutate(periodo=etiqueta_periodo(t.fecha_inicio, filtros.desde))
    t = t.cross_join(t.aggregate(mediana_conjunta=percentiles.percentil(con, t.tiempo_respuesta_min, 0.5)))
    por_filas = t.group_by("periodo").aggregate(
        sobre_mediana_conjunta=(t.tiempo_respuesta_min > t.mediana_conjunta).sum(),
        **metricas_interacciones(con, t),
    )
    if not agregados.usar(con, "interacciones"):
        return por_filas
    return agregados.interacciones_agregadas(con, ambos, agregados.por_periodo(filtros), por_filas)


def _serie(tabla: Table, columna_fecha: str, metricas: dict[str, ibis.Value]) -> Table:
    """Agrega ``metricas`` por mes calendario de ``columna_fecha`` (columna ``mes``), ordenado."""
    mes = tabla[columna_fecha].truncate("M").cast("date")
    return tabla.group_by(mes=mes).aggregate(**metricas).order_by("mes")


def _por_mes(t: Table) -> dict[str, ibis.Value]:
    """Columna ``mes`` (primer día del mes) de una tabla de agregados."""
    return {"mes": t.dia.truncate("M").cast("date")}


def serie_encuestas(con: ibis.BaseBackend, filtros: Filtros, *, meses: int = 12) -> Table:
    """Métricas de encuestas por mes, en los ``meses`` meses que terminan en ``filtros.hasta``."""
    ventana = ventana_de_meses(filtros, meses)
    t = encuestas(con, ventana)
    por_filas = _serie(t, "fecha", metricas_encuestas(t))
    if not agregados.usar(con, "encuestas"):
        return por_filas
    return agregados.encuestas_agregadas(con, ventana, _por_mes, por_filas, ["mes"])


def serie_interacciones(con: ibis.BaseBackend, filtros: Filtros, *, meses: int = 12) -> Table:
    """Métricas de interacciones por mes, en los ``meses`` meses que terminan en ``filtros.hasta``."""
    ventana = ventana_de_meses(filtros, meses)
    t = interacciones(con, ventana)
    por_filas = _serie(t, "fecha_inicio", metricas_interacciones(con, t))
    if not agregados.usar(con, "interacciones"):
        return por_filas
    return agregados.interacciones_agregadas(con, ventana, _por_mes, por_filas, ["mes"])


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


#: KPI en que un valor menor es mejor (tiempos y quejas): su sentido si solo tienen metas con fecha.
_MENOR_ES_MEJOR = tuple(k.clave for k in INDICADORES if sentido_predeterminado(k.clave) == "menor")


def metas_del_alcance(con: ibis.BaseBackend, filtros: Filtros) -> Table:
    """Filas de ``metas_por_fecha`` que valen para los filtros: las generales y las de la sucursal o el canal
    elegidos (si se eligió uno solo)."""
    f = con.table("metas_por_fecha")
    sucursal = filtros.sucursales[0] if len(filtros.sucursales) == 1 else ""
    canal = filtros.canales[0] if len(filtros.canales) == 1 else ""
    return f.filter(f.sucursal.isin(["", sucursal]), f.canal.isin(["", canal]))


def meta_que_rige(candidatas: Table, grupo: str | list[str]) -> Table:
    """Una fila por ``grupo``: la meta con fecha que rige entre ``candidatas`` (ya limitadas a su fecha).

    Prefiere la de sucursal o canal a la general y, entre iguales, la de ``desde`` más reciente.
    """
    especifica = (candidatas.sucursal != "").cast("int8") + (candidatas.canal != "").cast("int8")
    ordenadas = candidatas.mutate(_orden=ibis.row_number().over(
        group_by=grupo, order_by=[ibis.desc(especifica), ibis.desc(candidatas.desde)]))
    return ordenadas.filter(ordenadas._orden == 0).drop("_orden")


def metas(con: ibis.BaseBackend, filtros: Filtros | None = None) -> Table:
    """Metas por KPI: ``kpi``, ``meta`` y ``sentido`` ('mayor' o 'menor' es mejor).

    Con ``filtros`` cada meta es la que rige el último día del periodo (``filtros.hasta``): la de
    ``metas_por_fecha`` con la fecha ``desde`` más reciente que no lo pase, prefiriendo la de la sucursal o el
    canal elegidos (si se eligió uno solo) a la general; sin ninguna, la de ``metas``. Así una meta nueva
    para 2027 no cambia la de un periodo de 2026.
    """
    base = con.table("metas")
    if filtros is None or filtros.hasta is None:
        return base
    f = metas_del_alcance(con, filtros)
    vigentes = meta_que_rige(f.filter(f.desde <= filtros.hasta), "kpi").select("kpi", meta_fecha="meta")
    unidas = base.outer_join(vigentes, base.kpi == vigentes.kpi)
    kpi = ibis.coalesce(unidas.kpi, unidas.kpi_right)
    return unidas.select(
        kpi=kpi, meta=ibis.coalesce(unidas.meta_fecha, unidas.meta),
        sentido=ibis.coalesce(unidas.sentido, ibis.ifelse(kpi.isin(_MENOR_ES_MEJOR), "menor", "mayor")))


def configuracion(con: ibis.BaseBackend) -> Table:
    """Pares ``clave``/``valor`` de configuración (p. ej. ``muestra_minima``)."""
    return con.table("configuracion")
