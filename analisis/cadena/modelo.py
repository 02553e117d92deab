"""Pesos relativos: Johnson (2000) para resultados continuos y Tonidandel y LeBreton (2010) para sí/no.

También la regresión logística (Newton-Raphson con una cresta mínima), la imputación de las
calificaciones vacías por su esperanza condicional (Buck 1960) y el bootstrap de un paso
(Moulton y Zeger 1991) que la logística usa en cada remuestra.
"""

import math
from dataclasses import dataclass

import numpy as np

from analisis.cadena.remuestreo import Lotes

__all__ = ["correlacion_valida", "pesos_lineales", "pesos_logisticos", "expit", "imputar", "Logistica",
           "estadisticos_logisticos", "un_paso", "preparar_logisticas"]


_PISO = 1e-10             # valor propio mínimo de una matriz de correlaciones
_CRESTA = 1e-4            # penalización mínima de la logística (evita divergir con separación perfecta)
_MUESTRA_EFECTO = 5000    # filas con que se promedia el efecto medio de la logística
_FILAS_ARRANQUE = 50_000  # filas (al azar) con que se halla el punto de partida de la logística grande


def correlacion_valida(r: np.ndarray) -> np.ndarray:
    """Recorta valores propios < ``_PISO`` y reescala a diagonal 1 (matrices de a pares no siempre son SDP)."""
    valores, vectores = np.linalg.eigh(r)
    if (valores.min(axis=1) >= _PISO).all():
        return r
    arreglada = (vectores * np.maximum(valores, _PISO)[:, None, :]) @ vectores.transpose(0, 2, 1)
    d = np.sqrt(np.diagonal(arreglada, axis1=1, axis2=2))
    return arreglada / d[:, :, None] / d[:, None, :]


def _raiz(rxx: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Λ = R^½ y la descomposición (valores, vectores) de una pila de matrices de correlación."""
    valores, vectores = np.linalg.eigh(rxx)
    valores = np.maximum(valores, _PISO)
    lam = (vectores * np.sqrt(valores)[:, None, :]) @ vectores.transpose(0, 2, 1)
    return lam, valores, vectores


def pesos_lineales(r: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Pesos relativos de Johnson (2000) y coeficientes estandarizados.

    ``r`` es una pila (B, k+1, k+1) de correlaciones de k predictores y, en la última
    posición, el resultado. Devuelve (ε (B, k), β estandarizados de la regresión (B, k)).
    """
    r = correlacion_valida(r)
    rxx, rxy = r[:, :-1, :-1], r[:, :-1, -1]
    lam, valores, vectores = _raiz(rxx)
    proyeccion = np.einsum("bij,bi->bj", vectores, rxy)
    beta_ortogonal = np.einsum("bij,bj->bi", vectores, proyeccion / np.sqrt(valores))
    beta = np.einsum("bij,bj->bi", vectores, proyeccion / valores)
    return np.einsum("bjk,bk->bj", lam ** 2, beta_ortogonal ** 2), beta


def pesos_logisticos(rxx: np.ndarray, b: np.ndarray, r_o: np.ndarray) -> np.ndarray:
    """Pesos relativos logísticos (Tonidandel y LeBreton 2010) desde coeficientes estandarizados ``b`` (B, k)."""
    lam, _, _ = _raiz(correlacion_valida(rxx))
    bz = np.einsum("bjk,bk->bj", lam, b)
    with np.errstate(divide="ignore", invalid="ignore"):
        beta = bz * (r_o / np.linalg.norm(bz, axis=1))[:, None]
    return np.einsum("bjk,bk->bj", lam ** 2, np.nan_to_num(beta) ** 2)


def expit(eta: np.ndarray) -> np.ndarray:
    """Función logística 1 / (1 + e^(−η)), estable para |η| grandes."""
    return 0.5 * (1.0 + np.tanh(0.5 * eta))


def _penalizacion(k: int) -> np.ndarray:
    """Matriz de la penalización mínima: cresta sobre las pendientes, no sobre el intercepto."""
    p = np.eye(k + 1) * _CRESTA
    p[0, 0] = 0.0
    return p


def _ajustar_logistica(diseno: np.ndarray, y: np.ndarray, inicio: np.ndarray | None = None,
                       pasos: int = 100) -> np.ndarray:
    """Coeficientes de la logística de ``y`` sobre ``diseno`` (1.ª columna: unos) por Newton-Raphson.

    Lleva una cresta mínima (``_CRESTA``) para que la estimación exista aun con separación perfecta.
    ``inicio`` es el punto de partida (None: solo el intercepto, en el logit de la media); ``pasos``
    limita las iteraciones (con 1 y un buen inicio es el estimador de un paso, tan eficiente como el
    de máxima verosimilitud en muestras grandes).
    """
    penal = _penalizacion(diseno.shape[1] - 1)
    if inicio is None:
        inicio = np.zeros(diseno.shape[1])
        inicio[0] = math.log(y.mean() / (1 - y.mean()))
    b = inicio
    for _ in range(pasos):
        p = expit(diseno @ b)
        raiz = diseno * np.sqrt(p * (1 - p))[:, None]
        hessiana = raiz.T @ raiz + penal
        paso = np.linalg.solve(hessiana, diseno.T @ (y - p) - penal @ b)
        b = b + paso
        if np.abs(paso).max() < 1e-7:
            break
    return b


def imputar(x: np.ndarray, medias: np.ndarray, covarianza: np.ndarray) -> np.ndarray:
    """Sustituye cada vacío por su esperanza condicional dadas las etapas observadas de la fila (Buck 1960)."""
    falta = np.isnan(x)
    if not falta.any():
        return x
    x = x.copy()
    clave = falta @ (1 << np.arange(x.shape[1], dtype=np.int64))
    patrones, inverso = np.unique(clave, return_inverse=True)
    orden = np.argsort(inverso, kind="stable")
    limites = np.concatenate([[0], np.cumsum(np.bincount(inverso))])
    for i, patron in enumerate(patrones):
        if patron == 0:
            continue
        filas = orden[limites[i]:limites[i + 1]]
        vacias = falta[filas[0]]
        vistas = ~vacias
        estimado = np.broadcast_to(medias[vacias], (filas.size, int(vacias.sum()))).copy()
        if vistas.any():
            pendiente = np.linalg.lstsq(covarianza[np.ix_(vistas, vistas)], covarianza[np.ix_(vistas, vacias)],
                                        rcond=None)[0]
            estimado += (x[np.ix_(filas, vistas)] - medias[vistas]) @ pendiente
        x[np.ix_(filas, vacias)] = estimado
    return x


@dataclass(frozen=True)
class Logistica:
    """Una logística ajustada sobre etapas estandarizadas: coeficientes y filas para el efecto medio."""

    coeficientes: np.ndarray
    muestra: np.ndarray


def estadisticos_logisticos(x: np.ndarray, y: np.ndarray, lotes: Lotes, nombre: str,
                            inicio: np.ndarray | None = None, pasos: int = 100
                             ) -> tuple[dict[str, np.ndarray], Logistica]:
    """Ajusta la logística y guarda por lote lo que necesita el bootstrap de un paso.

    ``x`` son las etapas estandarizadas e imputadas, en el orden de los lotes (las filas sin
    resultado pesan 0). Por lote: hessiana Σ p(1−p)·x̃x̃ᵀ, gradiente Σ x̃(y − p) y las sumas
    n, Σy, Σp, Σy·p y Σp² con que se recalcula la correlación entre lo observado y lo predicho.
    """
    con_resultado = ~np.isnan(y)
    diseno = np.column_stack([np.ones(len(y)), x])
    diseno_ajuste, y_ajuste = diseno[con_resultado], y[con_resultado]
    if inicio is None and len(y_ajuste) > _FILAS_ARRANQUE:
        inicio = _ajustar_logistica(diseno_ajuste[:_FILAS_ARRANQUE], y_ajuste[:_FILAS_ARRANQUE])
    b = _ajustar_logistica(diseno_ajuste, y_ajuste, inicio, pasos)
    p = np.where(con_resultado, expit(diseno @ b), 0.0)
    y0 = np.where(con_resultado, y, 0.0)
    raiz = lotes.por_lote(diseno * np.sqrt(p * (1 - p))[:, None])
    ajuste = np.column_stack([con_resultado, y0, p, y0 * p, p * p])
    return ({f"{nombre}_hessiana": raiz.transpose(0, 2, 1) @ raiz,
             f"{nombre}_gradiente": np.einsum("gmk,gm->gk", lotes.por_lote(diseno), lotes.por_lote(y0 - p)),
             f"{nombre}_ajuste": lotes.por_lote(ajuste).sum(axis=1)},
            Logistica(b, diseno_ajuste[:_MUESTRA_EFECTO]))


def un_paso(est: dict[str, np.ndarray], nombre: str, modelo: Logistica) -> tuple[np.ndarray, np.ndarray]:
    """Coeficientes de cada remuestra (un paso de Newton) y su correlación observado–predicho."""
    penal = _penalizacion(modelo.coeficientes.size - 1)
    gradiente = est[f"{nombre}_gradiente"] - penal @ modelo.coeficientes
    b = modelo.coeficientes + np.linalg.solve(est[f"{nombre}_hessiana"] + penal, gradiente[..., None])[..., 0]
    n, sy, sp, syp, spp = np.moveaxis(est[f"{nombre}_ajuste"], 1, 0)
    with np.errstate(divide="ignore", invalid="ignore"):
        r_o = (syp - sy * sp / n) / np.sqrt((sy - sy * sy / n) * (spp - sp * sp / n))
    return b, np.nan_to_num(r_o)


def preparar_logisticas(x: np.ndarray, y: np.ndarray, ruido: np.ndarray, lotes: Lotes,
                        momentos: dict[str, np.ndarray], incluidas: np.ndarray
                         ) -> tuple[dict[str, np.ndarray], dict[str, Logistica]]:
    """Imputa, estandariza y ajusta las logísticas sin y con la variable de ruido (en el orden de los lotes).

    La logística con ruido parte de la ajustada sin él (ruido con coeficiente 0, su valor verdadero)
    y da un solo paso de Newton: solo sirve para la prueba de significación.
    """
    medias, desvios = momentos["media"][0, incluidas], momentos["desvio"][0, incluidas]
    r = correlacion_valida(momentos["correlacion"][:1][:, incluidas][:, :, incluidas])[0]
    completas = (imputar(x[:, incluidas], medias, r * np.outer(desvios, desvios)) - medias) / desvios
    partes, sin_ruido = estadisticos_logisticos(completas, y, lotes, "logit")
    ruido_estandar = (np.nan_to_num(ruido) - momentos["media"][0, -1]) / momentos["desvio"][0, -1]
    extra, con_ruido = estadisticos_logisticos(np.column_stack([completas, ruido_estandar]), y, lotes,
                                               "logit_ruido", np.append(sin_ruido.coeficientes, 0.0), pasos=1)
    partes.update(extra)
    return partes, {"logit": sin_ruido, "logit_ruido": con_ruido}
