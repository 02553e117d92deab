"""Impacto de cada competencia en los resultados de los clientes, y las brechas que más conviene cerrar.

Pendiente del resultado de los clientes (CSAT, NPS, FCR) sobre el puntaje de la competencia
del agente que los atendió, ajustada por canal y motivo; mínimos cuadrados ponderados sobre
celdas agente × canal × motivo (idénticos a los de las respuestas sueltas) con errores
robustos por agente (Cameron y Miller 2015). Es una **asociación**, no prueba causa.
"""

import math
from dataclasses import dataclass

import numpy as np
import pandas as pd
from scipy import stats

from analisis.competencias._comun import _NAN, _faltan
from analisis.escalas import CONFIANZA, ESCALA_CSAT, texto_escala

__all__ = ["Resultado", "RESULTADOS", "impacto", "prioridades"]


@dataclass(frozen=True)
class Resultado:
    """Un resultado de los clientes ligado a las competencias: clave de consulta, nombre y unidad de formato."""

    clave: str
    nombre: str
    unidad: str
    descripcion: str


#: Resultados de los clientes que se pueden relacionar con las competencias de su agente.
RESULTADOS: dict[str, Resultado] = {
    "csat": Resultado("csat", "CSAT", "escala",
                      f"satisfacción media ({texto_escala(ESCALA_CSAT)}) de las encuestas ligadas a sus interacciones"),
    "nps": Resultado("nps", "NPS", "puntos", "NPS (−100 a 100) de las encuestas ligadas a sus interacciones"),
    "fcr": Resultado("fcr", "FCR", "proporcion",
                     "resolución al primer contacto: resuelto y sin recontacto ni reapertura en 7 días"),
    "sin_queja": Resultado("sin_queja", "Sin queja posterior", "proporcion",
                           "proporción de contactos tras los que el cliente no volvió con una queja o reclamo "
                           "en 7 días"),
}


def _pendiente_robusta(x: np.ndarray, n: np.ndarray, suma: np.ndarray, grupo: np.ndarray,
                       confianza: float) -> tuple[float, float, float, float]:
    """Pendiente de la columna 1 de ``x`` por MCP sobre celdas, con error robusto por conglomerados.

    Las celdas agrupan respuestas con los mismos regresores, así que Σ celdas n·x·x' y
    Σ celdas x·suma dan los mismos coeficientes que las respuestas sueltas; la puntuación
    de cada conglomerado es Σ x·(suma − n·x'β). Corrección G/(G−1)·(N−1)/(N−k) y t con
    G − 1 grados de libertad (Cameron y Miller 2015). Devuelve (pendiente, inf, sup, p).
    """
    xtx = x.T @ (x * n[:, None])
    inversa = np.linalg.pinv(xtx)
    beta = inversa @ (x.T @ suma)
    residuo = suma - n * (x @ beta)
    codigos, indice = np.unique(grupo, return_inverse=True)
    puntuaciones = np.zeros((codigos.size, x.shape[1]))
    np.add.at(puntuaciones, indice, x * residuo[:, None])
    g, total, k = codigos.size, n.sum(), np.linalg.matrix_rank(xtx)
    correccion = g / (g - 1) * (total - 1) / max(total - k, 1)
    varianza = correccion * (inversa @ (puntuaciones.T @ puntuaciones) @ inversa)[1, 1]
    error = math.sqrt(max(varianza, 0.0))
    cuantil = float(stats.t.ppf(0.5 + confianza / 2, g - 1))
    p = float(2 * stats.t.sf(abs(beta[1]) / error, g - 1)) if error > 0 else _NAN
    return float(beta[1]), float(beta[1] - cuantil * error), float(beta[1] + cuantil * error), p


def impacto(celdas: pd.DataFrame, brechas_agente: pd.DataFrame, *, confianza: float = CONFIANZA,
            minimo_agentes: int = 5) -> pd.DataFrame:
    """Asociación de cada competencia con un resultado de los clientes, ajustada por canal y motivo.

    Para cada competencia se ajusta resultado ~ puntaje del agente (0..1) + canal + motivo por
    mínimos cuadrados sobre las respuestas de los clientes, con errores robustos por agente.
    La pendiente dice cuánto cambia el resultado medio de los clientes entre un agente con
    puntaje 0 y otro con puntaje 1 (por cada 0,1: la décima parte). Asociación, no causa.

    Parameters
    ----------
    celdas : ``agente_id``, ``canal``, ``motivo``, ``n`` y ``suma`` del resultado
        (``consultas.resultados_por_agente``).
    brechas_agente : salida de ``brechas(..., por="agente")``; solo cuentan los agentes con
        muestra suficiente (``suficiente``), con su ``puntaje`` medio en la competencia.
    minimo_agentes : agentes con resultados y puntaje necesarios para estimar (al menos 3).

    Returns
    -------
    DataFrame por competencia: ``competencia``, ``nombre_competencia``, ``impacto``, ``ic_inf``,
    ``ic_sup``, ``p``, ``n_agentes`` y ``n_respuestas``; NaN donde no hay agentes suficientes
    o el puntaje no varía entre ellos.
    """
    _faltan(celdas, "celdas", ("agente_id", "canal", "motivo", "n", "suma"))
    _faltan(brechas_agente, "brechas_agente", ("grupo", "competencia", "nombre_competencia", "puntaje", "suficiente"))
    if minimo_agentes < 3:
        raise ValueError("'minimo_agentes' debe ser al menos 3")
    puntajes_agente = brechas_agente[brechas_agente["suficiente"]].dropna(subset=["puntaje"])
    celdas = celdas[celdas["n"] > 0].reset_index(drop=True)
    controles = pd.get_dummies(celdas[["canal", "motivo"]].astype(str), drop_first=True, dtype=float).to_numpy()
    codigos, agentes = pd.factorize(celdas["agente_id"])
    n, suma = celdas["n"].to_numpy(float), celdas["suma"].to_numpy(float)
    filas = []
    for (competencia, nombre), puntajes in puntajes_agente.groupby(["competencia", "nombre_competencia"], sort=False):
        puntaje = puntajes.set_index("grupo")["puntaje"].reindex(agentes).to_numpy(float)[codigos]
        presentes = ~np.isnan(puntaje)
        con_puntaje = np.unique(codigos[presentes]).size
        estimado = (_NAN, _NAN, _NAN, _NAN)
        if con_puntaje >= minimo_agentes and np.ptp(puntaje[presentes]) > 1e-9:
            x = np.column_stack([np.ones(presentes.sum()), puntaje[presentes], controles[presentes]])
            estimado = _pendiente_robusta(x, n[presentes], suma[presentes], codigos[presentes], confianza)
        filas.append({"competencia": competencia, "nombre_competencia": nombre, "impacto": estimado[0],
                      "ic_inf": estimado[1], "ic_sup": estimado[2], "p": estimado[3], "n_agentes": int(con_puntaje),
                      "n_respuestas": int(n[presentes].sum())})
    return pd.DataFrame(filas, columns=["competencia", "nombre_competencia", "impacto", "ic_inf", "ic_sup", "p",
                                        "n_agentes", "n_respuestas"])


def prioridades(tabla_brechas: pd.DataFrame, impactos: pd.DataFrame) -> pd.DataFrame:
    """Brechas ordenadas por prioridad = brecha × impacto (lo que se podría ganar en el resultado).

    Solo cuentan las brechas con muestra suficiente; brechas negativas (sobre la meta) e
    impactos negativos o desconocidos cuentan como 0. ``prioridad`` está en unidades del
    resultado (p. ej. puntos de CSAT) y supone, sin probarlo, que la asociación fuera causal.
    ``clara`` marca las brechas cuyo intervalo queda entero sobre 0 con impacto también
    positivo en todo su intervalo. Empates: mayor brecha primero.
    """
    _faltan(tabla_brechas, "tabla_brechas", ("grupo", "competencia", "brecha", "brecha_inf", "suficiente"))
    _faltan(impactos, "impactos", ("competencia", "impacto", "ic_inf", "ic_sup"))
    datos = tabla_brechas[tabla_brechas["suficiente"]].merge(
        impactos[["competencia", "impacto", "ic_inf", "ic_sup"]].rename(
            columns={"ic_inf": "impacto_inf", "ic_sup": "impacto_sup"}), on="competencia", how="left")
    datos["prioridad"] = datos["brecha"].clip(lower=0) * datos["impacto"].fillna(0).clip(lower=0)
    datos["clara"] = (datos["brecha_inf"] > 0) & (datos["impacto_inf"].fillna(-1) > 0)
    return datos.sort_values(["prioridad", "brecha"], ascending=False, kind="stable").reset_index(drop=True)
