"""Respaldos del almacén: ``python -m datos.respaldo crear|restaurar`` y el respaldo diario con retención.

Un respaldo es una carpeta con ``EXPORT DATABASE`` de DuckDB en Parquet (``schema.sql``, ``load.sql`` y un
archivo por tabla: datos, historial de cargas, configuración, cuentas, bitácora, mapeos, secuencias)
más ``respaldo.json``: cuándo se hizo, la versión de esquema y las filas de cada tabla. Se escribe
dentro de una transacción con el candado de escritura tomado (``datos.almacen.transaccion``): es una
foto coherente aunque la aplicación esté sirviendo, y ninguna carga queda a medias en ella. Se
escribe primero en una carpeta oculta al lado y se renombra al terminar.

``restaurar`` reconstruye una base nueva (nunca sobrescribe otra) con ``IMPORT DATABASE``, comprueba
filas por tabla y versión de esquema contra ``respaldo.json`` y después aplica las migraciones que
falten (un respaldo de una versión anterior de Eslabón). Parquet y SQL sobreviven a un cambio de
versión de DuckDB, que un archivo ``.duckdb`` copiado no siempre.

Uso::

    python -m datos.respaldo crear CARPETA [--db RUTA]
    python -m datos.respaldo restaurar CARPETA --db NUEVA

Estado de salida: 0 bien; 1 si la base no se pudo leer o la comprobación no cuadra; 2 si los
argumentos no sirven (carpeta ya usada, base inexistente o ya existente).
"""

import argparse
import json
import os
import shutil
import sys
import tempfile
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

import duckdb

from analisis.errores import ErrorEslabon
from analisis.formato import filas_por_tabla, momento, numero
from datos.ajustes.operacion import leer_operacion
from datos.almacen.conexion import ruta_predeterminada
from datos.almacen.esquema import migrar, version_esquema
from datos.almacen.transaccion import transaccion
from datos.servicio.ordenes import con_almacen, ruta

__all__ = ["MANIFIESTO", "PREFIJO", "Respaldo", "RespaldoNoValido", "crear", "restaurar", "leer_respaldo",
           "respaldos_en", "conservar_ultimos", "respaldo_programado", "programa_diario", "main"]

#: Archivo con la descripción del respaldo (dentro de su carpeta).
MANIFIESTO = "respaldo.json"
#: Comienzo del nombre de las carpetas del respaldo diario (``eslabon-AAAAMMDD-HHMMSS``).
PREFIJO = "eslabon-"


class RespaldoNoValido(ErrorEslabon):
    """Un respaldo que no se puede crear, leer o restaurar (carpeta ocupada, archivo existente, filas que no cuadran)."""


@dataclass(frozen=True)
class Respaldo:
    """Un respaldo: su carpeta, cuándo se creó, la versión de esquema y las filas de cada tabla."""

    carpeta: Path
    creado: datetime
    version_esquema: int
    filas: dict[str, int]

    def resumen(self) -> str:
        """Las líneas en español que imprimen las órdenes: fecha, versión, total y filas por tabla."""
        return (f"Respaldo del {momento(self.creado)} (esquema versión {self.version_esquema}): "
                f"{numero(sum(self.filas.values()), 0)} filas en {len(self.filas)} tablas.\n"
                + filas_por_tabla(self.filas))


def _literal(carpeta: Path) -> str:
    """``carpeta`` como literal SQL para ``EXPORT``/``IMPORT DATABASE`` (que no admiten ``?``).

    Se rechaza, en vez de escaparla, una ruta con comillas simples o caracteres de control.
    """
    texto = str(carpeta.resolve())
    if "'" in texto or any(ord(c) < 32 for c in texto):
        raise RespaldoNoValido(f"La ruta {texto!r} tiene comillas simples o caracteres de control; elija otra carpeta.")
    return f"'{texto}'"


def _filas(con: duckdb.DuckDBPyConnection) -> dict[str, int]:
    """Filas de cada tabla del almacén (``main``, sin temporales), por nombre."""
    tablas = [f[0] for f in con.execute(
        "SELECT table_name FROM duckdb_tables() WHERE NOT temporary AND database_name = current_database() "
        "AND schema_name = 'main' ORDER BY 1").fetchall()]
    return {t: con.execute(f'SELECT count(*) FROM main."{t}"').fetchall()[0][0] for t in tablas}


def _exigir_vacia(carpeta: Path) -> None:
    """``RespaldoNoValido`` si ``carpeta`` existe y no es una carpeta vacía (un respaldo no sobrescribe otro)."""
    if carpeta.exists() and (not carpeta.is_dir() or any(carpeta.iterdir())):
        raise RespaldoNoValido(f"{carpeta} ya existe y no es una carpeta vacía: un respaldo nunca sobrescribe "
                               "otro. Elija una carpeta nueva.")


def crear(con: duckdb.DuckDBPyConnection, carpeta: str | os.PathLike) -> Respaldo:
    """Respalda el almacén de ``con`` en ``carpeta`` (nueva o vacía) y devuelve su descripción."""
    carpeta = Path(carpeta)
    _exigir_vacia(carpeta)
    carpeta.parent.mkdir(parents=True, exist_ok=True)
    temporal = Path(tempfile.mkdtemp(prefix=f".{carpeta.name}-", dir=carpeta.parent))
    try:
        with transaccion(con):
            filas, version = _filas(con), version_esquema(con)
            con.execute(f"EXPORT DATABASE {_literal(temporal)} (FORMAT parquet)")
        respaldo = Respaldo(carpeta, datetime.now().replace(microsecond=0), version, filas)
        (temporal / MANIFIESTO).write_text(json.dumps(
            {"creado": respaldo.creado.isoformat(), "version_esquema": version, "filas": filas,
             "duckdb": duckdb.__version__}, ensure_ascii=False, indent=1), encoding="utf-8")
        if carpeta.exists():
            carpeta.rmdir()
        temporal.rename(carpeta)
    except BaseException:
        shutil.rmtree(temporal, ignore_errors=True)
        raise
    return respaldo


def leer_respaldo(carpeta: str | os.PathLike) -> Respaldo:
    """La descripción del respaldo de ``carpeta``; ``RespaldoNoValido`` si no es un respaldo de Eslabón."""
    carpeta = Path(carpeta)
    try:
        datos = json.loads((carpeta / MANIFIESTO).read_text(encoding="utf-8"))
        return Respaldo(carpeta, datetime.fromisoformat(datos["creado"]), int(datos["version_esquema"]),
                        {str(t): int(n) for t, n in datos["filas"].items()})
    except (OSError, ValueError, KeyError, TypeError, AttributeError) as error:
        raise RespaldoNoValido(f"{carpeta} no es un respaldo de Eslabón (falta o no se entiende {MANIFIESTO}).") \
            from error


def _diferencias(esperado: Respaldo, filas: dict[str, int], version: int) -> list[str]:
    """Lo que no cuadra entre ``esperado`` y la base reconstruida, en español (vacío si todo cuadra)."""
    diferencias = [f"versión de esquema {version}, se esperaba {esperado.version_esquema}"] \
        if version != esperado.version_esquema else []
    for tabla in sorted(set(esperado.filas) | set(filas)):
        if esperado.filas.get(tabla) != filas.get(tabla):
            diferencias.append(f"{tabla}: {filas.get(tabla, 'no existe')} filas, se esperaban "
                               f"{esperado.filas.get(tabla, 'ninguna (no estaba en el respaldo)')}")
    return diferencias


def _exigir_nueva(destino: Path) -> None:
    """``RespaldoNoValido`` si ``destino`` ya existe (restaurar nunca sobrescribe una base)."""
    if destino.exists():
        raise RespaldoNoValido(f"Ya existe {destino}: restaurar nunca sobrescribe una base. Elija un archivo nuevo "
                               "y, con la aplicación detenida, póngalo en su lugar.")


def _borrar_base(archivo: Path) -> None:
    """Borra ``archivo`` y su diario ``.wal`` si existen."""
    for resto in (archivo, archivo.with_name(archivo.name + ".wal")):
        resto.unlink(missing_ok=True)


def restaurar(carpeta: str | os.PathLike, destino: str | os.PathLike) -> tuple[Respaldo, list[int]]:
    """Reconstruye en ``destino`` (que no debe existir) la base del respaldo de ``carpeta`` y la comprueba.

    Returns
    -------
    (el respaldo comprobado, las migraciones aplicadas después: vacía si era de esta versión)

    Raises
    ------
    RespaldoNoValido
        Si ``carpeta`` no es un respaldo, ``destino`` ya existe o lo reconstruido no cuadra con el respaldo
        (entonces no queda nada en ``destino``).
    """
    respaldo, destino = leer_respaldo(carpeta), Path(destino)
    _exigir_nueva(destino)
    destino.parent.mkdir(parents=True, exist_ok=True)
    temporal = destino.with_name(f".{destino.name}.restaurando")
    _borrar_base(temporal)
    try:
        with duckdb.connect(str(temporal)) as con:
            con.execute(f"IMPORT DATABASE {_literal(Path(carpeta))}")
            diferencias = _diferencias(respaldo, _filas(con), version_esquema(con))
            if diferencias:
                raise RespaldoNoValido("La base reconstruida no cuadra con el respaldo: " + "; ".join(diferencias) + ".")
            con.execute("CHECKPOINT")
        os.replace(temporal, destino)
    except BaseException:
        _borrar_base(temporal)
        raise
    with duckdb.connect(str(destino)) as con:
        return respaldo, migrar(con)


def respaldos_en(base: str | os.PathLike) -> list[Respaldo]:
    """Los respaldos diarios (``PREFIJO…`` con su ``respaldo.json``) de ``base``, del más antiguo al más nuevo."""
    base = Path(base)
    if not base.is_dir():
        return []
    carpetas = sorted(p for p in base.iterdir() if p.is_dir() and p.name.startswith(PREFIJO)
                      and (p / MANIFIESTO).is_file())
    return [leer_respaldo(p) for p in carpetas]


def conservar_ultimos(base: str | os.PathLike, conservar: int) -> list[Path]:
    """Borra los respaldos diarios de ``base`` salvo los ``conservar`` más nuevos; devuelve los borrados.

    Solo toca carpetas ``PREFIJO…`` con ``respaldo.json``: nada más de ``base`` se borra.
    """
    if conservar < 1:
        raise ValueError("'conservar' debe ser al menos 1")
    viejos = [r.carpeta for r in respaldos_en(base)][:-conservar]
    for carpeta in viejos:
        shutil.rmtree(carpeta)
    return viejos


def programa_diario(con: duckdb.DuckDBPyConnection) -> str | None:
    """Cuándo corre el respaldo diario (crontab «MM HH * * *» a la hora configurada); ``None`` sin carpeta."""
    ajustes = leer_operacion(con)
    if not ajustes.respaldo_carpeta:
        return None
    hora, minuto = ajustes.respaldo_hora.split(":")
    return f"{int(minuto)} {int(hora)} * * *"


def respaldo_programado(con: duckdb.DuckDBPyConnection, instante: datetime) -> str | None:
    """El trabajo «Respaldo diario»: respalda en la carpeta configurada y conserva los N más nuevos."""
    ajustes = leer_operacion(con)
    if not ajustes.respaldo_carpeta:
        return None
    respaldo = crear(con, Path(ajustes.respaldo_carpeta) / f"{PREFIJO}{instante:%Y%m%d-%H%M%S}")
    borrados = conservar_ultimos(ajustes.respaldo_carpeta, ajustes.respaldo_conservar)
    return (f"Respaldo en {respaldo.carpeta}: {numero(sum(respaldo.filas.values()), 0)} filas en "
            f"{len(respaldo.filas)} tablas; se conservan los {ajustes.respaldo_conservar} más nuevos"
            + (f" ({len(borrados)} borrados)." if borrados else "."))


# ---------------------------------------------------------------------------
# Línea de órdenes
# ---------------------------------------------------------------------------

def _argumentos(argv: list[str] | None) -> argparse.Namespace:
    """Analiza ``crear CARPETA [--db]`` o ``restaurar CARPETA --db NUEVA`` (argparse sale con 2 si no valen)."""
    parser = argparse.ArgumentParser(prog="python -m datos.respaldo",
                                     description="Respalda el almacén de Eslabón (también con la aplicación en "
                                                 "marcha) o reconstruye una base nueva desde un respaldo.")
    acciones = parser.add_subparsers(dest="accion", required=True, metavar="{crear,restaurar}")
    crear_ = acciones.add_parser("crear", help="respalda --db en CARPETA (nueva o vacía)")
    crear_.add_argument("carpeta", metavar="CARPETA", type=ruta, help="carpeta del respaldo (nueva o vacía)")
    crear_.add_argument("--db", default=ruta_predeterminada(), type=ruta,
                        help="base que se respalda (por omisión ESLABON_DB o eslabon.duckdb)")
    restaurar_ = acciones.add_parser("restaurar", help="reconstruye en --db (un archivo nuevo) el respaldo de CARPETA")
    restaurar_.add_argument("carpeta", metavar="CARPETA", type=ruta, help="carpeta de un respaldo")
    restaurar_.add_argument("--db", required=True, type=ruta, help="archivo nuevo donde se reconstruye la base")
    return parser.parse_args(argv)


def _crear_desde_linea(carpeta: str, db: str) -> int:
    """``crear``: respalda ``db`` en ``carpeta`` e imprime el resumen; devuelve el estado de salida."""
    if not Path(db).is_file():
        print(f"No existe la base de datos {db}.", file=sys.stderr)
        return 2
    respaldo, estado = con_almacen(db, lambda almacen: crear(almacen.cursor(), carpeta),
                                   f"No se pudo respaldar en {carpeta}")
    if estado:
        return estado
    print(f"Respaldo de {db} guardado en {carpeta}.")
    print(respaldo.resumen())
    print(f"Para reconstruirlo: python -m datos.respaldo restaurar {carpeta} --db NUEVA.duckdb")
    return 0


def _restaurar_desde_linea(carpeta: str, db: str) -> int:
    """``restaurar``: reconstruye ``db`` desde ``carpeta``, lo comprueba e informa; devuelve el estado de salida."""
    try:
        leer_respaldo(carpeta)
        _exigir_nueva(Path(db))
    except RespaldoNoValido as error:
        print(error.mensaje, file=sys.stderr)
        return 2
    try:
        respaldo, migraciones = restaurar(carpeta, db)
    except RespaldoNoValido as error:
        print(error.mensaje, file=sys.stderr)
        return 1
    except (duckdb.Error, OSError) as error:
        print(f"No se pudo reconstruir {db} desde {carpeta}: {error}", file=sys.stderr)
        return 1
    print(f"Base reconstruida en {db} y comprobada: filas de cada tabla y versión de esquema iguales al respaldo.")
    print(respaldo.resumen())
    if migraciones:
        print(f"Se actualizó al esquema de esta versión de Eslabón (migraciones {', '.join(map(str, migraciones))}).")
    return 0


def main(argv: list[str] | None = None) -> int:
    """``python -m datos.respaldo``: devuelve el estado de salida (0 bien, 1 fallo, 2 argumentos)."""
    args = _argumentos(argv)
    if args.accion == "crear":
        return _crear_desde_linea(args.carpeta, args.db)
    return _restaurar_desde_linea(args.carpeta, args.db)
