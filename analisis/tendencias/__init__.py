"""Tendencias de satisfacción: ¿el indicador se mueve de verdad, dónde y desde cuándo?

Entra lo que el motor agregó por periodo y grupo (``datos.consultas.tendencias.serie_tendencia_*``:
sumas y conteos, una fila por periodo); salen series con su intervalo al 95 %, pruebas de
tendencia, puntos de cambio con su fecha y frases en español listas para mostrar.

Qué vive aquí (un módulo por asunto; los nombres públicos se importan desde este paquete):

- ``indicadores``: los indicadores, su formato, la estimación de un punto y la prueba del cambio.
- ``series``: series con intervalo, ventanas móviles, distribución de calificaciones y rangos de fechas.
- ``tendencia``: Mann-Kendall y la pendiente de Sen (sobre ``pymannkendall``).
- ``segmentacion``: puntos de cambio en la media (PELT de ``ruptures`` con coste ponderado y MBIC).
- ``cambios``: los puntos de cambio de un indicador, con cada tramo y la prueba de su diferencia.
- ``frases``: las frases en español y el diagnóstico por grupo.
- ``segmentos``: el ranking de segmentos por su cambio frente al periodo anterior.
- ``tablas``: tablas de exportación y de detalle, y qué consulta trae el detalle de un punto.

Puede importar ``analisis.resumen``, ``analisis.kpis``, ``analisis.formato`` y
``analisis.escalas``; nunca ``datos``, ``paginas`` ni Streamlit. Una pieza nueva va al
módulo de su asunto (o a uno nuevo si no encaja en ninguno) y su nombre público, a ``__all__``.
"""

from analisis.tendencias.cambios import Cambio, cambios
from analisis.tendencias.frases import (Diagnostico, describir_cambio, describir_tendencia, diagnosticar,
                                        fechas_de_cambio, frases_destacadas, magnitud, sujeto, texto_p)
from analisis.tendencias.indicadores import (INDICADORES, NOMBRES_DESGLOSE, PERCENTILES, comparar_indicador,
                                             de_encuestas, estimar_indicador, formatear, formatear_cambio, indicador,
                                             medida_de, meta_y_sentido, metodo, sentido_predeterminado)
from analisis.tendencias.segmentacion import puntos_de_cambio
from analisis.tendencias.segmentos import ayuda_ranking, formatear_ranking, ranking_de_cambios, ranking_para_exportar
from analisis.tendencias.series import (HORIZONTES, distribucion_divergente, etiqueta_periodo, filtros_de_horizonte,
                                        filtros_de_punto, grupos_principales, movil, notas_de_categoria,
                                        serie_indicador, ultimos_periodos)
from analisis.tendencias.tablas import (PedidoDetalle, consulta_de_detalle, detalle_para_exportar, detalle_para_mostrar,
                                        distribucion_para_exportar, serie_para_exportar)
from analisis.tendencias.tendencia import MannKendall, mann_kendall, pendiente_sen

__all__ = [
    "INDICADORES", "PERCENTILES", "NOMBRES_DESGLOSE", "HORIZONTES", "MannKendall", "Cambio", "Diagnostico",
    "indicador", "metodo", "de_encuestas", "sentido_predeterminado", "formatear", "formatear_cambio",
    "estimar_indicador", "comparar_indicador", "meta_y_sentido", "medida_de",
    "serie_indicador", "movil", "distribucion_divergente", "notas_de_categoria", "grupos_principales",
    "ultimos_periodos", "filtros_de_horizonte", "filtros_de_punto", "etiqueta_periodo",
    "mann_kendall", "pendiente_sen", "puntos_de_cambio", "cambios",
    "texto_p", "magnitud", "sujeto", "describir_cambio", "describir_tendencia", "diagnosticar",
    "frases_destacadas", "fechas_de_cambio",
    "ranking_de_cambios", "formatear_ranking", "ayuda_ranking", "ranking_para_exportar",
    "serie_para_exportar", "distribucion_para_exportar", "detalle_para_exportar", "detalle_para_mostrar", "consulta_de_detalle", "PedidoDetalle",
]
