"""Línea de órdenes de la configuración de la organización (``python -m datos.configuracion``).

Uso::

    python -m datos.configuracion exportar ARCHIVO.toml --db RUTA
    python -m datos.configuracion importar ARCHIVO.toml --db RUTA

``exportar`` escribe toda la configuración. ``importar`` valida todo el archivo primero y lo aplica
en una sola transacción, o no cambia nada y dice por qué. Estado de salida: 0 aplicado (o escrito);
1 contenido no válido (TOML mal escrito, claves o valores que no sirven); 2 archivo ilegible o
argumentos no válidos. Solo analiza argumentos y llama a ``datos.ajustes``.
"""

import argparse
import sys
from pathlib import Path

from analisis.errores import AjusteNoValido, ArchivoIlegible, BaseDeDatosNoValida
from datos.ajustes import archivo_toml, organizacion
from datos.almacen.conexion import Almacen, abrir, ruta_predeterminada
from datos.ingesta.historial import usuario_actual
from datos.servicio.ordenes import ruta

__all__ = ["main"]


def _argumentos(argv: list[str] | None) -> argparse.Namespace:
    """Analiza la línea de órdenes (argparse sale con estado 2 si es inválida)."""
    parser = argparse.ArgumentParser(
        prog="python -m datos.configuracion",
        description="Exporta o importa la configuración de la organización (cadena de servicio, escalas, "
                    "etiquetas, metas y promesas) como archivo TOML. Estado de salida: 0 aplicado; "
                    "1 contenido no válido (no se cambia nada); 2 archivo ilegible o argumentos no válidos.")
    parser.add_argument("accion", choices=["exportar", "importar"],
                        help="exportar: escribe toda la configuración; importar: valida el archivo y lo aplica entero")
    parser.add_argument("archivo", metavar="ARCHIVO.toml", type=ruta, help="archivo de configuración")
    parser.add_argument("--db", default=ruta_predeterminada(), type=ruta,
                        help="archivo DuckDB (por omisión ESLABON_DB o eslabon.duckdb)")
    return parser.parse_args(argv)


def _exportar(almacen: Almacen, ruta: str) -> int:
    """Escribe la configuración completa en ``ruta``."""
    texto = archivo_toml.texto_toml(organizacion.leer(almacen.cursor()))
    try:
        Path(ruta).write_text(texto, encoding="utf-8")
    except OSError as error:
        print(f"No se pudo escribir {ruta}: {error}", file=sys.stderr)
        return 2
    print(f"Configuración exportada a {ruta}.")
    return 0


def _importar(almacen: Almacen, config: organizacion.Configuracion) -> int:
    """Aplica ``config`` (ya validada) e informa los avisos y los cambios."""
    con = almacen.cursor()
    guardadas = {} if config.etapas is None else organizacion.calificaciones_por_etapa(con)
    for aviso in organizacion.avisos(con, config, guardadas):
        print(f"Aviso: {aviso}")
    cambios = organizacion.aplicar(con, config, usuario=usuario_actual())
    print(f"Configuración aplicada: {len(cambios)} cambios." if cambios
          else "La configuración ya era esa: nada cambió.")
    for cambio in cambios:
        print(f"  {cambio}")
    return 0


def main(argv: list[str] | None = None) -> int:
    """Exporta o importa; devuelve el estado de salida."""
    args = _argumentos(argv)
    config = None
    try:
        if args.accion == "importar":
            config = archivo_toml.leer_archivo(args.archivo)
        almacen = abrir(args.db)
    except AjusteNoValido as error:
        print(error.mensaje, file=sys.stderr)
        return 1
    except (ArchivoIlegible, BaseDeDatosNoValida) as error:
        print(error.mensaje, file=sys.stderr)
        return 2
    try:
        return _exportar(almacen, args.archivo) if config is None else _importar(almacen, config)
    except AjusteNoValido as error:
        print(error.mensaje, file=sys.stderr)
        return 1
    finally:
        almacen.cerrar()
