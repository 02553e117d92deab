"""Piezas compartidas por las páginas de capacitación: ventana de auditorías, mínimos, rondas y datos.

Las auditorías son pocas por agente (unas pocas al mes), así que estas páginas
miran por defecto los 12 meses que terminan en la fecha final de la barra
lateral; los demás filtros de la barra lateral se aplican igual.
"""

from dataclasses import replace

import pandas as pd
import streamlit as st

from analisis import capacitacion, informes
from analisis.formato import fecha
from datos.avisos import cifras
from datos.consultas import competencias as consultas_competencias
from datos.consultas.filtros import Filtros, ventana_de_meses
from datos.precalculo import calculos
from datos.precalculo.vistas import MESES_AUDITORIAS, RONDA_POR_DEFECTO
from analisis.errores import AjusteNoValido
from paginas import comun
from paginas.pestanas import CONSERVAR

__all__ = ["ESCALAS", "VENTANAS", "leer", "elegir_ventana", "auditorias_minimas", "sin_auditorias", "elegir_rondas",
           "datos_de_realimentacion", "calculado", "guardar"]

#: Escalas de auditoría como las piden las consultas.
ESCALAS = cifras.ESCALAS

#: Opciones de ventana de auditorías: meses hasta la fecha final del filtro (None = todo el historial).
VENTANAS: dict[str, int | None | str] = {
    "Últimos 3 meses": 3, "Últimos 6 meses": 6, "Últimos 12 meses": 12, "Todo el historial": None,
    "Periodo de la barra lateral": "barra",
}

_RONDAS = {"Mes": "mes", "Trimestre": "trimestre", "Semestre": "semestre"}


def elegir_ventana(clave: str) -> tuple[Filtros, str]:
    """Selector de la ventana de auditorías; devuelve los filtros a usar y su descripción en texto."""
    base = comun.filtros()
    elegida = st.selectbox(
        "Auditorías de", list(VENTANAS), index=list(VENTANAS.values()).index(MESES_AUDITORIAS), placeholder=comun.ELIJA_UNA_OPCION, key=clave,
        help="Las auditorías por agente son pocas: por defecto se usan los 12 meses que terminan en la fecha "
             "final de la barra lateral. Canal, sucursal, tipo de cliente y equipo de la barra lateral se aplican.")
    meses = VENTANAS[elegida]
    filtros = base if meses == "barra" else ventana_de_meses(base, meses)
    if filtros.hasta is None:
        return filtros, "Sin datos"
    if filtros.desde is None:
        return filtros, f"Todo el historial hasta el {fecha(filtros.hasta)}"
    return filtros, f"Del {fecha(filtros.desde)} al {fecha(filtros.hasta)}"


def auditorias_minimas() -> int:
    """Auditorías mínimas para mostrar las cifras de una persona (configuración ``auditorias_minimas``)."""
    return comun.umbral("auditorias_minimas")


def calculado(calculo, *argumentos) -> pd.DataFrame:
    """``calculo(contexto, *argumentos)`` de ``datos.precalculo.calculos`` desde ``datos.precalculo`` (el
    precálculo de fondo deja lista la vista por defecto), en una copia propia que la página puede cambiar."""
    return comun.precalculado(calculo, *argumentos).copy()


def leer(consulta, *argumentos) -> pd.DataFrame:
    """El resultado de ``consulta(con, *argumentos)`` de ``datos.consultas.competencias`` (ver ``calculado``)."""
    return calculado(calculos.consulta, consulta, *argumentos)


def sin_auditorias(filtros: Filtros) -> bool:
    """True (y muestra un aviso) si no hay datos o no hay auditorías en la ventana y los filtros elegidos."""
    if comun.almacen().esta_vacio():
        st.info("La base de datos está vacía. Cargue auditorías o los datos de demostración desde el "
                "*Resumen ejecutivo*.", icon=":material/database:")
        return True
    if filtros.hasta is None or leer(consultas_competencias.escalas_de_auditorias, filtros).empty:
        st.info("No hay auditorías en el periodo y los filtros elegidos. Amplíe la ventana de auditorías o quite "
                "filtros de la barra lateral.", icon=":material/filter_alt_off:")
        return True
    return False


def elegir_rondas(filtros: Filtros, clave: str) -> tuple[str, pd.DataFrame, object, object, str]:
    """Selectores de duración de ronda y de las dos rondas a comparar (conservan lo elegido dentro de una pestaña
    perezosa: ``paginas.pestanas``).

    Devuelve la duración elegida ('mes', 'trimestre' o 'semestre'), los puntajes por agente, competencia
    y ronda, la ronda anterior y la actual (None si hay menos de dos rondas) y el texto que las describe.
    """
    columnas = st.columns(3)
    ronda = _RONDAS[columnas[0].selectbox("Duración de la ronda", list(_RONDAS),
                                          index=list(_RONDAS.values()).index(RONDA_POR_DEFECTO),
                                          placeholder=comun.ELIJA_UNA_OPCION, key=f"{clave}_ronda",
                                          persist_state=CONSERVAR,
                                          help="Cada ronda de auditoría es un mes, un trimestre o un semestre "
                                               "calendario dentro de la ventana elegida.")]
    por_ronda = leer(consultas_competencias.puntajes_competencias, filtros, ESCALAS, ronda)
    disponibles = sorted(por_ronda["ronda"].unique())
    if len(disponibles) < 2:
        return ronda, por_ronda, None, None, "no hay dos rondas con auditorías en la ventana elegida"
    nombre = {r: capacitacion.etiqueta_ronda(r, ronda) + ("" if capacitacion.ronda_completa(r, ronda, filtros.hasta)
                                                           else f" (incompleta: hasta el {fecha(filtros.hasta)})")
              for r in disponibles}
    anterior, ultima = capacitacion.rondas_por_defecto(disponibles, ronda, filtros.hasta)
    antes = columnas[1].selectbox("Ronda anterior", disponibles, index=anterior,
                                  format_func=nombre.get, placeholder=comun.ELIJA_UNA_OPCION, key=f"{clave}_antes",
                                  persist_state=CONSERVAR)
    despues = columnas[2].selectbox("Ronda actual", disponibles, index=ultima,
                                    format_func=nombre.get, placeholder=comun.ELIJA_UNA_OPCION, key=f"{clave}_despues",
                                    persist_state=CONSERVAR)
    return ronda, por_ronda, antes, despues, f"{nombre[antes]} frente a {nombre[despues]}"


def datos_de_realimentacion(filtros: Filtros, periodo: str, ronda: str, antes, despues, rondas: str,
                            resultado: str) -> informes.Resultados:
    """Todo lo que necesitan los informes de realimentación (``informes.resultados``), precalculado para la vista
    por defecto (``calculos.resultados_realimentacion``), con los textos ``periodo`` y ``rondas`` del encabezado."""
    datos = comun.precalculado(calculos.resultados_realimentacion, filtros, ronda, antes, despues, resultado,
                               auditorias_minimas())
    return replace(datos, periodo=periodo, rondas=rondas)


def guardar(escribir, valor, aviso: str) -> None:
    """Escribe un ajuste con ``escribir(cursor, valor, autor=…)`` (que lo anota en la bitácora con su valor
    anterior); si es válido avisa y recarga, si no muestra el error."""
    try:
        escribir(comun.almacen().cursor(), valor, autor=comun.usuario().usuario)
    except AjusteNoValido as error:
        comun.aviso_error(error)
        return
    st.toast(aviso)
    st.rerun()
