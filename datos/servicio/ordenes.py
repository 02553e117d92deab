"""Las órdenes de línea de comandos: cuáles hay, cómo se corre una en este proceso y cómo se leen sus rutas.

``correr`` es lo que hacen los dos caminos de ``datos.servicio.canal.ejecutar``: aquí mismo si
ninguna aplicación tiene la base abierta, o dentro de la aplicación (el servicio captura lo que
imprime). ``ruta`` resuelve las rutas desde la carpeta de quien escribió la orden.
"""

import argparse
import contextvars
import importlib
import os
import sys
import traceback
from collections.abc import Callable
from pathlib import Path

import duckdb

from analisis.errores import ErrorEslabon
from datos.almacen.conexion import Almacen, ruta_predeterminada

__all__ = ["ORDENES", "correr", "ruta", "ruta_de_base", "con_base_absoluta", "exigir_orden", "con_almacen"]

#: Las órdenes que el servicio acepta (el módulo de entrada de cada ``python -m``).
ORDENES = ("datos.cargar", "datos.lago", "datos.respaldo", "datos.configuracion", "datos.personas",
           "datos.envios")

#: Carpeta de quien escribió la orden (el servicio la fija mientras corre una orden que llegó de otro proceso).
_CARPETA_DE_LA_ORDEN: contextvars.ContextVar[str | None] = contextvars.ContextVar("carpeta_de_la_orden",
                                                                                  default=None)


def ruta(texto: str) -> str:
    """``type=`` de ``argparse`` para rutas: absoluta, resuelta desde la carpeta de quien escribió la orden.

    Fuera del servicio es la carpeta actual; dentro, la del proceso que envió la orden.

    >>> ruta("/datos/encuestas.csv")
    '/datos/encuestas.csv'
    """
    base = _CARPETA_DE_LA_ORDEN.get() or os.getcwd()
    return os.path.normpath(os.path.join(base, os.path.expanduser(texto)))


def exigir_orden(modulo: str) -> None:
    """``ValueError`` si ``modulo`` no es una de ``ORDENES``."""
    if modulo not in ORDENES:
        raise ValueError(f"'modulo' debe ser una de {', '.join(ORDENES)}; no {modulo!r}")


def _principal(modulo: str) -> Callable[[list[str]], int | None]:
    """La ``main`` de la orden ``modulo`` (la que su módulo de entrada importa de la implementación)."""
    exigir_orden(modulo)
    return importlib.import_module(modulo).main


def _estado(funcion: Callable[[], int | None]) -> int:
    """Corre ``funcion`` y devuelve su estado de salida como lo daría ``sys.exit(funcion())``.

    ``SystemExit`` (``argparse`` sale así) da su código; un texto se imprime en ``stderr`` y da 1;
    un fallo del programa imprime su traza y da 1, como Python al salir por él.
    """
    try:
        codigo = funcion()
    except SystemExit as salida:
        codigo = salida.code
    except Exception:
        traceback.print_exc()
        return 1
    if codigo is None or isinstance(codigo, int):
        return int(codigo or 0)
    print(codigo, file=sys.stderr)
    return 1


def correr(modulo: str, argv: list[str], carpeta: str | None = None) -> int:
    """Corre la orden ``modulo`` con ``argv`` en este proceso; sus rutas relativas parten de ``carpeta``."""
    principal = _principal(modulo)
    marca = _CARPETA_DE_LA_ORDEN.set(carpeta)
    try:
        return _estado(lambda: principal(list(argv)))
    finally:
        _CARPETA_DE_LA_ORDEN.reset(marca)


def ruta_de_base(argv: list[str]) -> str:
    """La base de datos de la orden: el valor de ``--db`` (absoluto) o ``ruta_predeterminada()``."""
    lector = argparse.ArgumentParser(add_help=False, allow_abbrev=False)
    lector.add_argument("--db")
    conocidos, _ = lector.parse_known_args(argv)
    return ruta(conocidos.db) if conocidos.db else str(Path(ruta_predeterminada()).resolve())


def con_base_absoluta(argv: list[str]) -> list[str]:
    """``argv`` con el valor de ``--db`` (``--db X`` o ``--db=X``) convertido en ruta absoluta."""
    resultado, siguiente_es_base = [], False
    for argumento in argv:
        if siguiente_es_base:
            argumento, siguiente_es_base = ruta(argumento), False
        elif argumento == "--db":
            siguiente_es_base = True
        elif argumento.startswith("--db="):
            argumento = "--db=" + ruta(argumento.removeprefix("--db="))
        resultado.append(argumento)
    return resultado


def con_almacen(db: str, operacion: Callable[[Almacen], object], fallo: str) -> tuple[object, int]:
    """Abre el almacén ``db``, corre ``operacion(almacen)`` y lo cierra: lo común de las órdenes que lo usan.

    Devuelve ``(resultado, 0)``; si algo falla imprime el motivo en ``stderr`` y devuelve ``(None, estado)``:
    1 si la base no se pudo abrir o ``operacion`` falló en DuckDB o en disco (``«fallo»: error``), 2 si
    ``operacion`` lanzó un error explicable al usuario (un argumento que no sirve: su mensaje).
    """
    try:
        almacen = Almacen(db)
    except (duckdb.Error, ErrorEslabon) as error:
        print(f"No se pudo abrir la base de datos {db}: {getattr(error, 'mensaje', error)}", file=sys.stderr)
        return None, 1
    try:
        return operacion(almacen), 0
    except ErrorEslabon as error:
        print(error.mensaje, file=sys.stderr)
        return None, 2
    except (duckdb.Error, OSError) as error:
        print(f"{fallo}: {error}", file=sys.stderr)
        return None, 1
    finally:
        almacen.cerrar()
