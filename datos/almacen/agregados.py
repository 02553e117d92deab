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
  rango exacto con error relativo ≤ α. Hay un solo nivel, el del día y las cuatro dimensiones: una
  consulta suma las filas de sus días (una lectura de doce meses con 10 millones de interacciones tarda
  unos 25 ms). Hasta la migración 31 se guardaba además en niveles más gruesos (un día entero, una
  dimensión), que ahorraban unos 15 ms por lectura y costaban más de la mitad de ponerlo al día en cada carga
  (0,6 de 1,0 s con un millón de interacciones).

Se mantienen en la misma transacción que cada escritura: ``recalcular`` borra y vuelve a sumar,
dentro del motor y desde las tablas de datos, solo las celdas que la escritura toca (``Celdas``: día,
canal y sucursal, columnas de la propia fila que ninguna ficha cambia), reunidas antes de borrar o
cambiar filas: las de una carga que se guarda o se deshace (``celdas_de_carga``: sus filas y las de los
clientes y agentes de sus fichas, cuyo tipo de cliente o equipo cambia), las de un cliente que se
suprime (``celdas_de_cliente``), y las de las filas cuyo FCR cambió. Una celda abarca todos los tipos
de cliente y equipos de su día, canal y sucursal, así que vuelve a sumar también las filas que pasan
de un tipo o equipo a otro. La tabla entera solo en la migración que los crea y cuando quien escribe no
sabe qué celdas toca (``registrar_escritura`` sin celdas). ``agregados_estado`` anota cuántas filas
tenía cada tabla al sumar: las consultas solo leen los agregados si siguen cuadrando
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

__all__ = ["DIMENSIONES", "MEDIDAS_TIEMPO", "MOTIVOS_QUEJA", "ORIGENES", "CUBETA_CERO", "cubeta", "valor_de_cubeta",
           "sumas_encuestas", "sumas_interacciones", "recalcular", "recalcular_celdas", "Celdas", "Celda",
           "celdas_de_carga", "celdas_de_cliente", "TABLAS"]

#: Dimensiones de cada fila de los agregados: las de ``datos.consultas.filtros.Filtros``.
DIMENSIONES = ("canal", "sucursal", "tipo_cliente", "equipo")

#: Medidas del histograma de tiempos y la columna de ``interacciones`` de cada una.
MEDIDAS_TIEMPO = {"respuesta": "tiempo_respuesta_min", "resolucion": "tiempo_resolucion_h"}

#: Motivos que cuentan como queja en la tasa de quejas (se comparan en minúsculas y sin espacios).
MOTIVOS_QUEJA = ("queja", "reclamo")

#: Tablas de datos que tienen agregados.
ORIGENES = ("encuestas", "interacciones")

#: Tablas de agregados que se leen en vez de los datos (resumen lo mismo que sus filas).
TABLAS = ("agregados_encuestas", "agregados_interacciones", "agregados_tiempos")

#: Razón entre los extremos de una cubeta del histograma.
_GAMMA = (1 + ERROR_PERCENTIL_HISTOGRAMA) / (1 - ERROR_PERCENTIL_HISTOGRAMA)

#: Cubeta de los tiempos iguales a cero (su representante es 0).
CUBETA_CERO = -1_000_000

#: Tabla temporal con las celdas (día, canal, sucursal) que una escritura vuelve a sumar.
_CELDAS = "_agregados_celdas"

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
    _CELDAS: {"dia": "date", "canal": "string", "sucursal": "string"},
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


def _encuestas_por_segmento(t: dict[str, Table], por_celdas: bool) -> Table:
    """Encuestas con ``dia`` y sus dimensiones (solo las de las celdas de ``_CELDAS`` si ``por_celdas``); el
    equipo es el del agente de su interacción."""
    e, i, a = _de_las_celdas(t["encuestas"], "fecha", t, por_celdas), t["interacciones"], t["agentes"]
    equipos = i.join(a, i.agente_id == a.agente_id).select(_interaccion=i.interaccion_id, _equipo=a.equipo)
    unidas = e.left_join(equipos, e.interaccion_id == equipos._interaccion)
    return unidas.select(dia=unidas.fecha.cast("date"), canal=unidas.canal, sucursal=unidas.sucursal,
                         tipo_cliente=unidas.tipo_cliente, equipo=unidas._equipo, csat=unidas.csat,
                         nps=unidas.nps, ces=unidas.ces)


def _interacciones_por_segmento(t: dict[str, Table], por_celdas: bool) -> Table:
    """Interacciones con ``dia`` y sus dimensiones (tipo de cliente del cliente, equipo del agente), solo las de
    las celdas de ``_CELDAS`` si ``por_celdas``."""
    i, c, a = _de_las_celdas(t["interacciones"], "fecha_inicio", t, por_celdas), t["clientes"], t["agentes"]
    clientes = c.select(_cliente=c.cliente_id, _tipo=c.tipo_cliente)
    agentes = a.select(_agente=a.agente_id, _equipo=a.equipo)
    unidas = i.left_join(clientes, i.cliente_id == clientes._cliente).left_join(
        agentes, i.agente_id == agentes._agente)
    return unidas.select(dia=unidas.fecha_inicio.cast("date"), canal=unidas.canal, sucursal=unidas.sucursal,
                         tipo_cliente=unidas._tipo, equipo=unidas._equipo, motivo=unidas.motivo,
                         promesa_cumplida=unidas.promesa_cumplida, fcr=unidas.fcr,
                         tiempo_respuesta_min=unidas.tiempo_respuesta_min,
                         tiempo_resolucion_h=unidas.tiempo_resolucion_h)


def _de_las_celdas(hechos: Table, fecha: str, t: dict[str, Table], por_celdas: bool) -> Table:
    """``hechos`` limitada a las celdas de la tabla temporal ``_CELDAS`` si ``por_celdas`` (día de ``fecha``,
    canal y sucursal, vacíos incluidos).

    El filtro va sobre la tabla de hechos, antes de cruzarla con las fichas: así el motor solo cruza las
    filas de esas celdas (filtrar después cruzaba millones de filas para quedarse con unas miles).
    """
    if not por_celdas:
        return hechos
    celdas = t[_CELDAS]
    filas = hechos.semi_join(celdas, [hechos[fecha].cast("date") == celdas.dia,
                                      hechos.canal.identical_to(celdas.canal),
                                      hechos.sucursal.identical_to(celdas.sucursal)])
    return filas.select(*hechos.columns).view()  # cierra el cruce: los que siguen la toman como una tabla


def _histograma(base: Table, columna: str, medida: str) -> Table:
    """Cuántos valores de ``columna`` caen en cada cubeta, por día y segmento (``medida`` nombra la columna)."""
    return (base.group_by(["dia", *DIMENSIONES,
                           ibis.literal(medida).name("medida"),
                           cubeta(base[columna]).name("cubeta")]).aggregate(n=base.count()))


@cache
def _sql(tabla: str, por_celdas: bool) -> str:
    """SELECT (DuckDB) con las filas de ``agregados_<tabla>`` de todas las celdas o de las de ``_CELDAS``."""
    t = _tablas()
    claves = ["dia", *DIMENSIONES]
    if tabla == "tiempos":
        base = _interacciones_por_segmento(t, por_celdas)
        consulta = ibis.union(*(_histograma(base.filter(base[columna].notnull()), columna, medida)
                                for medida, columna in MEDIDAS_TIEMPO.items()))
    elif tabla == "encuestas":
        base = _encuestas_por_segmento(t, por_celdas)
        consulta = base.group_by(claves).aggregate(**sumas_encuestas(base))
    else:
        base = _interacciones_por_segmento(t, por_celdas)
        consulta = base.group_by(claves).aggregate(**sumas_interacciones(base))
    orden = ["medida", "dia"] if tabla == "tiempos" else ["dia"]  # los filtros de fecha saltan bloques
    return str(ibis.to_sql(consulta.order_by(orden), dialect="duckdb"))


def _iguales(izquierda: str, derecha: str, columnas: Iterable[str]) -> str:
    """SQL de «las ``columnas`` de ``izquierda`` y ``derecha`` coinciden», vacíos incluidos.

    >>> _iguales("a", "c", ["dia", "canal"])
    'a.dia IS NOT DISTINCT FROM c.dia AND a.canal IS NOT DISTINCT FROM c.canal'
    """
    return " AND ".join(f"{izquierda}.{c} IS NOT DISTINCT FROM {derecha}.{c}" for c in columnas)


#: Columnas de una celda de los agregados.
_COLUMNAS_CELDA = ("dia", "canal", "sucursal")

#: SQL de «la fila ``a`` de los agregados es de un día entre ``$desde`` y ``$hasta``»: con constantes, el motor
#: salta los bloques de otros días sin leerlos (las celdas solas obligan a recorrer la tabla entera).
_EN_RANGO = "a.dia BETWEEN $desde AND $hasta"


def _reescribir(con: duckdb.DuckDBPyConnection, tabla: str, rango: tuple[date, date] | None) -> None:
    """Borra y vuelve a sumar ``agregados_<tabla>``: todas las celdas (``rango`` None) o las de ``_CELDAS``,
    cuyos días van de ``rango[0]`` a ``rango[1]``."""
    if rango is None:
        con.execute(f"DELETE FROM agregados_{tabla}")
    else:
        con.execute(f"DELETE FROM agregados_{tabla} a USING {_CELDAS} c WHERE {_EN_RANGO} AND "
                    f"{_iguales('a', 'c', _COLUMNAS_CELDA)}", {"desde": rango[0], "hasta": rango[1]})
    con.execute(f"INSERT INTO agregados_{tabla} BY NAME {_sql(tabla, rango is not None)}")


def _anotar_filas(con: duckdb.DuckDBPyConnection, origen: str) -> None:
    """Anota en ``agregados_estado`` cuántas filas de ``origen`` resumen los agregados."""
    con.execute(f"INSERT OR REPLACE INTO agregados_estado SELECT '{origen}', count(*) FROM {origen}")


#: Una celda de los agregados: día, canal y sucursal (columnas de la propia fila; vacíos con None).
Celda = tuple[date, str | None, str | None]


def _preparar_celdas(con: duckdb.DuckDBPyConnection, celdas: set[Celda]) -> tuple[date, date] | None:
    """Llena la tabla temporal ``_CELDAS`` con ``celdas`` (en una sola sentencia: fila a fila tardaba 1,5 s con
    2.500 celdas); devuelve sus días primero y último (None sin celdas)."""
    con.execute(f"CREATE OR REPLACE TEMP TABLE {_CELDAS} (dia DATE, canal VARCHAR, sucursal VARCHAR)")
    if not celdas:
        return None
    dias, canales, sucursales = zip(*sorted(celdas, key=lambda c: (c[0], c[1] or "", c[2] or "")))
    con.execute(f"INSERT INTO {_CELDAS} SELECT UNNEST($dias), UNNEST($canales), UNNEST($sucursales)",
                {"dias": list(dias), "canales": list(canales), "sucursales": list(sucursales)})
    return dias[0], dias[-1]


def recalcular(con: duckdb.DuckDBPyConnection, origenes: Iterable[str] = ORIGENES,
               celdas: Iterable[Celda] | None = None) -> None:
    """Vuelve a sumar los agregados de ``origenes`` en la transacción en curso de ``con``.

    ``celdas`` None: todas (la tabla entera); si no, solo esas celdas (las demás no cambian).
    Los de ``interacciones`` incluyen el histograma de tiempos.
    """
    origenes, celdas = tuple(origenes), None if celdas is None else set(celdas)
    rango = None if celdas is None else _preparar_celdas(con, celdas)
    for origen in origenes:
        if celdas is None or celdas:
            _reescribir(con, origen, rango)
            if origen == "interacciones":
                _reescribir(con, "tiempos", rango)
        _anotar_filas(con, origen)
    if celdas is not None:
        con.execute(f"DROP TABLE {_CELDAS}")


@dataclass(frozen=True)
class Celdas:
    """Celdas cuyos agregados cambian con una escritura: las de ``interacciones`` (con el histograma) y las de
    ``encuestas``."""

    interacciones: frozenset[Celda] = frozenset()
    encuestas: frozenset[Celda] = frozenset()

    def con_fcr(self, celdas: Iterable[Celda]) -> "Celdas":
        """Estas celdas y las de las interacciones cuyo ``fcr`` cambió (solo cuentan en las de interacciones)."""
        return replace(self, interacciones=self.interacciones | frozenset(celdas))


#: Interacciones (día, canal, sucursal, identificador) de la carga ``$clave`` y las de los clientes y agentes de
#: sus fichas (su tipo de cliente o equipo cambia al cargarlas o deshacerlas): tres lecturas que el motor
#: resuelve cada una por su lado (con OR e IN cruzaba cada fila con las fichas).
_INTERACCIONES_DE_CARGA = " UNION ALL ".join(
    f"SELECT CAST(i.fecha_inicio AS DATE) AS dia, i.canal, i.sucursal, i.interaccion_id FROM interacciones i {cual}"
    for cual in ("WHERE i.carga_id = $clave",
                 "SEMI JOIN clientes f ON f.cliente_id = i.cliente_id AND f.carga_id = $clave",
                 "SEMI JOIN agentes f ON f.agente_id = i.agente_id AND f.carga_id = $clave"))

#: Interacciones (día, canal, sucursal, identificador) de un cliente (``$clave``).
_INTERACCIONES_DE_CLIENTE = ("SELECT CAST(fecha_inicio AS DATE) AS dia, canal, sucursal, interaccion_id "
                             "FROM interacciones WHERE cliente_id = $clave")

#: Tabla temporal con las interacciones que toca una escritura (las de ``_INTERACCIONES_DE_CARGA``…).
_TOCADAS = "_agregados_tocadas"

#: Celdas de las encuestas que cumplen ``{propias}`` o responden a las interacciones de ``_TOCADAS`` (su equipo).
_CELDAS_ENCUESTAS = (f"SELECT CAST(fecha AS DATE), canal, sucursal FROM encuestas WHERE {{propias}} UNION "
                     f"SELECT CAST(e.fecha AS DATE), e.canal, e.sucursal FROM encuestas e "
                     f"SEMI JOIN {_TOCADAS} t ON t.interaccion_id = e.interaccion_id")


def _celdas(con: duckdb.DuckDBPyConnection, interacciones: str, encuestas: str, clave) -> Celdas:
    """Las ``Celdas`` de las interacciones que da ``interacciones`` (SELECT de día, canal, sucursal e
    identificador) y de las encuestas que cumplen ``encuestas`` o responden a esas interacciones (SQL con el
    parámetro ``$clave``)."""
    con.execute(f"CREATE OR REPLACE TEMP TABLE {_TOCADAS} AS {interacciones}", {"clave": clave})
    de_interacciones = con.execute(f"SELECT DISTINCT dia, canal, sucursal FROM {_TOCADAS}").fetchall()
    de_encuestas = con.execute(_CELDAS_ENCUESTAS.format(propias=encuestas), {"clave": clave}).fetchall()
    con.execute(f"DROP TABLE {_TOCADAS}")
    return Celdas(frozenset(map(tuple, de_interacciones)), frozenset(map(tuple, de_encuestas)))


def celdas_de_carga(con: duckdb.DuckDBPyConnection, carga_id: int) -> Celdas:
    """Celdas cuyos agregados cambian al escribir o borrar la carga ``carga_id``.

    Las de sus interacciones y encuestas, las de las interacciones de los clientes y agentes de sus fichas
    (cambia su tipo de cliente o su equipo) y las de las encuestas que responden a esas interacciones (cambia
    su equipo). Al deshacer se piden ANTES de borrar: después ya no se sabe qué celdas tenían las filas.
    """
    return _celdas(con, _INTERACCIONES_DE_CARGA, "carga_id = $clave", int(carga_id))


def celdas_de_cliente(con: duckdb.DuckDBPyConnection, cliente_id: str) -> Celdas:
    """Celdas cuyos agregados cambian al suprimir al cliente ``cliente_id``: las de sus interacciones y encuestas
    y las de las encuestas que responden a sus interacciones (se piden ANTES de borrar o anonimizar)."""
    return _celdas(con, _INTERACCIONES_DE_CLIENTE, "cliente_id = $clave", cliente_id)


def recalcular_celdas(con: duckdb.DuckDBPyConnection, celdas: Celdas) -> None:
    """Vuelve a sumar solo las celdas de ``celdas`` de cada tabla (misma transacción); las demás no cambian."""
    recalcular(con, ("interacciones",), celdas.interacciones)
    recalcular(con, ("encuestas",), celdas.encuestas)
