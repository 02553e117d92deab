"""Agrupamiento: k-medias sobre una muestra, el número de grupos, su estabilidad y el mapa.

1. k-medias (k-means++ y Lloyd, ``sklearn.cluster.KMeans``, ``ARRANQUES`` arranques) con semilla
   fija; el llamador lo corre en un solo hilo. Con más de ``MUESTRA_AJUSTE`` clientes se ajusta
   sobre una muestra aleatoria de ese tamaño y después se asigna a todos al centro más cercano.
2. **Número de grupos**: k = 2…``K_MAXIMO`` (y como mucho un grupo por cada ``CLIENTES_POR_GRUPO``
   clientes); se sugiere el de mayor silueta media (Rousseeuw 1987) sobre ``MUESTRA_SILUETA`` clientes.
3. **Estabilidad**: índice de Rand ajustado (Hubert y Arabie 1985) entre el agrupamiento y los
   reajustes sobre ``REMUESTRAS`` remuestras bootstrap (Lange et al. 2004; Hennig 2007).
4. **Mapa**: componentes principales ajustados sobre la muestra y dibujados sobre ``MUESTRA_MAPA`` clientes.
"""

from dataclasses import dataclass

import numpy as np
import pandas as pd
from sklearn.cluster import KMeans
from sklearn.decomposition import PCA
from sklearn.metrics import adjusted_rand_score, silhouette_score

from analisis.errores import MuestraInsuficiente


#: Mayor número de grupos que se prueba o se admite.
K_MAXIMO = 8
#: Se prueba como mucho un grupo por cada tantos clientes.
CLIENTES_POR_GRUPO = 10
#: Mínimo de clientes para formar perfiles (dos grupos de ``CLIENTES_POR_GRUPO``).
MINIMO_CLIENTES = 2 * CLIENTES_POR_GRUPO
#: Clientes con que se ajusta k-medias; los demás se asignan al centro más cercano.
MUESTRA_AJUSTE = 20_000
#: Clientes con que se calcula la silueta de cada k.
MUESTRA_SILUETA = 3_000
#: Puntos que se dibujan en el mapa.
MUESTRA_MAPA = 5_000
#: Remuestras bootstrap para medir la estabilidad.
REMUESTRAS = 20
#: Arranques de k-medias (se queda el de menor inercia); en cada remuestra, menos.
ARRANQUES, ARRANQUES_REMUESTRA = 10, 3


def k_maximo(n: int) -> int:
    """Mayor k que se prueba con ``n`` clientes: ``K_MAXIMO`` y un grupo por cada ``CLIENTES_POR_GRUPO``.

    >>> k_maximo(35), k_maximo(10_000)
    (3, 8)
    """
    return min(K_MAXIMO, n // CLIENTES_POR_GRUPO)


def _kmedias(matriz: np.ndarray, k: int, semilla: int, arranques: int = ARRANQUES) -> KMeans:
    """k-medias reproducible sobre ``matriz``."""
    return KMeans(n_clusters=k, n_init=arranques, random_state=semilla).fit(matriz)


def _silueta(matriz: np.ndarray, etiquetas: np.ndarray, semilla: int) -> float:
    """Silueta media sobre una muestra de ``MUESTRA_SILUETA`` filas (NaN si queda un solo grupo)."""
    if len(np.unique(etiquetas)) < 2:
        return float("nan")
    muestra = MUESTRA_SILUETA if len(matriz) > MUESTRA_SILUETA else None
    return float(silhouette_score(matriz, etiquetas, sample_size=muestra, random_state=semilla))


def estabilidad(matriz: np.ndarray, modelo: KMeans, semilla: int) -> tuple[float, ...]:
    """ARI entre el modelo y k-medias reajustado en cada remuestra bootstrap de ``matriz``."""
    rng = np.random.default_rng(semilla)
    referencia = modelo.predict(matriz)
    valores = []
    for remuestra in range(REMUESTRAS):
        indices = rng.integers(0, len(matriz), len(matriz))
        otro = _kmedias(matriz[indices], modelo.n_clusters, semilla + 1 + remuestra, ARRANQUES_REMUESTRA)
        valores.append(float(adjusted_rand_score(referencia, otro.predict(matriz))))
    return tuple(valores)


def ordenar_por_tamano(etiquetas: np.ndarray, k: int) -> np.ndarray:
    """Renumera los grupos de mayor a menor tamaño (empates: el número original)."""
    tamanos = np.bincount(etiquetas, minlength=k)
    orden = sorted(range(k), key=lambda g: (-tamanos[g], g))
    nuevo = np.empty(k, dtype=np.int64)
    nuevo[orden] = np.arange(k)
    return nuevo[etiquetas]


@dataclass(frozen=True)
class Agrupamiento:
    """k-medias elegido, la muestra con que se ajustó, la silueta de cada candidato y el k sugerido."""

    modelo: KMeans
    muestra: np.ndarray
    silueta: dict[int, float]
    k_sugerido: int


def agrupar(matriz: np.ndarray, k: int | None, semilla: int) -> Agrupamiento:
    """Ajusta k-medias para cada k candidato sobre la muestra de ajuste y elige el de ``k`` o el de mayor silueta."""
    n = len(matriz)
    rng = np.random.default_rng(semilla)
    muestra = matriz[np.sort(rng.choice(n, MUESTRA_AJUSTE, replace=False))] if n > MUESTRA_AJUSTE else matriz
    distintos = len(np.unique(muestra, axis=0))
    candidatos = range(2, min(k_maximo(n), distintos) + 1)
    if not candidatos or (k is not None and k > distintos):
        raise MuestraInsuficiente("Los clientes son casi idénticos en las variables elegidas: no hay suficientes "
                                  "combinaciones distintas para formar perfiles. Añada otras variables.")
    modelos = {c: _kmedias(muestra, c, semilla) for c in candidatos}
    silueta = {c: _silueta(muestra, m.labels_, semilla) for c, m in modelos.items()}
    sugerido = max(candidatos, key=lambda c: (np.nan_to_num(silueta[c], nan=-2.0), -c))
    return Agrupamiento(modelos[k or sugerido], muestra, silueta, sugerido)


def mapa_pca(matriz: np.ndarray, muestra: np.ndarray, etiquetas: np.ndarray,
          semilla: int) -> tuple[pd.DataFrame, tuple[float, float]]:
    """Coordenadas PCA de una muestra de ``MUESTRA_MAPA`` clientes y la varianza que explica cada eje."""
    pca = PCA(n_components=2, random_state=semilla).fit(muestra)
    n = len(matriz)
    filas = (np.sort(np.random.default_rng(semilla + 1).choice(n, MUESTRA_MAPA, replace=False))
             if n > MUESTRA_MAPA else np.arange(n))
    xy = pca.transform(matriz[filas])
    mapa = pd.DataFrame({"fila": filas, "x": xy[:, 0], "y": xy[:, 1], "grupo": etiquetas[filas]})
    varianza = pca.explained_variance_ratio_
    return mapa, (float(varianza[0]), float(varianza[1]))
