"""Nombre automático de cada tema: los sustantivos de sus palabras principales, con tildes.

Las palabras principales del tema (raíces, ``_vocabulario.TerminosTema``: ninguna es de tono) se
unen cuando los pares se encadenan («entrega llegó» + «llegó tarde» → «entrega llegó tarde») y
cada raíz se muestra con su forma más frecuente en los textos originales («habit» → «habitación»).
El **nombre** lo forman las dos primeras frases que empiezan por un **sustantivo**, reconocido sin
diccionario por la regla del español de que el sustantivo suele ir tras un artículo o un posesivo
(«la habitación», «el desayuno», «su pedido»): una palabra es sustantivo si al menos
``PARTE_SUSTANTIVO`` de sus apariciones siguen a un determinante. La **firma** (huella de las
palabras principales) permite guardar el nombre o la unión que un usuario le dé (``_guardados``).
"""

import hashlib
import re
from collections import Counter
from collections.abc import Iterable, Mapping, Sequence

import numpy as np
from sklearn.decomposition import NMF
from sklearn.feature_extraction.text import TfidfVectorizer

from analisis.comentarios._eleccion import PALABRAS_POR_TEMA, principales
from analisis.texto import normalizar, palabras_de_tono, palabras_vacias, raiz


#: Determinantes (y adjetivos que se anteponen: «buena disposición», «mucho ruido») que anuncian un sustantivo.
DETERMINANTES = frozenset({"el", "la", "los", "las", "un", "una", "unos", "unas", "del", "su", "sus", "mi", "mis",
                           "nuestro", "nuestra", "nuestros", "nuestras", "este", "esta", "estos", "estas", "ese", "esa",
                           "esos", "esas", "cada", "otro", "otra", "buen", "buena", "buenas", "mal", "mala", "gran",
                           "mucha", "mucho", "muchos", "muchas", "poca", "poco", "pocos", "pocas", "demasiado",
                           "demasiada", "excelente", "pésimo", "pésima"})
#: Raíces de sustantivos que no nombran un asunto: tiempo, lugar, cifras o cosa en general, y los de frases
#: hechas («sin lugar a duda», «vale la pena»).
GENERICOS = frozenset(raiz(p) for p in (
    "lugar", "sitio", "dia", "dias", "noche", "noches", "vez", "veces", "cosa", "cosas", "momento", "experiencia",
    "estancia", "gente", "persona", "personas", "duda", "año", "semana", "mes", "viaje", "vacaciones", "visita",
    "parte", "tipo", "forma", "manera", "resto", "verdad", "general", "nivel", "opinion", "gracias", "pena", "uno", "dos",
    "tres", "cuatro", "cinco"))
#: Parte de las apariciones de una palabra tras un determinante desde la que se tiene por sustantivo.
PARTE_SUSTANTIVO = 0.2


def _formas_visibles(originales: Iterable[str], raices: set[str]) -> tuple[dict[str, str], dict[str, float]]:
    """(raíz → su forma más frecuente en los textos originales, raíz → parte de sus apariciones tras un determinante).

    Las palabras vacías y de tono no cuentan («como» no da forma a la raíz de «comida»).

    >>> formas, sustantivo = _formas_visibles(["La habitación y las habitaciones", "llegó tarde", "como la comida"],
    ...                                       {"habit", "lleg", "com"})
    >>> formas["habit"], sustantivo["habit"], sustantivo["lleg"], formas["com"]
    ('habitación', 1.0, 0.0, 'comida')
    """
    cuentas: dict[str, Counter] = {r: Counter() for r in raices}
    tras_determinante: Counter = Counter()
    ajenas = palabras_vacias() | set(palabras_de_tono())
    for texto in originales:
        anterior = ""
        for forma in re.findall(r"[^\W\d_]+", str(texto).lower()):
            normal = normalizar(forma)
            clave = raiz(normal)
            if clave in cuentas and normal not in ajenas and clave not in ajenas:
                cuentas[clave][forma] += 1
                tras_determinante[clave] += anterior in DETERMINANTES
            anterior = forma
    formas = {r: (c.most_common(1)[0][0] if c else r) for r, c in cuentas.items()}
    return formas, {r: tras_determinante[r] / max(1, sum(c.values())) for r, c in cuentas.items()}


def terminos_de_asunto(vocabulario: Iterable[str], originales: Iterable[str]) -> list[str]:
    """Los términos (raíces o pares de raíces) que empiezan por un sustantivo en los textos originales y no
    tienen ninguna raíz ``GENERICOS``: «desayuno», «desayuno llegó», no «llegó» ni «llegó desayuno».

    >>> terminos_de_asunto(["desayun", "lleg", "lleg desayun", "desayun lleg", "lug"],
    ...                    ["Llegó el desayuno", "un desayuno", "el lugar"])
    ['desayun', 'desayun lleg']
    """
    vocabulario = [t for t in vocabulario if not set(t.split()) & GENERICOS]
    _, sustantivo = _formas_visibles(originales, {t.split()[0] for t in vocabulario})
    return [t for t in vocabulario if sustantivo[t.split()[0]] >= PARTE_SUSTANTIVO]


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
    formas, sustantivo = _formas_visibles(originales, {p for terminos in por_tema for t in terminos for p in t.split()})
    juntos = _juntos(matriz, vectorizador.vocabulary_)
    palabras, nombres, firmas, claves = {}, {}, {}, {}
    usados: set[str] = set()
    for tema, terminos in enumerate(por_tema):
        frases = _frases(terminos, PALABRAS_POR_TEMA, juntos)
        visibles = [" ".join(formas[p] for p in frase.split()) for frase in frases]
        palabras[tema] = tuple(visibles)
        nucleos = [_nucleo(frase.split(), formas, sustantivo) for frase in frases]
        nombre = _nombre_automatico([" ".join(formas[p] for p in n) for n in nucleos],
                                    [sustantivo[n[0]] >= PARTE_SUSTANTIVO for n in nucleos], usados)
        nombre = visibles[0] if nombre in usados else nombre  # «solución» ya nombra otro: «solución funcionó»
        usados.add(nombre)
        nombres[tema] = nombre[:1].upper() + nombre[1:]
        claves[tema] = frozenset(terminos)
        firmas[tema] = hashlib.sha1("|".join(sorted(terminos)).encode()).hexdigest()[:16]
    return palabras, nombres, firmas, claves


#: Terminaciones de formas verbales (pretéritos, imperfectos, infinitivos, gerundios) en la forma con tildes.
TERMINACIONES_VERBALES = ("ó", "aron", "ieron", "aba", "aban", "ía", "ían", "ar", "er", "ir", "ando", "iendo", "amos",
                          "imos")


def _nucleo(raices: list[str], formas: Mapping[str, str], sustantivo: Mapping[str, float]) -> list[str]:
    """La frase sin sus verbos (palabras con terminación verbal que nunca siguen a un determinante), si queda algo:
    «entrega llegó tarde» → «entrega tarde», «aire acondicionado funcionaba» → «aire acondicionado».

    >>> formas = {"entreg": "entrega", "lleg": "llegó", "tard": "tarde"}
    >>> _nucleo(["entreg", "lleg", "tard"], formas, {"entreg": 0.7, "lleg": 0.0, "tard": 0.3})
    ['entreg', 'tard']
    """
    nucleo = [r for r in raices if not (sustantivo[r] < 0.05 and formas[r].endswith(TERMINACIONES_VERBALES))]
    return nucleo or raices


def _nombre_automatico(frases: Sequence[str], sustantivos: Sequence[bool], usados: set[str] = frozenset()) -> str:
    """Las dos primeras frases que empiezan por sustantivo y no comparten palabras (sin ninguna, la primera frase);
    el nombre no puede ser uno de ``usados`` (el de otro tema): se prueba empezando por la frase siguiente.

    >>> _nombre_automatico(["llegó tarde", "pedido incompleto", "pedido", "entrega"], [False, True, True, True])
    'pedido incompleto, entrega'
    >>> _nombre_automatico(["entrega", "pedido", "demora"], [True, True, True], {"entrega, pedido"})
    'pedido, demora'
    """
    for inicio in range(len(frases)):
        elegidas: list[str] = []
        for frase, es_sustantivo in zip(frases[inicio:], sustantivos[inicio:]):
            if es_sustantivo and not set(frase.split()) & {p for e in elegidas for p in e.split()}:
                elegidas.append(frase)
            if len(elegidas) == 2:
                break
        if elegidas and ", ".join(elegidas) not in usados:
            return ", ".join(elegidas)
    return frases[0]
