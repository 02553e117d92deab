"""Columnas derivadas que se guardan ya calculadas para que leerlas sea barato.

``interacciones.fcr`` (resuelto al primer contacto) necesita mirar el contacto
siguiente del mismo cliente por el mismo motivo: una ventana que ordena toda
la tabla. Calcularla en cada cambio de filtro costaba segundos con 10 millones
de filas; se calcula una vez por escritura: entera al deshacer una carga o crear
la demostración, y al cargar interacciones solo en los grupos de cliente y motivo
que la carga toca (cargar encuestas o auditorías no la cambia).
"""

import duckdb

__all__ = ["DIAS_RECONTACTO", "SQL_RECALCULAR_FCR", "recalcular_fcr", "registrar_carga", "registrar_escritura",
           "subir_version", "fcr_en_spark"]

#: Un contacto resuelto cuenta como resuelto al primer contacto (FCR) si el mismo
#: cliente no vuelve por el mismo motivo en estos días.
DIAS_RECONTACTO = 7

#: SQL de ``fcr`` de una fila con ``resuelto``, ``cliente_id``, ``fecha_inicio`` y ``siguiente``
#: (fecha del siguiente contacto del mismo cliente por el mismo motivo): resuelto y sin
#: recontacto en ``DIAS_RECONTACTO`` días; sin cliente conocido, basta con que esté resuelto.
_FCR = (f"resuelto AND (cliente_id IS NULL OR siguiente IS NULL "
        f"OR siguiente > fecha_inicio + INTERVAL {DIAS_RECONTACTO} DAY)")

#: SQL de ``siguiente``: ventana sobre los contactos del mismo cliente y motivo.
_SIGUIENTE = "lead(fecha_inicio) OVER (PARTITION BY cliente_id, motivo ORDER BY fecha_inicio)"

#: Recalcula ``fcr`` de todas las interacciones.
SQL_RECALCULAR_FCR = f"""
UPDATE interacciones SET fcr = derivado.fcr
FROM (
    SELECT fila, {_FCR} AS fcr
    FROM (SELECT rowid AS fila, resuelto, cliente_id, fecha_inicio, {_SIGUIENTE} AS siguiente FROM interacciones)
) AS derivado
WHERE interacciones.rowid = derivado.fila
"""

#: Recalcula ``fcr`` solo en los grupos (cliente y motivo) que aparecen en la carga ``$carga``:
#: son las únicas filas a las que una carga nueva puede cambiárselo. Solo escribe las que cambian.
_SQL_FCR_DE_UNA_CARGA = f"""
UPDATE interacciones SET fcr = derivado.fcr
FROM (
    SELECT fila, {_FCR} AS fcr
    FROM (
        SELECT i.rowid AS fila, i.resuelto, i.cliente_id, i.fecha_inicio, {_SIGUIENTE} AS siguiente
        FROM interacciones i
        SEMI JOIN (SELECT DISTINCT cliente_id, motivo FROM interacciones WHERE carga_id = $carga) t
            ON t.cliente_id IS NOT DISTINCT FROM i.cliente_id AND t.motivo IS NOT DISTINCT FROM i.motivo
    )
) AS derivado
WHERE interacciones.rowid = derivado.fila AND interacciones.fcr IS DISTINCT FROM derivado.fcr
"""


def recalcular_fcr(con: duckdb.DuckDBPyConnection) -> None:
    """Actualiza ``interacciones.fcr`` en la transacción en curso de ``con`` (si la hay)."""
    con.execute(SQL_RECALCULAR_FCR)


def registrar_escritura(con: duckdb.DuckDBPyConnection) -> None:
    """Lo que toda escritura de datos debe hacer antes de confirmar su transacción.

    Recalcula las columnas derivadas y aumenta ``configuracion.version_datos``,
    la clave con la que las páginas invalidan su caché.
    """
    recalcular_fcr(con)
    subir_version(con)


def registrar_carga(con: duckdb.DuckDBPyConnection, tabla: str, carga_id: int) -> None:
    """Lo que una carga que ya insertó sus filas en ``tabla`` debe hacer antes de confirmar.

    Si cargó interacciones, calcula ``fcr`` en los grupos de cliente y motivo que la carga
    toca (los demás no cambian; otras tablas no lo afectan); en todo caso aumenta
    ``configuracion.version_datos``.
    """
    if tabla == "interacciones":
        con.execute(_SQL_FCR_DE_UNA_CARGA, {"carga": carga_id})
    subir_version(con)


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

    con_siguiente = interacciones.withColumn("siguiente", F.expr(_SIGUIENTE))
    return con_siguiente.withColumn("fcr", F.expr(_FCR)).drop("siguiente")
