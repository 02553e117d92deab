"""El mapa de calor de las brechas: grupos × competencias, ordenado para que el peor bloque quede arriba."""

from dataclasses import dataclass

import pandas as pd

from analisis.competencias._comun import _faltan

__all__ = ["MapaBrechas", "mapa_brechas", "FILAS_MAPA"]

#: Grupos que el mapa de calor dibuja como mucho (los de mayor brecha; la tabla los lista todos).
FILAS_MAPA = 40


@dataclass(frozen=True)
class MapaBrechas:
    """Matrices grupo × competencia para el mapa de calor, ya ordenadas.

    ``brecha`` (NaN donde la muestra es insuficiente), ``puntaje`` y ``n`` comparten índice
    (etiquetas de grupo) y columnas (nombres de competencia). ``grupos``: cuántos grupos tenía la tabla
    (más que las filas si el mapa se limitó a los de mayor brecha).
    """

    brecha: pd.DataFrame
    puntaje: pd.DataFrame
    n: pd.DataFrame
    grupos: int


def mapa_brechas(tabla: pd.DataFrame, maximo: int | None = None) -> MapaBrechas:
    """Ordena la tabla de ``brechas`` como matriz para que el peor bloque quede arriba a la izquierda.

    Columnas: competencias de mayor a menor brecha media entre grupos. Filas: grupos de mayor
    a menor brecha media, ponderando cada competencia por su brecha media positiva (así los
    grupos que fallan en las competencias más débiles de todos suben juntos). Las celdas con
    muestra insuficiente no cuentan para el orden y quedan vacías; los grupos sin ninguna cifra, al final.
    Con ``maximo``, solo los ``maximo`` primeros grupos de ese orden (dibujar cientos de agentes no se lee).
    """
    _faltan(tabla, "tabla", ("etiqueta", "nombre_competencia", "brecha", "puntaje", "n", "suficiente"))
    brecha = tabla.assign(brecha=tabla["brecha"].where(tabla["suficiente"])).pivot_table(
        index="etiqueta", columns="nombre_competencia", values="brecha", aggfunc="first", dropna=False)
    columnas = brecha.mean().sort_values(ascending=False, na_position="last").index
    peso = brecha.mean().clip(lower=0).reindex(columnas).fillna(0) + 1e-9
    puntuacion = ((brecha[columnas].fillna(0) * peso).sum(axis=1) / peso.sum()).where(brecha.notna().any(axis=1))
    todas = puntuacion.sort_values(ascending=False, kind="stable", na_position="last").index
    filas = todas[:maximo]
    def matriz(valores: str) -> pd.DataFrame:
        """La matriz de la columna ``valores`` en el orden del mapa."""
        return tabla.pivot_table(index="etiqueta", columns="nombre_competencia", values=valores,
                                 aggfunc="first", dropna=False).reindex(index=filas, columns=columnas)
    return MapaBrechas(brecha.reindex(index=filas, columns=columnas), matriz("puntaje"), matriz("n"), len(todas))
