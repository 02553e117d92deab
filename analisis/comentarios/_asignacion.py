"""Comentarios con su tema y su tono: asignar, filtrar y elegir ejemplos.

Cada comentario sale **enmascarado** (``analisis.texto.enmascarar_todos``) con ``tema``,
``afinidad``, ``tono`` (de su nota) y ``sentimiento`` (del modelo).
"""

from collections.abc import Mapping, Sequence

import numpy as np
import pandas as pd

from analisis.comentarios._sentimiento import ModeloSentimiento
from analisis.comentarios._temas import Temas
from analisis.comentarios._tono import tonos_de_encuestas
from analisis.texto import enmascarar_todos, normalizar_todos


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


def asignar_notas(notas: pd.DataFrame, modelo: ModeloSentimiento | None) -> pd.DataFrame:
    """Notas sin calificación (p. ej. de auditoría) con su ``sentimiento`` predicho y el comentario enmascarado."""
    sentimiento = modelo.predecir(notas["comentario"]) if modelo is not None else np.full(len(notas), None)
    return notas.assign(comentario=enmascarar_todos(notas["comentario"]), sentimiento=sentimiento)


def nombre_tema(resultado: Temas, tema: int) -> str:
    """Nombre del tema, o «Sin tema reconocible» para −1."""
    return resultado.nombres.get(tema, "Sin tema reconocible")


def ejemplos(asignados: pd.DataFrame, tema: int, *, n: int = 3) -> list[str]:
    """Los ``n`` comentarios distintos más representativos de ``tema`` (mayor afinidad)."""
    del_tema = asignados.loc[asignados["tema"] == tema, ["afinidad", "comentario"]].sort_values(
        "afinidad", ascending=False, kind="stable")
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
