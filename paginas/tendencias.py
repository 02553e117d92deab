"""Tendencias: si la satisfacción se mueve de verdad, dónde y desde cuándo."""

import streamlit as st

from analisis import alertas, tendencias
from analisis.formato import fecha, numero, sin_markdown
from analisis.privacidad import ocultar_pequenos, proteger_detalle
from analisis.errores import ReglaNoValida
from datos.ajustes.reglas import guardar_reglas
from datos.consultas import resumen as consultas_resumen
from datos.consultas import tendencias as consultas_tendencias
from paginas import comun, graficos, sesion

LIMITE_DETALLE = 500
MAXIMO_PANELES = 12
PERIODOS_DISTRIBUCION = 24
CLAVES = [k.clave for k in tendencias.INDICADORES]
PERIODICIDADES = {"dia": "Día", "semana": "Semana", "mes": "Mes", "trimestre": "Trimestre"}
VISTAS = {0: "Por periodo", 7: "Móvil de 7 días", 28: "Móvil de 28 días"}
#: Cifras de un punto de la serie que el umbral de privacidad borra.
CIFRAS_DE_PUNTO = ("valor", "ic_inf", "ic_sup")
MEDIDAS = {"csat": "CSAT (1–5)", "nps": "NPS (0–10)", "ces": "CES (1–7)"}
METODO_PRUEBAS = (
    "Tendencia: prueba de Mann-Kendall con corrección por empates (Hipel y McLeod 1994) y pendiente de Sen. "
    "Puntos de cambio: segmentación binaria circular de la media ponderada por n, con penalización MBIC "
    "(3·σ²·ln n por cambio). Cada cambio compara el tramo nuevo con el anterior (t de Welch, z de proporciones "
    "o del NPS; en percentiles, U de Mann-Whitney). Solo cuentan los periodos con muestra suficiente."
)


def titulo_de(clave: str) -> str:
    """Nombre visible de un indicador."""
    return tendencias.indicador(clave).titulo


comun.encabezado("Tendencias", vacio=comun.SIN_DATOS)

elegidos = comun.filtros()
muestra_minima = comun.muestra_minima()
pedido = st.query_params.get("kpi")

columnas = st.columns([2, 1.5, 1.5])
clave = columnas[0].selectbox("Indicador", CLAVES, index=CLAVES.index(pedido) if pedido in CLAVES else 2,
                              format_func=titulo_de, key="tend_indicador", placeholder=comun.ELIJA_UNA_OPCION)
desglose = columnas[1].selectbox("Desglose", [None, *tendencias.NOMBRES_DESGLOSE], key="tend_desglose",
                                 placeholder=comun.ELIJA_UNA_OPCION,
                                 format_func=lambda d: "Sin desglose" if d is None else tendencias.NOMBRES_DESGLOSE[d])
horizonte = columnas[2].selectbox("Horizonte", list(tendencias.HORIZONTES), format_func=tendencias.HORIZONTES.get,
                                  key="tend_horizonte", placeholder=comun.ELIJA_UNA_OPCION,
                                  help="Rango de fechas de la serie; los demás filtros de la barra lateral "
                                       "se aplican.")
columnas = st.columns([2, 3])
periodicidad = columnas[0].radio("Periodicidad", list(PERIODICIDADES), index=1, format_func=PERIODICIDADES.get,
                                 horizontal=True, key="tend_periodicidad")
vista = columnas[1].radio("Vista", list(VISTAS), format_func=VISTAS.get, horizontal=True, key="tend_vista",
                          help="Las vistas móviles suman, para cada día, los conteos de los 7 o 28 días que "
                               "terminan en él.")

kpi = tendencias.indicador(clave)
_, sentido = tendencias.meta_y_sentido(clave, comun.consultar(consultas_resumen.metas, elegidos))
filtros_serie = tendencias.filtros_de_horizonte(elegidos, horizonte)
origen = "encuestas" if tendencias.de_encuestas(clave) else "interacciones"
serie_de_origen = consultas_tendencias.SERIES[origen]
with st.spinner("Calculando la serie en la base de datos…"):
    filas = comun.consultar(serie_de_origen, filtros_serie, periodicidad, desglose)
    intervalos = (comun.consultar(consultas_tendencias.intervalo_percentil, filtros_serie, periodicidad, desglose,
                                  *tendencias.PERCENTILES[clave]) if clave in tendencias.PERCENTILES else None)
if filas.empty:
    comun.vacio("No hay datos para estos filtros. Amplíe el periodo o el horizonte, o quite algún filtro de la barra "
                "lateral.")
    st.stop()

privacidad = comun.privacidad_respuestas()
serie = ocultar_pequenos(tendencias.serie_indicador(clave, filas, muestra_minima, intervalos=intervalos), n="n",
                         columnas=CIFRAS_DE_PUNTO, minimo=privacidad)
diagnosticos = tendencias.diagnosticar(clave, filas, periodicidad, muestra_minima=muestra_minima)
st.caption(f"{kpi.titulo} {tendencias.etiqueta_periodo(serie['periodo'].min(), periodicidad).lower()} – "
           f"{tendencias.etiqueta_periodo(serie['periodo'].max(), periodicidad).lower()}, "
           f"por {PERIODICIDADES[periodicidad].lower()}. {comun.con_nota_percentil(tendencias.metodo(clave), clave)}")

st.subheader("¿Es real?")
st.markdown("\n".join(f"- {sin_markdown(frase)}" for frase in tendencias.frases_destacadas(diagnosticos)),
            help=METODO_PRUEBAS)

if vista and clave in tendencias.PERCENTILES:
    st.info("Los percentiles no se pueden sumar entre días: la vista móvil no está disponible para este indicador.",
            icon=":material/info:")
    vista = 0
dibujo = serie
if vista:
    diarias = comun.consultar(serie_de_origen, filtros_serie, "dia", desglose)
    dibujo = ocultar_pequenos(tendencias.serie_indicador(clave, tendencias.movil(diarias, vista), muestra_minima),
                              n="n", columnas=CIFRAS_DE_PUNTO, minimo=privacidad)
cambios = tendencias.fechas_de_cambio(diagnosticos)
metas = comun.consultar(consultas_tendencias.metas_por_periodo, filtros_serie, "dia" if vista else periodicidad, clave)
if desglose is None:
    figura = graficos.figura(graficos.serie_kpi, dibujo, kpi.unidad, titulo=kpi.titulo, metas=metas,
                             cambios=tuple(cambios["Total"]),
                             volumen="Respuestas" if origen == "encuestas" else "Interacciones")
else:
    grupos = tendencias.grupos_principales(dibujo, MAXIMO_PANELES)
    figura = graficos.figura(graficos.multiples_kpi, dibujo, kpi.unidad, grupos=grupos, metas=metas, cambios=cambios)
    if len(grupos) < dibujo["grupo"].nunique():
        st.caption(f"Se muestran los {len(grupos)} segmentos con más respuestas de {dibujo['grupo'].nunique()}; "
                   "la tabla de abajo y la descarga los incluyen todos.")
evento_serie = graficos.mostrar(figura, on_select="rerun", selection_mode="points", key="tend_grafico",
                                config=graficos.config_descarga(f"tendencia_{clave}_{periodicidad}"))
st.caption(f"Banda: intervalo de confianza al 95 %. Puntos huecos grises: menos de {numero(muestra_minima, 0)} "
           f"respuestas (muestra insuficiente; no cuentan en las pruebas). Con menos de {numero(privacidad, 0)} el "
           "punto no se muestra (umbral de privacidad). Línea gris punteada: la meta que regía en cada periodo. "
           "Líneas rojas discontinuas: puntos de cambio. Haga clic en un punto para ver las respuestas detrás de él; el icono de cámara descarga el "
           "gráfico en PNG.")
comun.descargas(tendencias.serie_para_exportar(dibujo, clave), f"serie_{clave}_{periodicidad}", clave="serie")

st.subheader("Cambio frente al periodo anterior" if desglose is None else "Segmentos ordenados por su cambio")
st.caption(f"Periodo de la barra lateral (del {fecha(elegidos.desde)} al {fecha(elegidos.hasta)}) frente al anterior "
           "de igual duración, con la prueba de significancia de cada indicador. Los que más empeoran van primero; "
           "⚠ marca una muestra insuficiente.")
comparacion = comun.consultar(consultas_tendencias.COMPARACIONES[origen], elegidos, desglose)
ranking = ocultar_pequenos(tendencias.ranking_de_cambios(clave, comparacion, muestra_minima=muestra_minima,
                                                         sentido=sentido, diagnosticos=diagnosticos),
                           n=("n_anterior", "n_actual"), columnas=("anterior", "actual", "cambio", "p"),
                           minimo=privacidad)
if ranking.empty:
    comun.vacio("No hay datos de este indicador en el periodo elegido ni en el anterior: no hay cambio que medir.")
else:
    comun.tabla(tendencias.formatear_ranking(ranking, clave, periodicidad), hide_index=True, key="tend_ranking",
                column_config={"Segmento": st.column_config.TextColumn(pinned=True, width=140),
                               **{columna: st.column_config.Column(help=ayuda)
                                  for columna, ayuda in tendencias.ayuda_ranking().items()}})
    comun.descargas(tendencias.ranking_para_exportar(ranking, clave), f"cambios_{clave}", clave="ranking")

st.subheader("Distribución de las calificaciones")
medidas = list(MEDIDAS)
medida = st.radio("Escala", medidas, index=medidas.index(tendencias.medida_de(clave)), format_func=MEDIDAS.get,
                  horizontal=True, key="tend_medida")
distribucion = comun.consultar(consultas_tendencias.distribucion_calificaciones, filtros_serie, periodicidad, medida)
divergente = ocultar_pequenos(tendencias.distribucion_divergente(distribucion, medida), n="n_periodo",
                              columnas=["n", "proporcion"], minimo=privacidad).dropna(subset=["proporcion"])
evento_barras = None
if divergente.empty:
    comun.vacio(f"No hay calificaciones de esta escala con los filtros elegidos (o ningún periodo llega a "
                f"{numero(privacidad, 0)} respuestas, el umbral de privacidad).")
else:
    divergente = tendencias.ultimos_periodos(divergente, PERIODOS_DISTRIBUCION)
    evento_barras = graficos.mostrar(
        graficos.barras_divergentes(divergente, titulo="% de respuestas: negativas a la izquierda, positivas a la "
                                     "derecha (la neutra, repartida al centro)",
                                     etiqueta_periodo=lambda p: tendencias.etiqueta_periodo(p, periodicidad)),
        on_select="rerun", selection_mode="points", key="tend_distribucion",
        config=graficos.config_descarga(f"distribucion_{medida}_{periodicidad}"))
    st.caption(f"Últimos {PERIODOS_DISTRIBUCION} periodos como máximo; no se muestran los periodos con menos de "
               f"{numero(privacidad, 0)} respuestas (umbral de privacidad). Haga clic en una barra para ver esas "
               "respuestas.")
    comun.descargas(tendencias.distribucion_para_exportar(divergente), f"distribucion_{medida}_{periodicidad}",
                    clave="distribucion")

st.subheader("Detalle")
eleccion = graficos.eleccion_reciente({"serie": evento_serie, "distribucion": evento_barras},
                                      st.session_state.setdefault("tend_elecciones", {}))
if eleccion is None:
    eleccion = {"periodo": serie["periodo"].max().date(), "grupo": None, "categoria": None}
    st.caption("Sin selección: se muestra el último periodo. Haga clic en un punto o una barra para cambiarlo.")
periodo_detalle = "dia" if vista and not eleccion["categoria"] else periodicidad
partes = [tendencias.etiqueta_periodo(eleccion["periodo"], periodo_detalle), eleccion["grupo"],
          eleccion["categoria"] and f"{MEDIDAS[medida]}: {eleccion['categoria']}"]
st.markdown(f"**{sin_markdown(' · '.join(p for p in partes if p))}**")
texto = st.text_input("Buscar en los comentarios", key="tend_texto", placeholder="p. ej. entrega")
pedido = tendencias.consulta_de_detalle(clave, eleccion, filtros_serie, periodicidad=periodo_detalle,
                                        desglose=desglose, medida=medida, texto=texto, limite=LIMITE_DETALLE)
ver_clientes = sesion.puede_ver_clientes() and st.toggle(
    "Mostrar los identificadores de clientes", key="tend_ver_clientes",
    help="Por privacidad se muestran seudónimos estables; los datos personales de los comentarios siempre se ocultan.")
detalle = proteger_detalle(comun.consultar(consultas_tendencias.detalle, pedido), mostrar_clientes=ver_clientes)
if detalle.empty:
    comun.vacio("No hay filas con esta selección.")
else:
    comun.tabla(tendencias.detalle_para_mostrar(detalle), hide_index=True, key="tend_detalle")
    st.caption(f"{numero(len(detalle), 0)} filas, las más recientes primero (máximo {numero(LIMITE_DETALLE, 0)}).")
    comun.descargas(tendencias.detalle_para_exportar(detalle), "detalle", clave="detalle")

st.subheader("Alertas")
comun.mostrar_alertas(comun.alertas_vigentes(elegidos), limite=20)
with st.expander("Configurar las reglas de alerta"):
    st.caption("Cada regla se evalúa sobre los últimos *días* hasta el fin del periodo de la barra lateral; con un "
               "desglose, por cada segmento. «Por debajo de la meta» usa la tabla de metas; «Caída significativa» "
               "compara con los días anteriores de igual duración; «Punto de cambio reciente» busca cambios a peor "
               "en la serie semanal del último año. α es el nivel de significancia.")
    reglas = comun.consultar(consultas_tendencias.reglas_alerta)
    editadas = comun.editor(
        reglas.drop(columns="regla_id"), num_rows="dynamic", hide_index=True, key="tend_reglas",
        column_config={
            "tipo": st.column_config.SelectboxColumn("Tipo", options=list(alertas.TIPOS), required=True,
                                                     format_func=alertas.TIPOS.get),
            "kpi": st.column_config.SelectboxColumn("Indicador", options=CLAVES, required=True, format_func=titulo_de),
            "desglose": st.column_config.SelectboxColumn("Por segmento", options=list(tendencias.NOMBRES_DESGLOSE),
                                                         format_func=tendencias.NOMBRES_DESGLOSE.get),
            "dias": st.column_config.NumberColumn("Días", min_value=7, max_value=365, step=1, default=28),
            "alfa": st.column_config.SelectboxColumn("α", options=alertas.niveles_alfa(reglas["alfa"].dropna()),
                                                     default=0.05, required=True, format_func=alertas.texto_alfa),
            "activa": st.column_config.CheckboxColumn("Activa", default=True),
        })
    if st.button("Guardar reglas", type="primary", icon=":material/save:", key="tend_guardar_reglas"):
        try:
            guardadas = guardar_reglas(comun.almacen().cursor(), alertas.validar_reglas(editadas),
                                       autor=comun.usuario().usuario)
        except ReglaNoValida as error:
            comun.aviso_error(error)
        else:
            st.toast(f"Reglas guardadas: {numero(guardadas, 0)}")
            st.rerun()
