"""Línea de órdenes para cargar un archivo sin la interfaz (cargas programadas).

Uso::

    python -m datos.cargar ARCHIVO --tipo {encuestas,interacciones,auditorias,clientes,agentes}
                           [--mapeo MAPEO.json] [--solo-validas] [--usuario NOMBRE] [--db RUTA]

Estado de salida: 0 si todas las filas se guardaron o ya estaban; 1 si hubo
filas rechazadas (se imprime el informe); 2 si el archivo no se puede leer o
los argumentos no son válidos. Solo analiza argumentos y llama a ``datos.ingesta.carga``.

Con la aplicación en marcha sobre ``--db`` la carga corre dentro de ella (``datos.servicio``) y la
página la muestra en cuanto termina. El historial anota quién (``--usuario`` o el usuario del
sistema) y cómo («línea de órdenes»).

Con ``ESLABON_MOTOR=pyspark ESLABON_LAGO=DIR`` las filas se escriben en el lago Parquet
(``datos.motores.lago_cargas``); el registro de la carga queda en ``--db``.
"""

import argparse
import json
import sys

from datos.almacen.conexion import abrir, ruta_predeterminada
from datos.ingesta.carga import cargar_archivo
from analisis.errores import ArchivoIlegible, BaseDeDatosNoValida, CargaNoAdmitida, MapeoIncompleto
from datos.motores.lago_cargas import lago_de_cargas
from datos.ingesta.mapeo import TIPOS
from datos.servicio.ordenes import ruta

__all__ = ["main"]

#: Mensajes de error que se imprimen como máximo (el resto se resume).
LINEAS_DE_INFORME = 200


def _argumentos(argv: list[str] | None) -> argparse.Namespace:
    """Analiza la línea de órdenes (argparse sale con estado 2 si es inválida)."""
    parser = argparse.ArgumentParser(
        prog="python -m datos.cargar",
        description="Valida un archivo CSV o Excel y lo guarda en el almacén de Eslabón en una sola transacción.")
    parser.add_argument("archivo", metavar="ARCHIVO", type=ruta, help="archivo .csv, .txt, .xlsx o .xls")
    parser.add_argument("--tipo", required=True, choices=list(TIPOS), help="qué contiene el archivo")
    parser.add_argument("--mapeo", metavar="MAPEO.json", type=ruta,
                        help='JSON columna del archivo -> campo, p. ej. {"review_score": "csat"}; '
                             "sin él se usa la propuesta automática (o la recordada)")
    parser.add_argument("--solo-validas", action="store_true",
                        help="guardar las filas válidas aunque otras tengan errores (si no, nada se guarda)")
    parser.add_argument("--crear-desconocidos", action="store_true",
                        help="crear fichas mínimas de clientes y agentes citados que no existan")
    parser.add_argument("--usuario", metavar="NOMBRE",
                        help="quién firma la carga en el historial (por omisión, el usuario del sistema)")
    parser.add_argument("--db", default=ruta_predeterminada(), type=ruta,
                        help="archivo DuckDB (por omisión ESLABON_DB o eslabon.duckdb)")
    return parser.parse_args(argv)


def _leer_mapeo(ruta: str | None) -> dict[str, str] | None:
    """Lee MAPEO.json; ``ArchivoIlegible`` si no es un objeto JSON de textos."""
    if ruta is None:
        return None
    try:
        with open(ruta, encoding="utf-8-sig") as f:
            mapeo = json.load(f)
    except (OSError, ValueError) as error:
        raise ArchivoIlegible(f"No se pudo leer el mapeo {ruta}: {error}") from error
    if not isinstance(mapeo, dict) or not all(isinstance(k, str) and isinstance(v, (str, type(None)))
                                              for k, v in mapeo.items()):
        raise ArchivoIlegible(f"El mapeo {ruta} debe ser un objeto JSON columna -> campo (textos).")
    return mapeo


def main(argv: list[str] | None = None) -> int:
    """Carga el archivo e imprime el resumen y el informe; devuelve el estado de salida."""
    args = _argumentos(argv)
    try:
        mapeo = _leer_mapeo(args.mapeo)
        lago = lago_de_cargas()
        almacen = abrir(args.db)
    except (ArchivoIlegible, BaseDeDatosNoValida, CargaNoAdmitida) as error:
        print(error.mensaje, file=sys.stderr)
        return 2
    try:
        validacion, resultado, informe = cargar_archivo(almacen.cursor(), args.archivo, args.tipo, mapeo=mapeo,
                                                        solo_validas=args.solo_validas,
                                                        crear_desconocidos=args.crear_desconocidos, lago=lago,
                                                        usuario=args.usuario)
    except (ArchivoIlegible, MapeoIncompleto) as error:
        print(error.mensaje, file=sys.stderr)
        return 2
    finally:
        almacen.cerrar()
    for aviso in validacion.avisos:
        print(f"Aviso: {aviso}")
    for tabla, (n, ejemplos) in validacion.desconocidos.items():
        print(f"Aviso: {n} {tabla} citados no existen en el almacén (p. ej. {', '.join(ejemplos)}); "
              "use --crear-desconocidos para crear sus fichas.")
    if lago is not None:
        print(f"Las filas se escriben en el lago Parquet de {lago.ruta}.")
    print(validacion.resumen())
    print(resultado.mensaje)
    if not validacion.hay_errores:
        return 0
    print("\nInforme de errores:")
    for linea in informe[:LINEAS_DE_INFORME]:
        print(f"  {linea}")
    if validacion.n_errores > LINEAS_DE_INFORME:
        print(f"  … y {validacion.n_errores - LINEAS_DE_INFORME:,} errores más.".replace(",", "."))
    return 1
