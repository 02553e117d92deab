"""Nombres y uniones de temas que los usuarios guardaron, y las filas que los guardan.

Al reajustar, un tema hereda lo guardado del tema guardado más parecido (misma firma, o Jaccard
de palabras principales ≥ ``UMBRAL_PARECIDO``). Lo guarda ``datos.ajustes.temas``.
"""

from collections.abc import Mapping
from dataclasses import replace

import pandas as pd

from analisis.comentarios._temas import Temas


#: Parecido (Jaccard de palabras principales) desde el que un tema hereda un nombre guardado.
UMBRAL_PARECIDO = 0.5


def _jaccard(a: frozenset, b: frozenset) -> float:
    """|a ∩ b| / |a ∪ b| (0 si ambos están vacíos)."""
    return len(a & b) / len(a | b) if a | b else 0.0


def _emparejar(resultado: Temas, guardados: pd.DataFrame) -> dict[int, pd.Series]:
    """Fila guardada que corresponde a cada tema: la de mayor parecido, si llega a ``UMBRAL_PARECIDO``."""
    pares = []
    for posicion, fila in enumerate(guardados.itertuples(index=False)):
        palabras = frozenset(str(fila.palabras or "").split("|")) - {""}
        for tema, clave in resultado.claves.items():
            parecido = 1.0 if fila.firma == resultado.firmas[tema] else _jaccard(clave, palabras)
            if parecido >= UMBRAL_PARECIDO:
                pares.append((parecido, tema, posicion))
    elegidos, usadas = {}, set()
    for _, tema, posicion in sorted(pares, key=lambda p: -p[0]):
        if tema not in elegidos and posicion not in usadas:
            elegidos[tema] = guardados.iloc[posicion]
            usadas.add(posicion)
    return elegidos


def _resolver_uniones(destino: dict[int, int]) -> dict[int, int]:
    """Sigue las cadenas de uniones hasta el tema final; las que forman un ciclo se descartan."""
    final = {}
    for tema in destino:
        visto, actual = {tema}, destino[tema]
        while actual in destino and actual not in visto:
            visto.add(actual)
            actual = destino[actual]
        if actual not in visto:
            final[tema] = actual
    return final


def con_guardados(resultado: Temas, guardados: pd.DataFrame) -> Temas:
    """Los temas con los nombres y las uniones que los usuarios guardaron.

    ``guardados`` trae ``firma``, ``nombre`` (vacío = el automático), ``unir_con`` (firma del tema
    en que se funde, o vacío) y ``palabras`` (claves separadas por «|»), como
    ``datos.consultas.comentarios.temas_comentarios``. Los comentarios de un tema unido pasan al tema destino,
    que suma sus palabras; el tema unido conserva su nombre y sus palabras (para deshacer la unión).
    """
    emparejados = _emparejar(resultado, guardados)
    nombres = {t: (emparejados[t]["nombre"] if t in emparejados and isinstance(emparejados[t]["nombre"], str)
                   and emparejados[t]["nombre"] else nombre) for t, nombre in resultado.nombres.items()}
    tema_de_firma = {fila["firma"]: t for t, fila in emparejados.items()} | {f: t for t, f in resultado.firmas.items()}
    destino = {t: tema_de_firma[fila["unir_con"]] for t, fila in emparejados.items()
               if isinstance(fila["unir_con"], str) and tema_de_firma.get(fila["unir_con"], t) != t}
    uniones = _resolver_uniones(destino)
    palabras = dict(resultado.palabras)
    for origen, final in uniones.items():
        palabras[final] = tuple(dict.fromkeys(palabras[final] + resultado.palabras[origen]))
    return replace(resultado, nombres=nombres, palabras=palabras, uniones=uniones,
                   etiquetas=pd.Series(resultado.etiquetas).replace(uniones).to_numpy())


def cambios_de_temas(resultado: Temas, nombres: Mapping[int, str], uniones: Mapping[int, int | None]) -> list[tuple]:
    """Filas (firma, nombre, unir_con, palabras) que guardan lo que el usuario escribió.

    ``nombres``: tema → nombre escrito (vacío o igual al automático = sin nombre propio);
    ``uniones``: tema → tema en que fundirlo (None = ninguno). Se escribe una fila por tema, con
    la firma del ajuste actual.

    >>> from types import SimpleNamespace
    >>> r = SimpleNamespace(automaticos={0: "Entrega", 1: "Precio"}, firmas={0: "f0", 1: "f1"},
    ...                     claves={0: frozenset({"entrega"}), 1: frozenset({"precio"})})
    >>> cambios_de_temas(r, {0: " Retrasos ", 1: "Precio"}, {1: 0})
    [('f0', 'Retrasos', None, 'entrega'), ('f1', None, 'f0', 'precio')]
    """
    filas = []
    for tema, firma in resultado.firmas.items():
        escrito = (nombres.get(tema) or "").strip()
        propio = escrito if escrito and escrito != resultado.automaticos[tema] else None
        destino = uniones.get(tema)
        unir_con = resultado.firmas[destino] if destino is not None and destino != tema else None
        filas.append((firma, propio, unir_con, "|".join(sorted(resultado.claves[tema]))))
    return filas
