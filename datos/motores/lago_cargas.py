"""Cargas en el lago Parquet: el modo Spark con ``ESLABON_LAGO`` en una carpeta local o montada.

Con ``ESLABON_MOTOR=pyspark ESLABON_LAGO=DIR`` el tablero lee los datos de servicio del lago que
escribe ``python -m datos.lago``, así que ``datos.ingesta.carga`` escribe allí las filas de cada carga
(``EnLago``) con la misma validación que en DuckDB. El registro de cargas (``cargas``), los
mapeos, la bitácora y ``version_datos`` siguen en el almacén DuckDB: su transacción es el punto
de confirmación. Cada operación (una carga o su deshacer) sigue cuatro pasos con el candado del
lago tomado (un solo proceso abre el archivo DuckDB, así que un candado del proceso basta):

1. ``recuperar``: completa lo confirmado que quedó a medias y borra lo oculto sin confirmar.
2. Escribir los archivos nuevos con nombre oculto, ``interacciones/.eslabon-carga-7/anio=2026/mes=3/
   carga-7-0.parquet`` (Spark y Hadoop no leen carpetas ni archivos que empiezan por ``.`` o ``_``).
3. Confirmar en una transacción de DuckDB: la fila de ``cargas`` (o su marca de deshecha) y, en
   ``lago_archivos``, cada archivo que se publica o se retira.
4. ``recuperar`` otra vez: renombra cada archivo a su nombre visible (``interacciones/anio=2026/
   mes=3/carga-7-0.parquet``), borra los retirados, marca el diario y sube ``version_datos``, con
   lo que el motor vuelve a listar el lago.

Un fallo antes del paso 3 deja solo archivos ocultos, que borra la siguiente recuperación; uno
después lo completa la siguiente recuperación (al abrir el motor o antes de la siguiente
escritura). Deshacer retira los archivos que solo tienen filas de la carga y reescribe sin ellas
los que las mezclan con otras (los que exportó ``datos.lago``). Las filas nuevas de
``interacciones`` llevan ``fcr`` vacío: mientras la tabla tenga archivos de cargas o reescritos,
el motor lo calcula al leer (``datos.almacen.derivados.fcr_en_spark``).
"""

import os
import shutil
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import duckdb

from datos.almacen.derivados import subir_version
from datos.almacen.transaccion import transaccion
from analisis.errores import CargaNoAdmitida
from datos.motores.configuracion import COLUMNAS_PARTICION, PARTICIONES, TABLAS_HECHOS, Configuracion

__all__ = ["PREFIJO_OCULTO", "Lago", "EnLago", "Escritura", "lago_de_cargas", "recuperar"]

#: Prefijo de las carpetas donde se escriben los archivos antes de confirmarlos.
PREFIJO_OCULTO = ".eslabon-"

#: Nombres de los archivos que escriben las cargas (``carga-7….parquet``) y las reescrituras de
#: deshacer (``data_0-sin-carga-7.parquet``), de una supresión y de la retención de datos personales
#: (``datos.personas``: ``data_0-supresion-3.parquet``); los demás son de ``datos.lago``.
_NOMBRE_CARGA = "carga-"
_MARCAS_REESCRITO = {"carga": "-sin-carga-", "deshacer": "-sin-carga-", "supresion": "-supresion-",
                     "retencion": "-retencion-"}

#: Lectura de la lista de archivos ``$archivos`` del lago, con las columnas y tipos de sus Parquet
#: (sin las de partición) y, si se pide, el nombre de cada archivo en ``filename``.
_LECTURA = "read_parquet($archivos, hive_partitioning = false, union_by_name = true, filename = {})"

_CANDADOS: dict[Path, threading.RLock] = {}
_CANDADO_DE_CANDADOS = threading.Lock()


class Lago:
    """El lago Parquet de ``configuracion.lago`` (una carpeta local o montada).

    Raises
    ------
    CargaNoAdmitida
        Si la carpeta no existe.
    """

    def __init__(self, configuracion: Configuracion):
        self.configuracion = configuracion
        self.ruta = Path(configuracion.lago.removeprefix("file://")).resolve()
        if not self.ruta.is_dir():
            raise CargaNoAdmitida(f"El lago {configuracion.lago} no existe: expórtelo con python -m datos.lago.")

    @classmethod
    def local(cls, configuracion: Configuracion) -> "Lago | None":
        """El lago si el motor es Spark sobre una carpeta local o montada; si no, ``None``."""
        lago = configuracion.lago or ""
        if configuracion.motor != "pyspark" or not lago or ("://" in lago and not lago.startswith("file://")):
            return None
        return cls(configuracion)

    def carpeta(self, tabla: str) -> Path:
        """Carpeta de la tabla canónica ``tabla`` (con su nombre real, ``ESLABON_PREFIJO``/``ESLABON_TABLAS``)."""
        return self.ruta / self.configuracion.nombre_de(tabla)

    def archivos(self, tabla: str) -> list[str]:
        """Los Parquet visibles de ``tabla`` (los que lee Spark), en orden."""
        carpeta = self.carpeta(tabla)
        if not carpeta.is_dir():
            raise CargaNoAdmitida(f"El lago {self.ruta} no tiene la tabla {tabla}: "
                                  "expórtelo con python -m datos.lago.")
        return sorted(str(archivo) for archivo in carpeta.rglob("*.parquet")
                      if not any(parte.startswith((".", "_")) for parte in archivo.relative_to(carpeta).parts))

    def escrita_por_cargas(self, tabla: str) -> bool:
        """True si algún archivo visible de ``tabla`` lo escribió una carga o un deshacer.

        Si no, la tabla es tal cual la exportó ``datos.lago`` y sus columnas derivadas (``fcr``)
        son las que calculó DuckDB sobre esas mismas filas.
        """
        return any(Path(archivo).name.startswith(_NOMBRE_CARGA)
                   or any(marca in Path(archivo).name for marca in _MARCAS_REESCRITO.values())
                   for archivo in self.archivos(tabla))

    @contextmanager
    def candado(self) -> Iterator[None]:
        """Exclusión entre las escrituras de este proceso en este lago."""
        with _CANDADO_DE_CANDADOS:
            candado = _CANDADOS.setdefault(self.ruta, threading.RLock())
        with candado:
            yield

    def filas_de_carga(self, con: duckdb.DuckDBPyConnection, carga_id: int) -> dict[str, int]:
        """Filas visibles de la carga ``carga_id`` en cada tabla del lago (solo las que tienen alguna)."""
        filas = {tabla: sum(_filas_de_carga_por_archivo(con, self.archivos(tabla), carga_id).values())
                 for tabla in TABLAS_HECHOS}
        return {tabla: n for tabla, n in filas.items() if n}

    def copiar_claves(self, con: duckdb.DuckDBPyConnection, tabla: str, columna: str, valores: str,
                      destino: str) -> None:
        """Crea la tabla temporal ``destino`` con los valores de ``columna`` guardados en ``tabla`` del lago
        que aparecen en la consulta SQL ``valores`` (solo esos: la tabla queda del tamaño del archivo)."""
        archivos = self.archivos(tabla)
        if not archivos:
            con.execute(f"CREATE OR REPLACE TEMP TABLE {destino} AS SELECT {columna} FROM main.{tabla} LIMIT 0")
            return
        con.execute(f"CREATE OR REPLACE TEMP TABLE {destino} AS SELECT DISTINCT {columna} "
                    f"FROM {_LECTURA.format('false')} WHERE {columna} IN ({valores})", {"archivos": archivos})


def lago_de_cargas(configuracion: Configuracion | None = None) -> Lago | None:
    """Dónde escribir las cargas: ``None`` con DuckDB (sus tablas), el ``Lago`` con Spark sobre una carpeta.

    Raises
    ------
    CargaNoAdmitida
        Con un lago remoto (``s3a://``…), un catálogo o un motor por URL: el tablero no leería lo
        que Eslabón guardara.
    """
    configuracion = configuracion or Configuracion.del_entorno()
    if configuracion.motor == "duckdb":
        return None
    lago = Lago.local(configuracion)
    if lago is None:
        raise CargaNoAdmitida(
            f"Con ESLABON_MOTOR={configuracion.motor} y los datos en {configuracion.lago or 'el catálogo del motor'}, "
            "Eslabón no puede escribir las cargas donde el tablero las lee: solo en un lago Parquet en una "
            "carpeta local o montada (ESLABON_LAGO). Cargue los archivos en la plataforma de datos.")
    return lago


def recuperar(con: duckdb.DuckDBPyConnection, lago: Lago) -> int:
    """Completa lo confirmado en ``lago_archivos`` y borra los archivos ocultos que sobren.

    Renombra a su nombre visible los archivos por publicar, borra los retirados, marca esas
    entradas como aplicadas y sube ``version_datos``. Después borra las carpetas ocultas
    (``PREFIJO_OCULTO``): lo que quede en ellas nunca se confirmó. Devuelve cuántas entradas aplicó.
    """
    with lago.candado():
        pendientes = con.execute(
            "SELECT accion, archivo, oculto FROM lago_archivos WHERE lago = ? AND NOT aplicada "
            "ORDER BY registrada, carga, accion", [str(lago.ruta)]).fetchall()
        for accion, archivo, oculto in pendientes:
            _aplicar(lago.ruta, accion, archivo, oculto)
        for tabla in TABLAS_HECHOS:
            for oculta in lago.carpeta(tabla).glob(PREFIJO_OCULTO + "*"):
                shutil.rmtree(oculta)
        if pendientes:
            with transaccion(con):
                con.execute("UPDATE lago_archivos SET aplicada = true WHERE lago = ? AND NOT aplicada",
                            [str(lago.ruta)])
                subir_version(con)
        return len(pendientes)


def _aplicar(raiz: Path, accion: str, archivo: str, oculto: str | None) -> None:
    """Publica (oculto → visible) o retira un archivo; repetirlo no cambia nada."""
    visible = raiz / archivo
    if accion == "retirar":
        visible.unlink(missing_ok=True)
    elif (raiz / oculto).exists():
        visible.parent.mkdir(parents=True, exist_ok=True)
        os.replace(raiz / oculto, visible)


def _filas_de_carga_por_archivo(con: duckdb.DuckDBPyConnection, archivos: list[str], carga_id: int
                                ) -> dict[str, int]:
    """Filas de la carga ``carga_id`` en cada uno de ``archivos`` que tiene alguna, en orden de archivo."""
    if not archivos:
        return {}
    return dict(con.execute(
        f"SELECT filename, count(*) FROM {_LECTURA.format('true')} "
        "WHERE carga_id = $carga GROUP BY filename ORDER BY filename",
        {"archivos": archivos, "carga": int(carga_id)}).fetchall())


def _filas_por_archivo(con: duckdb.DuckDBPyConnection, archivos: list[str]) -> dict[str, int]:
    """Filas de cada Parquet según su pie (sin leer los datos)."""
    return dict(con.execute("SELECT file_name, num_rows FROM parquet_file_metadata($archivos)",
                            {"archivos": archivos}).fetchall())


class Escritura:
    """Los archivos que una operación (``carga``, ``deshacer``, ``supresion`` o ``retencion``) publica y
    retira del lago; ``carga_id`` es el número de la carga (o de la solicitud de ``datos.personas``)."""

    def __init__(self, lago: Lago, carga_id: int, operacion: str):
        self.lago, self.carga_id, self.operacion = lago, int(carga_id), operacion
        self._entradas: list[tuple[str, str, str, str | None, int]] = []
        self._ocultas: set[Path] = set()

    def _oculta(self, tabla: str) -> Path:
        """Carpeta oculta de esta operación dentro de la tabla."""
        oculta = self.lago.carpeta(tabla) / f"{PREFIJO_OCULTO}{self.operacion}-{self.carga_id}"
        self._ocultas.add(oculta)
        return oculta

    def _relativo(self, ruta: Path) -> str:
        """Ruta relativa al lago, como se anota en el diario."""
        return ruta.relative_to(self.lago.ruta).as_posix()

    def escribir(self, con: duckdb.DuckDBPyConnection, tabla: str, relacion: duckdb.DuckDBPyRelation) -> None:
        """Escribe ``relacion`` oculta (por año y mes si la tabla se particiona) y anota cada archivo."""
        oculta, nombre = self._oculta(tabla), f"{_NOMBRE_CARGA}{self.carga_id}"
        if tabla in PARTICIONES:
            anio, mes = COLUMNAS_PARTICION
            relacion.project(f"*, year({PARTICIONES[tabla]}) AS {anio}, month({PARTICIONES[tabla]}) AS {mes}"
                             ).write_parquet(str(oculta), partition_by=list(COLUMNAS_PARTICION),
                                             filename_pattern=nombre + "-{i}")
        else:
            oculta.mkdir(parents=True)
            relacion.write_parquet(str(oculta / f"{nombre}.parquet"))
        escritos = sorted(str(archivo) for archivo in oculta.rglob("*.parquet"))
        for archivo, filas in sorted(_filas_por_archivo(con, escritos).items()):
            visible = self.lago.carpeta(tabla) / Path(archivo).relative_to(oculta)
            self._entradas.append((tabla, "publicar", self._relativo(visible), self._relativo(Path(archivo)), filas))

    def reescribir(self, con: duckdb.DuckDBPyConnection, tabla: str, archivo: str, filas: int) -> None:
        """Publica una copia de ``archivo`` (de ``filas`` filas) sin las de la carga (quien llama lo retira)."""
        self.sustituir(tabla, archivo, con.read_parquet(archivo, hive_partitioning=False).filter(
            f"carga_id <> {self.carga_id}"), filas)

    def sustituir(self, tabla: str, archivo: str, relacion: duckdb.DuckDBPyRelation, filas: int) -> None:
        """Publica ``relacion`` (de ``filas`` filas) como la copia reescrita de ``archivo`` (quien llama lo retira)."""
        relativo = Path(archivo).relative_to(self.lago.carpeta(tabla))
        marca = _MARCAS_REESCRITO[self.operacion]
        copia = self._oculta(tabla) / relativo.with_name(f"{relativo.stem}{marca}{self.carga_id}.parquet")
        copia.parent.mkdir(parents=True, exist_ok=True)
        relacion.write_parquet(str(copia))
        visible = self.lago.carpeta(tabla) / copia.relative_to(self._oculta(tabla))
        self._entradas.append((tabla, "publicar", self._relativo(visible), self._relativo(copia), filas))

    def retirar(self, tabla: str, archivo: str, filas: int) -> None:
        """Anota que ``archivo`` deja de ser visible."""
        self._entradas.append((tabla, "retirar", self._relativo(Path(archivo)), None, filas))

    def anotar(self, con: duckdb.DuckDBPyConnection) -> None:
        """Inserta las entradas en ``lago_archivos`` (dentro de la transacción de la operación)."""
        if self._entradas:
            con.executemany(
                "INSERT INTO lago_archivos (lago, carga, operacion, tabla, accion, archivo, oculto, filas) "
                "VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
                [[str(self.lago.ruta), self.carga_id, self.operacion, *entrada] for entrada in self._entradas])

    def descartar(self) -> None:
        """Borra los archivos ocultos (la operación no se confirmó)."""
        for oculta in self._ocultas:
            shutil.rmtree(oculta, ignore_errors=True)


class EnLago:
    """Dónde comprueba y escribe ``datos.ingesta.carga`` cuando los datos de servicio viven en el lago.

    Las comprobaciones contra lo guardado leen tablas temporales ``_guardadas_<tabla>`` con solo
    las claves del lago que cita el archivo; las filas nuevas se insertan en copias vacías
    ``_nuevas_<tabla>`` de las tablas del almacén (mismas columnas y tipos que los Parquet de
    ``datos.lago``) y ``escribir`` las vuelca al lago. ``datos.ingesta.hechos.EnAlmacen`` es el equivalente
    para DuckDB con los mismos métodos.
    """

    def __init__(self, lago: Lago):
        self.lago = lago
        self._destinos: tuple[str, ...] = ()
        self._escritura: Escritura | None = None

    def tabla(self, nombre: str) -> str:
        """SQL de la tabla con las claves guardadas de ``nombre``."""
        return f"_guardadas_{nombre}"

    def destino(self, nombre: str) -> str:
        """SQL de la tabla donde se insertan las filas nuevas de ``nombre``."""
        return f"_nuevas_{nombre}"

    @contextmanager
    def bloqueo(self, con: duckdb.DuckDBPyConnection) -> Iterator[None]:
        """El candado del lago, después de recuperar lo que otra escritura dejó a medias."""
        with self.lago.candado():
            recuperar(con, self.lago)
            yield

    def preparar(self, con: duckdb.DuckDBPyConnection, claves: list[tuple[str, str, str]],
                 destinos: tuple[str, ...]) -> None:
        """Copia las claves guardadas que citan ``claves`` (tabla, columna, SQL de los valores del archivo)
        y crea vacías las tablas de ``destinos``."""
        for tabla, columna, valores in claves:
            self.lago.copiar_claves(con, tabla, columna, valores, self.tabla(tabla))
        for tabla in destinos:
            con.execute(f"CREATE OR REPLACE TEMP TABLE {self.destino(tabla)} AS SELECT * FROM main.{tabla} LIMIT 0")
        self._destinos = destinos

    def escribir(self, con: duckdb.DuckDBPyConnection, carga_id: int) -> None:
        """Escribe ocultas las filas nuevas de cada destino y las anota en el diario (en la transacción)."""
        self._escritura = Escritura(self.lago, carga_id, "carga")
        for tabla in self._destinos:
            if con.execute(f"SELECT count(*) FROM {self.destino(tabla)}").fetchall()[0][0]:
                self._escritura.escribir(con, tabla, con.table(self.destino(tabla)))
        self._escritura.anotar(con)

    def retirar(self, con: duckdb.DuckDBPyConnection, carga_id: int) -> dict[str, int]:
        """Anota el retiro de las filas de la carga (en la transacción de deshacer); devuelve filas por tabla."""
        self._escritura = Escritura(self.lago, carga_id, "deshacer")
        retiradas = {}
        for tabla in TABLAS_HECHOS:
            archivos = self.lago.archivos(tabla)
            por_archivo = list(_filas_de_carga_por_archivo(con, archivos, carga_id).items())
            totales = _filas_por_archivo(con, [archivo for archivo, _ in por_archivo]) if por_archivo else {}
            # Spark no lee una carpeta sin archivos: si no quedaría ninguno, queda uno vacío con el esquema.
            vaciaria = len(por_archivo) == len(archivos) and all(filas == totales[a] for a, filas in por_archivo)
            for k, (archivo, filas) in enumerate(por_archivo):
                if filas < totales[archivo] or (vaciaria and k == 0):
                    self._escritura.reescribir(con, tabla, archivo, totales[archivo] - filas)
                self._escritura.retirar(tabla, archivo, totales[archivo])
            if por_archivo:
                retiradas[tabla] = sum(filas for _, filas in por_archivo)
        self._escritura.anotar(con)
        return retiradas

    def registrar_carga(self, con: duckdb.DuckDBPyConnection, tabla: str, carga_id: int) -> None:
        """Sube ``version_datos`` (las tablas del almacén no cambian; ``fcr`` se calcula al leer)."""
        subir_version(con)

    def descartar(self) -> None:
        """Borra lo escrito oculto (la transacción se deshizo)."""
        if self._escritura is not None:
            self._escritura.descartar()

    def publicar(self, con: duckdb.DuckDBPyConnection) -> None:
        """Hace visibles los archivos confirmados (``recuperar``)."""
        recuperar(con, self.lago)
