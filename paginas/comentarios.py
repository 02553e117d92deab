"""Comentarios: de qué hablan los clientes con sus palabras, qué temas acompañan a las peores notas y con qué tono."""

import functools

import streamlit as st

from analisis import comentarios
from analisis.formato import numero, porcentaje, sin_markdown
from datos.ajustes.temas import LARGO_MAXIMO, guardar_temas
from datos.consultas import cadena as consultas_cadena
from datos.consultas import comentarios as consultas_comentarios
from datos.consultas.comentarios import LIMITE_BUSQUEDA, LIMITE_COMENTARIOS, LIMITE_MODELOS_COMENTARIOS
from analisis.errores import MuestraInsuficiente
from paginas import comentarios_comun, comun, graficos, sesion
from paginas.pestanas import CONSERVAR, pestanas

AUTOMATICO = "Automático"
SEGMENTOS = {"etapa_baja": "Etapa peor calificada", "canal": "Canal", "sucursal": "Sucursal",
             "tipo_cliente": "Tipo de cliente"}
PERIODICIDADES = {"semana": "Semana", "mes": "Mes", "trimestre": "Trimestre"}
FILAS_EN_PANTALLA = 200
AYUDA_MASCARA = ("Los correos, teléfonos, documentos de identidad y números de tarjeta se ocultan "
                 "([correo], [teléfono], [documento], [tarjeta]) en pantalla y en los archivos.")


def leer(filas, preparar, clave: str) -> None:
    """Muestra hasta ``FILAS_EN_PANTALLA`` de ``filas`` y los botones para descargarlas todas (``comun.descargas``:
    fórmulas neutralizadas y cada descarga anotada en la bitácora), preparadas con ``preparar`` (encabezados en
    español y el texto enmascarado: ``comentarios.para_exportar``) y con seudónimos de clientes y personas para
    los roles que no pueden ver identidades (``sesion.protectora``).

    Las filas que no se ven se preparan solo al pulsar una descarga (con 200.000 comentarios, enmascararlos
    todos en cada ejecución costaba un segundo).
    """
    proteger = sesion.protectora()
    st.caption(f"{numero(len(filas), 0)} comentarios; en pantalla, los primeros "
               f"{numero(min(len(filas), FILAS_EN_PANTALLA), 0)}. {AYUDA_MASCARA}")
    comun.tabla(comentarios.para_mostrar(proteger(preparar(filas.head(FILAS_EN_PANTALLA)))), hide_index=True,
                width="stretch", key=f"com_tabla_{clave}",
                column_config={"Fecha": st.column_config.DatetimeColumn(format="DD/MM/YYYY")})
    comun.descargas(lambda: proteger(preparar(filas)), f"comentarios_{clave}", clave=clave)


def elegir_tema(etiqueta: str, opciones: list[int], temas: comentarios.Temas, clave: str) -> int:
    """Selector de un tema por su nombre."""
    return st.selectbox(etiqueta, opciones, format_func=lambda t: temas.nombres.get(t, "Sin tema reconocible"),
                        placeholder=comun.ELIJA_UNA_OPCION, key=clave, persist_state=CONSERVAR)


comun.encabezado("Comentarios", "Lo que los clientes dicen con sus palabras: los temas de sus comentarios, cuáles "
                "acompañan a las peores notas y con qué tono escriben. Todo se calcula en este equipo con los "
                "comentarios de su organización.",
                vacio="Todavía no hay datos. Cargue encuestas con comentarios o los datos de demostración desde el "
                      "*Resumen ejecutivo*.")
almacen = comun.almacen()

elegidos = comun.filtros()
muestra_minima = comun.muestra_minima()
privacidad = comun.privacidad_respuestas()
CANDIDATOS = comentarios.CANDIDATOS_TEMAS
eleccion = st.columns([1, 3])[0].selectbox(
    "Número de temas", [AUTOMATICO, *range(2, 26)], placeholder=comun.ELIJA_UNA_OPCION, key="com_k",
    help=f"Automático: entre {CANDIDATOS[0]} y {CANDIDATOS[-1]}, el mayor número de temas casi tan estable como el "
         "más estable (los temas que salen igual al repetir el ajuste con otras submuestras).")
n_temas = None if eleccion == AUTOMATICO else eleccion
try:
    with st.spinner("Buscando los temas de los comentarios…"):
        resultado = comentarios_comun.temas(n_temas)
except MuestraInsuficiente as error:
    comun.aviso_error(error, como=st.info, icono=":material/chat_bubble_outline:")
    st.stop()
try:
    with st.spinner("Aprendiendo el tono de los comentarios calificados…"):
        modelo = comentarios_comun.sentimiento()
    aviso_sentimiento = None
except MuestraInsuficiente as error:
    modelo, aviso_sentimiento = None, error.mensaje
with st.spinner("Leyendo los comentarios del filtro…"):
    tabla = comentarios_comun.asignados(elegidos, resultado, n_temas, con_tono=modelo is not None)
if tabla.empty:
    st.info("No hay comentarios con estos filtros. Amplíe el periodo o quite filtros.",
            icon=":material/filter_alt_off:")
    st.stop()

resumen = comentarios.resumen_temas(tabla, resultado)
exportar_comentarios = functools.partial(comentarios.para_exportar, resultado=resultado)
temas_visibles = resumen["tema"].tolist()
etapas = comun.consultar(consultas_cadena.etapas_cadena)["etapa"].tolist()
with st.container(horizontal=True):
    st.metric("Comentarios", numero(len(tabla), 0), border=True,
              help=f"Comentarios no vacíos de las encuestas del filtro. Con más de {numero(LIMITE_COMENTARIOS, 0)} "
                   "se analiza una muestra aleatoria reproducible de ese tamaño, que elige el motor de datos.")
    st.metric("Temas", resultado.k, "automático" if n_temas is None else "elegido", delta_color="off",
              delta_arrow="off", border=True,
              help=f"TF-IDF de las palabras de asunto (sin palabras de elogio ni de queja) + factorización no negativa "
                   f"(NMF) ajustada sobre {numero(resultado.n_ajuste, 0)} comentarios del historial; cada comentario "
                   "va al tema de mayor peso entre los que menciona con sus palabras.")
    if modelo is None:
        st.metric("Exactitud del sentimiento", "—", "no se estima", delta_color="off", delta_arrow="off", border=True,
                  help=aviso_sentimiento)
    else:
        exactitud = comentarios.exactitud_para_mostrar(modelo)
        st.metric("Exactitud del sentimiento", exactitud["valor"], exactitud["intervalo"], delta_color="off",
                  delta_arrow="off", border=True, help=exactitud["explicacion"])
        negativa = comentarios.parte_negativa(tabla)
        st.metric("Tono negativo", porcentaje(negativa.valor), border=True,
                  help=f"Parte de los comentarios del filtro que el modelo lee como negativos (IC 95 %: "
                       f"{porcentaje(negativa.ic_inf)} – {porcentaje(negativa.ic_sup)}).")


def pestana_temas() -> None:
    """Temas: la parte de los comentarios de cada tema, su tono y los comentarios de uno."""
    graficos.mostrar(graficos.figura(graficos.barras_temas, resumen),
                     config=graficos.config_descarga("temas_comentarios"),
                     key="com_barras")
    st.caption("Parte de los comentarios que trata cada tema, con su intervalo de Wilson al 95 %. El color es la parte "
               "de esos comentarios con nota baja (CSAT 1–2 o NPS 0–6).")
    comun.tabla(comentarios.tabla_temas(resumen), hide_index=True, width="stretch", key="com_temas")
    if modelo is not None:
        st.markdown("**Tono de cada tema** y etapa de la cadena que nombran sus palabras")
        por_tema = comentarios.sentimiento_por_tema(tabla, resultado, comentarios.etapas_de_temas(resultado, etapas),
                                                    muestra_minima=muestra_minima, privacidad=privacidad)
        comun.tabla(comentarios.tabla_sentimiento_temas(por_tema), hide_index=True, width="stretch")
        st.caption("Parte de los comentarios de cada tema que el modelo lee como negativos y como positivos, con su "
                   "intervalo de Wilson al 95 %. La etapa es la que nombran las palabras del tema (p. ej. «pedido», "
                   "«envío» → Entrega); una raya si no nombran ninguna. «Pequeña»: menos de "
                   f"{numero(muestra_minima, 0)} comentarios.")
    elegido = elegir_tema("Leer los comentarios del tema", temas_visibles, resultado, "com_tema_leer")
    for ejemplo in comentarios.ejemplos(tabla, elegido):
        st.container(border=True).text(ejemplo)  # texto tal cual: un comentario nunca se dibuja como Markdown
    with st.expander("Todos los comentarios del tema"):
        leer(comentarios.filtrar(tabla, temas=[elegido]), exportar_comentarios, "tema")


def pestana_duele() -> None:
    """Qué duele: los temas que acompañan a las notas bajas y sus comentarios negativos."""
    duele = comentarios.lo_que_duele(tabla, resultado, muestra_minima=muestra_minima)
    if titular := comentarios.titular_duele(duele):
        st.subheader(sin_markdown(titular))
    else:
        st.info(f"Ningún tema con al menos {numero(muestra_minima, 0)} comentarios aparece entre las notas bajas "
                "significativamente más que entre las demás. Los temas con menos comentarios se ven abajo sin "
                "prueba («insuficiente» en la columna Muestra): léalos como indicios.", icon=":material/info:")
    medida = st.radio("Diferencia en", ["csat", "nps"], format_func=str.upper, horizontal=True, key="com_medida",
                      persist_state=CONSERVAR)
    graficos.mostrar(graficos.figura(graficos.bosque_temas, duele, medida),
                     config=graficos.config_descarga("temas_que_duelen"),
                     key="com_bosque")
    st.caption(f"Punto: nota media (o NPS) de los comentarios con el tema menos la de los que no lo tratan; línea: "
               f"intervalo al 95 % (t de Welch para el CSAT; aproximación normal para el NPS). Rojo: el tema resta; "
               f"verde: suma; gris: no se distingue de cero. Hueco: menos de {numero(muestra_minima, 0)} comentarios.")
    comun.tabla(comentarios.tabla_duele(duele), hide_index=True, width="stretch", key="com_duele")
    st.caption("«Veces más»: la parte de los comentarios con nota baja que trata el tema dividida por la parte de los "
               "demás comentarios calificados (prueba z de dos proporciones para decidir si es significativa).")
    elegido = elegir_tema("Leer los comentarios con nota baja del tema", duele["tema"].tolist(), resultado,
                          "com_tema_duele")
    leer(comentarios.filtrar(tabla, temas=[elegido], tonos=["negativo"]), exportar_comentarios, "duele")


def pestana_segmentos() -> None:
    """Por etapa y segmento: los temas de cada grupo y sus comentarios."""
    segmento = st.selectbox("Ver los temas por", list(SEGMENTOS), format_func=SEGMENTOS.get,
                            placeholder=comun.ELIJA_UNA_OPCION, key="com_segmento", persist_state=CONSERVAR)
    reparto = comentarios.temas_por(tabla, segmento, resultado, muestra_minima=muestra_minima,
                                    orden=etapas if segmento == "etapa_baja" else None, privacidad=privacidad)
    if segmento == "etapa_baja":
        for frase in comentarios.resumenes_por_etapa(tabla, resultado, etapas):
            st.markdown(f"- {sin_markdown(frase)}")
        st.caption("Etapa peor calificada: la etapa de la cadena a la que el encuestado dio su nota más baja (si dio "
                   "la misma nota a todas, ninguna). Comentarios negativos: los de nota baja.")
    if reparto.empty:
        st.info("Ningún comentario del filtro tiene dato para este desglose.", icon=":material/info:")
    else:
        graficos.mostrar(graficos.figura(graficos.mapa_temas, reparto, titulo_grupo=SEGMENTOS[segmento]),
                         config=graficos.config_descarga(f"temas_por_{segmento}"), key="com_mapa")
        st.caption(f"Cada celda: parte de los comentarios del grupo que trata el tema (intervalo de Wilson al pasar el "
                   f"cursor). «Muestra pequeña»: menos de {numero(muestra_minima, 0)} comentarios en el grupo.")
        izquierda, derecha = st.columns(2)
        grupo = izquierda.selectbox("Leer los comentarios de", sorted(reparto["grupo"].unique()),
                                    placeholder=comun.ELIJA_UNA_OPCION, key="com_grupo", persist_state=CONSERVAR)
        with derecha:
            elegido = elegir_tema("y del tema", temas_visibles, resultado, "com_tema_grupo")
        leer(comentarios.filtrar(tabla, temas=[elegido], segmentos={segmento: [grupo]}), exportar_comentarios,
             "segmento")


def pestana_tiempo() -> None:
    """En el tiempo: la parte de cada tema por semana, mes o trimestre."""
    periodicidad = st.radio("Periodo", list(PERIODICIDADES), index=1, format_func=PERIODICIDADES.get,
                            horizontal=True, key="com_periodo", persist_state=CONSERVAR)
    serie = comentarios.temas_en_el_tiempo(tabla, resultado, periodicidad=periodicidad, muestra_minima=muestra_minima)
    graficos.mostrar(graficos.figura(graficos.series_temas, serie),
                     config=graficos.config_descarga("temas_en_el_tiempo"),
                     key="com_serie")
    st.caption(f"Parte de los comentarios de cada periodo que trata cada tema (pulse la leyenda para ocultar temas). "
               f"Puntos huecos: menos de {numero(muestra_minima, 0)} comentarios en el periodo.")


def pestana_sentimiento() -> None:
    """Sentimiento: el tono por segmento, el de las notas de auditoría y cómo se aprende."""
    if modelo is None:
        st.info(aviso_sentimiento, icon=":material/sentiment_neutral:")
    else:
        st.markdown(comentarios.exactitud_para_mostrar(modelo)["explicacion"])
        desglose = st.selectbox("Tono por", [None, *SEGMENTOS], placeholder=comun.ELIJA_UNA_OPCION,
                                key="com_tono_por", persist_state=CONSERVAR,
                                format_func=lambda c: "Todos los comentarios" if c is None else SEGMENTOS[c])
        tonos = comentarios.sentimiento_por(tabla, desglose, muestra_minima=muestra_minima, privacidad=privacidad)
        graficos.mostrar(graficos.figura(graficos.barras_sentimiento, tonos,
                                         titulo_grupo=SEGMENTOS.get(desglose, "")),
                         config=graficos.config_descarga("sentimiento_comentarios"), key="com_sentimiento")
        st.markdown("**Notas de auditoría** (no llevan calificación del cliente: el tono es el que lee el modelo)")
        notas = comentarios_comun.notas(elegidos)
        if notas.empty:
            st.caption("No hay notas de auditoría en el filtro.")
        else:
            tonos = comentarios.sentimiento_por(notas, "equipo", muestra_minima=muestra_minima,
                                                privacidad=privacidad)
            graficos.mostrar(graficos.figura(graficos.barras_sentimiento, tonos, titulo_grupo="Equipo"),
                             config=graficos.config_descarga("sentimiento_auditorias"), key="com_sentimiento_notas",
                             sin_datos=f"Ningún equipo llega con estos filtros a {numero(privacidad, 0)} notas de "
                                       "auditoría con tono (el umbral de privacidad): no se muestra el tono por equipo.")
            st.caption("El modelo aprendió de comentarios de clientes: en notas de auditoría, escritas de otra "
                       "manera, su exactitud puede ser menor que la medida.")
            leer(notas, comentarios.notas_para_exportar, "notas")
    st.caption(f"Cómo se aprende: un comentario con CSAT 1–2 o NPS 0–6 es un ejemplo negativo y uno con CSAT 4–5 o NPS "
               f"9–10, positivo. TF-IDF de las raíces de las palabras, con las negaciones marcadas («no volveremos») "
               f"y una señal por cada palabra de elogio o de queja, + regresión logística (scikit-learn). Tono "
               f"«neutral»: el comentario no trae ninguna palabra que el modelo conozca. Con menos de "
               f"{numero(comentarios.MINIMO_CALIFICADOS, 0)} comentarios calificados no se estima.")


def pestana_buscar() -> None:
    """Buscar y exportar: los comentarios con unas palabras, temas, tonos o etapas."""
    texto = st.text_input("Buscar palabras", key="com_buscar", placeholder="p. ej. entrega tarde",
                          persist_state=CONSERVAR,
                          help="Encuentra los comentarios que contienen todas las palabras, sin importar mayúsculas "
                               f"ni tildes (los {numero(LIMITE_BUSQUEDA, 0)} más recientes).")
    columnas = st.columns(4)
    por_tema = columnas[0].multiselect("Temas", temas_visibles, key="com_f_temas", select_all=False,
                                       placeholder="Todos", persist_state=CONSERVAR,
                                       format_func=lambda t: resultado.nombres.get(t, "Sin tema reconocible"))
    por_sentimiento = columnas[1].multiselect("Sentimiento (modelo)", list(comentarios.TONOS), key="com_f_sent",
                                              select_all=False, persist_state=CONSERVAR,
                                              placeholder="Todos", disabled=modelo is None, format_func=str.capitalize)
    por_tono = columnas[2].multiselect("Tono de la nota", list(comentarios.TONOS), key="com_f_tono",
                                       select_all=False, persist_state=CONSERVAR,
                                       placeholder="Todos", format_func=str.capitalize,
                                       help="Negativo: CSAT 1–2 o NPS 0–6; neutral: CSAT 3 o NPS 7–8; positivo: CSAT "
                                            "4–5 o NPS 9–10.")
    por_etapa = columnas[3].multiselect("Etapa peor calificada", etapas, key="com_f_etapa",
                                        select_all=False, placeholder="Todas", persist_state=CONSERVAR)
    buscados = comun.consultar(consultas_comentarios.buscar_comentarios, elegidos, texto) if texto.strip() else None
    base = tabla if buscados is None else comentarios.asignar(buscados, resultado, modelo)
    encontrados = comentarios.filtrar(base, temas=por_tema, sentimientos=por_sentimiento, tonos=por_tono,
                                      etapas=por_etapa)
    leer(encontrados, exportar_comentarios, "busqueda")


def pestana_renombrar() -> None:
    """Renombrar y unir: el nombre propio de cada tema y las uniones."""
    st.caption("Dé a cada tema un nombre propio o únalo a otro (sus comentarios pasan a ese tema). Se guarda con las "
               "palabras del tema y reaparece en cada visita, aunque los temas se reajusten con datos nuevos; deje el "
               "nombre automático o bórrelo para volver a él.")
    with st.form("com_nombres", enter_to_submit=False):
        escritos, uniones = {}, {}
        for tema in resultado.firmas:
            nombre, union = st.columns([3, 2])
            escritos[tema] = nombre.text_input(f"Tema {tema + 1}", value=resultado.nombres[tema],
                                               max_chars=LARGO_MAXIMO, key=f"com_nombre_{resultado.firmas[tema]}",
                                               help=f"Automático: {resultado.automaticos[tema]}. Palabras: "
                                                    f"{', '.join(resultado.palabras[tema])}")
            destinos = [None, *(t for t in resultado.firmas if t != tema)]
            uniones[tema] = union.selectbox("Unir con", destinos, index=destinos.index(resultado.uniones.get(tema)),
                                            placeholder=comun.ELIJA_UNA_OPCION, key=f"com_union_{resultado.firmas[tema]}",
                                            format_func=lambda t: "(ninguno)" if t is None else resultado.nombres[t])
        comun.boton_guardar("Guardar", lambda: guardar_temas(
            almacen.cursor(), comentarios.cambios_de_temas(resultado, escritos, uniones),
            autor=comun.usuario().usuario), "Temas guardados")


pestanas({"Temas": pestana_temas, "Qué duele": pestana_duele, "Por etapa y segmento": pestana_segmentos,
          "En el tiempo": pestana_tiempo, "Sentimiento": pestana_sentimiento, "Buscar y exportar": pestana_buscar,
          "Renombrar y unir": pestana_renombrar}, "comentarios")

with st.expander("¿Cómo se calcula?"):
    st.markdown(
        "- **Limpieza**: antes de nada se ocultan los datos personales (correos, teléfonos, documentos, tarjetas); "
        "el texto pasa a minúsculas y sin tildes, se reducen las letras repetidas («buenooo») y los emojis se "
        "conservan como señales del tono. Las palabras vacías del español («de», «que», «el»…) no forman temas.\n"
        "- **Temas**: de qué se habla, no cómo le fue al cliente: las palabras se reducen a su raíz (Snowball: "
        "«habitaciones» = «habitación»), las de elogio o queja («excelente», «pésimo») no forman temas, y se "
        "ajusta una factorización no negativa de matrices (NMF, scikit-learn) sobre el TF-IDF de las **oraciones**, "
        "con los términos que empiezan por un sustantivo (el asunto: «desayuno», «aire acondicionado») y sin los que "
        "nombran el negocio mismo (los que están en más de dos de cada tres comentarios, como «hotel»). "
        "Cada tema se nombra con los sustantivos de sus palabras principales, y cada comentario va al tema de "
        "mayor peso entre los que menciona con sus palabras. Del motor de datos sale una muestra aleatoria "
        "reproducible de hasta "
        f"{numero(LIMITE_MODELOS_COMENTARIOS, 0)} comentarios de todo el historial; los temas se ajustan sobre "
        f"hasta {numero(comentarios.MAXIMO_AJUSTE_TEMAS, 0)} de ellos, en los que las "
        "notas bajas, medias y altas pesan lo mismo (así las quejas, más raras, tienen sus propios temas); el número "
        f"automático es, entre {CANDIDATOS[0]} y {CANDIDATOS[-1]}, el mayor casi tan **estable** "
        f"({porcentaje(comentarios.PARTE_DE_LA_MEJOR, 0)}) como el más "
        "estable (Greene y otros 2014). Los "
        "temas son los mismos con cualquier filtro.\n"
        "- **Qué duele**: para cada tema, la diferencia de CSAT y de NPS entre los comentarios que lo tratan y los "
        "que no, con su intervalo al 95 %, y cuántas veces más aparece entre las notas bajas.\n"
        "- **Sentimiento**: aprendido de los comentarios calificados de su organización (ver la pestaña); se aplica "
        "también a los comentarios sin nota y a las notas de auditoría.\n"
        f"- Las cifras con menos de **{numero(muestra_minima, 0)}** comentarios se marcan como muestra pequeña.")
