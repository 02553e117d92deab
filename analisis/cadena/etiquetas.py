"""Dónde va el nombre de cada punto del mapa de cuadrantes para que ningún par de nombres se pise.

Colocación voraz en píxeles del área de dibujo: se colocan primero los puntos que más importan (el orden de
entrada) y cada nombre prueba, de cerca a lejos, posiciones alrededor de su punto (derecha, izquierda, arriba,
abajo y diagonales) hasta dar con una caja que no pisa otro nombre, ni un punto, ni un obstáculo (los nombres de
los cuadrantes) y que cabe en el área. Si el nombre completo no cabe en ninguna, se prueba el corto (el número de
la etapa, que el diagrama y las tablas repiten); si tampoco, se recorre el área entera en una rejilla. El dibujo
une cada nombre con su punto por una línea fina.
"""

import math
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
import pandas as pd

__all__ = ["Caja", "ancho_de_texto", "colocar_etiquetas"]

#: Ancho medio de un carácter, en fracciones del tamaño de letra (Open Sans, la letra de Plotly, con margen).
_ANCHO_LETRA = 0.62
#: Radio en píxeles alrededor de cada punto que ningún nombre tapa.
_RADIO_PUNTO = 7
#: Separación mínima entre dos cajas, en píxeles.
_HOLGURA = 2
#: Direcciones que se prueban, en este orden (x a la derecha, y hacia abajo).
_DIRECCIONES = ((1, 0), (-1, 0), (0, -1), (0, 1), (1, -1), (-1, -1), (1, 1), (-1, 1))
#: Distancias extra (píxeles) con que se alejan las posiciones probadas del punto.
_ALEJAMIENTOS = (0, 8, 18, 30, 46, 66, 90, 120, 160)


@dataclass(frozen=True)
class Caja:
    """Rectángulo en píxeles (x hacia la derecha, y hacia abajo)."""

    x0: float
    y0: float
    x1: float
    y1: float

    def pisa(self, otra: "Caja", holgura: float = _HOLGURA) -> bool:
        """True si las dos cajas se solapan (o quedan a menos de ``holgura`` píxeles)."""
        return not (self.x1 + holgura <= otra.x0 or otra.x1 + holgura <= self.x0
                    or self.y1 + holgura <= otra.y0 or otra.y1 + holgura <= self.y0)

    def dentro(self, ancho: float, alto: float) -> bool:
        """True si la caja cabe en el área de ``ancho`` × ``alto`` píxeles."""
        return self.x0 >= 0 and self.y0 >= 0 and self.x1 <= ancho and self.y1 <= alto


def ancho_de_texto(texto: str, letra: float) -> float:
    """Ancho aproximado en píxeles de ``texto`` en letra de ``letra`` píxeles (con 6 px de margen).

    >>> ancho_de_texto("Entrega", 10)
    49.4
    """
    return round(len(texto) * _ANCHO_LETRA * letra + 6, 6)


def _centrada(x: float, y: float, ancho: float, alto: float) -> Caja:
    """Caja de ``ancho`` × ``alto`` centrada en (x, y)."""
    return Caja(x - ancho / 2, y - alto / 2, x + ancho / 2, y + alto / 2)


def _alrededor(x: float, y: float, ancho: float, alto: float):
    """Cajas candidatas alrededor del punto (x, y), de la más cercana a la más lejana."""
    for extra in _ALEJAMIENTOS:
        for dx, dy in _DIRECCIONES:
            yield _centrada(x + dx * (ancho / 2 + _RADIO_PUNTO + extra), y + dy * (alto / 2 + _RADIO_PUNTO + extra),
                            ancho, alto)


def _en_rejilla(x: float, y: float, ancho: float, alto: float, area: tuple[float, float]):
    """Cajas de una rejilla que cubre el área, de la más cercana a la más lejana del punto (x, y)."""
    xs = np.arange(ancho / 2, area[0] - ancho / 2 + 1e-9, max(ancho / 2, 4.0))
    ys = np.arange(alto / 2, area[1] - alto / 2 + 1e-9, max(alto / 2, 4.0))
    centros = sorted(((cx, cy) for cx in xs for cy in ys), key=lambda c: math.hypot(c[0] - x, c[1] - y))
    return (_centrada(cx, cy, ancho, alto) for cx, cy in centros)


def _primera_libre(candidatas, ocupadas: list[Caja], area: tuple[float, float]) -> Caja | None:
    """La primera candidata que cabe en el área y no pisa ninguna caja ocupada."""
    return next((c for c in candidatas if c.dentro(*area) and not any(c.pisa(o) for o in ocupadas)), None)


def colocar_etiquetas(x: Sequence[float], y: Sequence[float], textos: Sequence[str], cortos: Sequence[str], *,
                      area: tuple[float, float], letra: float = 11,
                      obstaculos: Sequence[Caja] = ()) -> pd.DataFrame:
    """El nombre de cada punto, sin que dos nombres se pisen.

    Parameters
    ----------
    x, y : posición de cada punto en píxeles del área de dibujo (x hacia la derecha, y hacia abajo), en el orden en
        que se colocan (el primero elige antes).
    textos, cortos : nombre completo y nombre corto (p. ej. el número de la etapa) de cada punto.
    area : (ancho, alto) del área de dibujo en píxeles.
    letra : tamaño de letra en píxeles.
    obstaculos : cajas que ningún nombre puede pisar (otros textos del gráfico).

    Returns
    -------
    DataFrame con una fila por punto y en su orden: ``texto`` (el completo o el corto), ``dx``, ``dy`` (centro del
    nombre respecto de su punto, en píxeles) y la caja ``x0``, ``y0``, ``x1``, ``y1``.

    >>> t = colocar_etiquetas([100, 104], [50, 50], ["Entrega", "Seguimiento"], ["1", "2"], area=(400, 300))
    >>> t["texto"].tolist(), bool(t.loc[0, "dx"] < 0), bool(t.loc[1, "dx"] > 0)  # cada uno a un lado
    (['Entrega', 'Seguimiento'], True, True)
    """
    if not len(x) == len(y) == len(textos) == len(cortos):
        raise ValueError("'x', 'y', 'textos' y 'cortos' deben tener el mismo largo")
    alto = letra * 1.3 + 4
    puntos = [_centrada(px, py, 2 * _RADIO_PUNTO - 2 * _HOLGURA, 2 * _RADIO_PUNTO - 2 * _HOLGURA)
              for px, py in zip(x, y)]
    ocupadas = list(obstaculos)
    filas = []
    for i, (px, py) in enumerate(zip(x, y)):
        otros_puntos = puntos[:i] + puntos[i + 1:]
        caja, texto = None, textos[i]
        for texto in (textos[i], cortos[i]):
            ancho = ancho_de_texto(texto, letra)
            caja = _primera_libre(_alrededor(px, py, ancho, alto), ocupadas + otros_puntos, area)
            if caja is not None:
                break
        if caja is None:
            caja = _primera_libre(_en_rejilla(px, py, ancho, alto, area), ocupadas, area) or _centrada(
                px, py, ancho, alto)
        ocupadas.append(caja)
        filas.append({"texto": texto, "dx": (caja.x0 + caja.x1) / 2 - px, "dy": (caja.y0 + caja.y1) / 2 - py,
                      "x0": caja.x0, "y0": caja.y0, "x1": caja.x1, "y1": caja.y1})
    return pd.DataFrame(filas, columns=["texto", "dx", "dy", "x0", "y0", "x1", "y1"])
