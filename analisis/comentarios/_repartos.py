"""Cuánto se habla de cada tema y con qué sentimiento, en total, por grupo y en el tiempo.

Las proporciones llevan intervalo de Wilson (``analisis.kpis.proporcion``); los grupos con menos
comentarios que el umbral de privacidad pierden sus cifras (``analisis.privacidad``).
"""

import math
from collections.abc import Sequence

import pandas as pd

from analisis.comentarios._asignacion import nombre_tema
from analisis.comentarios._temas import SIN_TEMA, Temas
from analisis.comentarios._tono import TONOS
from analisis.formato import numero, porcentaje
from analisis.kpis import Estimacion, proporcion
from analisis.privacidad import ocultar_pequenos


def resumen_temas(asignados: pd.DataFrame, resultado: Temas) -> pd.DataFrame:
    """Una fila por tema con comentarios: ``tema``, ``nombre``, ``palabras`` (texto), ``n``,
    ``proporcion`` de los comentarios con su intervalo de Wilson (``ic_inf``, ``ic_sup``),
    ``negativos`` (proporción con nota baja entre los calificados del tema) y ``csat`` medio.

    Ordenado de más a menos comentarios; «Sin tema reconocible» al final.
    """
    temas = asignados["tema"]
    n = temas.value_counts().sort_index()
    calificados = asignados["tono"].notna().groupby(temas).sum().reindex(n.index)
    negativos = asignados["tono"].eq("negativo").groupby(temas).sum().reindex(n.index)
    csat = (asignados["csat"].groupby(temas).mean().reindex(n.index) if "csat" in asignados
            else pd.Series(math.nan, index=n.index))
    estimaciones = [proporcion(int(cuantos), len(asignados)) for cuantos in n]
    tabla = pd.DataFrame({
        "tema": n.index.astype(int), "nombre": [nombre_tema(resultado, t) for t in n.index],
        "palabras": [", ".join(resultado.palabras.get(t, ())) for t in n.index], "n": n.to_numpy(),
        "proporcion": [e.valor for e in estimaciones], "ic_inf": [e.ic_inf for e in estimaciones],
        "ic_sup": [e.ic_sup for e in estimaciones],
        "negativos": (negativos / calificados.where(calificados > 0)).to_numpy(dtype=float),
        "csat": csat.to_numpy(dtype=float),
    })
    orden = tabla.assign(_sin_tema=tabla["tema"] == SIN_TEMA).sort_values(["_sin_tema", "n", "tema"],
                                                                          ascending=[True, False, True])
    return orden.drop(columns="_sin_tema").reset_index(drop=True)


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
    tabla = asignados.loc[asignados[columna].notna(), [columna, "tema"]]
    conteos = tabla.groupby([columna, "tema"]).size().rename("n").reset_index()
    tamanos = tabla.groupby(columna).size().rename("n_grupo")
    conteos = conteos.join(tamanos, on=columna).rename(columns={columna: "grupo"})
    if orden is not None:
        posicion = {grupo: i for i, grupo in enumerate(orden)}
        conteos = conteos.sort_values(["grupo", "tema"], key=lambda c: c.map(posicion).fillna(len(posicion))
                                      if c.name == "grupo" else c, kind="stable")
    intervalos = [proporcion(int(n), int(total)) for n, total in zip(conteos["n"], conteos["n_grupo"])]
    return conteos.assign(
        nombre=[nombre_tema(resultado, t) for t in conteos["tema"]],
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
    return temas_por(asignados[["tema"]].assign(periodo=periodo), "periodo", resultado, muestra_minima=muestra_minima)


def sentimiento_por(asignados: pd.DataFrame, columna: str | None = None, *, muestra_minima: int = 30,
                    privacidad: int = 0) -> pd.DataFrame:
    """Reparto del sentimiento predicho por grupo de ``columna`` (None: todos): ``grupo``, ``sentimiento``,
    ``n``, ``n_grupo``, ``proporcion`` con intervalo de Wilson y ``suficiente`` (n_grupo ≥ ``muestra_minima``).
    Los comentarios sin sentimiento no cuentan; en grupos con menos de ``privacidad`` comentarios las
    proporciones se borran."""
    tabla = asignados.loc[asignados["sentimiento"].notna(), ["sentimiento", *([columna] if columna else [])]]
    grupo = tabla[columna] if columna else pd.Series("Todos", index=tabla.index)
    conteos = (tabla["sentimiento"].groupby(grupo.rename("grupo")).value_counts().unstack(fill_value=0)
               .reindex(columns=list(TONOS), fill_value=0).stack().rename("n").reset_index())
    totales = conteos.groupby("grupo")["n"].transform("sum")
    intervalos = [proporcion(int(n), int(t)) for n, t in zip(conteos["n"], totales)]
    return conteos.assign(n_grupo=totales, proporcion=[e.valor for e in intervalos],
                          ic_inf=[e.ic_inf for e in intervalos], ic_sup=[e.ic_sup for e in intervalos],
                          suficiente=totales >= muestra_minima).pipe(
        ocultar_pequenos, n="n_grupo", columnas=_CIFRAS_DE_REPARTO, minimo=privacidad)


def parte_negativa(asignados: pd.DataFrame) -> Estimacion:
    """Proporción de comentarios que el modelo lee como negativos (entre los que tienen sentimiento), con Wilson."""
    con_sentimiento = asignados["sentimiento"].dropna()
    return proporcion(int((con_sentimiento == "negativo").sum()), len(con_sentimiento))


def resumen_de_etapa(asignados: pd.DataFrame, resultado: Temas, etapa: str, *, maximo: int = 3,
                     minimo: int = 10) -> str | None:
    """«En Entrega, los comentarios negativos hablan de: …» con los temas más citados.

    Cuenta los comentarios de nota baja cuya etapa peor calificada (``etapa_baja``) es ``etapa``;
    da los ``maximo`` temas más frecuentes entre ellos (sin «sin tema») con su porcentaje. None
    si hay menos de ``minimo`` comentarios así.
    """
    negativos = asignados.loc[(asignados["tono"] == "negativo") & (asignados["etapa_baja"] == etapa), "tema"]
    if len(negativos) < minimo:
        return None
    frecuentes = negativos[negativos != SIN_TEMA].value_counts().head(maximo)
    if frecuentes.empty:
        return None
    partes = [f"{nombre_tema(resultado, t).lower()} ({porcentaje(n / len(negativos), 0)})"
              for t, n in frecuentes.items()]
    return (f"En {etapa}, los {numero(len(negativos), 0)} comentarios negativos hablan de: "
            f"{'; '.join(partes)}.")


def resumenes_por_etapa(asignados: pd.DataFrame, resultado: Temas, etapas: Sequence[str], **opciones) -> list[str]:
    """``resumen_de_etapa`` de cada etapa, en orden, saltando las que no tienen comentarios negativos suficientes.

    Los comentarios negativos se apartan una sola vez (con las tres columnas que se cuentan), no una por etapa
    sobre la tabla entera de hasta 200.000 comentarios."""
    negativos = asignados.loc[asignados["tono"] == "negativo", ["tono", "etapa_baja", "tema"]]
    return [texto for etapa in etapas if (texto := resumen_de_etapa(negativos, resultado, etapa, **opciones))]
