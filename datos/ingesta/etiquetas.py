"""La escala de etiquetas editable: palabras («Excelente», «Sí») que una carga convierte en números.

La tabla ``escala_etiquetas`` guarda (escala, etiqueta normalizada, valor); la validación la lee con
``datos.ingesta.validacion.etiquetas_por_escala`` y la página «Cargar datos» la edita con estas funciones.
"""

import duckdb
import pandas as pd

from datos.almacen.transaccion import transaccion
from datos.ingesta.lectura import normalizar
from datos.ingesta.validacion import ESCALAS

__all__ = ["tabla_de_etiquetas", "guardar_etiquetas"]


def tabla_de_etiquetas(con: duckdb.DuckDBPyConnection) -> pd.DataFrame:
    """Escala de etiquetas editable: ``escala``, ``etiqueta`` (normalizada) y ``valor``."""
    return con.execute("SELECT escala, etiqueta, valor FROM escala_etiquetas ORDER BY escala, valor, etiqueta").df()


def guardar_etiquetas(con: duckdb.DuckDBPyConnection, etiquetas: pd.DataFrame) -> int:
    """Reemplaza la escala de etiquetas por ``etiquetas`` (escala, etiqueta, valor); devuelve cuántas quedan.

    Raises
    ------
    ValueError
        Si una escala no existe, una etiqueta está vacía, un valor no es un número o hay repetidas.
    """
    filas = [_fila(escala, etiqueta, valor)
             for escala, etiqueta, valor in etiquetas[["escala", "etiqueta", "valor"]].itertuples(index=False)]
    if len({(e, t) for e, t, _ in filas}) != len(filas):
        raise ValueError("'etiquetas': hay etiquetas repetidas en una misma escala")
    with transaccion(con):
        con.execute("DELETE FROM escala_etiquetas")
        if filas:
            con.executemany("INSERT INTO escala_etiquetas VALUES (?, ?, ?)", [list(f) for f in filas])
    return len(filas)


def _fila(escala, etiqueta, valor) -> tuple[str, str, float]:
    """Una fila validada: escala conocida, etiqueta normalizada no vacía y valor numérico finito."""
    if escala not in ESCALAS:
        raise ValueError(f"'etiquetas': la escala {escala!r} no existe ({', '.join(ESCALAS)})")
    texto = normalizar(etiqueta or "")
    if not texto:
        raise ValueError("'etiquetas': hay una etiqueta vacía")
    try:
        cifra = float(valor)
    except (TypeError, ValueError):
        raise ValueError(f"'etiquetas': el valor de «{texto}» no es un número") from None
    if cifra != cifra or cifra in (float("inf"), float("-inf")):
        raise ValueError(f"'etiquetas': el valor de «{texto}» no es un número")
    return escala, texto, cifra
