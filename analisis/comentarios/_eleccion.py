"""Número de temas: NMF y la estabilidad de sus palabras principales.

Se elige el número de temas de mayor **estabilidad** entre los candidatos (Greene, O'Callaghan y
Cunningham 2014): para cada k se ajusta NMF sobre una muestra de ``MUESTRA_ELECCION`` comentarios
y sobre ``REMUESTRAS_ESTABILIDAD`` submuestras del 80 %, y se mide el acuerdo de las
``PALABRAS_POR_TEMA`` palabras principales de cada tema (Jaccard medio tras emparejar los temas
con el método húngaro). Un k estable describe estructura real y no ruido del muestreo; entre los
casi tan estables como el mejor se queda el mayor.
"""

import warnings
from collections.abc import Iterable

import numpy as np
from scipy.optimize import linear_sum_assignment
from sklearn.decomposition import NMF
from sklearn.exceptions import ConvergenceWarning

from analisis.errores import MuestraInsuficiente


#: Comentarios sobre los que se elige el número de temas.
MUESTRA_ELECCION = 2_000
#: Submuestras del 80 % con que se mide la estabilidad de cada número de temas.
REMUESTRAS_ESTABILIDAD = 3
#: Estabilidad, relativa a la del número más estable, con la que otro número de temas cuenta como igual de estable.
PARTE_DE_LA_MEJOR = 0.9
#: Palabras principales que se guardan por tema.
PALABRAS_POR_TEMA = 10


def modelo_nmf(k: int, semilla: int, iteraciones: int = 400) -> NMF:
    """NMF con arranque nndsvda (determinista) y pérdida de Frobenius."""
    return NMF(n_components=k, init="nndsvda", random_state=semilla, max_iter=iteraciones, tol=1e-4)


#: Peso mínimo de un término, relativo al de mayor peso de su tema, para contarse entre sus palabras principales.
PESO_MINIMO_RELATIVO = 0.05


def principales(componentes: np.ndarray, t: int = PALABRAS_POR_TEMA, *,
                minimo_relativo: float = PESO_MINIMO_RELATIVO) -> list[np.ndarray]:
    """Índices de los (como mucho) ``t`` términos de mayor peso de cada tema, sin los de peso despreciable
    (menos de ``minimo_relativo`` del mayor; la estabilidad compara siempre ``t`` términos: 0).

    >>> [x.tolist() for x in principales(np.array([[0.0, 3.0, 1.0, 0.01]]), 3)]
    [[1, 2]]
    """
    return [orden[fila[orden] >= minimo_relativo * fila.max()]
            for fila, orden in ((fila, np.argsort(-fila, kind="stable")[:t]) for fila in componentes)]


def _acuerdo(a: list[np.ndarray], b: list[np.ndarray]) -> float:
    """Jaccard medio entre las listas de palabras de dos ajustes, emparejando sus temas (método húngaro)."""
    conjuntos_a, conjuntos_b = [set(x) for x in a], [set(x) for x in b]
    similitud = np.array([[len(x & y) / len(x | y) for y in conjuntos_b] for x in conjuntos_a])
    filas, columnas = linear_sum_assignment(-similitud)
    return float(similitud[filas, columnas].mean())


def _estabilidad(matriz, candidatos: Iterable[int], semilla: int) -> dict[int, float]:
    """Estabilidad de cada número de temas (Greene y otros 2014) sobre una submuestra de ``MUESTRA_ELECCION`` filas."""
    rng = np.random.default_rng(semilla)
    if matriz.shape[0] > MUESTRA_ELECCION:
        matriz = matriz[rng.choice(matriz.shape[0], MUESTRA_ELECCION, replace=False)]
    n = matriz.shape[0]
    submuestras = [rng.choice(n, int(0.8 * n), replace=False) for _ in range(REMUESTRAS_ESTABILIDAD)]
    resultado = {}
    with warnings.catch_warnings():  # ajustes rápidos (200 iteraciones): basta con sus palabras principales
        warnings.simplefilter("ignore", ConvergenceWarning)
        for k in candidatos:
            referencia = principales(modelo_nmf(k, semilla, 200).fit(matriz).components_, minimo_relativo=0)
            resultado[k] = float(np.mean([_acuerdo(referencia, principales(modelo_nmf(k, semilla, 200).fit(
                matriz[filas]).components_, minimo_relativo=0)) for filas in submuestras]))
    return resultado


def ajustar_nmf(matriz, n_temas: int | None, semilla: int, candidatos: Iterable[int]) -> tuple[NMF, dict[int, float]]:
    """NMF con ``n_temas`` temas o, si es None, con el número elegido entre ``candidatos`` (y la estabilidad de cada uno).

    Entre los casi tan estables como el mejor (``PARTE_DE_LA_MEJOR`` de su estabilidad) se queda el de más
    temas: un asunto del que hablan pocos (la piscina, el ruido) no se funde con otro. Caben como mucho la
    mitad de términos del vocabulario y un tema por cada 10 filas (oraciones).
    """
    tope = max(2, min(matriz.shape[1] // 2, matriz.shape[0] // 10))
    estabilidad = {}
    if n_temas is None:
        estabilidad = _estabilidad(matriz, [k for k in candidatos if 2 <= k <= tope] or [2], semilla)
        mejor = max(estabilidad.values())
        n_temas = max(k for k, valor in estabilidad.items() if valor >= PARTE_DE_LA_MEJOR * mejor - 1e-9)
    elif n_temas > tope:
        raise MuestraInsuficiente(f"Con estos comentarios caben como mucho {tope} temas; se pidieron {n_temas}.")
    return modelo_nmf(n_temas, semilla).fit(matriz), estabilidad
