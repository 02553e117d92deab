"""Piezas que comparten los módulos de competencias: el NaN y la validación de columnas."""

import pandas as pd

_NAN = float("nan")


def _faltan(tabla: pd.DataFrame, nombre: str, columnas: tuple[str, ...]) -> None:
    """ValueError que nombra el parámetro si ``tabla`` no tiene todas las ``columnas``."""
    faltan = sorted(set(columnas) - set(tabla.columns))
    if faltan:
        raise ValueError(f"'{nombre}' no tiene las columnas {faltan}")
