"""Umbral de privacidad por segmento: las cifras de grupos demasiado pequeños no se muestran.

Es distinto de la muestra mínima estadística: una cifra con pocos casos puede
señalar a personas concretas (un equipo de dos, una sucursal con cinco
clientes), así que por debajo del umbral se borra, no solo se marca.
"""

from collections.abc import Sequence

import pandas as pd

__all__ = ["ocultar_pequenos"]


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
