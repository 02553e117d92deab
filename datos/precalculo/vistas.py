"""La vista por defecto de cada página de análisis, calculada de antemano para cada alcance de las cuentas.

Cada ``vista_*`` pide a ``RESULTADOS`` (con ``contexto.calculado``) exactamente lo que la página pide
al abrirse sin tocar nada: los filtros por defecto de la barra lateral (los últimos
``DIAS_POR_DEFECTO`` días hasta el último dato, dentro del alcance) y las opciones por defecto de la
página. Así la primera persona que abre la página tras una carga la encuentra calculada.
"""

import time
from collections.abc import Callable
from dataclasses import dataclass, replace
from datetime import date, timedelta

import pandas as pd

from analisis import cadena, capacitacion, competencias, perfiles
from analisis.errores import ErrorEslabon
from datos.avisos import cifras
from datos.consultas import cadena as consultas_cadena
from datos.consultas import competencias as consultas_competencias
from datos.consultas import resumen as consultas_resumen
from datos.consultas import tendencias as consultas_tendencias
from datos.consultas.filtros import Filtros, con_alcance, ventana_de_meses
from datos.precalculo import calculos
from datos.precalculo.resultados import Contexto

__all__ = ["DIAS_POR_DEFECTO", "MESES_AUDITORIAS", "RONDA_POR_DEFECTO", "UMBRAL_SESGO", "periodo_por_defecto",
           "alcances", "Umbrales", "VISTAS", "TANDAS", "vista_resumen", "vista_cadena", "vista_perfiles",
           "vista_comentarios", "vista_brechas", "vista_realimentacion", "precalcular_alcance"]

#: Duración del periodo que se muestra al abrir la aplicación (terminando en el último dato).
DIAS_POR_DEFECTO = 90

#: Ventana de auditorías por defecto de las páginas de capacitación (meses hasta la fecha final).
MESES_AUDITORIAS = 12

#: Duración de ronda por defecto del progreso en las páginas de capacitación.
RONDA_POR_DEFECTO = "trimestre"

#: Desvío de un auditor (en escala común) a partir del cual «Brechas» lo lee como sesgo.
UMBRAL_SESGO = 0.05


def periodo_por_defecto(rango: pd.DataFrame) -> tuple[date, date, date, date] | None:
    """(primera, última, desde, hasta) del filtro de fechas al abrir, desde ``consultas_resumen.rango_de_fechas``;
    None sin datos."""
    if rango.empty or pd.isna(rango.loc[0, "ultima"]):
        return None
    primera, ultima = pd.Timestamp(rango.loc[0, "primera"]).date(), pd.Timestamp(rango.loc[0, "ultima"]).date()
    return primera, ultima, max(primera, ultima - timedelta(days=DIAS_POR_DEFECTO - 1)), ultima


def alcances(cuentas: pd.DataFrame) -> list[Filtros]:
    """El alcance de datos (``con_alcance``) de cada combinación distinta de sucursales y equipos de las
    cuentas activas (``consultas_cuentas.usuarios``), el de toda la organización primero."""
    vistos = {Filtros()}
    for fila in cuentas[cuentas["activo"]].itertuples():
        vistos.add(con_alcance(Filtros(), sucursales=tuple(fila.sucursales if fila.sucursales is not None else ()),
                               equipos=tuple(fila.equipos if fila.equipos is not None else ())))
    return sorted(vistos, key=lambda f: (len(f.sucursales) + len(f.equipos) > 0, repr(f)))


@dataclass(frozen=True)
class Umbrales:
    """Los umbrales guardados que las páginas pasan a los cálculos."""

    muestra_minima: int
    privacidad: int
    auditorias: int

    @classmethod
    def leer(cls, contexto: Contexto) -> "Umbrales":
        """Los umbrales de la configuración guardada (``cifras.umbral``), guardados en ``CIFRAS`` para el alcance
        de ``contexto`` como los lee cada página (``paginas.comun.umbral``): la primera visita tras una carga no
        los lee."""
        def umbral(clave: str) -> int:
            return calculos.cifra_del_periodo(contexto, cifras.umbral, clave)
        return cls(umbral("muestra_minima"), umbral("privacidad_respuestas"), umbral("auditorias_minimas"))


#: Filtros de la barra lateral (campo de ``Filtros`` → campo de ``consultas_resumen.valores_de_filtro``).
_FILTROS_LATERALES = {"canales": "canal", "sucursales": "sucursal", "tipos_cliente": "tipo_cliente",
                      "equipos": "equipo"}


def vista_resumen(contexto: Contexto, filtros: Filtros, umbrales: Umbrales) -> None:
    """«Resumen ejecutivo» tras el primer cambio de un filtro: para cada filtro de la barra lateral, las tarjetas,
    las metas de sus minitendencias y las alertas con un solo valor elegido (el primero del alcance); y al final
    las de la vista por defecto (tras una escritura, la primera visita del resumen compilaba su forma).

    Lo que cuesta ese primer cambio es compilar las consultas de su forma (un valor en ese filtro), no
    ejecutarlas: compiladas aquí, sirven para cualquier otro valor del mismo filtro (``datos.motores.plantillas``).
    """
    for campo, columna in _FILTROS_LATERALES.items():
        valores = getattr(filtros, campo) or tuple(
            contexto.consultar(consultas_resumen.valores_de_filtro, columna)["valor"])
        if valores:
            _lecturas_del_resumen(contexto, replace(filtros, **{campo: (valores[0],)}), umbrales)
    _lecturas_del_resumen(contexto, filtros, umbrales)


def _lecturas_del_resumen(contexto: Contexto, elegidos: Filtros, umbrales: Umbrales) -> None:
    """Lo que lee el resumen con ``elegidos``: las tarjetas y las alertas (guardadas en ``CIFRAS``, como las pide
    la página) y las metas de sus minitendencias."""
    opciones = {"muestra_minima": umbrales.muestra_minima, "privacidad": umbrales.privacidad}
    lista = calculos.cifra_del_periodo(contexto, cifras.tarjetas_del_periodo, elegidos, **opciones)
    contexto.consultar(consultas_tendencias.metas_de_minitendencias, elegidos,
                       tuple(tarjeta.kpi.clave for tarjeta in lista))
    calculos.cifra_del_periodo(contexto, cifras.alertas_del_periodo, elegidos, **opciones)


def vista_cadena(contexto: Contexto, filtros: Filtros, umbrales: Umbrales) -> None:
    """«Cadena de servicio» por defecto: primer resultado, media, frente a la meta (si hay metas), el
    primer segmento, y el resumen de los comentarios del eslabón."""
    configuracion = cadena.configuracion_cadena(contexto.consultar(consultas_cadena.etapas_cadena))
    if len(configuracion.etapas) < 2:
        return
    columna, etapas = next(iter(calculos.OBJETIVOS_CADENA)), configuracion.etapas
    escala = cadena.escala_de_distribucion(
        contexto.calculado(calculos.consulta, consultas_cadena.distribucion_etapas, filtros))
    for consulta in (consultas_cadena.conteo_encuestas, consultas_cadena.operacion_etapas):
        contexto.calculado(calculos.consulta, consulta, filtros)
    if contexto.calculado(calculos.analisis_cadena, filtros, etapas, columna, escala, configuracion.metas,
                          "media") is None:
        return
    contexto.calculado(calculos.segmentos_cadena, filtros, etapas, columna, escala, next(iter(cadena.SEGMENTOS)),
                       configuracion.metas, "media", max(umbrales.muestra_minima, umbrales.privacidad))
    contexto.calculado(calculos.comentarios_asignados, filtros, None, False)


def vista_perfiles(contexto: Contexto, filtros: Filtros, umbrales: Umbrales) -> None:
    """«Perfiles de clientes» por defecto: todo el historial, variables predeterminadas, número automático (los
    perfiles y las sumas de sus KPI)."""
    canales = tuple(contexto.consultar(consultas_resumen.valores_de_filtro, "canal")["valor"])
    disponibles = perfiles.variables_cliente(canales)
    variables = tuple(v for v in perfiles.PREDETERMINADAS if v in disponibles)
    contexto.calculado(calculos.sumas_perfiles, replace(filtros, desde=None, hasta=None), canales, variables, None)


def vista_comentarios(contexto: Contexto, filtros: Filtros, umbrales: Umbrales) -> None:
    """«Comentarios» por defecto: temas automáticos, modelo de tono, comentarios y notas del filtro."""
    contexto.calculado(calculos.temas_comentarios, None)
    contexto.calculado(calculos.sentimiento_comentarios)
    contexto.calculado(calculos.comentarios_asignados, filtros, None, True)
    contexto.calculado(calculos.notas_auditorias, filtros)


def vista_brechas(contexto: Contexto, filtros: Filtros, umbrales: Umbrales) -> None:
    """«Brechas de habilidades» por defecto: los últimos ``MESES_AUDITORIAS`` meses de auditorías, por agente,
    con el equipo del perfil de un agente, el primer resultado de los clientes, rondas trimestrales, y el
    acuerdo entre auditores."""
    ventana, escalas = ventana_de_meses(filtros, MESES_AUDITORIAS), cifras.ESCALAS
    pedidas = ((consultas_competencias.escalas_de_auditorias, ventana),
               (consultas_competencias.detalle_auditoria, ventana, escalas, umbrales.auditorias))
    for consulta, *argumentos in pedidas:
        contexto.calculado(calculos.consulta, consulta, *argumentos)
    contexto.calculado(calculos.acuerdo_auditores, ventana, escalas)
    contexto.calculado(calculos.auditorias_por_agente, ventana, escalas, umbrales.auditorias)
    contexto.calculado(calculos.brechas_competencias, ventana, escalas, "equipo", umbrales.auditorias)
    nivel = next(iter(competencias.TITULOS_NIVEL))
    contexto.calculado(calculos.tablas_brechas, ventana, escalas, nivel, next(iter(competencias.RESULTADOS)),
                       umbrales.auditorias)
    contexto.calculado(calculos.sesgos_auditores, ventana, escalas, UMBRAL_SESGO, umbrales.auditorias)
    antes, despues = _rondas_por_defecto(contexto, ventana)
    if antes is not None:
        contexto.calculado(calculos.progreso_competencias, ventana, escalas, RONDA_POR_DEFECTO, antes, despues, nivel,
                           umbrales.auditorias)


def _rondas_por_defecto(contexto: Contexto, ventana: Filtros) -> tuple:
    """Las dos rondas (de ``RONDA_POR_DEFECTO``) que las páginas comparan por defecto en ``ventana``, como las
    elige ``capacitacion.rondas_por_defecto``; (None, None) si no hay dos."""
    por_ronda = contexto.calculado(calculos.consulta, consultas_competencias.puntajes_competencias, ventana,
                                   cifras.ESCALAS, RONDA_POR_DEFECTO)
    disponibles = sorted(por_ronda["ronda"].unique())
    if len(disponibles) < 2:
        return None, None
    antes, despues = capacitacion.rondas_por_defecto(disponibles, RONDA_POR_DEFECTO, ventana.hasta)
    return disponibles[antes], disponibles[despues]


def vista_realimentacion(contexto: Contexto, filtros: Filtros, umbrales: Umbrales) -> None:
    """«Realimentación» por defecto: los informes de los últimos ``MESES_AUDITORIAS`` meses, rondas trimestrales y
    el primer resultado de los clientes para priorizar."""
    ventana = ventana_de_meses(filtros, MESES_AUDITORIAS)
    if contexto.calculado(calculos.consulta, consultas_competencias.escalas_de_auditorias, ventana).empty:
        return
    antes, despues = _rondas_por_defecto(contexto, ventana)
    contexto.calculado(calculos.resultados_realimentacion, ventana, RONDA_POR_DEFECTO, antes, despues,
                       next(iter(competencias.RESULTADOS)), umbrales.auditorias)


#: Las vistas que se precalculan, en orden, con el nombre de su página.
VISTAS: dict[str, Callable[[Contexto, Filtros, Umbrales], None]] = {
    "Comentarios": vista_comentarios, "Cadena de servicio": vista_cadena, "Perfiles de clientes": vista_perfiles,
    "Brechas de habilidades": vista_brechas, "Realimentación": vista_realimentacion,
    "Resumen ejecutivo (primer cambio de filtro)": vista_resumen}

#: Las vistas en tandas: las páginas de análisis de todos los alcances primero, porque su primera visita espera a
#: su cálculo; el primer cambio de filtro del resumen después (su primera visita no espera a nada, solo su primer
#: cambio compila, y es la vista más larga de preparar).
TANDAS = (tuple(nombre for nombre in VISTAS if VISTAS[nombre] is not vista_resumen),
          tuple(nombre for nombre in VISTAS if VISTAS[nombre] is vista_resumen))


def precalcular_alcance(contexto: Contexto, umbrales: Umbrales, seguir: Callable[[], bool] = lambda: True,
                        nombres: tuple[str, ...] = tuple(VISTAS)) -> dict[str, float]:
    """Calcula las vistas ``nombres`` de ``VISTAS`` (todas por omisión) para el alcance de ``contexto``; devuelve
    los segundos que tardó cada vista que quedó hecha, por el nombre de su página.

    Se detiene en cuanto ``seguir()`` es False (los datos cambiaron: lo calculado ya no sirve). Una vista
    sin datos suficientes (``ErrorEslabon``, p. ej. ``MuestraInsuficiente``) se salta: la página
    mostrará su mensaje.
    """
    periodo = periodo_por_defecto(contexto.consultar(consultas_resumen.rango_de_fechas))
    if periodo is None:
        return {}
    filtros = replace(contexto.alcance, desde=periodo[2], hasta=periodo[3])
    segundos = {}
    for nombre in nombres:
        if not seguir():
            break
        inicio = time.perf_counter()
        try:
            VISTAS[nombre](contexto, filtros, umbrales)
        except ErrorEslabon:
            continue
        segundos[nombre] = time.perf_counter() - inicio
    return segundos

