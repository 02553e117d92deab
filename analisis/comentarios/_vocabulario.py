"""Vocabulario de los comentarios: textos limpios sin repetir, lotes y el TF-IDF de los temas.

La limpieza de cada texto (datos personales fuera, minúsculas, sin tildes ni palabras vacías) es
la de ``analisis.texto``; aquí está lo que los temas y el sentimiento comparten para leer muchos
comentarios: cada texto distinto se procesa una vez, en lotes de ``LOTE``.
"""

from collections.abc import Iterable, Iterator

import numpy as np
import pandas as pd
from sklearn.feature_extraction.text import TfidfVectorizer

from analisis.texto import Terminos, limpiar, palabras_vacias


#: Filas por lote al asignar temas o sentimiento a muchos comentarios.
LOTE = 50_000


def textos_unicos(textos: Iterable, *, limpios: bool = False) -> tuple[np.ndarray, np.ndarray]:
    """(código de cada texto, textos limpios distintos): cada texto distinto se procesa una sola vez.

    ``limpios=True`` si los textos ya pasaron por ``analisis.texto.limpiar`` (no se limpian otra vez).

    >>> codigos, unicos = textos_unicos(["¡Bien!", "bien", None])
    >>> codigos.tolist(), list(unicos)
    ([0, 0, 1], ['bien', ''])
    """
    preparados = np.asarray(textos, dtype=object) if limpios else limpiar(textos)
    return pd.factorize(pd.Series(preparados, dtype=object))


def lotes(n: int) -> Iterator[slice]:
    """Tramos consecutivos de como mucho ``LOTE`` filas que cubren ``n`` filas.

    >>> [(t.start, t.stop) for t in lotes(120_000)]
    [(0, 50000), (50000, 100000), (100000, 150000)]
    """
    return (slice(inicio, inicio + LOTE) for inicio in range(0, n, LOTE))


def vectorizador_temas(n: int) -> TfidfVectorizer:
    """TF-IDF de palabras y pares sin palabras vacías ni emojis (``Terminos``); ignora lo que aparece en menos
    de 2 comentarios (3 con 5.000 o más) o en más de la mitad."""
    return TfidfVectorizer(analyzer=Terminos(palabras_vacias(), emojis=False), min_df=2 if n < 5_000 else 3, max_df=0.5,
                           max_features=20_000, sublinear_tf=True, dtype=np.float64)
