"""Envíos y alertas: quién recibe por correo o webhook el resumen, las alertas y los informes, y cómo llegaron."""

from datetime import datetime

import streamlit as st

from analisis.errores import ErrorEslabon
from analisis.formato import cantidad
from datos.avisos import enviar_pendientes, guardar_envios, validar_envios
from datos.avisos.entrega import CorreoNoConfigurado, ServidorCorreo, destino_webhook, webhook_predeterminado
from datos.avisos.envio import enlace_de_la_app
from datos.avisos.suscripciones import FRECUENCIAS, INFORMES
from datos.consultas import envios as consultas_envios
from datos.consultas import resumen as consultas_resumen
from paginas import comun, sesion

COLUMNAS_HISTORIA = {
    "momento": st.column_config.DatetimeColumn("Momento", format="DD/MM/YYYY HH:mm"),
    "informe": st.column_config.TextColumn("Informe"), "canal": "Canal", "destino": "Destino",
    "estado": "Estado", "intentos": st.column_config.NumberColumn("Intentos", format="%d"), "asunto": "Asunto",
    "error": st.column_config.TextColumn("Error", width="large"),
}

comun.encabezado("Envíos y alertas",
                 "El resumen ejecutivo, las alertas en cuanto se disparan y los informes de realimentación de cada "
                 "equipo llegan por correo (y las alertas también a un webhook de Teams, Slack u otro sistema). Cada "
                 "destinatario con cuenta en Eslabón recibe solo los datos de su alcance, con los mismos umbrales de "
                 "privacidad que en pantalla.")
yo = sesion.usuario_actual()
cursor = comun.almacen().cursor()

try:
    servidor = ServidorCorreo.del_entorno()
    st.caption(f"Correo: servidor {servidor.host}:{servidor.puerto}, remitente {servidor.remitente}"
               + (f", entra como {servidor.usuario}" if servidor.usuario else "") + ".")
except CorreoNoConfigurado as error:
    comun.aviso_error(f"{error.mensaje} Mientras tanto los correos quedan como fallidos en la historia y se "
                      "reintentan.", como=st.warning, icono=":material/mail_lock:")
if not enlace_de_la_app():
    st.caption("Defina ESLABON_URL con la dirección de Eslabón para que los correos lleven un enlace a la aplicación.")
if webhook_predeterminado():
    st.caption(f"Las alertas van también al webhook predeterminado ({destino_webhook(webhook_predeterminado())}, "
               "ESLABON_WEBHOOK).")

fallos = comun.consultar(consultas_envios.fallos_pendientes, cache=None)
if not fallos.empty:
    st.error(f"{cantidad(len(fallos), 'entrega no llegó', 'entregas no llegaron')} tras todos sus intentos. "
             "Se reintentan en la próxima ronda; revise el error de cada una.", icon=":material/error:")
    comun.tabla(fallos.assign(informe=fallos["informe"].map(INFORMES)), hide_index=True,
                 column_config=COLUMNAS_HISTORIA, key="envios_fallos")

suscripciones, historia = st.tabs(["Suscripciones", "Historia de entregas"])

with suscripciones:
    st.caption("Una fila por suscripción. «Para» admite varias direcciones separadas por comas. Sucursales y "
               "equipos vacíos: toda la organización (siempre dentro del alcance de la cuenta del destinatario). "
               "El resumen semanal sale los lunes con la semana anterior; el mensual, el día 1 con el mes anterior; "
               "las alertas, en cuanto se disparan (cada alerta una vez por día, semana o mes según la frecuencia).")
    tabla = comun.consultar(consultas_envios.suscripciones, cache=None)
    tabla = tabla.assign(para=tabla["para"].map(", ".join), webhook=tabla["webhook"].fillna("")).drop(
        columns="creado").astype({"para": str, "webhook": str, "sucursales": object, "equipos": object})
    sucursales = comun.consultar(consultas_resumen.valores_de_filtro, "sucursal")["valor"].tolist()
    equipos = comun.consultar(consultas_resumen.valores_de_filtro, "equipo")["valor"].tolist()
    editada = comun.editor(tabla, num_rows="dynamic", hide_index=True, key="envios_editor", column_config={
        "para": st.column_config.TextColumn("Para", required=True,
                                            help="Direcciones de correo separadas por comas."),
        "frecuencia": st.column_config.SelectboxColumn("Frecuencia", options=list(FRECUENCIAS), required=True,
                                                       format_func=FRECUENCIAS.get, default="semanal"),
        "informe": st.column_config.SelectboxColumn("Informe", options=list(INFORMES), required=True,
                                                    format_func=INFORMES.get, default="resumen"),
        "sucursales": st.column_config.MultiselectColumn("Sucursales", options=sucursales),
        "equipos": st.column_config.MultiselectColumn("Equipos", options=equipos),
        "webhook": st.column_config.TextColumn(
            "Webhook", help="Opcional: dirección https:// de un webhook de Teams, Slack o cualquier receptor de "
                            "JSON (alertas y resúmenes)."),
        "activo": st.column_config.CheckboxColumn("Activa", default=True),
    })
    with st.container(horizontal=True):
        if st.button("Guardar suscripciones", type="primary", icon=":material/save:"):
            try:
                cuantas = guardar_envios(cursor, validar_envios(editada.to_dict("records")), autor=yo.usuario)
                st.toast(f"{cantidad(cuantas, 'suscripción guardada', 'suscripciones guardadas')}.",
                         icon=":material/check:")
                st.rerun()
            except ErrorEslabon as error:
                comun.aviso_error(error)
        pendientes = st.button("Enviar lo que toca", icon=":material/schedule_send:",
                               help="Lo mismo que hace cada ronda programada: solo lo que aún no salió en su ciclo.")
        todo = st.button("Enviar todo ahora", icon=":material/send:",
                         help="Todas las suscripciones activas, toque o no (como python -m datos.envios --ahora).")
    if pendientes or todo:
        with st.spinner("Enviando…"):
            informe = enviar_pendientes(cursor, datetime.now(), todos=todo, consultar=comun.consultar,
                                        autor=yo.usuario)
        aviso = st.error if informe.fallidos else st.success
        aviso(f"{cantidad(informe.enviados, 'entrega enviada', 'entregas enviadas')}, "
              f"{cantidad(informe.fallidos, 'fallida', 'fallidas')}.",
              icon=":material/error:" if informe.fallidos else ":material/check:")
        st.text(informe.texto())

with historia:
    st.caption("Las 500 entregas más recientes: cada correo y cada webhook, con sus intentos y su error si falló.")
    entregas = comun.consultar(consultas_envios.entregas, cache=None)
    if entregas.empty:
        st.info("Todavía no salió ningún envío.", icon=":material/outgoing_mail:")
    else:
        comun.tabla(entregas.assign(informe=entregas["informe"].map(INFORMES),
                                     intentos=entregas["intentos"].astype(int)),
                     hide_index=True, column_config=COLUMNAS_HISTORIA, key="envios_historia")
