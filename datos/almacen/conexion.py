"""El almacén DuckDB: ruta, apertura, migración y acceso seguro entre hilos.

DuckDB no permite usar una misma conexión desde varios hilos a la vez; su
documentación recomienda abrir una conexión por proceso y pedir un cursor
(``con.cursor()``) por hilo. ``Almacen`` hace exactamente eso: guarda la
conexión del proceso y entrega a cada hilo su propio cursor y su propio
backend Ibis construido sobre ese cursor.
"""

import os
import threading
from pathlib import Path

import duckdb
import ibis

from analisis.errores import BaseDeDatosNoValida
from datos.almacen.esquema import migrar

__all__ = ["Almacen", "ruta_predeterminada", "RAIZ", "abrir"]

#: Carpeta raíz del repositorio (donde vive el archivo por defecto, ignorado por git).
RAIZ = Path(__file__).resolve().parents[2]


def ruta_predeterminada() -> str:
    """Ruta del archivo DuckDB: ``ESLABON_DB`` si está definida, si no ``eslabon.duckdb`` en la raíz."""
    return os.environ.get("ESLABON_DB") or str(RAIZ / "eslabon.duckdb")


class Almacen:
    """Conexión del proceso al archivo DuckDB, ya migrado a la última versión.

    Parameters
    ----------
    ruta : str, optional
        Archivo DuckDB (``":memory:"`` para uno en memoria). Por defecto
        ``ruta_predeterminada()``.

    Examples
    --------
    >>> almacen = Almacen(":memory:")
    >>> almacen.version_datos()
    0
    """

    def __init__(self, ruta: str | None = None):
        self.ruta = ruta or ruta_predeterminada()
        if self.ruta != ":memory:":
            Path(self.ruta).parent.mkdir(parents=True, exist_ok=True)
        self._con = duckdb.connect(self.ruta)
        migrar(self._con)
        self._local = threading.local()

    def cursor(self) -> duckdb.DuckDBPyConnection:
        """Devuelve el cursor DuckDB propio del hilo que llama (se crea la primera vez)."""
        cursor = getattr(self._local, "cursor", None)
        if cursor is None:
            cursor = self._local.cursor = self._con.cursor()
        return cursor

    def ibis(self) -> ibis.BaseBackend:
        """Devuelve el backend Ibis del hilo que llama, sobre su propio cursor."""
        backend = getattr(self._local, "ibis", None)
        if backend is None:
            backend = self._local.ibis = ibis.duckdb.from_connection(self.cursor())
        return backend

    def version_datos(self) -> int:
        """Número que cambia con cada escritura de datos; sirve de clave de caché."""
        filas = self.cursor().execute(
            "SELECT valor FROM configuracion WHERE clave = ?", ["version_datos"]
        ).fetchall()
        return int(filas[0][0]) if filas else 0

    def esta_vacio(self) -> bool:
        """True si no hay ninguna carga vigente (ni demostración ni archivos; las deshechas no cuentan)."""
        return self.cursor().execute("SELECT count(*) FROM cargas WHERE deshecha IS NULL").fetchall()[0][0] == 0

    def hay_datos_demo(self) -> bool:
        """True si alguna carga vigente es de datos de demostración."""
        return bool(self.cursor().execute("SELECT bool_or(es_demo) FROM cargas WHERE deshecha IS NULL").fetchall()[0][0])

    def cerrar(self) -> None:
        """Cierra la conexión del proceso (y con ella todos los cursores)."""
        self._con.close()


def abrir(ruta: str) -> Almacen:
    """El almacén de ``ruta`` para una línea de órdenes.

    Raises ``BaseDeDatosNoValida`` (con el motivo en español) si el archivo no se puede abrir o migrar.
    """
    try:
        return Almacen(ruta)
    except duckdb.Error as error:
        raise BaseDeDatosNoValida(f"No se pudo abrir la base de datos {ruta}: {error}") from error
