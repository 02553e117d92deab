"""Consultas de lectura como expresiones Ibis.

Cada función recibe un backend Ibis (DuckDB por defecto; las mismas
expresiones corren sin cambios en Spark u otro motor) y devuelve una
expresión sin ejecutar. Toda la agregación ocurre en el motor: a pandas solo
llegan resultados pequeños (una fila por periodo o por mes).

Los filtros de la barra lateral viajan en ``Filtros``; una lista vacía
significa "sin filtro" (un ``isin`` vacío no devolvería nada).
"""

import math
from dataclasses import dataclass, replace
from datetime import date, timedelta

import ibis
from ibis.expr.types import BooleanValue, NumericColumn, Table

from analisis.formato import porcentaje

__all__ = [
    "Filtros", "con_alcance", "FUERA_DE_ALCANCE", "periodo_anterior", "interacciones", "encuestas", "resumen_encuestas",
    "resumen_interacciones", "serie_encuestas", "serie_interacciones", "valores_de_filtro",
    "rango_de_fechas", "metas", "configuracion", "usuarios", "bitacora",
    "caracteristicas_clientes", "nombres_perfiles",
    "LIMITE_RESPUESTAS_CADENA", "etapas_cadena", "distribucion_etapas", "calificaciones_por_respuesta",
    "conteo_encuestas", "operacion_etapas",
    "RONDAS", "RESULTADOS_CLIENTE", "DIAS_QUEJA_POSTERIOR", "LIMITE_AUDITORIAS_DOBLES", "ventana_de_meses", "puntajes_competencias",
    "puntajes_auditorias", "detalle_auditoria", "escalas_de_auditorias", "resultados_por_agente",
    "calificaciones_por_auditor", "auditorias_dobles", "estandar_competencias", "temas_capacitacion",
    "PERIODICIDADES", "DESGLOSES", "MOTIVOS_QUEJA", "TOTAL", "SIN_DATO", "MEDIDAS_CALIFICACION",
    "serie_tendencia_encuestas", "serie_tendencia_interacciones", "intervalo_percentil", "comparacion_encuestas",
    "comparacion_interacciones", "distribucion_calificaciones", "detalle_encuestas", "detalle_interacciones",
    "reglas_alerta",
]
__all__ += ["PercentilAproximado", "PERCENTIL_APROXIMADO", "percentiles_aproximados", "nota_percentiles"]
__all__ += ["LIMITE_COMENTARIOS", "LIMITE_MODELOS_COMENTARIOS", "LIMITE_BUSQUEDA", "comentarios_encuestas",
            "comentarios_para_modelos", "buscar_comentarios", "notas_auditorias", "temas_comentarios"]

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
    """Interacciones filtradas.

    Incluye ``fcr`` (resuelto al primer contacto), que se guarda ya calculado
    en cada escritura sobre todas las interacciones (ver ``datos.derivados``),
    así que un recontacto por otro canal o fuera del rango de fechas también cuenta.
    """
    t = con.table("interacciones")
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


# ---------------------------------------------------------------------------
# Percentiles: exactos en DuckDB, aproximados en Spark
# ---------------------------------------------------------------------------

@dataclass(frozen=True)
class PercentilAproximado:
    """Los motores que calculan percentiles aproximados, su precisión y la cota de error que eso da.

    ``precision`` A es el parámetro ``accuracy`` de ``approx_percentile`` de Spark SQL, y
    ``error_rango`` = 1/A la cota que Spark garantiza: para el cuantil q de n valores devuelve
    uno de esos valores, con rango (posición en el orden) entre (q − 1/A)·n y (q + 1/A)·n
    (documentación de Spark SQL, ``approx_percentile``; resumen de cuantiles de Greenwald y
    Khanna 2001). El percentil exacto de DuckDB interpola entre los dos valores vecinos; el
    aproximado no interpola, así que con pocos valores ambos pueden diferir, además, en un rango.

    >>> PercentilAproximado(motores=("pyspark",), precision=10_000).error_rango
    0.0001
    """

    motores: tuple[str, ...]
    precision: int

    @property
    def error_rango(self) -> float:
        """Error relativo de rango garantizado: 1/``precision``."""
        return 1 / self.precision


#: Percentiles aproximados en Spark: ``approx_percentile`` con su precisión por defecto, 10 000
#: (la que usa Ibis, que no deja elegir otra), es decir error de rango ≤ 1/10 000 = 0,01 %. El
#: exacto (``percentile``) reúne y ordena todos los valores de cada grupo; el aproximado guarda
#: un resumen de tamaño O(A) por grupo. DuckDB, Postgres y Snowflake dan el percentil exacto (Ibis 12
#: no compila el exacto para Trino ni BigQuery: allí las consultas con percentiles aún fallan).
PERCENTIL_APROXIMADO = PercentilAproximado(motores=("pyspark",), precision=10_000)


def percentiles_aproximados(motor: str) -> bool:
    """Si el motor ``motor`` (el ``name`` del backend Ibis: 'duckdb', 'pyspark'…) da percentiles aproximados.

    >>> percentiles_aproximados("duckdb"), percentiles_aproximados("pyspark")
    (False, True)
    """
    return motor in PERCENTIL_APROXIMADO.motores


def nota_percentiles(motor: str) -> str:
    """Aviso en español para las cifras de percentiles calculadas en ``motor`` ('' si son exactas).

    >>> nota_percentiles("pyspark")
    'Percentil aproximado en Spark (error de rango ≤ 0,01 %).'
    >>> nota_percentiles("duckdb")
    ''
    """
    if not percentiles_aproximados(motor):
        return ""
    return f"Percentil aproximado en Spark (error de rango ≤ {porcentaje(PERCENTIL_APROXIMADO.error_rango, 2)})."


def _percentil(con: ibis.BaseBackend, columna: NumericColumn, cuantil: float) -> ibis.Value:
    """El cuantil ``cuantil`` de ``columna`` (sin nulos): exacto e interpolado en DuckDB; en los
    motores de ``PERCENTIL_APROXIMADO`` (Spark), ``approx_percentile``, con su cota de error."""
    if percentiles_aproximados(con.name):
        return columna.approx_quantile(cuantil)
    return columna.quantile(cuantil)


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


def _metricas_interacciones(con: ibis.BaseBackend, t: Table) -> dict[str, ibis.Value]:
    """Conteos y percentiles de interacciones: promesa, FCR y tiempos de respuesta."""
    return {
        "n_interacciones": t.count(),
        "n_promesa": t.promesa_cumplida.count(),
        "promesa_cumplida": t.promesa_cumplida.sum(),
        "n_fcr": t.fcr.count(),
        "fcr": t.fcr.sum(),
        "n_respuesta": t.tiempo_respuesta_min.count(),
        "respuesta_mediana": _percentil(con, t.tiempo_respuesta_min, 0.5),
        "respuesta_p90": _percentil(con, t.tiempo_respuesta_min, 0.9),
    }


def _etiqueta_periodo(columna: ibis.Value, desde: date) -> ibis.Value:
    """'actual' para fechas desde ``desde``; 'anterior' para las previas."""
    return ibis.ifelse(columna >= ibis.timestamp(desde.isoformat()), "actual", "anterior")


def _con_periodo_anterior(filtros: Filtros) -> Filtros:
    """Los mismos filtros, con el rango ampliado para cubrir también el periodo anterior."""
    desde_anterior, _ = periodo_anterior(filtros.desde, filtros.hasta)
    return replace(filtros, desde=desde_anterior)


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
    t = t.cross_join(t.aggregate(mediana_conjunta=_percentil(con, t.tiempo_respuesta_min, 0.5)))
    return t.group_by("periodo").aggregate(
        sobre_mediana_conjunta=(t.tiempo_respuesta_min > t.mediana_conjunta).sum(),
        **_metricas_interacciones(con, t),
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
    return replace(filtros, desde=inicio)


def serie_encuestas(con: ibis.BaseBackend, filtros: Filtros, *, meses: int = 12) -> Table:
    """Métricas de encuestas por mes, en los ``meses`` meses que terminan en ``filtros.hasta``."""
    t = encuestas(con, _ventana_de_meses(filtros, meses))
    return _serie(t, "fecha", _metricas_encuestas(t))


def serie_interacciones(con: ibis.BaseBackend, filtros: Filtros, *, meses: int = 12) -> Table:
    """Métricas de interacciones por mes, en los ``meses`` meses que terminan en ``filtros.hasta``."""
    t = interacciones(con, _ventana_de_meses(filtros, meses))
    return _serie(t, "fecha_inicio", _metricas_interacciones(con, t))


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


# ---------------------------------------------------------------------------
# Tendencias: series por periodo y desglose, comparaciones, distribuciones y detalle
# ---------------------------------------------------------------------------

#: Periodicidades de las series y la unidad de truncado de fechas de cada una (semanas ISO, de lunes).
PERIODICIDADES = {"dia": "D", "semana": "W", "mes": "M", "trimestre": "Q"}

#: Columnas por las que se puede desglosar una serie.
DESGLOSES = ("canal", "sucursal", "tipo_cliente", "equipo", "motivo", "segmento")

#: Motivos que cuentan como queja en la tasa de quejas (se comparan en minúsculas y sin espacios).
MOTIVOS_QUEJA = ("queja", "reclamo")

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
    return {
        "n_resolucion": t.tiempo_resolucion_h.count(),
        "resolucion_mediana": _percentil(con, t.tiempo_resolucion_h, 0.5),
        "resolucion_p90": _percentil(con, t.tiempo_resolucion_h, 0.9),
        "n_motivo": t.motivo.count(),
        "quejas": t.motivo.strip().lower().isin(list(MOTIVOS_QUEJA)).sum(),
    }


def serie_tendencia_encuestas(con: ibis.BaseBackend, filtros: Filtros, periodicidad: str = "mes",
                              desglose: str | None = None) -> Table:
    """Sumas y conteos de encuestas por periodo y grupo: ``periodo``, ``grupo`` y las de ``resumen_encuestas``.

    ``periodicidad`` es 'dia', 'semana', 'mes' o 'trimestre' (``periodo`` es el primer
    día); ``desglose`` es None o uno de ``DESGLOSES``.
    """
    t = _con_grupo(con, encuestas(con, filtros), desglose, "encuestas")
    t = t.mutate(periodo=_inicio_de_periodo(t.fecha, periodicidad))
    return t.group_by(["periodo", "grupo"]).aggregate(**_metricas_encuestas(t)).order_by(["grupo", "periodo"])


def serie_tendencia_interacciones(con: ibis.BaseBackend, filtros: Filtros, periodicidad: str = "mes",
                                  desglose: str | None = None) -> Table:
    """Métricas de interacciones por periodo y grupo, con tiempo de resolución y quejas además de las del resumen."""
    t = _con_grupo(con, interacciones(con, filtros), desglose, "interacciones")
    t = t.mutate(periodo=_inicio_de_periodo(t.fecha_inicio, periodicidad))
    metricas = {**_metricas_interacciones(con, t), **_metricas_adicionales(con, t)}
    return t.group_by(["periodo", "grupo"]).aggregate(**metricas).order_by(["grupo", "periodo"])


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
    if percentiles_aproximados(con.name):
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
    error = PERCENTIL_APROXIMADO.error_rango
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
    t = _con_grupo(con, encuestas(con, _con_periodo_anterior(filtros)), desglose, "encuestas")
    t = t.mutate(periodo=_etiqueta_periodo(t.fecha, filtros.desde))
    return t.group_by(["periodo", "grupo"]).aggregate(**_metricas_encuestas(t))


def comparacion_interacciones(con: ibis.BaseBackend, filtros: Filtros, desglose: str | None = None) -> Table:
    """Como ``resumen_interacciones``, por grupo, con resolución y quejas.

    ``sobre_mediana_conjunta`` y ``resolucion_sobre_mediana_conjunta`` cuentan los
    tiempos por encima de la mediana de ambos periodos del mismo grupo (prueba de la
    mediana de Mood).
    """
    t = _con_grupo(con, interacciones(con, _con_periodo_anterior(filtros)), desglose, "interacciones")
    t = t.mutate(periodo=_etiqueta_periodo(t.fecha_inicio, filtros.desde))
    medianas = t.group_by("grupo").aggregate(_mediana_respuesta=_percentil(con, t.tiempo_respuesta_min, 0.5),
                                             _mediana_resolucion=_percentil(con, t.tiempo_resolucion_h, 0.5))
    t = t.join(medianas, "grupo")
    return t.group_by(["periodo", "grupo"]).aggregate(
        sobre_mediana_conjunta=(t.tiempo_respuesta_min > t._mediana_respuesta).sum(),
        resolucion_sobre_mediana_conjunta=(t.tiempo_resolucion_h > t._mediana_resolucion).sum(),
        **_metricas_interacciones(con, t), **_metricas_adicionales(con, t),
    )


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


# ---------------------------------------------------------------------------
# Competencias: puntajes de auditoría en la escala común, resultados de los clientes por agente
# y calibración de auditores
# ---------------------------------------------------------------------------

#: Duración de una ronda de auditoría para comparar el progreso entre rondas.
RONDAS = ("mes", "trimestre", "semestre")

#: Resultados de los clientes que se pueden ligar a las competencias de su agente.
RESULTADOS_CLIENTE = ("csat", "nps", "fcr", "sin_queja")

#: Días tras un contacto en los que una queja o reclamo del mismo cliente cuenta como queja posterior.
DIAS_QUEJA_POSTERIOR = 7

#: Tope de filas de auditorías dobles (interacciones auditadas por dos o más auditores) que se traen.
LIMITE_AUDITORIAS_DOBLES = 200_000


def ventana_de_meses(filtros: Filtros, meses: int | None) -> Filtros:
    """Los filtros con el rango llevado a los ``meses`` meses calendario que terminan en ``filtros.hasta``.

    ``meses=None`` quita el inicio (todo el historial hasta ``hasta``). Los demás filtros no cambian.
    Sin ``hasta`` (base vacía) devuelve los filtros tal cual.
    """
    if filtros.hasta is None:
        return filtros
    if meses is None:
        return replace(filtros, desde=None)
    return _ventana_de_meses(filtros, meses)


def _auditorias_filtradas(con: ibis.BaseBackend, filtros: Filtros) -> Table:
    """Auditorías del periodo; canal, sucursal y tipo de cliente son los de la interacción auditada."""
    t = con.table("auditorias")
    condiciones = _entre_fechas(t.fecha, filtros.desde, filtros.hasta)
    if filtros.canales or filtros.sucursales or filtros.tipos_cliente:
        contactos = interacciones(con, Filtros(canales=filtros.canales, sucursales=filtros.sucursales,
                                               tipos_cliente=filtros.tipos_cliente))
        condiciones.append(t.interaccion_id.isin(contactos.interaccion_id))
    if filtros.equipos:
        agentes = con.table("agentes")
        condiciones.append(t.agente_id.isin(agentes.filter(agentes.equipo.isin(list(filtros.equipos))).agente_id))
    return _filtrar(t, condiciones)


def _valor_comun(valor: ibis.Value, escala: ibis.Value, escalas: tuple[tuple[str, float, float], ...]) -> ibis.Value:
    """``(valor − mínimo) / (máximo − mínimo)`` según la escala de la auditoría; NULL si la escala no se conoce."""
    if not escalas:
        raise ValueError("'escalas' debe tener al menos una escala (código, mínimo, máximo)")
    ramas = [(escala == codigo, (valor - minimo) / (maximo - minimo)) for codigo, minimo, maximo in escalas]
    return ibis.cases(*ramas, else_=ibis.null("float64"))


def _inicio_de_ronda(fecha: ibis.Value, ronda: str) -> ibis.Value:
    """Primer día del mes, trimestre o semestre de cada fecha."""
    if ronda not in RONDAS:
        raise ValueError(f"'ronda' debe ser uno de {list(RONDAS)}, no {ronda!r}")
    if ronda == "semestre":
        return ibis.date(fecha.year(), ibis.ifelse(fecha.month() <= 6, 1, 7), 1)
    return fecha.truncate({"mes": "M", "trimestre": "Q"}[ronda]).cast("date")


def _calificaciones(con: ibis.BaseBackend, filtros: Filtros, escalas: tuple[tuple[str, float, float], ...],
                    ronda: str | None = None) -> Table:
    """Una fila por auditoría y competencia, con el valor original y el convertido (``valor_comun``, NULL = N/A)."""
    a = _auditorias_filtradas(con, filtros)
    c = con.table("auditoria_competencias")
    t = c.join(a, c.auditoria_id == a.auditoria_id).select(
        c.auditoria_id, a.fecha, a.agente_id, a.auditor, a.interaccion_id, a.escala, c.competencia, c.valor,
        valor_comun=_valor_comun(c.valor, a.escala, escalas),
    )
    return t.mutate(ronda=_inicio_de_ronda(t.fecha, ronda)) if ronda else t


def _con_agente(con: ibis.BaseBackend, tabla: Table) -> Table:
    """Añade nombre, equipo, supervisor y rol de servicio del agente (vacíos si no está en ``agentes``)."""
    agentes = con.table("agentes").select("agente_id", "nombre", "equipo", "supervisor", "rol_servicio")
    return tabla.left_join(agentes, "agente_id").drop("agente_id_right")


def _sumas(valor: ibis.Value) -> dict[str, ibis.Value]:
    """Conteo de valores no nulos, suma y suma de cuadrados: de ellos salen la media y su intervalo."""
    return {"n": valor.count(), "suma": valor.sum(), "suma2": (valor * valor).sum()}


def puntajes_competencias(con: ibis.BaseBackend, filtros: Filtros, escalas: tuple[tuple[str, float, float], ...],
                          ronda: str | None = None) -> Table:
    """Por agente y competencia (y ronda, si se pide): ``n``, ``suma`` y ``suma2`` del valor en escala común.

    ``escalas`` son ternas (código, mínimo, máximo): un valor ``v`` de una auditoría en esa
    escala vale ``(v − mínimo) / (máximo − mínimo)`` (1–5 → (v − 1)/4, 0–100 → v/100,
    cumple/no cumple → 1/0). Las respuestas N/A no cuentan. Trae además los datos del agente.
    """
    t = _calificaciones(con, filtros, escalas, ronda)
    t = t.filter(t.valor_comun.notnull())
    claves = ["agente_id", "competencia"] + (["ronda"] if ronda else [])
    return _con_agente(con, t.group_by(claves).aggregate(**_sumas(t.valor_comun)))


def _puntaje_por_auditoria(con: ibis.BaseBackend, filtros: Filtros, escalas: tuple[tuple[str, float, float], ...],
                           umbral_critico: float, ronda: str | None) -> Table:
    """Una fila por auditoría con su puntaje global (0..1) y si falló por un error crítico.

    Puntaje = Σ peso·valor / Σ peso de las competencias respondidas (las N/A salen y su peso se
    reparte). Falla (puntaje 0) si tiene un error crítico registrado o una competencia crítica con
    valor común menor que ``umbral_critico``. Sin ninguna competencia respondida, el puntaje es NULL.
    """
    t = _calificaciones(con, filtros, escalas, ronda)
    estandar = con.table("competencias")
    t = t.left_join(estandar.select("competencia", "peso", "critica"), "competencia")
    respondida = t.valor_comun.notnull()
    peso = ibis.coalesce(t.peso, 1.0)
    claves = ["auditoria_id", "agente_id", "auditor"] + (["ronda"] if ronda else [])
    por_auditoria = t.group_by(claves).aggregate(
        ponderado=ibis.ifelse(respondida, peso * t.valor_comun, 0.0).sum(),
        peso_respondido=ibis.ifelse(respondida, peso, 0.0).sum(),
        critica_fallida=(ibis.coalesce(t.critica, False) & ibis.coalesce(t.valor_comun < umbral_critico, False)).any(),
    )
    errores = con.table("auditoria_errores_criticos")
    fallida = por_auditoria.critica_fallida | por_auditoria.auditoria_id.isin(errores.auditoria_id)
    return por_auditoria.mutate(
        fallida=fallida,
        puntaje=ibis.ifelse(por_auditoria.peso_respondido > 0,
                            ibis.ifelse(fallida, 0.0, por_auditoria.ponderado / por_auditoria.peso_respondido),
                            ibis.null("float64")),
    )


def puntajes_auditorias(con: ibis.BaseBackend, filtros: Filtros, escalas: tuple[tuple[str, float, float], ...],
                        umbral_critico: float, ronda: str | None = None) -> Table:
    """Por agente (y ronda): ``n``, ``suma`` y ``suma2`` del puntaje global de sus auditorías y ``fallidas``.

    El puntaje de cada auditoría sigue las reglas de ``_puntaje_por_auditoria`` (pesos, N/A
    repartidas, errores críticos). Trae además los datos del agente.
    """
    t = _puntaje_por_auditoria(con, filtros, escalas, umbral_critico, ronda)
    t = t.filter(t.puntaje.notnull())
    claves = ["agente_id"] + (["ronda"] if ronda else [])
    return _con_agente(con, t.group_by(claves).aggregate(fallidas=t.fallida.sum(), **_sumas(t.puntaje)))


def detalle_auditoria(con: ibis.BaseBackend, filtros: Filtros, escalas: tuple[tuple[str, float, float], ...]) -> Table:
    """Las competencias de la auditoría más reciente del filtro (para explicar el puntaje con un ejemplo).

    Columnas: ``auditoria_id``, ``fecha``, ``agente_id``, ``auditor``, ``escala``, ``competencia``,
    ``valor``, ``valor_comun`` y ``errores`` (errores críticos registrados, separados por '; ', o NULL).
    """
    ultima = _auditorias_filtradas(con, filtros).order_by([ibis.desc("fecha"), ibis.desc("auditoria_id")]).limit(1)
    t = _calificaciones(con, filtros, escalas)
    t = t.filter(t.auditoria_id.isin(ultima.auditoria_id))
    errores = con.table("auditoria_errores_criticos")
    errores = errores.group_by("auditoria_id").aggregate(errores=errores.error.group_concat("; "))
    return t.left_join(errores, "auditoria_id").drop("auditoria_id_right", "interaccion_id")


def escalas_de_auditorias(con: ibis.BaseBackend, filtros: Filtros) -> Table:
    """Cuántas auditorías del filtro hay en cada escala (``escala``, ``n_auditorias``)."""
    t = _auditorias_filtradas(con, filtros)
    return t.group_by("escala").aggregate(n_auditorias=t.count()).order_by(ibis.desc("n_auditorias"))


def _sin_queja_posterior(con: ibis.BaseBackend) -> Table:
    """Por interacción, 1 si el mismo cliente no volvió con una queja o reclamo en ``DIAS_QUEJA_POSTERIOR`` días.

    Se calcula sobre todas las interacciones, para que cuente también una queja fuera del filtro.
    """
    t = con.table("interacciones")
    ventana = ibis.window(group_by=t.cliente_id, order_by=t.fecha_inicio)
    siguiente, motivo = t.fecha_inicio.lead().over(ventana), t.motivo.lead().over(ventana)
    queja = (t.cliente_id.notnull() & (siguiente <= t.fecha_inicio + ibis.interval(days=DIAS_QUEJA_POSTERIOR))
             & motivo.strip().lower().isin(list(MOTIVOS_QUEJA)))
    return t.select("interaccion_id", sin_queja=ibis.ifelse(ibis.coalesce(queja, False), 0.0, 1.0))


def resultados_por_agente(con: ibis.BaseBackend, filtros: Filtros, resultado: str) -> Table:
    """Resultados de los clientes de cada agente, en celdas agente × canal × motivo (``n``, ``suma``, ``suma2``).

    ``resultado``: 'csat' (1–5) o 'nps' (+100 promotor, 0 pasivo, −100 detractor: su media es el
    NPS) de las encuestas ligadas a una interacción del agente; 'fcr' (1 si la interacción se
    resolvió sin recontacto, 0 si no) o 'sin_queja' (1 si el cliente no volvió con una queja o
    reclamo en ``DIAS_QUEJA_POSTERIOR`` días) de sus interacciones. Canal y motivo son los de la
    interacción ('(sin dato)' si faltan), para poder ajustar por ellos.
    """
    if resultado not in RESULTADOS_CLIENTE:
        raise ValueError(f"'resultado' debe ser uno de {list(RESULTADOS_CLIENTE)}, no {resultado!r}")
    if resultado == "fcr":
        t = interacciones(con, filtros)
        t = t.select("agente_id", "canal", "motivo", y=t.fcr.cast("float64"))
    elif resultado == "sin_queja":
        t = interacciones(con, filtros)
        marcas = _sin_queja_posterior(con)
        t = t.join(marcas, t.interaccion_id == marcas.interaccion_id).select(
            t.agente_id, t.canal, t.motivo, y=marcas.sin_queja)
    else:
        e, i = encuestas(con, filtros), con.table("interacciones")
        y = e.csat if resultado == "csat" else ibis.cases((e.nps >= 9, 100.0), (e.nps <= 6, -100.0),
                                                          (e.nps.notnull(), 0.0), else_=ibis.null("float64"))
        t = e.join(i, e.interaccion_id == i.interaccion_id).select(i.agente_id, i.canal, i.motivo, y=y)
    t = t.filter(t.y.notnull(), t.agente_id.notnull())
    t = t.mutate(canal=ibis.coalesce(t.canal, "(sin dato)"), motivo=ibis.coalesce(t.motivo, "(sin dato)"))
    return t.group_by(["agente_id", "canal", "motivo"]).aggregate(**_sumas(t.y))


def calificaciones_por_auditor(con: ibis.BaseBackend, filtros: Filtros,
                               escalas: tuple[tuple[str, float, float], ...]) -> Table:
    """Por auditor y agente auditado: ``n`` calificaciones no N/A, su ``suma`` en escala común y ``auditorias``."""
    t = _calificaciones(con, filtros, escalas)
    t = t.filter(t.valor_comun.notnull(), t.auditor.notnull())
    return t.group_by(["auditor", "agente_id"]).aggregate(
        auditorias=t.auditoria_id.nunique(), **_sumas(t.valor_comun))


def auditorias_dobles(con: ibis.BaseBackend, filtros: Filtros, escalas: tuple[tuple[str, float, float], ...],
                      limite: int = LIMITE_AUDITORIAS_DOBLES) -> Table:
    """Calificaciones de las interacciones auditadas por dos o más auditores distintos (a lo sumo ``limite`` filas).

    Columnas: ``unidad`` (la interacción), ``auditor``, ``auditoria_id``, ``fecha``, ``competencia``,
    ``escala``, ``valor`` y ``valor_comun``. Sirven para medir el acuerdo entre auditores.
    """
    t = _calificaciones(con, filtros, escalas)
    t = t.filter(t.interaccion_id.notnull(), t.auditor.notnull())
    dobles = t.group_by("interaccion_id").aggregate(auditores=t.auditor.nunique())
    dobles = dobles.filter(dobles.auditores >= 2)
    t = t.filter(t.interaccion_id.isin(dobles.interaccion_id))
    return t.select(unidad=t.interaccion_id, auditor=t.auditor, auditoria_id=t.auditoria_id, fecha=t.fecha,
                    competencia=t.competencia, escala=t.escala, valor=t.valor, valor_comun=t.valor_comun) \
        .order_by(["unidad", "fecha", "auditoria_id", "competencia"]).limit(limite)


def estandar_competencias(con: ibis.BaseBackend) -> Table:
    """El estándar: ``competencia``, ``nombre``, ``orden``, ``meta`` (escala común 0..1), ``peso`` y ``critica``."""
    return con.table("competencias").order_by("orden")


def temas_capacitacion(con: ibis.BaseBackend) -> Table:
    """Pares ``competencia``/``tema``: qué temas de capacitación trabajan cada competencia."""
    return con.table("temas_capacitacion").order_by(["tema", "competencia"])


# ---------------------------------------------------------------------------
# Cadena de servicio: etapas, calificaciones por encuestado y vista operativa
# ---------------------------------------------------------------------------

#: Tope de encuestados que se traen para ajustar el modelo de la cadena. Por encima, el motor
#: elige una muestra reproducible: los de menor MD5 de ``respuesta_id``, que equivale a un sorteo.
LIMITE_RESPUESTAS_CADENA = 200_000


def etapas_cadena(con: ibis.BaseBackend) -> Table:
    """Etapas configuradas de la cadena de servicio, en orden: ``etapa``, ``orden`` y ``meta`` (media 1–5)."""
    return con.table("etapas").order_by(["orden", "etapa"])


def _etapas_calificadas(con: ibis.BaseBackend, filtros: Filtros) -> Table:
    """Filas de ``encuesta_etapas`` con calificación, de las encuestas que pasan los filtros."""
    respuestas = encuestas(con, filtros)
    c = con.table("encuesta_etapas")
    return c.filter(c.calificacion.notnull(), c.respuesta_id.isin(respuestas.respuesta_id))


def distribucion_etapas(con: ibis.BaseBackend, filtros: Filtros) -> Table:
    """Reparto de las calificaciones de cada etapa: una fila por ``etapa`` y ``valor`` (redondeado).

    Columnas ``n`` (respuestas), ``suma`` y ``suma2`` (de la calificación sin redondear, para
    la media exacta y su intervalo). Cubre todas las respuestas filtradas, sin muestreo.
    """
    c = _etapas_calificadas(con, filtros)
    return c.group_by(etapa=c.etapa, valor=c.calificacion.round()).aggregate(
        n=c.count(), suma=c.calificacion.sum(), suma2=(c.calificacion * c.calificacion).sum(),
    ).order_by(["etapa", "valor"])


def calificaciones_por_respuesta(con: ibis.BaseBackend, filtros: Filtros, etapas: tuple[str, ...], *,
                                 limite: int = LIMITE_RESPUESTAS_CADENA) -> Table:
    """Una fila por encuestado que calificó alguna de ``etapas``, con una columna por etapa.

    El pivote se hace en el motor. Columnas: ``tipo_cliente``, ``canal``, ``sucursal``,
    ``csat``, ``nps``, ``ces``, ``satisfecho`` (1 si el CSAT es 4 o 5, 0 si es menor, vacío
    sin CSAT) y una columna por etapa con su calificación (vacía si no la calificó). Con
    más de ``limite`` encuestas filtradas se toman las ``limite`` de menor MD5 de ``respuesta_id``,
    una muestra aleatoria reproducible (la misma para los mismos datos y filtros), y de ellas
    quedan las que tienen alguna calificación de etapa. Muestrear antes de cruzar con las
    calificaciones evita una semiunión con toda la tabla de calificaciones.
    Los nombres de etapa no deben coincidir con los de las columnas fijas.
    """
    if not etapas:
        raise ValueError("'etapas' debe nombrar al menos una etapa")
    c = con.table("encuesta_etapas")
    calificadas = c.filter(c.calificacion.notnull(), c.etapa.isin(list(etapas)))
    t = _muestra_por_hash(encuestas(con, filtros), "respuesta_id", limite)
    t = t.select("respuesta_id", "tipo_cliente", "canal", "sucursal", "csat", "nps", "ces")
    unidas = t.join(calificadas.select("respuesta_id", "etapa", "calificacion"), "respuesta_id")
    ancho = unidas.group_by(list(t.columns)).aggregate(**{
        etapa: unidas.calificacion.max(where=unidas.etapa == etapa) for etapa in etapas
    })
    return ancho.mutate(satisfecho=(ancho.csat >= 4).cast("float64")).select(
        "tipo_cliente", "canal", "sucursal", "csat", "nps", "ces", "satisfecho", *etapas)


def conteo_encuestas(con: ibis.BaseBackend, filtros: Filtros) -> Table:
    """Una fila con ``n``: encuestas que pasan los filtros (para avisar cuando se muestrea)."""
    t = encuestas(con, filtros)
    return t.aggregate(n=t.count())


def operacion_etapas(con: ibis.BaseBackend, filtros: Filtros) -> Table:
    """Indicadores operativos por etapa de las interacciones filtradas (una fila por ``etapa``).

    Conteos: ``n_interacciones``; ``n_promesa`` e ``incumplidas`` (promesa no cumplida);
    ``n_escalado`` y ``escaladas``; ``resueltas`` y ``reabiertas`` (resueltas a las que el mismo
    cliente volvió por el mismo motivo antes de ``DIAS_RECONTACTO`` días). Tiempos:
    ``respuesta_mediana``/``respuesta_p90`` (minutos) y ``resolucion_mediana``/``resolucion_p90``
    (horas). CSAT de las encuestas que responden a esas interacciones: ``n_csat``,
    ``suma_csat``, ``suma2_csat`` y ``csat_top2``.
    """
    t = interacciones(con, filtros)
    operacion = t.group_by("etapa").aggregate(
        n_interacciones=t.count(),
        n_promesa=t.promesa_cumplida.count(),
        incumplidas=(~t.promesa_cumplida).sum(),
        n_escalado=t.escalado.count(),
        escaladas=t.escalado.sum(),
        resueltas=t.resuelto.sum(),
        reabiertas=(t.resuelto & ~t.fcr).sum(),
        respuesta_mediana=_percentil(con, t.tiempo_respuesta_min, 0.5),
        respuesta_p90=_percentil(con, t.tiempo_respuesta_min, 0.9),
        resolucion_mediana=_percentil(con, t.tiempo_resolucion_h, 0.5),
        resolucion_p90=_percentil(con, t.tiempo_resolucion_h, 0.9),
    )
    e = con.table("encuestas")
    e = e.join(t.select("interaccion_id", "etapa"), "interaccion_id")
    satisfaccion = e.group_by("etapa").aggregate(
        n_csat=e.csat.count(), suma_csat=e.csat.sum(), suma2_csat=(e.csat * e.csat).sum(),
        csat_top2=(e.csat >= 4).sum(),
    )
    return operacion.left_join(satisfaccion, "etapa").drop("etapa_right").order_by("etapa")


# ---------------------------------------------------------------------------
# Perfiles de clientes: una fila por cliente con sus rasgos (``analisis.perfiles``)
# ---------------------------------------------------------------------------

def _limites_ventana(con: ibis.BaseBackend, filtros: Filtros) -> Table:
    """Una fila con ``inicio`` y ``fin`` (fechas) de la ventana: los filtros o, si faltan, el rango de los datos."""
    rango = rango_de_fechas(con)
    inicio = ibis.date(filtros.desde.isoformat()) if filtros.desde else rango.primera
    fin = ibis.date(filtros.hasta.isoformat()) if filtros.hasta else rango.ultima
    return rango.select(inicio=inicio, fin=fin)


def _rasgos_de_contactos(contactos: Table, canales: tuple[str, ...]) -> Table:
    """Por cliente: contactos, el último, la mezcla de canales y las proporciones de quejas,
    promesas incumplidas y escalamientos (cada una sobre los contactos con ese dato)."""
    contactos = contactos.filter(contactos.cliente_id.notnull())
    con_canal = contactos.canal.count()
    mezcla = {f"canal_{canal}": (contactos.canal == canal).sum() / ibis.ifelse(con_canal > 0, con_canal, None)
              for canal in canales}
    queja = contactos.motivo.strip().lower().isin(list(MOTIVOS_QUEJA))
    return contactos.group_by("cliente_id").aggregate(
        n_contactos=contactos.count(),
        ultimo_contacto=contactos.fecha_inicio.max().cast("date"),
        n_motivo=contactos.motivo.count(),
        n_quejas=queja.sum(),
        quejas=queja.cast("float64").mean(),
        promesas_incumplidas=(~contactos.promesa_cumplida).cast("float64").mean(),
        escalados=contactos.escalado.cast("float64").mean(),
        **mezcla,
    )


def _rasgos_de_encuestas(respuestas: Table) -> Table:
    """Por cliente: conteos y sumas de CSAT y NPS (para los KPI) y medias de CSAT, NPS y CES."""
    respuestas = respuestas.filter(respuestas.cliente_id.notnull())
    return respuestas.group_by("cliente_id").aggregate(
        n_csat=respuestas.csat.count(),
        suma_csat=respuestas.csat.sum(),
        suma2_csat=(respuestas.csat * respuestas.csat).sum(),
        n_nps=respuestas.nps.count(),
        promotores=(respuestas.nps >= 9).sum(),
        detractores=(respuestas.nps <= 6).sum(),
        csat=respuestas.csat.mean(),
        nps_media=respuestas.nps.mean(),
        ces=respuestas.ces.mean(),
    )


def _clase_nps(nps_media: ibis.Value) -> ibis.Value:
    """Clase NPS de una nota media: 'promotor' (≥ 9), 'pasivo' (≥ 7), 'detractor' (< 7) o NULL."""
    return ibis.cases((nps_media >= 9, "promotor"), (nps_media >= 7, "pasivo"), (nps_media.notnull(), "detractor"))


def caracteristicas_clientes(con: ibis.BaseBackend, filtros: Filtros, canales: tuple[str, ...] = (),
                             maximo: int | None = None, alcance: Filtros = Filtros()) -> Table:
    """Una fila por cliente con los rasgos con que ``analisis.perfiles`` forma perfiles.

    Filtros que respeta:

    - **periodo** (``desde``/``hasta``): ventana de la que salen los rasgos de comportamiento
      (contactos y encuestas); un extremo ``None`` es el primer o el último dato. Antigüedad y
      recencia se miden hasta el fin de la ventana.
    - **tipo de cliente**: qué clientes entran.
    - **canal, sucursal, equipo**: entran solo los clientes con al menos un contacto en la ventana
      que cumple esos filtros; sus rasgos usan igualmente *todos* sus contactos de la ventana (si
      no, la mezcla de canales de quien filtra por un canal sería siempre 100 % ese canal).
    - **alcance** (sucursales y equipos que la persona puede ver, ``con_alcance``): los rasgos
      solo usan los contactos y encuestas de ese alcance, para que ninguna cifra venga de otra
      sucursal o equipo.

    Columnas: ``cliente_id``; categóricas ``tipo_cliente``, ``segmento``, ``region`` y ``nps_clase``
    ('promotor', 'pasivo' o 'detractor' según la nota NPS media del cliente); numéricas
    ``antiguedad_anios``, ``contactos_mes`` (contactos por mes de 30,44 días, contados desde el
    alta o desde el inicio de la ventana si es posterior), ``recencia_dias`` (días desde el último
    contacto), ``canal_<canal>`` (proporción de sus contactos por cada canal de ``canales``),
    ``quejas`` (proporción de contactos por un motivo de ``MOTIVOS_QUEJA``), ``promesas_incumplidas``,
    ``escalados``, ``csat`` y ``ces`` (medias); y los conteos de los KPI por perfil: ``n_contactos``,
    ``n_motivo``, ``n_quejas``, ``n_csat``, ``suma_csat``, ``suma2_csat``, ``n_nps``, ``promotores``
    y ``detractores``. Sin contactos o sin encuestas en la ventana, esos rasgos quedan NULL (y los
    contactos al mes en 0).

    Con ``maximo``, si hay más clientes se toma una muestra determinista de ese tamaño (los de
    menor MD5 de ``cliente_id``, igual en todos los motores). Las filas salen ordenadas por ``cliente_id``.
    """
    if maximo is not None and maximo < 1:
        raise ValueError("'maximo' debe ser un entero positivo o None")
    clientes = con.table("clientes")
    if filtros.tipos_cliente:
        clientes = clientes.filter(clientes.tipo_cliente.isin(list(filtros.tipos_cliente)))
    if filtros.canales or filtros.sucursales or filtros.equipos:
        elegidos = interacciones(con, Filtros(filtros.desde, filtros.hasta, filtros.canales, filtros.sucursales,
                                              equipos=filtros.equipos))
        clientes = clientes.filter(clientes.cliente_id.isin(elegidos.cliente_id))
    visibles = Filtros(filtros.desde, filtros.hasta, sucursales=alcance.sucursales, equipos=alcance.equipos)
    contactos = _rasgos_de_contactos(interacciones(con, visibles), canales)
    respuestas = _rasgos_de_encuestas(encuestas(con, visibles))
    t = (clientes.left_join(contactos, "cliente_id").left_join(respuestas, "cliente_id")
         .cross_join(_limites_ventana(con, filtros)))
    dias = t.fin.delta(ibis.greatest(t.inicio, t.fecha_alta.fill_null(t.inicio)), unit="day") + 1
    t = t.select(
        "cliente_id", "tipo_cliente", "segmento", "region",
        antiguedad_anios=ibis.ifelse(t.fecha_alta > t.fin, 0, t.fin.delta(t.fecha_alta, unit="day")).cast("float64")
        / 365.25,
        contactos_mes=ibis.ifelse(dias > 0, t.n_contactos.fill_null(0) / (dias.cast("float64") / 30.4375), None),
        recencia_dias=t.fin.delta(t.ultimo_contacto, unit="day").cast("float64"),
        **{f"canal_{canal}": t[f"canal_{canal}"] for canal in canales},
        quejas=t.quejas, promesas_incumplidas=t.promesas_incumplidas, escalados=t.escalados,
        csat=t.csat, nps_clase=_clase_nps(t.nps_media), ces=t.ces,
        **{conteo: t[conteo].fill_null(0) for conteo in (
            "n_contactos", "n_motivo", "n_quejas", "n_csat", "suma_csat", "suma2_csat", "n_nps", "promotores",
            "detractores")},
    )
    if maximo is not None:
        t = _muestra_por_hash(t, "cliente_id", maximo)
    return t.order_by("cliente_id")


def nombres_perfiles(con: ibis.BaseBackend) -> Table:
    """Nombres que los usuarios dieron a perfiles de clientes: ``firma`` del perfil y ``nombre``."""
    return con.table("nombres_perfiles").select("firma", "nombre")


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


# ---------------------------------------------------------------------------
# Comentarios: textos de encuestas y notas de auditoría (``analisis.comentarios``)
# ---------------------------------------------------------------------------

#: Tope de comentarios de encuestas que se traen para analizar un filtro; con más, una muestra
#: aleatoria reproducible de este tamaño (por el MD5 de ``respuesta_id``).
LIMITE_COMENTARIOS = 200_000

#: Tope de comentarios (de todo el historial) con que se aprenden los temas y el sentimiento;
#: con más, una muestra aleatoria reproducible de este tamaño.
LIMITE_MODELOS_COMENTARIOS = 50_000

#: Filas que devuelve como mucho la búsqueda de comentarios.
LIMITE_BUSQUEDA = 500

_CON_TILDE, _SIN_TILDE = "áàâäéèêëíìîïóòôöúùûü", "aaaaeeeeiiiioooouuuu"


def _comentados(tabla: Table) -> Table:
    """Filas cuyo comentario tiene algún carácter que no es espacio."""
    return tabla.filter(tabla.comentario.notnull(), tabla.comentario.strip().length() > 0)


def _muestra_por_hash(tabla: Table, clave: str, limite: int) -> Table:
    """A lo sumo ``limite`` filas: las de menor MD5 de ``clave``, que equivale a un sorteo reproducible.

    Es la misma muestra para los mismos datos en cualquier motor: el MD5 es el mismo en DuckDB,
    Spark y los demás (la función ``hash`` de cada motor, no).
    """
    if limite < 1:
        raise ValueError("'limite' debe ser un entero positivo")
    return tabla.order_by(tabla[clave].cast("string").hexdigest("md5")).limit(limite)


def _etapa_mas_baja(con: ibis.BaseBackend, respuestas: Table) -> Table:
    """Por respuesta: la etapa con la calificación más baja (``etapa_baja``) y esa nota (``calificacion_baja``).

    Un empate en la nota más baja se resuelve por el orden de la cadena (la etapa anterior). Si
    el encuestado dio la misma nota a todas las etapas que calificó, ninguna es la más baja y
    ``etapa_baja`` queda vacía.
    """
    c = con.table("encuesta_etapas")
    c = c.filter(c.calificacion.notnull(), c.respuesta_id.isin(respuestas.respuesta_id))
    orden = con.table("etapas").select("etapa", "orden")
    c = c.left_join(orden, "etapa")
    clave = c.calificacion * 1_000_000 + c.orden.fill_null(999_999)
    por_respuesta = c.group_by("respuesta_id").aggregate(
        _etapa=c.etapa.argmin(clave), calificacion_baja=c.calificacion.min(), _maxima=c.calificacion.max(),
    )
    return por_respuesta.select(
        "respuesta_id", "calificacion_baja",
        etapa_baja=ibis.ifelse(por_respuesta._maxima > por_respuesta.calificacion_baja, por_respuesta._etapa, None),
    )


_COLUMNAS_COMENTARIO = ("respuesta_id", "fecha", "canal", "sucursal", "tipo_cliente", "csat", "nps", "ces",
                        "comentario")


def _con_etapa_mas_baja(con: ibis.BaseBackend, respuestas: Table) -> Table:
    """Las columnas de ``_COLUMNAS_COMENTARIO`` más ``etapa_baja`` y ``calificacion_baja``."""
    etapas = _etapa_mas_baja(con, respuestas)
    return (respuestas.select(*_COLUMNAS_COMENTARIO).left_join(etapas, "respuesta_id")
            .drop("respuesta_id_right"))


def comentarios_encuestas(con: ibis.BaseBackend, filtros: Filtros, *, limite: int = LIMITE_COMENTARIOS) -> Table:
    """Comentarios de las encuestas filtradas, con sus notas y la etapa peor calificada.

    Columnas: ``respuesta_id``, ``fecha``, ``canal``, ``sucursal``, ``tipo_cliente``, ``csat``,
    ``nps``, ``ces``, ``comentario`` (solo los no vacíos), ``etapa_baja`` (la etapa de la cadena
    con la nota más baja de esa respuesta, vacía si todas valen lo mismo o no hay notas por
    etapa; ver ``_etapa_mas_baja``) y ``calificacion_baja``. Con más de ``limite`` comentarios se
    trae una muestra aleatoria reproducible de ``limite`` (por el MD5 de ``respuesta_id``). Ordenados
    por fecha.
    """
    t = _muestra_por_hash(_comentados(encuestas(con, filtros)), "respuesta_id", limite)
    return _con_etapa_mas_baja(con, t).order_by(["fecha", "respuesta_id"])


def comentarios_para_modelos(con: ibis.BaseBackend, alcance: Filtros = Filtros(), *,
                             limite: int = LIMITE_MODELOS_COMENTARIOS) -> Table:
    """Comentarios de todo el historial con que se aprenden temas y sentimiento.

    ``alcance`` limita a las sucursales y equipos que la persona puede ver
    (``con_alcance``); sin alcance, toda la organización. Las fechas y demás
    filtros de la barra lateral no se aplican.

    Columnas ``comentario``, ``csat`` y ``nps``. Los modelos usan todo el historial para que los
    temas sean los mismos con cualquier filtro (y sus nombres se conserven) y para aprender el
    tono del mayor número de comentarios calificados. Con más de ``limite`` comentarios, una
    muestra aleatoria reproducible de ``limite``: es el tope documentado de filas que llegan a
    pandas para entrenar.
    """
    visibles = encuestas(con, Filtros(sucursales=alcance.sucursales, equipos=alcance.equipos))
    t = _muestra_por_hash(_comentados(visibles), "respuesta_id", limite)
    return t.select("comentario", "csat", "nps").order_by("comentario")


def _contiene_palabras(columna: ibis.Value, texto: str) -> list[BooleanValue]:
    """Una condición por palabra de ``texto``: la columna la contiene, sin distinguir mayúsculas ni tildes."""
    plegar = str.maketrans(_CON_TILDE, _SIN_TILDE)
    plegada = columna.lower().translate(_CON_TILDE, _SIN_TILDE)
    return [plegada.contains(palabra) for palabra in texto.lower().translate(plegar).split()]


def buscar_comentarios(con: ibis.BaseBackend, filtros: Filtros, texto: str, *,
                       limite: int = LIMITE_BUSQUEDA) -> Table:
    """Comentarios de encuestas que contienen todas las palabras de ``texto``, los más recientes primero.

    Sin distinguir mayúsculas ni tildes («entrega tarde» encuentra «La entrega llegó TARDE»);
    las palabras se buscan como trozos de texto («tard» encuentra «tarde» y «tardaron»). Texto
    vacío: los comentarios más recientes. Mismas columnas que ``comentarios_encuestas``; a lo
    sumo ``limite`` filas.
    """
    if limite < 1:
        raise ValueError("'limite' debe ser un entero positivo")
    t = _comentados(encuestas(con, filtros))
    t = _filtrar(t, _contiene_palabras(t.comentario, texto))
    t = t.order_by([ibis.desc("fecha"), "respuesta_id"]).limit(limite)
    return _con_etapa_mas_baja(con, t).order_by([ibis.desc("fecha"), "respuesta_id"])


def notas_auditorias(con: ibis.BaseBackend, filtros: Filtros, texto: str = "", *,
                     limite: int = LIMITE_COMENTARIOS) -> Table:
    """Comentarios de auditoría (notas sin calificación del cliente) del filtro, los más recientes primero.

    Columnas ``auditoria_id``, ``fecha``, ``auditor``, ``agente_id``, ``nombre``, ``equipo`` y
    ``comentario``. Los filtros de canal, sucursal y tipo de cliente son los de la interacción
    auditada. ``texto`` busca palabras como ``buscar_comentarios``. A lo sumo ``limite`` filas.
    (Las interacciones no tienen columna de notas en el modelo canónico.)
    """
    if limite < 1:
        raise ValueError("'limite' debe ser un entero positivo")
    t = _comentados(_auditorias_filtradas(con, filtros))
    t = _filtrar(t, _contiene_palabras(t.comentario, texto))
    t = t.order_by([ibis.desc("fecha"), "auditoria_id"]).limit(limite)
    t = _con_agente(con, t.select("auditoria_id", "fecha", "auditor", "agente_id", "comentario"))
    return t.select("auditoria_id", "fecha", "auditor", "agente_id", "nombre", "equipo", "comentario").order_by(
        [ibis.desc("fecha"), "auditoria_id"])


def temas_comentarios(con: ibis.BaseBackend) -> Table:
    """Nombres y uniones que los usuarios dieron a temas de comentarios.

    Columnas ``firma``, ``nombre``, ``unir_con`` (firma del tema en que se funde) y ``palabras``
    (palabras principales normalizadas, separadas por «|», para reconocer el tema al reajustar).
    """
    return con.table("temas_comentarios").select("firma", "nombre", "unir_con", "palabras")


# ---------------------------------------------------------------------------
# Cadena de servicio en el motor: sumas por lote para los pesos relativos (``analisis.cadena``)
# ---------------------------------------------------------------------------

__all__ += ["LOTES_CADENA", "LOTES_SEGMENTO", "SEGMENTOS_CADENA", "ESCALAS_RESULTADO", "sumas_cadena"]

#: Lotes en que ``sumas_cadena`` reparte a los encuestados (los del bootstrap de ``analisis.cadena``).
LOTES_CADENA = 2000
#: Lotes por segmento cuando ``sumas_cadena`` parte por segmento (menos: hay una fila por segmento y lote).
LOTES_SEGMENTO = 200
#: Columnas de ``encuestas`` por las que ``sumas_cadena`` puede partir.
SEGMENTOS_CADENA = ("tipo_cliente", "canal", "sucursal")

#: Escala de cada resultado continuo de la encuesta; su punto medio centra las sumas.
ESCALAS_RESULTADO: dict[str, tuple[float, float]] = {"csat": (1.0, 5.0), "nps": (0.0, 10.0), "ces": (1.0, 7.0)}

_HEXADECIMAL = "0123456789abcdef"
_CIFRAS_LOTE, _CIFRAS_RUIDO = 4, 5  # cifras hexadecimales del MD5 para el lote (16 bits) y el ruido (20 bits)


def _entero_hexadecimal(hexa: ibis.Value, inicio: int, cifras: int) -> ibis.Value:
    """El número que escriben ``cifras`` cifras hexadecimales de ``hexa`` desde ``inicio`` (aritmética portable).

    Se calcula en coma flotante, exacta con menos de 13 cifras (2⁵²): en enteros, Spark (modo ANSI)
    haría las cuentas en 32 bits y fallaría por desbordamiento.
    """
    digitos = [ibis.literal(_HEXADECIMAL).find(hexa.substr(posicion, 1)).cast("float64")
               for posicion in range(inicio, inicio + cifras)]
    valor = digitos[0]
    for digito in digitos[1:]:
        valor = valor * 16 + digito
    return valor


def _columna_cadena(i: int) -> str:
    """Nombre interno de la columna ``i`` (etapas, resultado, ruido) en las sumas de la cadena."""
    return f"c{i}"


def sumas_cadena(con: ibis.BaseBackend, filtros: Filtros, etapas: tuple[str, ...], resultado: str,
                 escala: tuple[float, float] = (1.0, 5.0), segmento: str | None = None, *,
                 lotes: int | None = None) -> Table:
    """Estadísticos suficientes por lote de la cadena de servicio, con TODOS los encuestados del filtro.

    El motor pivota ``encuesta_etapas`` a una fila por encuestado que calificó alguna de
    ``etapas`` (como ``calificaciones_por_respuesta``, pero sin tope), añade el ``resultado``
    ('csat', 'nps' o 'ces') y una variable de ruido, reparte a los encuestados en ``lotes``
    lotes y devuelve una fila pequeña por lote: solo salen del motor ``lotes`` filas (None:
    ``LOTES_CADENA``). Con ``segmento`` (una de ``SEGMENTOS_CADENA``) hay una fila por segmento
    y lote, con la columna ``segmento`` (vacía si la encuesta no lo tiene), y ``lotes`` es por
    segmento (None: ``LOTES_SEGMENTO``).

    Lote y ruido salen del MD5 de ``respuesta_id`` (cifras hexadecimales convertidas con
    aritmética de cadenas, igual en DuckDB, Spark y cualquier motor SQL; la función ``hash``
    de cada motor es distinta): lote = 4 cifras módulo ``lotes``; ruido = 5 cifras más,
    uniforme en (−½, ½), independiente de los datos. Así el reparto y el ruido son los mismos
    en todos los motores y para los mismos datos.

    Con las q = k + 2 columnas (k etapas en orden, el resultado, el ruido) centradas —etapas en el
    punto medio de ``escala``, el resultado en el de ``ESCALAS_RESULTADO``, el ruido ya centrado—
    vᵢ (0 si falta) y mᵢ = 1 si hay dato, cada fila tiene: ``lote``, ``filas`` (encuestados),
    ``cruzados_i_j`` = Σvᵢvⱼ y ``pares_i_j`` = Σmᵢmⱼ (i ≤ j), ``sumas_i_j`` = Σvᵢmⱼ y
    ``cuadrados_i_j`` = Σvᵢ²mⱼ (todo i, j), y por etapa ``altas_i`` (calificaciones ≥ máximo − 1
    de ``escala``: top-2-box) y ``suma_bajas_i`` (suma de las demás, sin centrar). Columnas
    constantes: ``centro_i`` (lo restado a cada columna), ``escala_minimo`` y ``escala_maximo``.
    ``analisis.cadena.analizar_cadena_agregada`` estima con esto los pesos relativos.
    """
    if isinstance(etapas, str) or not etapas:
        raise ValueError("'etapas' debe nombrar al menos una etapa")
    if resultado not in ESCALAS_RESULTADO:
        raise ValueError(f"'resultado' debe ser uno de {list(ESCALAS_RESULTADO)}, no {resultado!r}")
    if segmento is not None and segmento not in SEGMENTOS_CADENA:
        raise ValueError(f"'segmento' debe ser None o uno de {list(SEGMENTOS_CADENA)}, no {segmento!r}")
    if lotes is None:
        lotes = LOTES_CADENA if segmento is None else LOTES_SEGMENTO
    if isinstance(lotes, bool) or not isinstance(lotes, int) or lotes < 1:
        raise ValueError("'lotes' debe ser un entero positivo")
    if len(escala) != 2 or not escala[0] < escala[1]:
        raise ValueError("'escala' debe ser un par (mínimo, máximo) con mínimo < máximo")
    t = encuestas(con, filtros)
    c = con.table("encuesta_etapas")
    c = c.filter(c.calificacion.notnull(), c.etapa.isin(list(etapas)))
    ancho = c.group_by("respuesta_id").aggregate(**{  # pivote antes de cruzar: el cruce es de uno a uno
        _columna_cadena(i): c.calificacion.max(where=c.etapa == nombre) for i, nombre in enumerate(etapas)
    })
    # El MD5 se calcula una vez por encuesta, antes del cruce (después se leería de nuevo por cada cifra).
    md5 = t.respuesta_id.hexdigest("md5").substr(0, _CIFRAS_LOTE + _CIFRAS_RUIDO)
    claves = {"segmento": t[segmento]} if segmento else {}
    ancho = ancho.join(t.select("respuesta_id", resultado, md5=md5, **claves), "respuesta_id")
    ancho = ancho.mutate(
        lote=(_entero_hexadecimal(ancho.md5, 0, _CIFRAS_LOTE) % lotes).cast("int64"),
        **{_columna_cadena(len(etapas)): ancho[resultado],
           _columna_cadena(len(etapas) + 1): (_entero_hexadecimal(ancho.md5, _CIFRAS_LOTE, _CIFRAS_RUIDO) + 0.5)
           / 2 ** (4 * _CIFRAS_RUIDO) - 0.5})
    centros = ([sum(escala) / 2] * len(etapas) + [sum(ESCALAS_RESULTADO[resultado]) / 2, 0.0])
    return _sumas_por_lote(ancho, centros, escala, len(etapas), [*claves, "lote"]).order_by([*claves, "lote"])


def _sumas_por_lote(ancho: Table, centros: list[float], escala: tuple[float, float], k: int,
                    grupos: list[str]) -> Table:
    """Agrega por ``grupos`` (el lote, y el segmento si lo hay) las sumas de ``sumas_cadena`` sobre las columnas ``c0..c{q-1}`` de ``ancho``.

    Antes de agregar se calculan una vez por fila vᵢ (centrada, 0 si falta), vᵢ² y mᵢ.
    """
    q = len(centros)
    crudas = [ancho[_columna_cadena(i)] for i in range(q)]
    ancho = ancho.mutate(**{f"v{i}": (columna - centro).fill_null(0.0)
                            for i, (columna, centro) in enumerate(zip(crudas, centros))},
                         **{f"m{i}": columna.notnull().cast("float64") for i, columna in enumerate(crudas)})
    ancho = ancho.mutate(**{f"w{i}": ancho[f"v{i}"] * ancho[f"v{i}"] for i in range(q)})
    v, m, w = ([ancho[f"{letra}{i}"] for i in range(q)] for letra in "vmw")
    crudas = [ancho[_columna_cadena(i)] for i in range(q)]
    umbral = escala[1] - 1
    sumas = {"filas": ancho.count()}
    for i in range(q):
        for j in range(q):
            if i <= j:
                sumas[f"cruzados_{i}_{j}"] = (v[i] * v[j]).sum()
                sumas[f"pares_{i}_{j}"] = (m[i] * m[j]).sum()
            sumas[f"sumas_{i}_{j}"] = (v[i] * m[j]).sum()
            sumas[f"cuadrados_{i}_{j}"] = (w[i] * m[j]).sum()
    for i in range(k):
        sumas[f"altas_{i}"] = (crudas[i] >= umbral).cast("int64").fill_null(0).sum()
        sumas[f"suma_bajas_{i}"] = ibis.ifelse(crudas[i] < umbral, crudas[i], 0.0).fill_null(0.0).sum()
    constantes = {f"centro_{i}": ibis.literal(float(centro)) for i, centro in enumerate(centros)}
    constantes.update(escala_minimo=ibis.literal(float(escala[0])), escala_maximo=ibis.literal(float(escala[1])))
    return ancho.group_by(grupos).aggregate(**sumas).mutate(**constantes)
