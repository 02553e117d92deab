"""Tendencias de satisfacción: ¿el indicador se mueve de verdad, dónde y desde cuándo?

Entra lo que el motor agregó por periodo y grupo (``datos.consultas.serie_tendencia_*``:
sumas y conteos, una fila por periodo); salen series con su intervalo al 95 %, pruebas de
tendencia, puntos de cambio con su fecha y frases en español listas para mostrar.

Métodos
-------
- Cada punto: las estimaciones de ``analisis.resumen.estimar`` (Wilson para proporciones,
  varianza multinomial para el NPS, t de Student para medias); los percentiles de tiempo
  llevan el intervalo de estadísticos de orden (Conover 1999) que calcula el motor.
- Tendencia: prueba de Mann-Kendall (Mann 1945; Kendall 1975) con la corrección de la
  varianza por empates de Hipel y McLeod (1994) y Gilbert (1987, §16.4), y la pendiente de
  Sen (1968) como mediana de las pendientes entre pares.
- Puntos de cambio: segmentación binaria circular (Olshen et al. 2004; binaria de Scott y
  Knott 1974 y Vostrikova 1981, más la opción de aislar un tramo central) de cambios en la
  media, con coste de mínimos cuadrados ponderados por el tamaño de muestra de cada punto
  y penalización de 3·σ²·ln n por cambio, el término principal del BIC modificado (MBIC)
  de Zhang y Siegmund (2007) que usa por defecto el paquete changepoint de R (Killick y
  Eckley 2014). σ² se estima de forma robusta con la MAD de las diferencias sucesivas (que
  un cambio de nivel apenas altera) y nunca por debajo de la varianza de muestreo conocida.
- Cambio en un punto de cambio: los conteos de los periodos de cada tramo se suman y se
  comparan con la prueba de ``analisis.resumen.comparar`` (t de Welch, z de proporciones,
  z del NPS); en percentiles, que no se pueden sumar, con la U de Mann-Whitney sobre los
  valores por periodo.
"""

import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, replace
from datetime import date, timedelta

import numpy as np
import pandas as pd
from scipy import stats

from analisis import resumen
from analisis.formato import con_signo, fecha, numero, segun_unidad, valor_p
from analisis.kpis import Comparacion, Estimacion, comparar_proporciones, proporcion
from analisis.resumen import KPIS, Kpi

__all__ = [
    "INDICADORES", "PERCENTILES", "MannKendall", "Cambio", "Diagnostico", "indicador", "metodo", "de_encuestas",
    "sentido_predeterminado", "formatear", "formatear_cambio", "estimar_indicador", "comparar_indicador",
    "mann_kendall", "pendiente_sen", "puntos_de_cambio", "serie_indicador", "cambios", "diagnosticar",
    "describir_cambio", "describir_tendencia", "ranking_de_cambios", "formatear_ranking", "movil",
    "distribucion_divergente", "filtros_de_punto", "filtros_de_horizonte", "HORIZONTES", "NOMBRES_DESGLOSE",
    "sujeto", "magnitud", "texto_p", "meta_y_sentido", "grupos_principales", "frases_destacadas", "etiqueta_periodo",
    "notas_de_categoria", "serie_para_exportar", "detalle_para_exportar", "detalle_para_mostrar", "fechas_de_cambio",
    "medida_de", "ultimos_periodos", "ranking_para_exportar", "consulta_de_detalle", "PedidoDetalle",
]

_NAN = float("nan")

#: Penalización por punto de cambio, en unidades de σ²·ln n (ver ``puntos_de_cambio``).
_FACTOR_PENALIZACION = 3

#: Indicadores de la página de tendencias: los del resumen ejecutivo y tres más.
INDICADORES: tuple[Kpi, ...] = KPIS + (
    Kpi("resolucion_mediana", "Resolución: mediana", "horas", 0.1,
        "Mediana del tiempo hasta resolver el caso, en horas, con intervalo al 95 % por estadísticos de orden "
        "(Conover 1999). El cambio se prueba con la prueba de la mediana de Mood."),
    Kpi("resolucion_p90", "Resolución: p90", "horas", 0.1,
        "Percentil 90 del tiempo de resolución (el 90 % de los casos se resuelve en este tiempo o menos), con "
        "intervalo al 95 % por estadísticos de orden. Sin prueba de significancia para el cambio entre periodos."),
    Kpi("tasa_quejas", "Tasa de quejas y reclamos", "proporcion", 0.03,
        "Interacciones cuyo motivo es queja o reclamo, sobre las que tienen motivo, con intervalo de Wilson al 95 %. "
        "El cambio se prueba con la prueba z de dos proporciones."),
)

#: Texto del método de los tiempos de respuesta en esta página, que sí muestra el intervalo de cada percentil.
_METODOS_EN_SERIE = {
    "respuesta_mediana": "Mediana del tiempo hasta la primera respuesta, en minutos, con intervalo al 95 % por "
                         "estadísticos de orden (Conover 1999). El cambio se prueba con la prueba de la mediana "
                         "de Mood.",
    "respuesta_p90": "Percentil 90 del tiempo hasta la primera respuesta (el 90 % de los contactos se responde en este "
                     "tiempo o menos), con intervalo al 95 % por estadísticos de orden. Sin prueba de significancia "
                     "para el cambio entre periodos.",
}

#: Percentiles de tiempo: clave → (columna de la tabla ``interacciones``, cuantil).
PERCENTILES: dict[str, tuple[str, float]] = {
    "respuesta_mediana": ("tiempo_respuesta_min", 0.5), "respuesta_p90": ("tiempo_respuesta_min", 0.9),
    "resolucion_mediana": ("tiempo_resolucion_h", 0.5), "resolucion_p90": ("tiempo_resolucion_h", 0.9),
}

_DE_ENCUESTAS = frozenset({"csat_media", "csat_top2", "nps", "ces_media"})
_MENOR_ES_MEJOR = frozenset({*PERCENTILES, "tasa_quejas"})
_CLAVES_RESUMEN = frozenset(k.clave for k in KPIS)

#: Cómo se nombra cada indicador dentro de una frase.
_EN_FRASE = {
    "csat_media": "el CSAT medio", "csat_top2": "el CSAT top-2-box", "nps": "el NPS", "ces_media": "el CES medio",
    "promesa": "el cumplimiento de la promesa", "fcr": "la resolución al primer contacto",
    "respuesta_mediana": "la mediana del tiempo de respuesta", "respuesta_p90": "el p90 del tiempo de respuesta",
    "resolucion_mediana": "la mediana del tiempo de resolución", "resolucion_p90": "el p90 del tiempo de resolución",
    "tasa_quejas": "la tasa de quejas y reclamos",
}

#: Desgloses de las series (los de ``datos.consultas.DESGLOSES``) y su nombre en la interfaz.
NOMBRES_DESGLOSE = {"canal": "Canal", "sucursal": "Sucursal", "tipo_cliente": "Tipo de cliente", "equipo": "Equipo",
                    "motivo": "Motivo", "segmento": "Segmento"}

_POR_PERIODO = {"dia": "por día", "semana": "por semana", "mes": "por mes", "trimestre": "por trimestre"}


def indicador(clave: str) -> Kpi:
    """La definición del indicador ``clave`` (una de ``INDICADORES``)."""
    for kpi in INDICADORES:
        if kpi.clave == clave:
            return kpi
    raise ValueError(f"'clave' debe ser uno de {[k.clave for k in INDICADORES]}, no {clave!r}")


def metodo(clave: str) -> str:
    """Texto de ayuda que nombra el método del indicador en la página de tendencias."""
    return _METODOS_EN_SERIE.get(clave, indicador(clave).metodo)


def de_encuestas(clave: str) -> bool:
    """True si el indicador sale de las encuestas; False si sale de las interacciones."""
    indicador(clave)
    return clave in _DE_ENCUESTAS


def sentido_predeterminado(clave: str) -> str:
    """'menor' para tiempos y quejas (menos es mejor), 'mayor' para los demás."""
    indicador(clave)
    return "menor" if clave in _MENOR_ES_MEJOR else "mayor"


def formatear(valor: float | None, unidad: str) -> str:
    """Valor con el formato de su unidad: las de ``formato.segun_unidad`` más 'horas'.

    >>> formatear(12.25, "horas"), formatear(0.5, "proporcion")
    ('12,2 h', '50,0 %')
    """
    if unidad == "horas":
        return segun_unidad(valor, "minutos").replace(" min", " h")
    return segun_unidad(valor, unidad)


def formatear_cambio(diferencia: float | None, unidad: str, extra: int = 0) -> str:
    """Diferencia con signo en la unidad del indicador (puntos porcentuales en proporciones),
    con ``extra`` decimales más de los habituales (útil para pendientes pequeñas).

    >>> formatear_cambio(-3.0, "horas"), formatear_cambio(0.034, "proporcion")
    ('-3,0 h', '+3,4 pp')
    >>> formatear_cambio(-0.0004, "proporcion", 1)
    '-0,04 pp'
    """
    formatos = {"escala": (2, 1, ""), "proporcion": (1, 100, " pp"), "puntos": (1, 1, " pts"),
                "minutos": (1, 1, " min"), "horas": (1, 1, " h")}
    if unidad not in formatos:
        raise ValueError(f"'unidad' debe ser una de {sorted(formatos)}")
    decimales, factor, sufijo = formatos[unidad]
    return con_signo(None if diferencia is None else factor * diferencia, decimales + extra, sufijo)


def _numero_de(fila: Mapping, campo: str) -> float:
    """Valor numérico de la fila (NULL del motor o campo ausente → NaN)."""
    valor = fila.get(campo)
    return _NAN if valor is None or pd.isna(valor) else float(valor)


def _conteo_de(fila: Mapping, campo: str) -> int:
    """Conteo de la fila (NULL del motor o campo ausente → 0)."""
    valor = _numero_de(fila, campo)
    return 0 if math.isnan(valor) else int(valor)


def estimar_indicador(clave: str, fila: Mapping) -> Estimacion:
    """Estimación con intervalo al 95 % del indicador ``clave`` en una fila agregada.

    Usa ``analisis.resumen.estimar`` para los KPI del resumen; la tasa de quejas es
    una proporción de Wilson (``quejas`` / ``n_motivo``). En los percentiles el
    intervalo viene en ``ic_inf``/``ic_sup`` de la fila si la consulta
    ``intervalo_percentil`` lo añadió; si no, queda NaN.

    >>> estimar_indicador("tasa_quejas", {"quejas": 8, "n_motivo": 10}).valor
    0.8
    """
    indicador(clave)
    if clave in _CLAVES_RESUMEN:
        base = resumen.estimar(clave, fila)
    elif clave == "tasa_quejas":
        base = proporcion(_conteo_de(fila, "quejas"), _conteo_de(fila, "n_motivo"))
    else:
        base = Estimacion(_numero_de(fila, clave), _NAN, _NAN, _conteo_de(fila, "n_resolucion"))
    if clave in PERCENTILES and "ic_inf" in fila:
        return Estimacion(base.valor, _numero_de(fila, "ic_inf"), _numero_de(fila, "ic_sup"), base.n)
    return base


def comparar_indicador(clave: str, actual: Mapping, anterior: Mapping) -> Comparacion | None:
    """Prueba del cambio entre dos filas de ``comparacion_encuestas``/``comparacion_interacciones``.

    Los KPI del resumen usan ``analisis.resumen.comparar``; la tasa de quejas, la prueba z
    de dos proporciones; la mediana de resolución, la prueba de la mediana de Mood (con los
    campos ``resolucion_*``). Devuelve None si no hay prueba (p90) o faltan datos.
    """
    indicador(clave)
    if clave in _CLAVES_RESUMEN:
        return resumen.comparar(clave, actual, anterior)
    if clave == "tasa_quejas":
        return comparar_proporciones(_conteo_de(actual, "quejas"), _conteo_de(actual, "n_motivo"),
                                     _conteo_de(anterior, "quejas"), _conteo_de(anterior, "n_motivo"))
    if clave == "resolucion_mediana":
        return resumen.comparar("respuesta_mediana", *(
            {"sobre_mediana_conjunta": _conteo_de(f, "resolucion_sobre_mediana_conjunta"),
             "n_respuesta": _conteo_de(f, "n_resolucion"),
             "respuesta_mediana": _numero_de(f, "resolucion_mediana")} for f in (actual, anterior)))
    return None


# ---------------------------------------------------------------------------
# Estadística de series
# ---------------------------------------------------------------------------

@dataclass(frozen=True)
class MannKendall:
    """Resultado de la prueba de Mann-Kendall.

    ``s`` es el estadístico S, ``varianza`` su varianza con corrección por empates, ``z``
    el estadístico normal con corrección de continuidad, ``p`` el valor p bilateral,
    ``tau`` la tau de Kendall (S dividido entre el número de pares), ``pendiente`` la
    pendiente de Sen por periodo y ``tendencia`` 'creciente', 'decreciente' o
    'sin tendencia'.
    """

    n: int
    s: int
    varianza: float
    z: float
    p: float
    tau: float
    pendiente: float
    tendencia: str
    alfa: float


def _limpiar(valores: Sequence[float]) -> tuple[np.ndarray, np.ndarray]:
    """(posiciones, valores) de los elementos que no faltan, como arreglos de reales."""
    x = np.asarray(valores, dtype=float)
    if x.ndim != 1:
        raise ValueError("'valores' debe ser una secuencia de números")
    presentes = ~np.isnan(x)
    return np.flatnonzero(presentes).astype(float), x[presentes]


def pendiente_sen(valores: Sequence[float]) -> float:
    """Pendiente de Sen (1968): mediana de (x_j − x_i)/(j − i) sobre todos los pares i < j.

    Los valores que faltan (NaN) se saltan sin perder la posición de los demás, así que
    la pendiente siempre es por periodo. NaN si quedan menos de dos valores.

    >>> pendiente_sen([1, 2, 3, 10])   # pendientes 1, 1, 1, 3, 4, 7
    2.0
    """
    posiciones, x = _limpiar(valores)
    if x.size < 2:
        return _NAN
    i, j = np.triu_indices(x.size, k=1)
    return float(np.median((x[j] - x[i]) / (posiciones[j] - posiciones[i])))


def mann_kendall(valores: Sequence[float], alfa: float = 0.05) -> MannKendall:
    """Prueba de tendencia monótona de Mann-Kendall con la pendiente de Sen.

    S = Σ_{i<j} signo(x_j − x_i); Var(S) = [n(n−1)(2n+5) − Σ_p t_p(t_p−1)(2t_p+5)]/18,
    donde t_p es el tamaño de cada grupo de empates (Hipel y McLeod 1994; Gilbert 1987);
    Z = (S − 1)/√Var(S) si S > 0, (S + 1)/√Var(S) si S < 0 y 0 si S = 0; p bilateral
    normal. Los valores NaN se descartan. Con menos de tres valores, o sin varianza
    (todos iguales), no hay prueba: p es NaN o 1 y la tendencia, 'sin tendencia'.

    Parameters
    ----------
    valores : la serie en orden temporal, un valor por periodo.
    alfa : nivel de significancia para declarar tendencia (entre 0 y 1).

    Examples
    --------
    >>> r = mann_kendall([1, 2, 3, 4, 5])
    >>> r.s, round(r.p, 4), r.tau, r.pendiente, r.tendencia
    (10, 0.0275, 1.0, 1.0, 'creciente')
    """
    if not 0 < alfa < 1:
        raise ValueError("'alfa' debe estar entre 0 y 1")
    _, x = _limpiar(valores)
    n = int(x.size)
    pendiente = pendiente_sen(valores)
    if n < 3:
        s = int(np.sign(x[1] - x[0])) if n == 2 else 0
        return MannKendall(n, s, _NAN, _NAN, _NAN, _NAN, pendiente, "sin tendencia", alfa)
    i, j = np.triu_indices(n, k=1)
    s = int(np.sign(x[j] - x[i]).sum())
    _, empates = np.unique(x, return_counts=True)
    varianza = float((n * (n - 1) * (2 * n + 5) - (empates * (empates - 1) * (2 * empates + 5)).sum()) / 18)
    if varianza == 0:
        return MannKendall(n, s, 0.0, 0.0, 1.0, 0.0, pendiente, "sin tendencia", alfa)
    z = (s - np.sign(s)) / math.sqrt(varianza)
    p = float(2 * stats.norm.sf(abs(z)))
    tendencia = "sin tendencia" if p >= alfa else ("creciente" if s > 0 else "decreciente")
    return MannKendall(n, s, varianza, float(z), p, s / (n * (n - 1) / 2), pendiente, tendencia, alfa)


def _varianza_del_ruido(x: np.ndarray, pesos: np.ndarray) -> float:
    """σ² por unidad de peso, estimada con la MAD de las diferencias sucesivas estandarizadas.

    Si x_i tiene varianza σ²/w_i, d_i = (x_{i+1} − x_i)/√(1/w_i + 1/w_{i+1}) tiene varianza σ²
    mientras no haya cambio; la MAD (×1,4826) ignora los pocos d_i que cruzan un cambio.
    Si más de la mitad de las diferencias son cero, usa la desviación típica.
    """
    d = np.diff(x) / np.sqrt(1 / pesos[:-1] + 1 / pesos[1:])
    robusta = 1.4826 * np.median(np.abs(d - np.median(d)))
    return float(robusta**2 if robusta > 0 else np.std(d) ** 2)


def puntos_de_cambio(valores: Sequence[float], *, pesos: Sequence[float] | None = None,
                     varianza: float | None = None, minimo: int = 2) -> list[int]:
    """Índices (ordenados) donde empieza un tramo nuevo de media distinta; vacío si no hay cambio.

    Segmentación binaria circular con coste de mínimos cuadrados ponderados: cada tramo se
    parte en dos (un corte) o en tres con el central distinto (dos cortes), por donde más
    se reduce Σ w_i (x_i − media de su tramo)², si la reducción supera 3·σ²·ln n por corte
    (MBIC); se repite en cada parte. Cada tramo tiene al menos ``minimo`` valores, así que
    un periodo atípico aislado no crea un tramo.

    Parameters
    ----------
    valores : la serie en orden temporal, sin NaN (quite antes los periodos sin datos).
    pesos : peso de cada valor, normalmente su tamaño de muestra (por defecto todos 1):
        el valor i tiene varianza σ²/w_i.
    varianza : varianza por unidad de peso conocida (p. ej. p(1 − p) por respuesta en una
        proporción); σ² nunca se estima por debajo de ella. None: solo la estimación robusta.
    minimo : largo mínimo de un tramo (al menos 1).

    Examples
    --------
    >>> puntos_de_cambio([5.0, 5.2, 4.9, 5.1, 8.0, 8.1, 7.9, 8.2])
    [4]
    >>> puntos_de_cambio([5.0, 5.0, 5.0, 5.0])
    []
    """
    if minimo < 1:
        raise ValueError("'minimo' debe ser al menos 1")
    x = np.asarray(valores, dtype=float)
    if x.ndim != 1 or not np.isfinite(x).all():
        raise ValueError("'valores' debe ser una secuencia de números finitos (sin NaN)")
    w = np.ones_like(x) if pesos is None else np.asarray(pesos, dtype=float)
    if w.shape != x.shape or not (np.isfinite(w).all() and (w > 0).all()):
        raise ValueError("'pesos' debe tener un peso positivo por valor")
    n = x.size
    if n < 2 * minimo:
        return []
    sigma2 = max(_varianza_del_ruido(x, w), varianza or 0.0)
    if sigma2 == 0:
        return []
    penalizacion = _FACTOR_PENALIZACION * sigma2 * math.log(n)
    centrado = x - np.average(x, weights=w)
    acumulados = [np.concatenate([[0.0], np.cumsum(v)]) for v in (w, w * centrado, w * centrado**2)]
    cortes, pendientes = [], [(0, n)]
    while pendientes:
        inicio, fin = pendientes.pop()
        nuevos = _mejor_division(acumulados, inicio, fin, minimo, penalizacion)
        cortes += nuevos
        limites = [inicio, *nuevos, fin]
        pendientes += list(zip(limites, limites[1:])) if nuevos else []
    return sorted(cortes)


def _coste(acumulados: list[np.ndarray], inicio: np.ndarray | int, fin: np.ndarray | int) -> np.ndarray:
    """Suma ponderada de cuadrados alrededor de la media de cada tramo [inicio, fin)."""
    w, wx, wx2 = ((a[fin] - a[inicio]) for a in acumulados)
    return wx2 - wx**2 / w


def _mejor_division(acumulados: list[np.ndarray], inicio: int, fin: int, minimo: int,
                    penalizacion: float) -> list[int]:
    """Cortes que mejor dividen [inicio, fin): uno (dos tramos) o dos (un tramo central distinto).

    Gana la opción de mayor reducción del coste menos la penalización por corte; si
    ninguna la supera, no se corta. El tramo central (segmentación binaria circular,
    Olshen et al. 2004) detecta una caída seguida de recuperación que un solo corte no
    separa bien.
    """
    total = _coste(acumulados, inicio, fin)
    uno = np.arange(inicio + minimo, fin - minimo + 1)
    opciones = []
    if uno.size:
        ganancia = total - _coste(acumulados, inicio, uno) - _coste(acumulados, uno, fin)
        mejor = int(np.argmax(ganancia))
        opciones.append((float(ganancia[mejor]) - penalizacion, [int(uno[mejor])]))
    i, j = np.meshgrid(uno, uno, indexing="ij")
    validos = j - i >= minimo
    if validos.any():
        i, j = i[validos], j[validos]
        ganancia = (total - _coste(acumulados, inicio, i) - _coste(acumulados, i, j)
                    - _coste(acumulados, j, fin))
        mejor = int(np.argmax(ganancia))
        opciones.append((float(ganancia[mejor]) - 2 * penalizacion, [int(i[mejor]), int(j[mejor])]))
    neta, cortes = max(opciones, default=(0.0, []), key=lambda opcion: opcion[0])
    return cortes if neta > 0 else []


# ---------------------------------------------------------------------------
# Series de indicadores
# ---------------------------------------------------------------------------

def _con_intervalos(filas: pd.DataFrame, intervalos: pd.DataFrame | None) -> pd.DataFrame:
    """Añade ``ic_inf``/``ic_sup`` de ``intervalo_percentil`` a las filas de la serie (por periodo y grupo)."""
    if intervalos is None:
        return filas
    return filas.merge(intervalos[["periodo", "grupo", "ic_inf", "ic_sup"]], on=["periodo", "grupo"], how="left")


def serie_indicador(clave: str, filas: pd.DataFrame, muestra_minima: int, *,
                    intervalos: pd.DataFrame | None = None) -> pd.DataFrame:
    """Serie del indicador por periodo y grupo, lista para dibujar.

    Parameters
    ----------
    clave : uno de ``INDICADORES``.
    filas : salida de ``serie_tendencia_encuestas`` o ``serie_tendencia_interacciones``.
    muestra_minima : n por debajo del cual un punto se marca como insuficiente (≥ 1).
    intervalos : salida de ``intervalo_percentil`` para los percentiles (opcional).

    Returns
    -------
    DataFrame con ``periodo``, ``grupo``, ``valor``, ``ic_inf``, ``ic_sup``, ``n`` y
    ``suficiente``, ordenado por grupo y periodo.
    """
    if muestra_minima < 1:
        raise ValueError("'muestra_minima' debe ser al menos 1")
    filas = _con_intervalos(filas, intervalos).sort_values(["grupo", "periodo"], kind="stable")
    estimaciones = [estimar_indicador(clave, fila) for fila in filas.to_dict("records")]
    return pd.DataFrame({
        "periodo": pd.to_datetime(filas["periodo"]).to_numpy(),
        "grupo": filas["grupo"].to_numpy(),
        "valor": [e.valor for e in estimaciones],
        "ic_inf": [e.ic_inf for e in estimaciones],
        "ic_sup": [e.ic_sup for e in estimaciones],
        "n": [e.n for e in estimaciones],
        "suficiente": [e.n >= muestra_minima and not math.isnan(e.valor) for e in estimaciones],
    }, columns=["periodo", "grupo", "valor", "ic_inf", "ic_sup", "n", "suficiente"])


@dataclass(frozen=True)
class Cambio:
    """Un punto de cambio: ``periodo`` en que empieza el tramo nuevo, la estimación de ese
    tramo (``despues``) y del anterior (``antes``), y la prueba de la diferencia."""

    periodo: date
    antes: Estimacion
    despues: Estimacion
    comparacion: Comparacion | None

    @property
    def diferencia(self) -> float:
        """Valor del tramo nuevo menos el del anterior."""
        return self.despues.valor - self.antes.valor


def _tramo(clave: str, filas: pd.DataFrame) -> tuple[Estimacion, dict]:
    """Estimación de un tramo de periodos y sus conteos sumados (los percentiles no se suman:
    su valor es la mediana de los valores por periodo)."""
    sumas = filas.select_dtypes("number").sum().to_dict()
    if clave in PERCENTILES:
        n = _conteo_de(sumas, "n_resolucion" if clave.startswith("resolucion") else "n_respuesta")
        return Estimacion(float(filas[clave].median()), _NAN, _NAN, n), sumas
    return estimar_indicador(clave, sumas), sumas


def _comparar_tramos(clave: str, antes: pd.DataFrame, despues: pd.DataFrame, sumas: tuple[dict, dict],
                     alfa: float) -> Comparacion | None:
    """Prueba del cambio entre dos tramos: la de ``comparar_indicador`` o, en percentiles, Mann-Whitney."""
    if clave not in PERCENTILES:
        comparacion = comparar_indicador(clave, sumas[1], sumas[0])
        return None if comparacion is None else replace(comparacion, alfa=alfa)
    prueba = stats.mannwhitneyu(despues[clave], antes[clave], alternative="two-sided")
    return Comparacion(float(despues[clave].median() - antes[clave].median()), float(prueba.pvalue),
                       "U de Mann-Whitney sobre los valores por periodo", alfa)


def _validas(clave: str, filas: pd.DataFrame, muestra_minima: int) -> pd.DataFrame:
    """Filas de un grupo con muestra suficiente y valor, en orden de periodo."""
    filas = filas.sort_values("periodo", kind="stable").reset_index(drop=True)
    estimaciones = [estimar_indicador(clave, fila) for fila in filas.to_dict("records")]
    utiles = [e.n >= muestra_minima and not math.isnan(e.valor) for e in estimaciones]
    return filas.assign(_valor=[e.valor for e in estimaciones], _n=[e.n for e in estimaciones])[utiles]


def cambios(clave: str, filas: pd.DataFrame, *, muestra_minima: int, alfa: float = 0.05) -> list[Cambio]:
    """Puntos de cambio de la serie de un grupo, con la estimación de cada tramo y su prueba.

    Solo cuentan los periodos con n ≥ ``muestra_minima``; el peso de cada periodo es su n.
    Cada cambio compara el tramo que empieza en él con el tramo inmediatamente anterior.
    """
    validas = _validas(clave, filas, muestra_minima).reset_index(drop=True)
    if validas.empty:
        return []
    total, _ = _tramo(clave, validas)
    varianza = None if math.isnan(total.margen) else (total.margen / 1.959964) ** 2 * total.n
    cortes = puntos_de_cambio(validas["_valor"].to_numpy(), pesos=validas["_n"].to_numpy(), varianza=varianza)
    limites = [0, *cortes, len(validas)]
    resultado = []
    for anterior, corte, siguiente in zip(limites, limites[1:], limites[2:]):
        antes, despues = validas.iloc[anterior:corte], validas.iloc[corte:siguiente]
        (estimacion_antes, sumas_antes), (estimacion_despues, sumas_despues) = _tramo(clave, antes), _tramo(
            clave, despues)
        resultado.append(Cambio(
            periodo=pd.Timestamp(validas.loc[corte, "periodo"]).date(),
            antes=estimacion_antes, despues=estimacion_despues,
            comparacion=_comparar_tramos(clave, antes, despues, (sumas_antes, sumas_despues), alfa),
        ))
    return resultado


def texto_p(p: float) -> str:
    """Valor p en escalones legibles: 'p < 0,001', 'p < 0,01' o 'p = 0,034'.

    >>> texto_p(0.004), texto_p(0.2)
    ('p < 0,01', 'p = 0,200')
    """
    return "p < 0,01" if 0.001 <= p < 0.01 else valor_p(p)


def magnitud(diferencia: float, unidad: str, extra: int = 0) -> str:
    """Tamaño de un cambio, sin signo, con su unidad en palabras (``extra`` decimales más).

    >>> magnitud(-0.0412, "proporcion"), magnitud(0.0004, "proporcion", 1)
    ('4,1 puntos porcentuales', '0,04 puntos porcentuales')
    """
    magnitud = abs(diferencia)
    decimales, factor, sufijo = {
        "escala": (2, 1, "puntos"), "proporcion": (1, 100, "puntos porcentuales"), "puntos": (1, 1, "puntos"),
        "minutos": (1, 1, "min"), "horas": (1, 1, "h"),
    }[unidad]
    return f"{numero(factor * magnitud, decimales + extra)} {sufijo}"


def sujeto(clave: str, grupo: str | None) -> str:
    """'El NPS' o 'El NPS de Sucursal Norte' (sin grupo o con el grupo 'Total': sin complemento)."""
    texto = _EN_FRASE[clave]
    if grupo and grupo != "Total":
        texto += f" de {grupo}"
    return texto[0].upper() + texto[1:]


def describir_cambio(clave: str, cambio: Cambio, grupo: str | None = None) -> str:
    """Frase en español del cambio, p. ej. 'El NPS de Sucursal Norte bajó 12,0 puntos desde el
    3 de marzo de 2026 (cambio significativo, p < 0,01).'

    >>> c = Cambio(date(2026, 3, 3), Estimacion(40.0, 35, 45, 300), Estimacion(28.0, 22, 34, 200),
    ...            Comparacion(-12.0, 0.004, "prueba z de la diferencia de NPS"))
    >>> describir_cambio("nps", c, "Sucursal Norte")
    'El NPS de Sucursal Norte bajó 12,0 puntos desde el 3 de marzo de 2026 (cambio significativo, p < 0,01).'
    """
    verbo = "subió" if cambio.diferencia > 0 else "bajó"
    if cambio.comparacion is None:
        prueba = "sin prueba de significancia"
    elif cambio.comparacion.significativo:
        prueba = f"cambio significativo, {texto_p(cambio.comparacion.p)}"
    else:
        prueba = f"cambio no significativo, {texto_p(cambio.comparacion.p)}: puede ser ruido"
    return (f"{sujeto(clave, grupo)} {verbo} {magnitud(cambio.diferencia, indicador(clave).unidad)} "
            f"desde el {fecha(cambio.periodo)} ({prueba}).")


def describir_tendencia(clave: str, resultado: MannKendall, periodicidad: str, grupo: str | None = None) -> str:
    """Frase en español del resultado de Mann-Kendall y la pendiente de Sen.

    >>> r = mann_kendall([1, 2, 3, 4, 5])
    >>> describir_tendencia("nps", r, "mes")
    'El NPS tiene tendencia creciente (Mann-Kendall, p = 0,027): sube 1,00 puntos por mes según la pendiente de Sen.'
    """
    if periodicidad not in _POR_PERIODO:
        raise ValueError(f"'periodicidad' debe ser uno de {list(_POR_PERIODO)}")
    inicio = sujeto(clave, grupo)
    if math.isnan(resultado.p):
        return f"{inicio}: muy pocos periodos con muestra suficiente para probar una tendencia."
    if resultado.tendencia == "sin tendencia":
        return f"{inicio} no muestra una tendencia significativa (Mann-Kendall, {texto_p(resultado.p)})."
    verbo = "sube" if resultado.pendiente > 0 else "baja"
    pendiente = magnitud(resultado.pendiente, indicador(clave).unidad, extra=1)
    return (f"{inicio} tiene tendencia {resultado.tendencia} (Mann-Kendall, {texto_p(resultado.p)}): "
            f"{verbo} {pendiente} {_POR_PERIODO[periodicidad]} según la pendiente de Sen.")


@dataclass(frozen=True)
class Diagnostico:
    """¿Es real? Para un grupo: tendencia, puntos de cambio y las frases que los cuentan."""

    grupo: str
    tendencia: MannKendall
    cambios: tuple[Cambio, ...]
    periodos_validos: int
    frases: tuple[str, ...]


def diagnosticar(clave: str, filas: pd.DataFrame, periodicidad: str, *, muestra_minima: int,
                 alfa: float = 0.05) -> list[Diagnostico]:
    """Tendencia (Mann-Kendall y Sen) y puntos de cambio de cada grupo de la serie.

    Solo cuentan los periodos con n ≥ ``muestra_minima``. Los grupos salen en el orden
    de ``filas``; dentro de cada uno, la primera frase es la de la tendencia y después
    una por cambio.
    """
    resultado = []
    for grupo, filas_grupo in filas.groupby("grupo", sort=False):
        validas = _validas(clave, filas_grupo, muestra_minima)
        tendencia = mann_kendall(validas["_valor"].to_numpy(), alfa)
        lista = tuple(cambios(clave, filas_grupo, muestra_minima=muestra_minima, alfa=alfa))
        frases = (describir_tendencia(clave, tendencia, periodicidad, grupo),
                  *(describir_cambio(clave, c, grupo) for c in lista))
        resultado.append(Diagnostico(str(grupo), tendencia, lista, len(validas), frases))
    return resultado


def ranking_de_cambios(clave: str, comparacion: pd.DataFrame, *, muestra_minima: int, sentido: str,
                       diagnosticos: list["Diagnostico"] | None = None, alfa: float = 0.05) -> pd.DataFrame:
    """Grupos ordenados por su cambio frente al periodo anterior, los que más empeoran primero.

    Parameters
    ----------
    clave : uno de ``INDICADORES``.
    comparacion : salida de ``comparacion_encuestas``/``comparacion_interacciones`` con desglose.
    muestra_minima : n mínimo en ambos periodos para considerar fiable el cambio.
    sentido : 'mayor' (más es mejor) o 'menor'.
    diagnosticos : los de ``diagnosticar`` sobre la serie del mismo desglose, para añadir
        la tendencia de cada grupo.

    Returns
    -------
    DataFrame con ``grupo``, ``anterior``, ``actual``, ``cambio``, ``p``, ``significativo``,
    ``n_anterior``, ``n_actual``, ``suficiente`` y, con ``diagnosticos``, ``tendencia`` y
    ``pendiente`` (Sen por periodo).
    """
    if sentido not in ("mayor", "menor"):
        raise ValueError("'sentido' debe ser 'mayor' o 'menor'")
    filas = []
    for grupo, datos in comparacion.groupby("grupo", sort=True):
        actual, anterior = (next(iter(datos[datos["periodo"] == p].to_dict("records")), {})
                            for p in ("actual", "anterior"))
        e_actual, e_anterior = estimar_indicador(clave, actual), estimar_indicador(clave, anterior)
        prueba = comparar_indicador(clave, actual, anterior)
        prueba = prueba if prueba is None else replace(prueba, alfa=alfa)
        filas.append({
            "grupo": grupo, "anterior": e_anterior.valor, "actual": e_actual.valor,
            "cambio": e_actual.valor - e_anterior.valor,
            "p": _NAN if prueba is None else prueba.p,
            "significativo": bool(prueba is not None and prueba.significativo),
            "n_anterior": e_anterior.n, "n_actual": e_actual.n,
            "suficiente": min(e_anterior.n, e_actual.n) >= muestra_minima,
        })
    tabla = pd.DataFrame(filas, columns=["grupo", "anterior", "actual", "cambio", "p", "significativo",
                                         "n_anterior", "n_actual", "suficiente"])
    if diagnosticos is not None:
        tendencias = {d.grupo: d.tendencia for d in diagnosticos}
        tabla["tendencia"] = [tendencias[g].tendencia if g in tendencias else "sin datos" for g in tabla["grupo"]]
        tabla["pendiente"] = [tendencias[g].pendiente if g in tendencias else _NAN for g in tabla["grupo"]]
    signo = 1 if sentido == "mayor" else -1
    orden = (tabla["cambio"] * signo).fillna(np.inf)
    return tabla.assign(_orden=orden).sort_values(["_orden", "grupo"]).drop(columns="_orden").reset_index(drop=True)


def formatear_ranking(ranking: pd.DataFrame, clave: str, periodicidad: str = "mes") -> pd.DataFrame:
    """La tabla de ``ranking_de_cambios`` como textos en español para mostrarla tal cual."""
    unidad = indicador(clave).unidad
    columnas = {
        "Segmento": ranking["grupo"],
        "Periodo anterior": [formatear(v, unidad) for v in ranking["anterior"]],
        "Periodo elegido": [formatear(v, unidad) for v in ranking["actual"]],
        "Cambio": [formatear_cambio(v, unidad) for v in ranking["cambio"]],
        "Significancia": [("Significativo" if s else "No significativo") + f" ({texto_p(p)})"
                          if not math.isnan(p) else "Sin prueba" for s, p in zip(ranking["significativo"],
                                                                                  ranking["p"])],
        "n (ant. → elegido)": [f"{numero(a, 0)} → {numero(b, 0)}" + ("" if ok else " ⚠")
                                   for a, b, ok in zip(ranking["n_anterior"], ranking["n_actual"],
                                                       ranking["suficiente"])],
    }
    if "tendencia" in ranking:
        columnas["Tendencia (Mann-Kendall)"] = ranking["tendencia"].str.capitalize()
        columnas[f"Sen {_POR_PERIODO[periodicidad]}"] = [formatear_cambio(v, unidad, 1) for v in ranking["pendiente"]]
    return pd.DataFrame(columnas)


# ---------------------------------------------------------------------------
# Vistas móviles y distribución de calificaciones
# ---------------------------------------------------------------------------

def movil(filas: pd.DataFrame, dias: int) -> pd.DataFrame:
    """Ventana móvil de ``dias`` días sobre una serie diaria: cada día suma los conteos de los
    ``dias`` días que terminan en él (los días sin datos cuentan como cero).

    Las columnas que no se pueden sumar (percentiles) quedan vacías; se descartan los
    primeros ``dias − 1`` días de cada grupo, que no tienen la ventana completa.
    """
    if dias < 1:
        raise ValueError("'dias' debe ser al menos 1")
    salida = []
    for grupo, datos in filas.groupby("grupo", sort=False):
        datos = datos.assign(periodo=pd.to_datetime(datos["periodo"])).set_index("periodo").sort_index()
        calendario = pd.date_range(datos.index.min(), datos.index.max(), freq="D", name="periodo")
        sumables = datos.select_dtypes("number").drop(columns=list(PERCENTILES), errors="ignore")
        ventana = sumables.reindex(calendario, fill_value=0).rolling(dias, min_periods=dias).sum()
        salida.append(ventana.iloc[dias - 1:].reset_index().assign(grupo=grupo))
    if not salida:
        return filas.iloc[0:0]
    return pd.concat(salida, ignore_index=True)


#: Categorías de cada escala para las barras divergentes: (etiqueta, lado, notas que agrupa).
_CATEGORIAS = {
    "csat": [(str(v), lado, (v,)) for v, lado in zip(range(1, 6), ("negativo",) * 2 + ("neutro",) + ("positivo",) * 2)],
    "ces": [(str(v), lado, (v,)) for v, lado in zip(range(1, 8), ("negativo",) * 3 + ("neutro",) + ("positivo",) * 3)],
    "nps": [("Detractores (0–6)", "negativo", tuple(range(0, 7))), ("Pasivos (7–8)", "neutro", (7, 8)),
            ("Promotores (9–10)", "positivo", (9, 10))],
}


def distribucion_divergente(filas: pd.DataFrame, medida: str) -> pd.DataFrame:
    """Distribución de calificaciones por periodo para barras apiladas divergentes.

    Entra ``distribucion_calificaciones`` (``periodo``, ``calificacion``, ``n``). Sale una fila
    por periodo y categoría con ``categoria``, ``lado`` ('negativo', 'neutro', 'positivo'),
    ``distancia`` (0 para la neutra, creciente hacia los extremos), ``n``, ``n_periodo`` y
    ``proporcion``. NPS se agrupa en detractores, pasivos y promotores; CSAT (1–5) y CES
    (1–7) van nota por nota con la central como neutra. Las notas fuera de escala se ignoran.
    """
    if medida not in _CATEGORIAS:
        raise ValueError(f"'medida' debe ser uno de {list(_CATEGORIAS)}, no {medida!r}")
    categorias = _CATEGORIAS[medida]
    centro = next(i for i, (_, lado, _) in enumerate(categorias) if lado == "neutro")
    nota_a_categoria = {nota: i for i, (_, _, notas) in enumerate(categorias) for nota in notas}
    datos = filas.assign(indice=filas["calificacion"].map(nota_a_categoria)).dropna(subset=["indice"])
    conteos = datos.groupby(["periodo", "indice"])["n"].sum().unstack(fill_value=0)
    conteos = conteos.reindex(columns=range(len(categorias)), fill_value=0).stack().rename("n").reset_index()
    conteos["indice"] = conteos["indice"].astype(int)
    conteos["n_periodo"] = conteos.groupby("periodo")["n"].transform("sum")
    return pd.DataFrame({
        "periodo": pd.to_datetime(conteos["periodo"]).to_numpy(),
        "categoria": [categorias[i][0] for i in conteos["indice"]],
        "lado": [categorias[i][1] for i in conteos["indice"]],
        "distancia": (conteos["indice"] - centro).abs().to_numpy(),
        "n": conteos["n"].astype(int).to_numpy(),
        "n_periodo": conteos["n_periodo"].astype(int).to_numpy(),
        "proporcion": (conteos["n"] / conteos["n_periodo"]).to_numpy(),
        "orden": conteos["indice"].to_numpy(),
    })


# ---------------------------------------------------------------------------
# Rangos de fechas: horizonte de la serie y periodo de un punto
# ---------------------------------------------------------------------------

#: Horizontes de la serie: clave → texto para la interfaz.
HORIZONTES = {"12_meses": "Últimos 12 meses", "periodo": "Periodo de la barra lateral", "todo": "Todo el historial"}


def filtros_de_horizonte(filtros, horizonte: str):
    """Los filtros con el rango de fechas de la serie.

    '12_meses': los 12 meses calendario que terminan en ``filtros.hasta``; 'periodo': tal
    cual; 'todo': sin fecha inicial. ``filtros`` es un ``datos.consultas.Filtros``.

    >>> from datos.consultas import Filtros
    >>> filtros_de_horizonte(Filtros(date(2026, 8, 1), date(2026, 10, 31)), "12_meses").desde
    datetime.date(2025, 11, 1)
    """
    if horizonte not in HORIZONTES:
        raise ValueError(f"'horizonte' debe ser uno de {list(HORIZONTES)}, no {horizonte!r}")
    if horizonte == "periodo" or filtros.hasta is None:
        return filtros
    if horizonte == "todo":
        return replace(filtros, desde=None)
    return replace(filtros, desde=(pd.Timestamp(filtros.hasta).replace(day=1) - pd.DateOffset(months=11)).date())


def _fin_de_periodo(inicio: date, periodicidad: str) -> date:
    """Último día del periodo que empieza en ``inicio``."""
    meses = {"mes": 1, "trimestre": 3}
    if periodicidad == "dia":
        return inicio
    if periodicidad == "semana":
        return inicio + timedelta(days=6)
    if periodicidad in meses:
        return (pd.Timestamp(inicio) + pd.DateOffset(months=meses[periodicidad]) - pd.Timedelta(days=1)).date()
    raise ValueError(f"'periodicidad' debe ser uno de {list(_POR_PERIODO)}, no {periodicidad!r}")


def filtros_de_punto(filtros, inicio: date, periodicidad: str):
    """Los filtros reducidos al periodo de un punto (sin salir del rango que ya tenían).

    >>> from datos.consultas import Filtros
    >>> f = filtros_de_punto(Filtros(date(2026, 1, 10), date(2026, 3, 31)), date(2026, 1, 1), "mes")
    >>> f.desde, f.hasta
    (datetime.date(2026, 1, 10), datetime.date(2026, 1, 31))
    """
    fin = _fin_de_periodo(inicio, periodicidad)
    desde = inicio if filtros.desde is None else max(inicio, filtros.desde)
    hasta = fin if filtros.hasta is None else min(fin, filtros.hasta)
    return replace(filtros, desde=desde, hasta=hasta)


# ---------------------------------------------------------------------------
# Apoyo a la interfaz: metas, grupos, etiquetas y tablas para mostrar o exportar
# ---------------------------------------------------------------------------

def meta_y_sentido(clave: str, metas: pd.DataFrame) -> tuple[float | None, str]:
    """(meta, sentido) del indicador según la tabla ``metas``; sin meta: (None, sentido predeterminado)."""
    fila = metas[metas["kpi"] == clave]
    if fila.empty:
        return None, sentido_predeterminado(clave)
    return float(fila["meta"].iloc[0]), str(fila["sentido"].iloc[0])


def grupos_principales(serie: pd.DataFrame, maximo: int = 12) -> list[str]:
    """Los ``maximo`` grupos con más respuestas en la serie, de mayor a menor volumen."""
    if maximo < 1:
        raise ValueError("'maximo' debe ser al menos 1")
    volumen = serie.groupby("grupo", sort=True)["n"].sum().sort_values(ascending=False, kind="stable")
    return [str(g) for g in volumen.index[:maximo]]


def frases_destacadas(diagnosticos: list[Diagnostico]) -> list[str]:
    """Lo que hay que leer del diagnóstico: sin desglose, todas sus frases; con desglose,
    los cambios y las tendencias significativas de cada grupo (o un aviso de que no hay)."""
    if len(diagnosticos) == 1:
        return list(diagnosticos[0].frases)
    frases = [f for d in diagnosticos for f in (d.frases[1:] if d.tendencia.tendencia == "sin tendencia"
                                                  else d.frases)]
    return frases or ["Ningún segmento muestra una tendencia significativa ni un punto de cambio."]


_MESES_CORTOS = ("ene", "feb", "mar", "abr", "may", "jun", "jul", "ago", "sep", "oct", "nov", "dic")


def etiqueta_periodo(inicio, periodicidad: str) -> str:
    """Texto corto del periodo que empieza en ``inicio``.

    >>> [etiqueta_periodo(date(2026, 1, 12), p) for p in ("dia", "semana", "mes", "trimestre")]
    ['12/01/2026', 'Sem. 12/01/2026', 'ene 2026', 'T1 2026']
    """
    dia = pd.Timestamp(inicio)
    textos = {"dia": f"{dia:%d/%m/%Y}", "semana": f"Sem. {dia:%d/%m/%Y}",
              "mes": f"{_MESES_CORTOS[dia.month - 1]} {dia.year}",
              "trimestre": f"T{(dia.month - 1) // 3 + 1} {dia.year}"}
    if periodicidad not in textos:
        raise ValueError(f"'periodicidad' debe ser uno de {list(textos)}, no {periodicidad!r}")
    return textos[periodicidad]


def notas_de_categoria(medida: str, categoria: str) -> tuple[int, ...]:
    """Las notas que agrupa una categoría de ``distribucion_divergente`` (p. ej. NPS 'Pasivos (7–8)' → (7, 8)).

    >>> notas_de_categoria("nps", "Pasivos (7–8)"), notas_de_categoria("csat", "2")
    ((7, 8), (2,))
    """
    if medida not in _CATEGORIAS:
        raise ValueError(f"'medida' debe ser uno de {list(_CATEGORIAS)}, no {medida!r}")
    for etiqueta, _, notas in _CATEGORIAS[medida]:
        if etiqueta == categoria:
            return notas
    raise ValueError(f"'categoria' {categoria!r} no existe en la escala de {medida}")


def serie_para_exportar(serie: pd.DataFrame, clave: str) -> pd.DataFrame:
    """La serie con encabezados en español, lista para CSV o Excel."""
    return pd.DataFrame({
        "Inicio del periodo": pd.to_datetime(serie["periodo"]).dt.date,
        "Segmento": serie["grupo"],
        "Indicador": indicador(clave).titulo,
        "Valor": serie["valor"], "IC 95 % inferior": serie["ic_inf"], "IC 95 % superior": serie["ic_sup"],
        "n": serie["n"], "Muestra suficiente": serie["suficiente"].map({True: "Sí", False: "No"}),
    })


#: Encabezados en español de las columnas del detalle.
_ENCABEZADOS = {
    "fecha": "Fecha", "fecha_inicio": "Inicio", "respuesta_id": "Respuesta", "interaccion_id": "Interacción",
    "grupo": "Segmento", "canal": "Canal", "sucursal": "Sucursal", "tipo_cliente": "Tipo de cliente",
    "motivo": "Motivo", "etapa": "Etapa", "agente_id": "Agente", "tiempo_respuesta_min": "Respuesta (min)",
    "tiempo_resolucion_h": "Resolución (h)", "resuelto": "Resuelto", "fcr": "Resuelto al primer contacto",
    "promesa_cumplida": "Promesa cumplida", "csat": "CSAT", "nps": "NPS", "ces": "CES", "comentario": "Comentario",
    "cliente_id": "Cliente",
}


def detalle_para_exportar(detalle: pd.DataFrame) -> pd.DataFrame:
    """Las filas del detalle con encabezados en español (valores sin formatear) y sin la columna de
    segmento cuando no hay desglose."""
    if "grupo" in detalle and (detalle["grupo"] == "Total").all():
        detalle = detalle.drop(columns="grupo")
    return detalle.rename(columns=_ENCABEZADOS)


def _texto_de_celda(valor, columna: str) -> str:
    """Una celda del detalle como texto español: fechas dd/mm/aaaa hh:mm, Sí/No, decimales con coma."""
    if valor is None or (not isinstance(valor, str) and pd.isna(valor)):
        return ""
    if isinstance(valor, (bool, np.bool_)):
        return "Sí" if valor else "No"
    if isinstance(valor, pd.Timestamp):
        return f"{valor:%d/%m/%Y %H:%M}"
    if isinstance(valor, (int, float, np.number)):
        return numero(float(valor), 0 if columna in ("CSAT", "NPS", "CES") else 1)
    return str(valor)


def detalle_para_mostrar(detalle: pd.DataFrame) -> pd.DataFrame:
    """Las filas del detalle como textos en español para mostrarlas tal cual."""
    tabla = detalle_para_exportar(detalle)
    return pd.DataFrame({columna: [_texto_de_celda(v, columna) for v in tabla[columna]] for columna in tabla})


def fechas_de_cambio(diagnosticos: list[Diagnostico]) -> dict[str, list[date]]:
    """Grupo → fechas de sus puntos de cambio."""
    return {d.grupo: [c.periodo for c in d.cambios] for d in diagnosticos}


def medida_de(clave: str) -> str:
    """Escala de encuesta más cercana al indicador: 'nps', 'ces' o 'csat' (para el resto)."""
    indicador(clave)
    return {"nps": "nps", "ces_media": "ces"}.get(clave, "csat")


def ultimos_periodos(tabla: pd.DataFrame, cantidad: int) -> pd.DataFrame:
    """Las filas de los ``cantidad`` periodos más recientes de ``tabla`` (columna ``periodo``)."""
    if cantidad < 1:
        raise ValueError("'cantidad' debe ser al menos 1")
    recientes = sorted(tabla["periodo"].unique())[-cantidad:]
    return tabla[tabla["periodo"].isin(recientes)]


def ranking_para_exportar(ranking: pd.DataFrame) -> pd.DataFrame:
    """La tabla de ``ranking_de_cambios`` con encabezados en español y valores sin formatear."""
    nombres = {"grupo": "Segmento", "anterior": "Periodo anterior", "actual": "Periodo elegido", "cambio": "Cambio",
               "p": "Valor p", "significativo": "Significativo", "n_anterior": "n anterior", "n_actual": "n elegido",
               "suficiente": "Muestra suficiente", "tendencia": "Tendencia (Mann-Kendall)",
               "pendiente": "Pendiente de Sen por periodo"}
    return ranking.rename(columns=nombres)


@dataclass(frozen=True)
class PedidoDetalle:
    """Las filas detrás de un punto o una barra, sin nombrar la consulta que las trae.

    ``origen`` es 'encuestas' o 'interacciones'; ``filtros``, los del periodo elegido; ``grupo``,
    el de ``desglose`` (None: todos); ``texto``, lo que se busca en los comentarios; ``limite``,
    las filas como mucho. En encuestas, ``medida`` y ``notas`` son las calificaciones de la barra
    elegida (vacías si se eligió un punto). ``datos.consultas.tendencias.detalle`` lo resuelve.
    """

    origen: str
    filtros: object
    desglose: str | None
    grupo: str | None
    texto: str
    limite: int
    medida: str | None = None
    notas: tuple = ()


def consulta_de_detalle(clave: str, eleccion: Mapping, filtros, *, periodicidad: str, desglose: str | None,
                        medida: str, texto: str = "", limite: int = 500) -> PedidoDetalle:
    """Qué filas hay detrás del punto o la barra elegidos.

    ``eleccion`` tiene ``periodo`` (inicio), ``grupo`` (None: todos) y ``categoria`` (de una
    barra de la distribución de ``medida``, o None). Devuelve un ``PedidoDetalle``.
    """
    del_punto = filtros_de_punto(filtros, eleccion["periodo"], periodicidad)
    if eleccion.get("categoria"):
        return PedidoDetalle("encuestas", del_punto, None, None, texto, limite, medida,
                             notas_de_categoria(medida, eleccion["categoria"]))
    origen = "encuestas" if de_encuestas(clave) else "interacciones"
    return PedidoDetalle(origen, del_punto, desglose, eleccion.get("grupo"), texto, limite)
