"""El eslabón más débil desde las filas: plan, cifras por remuestra, prioridad y ``ResultadoCadena``.

``analizar_cadena`` reparte las filas en lotes (``remuestreo``), ajusta los pesos relativos
(``modelo``) y arma la tabla de importancia; ``analizar_cadena_agregada`` (``agregada``)
reutiliza ``totales`` y ``armar_resultado`` con las sumas del motor.
"""

import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

import numpy as np
import pandas as pd

from analisis.cadena.configuracion import escala_de_etapas, umbral_alto
from analisis.cadena.modelo import Logistica, expit, pesos_lineales, pesos_logisticos, preparar_logisticas, un_paso
from analisis.cadena.remuestreo import Lotes, azares, calcular_momentos, estadisticos, intervalo, remuestrear
from analisis.cadena.validacion import (columnas_numericas, metas_en_orden, tipo_de_resultado, validar_entrada,
                                        validar_opciones)
from analisis.errores import MuestraInsuficiente
from analisis.escalas import REMUESTRAS_CADENA
from analisis.kpis import Estimacion

__all__ = ["ResultadoCadena", "Plan", "SIN_RESPUESTAS", "exigir_muestra", "totales",
           "armar_resultado", "analizar_cadena"]


_MIN_FILAS = 10
_MIN_PARES = 5            # calificaciones con resultado para que una etapa entre al modelo
SIN_RESPUESTAS = "No hay respuestas con calificaciones de etapa para analizar."


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
    * ``incluida``: False si la etapa no entró al modelo (sin calificaciones suficientes o sin
      variación) y entonces sus cifras de modelo son NaN.

    La clase de cada etapa (cuadrante, eslabón…) la da ``analisis.cadena.clasificacion.clasificar_etapas``.

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


@dataclass(frozen=True)
class Plan:
    """Lo que se fija antes de remuestrear: etapas incluidas, tipo, medida, referencias y modelos."""

    incluidas: np.ndarray
    tipo: str
    medida: str
    referencias: np.ndarray | None
    umbral: float
    centro: np.ndarray
    desvio: np.ndarray
    logisticas: dict[str, Logistica]


def _incluidas(momentos: dict[str, np.ndarray], p: int) -> np.ndarray:
    """Índices de las etapas con bastantes calificaciones junto al resultado y con variación."""
    con_resultado = momentos["pares"][0, :p, p]
    return np.flatnonzero((con_resultado >= _MIN_PARES) & (momentos["desvio"][0, :p] > 1e-12))


def exigir_muestra(utiles: int, incluidas: np.ndarray, desvio_y: float) -> int:
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


def _pesos(est: dict[str, np.ndarray], momentos: dict[str, np.ndarray], plan: Plan
           ) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Pesos sin ruido (B, k), pesos con ruido (B, k+1) y coeficientes por punto de calificación (B, k)."""
    p = momentos["media"].shape[1] - 2
    inc = plan.incluidas
    r = momentos["correlacion"]
    if plan.tipo == "continuo":
        con_y = np.append(inc, p)
        pesos, beta = pesos_lineales(r[:, con_y][:, :, con_y])
        con_ruido = np.concatenate([inc, [p + 1, p]])
        pesos_ruido, _ = pesos_lineales(r[:, con_ruido][:, :, con_ruido])
        coeficientes = beta * momentos["desvio"][:, [p]] / momentos["desvio"][:, inc]
        return pesos, pesos_ruido, coeficientes
    escala = momentos["desvio"][:, inc] / plan.desvio[inc]
    b, r_o = un_paso(est, "logit", plan.logisticas["logit"])
    pesos = pesos_logisticos(r[:, inc][:, :, inc], b[:, 1:] * escala, r_o)
    b_ruido, r_o_ruido = un_paso(est, "logit_ruido", plan.logisticas["logit_ruido"])
    con_ruido = np.append(inc, p + 1)
    escala_ruido = np.column_stack([escala, momentos["desvio"][:, p + 1] / plan.desvio[p + 1]])
    pesos_ruido = pesos_logisticos(r[:, con_ruido][:, :, con_ruido], b_ruido[:, 1:] * escala_ruido, r_o_ruido)
    return pesos, pesos_ruido, b[:, 1:] / plan.desvio[inc]


def _desempeno(est: dict[str, np.ndarray], momentos: dict[str, np.ndarray], plan: Plan
               ) -> tuple[np.ndarray, np.ndarray]:
    """Desempeño (B, p) según la medida y media de las calificaciones bajo el top-2-box (B, p)."""
    p = est["altas"].shape[1]
    n = momentos["n"][:, :p]
    with np.errstate(divide="ignore", invalid="ignore"):
        media_bajas = est["suma_bajas"] / (n - est["altas"])
        desempeno = momentos["media"][:, :p] if plan.medida == "media" else est["altas"] / n
    return desempeno, media_bajas


def _ganancias(est: dict[str, np.ndarray], plan: Plan, coeficientes: np.ndarray, subida: np.ndarray) -> np.ndarray:
    """Mejora esperada del resultado si cada etapa subiera su media en ``subida`` puntos (B, k)."""
    if plan.tipo == "continuo":
        return coeficientes * subida
    b, _ = un_paso(est, "logit", plan.logisticas["logit"])
    eta = b @ plan.logisticas["logit"].muestra.T
    base = expit(eta).mean(axis=1)
    return np.column_stack([expit(eta + (coeficientes[:, j] * subida[:, j])[:, None]).mean(axis=1) - base
                            for j in range(coeficientes.shape[1])])


def _estimar(est: dict[str, np.ndarray], plan: Plan) -> dict[str, np.ndarray]:
    """Todas las cifras por remuestra (fila 0: estimación puntual), en el orden de las etapas incluidas."""
    momentos = calcular_momentos(est, plan.centro)
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


def _primeros(prioridad: np.ndarray) -> np.ndarray:
    """Fracción de remuestras en que cada etapa tiene la mayor prioridad (remuestras sin brecha no cuentan)."""
    remuestras = prioridad[1:]
    if remuestras.shape[0] == 0:
        return np.full(prioridad.shape[1], math.nan)
    ganadora = np.argmax(remuestras, axis=1)
    validas = remuestras.max(axis=1) > 0
    return np.bincount(ganadora[validas], minlength=prioridad.shape[1]) / remuestras.shape[0]


def _significativas(diferencia: np.ndarray) -> pd.array:
    """True si el intervalo de (peso − peso del ruido) queda sobre 0; NA sin remuestras."""
    inferior, _ = intervalo(diferencia)
    return pd.array([None if math.isnan(v) else bool(v > 0) for v in inferior], dtype="boolean")


def _tabla(etapas: tuple[str, ...], cifras: dict[str, np.ndarray], plan: Plan, n: np.ndarray,
           vacias: np.ndarray, desempeno_todas: np.ndarray) -> pd.DataFrame:
    """La tabla ``importancia`` con una fila por etapa (NaN en las etapas excluidas del modelo)."""
    tabla = pd.DataFrame(index=pd.Index(etapas, name="etapa"))
    tabla["n"] = n.astype(np.int64)
    tabla["vacias"] = vacias
    tabla["incluida"] = False
    incluidas = [etapas[i] for i in plan.incluidas]
    tabla.loc[incluidas, "incluida"] = True

    def _columna(nombre: str, valores) -> None:
        columna = np.full(len(etapas), math.nan)
        columna[plan.incluidas] = valores
        tabla[nombre] = columna

    for nombre in ("peso", "proporcion", "desempeno", "ganancia"):
        inferior, superior = intervalo(cifras[nombre])
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
    return tabla


def totales(partes: dict[str, np.ndarray], centro: np.ndarray, p: int
             ) -> tuple[dict[str, np.ndarray], dict[str, np.ndarray], np.ndarray]:
    """Sumas de todos los lotes, sus momentos y las etapas que entran al modelo."""
    total = {nombre: parte.sum(axis=0)[None] for nombre, parte in partes.items()}
    momentos = calcular_momentos(total, centro)
    return total, momentos, _incluidas(momentos, p)


def armar_resultado(etapas: tuple[str, ...], partes: dict[str, np.ndarray], total: dict[str, np.ndarray],
                    momentos: dict[str, np.ndarray], plan: Plan, *, n: int, filas: int, escala: tuple[float, float],
                    remuestras: int, azar: np.random.Generator) -> ResultadoCadena:
    """Remuestrea los lotes, estima todas las cifras y arma el ``ResultadoCadena``."""
    p = len(etapas)
    cifras = _estimar(remuestrear(partes, remuestras, azar), plan)
    desempeno_todas, _ = _desempeno(total, momentos, plan)
    tabla = _tabla(etapas, cifras, plan, momentos["n"][0, :p], 1 - momentos["n"][0, :p] / filas, desempeno_todas[0])
    r2_inf, r2_sup = intervalo(cifras["r2"][:, None])
    prioridad = tabla["prioridad"]
    eslabon = str(prioridad.idxmax()) if prioridad.max() > 0 else None
    return ResultadoCadena(
        importancia=tabla, r2=float(cifras["r2"][0]), r2_inf=float(r2_inf[0]), r2_sup=float(r2_sup[0]),
        eslabon_mas_debil=eslabon, confianza=float(tabla.loc[eslabon, "primero"]) if eslabon else math.nan,
        tipo_resultado=plan.tipo, medida=plan.medida,
        referencia="meta" if plan.referencias is not None else "mejor etapa",
        escala=escala, n=n, remuestras=int(remuestras),
    )


def analizar_cadena(respuestas: pd.DataFrame, etapas: Sequence[str], resultado: str, *,
                    tipo_resultado: str | None = None, metas: Mapping[str, float] | None = None,
                    remuestras: int = REMUESTRAS_CADENA, semilla: int = 0, medida: str = "media",
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
    ResultadoCadena (ver su documentación; los métodos están en la del paquete ``analisis.cadena``).

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
    etapas = validar_entrada(respuestas, etapas, resultado)
    validar_opciones(medida, remuestras, semilla)
    x = columnas_numericas(respuestas, etapas, "respuestas")
    y = columnas_numericas(respuestas, [resultado], "respuestas")[:, 0]
    tipo = tipo_de_resultado(y, tipo_resultado)
    escala_ = escala_de_etapas(x, escala)
    referencias = metas_en_orden(metas, etapas, medida)
    if len(y) == 0:
        raise MuestraInsuficiente(SIN_RESPUESTAS)
    azar_lotes, azar_ruido, azar_remuestras = azares(semilla)
    lotes = Lotes.crear(len(y), azar_lotes)
    x, y = lotes.ordenar(x), lotes.ordenar(y)
    ruido = np.where(np.arange(lotes.filas) < len(respuestas), azar_ruido.standard_normal(lotes.filas), np.nan)
    partes, centro = estadisticos(x, y, ruido, lotes, umbral_alto(escala_))
    total, momentos, incluidas = totales(partes, centro, len(etapas))
    utiles = int((~np.isnan(y) & (~np.isnan(x[:, incluidas])).any(axis=1)).sum())
    n = exigir_muestra(utiles, incluidas, float(momentos["desvio"][0, len(etapas)]))
    logisticas = {}
    if tipo == "binario":
        extra, logisticas = preparar_logisticas(x, y, ruido, lotes, momentos, incluidas)
        partes.update(extra)
    plan = Plan(incluidas, tipo, medida, referencias, umbral_alto(escala_), centro, momentos["desvio"][0],
                logisticas)
    return armar_resultado(etapas, partes, total, momentos, plan, n=n, filas=len(respuestas), escala=escala_,
                           remuestras=remuestras, azar=azar_remuestras)
