"""Brechas de competencias: escala común, puntaje de auditoría, brechas, impacto en clientes y acuerdo.

Entra lo que el motor agregó (``datos.consultas``: sumas por agente y
competencia, celdas agente × canal × motivo con los resultados de sus
clientes); salen DataFrames pequeños listos para dibujar.

- **Escala común.** Cada auditoría trae su escala; todo valor se lleva a 0..1
  con ``(v − mínimo) / (máximo − mínimo)``: 1–5 → (v − 1)/4, 0–100 → v/100,
  cumple/no cumple → 1/0. Las metas del estándar están en esa escala.
- **Puntaje de auditoría** (como las fichas de calidad de los centros de
  contacto): media ponderada por los pesos de las competencias respondidas
  (una N/A sale y su peso se reparte entre las demás); un error crítico o una
  competencia crítica por debajo de ``UMBRAL_CRITICO`` hacen fallar la
  auditoría (puntaje 0).
- **Brechas** = meta − puntaje medio, con intervalo t de Student por agente;
  por equipo, supervisor o rol, media de todas las calificaciones con error
  estándar robusto por conglomerados (los agentes; Cameron y Miller 2015).
- **Impacto**: pendiente del resultado de los clientes (CSAT, NPS, FCR) sobre el
  puntaje de la competencia del agente que los atendió, ajustada por canal y
  motivo; mínimos cuadrados ponderados sobre celdas agente × canal × motivo
  (idénticos a los de las respuestas sueltas) con errores robustos por agente.
  Es una **asociación**, no prueba causa.
- **Acuerdo entre auditores**: alfa de Krippendorff (Krippendorff 2011) con la
  lectura de Landis y Koch (1977).
"""

import math
from collections.abc import Mapping
from dataclasses import dataclass

import numpy as np
import pandas as pd
from scipy import stats

from analisis.formato import numero, porcentaje

__all__ = [
    "Escala", "ESCALAS", "UMBRAL_CRITICO", "Resultado", "RESULTADOS", "NIVELES",
    "a_escala_comun", "reglas_de_escala", "tabla_de_conversion", "PuntajeAuditoria", "puntaje_auditoria",
    "medias_agrupadas", "etiquetas", "brechas", "resumen_auditorias", "lectura_brecha", "perfil",
    "Cobertura", "cobertura", "opciones_de_agentes", "equipo_del_agente", "MapaBrechas", "mapa_brechas",
    "impacto", "prioridades", "alfa_krippendorff", "lectura_landis_koch", "nivel_de_medida", "acuerdo_auditores",
]


@dataclass(frozen=True)
class Escala:
    """Una escala de auditoría: código guardado en ``auditorias.escala``, nombre visible y extremos."""

    codigo: str
    nombre: str
    minimo: float
    maximo: float


#: Escalas de auditoría reconocidas. Un valor ``v`` vale ``(v − minimo) / (maximo − minimo)`` en la escala común.
ESCALAS: tuple[Escala, ...] = (
    Escala("1-5", "1 a 5", 1.0, 5.0),
    Escala("0-100", "0 a 100", 0.0, 100.0),
    Escala("cumple", "Cumple / no cumple", 0.0, 1.0),
)

#: Una competencia crítica con valor común menor que este hace fallar la auditoría.
UMBRAL_CRITICO = 0.5

@dataclass(frozen=True)
class Resultado:
    """Un resultado de los clientes ligado a las competencias: clave de consulta, nombre y unidad de formato."""

    clave: str
    nombre: str
    unidad: str
    descripcion: str


#: Resultados de los clientes que se pueden relacionar con las competencias de su agente.
RESULTADOS: dict[str, Resultado] = {
    "csat": Resultado("csat", "CSAT", "escala", "satisfacción media (1–5) de las encuestas ligadas a sus interacciones"),
    "nps": Resultado("nps", "NPS", "puntos", "NPS (−100 a 100) de las encuestas ligadas a sus interacciones"),
    "fcr": Resultado("fcr", "FCR", "proporcion",
                     "resolución al primer contacto: resuelto y sin recontacto ni reapertura en 7 días"),
    "sin_queja": Resultado("sin_queja", "Sin queja posterior", "proporcion",
                           "proporción de contactos tras los que el cliente no volvió con una queja o reclamo "
                           "en 7 días"),
}

#: Niveles de agregación de las brechas y la columna de agentes que los define.
NIVELES: dict[str, str] = {"agente": "agente_id", "equipo": "equipo", "supervisor": "supervisor",
                           "rol_servicio": "rol_servicio"}

_NAN = float("nan")
_ESTADISTICOS = ("n", "suma", "suma2")


def _escala(codigo: str) -> Escala:
    """La escala de código ``codigo``; ValueError si no se reconoce."""
    for escala in ESCALAS:
        if escala.codigo == codigo:
            return escala
    raise ValueError(f"'escala' debe ser una de {[e.codigo for e in ESCALAS]}, no {codigo!r}")


def a_escala_comun(valor: float | None, escala: str) -> float:
    """Convierte un valor de auditoría a la escala común 0..1 (NaN si es N/A).

    >>> a_escala_comun(4, "1-5"), a_escala_comun(85, "0-100"), a_escala_comun(0, "cumple")
    (0.75, 0.85, 0.0)
    """
    regla = _escala(escala)
    if valor is None or (isinstance(valor, float) and math.isnan(valor)):
        return _NAN
    return (float(valor) - regla.minimo) / (regla.maximo - regla.minimo)


def reglas_de_escala() -> tuple[tuple[str, float, float], ...]:
    """Las escalas como ternas (código, mínimo, máximo), el formato que piden las consultas."""
    return tuple((e.codigo, e.minimo, e.maximo) for e in ESCALAS)


def _texto_regla(escala: Escala) -> str:
    """La fórmula de conversión de una escala, como se muestra al usuario."""
    if (escala.minimo, escala.maximo) == (0.0, 1.0):
        return "cumple = 1, no cumple = 0"
    ancho = numero(escala.maximo - escala.minimo, 0)
    return f"v / {ancho}" if escala.minimo == 0 else f"(v − {numero(escala.minimo, 0)}) / {ancho}"


def tabla_de_conversion(conteos: Mapping[str, int] | None = None) -> pd.DataFrame:
    """Tabla para la interfaz: escala, regla de conversión, ejemplos y auditorías encontradas en cada una.

    ``conteos`` (escala → número de auditorías) añade las escalas no reconocidas, con la
    regla "no reconocida: sus valores no se usan".

    >>> tabla_de_conversion().loc[0, "Regla"]
    '(v − 1) / 4'
    """
    conteos = dict(conteos or {})
    filas = []
    for escala in ESCALAS:
        puntos = np.linspace(escala.minimo, escala.maximo, 5 if escala.maximo > 1 else 2)
        ejemplos = " · ".join(f"{numero(v, 0)} → {porcentaje(a_escala_comun(v, escala.codigo), 0)}" for v in puntos)
        filas.append({"Escala": escala.nombre, "Regla": _texto_regla(escala), "Ejemplos": ejemplos,
                      "Auditorías": conteos.pop(escala.codigo, 0)})
    for codigo, n in conteos.items():
        filas.append({"Escala": str(codigo), "Regla": "no reconocida: sus valores no se usan", "Ejemplos": "",
                      "Auditorías": n})
    return pd.DataFrame(filas)


# ---------------------------------------------------------------------------
# Puntaje de una auditoría
# ---------------------------------------------------------------------------

@dataclass(frozen=True)
class PuntajeAuditoria:
    """Puntaje global de una auditoría (0..1) y cómo se obtuvo.

    ``detalle`` tiene una fila por competencia: ``competencia``, ``valor_comun``, ``peso``,
    ``peso_efectivo`` (peso repartido entre las respondidas; 0 si es N/A) y ``aporte``.
    """

    puntaje: float
    fallida: bool
    motivo: str
    detalle: pd.DataFrame


def puntaje_auditoria(calificaciones: pd.DataFrame, estandar: pd.DataFrame, *, errores_criticos: int = 0,
                      umbral_critico: float = UMBRAL_CRITICO) -> PuntajeAuditoria:
    """Puntaje global de una auditoría según pesos, N/A y errores críticos.

    Parameters
    ----------
    calificaciones : ``competencia`` y ``valor_comun`` (0..1; NaN = N/A) de una auditoría.
    estandar : ``competencia``, ``peso`` y ``critica`` (las que falten pesan 1 y no son críticas).
    errores_criticos : errores críticos registrados en la auditoría (p. ej. dar información falsa).
    umbral_critico : valor común por debajo del cual una competencia crítica hace fallar.

    Returns
    -------
    PuntajeAuditoria: Σ peso·valor / Σ peso de las respondidas, o 0 si falla; NaN si todo es N/A.

    Examples
    --------
    >>> cal = pd.DataFrame({"competencia": ["a", "b", "c"], "valor_comun": [1.0, 0.5, float("nan")]})
    >>> est = pd.DataFrame({"competencia": ["a", "b", "c"], "peso": [1.0, 3.0, 2.0], "critica": [False] * 3})
    >>> puntaje_auditoria(cal, est).puntaje   # (1·1 + 3·0,5) / (1 + 3)
    0.625
    """
    if errores_criticos < 0:
        raise ValueError("'errores_criticos' no puede ser negativo")
    detalle = calificaciones[["competencia", "valor_comun"]].merge(
        estandar[["competencia", "peso", "critica"]], on="competencia", how="left")
    detalle["peso"] = detalle["peso"].fillna(1.0)
    detalle["critica"] = detalle["critica"].fillna(False).astype(bool)
    respondida = detalle["valor_comun"].notna()
    peso_total = detalle.loc[respondida, "peso"].sum()
    detalle["peso_efectivo"] = np.where(respondida, detalle["peso"] / peso_total if peso_total else 0.0, 0.0)
    detalle["aporte"] = detalle["peso_efectivo"] * detalle["valor_comun"].fillna(0.0)
    criticas = detalle.loc[detalle["critica"] & (detalle["valor_comun"] < umbral_critico), "competencia"].tolist()
    if errores_criticos:
        return PuntajeAuditoria(0.0, True, f"{errores_criticos} error(es) crítico(s) registrado(s)", detalle)
    if criticas:
        return PuntajeAuditoria(0.0, True, f"competencia crítica bajo el umbral: {', '.join(criticas)}", detalle)
    if peso_total == 0:
        return PuntajeAuditoria(_NAN, False, "todas las competencias son N/A", detalle)
    return PuntajeAuditoria(float(detalle["aporte"].sum()), False, "", detalle)


# ---------------------------------------------------------------------------
# Brechas por agente, equipo, supervisor y rol
# ---------------------------------------------------------------------------

def medias_agrupadas(datos: pd.DataFrame, claves: list[str], *, por_conglomerados: bool = True,
                     confianza: float = 0.95) -> pd.DataFrame:
    """Media de todas las observaciones de cada grupo, sumando las filas (agentes) que lo forman.

    ``datos`` trae ``claves`` y, por fila (un agente), ``n``, ``suma`` y ``suma2``. Para cada grupo:
    media = Σ suma / Σ n. Con ``por_conglomerados`` y dos o más agentes, intervalo robusto por
    conglomerados (Cameron y Miller 2015): varianza G/(G − 1) · Σ (suma_g − n_g·media)² / (Σ n)²
    con t de G − 1 grados de libertad; si no (o con un solo agente), intervalo t de Student de las
    observaciones, con n − 1 grados de libertad. Todo vectorizado.

    Returns
    -------
    DataFrame con ``claves``, ``puntaje``, ``ic_inf``, ``ic_sup``, ``n`` (observaciones) y
    ``n_agentes``; intervalo NaN con una sola observación.

    Examples
    --------
    >>> d = pd.DataFrame({"g": ["x", "x"], "n": [2, 2], "suma": [1.0, 1.6], "suma2": [0.5, 1.3]})
    >>> fila = medias_agrupadas(d, ["g"]).iloc[0]
    >>> round(float(fila.puntaje), 2), round(float(fila.ic_sup - fila.puntaje), 3)   # t(1) · 0,15
    (0.65, 1.906)
    """
    d = datos[datos["n"] > 0]
    d = d.assign(_s2=d["suma"] ** 2, _sn=d["suma"] * d["n"], _n2=d["n"] ** 2)
    g = d.groupby(claves, sort=False).agg(n=("n", "sum"), suma=("suma", "sum"), suma2=("suma2", "sum"),
                                          s2=("_s2", "sum"), sn=("_sn", "sum"), n2=("_n2", "sum"),
                                          n_agentes=("n", "size")).reset_index()
    n, agentes = g["n"].to_numpy(float), g["n_agentes"].to_numpy(float)
    valor = g["suma"].to_numpy(float) / n
    with np.errstate(divide="ignore", invalid="ignore"):
        varianza_t = np.clip((g["suma2"] - g["suma"] ** 2 / n) / (n - 1), 0, None) / n
        residuos = np.clip(g["s2"] - 2 * valor * g["sn"] + valor**2 * g["n2"], 0, None)
        varianza_c = agentes / (agentes - 1) * residuos / n**2
    robusto = por_conglomerados & (agentes >= 2)
    libertad = np.where(robusto, agentes - 1, n - 1)
    error = np.sqrt(np.where(robusto, varianza_c, varianza_t))
    mitad = np.where(libertad >= 1, stats.t.ppf(0.5 + confianza / 2, np.maximum(libertad, 1)), np.nan) * error
    salida = g[claves].copy()
    salida["puntaje"], salida["ic_inf"], salida["ic_sup"] = valor, valor - mitad, valor + mitad
    salida["n"], salida["n_agentes"] = g["n"].astype(int), g["n_agentes"].astype(int)
    return salida


def _validar_nivel(por: str) -> str:
    """La columna de agentes del nivel ``por``; ValueError si no existe."""
    if por not in NIVELES:
        raise ValueError(f"'por' debe ser uno de {list(NIVELES)}, no {por!r}")
    return NIVELES[por]


def _faltan(tabla: pd.DataFrame, nombre: str, columnas: tuple[str, ...]) -> None:
    """ValueError que nombra el parámetro si ``tabla`` no tiene todas las ``columnas``."""
    faltan = sorted(set(columnas) - set(tabla.columns))
    if faltan:
        raise ValueError(f"'{nombre}' no tiene las columnas {faltan}")


def etiquetas(puntajes: pd.DataFrame, por: str) -> pd.DataFrame:
    """Grupo y etiqueta visible de cada fila de agente en el nivel ``por`` (agentes: «Nombre (ID)»).

    Devuelve ``agente_id``, ``grupo`` (el ID o el valor del nivel; «(sin dato)» si falta) y ``etiqueta``.
    """
    _validar_nivel(por)
    columna = NIVELES[por]
    salida = pd.DataFrame({"agente_id": puntajes["agente_id"]})
    if por == "agente":
        nombre = puntajes["nombre"] if "nombre" in puntajes else None
        salida["grupo"] = puntajes["agente_id"]
        salida["etiqueta"] = puntajes["agente_id"] if nombre is None else \
            nombre.fillna("").str.cat(" (" + puntajes["agente_id"] + ")").str.strip()
    else:
        salida["grupo"] = puntajes[columna].fillna("(sin dato)")
        salida["etiqueta"] = salida["grupo"]
    return salida


def _recortar(tabla: pd.DataFrame) -> pd.DataFrame:
    """Recorta los intervalos a 0..1, el rango de la escala común."""
    return tabla.assign(ic_inf=tabla["ic_inf"].clip(lower=0.0), ic_sup=tabla["ic_sup"].clip(upper=1.0))


def brechas(puntajes: pd.DataFrame, estandar: pd.DataFrame, *, por: str = "agente", minimo: int = 5,
            confianza: float = 0.95) -> pd.DataFrame:
    """Puntaje y brecha frente a la meta por grupo y competencia, con n e intervalo.

    Parameters
    ----------
    puntajes : una fila por agente y competencia con ``agente_id``, ``competencia``, ``n``,
        ``suma``, ``suma2`` (valores en escala común) y la columna del nivel (``equipo``,
        ``supervisor``, ``rol_servicio``; ``nombre`` opcional). Ver ``consultas.puntajes_competencias``.
    estandar : ``competencia``, ``nombre`` y ``meta`` (0..1); fija también el orden.
    por : 'agente', 'equipo', 'supervisor' o 'rol_servicio'.
    minimo : calificaciones necesarias para mostrar la cifra (``suficiente``).
    confianza : nivel de los intervalos.

    Returns
    -------
    DataFrame con ``grupo``, ``etiqueta``, ``competencia``, ``nombre_competencia``, ``n``,
    ``n_agentes``, ``puntaje``, ``ic_inf``, ``ic_sup``, ``meta``, ``brecha`` (meta − puntaje:
    positiva si no llega), ``brecha_inf``, ``brecha_sup`` y ``suficiente``.
    Por agente, intervalo t de Student; por grupo, media de todas sus calificaciones con
    intervalo robusto por agentes (``medias_agrupadas``); ambos recortados a 0..1.

    Examples
    --------
    >>> p = pd.DataFrame({"agente_id": ["A"], "competencia": ["escucha"], "n": [4], "suma": [2.0],
    ...                   "suma2": [1.125]})
    >>> e = pd.DataFrame({"competencia": ["escucha"], "nombre": ["Escucha con atención"], "meta": [0.8]})
    >>> fila = brechas(p, e, minimo=2).iloc[0]
    >>> float(fila.puntaje), round(float(fila.brecha), 2)
    (0.5, 0.3)
    """
    columna = _validar_nivel(por)
    _faltan(puntajes, "puntajes", ("agente_id", "competencia") + _ESTADISTICOS + ((columna,) if por != "agente" else ()))
    _faltan(estandar, "estandar", ("competencia", "nombre", "meta"))
    if minimo < 1:
        raise ValueError("'minimo' debe ser al menos 1")
    columnas = ["grupo", "etiqueta", "competencia", "nombre_competencia", "n", "n_agentes", "puntaje", "ic_inf",
                "ic_sup", "meta", "brecha", "brecha_inf", "brecha_sup", "suficiente"]
    if puntajes.empty:
        return pd.DataFrame(columns=columnas)
    datos = pd.concat([etiquetas(puntajes, por).drop(columns="agente_id"),
                       puntajes[["competencia", *_ESTADISTICOS]]], axis=1)
    resultado = _recortar(medias_agrupadas(datos, ["grupo", "etiqueta", "competencia"],
                                           por_conglomerados=por != "agente", confianza=confianza))
    resultado = resultado.merge(estandar[["competencia", "nombre", "meta"]].rename(
        columns={"nombre": "nombre_competencia"}), on="competencia", how="inner")
    resultado["brecha"] = resultado["meta"] - resultado["puntaje"]
    resultado["brecha_inf"] = resultado["meta"] - resultado["ic_sup"]
    resultado["brecha_sup"] = resultado["meta"] - resultado["ic_inf"]
    resultado["suficiente"] = resultado["n"] >= minimo
    orden = {c: i for i, c in enumerate(estandar["competencia"])}
    resultado = resultado.assign(_orden=resultado["competencia"].map(orden)).sort_values(["etiqueta", "_orden"])
    return resultado[columnas].astype({"n": int, "n_agentes": int}).reset_index(drop=True)


def resumen_auditorias(auditorias: pd.DataFrame, *, por: str = "agente", minimo: int = 5,
                       confianza: float = 0.95) -> pd.DataFrame:
    """Puntaje global de auditoría (0..1) y proporción de auditorías fallidas por grupo.

    ``auditorias`` tiene una fila por agente con ``agente_id``, ``n``, ``suma``, ``suma2`` del
    puntaje de cada auditoría y ``fallidas`` (ver ``consultas.puntajes_auditorias``), más la
    columna del nivel. Devuelve ``grupo``, ``etiqueta``, ``n`` (auditorías), ``n_agentes``,
    ``puntaje``, ``ic_inf``, ``ic_sup``, ``fallidas``, ``tasa_fallidas`` y ``suficiente``.
    """
    columna = _validar_nivel(por)
    _faltan(auditorias, "auditorias", ("agente_id", "fallidas") + _ESTADISTICOS + ((columna,) if por != "agente" else ()))
    columnas = ["grupo", "etiqueta", "n", "n_agentes", "puntaje", "ic_inf", "ic_sup", "fallidas", "tasa_fallidas",
                "suficiente"]
    if auditorias.empty:
        return pd.DataFrame(columns=columnas)
    datos = pd.concat([etiquetas(auditorias, por).drop(columns="agente_id"),
                       auditorias[["fallidas", *_ESTADISTICOS]]], axis=1)
    resultado = _recortar(medias_agrupadas(datos, ["grupo", "etiqueta"], por_conglomerados=por != "agente",
                                           confianza=confianza))
    fallidas = datos.groupby(["grupo", "etiqueta"], sort=False)["fallidas"].sum().reset_index()
    resultado = resultado.merge(fallidas, on=["grupo", "etiqueta"])
    resultado["tasa_fallidas"] = resultado["fallidas"] / resultado["n"]
    resultado["suficiente"] = resultado["n"] >= minimo
    return resultado[columnas].astype({"n": int, "n_agentes": int, "fallidas": int}) \
        .sort_values("etiqueta").reset_index(drop=True)


def lectura_brecha(brecha: float, brecha_inf: float, suficiente: bool) -> str:
    """Lectura de una brecha: clara, dentro del margen de error, cumple o muestra insuficiente.

    >>> lectura_brecha(0.2, 0.05, True), lectura_brecha(0.02, -0.03, True), lectura_brecha(-0.1, -0.2, True)
    ('Brecha clara', 'Bajo la meta, dentro del margen', 'Cumple la meta')
    """
    if not suficiente:
        return "Muestra insuficiente"
    if brecha_inf > 0:
        return "Brecha clara"
    return "Bajo la meta, dentro del margen" if brecha > 0 else "Cumple la meta"


def perfil(brechas_agente: pd.DataFrame, brechas_equipo: pd.DataFrame, agente_id: str,
           equipo: str | None) -> pd.DataFrame:
    """Perfil de un agente frente a su equipo y la meta: una fila por competencia (en su orden).

    Columnas: la etiqueta del agente, el nombre del equipo (si se conoce) y ``Meta``, con los
    puntajes en escala común; el índice son los nombres de competencia. Solo cuentan las
    cifras con muestra suficiente (las demás quedan NaN).
    """
    suyas = brechas_agente[brechas_agente["grupo"] == agente_id]
    if suyas.empty:
        raise ValueError(f"'agente_id' {agente_id!r} no está en 'brechas_agente'")
    tabla = pd.DataFrame({suyas["etiqueta"].iloc[0]: suyas["puntaje"].where(suyas["suficiente"]).to_numpy()},
                         index=suyas["nombre_competencia"].to_numpy())
    if equipo is not None:
        delequipo = brechas_equipo[brechas_equipo["grupo"] == equipo].set_index("nombre_competencia")
        tabla[equipo] = delequipo["puntaje"].where(delequipo["suficiente"]).reindex(tabla.index)
    tabla["Meta"] = suyas.set_index("nombre_competencia")["meta"].reindex(tabla.index)
    return tabla


@dataclass(frozen=True)
class Cobertura:
    """Cuántas auditorías y agentes hay, y cuántos agentes llegan al mínimo para mostrar sus cifras."""

    auditorias: int
    agentes: int
    suficientes: int

    @property
    def escasa(self) -> bool:
        """True si menos de la mitad de los agentes llega al mínimo."""
        return self.suficientes < self.agentes / 2


def cobertura(resumen_agentes: pd.DataFrame) -> Cobertura:
    """Cobertura de ``resumen_auditorias(..., por="agente")``.

    >>> cobertura(pd.DataFrame({"n": [3, 8, 12], "suficiente": [False, True, True]}))
    Cobertura(auditorias=23, agentes=3, suficientes=2)
    """
    return Cobertura(int(resumen_agentes["n"].sum()), len(resumen_agentes), int(resumen_agentes["suficiente"].sum()))


def opciones_de_agentes(resumen_agentes: pd.DataFrame, minimo: int) -> dict[str, str]:
    """Agente → texto para elegirlo, avisando de los que tienen menos de ``minimo`` auditorías.

    ``resumen_agentes`` es ``resumen_auditorias(..., por="agente")``; el orden es el suyo (por nombre).
    """
    return {fila.grupo: fila.etiqueta + ("" if fila.n >= minimo else f" · menos de {minimo} auditorías")
            for fila in resumen_agentes.itertuples()}


def equipo_del_agente(puntajes: pd.DataFrame, agente_id: str) -> str | None:
    """El equipo de ``agente_id`` según ``puntajes`` (None si no se conoce)."""
    equipos = puntajes.loc[puntajes["agente_id"] == agente_id, "equipo"].dropna()
    return None if equipos.empty else str(equipos.iloc[0])


@dataclass(frozen=True)
class MapaBrechas:
    """Matrices grupo × competencia para el mapa de calor, ya ordenadas.

    ``brecha`` (NaN donde la muestra es insuficiente), ``puntaje`` y ``n`` comparten índice
    (etiquetas de grupo) y columnas (nombres de competencia).
    """

    brecha: pd.DataFrame
    puntaje: pd.DataFrame
    n: pd.DataFrame


def mapa_brechas(tabla: pd.DataFrame) -> MapaBrechas:
    """Ordena la tabla de ``brechas`` como matriz para que el peor bloque quede arriba a la izquierda.

    Columnas: competencias de mayor a menor brecha media entre grupos. Filas: grupos de mayor
    a menor brecha media, ponderando cada competencia por su brecha media positiva (así los
    grupos que fallan en las competencias más débiles de todos suben juntos). Las celdas con
    muestra insuficiente no cuentan para el orden y quedan vacías; los grupos sin ninguna cifra, al final.
    """
    _faltan(tabla, "tabla", ("etiqueta", "nombre_competencia", "brecha", "puntaje", "n", "suficiente"))
    brecha = tabla.assign(brecha=tabla["brecha"].where(tabla["suficiente"])).pivot_table(
        index="etiqueta", columns="nombre_competencia", values="brecha", aggfunc="first", dropna=False)
    columnas = brecha.mean().sort_values(ascending=False, na_position="last").index
    peso = brecha.mean().clip(lower=0).reindex(columnas).fillna(0) + 1e-9
    puntuacion = ((brecha[columnas].fillna(0) * peso).sum(axis=1) / peso.sum()).where(brecha.notna().any(axis=1))
    filas = puntuacion.sort_values(ascending=False, kind="stable", na_position="last").index
    def matriz(valores: str) -> pd.DataFrame:
        return tabla.pivot_table(index="etiqueta", columns="nombre_competencia", values=valores,
                                 aggfunc="first", dropna=False).reindex(index=filas, columns=columnas)
    return MapaBrechas(brecha.reindex(index=filas, columns=columnas), matriz("puntaje"), matriz("n"))


# ---------------------------------------------------------------------------
# Impacto de cada competencia en los resultados de los clientes
# ---------------------------------------------------------------------------

def _pendiente_robusta(x: np.ndarray, n: np.ndarray, suma: np.ndarray, grupo: np.ndarray,
                       confianza: float) -> tuple[float, float, float, float]:
    """Pendiente de la columna 1 de ``x`` por MCP sobre celdas, con error robusto por conglomerados.

    Las celdas agrupan respuestas con los mismos regresores, así que Σ celdas n·x·x' y
    Σ celdas x·suma dan los mismos coeficientes que las respuestas sueltas; la puntuación
    de cada conglomerado es Σ x·(suma − n·x'β). Corrección G/(G−1)·(N−1)/(N−k) y t con
    G − 1 grados de libertad (Cameron y Miller 2015). Devuelve (pendiente, inf, sup, p).
    """
    xtx = x.T @ (x * n[:, None])
    inversa = np.linalg.pinv(xtx)
    beta = inversa @ (x.T @ suma)
    residuo = suma - n * (x @ beta)
    codigos, indice = np.unique(grupo, return_inverse=True)
    puntuaciones = np.zeros((codigos.size, x.shape[1]))
    np.add.at(puntuaciones, indice, x * residuo[:, None])
    g, total, k = codigos.size, n.sum(), np.linalg.matrix_rank(xtx)
    correccion = g / (g - 1) * (total - 1) / max(total - k, 1)
    varianza = correccion * (inversa @ (puntuaciones.T @ puntuaciones) @ inversa)[1, 1]
    error = math.sqrt(max(varianza, 0.0))
    cuantil = float(stats.t.ppf(0.5 + confianza / 2, g - 1))
    p = float(2 * stats.t.sf(abs(beta[1]) / error, g - 1)) if error > 0 else _NAN
    return float(beta[1]), float(beta[1] - cuantil * error), float(beta[1] + cuantil * error), p


def impacto(celdas: pd.DataFrame, brechas_agente: pd.DataFrame, *, confianza: float = 0.95,
            minimo_agentes: int = 5) -> pd.DataFrame:
    """Asociación de cada competencia con un resultado de los clientes, ajustada por canal y motivo.

    Para cada competencia se ajusta resultado ~ puntaje del agente (0..1) + canal + motivo por
    mínimos cuadrados sobre las respuestas de los clientes, con errores robustos por agente.
    La pendiente dice cuánto cambia el resultado medio de los clientes entre un agente con
    puntaje 0 y otro con puntaje 1 (por cada 0,1: la décima parte). Asociación, no causa.

    Parameters
    ----------
    celdas : ``agente_id``, ``canal``, ``motivo``, ``n`` y ``suma`` del resultado
        (``consultas.resultados_por_agente``).
    brechas_agente : salida de ``brechas(..., por="agente")``; solo cuentan los agentes con
        muestra suficiente (``suficiente``), con su ``puntaje`` medio en la competencia.
    minimo_agentes : agentes con resultados y puntaje necesarios para estimar (al menos 3).

    Returns
    -------
    DataFrame por competencia: ``competencia``, ``nombre_competencia``, ``impacto``, ``ic_inf``,
    ``ic_sup``, ``p``, ``n_agentes`` y ``n_respuestas``; NaN donde no hay agentes suficientes
    o el puntaje no varía entre ellos.
    """
    _faltan(celdas, "celdas", ("agente_id", "canal", "motivo", "n", "suma"))
    _faltan(brechas_agente, "brechas_agente", ("grupo", "competencia", "nombre_competencia", "puntaje", "suficiente"))
    if minimo_agentes < 3:
        raise ValueError("'minimo_agentes' debe ser al menos 3")
    puntajes_agente = brechas_agente[brechas_agente["suficiente"]].dropna(subset=["puntaje"])
    celdas = celdas[celdas["n"] > 0].reset_index(drop=True)
    controles = pd.get_dummies(celdas[["canal", "motivo"]].astype(str), drop_first=True, dtype=float).to_numpy()
    codigos, agentes = pd.factorize(celdas["agente_id"])
    n, suma = celdas["n"].to_numpy(float), celdas["suma"].to_numpy(float)
    filas = []
    for (competencia, nombre), puntajes in puntajes_agente.groupby(["competencia", "nombre_competencia"], sort=False):
        puntaje = puntajes.set_index("grupo")["puntaje"].reindex(agentes).to_numpy(float)[codigos]
        presentes = ~np.isnan(puntaje)
        con_puntaje = np.unique(codigos[presentes]).size
        estimado = (_NAN, _NAN, _NAN, _NAN)
        if con_puntaje >= minimo_agentes and np.ptp(puntaje[presentes]) > 1e-9:
            x = np.column_stack([np.ones(presentes.sum()), puntaje[presentes], controles[presentes]])
            estimado = _pendiente_robusta(x, n[presentes], suma[presentes], codigos[presentes], confianza)
        filas.append({"competencia": competencia, "nombre_competencia": nombre, "impacto": estimado[0],
                      "ic_inf": estimado[1], "ic_sup": estimado[2], "p": estimado[3], "n_agentes": int(con_puntaje),
                      "n_respuestas": int(n[presentes].sum())})
    return pd.DataFrame(filas, columns=["competencia", "nombre_competencia", "impacto", "ic_inf", "ic_sup", "p",
                                        "n_agentes", "n_respuestas"])


def prioridades(tabla_brechas: pd.DataFrame, impactos: pd.DataFrame) -> pd.DataFrame:
    """Brechas ordenadas por prioridad = brecha × impacto (lo que se podría ganar en el resultado).

    Solo cuentan las brechas con muestra suficiente; brechas negativas (sobre la meta) e
    impactos negativos o desconocidos cuentan como 0. ``prioridad`` está en unidades del
    resultado (p. ej. puntos de CSAT) y supone, sin probarlo, que la asociación fuera causal.
    ``clara`` marca las brechas cuyo intervalo queda entero sobre 0 con impacto también
    positivo en todo su intervalo. Empates: mayor brecha primero.
    """
    _faltan(tabla_brechas, "tabla_brechas", ("grupo", "competencia", "brecha", "brecha_inf", "suficiente"))
    _faltan(impactos, "impactos", ("competencia", "impacto", "ic_inf", "ic_sup"))
    datos = tabla_brechas[tabla_brechas["suficiente"]].merge(
        impactos[["competencia", "impacto", "ic_inf", "ic_sup"]].rename(
            columns={"ic_inf": "impacto_inf", "ic_sup": "impacto_sup"}), on="competencia", how="left")
    datos["prioridad"] = datos["brecha"].clip(lower=0) * datos["impacto"].fillna(0).clip(lower=0)
    datos["clara"] = (datos["brecha_inf"] > 0) & (datos["impacto_inf"].fillna(-1) > 0)
    return datos.sort_values(["prioridad", "brecha"], ascending=False, kind="stable").reset_index(drop=True)


# ---------------------------------------------------------------------------
# Acuerdo entre auditores
# ---------------------------------------------------------------------------

_NIVELES_MEDIDA = ("nominal", "ordinal", "intervalo")


def _conteos(calificaciones: pd.DataFrame) -> tuple[np.ndarray, np.ndarray]:
    """Valores distintos y cuántas veces recibió cada valor cada unidad con al menos dos valores."""
    datos = calificaciones.dropna(subset=["valor"])
    valores, codigo = np.unique(datos["valor"].to_numpy(float), return_inverse=True)
    _, unidad = np.unique(datos["unidad"].astype(str).to_numpy(), return_inverse=True)
    cuenta = np.zeros((unidad.max(initial=-1) + 1, valores.size))
    np.add.at(cuenta, (unidad, codigo), 1)
    return valores, cuenta[cuenta.sum(axis=1) >= 2]


def _distancias(valores: np.ndarray, marginales: np.ndarray, nivel: str) -> np.ndarray:
    """Distancia al cuadrado δ²(c, k) entre valores según el nivel de medida (Krippendorff 2011)."""
    indices = np.arange(valores.size)
    if nivel == "nominal":
        return 1.0 - np.eye(valores.size)
    if nivel == "intervalo":
        return (valores[:, None] - valores[None, :]) ** 2
    acumulada = np.concatenate([[0.0], np.cumsum(marginales)])
    bajo, alto = np.minimum.outer(indices, indices), np.maximum.outer(indices, indices)
    entre = acumulada[alto + 1] - acumulada[bajo]
    return (entre - (marginales[:, None] + marginales[None, :]) / 2) ** 2


def _alfa_de_conteos(valores: np.ndarray, cuenta: np.ndarray, nivel: str) -> float:
    """Alfa desde los conteos por unidad: coincidencias o_ck = Σ_u (pares c-k en u) / (m_u − 1)."""
    if cuenta.shape[0] == 0:
        return _NAN
    ponderada = cuenta / (cuenta.sum(axis=1) - 1)[:, None]
    coincidencias = ponderada.T @ cuenta - np.diag(ponderada.sum(axis=0))
    marginales = coincidencias.sum(axis=1)
    distancia = _distancias(valores, marginales, nivel)
    esperado = (np.outer(marginales, marginales) * distancia).sum()
    if esperado == 0:
        return _NAN
    return float(1 - (marginales.sum() - 1) * (coincidencias * distancia).sum() / esperado)


def alfa_krippendorff(calificaciones: pd.DataFrame, nivel: str = "ordinal") -> float:
    """Alfa de Krippendorff del acuerdo entre auditores (Krippendorff 2011, matriz de coincidencias).

    Parameters
    ----------
    calificaciones : DataFrame largo con ``unidad`` (lo calificado, p. ej. la interacción),
        ``auditor`` y ``valor``. Se permiten pares faltantes (un auditor que no calificó una
        unidad, o valor NaN); cada auditor califica cada unidad a lo sumo una vez.
    nivel : 'nominal', 'ordinal' o 'intervalo' (métrica de la diferencia entre valores).

    Returns
    -------
    float
        α = 1 − (n − 1)·Σ o_ck δ²_ck / Σ n_c n_k δ²_ck: 1 acuerdo perfecto, 0 el del azar,
        negativo peor que el azar. NaN si no hay unidades con dos valores o si todos los
        valores son iguales (no hay variación que acordar).

    Examples
    --------
    >>> cal = pd.DataFrame({"unidad": [1, 1, 2, 2, 3, 3], "auditor": ["a", "b"] * 3,
    ...                     "valor": [1, 1, 2, 2, 3, 2]})
    >>> round(alfa_krippendorff(cal, "nominal"), 4)   # 1 − (6 − 1)·2 / 22 = 6/11
    0.5455
    """
    if nivel not in _NIVELES_MEDIDA:
        raise ValueError("'nivel' debe ser 'nominal', 'ordinal' o 'intervalo'")
    _faltan(calificaciones, "calificaciones", ("unidad", "auditor", "valor"))
    presentes = calificaciones.dropna(subset=["valor"])
    if presentes.duplicated(["unidad", "auditor"]).any():
        raise ValueError("'calificaciones': cada auditor debe calificar cada unidad una sola vez")
    valores, cuenta = _conteos(presentes)
    return _alfa_de_conteos(valores, cuenta, nivel)


def lectura_landis_koch(valor: float) -> str:
    """Lectura en español de un coeficiente de acuerdo según Landis y Koch (1977).

    >>> lectura_landis_koch(0.743), lectura_landis_koch(-0.1)
    ('Considerable', 'Pobre (peor que el azar)')
    """
    if valor is None or math.isnan(valor):
        return "Sin datos"
    if valor < 0:
        return "Pobre (peor que el azar)"
    for tope, texto in ((0.20, "Leve"), (0.40, "Aceptable"), (0.60, "Moderado"), (0.80, "Considerable")):
        if valor <= tope:
            return texto
    return "Casi perfecto"


def nivel_de_medida(escalas: set[str] | list[str]) -> str:
    """Nivel de medida para el alfa según las escalas presentes.

    Todas 1–5: 'ordinal' (sobre el valor original); todas cumple/no cumple: 'nominal'; en
    otro caso (0–100 o escalas mezcladas) 'intervalo' sobre la escala común.

    >>> nivel_de_medida({"1-5"}), nivel_de_medida({"1-5", "0-100"})
    ('ordinal', 'intervalo')
    """
    distintas = set(escalas)
    if distintas == {"1-5"}:
        return "ordinal"
    if distintas == {"cumple"}:
        return "nominal"
    return "intervalo"


def acuerdo_auditores(dobles: pd.DataFrame, *, remuestras: int = 200, semilla: int = 0,
                      confianza: float = 0.95) -> pd.DataFrame:
    """Alfa de Krippendorff por competencia en las interacciones auditadas dos o más veces.

    Parameters
    ----------
    dobles : ``unidad``, ``auditor``, ``auditoria_id``, ``competencia``, ``escala``, ``valor`` y
        ``valor_comun`` (``consultas.auditorias_dobles``). Si un auditor auditó dos veces la misma
        unidad, cuenta su primera auditoría.
    remuestras : remuestreos bootstrap de unidades para el intervalo percentil (0: sin intervalo).
    semilla : semilla del remuestreo.

    Returns
    -------
    DataFrame por competencia: ``competencia``, ``nivel``, ``alfa``, ``ic_inf``, ``ic_sup``,
    ``unidades`` (con al menos dos valores) y ``lectura`` (Landis y Koch).
    """
    _faltan(dobles, "dobles", ("unidad", "auditor", "auditoria_id", "competencia", "escala", "valor", "valor_comun"))
    if remuestras < 0:
        raise ValueError("'remuestras' no puede ser negativo")
    columnas = ["competencia", "nivel", "alfa", "ic_inf", "ic_sup", "unidades", "lectura"]
    if dobles.empty:
        return pd.DataFrame(columns=columnas)
    primeras = dobles.drop_duplicates(["unidad", "auditor", "competencia"])
    nivel = nivel_de_medida(set(primeras["escala"]))
    columna = "valor_comun" if nivel == "intervalo" else "valor"
    rng = np.random.default_rng(semilla)
    filas = []
    for competencia, grupo in primeras.groupby("competencia", sort=True):
        datos = grupo[["unidad", "auditor", columna]].rename(columns={columna: "valor"}).dropna(subset=["valor"])
        alfa = alfa_krippendorff(datos, nivel)
        inf, sup = _intervalo_bootstrap(datos, nivel, rng, remuestras, confianza)
        filas.append({"competencia": competencia, "nivel": nivel, "alfa": alfa, "ic_inf": inf, "ic_sup": sup,
                      "unidades": int(_conteos(datos)[1].shape[0]), "lectura": lectura_landis_koch(alfa)})
    return pd.DataFrame(filas, columns=columnas)


def _intervalo_bootstrap(datos: pd.DataFrame, nivel: str, rng: np.random.Generator, remuestras: int,
                         confianza: float) -> tuple[float, float]:
    """Intervalo percentil del alfa remuestreando unidades con reemplazo (NaN con menos de 2 unidades)."""
    valores, cuenta = _conteos(datos)
    if remuestras == 0 or cuenta.shape[0] < 2:
        return _NAN, _NAN
    elegidas = rng.integers(0, cuenta.shape[0], size=(remuestras, cuenta.shape[0]))
    alfas = np.array([_alfa_de_conteos(valores, cuenta[fila], nivel) for fila in elegidas])
    alfas = alfas[~np.isnan(alfas)]
    if alfas.size == 0:
        return _NAN, _NAN
    cola = (1 - confianza) / 2 * 100
    return float(np.percentile(alfas, cola)), float(np.percentile(alfas, 100 - cola))
