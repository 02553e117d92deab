"""Los archivos que llegan: la copia temporal de una subida y la revisión de un Excel comprimido.

- ``Subida``: la copia en disco de un archivo subido desde la página, en una carpeta temporal
  propia que se borra siempre: al cerrarla (la carga terminó, falló o se quitó el archivo), al
  salir de un ``with`` y, si la sesión se abandona, cuando el objeto se libera o termina el proceso.
- ``revisar_comprimido``: un .xlsx es un ZIP. Antes de que ningún lector lo abra se leen, con
  ``zipfile``, los tamaños que declara su directorio central (sin descomprimir nada) y se rechaza
  el libro que se inflaría demasiado (una «bomba zip»: 290 KB que se vuelven 300 MB de textos).
  ``zipfile`` nunca entrega más bytes de un miembro que los que declara, así que lo revisado acota
  lo que openpyxl puede llegar a leer.
"""

import os
import tempfile
import zipfile
from pathlib import Path

from analisis.errores import ArchivoIlegible
from analisis.formato import numero

__all__ = ["Subida", "revisar_comprimido", "RAZON_MAXIMA", "MB_DESCOMPRIMIDOS_MAXIMOS", "MB_TEXTOS_MAXIMOS",
           "MIEMBROS_MAXIMOS"]

#: Veces que un miembro del libro puede crecer al descomprimirse. Una hoja real crece de 5 a 20 veces
#: (las referencias de celda cambian en cada fila); una bomba, cerca de mil.
RAZON_MAXIMA = 100
#: Por debajo de este tamaño descomprimido (bytes) la razón no importa: no compromete la memoria.
_MINIMO_PARA_RAZON = 1 << 20
#: Megabytes que puede ocupar el libro entero descomprimido (openpyxl lee las hojas en flujo).
MB_DESCOMPRIMIDOS_MAXIMOS = 2048
#: Megabytes de la tabla de textos compartidos (``xl/sharedStrings.xml``), que openpyxl carga entera en memoria.
MB_TEXTOS_MAXIMOS = 64
#: Archivos que puede tener el ZIP de un libro (uno normal tiene una decena).
MIEMBROS_MAXIMOS = 10_000
_TEXTOS_COMPARTIDOS = "xl/sharedstrings.xml"
_MB = 1 << 20


class Subida:
    """Un archivo subido, copiado en una carpeta temporal propia que se borra siempre.

    Parameters
    ----------
    contenido : los bytes del archivo.
    nombre : el nombre que le dio el usuario (solo se usa su última parte, nunca una ruta).

    Se usa con ``with Subida(...) as subida:`` o se entrega a quien la cierre con ``borrar()``
    (``datos.ingesta.carga.Preparacion``). La carpeta es un ``tempfile.TemporaryDirectory``: si nadie la
    cierra, se borra cuando el objeto se libera (la sesión se abandonó) o al terminar el proceso.

    >>> with Subida(b"fecha;nps", "../encuestas.csv") as subida:
    ...     subida.ruta.name, subida.ruta.read_bytes()
    ('encuestas.csv', b'fecha;nps')
    >>> subida.ruta.exists()
    False
    """

    def __init__(self, contenido: bytes | memoryview, nombre: str):
        self._carpeta = tempfile.TemporaryDirectory(prefix="eslabon_subida_")
        self.carpeta = Path(self._carpeta.name)
        self.ruta = self.carpeta / (Path(nombre).name or "archivo")
        try:
            self.ruta.write_bytes(contenido)
        except BaseException:
            self.borrar()
            raise

    def borrar(self) -> None:
        """Borra la carpeta y lo que contenga (la copia y lo que se haya escrito junto a ella)."""
        self._carpeta.cleanup()

    def __enter__(self) -> "Subida":
        return self

    def __exit__(self, *excepcion) -> None:
        self.borrar()


def revisar_comprimido(ruta: str | os.PathLike, nombre: str) -> None:
    """Rechaza con ``ArchivoIlegible`` el libro .xlsx cuyo contenido descomprimido sería desmedido.

    Solo lee el directorio central del ZIP (``zipfile.ZipFile.infolist``): tamaño comprimido y
    descomprimido de cada miembro. Se rechaza si tiene más de ``MIEMBROS_MAXIMOS`` miembros, si uno de
    más de 1 MB crece más de ``RAZON_MAXIMA`` veces, si la tabla de textos compartidos pasa de
    ``MB_TEXTOS_MAXIMOS`` MB o si todo junto pasa de ``MB_DESCOMPRIMIDOS_MAXIMOS`` MB.
    """
    try:
        with zipfile.ZipFile(ruta) as libro:
            miembros = libro.infolist()
    except (zipfile.BadZipFile, OSError, ValueError) as error:
        raise ArchivoIlegible(f"No se pudo abrir «{nombre}» como Excel: el archivo está dañado o no es un libro "
                              "de Excel (.xlsx).") from error
    if len(miembros) > MIEMBROS_MAXIMOS:
        raise ArchivoIlegible(f"«{nombre}» no parece un libro de Excel: contiene {numero(len(miembros), 0)} "
                              f"archivos comprimidos (un libro tiene unas decenas).")
    for miembro in miembros:
        _revisar_miembro(miembro, nombre)
    total = sum(m.file_size for m in miembros)
    if total > MB_DESCOMPRIMIDOS_MAXIMOS * _MB:
        raise ArchivoIlegible(f"«{nombre}» ocuparía {numero(total / _MB, 0)} MB al abrirlo y el máximo es "
                              f"{numero(MB_DESCOMPRIMIDOS_MAXIMOS, 0)} MB. Guárdelo como CSV o divídalo en partes.")


def _revisar_miembro(miembro: zipfile.ZipInfo, nombre: str) -> None:
    """Rechaza un miembro que crece más de ``RAZON_MAXIMA`` veces o una tabla de textos desmedida."""
    if miembro.file_size > _MINIMO_PARA_RAZON and miembro.file_size > RAZON_MAXIMA * max(1, miembro.compress_size):
        razon = miembro.file_size / max(1, miembro.compress_size)
        raise ArchivoIlegible(
            f"Se rechazó «{nombre}»: una de sus partes pasa de {numero(miembro.compress_size / 1024, 0)} KB a "
            f"{numero(miembro.file_size / _MB, 0)} MB al descomprimirse ({numero(razon, 0)} veces; un libro de Excel "
            f"normal crece menos de {RAZON_MAXIMA} veces). Puede ser un archivo malicioso; si lo generó usted, "
            "guárdelo como CSV y súbalo de nuevo.")
    if miembro.filename.lower() == _TEXTOS_COMPARTIDOS and miembro.file_size > MB_TEXTOS_MAXIMOS * _MB:
        raise ArchivoIlegible(
            f"«{nombre}» tiene {numero(miembro.file_size / _MB, 0)} MB de textos y el máximo que se abre en memoria "
            f"es {numero(MB_TEXTOS_MAXIMOS, 0)} MB. Guárdelo como CSV (se lee sin ese límite) o divídalo en partes.")
