"""Agregados diarios por segmento: lo que leen las cifras de KPI en vez de millones de filas.

Tres tablas, con una fila por día (``dia``) y segmento (las dimensiones de los filtros de la barra
lateral, ``DIMENSIONES``: canal, sucursal, tipo de cliente y equipo):

- ``agregados_encuestas``: las sumas y conteos de ``sumas_encuestas`` (CSAT, NPS y CES con sus
  sumas de cuadrados). El equipo de una respuesta es el del agente de su interacción: se resuelve
  aquí, al escribir, y las consultas ya no cruzan encuestas con interacciones para filtrar por equipo.
- ``agregados_interacciones``: las de ``sumas_interacciones`` (promesa, FCR con su ventana censurada
  tal como está guardado en ``interacciones.fcr``, cuántos tiempos hay, quejas).
- ``agregados_tiempos``: un histograma de los tiempos de respuesta y de resolución (``medida``
  'respuesta' o 'resolucion') en cubetas logarítmicas: la cubeta k guarda los valores de
  (γᵏ⁻¹, γᵏ] con γ = (1 + α)/(1 − α) y su representante 2γᵏ/(γ + 1) dista a lo sumo α del valor
  (α = ``analisis.escalas.ERROR_PERCENTIL_HISTOGRAMA``, 1 %; el sketch DDSketch de Masson, Rim y
  Lee 2019). Los conteos son exactos, así que un percentil leído del histograma es el valor del
  rango exacto con error relativo ≤ α. Con muchos segmentos cada celda día × segmento tiene pocos
  tiempos y su histograma casi tantas filas como valores; por eso se guarda también en niveles más
  gruesos (``nivel``): 'segmento' (las cuatro dimensiones), una dimensión sola ('canal'…, las demás
  vacías) y 'todo' (solo el día). Una consulta lee el nivel más grueso que sus filtros permiten
  (``NIVELES``): sin filtros ni desglose, unas cien filas por día en vez de decenas de miles.

Se mantienen en la misma transacción que cada escritura: ``recalcular`` borra y vuelve a sumar,
dentro del motor y desde las tablas de datos, solo los días que la escritura toca (``Dias``), reunidos
antes de borrar o cambiar filas: los de una carga que se guarda o se deshace (``dias_de_carga``: sus
filas y las de los clientes y agentes de sus fichas, cuyo segmento cambia), los de un cliente que se
suprime (``dias_de_cliente``), y los de las filas cuyo FCR cambió. La tabla entera solo en la
migración que los crea y cuando quien escribe no sabe qué días toca (``registrar_escritura`` sin días). ``agregados_estado`` anota cuántas
filas tenía cada tabla al sumar: las consultas solo leen los agregados si siguen cuadrando
(``datos.consultas.agregados``).

Las sumas se definen una sola vez, como expresiones Ibis: las mismas que usan las consultas por
filas (``datos.consultas.resumen.metricas_encuestas``…) se compilan aquí a SQL de DuckDB.
"""

import math
from collections.abc import Iterable
from dataclasses import dataclass, replace
from datetime import date
from functools import cache

import duckdb
import ibis
from ibis.expr.types import IntegerValue, NumericValue, Table

from analisis.escalas import ERROR_PERCENTIL_HISTOGRAMA

__all__ = ["DIMENSIONES", "MEDIDAS_TIEMPO", "MOTIVOS_QUEJA", "ORIGENES", "CUBETA_CERO", "NIVELES", "cubeta", "valor_de_cubeta",
           "sumas_encuestas", "sumas_interacciones", "recalcular", "recalcular_dias", "Dias", "dias_de_carga",
           "dias_de_cliente", "SQL_TABLAS", "TABLAS"]

#: Dimensiones de cada fila de los agregados: las de ``datos.consultas.filtros.Filtros``.
DIMENSIONES = ("canal", "sucursal", "tipo_cliente", "equipo")

#: Medidas del histograma de tiempos y la columna de ``interacciones`` de cada una.
MEDIDAS_TIEMPO = {"respuesta": "tiempo_respuesta_min", "resolucion": "tiempo_resolucion_h"}

#: Motivos que cuentan como queja en la tasa de quejas (se comparan en minúsculas y sin espacios).
MOTIVOS_QUEJA = ("queja", "reclamo")

#: Niveles del histograma de tiempos: el de todas las dimensiones y los más gruesos (dimensiones de cada uno).
NIVELES = {"segmento": DIMENSIONES, "todo": (), **{d: (d,) for d in DIMENSIONES}}

#: Tablas de datos que tienen agregados.
ORIGENES = ("encuestas", "interacciones")

#: Tablas de agregados que se leen en vez de los datos (resumen lo mismo que sus filas).
TABLAS = ("agregados_encuestas", "agregados_interacciones", "agregados_tiempos")

#: Razón entre los extremos de una cubeta del histograma.
_GAMMA = (1 + ERROR_PERCENTIL_HISTOGRAMA) / (1 - ERROR_PERCENTIL_HISTOGRAMA)

#: Cubeta de los tiempos iguales a cero (su representante es 0).
CUBETA_CERO = -1_000_000

#: Tablas de los agregados (las crea la migración 30 de ``datos.almacen.esquema``).
SQL_TABLAS = (
    "CREATE TABLE IF NOT EXISTS agregados_encuestas (dia DATE, canal VARCHAR, sucursal VARCHAR, "
    "tipo_cliente VARCHAR, equipo VARCHAR, n_respuestas BIGINT, n_csat BIGINT, suma_csat DOUBLE, "
    "suma2_csat DOUBLE, csat_top2 BIGINT, n_nps BIGINT, promotores BIGINT, detractores BIGINT, n_ces BIGINT, "
    "suma_ces DOUBLE, suma2_ces DOUBLE, ces_facil BIGINT)",
    "CREATE TABLE IF NOT EXISTS agregados_interacciones (dia DATE, canal VARCHAR, sucursal VARCHAR, "
    "tipo_cliente VARCHAR, equipo VARCHAR, n_interacciones BIGINT, n_promesa BIGINT, promesa_cumplida BIGINT, "
    "n_fcr BIGINT, fcr BIGINT, n_respuesta BIGINT, n_resolucion BIGINT, n_motivo BIGINT, quejas BIGINT)",
    "CREATE TABLE IF NOT EXISTS agregados_tiempos (nivel VARCHAR, dia DATE, canal VARCHAR, sucursal VARCHAR, "
    "tipo_cliente VARCHAR, equipo VARCHAR, medida VARCHAR, cubeta INTEGER, n BIGINT)",
    "CREATE TABLE IF NOT EXISTS agregados_estado (tabla VARCHAR PRIMARY KEY, filas BIGINT)",
)

#: Columnas de las tablas de datos que leen los agregados (para compilar sin conexión).
_ESQUEMAS = {
    "encuestas": {"fecha": "timestamp", "interaccion_id": "string", "canal": "string", "sucursal": "string",
                  "tipo_cliente": "string", "csat": "float64", "nps": "float64", "ces": "float64"},
    "interacciones": {"interaccion_id": "string", "fecha_inicio": "timestamp", "cliente_id": "string",
                      "agente_id": "string", "canal": "string", "sucursal": "string", "motivo": "string",
                      "tiempo_respuesta_min": "float64", "tiempo_resolucion_h": "float64",
                      "promesa_cumplida": "boolean", "fcr": "boolean"},
    "clientes": {"cliente_id": "string", "tipo_cliente": "string"},
    "agentes": {"agente_id": "string", "equipo": "string"},
    "_agregados_dias": {"dia": "date"},
}


def sumas_encuestas(t: Table) -> dict[str, ibis.Value]:
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


def sumas_interacciones(t: Table) -> dict[str, ibis.Value]:
    """Conteos de interacciones: promesa, FCR, tiempos presentes, motivos y quejas (sin percentiles)."""
    return {
        "n_interacciones": t.count(),
        "n_promesa": t.promesa_cumplida.count(),
        "promesa_cumplida": t.promesa_cumplida.sum(),
        "n_fcr": t.fcr.count(),
        "fcr": t.fcr.sum(),
        "n_respuesta": t.tiempo_respuesta_min.count(),
        "n_resolucion": t.tiempo_resolucion_h.count(),
        "n_motivo": t.motivo.count(),
        "quejas": t.motivo.strip().lower().isin(list(MOTIVOS_QUEJA)).sum(),
    }


def cubeta(valor: NumericValue) -> IntegerValue:
    """Cubeta del histograma de un tiempo (≥ 0): ⌈ln x / ln γ⌉, o ``CUBETA_CERO`` para 0.

    >>> round(_GAMMA, 4)
    1.0202
    """
    return ibis.ifelse(valor > 0, (valor.ln() / math.log(_GAMMA)).ceil().cast("int32"), CUBETA_CERO)


def valor_de_cubeta(numero: IntegerValue) -> NumericValue:
    """Representante de la cubeta ``numero``: 2γᵏ/(γ + 1), a menos de α de todo valor de la cubeta (0 en la del cero)."""
    return ibis.ifelse(numero == CUBETA_CERO, 0.0, ibis.literal(_GAMMA) ** numero.cast("float64") * (2 / (_GAMMA + 1)))


def _tablas() -> dict[str, Table]:
    """Tablas sin conexión con las columnas de ``_ESQUEMAS`` (para compilar el SQL)."""
    return {nombre: ibis.table(esquema, name=nombre) for nombre, esquema in _ESQUEMAS.items()}


def _encuestas_por_segmento(t: dict[str, Table], por_dias: bool) -> Table:
    """Encuestas con ``dia`` y sus dimensiones (solo las de ``_agregados_dias`` si ``por_dias``); el equipo es
    el del agente de su interacción."""
    e, i, a = _de_los_dias(t["encuestas"], "fecha", t, por_dias), t["interacciones"], t["agentes"]
    equipos = i.join(a, i.agente_id == a.agente_id).select(_interaccion=i.interaccion_id, _equipo=a.equipo)
    unidas = e.left_join(equipos, e.interaccion_id == equipos._interaccion)
    return unidas.select(dia=unidas.fecha.cast("date"), canal=unidas.canal, sucursal=unidas.sucursal,
                         tipo_cliente=unidas.tipo_cliente, equipo=unidas._equipo, csat=unidas.csat,
                         nps=unidas.nps, ces=unidas.ces)


def _interacciones_por_segmento(t: dict[str, Table], por_dias: bool) -> Table:
    """Interacciones con ``dia`` y sus dimensiones (tipo de cliente del cliente, equipo del agente), solo las de
    ``_agregados_dias`` si ``por_dias``."""
    i, c, a = _de_los_dias(t["interacciones"], "fecha_inicio", t, por_dias), t["clientes"], t["agentes"]
    clientes = c.select(_cliente=c.cliente_id, _tipo=c.tipo_cliente)
    agentes = a.select(_agente=a.agente_id, _equipo=a.equipo)
    unidas = i.left_join(clientes, i.cliente_id == clientes._cliente).left_join(
        agentes, i.agente_id == agentes._agente)
    return unidas.select(dia=unidas.fecha_inicio.cast("date"), canal=unidas.canal, sucursal=unidas.sucursal,
                         tipo_cliente=unidas._tipo, equipo=unidas._equipo, motivo=unidas.motivo,
                         promesa_cumplida=unidas.promesa_cumplida, fcr=unidas.fcr,
                         tiempo_respuesta_min=unidas.tiempo_respuesta_min,
                         tiempo_resolucion_h=unidas.tiempo_resolucion_h)


def _de_los_dias(hechos: Table, fecha: str, t: dict[str, Table], por_dias: bool) -> Table:
    """``hechos`` limitada a los días de la tabla temporal ``_agregados_dias`` si ``por_dias`` (día de ``fecha``).

    El filtro va sobre la tabla de hechos, antes de cruzarla con las fichas: así el motor solo cruza las
    filas de esos días (filtrar después cruzaba millones de filas para quedarse con unas miles).
    """
    return hechos.filter(hechos[fecha].cast("date").isin(t["_agregados_dias"].dia)) if por_dias else hechos


def _histograma(base: Table, columna: str, medida: str) -> Table:
    """Cuántos valores de ``columna`` caen en cada cubeta, por día y segmento (``medida`` nombra la columna)."""
    return (base.group_by([ibis.literal("segmento").name("nivel"), "dia", *DIMENSIONES,
                           ibis.literal(medida).name("medida"),
                           cubeta(base[columna]).name("cubeta")]).aggregate(n=base.count()))


@cache
def _sql(tabla: str, por_dias: bool) -> str:
    """SELECT (DuckDB) con las filas de ``agregados_<tabla>`` de todos los días o de ``_agregados_dias``."""
    t = _tablas()
    claves = ["dia", *DIMENSIONES]
    if tabla == "tiempos":
        base = _interacciones_por_segmento(t, por_dias)
        consulta = ibis.union(*(_histograma(base.filter(base[columna].notnull()), columna, medida)
                                for medida, columna in MEDIDAS_TIEMPO.items()))
    elif tabla == "encuestas":
        base = _encuestas_por_segmento(t, por_dias)
        consulta = base.group_by(claves).aggregate(**sumas_encuestas(base))
    else:
        base = _interacciones_por_segmento(t, por_dias)
        consulta = base.group_by(claves).aggregate(**sumas_interacciones(base))
    orden = ["medida", "dia"] if tabla == "tiempos" else ["dia"]  # los filtros de fecha saltan bloques
    return str(ibis.to_sql(consulta.order_by(orden), dialect="duckdb"))


def _reescribir(con: duckdb.DuckDBPyConnection, tabla: str, por_dias: bool) -> None:
    """Borra y vuelve a sumar ``agregados_<tabla>`` (todos los días o los de ``_agregados_dias``)."""
    donde = " WHERE dia IN (SELECT dia FROM _agregados_dias)" if por_dias else ""
    con.execute(f"DELETE FROM agregados_{tabla}{donde}")
    con.execute(f"INSERT INTO agregados_{tabla} BY NAME {_sql(tabla, por_dias)}")
    if tabla == "tiempos":
        _sumar_niveles(con, donde)


#: Los niveles gruesos del histograma en una pasada sobre el de 'segmento': un conjunto de agrupación por nivel.
_CONJUNTOS = ", ".join(f"({', '.join(['dia', *dims, 'medida', 'cubeta'])})"
                       for nivel, dims in NIVELES.items() if nivel != "segmento")
_NIVEL = "CASE " + " ".join(f"WHEN GROUPING({d}) = 0 THEN '{d}'" for d in DIMENSIONES) + " ELSE 'todo' END"


def _sumar_niveles(con: duckdb.DuckDBPyConnection, donde: str) -> None:
    """Inserta los histogramas de los niveles gruesos sumando el de 'segmento' (los días de ``donde``)."""
    filtro = f"nivel = 'segmento'{donde.replace(' WHERE', ' AND')}"
    con.execute(f"INSERT INTO agregados_tiempos BY NAME SELECT {_NIVEL} AS nivel, dia, {', '.join(DIMENSIONES)}, "
                f"medida, cubeta, sum(n) AS n FROM agregados_tiempos WHERE {filtro} "
                f"GROUP BY GROUPING SETS ({_CONJUNTOS}) ORDER BY medida, dia")


def _anotar_filas(con: duckdb.DuckDBPyConnection, origen: str) -> None:
    """Anota en ``agregados_estado`` cuántas filas de ``origen`` resumen los agregados."""
    con.execute(f"INSERT OR REPLACE INTO agregados_estado SELECT '{origen}', count(*) FROM {origen}")


def _preparar_dias(con: duckdb.DuckDBPyConnection, dias: Iterable[date]) -> None:
    """Llena la tabla temporal ``_agregados_dias`` con ``dias`` (sin repetir)."""
    con.execute("CREATE OR REPLACE TEMP TABLE _agregados_dias (dia DATE)")
    if dias:
        con.executemany("INSERT INTO _agregados_dias VALUES (?)", [[d] for d in sorted(dias)])


def recalcular(con: duckdb.DuckDBPyConnection, origenes: Iterable[str] = ORIGENES,
               dias: Iterable[date] | None = None) -> None:
    """Vuelve a sumar los agregados de ``origenes`` en la transacción en curso de ``con``.

    ``dias`` None: todos los días (la tabla entera); si no, solo esos días (los demás no cambian).
    Los de ``interacciones`` incluyen el histograma de tiempos.
    """
    origenes, dias = tuple(origenes), None if dias is None else set(dias)
    if dias is not None:
        _preparar_dias(con, dias)
    for origen in origenes:
        if dias is None or dias:
            _reescribir(con, origen, dias is not None)
            if origen == "interacciones":
                _reescribir(con, "tiempos", dias is not None)
        _anotar_filas(con, origen)
    if dias is not None:
        con.execute("DROP TABLE _agregados_dias")


@dataclass(frozen=True)
class Dias:
    """Días cuyos agregados cambian con una escritura: los de ``interacciones`` (con el histograma) y los de ``encuestas``."""

    interacciones: frozenset[date] = frozenset()
    encuestas: frozenset[date] = frozenset()

    def con_fcr(self, dias: Iterable[date]) -> "Dias":
        """Estos días y los de las interacciones cuyo ``fcr`` cambió (solo cuentan en las de interacciones)."""
        return replace(self, interacciones=self.interacciones | frozenset(dias))


#: Interacciones de la carga ``$carga`` y las de los clientes y agentes de sus fichas (su tipo de cliente o
#: equipo cambia al cargarlas o deshacerlas).
_INTERACCIONES_DE_CARGA = (
    "carga_id = $clave OR cliente_id IN (SELECT cliente_id FROM clientes WHERE carga_id = $clave) "
    "OR agente_id IN (SELECT agente_id FROM agentes WHERE carga_id = $clave)")

#: Interacciones y encuestas de un cliente (``$clave``).
_DE_CLIENTE = "cliente_id = $clave"

#: Días de las interacciones que cumplen la condición ``{donde}``.
_DIAS_INTERACCIONES = "SELECT DISTINCT CAST(fecha_inicio AS DATE) FROM interacciones WHERE {donde}"

#: Días de las encuestas que cumplen ``{propias}`` o responden a interacciones que cumplen ``{donde}`` (su equipo).
_DIAS_ENCUESTAS = ("SELECT CAST(fecha AS DATE) FROM encuestas WHERE {propias} UNION SELECT CAST(fecha AS DATE) "
                   "FROM encuestas WHERE interaccion_id IN (SELECT interaccion_id FROM interacciones WHERE {donde})")


def _dias(con: duckdb.DuckDBPyConnection, interacciones: str, encuestas: str, clave) -> Dias:
    """Los ``Dias`` de las interacciones que cumplen ``interacciones`` y de las encuestas que cumplen ``encuestas``
    o responden a esas interacciones (condiciones SQL con el parámetro ``$clave``)."""
    def leer(sql: str) -> frozenset[date]:
        """Los días (primera columna) que devuelve ``sql``."""
        return frozenset(fila[0] for fila in con.execute(sql, {"clave": clave}).fetchall())
    return Dias(leer(_DIAS_INTERACCIONES.format(donde=interacciones)),
                leer(_DIAS_ENCUESTAS.format(propias=encuestas, donde=interacciones)))


def dias_de_carga(con: duckdb.DuckDBPyConnection, carga_id: int) -> Dias:
    """Días cuyos agregados cambian al escribir o borrar la carga ``carga_id``.

    Sus interacciones y encuestas, las interacciones de los clientes y agentes de sus fichas (cambia su
    tipo de cliente o su equipo) y las encuestas que responden a esas interacciones (cambia su equipo).
    Al deshacer se piden ANTES de borrar: después ya no se sabe qué días tenían las filas.
    """
    return _dias(con, _INTERACCIONES_DE_CARGA, "carga_id = $clave", int(carga_id))


def dias_de_cliente(con: duckdb.DuckDBPyConnection, cliente_id: str) -> Dias:
    """Días cuyos agregados cambian al suprimir al cliente ``cliente_id``: los de sus interacciones y encuestas
    y los de las encuestas que responden a sus interacciones (se piden ANTES de borrar o anonimizar)."""
    return _dias(con, _DE_CLIENTE, _DE_CLIENTE, cliente_id)


def recalcular_dias(con: duckdb.DuckDBPyConnection, dias: Dias) -> None:
    """Vuelve a sumar solo los días de ``dias`` de cada tabla (misma transacción); los demás no cambian."""
    recalcular(con, ("interacciones",), dias.interacciones)
    recalcular(con, ("encuestas",), dias.encuestas)
