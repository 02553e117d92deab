"""Series de indicadores listas para dibujar: puntos con intervalo, ventanas móviles, distribución de
calificaciones y los rangos de fechas de la serie y de cada punto.

Los meses abreviados de ``etiqueta_periodo`` se escriben aquí y no con Babel porque el CLDR
abrevia septiembre «sept» y la interfaz muestra «sep» desde siempre.
"""

import math
from dataclasses import replace
from datetime import date, timedelta

import pandas as pd

from analisis.escalas import DETRACTOR_HASTA, ESCALA_CES, ESCALA_CSAT, ESCALA_NPS, PASIVO_DESDE, PROMOTOR_DESDE, \
    texto_escala
from analisis.tendencias.indicadores import PERCENTILES, estimar_indicador

__all__ = ["serie_indicador", "movil", "distribucion_divergente", "notas_de_categoria", "grupos_principales",
           "ultimos_periodos", "HORIZONTES", "filtros_de_horizonte", "filtros_de_punto", "etiqueta_periodo"]

#: Periodicidades de las series y cómo se dicen tras una cantidad («por mes»).
_POR_PERIODO = {"dia": "por día", "semana": "por semana", "mes": "por mes", "trimestre": "por trimestre"}


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


def _nota_por_nota(escala: tuple[int, int]) -> list[tuple[str, str, tuple[int, ...]]]:
    """Categorías de una escala nota por nota: bajo el centro negativas, el centro neutro, sobre él positivas."""
    centro = (escala[0] + escala[1]) / 2
    return [(str(v), "negativo" if v < centro else "neutro" if v == centro else "positivo", (v,))
            for v in range(escala[0], escala[1] + 1)]


def _grupo_de_notas(nombre: str, lado: str, desde: int, hasta: int) -> tuple[str, str, tuple[int, ...]]:
    """Una categoría que agrupa las notas de ``desde`` a ``hasta``, con la escala en la etiqueta."""
    return f"{nombre} ({texto_escala((desde, hasta))})", lado, tuple(range(desde, hasta + 1))


#: Categorías de cada escala para las barras divergentes: (etiqueta, lado, notas que agrupa).
_CATEGORIAS = {
    "csat": _nota_por_nota(ESCALA_CSAT),
    "ces": _nota_por_nota(ESCALA_CES),
    "nps": [_grupo_de_notas("Detractores", "negativo", ESCALA_NPS[0], DETRACTOR_HASTA),
            _grupo_de_notas("Pasivos", "neutro", PASIVO_DESDE, PROMOTOR_DESDE - 1),
            _grupo_de_notas("Promotores", "positivo", PROMOTOR_DESDE, ESCALA_NPS[1])],
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


def grupos_principales(serie: pd.DataFrame, maximo: int = 12) -> list[str]:
    """Los ``maximo`` grupos con más respuestas en la serie, de mayor a menor volumen."""
    if maximo < 1:
        raise ValueError("'maximo' debe ser al menos 1")
    volumen = serie.groupby("grupo", sort=True)["n"].sum().sort_values(ascending=False, kind="stable")
    return [str(g) for g in volumen.index[:maximo]]


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


def ultimos_periodos(tabla: pd.DataFrame, cantidad: int) -> pd.DataFrame:
    """Las filas de los ``cantidad`` periodos más recientes de ``tabla`` (columna ``periodo``)."""
    if cantidad < 1:
        raise ValueError("'cantidad' debe ser al menos 1")
    recientes = sorted(tabla["periodo"].unique())[-cantidad:]
    return tabla[tabla["periodo"].isin(recientes)]
