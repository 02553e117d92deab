"""Nombre automático de cada tema: sus palabras principales, encadenadas y con tildes.

Las palabras principales del tema se unen cuando los pares se encadenan («entrega llegó» +
«llegó tarde» → «entrega llegó tarde») y toman las tildes más frecuentes en los textos
originales. La **firma** (huella de las palabras principales) permite guardar el nombre o la
unión que un usuario le dé (``_guardados``).
"""

import hashlib
import re
from collections import Counter
from collections.abc import Iterable, Mapping, Sequence

import numpy as np
from sklearn.decomposition import NMF
from sklearn.feature_extraction.text import TfidfVectorizer

from analisis.comentarios._eleccion import PALABRAS_POR_TEMA, principales
from analisis.texto import normalizar


def _formas_visibles(originales: Iterable[str], normalizadas: set[str]) -> dict[str, str]:
    """Para cada palabra normalizada, su forma más frecuente en los textos originales («llego» → «llegó»)."""
    cuentas: dict[str, Counter] = {palabra: Counter() for palabra in normalizadas}
    for texto in originales:
        for forma in re.findall(r"[^\W\d_]+", str(texto).lower()):
            clave = normalizar(forma)
            if clave in cuentas:
                cuentas[clave][forma] += 1
    return {clave: (cuenta.most_common(1)[0][0] if cuenta else clave) for clave, cuenta in cuentas.items()}


def _frases(terminos: Sequence[str], maximo: int, juntos=None, largo: int = 3) -> list[str]:
    """Hasta ``maximo`` frases con los términos en orden de peso, encadenando pares que comparten una palabra.

    Un par se pega al final (o al principio) de una frase de menos de ``largo`` palabras que
    termina (o empieza) con una de las suyas, si ``juntos(par_de_la_frase, par)`` (None: siempre)
    dice que suelen ir juntos; una palabra ya incluida no se repite y las frases contenidas en otra
    desaparecen.

    >>> _frases(["entrega llego", "aviso", "llego tarde", "tarde", "entrega"], 3)
    ['entrega llego tarde', 'aviso']
    >>> _frases(["pedido", "llego incompleto", "pedido llego"], 3, juntos=lambda a, b: False)
    ['pedido llego', 'llego incompleto']
    """
    frases: list[list[str]] = []
    for termino in terminos:
        palabras = termino.split()
        if any(all(p in frase for p in palabras) for frase in frases):
            continue
        if len(palabras) == 2 and _encadenar(frases, palabras, juntos, largo):
            continue
        frases.append(palabras)
    unicas = [f for f in frases if not any(f != otra and set(f) <= set(otra) for otra in frases)]
    return [" ".join(f) for f in unicas[:maximo]]


def _encadenar(frases: list[list[str]], par: list[str], juntos, largo: int) -> bool:
    """Pega ``par`` a la primera frase con la que se encadena; True si lo hizo."""
    primera, segunda = par
    for frase in frases:
        if len(frase) >= largo or (primera in frase and segunda in frase):
            continue
        acepta = juntos is None or len(frase) < 2 or juntos(" ".join(frase), " ".join(par))
        if frase[-1] == primera and segunda not in frase and acepta:
            frase.append(segunda)
            return True
        if frase[0] == segunda and primera not in frase and acepta:
            frase.insert(0, primera)
            return True
    return False


def _juntos(matriz, indice: Mapping[str, int]):
    """Función (par_a, par_b) → True si al menos la mitad de los comentarios del par menos frecuente traen ambos."""
    presente = (matriz > 0).tocsc().astype(np.float32)
    frecuencia = np.asarray(presente.sum(axis=0)).ravel()

    def juntos(a: str, b: str) -> bool:
        i, j = indice[a], indice[b]
        return presente[:, i].multiply(presente[:, j]).sum() >= 0.5 * min(frecuencia[i], frecuencia[j])
    return juntos


def describir_temas(nmf: NMF, vectorizador: TfidfVectorizer, matriz, originales: Iterable[str]):
    """Palabras visibles, nombres, firmas y claves de cada tema."""
    vocabulario = vectorizador.get_feature_names_out()
    por_tema = [list(vocabulario[i]) for i in principales(nmf.components_)]
    formas = _formas_visibles(originales, {p for terminos in por_tema for t in terminos for p in t.split()})
    juntos = _juntos(matriz, vectorizador.vocabulary_)
    palabras, nombres, firmas, claves = {}, {}, {}, {}
    for tema, terminos in enumerate(por_tema):
        frases = [" ".join(formas[p] for p in frase.split())
                  for frase in _frases(terminos, PALABRAS_POR_TEMA, juntos)]
        palabras[tema] = tuple(frases)
        nombre = _nombre_automatico(frases)
        nombres[tema] = nombre[:1].upper() + nombre[1:]
        claves[tema] = frozenset(terminos)
        firmas[tema] = hashlib.sha1("|".join(sorted(terminos)).encode()).hexdigest()[:16]
    return palabras, nombres, firmas, claves


def _nombre_automatico(frases: Sequence[str]) -> str:
    """La primera frase y, si hay, la siguiente que no repite ninguna de sus palabras.

    >>> _nombre_automatico(["pedido llegó incompleto", "llegó completo", "buen estado"])
    'pedido llegó incompleto, buen estado'
    """
    usadas = set(frases[0].split())
    otra = next((f for f in frases[1:] if not usadas & set(f.split())), None)
    return frases[0] if otra is None else f"{frases[0]}, {otra}"
