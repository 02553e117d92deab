"""Tendencias dibuja la meta de cada periodo: una meta nueva no repinta los periodos anteriores a su fecha."""

import base64
import json

import numpy as np
import pandas as pd

from datos.ajustes.organizacion import Configuracion, MetaDesde, aplicar
from datos.almacen.conexion import Almacen
from tests.apptest import abrir, sin_errores


def _valores(datos) -> np.ndarray:
    """Valores de un eje de una traza tal como Plotly los serializa (lista o arreglo binario en base 64)."""
    if isinstance(datos, dict):
        return np.frombuffer(base64.b64decode(datos["bdata"]), dtype=datos["dtype"])
    return np.asarray(datos)


def _meta_del_grafico(at) -> pd.Series:
    """La línea «Meta del periodo» del gráfico de la serie: meta por inicio de periodo."""
    trazas = [t for g in at.get("plotly_chart") for t in json.loads(g.proto.spec)["data"]]
    traza = next(t for t in trazas if t.get("name") == "Meta del periodo")
    return pd.Series(_valores(traza["y"]), index=pd.to_datetime(_valores(traza["x"])))


def test_la_meta_nueva_no_repinta_los_periodos_anteriores(base_demo):
    almacen = Almacen(str(base_demo))
    try:
        cursor = almacen.cursor()
        primera, ultima = cursor.execute("SELECT min(fecha)::DATE, max(fecha)::DATE FROM encuestas").fetchall()[0]
        medio = (pd.Timestamp(primera) + (pd.Timestamp(ultima) - pd.Timestamp(primera)) / 2).replace(day=1).date()
        aplicar(cursor, Configuracion(metas={"nps": 20.0}, metas_por_fecha=(MetaDesde("nps", 45.0, medio),)),
                usuario="prueba")
    finally:
        almacen.cerrar()
    at = abrir("paginas/tendencias.py")
    at.selectbox(key="tend_indicador").set_value("nps").run()
    at.selectbox(key="tend_horizonte").set_value("todo").run()
    at.radio(key="tend_periodicidad").set_value("mes").run()
    sin_errores(at)
    meta = _meta_del_grafico(at)
    antes, despues = meta[meta.index < pd.Timestamp(medio)], meta[meta.index >= pd.Timestamp(medio)]
    assert len(antes) >= 2 and len(despues) >= 2
    assert (antes == 20.0).all() and (despues == 45.0).all()


def test_las_minitendencias_del_resumen_dibujan_la_meta_de_cada_mes(base_demo):
    """Una meta de NPS que empieza a mitad de los últimos 12 meses no repinta los meses anteriores en Resumen."""
    almacen = Almacen(str(base_demo))
    try:
        cursor = almacen.cursor()
        ultima = pd.Timestamp(cursor.execute("SELECT max(fecha)::DATE FROM encuestas").fetchall()[0][0])
        medio = (ultima - pd.DateOffset(months=5)).replace(day=1).date()
        aplicar(cursor, Configuracion(metas={"nps": 20.0}, metas_por_fecha=(MetaDesde("nps", 45.0, medio),)),
                usuario="prueba")
    finally:
        almacen.cerrar()
    at = abrir("paginas/resumen.py")
    sin_errores(at)
    trazas = [t for g in at.get("plotly_chart") for t in json.loads(g.proto.spec)["data"]]
    metas = [t for t in trazas if t.get("name") == "Meta del mes"]
    assert len(metas) == 1, "solo el NPS tiene meta"
    meta = pd.Series(_valores(metas[0]["y"]), index=pd.to_datetime(_valores(metas[0]["x"])))
    antes, despues = meta[meta.index < pd.Timestamp(medio)], meta[meta.index >= pd.Timestamp(medio)]
    assert len(antes) >= 2 and len(despues) >= 2
    assert (antes == 20.0).all() and (despues == 45.0).all()
