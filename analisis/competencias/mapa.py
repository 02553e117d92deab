"""El mapa de calor de las brechas: grupos × competencias, ordenado para que el peor bloque quede arriba."""

from dataclasses import dataclass

import pandas as pd

from analisis.competencias._comun import _faltan

__all__ = ["MapaBrechas", "mapa_brechas"]


@dataclass(frozen=True)
class MapaBrechas:
    """Matrices grupo × competencia para el mapa de calor, ya ordenadas.

    ``brecha`` (NaN donde la muestra es insuficiente), ``puntaje`` y ``n`` comparten índice
    (etiquetas de grupo) y columnas (nombres de competencia).
    """

    brecha: pd.DataFrame
    puntaje: pd.DataFrame
    n: pd.DataFrame


def mapa_brechas(tabla: pd.DataFrame) -> MapaBrechas:
    """Ordena la tabla de ``brechas`` como matriz para que el peor bloque quede arriba a la izquierda.

    Columnas: competencias de mayor a menor brecha media entre grupos. Filas: grupos de mayor
    a menor brecha media, ponderando cada competencia por su brecha media positiva (así los
    grupos que fallan en las competencias más débiles de todos suben juntos). Las celdas con
    muestra insuficiente no cuentan para el orden y quedan vacías; los grupos sin ninguna cifra, al final.
    """
    _faltan(tabla, "tabla", ("etiqueta", "nombre_competencia", "brecha", "puntaje", "n", "suficiente"))
    brecha = tabla.assign(brecha=tabla["brecha"].where(tabla["suficiente"])).pivot_table(
        index="etiqueta", columns="nombre_competencia", values="brecha", aggfunc="first", dropna=False)
    columnas = brecha.mean().sort_values(ascending=False, na_position="last").index
    peso = brecha.mean().clip(lower=0).reindex(columnas).fillna(0) + 1e-9
    puntuacion = ((brecha[columnas].fillna(0) * peso).sum(axis=1) / peso.sum()).where(brecha.notna().any(axis=1))
    filas = puntuacion.sort_values(ascending=False, kind="stable", na_position="last").index
    def matriz(valores: str) -> pd.DataFrame:
        return tabla.pivot_table(index="etiqueta", columns="nombre_competencia", values=valores,
                                 aggfunc="first", dropna=False).reindex(index=filas, columns=columnas)
    return MapaBrechas(brecha.reindex(index=filas, columns=columnas), matriz("puntaje"), matriz("n"))
