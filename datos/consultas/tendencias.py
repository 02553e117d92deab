"""Tendencias: series por periodo y desglose, intervalos de percentiles, comparaciones, distribuciones, detalle y reglas de alerta."""

import math

import ibis
from ibis.expr.types import Table

from datos.almacen.agregados import MOTIVOS_QUEJA, sumas_interacciones
from datos.consultas import agregados, percentiles
from datos.consultas.filtros import Filtros, encuestas, interacciones, ventana_de_meses
from analisis.tendencias.indicadores import de_encuestas
from datos.consultas.resumen import (con_periodo_anterior, etiqueta_periodo, meta_que_rige, metas_del_alcance,
                                     metricas_encuestas, metricas_interacciones)

__all__ = ['DESGLOSES', 'MEDIDAS_CALIFICACION', 'MOTIVOS_QUEJA', 'PERIODICIDADES', 'SIN_DATO', 'TOTAL', 'COMPARACIONES', 'SERIES', 'comparacion_encuestas', 'comparacion_interacciones', 'datos_de_alerta', 'detalle', 'detalle_encuestas', 'detalle_interacciones', 'distribucion_calificaciones', 'intervalo_percentil', 'metas_por_periodo', 'metas_de_minitendencias', 'reglas_alerta', 'serie_tendencia_encuestas', 'serie_tendencia_interacciones']


#: Periodicidades de las series y la unidad de truncado de fechas de cada una (semanas ISO, de lunes).
PERIODICIDADES = {"dia": "D", "semana": "W", "mes": "M", "trimestre": "Q"}

#: Columnas por las que se puede desglosar una serie.
DESGLOSES = ("canal", "sucursal", "tipo_cliente", "equipo", "motivo", "segmento")

#: Grupo de las filas sin desglose y de las que no tienen dato para el desglose pedido.
TOTAL, SIN_DATO = "Total", "(sin dato)"

#: Medidas de encuesta cuya distribución de calificaciones se puede pedir.
MEDIDAS_CALIFICACION = ("csat", "nps", "ces")


def _validar_desglose(desglose: str | None) -> None:
    """Falla con un mensaje claro si ``desglose`` no es None ni uno de ``DESGLOSES``."""
    if desglose is not None and desglose not in DESGLOSES:
        raise ValueError(f"'desglose' debe ser None o uno de {list(DESGLOSES)}, no {desglose!r}")


def _inicio_de_periodo(columna: ibis.Value, periodicidad: str) -> ibis.Value:
    """Primer día del día, semana (lunes), mes o trimestre de cada fecha."""
    if periodicidad not in PERIODICIDADES:
        raise ValueError(f"'periodicidad' debe ser uno de {list(PERIODICIDADES)}, no {periodicidad!r}")
    return columna.truncate(PERIODICIDADES[periodicidad]).cast("date")


def _busqueda_de_grupo(con: ibis.BaseBackend, desglose: str, origen: str) -> tuple[Table, str]:
    """Tabla (``_clave``, ``_grupo``) que da el grupo de cada fila de ``origen`` y la columna que la une.

    Los desgloses que no están en la propia tabla salen de clientes (segmento, tipo de
    cliente de una interacción), de agentes (equipo) o de la interacción que responde
    una encuesta (equipo y motivo de la encuesta). Se supone ``interaccion_id`` único.
    """
    clientes, agentes, contactos = con.table("clientes"), con.table("agentes"), con.table("interacciones")
    if desglose in ("segmento", "tipo_cliente"):
        return clientes.select(_clave=clientes.cliente_id, _grupo=clientes[desglose]), "cliente_id"
    if desglose == "equipo" and origen == "interacciones":
        return agentes.select(_clave=agentes.agente_id, _grupo=agentes.equipo), "agente_id"
    if desglose == "equipo":
        unidas = contactos.join(agentes, contactos.agente_id == agentes.agente_id)
        return unidas.select(_clave=contactos.interaccion_id, _grupo=agentes.equipo), "interaccion_id"
    return contactos.select(_clave=contactos.interaccion_id, _grupo=contactos.motivo), "interaccion_id"


def _con_grupo(con: ibis.BaseBackend, tabla: Table, desglose: str | None, origen: str) -> Table:
    """Añade la columna ``grupo``: 'Total' sin desglose, o el valor del desglose ('(sin dato)' si falta)."""
    _validar_desglose(desglose)
    propias = {"encuestas": ("canal", "sucursal", "tipo_cliente"),
               "interacciones": ("canal", "sucursal", "motivo")}[origen]
    if desglose is None:
        return tabla.mutate(grupo=ibis.literal(TOTAL))
    if desglose in propias:
        return tabla.mutate(grupo=tabla[desglose].fill_null(SIN_DATO))
    busqueda, clave = _busqueda_de_grupo(con, desglose, origen)
    unida = tabla.left_join(busqueda, tabla[clave] == busqueda._clave)
    return unida.mutate(grupo=unida._grupo.fill_null(SIN_DATO)).drop("_clave", "_grupo")


def _metricas_adicionales(con: ibis.BaseBackend, t: Table) -> dict[str, ibis.Value]:
    """Tiempo de resolución (mediana, p90) y tasa de quejas: las métricas de interacciones que el resumen no usa."""
    conteos = sumas_interacciones(t)
    return {
        "n_resolucion": conteos["n_resolucion"],
        "resolucion_mediana": percentiles.percentil(con, t.tiempo_resolucion_h, 0.5),
        "resolucion_p90": percentiles.percentil(con, t.tiempo_resolucion_h, 0.9),
        "n_motivo": conteos["n_motivo"],
        "quejas": conteos["quejas"],
    }


def _agrupar(desglose: str | None, periodo: agregados.Agrupar) -> agregados.Agrupar:
    """Columnas ``periodo`` (de ``periodo``) y ``grupo`` (como ``_con_grupo``) de una tabla de agregados."""
    def agrupar(t: Table) -> dict[str, ibis.Value]:
        grupo = ibis.literal(TOTAL) if desglose is None else t[desglose].fill_null(SIN_DATO)
        return {**periodo(t), "grupo": grupo}
    return agrupar


def _de_agregados(con: ibis.BaseBackend, origen: str, filtros: Filtros, desglose: str | None,
                  periodo: agregados.Agrupar, por_filas: Table, orden: list[str] | None = None) -> Table:
    """``por_filas`` leída de los agregados si ``desglose`` y el motor lo permiten (si no, tal cual)."""
    if not agregados.usar(con, origen, desglose):
        return por_filas
    agrupar = _agrupar(desglose, periodo)
    if origen == "encuestas":
        return agregados.encuestas_agregadas(con, filtros, agrupar, por_filas, orden)
    return agregados.interacciones_agregadas(con, filtros, agrupar, por_filas, orden)


def serie_tendencia_encuestas(con: ibis.BaseBackend, filtros: Filtros, periodicidad: str = "mes",
                              desglose: str | None = None) -> Table:
    """Sumas y conteos de encuestas por periodo y grupo: ``periodo``, ``grupo`` y las de ``resumen_encuestas``.

    ``periodicidad`` es 'dia', 'semana', 'mes' o 'trimestre' (``periodo`` es el primer
    día); ``desglose`` es None o uno de ``DESGLOSES``.
    """
    t = _con_grupo(con, encuestas(con, filtros), desglose, "encuestas")
    t = t.mutate(periodo=_inicio_de_periodo(t.fecha, periodicidad))
    orden = ["grupo", "periodo"]
    por_filas = t.group_by(["periodo", "grupo"]).aggregate(**metricas_encuestas(t)).order_by(orden)
    return _de_agregados(con, "encuestas", filtros, desglose, _por_periodicidad(periodicidad), por_filas, orden)


def _por_periodicidad(periodicidad: str) -> agregados.Agrupar:
    """Columna ``periodo`` (primer día de su día, semana, mes o trimestre) de una tabla de agregados."""
    return lambda t: {"periodo": _inicio_de_periodo(t.dia, periodicidad)}


def serie_tendencia_interacciones(con: ibis.BaseBackend, filtros: Filtros, periodicidad: str = "mes",
                                  desglose: str | None = None) -> Table:
    """Métricas de interacciones por periodo y grupo, con tiempo de resolución y quejas además de las del resumen."""
    t = _con_grupo(con, interacciones(con, filtros), desglose, "interacciones")
    t = t.mutate(periodo=_inicio_de_periodo(t.fecha_inicio, periodicidad))
    metricas = {**metricas_interacciones(con, t), **_metricas_adicionales(con, t)}
    orden = ["grupo", "periodo"]
    por_filas = t.group_by(["periodo", "grupo"]).aggregate(**metricas).order_by(orden)
    return _de_agregados(con, "interacciones", filtros, desglose, _por_periodicidad(periodicidad), por_filas, orden)


#: Duración de cada periodicidad, para el último día de un periodo (inicio + duración − 1 día).
_DURACIONES = {"dia": {"days": 1}, "semana": {"weeks": 1}, "mes": {"months": 1}, "trimestre": {"months": 3}}


def metas_por_periodo(con: ibis.BaseBackend, filtros: Filtros, periodicidad: str, kpi: str) -> Table:
    """La meta de ``kpi`` que rige en cada periodo de su serie: ``periodo`` (primer día) y ``meta``.

    Los periodos son los que tienen datos con ``filtros`` (los de ``serie_tendencia_*``); cada uno toma la meta
    de ``metas_por_fecha`` vigente su último día (o ``filtros.hasta`` si es antes), con la misma preferencia que
    ``resumen.metas`` (la de la sucursal o el canal elegidos antes que la general, la más reciente), y si no hay
    ninguna, la de ``metas``; ``meta`` es nula si el KPI no tiene meta. Así una meta nueva de 2027 no cambia
    los periodos de 2026.
    """
    tabla, fecha = (encuestas(con, filtros), "fecha") if de_encuestas(kpi) else (interacciones(con, filtros),
                                                                                "fecha_inicio")
    periodos = tabla.select(periodo=_inicio_de_periodo(tabla[fecha], periodicidad)).distinct()
    fin = periodos.periodo + ibis.interval(**_DURACIONES[periodicidad]) - ibis.interval(days=1)
    if filtros.hasta is not None:
        fin = ibis.least(fin, ibis.date(filtros.hasta.isoformat()))
    periodos = periodos.mutate(fin=fin)
    candidatas = metas_del_alcance(con, filtros)
    candidatas = candidatas.filter(candidatas.kpi == kpi)
    cruzadas = periodos.join(candidatas, periodos.fin >= candidatas.desde)
    vigentes = meta_que_rige(cruzadas, "periodo").select("periodo", meta_fecha="meta")
    fija = con.table("metas")
    fija = fija.filter(fija.kpi == kpi).aggregate(meta_fija=fija.meta.max())
    unidas = periodos.left_join(vigentes, "periodo").cross_join(fija)
    return unidas.select("periodo", meta=ibis.coalesce(unidas.meta_fecha, unidas.meta_fija)).order_by("periodo")



def metas_de_minitendencias(con: ibis.BaseBackend, filtros: Filtros, kpis: tuple[str, ...], *,
                            meses: int = 12) -> Table:
    """La meta que rigió cada mes de las minitendencias del resumen: ``kpi``, ``periodo`` y ``meta``.

    Una sola consulta para todas las tarjetas: ``metas_por_periodo`` mensual de cada uno de ``kpis`` en la ventana
    de ``meses`` meses que terminan en ``filtros.hasta`` (la de ``resumen.serie_encuestas`` y
    ``resumen.serie_interacciones``), así que cada punto de la minitendencia tiene la meta de su mes.
    """
    if isinstance(kpis, str) or not kpis:
        raise ValueError("'kpis' debe nombrar al menos un indicador")
    ventana = ventana_de_meses(filtros, meses)
    partes = [metas_por_periodo(con, ventana, "mes", kpi).mutate(kpi=ibis.literal(kpi)) for kpi in kpis]
    return ibis.union(*partes).select("kpi", "periodo", "meta").order_by(["kpi", "periodo"])

#: Z de un intervalo bilateral al 95 %.
_Z_95 = 1.959964

#: Razón entre dos anchos seguidos de la rejilla de cuantiles con que Spark aproxima el intervalo de un
#: percentil: el intervalo aproximado es a lo sumo un 2 % más ancho (en probabilidad) de lo necesario.
_RAZON_REJILLA = 1.02


def intervalo_percentil(con: ibis.BaseBackend, filtros: Filtros, periodicidad: str, desglose: str | None,
                        medida: str, cuantil: float) -> Table:
    """Intervalo al 95 % sin supuestos de distribución para un percentil por periodo y grupo.

    Método de los estadísticos de orden (Conover 1999, §3.2, aproximación normal): con
    ``n`` valores ordenados, el intervalo va del valor de rango ⌈nq − 1,96·√(nq(1−q))⌉ al
    de rango ⌈nq + 1,96·√(nq(1−q))⌉ (acotados a 1..n). ``medida`` es
    'tiempo_respuesta_min' o 'tiempo_resolucion_h'. Columnas: ``periodo``, ``grupo``,
    ``ic_inf``, ``ic_sup``.

    En DuckDB se numeran los valores de cada grupo (exacto). En Spark eso exigiría ordenar todas
    las filas; allí los extremos son percentiles aproximados (``_intervalo_aproximado``), un
    poco más anchos para no perder cobertura.
    """
    if medida not in ("tiempo_respuesta_min", "tiempo_resolucion_h"):
        raise ValueError("'medida' debe ser 'tiempo_respuesta_min' o 'tiempo_resolucion_h'")
    if not 0 < cuantil < 1:
        raise ValueError("'cuantil' debe estar entre 0 y 1")
    t = _con_grupo(con, interacciones(con, filtros), desglose, "interacciones")
    t = t.filter(t[medida].notnull())
    t = t.mutate(periodo=_inicio_de_periodo(t.fecha_inicio, periodicidad))
    if percentiles.percentiles_aproximados(con.name):
        return _intervalo_aproximado(t, medida, cuantil)
    claves = ["periodo", "grupo"]
    t = t.mutate(rango=ibis.row_number().over(ibis.window(group_by=claves, order_by=t[medida])) + 1,
                 n=t.count().over(ibis.window(group_by=claves)))
    centro, mitad = t.n * cuantil, _Z_95 * (t.n * cuantil * (1 - cuantil)).sqrt()
    inferior = ibis.greatest((centro - mitad).ceil(), 1)
    superior = ibis.least((centro + mitad).ceil(), t.n)
    return t.group_by(claves).aggregate(ic_inf=t[medida].min(where=t.rango >= inferior),
                                        ic_sup=t[medida].max(where=t.rango <= superior))


def _intervalo_aproximado(t: Table, medida: str, cuantil: float) -> Table:
    """El intervalo de ``intervalo_percentil`` con percentiles aproximados, sin ordenar las filas.

    El extremo inferior es el valor de rango n·(q − h), con h = 1,96·√(q(1−q)/n) (la mitad del
    intervalo en probabilidad); el superior, el de rango n·(q + h). Spark solo acepta cuantiles
    constantes y h depende de la n de cada grupo, así que se piden de una vez los cuantiles
    q ∓ d de una rejilla de anchos d = ε·1,02ᵏ (ε = ``PERCENTIL_APROXIMADO.error_rango``, hasta 1)
    y cada grupo toma el primer ancho d ≥ h + ε: sumar ε compensa el error de rango del
    aproximado, de modo que el intervalo contiene al exacto y es a lo sumo un 2 % más ancho que
    h + ε. Un solo resumen de cuantiles por grupo.
    """
    error = percentiles.PERCENTIL_APROXIMADO.error_rango
    pasos = math.ceil(math.log(1 / error) / math.log(_RAZON_REJILLA))
    anchos = [error * _RAZON_REJILLA ** k for k in range(pasos + 1)]
    cuantiles = [max(cuantil - ancho, 0.0) for ancho in anchos] + [min(cuantil + ancho, 1.0) for ancho in anchos]
    valores = t[medida]
    necesario = _Z_95 * (cuantil * (1 - cuantil) / valores.count()).sqrt() + error
    paso = ((necesario / error).ln() / math.log(_RAZON_REJILLA)).ceil().clip(0, pasos).cast("int32")
    rejilla = valores.approx_quantile(cuantiles)
    return t.group_by(["periodo", "grupo"]).aggregate(ic_inf=rejilla[paso], ic_sup=rejilla[paso + len(anchos)])


def comparacion_encuestas(con: ibis.BaseBackend, filtros: Filtros, desglose: str | None = None) -> Table:
    """Como ``resumen_encuestas`` (periodo 'actual' y 'anterior'), con una fila por grupo del desglose."""
    ambos = con_periodo_anterior(filtros)
    t = _con_grupo(con, encuestas(con, ambos), desglose, "encuestas")
    t = t.mutate(periodo=etiqueta_periodo(t.fecha, filtros.desde))
    por_filas = t.group_by(["periodo", "grupo"]).aggregate(**metricas_encuestas(t))
    return _de_agregados(con, "encuestas", ambos, desglose, agregados.por_periodo(filtros), por_filas)


def comparacion_interacciones(con: ibis.BaseBackend, filtros: Filtros, desglose: str | None = None) -> Table:
    """Como ``resumen_interacciones``, por grupo, con resolución y quejas.

    ``sobre_mediana_conjunta`` y ``resolucion_sobre_mediana_conjunta`` cuentan los
    tiempos por encima de la mediana de ambos periodos del mismo grupo (prueba de la
    mediana de Mood).
    """
    ambos = con_periodo_anterior(filtros)
    t = _con_grupo(con, interacciones(con, ambos), desglose, "interacciones")
    t = t.mutate(periodo=etiqueta_periodo(t.fecha_inicio, filtros.desde))
    medianas = t.group_by("grupo").aggregate(_mediana_respuesta=percentiles.percentil(con, t.tiempo_respuesta_min, 0.5),
                                             _mediana_resolucion=percentiles.percentil(con, t.tiempo_resolucion_h, 0.5))
    t = t.join(medianas, "grupo")
    por_filas = t.group_by(["periodo", "grupo"]).aggregate(
        sobre_mediana_conjunta=(t.tiempo_respuesta_min > t._mediana_respuesta).sum(),
        resolucion_sobre_mediana_conjunta=(t.tiempo_resolucion_h > t._mediana_resolucion).sum(),
        **metricas_interacciones(con, t), **_metricas_adicionales(con, t),
    )
    return _de_agregados(con, "interacciones", ambos, desglose, agregados.por_periodo(filtros), por_filas)


def distribucion_calificaciones(con: ibis.BaseBackend, filtros: Filtros, periodicidad: str = "mes",
                                medida: str = "csat") -> Table:
    """Cuántas respuestas dieron cada calificación de ``medida`` ('csat', 'nps', 'ces') en cada periodo.

    Columnas ``periodo``, ``calificacion`` (entera: las notas se redondean) y ``n``; las
    respuestas sin esa medida no cuentan.
    """
    if medida not in MEDIDAS_CALIFICACION:
        raise ValueError(f"'medida' debe ser uno de {list(MEDIDAS_CALIFICACION)}, no {medida!r}")
    t = encuestas(con, filtros)
    t = t.filter(t[medida].notnull())
    nota = t[medida].round().cast("int64")
    return (t.group_by(periodo=_inicio_de_periodo(t.fecha, periodicidad), calificacion=nota)
            .aggregate(n=t.count()).order_by(["periodo", "calificacion"]))


def _del_grupo(tabla: Table, grupo: str | None) -> Table:
    """Filas del grupo pedido (None: todas)."""
    return tabla if grupo is None else tabla.filter(tabla.grupo == grupo)


def _con_texto(tabla: Table, texto: str) -> Table:
    """Filas cuyo comentario contiene ``texto`` (sin distinguir mayúsculas); texto vacío: todas."""
    texto = texto.strip().lower()
    return tabla.filter(tabla.comentario.lower().contains(texto)) if texto else tabla


def detalle_encuestas(con: ibis.BaseBackend, filtros: Filtros, desglose: str | None = None,
                      grupo: str | None = None, medida: str | None = None, calificaciones: tuple = (),
                      texto: str = "", limite: int = 500) -> Table:
    """Las respuestas detrás de un punto o una barra, las más recientes primero, con su comentario.

    ``grupo`` restringe al grupo del ``desglose``; ``medida`` y ``calificaciones`` a
    ciertas notas (p. ej. CSAT 1 y 2); ``texto`` busca en el comentario. Trae a lo
    sumo ``limite`` filas.
    """
    if limite < 1:
        raise ValueError("'limite' debe ser al menos 1")
    t = _del_grupo(_con_grupo(con, encuestas(con, filtros), desglose, "encuestas"), grupo)
    if medida is not None:
        if medida not in MEDIDAS_CALIFICACION:
            raise ValueError(f"'medida' debe ser None o uno de {list(MEDIDAS_CALIFICACION)}")
        t = t.filter(t[medida].isin(list(calificaciones)))
    t = _con_texto(t, texto)
    return (t.select("fecha", "respuesta_id", "grupo", "canal", "sucursal", "tipo_cliente", "csat", "nps", "ces",
                     "comentario", "interaccion_id", "cliente_id")
            .order_by([ibis.desc("fecha"), "respuesta_id"]).limit(limite))


def detalle_interacciones(con: ibis.BaseBackend, filtros: Filtros, desglose: str | None = None,
                          grupo: str | None = None, texto: str = "", limite: int = 500) -> Table:
    """Las interacciones detrás de un punto, las más recientes primero, con la encuesta que las calificó.

    Cada interacción trae CSAT, NPS y comentario de su encuesta (vacíos si no la
    tiene). ``texto`` busca en ese comentario. Trae a lo sumo ``limite`` filas.
    """
    if limite < 1:
        raise ValueError("'limite' debe ser al menos 1")
    t = _del_grupo(_con_grupo(con, interacciones(con, filtros), desglose, "interacciones"), grupo)
    respuestas = con.table("encuestas")
    respuestas = respuestas.select(_clave=respuestas.interaccion_id, csat=respuestas.csat, nps=respuestas.nps,
                                   comentario=respuestas.comentario)
    t = t.left_join(respuestas, t.interaccion_id == respuestas._clave)
    t = _con_texto(t, texto)
    return (t.select("fecha_inicio", "interaccion_id", "grupo", "canal", "sucursal", "motivo", "etapa", "agente_id",
                     "tiempo_respuesta_min", "tiempo_resolucion_h", "resuelto", "fcr", "promesa_cumplida", "csat",
                     "nps", "comentario", "cliente_id")
            .order_by([ibis.desc("fecha_inicio"), "interaccion_id"]).limit(limite))


def reglas_alerta(con: ibis.BaseBackend) -> Table:
    """Reglas de alerta configuradas, en orden de ``regla_id``."""
    return con.table("reglas_alerta").order_by("regla_id")


#: La serie por periodo y la comparación con el periodo anterior de cada origen de los indicadores
#: ('encuestas' o 'interacciones', como ``analisis.tendencias.de_encuestas``).
SERIES = {"encuestas": serie_tendencia_encuestas, "interacciones": serie_tendencia_interacciones}
COMPARACIONES = {"encuestas": comparacion_encuestas, "interacciones": comparacion_interacciones}


def datos_de_alerta(con: ibis.BaseBackend, pedido) -> Table:
    """Lo que necesita una regla de alerta (``pedido``, un ``analisis.alertas.Pedido``).

    Con ``forma`` 'serie', la de ``SERIES`` de su ``origen`` por ``periodicidad``; con
    'comparacion', la de ``COMPARACIONES``. Los dos con los ``filtros`` y el ``desglose`` del pedido.
    """
    if pedido.forma == "serie":
        return SERIES[pedido.origen](con, pedido.filtros, pedido.periodicidad, pedido.desglose)
    return COMPARACIONES[pedido.origen](con, pedido.filtros, pedido.desglose)


def detalle(con: ibis.BaseBackend, pedido) -> Table:
    """Las filas detrás de un punto o una barra (``pedido``, de ``analisis.tendencias.consulta_de_detalle``).

    ``detalle_encuestas`` si su ``origen`` es 'encuestas' (con las ``notas`` de ``medida`` de la barra
    elegida, si las hay); si no, ``detalle_interacciones``.
    """
    if pedido.origen == "encuestas":
        return detalle_encuestas(con, pedido.filtros, pedido.desglose, pedido.grupo, pedido.medida, pedido.notas,
                                 pedido.texto, pedido.limite)
    return detalle_interacciones(con, pedido.filtros, pedido.desglose, pedido.grupo, pedido.texto, pedido.limite)
