"""Operación: trabajos programados, carpeta de entrada, respaldos y órdenes de línea de comandos (administración)."""

import os
from dataclasses import replace

import pandas as pd
import streamlit as st

from analisis.errores import ErrorEslabon
from analisis.formato import momento, tabla_en_texto
from datos.ajustes.operacion import (CONSERVAR_MAXIMO, VARIABLE_ENTRADA, AjustesOperacion, carpeta_de_entrada,
                                     guardar_operacion, leer_operacion)
from datos.consultas import operacion as consultas_operacion
from datos.ingesta.entrada import HECHOS, RECHAZADOS, pendientes
from datos.precalculo.precalculador import describir, tiempos
from datos.servicio.respaldo import respaldos_en
from paginas import comun

RESPALDO = "Respaldo diario"
ESTADOS = {"bien": "Bien", "error": "Error"}

comun.encabezado("Operación", "Lo que Eslabón hace solo mientras la aplicación está en marcha: los trabajos "
                 "programados, la carpeta de entrada, los respaldos y las órdenes que llegan de la línea de comandos.")
cursor = comun.almacen().cursor()
marcha = comun.en_marcha()
ajustes = leer_operacion(cursor)


def _ejecutar(nombre: str) -> None:
    """Corre el trabajo ``nombre`` ya y redibuja la página con su estado nuevo y cómo terminó."""
    try:
        with st.spinner(f"Ejecutando «{nombre}»…"):
            ejecucion = marcha.trabajador.ejecutar_ahora(nombre)
    except ErrorEslabon as error:
        comun.aviso_error(error, como=st.warning, icono=":material/hourglass_top:")
        return
    st.session_state["operacion_ejecucion"] = ejecucion
    st.rerun()


def _mostrar_ultima_ejecucion() -> None:
    """Cómo terminó el trabajo que se acaba de ejecutar desde esta página (su resultado, como texto)."""
    ejecucion = st.session_state.pop("operacion_ejecucion", None)
    if ejecucion is None:
        return
    if ejecucion.estado == "error":
        st.error(f"«{ejecucion.trabajo}» terminó con un error:", icon=":material/error:")
    else:
        st.success(f"«{ejecucion.trabajo}» terminó el {momento(ejecucion.fin)}.", icon=":material/check:")
    st.text(ejecucion.resultado or "No había nada que hacer.")


def _guardar(nuevos: AjustesOperacion) -> None:
    """Guarda los ajustes (o explica por qué no valen) y vuelve a programar los trabajos."""
    try:
        guardar_operacion(cursor, nuevos, autor=comun.usuario().usuario)
    except ErrorEslabon as error:
        comun.aviso_error(error)
        return
    marcha.trabajador.reprogramar()
    st.toast("Ajustes de operación guardados.", icon=":material/check:")
    st.rerun()


trabajos, entrada, respaldos, ordenes = st.tabs(["Trabajos programados", "Carpeta de entrada", "Respaldos",
                                                 "Línea de órdenes"])

with trabajos:
    _mostrar_ultima_ejecucion()
    estado = marcha.trabajador.estado(comun.consultar(consultas_operacion.trabajos, cache=None))
    comun.tabla(tabla_en_texto(estado.assign(estado=estado["estado"].map(ESTADOS))), hide_index=True,
                 column_config={"trabajo": "Trabajo", "programa": "Cuándo", "proxima": "Próxima ejecución",
                                "ultima": "Última ejecución", "estado": "Estado", "resultado": "Resultado",
                                "descripcion": "Qué hace"})
    with st.container(horizontal=True, vertical_alignment="bottom"):
        elegido = st.selectbox("Trabajo", list(marcha.trabajador.trabajos), key="operacion_trabajo",
                               placeholder="Elija un trabajo")
        pulsado = st.button("Ejecutar ahora", icon=":material/play_arrow:", key="operacion_ejecutar")
    if pulsado:
        _ejecutar(elegido)
    st.subheader("Últimas ejecuciones")
    ultimas = comun.consultar(consultas_operacion.ejecuciones, cache=None)
    if ultimas.empty:
        st.info("Todavía no hay ejecuciones que hayan hecho algo (las revisiones sin novedades no se listan).",
                icon=":material/history:")
    else:
        comun.tabla(tabla_en_texto(ultimas.assign(estado=ultimas["estado"].map(ESTADOS))), hide_index=True,
                     column_config={"trabajo": "Trabajo", "inicio": "Inicio", "fin": "Fin", "estado": "Estado",
                                    "resultado": "Resultado"})

    st.subheader("Precálculo de los análisis")
    st.caption("Tras cada escritura (una carga, deshacer una carga, la demostración), Eslabón calcula de antemano la "
               "vista por defecto de Comentarios, Cadena de servicio, Perfiles de clientes, Brechas de habilidades y "
               "Realimentación, y prepara el primer cambio de cada filtro del Resumen ejecutivo, para cada alcance "
               "de las cuentas activas, para que nadie espere al abrirlas.")
    if marcha.precalculador is None:
        st.info("El precálculo está apagado (ESLABON_PRECALCULO=no): cada página calcula en su primera visita.",
                icon=":material/pause_circle:")
    else:
        st.text(describir(marcha.precalculador.estado))
        if marcha.precalculador.estado.ultima is not None:
            st.caption(f"Última pasada terminada: {marcha.precalculador.estado.ultima.texto}. Segundos por página, "
                       "sumados los alcances:")
            comun.tabla(tiempos(marcha.precalculador.estado.ultima), hide_index=True)

with entrada:
    st.caption("Los archivos que otros sistemas dejen en esta carpeta se cargan cada minuto con el mapeo que se "
               "confirmó para sus mismas columnas (en «Cargar datos» o con python -m datos.cargar). Quedan en "
               f"«{HECHOS}» o «{RECHAZADOS}», con su informe al lado, y en el historial de cargas.")
    vigente = carpeta_de_entrada(cursor)
    if vigente is None:
        st.info("No hay carpeta de entrada configurada.", icon=":material/folder_off:")
    else:
        st.metric("Archivos esperando en la carpeta de entrada", len(pendientes(vigente, reposo=0)))
        st.text(f"Carpeta vigente: {vigente}")
    if VARIABLE_ENTRADA in os.environ:
        st.caption(f"La fija la variable de entorno {VARIABLE_ENTRADA}, que manda sobre la guardada aquí.")
    with st.form("operacion_entrada", enter_to_submit=False):
        carpeta = st.text_input("Carpeta de entrada (ruta completa; vacía: sin carpeta)", value=ajustes.entrada_carpeta)
        if st.form_submit_button("Guardar la carpeta", type="primary", icon=":material/save:"):
            _guardar(replace(ajustes, entrada_carpeta=carpeta.strip()))

with respaldos:
    st.caption("Cada respaldo es una foto coherente de todo el almacén (datos, historial de cargas, configuración, "
               "cuentas y bitácora), tomada sin detener la aplicación. El README explica cómo restaurarlo.")
    with st.form("operacion_respaldos", enter_to_submit=False):
        carpeta_respaldos = st.text_input("Carpeta de respaldos (ruta completa; vacía: sin respaldo diario)",
                                          value=ajustes.respaldo_carpeta)
        izquierda, derecha = st.columns(2)
        hora = izquierda.text_input("Hora del respaldo diario (HH:MM)", value=ajustes.respaldo_hora)
        conservar = derecha.number_input("Respaldos que se conservan", min_value=1, max_value=CONSERVAR_MAXIMO,
                                         step=1, value=int(ajustes.respaldo_conservar))
        if st.form_submit_button("Guardar", type="primary", icon=":material/save:"):
            _guardar(replace(ajustes, respaldo_carpeta=carpeta_respaldos.strip(), respaldo_hora=hora.strip(),
                             respaldo_conservar=int(conservar)))
    if ajustes.respaldo_carpeta:
        if st.button("Crear un respaldo ahora", icon=":material/backup:", key="operacion_respaldar",
                     help="El resultado aparece en «Trabajos programados»."):
            _ejecutar(RESPALDO)
        hechos = respaldos_en(ajustes.respaldo_carpeta)
        if hechos:
            comun.tabla(tabla_en_texto(pd.DataFrame(
                [{"carpeta": r.carpeta.name, "creado": r.creado, "filas": sum(r.filas.values()),
                  "tablas": len(r.filas)} for r in reversed(hechos)])), hide_index=True,
                column_config={"carpeta": "Respaldo", "creado": "Creado", "filas": "Filas", "tablas": "Tablas"})
        else:
            st.info("Todavía no hay respaldos diarios en esa carpeta.", icon=":material/backup:")

with ordenes:
    st.caption("Con la aplicación en marcha, las órdenes de línea de comandos sobre esta misma base corren dentro "
               "de ella, una escritura tras otra: las cargas programadas con cron se ven aquí en cuanto terminan.")
    host, puerto = marcha.servicio.direccion
    st.text(f"Servicio de órdenes: {host}:{puerto} (solo el usuario del sistema dueño de "
            f"{marcha.servicio.archivo.name} puede usarlo)")
    st.code(f"python -m datos.cargar encuestas.csv --tipo encuestas --db {comun.almacen().ruta}\n"
            f"python -m datos.respaldo crear /respaldos/eslabon-hoy --db {comun.almacen().ruta}", language="bash")
