"""Los datos de una persona en el lago Parquet del modo Spark (``ESLABON_MOTOR=pyspark ESLABON_LAGO=DIR``).

Las mismas condiciones que en el almacén (``datos.personas.lugares``) se evalúan con DuckDB sobre
los Parquet visibles de cada tabla. Un cambio reescribe cada archivo que tiene filas afectadas
con el mecanismo de las cargas (``datos.motores.lago_cargas.Escritura``): la copia se escribe
oculta, la copia y el retiro del original se anotan en ``lago_archivos`` dentro de la transacción
de la supresión (o de la retención) y ``recuperar`` los publica después; si algo falla antes de
confirmar, no queda nada a medias.
"""

from collections.abc import Callable
from contextlib import nullcontext
from dataclasses import dataclass

import duckdb
import pandas as pd

from datos.almacen.transaccion import transaccion
from datos.motores.configuracion import Configuracion
from datos.motores.lago_cargas import Escritura, Lago, recuperar
from datos.personas.cambios import Cambio, aplicar as aplicar_en_almacen, seleccion_cambiada
from datos.personas.lugares import limpiar

__all__ = ["lago_configurado", "archivos_de", "copiar_columna", "completar", "archivos_con", "leer", "filas",
           "aplicar", "Hecho", "transformar"]

_LECTURA = "read_parquet($archivos, hive_partitioning = false, union_by_name = true, filename = true)"


def lago_configurado(configuracion: Configuracion | None = None) -> Lago | None:
    """El lago local del modo Spark si está configurado; None con DuckDB (o si aún no existe la carpeta)."""
    configuracion = configuracion or Configuracion.del_entorno()
    lago = configuracion.lago or ""
    if configuracion.motor != "pyspark" or not lago or ("://" in lago and not lago.startswith("file://")):
        return None
    return Lago(configuracion)


def archivos_de(lago: Lago | None, tabla: str) -> list[str]:
    """Los Parquet visibles de ``tabla`` (ninguno sin lago o si el lago no tiene esa carpeta)."""
    return lago.archivos(tabla) if lago is not None and lago.carpeta(tabla).is_dir() else []


def copiar_columna(con: duckdb.DuckDBPyConnection, lago: Lago, tabla: str, columna: str, condicion: str,
                   destino: str) -> None:
    """Añade a la tabla temporal ``destino`` los valores de ``columna`` de las filas del lago que cumplen ``condicion``."""
    archivos = archivos_de(lago, tabla)
    if archivos:
        con.execute(f"INSERT INTO {destino} SELECT DISTINCT {columna} FROM {_LECTURA} AS t WHERE {condicion} "
                    f"AND {columna} NOT IN (SELECT {columna} FROM {destino})", {"archivos": archivos})


def completar(con: duckdb.DuckDBPyConnection, lago: Lago) -> None:
    """Añade a ``_respuestas`` y ``_contactos`` las respuestas y contactos de la persona que están en el lago."""
    for tabla, columna, destino in (("encuestas", "respuesta_id", "_respuestas"),
                                    ("interacciones", "interaccion_id", "_contactos")):
        copiar_columna(con, lago, tabla, columna, "t.cliente_id IN (SELECT cliente_id FROM _fichas)", destino)


def archivos_con(con: duckdb.DuckDBPyConnection, lago: Lago, tabla: str, condicion: str) -> dict[str, int]:
    """Archivo → filas que cumplen ``condicion``, de los Parquet de ``tabla`` que tienen alguna."""
    archivos = archivos_de(lago, tabla)
    if not archivos:
        return {}
    return dict(con.execute(f"SELECT filename, count(*) FROM {_LECTURA} AS t WHERE {condicion} "
                            "GROUP BY filename ORDER BY filename", {"archivos": archivos}).fetchall())


def leer(con: duckdb.DuckDBPyConnection, lago: Lago, tabla: str, condicion: str,
         columnas: tuple[str, ...]) -> pd.DataFrame:
    """Las ``columnas`` de las filas del lago de ``tabla`` que cumplen ``condicion``."""
    archivos = list(archivos_con(con, lago, tabla, condicion))
    if not archivos:
        return pd.DataFrame(columns=list(columnas))
    return con.execute(f"SELECT {', '.join(columnas)} FROM {_LECTURA} AS t WHERE {condicion}",
                       {"archivos": archivos}).fetchdf()


def filas(con: duckdb.DuckDBPyConnection, lago: Lago | None, tabla: str, sql: str,
          parametros: dict[str, object] | None = None, *, almacen: bool = True) -> list[tuple]:
    """Las filas de ``sql`` sobre ``tabla`` en el almacén (si ``almacen``) y en los Parquet del lago (si hay ``lago``).

    ``sql`` cita la tabla como ``{fuente}`` (``SELECT comentario FROM {fuente} AS t WHERE …``) y sus
    valores como parámetros con nombre (``$patron``) que llegan en ``parametros``: en el lago la
    fuente es la lectura de sus archivos visibles, así que la misma consulta lee los dos sitios.

    >>> con = duckdb.connect()
    >>> _ = con.execute("CREATE TABLE notas AS SELECT 'hola' AS texto")
    >>> filas(con, None, "notas", "SELECT texto FROM {fuente} AS t WHERE texto = $buscado", {"buscado": "hola"})
    [('hola',)]
    """
    parametros = parametros or {}
    leidas = con.execute(sql.format(fuente=tabla), parametros).fetchall() if almacen else []
    archivos = archivos_de(lago, tabla)
    if archivos:
        leidas += con.execute(sql.format(fuente=_LECTURA), {**parametros, "archivos": archivos}).fetchall()
    return leidas


def aplicar(con: duckdb.DuckDBPyConnection, lago: Lago, cambios: tuple[Cambio, ...], operacion: str,
            numero: int) -> tuple[Escritura, int]:
    """Reescribe ocultos los Parquet con filas afectadas por ``cambios`` y los anota en ``lago_archivos``.

    Llamar dentro de la transacción de la operación y con el candado del lago tomado; después de
    confirmar, ``datos.motores.lago_cargas.recuperar`` los publica (y ``Escritura.descartar`` los
    borra si la transacción se deshizo). Devuelve la escritura y cuántos archivos reescribe.
    """
    escritura, reescritos = Escritura(lago, numero, operacion), 0
    for cambio in cambios:
        for archivo, _ in archivos_con(con, lago, cambio.tabla, cambio.condicion).items():
            nueva = con.read_parquet(archivo, hive_partitioning=False).query("t", seleccion_cambiada(cambio))
            filas = nueva.aggregate("count(*)").fetchall()[0][0]
            escritura.sustituir(cambio.tabla, archivo, nueva, filas)
            escritura.retirar(cambio.tabla, archivo, filas)
            reescritos += 1
    escritura.anotar(con)
    return escritura, reescritos


@dataclass(frozen=True)
class Hecho:
    """Lo que hizo ``transformar``: número de la solicitud, filas tocadas por tabla y archivos del lago reescritos."""

    numero: int
    filas: dict[str, int]
    archivos_lago: int


def transformar(con: duckdb.DuckDBPyConnection, lago: Lago | None, operacion: str, numero: Callable[[], int],
                preparar: Callable[[int], tuple[Cambio, ...]], cerrar: Callable[[Hecho], None]) -> Hecho:
    """Aplica cambios en el almacén y en el lago como una sola operación (supresión o retención).

    Con el candado del lago y tras ``recuperar``: en una transacción, ``numero()`` da el número
    de la solicitud, ``preparar(numero)`` llena las tablas temporales y devuelve los cambios, que
    se aplican al almacén y (ocultos) al lago, y ``cerrar(hecho)`` hace lo que falta antes de
    confirmar (derivados, versión, registro). Si algo falla, se deshace todo y se descartan los
    Parquet ocultos; al final, ``recuperar`` publica los confirmados y se borran las temporales.
    """
    escritura = None
    try:
        with (lago.candado() if lago is not None else nullcontext()):
            if lago is not None:
                recuperar(con, lago)
            try:
                with transaccion(con):
                    solicitud = numero()
                    cambios = preparar(solicitud)
                    filas = {c.tabla: aplicar_en_almacen(con, c) for c in cambios}
                    archivos = 0
                    if lago is not None:
                        escritura, archivos = aplicar(con, lago, cambios, operacion, solicitud)
                    hecho = Hecho(solicitud, filas, archivos)
                    cerrar(hecho)
            except BaseException:
                if escritura is not None:
                    escritura.descartar()
                raise
            if lago is not None:
                recuperar(con, lago)
    finally:
        limpiar(con)
    return hecho
