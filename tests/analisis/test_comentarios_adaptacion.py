"""Adaptación del sentimiento, sin notas, a los textos de otro dominio (``analisis.comentarios._adaptacion``)."""

import numpy as np
from sklearn.linear_model import LogisticRegression

from analisis import comentarios as cm
from analisis.comentarios._adaptacion import MINIMO_SIN_NOTA, Promedio, pseudoetiquetas
from analisis.comentarios._sentimiento import _ajustar
from analisis.texto import limpiar


def test_pseudoetiquetas_toma_la_mitad_mas_segura_de_cada_tono():
    indices, etiquetas = pseudoetiquetas(np.array([0.55, 0.99, 0.8, 0.7, 0.45, 0.01, 0.3, 0.2]))
    assert indices.tolist() == [1, 2, 5, 7] and etiquetas.tolist() == [1, 1, 0, 0]
    indices, etiquetas = pseudoetiquetas(np.array([]))
    assert len(indices) == 0 and len(etiquetas) == 0


def _polares(n: int, negativa: str, positiva: str) -> tuple[list[str], np.ndarray]:
    """``n`` textos negativos y ``n`` positivos numerados (para que no se repitan) con su etiqueta 0/1."""
    return ([f"{negativa} {i}" for i in range(n)] + [f"{positiva} {i}" for i in range(n)],
            np.r_[np.zeros(n, int), np.ones(n, int)])


def test_adaptacion_aprende_las_palabras_del_destino():
    """Los textos sin nota traen palabras que el origen no vio («tibia», «casera») junto a palabras de tono: el
    modelo adaptado las aprende; con pocos textos sin nota queda el modelo de origen solo."""
    x, y = _polares(150, "servicio pesimo", "servicio excelente")
    destino, _ = _polares(150, "comida pesima y tibia", "comida excelente y casera")
    adaptado = _ajustar(limpiar(x), y, limpiar(destino), 0)
    assert isinstance(adaptado["modelo"], Promedio) and len(adaptado["modelo"].modelos) == 2
    assert "tibi" in adaptado["rasgos"].vocabulary_
    probabilidad = adaptado["modelo"].predict_proba(adaptado["rasgos"].transform(limpiar(["tibia", "casera"])))[:, 1]
    assert probabilidad[0] < 0.5 < probabilidad[1]
    solo_origen = _ajustar(limpiar(x), y, limpiar(destino[:MINIMO_SIN_NOTA - 1]), 0)
    assert isinstance(solo_origen["modelo"], LogisticRegression) and "tibi" not in solo_origen["rasgos"].vocabulary_


def test_entrenar_sentimiento_con_textos_sin_nota():
    x, y = _polares(150, "servicio pesimo", "servicio excelente")
    destino, _ = _polares(150, "comida pesima y tibia", "comida excelente y casera")
    notas = np.where(y == 1, 5, 1)
    adaptado = cm.entrenar_sentimiento(x, notas, sin_nota=destino)
    assert adaptado.predecir(["tibia", "casera"]).tolist() == ["negativo", "positivo"]
    assert cm.entrenar_sentimiento(x, notas).predecir(["tibia"]).tolist() == ["neutral"]  # palabra desconocida

