"""Sentimiento: un clasificador del tono de los comentarios aprendido de los comentarios calificados.

``entrenar_sentimiento`` aprende el tono de los comentarios calificados de la organización: una
nota baja (CSAT 1–2, NPS 0–6; ``analisis.escalas``) es un ejemplo negativo y una alta (CSAT 4–5,
NPS 9–10) uno positivo; las intermedias no enseñan (``tono_de_calificacion``). Rasgos: TF-IDF de
palabras (1 y 2 seguidas, conservando «no» y «nunca») y de n-gramas de caracteres de 2 a 5
(robustos a faltas y variantes: «tardísimo», «tardaron»); modelo: regresión logística con clases
equilibradas. **Validación**: se aparta el ``FRACCION_VALIDACION`` de los ejemplos (estratificado),
se mide la exactitud (con intervalo de Wilson, ``analisis.kpis.proporcion``) y la exactitud
equilibrada, y luego se reentrena con todos. El tono predicho es «positivo» si la probabilidad de
positivo es ≥ ``UMBRAL_TONO``, «negativo» si es ≤ 1 − umbral y «neutral» entre ambos. Con menos de
``MINIMO_CALIFICADOS`` ejemplos (o menos de ``MINIMO_POR_CLASE`` de alguna clase) no se entrena:
``MuestraInsuficiente``.
"""

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field

import numpy as np
import pandas as pd
from sklearn.feature_extraction.text import TfidfVectorizer
from sklearn.linear_model import LogisticRegression
from sklearn.metrics import balanced_accuracy_score
from sklearn.model_selection import train_test_split
from sklearn.pipeline import FeatureUnion, Pipeline
from threadpoolctl import threadpool_limits

from analisis.comentarios._tono import tono_de_calificacion, tonos_de_encuestas
from analisis.comentarios._vocabulario import lotes, textos_unicos
from analisis.errores import MuestraInsuficiente
from analisis.escalas import ESCALA_CSAT
from analisis.formato import numero
from analisis.kpis import proporcion
from analisis.texto import Terminos, limpiar


#: Ejemplos calificados (negativos + positivos) mínimos para aprender el sentimiento.
MINIMO_CALIFICADOS = 200
#: Ejemplos mínimos de cada clase (negativa y positiva).
MINIMO_POR_CLASE = 20
#: Probabilidad de positivo desde la que el tono es «positivo» (y 1 − umbral hasta la que es «negativo»).
UMBRAL_TONO = 0.65
#: Parte de los ejemplos calificados que se aparta para medir la exactitud.
FRACCION_VALIDACION = 0.2


@dataclass(frozen=True)
class ModeloSentimiento:
    """Clasificador del tono de un comentario, aprendido de comentarios calificados.

    Atributos: ``exactitud_validacion`` (proporción de aciertos negativo/positivo en los ejemplos
    apartados) con su intervalo de Wilson al 95 % (``ic_inf``, ``ic_sup``), ``exactitud_balanceada``
    (media de los aciertos de cada clase), ``n_validacion``, ``n_negativos`` y ``n_positivos``
    (ejemplos con que se reentrenó el modelo final) y ``umbral``.
    """

    exactitud_validacion: float
    ic_inf: float
    ic_sup: float
    exactitud_balanceada: float
    n_validacion: int
    n_negativos: int
    n_positivos: int
    umbral: float
    tuberia: Pipeline = field(repr=False, compare=False)

    def probabilidad_positiva(self, textos: Iterable, *, limpios: bool = False) -> np.ndarray:
        """Probabilidad de que cada texto sea positivo (textos vacíos: 0,5), por lotes y sin repetir textos.

        ``limpios=True`` si los textos ya pasaron por ``analisis.texto.limpiar`` (no se limpian otra vez).
        """
        codigos, unicos = textos_unicos(textos, limpios=limpios)
        probabilidades = np.full(len(unicos), 0.5)
        with threadpool_limits(limits=1):
            for lote in lotes(len(unicos)):
                probabilidades[lote] = self.tuberia.predict_proba(list(unicos[lote]))[:, 1]
        probabilidades[np.asarray(unicos == "")] = 0.5
        return probabilidades[codigos] if len(codigos) else np.array([])

    def predecir(self, textos: Iterable, *, limpios: bool = False) -> np.ndarray:
        """Tono de cada texto: 'negativo', 'neutral' o 'positivo' (un texto vacío es 'neutral')."""
        p = self.probabilidad_positiva(textos, limpios=limpios)
        return np.select([p >= self.umbral, p <= 1 - self.umbral], ["positivo", "negativo"], "neutral").astype(object)


def tuberia_sentimiento(semilla: int) -> Pipeline:
    """TF-IDF de palabras (1–2) y de caracteres (2–5) + regresión logística con clases equilibradas."""
    palabras = TfidfVectorizer(analyzer=Terminos(frozenset()), min_df=2, sublinear_tf=True, dtype=np.float32)
    caracteres = TfidfVectorizer(analyzer="char_wb", ngram_range=(2, 5), min_df=2, sublinear_tf=True,
                                 lowercase=False, max_features=300_000, dtype=np.float32)
    modelo = LogisticRegression(C=4.0, class_weight="balanced", solver="liblinear", max_iter=1000,
                                random_state=semilla)
    return Pipeline([("rasgos", FeatureUnion([("palabras", palabras), ("caracteres", caracteres)])),
                     ("modelo", modelo)])


def _entrenar(textos: Iterable, tonos: np.ndarray, *, minimo: int, semilla: int, umbral: float) -> ModeloSentimiento:
    """Valida con una partición estratificada y reentrena con todos los ejemplos negativos y positivos."""
    if not 0.5 < umbral < 1:
        raise ValueError("'umbral' debe estar entre 0,5 y 1")
    if minimo < 2 * MINIMO_POR_CLASE:
        raise ValueError(f"'minimo' debe ser al menos {2 * MINIMO_POR_CLASE}")
    limpios = limpiar(textos)
    if len(limpios) != len(tonos):
        raise ValueError("'textos' y 'calificaciones' deben tener el mismo largo")
    util = np.isin(tonos, ["negativo", "positivo"]) & (limpios != "")
    x, y = limpios[util], (tonos[util] == "positivo").astype(int)
    n_pos, n_neg = int(y.sum()), int((1 - y).sum())
    if len(y) < minimo or min(n_pos, n_neg) < MINIMO_POR_CLASE:
        raise MuestraInsuficiente(
            f"Para aprender el tono de los comentarios se necesitan al menos {numero(minimo, 0)} comentarios con nota "
            f"baja o alta (y {MINIMO_POR_CLASE} de cada una); hay {numero(n_neg, 0)} de nota baja y "
            f"{numero(n_pos, 0)} de nota alta. Por eso no se estima el sentimiento.")
    x_ent, x_val, y_ent, y_val = train_test_split(x, y, test_size=FRACCION_VALIDACION, stratify=y,
                                                  random_state=semilla)
    with threadpool_limits(limits=1):
        acierto = tuberia_sentimiento(semilla).fit(list(x_ent), y_ent).predict(list(x_val))
        final = tuberia_sentimiento(semilla).fit(list(x), y)
    exactitud = proporcion(int((acierto == y_val).sum()), len(y_val))
    return ModeloSentimiento(exactitud.valor, exactitud.ic_inf, exactitud.ic_sup,
                             float(balanced_accuracy_score(y_val, acierto)), len(y_val), n_neg, n_pos, umbral, final)


def entrenar_sentimiento(textos: Iterable, calificaciones: Iterable[float], escala: Sequence[float] = ESCALA_CSAT, *,
                         minimo: int = MINIMO_CALIFICADOS, semilla: int = 0,
                         umbral: float = UMBRAL_TONO) -> ModeloSentimiento:
    """Aprende el tono de los comentarios a partir de sus calificaciones (ver el método en el módulo).

    ``calificaciones`` va en ``escala`` ((1, 5) CSAT, (0, 10) NPS…; ver ``tono_de_calificacion``);
    las notas intermedias y vacías no se usan. Devuelve un ``ModeloSentimiento`` con
    ``predecir(textos)`` → 'negativo' | 'neutral' | 'positivo' y ``exactitud_validacion``.

    Raises
    ------
    MuestraInsuficiente
        Con menos de ``minimo`` ejemplos negativos + positivos o menos de ``MINIMO_POR_CLASE`` de uno.
    """
    return _entrenar(textos, tono_de_calificacion(calificaciones, escala), minimo=minimo, semilla=semilla,
                     umbral=umbral)


def entrenar_desde_encuestas(tabla: pd.DataFrame, *, minimo: int = MINIMO_CALIFICADOS, semilla: int = 0,
                             umbral: float = UMBRAL_TONO) -> ModeloSentimiento:
    """Como ``entrenar_sentimiento``, con ``comentario`` y el tono de CSAT o, si falta, de NPS.

    Ver ``tonos_de_encuestas``.
    """
    return _entrenar(tabla["comentario"], tonos_de_encuestas(tabla), minimo=minimo, semilla=semilla, umbral=umbral)
