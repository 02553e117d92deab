"""Limpieza de textos en español: enmascarado de datos personales, normalización y palabras vacías.

Todo comentario pasa por aquí antes de mostrarse, exportarse o analizarse.

* ``enmascarar`` reemplaza los datos personales por una marca: correos (``[correo]``),
  teléfonos (``[teléfono]``), documentos de identidad (``[documento]``: DNI y NIE de España, RUT
  de Chile, CURP de México, y cualquier número precedido de «DNI», «RUT», «cédula», «CI»,
  «pasaporte»…) y números de tarjeta (``[tarjeta]``: 13 a 19 cifras, con o sin espacios o
  guiones). Cualquier otra serie de 7 o más cifras se trata como teléfono: ante la duda se oculta
  (así también se ocultan importes del millón en adelante escritos con puntos de miles).
* ``normalizar`` deja el texto listo para contar palabras: minúsculas, sin tildes (la ñ se
  conserva: «año» no es «ano»), letras repetidas de más reducidas («buenooo» → «bueno»), risas
  unificadas («jajaja» → «jaja»), emoticonos convertidos en emojis («:(» → 🙁) y los emojis
  conservados como palabras propias, porque señalan el tono.
* ``limpiar`` y ``enmascarar_todos`` aplican lo anterior a muchos textos a la vez, procesando
  una sola vez cada texto repetido (en los comentarios reales abundan «Excelente» y «Buen servicio»).
* ``palabras_vacias`` lee la lista de palabras vacías que viaja con el repositorio
  (``stopwords_es.txt``, unas 300 palabras funcionales).
* ``raiz`` reduce una palabra a su raíz con el lematizador Snowball del español (paquete
  ``snowballstemmer``, reglas sin datos que descargar): «habitaciones» y «habitación» → «habit».
* ``raices`` da las raíces de las palabras de un texto (sin palabras vacías) y ``quitar_raices``
  cambia en un texto original las palabras con esas raíces por ``SUPRIMIDO``: lo que queda guardado a
  partir de los comentarios de una persona suprimida (``datos.personas``) se limpia así.
* ``palabras_de_tono`` lee las palabras de elogio y de queja (``tono_es.txt``) por su raíz:
  los temas no se nombran con ellas y el sentimiento las cuenta como señal común a todo negocio.
"""

import re
from collections.abc import Callable, Iterable
from functools import cache
from pathlib import Path

import numpy as np
import pandas as pd
import snowballstemmer

__all__ = ["enmascarar", "normalizar", "limpiar", "normalizar_todos", "enmascarar_todos", "palabras_vacias", "Terminos",
           "PATRON_PALABRA", "PAUSA", "MARCAS", "raiz", "palabras_de_tono", "raices", "quitar_raices", "SUPRIMIDO"]

#: Marca que sustituye a cada clase de dato personal.
MARCAS = {"correo": "[correo]", "telefono": "[teléfono]", "documento": "[documento]", "tarjeta": "[tarjeta]"}

_CIFRAS_CON_SEPARADOR = r"\d(?:[ .\-]?\d)"
_DOCUMENTO_NOMBRADO = (
    r"(?P<rotulo>\b(?:dni|nie|nif|rut|run|curp|rfc|cuit|cuil|c[ée]dula|cc|ci|pasaporte|documento|identificaci[óo]n)"
    r"(?:\s+(?:de\s+identidad|de\s+ciudadan[íi]a|es|n[°ºo.]*|n[úu]mero|nro\.?))*\s*[:#]?\s*)"
    r"[a-z]{0,4}[ .\-]?\d(?:[ .\-]?\d){4,}(?:-?[a-z\d])?\b"
)
#: (clase, patrón) en orden de prioridad. Las fechas con guiones o puntos se reconocen primero
#: para dejarlas como están (si no, «12-03-2026» parecería un teléfono).
_PATRONES = (
    ("fecha", r"\b(?:(?:0?[1-9]|[12]\d|3[01])(?P<separador>[.\-])(?:0?[1-9]|1[0-2])(?P=separador)(?:19|20)\d\d"
              r"|(?:19|20)\d\d-\d\d?-\d\d?)\b"),
    ("correo", r"[\w.+\-]+@[\w\-]+(?:\.[\w\-]+)+"),
    ("documento", _DOCUMENTO_NOMBRADO),
    ("documento", r"\b[a-z][aeioux][a-z]{2}\d{6}[hm][a-z]{5}[a-z0-9]\d\b"),   # CURP
    ("documento", r"\b\d{1,2}\.?\d{3}\.?\d{3}-[\dk]\b"),                          # RUT
    ("documento", r"\b(?:\d{8}|[xyz]-?\d{7})-?[a-z]\b"),                             # DNI / NIE
    ("telefono", rf"\+\s?\d{{1,3}}[ .\-]?(?:\(\d{{1,4}}\)[ .\-]?)?{_CIFRAS_CON_SEPARADOR}{{5,13}}\b"),
    ("tarjeta", rf"\b{_CIFRAS_CON_SEPARADOR}{{12,18}}\b"),
    ("telefono", rf"(?:\(\d{{1,4}}\)[ .\-]?)?\b{_CIFRAS_CON_SEPARADOR}{{6,11}}\b"),
)
_DATO_PERSONAL = re.compile("|".join(f"(?P<{clase}{i}>{patron})" for i, (clase, patron) in enumerate(_PATRONES)),
                            re.IGNORECASE)
#: Todo dato personal lleva una arroba o al menos 5 cifras seguidas (con separadores): los demás textos se saltan.
_PUEDE_TENER_DATOS = re.compile(r"@|\d(?:[ .\-]?\d){4}")


def _marca(coincidencia: re.Match) -> str:
    """Marca de la clase del patrón que coincidió; el rótulo («DNI:») se conserva y una fecha queda tal cual."""
    clase = coincidencia.lastgroup.rstrip("0123456789")
    return coincidencia.group() if clase == "fecha" else (coincidencia.group("rotulo") or "") + MARCAS[clase]


def enmascarar(texto: str | None) -> str | None:
    """El texto con correos, teléfonos, documentos y tarjetas sustituidos por su marca.

    ``None`` queda ``None``. Los patrones se prueban de izquierda a derecha en el texto; en una
    misma posición gana el más específico (correo, documento, teléfono internacional, tarjeta,
    teléfono).

    >>> enmascarar("Soy josé.pérez@correo.com.mx, DNI 12345678Z; llámenme al +56 9 8765 4321.")
    'Soy [correo], DNI [documento]; llámenme al [teléfono].'
    >>> enmascarar("Mi cédula: 1.020.304.050 (vence el 12-03-2030)")
    'Mi cédula: [documento] (vence el 12-03-2030)'
    >>> enmascarar("Pagué con la 4111 1111 1111 1111 y nada")
    'Pagué con la [tarjeta] y nada'
    """
    if texto is None or not _PUEDE_TENER_DATOS.search(texto):
        return texto
    return _DATO_PERSONAL.sub(_marca, texto)


# ---------------------------------------------------------------------------
# Normalización
# ---------------------------------------------------------------------------

_SIN_TILDES = str.maketrans("áàâäãéèêëíìîïóòôöõúùûüçÁÀÂÄÃÉÈÊËÍÌÎÏÓÒÔÖÕÚÙÛÜÇÑ",
                            "aaaaaeeeeiiiiooooouuuucaaaaaeeeeiiiiooooouuuucñ")
#: (signos que delatan el emoticono, patrón, emoji): el patrón solo se prueba si el texto tiene alguno de esos signos.
_EMOTICONOS = (
    (":;=xX(", re.compile(r"(?<!\w)(?::|;|=)-?(?:\)+|d\b|p\b)|(?<!\w)x-?d\b|\(+-?:", re.IGNORECASE), " 🙂 "),
    (":=", re.compile(r"(?<!\w)(?::|=)'?-?\(+|\)+-?:(?!\w)"), " 🙁 "),
    ("<", re.compile(r"<3"), " ❤ "),
)
_MARCAS_DATOS = re.compile("|".join(re.escape(m) for m in MARCAS.values()))
_RISA = re.compile(r"\b(?:j+[aeiou]+){2,}j*\b")
_REPETIDAS = re.compile(r"([^\W\d_])\1{2,}")
#: Emojis y pictogramas (se separan como palabras propias); los modificadores de tono, el
#: selector de variación y el unidor de ancho cero se descartan.
_EMOJIS = "\U0001F300-\U0001FAFF\u2600-\u27BF\u2B50\u2B55\u2764\u2763"
_EMOJI = re.compile(f"[{_EMOJIS}]")
_MODIFICADORES = re.compile("[\U0001F3FB-\U0001F3FF\uFE0F\u200D]")
#: Signos que cierran una frase o una cláusula: se marcan con «|» para no formar pares de palabras que
#: crucen de una a otra («fue buena, | pero la entrega…» no da el par «buena entrega»).
PAUSA = "|"
_PAUSAS = re.compile(r"[.,;:!?¡¿()…\n]+")
_NO_PALABRA = re.compile(rf"[^\w\s{_EMOJIS}|]|_")
_PAUSAS_SEGUIDAS = re.compile(r"(?:\s*\|)+\s*")

#: Una palabra del texto normalizado: empieza por letra y sigue con letras o cifras, o un emoji
#: suelto. Las cifras solas no son palabras.
PATRON_PALABRA = rf"(?u)\b[^\W\d_]\w+\b|[{_EMOJIS}]"


def normalizar(texto: str | None) -> str:
    """Texto en minúsculas, sin tildes ni signos, con letras repetidas y risas reducidas.

    Los emoticonos pasan a emoji y los emojis quedan separados como palabras. Los signos que
    separan frases o cláusulas quedan como ``PAUSA`` («|»); los demás se quitan. Las marcas de
    ``enmascarar`` se quitan (no son palabras del cliente). ``None`` da un texto vacío.

    >>> normalizar("¡¡Pésimo servicio!!! Llegó TARDÍSIMOOO :( 😡😡")
    'pesimo servicio | llego tardisimo 🙁 😡 😡'
    >>> normalizar("Jajajaja, el año pasado [correo] fue mejor :)")
    'jaja | el año pasado fue mejor 🙂'
    """
    if not texto:
        return ""
    if "[" in texto:
        texto = _MARCAS_DATOS.sub(" ", texto)
    for signos, patron, emoji in _EMOTICONOS:
        if any(signo in texto for signo in signos):
            texto = patron.sub(emoji, texto)
    texto = texto.lower().translate(_SIN_TILDES)
    if "j" in texto:
        texto = _RISA.sub("jaja", texto)
    texto = _NO_PALABRA.sub(" ", _PAUSAS.sub(" | ", _REPETIDAS.sub(r"\1", texto)))
    if not texto.isascii():  # emojis (y la ñ): se quitan los modificadores y se separan los emojis
        texto = _EMOJI.sub(r" \g<0> ", _MODIFICADORES.sub("", texto))
    texto = " ".join(texto.split())
    return _PAUSAS_SEGUIDAS.sub(" | ", texto).strip(" |") if PAUSA in texto else texto


def _por_unicos(textos: Iterable, funcion: Callable[[str | None], str | None], vacio) -> np.ndarray:
    """``funcion`` aplicada a cada texto distinto una sola vez; los vacíos (None, NaN) dan ``vacio``."""
    codigos, unicos = pd.factorize(pd.Series(list(textos), dtype=object))
    resultados = np.array([funcion(str(texto)) for texto in unicos] + [vacio], dtype=object)
    return resultados[codigos]


def limpiar(textos: Iterable) -> np.ndarray:
    """Cada texto enmascarado y normalizado (``normalizar(enmascarar(t))``); los vacíos dan "".

    >>> limpiar(["¡Excelente!", None, "¡Excelente!", "Llámenme al 600 123 456."]).tolist()
    ['excelente', '', 'excelente', 'llamenme al']
    """
    return _por_unicos(textos, lambda texto: normalizar(enmascarar(texto)), "")


def normalizar_todos(textos: Iterable) -> np.ndarray:
    """Cada texto normalizado (los vacíos dan ""): ``limpiar`` para textos que ya pasaron por ``enmascarar``."""
    return _por_unicos(textos, normalizar, "")


def enmascarar_todos(textos: Iterable) -> np.ndarray:
    """Cada texto con sus datos personales enmascarados (para mostrar o exportar); los vacíos dan None.

    >>> enmascarar_todos(["Mi correo: ana@correo.com", None]).tolist()
    ['Mi correo: [correo]', None]
    """
    return _por_unicos(textos, enmascarar, None)


@cache
def palabras_vacias() -> frozenset[str]:
    """Palabras vacías del español ya normalizadas (se leen una vez de ``stopwords_es.txt``).

    >>> {"de", "que", "no"} <= palabras_vacias() and "entrega" not in palabras_vacias()
    True
    """
    lineas = (Path(__file__).with_name("stopwords_es.txt")).read_text(encoding="utf-8").splitlines()
    return frozenset(normalizar(linea) for linea in lineas if linea.strip() and not linea.startswith("#"))


_LEMATIZADOR = snowballstemmer.stemmer("spanish")


@cache
def raiz(palabra: str) -> str:
    """Raíz Snowball de una palabra normalizada (minúsculas, sin tildes); cada palabra se calcula una vez.

    >>> raiz("habitaciones") == raiz("habitacion"), raiz("entregaron") == raiz("entrega")
    (True, True)
    """
    return _LEMATIZADOR.stemWord(palabra)


#: Lo que queda en lugar de una palabra quitada por ``quitar_raices``.
SUPRIMIDO = "[suprimido]"

_PALABRA_ORIGINAL = re.compile(r"(?u)\b[^\W\d_]\w+\b")


def raices(texto: str | None) -> frozenset[str]:
    """Raíces de las palabras de ``texto`` normalizado (sin palabras vacías ni cifras).

    >>> sorted(raices("Soy Zoe Quintana y las entregas llegaron tarde"))
    ['entreg', 'lleg', 'quintan', 'tard', 'zoe']
    """
    vacias = palabras_vacias()
    return frozenset(raiz(p) for p in re.findall(PATRON_PALABRA, normalizar(texto)) if p not in vacias)


def quitar_raices(texto: str, quitar: frozenset[str]) -> str:
    """``texto`` (original, con tildes) con cada palabra cuya raíz está en ``quitar`` cambiada por ``SUPRIMIDO``.

    Una palabra que ya es una raíz de ``quitar`` (las palabras guardadas de un tema lo son) también se quita.

    >>> quitar_raices("Nombre del tema «quintan, entreg»: Quejas de Zoe Quintána", frozenset({"quintan", "zoe"}))
    'Nombre del tema «[suprimido], entreg»: Quejas de [suprimido] [suprimido]'
    """
    def cambiar(palabra: re.Match) -> str:
        normal = normalizar(palabra.group())
        return SUPRIMIDO if normal and (normal in quitar or raiz(normal) in quitar) else palabra.group()
    return _PALABRA_ORIGINAL.sub(cambiar, texto)


@cache
def palabras_de_tono() -> dict[str, int]:
    """Raíz de cada palabra de tono → +1 (elogio) o −1 (queja), leídas una vez de ``tono_es.txt``.

    >>> tono = palabras_de_tono()
    >>> tono[raiz("excelentes")], tono[raiz("pesimo")], raiz("desayuno") in tono
    (1, -1, False)
    """
    lineas = Path(__file__).with_name("tono_es.txt").read_text(encoding="utf-8").splitlines()
    return {raiz(normalizar(linea[2:].strip())): 1 if linea[0] == "+" else -1
            for linea in lineas if linea[:2] in ("+ ", "- ")}


class Terminos:
    """Analizador de textos normalizados para ``TfidfVectorizer(analyzer=...)``.

    Devuelve las palabras (``PATRON_PALABRA``) que no están en ``vacias`` y los pares de palabras
    seguidas dentro de cada cláusula (sin cruzar una ``PAUSA``); las vacías se saltan al formar
    pares («fecha de entrega» da «fecha entrega»). Con ``emojis=False`` los emojis no cuentan
    (señalan el tono, no el tema).

    >>> Terminos(frozenset({"de", "la", "pero"}))("fecha de entrega | pero la entrega llego 🙂")
    ['fecha', 'entrega', 'fecha entrega', 'entrega', 'llego', '🙂', 'entrega llego', 'llego 🙂']
    >>> Terminos(frozenset(), emojis=False)("llego tarde 😡")
    ['llego', 'tarde', 'llego tarde']
    """

    def __init__(self, vacias: frozenset[str], *, emojis: bool = True):
        self.vacias = vacias
        self._palabra = re.compile(PATRON_PALABRA if emojis else PATRON_PALABRA.split("|")[0])

    def palabras(self, clausula: str) -> list[str]:
        """Las palabras de una cláusula que no son vacías, en orden."""
        return [p for p in self._palabra.findall(clausula) if p not in self.vacias]

    def __call__(self, texto: str) -> list[str]:
        terminos = []
        for clausula in texto.split(PAUSA):
            palabras = self.palabras(clausula)
            terminos += palabras + [f"{a} {b}" for a, b in zip(palabras, palabras[1:])]
        return terminos
