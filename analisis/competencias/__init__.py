"""Brechas de competencias: escala común, puntaje de auditoría, brechas, impacto en clientes y acuerdo.

Entra lo que el motor agregó (``datos.consultas``: sumas por agente y competencia, celdas
agente × canal × motivo con los resultados de sus clientes); salen DataFrames pequeños
listos para dibujar.

Qué vive aquí (un módulo por asunto; los nombres públicos se importan desde este paquete):

- ``escala_comun``: cada escala de auditoría llevada a 0..1 y la tabla que lo explica.
- ``puntaje``: el puntaje de una auditoría (pesos, N/A y errores críticos) y el estándar listo para editar.
- ``puntajes``: puntajes y brechas por agente, equipo, supervisor o rol; cobertura y perfil.
- ``mapa``: la matriz grupo × competencia del mapa de calor.
- ``clientes``: impacto de cada competencia en los resultados de los clientes y prioridades.
- ``acuerdo``: acuerdo entre auditores (alfa de Krippendorff, sobre ``krippendorff``).

Puede importar ``analisis.formato`` y ``analisis.escalas``; nunca ``datos``, ``paginas`` ni
Streamlit. Una pieza nueva va al módulo de su asunto (o a uno nuevo si no encaja en ninguno)
y su nombre público, a ``__all__``.
"""

from analisis.competencias.acuerdo import acuerdo_auditores, alfa_krippendorff, lectura_landis_koch, nivel_de_medida
from analisis.competencias.clientes import RESULTADOS, Resultado, impacto, prioridades
from analisis.competencias.escala_comun import ESCALAS, Escala, a_escala_comun, reglas_de_escala, tabla_de_conversion
from analisis.competencias.mapa import FILAS_MAPA, MapaBrechas, mapa_brechas
from analisis.competencias.puntaje import (UMBRAL_CRITICO, PuntajeAuditoria, estandar_editado, estandar_para_editar,
                                           puntaje_auditoria)
from analisis.competencias.puntajes import (NIVELES, TITULOS_NIVEL, Cobertura, brechas, cobertura, equipo_del_agente, etiquetas,
                                            lectura_brecha, medias_agrupadas, opciones_de_agentes, perfil,
                                            resumen_auditorias)

__all__ = [
    "Escala", "ESCALAS", "UMBRAL_CRITICO", "Resultado", "RESULTADOS", "NIVELES", "TITULOS_NIVEL",
    "a_escala_comun", "reglas_de_escala", "tabla_de_conversion", "PuntajeAuditoria", "puntaje_auditoria",
    "estandar_para_editar", "estandar_editado",
    "medias_agrupadas", "etiquetas", "brechas", "resumen_auditorias", "lectura_brecha", "perfil",
    "Cobertura", "cobertura", "opciones_de_agentes", "equipo_del_agente", "MapaBrechas", "mapa_brechas",
    "FILAS_MAPA", "impacto", "prioridades", "alfa_krippendorff", "lectura_landis_koch", "nivel_de_medida", "acuerdo_auditores",
]
