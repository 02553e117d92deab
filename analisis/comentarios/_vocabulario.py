"""Vocabulario de los comentarios: textos limpios sin repetir, lotes y el TF-IDF de los temas.

La limpieza de cada texto (datos personales fuera, minúsculas, sin tildes ni palabras vacías) es
la de ``analisis.texto``; aquí está lo que los temas y el sentimiento comparten para leer muchos
comentarios: cada texto distinto se procesa una vez, en lotes de ``LOTE``.

Los temas hablan **de qué** se habla, no de cómo le fue al cliente: ``TerminosTema`` da las raíces
(``analisis.texto.raiz``) de las palabras que no son vacías ni de tono (``palabras_de_tono``:
«excelente», «pésimo», «amable»…) y los pares de raíces seguidas dentro de una cláusula.
"""

import re
from collections.abc import Iterable, Iterator, Sequence

import numpy as np
import pandas as pd
from sklearn.feature_extraction.text import TfidfVectorizer

from analisis.texto import Terminos, limpiar, palabras_de_tono, palabras_vacias, raiz


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


class TerminosTema:
    """Analizador de textos normalizados para los temas: raíces sin palabras vacías ni de tono, y sus pares.

    >>> TerminosTema()("la entrega llego tarde | excelente atencion del repartidor")
    ['entreg', 'lleg', 'tard', 'entreg lleg', 'lleg tard', 'atencion', 'repartidor', 'atencion repartidor']
    """

    def __init__(self):
        self.palabras = Terminos(palabras_vacias(), emojis=False)
        self.tono = palabras_de_tono()

    def __call__(self, texto: str) -> list[str]:
        terminos = []
        for clausula in texto.split("|"):
            raices = [r for r in (raiz(p) for p in self.palabras.palabras(clausula)) if r not in self.tono]
            terminos += raices + [f"{a} {b}" for a, b in zip(raices, raices[1:])]
        return terminos


def vectorizador_temas(n: int, vocabulario: Iterable[str] | None = None) -> TfidfVectorizer:
    """TF-IDF de ``TerminosTema``; ignora lo que aparece en menos de 2 comentarios (3 con 5.000 o más) o en más de
    la mitad, y guarda los ``n`` términos más frecuentes (entre 3.000 y 20.000): más no cambia los temas y
    multiplica el tiempo del ajuste. Con ``vocabulario`` cuenta solo esos términos."""
    if vocabulario is not None:
        return TfidfVectorizer(analyzer=TerminosTema(), vocabulary=sorted(vocabulario), sublinear_tf=True,
                               dtype=np.float64)
    return TfidfVectorizer(analyzer=TerminosTema(), min_df=2 if n < 5_000 else 3, max_df=0.5,
                           max_features=min(20_000, max(3_000, n)), sublinear_tf=True, dtype=np.float64)


#: Fin de una oración: los temas se ajustan por oraciones, que suelen tratar un solo asunto.
_FIN_DE_ORACION = re.compile(r"[.!?¡¿;\n]+")


def oraciones(textos: Sequence) -> tuple[np.ndarray, list[str]]:
    """(índice del texto de cada oración, oraciones con alguna letra) de unos textos originales.

    >>> oraciones(["El desayuno, variado. La piscina sucia!", None, "ok"])
    (array([0, 0, 2]), ['El desayuno, variado', ' La piscina sucia', 'ok'])
    """
    indices, partes = [], []
    for i, texto in enumerate(textos):
        for parte in _FIN_DE_ORACION.split(str(texto) if isinstance(texto, str) else ""):
            if any(c.isalpha() for c in parte):
                indices.append(i)
                partes.append(parte)
    return np.array(indices, dtype=int), partes
