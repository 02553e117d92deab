"""Preparación: la matriz numérica con que se agrupa, con cada variable pesando lo mismo.

- Numéricas: los extremos se recortan a los percentiles ``RECORTE`` (winsorización, para que unos
  pocos clientes atípicos no formen su propio grupo) y se estandarizan (puntaje z).
- Categóricas: codificación disjunta (una columna 0/1 por categoría) centrada y multiplicada
  por 1/√(1 − Σp²), que deja su varianza total en 1, como una numérica.
- Grupos de columnas numéricas que forman una sola variable (la mezcla de canales: proporción
  de contactos por cada canal) se centran y se escalan juntos a varianza total 1.
- **Faltantes**: una numérica vacía toma la media (0 tras estandarizar) y una categórica vacía
  el reparto de la población (0 tras centrar): el faltante deja al cliente en el centro de esa
  variable y no lo acerca a ningún grupo.
- Las variables sin variación (constantes o vacías) se descartan y se informan.
"""

import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

import numpy as np
import pandas as pd

from analisis.perfiles._variables import Variable, es_numerica


#: Percentiles a los que se recortan las numéricas antes de estandarizar.
RECORTE = (1.0, 99.0)
#: Una categórica con más niveles que estos no se usa por omisión (identificadores, texto libre).
MAXIMO_NIVELES = 30


def _variables(clientes: pd.DataFrame, columnas: Sequence[str] | None,
               grupos: Mapping[str, Sequence[str]]) -> list[Variable]:
    """Traduce ``columnas`` (nombres de columna o de grupo) en variables, validando que existan."""
    if columnas is None:
        agrupadas = {c for cols in grupos.values() for c in cols}
        columnas = [g for g, cols in grupos.items() if set(cols) <= set(clientes.columns)] + [
            c for c in clientes.columns if c not in agrupadas and c not in grupos
            and (es_numerica(clientes[c]) or clientes[c].nunique() <= MAXIMO_NIVELES)]
    elif isinstance(columnas, str) or not all(isinstance(c, str) for c in columnas):
        raise ValueError("'columnas' debe ser una lista de nombres de columna o None")
    variables = []
    for nombre in dict.fromkeys(columnas):
        propias = tuple(grupos.get(nombre, (nombre,)))
        faltan = [c for c in propias if c not in clientes.columns]
        if faltan:
            raise ValueError(f"'columnas' nombra columnas que no están en 'clientes': {', '.join(faltan)}")
        if len(propias) > 1 and not all(es_numerica(clientes[c]) for c in propias):
            raise ValueError(f"'grupos': las columnas del grupo {nombre!r} deben ser numéricas")
        variables.append(Variable(nombre, propias, not es_numerica(clientes[propias[0]])))
    return variables


def _bloque_numerico(valores: np.ndarray) -> np.ndarray | None:
    """Columnas numéricas recortadas, centradas y escaladas a varianza total 1 (faltantes → 0).

    Devuelve None si no hay variación entre los valores observados.
    """
    valores = valores.astype(float, copy=True)
    observados = ~np.isnan(valores).all(axis=1)
    if observados.sum() < 2:
        return None
    bajo, alto = np.nanpercentile(valores[observados], RECORTE, axis=0)
    valores = np.clip(valores, bajo, alto)
    valores -= np.nanmean(valores[observados], axis=0)
    varianza = np.nansum(np.nanvar(valores[observados], axis=0))
    if not varianza > 1e-12:
        return None
    return np.nan_to_num(valores / math.sqrt(varianza), nan=0.0)


def _bloque_categorico(serie: pd.Series) -> np.ndarray | None:
    """Codificación disjunta centrada y escalada a varianza total 1 (faltantes → 0); None si hay un solo nivel."""
    codigos, niveles = pd.factorize(serie, sort=True)
    observados = codigos >= 0
    if len(niveles) < 2:
        return None
    p = np.bincount(codigos[observados], minlength=len(niveles)) / observados.sum()
    bloque = np.zeros((len(serie), len(niveles)))
    bloque[np.flatnonzero(observados), codigos[observados]] = 1.0
    bloque[observados] -= p
    return bloque / math.sqrt(1.0 - float(np.sum(p**2)))


def _bloque(clientes: pd.DataFrame, variable: Variable) -> np.ndarray | None:
    """Bloque de la matriz de una variable (None si no varía)."""
    if variable.categorica:
        return _bloque_categorico(clientes[variable.columnas[0]])
    return _bloque_numerico(clientes[list(variable.columnas)].to_numpy(dtype=float, na_value=np.nan))


def faltantes(clientes: pd.DataFrame, variable: Variable) -> float:
    """Proporción de clientes sin dato en la variable (en todas sus columnas)."""
    return float(clientes[list(variable.columnas)].isna().all(axis=1).mean())


@dataclass(frozen=True)
class Preparacion:
    """Matriz de ``preparar``: una fila por cliente y las columnas de cada variable usada.

    ``variables`` va de cada variable usada a sus columnas de entrada, ``bloques`` a su rango de
    columnas en ``matriz``; ``categoricas`` nombra las categóricas y ``descartadas`` las pedidas sin
    variación.
    """

    matriz: np.ndarray
    variables: dict[str, tuple[str, ...]]
    bloques: dict[str, slice]
    categoricas: tuple[str, ...]
    descartadas: tuple[str, ...]

    def usadas(self) -> list[Variable]:
        """Las variables usadas, en orden."""
        return [Variable(nombre, columnas, nombre in self.categoricas)
                for nombre, columnas in self.variables.items()]


def preparar(clientes: pd.DataFrame, columnas: Sequence[str] | None = None, *,
             grupos: Mapping[str, Sequence[str]] | None = None) -> Preparacion:
    """Matriz numérica (float32) con que se agrupa: cada variable con varianza total 1.

    Numéricas recortadas a los percentiles 1 y 99 y estandarizadas; categóricas en codificación
    disjunta centrada y escalada; grupos de columnas escalados juntos; faltantes en el centro (0).
    ``columnas`` y ``grupos`` como en ``perfilar``.

    >>> import pandas as pd
    >>> p = preparar(pd.DataFrame({"a": [1.0, 2.0, None, 3.0], "b": ["x", "y", "x", "x"]}))
    >>> p.matriz.shape, [round(float(p.matriz[:, p.bloques[v]].var(axis=0).sum()), 2) for v in p.variables]
    ((4, 3), [0.75, 1.0])
    """
    variables = _variables(clientes, columnas, dict(grupos or {}))
    bloques = {v.nombre: _bloque(clientes, v) for v in variables}
    usadas = [v for v in variables if bloques[v.nombre] is not None]
    limites = np.cumsum([0] + [bloques[v.nombre].shape[1] for v in usadas])
    matriz = (np.hstack([bloques[v.nombre] for v in usadas]) if usadas
              else np.empty((len(clientes), 0))).astype(np.float32)
    return Preparacion(
        matriz=matriz, variables={v.nombre: v.columnas for v in usadas},
        bloques={v.nombre: slice(int(a), int(b)) for v, a, b in zip(usadas, limites[:-1], limites[1:])},
        categoricas=tuple(v.nombre for v in usadas if v.categorica),
        descartadas=tuple(v.nombre for v in variables if bloques[v.nombre] is None),
    )
