"""Umbral de privacidad por segmento: las cifras de grupos demasiado pequeños no se muestran.

Es distinto de la muestra mínima estadística: una cifra con pocos casos puede
señalar a personas concretas (un equipo de dos, una sucursal con cinco
clientes), así que por debajo del umbral se borra, no solo se marca.
"""

import hashlib
from collections.abc import Sequence

import pandas as pd

from analisis.texto import enmascarar_todos

__all__ = ["ocultar_pequenos", "seudonimo", "proteger_detalle"]


def ocultar_pequenos(tabla: pd.DataFrame, *, n: str | Sequence[str], columnas: Sequence[str],
                     minimo: int) -> pd.DataFrame:
    """Copia de ``tabla`` con ``columnas`` vacías (NaN) en las filas con menos de ``minimo`` casos.

    Parameters
    ----------
    tabla : una fila por grupo o por punto de una serie.
    n : columna (o columnas) con el número de casos; basta que una tenga entre 1 y ``minimo`` − 1.
        Las filas sin casos (n = 0) ya no muestran nada y se dejan como están.
    columnas : cifras que se borran en esas filas.
    minimo : umbral de privacidad (0 o 1: no se oculta nada).

    >>> t = pd.DataFrame({"grupo": ["A", "B"], "valor": [4.2, 3.1], "n": [50, 4]})
    >>> ocultar_pequenos(t, n="n", columnas=["valor"], minimo=10)["valor"].tolist()
    [4.2, nan]
    """
    if minimo < 0:
        raise ValueError("'minimo' no puede ser negativo")
    conteos = tabla[[n] if isinstance(n, str) else list(n)]
    pequenos = ((conteos > 0) & (conteos < minimo)).any(axis=1)
    copia = tabla.copy()
    copia.loc[pequenos, list(columnas)] = float("nan")
    return copia


def seudonimo(valor) -> str | None:
    """Un seudónimo estable de un identificador: el mismo cliente da siempre el mismo, sin revelar cuál es.

    >>> seudonimo("CLI-000123") == seudonimo("CLI-000123"), seudonimo("CLI-000123") != seudonimo("CLI-000124")
    (True, True)
    >>> seudonimo(None) is None
    True
    """
    if valor is None or (not isinstance(valor, str) and pd.isna(valor)):
        return None
    return "Cliente " + hashlib.blake2b(str(valor).encode(), digest_size=4).hexdigest()


def proteger_detalle(tabla: pd.DataFrame, *, mostrar_clientes: bool = False) -> pd.DataFrame:
    """Filas de detalle listas para mostrar o exportar: comentarios sin datos personales y, salvo
    ``mostrar_clientes``, el ``cliente_id`` cambiado por su seudónimo."""
    copia = tabla.copy()
    if "comentario" in copia:
        copia["comentario"] = enmascarar_todos(copia["comentario"])
    if "cliente_id" in copia and not mostrar_clientes:
        copia["cliente_id"] = copia["cliente_id"].map(seudonimo)
    return copia
