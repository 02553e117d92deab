"""Puntos de cambio en la media de una serie ponderada, sobre ``ruptures`` (PELT).

Partición óptima de la serie en tramos de media constante (PELT: Killick, Fearnhead y Eckley
2012, el método por defecto del paquete changepoint de R), con coste de mínimos cuadrados
ponderados por el tamaño de muestra de cada punto y penalización de 3·σ²·ln n por cambio, el
término principal del BIC modificado (MBIC) de Zhang y Siegmund (2007). σ² se estima de forma
robusta con la MAD de las diferencias sucesivas (que un cambio de nivel apenas altera) y nunca
por debajo de la varianza de muestreo conocida. ``ruptures`` busca la partición; aquí viven el
coste ponderado (que ``ruptures`` no trae), la estimación de σ² y la penalización.
"""

import math
from collections.abc import Sequence

import numpy as np
import ruptures

__all__ = ["puntos_de_cambio"]

#: Penalización por punto de cambio, en unidades de σ²·ln n (ver ``puntos_de_cambio``).
_FACTOR_PENALIZACION = 3


def _varianza_del_ruido(x: np.ndarray, pesos: np.ndarray) -> float:
    """σ² por unidad de peso, estimada con la MAD de las diferencias sucesivas estandarizadas.

    Si x_i tiene varianza σ²/w_i, d_i = (x_{i+1} − x_i)/√(1/w_i + 1/w_{i+1}) tiene varianza σ²
    mientras no haya cambio; la MAD (×1,4826) ignora los pocos d_i que cruzan un cambio.
    Si más de la mitad de las diferencias son cero, usa la desviación típica.
    """
    d = np.diff(x) / np.sqrt(1 / pesos[:-1] + 1 / pesos[1:])
    robusta = 1.4826 * np.median(np.abs(d - np.median(d)))
    return float(robusta**2 if robusta > 0 else np.std(d) ** 2)


class _CuadradosPonderados(ruptures.base.BaseCost):
    """Coste de un tramo para ``ruptures``: Σ w_i (x_i − media ponderada del tramo)², con sumas acumuladas.

    La señal trae dos columnas, los valores y sus pesos; los valores se centran antes de
    acumular para que las restas no pierdan precisión.
    """

    model = "cuadrados_ponderados"
    min_size = 1

    def fit(self, signal: np.ndarray) -> "_CuadradosPonderados":
        """Prepara las sumas acumuladas de w, w·x y w·x² de la señal (columnas: valor, peso)."""
        self.signal = signal
        x, w = signal[:, 0], signal[:, 1]
        centrado = x - np.average(x, weights=w)
        self._acumulados = [np.concatenate([[0.0], np.cumsum(v)]).tolist()
                            for v in (w, w * centrado, w * centrado**2)]
        return self

    def error(self, start: int, end: int) -> float:
        """Coste del tramo [start, end)."""
        w, wx, wx2 = self._acumulados
        suma = wx[end] - wx[start]
        return wx2[end] - wx2[start] - suma * suma / (w[end] - w[start])


def puntos_de_cambio(valores: Sequence[float], *, pesos: Sequence[float] | None = None,
                     varianza: float | None = None, minimo: int = 2) -> list[int]:
    """Índices (ordenados) donde empieza un tramo nuevo de media distinta; vacío si no hay cambio.

    Partición óptima (PELT de ``ruptures``) que minimiza Σ w_i (x_i − media de su tramo)²
    más 3·σ²·ln n por corte (MBIC). Cada tramo tiene al menos ``minimo`` valores, así que
    un periodo atípico aislado no crea un tramo.

    Parameters
    ----------
    valores : la serie en orden temporal, sin NaN (quite antes los periodos sin datos).
    pesos : peso de cada valor, normalmente su tamaño de muestra (por defecto todos 1):
        el valor i tiene varianza σ²/w_i.
    varianza : varianza por unidad de peso conocida (p. ej. p(1 − p) por respuesta en una
        proporción); σ² nunca se estima por debajo de ella. None: solo la estimación robusta.
    minimo : largo mínimo de un tramo (al menos 1).

    Examples
    --------
    >>> puntos_de_cambio([5.0, 5.2, 4.9, 5.1, 8.0, 8.1, 7.9, 8.2])
    [4]
    >>> puntos_de_cambio([5.0, 5.0, 5.0, 5.0])
    []
    """
    if minimo < 1:
        raise ValueError("'minimo' debe ser al menos 1")
    x = np.asarray(valores, dtype=float)
    if x.ndim != 1 or not np.isfinite(x).all():
        raise ValueError("'valores' debe ser una secuencia de números finitos (sin NaN)")
    w = np.ones_like(x) if pesos is None else np.asarray(pesos, dtype=float)
    if w.shape != x.shape or not (np.isfinite(w).all() and (w > 0).all()):
        raise ValueError("'pesos' debe tener un peso positivo por valor")
    if x.size < 2 * minimo:
        return []
    sigma2 = max(_varianza_del_ruido(x, w), varianza or 0.0)
    if sigma2 == 0:
        return []
    pelt = ruptures.Pelt(custom_cost=_CuadradosPonderados(), min_size=minimo, jump=1)
    cortes = pelt.fit(np.column_stack([x, w])).predict(pen=_FACTOR_PENALIZACION * sigma2 * math.log(x.size))
    return [int(c) for c in cortes[:-1]]
