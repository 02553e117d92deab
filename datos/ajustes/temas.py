"""Nombres y uniones de los temas de comentarios (tabla ``temas_comentarios``, migración 10).

Cada tema de ``analisis.comentarios`` tiene una firma (huella de sus palabras principales) y sus
palabras; con ellas se guarda el nombre que un usuario le da y el tema en que decidió fundirlo
(``unir_con``, la firma del destino). Al reajustar los temas, cada uno hereda lo guardado del tema
guardado más parecido (``analisis.comentarios.con_guardados``). La lectura es
``datos.consultas.comentarios.temas_comentarios``.

Guardar un nombre **no** aumenta ``configuracion.version_datos``: no cambia ningún dato y subir la
versión vaciaría la caché de todas las páginas (y obligaría a reajustar los temas) solo por una
etiqueta. Por eso la página lee los nombres sin caché (igual que los nombres de perfiles). Cada nombre
o unión que cambia queda en la bitácora con su valor anterior y el nuevo
(``datos.cuentas.configuracion.anotar_cambio``).
"""

from collections.abc import Iterable

import duckdb

from datos.almacen.transaccion import transaccion
from datos.cuentas.configuracion import anotar_cambio

__all__ = ["guardar_temas", "LARGO_MAXIMO"]

#: Largo máximo del nombre de un tema.
LARGO_MAXIMO = 80


def _validar(firma, nombre, unir_con, palabras) -> None:
    """Falla con un mensaje claro si una fila no es (firma, nombre | None, unir_con | None, palabras)."""
    if not isinstance(firma, str) or not firma:
        raise ValueError("'filas': cada firma debe ser un texto no vacío")
    if nombre is not None and not (isinstance(nombre, str) and 0 < len(nombre) <= LARGO_MAXIMO):
        raise ValueError(f"'filas': cada nombre debe ser None o un texto de 1 a {LARGO_MAXIMO} caracteres")
    if unir_con is not None and not (isinstance(unir_con, str) and unir_con and unir_con != firma):
        raise ValueError("'filas': 'unir_con' debe ser None o la firma de otro tema")
    if not isinstance(palabras, str):
        raise ValueError("'filas': 'palabras' debe ser un texto")


def _anotar_cambios(con: duckdb.DuckDBPyConnection, filas: list[tuple], autor: str) -> None:
    """Anota a nombre de ``autor`` cada nombre o unión de ``filas`` que difiere de lo guardado."""
    guardado = {f[0]: f[1:] for f in con.execute(
        "SELECT firma, nombre, unir_con, palabras FROM temas_comentarios").fetchall()}
    rotulos = {firma: nombre or palabras.replace("|", ", ")
               for firma, (nombre, _, palabras) in (guardado | {f[0]: f[1:] for f in filas}).items()}
    for firma, nombre, unir_con, palabras in filas:
        antes_nombre, antes_union, _ = guardado.get(firma, (None, None, ""))
        tema = f"tema «{palabras.replace('|', ', ')}»"
        if antes_nombre != nombre:
            anotar_cambio(con, autor, f"Nombre del {tema}", antes_nombre, nombre)
        if antes_union != unir_con:
            anotar_cambio(con, autor, f"Unión del {tema}", rotulos.get(antes_union, antes_union),
                          rotulos.get(unir_con, unir_con))


def guardar_temas(con: duckdb.DuckDBPyConnection, filas: Iterable[tuple[str, str | None, str | None, str]], *,
                  autor: str) -> int:
    """Guarda nombres y uniones de temas en una sola transacción; devuelve cuántas filas se escribieron.

    Cada fila es ``(firma, nombre, unir_con, palabras)`` (ver
    ``analisis.comentarios.cambios_de_temas``) y reemplaza lo guardado para esa firma: sin nombre,
    el tema vuelve a su nombre automático; sin ``unir_con``, queda suelto. Las filas sin nombre
    ni unión se guardan igual: sus palabras permiten reconocer al tema destino de una unión.
    Cada nombre o unión que cambia queda en la bitácora a nombre de ``autor``.

    >>> from datos.almacen import Almacen
    >>> almacen = Almacen(":memory:")
    >>> filas = [("f1", "Retrasos", None, "entrega|tarde"), ("f2", None, "f1", "demora")]
    >>> guardar_temas(almacen.cursor(), filas, autor="ana")
    2
    """
    filas = list(filas)
    for fila in filas:
        _validar(*fila)
    with transaccion(con):
        _anotar_cambios(con, filas, autor)
        for fila in filas:
            con.execute(
                "INSERT INTO temas_comentarios (firma, nombre, unir_con, palabras) VALUES (?, ?, ?, ?) "
                "ON CONFLICT (firma) DO UPDATE SET nombre = excluded.nombre, unir_con = excluded.unir_con, "
                "palabras = excluded.palabras, actualizado = now()", list(fila))
    return len(filas)
