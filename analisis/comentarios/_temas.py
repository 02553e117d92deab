"""Temas: de qué hablan los comentarios, con TF-IDF y factorización no negativa de matrices.

``temas`` parte cada comentario en **oraciones** (``_vocabulario.oraciones``: una oración suele tratar
un solo asunto), representa cada oración limpia (``analisis.texto.limpiar``: datos personales fuera,
minúsculas, sin tildes, sin palabras vacías) con TF-IDF de las raíces de sus palabras (sin palabras
de tono: ``_vocabulario.TerminosTema``) y sus pares, y lo descompone con factorización no negativa
de matrices (NMF; Lee y Seung 1999): cada tema es una combinación de palabras y cada comentario,
una mezcla de temas. Solo cuentan los **términos de asunto** (``_matriz_de_asuntos``): los que
empiezan por un sustantivo, sin sustantivos genéricos y sin las palabras que están en más de
``MAXIMA_PARTE_ASUNTO`` de los comentarios, que nombran el negocio mismo («hotel»). El tema del
comentario es el de mayor peso **entre los temas de los que menciona alguna de sus
``PALABRAS_MENCION`` palabras de más peso**: así cada comentario habla de su tema con sus propias palabras. Sin ninguno, ``SIN_TEMA`` (−1).

* **Muestra de ajuste**: hasta ``MAXIMO_AJUSTE_TEMAS`` comentarios al azar; después se asignan
  todos por lotes. Si se pasan ``grupos`` (p. ej. el tono de la nota), cada grupo pesa lo mismo
  en el ajuste (las filas se ponderan por n / (G·n_grupo)): las quejas, más raras que los elogios,
  forman así sus propios temas en lugar de quedar absorbidas.
* **Número de temas**: entre ``CANDIDATOS_TEMAS``, el mayor casi tan estable como el más estable (``_eleccion``);
  se puede fijar a mano.
* **Etapa de la cadena** de cada tema, si sus palabras la nombran: ``_etapas``.
* **Nombre automático**: ``_nombres``; los nombres y uniones guardados por los usuarios, ``_guardados``.
"""

from collections.abc import Iterable
from dataclasses import dataclass, field, replace

import numpy as np
import pandas as pd
from scipy import sparse
from sklearn.decomposition import NMF
from sklearn.feature_extraction.text import TfidfVectorizer
from threadpoolctl import threadpool_limits

from analisis.comentarios._eleccion import ajustar_nmf, principales
from analisis.comentarios._nombres import describir_temas, terminos_de_asunto
from analisis.comentarios._vocabulario import lotes, oraciones, textos_unicos, vectorizador_temas
from analisis.errores import MuestraInsuficiente
from analisis.formato import numero
from analisis.texto import limpiar


#: Etiqueta de los comentarios sin ninguna palabra de los temas.
SIN_TEMA = -1
#: Comentarios con que se ajustan los temas como mucho (después se asignan todos).
MAXIMO_AJUSTE_TEMAS = 20_000
#: Números de temas entre los que se elige (``_eleccion.ajustar_nmf``).
CANDIDATOS_TEMAS = range(8, 21, 2)
#: Comentarios con texto mínimos para buscar temas.
MINIMO_COMENTARIOS_TEMAS = 50
#: Palabras de mayor peso de cada tema entre las que un comentario debe mencionar alguna para ser del tema.
PALABRAS_MENCION = 25
#: Parte de los comentarios desde la que una palabra nombra el negocio mismo y no un asunto («hotel»).
MAXIMA_PARTE_ASUNTO = 2 / 3
#: Máximo de temas que se pueden pedir.
MAXIMO_TEMAS = 30


@dataclass(frozen=True)
class Temas:
    """Temas hallados en unos comentarios.

    ``etiquetas``: tema de cada texto de entrada (``SIN_TEMA`` = −1 si ninguno); ``palabras``: tema →
    palabras principales (con tildes); ``nombres``: tema → nombre en español (el guardado por el
    usuario o el automático); ``automaticos``: tema → nombre automático; ``firmas``: tema →
    huella estable de sus palabras; ``claves``: tema → palabras principales normalizadas (para
    reconocerlo al reajustar); ``k``: temas ajustados; ``estabilidad``: k probado → estabilidad
    (vacío si el número se fijó a mano); ``n_ajuste``: comentarios del ajuste; ``uniones``: tema →
    tema en que se fundió (solo los unidos por el usuario).
    """

    etiquetas: np.ndarray
    palabras: dict[int, tuple[str, ...]]
    nombres: dict[int, str]
    automaticos: dict[int, str]
    firmas: dict[int, str]
    claves: dict[int, frozenset[str]]
    k: int
    estabilidad: dict[int, float]
    n_ajuste: int
    uniones: dict[int, int] = field(default_factory=dict)
    vectorizador: TfidfVectorizer | None = field(default=None, repr=False, compare=False)
    nmf: NMF | None = field(default=None, repr=False, compare=False)

    def transformar(self, textos: Iterable, *, limpios: bool = False) -> pd.DataFrame:
        """Tema (con las uniones aplicadas) y ``afinidad`` (peso del tema en el comentario, 0–1) de cada texto.

        ``limpios=True`` si los textos ya pasaron por ``analisis.texto.limpiar`` (no se limpian otra vez).
        """
        codigos, unicos = textos_unicos(textos, limpios=limpios)
        tema, afinidad = np.full(len(unicos), SIN_TEMA), np.zeros(len(unicos))
        with threadpool_limits(limits=1):
            for lote in lotes(len(unicos)):
                matriz = self.vectorizador.transform(unicos[lote])
                tema[lote], afinidad[lote] = _asignar_lote(self.nmf.transform(matriz), _menciona(matriz, self.nmf))
        tema = pd.Series(tema).replace(self.uniones).to_numpy()
        return pd.DataFrame({"tema": tema[codigos], "afinidad": afinidad[codigos]})


def _menciona(matriz, nmf: NMF) -> np.ndarray:
    """Matriz comentario × tema: True si el comentario trae alguna de las ``PALABRAS_MENCION`` del tema."""
    principales_por_tema = principales(nmf.components_, PALABRAS_MENCION, minimo_relativo=0)
    claves = np.zeros((matriz.shape[1], len(principales_por_tema)), dtype=np.float32)
    for tema, indices in enumerate(principales_por_tema):
        claves[indices, tema] = 1
    return np.asarray((matriz > 0).astype(np.float32) @ claves) > 0


def _asignar_lote(pesos: np.ndarray, menciona: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Tema de mayor peso entre los que el comentario menciona y su parte del peso total.

    >>> _asignar_lote(np.array([[0.9, 0.1], [0.5, 0.5], [0.2, 0.0]]),
    ...               np.array([[False, True], [True, True], [False, False]]))[0].tolist()
    [1, 0, -1]
    """
    total = pesos.sum(axis=1)
    elegibles = np.where(menciona, pesos, 0)
    tema = np.where(elegibles.max(axis=1, initial=0) > 0, elegibles.argmax(axis=1), SIN_TEMA)
    afinidad = np.divide(elegibles.max(axis=1, initial=0), total, out=np.zeros_like(total), where=total > 0)
    return tema, afinidad


def pesos_por_grupo(grupos: np.ndarray) -> np.ndarray:
    """Peso de cada fila para que cada grupo sume lo mismo: n / (G · n_grupo)."""
    codigos, unicos = pd.factorize(pd.Series(grupos, dtype=object), use_na_sentinel=False)
    conteos = np.bincount(codigos)
    return len(grupos) / (len(unicos) * conteos[codigos])


def _matriz_de_asuntos(frases: list[str], de_cada: np.ndarray):
    """(vectorizador de los términos de asunto, TF-IDF de las oraciones que traen alguno, sus índices).

    ``de_cada``: el comentario de cada oración. Los términos de asunto son los del vocabulario de las
    oraciones que empiezan por un sustantivo (``_nombres.terminos_de_asunto``: «desayuno», «aire
    acondicionado», no «llegamos» ni «tarde»), que no son genéricos (``GENERICOS``) y que no están en
    más de ``MAXIMA_PARTE_ASUNTO`` de los comentarios (lo que casi todos nombran es el negocio mismo:
    «hotel», «restaurante»).
    """
    limpias = limpiar(frases)
    try:
        base = vectorizador_temas(len(frases))
        presentes = (base.fit_transform(limpias) > 0).astype(np.float32).tocsc()
        por_comentario = sparse.csr_matrix((np.ones(len(de_cada), dtype=np.float32), (de_cada, np.arange(len(de_cada)))))
        parte = np.asarray(((por_comentario @ presentes) > 0).mean(axis=0)).ravel()
        nombres = base.get_feature_names_out()
        del_negocio = set(nombres[parte > MAXIMA_PARTE_ASUNTO])
        asuntos = [t for t in nombres if not set(t.split()) & del_negocio]
        vectorizador = vectorizador_temas(len(frases), terminos_de_asunto(asuntos, frases))
        matriz = vectorizador.fit_transform(limpias)
    except ValueError as error:  # vocabulario vacío: ninguna palabra de asunto se repite en dos oraciones
        raise MuestraInsuficiente("Los comentarios no comparten palabras suficientes para formar temas.") from error
    con_asunto = np.flatnonzero(matriz.getnnz(axis=1) > 0)
    return vectorizador, matriz[con_asunto], con_asunto


def temas(textos: Iterable, n_temas: int | None = None, semilla: int = 0, *, grupos: Iterable | None = None,
          maximo_ajuste: int = MAXIMO_AJUSTE_TEMAS, candidatos: Iterable[int] = CANDIDATOS_TEMAS) -> Temas:
    """Temas de unos comentarios con TF-IDF + NMF (ver el método en el módulo).

    ``n_temas`` None elige el más estable de ``candidatos``. ``grupos`` (uno por texto, p. ej. el
    tono de la nota) equilibra el ajuste. Devuelve ``Temas`` con ``etiquetas`` (tema de cada texto,
    −1 si ninguno), ``palabras`` y ``nombres``.

    Raises
    ------
    MuestraInsuficiente
        Con menos de ``MINIMO_COMENTARIOS_TEMAS`` comentarios con texto o sin vocabulario común.
    """
    originales = pd.Series(list(textos), dtype=object)
    if n_temas is not None and not (isinstance(n_temas, (int, np.integer)) and 2 <= n_temas <= MAXIMO_TEMAS):
        raise ValueError(f"'n_temas' debe ser None o un entero entre 2 y {MAXIMO_TEMAS}")
    if maximo_ajuste < MINIMO_COMENTARIOS_TEMAS:
        raise ValueError(f"'maximo_ajuste' debe ser al menos {MINIMO_COMENTARIOS_TEMAS}")
    grupos = None if grupos is None else pd.Series(list(grupos), dtype=object).to_numpy()
    if grupos is not None and len(grupos) != len(originales):
        raise ValueError("'grupos' debe tener un valor por texto")
    limpios = limpiar(originales)
    con_texto = np.flatnonzero(limpios != "")
    if len(con_texto) < MINIMO_COMENTARIOS_TEMAS:
        raise MuestraInsuficiente(f"Se necesitan al menos {MINIMO_COMENTARIOS_TEMAS} comentarios con texto para "
                                  f"buscar temas; hay {numero(len(con_texto), 0)}.")
    rng = np.random.default_rng(semilla)
    ajuste = np.sort(rng.choice(con_texto, min(maximo_ajuste, len(con_texto)), replace=False))
    de_cada, frases = oraciones(originales.iloc[ajuste].tolist())
    vectorizador, matriz, con_asunto = _matriz_de_asuntos(frases, de_cada)
    if grupos is not None:
        pesos = pesos_por_grupo(grupos[ajuste])[de_cada[con_asunto]]
        matriz = matriz.multiply(np.sqrt(pesos)[:, None]).tocsr()
    with threadpool_limits(limits=1):
        nmf, estabilidad = ajustar_nmf(matriz, n_temas, semilla, candidatos)
    palabras, nombres, firmas, claves = describir_temas(nmf, vectorizador, matriz, [frases[i] for i in con_asunto])
    resultado = Temas(np.array([]), palabras, nombres, dict(nombres), firmas, claves, nmf.n_components, estabilidad,
                      len(ajuste), vectorizador=vectorizador, nmf=nmf)
    return replace(resultado, etiquetas=resultado.transformar(originales)["tema"].to_numpy())
