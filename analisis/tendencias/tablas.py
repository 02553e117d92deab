"""Tablas de exportación y de detalle: la serie, las filas detrás de un punto y qué consulta las trae."""

from collections.abc import Mapping
from dataclasses import dataclass

import numpy as np
import pandas as pd

from analisis.formato import numero
from analisis.tendencias.indicadores import de_encuestas, indicador
from analisis.tendencias.series import filtros_de_punto, notas_de_categoria

__all__ = ["serie_para_exportar", "detalle_para_exportar", "detalle_para_mostrar", "consulta_de_detalle", "PedidoDetalle"]


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
