"""Lo que los clientes dicen con sus palabras: temas y sentimiento de comentarios en español.

Todo corre en la máquina, con scikit-learn y sobre los comentarios de la propia organización:
no se descarga ningún modelo. Los llamadores importan de aquí (``analisis.comentarios.temas``,
``analisis.comentarios.lo_que_duele``…); los módulos privados son el detalle:

* ``_tono``: tono que enseña una nota (cortes de ``analisis.escalas``).
* ``_vocabulario``: textos limpios sin repetir, lotes y el TF-IDF de los temas.
* ``_rasgos``: raíces, negaciones y palabras de tono que lee el sentimiento.
* ``_sentimiento``: el modelo de sentimiento y su exactitud en ejemplos apartados (sin casi duplicados).
* ``_adaptacion``: el sentimiento adaptado, sin notas, a los textos de otro dominio (autoentrenamiento).
* ``_medicion``: exactitud del sentimiento de un negocio a otro y fidelidad de los temas a su texto.
* ``_eleccion``: NMF y la estabilidad con que se elige el número de temas.
* ``_nombres``: el nombre automático y la firma de cada tema.
* ``_temas``: ``temas`` y el resultado ``Temas``.
* ``_guardados``: nombres y uniones que guardan los usuarios.
* ``_asignacion``: comentarios con tema, tono y sentimiento; filtros y ejemplos.
* ``_repartos``: resumen de temas y repartos por grupo, en el tiempo y de sentimiento.
* ``_etapas``: la etapa de la cadena que nombran las palabras de cada tema y el tono de cada tema.
* ``_duele``: qué temas acompañan a las peores notas (estadísticos de ``analisis.kpis``).
* ``_presentacion``: tablas, titulares y exportaciones en español.

Qué pueden importar: ``analisis.texto`` (limpieza y enmascarado), ``analisis.kpis`` (toda
estimación e intervalo: ninguna fórmula estadística se escribe aquí), ``analisis.escalas``,
``analisis.formato``, ``analisis.privacidad``, ``analisis.errores``, numpy, pandas, scipy y
scikit-learn; nunca ``datos``, ``paginas`` ni Streamlit. Una pieza nueva va al módulo de su asunto
(o a uno nuevo si es un asunto nuevo) y su nombre público se añade aquí y a ``__all__``.
"""

from analisis.comentarios._asignacion import asignar, asignar_notas, con_uniones, ejemplos, filtrar
from analisis.comentarios._duele import lo_que_duele
from analisis.comentarios._eleccion import PARTE_DE_LA_MEJOR
from analisis.comentarios._medicion import EntreNegocios, acierta_a_mano, entre_negocios, fidelidad_temas
from analisis.comentarios._etapas import AFINES, etapas_de_temas, sentimiento_por_tema
from analisis.comentarios._guardados import cambios_de_temas, con_guardados
from analisis.comentarios._presentacion import (exactitud_para_mostrar, notas_para_exportar, para_exportar, para_mostrar, tabla_duele,
                                               tabla_sentimiento_temas, tabla_temas, titular_duele)
from analisis.comentarios._repartos import (parte_negativa, resumen_de_etapa, resumen_temas, resumenes_por_etapa,
                                           sentimiento_por, temas_en_el_tiempo, temas_por)
from analisis.comentarios._sentimiento import (MINIMO_CALIFICADOS, MINIMO_POR_CLASE, MINIMO_VALIDACION, UMBRAL_TONO,
                                              ModeloSentimiento, entrenar_desde_encuestas, entrenar_sentimiento)
from analisis.comentarios._temas import CANDIDATOS_TEMAS, MAXIMO_AJUSTE_TEMAS, SIN_TEMA, Temas, temas
from analisis.comentarios._tono import TONOS, tono_de_calificacion, tonos_de_encuestas

__all__ = [
    # tono de una nota
    "TONOS", "tono_de_calificacion", "tonos_de_encuestas",
    # sentimiento
    "MINIMO_CALIFICADOS", "MINIMO_POR_CLASE", "MINIMO_VALIDACION", "UMBRAL_TONO", "ModeloSentimiento", "entrenar_sentimiento",
    "entrenar_desde_encuestas",
    # temas, con los nombres y uniones guardados
    "SIN_TEMA", "CANDIDATOS_TEMAS", "PARTE_DE_LA_MEJOR", "MAXIMO_AJUSTE_TEMAS", "Temas", "temas", "con_guardados", "cambios_de_temas",
    # comentarios asignados
    "asignar", "con_uniones", "asignar_notas", "ejemplos", "filtrar",
    # repartos y qué duele
    "resumen_temas", "temas_por", "temas_en_el_tiempo", "sentimiento_por", "parte_negativa", "resumen_de_etapa",
    "resumenes_por_etapa", "lo_que_duele",
    # etapa y tono de cada tema
    "AFINES", "etapas_de_temas", "sentimiento_por_tema",
    # cuánto valen los modelos
    "EntreNegocios", "entre_negocios", "fidelidad_temas", "acierta_a_mano",
    # presentación
    "tabla_temas", "tabla_sentimiento_temas", "exactitud_para_mostrar", "tabla_duele", "titular_duele", "para_exportar", "notas_para_exportar", "para_mostrar",
]
