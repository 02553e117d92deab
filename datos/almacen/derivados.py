"""Columnas derivadas que se guardan ya calculadas para que leerlas sea barato.

``interacciones.fcr`` (resuelto al primer contacto) necesita mirar el contacto
siguiente del mismo cliente por el mismo motivo: una ventana que ordena toda
la tabla. Calcularla en cada cambio de filtro costaba segundos con 10 millones
de filas; se calcula una vez por escritura: entera al deshacer una carga o crear
la demostración, y al cargar interacciones solo en los grupos de cliente y motivo
que la carga toca (cargar encuestas o auditorías no la cambia).

Una tasa con ventana de seguimiento no se conoce hasta que la ventana cierra (censura por la
derecha): ``fcr`` queda vacío (NULL) en los contactos aún abiertos (sin ``fecha_fin``) y en los que
empezaron menos de ``DIAS_RECONTACTO`` días antes del último contacto de los datos. Como todas las
cifras cuentan ``fcr`` con ``count()``, esos contactos salen del numerador y del denominador en
todas las páginas (``analisis.escalas.texto_ventana_fcr`` lo explica en la interfaz).
"""

from collections.abc import Iterable
from datetime import date

import duckdb

from analisis.escalas import DIAS_RECONTACTO
from datos.almacen import agregados

__all__ = ["DIAS_RECONTACTO", "SQL_RECALCULAR_FCR", "recalcular_fcr", "registrar_carga", "registrar_escritura",
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

#: ``SQL_RECALCULAR_FCR`` que solo escribe las filas cuyo ``fcr`` cambia y devuelve sus días (para los agregados).
_SQL_FCR_CAMBIADOS = (SQL_RECALCULAR_FCR.rstrip() + " AND interacciones.fcr IS DISTINCT FROM derivado.fcr\n"
                      "RETURNING CAST(interacciones.fecha_inicio AS DATE)")

#: Recalcula ``fcr`` solo en los grupos (cliente y motivo) que aparecen en la carga ``$carga`` y en
#: los que tienen una ventana aún abierta (``fcr`` vacío: la carga puede haber movido el último
#: contacto de los datos y cerrarla): son las únicas filas a las que una carga nueva puede
#: cambiárselo. Solo escribe las que cambian.
_SQL_FCR_DE_UNA_CARGA = f"""
UPDATE interacciones SET fcr = derivado.fcr
FROM (
    SELECT fila, {_FCR} AS fcr
    FROM (
        SELECT i.rowid AS fila, {_COLUMNAS}, {_SIGUIENTE} AS siguiente
        FROM interacciones i
        SEMI JOIN (SELECT DISTINCT cliente_id, motivo FROM interacciones
                   WHERE carga_id = $carga OR fcr IS NULL) t
            ON t.cliente_id IS NOT DISTINCT FROM i.cliente_id AND t.motivo IS NOT DISTINCT FROM i.motivo
    )
) AS derivado
WHERE interacciones.rowid = derivado.fila AND interacciones.fcr IS DISTINCT FROM derivado.fcr
RETURNING CAST(interacciones.fecha_inicio AS DATE)
"""


def recalcular_fcr(con: duckdb.DuckDBPyConnection) -> set[date]:
    """Actualiza ``interacciones.fcr`` en la transacción en curso de ``con`` (si la hay).

    Solo escribe las filas cuyo ``fcr`` cambia; devuelve sus días (``fecha_inicio``).
    """
    return {fila[0] for fila in con.execute(_SQL_FCR_CAMBIADOS).fetchall()}


def registrar_escritura(con: duckdb.DuckDBPyConnection, dias: agregados.Dias | None = None) -> None:
    """Lo que toda escritura de datos debe hacer antes de confirmar su transacción.

    Recalcula las columnas derivadas y los agregados diarios (``datos.almacen.agregados``) y aumenta
    ``configuracion.version_datos``, la clave con la que las páginas invalidan su caché. ``dias``: los días
    que la escritura toca, reunidos ANTES de borrar o cambiar filas (``agregados.dias_de_carga``,
    ``agregados.dias_de_cliente``); con ellos solo se vuelven a sumar esos días y los de las filas cuyo
    ``fcr`` cambió. Sin ``dias``, todos (la tabla entera).
    """
    cambiados = recalcular_fcr(con)
    if dias is None:
        agregados.recalcular(con)
    else:
        agregados.recalcular_dias(con, dias.con_fcr(cambiados))
    subir_version(con)


def registrar_carga(con: duckdb.DuckDBPyConnection, tabla: str, carga_id: int) -> None:
    """Lo que una carga que ya insertó sus filas en ``tabla`` debe hacer antes de confirmar.

    Si cargó interacciones, calcula ``fcr`` en los grupos de cliente y motivo que la carga
    toca (los demás no cambian; otras tablas no lo afectan); pone al día los agregados diarios
    de los días que la carga toca (``agregados.dias_de_carga``: sus filas y las de los clientes y
    agentes de sus fichas, con los de las filas cuyo ``fcr`` cambió); en todo caso aumenta
    ``configuracion.version_datos``.
    """
    dias_fcr = set()
    if tabla == "interacciones":
        dias_fcr = {fila[0] for fila in con.execute(_SQL_FCR_DE_UNA_CARGA, {"carga": carga_id}).fetchall()}
    agregados.recalcular_dias(con, agregados.dias_de_carga(con, carga_id).con_fcr(dias_fcr))
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
