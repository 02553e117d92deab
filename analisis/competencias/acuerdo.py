"""Acuerdo entre auditores: alfa de Krippendorff por competencia, sobre el paquete ``krippendorff``.

Alfa de Krippendorff (2011, matriz de coincidencias) con intervalo bootstrap por unidades
y la lectura de Landis y Koch (1977). ``krippendorff.alpha`` hace la cuenta desde los
conteos por unidad; aquí se validan las calificaciones, se eligen el nivel de medida y los
casos sin alfa (NaN), y se remuestrea.
"""

import math

import krippendorff
import numpy as np
import pandas as pd

from analisis.competencias._comun import _NAN, _faltan
from analisis.escalas import CONFIANZA, REMUESTRAS_ACUERDO

__all__ = ["alfa_krippendorff", "lectura_landis_koch", "nivel_de_medida", "acuerdo_auditores"]

#: Nivel de medida en español → el de ``krippendorff.alpha``.
_NIVELES_KRIPPENDORFF = {"nominal": "nominal", "ordinal": "ordinal", "intervalo": "interval"}


def _conteos(calificaciones: pd.DataFrame) -> tuple[np.ndarray, np.ndarray]:
    """Valores distintos y cuántas veces recibió cada valor cada unidad con al menos dos valores."""
    datos = calificaciones.dropna(subset=["valor"])
    valores, codigo = np.unique(datos["valor"].to_numpy(float), return_inverse=True)
    _, unidad = np.unique(datos["unidad"].astype(str).to_numpy(), return_inverse=True)
    cuenta = np.zeros((unidad.max(initial=-1) + 1, valores.size))
    np.add.at(cuenta, (unidad, codigo), 1)
    return valores, cuenta[cuenta.sum(axis=1) >= 2]


def _alfa_de_conteos(valores: np.ndarray, cuenta: np.ndarray, nivel: str) -> float:
    """Alfa desde los conteos por unidad (``krippendorff.alpha``); NaN si no hay dos valores distintos que acordar."""
    if np.count_nonzero(cuenta.sum(axis=0)) < 2:
        return _NAN
    return float(krippendorff.alpha(value_counts=cuenta, value_domain=valores,
                                    level_of_measurement=_NIVELES_KRIPPENDORFF[nivel]))


def alfa_krippendorff(calificaciones: pd.DataFrame, nivel: str = "ordinal") -> float:
    """Alfa de Krippendorff del acuerdo entre auditores (Krippendorff 2011, matriz de coincidencias).

    Parameters
    ----------
    calificaciones : DataFrame largo con ``unidad`` (lo calificado, p. ej. la interacción),
        ``auditor`` y ``valor``. Se permiten pares faltantes (un auditor que no calificó una
        unidad, o valor NaN); cada auditor califica cada unidad a lo sumo una vez.
    nivel : 'nominal', 'ordinal' o 'intervalo' (métrica de la diferencia entre valores).

    Returns
    -------
    float
        α = 1 − (n − 1)·Σ o_ck δ²_ck / Σ n_c n_k δ²_ck: 1 acuerdo perfecto, 0 el del azar,
        negativo peor que el azar. NaN si no hay unidades con dos valores o si todos los
        valores son iguales (no hay variación que acordar).

    Examples
    --------
    >>> cal = pd.DataFrame({"unidad": [1, 1, 2, 2, 3, 3], "auditor": ["a", "b"] * 3,
    ...                     "valor": [1, 1, 2, 2, 3, 2]})
    >>> round(alfa_krippendorff(cal, "nominal"), 4)   # 1 − (6 − 1)·2 / 22 = 6/11
    0.5455
    """
    if nivel not in _NIVELES_KRIPPENDORFF:
        raise ValueError("'nivel' debe ser 'nominal', 'ordinal' o 'intervalo'")
    _faltan(calificaciones, "calificaciones", ("unidad", "auditor", "valor"))
    presentes = calificaciones.dropna(subset=["valor"])
    if presentes.duplicated(["unidad", "auditor"]).any():
        raise ValueError("'calificaciones': cada auditor debe calificar cada unidad una sola vez")
    valores, cuenta = _conteos(presentes)
    return _alfa_de_conteos(valores, cuenta, nivel)


def lectura_landis_koch(valor: float) -> str:
    """Lectura en español de un coeficiente de acuerdo según Landis y Koch (1977).

    >>> lectura_landis_koch(0.743), lectura_landis_koch(-0.1)
    ('Considerable', 'Pobre (peor que el azar)')
    """
    if valor is None or math.isnan(valor):
        return "Sin datos"
    if valor < 0:
        return "Pobre (peor que el azar)"
    for tope, texto in ((0.20, "Leve"), (0.40, "Aceptable"), (0.60, "Moderado"), (0.80, "Considerable")):
        if valor <= tope:
            return texto
    return "Casi perfecto"


def nivel_de_medida(escalas: set[str] | list[str]) -> str:
    """Nivel de medida para el alfa según las escalas presentes.

    Todas 1–5: 'ordinal' (sobre el valor original); todas cumple/no cumple: 'nominal'; en
    otro caso (0–100 o escalas mezcladas) 'intervalo' sobre la escala común.

    >>> nivel_de_medida({"1-5"}), nivel_de_medida({"1-5", "0-100"})
    ('ordinal', 'intervalo')
    """
    distintas = set(escalas)
    if distintas == {"1-5"}:
        return "ordinal"
    if distintas == {"cumple"}:
        return "nominal"
    return "intervalo"


def acuerdo_auditores(dobles: pd.DataFrame, *, remuestras: int = REMUESTRAS_ACUERDO, semilla: int = 0,
                      confianza: float = CONFIANZA) -> pd.DataFrame:
    """Alfa de Krippendorff por competencia en las interacciones auditadas dos o más veces.

    Parameters
    ----------
    dobles : ``unidad``, ``auditor``, ``auditoria_id``, ``competencia``, ``escala``, ``valor`` y
        ``valor_comun`` (``consultas.auditorias_dobles``). Si un auditor auditó dos veces la misma
        unidad, cuenta su primera auditoría.
    remuestras : remuestreos bootstrap de unidades para el intervalo percentil (0: sin intervalo).
    semilla : semilla del remuestreo.

    Returns
    -------
    DataFrame por competencia: ``competencia``, ``nivel``, ``alfa``, ``ic_inf``, ``ic_sup``,
    ``unidades`` (con al menos dos valores) y ``lectura`` (Landis y Koch).
    """
    _faltan(dobles, "dobles", ("unidad", "auditor", "auditoria_id", "competencia", "escala", "valor", "valor_comun"))
    if remuestras < 0:
        raise ValueError("'remuestras' no puede ser negativo")
    columnas = ["competencia", "nivel", "alfa", "ic_inf", "ic_sup", "unidades", "lectura"]
    if dobles.empty:
        return pd.DataFrame(columns=columnas)
    primeras = dobles.drop_duplicates(["unidad", "auditor", "competencia"])
    nivel = nivel_de_medida(set(primeras["escala"]))
    columna = "valor_comun" if nivel == "intervalo" else "valor"
    rng = np.random.default_rng(semilla)
    filas = []
    for competencia, grupo in primeras.groupby("competencia", sort=True):
        datos = grupo[["unidad", "auditor", columna]].rename(columns={columna: "valor"}).dropna(subset=["valor"])
        alfa = alfa_krippendorff(datos, nivel)
        inf, sup = _intervalo_bootstrap(datos, nivel, rng, remuestras, confianza)
        filas.append({"competencia": competencia, "nivel": nivel, "alfa": alfa, "ic_inf": inf, "ic_sup": sup,
                      "unidades": int(_conteos(datos)[1].shape[0]), "lectura": lectura_landis_koch(alfa)})
    return pd.DataFrame(filas, columns=columnas)


def _distancias(valores: np.ndarray, n_v: np.ndarray, nivel: str) -> np.ndarray:
    """δ² entre cada par de valores (como ``krippendorff``) para cada fila de marginales ``n_v`` (R × V → R × V × V)."""
    if nivel == "nominal":
        return np.broadcast_to(1.0 - np.eye(valores.size), (n_v.shape[0], valores.size, valores.size))
    if nivel == "intervalo":
        return np.broadcast_to(np.subtract.outer(valores, valores) ** 2, (n_v.shape[0], valores.size, valores.size))
    acumulado = np.concatenate([np.zeros((n_v.shape[0], 1)), np.cumsum(n_v, axis=1)], axis=1)
    menor = np.minimum.outer(np.arange(valores.size), np.arange(valores.size))
    mayor = np.maximum.outer(np.arange(valores.size), np.arange(valores.size))
    entre = acumulado[:, mayor + 1] - acumulado[:, menor]
    return (entre - (n_v[:, :, None] + n_v[:, None, :]) / 2) ** 2


def _alfas_remuestreadas(valores: np.ndarray, cuenta: np.ndarray, veces: np.ndarray, nivel: str) -> np.ndarray:
    """Alfa de cada remuestra a la vez: ``veces`` (R × U) dice cuántas veces entra cada unidad de ``cuenta`` (U × V).

    La matriz de coincidencias de una remuestra es la suma ponderada de las de sus unidades,
    o_u = (c cᵀ − diag c) / (m_u − 1), y sus marginales n_v = Σ veces·c; el alfa es 1 − Σ o·δ² / Σ e·δ²
    con e = (n_v n_vᵀ − diag n_v) / (n − 1), igual que ``krippendorff.alpha`` unidad por unidad (δ² es 0 en
    la diagonal, así que los términos diag no cuentan). NaN donde la remuestra no tiene dos valores distintos.
    """
    pares = np.maximum(cuenta.sum(axis=1), 2) - 1
    n_v = veces @ cuenta
    delta = _distancias(valores, n_v, nivel)
    if nivel == "ordinal":  # δ² depende de las marginales de cada remuestra (pocos valores: V ≤ 5)
        por_unidad = (cuenta[:, :, None] * cuenta[:, None, :] / pares[:, None, None]).reshape(cuenta.shape[0], -1)
        observada = np.einsum("rck,rck->r", (veces @ por_unidad).reshape(delta.shape), delta)
    else:
        observada = veces @ (np.einsum("uc,ck,uk->u", cuenta, delta[0], cuenta) / pares)
    esperada = np.einsum("rc,rck,rk->r", n_v, delta, n_v) / (n_v.sum(axis=1) - 1)
    with np.errstate(divide="ignore", invalid="ignore"):
        alfas = 1 - observada / esperada
    return np.where(np.count_nonzero(n_v, axis=1) >= 2, alfas, _NAN)


def _intervalo_bootstrap(datos: pd.DataFrame, nivel: str, rng: np.random.Generator, remuestras: int,
                         confianza: float) -> tuple[float, float]:
    """Intervalo percentil del alfa remuestreando unidades con reemplazo (NaN con menos de 2 unidades)."""
    valores, cuenta = _conteos(datos)
    if remuestras == 0 or cuenta.shape[0] < 2:
        return _NAN, _NAN
    elegidas = rng.integers(0, cuenta.shape[0], size=(remuestras, cuenta.shape[0]))
    veces = np.stack([np.bincount(fila, minlength=cuenta.shape[0]) for fila in elegidas]).astype(float)
    alfas = _alfas_remuestreadas(valores, cuenta, veces, nivel)
    alfas = alfas[~np.isnan(alfas)]
    if alfas.size == 0:
        return _NAN, _NAN
    cola = (1 - confianza) / 2 * 100
    return float(np.percentile(alfas, cola)), float(np.percentile(alfas, 100 - cola))
