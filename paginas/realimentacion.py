"""Realimentación: informes para entregar a cada equipo o agente (HTML y Excel), uno a uno o todos en un ZIP."""

import streamlit as st

from analisis import competencias, informes
from datos.cuentas import exportar
from paginas import comun
from paginas import competencias_comun as cc

comun.encabezado("Realimentación", "Informes en lenguaje claro para entregar a cada equipo o agente: sus resultados, "
                "sus brechas, su progreso y su plan de capacitación (paso 7 de una cultura de servicio).")

columnas = st.columns(2)
with columnas[0]:
    filtros, periodo = cc.elegir_ventana("realimentacion_ventana")
resultado = columnas[1].selectbox(
    "Resultado de los clientes para priorizar", list(competencias.RESULTADOS), key="realimentacion_resultado",
    placeholder=comun.ELIJA_UNA_OPCION,
    format_func=lambda clave: competencias.RESULTADOS[clave].nombre,
    help="El plan ordena las brechas por brecha × impacto en este resultado (ver «Brechas de habilidades»).")
if cc.sin_auditorias(filtros):
    st.stop()
ronda, _, antes, despues, rondas = cc.elegir_rondas(filtros, "realimentacion")

with st.spinner("Preparando los informes…"):
    datos = cc.datos_de_realimentacion(filtros, periodo, ronda, antes, despues, rondas, resultado)

tipo = st.segmented_control("Informe de", ["Un equipo", "Un agente"], default="Un equipo",
                            key="realimentacion_tipo")
if tipo == "Un agente":
    agentes = competencias.opciones_de_agentes(datos.auditorias_agente, datos.minimo)
    informe = informes.informe_agente(datos, st.selectbox("Agente", list(agentes), format_func=agentes.get,
                                                          key="realimentacion_agente", placeholder=comun.ELIJA_UNA_OPCION))
else:
    informe = informes.informe_equipo(datos, st.selectbox("Equipo", informes.equipos(datos),
                                                          key="realimentacion_equipo", placeholder=comun.ELIJA_UNA_OPCION))

archivo = f"informe_{informes.nombre_de_archivo(informe.destinatario)}"
botones = st.columns(3)
botones[0].download_button("Descargar HTML", comun.anotada(lambda: informes.a_html(informe), f"{archivo}.html"),
                           file_name=f"{archivo}.html", mime="text/html", icon=":material/download:",
                           key="realimentacion_html", on_click="ignore")
botones[1].download_button("Descargar Excel",
                           comun.anotada(lambda: exportar.libro(informes.libro_excel(informe)), f"{archivo}.xlsx"),
                           file_name=f"{archivo}.xlsx",
                           mime="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
                           icon=":material/table:", key="realimentacion_excel", on_click="ignore")
botones[2].download_button(
    "Descargar todos los equipos (ZIP)",
    comun.anotada(lambda: exportar.a_zip(informes.archivos_de_informes(informes.informes_de_equipos(datos))),
                  "informes_de_equipos.zip"),
    file_name="informes_de_equipos.zip", mime="application/zip", icon=":material/folder_zip:", on_click="ignore",
    key="realimentacion_zip",
    help="Un ZIP con el informe HTML y Excel de cada equipo; se prepara al pulsar.")

st.caption(f"Vista previa del informe. No se muestran cifras de personas con menos de {datos.minimo} auditorías "
           "(se configura en «Brechas de habilidades» › Estándar y reglas).")
# El marco toma el alto del informe entero (uno fijo cortaba su tabla); a_html escapa todo texto de los datos.
st.iframe(informes.a_html(informe))
