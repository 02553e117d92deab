"""Línea de órdenes de los envíos: manda lo que toca (o todo, con ``--ahora``) e imprime el informe.

Uso::

    python -m datos.envios [--db RUTA] [--ahora] [--fecha AAAA-MM-DD]

Estado de salida: 0 si todas las entregas salieron (o no tocaba ninguna); 1 si alguna falló tras
sus reintentos (queda en la historia y se reintenta en la ronda siguiente); 2 si la base de datos no
se puede abrir o los argumentos no son válidos. Solo analiza argumentos y llama a
``datos.avisos.envio.enviar_pendientes``.
"""

import argparse
import sys
from datetime import date, datetime
from pathlib import Path

import duckdb

from analisis.errores import BaseDeDatosNoValida
from datos.almacen.conexion import Almacen, ruta_predeterminada
from datos.avisos.envio import enviar_pendientes
from datos.motores.motor import Motor

__all__ = ["main"]


def _fecha(texto: str) -> date:
    """Una fecha AAAA-MM-DD para argparse, con el error en español."""
    try:
        return date.fromisoformat(texto)
    except ValueError:
        raise argparse.ArgumentTypeError(f"«{texto}» no es una fecha AAAA-MM-DD") from None


def _argumentos(argv: list[str] | None) -> argparse.Namespace:
    """Analiza la línea de órdenes (argparse sale con estado 2 si es inválida)."""
    parser = argparse.ArgumentParser(
        prog="python -m datos.envios",
        description="Envía por correo y webhook los resúmenes, alertas e informes de realimentación que tocan "
                    "según las suscripciones de «Envíos y alertas».")
    parser.add_argument("--db", default=ruta_predeterminada(),
                        help="archivo DuckDB (por omisión ESLABON_DB o eslabon.duckdb)")
    parser.add_argument("--ahora", action="store_true",
                        help="enviar todas las suscripciones activas ahora, toque o no (las alertas, todas las "
                             "vigentes)")
    parser.add_argument("--fecha", type=_fecha, metavar="AAAA-MM-DD",
                        help="enviar como si hoy fuera esa fecha (p. ej. repetir el resumen del lunes pasado)")
    return parser.parse_args(argv)


def main(argv: list[str] | None = None) -> int:
    """Hace una ronda de envíos e imprime su informe; devuelve el estado de salida."""
    args = _argumentos(argv)
    ahora = datetime.now()
    momento = datetime.combine(args.fecha, ahora.time()) if args.fecha else ahora
    if not Path(args.db).is_file():
        print(f"No existe la base de datos {args.db}: indique la de Eslabón con --db o ESLABON_DB.", file=sys.stderr)
        return 2
    try:
        almacen = Almacen(args.db)
    except (BaseDeDatosNoValida, duckdb.Error) as error:
        print(f"No se pudo abrir la base de datos {args.db}: {getattr(error, 'mensaje', error)}", file=sys.stderr)
        return 2
    try:
        informe = enviar_pendientes(almacen.cursor(), momento, todos=args.ahora, consultar=Motor(almacen).consultar,
                                    autor="python -m datos.envios")
    finally:
        almacen.cerrar()
    print(informe.texto())
    return 1 if informe.fallidos else 0
