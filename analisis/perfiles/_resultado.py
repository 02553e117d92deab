"""El resultado de ``perfilar``: los perfiles, cómo se eligieron y qué los distingue."""

from dataclasses import dataclass

import numpy as np
import pandas as pd


@dataclass(frozen=True)
class Perfiles:
    """Resultado de ``perfilar``.

    Attributes
    ----------
    etiquetas : perfil (0…k−1) de cada fila de la entrada, en su orden; 0 es el más numeroso.
    k : número de perfiles; ``k_sugerido`` el de mayor silueta (igual a ``k`` si fue automático).
    nombres : perfil → nombre automático en español ("Externos frecuentes por teléfono, detractores").
    silueta : k → silueta media de cada candidato probado (−1…1; más alto, grupos más separados).
    estabilidad : índice de Rand ajustado medio sobre las remuestras (1 = siempre los mismos grupos);
        ``estabilidades`` trae el de cada remuestra.
    tamanos : perfil → número de clientes.
    rasgos : tabla larga con una fila por perfil y rasgo: ``grupo``, ``variable``, ``nivel`` (la
        categoría o la columna de un grupo de columnas; None en numéricas), ``rasgo`` (texto),
        ``valor_grupo``, ``valor_poblacion``, ``desvio`` (estandarizado) y ``unidad``.
    mapa : muestra de clientes para el mapa 2-D: ``fila`` (posición en la entrada), ``x``, ``y``, ``grupo``.
    varianza_mapa : proporción de la varianza que explica cada eje del mapa.
    variables : variables usadas → sus columnas; ``descartadas`` las pedidas que no varían;
        ``faltantes`` la proporción de clientes sin dato en cada variable usada.
    firmas : perfil → firma estable (variables, k y perfil redondeado) para guardar su nombre.
    n_ajuste : clientes con que se ajustó k-medias (todos, o la muestra).
    """

    etiquetas: np.ndarray
    k: int
    k_sugerido: int
    nombres: dict[int, str]
    silueta: dict[int, float]
    estabilidad: float
    estabilidades: tuple[float, ...]
    tamanos: dict[int, int]
    rasgos: pd.DataFrame
    mapa: pd.DataFrame
    varianza_mapa: tuple[float, float]
    variables: dict[str, tuple[str, ...]]
    descartadas: tuple[str, ...]
    faltantes: dict[str, float]
    firmas: dict[int, str]
    n_ajuste: int
