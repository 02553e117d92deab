"""Datos personales: solicitudes de acceso y supresión de un cliente, forma de suprimir y plazos de retención.

Solo la ve el rol Administrador (``paginas.sesion.PAGINAS``); la página lo comprueba otra vez.
La lógica vive en ``datos.personas``; aquí solo se leen los controles y se muestra el resultado.
"""

import pandas as pd
import streamlit as st

from analisis.errores import ErrorEslabon
from analisis.formato import cantidad, numero, tabla_en_texto
from datos.consultas import personas as consultas_personas
from datos.motores.configuracion import Configuracion
from datos.personas import ajustes, buscar, exportar_persona, suprimir
from datos.personas.exportacion import NOTA_PERFILES, datos_de
from datos.personas.lago import lago_configurado
from datos.personas.retencion import INTERVALO, proxima_retencion, retener, ultima_retencion
from datos.personas.solicitudes import para_mostrar
from datos.personas.supresion import aviso_copias
from paginas import comun, sesion

comun.encabezado("Datos personales", "Responda a las solicitudes de acceso y de supresión de un cliente y fije "
                 "cuánto tiempo se guardan sus datos. Cada solicitud queda registrada sin los datos de la persona.",
                 vacio=comun.SIN_DATOS)
yo = sesion.usuario_actual()
if yo is None or yo.rol != "administrador":
    st.error("Solo un administrador puede atender solicitudes sobre datos personales.")
    st.stop()
almacen = comun.almacen()
con = almacen.cursor()
try:
    lago = lago_configurado()
except ErrorEslabon as error:
    comun.aviso_error(error, icono=":material/block:")
    st.stop()
if lago is None and Configuracion.del_entorno().motor != "duckdb":
    st.warning("Los datos se leen de una plataforma externa (catálogo o lago remoto): Eslabón solo puede buscar y "
               "suprimir en su propia base. Pida la supresión también a quien administra esa plataforma.",
               icon=":material/cloud_off:")
elif lago is not None:
    st.info(f"Modo Spark: también se buscan y se reescriben los Parquet del lago de {lago.ruta}.",
            icon=":material/database:")

solicitud, retencion, forma, registro = st.tabs(["Solicitud de una persona", "Retención", "Forma de suprimir",
                                                 "Registro de solicitudes"])


def _olvidar_persona() -> None:
    """Olvida la persona buscada y la confirmación de supresión (tras suprimir o al buscar otra)."""
    for clave in ("dp_persona", "dp_confirmar"):
        st.session_state.pop(clave, None)


with solicitud:
    with st.form("dp_buscar", enter_to_submit=False):
        buscado = st.text_input("Identificador de cliente, correo o teléfono",
                                help="El correo y el teléfono se buscan entre los atributos subidos con los clientes.")
        if st.form_submit_button("Buscar", icon=":material/search:", type="primary"):
            _olvidar_persona()
            try:
                st.session_state["dp_persona"] = buscar(almacen, buscado, lago=lago)
            except ErrorEslabon as error:
                comun.aviso_error(error, como=st.warning, icono=":material/person_search:")
    hecha = st.session_state.pop("dp_resultado", None)
    if hecha is not None:
        st.success(f"Solicitud {hecha.solicitud}: datos suprimidos ({hecha.modo}). Filas por lugar: "
                   + "; ".join(f"{lugar}: {numero(n, 0)}" for lugar, n in hecha.filas.items())
                   + (f"; {numero(hecha.archivos_lago, 0)} archivos del lago reescritos." if hecha.archivos_lago
                      else "."), icon=":material/task_alt:")
        st.warning(hecha.aviso_copias, icon=":material/backup:")
    persona = st.session_state.get("dp_persona")
    if persona is not None:
        st.subheader("Dónde hay datos de esta persona")
        st.text(f"Cliente: {persona.cliente_id}")
        comun.tabla(persona.resumen() if lago is not None else persona.resumen().iloc[:, :2], hide_index=True)
        st.caption(NOTA_PERFILES)
        for titulo, tabla in datos_de(almacen, persona, lago=lago).items():
            with st.expander(f"{titulo} ({cantidad(len(tabla), 'fila', 'filas')})"):
                if tabla.empty:
                    st.caption("No hay filas de esta persona aquí.")
                else:
                    comun.tabla(tabla, hide_index=True)
        referencia = st.text_input("Referencia de la solicitud (opcional)", key="dp_referencia",
                                   help="El número de expediente con que su organización la sigue. No escriba aquí "
                                        "datos de la persona: queda en el registro.")
        st.markdown("**Solicitud de acceso**: copia de todos sus datos, para entregársela.")
        with st.container(horizontal=True, gap="small"):
            for formato, etiqueta, extension, tipo in (
                    ("excel", "Excel", "xlsx", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"),
                    ("json", "JSON", "json", "application/json")):
                st.download_button(etiqueta, file_name=f"datos_personales.{extension}", mime=tipo,
                                   icon=":material/download:", on_click="ignore", key=f"dp_{formato}",
                                   data=comun.anotada(lambda f=formato: exportar_persona(
                                       almacen, persona, f, usuario=yo.usuario, referencia=referencia, lago=lago),
                                       f"datos_personales.{extension}"))
        modo = ajustes.modo_supresion(con)
        with st.container(border=True):
            st.markdown("**Solicitud de supresión**")
            st.caption(f"Forma elegida por la organización: {ajustes.MODOS[modo]} (se cambia en «Forma de "
                       "suprimir»). Se hace en una sola transacción y no se puede deshacer.")
            confirmar = st.checkbox(f"Suprimir ahora {cantidad(persona.total, 'fila', 'filas')} de esta persona",
                                    key="dp_confirmar")
            if st.button("Suprimir", type="primary", icon=":material/delete_forever:", disabled=not confirmar):
                st.session_state["dp_resultado"] = suprimir(almacen, persona, usuario=yo.usuario,
                                                            referencia=referencia, lago=lago)
                _olvidar_persona()
                st.rerun()
    st.caption(aviso_copias(almacen.cursor()))

with retencion:
    st.caption("Pasado el plazo de su tipo de dato, se anonimizan los identificadores y el texto libre; las notas y "
               "los tiempos se conservan. 0 días: sin plazo (se guarda mientras no se suprima).")
    actuales = ajustes.plazos(con)
    with st.form("dp_plazos", enter_to_submit=False):
        nuevos = {t.tipo: st.number_input(f"{t.nombre} (días)", min_value=0, max_value=ajustes.PLAZO_MAXIMO, step=1,
                                          value=actuales[t.tipo], help=f"Se anonimiza {t.que_se_anonimiza}.")
                  for t in ajustes.TIPOS_RETENCION}
        comun.boton_guardar("Guardar plazos", lambda: ajustes.guardar_plazos(con, nuevos, autor=yo.usuario),
                            "Plazos de retención guardados.")
    ultima, proxima = ultima_retencion(con), proxima_retencion(con)
    horas = int(INTERVALO.total_seconds() // 3600)
    if ultima is None:
        st.info("La retención no se ha ejecutado nunca.", icon=":material/schedule:")
    else:
        st.markdown(f"**Última ejecución**: {ultima['momento']:%d/%m/%Y %H:%M} ({ultima['usuario']}), solicitud "
                    f"{ultima['solicitud']}.")
        comun.tabla(tabla_en_texto(pd.DataFrame({"Datos": list(ultima["filas"]),
                                                  "Filas anonimizadas": list(ultima["filas"].values())})),
                     hide_index=True)
    st.markdown("**Próxima ejecución**: " + (f"{proxima:%d/%m/%Y %H:%M}" if proxima is not None else
                                            "cuando haya plazos y se ejecute por primera vez") + f" (cada {horas} h).")
    st.caption("El trabajador de la aplicación la ejecuta sola una vez al día (página «Operación»); también puede "
               "ejecutarla aquí o con `python -m datos.personas retener --db RUTA`.")
    if st.button("Aplicar la retención ahora", icon=":material/auto_delete:"):
        resultado = retener(almacen, usuario=yo.usuario, lago=lago)
        st.toast(f"Retención aplicada: {numero(sum(resultado.filas.values()), 0)} filas anonimizadas.")
        st.rerun()

with forma:
    with st.form("dp_forma", enter_to_submit=False):
        elegido = st.radio("Cómo se suprime a una persona", list(ajustes.MODOS), format_func=ajustes.MODOS.get,
                           index=list(ajustes.MODOS).index(ajustes.modo_supresion(con)))
        comun.boton_guardar("Guardar la forma de suprimir",
                            lambda: ajustes.elegir_modo(con, elegido, autor=yo.usuario), "Forma de suprimir guardada.")

with registro:
    st.caption("Quién atendió cada solicitud, cuándo y cómo. No guarda el identificador ni los datos de la persona.")
    solicitudes = comun.consultar(consultas_personas.solicitudes, cache=None)
    if solicitudes.empty:
        st.caption("Todavía no hay solicitudes.")
    else:
        comun.tabla(para_mostrar(solicitudes), hide_index=True, column_config={
            "Tipo": st.column_config.TextColumn(width="small"), "Forma": st.column_config.TextColumn(width="small"),
            "Filas por lugar": st.column_config.TextColumn(width="large")})
