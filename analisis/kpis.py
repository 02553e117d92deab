"""Estimaciones de KPI con intervalos de confianza y pruebas de cambio.

Todo se calcula a partir de conteos y sumas que el motor de datos ya agregó
(nunca de filas sueltas), así que las mismas fórmulas sirven para DuckDB,
Spark o cualquier otro motor.

Métodos: intervalo de Wilson para proporciones (Wilson 1927); margen de error
del NPS por la varianza de la diferencia de dos proporciones multinomiales;
intervalo t de Student para medias; prueba z de dos proporciones; prueba t de
Welch para medias (Welch 1947) y su intervalo para la diferencia; prueba z para la
diferencia de dos NPS y su intervalo normal.
"""

import math
from dataclasses import dataclass

from scipy import special

from analisis.escalas import CONFIANZA

__all__ = [
    "Estimacion", "Comparacion", "proporcion", "nps", "media", "comparar_proporciones",
    "comparar_nps", "comparar_medias", "diferencia_nps", "diferencia_medias",
]


@dataclass(frozen=True)
class Estimacion:
    """Un valor estimado con su intervalo de confianza y su tamaño de muestra.

    ``ic_inf`` e ``ic_sup`` son NaN cuando el intervalo no se puede calcular
    (muestra vacía, o una sola observación para una media).
    """

    valor: float
    ic_inf: float
    ic_sup: float
    n: int

    @property
    def margen(self) -> float:
        """Semiamplitud del intervalo (la mayor de las dos mitades si es asimétrico)."""
        return max(self.valor - self.ic_inf, self.ic_sup - self.valor)


@dataclass(frozen=True)
class Comparacion:
    """Cambio entre dos periodos: diferencia (actual − anterior), valor p bilateral y prueba usada."""

    diferencia: float
    p: float
    prueba: str
    alfa: float = 0.05

    @property
    def significativo(self) -> bool:
        """True si el valor p es menor que ``alfa``."""
        return bool(self.p < self.alfa)


_NAN = float("nan")


def _z(confianza: float) -> float:
    """Cuantil normal bilateral para el nivel de ``confianza`` (0.95 → 1.96).

    Los cuantiles y colas de este módulo usan las funciones de ``scipy.special`` (``ndtri``, ``ndtr``,
    ``stdtrit``, ``stdtr``), las mismas que ``scipy.stats.norm``/``t`` llaman por dentro, con el mismo
    resultado y sin su coste por llamada (medio milisegundo): el resumen pide cientos en cada ejecución.
    """
    if not 0 < confianza < 1:
        raise ValueError("'confianza' debe estar entre 0 y 1")
    return float(special.ndtri(0.5 + confianza / 2))


def _no_negativo(**valores: float) -> None:
    """Valida que los conteos recibidos no sean negativos, nombrando el parámetro culpable."""
    for nombre, valor in valores.items():
        if valor < 0:
            raise ValueError(f"'{nombre}' no puede ser negativo")


def proporcion(exitos: int, n: int, confianza: float = 0.95) -> Estimacion:
    """Proporción ``exitos / n`` con intervalo de Wilson (Wilson 1927).

    Parameters
    ----------
    exitos : casos favorables (0 ≤ exitos ≤ n).
    n : total de casos.
    confianza : nivel del intervalo, entre 0 y 1.

    Returns
    -------
    Estimacion en escala 0..1 (NaN si ``n`` es 0).

    Examples
    --------
    >>> e = proporcion(8, 10)
    >>> round(e.valor, 2), round(e.ic_inf, 4), round(e.ic_sup, 4)
    (0.8, 0.4902, 0.9433)
    """
    _no_negativo(exitos=exitos, n=n)
    if exitos > n:
        raise ValueError("'exitos' no puede ser mayor que 'n'")
    z = _z(confianza)
    if n == 0:
        return Estimacion(_NAN, _NAN, _NAN, 0)
    p = exitos / n
    denominador = 1 + z**2 / n
    centro = (p + z**2 / (2 * n)) / denominador
    mitad = z * math.sqrt(p * (1 - p) / n + z**2 / (4 * n**2)) / denominador
    return Estimacion(p, max(0.0, centro - mitad), min(1.0, centro + mitad), int(n))


def _varianza_nps(promotores: int, detractores: int, n: int) -> tuple[float, float]:
    """NPS en escala −1..1 y su varianza por respuesta: pP + pD − (pP − pD)²."""
    p_p, p_d = promotores / n, detractores / n
    return p_p - p_d, p_p + p_d - (p_p - p_d) ** 2


def nps(promotores: int, pasivos: int, detractores: int, confianza: float = 0.95) -> Estimacion:
    """Net Promoter Score (−100..100) con su margen de error.

    Margen: z·sqrt((pP + pD − (pP − pD)²) / n)·100, donde pP y pD son las
    proporciones de promotores (9–10) y detractores (0–6).

    Examples
    --------
    >>> e = nps(50, 30, 20)
    >>> e.valor, round(e.margen, 2)
    (30.0, 15.31)
    """
    _no_negativo(promotores=promotores, pasivos=pasivos, detractores=detractores)
    z = _z(confianza)
    n = promotores + pasivos + detractores
    if n == 0:
        return Estimacion(_NAN, _NAN, _NAN, 0)
    valor, varianza = _varianza_nps(promotores, detractores, n)
    margen = z * math.sqrt(varianza / n)
    return Estimacion(100 * valor, 100 * max(-1.0, valor - margen), 100 * min(1.0, valor + margen), int(n))


def media(suma: float, suma_cuadrados: float, n: int, confianza: float = 0.95) -> Estimacion:
    """Media con intervalo t de Student, a partir de la suma y la suma de cuadrados.

    Examples
    --------
    >>> e = media(suma=15, suma_cuadrados=55, n=5)   # datos 1, 2, 3, 4, 5
    >>> e.valor, round(e.ic_inf, 3), round(e.ic_sup, 3)
    (3.0, 1.037, 4.963)
    """
    _no_negativo(n=n, suma_cuadrados=suma_cuadrados)
    if not 0 < confianza < 1:
        raise ValueError("'confianza' debe estar entre 0 y 1")
    if n == 0:
        return Estimacion(_NAN, _NAN, _NAN, 0)
    valor = suma / n
    if n < 2:
        return Estimacion(valor, _NAN, _NAN, int(n))
    error = math.sqrt(_varianza_muestral(suma, suma_cuadrados, n) / n)
    mitad = float(special.stdtrit(n - 1, 0.5 + confianza / 2)) * error
    return Estimacion(valor, valor - mitad, valor + mitad, int(n))


def _varianza_muestral(suma: float, suma_cuadrados: float, n: int) -> float:
    """Varianza muestral (denominador n − 1) desde sumas; nunca negativa por redondeo."""
    return max(0.0, (suma_cuadrados - suma**2 / n) / (n - 1))


def _p_bilateral_normal(z: float) -> float:
    """Valor p bilateral de un estadístico z."""
    return float(2 * special.ndtr(-abs(z)))


def comparar_proporciones(exitos_actual: int, n_actual: int, exitos_anterior: int, n_anterior: int,
                          alfa: float = 0.05) -> Comparacion | None:
    """Prueba z de dos proporciones con varianza combinada (equivale a la ji cuadrado 2×2).

    Devuelve ``None`` si algún periodo no tiene casos.

    Examples
    --------
    >>> c = comparar_proporciones(60, 100, 45, 100)
    >>> round(c.diferencia, 2), round(c.p, 4)
    (0.15, 0.0337)
    """
    if n_actual == 0 or n_anterior == 0:
        return None
    p1, p2 = exitos_actual / n_actual, exitos_anterior / n_anterior
    combinada = (exitos_actual + exitos_anterior) / (n_actual + n_anterior)
    error = math.sqrt(combinada * (1 - combinada) * (1 / n_actual + 1 / n_anterior))
    p = 1.0 if error == 0 else _p_bilateral_normal((p1 - p2) / error)
    return Comparacion(p1 - p2, p, "prueba z de dos proporciones", alfa)


def _diferencia_y_error_nps(actual: tuple[int, int, int], anterior: tuple[int, int, int]) -> tuple[float, float]:
    """Diferencia de dos NPS en escala −2..2 y su error típico; ninguno de los dos vacío."""
    n1, n2 = sum(actual), sum(anterior)
    valor1, varianza1 = _varianza_nps(actual[0], actual[2], n1)
    valor2, varianza2 = _varianza_nps(anterior[0], anterior[2], n2)
    return valor1 - valor2, math.sqrt(varianza1 / n1 + varianza2 / n2)


def comparar_nps(actual: tuple[int, int, int], anterior: tuple[int, int, int],
                 alfa: float = 0.05) -> Comparacion | None:
    """Prueba z de la diferencia entre dos NPS; cada periodo como (promotores, pasivos, detractores).

    La diferencia está en puntos de NPS (−200..200). ``None`` si algún periodo está vacío.

    Examples
    --------
    >>> c = comparar_nps((50, 30, 20), (30, 30, 40))
    >>> c.diferencia, round(c.p, 4)
    (40.0, 0.0005)
    """
    if sum(actual) == 0 or sum(anterior) == 0:
        return None
    diferencia, error = _diferencia_y_error_nps(actual, anterior)
    p = 1.0 if error == 0 else _p_bilateral_normal(diferencia / error)
    return Comparacion(100 * diferencia, p, "prueba z de la diferencia de NPS", alfa)


def diferencia_nps(actual: tuple[int, int, int], anterior: tuple[int, int, int],
                   confianza: float = CONFIANZA) -> Estimacion:
    """Diferencia entre dos NPS (actual − anterior, en puntos) con su intervalo normal.

    Cada grupo como (promotores, pasivos, detractores); el error típico es el de ``comparar_nps``
    (la varianza de cada NPS, ver ``nps``). ``n`` suma las respuestas de ambos; NaN si alguno está vacío.

    Examples
    --------
    >>> e = diferencia_nps((50, 30, 20), (30, 30, 40))
    >>> e.valor, round(e.ic_inf, 2), round(e.ic_sup, 2), e.n
    (40.0, 17.65, 62.35, 200)
    >>> diferencia_nps((1, 0, 0), (0, 0, 0)).valor
    nan
    """
    _no_negativo(actual=min(actual), anterior=min(anterior))
    z = _z(confianza)
    n = int(sum(actual) + sum(anterior))
    if sum(actual) == 0 or sum(anterior) == 0:
        return Estimacion(_NAN, _NAN, _NAN, n)
    diferencia, error = _diferencia_y_error_nps(actual, anterior)
    return Estimacion(100 * diferencia, 100 * (diferencia - z * error), 100 * (diferencia + z * error), n)


def _welch(actual: tuple[float, float, int], anterior: tuple[float, float, int]) -> tuple[float, float, float]:
    """(diferencia de medias, error típico, grados de libertad de Welch–Satterthwaite) de dos grupos
    (suma, suma_cuadrados, n) con n ≥ 2; los grados son NaN si el error es 0."""
    (s1, ss1, n1), (s2, ss2, n2) = actual, anterior
    v1, v2 = _varianza_muestral(s1, ss1, n1) / n1, _varianza_muestral(s2, ss2, n2) / n2
    diferencia = s1 / n1 - s2 / n2
    if v1 + v2 == 0:
        return diferencia, 0.0, _NAN
    grados = (v1 + v2) ** 2 / (v1**2 / (n1 - 1) + v2**2 / (n2 - 1))
    return diferencia, math.sqrt(v1 + v2), grados


def comparar_medias(actual: tuple[float, float, int], anterior: tuple[float, float, int],
                    alfa: float = 0.05) -> Comparacion | None:
    """Prueba t de Welch; cada periodo como (suma, suma_cuadrados, n).

    ``None`` si algún periodo tiene menos de dos observaciones.

    Examples
    --------
    >>> c = comparar_medias((15, 55, 5), (30, 190, 5))   # 1..5 frente a 4..8
    >>> c.diferencia, round(c.p, 4)
    (-3.0, 0.0171)
    """
    if actual[2] < 2 or anterior[2] < 2:
        return None
    diferencia, error, grados = _welch(actual, anterior)
    if error == 0:
        return Comparacion(diferencia, 1.0 if diferencia == 0 else 0.0, "prueba t de Welch", alfa)
    return Comparacion(diferencia, float(2 * special.stdtr(grados, -abs(diferencia / error))), "prueba t de Welch", alfa)


def diferencia_medias(actual: tuple[float, float, int], anterior: tuple[float, float, int],
                      confianza: float = CONFIANZA) -> Estimacion:
    """Diferencia de dos medias (actual − anterior) con el intervalo t de Welch (Welch 1947).

    Cada grupo como (suma, suma_cuadrados, n), como en ``comparar_medias``. ``n`` suma las
    observaciones de ambos; todo NaN si algún grupo tiene menos de dos. Sin variación en
    ninguno de los dos, el intervalo se reduce a la diferencia.

    Examples
    --------
    >>> e = diferencia_medias((15, 55, 5), (30, 190, 5))   # 1..5 frente a 4..8
    >>> e.valor, round(e.ic_inf, 3), round(e.ic_sup, 3), e.n
    (-3.0, -5.306, -0.694, 10)
    >>> diferencia_medias((6, 12, 3), (3, 3, 3))            # 2, 2, 2 frente a 1, 1, 1
    Estimacion(valor=1.0, ic_inf=1.0, ic_sup=1.0, n=6)
    """
    if not 0 < confianza < 1:
        raise ValueError("'confianza' debe estar entre 0 y 1")
    n = int(actual[2] + anterior[2])
    if actual[2] < 2 or anterior[2] < 2:
        return Estimacion(_NAN, _NAN, _NAN, n)
    diferencia, error, grados = _welch(actual, anterior)
    mitad = float(special.stdtrit(grados, 0.5 + confianza / 2)) * error if error else 0.0
    return Estimacion(diferencia, diferencia - mitad, diferencia + mitad, n)
