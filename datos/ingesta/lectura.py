"""Lectura de archivos CSV y Excel: tamaño, codificación, dialecto, cabecera y tabla cruda.

``inspeccionar`` mira un archivo sin cargarlo entero en memoria: comprueba el
límite de tamaño (y, de un .xlsx, lo que ocuparía descomprimido, antes de abrirlo:
``archivos.revisar_comprimido``), calcula su huella SHA-256, detecta la codificación (UTF-8
con o sin BOM, UTF-16, Windows-1252/Latin-1), el delimitador (``,`` ``;``
tabulador ``|``), las líneas de título antes de la cabecera y las filas extra
de cabecera de Qualtrics (texto de la pregunta e ``ImportId``). Devuelve un
``Archivo`` con todo lo necesario para leerlo.

``fuente`` prepara la lectura completa en una conexión DuckDB: para un CSV,
la llamada ``read_csv`` con opciones explícitas (todo como texto, columnas
``c0..cN``, filas defectuosas guardadas aparte con ``store_rejects``); para
un Excel, una tabla temporal ``_crudo`` llenada en bloques desde openpyxl
(modo de solo lectura) o xlrd. Los nombres de columna del usuario nunca
entran en el SQL: se usan ``c0..cN``.

Windows-1252 coincide con Latin-1 salvo en los bytes 0x80–0x9F (€, comillas
curvas, guiones…). Si el archivo no los tiene se lee con el Latin-1 nativo de
DuckDB; si los tiene, se transcodifica por bloques a un UTF-8 temporal.
"""

import codecs
import csv
import hashlib
import io
import math
import os
import re
import tempfile
import unicodedata
from dataclasses import dataclass
from datetime import date, datetime, time
from pathlib import Path

import duckdb
import pyarrow as pa

from analisis.errores import ArchivoDemasiadoGrande, ArchivoIlegible
from datos.ingesta.archivos import revisar_comprimido

__all__ = ["Archivo", "inspeccionar", "fuente", "normalizar", "MAX_COLUMNAS", "MAX_LINEA_MUESTRA", "FORMATOS"]

#: Más columnas que esto no es una exportación razonable: se rechaza el archivo con un mensaje.
MAX_COLUMNAS = 2_000
#: Extensiones aceptadas.
FORMATOS = ("csv", "txt", "tsv", "xlsx", "xlsm", "xls")
_DELIMITADORES = (";", ",", "\t", "|")
_BLOQUE = 1 << 22
_MUESTRA_TEXTO = 1 << 18
_LINEAS_MUESTRA = 200
_FILAS_EXCEL_POR_BLOQUE = 20_000
_MAX_LINEA = 16 << 20
#: Línea máxima (bytes) al leer solo la muestra de las primeras filas: con el búfer de 16 MB,
#: DuckDB decodifica decenas de MB para traer unas miles de filas.
MAX_LINEA_MUESTRA = 1 << 20
#: Todos los bytes salvo 0x80–0x9F: ``bloque.translate(None, _NO_C1)`` deja solo los de control C1
#: (que en Windows-1252 son letras y signos, y en Latin-1 no se usan); mucho más rápido que una regex.
_NO_C1 = bytes(b for b in range(256) if not 0x80 <= b <= 0x9F)
# Windows-1252 con los cinco bytes que no define (0x81, 0x8D, 0x8F, 0x90, 0x9D) como en Latin-1 (WHATWG).
_TABLA_1252 = "".join(bytes([b]).decode("cp1252", errors="ignore") or chr(b) for b in range(256))


@dataclass(frozen=True)
class Archivo:
    """Lo que se sabe de un archivo antes de leerlo entero.

    ``columnas`` son las cabeceras tal como las verá el usuario (vacías como
    "Columna 3", repetidas como "Nombre (2)"); ``descripciones`` el texto de la
    segunda fila de cabecera de Qualtrics (o vacío). ``primera_fila`` es el
    número de fila (como en una hoja de cálculo, cabecera = 1 si no hay títulos)
    de la primera fila de datos. ``ruta`` es lo que se lee: el original o su
    copia en UTF-8.
    """

    nombre: str
    ruta: str
    formato: str
    hash: str
    tamano: int
    codificacion: str
    delimitador: str | None
    hoja: str | None
    hojas: tuple[str, ...]
    columnas: tuple[str, ...]
    descripciones: tuple[str, ...]
    primera_fila: int
    saltar: int
    filas_extra: tuple[tuple[str, ...], ...]
    avisos: tuple[str, ...]


def normalizar(texto: str) -> str:
    """Minúsculas, sin tildes y con un solo espacio: la forma en que se comparan nombres y etiquetas.

    >>> normalizar("  Muy   SATISFECHO ")
    'muy satisfecho'
    >>> normalizar("Atención_inicial")
    'atencion inicial'
    """
    sin_tildes = "".join(c for c in unicodedata.normalize("NFKD", str(texto)) if not unicodedata.combining(c))
    return " ".join(re.sub(r"[_\s]+", " ", sin_tildes.lower()).split())


def inspeccionar(ruta: str | os.PathLike, *, nombre: str | None = None, limite_mb: float | None = None,
                 hoja: str | None = None, carpeta: str | None = None) -> Archivo:
    """Examina un archivo y devuelve cómo leerlo.

    Parameters
    ----------
    ruta : archivo en disco.
    nombre : nombre que ve el usuario (por defecto el de ``ruta``); su extensión decide CSV o Excel.
    limite_mb : tamaño máximo en megabytes (``None``: sin límite).
    hoja : hoja de un Excel (por defecto "Datos" si existe, si no la primera).
    carpeta : dónde dejar la copia UTF-8 de un CSV que la necesite (por defecto la temporal del sistema).

    Raises
    ------
    ArchivoDemasiadoGrande, ArchivoIlegible
        Con el motivo en español.
    """
    ruta = Path(ruta)
    nombre = nombre or ruta.name
    if not ruta.is_file():
        raise ArchivoIlegible(f"No se encuentra el archivo «{nombre}».")
    tamano = ruta.stat().st_size
    if limite_mb is not None and tamano > limite_mb * 1024 * 1024:
        raise ArchivoDemasiadoGrande(
            f"El archivo «{nombre}» pesa {_mb(tamano)} MB y el límite es {_mb(limite_mb * 1024 * 1024)} MB. "
            "Divídalo en partes o pida que se aumente el límite (configuración «limite_carga_mb»).")
    if tamano == 0:
        raise ArchivoIlegible(f"El archivo «{nombre}» está vacío.")
    extension = Path(nombre).suffix.lower().lstrip(".")
    with open(ruta, "rb") as f:
        cabeza = f.read(8)
    if cabeza.startswith(b"PK\x03\x04") or extension in ("xlsx", "xlsm"):
        revisar_comprimido(ruta, nombre)
        return _inspeccionar_excel(ruta, nombre, tamano, hoja, "xlsx")
    if cabeza.startswith(b"\xd0\xcf\x11\xe0") or extension == "xls":
        return _inspeccionar_excel(ruta, nombre, tamano, hoja, "xls")
    if extension not in FORMATOS:
        raise ArchivoIlegible(f"«{nombre}» no es un CSV ni un Excel (.csv, .txt, .xlsx, .xls).")
    return _inspeccionar_csv(ruta, nombre, tamano, carpeta)


def fuente(con: duckdb.DuckDBPyConnection, archivo: Archivo, *, paralelo: bool = True,
           linea_maxima: int = _MAX_LINEA) -> tuple[str, dict]:
    """SQL (y parámetros con nombre) de una relación con todas las filas de datos como texto en ``c0..cN``.

    Para un CSV es una llamada a ``read_csv`` que deja las filas defectuosas en
    la tabla temporal ``_rechazos``; para un Excel, la tabla temporal ``_crudo``
    (que se crea aquí, con la columna ``_fila``). Los títulos y las filas extra de
    cabecera quedan fuera. Una ``linea_maxima`` (bytes, CSV) menor que la habitual fija
    también un búfer de lectura pequeño (el doble), que basta para leer solo las primeras filas.
    """
    if archivo.formato == "csv":
        return _fuente_csv(archivo, paralelo, linea_maxima)
    _crear_crudo_excel(con, archivo)
    return "_crudo", {}


# ---------------------------------------------------------------------------
# CSV
# ---------------------------------------------------------------------------

@dataclass(frozen=True)
class _Escaneo:
    hash: str
    utf8: bool
    bom: str | None
    c1: bool
    nulos: bool


def _escanear(ruta: Path) -> _Escaneo:
    """Una pasada por bloques: huella SHA-256, validez UTF-8, BOM, bytes 0x80–0x9F y bytes nulos al inicio."""
    huella = hashlib.sha256()
    decodificador = codecs.getincrementaldecoder("utf-8")()
    utf8, c1, primero = True, False, True
    bom = nulos = None
    with open(ruta, "rb") as f:
        while bloque := f.read(_BLOQUE):
            huella.update(bloque)
            if primero:
                bom = _bom(bloque)
                nulos = b"\x00" in bloque[:8192]
                primero = False
            if utf8:
                try:
                    decodificador.decode(bloque)
                except UnicodeDecodeError:
                    utf8 = False
            if not utf8 and not c1:
                c1 = bool(bloque.translate(None, _NO_C1))
    if utf8:
        try:
            decodificador.decode(b"", final=True)
        except UnicodeDecodeError:
            utf8 = False
    return _Escaneo(huella.hexdigest(), utf8, bom, c1, bool(nulos))


def _bom(bloque: bytes) -> str | None:
    """Codificación indicada por la marca de orden de bytes, o ``None``."""
    for marca, codificacion in ((codecs.BOM_UTF8, "utf-8-sig"), (codecs.BOM_UTF16_LE, "utf-16"),
                                (codecs.BOM_UTF16_BE, "utf-16")):
        if bloque.startswith(marca):
            return codificacion
    return None


def _utf16_sin_bom(ruta: Path) -> str | None:
    """'utf-16-le' o 'utf-16-be' si los bytes nulos alternan como en UTF-16 sin BOM; si no ``None``."""
    with open(ruta, "rb") as f:
        muestra = f.read(4096)
    pares, impares = muestra[0::2], muestra[1::2]
    if len(muestra) >= 4 and impares.count(0) > 0.4 * len(impares) and pares.count(0) < 0.05 * len(pares):
        return "utf-16-le"
    if len(muestra) >= 4 and pares.count(0) > 0.4 * len(pares) and impares.count(0) < 0.05 * len(impares):
        return "utf-16-be"
    return None


def _transcodificar(ruta: Path, codificacion: str, carpeta: str | None) -> str:
    """Copia ``ruta`` a un archivo UTF-8 temporal decodificando por bloques; devuelve su ruta."""
    descriptor, destino = tempfile.mkstemp(suffix=".csv", prefix="eslabon_", dir=carpeta)
    if codificacion == "windows-1252":
        def decodificar(bloque: bytes, final: bool = False) -> str:
            return codecs.charmap_decode(bloque, "strict", _TABLA_1252)[0]
    else:
        decodificar = codecs.getincrementaldecoder(codificacion)(errors="replace").decode
    with open(ruta, "rb") as origen, os.fdopen(descriptor, "wb") as salida:
        while bloque := origen.read(_BLOQUE):
            salida.write(decodificar(bloque).encode("utf-8"))
        salida.write(decodificar(b"", final=True).encode("utf-8"))
    return destino


def _inspeccionar_csv(ruta: Path, nombre: str, tamano: int, carpeta: str | None) -> Archivo:
    """Codificación, dialecto y cabecera de un CSV."""
    escaneo = _escanear(ruta)
    lectura, codificacion_duckdb = str(ruta), "utf-8"
    if escaneo.bom == "utf-16" or (escaneo.nulos and _utf16_sin_bom(ruta)):
        codificacion = "utf-16" if escaneo.bom else _utf16_sin_bom(ruta)
        lectura = _transcodificar(ruta, codificacion, carpeta)
    elif escaneo.nulos:
        raise ArchivoIlegible(f"«{nombre}» no parece un archivo de texto (tiene bytes nulos): "
                              "¿es un Excel o un PDF con otra extensión?")
    elif escaneo.utf8:
        codificacion = escaneo.bom or "utf-8"
    elif escaneo.c1:
        codificacion = "windows-1252"
        lectura = _transcodificar(ruta, codificacion, carpeta)
    else:
        codificacion, codificacion_duckdb = "latin-1", "latin-1"
    try:
        return _dialecto(ruta, nombre, tamano, escaneo, lectura, codificacion, codificacion_duckdb)
    except BaseException:
        if lectura != str(ruta):
            os.remove(lectura)
        raise


def _dialecto(ruta: Path, nombre: str, tamano: int, escaneo: _Escaneo, lectura: str, codificacion: str,
              codificacion_duckdb: str) -> Archivo:
    """Delimitador, títulos, cabecera y filas extra de un CSV ya con su codificación decidida."""
    avisos = []
    texto = _muestra_de_texto(lectura, codificacion_duckdb)
    delimitador = _delimitador(texto)
    registros, indices, total = _registros(texto, delimitador)
    if not registros:
        raise ArchivoIlegible(f"«{nombre}» no tiene filas.")
    inicio = _fila_de_cabecera(registros)
    cabecera = registros[inicio]
    extra = _filas_extra(registros[inicio + 1:inicio + 3])
    columnas = _nombres_de_columna(cabecera)
    if len(columnas) > MAX_COLUMNAS:
        raise ArchivoIlegible(f"«{nombre}» tiene {len(columnas):,} columnas; el máximo es {MAX_COLUMNAS:,}."
                              .replace(",", "."))
    if inicio:
        avisos.append(f"Se saltaron {inicio} línea(s) de título antes de la cabecera.")
    if extra:
        avisos.append("Se reconocieron las filas extra de cabecera de Qualtrics (texto de la pregunta e ImportId).")
    primera = inicio + 1 + len(extra)
    saltar = indices[primera] if primera < len(indices) else total
    return Archivo(
        nombre=nombre, ruta=lectura, formato="csv", hash=escaneo.hash, tamano=tamano, codificacion=codificacion,
        delimitador=delimitador, hoja=None, hojas=(), columnas=columnas,
        descripciones=_descripciones(extra, len(columnas)), primera_fila=saltar + 1, saltar=saltar,
        filas_extra=tuple(tuple(r) for r in extra), avisos=tuple(avisos),
    )


def _muestra_de_texto(ruta: str, codificacion: str) -> str:
    """Primeros ~256 KB del archivo como texto (sin BOM y sin la última línea, quizá cortada)."""
    with open(ruta, "rb") as f:
        crudo = f.read(_MUESTRA_TEXTO + 1)
    completo = len(crudo) <= _MUESTRA_TEXTO
    texto = crudo[:_MUESTRA_TEXTO].decode("utf-8-sig" if codificacion == "utf-8" else "latin-1", errors="replace")
    if not completo and "\n" in texto:
        texto = texto[:texto.rfind("\n") + 1]
    return texto


def _delimitador(texto: str) -> str:
    """El delimitador candidato que parte las primeras líneas en más columnas de forma más constante."""
    lineas = texto.splitlines()[:_LINEAS_MUESTRA]
    mejor, puntaje_mejor = ",", (-1.0, 0)
    for candidato in _DELIMITADORES:
        conteos = [len(r) for r in csv.reader(lineas, delimiter=candidato) if any(c.strip() for c in r)]
        if not conteos:
            continue
        moda = max(set(conteos), key=conteos.count)
        puntaje = (conteos.count(moda) / len(conteos) if moda > 1 else 0.0, moda)
        if puntaje > puntaje_mejor:
            mejor, puntaje_mejor = candidato, puntaje
    return mejor


def _registros(texto: str, delimitador: str) -> tuple[list[list[str]], list[int], int]:
    """Registros CSV no vacíos de la muestra, cuántos registros (vacíos incluidos) hay antes de cada uno y el total.

    Se cuentan registros y no líneas físicas porque así cuenta DuckDB (``skip`` y
    el número de línea de los rechazos): un campo entre comillas con saltos de
    línea es un solo registro.
    """
    lector = csv.reader(io.StringIO(texto, newline=""), delimiter=delimitador)
    registros, indices, total = [], [], 0
    try:
        for registro in lector:
            if len(registros) >= _LINEAS_MUESTRA:
                break
            if any(registro):
                registros.append(registro)
                indices.append(total)
            total += 1
    except csv.Error:
        pass
    return registros, indices, total


def _fila_de_cabecera(registros: list[list[str]]) -> int:
    """Índice del primer registro con al menos la mitad de las columnas habituales llenas (salta títulos)."""
    llenos = [sum(1 for c in r if c.strip()) for r in registros]
    ancho = max(len(r) for r in registros)
    for i, n in enumerate(llenos[:20]):
        if n >= max(1, math.ceil(0.5 * min(ancho, max(llenos)))):
            return i
    return 0


def _filas_extra(siguientes: list[list[str]]) -> list[list[str]]:
    """Las dos filas de cabecera extra de Qualtrics si la segunda lleva ``{"ImportId": ...}``."""
    if len(siguientes) == 2 and sum('"importid"' in c.replace(" ", "").lower() for c in siguientes[1]) \
            >= max(1, len(siguientes[1]) // 2):
        return siguientes
    return []


def _descripciones(extra: list[list[str]], n: int) -> tuple[str, ...]:
    """Texto de la pregunta de cada columna (segunda fila de Qualtrics) o vacío."""
    textos = extra[0] if extra else []
    return tuple((textos[i].strip() if i < len(textos) else "") for i in range(n))


def _nombres_de_columna(cabecera: list) -> tuple[str, ...]:
    """Cabeceras legibles y únicas: vacías -> 'Columna k', repetidas -> 'Nombre (2)'."""
    nombres, vistos = [], {}
    for i, valor in enumerate(cabecera, 1):
        base = " ".join(str(valor).replace("\x00", "").split())[:200] if valor is not None else ""
        base = base or f"Columna {i}"
        vistos[base] = vistos.get(base, 0) + 1
        nombres.append(base if vistos[base] == 1 else f"{base} ({vistos[base]})")
    while nombres and nombres[-1].startswith("Columna ") and not str(cabecera[len(nombres) - 1] or "").strip():
        nombres.pop()
    return tuple(nombres)


def _bufer(linea_maxima: int) -> int:
    """Bytes del búfer de lectura de ``read_csv`` para una línea máxima de ``linea_maxima`` bytes.

    DuckDB reparte un CSV entre sus hilos por búferes, y el suyo por omisión mide el doble de la línea máxima
    (32 MB): un archivo de 88 MB se leía en tres búferes y los dos núcleos no trabajaban a la vez (1,3 ocupados).
    Con búferes del tamaño de la línea máxima (el mínimo que admite), convertir un millón de interacciones pasa
    de 1,5 a 1,1 s; una línea de hasta 16 MB se sigue leyendo igual. La muestra (una línea máxima menor) usa el
    doble: un búfer pequeño basta para sus primeras filas.
    """
    return int(linea_maxima) if linea_maxima >= _MAX_LINEA else 2 * int(linea_maxima)


def _fuente_csv(archivo: Archivo, paralelo: bool, linea_maxima: int) -> tuple[str, dict]:
    """La llamada ``read_csv`` con opciones explícitas (todo texto, columnas c0..cN) y sus parámetros con nombre."""
    columnas = "{" + ", ".join(f"'c{i}': 'VARCHAR'" for i in range(len(archivo.columnas))) + "}"
    sql = (f"read_csv($ruta, delim = $delimitador, quote = '\"', escape = '\"', header = false, skip = $saltar, "
           f"auto_detect = false, columns = {columnas}, null_padding = true, store_rejects = true, "
           f"rejects_table = '_rechazos', rejects_scan = '_rechazos_lectura', max_line_size = {int(linea_maxima)}, "
           f"buffer_size = {_bufer(linea_maxima)}, encoding = $codificacion, "
           f"parallel = {'true' if paralelo else 'false'})")
    parametros = {"ruta": archivo.ruta, "delimitador": archivo.delimitador, "saltar": archivo.saltar,
                  "codificacion": "latin-1" if archivo.codificacion == "latin-1" else "utf-8"}
    return sql, parametros


# ---------------------------------------------------------------------------
# Excel
# ---------------------------------------------------------------------------

def _inspeccionar_excel(ruta: Path, nombre: str, tamano: int, hoja: str | None, formato: str) -> Archivo:
    """Hoja, cabecera y filas extra de un libro Excel (.xlsx con openpyxl, .xls con xlrd)."""
    huella = _escanear(ruta).hash
    with _Libro(ruta, nombre, formato) as libro:
        hojas = libro.hojas()
        elegida = hoja if hoja in hojas else ("Datos" if "Datos" in hojas else hojas[0])
        primeras = []
        for numero, fila in libro.filas(elegida):
            if any(v not in (None, "") for v in fila):
                primeras.append((numero, fila))
            if len(primeras) >= 25:
                break
    if not primeras:
        raise ArchivoIlegible(f"La hoja «{elegida}» de «{nombre}» está vacía.")
    registros = [[_texto_de_celda(v) or "" for v in fila] for _, fila in primeras]
    inicio = _fila_de_cabecera(registros)
    extra = _filas_extra(registros[inicio + 1:inicio + 3])
    columnas = _nombres_de_columna(registros[inicio])
    if len(columnas) > MAX_COLUMNAS:
        raise ArchivoIlegible(f"La hoja «{elegida}» tiene más de {MAX_COLUMNAS:,} columnas.".replace(",", "."))
    fila_cabecera = primeras[inicio][0]
    avisos = [f"Se leyó la hoja «{elegida}»" + (f" (el libro tiene {len(hojas)} hojas)." if len(hojas) > 1 else ".")]
    if fila_cabecera > 1:
        avisos.append(f"La cabecera está en la fila {fila_cabecera}; las de arriba se tomaron como títulos.")
    if extra:
        avisos.append("Se reconocieron las filas extra de cabecera de Qualtrics (texto de la pregunta e ImportId).")
    primera = primeras[inicio + len(extra) + 1][0] if len(primeras) > inicio + len(extra) + 1 \
        else fila_cabecera + len(extra) + 1
    return Archivo(
        nombre=nombre, ruta=str(ruta), formato=formato, hash=huella, tamano=tamano, codificacion="",
        delimitador=None, hoja=elegida, hojas=tuple(hojas), columnas=columnas,
        descripciones=_descripciones(extra, len(columnas)), primera_fila=primera, saltar=fila_cabecera,
        filas_extra=tuple(tuple(r) for r in extra), avisos=tuple(avisos),
    )


class _Libro:
    """Acceso uniforme y en flujo a las hojas de un .xlsx (openpyxl) o .xls (xlrd).

    Los lectores de Excel pueden lanzar casi cualquier excepción ante un archivo
    dañado u hostil; aquí todas se convierten en ``ArchivoIlegible``.
    """

    def __init__(self, ruta: Path, nombre: str, formato: str):
        self.ruta, self.nombre, self.formato = ruta, nombre, formato
        self._libro = None

    def __enter__(self):
        try:
            if self.formato == "xls":
                import xlrd
                self._libro = xlrd.open_workbook(str(self.ruta), on_demand=True)
            else:
                import openpyxl
                self._libro = openpyxl.load_workbook(self.ruta, read_only=True, data_only=True)
        except Exception as error:  # noqa: BLE001 - cualquier fallo del lector es un archivo ilegible
            raise ArchivoIlegible(f"No se pudo abrir «{self.nombre}» como Excel: el archivo está dañado o no es "
                                  f"un libro de Excel ({type(error).__name__}).") from error
        return self

    def __exit__(self, *excepcion):
        if self.formato == "xls":
            self._libro.release_resources()
        else:
            self._libro.close()

    def hojas(self) -> list[str]:
        """Nombres de las hojas de cálculo."""
        hojas = self._libro.sheet_names() if self.formato == "xls" else list(self._libro.sheetnames)
        if not hojas:
            raise ArchivoIlegible(f"«{self.nombre}» no tiene hojas.")
        return hojas

    def filas(self, hoja: str):
        """Genera ``(número de fila, valores)`` de la hoja, con números como en Excel (desde 1)."""
        try:
            if self.formato == "xls":
                yield from self._filas_xls(hoja)
            else:
                hoja_abierta = self._libro[hoja]
                hoja_abierta.reset_dimensions()
                for numero, fila in enumerate(hoja_abierta.iter_rows(values_only=True), 1):
                    yield numero, fila
        except ArchivoIlegible:
            raise
        except Exception as error:  # noqa: BLE001 - ídem: el lector falló con un archivo dañado
            raise ArchivoIlegible(f"No se pudo leer la hoja «{hoja}» de «{self.nombre}»: el archivo está "
                                  f"dañado ({type(error).__name__}).") from error

    def _filas_xls(self, hoja: str):
        """Filas de un .xls con las fechas convertidas (xlrd las da como números de serie)."""
        import xlrd
        hoja_abierta = self._libro.sheet_by_name(hoja)
        for r in range(hoja_abierta.nrows):
            valores = []
            for celda in hoja_abierta.row(r):
                if celda.ctype == xlrd.XL_CELL_DATE:
                    valores.append(xlrd.xldate.xldate_as_datetime(celda.value, self._libro.datemode))
                elif celda.ctype in (xlrd.XL_CELL_EMPTY, xlrd.XL_CELL_BLANK, xlrd.XL_CELL_ERROR):
                    valores.append(None)
                elif celda.ctype == xlrd.XL_CELL_BOOLEAN:
                    valores.append(bool(celda.value))
                else:
                    valores.append(celda.value)
            yield r + 1, tuple(valores)


def _texto_de_celda(valor) -> str | None:
    """Valor de una celda como texto: fechas en ISO, números sin '.0' sobrante, booleanos 'true'/'false'."""
    if valor is None:
        return None
    if isinstance(valor, bool):
        return "true" if valor else "false"
    if isinstance(valor, datetime):
        return valor.isoformat(sep=" ")
    if isinstance(valor, (date, time)):
        return valor.isoformat()
    if isinstance(valor, float):
        return format(valor, ".15g") if math.isfinite(valor) else None
    texto = str(valor).replace("\x00", "")
    return texto if texto.strip() else None


def _crear_crudo_excel(con: duckdb.DuckDBPyConnection, archivo: Archivo) -> None:
    """Llena la tabla temporal ``_crudo`` (``_fila`` y ``c0..cN`` como texto) en bloques desde el libro."""
    n = len(archivo.columnas)
    esquema = pa.schema([("_fila", pa.int64())] + [(f"c{i}", pa.string()) for i in range(n)])
    columnas = ", ".join(["_fila BIGINT"] + [f"c{i} VARCHAR" for i in range(n)])
    con.execute("DROP TABLE IF EXISTS _crudo")
    con.execute(f"CREATE TEMP TABLE _crudo ({columnas})")
    bloque = []
    with _Libro(Path(archivo.ruta), archivo.nombre, archivo.formato) as libro:
        for numero, fila in libro.filas(archivo.hoja):
            if numero < archivo.primera_fila:
                continue
            textos = [_texto_de_celda(v) for v in fila[:n]]
            if any(t is not None for t in textos):
                bloque.append([numero] + textos + [None] * (n - len(textos)))
            if len(bloque) >= _FILAS_EXCEL_POR_BLOQUE:
                _insertar_bloque(con, bloque, esquema)
                bloque = []
    _insertar_bloque(con, bloque, esquema)


def _insertar_bloque(con: duckdb.DuckDBPyConnection, filas: list[list], esquema: pa.Schema) -> None:
    """Inserta filas de texto en ``_crudo`` pasando por Arrow."""
    if not filas:
        return
    tabla = pa.Table.from_arrays([pa.array(list(c), t.type) for c, t in zip(zip(*filas), esquema)], schema=esquema)
    con.register("_bloque_excel", tabla)
    try:
        con.execute("INSERT INTO _crudo SELECT * FROM _bloque_excel")
    finally:
        con.unregister("_bloque_excel")


def _mb(n_bytes: float) -> str:
    """Megabytes con una cifra decimal y coma: 1572864 -> '1,5'."""
    return f"{n_bytes / 1024 / 1024:.1f}".replace(".", ",")
