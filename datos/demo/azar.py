"""Sorteos vectorizados que usan todos los generadores de la demostración (numpy).

No conocen ninguna tabla: sortean categorías por grupo, muestras ponderadas, notas en una escala
entera, instantes que no pasan del último día y la peor y la mejor nota de cada fila.
"""

import numpy as np

from datos.demo.hechos import ULTIMO_SEGUNDO

__all__ = ["por_grupo", "muestra_ponderada", "nota", "sumar_sin_pasar", "extremos"]


def por_grupo(rng: np.random.Generator, grupo: np.ndarray, probabilidades: np.ndarray) -> np.ndarray:
    """Sortea una categoría por fila con la distribución de la fila ``grupo`` de ``probabilidades``."""
    salida = np.empty(grupo.size, dtype=np.int16)
    for g, p in enumerate(probabilidades):
        filas = np.flatnonzero(grupo == g)
        salida[filas] = rng.choice(p.size, size=filas.size, p=p / p.sum())
    return salida


def muestra_ponderada(rng: np.random.Generator, pesos: np.ndarray, k: int) -> np.ndarray:
    """Índices de ``k`` elementos distintos con probabilidad proporcional a ``pesos`` (Efraimidis y Spirakis 2006)."""
    if k == 0:
        return np.empty(0, dtype=np.int64)
    claves = np.log(rng.random(pesos.size)) / pesos
    return np.sort(np.argpartition(claves, pesos.size - k)[pesos.size - k:])


def nota(latente: np.ndarray, minimo: int, maximo: int) -> np.ndarray:
    """Redondea una variable latente a una escala entera cerrada."""
    return np.clip(np.rint(latente), minimo, maximo)


def sumar_sin_pasar(rng: np.random.Generator, segundos: np.ndarray, desfase: np.ndarray) -> np.ndarray:
    """Suma ``desfase`` a ``segundos``; si el resultado pasa del último día, sortea un instante entre ambos."""
    destino = segundos + desfase
    fuera = np.flatnonzero(destino > ULTIMO_SEGUNDO)
    destino[fuera] = segundos[fuera] + (rng.random(fuera.size) * (ULTIMO_SEGUNDO - segundos[fuera])).astype(np.int64)
    return destino


def extremos(rng: np.random.Generator, notas: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Columna de la nota más baja y de la más alta de cada fila, ignorando vacíos y con empates al azar."""
    desempate = rng.random(notas.shape) * 0.1
    peor = np.argmin(np.nan_to_num(notas, nan=99.0) + desempate, axis=1)
    mejor = np.argmax(np.nan_to_num(notas, nan=-99.0) + desempate, axis=1)
    return peor, mejor
