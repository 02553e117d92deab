"""Puntajes y brechas por agente, equipo, supervisor o rol, con su intervalo.

Brecha = meta − puntaje medio, con intervalo t de Student por agente; por equipo, supervisor
o rol, media de todas las calificaciones con error estándar robusto por conglomerados (los
agentes; Cameron y Miller 2015). También la cobertura de las auditorías y el perfil de un
agente frente a su equipo.
"""

from dataclasses import dataclass

import numpy as np
import pandas as pd
from scipy import stats

from analisis.competencias._comun import _faltan
from analisis.escalas import CONFIANZA

__all__ = ["NIVELES", "TITULOS_NIVEL", "medias_agrupadas", "etiquetas", "brechas", "resumen_auditorias", "lectura_brecha", "perfil",
           "Cobertura", "cobertura", "opciones_de_agentes", "equipo_del_agente"]


#: Niveles de agregación de las brechas y la columna de agentes que los define.
NIVELES: dict[str, str] = {"agente": "agente_id", "equipo": "equipo", "supervisor": "supervisor",
                           "rol_servicio": "rol_servicio"}

#: Nombre de cada nivel para el usuario (título de columna de las tablas).
TITULOS_NIVEL: dict[str, str] = {"agente": "Agente", "equipo": "Equipo", "supervisor": "Supervisor",
                                 "rol_servicio": "Rol de servicio"}

_ESTADISTICOS = ("n", "suma", "suma2")


def medias_agrupadas(datos: pd.DataFrame, claves: list[str], *, por_conglomerados: bool = True,
                     confianza: float = CONFIANZA) -> pd.DataFrame:
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
            confianza: float = CONFIANZA) -> pd.DataFrame:
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
                       confianza: float = CONFIANZA) -> pd.DataFrame:
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
