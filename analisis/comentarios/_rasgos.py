"""Rasgos del sentimiento: raíces, negaciones y palabras de tono, que valen en cualquier negocio.

``RasgosTono`` es el analizador del TF-IDF del sentimiento. De cada cláusula (sin cruzar una
``analisis.texto.PAUSA``) da:

* la **raíz** Snowball de cada palabra (``analisis.texto.raiz``): «tardaron» y «tardó» cuentan juntas;
* las palabras que siguen a una **negación** («no», «nunca», «sin»…) marcadas con ``no_`` hasta
  ``ALCANCE_NEGACION`` palabras: «no volveremos» no es «volveremos»;
* una marca ``TONO+`` o ``TONO-`` por cada palabra de elogio o de queja (``analisis.texto.palabras_de_tono``),
  con el signo cambiado si está negada: el modelo aprende cuánto pesa el elogio o la queja en sí,
  y eso se lleva de un negocio a otro aunque cambien los sustantivos (habitaciones, platos, planes);
* la misma marca con el prefijo ``PERO`` si la palabra va después de un **giro adversativo** («pero»,
  «aunque», «sin embargo»…): en «la comida buena, pero el servicio pésimo» pesa lo que sigue al «pero»;
* y con el prefijo ``FIN`` si está en la **última cláusula**, donde las reseñas suelen dar su veredicto
  («… no lo recomiendo»);
* los pares de raíces seguidas.

Las marcas son rasgos comunes a todo negocio: con ellas el modelo aprendido en hoteles acierta más
reseñas de restaurantes (``benchmarks/comentarios_dominios.py``).

Al entrenar, los mismos textos se leen varias veces (validación, modelo final, textos sin nota): dentro de
``with rasgos.recordando():`` cada texto distinto se analiza una sola vez; al salir se olvida (el modelo
guardado no lleva los textos).
"""

import re
from collections.abc import Iterator
from contextlib import contextmanager

from analisis.texto import PATRON_PALABRA, PAUSA, palabras_de_tono, raiz

#: Palabras que niegan lo que sigue.
NEGACIONES = frozenset({"no", "nunca", "jamas", "ni", "sin", "tampoco", "nada", "nadie", "ningun", "ninguna"})
#: Palabras que una negación alcanza.
ALCANCE_NEGACION = 3
#: Palabras tras las que lo dicho pesa más que lo anterior («bien ubicado, pero sucio»).
ADVERSATIVAS = frozenset({"pero", "aunque", "embargo", "excepto", "salvo", "lastimosamente"})

_PALABRA = re.compile(PATRON_PALABRA)


class RasgosTono:
    """Analizador de textos normalizados para ``TfidfVectorizer(analyzer=...)`` (ver el módulo).

    >>> RasgosTono()("no volveremos | excelente desayuno")
    ['no', 'no_volv', 'TONO-', 'no no_volv', 'excelent', 'desayun', 'TONO+', 'FINTONO+', 'excelent desayun']
    >>> [t for t in RasgosTono()("bonito pero sucio") if "TONO" in t]
    ['TONO+', 'FINTONO+', 'TONO-', 'PEROTONO-', 'FINTONO-']
    """

    def __init__(self):
        self.tono = palabras_de_tono()
        self._recordados: dict[str, list[str]] | None = None

    @contextmanager
    def recordando(self) -> Iterator["RasgosTono"]:
        """Mientras dura, cada texto distinto se analiza una vez y se recuerda su resultado; al salir, se olvida.

        >>> rasgos = RasgosTono()
        >>> with rasgos.recordando():
        ...     rasgos("muy limpio") is rasgos("muy limpio")
        True
        >>> rasgos("muy limpio") is rasgos("muy limpio")
        False
        """
        self._recordados = {}
        try:
            yield self
        finally:
            self._recordados = None

    def __call__(self, texto: str) -> list[str]:
        if self._recordados is None:
            return self._analizar(texto)
        if texto not in self._recordados:
            self._recordados[texto] = self._analizar(texto)
        return self._recordados[texto]

    def _analizar(self, texto: str) -> list[str]:
        """Los términos de un texto normalizado (ver la clase)."""
        terminos, tras_adversativa = [], False
        clausulas = texto.split(PAUSA)
        for numero, clausula in enumerate(clausulas, start=1):
            raices, marcas, negadas = [], [], 0
            for palabra in _PALABRA.findall(clausula):
                tras_adversativa = tras_adversativa or palabra in ADVERSATIVAS
                clave = raiz(palabra)
                signo = self.tono.get(clave, 0)
                if negadas:
                    clave, signo, negadas = "no_" + clave, -signo, negadas - 1
                raices.append(clave)
                if signo:
                    marcas += self._marcas("TONO+" if signo > 0 else "TONO-", tras_adversativa, numero == len(clausulas))
                if palabra in NEGACIONES:
                    negadas = ALCANCE_NEGACION
            terminos += raices + marcas + [f"{a} {b}" for a, b in zip(raices, raices[1:])]
        return terminos

    @staticmethod
    def _marcas(marca: str, tras_adversativa: bool, ultima: bool) -> list[str]:
        """La marca de tono, y con ``PERO`` (tras un giro adversativo) y ``FIN`` (última cláusula) si toca."""
        return [marca] + ["PERO" + marca] * tras_adversativa + ["FIN" + marca] * ultima
