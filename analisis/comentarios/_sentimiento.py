"""Sentimiento: un clasificador del tono de los comentarios aprendido de los comentarios calificados.

``entrenar_sentimiento`` aprende el tono de los comentarios calificados de la organización: una
nota baja (CSAT 1–2, NPS 0–6; ``analisis.escalas``) es un ejemplo negativo y una alta (CSAT 4–5,
NPS 9–10) uno positivo; las intermedias no enseñan (``tono_de_calificacion``). Rasgos
(``_rasgos.RasgosTono``): TF-IDF de raíces y pares de raíces, con las negaciones marcadas y una
señal por cada palabra de elogio o de queja; modelo: regresión logística con clases equilibradas,
adaptada por autoentrenamiento (``_adaptacion``) a los textos sin nota de otro dominio si se dan (``sin_nota``).
Así el modelo se lleva bien de un negocio a otro (exactitud equilibrada medida en
``benchmarks/comentarios_dominios.py``).

**Validación** en textos que el modelo no vio: se apartan los ``FRACCION_VALIDACION`` más
recientes (con ``fechas``), o los de una parte de los clientes (con ``grupos``), o al azar
(estratificado) si no hay ni lo uno ni lo otro; de los apartados se quitan los **casi duplicados**
de algún texto de entrenamiento (coseno ≥ ``UMBRAL_CASI_DUPLICADO`` entre sus palabras), que
inflarían la exactitud. Una respuesta «neutral» a un ejemplo negativo o positivo cuenta como error.
Se mide la exactitud (con intervalo de Wilson, ``analisis.kpis.proporcion``) y la exactitud
equilibrada; luego se reentrena con todos. Con menos de ``MINIMO_VALIDACION`` apartados distintos
(o menos de ``MINIMO_VALIDACION_CLASE`` de una clase) la exactitud no se mide (NaN).

El tono predicho es «positivo» si la probabilidad de positivo es ≥ ``UMBRAL_TONO``, «negativo»
si es ≤ 1 − umbral y «neutral» entre ambos o si el texto no trae ninguna palabra que el modelo
conozca (vacío, o solo palabras que no vio al aprender). Con menos de ``MINIMO_CALIFICADOS`` ejemplos (o menos
de ``MINIMO_POR_CLASE`` de alguna clase) no se entrena: ``MuestraInsuficiente``.
"""

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field

import numpy as np
import pandas as pd
from sklearn.feature_extraction.text import CountVectorizer, TfidfVectorizer
from sklearn.linear_model import LogisticRegression
from sklearn.model_selection import GroupShuffleSplit, train_test_split
from sklearn.pipeline import Pipeline
from sklearn.preprocessing import normalize
from threadpoolctl import threadpool_limits

from analisis.comentarios._adaptacion import ajustar_adaptado
from analisis.comentarios._rasgos import RasgosTono
from analisis.comentarios._tono import tono_de_calificacion, tonos_de_encuestas
from analisis.comentarios._vocabulario import lotes, textos_unicos
from analisis.errores import MuestraInsuficiente
from analisis.escalas import ESCALA_CSAT
from analisis.formato import numero
from analisis.kpis import proporcion
from analisis.texto import limpiar


#: Ejemplos calificados (negativos + positivos) mínimos para aprender el sentimiento.
MINIMO_CALIFICADOS = 200
#: Ejemplos mínimos de cada clase (negativa y positiva).
MINIMO_POR_CLASE = 20
#: Probabilidad de positivo desde la que el tono es «positivo» (y 1 − umbral hasta la que es «negativo»). En
#: 0,5 el modelo no responde «neutral» a un texto en el que reconoce alguna palabra: en reseñas polares de otro
#: negocio, una franja neutral de 0,4 a 0,6 convertía en errores el 12–20 % de las respuestas.
#: Probabilidad que reciben los textos sin ninguna palabra que el modelo conozca: su tono es «neutral».
SIN_SENAL = 0.5
UMBRAL_TONO = 0.5
#: Parte de los ejemplos calificados que se aparta para medir la exactitud.
FRACCION_VALIDACION = 0.2
#: Coseno entre las palabras de dos textos desde el que un texto apartado repite uno de entrenamiento.
UMBRAL_CASI_DUPLICADO = 0.8
#: Ejemplos apartados distintos (y de cada clase) mínimos para medir la exactitud.
MINIMO_VALIDACION = 50
MINIMO_VALIDACION_CLASE = 10
#: Cómo se apartan los ejemplos de validación, en palabras para el usuario.
METODOS_VALIDACION = {"fecha": "los más recientes", "cliente": "los de otros clientes", "azar": "al azar"}


@dataclass(frozen=True)
class ModeloSentimiento:
    """Clasificador del tono de un comentario, aprendido de comentarios calificados.

    Atributos: ``exactitud_validacion`` (proporción de aciertos en los ejemplos apartados; «neutral»
    cuenta como error; NaN si no hay apartados distintos suficientes) con su intervalo de Wilson al
    95 % (``ic_inf``, ``ic_sup``), ``exactitud_balanceada`` (media de los aciertos de cada clase),
    ``n_validacion`` (apartados medidos), ``n_casi_duplicados`` (apartados descartados por repetir
    un texto de entrenamiento), ``metodo_validacion`` ('fecha', 'cliente' o 'azar'; ver
    ``METODOS_VALIDACION``), ``n_negativos`` y ``n_positivos`` (ejemplos con que se reentrenó el
    modelo final) y ``umbral``.
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
    metodo_validacion: str = "azar"
    n_casi_duplicados: int = 0

    def probabilidad_positiva(self, textos: Iterable, *, limpios: bool = False) -> np.ndarray:
        """Probabilidad de que cada texto sea positivo (``SIN_SENAL`` si no trae ninguna palabra conocida), por
        lotes y sin repetir textos.

        ``limpios=True`` si los textos ya pasaron por ``analisis.texto.limpiar`` (no se limpian otra vez).
        """
        codigos, unicos = textos_unicos(textos, limpios=limpios)
        probabilidades = np.full(len(unicos), SIN_SENAL)
        with threadpool_limits(limits=1):
            for lote in lotes(len(unicos)):
                probabilidades[lote] = _probabilidad(self.tuberia, unicos[lote])
        return probabilidades[codigos] if len(codigos) else np.array([])

    def predecir(self, textos: Iterable, *, limpios: bool = False) -> np.ndarray:
        """Tono de cada texto: 'negativo', 'neutral' o 'positivo' (un texto sin palabras conocidas es 'neutral')."""
        return _tonos(self.probabilidad_positiva(textos, limpios=limpios), self.umbral)


def _probabilidad(tuberia: Pipeline, limpios: np.ndarray) -> np.ndarray:
    """Probabilidad de positivo de textos ya limpios; ``SIN_SENAL`` si no traen ningún rasgo conocido."""
    rasgos = tuberia["rasgos"].transform(list(limpios))
    return np.where(rasgos.getnnz(axis=1) > 0, tuberia["modelo"].predict_proba(rasgos)[:, 1], SIN_SENAL)


def _tonos(probabilidades: np.ndarray, umbral: float) -> np.ndarray:
    """'positivo' desde ``umbral``, 'negativo' hasta 1 − umbral, 'neutral' entre ambos o sin señal.

    >>> _tonos(np.array([0.9, 0.55, 0.5, 0.1]), 0.6).tolist()
    ['positivo', 'neutral', 'neutral', 'negativo']
    >>> _tonos(np.array([0.51, 0.5, 0.49]), 0.5).tolist()
    ['positivo', 'neutral', 'negativo']
    """
    return np.select([probabilidades == SIN_SENAL, probabilidades >= umbral, probabilidades <= 1 - umbral],
                     ["neutral", "positivo", "negativo"], "neutral").astype(object)


def _rasgos_sentimiento(analizador: RasgosTono | None = None) -> TfidfVectorizer:
    """TF-IDF de raíces, negaciones y palabras de tono (``analizador``, o un ``RasgosTono`` nuevo), sin entrenar."""
    return TfidfVectorizer(analyzer=analizador or RasgosTono(), min_df=2, sublinear_tf=True, dtype=np.float32)


def _modelo_sentimiento(semilla: int) -> LogisticRegression:
    """Regresión logística con clases equilibradas, sin entrenar."""
    return LogisticRegression(C=1.0, class_weight="balanced", solver="liblinear", max_iter=1000, random_state=semilla)


def tuberia_sentimiento(semilla: int) -> Pipeline:
    """TF-IDF de raíces, negaciones y palabras de tono (``RasgosTono``) + regresión logística equilibrada."""
    return Pipeline([("rasgos", _rasgos_sentimiento()), ("modelo", _modelo_sentimiento(semilla))])


def _ajustar(x: np.ndarray, y: np.ndarray, sin_nota: np.ndarray, semilla: int,
             analizador: RasgosTono | None = None) -> Pipeline:
    """El modelo de sentimiento entrenado en ``x``/``y`` y adaptado a los textos ``sin_nota`` (``_adaptacion``);
    ``analizador``: el ``RasgosTono`` de sus rasgos (uno nuevo si no se da)."""
    return ajustar_adaptado(_rasgos_sentimiento(analizador), lambda: _modelo_sentimiento(semilla), list(x), y,
                            list(sin_nota), minimo_por_clase=MINIMO_POR_CLASE)


def _apartar(y: np.ndarray, fechas, grupos, semilla: int) -> tuple[np.ndarray, np.ndarray, str]:
    """(índices de entrenamiento, índices apartados, método): los más recientes, otros clientes o al azar."""
    indices = np.arange(len(y))
    if fechas is not None and pd.notna(fechas).sum() >= 2 and pd.Series(fechas).nunique() > 1:
        orden = np.argsort(pd.to_datetime(pd.Series(fechas)).to_numpy(), kind="stable")  # NaT al final
        con_fecha = orden[: int(pd.notna(fechas).sum())]
        corte = len(con_fecha) - max(1, round(FRACCION_VALIDACION * len(con_fecha)))
        return np.sort(np.r_[con_fecha[:corte], orden[len(con_fecha):]]), np.sort(con_fecha[corte:]), "fecha"
    if grupos is not None and pd.Series(grupos).dropna().nunique() >= 5:
        etiquetas = pd.Series(grupos).astype(object).where(pd.notna(grupos), pd.Series(indices).astype(str))
        particion = GroupShuffleSplit(n_splits=1, test_size=FRACCION_VALIDACION, random_state=semilla)
        entrenamiento, apartados = next(particion.split(indices, groups=etiquetas.to_numpy()))
        return entrenamiento, apartados, "cliente"
    entrenamiento, apartados = train_test_split(indices, test_size=FRACCION_VALIDACION, stratify=y,
                                                random_state=semilla)
    return np.sort(entrenamiento), np.sort(apartados), "azar"


def casi_duplicados(entrenamiento: np.ndarray, apartados: np.ndarray, *,
                    umbral: float = UMBRAL_CASI_DUPLICADO) -> np.ndarray:
    """Máscara de los textos ``apartados`` cuyo coseno (palabras presentes) con algún texto de
    ``entrenamiento`` llega a ``umbral``: repetidos o casi (cambia un número, un saludo).

    >>> casi_duplicados(np.array(["la entrega llego tarde", "todo bien"]),
    ...                 np.array(["la entrega llego tarde pedido", "el tecnico no vino"])).tolist()
    [True, False]
    """
    palabras = CountVectorizer(binary=True, token_pattern=r"(?u)\b[^\W\d_]\w+\b", dtype=np.float32)
    try:
        matriz = normalize(palabras.fit_transform(np.r_[entrenamiento, apartados]))
    except ValueError:  # sin palabras
        return np.zeros(len(apartados), dtype=bool)
    base, nuevos = matriz[: len(entrenamiento)].T.tocsr(), matriz[len(entrenamiento):]
    maximo = np.zeros(nuevos.shape[0])
    for lote in range(0, nuevos.shape[0], 2_000):
        similitud = nuevos[lote:lote + 2_000] @ base
        maximo[lote:lote + 2_000] = similitud.max(axis=1).toarray().ravel()
    return maximo >= umbral - 1e-6


def _medir(tuberia: Pipeline, x: np.ndarray, y: np.ndarray, umbral: float) -> dict:
    """Exactitud (Wilson) y exactitud equilibrada de ``tuberia`` en los apartados; «neutral» es error."""
    if len(y) < MINIMO_VALIDACION or min(int(y.sum()), int((1 - y).sum())) < MINIMO_VALIDACION_CLASE:
        return {"exactitud_validacion": np.nan, "ic_inf": np.nan, "ic_sup": np.nan, "exactitud_balanceada": np.nan}
    predichos = _tonos(_probabilidad(tuberia, x), umbral)
    acierto = predichos == np.where(y == 1, "positivo", "negativo")
    exactitud = proporcion(int(acierto.sum()), len(y))
    return {"exactitud_validacion": exactitud.valor, "ic_inf": exactitud.ic_inf, "ic_sup": exactitud.ic_sup,
            "exactitud_balanceada": float(np.mean([acierto[y == 1].mean(), acierto[y == 0].mean()]))}


def _entrenar(textos: Iterable, tonos: np.ndarray, *, minimo: int, semilla: int, umbral: float, fechas=None,
              grupos=None, sin_nota: Iterable = ()) -> ModeloSentimiento:
    """Valida con los apartados (sin casi duplicados) y reentrena con todos los ejemplos negativos y positivos;
    con ``sin_nota`` (textos sin calificación de otro dominio), ambos modelos se adaptan a ellos."""
    if not 0.5 <= umbral < 1:
        raise ValueError("'umbral' debe estar entre 0,5 y 1")
    if minimo < 2 * MINIMO_POR_CLASE:
        raise ValueError(f"'minimo' debe ser al menos {2 * MINIMO_POR_CLASE}")
    limpios = limpiar(textos)
    if len(limpios) != len(tonos):
        raise ValueError("'textos' y 'calificaciones' deben tener el mismo largo")
    for nombre, valores in (("fechas", fechas), ("grupos", grupos)):
        if valores is not None and len(valores) != len(tonos):
            raise ValueError(f"'{nombre}' debe tener un valor por texto")
    util = np.isin(tonos, ["negativo", "positivo"]) & (limpios != "")
    x, y = limpios[util], (tonos[util] == "positivo").astype(int)
    sin_nota = np.array([texto for texto in limpiar(sin_nota) if texto], dtype=object)
    n_pos, n_neg = int(y.sum()), int((1 - y).sum())
    if len(y) < minimo or min(n_pos, n_neg) < MINIMO_POR_CLASE:
        raise MuestraInsuficiente(
            f"Para aprender el tono de los comentarios se necesitan al menos {numero(minimo, 0)} comentarios con nota "
            f"baja o alta (y {MINIMO_POR_CLASE} de cada una); hay {numero(n_neg, 0)} de nota baja y "
            f"{numero(n_pos, 0)} de nota alta. Por eso no se estima el sentimiento.")
    elegir = (lambda v: None if v is None else np.asarray(list(v), dtype=object)[util])
    entrenamiento, apartados, metodo = _apartar(y, elegir(fechas), elegir(grupos), semilla)
    repetidos = casi_duplicados(x[entrenamiento], x[apartados])
    apartados = apartados[~repetidos]
    analizador = RasgosTono()
    with threadpool_limits(limits=1), analizador.recordando():  # cada texto se analiza una vez en los dos ajustes
        medida = _medir(_ajustar(x[entrenamiento], y[entrenamiento], sin_nota, semilla, analizador),
                        x[apartados], y[apartados], umbral)
        final = _ajustar(x, y, sin_nota, semilla, analizador)
    return ModeloSentimiento(**medida, n_validacion=len(apartados), n_negativos=n_neg, n_positivos=n_pos,
                             umbral=umbral, tuberia=final, metodo_validacion=metodo,
                             n_casi_duplicados=int(repetidos.sum()))


def entrenar_sentimiento(textos: Iterable, calificaciones: Iterable[float], escala: Sequence[float] = ESCALA_CSAT, *,
                         minimo: int = MINIMO_CALIFICADOS, semilla: int = 0, umbral: float = UMBRAL_TONO,
                         fechas: Iterable | None = None, grupos: Iterable | None = None,
                         sin_nota: Iterable = ()) -> ModeloSentimiento:
    """Aprende el tono de los comentarios a partir de sus calificaciones (ver el método en el módulo).

    ``calificaciones`` va en ``escala`` ((1, 5) CSAT, (0, 10) NPS…; ver ``tono_de_calificacion``);
    las notas intermedias y vacías no se usan. ``fechas`` (una por texto) aparta para validar los
    más recientes; sin fechas, ``grupos`` (p. ej. el cliente) aparta clientes enteros. ``sin_nota``: textos sin
    calificación de donde se usará el modelo (p. ej. otro negocio), a los que se adapta sin mirar ninguna nota
    (``_adaptacion``); sin ellos el modelo es el de siempre. Devuelve un
    ``ModeloSentimiento`` con ``predecir(textos)`` → 'negativo' | 'neutral' | 'positivo' y
    ``exactitud_validacion``.

    Raises
    ------
    MuestraInsuficiente
        Con menos de ``minimo`` ejemplos negativos + positivos o menos de ``MINIMO_POR_CLASE`` de uno.
    """
    return _entrenar(textos, tono_de_calificacion(calificaciones, escala), minimo=minimo, semilla=semilla,
                     umbral=umbral, fechas=fechas, grupos=grupos, sin_nota=sin_nota)


def entrenar_desde_encuestas(tabla: pd.DataFrame, *, minimo: int = MINIMO_CALIFICADOS, semilla: int = 0,
                             umbral: float = UMBRAL_TONO) -> ModeloSentimiento:
    """Como ``entrenar_sentimiento``, con ``comentario`` y el tono de CSAT o, si falta, de NPS; valida con las
    respuestas más recientes si la tabla trae ``fecha`` o con otros clientes si trae ``cliente_id``.

    Ver ``tonos_de_encuestas``.
    """
    return _entrenar(tabla["comentario"], tonos_de_encuestas(tabla), minimo=minimo, semilla=semilla, umbral=umbral,
                     fechas=tabla["fecha"] if "fecha" in tabla else None,
                     grupos=tabla["cliente_id"] if "cliente_id" in tabla else None)
