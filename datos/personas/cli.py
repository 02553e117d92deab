"""Línea de órdenes de los derechos sobre datos personales (funciona sin la interfaz).

Uso::

    python -m datos.personas buscar ID --db RUTA
    python -m datos.personas exportar ID ARCHIVO --db RUTA      (ARCHIVO .xlsx o .json)
    python -m datos.personas suprimir ID --db RUTA [--referencia TEXTO]
    python -m datos.personas retener --db RUTA

``ID`` es el identificador de cliente, o un correo o teléfono subido entre sus atributos. Estado
de salida: 0 hecho; 1 no hay datos de esa persona; 2 argumentos que no se pueden usar (incluida
una base que no existe o que otro proceso tiene abierta). Con ``ESLABON_MOTOR=pyspark
ESLABON_LAGO=DIR`` también se buscan y cambian los Parquet del lago. Solo analiza argumentos y
llama a ``datos.personas``; las acciones se anotan con el usuario del sistema (``--usuario``).
"""

import argparse
import getpass
import sys
from pathlib import Path

import duckdb

from analisis.errores import ErrorEslabon
from analisis.formato import filas_por_tabla
from datos.almacen.conexion import Almacen, ruta_predeterminada
from datos.personas.busqueda import PersonaNoEncontrada, buscar
from datos.personas.exportacion import FORMATOS, exportar_persona
from datos.personas.lago import lago_configurado
from datos.personas.lugares import LUGARES
from datos.personas.retencion import retener
from datos.personas.supresion import suprimir

__all__ = ["main"]

_EXTENSIONES = {f".{extension}": formato for formato, extension in FORMATOS.items()}


def _comunes(parser: argparse.ArgumentParser, *, predeterminado=None) -> None:
    """``--db`` y ``--usuario``, que valen antes o después de la orden."""
    parser.add_argument("--db", default=predeterminado, help="archivo DuckDB de Eslabón (por defecto ESLABON_DB)")
    parser.add_argument("--usuario", default=predeterminado,
                        help="quién hace la solicitud, para la bitácora (por defecto el usuario del sistema)")


def _argumentos(argv: list[str] | None) -> argparse.Namespace:
    """Analiza la línea de órdenes (argparse sale con estado 2 si es inválida)."""
    parser = argparse.ArgumentParser(
        prog="python -m datos.personas",
        description="Solicitudes sobre datos personales: buscar, exportar o suprimir los datos de un cliente, "
                    "y aplicar los plazos de retención.")
    _comunes(parser)
    ordenes = parser.add_subparsers(dest="orden", required=True, metavar="ORDEN")
    for nombre, ayuda in (("buscar", "dice dónde hay datos de la persona"),
                          ("exportar", "escribe una copia de sus datos (.xlsx o .json)"),
                          ("suprimir", "anonimiza o elimina sus datos, según la forma elegida por la organización")):
        orden = ordenes.add_parser(nombre, help=ayuda, description=ayuda)
        orden.add_argument("id", metavar="ID", help="identificador de cliente, correo o teléfono")
        if nombre == "exportar":
            orden.add_argument("archivo", metavar="ARCHIVO", help="archivo de salida (.xlsx o .json)")
        if nombre != "buscar":
            orden.add_argument("--referencia", default=None,
                               help="número de expediente de la solicitud (no escriba datos de la persona)")
        _comunes(orden, predeterminado=argparse.SUPPRESS)
    retencion = ordenes.add_parser("retener", help="anonimiza lo que pasó su plazo de retención",
                                   description="Anonimiza lo que pasó su plazo de retención (lo que hará el "
                                               "trabajador en segundo plano cada día).")
    _comunes(retencion, predeterminado=argparse.SUPPRESS)
    return parser.parse_args(argv)


def _abrir(ruta: str) -> Almacen | None:
    """El almacén de ``ruta``; None (tras explicar por qué) si no existe o no se puede abrir."""
    if not Path(ruta).is_file():
        print(f"No existe la base de datos {ruta}.", file=sys.stderr)
        return None
    try:
        return Almacen(ruta)
    except (duckdb.Error, ErrorEslabon) as error:
        print(f"No se pudo abrir la base de datos {ruta}: {getattr(error, 'mensaje', error)}", file=sys.stderr)
        return None


def _ejecutar(args: argparse.Namespace, almacen: Almacen) -> int:
    """Hace la orden pedida sobre ``almacen`` e imprime el resultado; devuelve el estado de salida."""
    lago, usuario = lago_configurado(), args.usuario or f"consola:{getpass.getuser()}"
    if args.orden == "retener":
        resultado = retener(almacen, usuario=usuario, lago=lago)
        print(f"Retención aplicada (solicitud {resultado.solicitud}). Filas anonimizadas:")
        print(filas_por_tabla(resultado.filas))
        return 0
    persona = buscar(almacen, args.id, lago=lago)
    if args.orden == "buscar":
        print(f"Datos del cliente {persona.cliente_id}:")
        print(filas_por_tabla({lugar.titulo: persona.filas[lugar.clave] for lugar in LUGARES}))
        for clave, archivos in persona.lago.items():
            for archivo, filas in archivos.items():
                print(f"  lago ({clave}): {archivo} ({filas} filas)")
    elif args.orden == "exportar":
        formato = _EXTENSIONES[Path(args.archivo).suffix.lower()]
        Path(args.archivo).write_bytes(exportar_persona(almacen, persona, formato, usuario=usuario,
                                                        referencia=args.referencia, lago=lago))
        print(f"Copia de los datos del cliente {persona.cliente_id} escrita en {args.archivo}.")
    else:
        resultado = suprimir(almacen, persona, usuario=usuario, referencia=args.referencia, lago=lago)
        print(f"Solicitud {resultado.solicitud}: datos suprimidos ({resultado.modo}). Filas por lugar:")
        print(filas_por_tabla(resultado.filas))
        print(resultado.aviso_copias)
    return 0


def main(argv: list[str] | None = None) -> int:
    """Punto de entrada de ``python -m datos.personas``; devuelve el estado de salida (0, 1 o 2)."""
    args = _argumentos(argv)
    if args.orden == "exportar" and Path(args.archivo).suffix.lower() not in _EXTENSIONES:
        print("El ARCHIVO debe terminar en .xlsx o .json.", file=sys.stderr)
        return 2
    almacen = _abrir(args.db or ruta_predeterminada())
    if almacen is None:
        return 2
    try:
        return _ejecutar(args, almacen)
    except PersonaNoEncontrada as error:
        print(error.mensaje, file=sys.stderr)
        return 1
    except ErrorEslabon as error:
        print(error.mensaje, file=sys.stderr)
        return 2
    finally:
        almacen.cerrar()
