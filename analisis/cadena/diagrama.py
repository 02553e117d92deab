"""Geometría del diagrama de la cadena: cajas en filas de a lo sumo siete, en zigzag, unidas por flechas.

Con muchas etapas (la aerolínea de la muestra tiene 14) una sola fila deja cajas tan estrechas que los textos se
pisan; aquí la cadena se reparte en filas parejas que se leen en zigzag (la segunda de derecha a izquierda), de modo
que cada flecha une dos cajas vecinas y ninguna cruza el diagrama. Los nombres largos se parten en líneas.
"""

import math
import textwrap
from dataclasses import dataclass

import pandas as pd

__all__ = ["MAXIMO_POR_FILA", "ANCHO_MINIMO_PX", "DisposicionCadena", "disponer_cadena", "nombre_en_lineas",
           "letra_de_cajas", "caracteres_por_linea", "lineas_en_caja"]

#: Cajas por fila como máximo: con más, los nombres no caben en el ancho de la página.
MAXIMO_POR_FILA = 7
#: Ancho en píxeles del diagrama en la ventana más estrecha que se cuida (1280 px, sin la barra lateral ni los
#: márgenes de la página): los textos de las cajas se parten para caber ahí.
ANCHO_MINIMO_PX = 780
#: Ancho medio de un carácter de las cajas, en fracciones del tamaño de letra (medido en Chromium: «Promesa
#: incumplida: 12 %», 24 caracteres en letra de 13 px, ocupa 146 px, 0,47; con margen).
_ANCHO_LETRA_CAJA = 0.5
#: Margen de cada caja dentro de su celda de 1 × 1 (horizontal y vertical: el vertical deja sitio a la flecha).
_MARGEN_X, _MARGEN_Y = 0.07, 0.12


@dataclass(frozen=True)
class DisposicionCadena:
    """Dónde va cada caja y cada flecha, en unidades de celda (x hacia la derecha, y hacia abajo desde 0).

    ``cajas``: una fila por etapa, en orden, con ``fila``, ``columna``, ``x0``, ``x1``, ``y0``, ``y1`` (y0 arriba).
    ``flechas``: una por par de etapas seguidas, ``x``, ``y`` (punta) y ``ax``, ``ay`` (cola).
    """

    cajas: pd.DataFrame
    flechas: pd.DataFrame
    filas: int
    columnas: int


def disponer_cadena(n: int, *, maximo_por_fila: int = MAXIMO_POR_FILA) -> DisposicionCadena:
    """Cajas de ``n`` etapas en ``ceil(n / maximo_por_fila)`` filas parejas, en zigzag, y sus flechas.

    >>> d = disponer_cadena(14)
    >>> d.filas, d.columnas, d.cajas["columna"].tolist()[5:9]
    (2, 7, [5, 6, 6, 5])
    """
    if n < 1 or maximo_por_fila < 1:
        raise ValueError("'n' y 'maximo_por_fila' deben ser al menos 1")
    filas = math.ceil(n / maximo_por_fila)
    columnas = math.ceil(n / filas)
    cajas = []
    for i in range(n):
        fila, paso = divmod(i, columnas)
        columna = paso if fila % 2 == 0 else columnas - 1 - paso
        cajas.append({"fila": fila, "columna": columna, "x0": columna + _MARGEN_X, "x1": columna + 1 - _MARGEN_X,
                      "y0": fila + _MARGEN_Y, "y1": fila + 1 - _MARGEN_Y})
    cajas = pd.DataFrame(cajas)
    flechas = [_flecha(cajas.iloc[i - 1], cajas.iloc[i]) for i in range(1, n)]
    return DisposicionCadena(cajas, pd.DataFrame(flechas, columns=["x", "y", "ax", "ay"]), filas, columnas)


def _flecha(anterior: pd.Series, siguiente: pd.Series) -> dict:
    """Flecha del borde de ``anterior`` al de ``siguiente``: horizontal en la misma fila, hacia abajo al cambiar."""
    if anterior["fila"] != siguiente["fila"]:
        x = (siguiente["x0"] + siguiente["x1"]) / 2
        return {"x": x, "y": siguiente["y0"], "ax": x, "ay": anterior["y1"]}
    y = (siguiente["y0"] + siguiente["y1"]) / 2
    if siguiente["columna"] > anterior["columna"]:
        return {"x": siguiente["x0"], "y": y, "ax": anterior["x1"], "ay": y}
    return {"x": siguiente["x1"], "y": y, "ax": anterior["x0"], "ay": y}


def nombre_en_lineas(nombre: str, *, ancho: int = 18, lineas: int = 3) -> str:
    """``nombre`` partido en líneas de ``ancho`` caracteres unidas por ``<br>``; lo que no cabe acaba en «…».

    >>> nombre_en_lineas("Departure/Arrival time convenient")
    'Departure/Arrival<br>time convenient'
    """
    partes = textwrap.wrap(nombre, ancho, break_on_hyphens=False) or [nombre]
    if len(partes) > lineas:
        partes = partes[:lineas - 1] + [textwrap.shorten(" ".join(partes[lineas - 1:]), ancho, placeholder="…")]
    return "<br>".join(partes)


def letra_de_cajas(columnas: int) -> int:
    """Tamaño de letra (px) de los textos de las cajas en filas de ``columnas`` cajas: 13, 12 con cinco, 11 con más."""
    return 13 if columnas <= 4 else 12 if columnas == 5 else 11


def caracteres_por_linea(columnas: int, letra: int, *, ancho_px: float = ANCHO_MINIMO_PX) -> int:
    """Caracteres que caben en una línea de una caja en filas de ``columnas`` cajas, con letra de ``letra`` px,
    si el diagrama mide ``ancho_px``.

    >>> caracteres_por_linea(5, 12), caracteres_por_linea(7, 11)
    (21, 16)
    """
    caja = ancho_px / columnas * (1 - 2 * _MARGEN_X)
    return max(8, int((caja - 6) / (_ANCHO_LETRA_CAJA * letra)))


def lineas_en_caja(texto: str, ancho: int) -> str:
    """Cada línea de ``texto`` (separadas por ``<br>``) partida en líneas de ``ancho`` caracteres como mucho
    (un «%» no se separa de su número).

    >>> lineas_en_caja("Media: 3,18<br>Importancia: 17 %", 16).replace("\u00a0", "·")
    'Media: 3,18<br>Importancia:<br>17·%'
    """
    return "<br>".join(parte for linea in texto.split("<br>")
                       for parte in textwrap.wrap(linea.replace(" %", "\u00a0%"), ancho, break_on_hyphens=False)
                       or [linea])
