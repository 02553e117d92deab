"""Adaptación al dominio sin etiquetas: autoentrenamiento con los comentarios sin nota del destino.

El sentimiento se aprende de comentarios calificados, pero se usa en comentarios que pueden ser de otro
negocio u otra época (reseñas de hoteles → restaurantes; o comentarios sin nota de la propia
organización). ``ajustar_adaptado`` hace **adaptación de dominio no supervisada** (autoentrenamiento,
Yarowsky 1995; pseudoetiquetas, Lee 2013), sin mirar ninguna nota del destino:

1. el vocabulario del TF-IDF (``RasgosTono``) se aprende de los textos calificados **y** de los sin nota,
   para que existan los rasgos propios del destino;
2. un modelo de **origen** (regresión logística equilibrada) aprende de los textos calificados;
3. ese modelo etiqueta los textos sin nota y se toma, de cada tono predicho, la ``PARTE_SEGURA`` más
   segura (pseudoetiquetas);
4. un modelo de **destino** aprende solo de esas pseudoetiquetas (sus palabras propias: «comida sosa»);
5. la probabilidad de positivo es la media de ambos modelos (``Promedio``).

Con menos de ``MINIMO_SIN_NOTA`` textos sin nota, o menos de ``MINIMO_POR_CLASE`` pseudoetiquetas
de un tono, queda el modelo de origen solo. Medido en ``benchmarks/comentarios_dominios.py``.
"""

from collections.abc import Callable, Sequence

import numpy as np
from sklearn.feature_extraction.text import TfidfVectorizer
from sklearn.linear_model import LogisticRegression
from sklearn.pipeline import Pipeline

#: Textos sin nota mínimos para adaptar el modelo a ellos.
MINIMO_SIN_NOTA = 200
#: Parte de los textos sin nota de cada tono predicho (los más seguros) que se toma como pseudoetiqueta.
PARTE_SEGURA = 0.5


class Promedio:
    """Media de la probabilidad de varios clasificadores ya entrenados sobre los mismos rasgos."""

    def __init__(self, modelos: Sequence):
        self.modelos = list(modelos)

    def predict_proba(self, rasgos) -> np.ndarray:
        """Media de ``predict_proba`` de los modelos: matriz (textos × 2 clases)."""
        return np.mean([modelo.predict_proba(rasgos) for modelo in self.modelos], axis=0)


def pseudoetiquetas(probabilidades: np.ndarray, *, parte: float = PARTE_SEGURA) -> tuple[np.ndarray, np.ndarray]:
    """(índices, etiquetas 0/1) de la ``parte`` más segura de cada tono predicho (positivo si p ≥ 0,5).

    >>> indices, etiquetas = pseudoetiquetas(np.array([0.9, 0.6, 0.4, 0.05]))
    >>> indices.tolist(), etiquetas.tolist()
    ([0, 3], [1, 0])
    """
    positivos, negativos = np.flatnonzero(probabilidades >= 0.5), np.flatnonzero(probabilidades < 0.5)
    seguros_pos = positivos[np.argsort(-probabilidades[positivos], kind="stable")][: int(parte * len(positivos))]
    seguros_neg = negativos[np.argsort(probabilidades[negativos], kind="stable")][: int(parte * len(negativos))]
    return np.r_[seguros_pos, seguros_neg], np.r_[np.ones(len(seguros_pos), int), np.zeros(len(seguros_neg), int)]


def ajustar_adaptado(rasgos: TfidfVectorizer, modelo: Callable[[], LogisticRegression], x: Sequence[str],
                     y: np.ndarray, sin_nota: Sequence[str], *, minimo_por_clase: int) -> Pipeline:
    """Pipeline (``rasgos`` → modelo) entrenado en ``x``/``y`` y adaptado a los textos ``sin_nota`` (ver el módulo).

    ``modelo`` fabrica un clasificador nuevo sin entrenar; ``rasgos`` es un vectorizador sin entrenar.
    """
    if len(sin_nota) < MINIMO_SIN_NOTA:
        return Pipeline([("rasgos", rasgos), ("modelo", modelo())]).fit(list(x), y)
    matriz = rasgos.fit_transform(list(x) + list(sin_nota))
    origen, destino = matriz[: len(x)], matriz[len(x):]
    de_origen = modelo().fit(origen, y)
    indices, etiquetas = pseudoetiquetas(de_origen.predict_proba(destino)[:, 1])
    if min(int(etiquetas.sum()), int((1 - etiquetas).sum())) < minimo_por_clase:
        return Pipeline([("rasgos", rasgos), ("modelo", de_origen)])
    de_destino = modelo().fit(destino[indices], etiquetas)
    return Pipeline([("rasgos", rasgos), ("modelo", Promedio([de_origen, de_destino]))])
