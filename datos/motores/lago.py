"""Exporta el almacén DuckDB a un lago Parquet particionado, el que lee el modo Spark.

Disposición (una carpeta por tabla canónica dentro de ``destino``):

- ``interacciones``, ``encuestas`` y ``auditorias``: particionadas al estilo Hive por el año
  y el mes de su fecha (``interacciones/anio=2026/mes=3/data_0.parquet``). ``anio`` y ``mes``
  (``COLUMNAS_PARTICION``) solo existen en los nombres de carpeta: no están dentro de los
  archivos y ``datos.motores.motor`` las quita al leer, así que las columnas y sus tipos son las del
  almacén. Spark salta las carpetas de meses fuera del filtro de fechas cuando se filtra por
  ``anio``/``mes``; Eslabón filtra por la fecha, y Spark igualmente lee solo las columnas pedidas.
- Las demás tablas de hechos y las de configuración: un archivo ``parte-0.parquet`` cada una
  (Spark lo reparte por grupos de filas).

Se exporta tal cual lo guardado, incluida la columna derivada ``interacciones.fcr``. No se
exportan cuentas, bitácora ni mapeos (son de la aplicación, no datos de servicio). La
exportación se escribe primero en una carpeta temporal dentro de ``destino`` y cada tabla
reemplaza a la anterior solo al terminar todas.

Uso::

    python -m datos.lago --db eslabon.duckdb --destino /datos/lago_eslabon
"""

import argparse
import shutil
import sys
import tempfile
from pathlib import Path

import duckdb

from analisis.formato import filas_por_tabla
from datos.servicio.ordenes import con_almacen, ruta
from datos.motores.configuracion import COLUMNAS_PARTICION, PARTICIONES, TABLAS_CONFIGURACION, TABLAS_HECHOS

__all__ = ["TABLAS_LAGO", "exportar", "main"]


#: Tablas que se exportan: las de hechos y las de configuración.
TABLAS_LAGO = TABLAS_HECHOS + TABLAS_CONFIGURACION


def _escribir_tabla(cursor: duckdb.DuckDBPyConnection, tabla: str, carpeta: Path) -> int:
    """Escribe ``tabla`` en ``carpeta`` (particionada si está en ``PARTICIONES``); devuelve sus filas."""
    relacion = cursor.table(tabla)
    filas = cursor.execute(f"SELECT count(*) FROM {tabla}").fetchall()[0][0]
    carpeta.mkdir(parents=True)
    if tabla in PARTICIONES and filas:
        fecha = PARTICIONES[tabla]
        anio, mes = COLUMNAS_PARTICION
        relacion.project(f"*, year({fecha}) AS {anio}, month({fecha}) AS {mes}").write_parquet(
            str(carpeta), partition_by=list(COLUMNAS_PARTICION), overwrite=True)
    else:
        relacion.write_parquet(str(carpeta / "parte-0.parquet"))
    return filas


def exportar(cursor: duckdb.DuckDBPyConnection, destino: str | Path) -> dict[str, int]:
    """Exporta las tablas de ``TABLAS_LAGO`` a ``destino``; devuelve las filas escritas por tabla.

    Cada tabla queda en ``destino/<tabla>`` y reemplaza la que hubiera (solo después de
    escribir todas sin error: una exportación fallida deja el lago anterior intacto).
    """
    destino = Path(destino)
    destino.mkdir(parents=True, exist_ok=True)
    filas = {}
    with tempfile.TemporaryDirectory(prefix=".exportando-", dir=destino) as temporal:
        for tabla in TABLAS_LAGO:
            filas[tabla] = _escribir_tabla(cursor, tabla, Path(temporal) / tabla)
        for tabla in TABLAS_LAGO:
            shutil.rmtree(destino / tabla, ignore_errors=True)
            (Path(temporal) / tabla).rename(destino / tabla)
    return filas


def main(argv: list[str] | None = None) -> int:
    """Línea de órdenes: exporta ``--db`` a ``--destino`` e informa las filas por tabla (0 bien, 1 error, 2 argumentos)."""
    parser = argparse.ArgumentParser(
        prog="python -m datos.lago",
        description="Exporta el almacén DuckDB de Eslabón a un lago Parquet particionado, "
                    "el que lee el modo Spark (ESLABON_MOTOR=pyspark ESLABON_LAGO=DIR).",
    )
    parser.add_argument("--db", required=True, type=ruta, help="archivo DuckDB de Eslabón que se exporta")
    parser.add_argument("--destino", required=True, type=ruta, help="carpeta del lago (se crea si no existe)")
    args = parser.parse_args(argv)
    if not Path(args.db).is_file():
        print(f"No existe la base de datos {args.db}.", file=sys.stderr)
        return 2
    if Path(args.destino).exists() and not Path(args.destino).is_dir():
        print(f"El destino {args.destino} existe y no es una carpeta.", file=sys.stderr)
        return 2
    filas, estado = con_almacen(args.db, lambda almacen: exportar(almacen.cursor(), args.destino),
                                f"No se pudo exportar a {args.destino}")
    if estado:
        return estado
    print(f"Lago Parquet escrito en {args.destino}:")
    print(filas_por_tabla(filas, {tabla: f" (particionada por año y mes de {fecha})"
                                  for tabla, fecha in PARTICIONES.items()}))
    print(f"Para servir el tablero desde Spark: ESLABON_MOTOR=pyspark ESLABON_LAGO={args.destino} "
          "streamlit run app.py")
    return 0
