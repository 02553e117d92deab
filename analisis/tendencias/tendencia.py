"""Prueba de tendencia monótona de Mann-Kendall con la pendiente de Sen, sobre ``pymannkendall``.

Mann (1945) y Kendall (1975) con la corrección de la varianza por empates de Hipel y McLeod
(1994) y Gilbert (1987, §16.4); pendiente de Sen (1968) como mediana de las pendientes entre
pares. ``pymannkendall.original_test`` hace la cuenta; aquí solo se validan los valores, se
decide qué pasa con menos de tres y se devuelve el resultado con nombres en español.
"""

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
import pymannkendall

__all__ = ["MannKendall", "mann_kendall", "pendiente_sen"]

_NAN = float("nan")

#: Tendencia de ``pymannkendall`` → la misma en español.
_TENDENCIAS = {"increasing": "creciente", "decreasing": "decreciente", "no trend": "sin tendencia"}


@dataclass(frozen=True)
class MannKendall:
    """Resultado de la prueba de Mann-Kendall.

    ``s`` es el estadístico S, ``varianza`` su varianza con corrección por empates, ``z``
    el estadístico normal con corrección de continuidad, ``p`` el valor p bilateral,
    ``tau`` la tau de Kendall (S dividido entre el número de pares), ``pendiente`` la
    pendiente de Sen por periodo y ``tendencia`` 'creciente', 'decreciente' o
    'sin tendencia'.
    """

    n: int
    s: int
    varianza: float
    z: float
    p: float
    tau: float
    pendiente: float
    tendencia: str
    alfa: float


def _presentes(valores: Sequence[float]) -> np.ndarray:
    """Los valores como arreglo de reales, sin los que faltan (NaN); ValueError si no son una secuencia."""
    x = np.asarray(valores, dtype=float)
    if x.ndim != 1:
        raise ValueError("'valores' debe ser una secuencia de números")
    return x[~np.isnan(x)]


def pendiente_sen(valores: Sequence[float]) -> float:
    """Pendiente de Sen (1968): mediana de (x_j − x_i)/(j − i) sobre todos los pares i < j.

    Los valores que faltan (NaN) se saltan sin perder la posición de los demás, así que
    la pendiente siempre es por periodo. NaN si quedan menos de dos valores.

    >>> pendiente_sen([1, 2, 3, 10])   # pendientes 1, 1, 1, 3, 4, 7
    2.0
    """
    if _presentes(valores).size < 2:
        return _NAN
    return float(pymannkendall.sens_slope(np.asarray(valores, dtype=float)).slope)


def mann_kendall(valores: Sequence[float], alfa: float = 0.05) -> MannKendall:
    """Prueba de tendencia monótona de Mann-Kendall con la pendiente de Sen.

    S = Σ_{i<j} signo(x_j − x_i); Var(S) = [n(n−1)(2n+5) − Σ_p t_p(t_p−1)(2t_p+5)]/18,
    donde t_p es el tamaño de cada grupo de empates (Hipel y McLeod 1994; Gilbert 1987);
    Z = (S − 1)/√Var(S) si S > 0, (S + 1)/√Var(S) si S < 0 y 0 si S = 0; p bilateral
    normal. Los valores NaN se descartan. Con menos de tres valores, o sin varianza
    (todos iguales), no hay prueba: p es NaN o 1 y la tendencia, 'sin tendencia'.

    Parameters
    ----------
    valores : la serie en orden temporal, un valor por periodo.
    alfa : nivel de significancia para declarar tendencia (entre 0 y 1).

    Examples
    --------
    >>> r = mann_kendall([1, 2, 3, 4, 5])
    >>> r.s, round(r.p, 4), r.tau, r.pendiente, r.tendencia
    (10, 0.0275, 1.0, 1.0, 'creciente')
    """
    if not 0 < alfa < 1:
        raise ValueError("'alfa' debe estar entre 0 y 1")
    x = _presentes(valores)
    pendiente = pendiente_sen(valores)
    if x.size < 3:
        s = int(np.sign(x[1] - x[0])) if x.size == 2 else 0
        return MannKendall(int(x.size), s, _NAN, _NAN, _NAN, _NAN, pendiente, "sin tendencia", alfa)
    r = pymannkendall.original_test(x, alpha=alfa)
    return MannKendall(int(x.size), int(r.s), float(r.var_s), float(r.z), float(r.p), float(r.Tau), pendiente,
                       _TENDENCIAS[r.trend], alfa)
