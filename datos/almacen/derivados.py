"""Columnas derivadas que se guardan ya calculadas para que leerlas sea barato.

``interacciones.fcr`` (resuelto al primer contacto) necesita mirar el contacto
siguiente del mismo cliente por el mismo motivo: una ventana que ordena toda
la tabla. Calcularla en cada cambio de filtro costaba segundos con 10 millones
de filas; se calcula una vez por escritura, solo donde la escritura puede cambiarla
(``Grupos``): al cargar o deshacer interacciones y al suprimir a un cliente, en los grupos
de cliente y motivo que toca y en los contactos recientes cuya ventana puede abrirse o
cerrarse; entera solo al crear la demostración y en las migraciones (cargar encuestas o
auditorías no la cambia).

Una tasa con ventana de seguimiento no se conoce hasta que la ventana cierra (censura por la
derecha): ``fcr`` queda vacío (NULL) en los contactos aún abiertos (sin ``fecha_fin``) y en los que
empezaron menos de ``DIAS_RECONTACTO`` días antes del último contacto de los datos. Como todas las
cifras cuentan ``fcr`` con ``count()``, esos contactos salen del numerador y del denominador en
todas las páginas (``analisis.escalas.texto_ventana_fcr`` lo explica en la interfaz).
"""

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime, timedelta

import duckdb

from analisis.escalas import DIAS_RECONTACTO
from datos.almacen import agregados

__all__ = ["DIAS_RECONTACTO", "SQL_RECALCULAR_FCR", "recalcular_fcr", "registrar_carga", "registrar_escritura",
           "Grupos", "grupos_de_carga", "grupos_de_cliente",
           "subir_version", "fcr_en_spark", "descontar_guardadas"]

#: SQL de "la ventana de seguimiento de esta fila ya cerró": el contacto terminó (tiene ``fecha_fin``)
#: y pasaron ``DIAS_RECONTACTO`` días entre su inicio y ``ultima`` (el último contacto de los datos).
_VENTANA_CERRADA = (f"fecha_fin IS NOT NULL AND fecha_inicio + INTERVAL {DIAS_RECONTACTO} DAY <= ultima")

#: SQL de ``fcr`` de una fila con ``resuelto``, ``cliente_id``, ``fecha_inicio``, ``fecha_fin``, ``ultima``
#: y ``siguiente`` (fecha del siguiente contacto del mismo cliente por el mismo motivo): con la ventana
#: cerrada, resuelto y sin recontacto en ``DIAS_RECONTACTO`` días (sin cliente conocido, basta con que
#: esté resuelto); con la ventana abierta, NULL (aún no se sabe).
_FCR = (f"CASE WHEN {_VENTANA_CERRADA} THEN resuelto AND (cliente_id IS NULL OR siguiente IS NULL "
        f"OR siguiente > fecha_inicio + INTERVAL {DIAS_RECONTACTO} DAY) END")

#: SQL de ``siguiente``: ventana sobre los contactos del mismo cliente y motivo.
_SIGUIENTE = "lead(fecha_inicio) OVER (PARTITION BY cliente_id, motivo ORDER BY fecha_inicio)"

#: SQL de ``ultima``: el último inicio de contacto de toda la tabla.
_ULTIMA = "(SELECT max(fecha_inicio) FROM interacciones)"

#: Columnas que ``_FCR`` lee, en la subconsulta sobre ``interacciones`` (alias ``i``).
_COLUMNAS = f"i.resuelto, i.cliente_id, i.fecha_inicio, i.fecha_fin, {_ULTIMA} AS ultima"

#: Recalcula ``fcr`` de todas las interacciones.
SQL_RECALCULAR_FCR = f"""
UPDATE interacciones SET fcr = derivado.fcr
FROM (
    SELECT fila, {_FCR} AS fcr
    FROM (SELECT i.rowid AS fila, {_COLUMNAS}, {_SIGUIENTE} AS siguiente FROM interacciones i)
) AS derivado
WHERE interacciones.rowid = derivado.fila
"""

#: Lo que devuelve una actualización de ``fcr``: la celda de los agregados de cada fila cambiada.
_CELDA_CAMBIADA = "RETURNING CAST(interacciones.fecha_inicio AS DATE), interacciones.canal, interacciones.sucursal"

#: Tabla temporal con los grupos (cliente y motivo, cliente conocido) que una escritura toca.
_GRUPOS = "_fcr_grupos"

def _sql_fcr_cambiados(alcance: str = "") -> str:
    """SQL que recalcula ``fcr`` de las interacciones que deja ``alcance`` (lo que sigue a ``FROM interacciones i``:
    cruces y ``WHERE``; vacío, todas), escribe solo las que cambian y devuelve sus celdas (para los agregados).

    ``siguiente`` mira solo las filas del alcance: quien lo elige incluye grupos enteros. Las que cambian se
    eligen antes de cruzarlas con la tabla (``nuevo IS DISTINCT FROM actual``): el cruce de la actualización solo
    ve esas filas (con un millón de contactos sin cambio, 0,33 → 0,25 s).
    """
    return f"""
UPDATE interacciones SET fcr = derivado.fcr
FROM (
    SELECT fila, nuevo AS fcr FROM (
        SELECT fila, actual, {_FCR} AS nuevo
        FROM (
            SELECT i.fila, i.actual, {_COLUMNAS}, {_SIGUIENTE} AS siguiente
            FROM (SELECT i.rowid AS fila, i.fcr AS actual, i.resuelto, i.cliente_id, i.motivo, i.fecha_inicio,
                         i.fecha_fin
                  FROM interacciones i {alcance}) i
        )
    )
    WHERE nuevo IS DISTINCT FROM actual
) AS derivado
WHERE interacciones.rowid = derivado.fila
{_CELDA_CAMBIADA}
"""


#: ``SQL_RECALCULAR_FCR`` que solo escribe las filas cuyo ``fcr`` cambia y devuelve sus celdas.
_SQL_FCR_CAMBIADOS = _sql_fcr_cambiados()

#: Recalcula ``fcr`` solo en las filas a las que una escritura puede cambiárselo (``Grupos``): las de
#: los grupos de ``_fcr_grupos`` (el grupo entero: ``siguiente`` depende de sus vecinos), las de la
#: carga ``$carga`` (también las sin cliente) y las que empezaron después de ``$desde`` (su ventana
#: puede abrirse o cerrarse si cambió el último contacto de los datos; su ``siguiente`` es posterior,
#: así que también está entre ellas).
_SQL_FCR_LOCAL = _sql_fcr_cambiados(
    f"LEFT JOIN {_GRUPOS} g ON g.cliente_id = i.cliente_id AND g.motivo IS NOT DISTINCT FROM i.motivo "
    "WHERE g.cliente_id IS NOT NULL OR i.carga_id = $carga OR i.fecha_inicio > $desde")


@dataclass(frozen=True)
class Grupos:
    """Lo que una escritura toca del FCR, reunido ANTES de cambiar filas (``grupos_de_carga``, ``grupos_de_cliente``).

    Los grupos (cliente y motivo) quedan en la tabla temporal ``_fcr_grupos`` de la transacción;
    ``ultima`` es el último inicio de contacto de los datos antes de escribir, ``carga`` la carga
    cuyas filas se recalculan aunque no tengan cliente (``None``: ninguna).
    """

    ultima: datetime | None
    carga: int | None = None


def _guardar_grupos(con: duckdb.DuckDBPyConnection, donde: str, parametros: dict) -> None:
    """Llena ``_fcr_grupos`` con los grupos de las interacciones que cumplen ``donde`` (SQL con ``parametros``)."""
    con.execute(f"CREATE OR REPLACE TEMP TABLE {_GRUPOS} AS SELECT DISTINCT cliente_id, motivo FROM interacciones "
                f"WHERE cliente_id IS NOT NULL AND ({donde})", parametros)


def _ultima(con: duckdb.DuckDBPyConnection, donde: str = "true", parametros: dict | None = None) -> datetime | None:
    """El último inicio de contacto de las interacciones que cumplen ``donde``."""
    return con.execute(f"SELECT max(fecha_inicio) FROM interacciones WHERE {donde}", parametros or {}).fetchall()[0][0]


def grupos_de_carga(con: duckdb.DuckDBPyConnection, carga_id: int) -> Grupos:
    """Los ``Grupos`` de la carga ``carga_id``, pedidos antes de borrarla (deshacer)."""
    _guardar_grupos(con, "carga_id = $carga", {"carga": int(carga_id)})
    return Grupos(_ultima(con), int(carga_id))


def grupos_de_cliente(con: duckdb.DuckDBPyConnection, cliente_id: str) -> Grupos:
    """Los ``Grupos`` del cliente ``cliente_id``, pedidos antes de suprimirlo (borrar o anonimizar sus contactos)."""
    _guardar_grupos(con, "cliente_id = $cliente", {"cliente": cliente_id})
    return Grupos(_ultima(con))


def _recalcular_grupos(con: duckdb.DuckDBPyConnection, grupos: Grupos) -> set[agregados.Celda]:
    """Recalcula ``fcr`` solo donde ``grupos`` lo puede cambiar (``_SQL_FCR_LOCAL``); devuelve las celdas
    cambiadas (``agregados.Celda``).

    Mismo resultado que ``recalcular_fcr``: fuera de esas filas el grupo no cambió y la ventana ya
    estaba cerrada antes y después (empezaron ``DIAS_RECONTACTO`` días antes del menor de los dos
    últimos contactos), así que su ``fcr`` guardado sigue valiendo.
    """
    ultimas = [u for u in (grupos.ultima, _ultima(con)) if u is not None]
    desde = min(ultimas) - timedelta(days=DIAS_RECONTACTO) if ultimas else None
    celdas = {tuple(fila) for fila in con.execute(_SQL_FCR_LOCAL, {"carga": grupos.carga, "desde": desde}).fetchall()}
    con.execute(f"DROP TABLE {_GRUPOS}")
    return celdas


def recalcular_fcr(con: duckdb.DuckDBPyConnection) -> set[agregados.Celda]:
    """Actualiza ``interacciones.fcr`` de toda la tabla en la transacción en curso de ``con`` (si la hay).

    Solo escribe las filas cuyo ``fcr`` cambia; devuelve sus celdas de los agregados
    (día de ``fecha_inicio``, canal y sucursal).
    """
    return {tuple(fila) for fila in con.execute(_SQL_FCR_CAMBIADOS).fetchall()}


def registrar_escritura(con: duckdb.DuckDBPyConnection, celdas: agregados.Celdas | None = None,
                        grupos: Grupos | None = None) -> None:
    """Lo que toda escritura de datos debe hacer antes de confirmar su transacción.

    Recalcula las columnas derivadas y los agregados diarios (``datos.almacen.agregados``) y aumenta
    ``configuracion.version_datos``, la clave con la que las páginas invalidan su caché. ``celdas``: las
    celdas (día, canal, sucursal) que la escritura toca, reunidas ANTES de borrar o cambiar filas
    (``agregados.celdas_de_carga``, ``agregados.celdas_de_cliente``); con ellas solo se vuelven a sumar esas
    celdas y las de las filas cuyo ``fcr`` cambió. Sin ``celdas``, todas (la tabla entera). ``grupos``: los
    grupos de FCR que toca, también reunidos antes (``grupos_de_carga``, ``grupos_de_cliente``); sin ellos,
    el FCR de toda la tabla.
    """
    cambiados = recalcular_fcr(con) if grupos is None else _recalcular_grupos(con, grupos)
    if celdas is None:
        agregados.recalcular(con)
    else:
        agregados.recalcular_celdas(con, celdas.con_fcr(cambiados))
    subir_version(con)


def registrar_carga(con: duckdb.DuckDBPyConnection, tabla: str, carga_id: int) -> None:
    """Lo que una carga que ya insertó sus filas en ``tabla`` debe hacer antes de confirmar.

    Si cargó interacciones, calcula ``fcr`` solo donde la carga lo puede cambiar (sus grupos de cliente
    y motivo, sus filas y los contactos recientes si movió el último contacto de los datos; otras
    tablas no lo afectan); pone al día los agregados diarios de las celdas que la carga toca
    (``agregados.celdas_de_carga``: sus filas y las de los clientes y agentes de sus fichas, con las de
    las filas cuyo ``fcr`` cambió); en todo caso aumenta ``configuracion.version_datos``.
    """
    celdas_fcr = set()
    if tabla == "interacciones":
        _guardar_grupos(con, "carga_id = $carga", {"carga": int(carga_id)})
        antes = _ultima(con, "carga_id IS DISTINCT FROM $carga", {"carga": int(carga_id)})
        celdas_fcr = _recalcular_grupos(con, Grupos(antes, int(carga_id)))
    agregados.recalcular_celdas(con, agregados.celdas_de_carga(con, carga_id).con_fcr(celdas_fcr))
    subir_version(con)


def descontar_guardadas(con: duckdb.DuckDBPyConnection, borradas: Iterable[tuple[int, int]]) -> None:
    """Resta de ``cargas.filas_guardadas`` las filas que se borraron de cada carga sin deshacerla.

    ``borradas``: pares (``carga_id``, filas borradas de la tabla principal de esa carga), p. ej. al
    eliminar a una persona: así el historial de cargas nunca cuenta filas que ya no existen.
    """
    for carga_id, filas in borradas:
        con.execute("UPDATE cargas SET filas_guardadas = greatest(filas_guardadas - ?, 0) WHERE carga_id = ?",
                    [int(filas), int(carga_id)])


def subir_version(con: duckdb.DuckDBPyConnection) -> None:
    """Aumenta ``configuracion.version_datos``: todas las páginas vuelven a consultar."""
    con.execute("UPDATE configuracion SET valor = CAST(CAST(valor AS BIGINT) + 1 AS VARCHAR) "
                "WHERE clave = 'version_datos'")


def fcr_en_spark(interacciones):
    """``interacciones`` (DataFrame de Spark) con ``fcr`` calculado con el mismo SQL que ``SQL_RECALCULAR_FCR``.

    Para un lago Parquet en el que las cargas escriben (``datos.motores.lago_cargas``): allí no se
    reescriben los archivos ya guardados, así que el motor calcula ``fcr`` al leer.
    """
    from pyspark.sql import functions as F

    con_siguiente = (interacciones.withColumn("siguiente", F.expr(_SIGUIENTE))
                     .withColumn("ultima", F.expr("max(fecha_inicio) OVER ()")))
    return con_siguiente.withColumn("fcr", F.expr(_FCR)).drop("siguiente", "ultima")
