"""Cadena de servicio: qué etapa frena más el servicio, con qué seguridad y qué vale arreglarla."""

import streamlit as st

from analisis import cadena
from analisis.escalas import REMUESTRAS_CADENA
from analisis.formato import numero, sin_markdown
from datos.consultas import cadena as consultas_cadena
from datos.consultas.cadena import LIMITE_RESPUESTAS_CADENA
from datos.precalculo import calculos
from datos.precalculo.calculos import OBJETIVOS_CADENA as OBJETIVOS
from analisis.errores import MuestraInsuficiente
from paginas import comun, graficos_cadena
from paginas.graficos import figura, mostrar
from paginas.pestanas import CONSERVAR, pestanas

MEDIDAS = {"media": "Media", "top2": "Top-2-box"}
REFERENCIAS = {"meta": "Meta de cada etapa", "mejor": "La mejor etapa"}
CONFIGURACION_GRAFICO = {"displaylogo": False}
LEYENDA_CADENA = " · ".join(f"{clase.etiqueta}: {clase.significado}" for clase in cadena.CLASES.values())


comun.encabezado("Cadena de servicio", "Una cadena es tan fuerte como su eslabón más débil. Aquí se estima cuánto pesa "
                "cada etapa en el resultado global, cuál rinde peor frente a su meta y cuánto ganaría el servicio si "
                "la mejorara.", vacio=comun.SIN_DATOS)

elegidos = comun.filtros()
muestra_minima = comun.muestra_minima()
configuracion = cadena.configuracion_cadena(comun.consultar(consultas_cadena.etapas_cadena))
if len(configuracion.etapas) < 2:
    st.info("La cadena necesita al menos dos etapas configuradas.", icon=":material/link_off:")
    st.stop()

columnas = st.columns([2, 1.4, 1.8])
objetivo = OBJETIVOS[columnas[0].selectbox(
    "Resultado que explica la cadena", list(OBJETIVOS), format_func=lambda c: OBJETIVOS[c].titulo, key="cad_resultado",
    placeholder="Elija un resultado",
    help="La importancia de cada etapa se deriva de cuánto explica este resultado; no se pregunta al cliente.")]
medida = columnas[1].radio("Desempeño de cada etapa", list(MEDIDAS), format_func=MEDIDAS.get, horizontal=True,
                           key="cad_medida",
                           help="Media de las calificaciones, o porcentaje de las dos notas más altas.")
admite_metas = configuracion.metas is not None and medida == "media"
if not admite_metas:
    st.session_state["cad_referencia"] = "mejor"
referencia = columnas[2].radio(
    "Brecha frente a", list(REFERENCIAS), format_func=REFERENCIAS.get, horizontal=True, key="cad_referencia",
    disabled=not admite_metas,
    help="Las metas configuradas son de la media; con top-2-box, o sin metas, se compara con la mejor etapa.")
metas = configuracion.metas if referencia == "meta" else None

distribucion = comun.precalculado(calculos.consulta, consultas_cadena.distribucion_etapas, elegidos)
escala = cadena.escala_de_distribucion(distribucion)
try:
    with st.spinner(f"Estimando la importancia de cada etapa con {numero(REMUESTRAS_CADENA, 0)} remuestras…"):
        resultado = comun.precalculado(calculos.analisis_cadena, elegidos, configuracion.etapas, objetivo.columna,
                                       escala, metas, medida)
except MuestraInsuficiente as error:
    comun.aviso_error(error, como=st.warning, icono=":material/warning:")
    st.stop()
if resultado is None:
    st.info("No hay encuestas con calificaciones por etapa para estos filtros. Amplíe el periodo o quite filtros.",
            icon=":material/filter_alt_off:")
    st.stop()
encuestas = int(comun.precalculado(calculos.consulta, consultas_cadena.conteo_encuestas, elegidos)["n"].iloc[0])
cobertura = cadena.texto_cobertura(resultado, encuestas=encuestas, limite=LIMITE_RESPUESTAS_CADENA)
textos = cadena.describir(resultado, objetivo, muestra_minima=muestra_minima)
vista = cadena.vista_operativa(comun.precalculado(calculos.consulta, consultas_cadena.operacion_etapas, elegidos),
                               configuracion.etapas,
                               muestra_minima=muestra_minima)
clasificacion = cadena.clasificar_etapas(resultado, muestra_minima=muestra_minima)

with st.container(border=True):
    st.subheader(sin_markdown(textos.titular), help=textos.metodo)
    st.markdown(sin_markdown(textos.confianza))
    if textos.ganancia:
        st.markdown(sin_markdown(textos.ganancia))
    st.caption(sin_markdown(textos.ajuste))
    st.caption(sin_markdown(cobertura))
    if textos.aviso:
        st.warning(textos.aviso, icon=":material/warning:")
mostrar(figura(graficos_cadena.diagrama_cadena, cadena.cajas_cadena(resultado, clasificacion, vista)),
        config=CONFIGURACION_GRAFICO,
        key="cad_diagrama")
st.caption(LEYENDA_CADENA)

titulo_desempeno = "Calificación media" if medida == "media" else "Porcentaje top-2-box"


def pestana_importancia() -> None:
    """Importancia y desempeño: el mapa de cuadrantes, la importancia de cada etapa y su tabla."""
    mostrar(figura(graficos_cadena.mapa_importancia_desempeno, resultado.importancia, clasificacion, medida=medida,
                   titulo_desempeno=titulo_desempeno),
            config=CONFIGURACION_GRAFICO, key="cad_cuadrantes", width="content")
    st.caption(cadena.texto_mapa(clasificacion))
    mostrar(figura(graficos_cadena.barras_importancia, resultado.importancia, eslabon=resultado.eslabon_mas_debil),
            config=CONFIGURACION_GRAFICO, key="cad_barras")
    st.caption("Barras grises: importancia no significativa (no se distingue de una variable de ruido). "
               "Líneas: intervalo bootstrap al 95 %.")
    if textos.no_significativas:
        st.info(textos.no_significativas, icon=":material/info:")
    comun.tabla_ajustada(cadena.tabla_importancia(resultado, objetivo, clasificacion),
                         ayudas=cadena.ayuda_importancia(objetivo))
    st.caption("«N.º»: orden de la etapa en la cadena, como en el diagrama y el mapa. «Primera en» = en qué parte "
               "de las remuestras la etapa tiene la mayor prioridad (peso × brecha). "
               f"{cadena.NO_SIGNIFICATIVA} = importancia que no se distingue de la de una variable de ruido.")


def pestana_desempeno() -> None:
    """Desempeño por etapa: todas las respuestas del filtro, etapa por etapa."""
    por_etapa = cadena.desempeno_por_etapa(distribucion, configuracion.etapas,
                                           metas=configuracion.metas_por_etapa, muestra_minima=muestra_minima)
    comun.tabla_ajustada(cadena.tabla_desempeno(por_etapa, resultado.escala, clasificacion))
    st.caption(f"Todas las respuestas del filtro. Media con intervalo t de Student al 95 %; porcentajes con "
               f"intervalo de Wilson al 95 %. «Frente a su referencia» y «Clase» son los del mapa de cuadrantes y "
               f"del diagrama. «Muestra insuficiente»: menos de {numero(muestra_minima, 0)} respuestas.")


def pestana_operacion() -> None:
    """Vista operativa: volumen, resolución y tiempos de las interacciones por etapa."""
    comun.tabla(cadena.tabla_operativa(vista), hide_index=True, width="stretch")
    st.caption("Interacciones del filtro según la etapa en que ocurrió cada contacto, con intervalo de Wilson al "
               "95 %. «Reabiertos»: resueltos a los que el mismo cliente volvió por el mismo motivo en 7 días "
               "(porcentaje de los resueltos).")
    comun.tabla(cadena.tabla_tiempos(vista), hide_index=True, width="stretch")
    st.caption(comun.con_nota_percentil(
        "Tiempos como mediana y percentil 90 (el 90 % de los contactos tarda eso o menos); CSAT medio de las "
        f"encuestas de esos contactos, con intervalo t al 95 %. «Muestra pequeña»: menos de "
        f"{numero(muestra_minima, 0)} casos."))


def pestana_segmentos() -> None:
    """Por segmento: el mismo análisis en cada segmento y el detalle de uno."""
    segmento = st.selectbox("Partir la cadena por", list(cadena.SEGMENTOS), format_func=cadena.SEGMENTOS.get,
                            key="cad_segmento", persist_state=CONSERVAR, placeholder="Elija un segmento",
                            help="El mismo análisis en cada segmento: el eslabón de los clientes internos puede "
                                 "no ser el de los externos.")
    with st.spinner("Analizando cada segmento…"):
        comparacion = comun.precalculado(calculos.segmentos_cadena, elegidos, configuracion.etapas,
                                         objetivo.columna, escala, segmento, metas, medida,
                                         max(muestra_minima, comun.privacidad_respuestas()))
    comun.tabla(cadena.tabla_segmentos(comparacion, objetivo, resultado.tipo_resultado), hide_index=True,
                width="stretch")
    if comparacion.resultados:
        mostrar(figura(graficos_cadena.mapa_segmentos, comparacion.proporciones, comparacion.resumen["eslabon"],
                       titulo_segmento=cadena.SEGMENTOS[segmento]),
                config=CONFIGURACION_GRAFICO, key="cad_mapa_segmentos")
        st.caption("Parte del R² de cada etapa en cada segmento; ★ marca el eslabón más débil del segmento.")
        elegido = st.selectbox("Ver el detalle de", list(comparacion.resultados), key="cad_segmento_detalle",
                               placeholder="Elija un segmento", persist_state=CONSERVAR)
        detalle = comparacion.resultados[elegido]
        st.markdown(f"**{sin_markdown(elegido)}**: "
                    + sin_markdown(cadena.describir(detalle, objetivo, muestra_minima=muestra_minima).confianza))
        mostrar(figura(
            graficos_cadena.mapa_importancia_desempeno, detalle.importancia,
            cadena.clasificar_etapas(detalle, muestra_minima=muestra_minima), medida=medida,
            titulo_desempeno=titulo_desempeno), config=CONFIGURACION_GRAFICO, key="cad_cuadrantes_segmento",
            width="content")


pestanas({"Importancia y desempeño": pestana_importancia, "Desempeño por etapa": pestana_desempeno,
          "Vista operativa": pestana_operacion, "Por segmento": pestana_segmentos}, "cadena")

with st.expander("¿Cómo se calcula?"):
    st.markdown(
        "- **Importancia derivada**: no se pregunta al cliente qué etapa importa; se deduce de cuánto explica cada "
        "etapa el resultado elegido. Con etapas correlacionadas entre sí, los coeficientes de una regresión engañan; "
        "los **pesos relativos** (Johnson 2000) reparten el R² entre las etapas de forma justa. Para el resultado "
        "sí/no se usan pesos relativos sobre una regresión logística (Tonidandel y LeBreton 2010).\n"
        f"- **Seguridad**: {numero(REMUESTRAS_CADENA, 0)} remuestras bootstrap (por lotes de encuestados) dan los "
        "intervalos al 95 % y cuentan en "
        "cuántas remuestras cada etapa resulta el eslabón más débil. Una etapa es **significativa** si su peso supera "
        "con claridad al de una variable de puro ruido (Tonidandel, LeBreton y Johnson 2009).\n"
        "- **Eslabón más débil**: la etapa con mayor prioridad = importancia × brecha (lo que le falta para su meta, "
        "o para la mejor etapa). La **ganancia** es lo que el modelo ajustado prevé para el resultado si esa etapa "
        "alcanzara su referencia.\n"
        "- **Respuestas vacías**: nadie se descarta; cada correlación usa los encuestados que calificaron ese par de "
        "etapas.\n"
        "- **Dónde se calcula**: con CSAT, NPS o CES, el motor de datos suma por lotes de encuestados (y por "
        "segmento) los productos cruzados del total de respuestas del filtro; solo esas sumas salen de él y el "
        "bootstrap sortea esos lotes. El resultado sí/no (regresión logística) necesita las respuestas una a una: "
        f"con más de {numero(LIMITE_RESPUESTAS_CADENA, 0)} encuestas usa una muestra aleatoria reproducible elegida "
        "por el motor.\n"
        f"- Con menos de **{numero(muestra_minima, 0)}** respuestas las cifras se marcan como poco fiables.")

from paginas import comentarios_comun  # noqa: E402 - enlace a «Comentarios» (lo que dicen los clientes del eslabón)

comentarios_comun.enlace_desde_cadena(elegidos, resultado.eslabon_mas_debil)
