"""El bootstrap por lotes: reparto de las filas en lotes, sus sumas, las remuestras y los momentos.

Las filas se reparten al azar en ``LOTES`` lotes y se guardan los estadísticos suficientes de
cada lote (sumas, sumas de cuadrados y productos cruzados por pares). Cada remuestra sortea
lotes con reemplazo y suma sus estadísticos: una multiplicación de matrices, no una pasada por
los datos. De las sumas salen correlaciones de a pares, medias y desvíos (``calcular_momentos``).
"""

import math
from dataclasses import dataclass

import numpy as np

from analisis.cadena.sumas import LOTES

__all__ = ["Lotes", "estadisticos", "remuestrear", "calcular_momentos", "intervalo", "azares"]


@dataclass(frozen=True)
class Lotes:
    """Reparto aleatorio de ``n`` filas en ``cantidad`` lotes consecutivos de ``tamano`` filas.

    ``ordenar`` baraja las filas y rellena con vacíos hasta ``cantidad × tamano``: desde ahí cada
    lote es un tramo consecutivo y ``por_lote`` es un simple cambio de forma, sin copiar datos.
    Las filas de relleno no tienen ningún dato, así que no suman a ningún estadístico.
    """

    orden: np.ndarray
    cantidad: int
    tamano: int

    @classmethod
    def crear(cls, n: int, rng: np.random.Generator) -> "Lotes":
        cantidad = min(n, LOTES)
        return cls(rng.permutation(n), cantidad, -(-n // cantidad))

    @property
    def filas(self) -> int:
        """Filas tras el relleno."""
        return self.cantidad * self.tamano

    def ordenar(self, datos: np.ndarray) -> np.ndarray:
        """Las filas de ``datos`` barajadas y rellenas con NaN hasta ``filas``."""
        salida = np.full((self.filas,) + datos.shape[1:], np.nan)
        np.take(datos, self.orden, axis=0, out=salida[:self.orden.size])
        return salida

    def por_lote(self, datos: np.ndarray) -> np.ndarray:
        """(filas, ...) → (cantidad, tamaño, ...)."""
        return datos.reshape((self.cantidad, self.tamano) + datos.shape[1:])


def _centro(valores: np.ndarray) -> np.ndarray:
    """Media aproximada de cada columna (primeras 10.000 filas; 0 sin datos), que se resta para la precisión."""
    muestra = valores[:10_000]
    con_dato = ~np.isnan(muestra)
    return np.where(con_dato.any(axis=0), np.nansum(muestra, axis=0) / np.maximum(con_dato.sum(axis=0), 1), 0.0)


def _estadisticos_pares(repartidos: np.ndarray, centro: np.ndarray) -> dict[str, np.ndarray]:
    """Sumas por lote para las correlaciones de a pares de las columnas de ``repartidos`` (lotes, filas, q).

    Con v centrada (0 donde falta) y m = 1 si hay dato: ``cruzados`` = Σ vᵢvⱼ, ``sumas``[i, j] =
    Σ vᵢmⱼ, ``pares`` = Σ mᵢmⱼ y ``cuadrados``[i, j] = Σ vᵢ²mⱼ (productos de matrices por lote).
    """
    falta = np.isnan(repartidos)
    q = repartidos.shape[2]
    ambos = np.empty(repartidos.shape[:2] + (2 * q,))
    np.subtract(repartidos, centro, out=ambos[..., :q])
    np.copyto(ambos[..., :q], 0.0, where=falta)
    np.logical_not(falta, out=ambos[..., q:], casting="unsafe")
    productos = ambos.transpose(0, 2, 1) @ ambos
    cuadrados = np.square(ambos[..., :q]).transpose(0, 2, 1) @ ambos[..., q:]
    return {"cruzados": productos[:, :q, :q], "sumas": productos[:, :q, q:], "pares": productos[:, q:, q:],
            "cuadrados": cuadrados}


def _estadisticos_top2(repartidos: np.ndarray, umbral: float) -> dict[str, np.ndarray]:
    """Por lote y etapa: calificaciones en el top-2-box y suma de las que quedan por debajo."""
    bajas = repartidos < umbral
    return {"altas": (repartidos >= umbral).sum(axis=1).astype(float),
            "suma_bajas": np.where(bajas, repartidos, 0.0).sum(axis=1)}


def estadisticos(x: np.ndarray, y: np.ndarray, ruido: np.ndarray, lotes: Lotes, umbral: float
                  ) -> tuple[dict[str, np.ndarray], np.ndarray]:
    """Estadísticos por lote de etapas, resultado y ruido (ya en el orden de los lotes) y el centro restado."""
    valores = np.column_stack([x, y, ruido])
    centro = _centro(valores)
    partes = _estadisticos_pares(lotes.por_lote(valores), centro)
    partes.update(_estadisticos_top2(lotes.por_lote(x), umbral))
    return partes, centro


def remuestrear(partes: dict[str, np.ndarray], remuestras: int, rng: np.random.Generator
                 ) -> dict[str, np.ndarray]:
    """Estadísticos de la muestra completa (fila 0) y de cada remuestra de lotes (filas 1..B).

    Una remuestra sortea tantos lotes como hay (la primera dimensión de ``partes``) con
    reemplazo (conteos multinomiales) y suma sus estadísticos: todas juntas son un solo
    producto de matrices (B × lotes) · (lotes × f).
    """
    bloques = _Bloques(partes)
    lotes = bloques.matriz.shape[0]
    conteos = rng.multinomial(lotes, np.full(lotes, 1 / lotes), size=remuestras)
    return bloques.separar(np.vstack([bloques.matriz.sum(axis=0), conteos @ bloques.matriz]))


class _Bloques:
    """Junta arreglos por lote (lotes, ...) en una matriz (lotes, f) y los recupera por nombre."""

    def __init__(self, partes: dict[str, np.ndarray]):
        self.formas = {nombre: parte.shape[1:] for nombre, parte in partes.items()}
        self.matriz = np.concatenate([parte.reshape(parte.shape[0], -1) for parte in partes.values()], axis=1)

    def separar(self, filas: np.ndarray) -> dict[str, np.ndarray]:
        """(B, f) → {nombre: (B, *forma)}."""
        salida, inicio = {}, 0
        for nombre, forma in self.formas.items():
            ancho = int(np.prod(forma, dtype=int))
            salida[nombre] = filas[:, inicio:inicio + ancho].reshape((filas.shape[0],) + forma)
            inicio += ancho
        return salida


def calcular_momentos(est: dict[str, np.ndarray], centro: np.ndarray) -> dict[str, np.ndarray]:
    """Correlaciones de a pares (B, q, q), medias, desvíos y conteos (B, q) desde las sumas."""
    pares = est["pares"]
    with np.errstate(divide="ignore", invalid="ignore"):
        media_par = est["sumas"] / pares
        covarianza = est["cruzados"] / pares - media_par * media_par.transpose(0, 2, 1)
        varianza = np.maximum(est["cuadrados"] / pares - media_par ** 2, 0.0)
        correlacion = covarianza / np.sqrt(varianza * varianza.transpose(0, 2, 1))
    diagonal = np.arange(pares.shape[1])
    correlacion = np.nan_to_num(np.clip(correlacion, -1.0, 1.0), nan=0.0)
    correlacion[:, diagonal, diagonal] = 1.0
    n = pares[:, diagonal, diagonal]
    with np.errstate(divide="ignore", invalid="ignore"):
        medias = est["sumas"][:, diagonal, diagonal] / n + centro
    return {"correlacion": correlacion, "media": medias, "desvio": np.sqrt(varianza[:, diagonal, diagonal]),
            "n": n, "pares": pares}


def intervalo(valores: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Percentiles 2,5 y 97,5 de las remuestras (filas 1..B); NaN sin remuestras."""
    if valores.shape[0] < 2:
        forma = valores.shape[1:]
        return np.full(forma, math.nan), np.full(forma, math.nan)
    with np.errstate(invalid="ignore"):
        inferior, superior = np.nanpercentile(valores[1:], [2.5, 97.5], axis=0)
    return inferior, superior


def azares(semilla: int) -> list[np.random.Generator]:
    """Generadores independientes del reparto en lotes, del ruido y del bootstrap."""
    return [np.random.default_rng(s) for s in np.random.SeedSequence([semilla, 6]).spawn(3)]
