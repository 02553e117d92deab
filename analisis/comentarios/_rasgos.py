"""Rasgos del sentimiento: raíces, negaciones y palabras de tono, que valen en cualquier negocio.

``RasgosTono`` es el analizador del TF-IDF del sentimiento. De cada cláusula (sin cruzar una
``analisis.texto.PAUSA``) da:

* la **raíz** Snowball de cada palabra (``analisis.texto.raiz``): «tardaron» y «tardó» cuentan juntas;
* las palabras que siguen a una **negación** («no», «nunca», «sin»…) marcadas con ``no_`` hasta
  ``ALCANCE_NEGACION`` palabras: «no volveremos» no es «volveremos»;
* una marca ``TONO+`` o ``TONO-`` por cada palabra de elogio o de queja (``analisis.texto.palabras_de_tono``),
  con el signo cambiado si está negada: el modelo aprende cuánto pesa el elogio o la queja en sí,
  y eso se lleva de un negocio a otro aunque cambien los sustantivos (habitaciones, platos, planes);
* los pares de raíces seguidas.
"""

import re

from analisis.texto import PATRON_PALABRA, PAUSA, palabras_de_tono, raiz

#: Palabras que niegan lo que sigue.
NEGACIONES = frozenset({"no", "nunca", "jamas", "ni", "sin", "tampoco", "nada", "nadie", "ningun", "ninguna"})
#: Palabras que una negación alcanza.
ALCANCE_NEGACION = 3

_PALABRA = re.compile(PATRON_PALABRA)


class RasgosTono:
    """Analizador de textos normalizados para ``TfidfVectorizer(analyzer=...)`` (ver el módulo).

    >>> RasgosTono()("no volveremos | excelente desayuno")
    ['no', 'no_volv', 'TONO-', 'no no_volv', 'excelent', 'desayun', 'TONO+', 'excelent desayun']
    """

    def __init__(self):
        self.tono = palabras_de_tono()

    def __call__(self, texto: str) -> list[str]:
        terminos = []
        for clausula in texto.split(PAUSA):
            raices, marcas, negadas = [], [], 0
            for palabra in _PALABRA.findall(clausula):
                clave = raiz(palabra)
                signo = self.tono.get(clave, 0)
                if negadas:
                    clave, signo, negadas = "no_" + clave, -signo, negadas - 1
                raices.append(clave)
                if signo:
                    marcas.append("TONO+" if signo > 0 else "TONO-")
                if palabra in NEGACIONES:
                    negadas = ALCANCE_NEGACION
            terminos += raices + marcas + [f"{a} {b}" for a, b in zip(raices, raices[1:])]
        return terminos
