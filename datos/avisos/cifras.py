"""Las cifras que muestran las páginas y que los envíos mandan: una sola composición de cada una.

El resumen ejecutivo, sus alertas y los informes de realimentación se arman aquí a partir de una
función ``consultar(consulta, *argumentos) -> DataFrame``: en la interfaz es ``paginas.comun.consultar``
(en caché por versión de datos y alcance), en los envíos ``Motor.consultar``. Las dos vías piden las
mismas consultas de ``datos.consultas`` con los mismos filtros y calculan con las mismas funciones de
``analisis``: el CSAT de un correo es el de la página, con el mismo formato.
"""

from collections.abc import Callable

import pandas as pd

from analisis import alertas, competencias, informes
from analisis.resumen import TarjetaKpi, tarjetas
from datos.consultas import competencias as consultas_competencias
from datos.consultas import resumen as consultas_resumen
from datos.consultas import tendencias as consultas_tendencias
from datos.consultas.filtros import Filtros
from datos.cuentas.configuracion import valor_configurado

__all__ = ["Consultar", "umbral", "tarjetas_del_periodo", "alertas_del_periodo", "ESCALAS",
           "resultados_de_realimentacion"]

#: ``consultar(consulta, *argumentos)``: ejecuta una consulta de ``datos.consultas`` y la trae a pandas.
Consultar = Callable[..., pd.DataFrame]

#: Escalas de auditoría como las piden las consultas de competencias.
ESCALAS = competencias.reglas_de_escala()


def umbral(consultar: Consultar, clave: str) -> int:
    """El umbral ``clave`` de ``datos.cuentas.configuracion.CONFIGURABLES`` según la configuración guardada,
    nunca bajo su mínimo (``valor_configurado``)."""
    return valor_configurado(consultar(consultas_resumen.configuracion).set_index("clave")["valor"], clave)


def tarjetas_del_periodo(consultar: Consultar, filtros: Filtros, *, muestra_minima: int,
                         privacidad: int) -> list[TarjetaKpi]:
    """Las tarjetas de KPI del resumen ejecutivo (``analisis.resumen.tarjetas``) con ``filtros``.

    ``filtros`` ya lleva el alcance de quien las ve (``con_alcance``); ``privacidad`` es el umbral
    de respuestas de un segmento (las cifras de menos casos se ocultan).
    """
    return tarjetas(
        consultar(consultas_resumen.resumen_encuestas, filtros),
        consultar(consultas_resumen.resumen_interacciones, filtros),
        consultar(consultas_resumen.serie_encuestas, filtros),
        consultar(consultas_resumen.serie_interacciones, filtros),
        consultar(consultas_resumen.metas, filtros), muestra_minima, privacidad=privacidad,
    )


def alertas_del_periodo(consultar: Consultar, filtros: Filtros, *, muestra_minima: int,
                        privacidad: int) -> alertas.Evaluacion:
    """Las alertas de las reglas configuradas, con ventanas que terminan en ``filtros.hasta``, y cuántos grupos
    se evaluaron; ningún grupo por debajo de ``muestra_minima`` ni del umbral de privacidad ``privacidad``."""
    reglas = alertas.reglas_desde_tabla(consultar(consultas_tendencias.reglas_alerta))
    datos = {regla: consultar(consultas_tendencias.datos_de_alerta, pedido)
             for regla, pedido in alertas.pedidos(reglas, filtros).items()}
    return alertas.evaluar_reglas(datos, filtros, metas=consultar(consultas_resumen.metas, filtros),
                                  muestra_minima=muestra_minima, privacidad=privacidad)


def resultados_de_realimentacion(consultar: Consultar, filtros: Filtros, *, por_ronda: pd.DataFrame, antes, despues,
                                 periodo: str, rondas: str, resultado: str, minimo: int) -> informes.Resultados:
    """Todo lo que necesitan los informes de realimentación (``analisis.informes.resultados``).

    Parameters
    ----------
    consultar : ejecuta las consultas.
    filtros : la ventana de auditorías, con el alcance de quien recibe los informes.
    por_ronda : ``puntajes_competencias`` por ronda; ``antes``/``despues`` las rondas que se comparan.
    periodo, rondas : textos del encabezado.
    resultado : resultado de los clientes que prioriza el plan (clave de ``competencias.RESULTADOS``).
    minimo : auditorías necesarias para mostrar las cifras de una persona.
    """
    estandar = consultar(consultas_competencias.estandar_competencias)
    puntajes = consultar(consultas_competencias.puntajes_competencias, filtros, ESCALAS)
    brechas_agente = competencias.brechas(puntajes, estandar, por="agente", minimo=minimo)
    impactos = competencias.impacto(consultar(consultas_competencias.resultados_por_agente, filtros, resultado),
                                    brechas_agente)
    auditorias = consultar(consultas_competencias.puntajes_auditorias, filtros, ESCALAS, competencias.UMBRAL_CRITICO)
    return informes.resultados(
        puntajes, por_ronda, auditorias, estandar, consultar(consultas_competencias.temas_capacitacion), impactos,
        antes=antes, despues=despues, periodo=periodo, rondas=rondas, minimo=minimo)
