"""El eslabón más débil de la cadena de servicio.

Entran las calificaciones que cada encuestado dio a las etapas de la cadena
(una columna por etapa, en orden) y un resultado global (CSAT, NPS, CES o un
sí/no); sale qué etapa frena más el servicio, con qué seguridad y cuánto
valdría llevarla a su meta. También resume el desempeño por etapa a partir de
lo que agregó el motor y la vista operativa de las interacciones.

Qué vive aquí, un módulo por asunto:

* ``configuracion``: los resultados que se explican (``RESULTADOS``), etapas y metas, escalas.
* ``validacion``: comprobación de argumentos (``ValueError`` que nombra el parámetro).
* ``remuestreo``: reparto en lotes, sumas por lote, remuestras y momentos (bootstrap por lotes).
* ``modelo``: pesos relativos (Johnson; logística de Tonidandel y LeBreton) e imputación.
* ``eslabon``: ``analizar_cadena`` desde las filas y el ``ResultadoCadena`` común.
* ``sumas``: el contrato con ``datos.consultas.cadena.sumas_cadena`` (nombres de columna, lotes,
  segmentos, centros); ``agregada``: ``analizar_cadena_agregada`` desde esas sumas.
* ``segmentos``: la comparación entre segmentos; ``camino``: si un resultado se analiza desde
  las sumas del motor o desde las filas (la única vez que se decide).
* ``desempeno``: desempeño por etapa y vista operativa; ``textos``: frases y tablas en español;
  ``diagrama``: dónde va cada caja y cada flecha del diagrama de la cadena (filas en zigzag).
* ``clasificacion``: una clase por etapa (eslabón, cuadrante, muestra insuficiente, fuera del modelo), la misma
  en el mapa, las tablas y el diagrama; ``etiquetas``: dónde va el nombre de cada punto del mapa sin pisarse.

Importa numpy, pandas y ``analisis`` (``kpis``, ``formato``, ``errores``, ``escalas``); nunca
``datos``, ``paginas`` ni Streamlit (``datos.consultas.cadena`` importa ``sumas``, no al revés).
Una pieza nueva va al módulo de su asunto; un número del dominio, a ``analisis.escalas``; un
nombre que la consulta produce y el análisis lee, a ``sumas``. Los nombres públicos se listan
una vez, en ``__all__`` de este archivo.

-------
* **Importancia derivada** (no preguntada). Resultado continuo: pesos
  relativos de Johnson (2000). Se descompone la matriz de correlaciones de las
  etapas, R = P·Δ·Pᵀ; Λ = P·Δ^½·Pᵀ liga las etapas con su versión ortogonal
  más parecida, β = Λ⁻¹·r son los coeficientes del resultado sobre esas
  variables ortogonales y el peso de la etapa j es εⱼ = Σₖ Λⱼₖ²·βₖ². Los pesos
  suman el R² del modelo lineal y no se dejan engañar por etapas
  correlacionadas entre sí. Resultado sí/no: pesos relativos sobre una
  regresión logística (Tonidandel y LeBreton 2010): con los coeficientes b de
  la logística sobre las etapas estandarizadas, bz = Λ·b se estandariza como
  β = bz·R_O/|bz| (R_O: correlación entre lo observado y la probabilidad
  predicha; |bz| es la desviación del logit predicho) y εⱼ = Σₖ Λⱼₖ²·βₖ²; los
  pesos suman R²_O.
* **Significación** (Tonidandel, LeBreton y Johnson 2009): se añade al modelo
  una variable de puro ruido; una etapa es significativa si el intervalo
  bootstrap al 95 % de (su peso − el peso del ruido) queda por encima de 0.
* **Respuestas vacías**: ninguna fila se descarta. Las correlaciones se
  calculan con los casos completos de cada par de columnas (como
  ``DataFrame.corr``), que usa toda la información y no sesga bajo falta
  completamente al azar; si la matriz resultante no es semidefinida positiva se
  recortan sus valores propios y se reescala a diagonal 1. La imputación por la
  media se descartó porque encoge las correlaciones de las etapas con más
  vacíos y rebaja su importancia. El modelo logístico necesita filas
  completas: cada calificación vacía se sustituye por su esperanza condicional
  dadas las otras etapas del mismo encuestado (Buck 1960), con medias y
  covarianzas de a pares.
* **Remuestreo** (bootstrap por lotes): las filas se reparten al azar en
  ``LOTES`` lotes y se guardan los estadísticos suficientes de cada lote
  (sumas, sumas de cuadrados y productos cruzados por pares). Cada remuestra
  sortea lotes con reemplazo y suma sus estadísticos, así que cuesta una
  multiplicación de matrices y no una pasada por los datos. Con filas
  independientes y reparto aleatorio equivale al bootstrap de filas a primer
  orden (los pesos son funciones suaves de medias); con ``LOTES`` filas o menos
  es exactamente el bootstrap de filas. En el modelo logístico cada remuestra
  da un paso de Newton desde la estimación completa (bootstrap de un paso,
  Moulton y Zeger 1991). Intervalos: percentiles 2,5 y 97,5.
* **En el motor** (``analizar_cadena_agregada``): esos mismos estadísticos por lote los puede
  sumar el motor de datos (``datos.consultas.cadena.sumas_cadena``) sobre todas las respuestas del
  filtro, con el lote y el ruido sacados del MD5 de cada respuesta; solo salen del motor unas
  2.000 filas pequeñas y el resto del cálculo es el mismo. Sirve para resultados continuos; la
  logística necesita filas y usa la muestra que elige el motor.
* **Eslabón más débil**: prioridad = peso × brecha, con brecha = lo que falta
  para la meta de la etapa (o para la mejor etapa si no hay metas); la
  confianza es la fracción de remuestras en que esa etapa queda primera. La
  ganancia esperada sale del modelo ajustado: coeficiente de la etapa × subida
  de su media hasta la meta (en la logística, el efecto medio sobre la
  probabilidad de estar satisfecho).
* **Mapa importancia–desempeño** (Martilla y James 1977): cada etapa según cuánto le falta para su
  referencia (desempeño − meta, o − la mejor etapa; corte en 0, con intervalo) y su parte del R²
  (corte en ``escalas.IMPORTANCIA_ALTA`` veces el reparto parejo 1/k). La clase sale de
  ``clasificacion`` y es la misma en el mapa, las tablas y el diagrama.
"""

from analisis.cadena.agregada import analizar_cadena_agregada
from analisis.cadena.camino import analizar_resultado, comparar_resultado, desde_sumas
from analisis.cadena.configuracion import (ESCALAS, RESULTADOS, ConfiguracionCadena, Resultado, configuracion_cadena,
                                           escala_de_calificaciones, escala_de_distribucion)
from analisis.cadena.diagrama import DisposicionCadena, disponer_cadena, nombre_en_lineas
from analisis.cadena.desempeno import desempeno_por_etapa, vista_operativa
from analisis.cadena.clasificacion import CLASES, ClasificacionCadena, clasificar_etapas
from analisis.cadena.eslabon import ResultadoCadena, analizar_cadena
from analisis.cadena.etiquetas import Caja, ancho_de_texto, colocar_etiquetas
from analisis.cadena.segmentos import ComparacionSegmentos, comparar_segmentos, comparar_segmentos_agregada
from analisis.cadena.sumas import LOTES, SEGMENTOS
from analisis.cadena.textos import (NO_SIGNIFICATIVA, TextosCadena, ayuda_importancia, cajas_cadena, describir,
                                    tabla_desempeno, tabla_importancia, tabla_operativa, tabla_segmentos, tabla_tiempos,
                                    texto_cobertura, texto_mapa)

__all__ = [
    "Resultado", "RESULTADOS", "CLASES", "ESCALAS", "LOTES", "SEGMENTOS", "ConfiguracionCadena", "ResultadoCadena",
    "ComparacionSegmentos", "TextosCadena", "configuracion_cadena", "escala_de_calificaciones",
    "escala_de_distribucion", "analizar_cadena", "analizar_cadena_agregada", "comparar_segmentos",
    "comparar_segmentos_agregada", "desde_sumas", "analizar_resultado", "comparar_resultado", "desempeno_por_etapa",
    "vista_operativa", "cajas_cadena", "describir", "texto_cobertura", "tabla_importancia", "ayuda_importancia",
    "NO_SIGNIFICATIVA", "tabla_desempeno", "tabla_operativa", "tabla_tiempos", "tabla_segmentos", "DisposicionCadena",
    "disponer_cadena", "nombre_en_lineas", "ClasificacionCadena", "clasificar_etapas", "texto_mapa", "Caja",
    "ancho_de_texto", "colocar_etiquetas",
]
