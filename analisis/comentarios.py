"""Lo que los clientes dicen con sus palabras: temas y sentimiento de comentarios en español.

Todo corre en la máquina, con scikit-learn y sobre los comentarios de la propia organización:
no se descarga ningún modelo.

Temas
-----
``temas`` representa cada comentario limpio (``analisis.texto.limpiar``: datos personales fuera,
minúsculas, sin tildes, sin palabras vacías) con TF-IDF de palabras y pares de palabras y lo
descompone con factorización no negativa de matrices (NMF; Lee y Seung 1999): cada tema es una
combinación de palabras y cada comentario, una mezcla de temas; el tema del comentario es el de
mayor peso (−1 si no tiene ninguna palabra del vocabulario).

* **Muestra de ajuste**: hasta ``MAXIMO_AJUSTE_TEMAS`` comentarios al azar; después se asignan
  todos por lotes. Si se pasan ``grupos`` (p. ej. el tono de la nota), cada grupo pesa lo mismo
  en el ajuste (las filas se ponderan por n / (G·n_grupo)): las quejas, más raras que los elogios,
  forman así sus propios temas en lugar de quedar absorbidas.
* **Número de temas**: el de mayor **estabilidad** entre ``CANDIDATOS_TEMAS`` (Greene, O'Callaghan
  y Cunningham 2014): para cada k se ajusta NMF sobre la muestra y sobre
  ``REMUESTRAS_ESTABILIDAD`` submuestras del 80 %, y se mide el acuerdo de las 10 palabras
  principales de cada tema (Jaccard medio tras emparejar los temas con el método húngaro). Un k
  estable describe estructura real y no ruido del muestreo. Se puede fijar a mano.
* **Nombre automático**: las palabras principales del tema, uniendo los pares que se encadenan
  («entrega llegó» + «llegó tarde» → «entrega llegó tarde») y con las tildes más frecuentes en
  los textos originales. La **firma** (huella de sus palabras principales) permite guardar el
  nombre o la unión que un usuario le dé; al reajustar, un tema hereda lo guardado del tema
  guardado más parecido (Jaccard de palabras ≥ ``UMBRAL_PARECIDO``).

Sentimiento
-----------
``entrenar_sentimiento`` aprende el tono de los comentarios calificados de la organización: una
nota baja (CSAT 1–2, NPS 0–6) es un ejemplo negativo y una alta (CSAT 4–5, NPS 9–10) uno
positivo; las intermedias no enseñan. Rasgos: TF-IDF de palabras (1 y 2 seguidas, conservando
«no» y «nunca») y de n-gramas de caracteres de 2 a 5 (robustos a faltas y variantes: «tardísimo»,
«tardaron»); modelo: regresión logística con clases equilibradas. **Validación**: se aparta el
``FRACCION_VALIDACION`` de los ejemplos (estratificado), se mide la exactitud (con intervalo de
Wilson) y la exactitud equilibrada, y luego se reentrena con todos. El tono predicho es
«positivo» si la probabilidad de positivo es ≥ ``UMBRAL_TONO``, «negativo» si es ≤ 1 − umbral y
«neutral» entre ambos. Con menos de ``MINIMO_CALIFICADOS`` ejemplos (o menos de
``MINIMO_POR_CLASE`` de alguna clase) no se entrena: ``MuestraInsuficiente``.

Qué duele
---------
``lo_que_duele`` compara, para cada tema, los comentarios que lo tratan con los que no: diferencia
de CSAT medio (t de Welch, intervalo al 95 %), diferencia de NPS (intervalo normal con la varianza
de cada NPS) y cuántas veces más aparece el tema entre los comentarios de nota baja que entre los
demás (prueba z de dos proporciones).
"""

import hashlib
import math
import re
import warnings
from collections import Counter
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field, replace

import numpy as np
import pandas as pd
from scipy import stats
from scipy.optimize import linear_sum_assignment
from sklearn.decomposition import NMF
from sklearn.exceptions import ConvergenceWarning
from sklearn.feature_extraction.text import TfidfVectorizer
from sklearn.linear_model import LogisticRegression
from sklearn.metrics import balanced_accuracy_score
from sklearn.model_selection import train_test_split
from sklearn.pipeline import FeatureUnion, Pipeline
from threadpoolctl import threadpool_limits

from analisis.formato import con_signo, numero, porcentaje
from analisis.kpis import Estimacion, comparar_proporciones, proporcion
from analisis.privacidad import ocultar_pequenos
from analisis.texto import Terminos, enmascarar_todos, limpiar, normalizar, normalizar_todos, palabras_vacias
from analisis.errores import MuestraInsuficiente

__all__ = [
    "TONOS", "SIN_TEMA", "MINIMO_CALIFICADOS", "MINIMO_POR_CLASE", "UMBRAL_TONO", "CANDIDATOS_TEMAS",
    "ModeloSentimiento", "Temas", "tono_de_calificacion", "tonos_de_encuestas", "entrenar_sentimiento",
    "entrenar_desde_encuestas", "temas", "con_guardados", "cambios_de_temas", "asignar", "con_uniones",
    "asignar_notas", "resumen_temas", "lo_que_duele", "temas_por", "temas_en_el_tiempo", "resumen_de_etapa",
    "resumenes_por_etapa", "ejemplos", "filtrar", "parte_negativa", "sentimiento_por", "tabla_temas", "tabla_duele",
    "titular_duele", "para_exportar", "notas_para_exportar", "para_mostrar",
]

#: Tonos, de peor a mejor.
TONOS = ("negativo", "neutral", "positivo")
#: Etiqueta de los comentarios sin ninguna palabra de los temas.
SIN_TEMA = -1

#: Ejemplos calificados (negativos + positivos) mínimos para aprender el sentimiento.
MINIMO_CALIFICADOS = 200
#: Ejemplos mínimos de cada clase (negativa y positiva).
MINIMO_POR_CLASE = 20
#: Probabilidad de positivo desde la que el tono es «positivo» (y 1 − umbral hasta la que es «negativo»).
UMBRAL_TONO = 0.65
#: Parte de los ejemplos calificados que se aparta para medir la exactitud.
FRACCION_VALIDACION = 0.2

#: Comentarios con que se ajustan los temas como mucho (después se asignan todos).
MAXIMO_AJUSTE_TEMAS = 20_000
#: Comentarios sobre los que se elige el número de temas.
MUESTRA_ELECCION = 2_000
#: Números de temas entre los que se elige el más estable.
CANDIDATOS_TEMAS = range(4, 13)
#: Submuestras del 80 % con que se mide la estabilidad de cada número de temas.
REMUESTRAS_ESTABILIDAD = 3
#: Palabras principales que se guardan por tema.
PALABRAS_POR_TEMA = 10
#: Comentarios con texto mínimos para buscar temas.
MINIMO_COMENTARIOS_TEMAS = 50
#: Parecido (Jaccard de palabras principales) desde el que un tema hereda un nombre guardado.
UMBRAL_PARECIDO = 0.5
#: Máximo de temas que se pueden pedir.
MAXIMO_TEMAS = 30
#: Filas por lote al asignar temas o sentimiento a muchos comentarios.
LOTE = 50_000


# ---------------------------------------------------------------------------
# Tono de una calificación
# ---------------------------------------------------------------------------

def _validar_escala(escala: Sequence[float]) -> tuple[float, float]:
    """(mínimo, máximo) de la escala; falla si no es un par creciente."""
    if len(escala) != 2 or not escala[0] < escala[1]:
        raise ValueError("'escala' debe ser un par (mínimo, máximo) con mínimo < máximo, p. ej. (1, 5) o (0, 10)")
    return float(escala[0]), float(escala[1])


def tono_de_calificacion(calificaciones: Iterable[float], escala: Sequence[float] = (1, 5)) -> np.ndarray:
    """Tono que enseña cada calificación: 'negativo', 'neutral', 'positivo' o None (sin nota).

    Escala (0, 10) = NPS: 0–6 negativo (detractor), 7–8 neutral, 9–10 positivo. Cualquier
    otra escala se lee en proporción: el cuarto inferior es negativo y el superior positivo
    (CSAT 1–5: 1–2 negativo, 3 neutral, 4–5 positivo; CES 1–7: 1–2 y 6–7).

    >>> tono_de_calificacion([1, 3, 5, None], (1, 5)).tolist()
    ['negativo', 'neutral', 'positivo', None]
    >>> tono_de_calificacion([6, 7, 9], (0, 10)).tolist()
    ['negativo', 'neutral', 'positivo']
    """
    minimo, maximo = _validar_escala(escala)
    valores = pd.to_numeric(pd.Series(list(calificaciones), dtype=object), errors="coerce").to_numpy(float)
    fuera = (valores < minimo) | (valores > maximo)
    if fuera.any():
        raise ValueError(f"'calificaciones': hay notas fuera de la escala {minimo:g}–{maximo:g}")
    if (minimo, maximo) == (0.0, 10.0):
        negativo, positivo = valores <= 6, valores >= 9
    else:
        relativa = (valores - minimo) / (maximo - minimo)
        negativo, positivo = relativa <= 0.25, relativa >= 0.75
    tonos = np.select([negativo, positivo], ["negativo", "positivo"], "neutral").astype(object)
    tonos[np.isnan(valores)] = None
    return tonos


def tonos_de_encuestas(tabla: pd.DataFrame) -> np.ndarray:
    """Tono de cada respuesta: el de su CSAT (1–5) o, si no lo tiene, el de su NPS (0–10).

    >>> tonos_de_encuestas(pd.DataFrame({"csat": [1, None, None], "nps": [10, 9, None]})).tolist()
    ['negativo', 'positivo', None]
    """
    por_csat = tono_de_calificacion(tabla["csat"], (1, 5))
    por_nps = tono_de_calificacion(tabla["nps"], (0, 10))
    return np.where(pd.isna(por_csat), por_nps, por_csat)


# ---------------------------------------------------------------------------
# Sentimiento
# ---------------------------------------------------------------------------

@dataclass(frozen=True)
class ModeloSentimiento:
    """Clasificador del tono de un comentario, aprendido de comentarios calificados.

    Atributos: ``exactitud_validacion`` (proporción de aciertos negativo/positivo en los ejemplos
    apartados) con su intervalo de Wilson al 95 % (``ic_inf``, ``ic_sup``), ``exactitud_balanceada``
    (media de los aciertos de cada clase), ``n_validacion``, ``n_negativos`` y ``n_positivos``
    (ejemplos con que se reentrenó el modelo final) y ``umbral``.
    """

    exactitud_validacion: float
    ic_inf: float
    ic_sup: float
    exactitud_balanceada: float
    n_validacion: int
    n_negativos: int
    n_positivos: int
    umbral: float
    tuberia: Pipeline = field(repr=False, compare=False)

    def probabilidad_positiva(self, textos: Iterable, *, limpios: bool = False) -> np.ndarray:
        """Probabilidad de que cada texto sea positivo (textos vacíos: 0,5), por lotes y sin repetir textos.

        ``limpios=True`` si los textos ya pasaron por ``analisis.texto.limpiar`` (no se limpian otra vez).
        """
        preparados = np.asarray(textos, dtype=object) if limpios else limpiar(textos)
        codigos, unicos = pd.factorize(pd.Series(preparados, dtype=object))
        probabilidades = np.full(len(unicos), 0.5)
        with threadpool_limits(limits=1):
            for inicio in range(0, len(unicos), LOTE):
                lote = list(unicos[inicio:inicio + LOTE])
                probabilidades[inicio:inicio + LOTE] = self.tuberia.predict_proba(lote)[:, 1]
        probabilidades[np.asarray(unicos == "")] = 0.5
        return probabilidades[codigos] if len(codigos) else np.array([])

    def predecir(self, textos: Iterable, *, limpios: bool = False) -> np.ndarray:
        """Tono de cada texto: 'negativo', 'neutral' o 'positivo' (un texto vacío es 'neutral')."""
        p = self.probabilidad_positiva(textos, limpios=limpios)
        return np.select([p >= self.umbral, p <= 1 - self.umbral], ["positivo", "negativo"], "neutral").astype(object)


def _tuberia_sentimiento(semilla: int) -> Pipeline:
    """TF-IDF de palabras (1–2) y de caracteres (2–5) + regresión logística con clases equilibradas."""
    palabras = TfidfVectorizer(analyzer=Terminos(frozenset()), min_df=2, sublinear_tf=True, dtype=np.float32)
    caracteres = TfidfVectorizer(analyzer="char_wb", ngram_range=(2, 5), min_df=2, sublinear_tf=True,
                                 lowercase=False, max_features=300_000, dtype=np.float32)
    modelo = LogisticRegression(C=4.0, class_weight="balanced", solver="liblinear", max_iter=1000,
                                random_state=semilla)
    return Pipeline([("rasgos", FeatureUnion([("palabras", palabras), ("caracteres", caracteres)])),
                     ("modelo", modelo)])


def _entrenar(textos: Iterable, tonos: np.ndarray, *, minimo: int, semilla: int, umbral: float) -> ModeloSentimiento:
    """Valida con una partición estratificada y reentrena con todos los ejemplos negativos y positivos."""
    if not 0.5 < umbral < 1:
        raise ValueError("'umbral' debe estar entre 0,5 y 1")
    if minimo < 2 * MINIMO_POR_CLASE:
        raise ValueError(f"'minimo' debe ser al menos {2 * MINIMO_POR_CLASE}")
    limpios = limpiar(textos)
    if len(limpios) != len(tonos):
        raise ValueError("'textos' y 'calificaciones' deben tener el mismo largo")
    util = np.isin(tonos, ["negativo", "positivo"]) & (limpios != "")
    x, y = limpios[util], (tonos[util] == "positivo").astype(int)
    n_pos, n_neg = int(y.sum()), int((1 - y).sum())
    if len(y) < minimo or min(n_pos, n_neg) < MINIMO_POR_CLASE:
        raise MuestraInsuficiente(
            f"Para aprender el tono de los comentarios se necesitan al menos {numero(minimo, 0)} comentarios con nota "
            f"baja o alta (y {MINIMO_POR_CLASE} de cada una); hay {numero(n_neg, 0)} de nota baja y "
            f"{numero(n_pos, 0)} de nota alta. Por eso no se estima el sentimiento.")
    x_ent, x_val, y_ent, y_val = train_test_split(x, y, test_size=FRACCION_VALIDACION, stratify=y,
                                                  random_state=semilla)
    with threadpool_limits(limits=1):
        acierto = _tuberia_sentimiento(semilla).fit(list(x_ent), y_ent).predict(list(x_val))
        final = _tuberia_sentimiento(semilla).fit(list(x), y)
    exactitud = proporcion(int((acierto == y_val).sum()), len(y_val))
    return ModeloSentimiento(exactitud.valor, exactitud.ic_inf, exactitud.ic_sup,
                             float(balanced_accuracy_score(y_val, acierto)), len(y_val), n_neg, n_pos, umbral, final)


def entrenar_sentimiento(textos: Iterable, calificaciones: Iterable[float], escala: Sequence[float] = (1, 5), *,
                         minimo: int = MINIMO_CALIFICADOS, semilla: int = 0,
                         umbral: float = UMBRAL_TONO) -> ModeloSentimiento:
    """Aprende el tono de los comentarios a partir de sus calificaciones (ver el método arriba).

    ``calificaciones`` va en ``escala`` ((1, 5) CSAT, (0, 10) NPS…; ver ``tono_de_calificacion``);
    las notas intermedias y vacías no se usan. Devuelve un ``ModeloSentimiento`` con
    ``predecir(textos)`` → 'negativo' | 'neutral' | 'positivo' y ``exactitud_validacion``.

    Raises
    ------
    MuestraInsuficiente
        Con menos de ``minimo`` ejemplos negativos + positivos o menos de ``MINIMO_POR_CLASE`` de uno.
    """
    return _entrenar(textos, tono_de_calificacion(calificaciones, escala), minimo=minimo, semilla=semilla,
                     umbral=umbral)


def entrenar_desde_encuestas(tabla: pd.DataFrame, *, minimo: int = MINIMO_CALIFICADOS, semilla: int = 0,
                             umbral: float = UMBRAL_TONO) -> ModeloSentimiento:
    """Como ``entrenar_sentimiento``, con ``comentario`` y el tono de CSAT o, si falta, de NPS.

    Ver ``tonos_de_encuestas``.
    """
    return _entrenar(tabla["comentario"], tonos_de_encuestas(tabla), minimo=minimo, semilla=semilla, umbral=umbral)


# ---------------------------------------------------------------------------
# Temas
# ---------------------------------------------------------------------------

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
        preparados = np.asarray(textos, dtype=object) if limpios else limpiar(textos)
        codigos, unicos = pd.factorize(pd.Series(preparados, dtype=object))
        tema, afinidad = np.full(len(unicos), SIN_TEMA), np.zeros(len(unicos))
        with threadpool_limits(limits=1):
            for inicio in range(0, len(unicos), LOTE):
                tema[inicio:inicio + LOTE], afinidad[inicio:inicio + LOTE] = _asignar_lote(
                    self.nmf.transform(self.vectorizador.transform(unicos[inicio:inicio + LOTE])))
        tema = pd.Series(tema).replace(self.uniones).to_numpy()
        return pd.DataFrame({"tema": tema[codigos], "afinidad": afinidad[codigos]})


def _asignar_lote(pesos: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Tema dominante de cada fila de la matriz comentario × tema y su parte del peso total."""
    total = pesos.sum(axis=1)
    tema = np.where(total > 0, pesos.argmax(axis=1), SIN_TEMA)
    afinidad = np.divide(pesos.max(axis=1, initial=0), total, out=np.zeros_like(total), where=total > 0)
    return tema, afinidad


def _vectorizador_temas(n: int) -> TfidfVectorizer:
    """TF-IDF de palabras y pares sin palabras vacías ni emojis (``Terminos``); ignora lo que aparece en menos
    de 2 comentarios (3 con 5.000 o más) o en más de la mitad."""
    return TfidfVectorizer(analyzer=Terminos(palabras_vacias(), emojis=False), min_df=2 if n < 5_000 else 3, max_df=0.5,
                           max_features=20_000, sublinear_tf=True, dtype=np.float64)


def _pesos_por_grupo(grupos: np.ndarray) -> np.ndarray:
    """Peso de cada fila para que cada grupo sume lo mismo: n / (G · n_grupo)."""
    codigos, unicos = pd.factorize(pd.Series(grupos, dtype=object), use_na_sentinel=False)
    conteos = np.bincount(codigos)
    return len(grupos) / (len(unicos) * conteos[codigos])


def _nmf(k: int, semilla: int, iteraciones: int = 400) -> NMF:
    """NMF con arranque nndsvda (determinista) y pérdida de Frobenius."""
    return NMF(n_components=k, init="nndsvda", random_state=semilla, max_iter=iteraciones, tol=1e-4)


def _principales(componentes: np.ndarray, t: int = PALABRAS_POR_TEMA) -> list[np.ndarray]:
    """Índices de los ``t`` términos de mayor peso de cada tema."""
    return [np.argsort(-fila, kind="stable")[:t] for fila in componentes]


def _acuerdo(a: list[np.ndarray], b: list[np.ndarray]) -> float:
    """Jaccard medio entre las listas de palabras de dos ajustes, emparejando sus temas (método húngaro)."""
    conjuntos_a, conjuntos_b = [set(x) for x in a], [set(x) for x in b]
    similitud = np.array([[len(x & y) / len(x | y) for y in conjuntos_b] for x in conjuntos_a])
    filas, columnas = linear_sum_assignment(-similitud)
    return float(similitud[filas, columnas].mean())


def _estabilidad(matriz, candidatos: Iterable[int], semilla: int) -> dict[int, float]:
    """Estabilidad de cada número de temas (Greene y otros 2014) sobre una submuestra de ``MUESTRA_ELECCION`` filas."""
    rng = np.random.default_rng(semilla)
    if matriz.shape[0] > MUESTRA_ELECCION:
        matriz = matriz[rng.choice(matriz.shape[0], MUESTRA_ELECCION, replace=False)]
    n = matriz.shape[0]
    submuestras = [rng.choice(n, int(0.8 * n), replace=False) for _ in range(REMUESTRAS_ESTABILIDAD)]
    resultado = {}
    with warnings.catch_warnings():  # ajustes rápidos (200 iteraciones): basta con sus palabras principales
        warnings.simplefilter("ignore", ConvergenceWarning)
        for k in candidatos:
            referencia = _principales(_nmf(k, semilla, 200).fit(matriz).components_)
            resultado[k] = float(np.mean([_acuerdo(referencia, _principales(_nmf(k, semilla, 200).fit(
                matriz[filas]).components_)) for filas in submuestras]))
    return resultado


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


def _describir_temas(nmf: NMF, vectorizador: TfidfVectorizer, matriz, originales: Iterable[str]):
    """Palabras visibles, nombres, firmas y claves de cada tema."""
    vocabulario = vectorizador.get_feature_names_out()
    principales = [list(vocabulario[i]) for i in _principales(nmf.components_)]
    formas = _formas_visibles(originales, {p for terminos in principales for t in terminos for p in t.split()})
    juntos = _juntos(matriz, vectorizador.vocabulary_)
    palabras, nombres, firmas, claves = {}, {}, {}, {}
    for tema, terminos in enumerate(principales):
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


def temas(textos: Iterable, n_temas: int | None = None, semilla: int = 0, *, grupos: Iterable | None = None,
          maximo_ajuste: int = MAXIMO_AJUSTE_TEMAS, candidatos: Iterable[int] = CANDIDATOS_TEMAS) -> Temas:
    """Temas de unos comentarios con TF-IDF + NMF (ver el método arriba).

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
    vectorizador = _vectorizador_temas(len(ajuste))
    try:
        matriz = vectorizador.fit_transform(limpios[ajuste])
    except ValueError as error:  # vocabulario vacío: ninguna palabra se repite en dos comentarios
        raise MuestraInsuficiente("Los comentarios no comparten palabras suficientes para formar temas.") from error
    if grupos is not None:
        matriz = matriz.multiply(np.sqrt(_pesos_por_grupo(grupos[ajuste]))[:, None]).tocsr()
    with threadpool_limits(limits=1):
        nmf, estabilidad = _ajustar_nmf(matriz, n_temas, semilla, candidatos)
    palabras, nombres, firmas, claves = _describir_temas(nmf, vectorizador, matriz, originales.iloc[ajuste])
    resultado = Temas(np.array([]), palabras, nombres, dict(nombres), firmas, claves, nmf.n_components, estabilidad,
                      len(ajuste), vectorizador=vectorizador, nmf=nmf)
    return replace(resultado, etiquetas=resultado.transformar(originales)["tema"].to_numpy())


def _ajustar_nmf(matriz, n_temas: int | None, semilla: int, candidatos: Iterable[int]) -> tuple[NMF, dict[int, float]]:
    """NMF con ``n_temas`` temas o, si es None, con el más estable de ``candidatos`` (y la estabilidad de cada uno).

    Caben como mucho la mitad de términos del vocabulario y un tema por cada 10 comentarios.
    """
    tope = max(2, min(matriz.shape[1] // 2, matriz.shape[0] // 10))
    estabilidad = {}
    if n_temas is None:
        estabilidad = _estabilidad(matriz, [k for k in candidatos if 2 <= k <= tope] or [2], semilla)
        n_temas = max(estabilidad, key=lambda k: (round(estabilidad[k], 3), -k))
    elif n_temas > tope:
        raise MuestraInsuficiente(f"Con estos comentarios caben como mucho {tope} temas; se pidieron {n_temas}.")
    return _nmf(n_temas, semilla).fit(matriz), estabilidad


# ---------------------------------------------------------------------------
# Nombres y uniones guardados por los usuarios
# ---------------------------------------------------------------------------

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
    ``datos.consultas.temas_comentarios``. Los comentarios de un tema unido pasan al tema destino,
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


# ---------------------------------------------------------------------------
# Comentarios con tema y tono
# ---------------------------------------------------------------------------

def asignar(comentarios: pd.DataFrame, resultado: Temas, modelo: ModeloSentimiento | None = None) -> pd.DataFrame:
    """Los comentarios con ``tema``, ``afinidad``, ``tono`` (de su nota) y ``sentimiento`` (del modelo).

    ``comentarios`` trae ``comentario`` y, si hay, ``csat`` y ``nps``. El comentario sale
    **enmascarado** (sin datos personales). Sin modelo, ``sentimiento`` queda vacío.
    """
    tabla = comentarios.reset_index(drop=True)
    enmascarados = enmascarar_todos(tabla["comentario"])
    limpios = normalizar_todos(enmascarados)
    asignados = resultado.transformar(limpios, limpios=True)
    tono = (tonos_de_encuestas(tabla) if {"csat", "nps"} <= set(tabla.columns)
            else np.full(len(tabla), None, dtype=object))
    sentimiento = (modelo.predecir(limpios, limpios=True) if modelo is not None
                   else np.full(len(tabla), None, dtype=object))
    return tabla.assign(comentario=enmascarados, tema=asignados["tema"], afinidad=asignados["afinidad"], tono=tono,
                        sentimiento=sentimiento)


def con_uniones(asignados: pd.DataFrame, resultado: Temas) -> pd.DataFrame:
    """Los comentarios de ``asignar`` con las uniones de ``resultado`` aplicadas a su ``tema``.

    Sirve para reutilizar una asignación hecha con los temas sin uniones (p. ej. guardada en caché).
    """
    return asignados.assign(tema=asignados["tema"].replace(resultado.uniones)) if resultado.uniones else asignados


def _nombre_tema(resultado: Temas, tema: int) -> str:
    """Nombre del tema, o «Sin tema reconocible» para −1."""
    return resultado.nombres.get(tema, "Sin tema reconocible")


def resumen_temas(asignados: pd.DataFrame, resultado: Temas) -> pd.DataFrame:
    """Una fila por tema con comentarios: ``tema``, ``nombre``, ``palabras`` (texto), ``n``,
    ``proporcion`` de los comentarios con su intervalo de Wilson (``ic_inf``, ``ic_sup``),
    ``negativos`` (proporción con nota baja entre los calificados del tema) y ``csat`` medio.

    Ordenado de más a menos comentarios; «Sin tema reconocible» al final.
    """
    total = len(asignados)
    filas = []
    for tema, grupo in asignados.groupby("tema"):
        calificados = grupo["tono"].notna().sum()
        estimacion = proporcion(len(grupo), total)
        filas.append({
            "tema": int(tema), "nombre": _nombre_tema(resultado, tema),
            "palabras": ", ".join(resultado.palabras.get(tema, ())), "n": len(grupo),
            "proporcion": estimacion.valor, "ic_inf": estimacion.ic_inf, "ic_sup": estimacion.ic_sup,
            "negativos": (grupo["tono"] == "negativo").sum() / calificados if calificados else math.nan,
            "csat": grupo["csat"].mean() if "csat" in grupo else math.nan,
        })
    columnas = ["tema", "nombre", "palabras", "n", "proporcion", "ic_inf", "ic_sup", "negativos", "csat"]
    tabla = pd.DataFrame(filas, columns=columnas)
    orden = tabla.assign(_sin_tema=tabla["tema"] == SIN_TEMA).sort_values(["_sin_tema", "n", "tema"],
                                                                          ascending=[True, False, True])
    return orden.drop(columns="_sin_tema").reset_index(drop=True)


def _diferencia_medias(con: pd.Series, sin: pd.Series) -> tuple[float, float, float, float]:
    """(diferencia, ic_inf, ic_sup, p) de medias con t de Welch al 95 %; NaN con menos de 2 por lado."""
    con, sin = con.dropna().to_numpy(float), sin.dropna().to_numpy(float)
    if len(con) < 2 or len(sin) < 2:
        return (math.nan,) * 4
    v1, v2 = con.var(ddof=1) / len(con), sin.var(ddof=1) / len(sin)
    diferencia = float(con.mean() - sin.mean())
    if v1 + v2 == 0:
        return diferencia, diferencia, diferencia, (1.0 if diferencia == 0 else 0.0)
    grados = (v1 + v2) ** 2 / (v1 ** 2 / (len(con) - 1) + v2 ** 2 / (len(sin) - 1))
    margen = stats.t.ppf(0.975, grados) * math.sqrt(v1 + v2)
    p = float(2 * stats.t.sf(abs(diferencia) / math.sqrt(v1 + v2), grados))
    return diferencia, diferencia - margen, diferencia + margen, p


def _nps_y_varianza(notas: pd.Series) -> tuple[float, float, int]:
    """(NPS en proporción −1..1, varianza de una respuesta, n) de unas notas 0–10."""
    notas = notas.dropna()
    n = len(notas)
    if n == 0:
        return math.nan, math.nan, 0
    promotores, detractores = (notas >= 9).mean(), (notas <= 6).mean()
    return promotores - detractores, promotores + detractores - (promotores - detractores) ** 2, n


def _diferencia_nps(con: pd.Series, sin: pd.Series) -> tuple[float, float, float]:
    """(diferencia, ic_inf, ic_sup) en puntos de NPS, intervalo normal al 95 %; NaN si un lado está vacío."""
    (a, va, na), (b, vb, nb) = _nps_y_varianza(con), _nps_y_varianza(sin)
    if na == 0 or nb == 0:
        return (math.nan,) * 3
    margen = 1.959964 * math.sqrt(va / na + vb / nb)
    return 100 * (a - b), 100 * (a - b - margen), 100 * (a - b + margen)


def lo_que_duele(asignados: pd.DataFrame, resultado: Temas, *, muestra_minima: int = 30) -> pd.DataFrame:
    """Qué temas acompañan a las peores notas (ver el método arriba). Una fila por tema.

    Columnas: ``tema``, ``nombre``, ``n`` (comentarios con el tema), ``dif_csat`` (CSAT medio con
    el tema − sin él) con ``csat_inf``/``csat_sup`` y ``p_csat``; ``dif_nps`` con
    ``nps_inf``/``nps_sup`` (puntos); ``en_negativos`` y ``en_resto`` (proporción de los
    comentarios de nota baja, y de los demás calificados, que tratan el tema), ``razon``
    (en_negativos / en_resto: cuántas veces más aparece entre las notas bajas) y ``p_razon``;
    ``suficiente`` (n ≥ ``muestra_minima``). Ordenado del tema más sobrerrepresentado entre las
    notas bajas al menos.
    """
    calificados = asignados[asignados["tono"].notna()]
    negativos = calificados["tono"] == "negativo"
    filas = []
    for tema in sorted(t for t in asignados["tema"].unique() if t != SIN_TEMA):
        tiene = asignados["tema"] == tema
        dif, inf, sup, p = _diferencia_medias(asignados.loc[tiene, "csat"], asignados.loc[~tiene, "csat"])
        dif_nps, nps_inf, nps_sup = _diferencia_nps(asignados.loc[tiene, "nps"], asignados.loc[~tiene, "nps"])
        en_tema = calificados["tema"] == tema
        a, n_a, b, n_b = int((en_tema & negativos).sum()), int(negativos.sum()), int((en_tema & ~negativos).sum()), \
            int((~negativos).sum())
        prueba = comparar_proporciones(a, n_a, b, n_b)
        en_neg, en_resto = (a / n_a if n_a else math.nan), (b / n_b if n_b else math.nan)
        filas.append({
            "tema": int(tema), "nombre": _nombre_tema(resultado, tema), "n": int(tiene.sum()),
            "dif_csat": dif, "csat_inf": inf, "csat_sup": sup, "p_csat": p,
            "dif_nps": dif_nps, "nps_inf": nps_inf, "nps_sup": nps_sup,
            "en_negativos": en_neg, "en_resto": en_resto,
            "razon": en_neg / en_resto if en_resto else math.nan,
            "p_razon": prueba.p if prueba else math.nan, "suficiente": bool(tiene.sum() >= muestra_minima),
        })
    tabla = pd.DataFrame(filas, columns=["tema", "nombre", "n", "dif_csat", "csat_inf", "csat_sup", "p_csat",
                                         "dif_nps", "nps_inf", "nps_sup", "en_negativos", "en_resto", "razon",
                                         "p_razon", "suficiente"])
    return tabla.sort_values(["razon", "tema"], ascending=[False, True], na_position="last").reset_index(drop=True)


#: Cifras de un reparto por grupo que el umbral de privacidad borra.
_CIFRAS_DE_REPARTO = ("proporcion", "ic_inf", "ic_sup")


def temas_por(asignados: pd.DataFrame, columna: str, resultado: Temas, *, muestra_minima: int = 30,
              orden: Sequence | None = None, privacidad: int = 0) -> pd.DataFrame:
    """Reparto de temas dentro de cada grupo de ``columna`` (etapa_baja, canal, sucursal, tipo_cliente, periodo…).

    Tabla larga: ``grupo``, ``tema``, ``nombre``, ``n_grupo`` (comentarios del grupo), ``n``
    (con el tema), ``proporcion`` con intervalo de Wilson (``ic_inf``, ``ic_sup``) y
    ``suficiente`` (n_grupo ≥ ``muestra_minima``). Los comentarios sin dato de ``columna`` no cuentan.
    Los grupos salen en el orden de ``orden`` (p. ej. las etapas de la cadena; los que no están en
    él, al final) o, sin él, ordenados. En grupos con menos de ``privacidad`` comentarios las
    proporciones se borran (umbral de privacidad por segmento).
    """
    if columna not in asignados.columns:
        raise ValueError(f"'columna' debe ser una columna de los comentarios, no {columna!r}")
    tabla = asignados[asignados[columna].notna()]
    conteos = tabla.groupby([columna, "tema"]).size().rename("n").reset_index()
    tamanos = tabla.groupby(columna).size().rename("n_grupo")
    conteos = conteos.join(tamanos, on=columna).rename(columns={columna: "grupo"})
    if orden is not None:
        posicion = {grupo: i for i, grupo in enumerate(orden)}
        conteos = conteos.sort_values(["grupo", "tema"], key=lambda c: c.map(posicion).fillna(len(posicion))
                                      if c.name == "grupo" else c, kind="stable")
    intervalos = [proporcion(int(n), int(total)) for n, total in zip(conteos["n"], conteos["n_grupo"])]
    return conteos.assign(
        nombre=[_nombre_tema(resultado, t) for t in conteos["tema"]],
        proporcion=[e.valor for e in intervalos], ic_inf=[e.ic_inf for e in intervalos],
        ic_sup=[e.ic_sup for e in intervalos], suficiente=conteos["n_grupo"] >= muestra_minima,
    )[["grupo", "tema", "nombre", "n_grupo", "n", "proporcion", "ic_inf", "ic_sup", "suficiente"]].pipe(
        ocultar_pequenos, n="n_grupo", columnas=_CIFRAS_DE_REPARTO, minimo=privacidad)


def temas_en_el_tiempo(asignados: pd.DataFrame, resultado: Temas, *, periodicidad: str = "mes",
                       muestra_minima: int = 30) -> pd.DataFrame:
    """Como ``temas_por`` con ``grupo`` = inicio del periodo ('semana', 'mes' o 'trimestre') de ``fecha``."""
    frecuencias = {"semana": "W-SUN", "mes": "M", "trimestre": "Q"}
    if periodicidad not in frecuencias:
        raise ValueError(f"'periodicidad' debe ser uno de {list(frecuencias)}, no {periodicidad!r}")
    periodo = pd.to_datetime(asignados["fecha"]).dt.to_period(frecuencias[periodicidad]).dt.start_time
    return temas_por(asignados.assign(periodo=periodo), "periodo", resultado, muestra_minima=muestra_minima)


def resumen_de_etapa(asignados: pd.DataFrame, resultado: Temas, etapa: str, *, maximo: int = 3,
                     minimo: int = 10) -> str | None:
    """«En Entrega, los comentarios negativos hablan de: …» con los temas más citados.

    Cuenta los comentarios de nota baja cuya etapa peor calificada (``etapa_baja``) es ``etapa``;
    da los ``maximo`` temas más frecuentes entre ellos (sin «sin tema») con su porcentaje. None
    si hay menos de ``minimo`` comentarios así.
    """
    negativos = asignados[(asignados["tono"] == "negativo") & (asignados["etapa_baja"] == etapa)]
    if len(negativos) < minimo:
        return None
    frecuentes = negativos.loc[negativos["tema"] != SIN_TEMA, "tema"].value_counts().head(maximo)
    if frecuentes.empty:
        return None
    partes = [f"{_nombre_tema(resultado, t).lower()} ({porcentaje(n / len(negativos), 0)})"
              for t, n in frecuentes.items()]
    return (f"En {etapa}, los {numero(len(negativos), 0)} comentarios negativos hablan de: "
            f"{'; '.join(partes)}.")


def ejemplos(asignados: pd.DataFrame, tema: int, *, n: int = 3) -> list[str]:
    """Los ``n`` comentarios distintos más representativos de ``tema`` (mayor afinidad)."""
    del_tema = asignados[asignados["tema"] == tema].sort_values("afinidad", ascending=False, kind="stable")
    return del_tema["comentario"].drop_duplicates().head(n).tolist()


def filtrar(asignados: pd.DataFrame, *, temas: Sequence[int] = (), sentimientos: Sequence[str] = (),
            tonos: Sequence[str] = (), etapas: Sequence[str] = (),
            segmentos: Mapping[str, Sequence] | None = None) -> pd.DataFrame:
    """Los comentarios de esos temas, sentimientos (del modelo), tonos (de la nota), etapas peor calificadas
    y valores de otras columnas (``segmentos``: columna → valores, p. ej. ``{"canal": ["Chat"]}``).

    Una lista vacía no filtra.

    >>> tabla = pd.DataFrame({"tema": [0, 1, 1], "tono": ["negativo", "negativo", None], "canal": ["A", "B", "B"]})
    >>> filtrar(tabla, temas=[1], segmentos={"canal": ["B"]}, tonos=["negativo"]).index.tolist()
    [1]
    """
    criterios = {"tema": temas, "sentimiento": sentimientos, "tono": tonos, "etapa_baja": etapas, **(segmentos or {})}
    condicion = pd.Series(True, index=asignados.index)
    for columna, valores in criterios.items():
        if valores:
            if columna not in asignados.columns:
                raise ValueError(f"No se puede filtrar por {columna!r}: no es una columna de los comentarios")
            condicion &= asignados[columna].isin(list(valores))
    return asignados[condicion]


def parte_negativa(asignados: pd.DataFrame) -> Estimacion:
    """Proporción de comentarios que el modelo lee como negativos (entre los que tienen sentimiento), con Wilson."""
    con_sentimiento = asignados["sentimiento"].dropna()
    return proporcion(int((con_sentimiento == "negativo").sum()), len(con_sentimiento))


def sentimiento_por(asignados: pd.DataFrame, columna: str | None = None, *, muestra_minima: int = 30,
                    privacidad: int = 0) -> pd.DataFrame:
    """Reparto del sentimiento predicho por grupo de ``columna`` (None: todos): ``grupo``, ``sentimiento``,
    ``n``, ``n_grupo``, ``proporcion`` con intervalo de Wilson y ``suficiente`` (n_grupo ≥ ``muestra_minima``).
    Los comentarios sin sentimiento no cuentan; en grupos con menos de ``privacidad`` comentarios las
    proporciones se borran."""
    tabla = asignados[asignados["sentimiento"].notna()]
    grupo = tabla[columna] if columna else pd.Series("Todos", index=tabla.index)
    conteos = (pd.crosstab(grupo.rename("grupo"), tabla["sentimiento"]).reindex(columns=list(TONOS), fill_value=0)
               .stack().rename("n").reset_index())
    totales = conteos.groupby("grupo")["n"].transform("sum")
    intervalos = [proporcion(int(n), int(t)) for n, t in zip(conteos["n"], totales)]
    return conteos.assign(n_grupo=totales, proporcion=[e.valor for e in intervalos],
                          ic_inf=[e.ic_inf for e in intervalos], ic_sup=[e.ic_sup for e in intervalos],
                          suficiente=totales >= muestra_minima).pipe(
        ocultar_pequenos, n="n_grupo", columnas=_CIFRAS_DE_REPARTO, minimo=privacidad)


def resumenes_por_etapa(asignados: pd.DataFrame, resultado: Temas, etapas: Sequence[str], **opciones) -> list[str]:
    """``resumen_de_etapa`` de cada etapa, en orden, saltando las que no tienen comentarios negativos suficientes."""
    return [texto for etapa in etapas if (texto := resumen_de_etapa(asignados, resultado, etapa, **opciones))]


def asignar_notas(notas: pd.DataFrame, modelo: ModeloSentimiento | None) -> pd.DataFrame:
    """Notas sin calificación (p. ej. de auditoría) con su ``sentimiento`` predicho y el comentario enmascarado."""
    sentimiento = modelo.predecir(notas["comentario"]) if modelo is not None else np.full(len(notas), None)
    return notas.assign(comentario=enmascarar_todos(notas["comentario"]), sentimiento=sentimiento)


def _intervalo(valor: float, inferior: float, superior: float, decimales: int) -> str:
    """«+0,25 (−0,10 a +0,60)» o una raya si falta el valor."""
    if pd.isna(valor):
        return "—"
    return f"{con_signo(valor, decimales)} ({con_signo(inferior, decimales)} a {con_signo(superior, decimales)})"


def tabla_temas(resumen: pd.DataFrame) -> pd.DataFrame:
    """``resumen_temas`` como tabla para leer, con números a la española."""
    return pd.DataFrame({
        "Tema": resumen["nombre"],
        "Palabras principales": [", ".join(p.split(", ")[:6]) for p in resumen["palabras"]],
        "Comentarios": [numero(n, 0) for n in resumen["n"]],
        "% de los comentarios (IC 95 %)": [f"{porcentaje(p)} ({porcentaje(i)} – {porcentaje(s)})" for p, i, s in
                                           zip(resumen["proporcion"], resumen["ic_inf"], resumen["ic_sup"])],
        "Con nota baja": [porcentaje(v, 0) for v in resumen["negativos"]],
        "CSAT medio": [numero(v, 2) for v in resumen["csat"]],
    })


def tabla_duele(duele: pd.DataFrame) -> pd.DataFrame:
    """``lo_que_duele`` como tabla para leer, con números a la española e intervalos al 95 %."""
    return pd.DataFrame({
        "Tema": duele["nombre"], "Comentarios": [numero(n, 0) for n in duele["n"]],
        "Entre las notas bajas": [porcentaje(v) for v in duele["en_negativos"]],
        "Entre las demás": [porcentaje(v) for v in duele["en_resto"]],
        "Veces más (notas bajas)": [numero(v, 1) for v in duele["razon"]],
        "Diferencia de CSAT (IC 95 %)": [_intervalo(*v, 2) for v in zip(duele["dif_csat"], duele["csat_inf"],
                                                                          duele["csat_sup"])],
        "Diferencia de NPS (IC 95 %)": [_intervalo(*v, 1) for v in zip(duele["dif_nps"], duele["nps_inf"],
                                                                         duele["nps_sup"])],
        "Muestra": ["suficiente" if ok else "insuficiente" for ok in duele["suficiente"]],
    })


def titular_duele(duele: pd.DataFrame, *, alfa: float = 0.05) -> str | None:
    """Frase con el tema más sobrerrepresentado entre las notas bajas, si lo está de forma significativa.

    >>> duele = pd.DataFrame({"nombre": ["Entrega tarde"], "razon": [2.5], "p_razon": [0.001],
    ...                       "en_negativos": [0.25], "en_resto": [0.1], "suficiente": [True]})
    >>> titular_duele(duele)[:70]
    'Los comentarios con nota baja hablan sobre todo de «Entrega tarde»: ap'
    >>> titular_duele(duele)[70:]
    'arece 2,5 veces más que en los demás (25 % frente a 10 %).'
    """
    claros = duele[(duele["razon"] > 1) & (duele["p_razon"] < alfa) & duele["suficiente"]]
    if claros.empty:
        return None
    fila = claros.sort_values("razon", ascending=False).iloc[0]
    return (f"Los comentarios con nota baja hablan sobre todo de «{fila['nombre']}»: aparece "
            f"{numero(fila['razon'], 1)} veces más que en los demás ({porcentaje(fila['en_negativos'], 0)} frente a "
            f"{porcentaje(fila['en_resto'], 0)}).")


#: Columnas de la exportación y sus encabezados, en orden (el comentario primero, para leerlo sin desplazarse).
_EXPORTACION = {"fecha": "Fecha", "comentario": "Comentario", "nombre_tema": "Tema",
                "sentimiento": "Sentimiento (modelo)", "tono": "Tono de la nota", "csat": "CSAT", "nps": "NPS",
                "ces": "CES", "etapa_baja": "Etapa peor calificada", "canal": "Canal", "sucursal": "Sucursal",
                "tipo_cliente": "Tipo de cliente", "respuesta_id": "Respuesta"}


def para_exportar(asignados: pd.DataFrame, resultado: Temas) -> pd.DataFrame:
    """Tabla para leer o descargar, con encabezados en español y el comentario enmascarado.

    Enmascara de nuevo por seguridad (``enmascarar`` es idempotente) aunque ``asignar`` ya lo hizo.
    """
    tabla = asignados.assign(nombre_tema=[_nombre_tema(resultado, t) for t in asignados["tema"]],
                             comentario=enmascarar_todos(asignados["comentario"]))
    columnas = [c for c in _EXPORTACION if c in tabla.columns]
    return tabla[columnas].rename(columns=_EXPORTACION).reset_index(drop=True)


#: Columnas de la exportación de notas de auditoría y sus encabezados, en orden.
_EXPORTACION_NOTAS = {"fecha": "Fecha", "comentario": "Comentario", "sentimiento": "Sentimiento (modelo)",
                      "nombre": "Agente", "equipo": "Equipo", "auditor": "Auditor", "agente_id": "Código del agente",
                      "auditoria_id": "Auditoría"}


def notas_para_exportar(notas: pd.DataFrame) -> pd.DataFrame:
    """Las notas de ``asignar_notas`` para leer o descargar, con encabezados en español y el texto enmascarado."""
    tabla = notas.assign(comentario=enmascarar_todos(notas["comentario"]))
    columnas = [c for c in _EXPORTACION_NOTAS if c in tabla.columns]
    return tabla[columnas].rename(columns=_EXPORTACION_NOTAS).reset_index(drop=True)


def para_mostrar(exportable: pd.DataFrame) -> pd.DataFrame:
    """La tabla de ``para_exportar`` con las notas escritas a la española («4», «—» si falta) para la pantalla.

    >>> para_mostrar(pd.DataFrame({"CSAT": [4.0, None], "Comentario": ["a", "b"]}))["CSAT"].tolist()
    ['4', '—']
    """
    notas = [c for c in ("CSAT", "NPS", "CES") if c in exportable.columns]
    return exportable.assign(**{c: [numero(v, 0) for v in exportable[c]] for c in notas})
