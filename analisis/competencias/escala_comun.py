"""Escala común de las auditorías: cada escala (1–5, 0–100, cumple/no cumple) se lleva a 0..1.

Todo valor se convierte con ``(v − mínimo) / (máximo − mínimo)``: 1–5 → (v − 1)/4,
0–100 → v/100, cumple/no cumple → 1/0. Las metas del estándar están en esa escala.
"""

import math
from collections.abc import Mapping
from dataclasses import dataclass

import numpy as np
import pandas as pd

from analisis.competencias._comun import _NAN
from analisis.formato import numero, porcentaje

__all__ = ["Escala", "ESCALAS", "a_escala_comun", "reglas_de_escala", "tabla_de_conversion"]


@dataclass(frozen=True)
class Escala:
    """Una escala de auditoría: código guardado en ``auditorias.escala``, nombre visible y extremos."""

    codigo: str
    nombre: str
    minimo: float
    maximo: float


#: Escalas de auditoría reconocidas. Un valor ``v`` vale ``(v − minimo) / (maximo − minimo)`` en la escala común.
ESCALAS: tuple[Escala, ...] = (
    Escala("1-5", "1 a 5", 1.0, 5.0),
    Escala("0-100", "0 a 100", 0.0, 100.0),
    Escala("cumple", "Cumple / no cumple", 0.0, 1.0),
)


def _escala(codigo: str) -> Escala:
    """La escala de código ``codigo``; ValueError si no se reconoce."""
    for escala in ESCALAS:
        if escala.codigo == codigo:
            return escala
    raise ValueError(f"'escala' debe ser una de {[e.codigo for e in ESCALAS]}, no {codigo!r}")


def a_escala_comun(valor: float | None, escala: str) -> float:
    """Convierte un valor de auditoría a la escala común 0..1 (NaN si es N/A).

    >>> a_escala_comun(4, "1-5"), a_escala_comun(85, "0-100"), a_escala_comun(0, "cumple")
    (0.75, 0.85, 0.0)
    """
    regla = _escala(escala)
    if valor is None or (isinstance(valor, float) and math.isnan(valor)):
        return _NAN
    return (float(valor) - regla.minimo) / (regla.maximo - regla.minimo)


def reglas_de_escala() -> tuple[tuple[str, float, float], ...]:
    """Las escalas como ternas (código, mínimo, máximo), el formato que piden las consultas."""
    return tuple((e.codigo, e.minimo, e.maximo) for e in ESCALAS)


def _texto_regla(escala: Escala) -> str:
    """La fórmula de conversión de una escala, como se muestra al usuario."""
    if (escala.minimo, escala.maximo) == (0.0, 1.0):
        return "cumple = 1, no cumple = 0"
    ancho = numero(escala.maximo - escala.minimo, 0)
    return f"v / {ancho}" if escala.minimo == 0 else f"(v − {numero(escala.minimo, 0)}) / {ancho}"


def tabla_de_conversion(conteos: Mapping[str, int] | None = None) -> pd.DataFrame:
    """Tabla para la interfaz: escala, regla de conversión, ejemplos y auditorías encontradas en cada una.

    ``conteos`` (escala → número de auditorías) añade las escalas no reconocidas, con la
    regla "no reconocida: sus valores no se usan".

    >>> tabla_de_conversion().loc[0, "Regla"]
    '(v − 1) / 4'
    """
    conteos = dict(conteos or {})
    filas = []
    for escala in ESCALAS:
        puntos = np.linspace(escala.minimo, escala.maximo, 5 if escala.maximo > 1 else 2)
        ejemplos = " · ".join(f"{numero(v, 0)} → {porcentaje(a_escala_comun(v, escala.codigo), 0)}" for v in puntos)
        filas.append({"Escala": escala.nombre, "Regla": _texto_regla(escala), "Ejemplos": ejemplos,
                      "Auditorías": conteos.pop(escala.codigo, 0)})
    for codigo, n in conteos.items():
        filas.append({"Escala": str(codigo), "Regla": "no reconocida: sus valores no se usan", "Ejemplos": "",
                      "Auditorías": n})
    return pd.DataFrame(filas)
