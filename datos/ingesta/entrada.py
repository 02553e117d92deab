"""La carpeta de entrada: los archivos que otros sistemas dejan ahí se cargan solos.

Cada archivo (CSV, TXT, TSV o Excel, no oculto, sin cambios desde hace ``REPOSO_SEGUNDOS``) se
carga con el mapeo que se confirmó la última vez para sus mismas cabeceras (en «Cargar datos» o
con ``python -m datos.cargar``), con el mismo motor de carga que la página: una transacción, todo o
nada. Después se mueve, con la fecha y hora delante del nombre, a:

- ``hechos/`` si se guardó (o si todas sus filas ya estaban), con ``<archivo>.informe.txt`` al lado;
- ``rechazados/`` si no se pudo leer, no hay mapeo recordado para sus cabeceras o alguna fila tiene
  errores (no se guarda ninguna), con ``<archivo>.informe.txt`` y, si hubo errores por fila,
  ``<archivo>.errores.csv`` (el mismo informe neutralizado que descarga la página).

La carga queda en el historial con origen «carpeta de entrada»; los rechazos, en la bitácora. El
trabajador de la aplicación (``datos.servicio.programa``) revisa la carpeta cada minuto.
"""

import logging
import os
import time
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

import duckdb

from analisis.errores import ErrorEslabon
from analisis.formato import cantidad, momento
from datos.ajustes.operacion import carpeta_de_entrada
from datos.cuentas.usuarios import registrar
from datos.ingesta.carga import Preparacion
from datos.ingesta.historial import usuario_actual
from datos.ingesta.mapeo import tipo_recordado
from datos.motores.lago_cargas import lago_de_cargas

__all__ = ["ORIGEN", "HECHOS", "RECHAZADOS", "EXTENSIONES", "REPOSO_SEGUNDOS", "Procesado", "pendientes",
           "procesar", "revisar_entrada"]

_registro = logging.getLogger(__name__)

#: Cómo llegó la carga (columna ``cargas.origen``).
ORIGEN = "carpeta de entrada"
#: Subcarpetas donde quedan los archivos procesados.
HECHOS, RECHAZADOS = "hechos", "rechazados"
#: Extensiones que se cargan (lo demás se deja donde está).
EXTENSIONES = (".csv", ".txt", ".tsv", ".xlsx", ".xlsm", ".xls")
#: Segundos sin cambios tras los que un archivo se da por terminado de escribir.
REPOSO_SEGUNDOS = 5.0

_SIN_MAPEO = ("No hay un mapeo confirmado para las columnas de «{nombre}». Cárguelo una vez desde «Cargar "
              "datos» (o con python -m datos.cargar) y confirme el mapeo: los siguientes archivos con las mismas "
              "columnas se cargarán solos desde la carpeta de entrada.")


@dataclass(frozen=True)
class Procesado:
    """Un archivo de la carpeta de entrada ya procesado: si se cargó, dónde quedó y qué pasó."""

    archivo: str
    cargado: bool
    destino: Path
    mensaje: str
    carga_id: int | None = None


def pendientes(carpeta: Path, *, reposo: float = REPOSO_SEGUNDOS, ahora: float | None = None) -> list[Path]:
    """Los archivos de ``carpeta`` que se pueden cargar: extensión conocida, no ocultos, quietos ``reposo`` s."""
    if not carpeta.is_dir():
        return []
    ahora = time.time() if ahora is None else ahora
    return sorted(p for p in carpeta.iterdir()
                  if p.is_file() and not p.name.startswith((".", "~$")) and p.suffix.lower() in EXTENSIONES
                  and ahora - p.stat().st_mtime >= reposo)


def _informe(nombre: str, instante: datetime, lineas: list[str]) -> str:
    """El texto de ``<archivo>.informe.txt``."""
    return "\n".join([f"Eslabón · carpeta de entrada · {momento(instante)}", f"Archivo: {nombre}", "", *lineas, ""])


def _mover(ruta: Path, carpeta: Path, instante: datetime, informe: str, errores_csv: bytes | None) -> Path:
    """Mueve ``ruta`` a ``carpeta`` con la fecha delante y deja su informe (y sus errores) al lado."""
    carpeta.mkdir(exist_ok=True)
    destino = carpeta / f"{instante:%Y%m%d-%H%M%S}_{ruta.name}"
    os.replace(ruta, destino)
    destino.with_name(destino.name + ".informe.txt").write_text(informe, encoding="utf-8")
    if errores_csv is not None:
        destino.with_name(destino.name + ".errores.csv").write_bytes(errores_csv)
    return destino


def _rechazar(con: duckdb.DuckDBPyConnection, ruta: Path, instante: datetime, lineas: list[str],
              errores_csv: bytes | None = None) -> Procesado:
    """Mueve ``ruta`` a ``rechazados/`` con su informe y lo anota en la bitácora."""
    destino = _mover(ruta, ruta.parent / RECHAZADOS, instante, _informe(ruta.name, instante, lineas), errores_csv)
    registrar(con, usuario_actual(), "carpeta de entrada", f"rechazado «{ruta.name}»: {lineas[0]}")
    if errores_csv is not None:
        registrar(con, usuario_actual(), "exportar", f"{destino.name}.errores.csv")
    return Procesado(ruta.name, False, destino, lineas[0])


def procesar(con: duckdb.DuckDBPyConnection, ruta: Path, *, instante: datetime | None = None) -> Procesado:
    """Carga ``ruta`` con el mapeo recordado para sus cabeceras y la mueve a ``hechos/`` o ``rechazados/``."""
    instante = instante or datetime.now().replace(microsecond=0)
    try:
        preparacion = Preparacion(con, ruta, nombre=ruta.name, lago=lago_de_cargas())
    except ErrorEslabon as error:
        return _rechazar(con, ruta, instante, [f"Rechazado: {error.mensaje}"])
    try:
        tipo = tipo_recordado(con, preparacion.archivo.columnas)
        if tipo is None:
            return _rechazar(con, ruta, instante, ["Rechazado: " + _SIN_MAPEO.format(nombre=ruta.name)])
        validacion = preparacion.validar(tipo)
        if validacion.hay_errores:
            lineas = [f"Rechazado: {cantidad(validacion.filas_con_errores, 'fila tiene', 'filas tienen')} errores; "
                      "no se guardó ninguna. Corríjalas y vuelva a dejar el archivo.", validacion.resumen(), "",
                      "Errores (todos en el .errores.csv de al lado):", *preparacion.lineas_de_informe()]
            return _rechazar(con, ruta, instante, lineas, preparacion.informe_csv())
        resultado = preparacion.guardar(validacion, usuario=usuario_actual(), origen=ORIGEN)
    except ErrorEslabon as error:
        return _rechazar(con, ruta, instante, [f"Rechazado: {error.mensaje}"])
    finally:
        preparacion.cerrar()
    informe = _informe(ruta.name, instante, [f"Cargado como {tipo}: {resultado.mensaje}", validacion.resumen()])
    return Procesado(ruta.name, True, _mover(ruta, ruta.parent / HECHOS, instante, informe, None), resultado.mensaje,
                     resultado.carga_id)


def _procesar_sin_detenerse(con: duckdb.DuckDBPyConnection, ruta: Path, instante: datetime) -> Procesado:
    """``procesar``; un fallo inesperado rechaza ese archivo (con su motivo) en vez de detener la revisión.

    Sin esto, un archivo que hace fallar a Eslabón se volvería a intentar cada minuto para siempre.
    """
    try:
        return procesar(con, ruta, instante=instante)
    except Exception as error:  # noqa: BLE001 - se registra y el archivo queda rechazado con el motivo
        _registro.exception("Eslabón: fallo al cargar %s desde la carpeta de entrada", ruta)
        return _rechazar(con, ruta, instante, [f"Rechazado por un fallo de Eslabón al cargarlo: {error}. "
                                               "Avise al administrador con este informe."])


def revisar_entrada(con: duckdb.DuckDBPyConnection, instante: datetime) -> str | None:
    """El trabajo «Carpeta de entrada»: procesa los archivos pendientes; ``None`` si no había ninguno."""
    carpeta = carpeta_de_entrada(con)
    archivos = pendientes(carpeta) if carpeta is not None else []
    if not archivos:
        return None
    procesados = [_procesar_sin_detenerse(con, ruta, instante) for ruta in archivos]
    cargados = [p for p in procesados if p.cargado]
    partes = [f"{p.archivo}: {'cargado' if p.cargado else 'rechazado'}" for p in procesados]
    return (f"{cantidad(len(cargados), 'archivo cargado', 'archivos cargados')}, "
            f"{cantidad(len(procesados) - len(cargados), 'rechazado', 'rechazados')} ({'; '.join(partes)}).")
