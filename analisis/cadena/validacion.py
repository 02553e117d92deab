"""Validación de las entradas del análisis de la cadena: etapas, columnas, opciones y metas.

Falla con ``ValueError`` y un mensaje que nombra el parámetro (los errores de quien llama); los
de los datos (pocas respuestas) son ``MuestraInsuficiente`` y se lanzan en ``eslabon``.
"""

from collections.abc import Mapping, Sequence

import numpy as np
import pandas as pd

__all__ = ["TIPOS", "MEDIDAS", "validar_etapas", "validar_entrada", "validar_opciones", "columnas_numericas",
           "tipo_de_resultado", "metas_en_orden", "exigir_columnas", "validar_muestra_minima"]


TIPOS = ("continuo", "binario")
MEDIDAS = ("media", "top2")
MIN_ETAPAS, MAX_ETAPAS = 2, 30


def validar_etapas(etapas: Sequence[str]) -> tuple[str, ...]:
    """Comprueba que ``etapas`` sea una lista de 2 a 30 nombres distintos; la devuelve como tupla."""
    if isinstance(etapas, str) or not isinstance(etapas, Sequence):
        raise ValueError("'etapas' debe ser una lista de nombres de columna")
    etapas = tuple(etapas)
    if not MIN_ETAPAS <= len(etapas) <= MAX_ETAPAS:
        raise ValueError(f"'etapas' debe tener entre {MIN_ETAPAS} y {MAX_ETAPAS} etapas, no {len(etapas)}")
    if len(set(etapas)) != len(etapas):
        raise ValueError("'etapas' tiene nombres repetidos")
    return etapas


def validar_entrada(respuestas: pd.DataFrame, etapas: Sequence[str], resultado: str) -> tuple[str, ...]:
    """Comprueba tipos y columnas; devuelve las etapas como tupla."""
    if not isinstance(respuestas, pd.DataFrame):
        raise ValueError("'respuestas' debe ser un DataFrame")
    etapas = validar_etapas(etapas)
    if resultado in etapas:
        raise ValueError("'resultado' no puede ser también una etapa")
    faltan = [c for c in (*etapas, resultado) if c not in respuestas.columns]
    if faltan:
        raise ValueError(f"'respuestas' no tiene las columnas {faltan}")
    return etapas


def validar_opciones(medida: str, remuestras: int, semilla: int) -> None:
    """Valida las opciones numéricas y de medida."""
    if medida not in MEDIDAS:
        raise ValueError(f"'medida' debe ser uno de {list(MEDIDAS)}, no {medida!r}")
    for nombre, valor in (("remuestras", remuestras), ("semilla", semilla)):
        if isinstance(valor, bool) or not isinstance(valor, (int, np.integer)) or valor < 0:
            raise ValueError(f"'{nombre}' debe ser un entero mayor o igual que 0")


def columnas_numericas(respuestas: pd.DataFrame, columnas: Sequence[str], parametro: str) -> np.ndarray:
    """Las columnas como matriz de reales con NaN en los vacíos."""
    try:
        return respuestas[list(columnas)].to_numpy(dtype=np.float64, na_value=np.nan)
    except (TypeError, ValueError) as error:
        raise ValueError(f"'{parametro}' debe tener columnas numéricas: {error}") from None


def tipo_de_resultado(y: np.ndarray, tipo_resultado: str | None) -> str:
    """'continuo' o 'binario' (inferido si es None: binario si solo hay 0 y 1)."""
    if tipo_resultado is not None and tipo_resultado not in TIPOS:
        raise ValueError(f"'tipo_resultado' debe ser None o uno de {list(TIPOS)}, no {tipo_resultado!r}")
    valores = np.unique(y[~np.isnan(y)])
    binario = valores.size > 0 and bool(np.isin(valores, (0.0, 1.0)).all())
    if tipo_resultado == "binario" and not binario:
        raise ValueError("con tipo_resultado='binario' el resultado solo puede valer 0 o 1")
    if tipo_resultado is None:
        return "binario" if binario and valores.size == 2 else "continuo"
    return tipo_resultado


def metas_en_orden(metas: Mapping[str, float] | None, etapas: tuple[str, ...], medida: str) -> np.ndarray | None:
    """Las metas en el orden de las etapas (None: comparar con la mejor etapa)."""
    if metas is None:
        return None
    faltan = [e for e in etapas if e not in metas]
    if faltan:
        raise ValueError(f"'metas' no tiene meta para {faltan}")
    valores = np.array([float(metas[e]) for e in etapas])
    if not np.isfinite(valores).all():
        raise ValueError("'metas' debe tener una meta numérica para cada etapa")
    if medida == "top2" and ((valores < 0) | (valores > 1)).any():
        raise ValueError("con medida='top2' las 'metas' son proporciones entre 0 y 1")
    return valores


def exigir_columnas(tabla: pd.DataFrame, columnas: Sequence[str], parametro: str) -> None:
    """Falla si a ``tabla`` le faltan columnas."""
    faltan = [c for c in columnas if c not in tabla.columns]
    if faltan:
        raise ValueError(f"'{parametro}' no tiene las columnas {faltan}")


def validar_muestra_minima(muestra_minima: int) -> None:
    """``muestra_minima`` debe ser un entero positivo."""
    if isinstance(muestra_minima, bool) or not isinstance(muestra_minima, (int, np.integer)) or muestra_minima < 1:
        raise ValueError("'muestra_minima' debe ser un entero positivo")
