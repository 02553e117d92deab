"""Tablas de exportación y de detalle: la serie, las filas detrás de un punto y qué consulta las trae."""

from collections.abc import Mapping
from dataclasses import dataclass

import numpy as np
import pandas as pd

from analisis.formato import con_precision, numero
from analisis.tendencias.indicadores import de_encuestas, indicador
from analisis.tendencias.series import filtros_de_punto, notas_de_categoria

__all__ = ["serie_para_exportar", "distribucion_para_exportar", "en_unidad_de_exportacion", "detalle_para_exportar",
           "detalle_para_mostrar", "consulta_de_detalle", "PedidoDetalle"]


@dataclass(frozen=True)
class _Exportada:
    """Cómo sale una cifra de una unidad en un CSV o Excel: factor, decimales y unidad del encabezado."""

    factor: float
    decimales: int
    sufijo: str


#: Las cifras exportadas con la precisión y la unidad de la pantalla (74,8 %, no 0,74803…; un NPS de 36,8).
_EXPORTADAS = {"proporcion": _Exportada(100, 1, " (%)"), "escala": _Exportada(1, 2, ""),
               "puntos": _Exportada(1, 1, ""), "minutos": _Exportada(1, 1, " (min)"), "horas": _Exportada(1, 1, " (h)")}


def en_unidad_de_exportacion(tabla: pd.DataFrame, columnas: Mapping[str, str], unidad: str, *,
                             extra: int = 0, cambio: bool = False) -> pd.DataFrame:
    """``tabla`` con las ``columnas`` (original → encabezado) en la unidad de la pantalla: proporciones en %
    (en puntos porcentuales si son un ``cambio``), con los decimales con que se muestran (más ``extra``) y la
    unidad en el encabezado («Valor (%)», «Cambio (pp)»).

    >>> t = en_unidad_de_exportacion(pd.DataFrame({"valor": [0.74803]}), {"valor": "Valor"}, "proporcion")
    >>> t.columns.tolist(), t["Valor (%)"].tolist()
    (['Valor (%)'], [74.8])
    """
    forma = _EXPORTADAS[unidad]
    sufijo = " (pp)" if cambio and unidad == "proporcion" else forma.sufijo
    nombres = {original: f"{encabezado}{sufijo}" for original, encabezado in columnas.items()}
    salida = tabla.assign(**{c: pd.to_numeric(tabla[c]) * forma.factor for c in columnas}).rename(columns=nombres)
    return con_precision(salida, {n: forma.decimales + extra for n in nombres.values()})


def serie_para_exportar(serie: pd.DataFrame, clave: str) -> pd.DataFrame:
    """La serie con encabezados en español y las cifras como en la pantalla, lista para CSV o Excel."""
    tabla = pd.DataFrame({
        "Inicio del periodo": pd.to_datetime(serie["periodo"]).dt.date,
        "Segmento": serie["grupo"],
        "Indicador": indicador(clave).titulo,
        "valor": serie["valor"], "ic_inf": serie["ic_inf"], "ic_sup": serie["ic_sup"],
        "n": serie["n"], "Muestra suficiente": serie["suficiente"].map({True: "Sí", False: "No"}),
    })
    return en_unidad_de_exportacion(tabla, {"valor": "Valor", "ic_inf": "IC 95 % inferior",
                                            "ic_sup": "IC 95 % superior"}, indicador(clave).unidad)


def distribucion_para_exportar(divergente: pd.DataFrame) -> pd.DataFrame:
    """Las barras de ``distribucion_divergente`` con encabezados en español y el porcentaje como en la pantalla."""
    tabla = pd.DataFrame({"Inicio del periodo": pd.to_datetime(divergente["periodo"]).dt.date,
                          "Calificación": divergente["categoria"], "Respuestas": divergente["n"],
                          "Respuestas del periodo": divergente["n_periodo"], "proporcion": divergente["proporcion"]})
    return en_unidad_de_exportacion(tabla, {"proporcion": "Parte del periodo"}, "proporcion")


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
    """Las filas del detalle con encabezados en español (valores sin formatear; tiempos con el decimal de la
    pantalla) y sin la columna de segmento cuando no hay desglose."""
    if "grupo" in detalle and (detalle["grupo"] == "Total").all():
        detalle = detalle.drop(columns="grupo")
    tabla = detalle.rename(columns=_ENCABEZADOS)
    return con_precision(tabla, {c: 1 for c in ("Respuesta (min)", "Resolución (h)") if c in tabla})


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
