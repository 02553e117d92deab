"""Los cálculos pesados de las páginas de análisis, ``calculo(contexto, *argumentos)``.

Los llaman las páginas (``paginas.comun.precalculado``) y el precálculo de fondo (``vistas``) con los
mismos argumentos: lo que el precálculo deja en ``RESULTADOS`` es exactamente lo que la página pediría.
Un cálculo pide otro con ``contexto.calculado`` (así también queda guardado) y las consultas con
``contexto.consultar``. Los resultados no se modifican después de entregados.
"""

from dataclasses import dataclass

import pandas as pd

from analisis import cadena, capacitacion, comentarios, competencias, informes, perfiles
from datos.avisos import cifras
from datos.consultas import cadena as consultas_cadena
from datos.consultas import comentarios as consultas_comentarios
from datos.consultas import competencias as consultas_competencias
from datos.consultas import perfiles as consultas_perfiles
from datos.consultas.filtros import Filtros
from datos.precalculo.resultados import CIFRAS, CONSULTAS, Contexto

__all__ = ["consulta", "consulta_pequena", "cifra_del_periodo", "OBJETIVOS_CADENA", "datos_cadena", "analisis_cadena",
           "segmentos_cadena", "MAXIMO_CLIENTES", "clientes_perfiles", "perfiles_clientes", "temas_comentarios",
           "sentimiento_comentarios", "comentarios_asignados", "notas_auditorias", "acuerdo_auditores",
           "brechas_competencias", "auditorias_por_agente", "impactos_competencias", "TablasBrechas",
           "tablas_brechas", "Tabla", "progreso_competencias", "resultados_realimentacion", "sesgos_auditores"]

#: Resultados que la cadena puede explicar, por su columna.
OBJETIVOS_CADENA = {r.columna: r for r in cadena.RESULTADOS}

#: Clientes que se traen del motor como mucho para los perfiles; por encima, una muestra determinista.
MAXIMO_CLIENTES = 1_000_000


def consulta(contexto: Contexto, funcion, *argumentos) -> pd.DataFrame:
    """La consulta ``funcion(con, *argumentos)`` de ``datos.consultas`` (para guardar su resultado aquí)."""
    return contexto.consultar(funcion, *argumentos, cache="grande")


def consulta_pequena(contexto: Contexto, funcion, *argumentos) -> pd.DataFrame:
    """El resultado pequeño de ``funcion(con, *argumentos)``, guardado en ``CONSULTAS``; ``contexto.consultar`` la
    ejecuta en el motor (sin caché).

    La caché 'pequena' de las páginas (``paginas.comun.consultar``, que entrega una copia) y el precálculo la
    comparten: lo que el precálculo trae para la vista por defecto (los valores de la barra lateral, las metas de
    las minitendencias…) la primera persona que entra tras una carga ya no lo trae. No se modifica.
    """
    return CONSULTAS.obtener(contexto, _traida, funcion, *argumentos)


def _traida(contexto: Contexto, funcion, *argumentos) -> pd.DataFrame:
    """``contexto.consultar(funcion, *argumentos)`` (el cálculo que ``consulta_pequena`` guarda)."""
    return contexto.consultar(funcion, *argumentos)


def cifra_del_periodo(contexto: Contexto, funcion, *argumentos, **opciones):
    """La cifra del periodo ``funcion(contexto.consultar, *argumentos, **opciones)`` de ``datos.avisos.cifras``
    (tarjetas, alertas), guardada en ``CIFRAS``.

    El precálculo la deja hecha para la vista por defecto; el resumen y Tendencias la piden con los mismos
    argumentos, así que su primera visita tras una carga no la calcula.
    """
    return CIFRAS.obtener(contexto, _cifra, funcion, argumentos, tuple(sorted(opciones.items())))


def _cifra(contexto: Contexto, funcion, argumentos: tuple, opciones: tuple):
    """``funcion(contexto.consultar, *argumentos, **dict(opciones))`` (el cálculo que ``cifra_del_periodo`` guarda)."""
    return funcion(contexto.consultar, *argumentos, **dict(opciones))


def datos_cadena(contexto: Contexto, filtros: Filtros, etapas: tuple[str, ...], columna: str,
                 escala: tuple[float, float], segmento: str | None = None) -> pd.DataFrame:
    """Lo que ``cadena.desde_sumas`` pide para el resultado ``columna``: sumas por lote (y por ``segmento``)
    del motor con todas las respuestas, o una fila por encuestado con sus segmentos (muestra del motor
    por encima de ``LIMITE_RESPUESTAS_CADENA``)."""
    if cadena.desde_sumas(OBJETIVOS_CADENA[columna]):
        return contexto.consultar(consultas_cadena.sumas_cadena, filtros, etapas, columna, escala, segmento,
                                  cache="grande")
    return contexto.consultar(consultas_cadena.calificaciones_por_respuesta, filtros, etapas, cache="grande")


def analisis_cadena(contexto: Contexto, filtros: Filtros, etapas: tuple[str, ...], columna: str,
                    escala: tuple[float, float], metas: tuple | None, medida: str):
    """El eslabón más débil (``cadena.analizar_resultado``) del filtro; None si no hay calificaciones por etapa.

    Raises ``MuestraInsuficiente`` con muy pocas respuestas.
    """
    datos = contexto.calculado(datos_cadena, filtros, etapas, columna, escala)
    if datos.empty:
        return None
    return cadena.analizar_resultado(datos, etapas, OBJETIVOS_CADENA[columna], metas=dict(metas) if metas else None,
                                     medida=medida)


def segmentos_cadena(contexto: Contexto, filtros: Filtros, etapas: tuple[str, ...], columna: str,
                     escala: tuple[float, float], segmento: str, metas: tuple | None, medida: str,
                     muestra_minima: int):
    """La cadena de cada valor de ``segmento`` (``cadena.comparar_resultado``)."""
    datos = contexto.calculado(datos_cadena, filtros, etapas, columna, escala, segmento)
    return cadena.comparar_resultado(datos, etapas, OBJETIVOS_CADENA[columna], segmento,
                                     metas=dict(metas) if metas else None, medida=medida,
                                     muestra_minima=muestra_minima)


def clientes_perfiles(contexto: Contexto, ventana: Filtros, canales: tuple[str, ...]) -> pd.DataFrame:
    """Rasgos por cliente del alcance (hasta ``MAXIMO_CLIENTES``; puede tener un millón de filas)."""
    return contexto.consultar(consultas_perfiles.caracteristicas_clientes, ventana, canales, MAXIMO_CLIENTES,
                              contexto.alcance, cache="grande")


def perfiles_clientes(contexto: Contexto, ventana: Filtros, canales: tuple[str, ...], variables: tuple[str, ...],
                      k: int | None) -> perfiles.Perfiles:
    """Perfiles de los clientes de la ventana (la semilla es fija: mismas opciones, mismo resultado).

    Raises ``MuestraInsuficiente`` con muy pocos clientes.
    """
    return perfiles.perfilar(contexto.calculado(clientes_perfiles, ventana, canales), list(variables), k,
                             grupos=perfiles.variables_cliente(canales))


def sumas_perfiles(contexto: Contexto, ventana: Filtros, canales: tuple[str, ...], variables: tuple[str, ...],
                   k: int | None) -> pd.DataFrame:
    """Conteos de KPI sumados por perfil (``perfiles.sumas_por_grupo``) de los perfiles de ``perfiles_clientes``."""
    return perfiles.sumas_por_grupo(contexto.calculado(clientes_perfiles, ventana, canales),
                                    contexto.calculado(perfiles_clientes, ventana, canales, variables, k).etiquetas)


def _muestra_comentarios(contexto: Contexto) -> pd.DataFrame:
    """Comentarios del historial visible con que se aprenden los modelos (muestra acotada)."""
    return contexto.calculado(consulta, consultas_comentarios.comentarios_para_modelos, contexto.alcance)


def temas_comentarios(contexto: Contexto, n_temas: int | None) -> comentarios.Temas:
    """Temas ajustados sobre la muestra del historial, equilibrando notas bajas, medias y altas.

    Raises ``MuestraInsuficiente`` si hay muy pocos comentarios.
    """
    muestra = _muestra_comentarios(contexto)
    return comentarios.temas(muestra["comentario"], n_temas, grupos=comentarios.tonos_de_encuestas(muestra))


def sentimiento_comentarios(contexto: Contexto) -> comentarios.ModeloSentimiento:
    """Modelo de sentimiento aprendido de los comentarios calificados de la muestra del historial.

    Raises ``MuestraInsuficiente`` con pocos comentarios calificados.
    """
    return comentarios.entrenar_desde_encuestas(_muestra_comentarios(contexto))


def comentarios_asignados(contexto: Contexto, filtros: Filtros, n_temas: int | None, con_tono: bool) -> pd.DataFrame:
    """Comentarios del filtro, leídos una vez, con tema (sin uniones), afinidad, tono y, con ``con_tono``,
    el sentimiento del modelo."""
    filas = contexto.consultar(consultas_comentarios.comentarios_encuestas, filtros, cache="grande")
    modelo = contexto.calculado(sentimiento_comentarios) if con_tono else None
    return comentarios.asignar(filas, contexto.calculado(temas_comentarios, n_temas), modelo)


def notas_auditorias(contexto: Contexto, filtros: Filtros) -> pd.DataFrame:
    """Notas de auditoría del filtro con su sentimiento predicho y el texto enmascarado."""
    return comentarios.asignar_notas(contexto.consultar(consultas_comentarios.notas_auditorias, filtros,
                                                        cache="grande"),
                                     contexto.calculado(sentimiento_comentarios))


def acuerdo_auditores(contexto: Contexto, filtros: Filtros, escalas) -> pd.DataFrame | None:
    """Alfa de Krippendorff por competencia (con su bootstrap) de las interacciones auditadas dos o más
    veces; None si no hay ninguna."""
    dobles = contexto.calculado(consulta, consultas_competencias.auditorias_dobles, filtros, escalas)
    return None if dobles.empty else competencias.acuerdo_auditores(dobles)


def brechas_competencias(contexto: Contexto, filtros: Filtros, escalas, por: str, minimo: int) -> pd.DataFrame:
    """Brecha de cada grupo ``por`` (agente, equipo…) y competencia frente al estándar (``competencias.brechas``)."""
    puntajes = contexto.calculado(consulta, consultas_competencias.puntajes_competencias, filtros, escalas)
    estandar = contexto.consultar(consultas_competencias.estandar_competencias)
    return competencias.brechas(puntajes, estandar, por=por, minimo=minimo)


def auditorias_por_agente(contexto: Contexto, filtros: Filtros, escalas, minimo: int) -> pd.DataFrame:
    """Auditorías, puntaje y suficiencia de cada agente (``competencias.resumen_auditorias``)."""
    puntajes = contexto.calculado(consulta, consultas_competencias.puntajes_auditorias, filtros, escalas,
                                  competencias.UMBRAL_CRITICO)
    return competencias.resumen_auditorias(puntajes, por="agente", minimo=minimo)


def impactos_competencias(contexto: Contexto, filtros: Filtros, escalas, resultado: str, minimo: int) -> pd.DataFrame:
    """Impacto de cada competencia en ``resultado`` de los clientes (``competencias.impacto``), con las brechas
    por agente."""
    por_agente = contexto.calculado(consulta, consultas_competencias.resultados_por_agente, filtros, resultado)
    return competencias.impacto(por_agente, contexto.calculado(brechas_competencias, filtros, escalas, "agente",
                                                               minimo))


@dataclass(frozen=True)
class TablasBrechas:
    """Lo que «Brechas de habilidades» muestra de un nivel, ya calculado y en español: el mapa de calor
    (los ``competencias.FILAS_MAPA`` grupos de mayor brecha), la tabla de brechas, las 25 brechas más
    prioritarias y el plan de capacitación con sus tablas."""

    mapa: competencias.MapaBrechas
    brechas: pd.DataFrame
    prioridades: pd.DataFrame
    plan: capacitacion.PlanCapacitacion
    sesiones: pd.DataFrame
    necesidades: pd.DataFrame


def tablas_brechas(contexto: Contexto, filtros: Filtros, escalas, por: str, resultado: str,
                   minimo: int) -> TablasBrechas:
    """Las tablas de la página de brechas por ``por`` (agente, equipo…) frente a ``resultado`` de los clientes."""
    titulo = competencias.TITULOS_NIVEL[por]
    tabla = contexto.calculado(brechas_competencias, filtros, escalas, por, minimo)
    prioridades = competencias.prioridades(tabla, contexto.calculado(impactos_competencias, filtros, escalas,
                                                                     resultado, minimo))
    plan = capacitacion.plan_capacitacion(prioridades, contexto.consultar(consultas_competencias.temas_capacitacion))
    return TablasBrechas(
        mapa=competencias.mapa_brechas(tabla, competencias.FILAS_MAPA), brechas=informes.texto_brechas(tabla, titulo),
        prioridades=informes.texto_prioridades(prioridades.head(25), competencias.RESULTADOS[resultado], titulo),
        plan=plan, sesiones=informes.texto_sesiones(plan.sesiones),
        necesidades=informes.texto_necesidades(plan.necesidades, titulo))


@dataclass(frozen=True)
class Tabla:
    """Una tabla de resultados (``datos``) y la misma en español para mostrarla (``texto``, mismas filas)."""

    datos: pd.DataFrame
    texto: pd.DataFrame


def progreso_competencias(contexto: Contexto, filtros: Filtros, escalas, ronda: str, antes, despues, por: str,
                          minimo: int) -> Tabla:
    """Cambio entre las rondas ``antes`` y ``despues`` por ``por`` y competencia (``capacitacion.progreso``)."""
    por_ronda = contexto.calculado(consulta, consultas_competencias.puntajes_competencias, filtros, escalas, ronda)
    progreso = capacitacion.progreso(por_ronda, antes=antes, despues=despues, por=por, minimo=minimo,
                                     estandar=contexto.consultar(consultas_competencias.estandar_competencias))
    return Tabla(progreso, informes.texto_progreso(progreso, competencias.TITULOS_NIVEL[por]))


def resultados_realimentacion(contexto: Contexto, filtros: Filtros, ronda: str, antes, despues, resultado: str,
                              minimo: int) -> informes.Resultados:
    """Lo que necesitan los informes de «Realimentación» (``cifras.resultados_de_realimentacion``) de la ventana
    ``filtros``, comparando las rondas ``antes`` y ``despues`` de duración ``ronda``.

    Sin los textos del encabezado (periodo y rondas, vacíos): la página pone los suyos con ``dataclasses.replace``,
    así la clave del resultado no depende de cómo se escriben.
    """
    por_ronda = contexto.calculado(consulta, consultas_competencias.puntajes_competencias, filtros, cifras.ESCALAS,
                                   ronda)
    return cifras.resultados_de_realimentacion(contexto.consultar, filtros, por_ronda=por_ronda, antes=antes,
                                               despues=despues, periodo="", rondas="", resultado=resultado,
                                               minimo=minimo)


def sesgos_auditores(contexto: Contexto, filtros: Filtros, escalas, umbral: float, minimo: int) -> Tabla:
    """Desvío de cada auditor frente a los demás (``capacitacion.sesgo_auditores``)."""
    calificaciones = contexto.calculado(consulta, consultas_competencias.calificaciones_por_auditor, filtros, escalas)
    sesgos = capacitacion.sesgo_auditores(calificaciones, umbral=umbral, minimo=minimo)
    return Tabla(sesgos, informes.texto_sesgos(sesgos))
