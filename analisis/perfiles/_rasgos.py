"""Rasgos de cada perfil: cuánto se aparta de la población en cada variable.

Para cada perfil y rasgo, el desvío estandarizado frente a toda la población: (media del grupo −
media) / desviación típica en las numéricas y (p_grupo − p) / √(p(1 − p)) en cada categoría. Solo
cuentan los valores observados.
"""

import math

import numpy as np
import pandas as pd

from analisis.perfiles._variables import Variable, etiqueta, unidad


def _medias_por_grupo(valores: np.ndarray, etiquetas: np.ndarray, k: int) -> np.ndarray:
    """Media de los valores observados de cada grupo (NaN si un grupo no tiene ninguno)."""
    observados = ~np.isnan(valores)
    suma = np.bincount(etiquetas[observados], weights=valores[observados], minlength=k)
    cuenta = np.bincount(etiquetas[observados], minlength=k)
    with np.errstate(invalid="ignore", divide="ignore"):
        return suma / cuenta


def _filas_numericas(clientes: pd.DataFrame, variable: Variable, etiquetas: np.ndarray, k: int) -> list[dict]:
    """Filas de rasgos de una variable numérica o de cada columna de un grupo."""
    filas = []
    for columna in variable.columnas:
        valores = clientes[columna].to_numpy(dtype=float, na_value=np.nan)
        poblacion, desviacion = np.nanmean(valores), np.nanstd(valores)
        nivel = columna if len(variable.columnas) > 1 else None
        for grupo, valor in enumerate(_medias_por_grupo(valores, etiquetas, k)):
            filas.append({"grupo": grupo, "variable": variable.nombre, "nivel": nivel, "valor_grupo": valor,
                          "valor_poblacion": poblacion,
                          "desvio": (valor - poblacion) / desviacion if desviacion > 0 else 0.0})
    return filas


def _filas_categoricas(clientes: pd.DataFrame, variable: Variable, etiquetas: np.ndarray, k: int) -> list[dict]:
    """Filas de rasgos de cada nivel de una variable categórica (proporción en el grupo y en todos)."""
    codigos, niveles = pd.factorize(clientes[variable.columnas[0]], sort=True)
    observados = codigos >= 0
    filas = []
    for codigo, nivel in enumerate(niveles):
        indicador = np.where(observados, (codigos == codigo).astype(float), np.nan)
        poblacion = float(np.nanmean(indicador))
        escala = math.sqrt(poblacion * (1 - poblacion))
        for grupo, valor in enumerate(_medias_por_grupo(indicador, etiquetas, k)):
            filas.append({"grupo": grupo, "variable": variable.nombre, "nivel": str(nivel), "valor_grupo": valor,
                          "valor_poblacion": poblacion, "desvio": (valor - poblacion) / escala if escala else 0.0})
    return filas


def tabla_rasgos(clientes: pd.DataFrame, variables: list[Variable], etiquetas: np.ndarray, k: int) -> pd.DataFrame:
    """Tabla larga de rasgos de cada perfil frente a la población (ver ``Perfiles.rasgos``)."""
    filas = []
    for variable in variables:
        calcular = _filas_categoricas if variable.categorica else _filas_numericas
        filas += calcular(clientes, variable, etiquetas, k)
    tabla = pd.DataFrame(filas)
    tabla["rasgo"] = [etiqueta(v, None if pd.isna(n) else n) for v, n in zip(tabla["variable"], tabla["nivel"])]
    tabla["unidad"] = [unidad(v, n) for v, n in zip(tabla["variable"], tabla["nivel"])]
    return tabla[["grupo", "variable", "nivel", "rasgo", "valor_grupo", "valor_poblacion", "desvio", "unidad"]]
