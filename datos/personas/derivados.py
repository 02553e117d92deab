"""Lo que Eslabón guarda derivado de los textos de las personas, y cómo queda al suprimir a una.

Los temas de comentarios guardan sus palabras (raíces, ``temas_comentarios.palabras``) y el nombre
que alguien les dio; los perfiles de clientes, su nombre (``nombres_perfiles``); la bitácora, cada
cambio de esos nombres (acción «cambiar configuración»). Al suprimir a una persona, las palabras de
sus textos (sus comentarios, las notas de auditoría sobre sus contactos y sus atributos) que aparecen
en esos lugares y que **nadie más** usa se quitan (``palabras_exclusivas`` antes de los cambios,
``limpiar_derivados`` después, en la misma transacción):

- de las palabras de un tema se quita cada término con una de esas raíces (y el tema, si no le queda
  ninguno); un nombre de tema que las cita vuelve al automático (NULL);
- un nombre de perfil que las cita se borra (el perfil vuelve a su nombre automático);
- en la bitácora, cada una de esas palabras pasa a ser ``SUPRIMIDO``.

«Nadie más la usa»: ningún comentario, nota de auditoría ni atributo de otra persona tiene una palabra
que empiece por esa raíz (sin tildes ni mayúsculas). En el modo Spark los textos (suyos y de los demás)
se leen también de los Parquet del lago, donde viven los datos de servicio. Lo que se recalcula con los
datos (temas y perfiles ajustados, cachés de las páginas) se rehace solo: la supresión sube la versión
de los datos.
"""

import re
from dataclasses import dataclass

import duckdb

from analisis.texto import PATRON_PALABRA, normalizar, quitar_raices, raices
from datos.motores.lago_cargas import Lago
from datos.personas import lago as en_lago

__all__ = ["palabras_exclusivas", "limpiar_derivados"]


@dataclass(frozen=True)
class _Texto:
    """Una columna con textos de personas: ``tabla``, ``columna`` (SQL sobre la fila ``t``) y la condición
    ``suyas`` que elige las filas de la persona preparada (``_fichas``, ``_contactos`` de ``lugares.preparar``)."""

    tabla: str
    columna: str
    suyas: str

    @property
    def ajenas(self) -> str:
        """La condición de las filas de las demás personas (también las que no tienen a nadie: NULL)."""
        return f"coalesce(NOT ({self.suyas}), true)"


_DE_SU_FICHA = "t.cliente_id IN (SELECT cliente_id FROM _fichas)"
_DE_SUS_CONTACTOS = "t.interaccion_id IN (SELECT interaccion_id FROM _contactos)"

#: Sus comentarios, las notas de auditoría sobre sus contactos y sus atributos (en el almacén y en el lago).
_TEXTOS = (
    _Texto("encuestas", "t.comentario", _DE_SU_FICHA),
    _Texto("auditorias", "t.comentario", _DE_SUS_CONTACTOS),
    _Texto("clientes", "CAST(t.atributos AS VARCHAR)", _DE_SU_FICHA),
)

#: Los textos derivados guardados (una columna de texto por consulta).
_DERIVADOS = (
    "SELECT palabras FROM temas_comentarios WHERE palabras IS NOT NULL",
    "SELECT nombre FROM temas_comentarios WHERE nombre IS NOT NULL",
    "SELECT nombre FROM nombres_perfiles",
    "SELECT detalle FROM bitacora WHERE accion = 'cambiar configuración' AND detalle IS NOT NULL",
)


def _derivados(con: duckdb.DuckDBPyConnection) -> list[str]:
    """Los textos derivados guardados (``_DERIVADOS``)."""
    return [fila[0] for sql in _DERIVADOS for fila in con.execute(sql).fetchall()]


def _suyos(con: duckdb.DuckDBPyConnection, lago: Lago | None) -> list[str]:
    """Los textos de la persona preparada, del almacén y (si hay) de los Parquet del lago."""
    return [fila[0] for texto in _TEXTOS for fila in en_lago.filas(
        con, lago, texto.tabla, f"SELECT {texto.columna} FROM {{fuente}} AS t WHERE {texto.suyas} "
                                f"AND {texto.columna} IS NOT NULL")]


def _terminos(texto: str) -> set[str]:
    """Palabras normalizadas y raíces de ``texto`` (las palabras de un tema ya son raíces)."""
    return set(re.findall(PATRON_PALABRA, normalizar(texto))) | raices(texto)


def _usada_por_otros(con: duckdb.DuckDBPyConnection, lago: Lago | None, raiz: str) -> bool:
    """True si algún texto de otra persona (almacén o lago) tiene una palabra que empieza por ``raiz``."""
    patron = {"patron": r"\b" + re.escape(raiz)}
    return any(usada for texto in _TEXTOS for (usada,) in en_lago.filas(
        con, lago, texto.tabla, f"SELECT EXISTS (SELECT 1 FROM {{fuente}} AS t WHERE {texto.ajenas} "
                                f"AND regexp_matches(strip_accents(lower({texto.columna})), $patron))", patron))


def palabras_exclusivas(con: duckdb.DuckDBPyConnection, lago: Lago | None = None) -> frozenset[str]:
    """Raíces de palabras de la persona preparada que están en lo derivado guardado y nadie más usa.

    Se llama antes de cambiar sus filas (con ``_fichas`` y ``_contactos`` llenas, también con lo del
    ``lago`` si los datos viven allí: ``datos.personas.lago.completar``). Sus textos y los de los demás
    se leen del almacén y de los Parquet del ``lago``.
    """
    propias = frozenset().union(*(raices(t) for t in _suyos(con, lago)))
    if not propias:
        return frozenset()
    guardadas = set().union(*(_terminos(t) for t in _derivados(con)))
    return frozenset(r for r in propias & guardadas if not _usada_por_otros(con, lago, r))


def _sin_exclusivas(palabras: str, exclusivas: frozenset[str]) -> str:
    """Las palabras de un tema («a|b c|d») sin los términos que tienen alguna raíz de ``exclusivas``."""
    return "|".join(t for t in palabras.split("|") if not set(t.split()) & exclusivas)


def limpiar_derivados(con: duckdb.DuckDBPyConnection, exclusivas: frozenset[str]) -> int:
    """Quita ``exclusivas`` de temas, nombres de perfiles y bitácora (ver el módulo); devuelve las filas tocadas.

    Corre dentro de la transacción de la supresión.
    """
    if not exclusivas:
        return 0
    tocadas = 0
    for firma, nombre, palabras in con.execute("SELECT firma, nombre, palabras FROM temas_comentarios").fetchall():
        quedan = _sin_exclusivas(palabras or "", exclusivas)
        sin_nombre = nombre is not None and quitar_raices(nombre, exclusivas) != nombre
        if palabras and not quedan:
            con.execute("DELETE FROM temas_comentarios WHERE firma = ?", [firma])
        elif quedan != (palabras or "") or sin_nombre:
            con.execute("UPDATE temas_comentarios SET palabras = ?, nombre = ? WHERE firma = ?",
                        [quedan, None if sin_nombre else nombre, firma])
        else:
            continue
        tocadas += 1
    for firma, nombre in con.execute("SELECT firma, nombre FROM nombres_perfiles").fetchall():
        if quitar_raices(nombre, exclusivas) != nombre:
            con.execute("DELETE FROM nombres_perfiles WHERE firma = ?", [firma])
            tocadas += 1
    for fila, detalle in con.execute("SELECT rowid, detalle FROM bitacora WHERE accion = 'cambiar configuración' "
                                     "AND detalle IS NOT NULL").fetchall():
        limpio = quitar_raices(detalle, exclusivas)
        if limpio != detalle:
            con.execute("UPDATE bitacora SET detalle = ? WHERE rowid = ?", [limpio, fila])
            tocadas += 1
    return tocadas
