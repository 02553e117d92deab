"""Piezas compartidas por las páginas: conexión, caché de consultas y filtros laterales.

Es la única capa que combina Streamlit con ``datos``: la conexión vive en
``st.cache_resource`` (una por proceso y archivo) y los resultados de las
consultas en ``st.cache_data`` con la versión de los datos en la clave, de
modo que una carga o la demostración refrescan todas las páginas.
"""

from datetime import date, timedelta

import pandas as pd
import streamlit as st

from datos import consultas, demo
from datos.almacen import Almacen, ruta_predeterminada
from datos.consultas import Filtros

__all__ = ["almacen", "consultar", "barra_lateral", "filtros", "muestra_minima", "cargar_demo", "DIAS_POR_DEFECTO"]

#: Duración del periodo que se muestra al abrir la aplicación (terminando en el último dato).
DIAS_POR_DEFECTO = 90


@st.cache_resource(show_spinner=False)
def _almacen(ruta: str) -> Almacen:
    """Abre (y migra) el almacén de ``ruta`` una sola vez por proceso."""
    return Almacen(ruta)


def almacen() -> Almacen:
    """El almacén configurado por ``ESLABON_DB`` (o el archivo por defecto)."""
    return _almacen(ruta_predeterminada())


@st.cache_data(show_spinner=False, max_entries=256)
def _consultar(ruta: str, version: int, nombre: str, argumentos: tuple) -> pd.DataFrame:
    """Ejecuta ``datos.consultas.<nombre>`` y trae su resultado (pequeño) a pandas.

    ``ruta`` y ``version`` forman parte de la clave de caché: otra base de datos
    u otra versión de los datos nunca reutilizan un resultado viejo.
    """
    return getattr(consultas, nombre)(_almacen(ruta).ibis(), *argumentos).to_pandas()


def consultar(nombre: str, *argumentos) -> pd.DataFrame:
    """Resultado en caché de la consulta ``nombre`` de ``datos.consultas`` con esos argumentos."""
    actual = almacen()
    return _consultar(actual.ruta, actual.version_datos(), nombre, argumentos)


def _rango_inicial() -> tuple[date, date, date, date] | None:
    """(primera, última, desde, hasta) por defecto para el filtro de fechas; None sin datos."""
    rango = consultar("rango_de_fechas")
    if rango.empty or pd.isna(rango.loc[0, "ultima"]):
        return None
    primera, ultima = pd.Timestamp(rango.loc[0, "primera"]).date(), pd.Timestamp(rango.loc[0, "ultima"]).date()
    return primera, ultima, max(primera, ultima - timedelta(days=DIAS_POR_DEFECTO - 1)), ultima


def _multiselect(etiqueta: str, campo: str) -> tuple[str, ...]:
    """Selector múltiple de la barra lateral; vacío significa 'todos'."""
    opciones = consultar("valores_de_filtro", campo)["valor"].tolist()
    elegidos = st.multiselect(etiqueta, opciones, placeholder="Todos", key=f"filtro_{campo}")
    return tuple(elegidos)


def barra_lateral() -> Filtros:
    """Dibuja los filtros compartidos y los guarda en la sesión para todas las páginas."""
    with st.sidebar:
        st.header("Filtros")
        rango = _rango_inicial()
        if rango is None:
            st.caption("Los filtros aparecerán cuando haya datos.")
            elegidos = Filtros()
        else:
            primera, ultima, desde, hasta = rango
            periodo = st.date_input("Periodo", value=(desde, hasta), min_value=primera, max_value=ultima,
                                    format="DD/MM/YYYY", key="filtro_periodo",
                                    help="El resumen compara este periodo con el anterior de igual duración.")
            if len(periodo) == 2:
                desde, hasta = periodo
            elegidos = Filtros(
                desde=desde, hasta=hasta,
                canales=_multiselect("Canal", "canal"),
                sucursales=_multiselect("Sucursal", "sucursal"),
                tipos_cliente=_multiselect("Tipo de cliente", "tipo_cliente"),
                equipos=_multiselect("Equipo", "equipo"),
            )
    st.session_state["filtros"] = elegidos
    return elegidos


def filtros() -> Filtros:
    """Los filtros elegidos en la barra lateral en esta ejecución."""
    return st.session_state.get("filtros", Filtros())


def muestra_minima() -> int:
    """Número mínimo de respuestas para dar una cifra por fiable (configuración ``muestra_minima``)."""
    configuracion = consultar("configuracion").set_index("clave")["valor"]
    return int(configuracion.get("muestra_minima", 30))


def cargar_demo() -> dict[str, int]:
    """Escribe los datos de demostración mostrando una barra de progreso; devuelve filas por tabla."""
    barra = st.progress(0.0, text="Generando datos de demostración…")
    escritas = demo.cargar_demo(almacen().cursor(), progreso=lambda fraccion, texto: barra.progress(fraccion, text=texto))
    barra.empty()
    return escritas
