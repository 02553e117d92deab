"""El eslabón más débil de la cadena de servicio.

Entran las calificaciones que cada encuestado dio a las etapas de la cadena
(una columna por etapa, en orden) y un resultado global (CSAT, NPS, CES o un
sí/no); sale qué etapa frena más el servicio, con qué seguridad y cuánto
valdría llevarla a su meta. También resume el desempeño por etapa a partir de
lo que agregó el motor y la vista operativa de las interacciones.

Métodos
-------
* **Importancia derivada** (no preguntada). Resultado continuo: pesos
  relativos de Johnson (2000). Se descompone la matriz de correlaciones de las
  etapas, R = P·Δ·Pᵀ; Λ = P·Δ^½·Pᵀ liga las etapas con su versión ortogonal
  más parecida, β = Λ⁻¹·r son los coeficientes del resultado sobre esas
  variables ortogonales y el peso de la etapa j es εⱼ = Σₖ Λⱼₖ²·βₖ². Los pesos
  suman el R² del modelo lineal y no se dejan engañar por etapas
  correlacionadas entre sí. Resultado sí/no: pesos relativos sobre una
  regresión logística (Tonidandel y LeBreton 2010): con los coeficientes b de
  la logística sobre las etapas estandarizadas, bz = Λ·b se estandariza como
  β = bz·R_O/|bz| (R_O: correlación entre lo observado y la probabilidad
  predicha; |bz| es la desviación del logit predicho) y εⱼ = Σₖ Λⱼₖ²·βₖ²; los
  pesos suman R²_O.
* **Significación** (Tonidandel, LeBreton y Johnson 2009): se añade al modelo
  una variable de puro ruido; una etapa es significativa si el intervalo
  bootstrap al 95 % de (su peso − el peso del ruido) queda por encima de 0.
* **Respuestas vacías**: ninguna fila se descarta. Las correlaciones se
  calculan con los casos completos de cada par de columnas (como
  ``DataFrame.corr``), que usa toda la información y no sesga bajo falta
  completamente al azar; si la matriz resultante no es semidefinida positiva se
  recortan sus valores propios y se reescala a diagonal 1. La imputación por la
  media se descartó porque encoge las correlaciones de las etapas con más
  vacíos y rebaja su importancia. El modelo logístico necesita filas
  completas: cada calificación vacía se sustituye por su esperanza condicional
  dadas las otras etapas del mismo encuestado (Buck 1960), con medias y
  covarianzas de a pares.
* **Remuestreo** (bootstrap por lotes): las filas se reparten al azar en
  ``LOTES`` lotes y se guardan los estadísticos suficientes de cada lote
  (sumas, sumas de cuadrados y productos cruzados por pares). Cada remuestra
  sortea lotes con reemplazo y suma sus estadísticos, así que cuesta una
  multiplicación de matrices y no una pasada por los datos. Con filas
  independientes y reparto aleatorio equivale al bootstrap de filas a primer
  orden (los pesos son funciones suaves de medias); con ``LOTES`` filas o menos
  es exactamente el bootstrap de filas. En el modelo logístico cada remuestra
  da un paso de Newton desde la estimación completa (bootstrap de un paso,
  Moulton y Zeger 1991). Intervalos: percentiles 2,5 y 97,5.
* **En el motor** (``analizar_cadena_agregada``): esos mismos estadísticos por lote los puede
  sumar el motor de datos (``datos.consultas.sumas_cadena``) sobre todas las respuestas del
  filtro, con el lote y el ruido sacados del MD5 de cada respuesta; solo salen del motor unas
  2.000 filas pequeñas y el resto del cálculo es el mismo. Sirve para resultados continuos; la
  logística necesita filas y usa la muestra que elige el motor.
* **Eslabón más débil**: prioridad = peso × brecha, con brecha = lo que falta
  para la meta de la etapa (o para la mejor etapa si no hay metas); la
  confianza es la fracción de remuestras en que esa etapa queda primera. La
  ganancia esperada sale del modelo ajustado: coeficiente de la etapa × subida
  de su media hasta la meta (en la logística, el efecto medio sobre la
  probabilidad de estar satisfecho).
* **Mapa importancia–desempeño** (Martilla y James 1977): cuadrantes
  separados por la importancia media y el desempeño medio de las etapas.
"""

import math
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from functools import partial

import numpy as np
import pandas as pd

from analisis.formato import con_signo, numero, porcentaje
from analisis.kpis import Estimacion, media, proporcion
from analisis.errores import MuestraInsuficiente

__all__ = [
    "Resultado", "RESULTADOS", "CUADRANTES", "ESCALAS", "LOTES", "SEGMENTOS", "ConfiguracionCadena", "ResultadoCadena",
    "ComparacionSegmentos", "TextosCadena", "configuracion_cadena", "escala_de_calificaciones",
    "escala_de_distribucion", "analizar_cadena", "analizar_cadena_agregada", "comparar_segmentos",
    "comparar_segmentos_agregada", "desempeno_por_etapa", "vista_operativa", "cajas_cadena", "describir",
    "texto_cobertura", "tabla_importancia", "tabla_desempeno", "tabla_operativa", "tabla_tiempos", "tabla_segmentos",
]


@dataclass(frozen=True)
class Resultado:
    """Un resultado global que la cadena puede explicar.

    ``columna`` en los datos, ``titulo`` para el selector, ``nombre`` dentro de una frase
    ("la variación en el CSAT"), ``tipo`` ('continuo' o 'binario') y ``unidad`` de la ganancia.
    """

    columna: str
    titulo: str
    nombre: str
    tipo: str
    unidad: str


#: Resultados que ofrece la página (columnas de ``datos.consultas.calificaciones_por_respuesta``).
RESULTADOS: tuple[Resultado, ...] = (
    Resultado("csat", "CSAT (satisfacción, 1–5)", "el CSAT", "continuo", "puntos de CSAT"),
    Resultado("nps", "Recomendación (NPS, 0–10)", "la recomendación (0–10)", "continuo",
              "puntos de recomendación (0–10)"),
    Resultado("ces", "CES (facilidad, 1–7)", "el CES", "continuo", "puntos de CES"),
    Resultado("satisfecho", "Satisfecho sí/no (CSAT 4–5)", "la satisfacción (sí/no)", "binario",
              "pp de clientes satisfechos"),
)

#: Cuadrantes de Martilla y James (1977): (importancia alta?, desempeño alto?) → nombre.
CUADRANTES: dict[tuple[bool, bool], str] = {
    (True, False): "Concentrar aquí", (True, True): "Mantener",
    (False, False): "Baja prioridad", (False, True): "Posible exceso",
}

#: Escalas de calificación reconocidas (mínimo, máximo).
ESCALAS: tuple[tuple[int, int], ...] = ((1, 5), (1, 7), (0, 10), (0, 100))

#: Lotes del bootstrap por lotes (con menos filas, cada fila es su propio lote).
LOTES = 2000

_TIPOS = ("continuo", "binario")
_MEDIDAS = ("media", "top2")
_MIN_ETAPAS, _MAX_ETAPAS = 2, 30
_MIN_FILAS = 10
_MIN_PARES = 5            # calificaciones con resultado para que una etapa entre al modelo
_PISO = 1e-10             # valor propio mínimo de una matriz de correlaciones
_CRESTA = 1e-4            # penalización mínima de la logística (evita divergir con separación perfecta)
_MUESTRA_EFECTO = 5000    # filas con que se promedia el efecto medio de la logística
_FILAS_ARRANQUE = 50_000  # filas (al azar) con que se halla el punto de partida de la logística grande
_NAN = float("nan")


# ---------------------------------------------------------------------------
# Configuración y escala
# ---------------------------------------------------------------------------

@dataclass(frozen=True)
class ConfiguracionCadena:
    """Etapas en orden y su meta de media (``metas`` es None si alguna etapa no tiene meta)."""

    etapas: tuple[str, ...]
    metas: tuple[tuple[str, float], ...] | None

    @property
    def metas_por_etapa(self) -> dict[str, float] | None:
        """Las metas como diccionario etapa → meta, o None."""
        return None if self.metas is None else dict(self.metas)


def configuracion_cadena(tabla: pd.DataFrame) -> ConfiguracionCadena:
    """Lee la tabla ``etapas`` (``etapa``, ``orden``, ``meta``) como configuración de la cadena.

    >>> tabla = pd.DataFrame({"etapa": ["B", "A"], "orden": [2, 1], "meta": [4.0, 3.5]})
    >>> configuracion_cadena(tabla)
    ConfiguracionCadena(etapas=('A', 'B'), metas=(('A', 3.5), ('B', 4.0)))
    """
    _exigir_columnas(tabla, ("etapa", "orden", "meta"), "tabla")
    ordenada = tabla.sort_values(["orden", "etapa"])
    etapas = tuple(str(e) for e in ordenada["etapa"])
    metas = ordenada["meta"].astype(float)
    con_meta = bool(len(metas)) and bool(metas.notna().all())
    return ConfiguracionCadena(etapas, tuple(zip(etapas, metas.tolist())) if con_meta else None)


def escala_de_calificaciones(minimo: float, maximo: float) -> tuple[float, float]:
    """La escala reconocida más pequeña que contiene los valores observados.

    Si ninguna de ``ESCALAS`` los contiene, la escala va del mínimo al máximo observados
    (redondeados hacia fuera); sin datos, 1–5.

    >>> escala_de_calificaciones(1, 5), escala_de_calificaciones(2, 6), escala_de_calificaciones(0, 9)
    ((1, 5), (1, 7), (0, 10))
    >>> escala_de_calificaciones(-2.5, 3.2)
    (-3, 4)
    """
    if math.isnan(minimo) or math.isnan(maximo):
        return ESCALAS[0]
    for escala in ESCALAS:
        if escala[0] <= minimo and maximo <= escala[1]:
            return escala
    return math.floor(minimo), math.ceil(maximo)


def _umbral_alto(escala: tuple[float, float]) -> float:
    """Primera calificación del top-2-box (4 en 1–5, 9 en 0–10, 99 en 0–100)."""
    return escala[1] - 1


def _umbral_bajo(escala: tuple[float, float]) -> float:
    """Última calificación baja (bottom-2-box: 2 en 1–5, 1 en 0–10)."""
    return escala[0] + 1


# ---------------------------------------------------------------------------
# Resultado del análisis
# ---------------------------------------------------------------------------

@dataclass(frozen=True, eq=False)
class ResultadoCadena:
    """Importancia, desempeño y prioridad de cada etapa de la cadena.

    ``importancia`` tiene una fila por etapa (índice ``etapa``, en el orden de la cadena):

    * ``peso``, ``ic_inf``, ``ic_sup``: peso relativo bruto (los pesos suman ``r2``) e intervalo bootstrap;
    * ``proporcion``, ``proporcion_inf``, ``proporcion_sup``: peso / R² (parte de lo explicado);
    * ``significativa``: su peso supera al de una variable de ruido (NA sin remuestras);
    * ``desempeno``, ``desempeno_inf``, ``desempeno_sup``: media o proporción top-2-box;
    * ``n``: calificaciones de la etapa; ``vacias``: fracción de encuestados que no la calificaron;
    * ``referencia``: meta o desempeño de la mejor etapa; ``brecha``: lo que falta (≥ 0);
    * ``prioridad`` = peso × brecha; ``primero``: fracción de remuestras en que la etapa encabeza la prioridad;
    * ``coeficiente``: cambio del resultado por punto de calificación (log-odds si es sí/no);
    * ``ganancia``, ``ganancia_inf``, ``ganancia_sup``: mejora esperada del resultado si la etapa
      alcanzara su referencia (en proporción 0..1 si el resultado es sí/no);
    * ``cuadrante``: uno de ``CUADRANTES``; ``incluida``: False si la etapa no entró al modelo
      (sin calificaciones suficientes o sin variación) y entonces sus cifras de modelo son NaN.

    ``eslabon_mas_debil`` es None si ninguna etapa tiene brecha; ``confianza`` es NaN sin remuestras.
    """

    importancia: pd.DataFrame
    r2: float
    r2_inf: float
    r2_sup: float
    eslabon_mas_debil: str | None
    confianza: float
    tipo_resultado: str
    medida: str
    referencia: str
    escala: tuple[float, float]
    n: int
    remuestras: int

    @property
    def ganancia(self) -> Estimacion | None:
        """Ganancia esperada si el eslabón más débil alcanzara su referencia (None sin eslabón)."""
        if self.eslabon_mas_debil is None:
            return None
        fila = self.importancia.loc[self.eslabon_mas_debil]
        return Estimacion(float(fila["ganancia"]), float(fila["ganancia_inf"]), float(fila["ganancia_sup"]), self.n)

    @property
    def no_significativas(self) -> list[str]:
        """Etapas incluidas cuya importancia no se distingue del ruido."""
        significativa = self.importancia["significativa"]
        return significativa.index[significativa.eq(False).fillna(False).to_numpy(bool)].tolist()


# ---------------------------------------------------------------------------
# Validación
# ---------------------------------------------------------------------------

def _validar_etapas(etapas: Sequence[str]) -> tuple[str, ...]:
    """Comprueba que ``etapas`` sea una lista de 2 a 30 nombres distintos; la devuelve como tupla."""
    if isinstance(etapas, str) or not isinstance(etapas, Sequence):
        raise ValueError("'etapas' debe ser una lista de nombres de columna")
    etapas = tuple(etapas)
    if not _MIN_ETAPAS <= len(etapas) <= _MAX_ETAPAS:
        raise ValueError(f"'etapas' debe tener entre {_MIN_ETAPAS} y {_MAX_ETAPAS} etapas, no {len(etapas)}")
    if len(set(etapas)) != len(etapas):
        raise ValueError("'etapas' tiene nombres repetidos")
    return etapas


def _validar_entrada(respuestas: pd.DataFrame, etapas: Sequence[str], resultado: str) -> tuple[str, ...]:
    """Comprueba tipos y columnas; devuelve las etapas como tupla."""
    if not isinstance(respuestas, pd.DataFrame):
        raise ValueError("'respuestas' debe ser un DataFrame")
    etapas = _validar_etapas(etapas)
    if resultado in etapas:
        raise ValueError("'resultado' no puede ser también una etapa")
    faltan = [c for c in (*etapas, resultado) if c not in respuestas.columns]
    if faltan:
        raise ValueError(f"'respuestas' no tiene las columnas {faltan}")
    return etapas


def _validar_opciones(medida: str, remuestras: int, semilla: int) -> None:
    """Valida las opciones numéricas y de medida."""
    if medida not in _MEDIDAS:
        raise ValueError(f"'medida' debe ser uno de {list(_MEDIDAS)}, no {medida!r}")
    for nombre, valor in (("remuestras", remuestras), ("semilla", semilla)):
        if isinstance(valor, bool) or not isinstance(valor, (int, np.integer)) or valor < 0:
            raise ValueError(f"'{nombre}' debe ser un entero mayor o igual que 0")


def _columnas(respuestas: pd.DataFrame, columnas: Sequence[str], parametro: str) -> np.ndarray:
    """Las columnas como matriz de reales con NaN en los vacíos."""
    try:
        return respuestas[list(columnas)].to_numpy(dtype=np.float64, na_value=np.nan)
    except (TypeError, ValueError) as error:
        raise ValueError(f"'{parametro}' debe tener columnas numéricas: {error}") from None


def _tipo(y: np.ndarray, tipo_resultado: str | None) -> str:
    """'continuo' o 'binario' (inferido si es None: binario si solo hay 0 y 1)."""
    if tipo_resultado is not None and tipo_resultado not in _TIPOS:
        raise ValueError(f"'tipo_resultado' debe ser None o uno de {list(_TIPOS)}, no {tipo_resultado!r}")
    valores = np.unique(y[~np.isnan(y)])
    binario = valores.size > 0 and bool(np.isin(valores, (0.0, 1.0)).all())
    if tipo_resultado == "binario" and not binario:
        raise ValueError("con tipo_resultado='binario' el resultado solo puede valer 0 o 1")
    if tipo_resultado is None:
        return "binario" if binario and valores.size == 2 else "continuo"
    return tipo_resultado


def _escala(x: np.ndarray, escala: tuple[float, float] | None) -> tuple[float, float]:
    """La escala pedida (validada contra los datos) o la inferida de ellos."""
    observados = x[~np.isnan(x)]
    minimo, maximo = (float(observados.min()), float(observados.max())) if observados.size else (_NAN, _NAN)
    if escala is None:
        return escala_de_calificaciones(minimo, maximo)
    if len(escala) != 2 or not escala[0] < escala[1]:
        raise ValueError("'escala' debe ser un par (mínimo, máximo) con mínimo < máximo")
    if observados.size and (minimo < escala[0] or maximo > escala[1]):
        raise ValueError(f"'respuestas' tiene calificaciones de etapa fuera de la escala {escala[0]}–{escala[1]}")
    return float(escala[0]), float(escala[1])


def _referencias(metas: Mapping[str, float] | None, etapas: tuple[str, ...], medida: str) -> np.ndarray | None:
    """Las metas en el orden de las etapas (None: comparar con la mejor etapa)."""
    if metas is None:
        return None
    faltan = [e for e in etapas if e not in metas]
    if faltan:
        raise ValueError(f"'metas' no tiene meta para {faltan}")
    valores = np.array([float(metas[e]) for e in etapas])
    if not np.isfinite(valores).all():
        raise ValueError("'metas' debe tener una meta numérica para cada etapa")
    if medida == "top2" and ((valores < 0) | (valores > 1)).any():
        raise ValueError("con medida='top2' las 'metas' son proporciones entre 0 y 1")
    return valores


# ---------------------------------------------------------------------------
# Estadísticos suficientes por lotes
# ---------------------------------------------------------------------------

@dataclass(frozen=True)
class _Lotes:
    """Reparto aleatorio de ``n`` filas en ``cantidad`` lotes consecutivos de ``tamano`` filas.

    ``ordenar`` baraja las filas y rellena con vacíos hasta ``cantidad × tamano``: desde ahí cada
    lote es un tramo consecutivo y ``por_lote`` es un simple cambio de forma, sin copiar datos.
    Las filas de relleno no tienen ningún dato, así que no suman a ningún estadístico.
    """

    orden: np.ndarray
    cantidad: int
    tamano: int

    @classmethod
    def crear(cls, n: int, rng: np.random.Generator) -> "_Lotes":
        cantidad = min(n, LOTES)
        return cls(rng.permutation(n), cantidad, -(-n // cantidad))

    @property
    def filas(self) -> int:
        """Filas tras el relleno."""
        return self.cantidad * self.tamano

    def ordenar(self, datos: np.ndarray) -> np.ndarray:
        """Las filas de ``datos`` barajadas y rellenas con NaN hasta ``filas``."""
        salida = np.full((self.filas,) + datos.shape[1:], np.nan)
        np.take(datos, self.orden, axis=0, out=salida[:self.orden.size])
        return salida

    def por_lote(self, datos: np.ndarray) -> np.ndarray:
        """(filas, ...) → (cantidad, tamaño, ...)."""
        return datos.reshape((self.cantidad, self.tamano) + datos.shape[1:])


def _centro(valores: np.ndarray) -> np.ndarray:
    """Media aproximada de cada columna (primeras 10.000 filas; 0 sin datos), que se resta para la precisión."""
    muestra = valores[:10_000]
    con_dato = ~np.isnan(muestra)
    return np.where(con_dato.any(axis=0), np.nansum(muestra, axis=0) / np.maximum(con_dato.sum(axis=0), 1), 0.0)


def _estadisticos_pares(repartidos: np.ndarray, centro: np.ndarray) -> dict[str, np.ndarray]:
    """Sumas por lote para las correlaciones de a pares de las columnas de ``repartidos`` (lotes, filas, q).

    Con v centrada (0 donde falta) y m = 1 si hay dato: ``cruzados`` = Σ vᵢvⱼ, ``sumas``[i, j] =
    Σ vᵢmⱼ, ``pares`` = Σ mᵢmⱼ y ``cuadrados``[i, j] = Σ vᵢ²mⱼ (productos de matrices por lote).
    """
    falta = np.isnan(repartidos)
    q = repartidos.shape[2]
    ambos = np.empty(repartidos.shape[:2] + (2 * q,))
    np.subtract(repartidos, centro, out=ambos[..., :q])
    np.copyto(ambos[..., :q], 0.0, where=falta)
    np.logical_not(falta, out=ambos[..., q:], casting="unsafe")
    productos = ambos.transpose(0, 2, 1) @ ambos
    cuadrados = np.square(ambos[..., :q]).transpose(0, 2, 1) @ ambos[..., q:]
    return {"cruzados": productos[:, :q, :q], "sumas": productos[:, :q, q:], "pares": productos[:, q:, q:],
            "cuadrados": cuadrados}


def _estadisticos_top2(repartidos: np.ndarray, umbral: float) -> dict[str, np.ndarray]:
    """Por lote y etapa: calificaciones en el top-2-box y suma de las que quedan por debajo."""
    bajas = repartidos < umbral
    return {"altas": (repartidos >= umbral).sum(axis=1).astype(float),
            "suma_bajas": np.where(bajas, repartidos, 0.0).sum(axis=1)}


def _estadisticos(x: np.ndarray, y: np.ndarray, ruido: np.ndarray, lotes: _Lotes, umbral: float
                  ) -> tuple[dict[str, np.ndarray], np.ndarray]:
    """Estadísticos por lote de etapas, resultado y ruido (ya en el orden de los lotes) y el centro restado."""
    valores = np.column_stack([x, y, ruido])
    centro = _centro(valores)
    partes = _estadisticos_pares(lotes.por_lote(valores), centro)
    partes.update(_estadisticos_top2(lotes.por_lote(x), umbral))
    return partes, centro


def _remuestrear(partes: dict[str, np.ndarray], remuestras: int, rng: np.random.Generator
                 ) -> dict[str, np.ndarray]:
    """Estadísticos de la muestra completa (fila 0) y de cada remuestra de lotes (filas 1..B).

    Una remuestra sortea tantos lotes como hay (la primera dimensión de ``partes``) con
    reemplazo (conteos multinomiales) y suma sus estadísticos: todas juntas son un solo
    producto de matrices (B × lotes) · (lotes × f).
    """
    bloques = _Bloques(partes)
    lotes = bloques.matriz.shape[0]
    conteos = rng.multinomial(lotes, np.full(lotes, 1 / lotes), size=remuestras)
    return bloques.separar(np.vstack([bloques.matriz.sum(axis=0), conteos @ bloques.matriz]))


class _Bloques:
    """Junta arreglos por lote (lotes, ...) en una matriz (lotes, f) y los recupera por nombre."""

    def __init__(self, partes: dict[str, np.ndarray]):
        self.formas = {nombre: parte.shape[1:] for nombre, parte in partes.items()}
        self.matriz = np.concatenate([parte.reshape(parte.shape[0], -1) for parte in partes.values()], axis=1)

    def separar(self, filas: np.ndarray) -> dict[str, np.ndarray]:
        """(B, f) → {nombre: (B, *forma)}."""
        salida, inicio = {}, 0
        for nombre, forma in self.formas.items():
            ancho = int(np.prod(forma, dtype=int))
            salida[nombre] = filas[:, inicio:inicio + ancho].reshape((filas.shape[0],) + forma)
            inicio += ancho
        return salida


def _momentos(est: dict[str, np.ndarray], centro: np.ndarray) -> dict[str, np.ndarray]:
    """Correlaciones de a pares (B, q, q), medias, desvíos y conteos (B, q) desde las sumas."""
    pares = est["pares"]
    with np.errstate(divide="ignore", invalid="ignore"):
        media_par = est["sumas"] / pares
        covarianza = est["cruzados"] / pares - media_par * media_par.transpose(0, 2, 1)
        varianza = np.maximum(est["cuadrados"] / pares - media_par ** 2, 0.0)
        correlacion = covarianza / np.sqrt(varianza * varianza.transpose(0, 2, 1))
    diagonal = np.arange(pares.shape[1])
    correlacion = np.nan_to_num(np.clip(correlacion, -1.0, 1.0), nan=0.0)
    correlacion[:, diagonal, diagonal] = 1.0
    n = pares[:, diagonal, diagonal]
    with np.errstate(divide="ignore", invalid="ignore"):
        medias = est["sumas"][:, diagonal, diagonal] / n + centro
    return {"correlacion": correlacion, "media": medias, "desvio": np.sqrt(varianza[:, diagonal, diagonal]),
            "n": n, "pares": pares}


# ---------------------------------------------------------------------------
# Pesos relativos
# ---------------------------------------------------------------------------

def _correlacion_valida(r: np.ndarray) -> np.ndarray:
    """Recorta valores propios < ``_PISO`` y reescala a diagonal 1 (matrices de a pares no siempre son SDP)."""
    valores, vectores = np.linalg.eigh(r)
    if (valores.min(axis=1) >= _PISO).all():
        return r
    arreglada = (vectores * np.maximum(valores, _PISO)[:, None, :]) @ vectores.transpose(0, 2, 1)
    d = np.sqrt(np.diagonal(arreglada, axis1=1, axis2=2))
    return arreglada / d[:, :, None] / d[:, None, :]


def _raiz(rxx: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Λ = R^½ y la descomposición (valores, vectores) de una pila de matrices de correlación."""
    valores, vectores = np.linalg.eigh(rxx)
    valores = np.maximum(valores, _PISO)
    lam = (vectores * np.sqrt(valores)[:, None, :]) @ vectores.transpose(0, 2, 1)
    return lam, valores, vectores


def _pesos_lineales(r: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Pesos relativos de Johnson (2000) y coeficientes estandarizados.

    ``r`` es una pila (B, k+1, k+1) de correlaciones de k predictores y, en la última
    posición, el resultado. Devuelve (ε (B, k), β estandarizados de la regresión (B, k)).
    """
    r = _correlacion_valida(r)
    rxx, rxy = r[:, :-1, :-1], r[:, :-1, -1]
    lam, valores, vectores = _raiz(rxx)
    proyeccion = np.einsum("bij,bi->bj", vectores, rxy)
    beta_ortogonal = np.einsum("bij,bj->bi", vectores, proyeccion / np.sqrt(valores))
    beta = np.einsum("bij,bj->bi", vectores, proyeccion / valores)
    return np.einsum("bjk,bk->bj", lam ** 2, beta_ortogonal ** 2), beta


def _pesos_logisticos(rxx: np.ndarray, b: np.ndarray, r_o: np.ndarray) -> np.ndarray:
    """Pesos relativos logísticos (Tonidandel y LeBreton 2010) desde coeficientes estandarizados ``b`` (B, k)."""
    lam, _, _ = _raiz(_correlacion_valida(rxx))
    bz = np.einsum("bjk,bk->bj", lam, b)
    with np.errstate(divide="ignore", invalid="ignore"):
        beta = bz * (r_o / np.linalg.norm(bz, axis=1))[:, None]
    return np.einsum("bjk,bk->bj", lam ** 2, np.nan_to_num(beta) ** 2)


# ---------------------------------------------------------------------------
# Modelo logístico
# ---------------------------------------------------------------------------

def _expit(eta: np.ndarray) -> np.ndarray:
    """Función logística 1 / (1 + e^(−η)), estable para |η| grandes."""
    return 0.5 * (1.0 + np.tanh(0.5 * eta))


def _penalizacion(k: int) -> np.ndarray:
    """Matriz de la penalización mínima: cresta sobre las pendientes, no sobre el intercepto."""
    p = np.eye(k + 1) * _CRESTA
    p[0, 0] = 0.0
    return p


def _ajustar_logistica(diseno: np.ndarray, y: np.ndarray, inicio: np.ndarray | None = None,
                       pasos: int = 100) -> np.ndarray:
    """Coeficientes de la logística de ``y`` sobre ``diseno`` (1.ª columna: unos) por Newton-Raphson.

    Lleva una cresta mínima (``_CRESTA``) para que la estimación exista aun con separación perfecta.
    ``inicio`` es el punto de partida (None: solo el intercepto, en el logit de la media); ``pasos``
    limita las iteraciones (con 1 y un buen inicio es el estimador de un paso, tan eficiente como el
    de máxima verosimilitud en muestras grandes).
    """
    penal = _penalizacion(diseno.shape[1] - 1)
    if inicio is None:
        inicio = np.zeros(diseno.shape[1])
        inicio[0] = math.log(y.mean() / (1 - y.mean()))
    b = inicio
    for _ in range(pasos):
        p = _expit(diseno @ b)
        raiz = diseno * np.sqrt(p * (1 - p))[:, None]
        hessiana = raiz.T @ raiz + penal
        paso = np.linalg.solve(hessiana, diseno.T @ (y - p) - penal @ b)
        b = b + paso
        if np.abs(paso).max() < 1e-7:
            break
    return b


def _imputar(x: np.ndarray, medias: np.ndarray, covarianza: np.ndarray) -> np.ndarray:
    """Sustituye cada vacío por su esperanza condicional dadas las etapas observadas de la fila (Buck 1960)."""
    falta = np.isnan(x)
    if not falta.any():
        return x
    x = x.copy()
    clave = falta @ (1 << np.arange(x.shape[1], dtype=np.int64))
    patrones, inverso = np.unique(clave, return_inverse=True)
    orden = np.argsort(inverso, kind="stable")
    limites = np.concatenate([[0], np.cumsum(np.bincount(inverso))])
    for i, patron in enumerate(patrones):
        if patron == 0:
            continue
        filas = orden[limites[i]:limites[i + 1]]
        vacias = falta[filas[0]]
        vistas = ~vacias
        estimado = np.broadcast_to(medias[vacias], (filas.size, int(vacias.sum()))).copy()
        if vistas.any():
            pendiente = np.linalg.lstsq(covarianza[np.ix_(vistas, vistas)], covarianza[np.ix_(vistas, vacias)],
                                        rcond=None)[0]
            estimado += (x[np.ix_(filas, vistas)] - medias[vistas]) @ pendiente
        x[np.ix_(filas, vacias)] = estimado
    return x


@dataclass(frozen=True)
class _Logistica:
    """Una logística ajustada sobre etapas estandarizadas: coeficientes y filas para el efecto medio."""

    coeficientes: np.ndarray
    muestra: np.ndarray


def _estadisticos_logisticos(x: np.ndarray, y: np.ndarray, lotes: _Lotes, nombre: str,
                             inicio: np.ndarray | None = None, pasos: int = 100
                             ) -> tuple[dict[str, np.ndarray], _Logistica]:
    """Ajusta la logística y guarda por lote lo que necesita el bootstrap de un paso.

    ``x`` son las etapas estandarizadas e imputadas, en el orden de los lotes (las filas sin
    resultado pesan 0). Por lote: hessiana Σ p(1−p)·x̃x̃ᵀ, gradiente Σ x̃(y − p) y las sumas
    n, Σy, Σp, Σy·p y Σp² con que se recalcula la correlación entre lo observado y lo predicho.
    """
    con_resultado = ~np.isnan(y)
    diseno = np.column_stack([np.ones(len(y)), x])
    diseno_ajuste, y_ajuste = diseno[con_resultado], y[con_resultado]
    if inicio is None and len(y_ajuste) > _FILAS_ARRANQUE:
        inicio = _ajustar_logistica(diseno_ajuste[:_FILAS_ARRANQUE], y_ajuste[:_FILAS_ARRANQUE])
    b = _ajustar_logistica(diseno_ajuste, y_ajuste, inicio, pasos)
    p = np.where(con_resultado, _expit(diseno @ b), 0.0)
    y0 = np.where(con_resultado, y, 0.0)
    raiz = lotes.por_lote(diseno * np.sqrt(p * (1 - p))[:, None])
    ajuste = np.column_stack([con_resultado, y0, p, y0 * p, p * p])
    return ({f"{nombre}_hessiana": raiz.transpose(0, 2, 1) @ raiz,
             f"{nombre}_gradiente": np.einsum("gmk,gm->gk", lotes.por_lote(diseno), lotes.por_lote(y0 - p)),
             f"{nombre}_ajuste": lotes.por_lote(ajuste).sum(axis=1)},
            _Logistica(b, diseno_ajuste[:_MUESTRA_EFECTO]))


def _un_paso(est: dict[str, np.ndarray], nombre: str, modelo: _Logistica) -> tuple[np.ndarray, np.ndarray]:
    """Coeficientes de cada remuestra (un paso de Newton) y su correlación observado–predicho."""
    penal = _penalizacion(modelo.coeficientes.size - 1)
    gradiente = est[f"{nombre}_gradiente"] - penal @ modelo.coeficientes
    b = modelo.coeficientes + np.linalg.solve(est[f"{nombre}_hessiana"] + penal, gradiente[..., None])[..., 0]
    n, sy, sp, syp, spp = np.moveaxis(est[f"{nombre}_ajuste"], 1, 0)
    with np.errstate(divide="ignore", invalid="ignore"):
        r_o = (syp - sy * sp / n) / np.sqrt((sy - sy * sy / n) * (spp - sp * sp / n))
    return b, np.nan_to_num(r_o)


# ---------------------------------------------------------------------------
# Análisis
# ---------------------------------------------------------------------------

@dataclass(frozen=True)
class _Plan:
    """Lo que se fija antes de remuestrear: etapas incluidas, tipo, medida, referencias y modelos."""

    incluidas: np.ndarray
    tipo: str
    medida: str
    referencias: np.ndarray | None
    umbral: float
    centro: np.ndarray
    desvio: np.ndarray
    logisticas: dict[str, _Logistica]


def _incluidas(momentos: dict[str, np.ndarray], p: int) -> np.ndarray:
    """Índices de las etapas con bastantes calificaciones junto al resultado y con variación."""
    con_resultado = momentos["pares"][0, :p, p]
    return np.flatnonzero((con_resultado >= _MIN_PARES) & (momentos["desvio"][0, :p] > 1e-12))


def _exigir_muestra(utiles: int, incluidas: np.ndarray, desvio_y: float) -> int:
    """Devuelve ``utiles`` (respuestas con resultado y etapas calificadas); falla con un mensaje claro si faltan."""
    if incluidas.size == 0:
        raise MuestraInsuficiente("Ninguna etapa tiene calificaciones suficientes (y con variación) junto al "
                                  "resultado para estimar su importancia.")
    minimo = max(_MIN_FILAS, incluidas.size + 3)
    if utiles < minimo:
        raise MuestraInsuficiente(f"Hay {utiles} respuestas con resultado y etapas calificadas; se necesitan al "
                                  f"menos {minimo} para estimar la importancia de las etapas.")
    if not desvio_y > 0:
        raise MuestraInsuficiente("El resultado no varía entre las respuestas elegidas: no hay nada que explicar.")
    return utiles


def _preparar_logisticas(x: np.ndarray, y: np.ndarray, ruido: np.ndarray, lotes: _Lotes,
                         momentos: dict[str, np.ndarray], incluidas: np.ndarray
                         ) -> tuple[dict[str, np.ndarray], dict[str, _Logistica]]:
    """Imputa, estandariza y ajusta las logísticas sin y con la variable de ruido (en el orden de los lotes).

    La logística con ruido parte de la ajustada sin él (ruido con coeficiente 0, su valor verdadero)
    y da un solo paso de Newton: solo sirve para la prueba de significación.
    """
    medias, desvios = momentos["media"][0, incluidas], momentos["desvio"][0, incluidas]
    r = _correlacion_valida(momentos["correlacion"][:1][:, incluidas][:, :, incluidas])[0]
    completas = (_imputar(x[:, incluidas], medias, r * np.outer(desvios, desvios)) - medias) / desvios
    partes, sin_ruido = _estadisticos_logisticos(completas, y, lotes, "logit")
    ruido_estandar = (np.nan_to_num(ruido) - momentos["media"][0, -1]) / momentos["desvio"][0, -1]
    extra, con_ruido = _estadisticos_logisticos(np.column_stack([completas, ruido_estandar]), y, lotes,
                                                "logit_ruido", np.append(sin_ruido.coeficientes, 0.0), pasos=1)
    partes.update(extra)
    return partes, {"logit": sin_ruido, "logit_ruido": con_ruido}


def _pesos(est: dict[str, np.ndarray], momentos: dict[str, np.ndarray], plan: _Plan
           ) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Pesos sin ruido (B, k), pesos con ruido (B, k+1) y coeficientes por punto de calificación (B, k)."""
    p = momentos["media"].shape[1] - 2
    inc = plan.incluidas
    r = momentos["correlacion"]
    if plan.tipo == "continuo":
        con_y = np.append(inc, p)
        pesos, beta = _pesos_lineales(r[:, con_y][:, :, con_y])
        con_ruido = np.concatenate([inc, [p + 1, p]])
        pesos_ruido, _ = _pesos_lineales(r[:, con_ruido][:, :, con_ruido])
        coeficientes = beta * momentos["desvio"][:, [p]] / momentos["desvio"][:, inc]
        return pesos, pesos_ruido, coeficientes
    escala = momentos["desvio"][:, inc] / plan.desvio[inc]
    b, r_o = _un_paso(est, "logit", plan.logisticas["logit"])
    pesos = _pesos_logisticos(r[:, inc][:, :, inc], b[:, 1:] * escala, r_o)
    b_ruido, r_o_ruido = _un_paso(est, "logit_ruido", plan.logisticas["logit_ruido"])
    con_ruido = np.append(inc, p + 1)
    escala_ruido = np.column_stack([escala, momentos["desvio"][:, p + 1] / plan.desvio[p + 1]])
    pesos_ruido = _pesos_logisticos(r[:, con_ruido][:, :, con_ruido], b_ruido[:, 1:] * escala_ruido, r_o_ruido)
    return pesos, pesos_ruido, b[:, 1:] / plan.desvio[inc]


def _desempeno(est: dict[str, np.ndarray], momentos: dict[str, np.ndarray], plan: _Plan
               ) -> tuple[np.ndarray, np.ndarray]:
    """Desempeño (B, p) según la medida y media de las calificaciones bajo el top-2-box (B, p)."""
    p = est["altas"].shape[1]
    n = momentos["n"][:, :p]
    with np.errstate(divide="ignore", invalid="ignore"):
        media_bajas = est["suma_bajas"] / (n - est["altas"])
        desempeno = momentos["media"][:, :p] if plan.medida == "media" else est["altas"] / n
    return desempeno, media_bajas


def _ganancias(est: dict[str, np.ndarray], plan: _Plan, coeficientes: np.ndarray, subida: np.ndarray) -> np.ndarray:
    """Mejora esperada del resultado si cada etapa subiera su media en ``subida`` puntos (B, k)."""
    if plan.tipo == "continuo":
        return coeficientes * subida
    b, _ = _un_paso(est, "logit", plan.logisticas["logit"])
    eta = b @ plan.logisticas["logit"].muestra.T
    base = _expit(eta).mean(axis=1)
    return np.column_stack([_expit(eta + (coeficientes[:, j] * subida[:, j])[:, None]).mean(axis=1) - base
                            for j in range(coeficientes.shape[1])])


def _estimar(est: dict[str, np.ndarray], plan: _Plan) -> dict[str, np.ndarray]:
    """Todas las cifras por remuestra (fila 0: estimación puntual), en el orden de las etapas incluidas."""
    momentos = _momentos(est, plan.centro)
    pesos, pesos_ruido, coeficientes = _pesos(est, momentos, plan)
    desempeno, media_bajas = _desempeno(est, momentos, plan)
    desempeno, media_bajas = desempeno[:, plan.incluidas], media_bajas[:, plan.incluidas]
    referencia = (np.broadcast_to(plan.referencias[plan.incluidas], desempeno.shape) if plan.referencias is not None
                  else np.broadcast_to(np.nanmax(desempeno, axis=1, keepdims=True), desempeno.shape))
    brecha = np.maximum(np.nan_to_num(referencia - desempeno), 0.0)
    subida = brecha if plan.medida == "media" else brecha * np.nan_to_num(plan.umbral - media_bajas)
    r2 = pesos.sum(axis=1)
    with np.errstate(divide="ignore", invalid="ignore"):
        proporcion_ = pesos / r2[:, None]
    return {
        "peso": pesos, "proporcion": proporcion_, "r2": r2,
        "diferencia_ruido": pesos_ruido[:, :-1] - pesos_ruido[:, [-1]],
        "desempeno": desempeno, "referencia": referencia, "brecha": brecha, "prioridad": pesos * brecha,
        "coeficiente": coeficientes, "ganancia": _ganancias(est, plan, coeficientes, subida),
    }


def _intervalo(valores: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Percentiles 2,5 y 97,5 de las remuestras (filas 1..B); NaN sin remuestras."""
    if valores.shape[0] < 2:
        forma = valores.shape[1:]
        return np.full(forma, _NAN), np.full(forma, _NAN)
    with np.errstate(invalid="ignore"):
        inferior, superior = np.nanpercentile(valores[1:], [2.5, 97.5], axis=0)
    return inferior, superior


def _primeros(prioridad: np.ndarray) -> np.ndarray:
    """Fracción de remuestras en que cada etapa tiene la mayor prioridad (remuestras sin brecha no cuentan)."""
    remuestras = prioridad[1:]
    if remuestras.shape[0] == 0:
        return np.full(prioridad.shape[1], _NAN)
    ganadora = np.argmax(remuestras, axis=1)
    validas = remuestras.max(axis=1) > 0
    return np.bincount(ganadora[validas], minlength=prioridad.shape[1]) / remuestras.shape[0]


def _significativas(diferencia: np.ndarray) -> pd.array:
    """True si el intervalo de (peso − peso del ruido) queda sobre 0; NA sin remuestras."""
    inferior, _ = _intervalo(diferencia)
    return pd.array([None if math.isnan(v) else bool(v > 0) for v in inferior], dtype="boolean")


def _cuadrantes(proporcion_: np.ndarray, desempeno: np.ndarray) -> list[str]:
    """Cuadrante de Martilla y James de cada etapa (cortes: importancia y desempeño medios)."""
    alta = proporcion_ >= np.nanmean(proporcion_)
    bueno = desempeno >= np.nanmean(desempeno)
    return [CUADRANTES[(bool(a), bool(d))] for a, d in zip(alta, bueno)]


def _tabla(etapas: tuple[str, ...], cifras: dict[str, np.ndarray], plan: _Plan, n: np.ndarray,
           vacias: np.ndarray, desempeno_todas: np.ndarray) -> pd.DataFrame:
    """La tabla ``importancia`` con una fila por etapa (NaN en las etapas excluidas del modelo)."""
    tabla = pd.DataFrame(index=pd.Index(etapas, name="etapa"))
    tabla["n"] = n.astype(np.int64)
    tabla["vacias"] = vacias
    tabla["incluida"] = False
    incluidas = [etapas[i] for i in plan.incluidas]
    tabla.loc[incluidas, "incluida"] = True

    def _columna(nombre: str, valores) -> None:
        columna = np.full(len(etapas), _NAN)
        columna[plan.incluidas] = valores
        tabla[nombre] = columna

    for nombre in ("peso", "proporcion", "desempeno", "ganancia"):
        inferior, superior = _intervalo(cifras[nombre])
        _columna(nombre, cifras[nombre][0])
        prefijo = "ic" if nombre == "peso" else nombre
        _columna(f"{prefijo}_inf", inferior)
        _columna(f"{prefijo}_sup", superior)
    tabla.loc[~tabla["incluida"], "desempeno"] = desempeno_todas[~tabla["incluida"].to_numpy()]
    for nombre in ("referencia", "brecha", "prioridad", "coeficiente"):
        _columna(nombre, cifras[nombre][0])
    _columna("primero", _primeros(cifras["prioridad"]))
    significativa = pd.array([pd.NA] * len(etapas), dtype="boolean")
    significativa[plan.incluidas] = _significativas(cifras["diferencia_ruido"])
    tabla["significativa"] = significativa
    tabla["cuadrante"] = None
    tabla.loc[incluidas, "cuadrante"] = _cuadrantes(cifras["proporcion"][0], cifras["desempeno"][0])
    return tabla


def analizar_cadena(respuestas: pd.DataFrame, etapas: Sequence[str], resultado: str, *,
                    tipo_resultado: str | None = None, metas: Mapping[str, float] | None = None,
                    remuestras: int = 200, semilla: int = 0, medida: str = "media",
                    escala: tuple[float, float] | None = None) -> ResultadoCadena:
    """Encuentra el eslabón más débil de la cadena de servicio.

    Parameters
    ----------
    respuestas : una fila por encuestado, una columna por etapa (calificación, vacía si no la
        calificó) y la columna del resultado.
    etapas : columnas de las etapas, en el orden de la cadena (de 2 a 30).
    resultado : columna del resultado global (CSAT, NPS, CES o 0/1 "satisfecho").
    tipo_resultado : 'continuo' o 'binario'; None lo infiere (binario si solo hay 0 y 1).
    metas : meta de cada etapa (media, o proporción top-2-box si ``medida='top2'``); None compara
        cada etapa con la mejor.
    remuestras : remuestras bootstrap (0: solo la estimación puntual, sin intervalos).
    semilla : semilla del reparto en lotes, de la variable de ruido y del bootstrap.
    medida : desempeño de cada etapa: 'media' o 'top2' (proporción de las dos notas más altas).
    escala : (mínimo, máximo) de las calificaciones de etapa; None la infiere de los datos.

    Returns
    -------
    ResultadoCadena (ver su documentación; los métodos están en la del módulo).

    Raises
    ------
    ValueError : argumentos mal formados.
    MuestraInsuficiente : pocas respuestas, resultado constante o ninguna etapa utilizable.

    Example
    -------
    >>> rng = np.random.default_rng(1)
    >>> base = rng.normal(size=(500, 1))
    >>> etapas = pd.DataFrame(np.clip(np.rint(3.5 + base + rng.normal(size=(500, 3))), 1, 5), columns=list("ABC"))
    >>> etapas["C"] -= 1
    >>> datos = etapas.assign(csat=etapas @ [0.1, 0.2, 0.7] + rng.normal(size=500))
    >>> r = analizar_cadena(datos, ["A", "B", "C"], "csat", remuestras=50)
    >>> r.eslabon_mas_debil, bool(abs(r.importancia["peso"].sum() - r.r2) < 1e-12)
    ('C', True)
    """
    etapas = _validar_entrada(respuestas, etapas, resultado)
    _validar_opciones(medida, remuestras, semilla)
    x = _columnas(respuestas, etapas, "respuestas")
    y = _columnas(respuestas, [resultado], "respuestas")[:, 0]
    tipo = _tipo(y, tipo_resultado)
    escala_ = _escala(x, escala)
    referencias = _referencias(metas, etapas, medida)
    if len(y) == 0:
        raise MuestraInsuficiente(_SIN_RESPUESTAS)
    azar_lotes, azar_ruido, azar_remuestras = _azares(semilla)
    lotes = _Lotes.crear(len(y), azar_lotes)
    x, y = lotes.ordenar(x), lotes.ordenar(y)
    ruido = np.where(np.arange(lotes.filas) < len(respuestas), azar_ruido.standard_normal(lotes.filas), np.nan)
    partes, centro = _estadisticos(x, y, ruido, lotes, _umbral_alto(escala_))
    total, momentos, incluidas = _totales(partes, centro, len(etapas))
    utiles = int((~np.isnan(y) & (~np.isnan(x[:, incluidas])).any(axis=1)).sum())
    n = _exigir_muestra(utiles, incluidas, float(momentos["desvio"][0, len(etapas)]))
    logisticas = {}
    if tipo == "binario":
        extra, logisticas = _preparar_logisticas(x, y, ruido, lotes, momentos, incluidas)
        partes.update(extra)
    plan = _Plan(incluidas, tipo, medida, referencias, _umbral_alto(escala_), centro, momentos["desvio"][0],
                 logisticas)
    return _resultado(etapas, partes, total, momentos, plan, n=n, filas=len(respuestas), escala=escala_,
                      remuestras=remuestras, azar=azar_remuestras)


def analizar_cadena_agregada(sumas: pd.DataFrame, etapas: Sequence[str], *,
                             metas: Mapping[str, float] | None = None, remuestras: int = 200, semilla: int = 0,
                             medida: str = "media") -> ResultadoCadena:
    """El eslabón más débil desde sumas por lote calculadas en el motor (resultado continuo).

    Mismo análisis y mismo ``ResultadoCadena`` que ``analizar_cadena`` (pesos de Johnson,
    bootstrap por lotes, ruido de referencia, prioridad y ganancia), pero sin filas: entran los
    estadísticos suficientes de cada lote de encuestados que agregó el motor sobre todas las
    respuestas del filtro (``datos.consultas.sumas_cadena``) y las remuestras sortean esos lotes.
    Las estimaciones puntuales coinciden con ``analizar_cadena`` sobre las mismas filas (no
    dependen del reparto en lotes ni del ruido); los intervalos, la confianza y la significación
    varían como entre dos semillas, porque el reparto y el ruido son otros (el ruido es uniforme,
    no normal: para la prueba solo importa que sea independiente de los datos). ``n`` cuenta
    las respuestas con resultado (que por construcción calificaron alguna etapa), también si
    solo calificaron etapas que quedaron fuera del modelo.

    Solo para resultados continuos: la logística del resultado sí/no necesita las filas
    (``analizar_cadena`` sobre la muestra de ``datos.consultas.calificaciones_por_respuesta``).

    Parameters
    ----------
    sumas : una fila por lote con las columnas de ``datos.consultas.sumas_cadena``: ``lote``,
        ``filas``, ``cruzados_i_j``/``pares_i_j`` (i ≤ j), ``sumas_i_j``/``cuadrados_i_j``,
        ``altas_i``/``suma_bajas_i`` por etapa, ``centro_i``, ``escala_minimo`` y ``escala_maximo``;
        los índices 0..k−1 son las etapas en orden, k el resultado y k+1 el ruido.
    etapas : nombres de las etapas, en el orden de las columnas (de 2 a 30).
    metas, remuestras, semilla, medida : como en ``analizar_cadena`` (la semilla solo fija el bootstrap).

    Raises
    ------
    ValueError : argumentos mal formados o ``sumas`` sin las columnas esperadas.
    MuestraInsuficiente : pocas respuestas, resultado constante o ninguna etapa utilizable.

    Example
    -------
    >>> import duckdb, ibis
    >>> from datos.consultas import Filtros, sumas_cadena
    >>> duck = duckdb.connect()
    >>> _ = duck.execute("CREATE TABLE encuestas AS SELECT 'r' || i AS respuesta_id, 1.0 + i % 5 AS csat, "
    ...                  "TIMESTAMP '2026-01-01' AS fecha, '' AS canal, '' AS sucursal, '' AS tipo_cliente "
    ...                  "FROM range(40) t(i)")
    >>> _ = duck.execute("CREATE TABLE encuesta_etapas AS SELECT 'r' || i AS respuesta_id, etapa, CASE etapa "
    ...                  "WHEN 'A' THEN 1.0 + i % 5 ELSE 3.0 + i % 2 END AS calificacion "
    ...                  "FROM range(40) t(i), (VALUES ('A'), ('B')) e(etapa)")
    >>> con = ibis.duckdb.from_connection(duck)
    >>> r = analizar_cadena_agregada(sumas_cadena(con, Filtros(), ("A", "B"), "csat").to_pandas(), ["A", "B"],
    ...                              remuestras=0)
    >>> [round(float(v), 6) for v in r.importancia["peso"]], r.n
    ([1.0, 0.0], 40)
    """
    etapas = _validar_etapas(etapas)
    _validar_opciones(medida, remuestras, semilla)
    referencias = _referencias(metas, etapas, medida)
    if not isinstance(sumas, pd.DataFrame):
        raise ValueError("'sumas' debe ser un DataFrame")
    partes, centro, escala, filas = _leer_sumas(sumas, len(etapas))
    if filas == 0:
        raise MuestraInsuficiente(_SIN_RESPUESTAS)
    p = len(etapas)
    total, momentos, incluidas = _totales(partes, centro, p)
    n = _exigir_muestra(int(total["pares"][0, p, p]), incluidas, float(momentos["desvio"][0, p]))
    plan = _Plan(incluidas, "continuo", medida, referencias, _umbral_alto(escala), centro, momentos["desvio"][0], {})
    return _resultado(etapas, partes, total, momentos, plan, n=n, filas=filas, escala=escala,
                      remuestras=remuestras, azar=_azares(semilla)[2])


_SIN_RESPUESTAS = "No hay respuestas con calificaciones de etapa para analizar."
_PARES = ("cruzados", "pares")          # sumas simétricas: el motor da solo i ≤ j
_CRUZADAS = ("sumas", "cuadrados")      # sumas con orden: el motor da todos los (i, j)


def _azares(semilla: int) -> list[np.random.Generator]:
    """Generadores independientes del reparto en lotes, del ruido y del bootstrap."""
    return [np.random.default_rng(s) for s in np.random.SeedSequence([semilla, 6]).spawn(3)]


def _columnas_sumas(q: int, k: int) -> dict[str, list[str]]:
    """Columnas de ``sumas_cadena`` de cada estadístico, en el orden de sus matrices (q × q) o vectores (k)."""
    columnas = {nombre: [f"{nombre}_{min(i, j)}_{max(i, j)}" for i in range(q) for j in range(q)]
                for nombre in _PARES}
    columnas.update({nombre: [f"{nombre}_{i}_{j}" for i in range(q) for j in range(q)] for nombre in _CRUZADAS})
    columnas.update({nombre: [f"{nombre}_{i}" for i in range(k)] for nombre in ("altas", "suma_bajas")})
    return columnas


def _leer_sumas(sumas: pd.DataFrame, k: int) -> tuple[dict[str, np.ndarray], np.ndarray, tuple[float, float], int]:
    """Las sumas del motor como estadísticos por lote (ordenados por lote), centro, escala y filas."""
    q = k + 2
    columnas = _columnas_sumas(q, k)
    constantes = [f"centro_{i}" for i in range(q)] + ["escala_minimo", "escala_maximo"]
    faltan = [c for c in ["lote", "filas", *constantes, *(c for lista in columnas.values() for c in lista)]
              if c not in sumas.columns]
    if faltan:
        raise ValueError(f"'sumas' no tiene las columnas {sorted(set(faltan))[:5]} (¿otras etapas?); "
                         "deben venir de datos.consultas.sumas_cadena")
    ordenadas = sumas.sort_values("lote")
    formas = {nombre: (q, q) if nombre in _PARES + _CRUZADAS else (k,) for nombre in columnas}
    partes = {nombre: _columnas(ordenadas, lista, "sumas").reshape((len(ordenadas), *formas[nombre]))
              for nombre, lista in columnas.items()}
    if len(ordenadas) == 0:
        return partes, np.zeros(q), ESCALAS[0], 0
    primera = ordenadas.iloc[0]
    centro = np.array([float(primera[f"centro_{i}"]) for i in range(q)])
    escala = (float(primera["escala_minimo"]), float(primera["escala_maximo"]))
    return partes, centro, escala, int(ordenadas["filas"].sum())


def _totales(partes: dict[str, np.ndarray], centro: np.ndarray, p: int
             ) -> tuple[dict[str, np.ndarray], dict[str, np.ndarray], np.ndarray]:
    """Sumas de todos los lotes, sus momentos y las etapas que entran al modelo."""
    total = {nombre: parte.sum(axis=0)[None] for nombre, parte in partes.items()}
    momentos = _momentos(total, centro)
    return total, momentos, _incluidas(momentos, p)


def _resultado(etapas: tuple[str, ...], partes: dict[str, np.ndarray], total: dict[str, np.ndarray],
               momentos: dict[str, np.ndarray], plan: _Plan, *, n: int, filas: int, escala: tuple[float, float],
               remuestras: int, azar: np.random.Generator) -> ResultadoCadena:
    """Remuestrea los lotes, estima todas las cifras y arma el ``ResultadoCadena``."""
    p = len(etapas)
    cifras = _estimar(_remuestrear(partes, remuestras, azar), plan)
    desempeno_todas, _ = _desempeno(total, momentos, plan)
    tabla = _tabla(etapas, cifras, plan, momentos["n"][0, :p], 1 - momentos["n"][0, :p] / filas, desempeno_todas[0])
    r2_inf, r2_sup = _intervalo(cifras["r2"][:, None])
    prioridad = tabla["prioridad"]
    eslabon = str(prioridad.idxmax()) if prioridad.max() > 0 else None
    return ResultadoCadena(
        importancia=tabla, r2=float(cifras["r2"][0]), r2_inf=float(r2_inf[0]), r2_sup=float(r2_sup[0]),
        eslabon_mas_debil=eslabon, confianza=float(tabla.loc[eslabon, "primero"]) if eslabon else _NAN,
        tipo_resultado=plan.tipo, medida=plan.medida,
        referencia="meta" if plan.referencias is not None else "mejor etapa",
        escala=escala, n=n, remuestras=int(remuestras),
    )


# ---------------------------------------------------------------------------
# Segmentos
# ---------------------------------------------------------------------------

#: Columnas por las que se puede partir la cadena y su nombre visible.
SEGMENTOS: dict[str, str] = {"tipo_cliente": "Tipo de cliente", "canal": "Canal", "sucursal": "Sucursal"}


@dataclass(frozen=True, eq=False)
class ComparacionSegmentos:
    """El análisis de la cadena repetido en cada segmento.

    ``resumen``: una fila por segmento (índice ``segmento``) con ``n``, ``r2``, ``eslabon``,
    ``confianza``, ``ganancia`` (del eslabón), ``suficiente`` y ``nota`` (por qué no hay análisis).
    ``proporciones``: segmentos × etapas con la parte del R² de cada etapa (NaN sin análisis).
    ``resultados``: el ``ResultadoCadena`` completo de cada segmento analizado.
    """

    resumen: pd.DataFrame
    proporciones: pd.DataFrame
    resultados: dict[str, ResultadoCadena]


def comparar_segmentos(respuestas: pd.DataFrame, etapas: Sequence[str], resultado: str, segmento: str, *,
                       muestra_minima: int = 30, tipo_resultado: str | None = None,
                       metas: Mapping[str, float] | None = None, remuestras: int = 200, semilla: int = 0,
                       medida: str = "media", escala: tuple[float, float] | None = None) -> ComparacionSegmentos:
    """Repite ``analizar_cadena`` para cada valor de la columna ``segmento`` y compara sus eslabones.

    El tipo de resultado y la escala se fijan con todas las respuestas, para que todos los
    segmentos se midan igual. Un segmento con menos de ``muestra_minima`` respuestas, o en el que
    el análisis no es posible, queda sin análisis y con la razón en ``nota``.

    >>> rng = np.random.default_rng(3)
    >>> datos = pd.DataFrame(rng.integers(1, 6, size=(80, 2)), columns=["A", "B"]).astype(float)
    >>> datos["csat"] = datos["A"] + rng.normal(size=80)
    >>> datos["canal"] = ["Chat"] * 60 + ["Correo"] * 20
    >>> comparar_segmentos(datos, ["A", "B"], "csat", "canal", remuestras=0).resumen["nota"].tolist()
    ['', 'Muestra insuficiente (n = 20 < 30)']
    """
    etapas = _validar_entrada(respuestas, etapas, resultado)
    if segmento not in respuestas.columns:
        raise ValueError(f"'segmento' debe ser una columna de 'respuestas', no {segmento!r}")
    _validar_muestra_minima(muestra_minima)
    tipo = _tipo(_columnas(respuestas, [resultado], "respuestas")[:, 0], tipo_resultado)
    escala = _escala(_columnas(respuestas, etapas, "respuestas"), escala)
    grupos = ((str(valor), len(grupo),
               partial(analizar_cadena, grupo, etapas, resultado, tipo_resultado=tipo, metas=metas,
                       remuestras=remuestras, semilla=semilla, medida=medida, escala=escala))
              for valor, grupo in respuestas.groupby(segmento, sort=True, dropna=True))
    return _comparar(grupos, etapas, muestra_minima)


def comparar_segmentos_agregada(sumas: pd.DataFrame, etapas: Sequence[str], *, muestra_minima: int = 30,
                                metas: Mapping[str, float] | None = None, remuestras: int = 200, semilla: int = 0,
                                medida: str = "media") -> ComparacionSegmentos:
    """``comparar_segmentos`` desde sumas por segmento y lote del motor (resultado continuo).

    ``sumas`` son las de ``datos.consultas.sumas_cadena`` con ``segmento``: una columna
    ``segmento`` más (las filas con segmento vacío se ignoran, como en ``comparar_segmentos``).
    Cada segmento se analiza con ``analizar_cadena_agregada``; su ``n`` para la muestra mínima
    es el de encuestados con alguna etapa calificada (``filas``), como el de filas de
    ``comparar_segmentos``.
    """
    _validar_muestra_minima(muestra_minima)
    if not isinstance(sumas, pd.DataFrame) or "segmento" not in sumas.columns:
        raise ValueError("'sumas' debe ser un DataFrame con la columna 'segmento' (sumas_cadena con segmento)")
    etapas = _validar_etapas(etapas)
    grupos = ((str(valor), int(grupo["filas"].sum()),
               partial(analizar_cadena_agregada, grupo, etapas, metas=metas, remuestras=remuestras, semilla=semilla,
                       medida=medida))
              for valor, grupo in sumas.groupby("segmento", sort=True, dropna=True))
    return _comparar(grupos, etapas, muestra_minima)


def _comparar(grupos: Iterable[tuple[str, int, Callable[[], ResultadoCadena]]], etapas: tuple[str, ...],
              muestra_minima: int) -> ComparacionSegmentos:
    """Analiza cada grupo (nombre, n, análisis pendiente) con muestra suficiente y arma la comparación."""
    filas, proporciones, resultados = [], {}, {}
    for nombre, n, analizar in grupos:
        fila = {"segmento": nombre, "n": n, "r2": _NAN, "eslabon": None, "confianza": _NAN,
                "ganancia": _NAN, "suficiente": n >= muestra_minima, "nota": ""}
        if not fila["suficiente"]:
            fila["nota"] = f"Muestra insuficiente (n = {numero(n, 0)} < {numero(muestra_minima, 0)})"
        else:
            try:
                analisis = analizar()
            except MuestraInsuficiente as error:
                fila["nota"] = error.mensaje
            else:
                resultados[nombre] = analisis
                proporciones[nombre] = analisis.importancia["proporcion"]
                ganancia = analisis.ganancia
                fila.update(n=analisis.n, r2=analisis.r2, eslabon=analisis.eslabon_mas_debil,
                            confianza=analisis.confianza, ganancia=ganancia.valor if ganancia else _NAN)
        filas.append(fila)
    resumen = pd.DataFrame(filas, columns=["segmento", "n", "r2", "eslabon", "confianza", "ganancia", "suficiente",
                                           "nota"]).set_index("segmento")
    tabla = pd.DataFrame(proporciones, index=pd.Index(etapas, name="etapa")).T.reindex(resumen.index)
    return ComparacionSegmentos(resumen, tabla, resultados)


# ---------------------------------------------------------------------------
# Desempeño por etapa (de lo que agregó el motor) y vista operativa
# ---------------------------------------------------------------------------

def _exigir_columnas(tabla: pd.DataFrame, columnas: Sequence[str], parametro: str) -> None:
    """Falla si a ``tabla`` le faltan columnas."""
    faltan = [c for c in columnas if c not in tabla.columns]
    if faltan:
        raise ValueError(f"'{parametro}' no tiene las columnas {faltan}")


def _validar_muestra_minima(muestra_minima: int) -> None:
    """``muestra_minima`` debe ser un entero positivo."""
    if isinstance(muestra_minima, bool) or not isinstance(muestra_minima, (int, np.integer)) or muestra_minima < 1:
        raise ValueError("'muestra_minima' debe ser un entero positivo")


def escala_de_distribucion(distribucion: pd.DataFrame) -> tuple[float, float]:
    """Escala de las calificaciones de etapa según su reparto (``datos.consultas.distribucion_etapas``).

    Es la que se pasa a ``datos.consultas.sumas_cadena`` antes de agregar (fija el top-2-box).

    >>> escala_de_distribucion(pd.DataFrame({"etapa": ["A", "A"], "valor": [2.0, 7.0], "n": [1, 1],
    ...                                      "suma": [2.0, 7.0], "suma2": [4.0, 49.0]}))
    (1, 7)
    """
    _exigir_columnas(distribucion, ("etapa", "valor", "n", "suma", "suma2"), "distribucion")
    valores = distribucion["valor"].astype(float)
    return escala_de_calificaciones(float(valores.min()) if len(valores) else _NAN,
                                    float(valores.max()) if len(valores) else _NAN)


def desempeno_por_etapa(distribucion: pd.DataFrame, etapas: Sequence[str], *,
                        metas: Mapping[str, float] | None = None, escala: tuple[float, float] | None = None,
                        muestra_minima: int = 30) -> pd.DataFrame:
    """Media, notas bajas y top-2-box de cada etapa, con intervalos al 95 % y frente a su meta.

    Parameters
    ----------
    distribucion : ``etapa``, ``valor`` (calificación redondeada), ``n``, ``suma``, ``suma2``
        (``datos.consultas.distribucion_etapas``). Las etapas no configuradas se ignoran.
    etapas : etapas de la cadena, en orden.
    metas : meta de la media de cada etapa (None: sin metas).
    escala : (mínimo, máximo); None la infiere de los valores.
    muestra_minima : n por debajo del cual la etapa se marca como insuficiente.

    Returns
    -------
    DataFrame indexado por ``etapa`` (en orden, también las que no tienen datos) con ``n``,
    ``media``/``media_inf``/``media_sup`` (t de Student), ``bajas``/``bajas_inf``/``bajas_sup``
    (dos notas más bajas, Wilson), ``top2``/``top2_inf``/``top2_sup`` (dos más altas, Wilson),
    ``meta``, ``brecha`` (meta − media), ``cumple`` (media ≥ meta; NA sin meta o sin datos) y
    ``suficiente``.

    >>> d = pd.DataFrame({"etapa": ["A"] * 3, "valor": [1, 4, 5], "n": [2, 4, 4], "suma": [2.0, 16, 20],
    ...                   "suma2": [2.0, 64, 100]})
    >>> t = desempeno_por_etapa(d, ["A", "B"], metas={"A": 4, "B": 4}, muestra_minima=5)
    >>> [round(float(v), 3) for v in t.loc["A", ["n", "media", "bajas", "top2", "brecha"]]]
    [10.0, 3.8, 0.2, 0.8, 0.2]
    >>> int(t.loc["B", "n"]), bool(t.loc["B", "suficiente"])
    (0, False)
    """
    _exigir_columnas(distribucion, ("etapa", "valor", "n", "suma", "suma2"), "distribucion")
    _validar_muestra_minima(muestra_minima)
    etapas = tuple(etapas)
    escala = escala or escala_de_distribucion(distribucion)
    filas = []
    for etapa in etapas:
        parte = distribucion[distribucion["etapa"] == etapa]
        n = int(parte["n"].sum())
        promedio = media(float(parte["suma"].sum()), float(parte["suma2"].sum()), n)
        bajas = proporcion(int(parte.loc[parte["valor"] <= _umbral_bajo(escala), "n"].sum()), n)
        altas = proporcion(int(parte.loc[parte["valor"] >= _umbral_alto(escala), "n"].sum()), n)
        meta = _NAN if metas is None or etapa not in metas else float(metas[etapa])
        filas.append({"etapa": etapa, "n": n, "media": promedio.valor, "media_inf": promedio.ic_inf,
                      "media_sup": promedio.ic_sup, "bajas": bajas.valor, "bajas_inf": bajas.ic_inf,
                      "bajas_sup": bajas.ic_sup, "top2": altas.valor, "top2_inf": altas.ic_inf,
                      "top2_sup": altas.ic_sup, "meta": meta, "brecha": meta - promedio.valor,
                      "cumple": None if math.isnan(meta) or n == 0 else bool(promedio.valor >= meta),
                      "suficiente": n >= muestra_minima})
    tabla = pd.DataFrame(filas).set_index("etapa")
    tabla["cumple"] = tabla["cumple"].astype("boolean")
    return tabla


def vista_operativa(operacion: pd.DataFrame, etapas: Sequence[str], *, muestra_minima: int = 30) -> pd.DataFrame:
    """Indicadores operativos por etapa de la cadena, con intervalos de Wilson y t al 95 %.

    Parameters
    ----------
    operacion : una fila por etapa de ``datos.consultas.operacion_etapas``.
    etapas : etapas de la cadena, en orden (las interacciones de otras etapas se ignoran).
    muestra_minima : n por debajo del cual una cifra se marca como insuficiente.

    Returns
    -------
    DataFrame indexado por ``etapa`` con ``volumen`` y ``participacion`` (parte de las
    interacciones de la cadena); ``incumplimiento``, ``escalamiento`` (sobre las interacciones con
    dato) y ``reapertura`` (sobre las resueltas), cada una con ``_inf``/``_sup``; ``respuesta_mediana``,
    ``respuesta_p90`` (minutos), ``resolucion_mediana``, ``resolucion_p90`` (horas); ``csat``,
    ``csat_inf``, ``csat_sup`` y ``n_csat`` de las encuestas de esos contactos; ``suficiente``
    (volumen ≥ muestra mínima) y ``csat_suficiente``.

    >>> o = pd.DataFrame({"etapa": ["A"], "n_interacciones": [100], "n_promesa": [100], "incumplidas": [10],
    ...     "n_escalado": [100], "escaladas": [5], "resueltas": [80], "reabiertas": [8],
    ...     "respuesta_mediana": [12.0], "respuesta_p90": [50.0], "resolucion_mediana": [3.0],
    ...     "resolucion_p90": [20.0], "n_csat": [2], "suma_csat": [9.0], "suma2_csat": [41.0], "csat_top2": [2]})
    >>> v = vista_operativa(o, ["A", "B"])
    >>> [float(x) for x in v.loc["A", ["volumen", "incumplimiento", "reapertura", "csat"]]]
    [100.0, 0.1, 0.1, 4.5]
    """
    _exigir_columnas(operacion, ("etapa", "n_interacciones", "n_promesa", "incumplidas", "n_escalado", "escaladas",
                                 "resueltas", "reabiertas", "respuesta_mediana", "respuesta_p90",
                                 "resolucion_mediana", "resolucion_p90", "n_csat", "suma_csat", "suma2_csat"),
                     "operacion")
    _validar_muestra_minima(muestra_minima)
    por_etapa = operacion.set_index("etapa").reindex(list(etapas))
    total = int(np.nansum(por_etapa["n_interacciones"]))
    filas = []
    for etapa, fila in por_etapa.iterrows():
        volumen = _entero(fila["n_interacciones"])
        tasas = {nombre: proporcion(_entero(fila[exitos]), _entero(fila[base]))
                 for nombre, exitos, base in (("incumplimiento", "incumplidas", "n_promesa"),
                                              ("escalamiento", "escaladas", "n_escalado"),
                                              ("reapertura", "reabiertas", "resueltas"))}
        csat = media(_real(fila["suma_csat"], 0.0), _real(fila["suma2_csat"], 0.0), _entero(fila["n_csat"]))
        salida = {"etapa": etapa, "volumen": volumen, "participacion": volumen / total if total else _NAN}
        for nombre, estimacion in tasas.items():
            salida.update({nombre: estimacion.valor, f"{nombre}_inf": estimacion.ic_inf,
                           f"{nombre}_sup": estimacion.ic_sup})
        salida.update({campo: _real(fila[campo]) for campo in ("respuesta_mediana", "respuesta_p90",
                                                               "resolucion_mediana", "resolucion_p90")})
        salida.update({"csat": csat.valor, "csat_inf": csat.ic_inf, "csat_sup": csat.ic_sup, "n_csat": csat.n,
                       "suficiente": volumen >= muestra_minima, "csat_suficiente": csat.n >= muestra_minima})
        filas.append(salida)
    return pd.DataFrame(filas).set_index("etapa")


def _entero(valor) -> int:
    """Conteo del motor como entero (NULL → 0)."""
    return 0 if valor is None or pd.isna(valor) else int(valor)


def _real(valor, vacio: float = _NAN) -> float:
    """Valor del motor como real (NULL → ``vacio``)."""
    return vacio if valor is None or pd.isna(valor) else float(valor)


# ---------------------------------------------------------------------------
# Textos y tablas para la interfaz
# ---------------------------------------------------------------------------

@dataclass(frozen=True)
class TextosCadena:
    """Los textos (en español) del titular de la página de la cadena."""

    titular: str
    confianza: str
    ganancia: str | None
    ajuste: str
    no_significativas: str | None
    aviso: str | None
    metodo: str


def _formato_desempeno(valor: float, medida: str) -> str:
    """Media con dos decimales o top-2-box en porcentaje."""
    return numero(valor, 2) if medida == "media" else porcentaje(valor, 1)


def _formato_ganancia(valor: float, tipo: str, unidad: str) -> str:
    """Ganancia con signo: puntos del resultado, o puntos porcentuales si es sí/no."""
    if tipo == "binario":
        return con_signo(None if math.isnan(valor) else 100 * valor, 1, f" {unidad}")
    return con_signo(valor, 2, f" {unidad}")


def _metodo(resultado: ResultadoCadena) -> str:
    """Texto de ayuda que nombra los métodos usados."""
    modelo = ("pesos relativos de Johnson (2000) sobre una regresión lineal" if resultado.tipo_resultado == "continuo"
              else "pesos relativos sobre una regresión logística (Tonidandel y LeBreton 2010)")
    return (f"Importancia: {modelo}; reparten el R² entre las etapas aunque estén correlacionadas. Intervalos: "
            f"bootstrap por lotes con {numero(resultado.remuestras, 0)} remuestras (percentiles 2,5–97,5). "
            "Significación: comparación con una variable de ruido (Tonidandel, LeBreton y Johnson 2009). "
            "Prioridad = peso × brecha frente a la "
            f"{'meta' if resultado.referencia == 'meta' else 'mejor etapa'}. Respuestas vacías: correlaciones "
            "con los casos completos de cada par, sin descartar encuestados.")


def describir(resultado: ResultadoCadena, objetivo: Resultado, *, muestra_minima: int = 30) -> TextosCadena:
    """Textos del titular: eslabón, seguridad, ganancia esperada, ajuste del modelo y avisos.

    ``objetivo`` es el resultado explicado (uno de ``RESULTADOS``), para nombrarlo y dar la unidad.
    """
    _validar_muestra_minima(muestra_minima)
    tabla = resultado.importancia
    eslabon = resultado.eslabon_mas_debil
    if eslabon is None:
        titular = ("Ninguna etapa está por debajo de su meta" if resultado.referencia == "meta"
                   else "Todas las etapas rinden igual: no hay un eslabón más débil")
        confianza, ganancia = "La prioridad (peso × brecha) es cero en todas las etapas.", None
    else:
        titular = f"El eslabón más débil: {eslabon}"
        confianza = _texto_confianza(resultado)
        fila = tabla.loc[eslabon]
        meta = "su meta" if resultado.referencia == "meta" else "el nivel de la mejor etapa"
        ganancia = (f"Si «{eslabon}» llegara a {meta} ({_formato_desempeno(fila['referencia'], resultado.medida)}; "
                    f"hoy {_formato_desempeno(fila['desempeno'], resultado.medida)}), el modelo prevé "
                    f"{_formato_ganancia(fila['ganancia'], resultado.tipo_resultado, objetivo.unidad)}")
        if not math.isnan(fila["ganancia_inf"]):
            ganancia += (f" (IC 95 %: {_formato_ganancia(fila['ganancia_inf'], resultado.tipo_resultado, '').strip()}"
                         f" a {_formato_ganancia(fila['ganancia_sup'], resultado.tipo_resultado, '').strip()})")
        ganancia += "."
    medida_r2 = "R²" if resultado.tipo_resultado == "continuo" else "R² observado–predicho"
    ajuste = (f"Las etapas explican el {porcentaje(resultado.r2)} de la variación en {objetivo.nombre} "
              f"({medida_r2} = {numero(resultado.r2, 2)}")
    if not math.isnan(resultado.r2_inf):
        ajuste += f"; IC 95 %: {numero(resultado.r2_inf, 2)}–{numero(resultado.r2_sup, 2)}"
    ajuste += f"; n = {numero(resultado.n, 0)})."
    debiles = resultado.no_significativas
    no_significativas = ("No se distinguen del ruido (importancia no significativa): " + ", ".join(debiles) + "."
                         if debiles else None)
    return TextosCadena(titular, confianza, ganancia, ajuste, no_significativas,
                        _aviso(resultado, muestra_minima), _metodo(resultado))


def _texto_confianza(resultado: ResultadoCadena) -> str:
    """En cuántas remuestras sale el mismo eslabón, y qué tan firme es por tanto la conclusión."""
    if math.isnan(resultado.confianza):
        return "Sin remuestras no se puede medir qué tan seguro es este resultado."
    texto = (f"«{resultado.eslabon_mas_debil}» es el eslabón más débil en el {porcentaje(resultado.confianza, 0)} "
             f"de las {numero(resultado.remuestras, 0)} remuestras")
    if resultado.confianza >= 0.9:
        return texto + ": la conclusión es firme."
    if resultado.confianza >= 0.5:
        return texto + ": es lo más probable, pero otra etapa podría serlo."
    return texto + ": el eslabón más débil no está claro."


def texto_cobertura(resultado: ResultadoCadena, *, encuestas: int, limite: int) -> str:
    """Qué se calculó con todas las respuestas del filtro (en el motor) y qué con una muestra.

    Resultado continuo: el modelo y la comparación por segmento salen de las sumas por lote del
    motor (``analizar_cadena_agregada``); sí/no: la logística usa filas, una muestra si hay más de
    ``limite`` encuestas. ``encuestas`` son las del filtro.

    >>> r = ResultadoCadena(pd.DataFrame(), 0.3, _NAN, _NAN, None, _NAN, "binario", "media", "meta", (1, 5),
    ...                     150_000, 0)
    >>> texto_cobertura(r, encuestas=300_000, limite=200_000)[:61]
    'El modelo sí/no (regresión logística) necesita las respuestas'
    """
    if resultado.tipo_resultado == "continuo":
        return (f"Importancia, eslabón y comparación por segmento calculados en el motor de datos sobre el total de "
                f"respuestas del filtro ({numero(encuestas, 0)} encuestas): solo salen de él sumas por lotes de "
                "encuestados.")
    if encuestas > limite:
        return (f"El modelo sí/no (regresión logística) necesita las respuestas una a una: usa una muestra "
                f"aleatoria reproducible de {numero(limite, 0)} de las {numero(encuestas, 0)} encuestas, elegida por "
                f"el motor (n = {numero(resultado.n, 0)} con resultado y etapas calificadas), también por segmento. "
                "El desempeño por etapa y los resultados CSAT, NPS y CES usan todas las respuestas.")
    return (f"El modelo sí/no (regresión logística) usa las respuestas del filtro una a una (n = "
            f"{numero(resultado.n, 0)} con resultado y etapas calificadas).")


def _aviso(resultado: ResultadoCadena, muestra_minima: int) -> str | None:
    """Muestra pequeña o etapas que quedaron fuera del modelo."""
    partes = []
    if resultado.n < muestra_minima:
        partes.append(f"Muestra insuficiente (n = {numero(resultado.n, 0)} < {numero(muestra_minima, 0)}): "
                      "cifras poco fiables.")
    fuera = resultado.importancia.index[~resultado.importancia["incluida"]].tolist()
    if fuera:
        partes.append("Sin calificaciones suficientes o sin variación, fuera del modelo: " + ", ".join(fuera) + ".")
    return " ".join(partes) or None


def cajas_cadena(resultado: ResultadoCadena, vista: pd.DataFrame | None = None) -> pd.DataFrame:
    """Una caja por etapa para el diagrama de la cadena, en orden.

    Columnas: ``texto`` (líneas separadas por ``<br>``: desempeño, parte del R² y, si se da la
    ``vista`` operativa, contactos e incumplimiento de la promesa) y ``estado``: 'debil' (el
    eslabón más débil), 'brecha' (otra etapa bajo su referencia), 'bien' o 'fuera' (sin modelo).
    """
    tabla = resultado.importancia
    filas = []
    for etapa, fila in tabla.iterrows():
        lineas = [f"{'Media' if resultado.medida == 'media' else 'Top-2'}: "
                  f"{_formato_desempeno(fila['desempeno'], resultado.medida)}"]
        if fila["incluida"]:
            lineas.append(f"Importancia: {porcentaje(fila['proporcion'], 0)}")
        if vista is not None and etapa in vista.index:
            lineas.append(f"Contactos: {numero(vista.loc[etapa, 'volumen'], 0)}")
            lineas.append(f"Promesa incumplida: {porcentaje(vista.loc[etapa, 'incumplimiento'], 0)}")
        estado = ("debil" if etapa == resultado.eslabon_mas_debil else "fuera" if not fila["incluida"]
                  else "brecha" if fila["brecha"] > 0 else "bien")
        filas.append({"etapa": etapa, "texto": "<br>".join(lineas), "estado": estado})
    return pd.DataFrame(filas).set_index("etapa")


def _con_intervalo(valor: float, inferior: float, superior: float, formato) -> str:
    """'valor (inf–sup)' o solo el valor si no hay intervalo."""
    if math.isnan(inferior):
        return formato(valor)
    return f"{formato(valor)} ({formato(inferior)}–{formato(superior)})"


def tabla_importancia(resultado: ResultadoCadena, objetivo: Resultado) -> pd.DataFrame:
    """Tabla de importancia y prioridad por etapa, con textos en español, ordenada por prioridad."""
    tabla = resultado.importancia.sort_values("prioridad", ascending=False, na_position="last")
    desempeno = (lambda v: _formato_desempeno(v, resultado.medida))
    ganancia = (lambda v: _formato_ganancia(v, resultado.tipo_resultado, "").strip())
    significativa = {True: "Sí", False: "No"}
    return pd.DataFrame({
        "Etapa": tabla.index,
        "Importancia (% del R²)": [_con_intervalo(f["proporcion"], f["proporcion_inf"], f["proporcion_sup"],
                                                  lambda v: porcentaje(v, 1)) for _, f in tabla.iterrows()],
        "Significativa": [significativa.get(v, "—") if v is not pd.NA else "—" for v in tabla["significativa"]],
        "Desempeño": [_con_intervalo(f["desempeno"], f["desempeno_inf"], f["desempeno_sup"], desempeno)
                      for _, f in tabla.iterrows()],
        "Referencia": [desempeno(v) for v in tabla["referencia"]],
        "Brecha": [desempeno(v) for v in tabla["brecha"]],
        "Primera en": [porcentaje(v, 0) for v in tabla["primero"]],
        f"Ganancia ({objetivo.unidad})": [_con_intervalo(f["ganancia"], f["ganancia_inf"], f["ganancia_sup"],
                                                         ganancia) for _, f in tabla.iterrows()],
        "Cuadrante": tabla["cuadrante"].fillna("Fuera del modelo").tolist(),
    })


def tabla_desempeno(desempeno: pd.DataFrame, escala: tuple[float, float]) -> pd.DataFrame:
    """Tabla de desempeño por etapa (``desempeno_por_etapa``) con textos en español."""
    bajo, alto = _umbral_bajo(escala), _umbral_alto(escala)
    estado = []
    for _, fila in desempeno.iterrows():
        if not fila["suficiente"]:
            estado.append("Muestra insuficiente" if fila["n"] else "Sin datos")
        elif fila["cumple"] is pd.NA:
            estado.append("Sin meta")
        elif fila["cumple"]:
            estado.append("Cumple")
        else:
            estado.append("Bajo la meta" if fila["media_sup"] < fila["meta"] else "Cerca de la meta (el IC la incluye)")
    return pd.DataFrame({
        "Etapa": desempeno.index,
        "n": [numero(v, 0) for v in desempeno["n"]],
        "Media (IC 95 %)": [_con_intervalo(f["media"], f["media_inf"], f["media_sup"], lambda v: numero(v, 2))
                            for _, f in desempeno.iterrows()],
        f"Notas bajas ({numero(escala[0], 0)}–{numero(bajo, 0)})": [
            _con_intervalo(f["bajas"], f["bajas_inf"], f["bajas_sup"], porcentaje) for _, f in desempeno.iterrows()],
        f"Top-2 ({numero(alto, 0)}–{numero(escala[1], 0)})": [
            _con_intervalo(f["top2"], f["top2_inf"], f["top2_sup"], porcentaje) for _, f in desempeno.iterrows()],
        "Meta": [numero(v, 2) for v in desempeno["meta"]],
        "Frente a la meta": [con_signo(-v, 2) if not math.isnan(v) else numero(v) for v in desempeno["brecha"]],
        "Estado": estado,
    })


_POCA_MUESTRA = " (muestra pequeña)"


def tabla_operativa(vista: pd.DataFrame) -> pd.DataFrame:
    """Volumen, promesa incumplida, escalados y reabiertos por etapa (``vista_operativa``), en español."""
    def tasa(nombre: str) -> list[str]:
        return [_con_intervalo(f[nombre], f[f"{nombre}_inf"], f[f"{nombre}_sup"], porcentaje)
                for _, f in vista.iterrows()]

    return pd.DataFrame({
        "Etapa": vista.index,
        "Contactos (% del total)": [f"{numero(f['volumen'], 0)} ({porcentaje(f['participacion'], 1)})"
                                    f"{'' if f['suficiente'] else _POCA_MUESTRA}" for _, f in vista.iterrows()],
        "Promesa incumplida": tasa("incumplimiento"),
        "Escalados": tasa("escalamiento"),
        "Reabiertos": tasa("reapertura"),
    })


def tabla_tiempos(vista: pd.DataFrame) -> pd.DataFrame:
    """Tiempos (mediana y p90) y CSAT de los contactos de cada etapa (``vista_operativa``), en español."""
    return pd.DataFrame({
        "Etapa": vista.index,
        "Respuesta, min (mediana · p90)": [f"{numero(a)} · {numero(b)}" for a, b in
                                           zip(vista["respuesta_mediana"], vista["respuesta_p90"])],
        "Resolución, h (mediana · p90)": [f"{numero(a)} · {numero(b)}" for a, b in
                                          zip(vista["resolucion_mediana"], vista["resolucion_p90"])],
        "CSAT de sus contactos (IC 95 %)": [
            f"{_con_intervalo(f['csat'], f['csat_inf'], f['csat_sup'], lambda v: numero(v, 2))}"
            f"{'' if f['csat_suficiente'] else _POCA_MUESTRA}" for _, f in vista.iterrows()],
        "Encuestas": [numero(v, 0) for v in vista["n_csat"]],
    })


def tabla_segmentos(comparacion: ComparacionSegmentos, objetivo: Resultado, tipo: str) -> pd.DataFrame:
    """Tabla que compara el eslabón más débil entre segmentos, con textos en español."""
    resumen = comparacion.resumen
    return pd.DataFrame({
        "Segmento": resumen.index,
        "n": [numero(v, 0) for v in resumen["n"]],
        "Eslabón más débil": [v if isinstance(v, str) else "—" for v in resumen["eslabon"]],
        "Confianza": [porcentaje(v, 0) for v in resumen["confianza"]],
        f"Ganancia ({objetivo.unidad})": [_formato_ganancia(v, tipo, "").strip() for v in resumen["ganancia"]],
        "R²": [numero(v, 2) for v in resumen["r2"]],
        "Nota": resumen["nota"],
    })
