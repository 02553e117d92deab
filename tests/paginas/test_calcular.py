"""``comun.calcular``: las cifras derivadas (tarjetas, alertas) se guardan por versión de los datos y alcance."""

import threading
import tomllib
from pathlib import Path

import pandas as pd
import streamlit.config

from datos.almacen.conexion import Almacen
from datos.almacen.derivados import registrar_escritura
from datos.almacen.transaccion import transaccion
from datos.consultas.filtros import Filtros, con_alcance
from datos.precalculo import CIFRAS, precalculador
from paginas import comun, graficos
from tests.apptest import abrir, sin_errores


def _contadora(llamadas: list):
    """Una «cifra» que anota cada vez que de verdad se calcula y devuelve cuántas van."""
    def cifra(consultar, filtros, *, minimo):
        llamadas.append((filtros, minimo))
        return len(llamadas)
    return cifra


def test_calcular_solo_repite_si_cambian_la_version_el_alcance_o_los_argumentos(monkeypatch):
    CIFRAS.vaciar()
    llamadas, todo = [], Filtros()
    cifra = _contadora(llamadas)
    huella = comun.Huella("a.duckdb", 1, todo)
    monkeypatch.setattr(comun, "huella", lambda: huella)
    assert comun.calcular(cifra, todo, minimo=30) == 1
    assert comun.calcular(cifra, todo, minimo=30) == 1  # misma huella y argumentos: guardado
    huella = comun.Huella("a.duckdb", 2, todo)  # una carga sube la versión de los datos
    assert comun.calcular(cifra, todo, minimo=30) == 2
    huella = comun.Huella("a.duckdb", 2, con_alcance(todo, sucursales=("Sucursal Norte",), equipos=()))
    assert comun.calcular(cifra, todo, minimo=30) == 3  # otra cuenta con otro alcance
    assert comun.calcular(cifra, todo, minimo=10) == 4
    assert comun.calcular(cifra, Filtros(canales=("Chat",)), minimo=10) == 5
    assert comun.calcular(cifra, todo, minimo=30) == 3  # cada alcance y argumentos, guardados
    huella = comun.Huella("a.duckdb", 1, todo)
    assert comun.calcular(cifra, todo, minimo=30) == 6  # lo de una versión vieja se descartó al llegar la nueva
    assert len(llamadas) == 6


def test_las_tarjetas_del_resumen_cambian_con_una_escritura(base_demo):
    """El resumen vuelve a calcular sus tarjetas cuando cambian los datos (nueva versión), no antes."""
    at = abrir()
    sin_errores(at)
    antes = [m.value for m in at.metric]
    assert [m.value for m in at.run().metric] == antes
    cursor = comun._almacen(str(base_demo)).cursor()
    with transaccion(cursor):
        cursor.execute("UPDATE encuestas SET csat = 1 WHERE csat IS NOT NULL")
        registrar_escritura(cursor)
    despues = [m.value for m in at.run().metric]
    sin_errores(at)
    assert despues != antes and len(despues) == len(antes)


def test_figura_se_construye_una_vez_por_huella_y_argumentos(monkeypatch):
    graficos._figura.clear()
    construidas = []

    def dibujar(valor):
        construidas.append(valor)
        return {"valor": valor}

    huella = comun.Huella("a.duckdb", 1, Filtros())
    monkeypatch.setattr(comun, "huella", lambda: huella)
    primera = graficos.figura(dibujar, 3.5)
    assert graficos.figura(dibujar, 3.5) is primera and construidas == [3.5]
    assert graficos.figura(dibujar, 4.0) == {"valor": 4.0}
    assert graficos.figura(dibujar, valor=4.0) == {"valor": 4.0} and construidas == [3.5, 4.0, 4.0]
    huella = comun.Huella("a.duckdb", 2, Filtros())
    assert graficos.figura(dibujar, 3.5) is not primera and construidas == [3.5, 4.0, 4.0, 3.5]



def test_figura_reconoce_una_tabla_por_su_contenido(monkeypatch):
    """Una copia con el mismo contenido reutiliza la figura (el resumen recibe copias en cada ejecución);
    un solo valor distinto, en cualquier columna, la dibuja de nuevo."""
    graficos._figura.clear()
    construidas = []

    def dibujar(serie, metas):
        construidas.append(len(serie))
        return {"filas": len(serie)}

    monkeypatch.setattr(comun, "huella", lambda: comun.Huella("a.duckdb", 1, Filtros()))
    serie = pd.DataFrame({"mes": pd.date_range("2026-01-01", periods=12, freq="MS"),
                          "valor": [80.0 + k for k in range(12)], "kpi": ["csat"] * 12})
    metas = pd.DataFrame({"kpi": ["csat"], "meta": [85.0]})
    primera = graficos.figura(dibujar, serie, metas)
    assert graficos.figura(dibujar, serie.copy(), metas.copy()) is primera and construidas == [12]
    otra_meta = metas.assign(meta=[86.0])
    otro_kpi = serie.assign(kpi=["nps"] * 12)
    assert graficos.figura(dibujar, serie, otra_meta) is not primera
    assert graficos.figura(dibujar, otro_kpi, metas) is not primera and construidas == [12, 12, 12]
    assert graficos._huella_de_tabla(serie) == graficos._huella_de_tabla(serie.copy())
    assert graficos._huella_de_tabla(serie) != graficos._huella_de_tabla(serie.iloc[:11])
    assert graficos._huella_de_tabla(serie) != graficos._huella_de_tabla(serie.rename(columns={"kpi": "indicador"}))
    assert graficos._huella_de_tabla(metas) != graficos._huella_de_tabla(metas.astype({"meta": "float32"}))


def test_la_version_de_los_datos_se_lee_una_vez_por_ejecucion(base_demo, monkeypatch):
    lecturas = []
    original = Almacen.version_datos

    def contada(self):
        if threading.current_thread().name != precalculador.HILO:  # el hilo de fondo lee la suya cada segundo
            lecturas.append(1)
        return original(self)

    monkeypatch.setattr(Almacen, "version_datos", contada)
    at = abrir()
    sin_errores(at)
    primera = len(lecturas)
    at.run()
    assert 1 <= primera <= 2 and len(lecturas) - primera == 1  # decenas de consultas, una lectura por ejecución


def test_el_servidor_no_fuerza_una_recoleccion_completa_tras_cada_ejecucion():
    """Con las cachés llenas, ``gc.collect(2)`` al final de cada ejecución costaba ~0,45 s con el GIL tomado:
    la configuración del servidor lo apaga (la opción existe en esta versión de Streamlit y está en False)."""
    configuracion = tomllib.loads((Path(__file__).resolve().parents[2] / ".streamlit" / "config.toml")
                                  .read_text(encoding="utf-8"))
    assert "runner.postScriptGC" in streamlit.config._config_options
    assert configuracion["runner"]["postScriptGC"] is False
