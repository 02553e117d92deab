"""Configuración de la organización: cadena de servicio, escalas, etiquetas, metas, promesas y archivo TOML."""

from collections.abc import Callable

import pandas as pd
import streamlit as st

from analisis.errores import AjusteNoValido
from analisis.formato import numero
from datos.ajustes import archivo_toml, cadena, editores, organizacion
from datos.ajustes.organizacion import KPIS, Configuracion
from datos.ingesta.escalas import NOMBRES_MEDIDAS
from paginas import comun

comun.encabezado("Configuración de la organización",
                 "Su cadena de servicio, cómo escriben sus archivos cada medida, las palabras que se convierten en "
                 "números, las metas y la promesa de cada canal. Cada cambio se valida y queda en la bitácora con "
                 "el valor anterior y el nuevo.")
comun.aviso_demo()
con = comun.almacen().cursor()
quien = comun.usuario().usuario
guardada = organizacion.leer(con)


def aplicar(construir: Callable[[], Configuracion], exito: str) -> None:
    """Guarda la configuración que da ``construir`` y redibuja, o muestra por qué no es válida (sin cambiar nada)."""
    try:
        cambios = organizacion.aplicar(con, construir(), usuario=quien)
    except AjusteNoValido as error:
        comun.aviso_error(error)
        return
    st.toast(f"{exito} ({numero(len(cambios), 0)} cambios)." if cambios else "No había nada que cambiar.",
             icon=":material/check:")
    st.rerun()


def formulario_de_pares(seccion: str, clave: str, valor: str, explicacion: str) -> None:
    """Editor de una sección texto -> número (``etiquetas``, ``promesas``) con su botón de guardar."""
    st.caption(explicacion)
    with st.form(f"org_form_{seccion}", enter_to_submit=False):
        tabla = comun.editor(editores.tabla_pares(getattr(guardada, seccion), clave, valor), hide_index=True,
                               num_rows="dynamic", key=f"org_{seccion}",
                               column_config={valor: st.column_config.NumberColumn(valor)})
        if st.form_submit_button(f"Guardar {seccion}", type="primary", icon=":material/save:"):
            aplicar(lambda: Configuracion(**{seccion: editores.pares_de_tabla(tabla, clave, valor,
                                                                              seccion.capitalize())}),
                    f"{seccion.capitalize()} guardadas")


@st.cache_data(show_spinner=False, max_entries=8)
def calificaciones_guardadas(huella: comun.Huella) -> dict[str, int]:
    """``organizacion.calificaciones_por_etapa``, una vez por versión de los datos (``huella``: cada escritura la
    sube): dos recuentos por ejecución recorrían 20 millones de filas."""
    return organizacion.calificaciones_por_etapa(comun.almacen().cursor())


def mostrar_cambios(config: Configuracion) -> tuple[bool, bool]:
    """Muestra lo que cambiaría ``config`` y sus avisos; (hay algo que guardar, hay avisos)."""
    cambios = organizacion.diferencias(guardada, config)
    avisos = organizacion.avisos(con, config, calificaciones)
    for aviso in avisos:
        st.warning(aviso, icon=":material/warning:")
    if cambios:
        st.caption("Cambios por guardar:")
        st.text("\n".join(cambios))
    return bool(cambios), bool(avisos)


calificaciones = calificaciones_guardadas(comun.huella())
pestanas = st.tabs(["Cadena de servicio", "Escalas", "Etiquetas", "Metas", "Promesas", "Archivo de configuración"])

with pestanas[0]:
    if not guardada.etapas:
        st.info("Su cadena todavía no tiene etapas. Escríbalas abajo en el orden en que las vive el cliente, o "
                "empiece con la cadena sugerida y ajústela.", icon=":material/link:")
        if st.button("Usar la cadena sugerida (" + " → ".join(e.nombre for e in organizacion.CADENA_SUGERIDA) + ")",
                     icon=":material/auto_fix_high:", key="org_sugerida"):
            aplicar(lambda: Configuracion(etapas=organizacion.CADENA_SUGERIDA), "Cadena sugerida guardada")
    st.caption("Añada filas para etapas nuevas, cambie «Orden» para reordenar y borre una fila para sacar una etapa "
               "de la cadena. Si cambia el nombre de una etapa, sus calificaciones guardadas la siguen.")
    tabla = comun.editor(
        editores.tabla_cadena(guardada, calificaciones), hide_index=True, num_rows="dynamic", key="org_cadena",
        disabled=["Calificaciones guardadas"], column_config={
            editores.GUARDADA: None,
            "Orden": st.column_config.NumberColumn("Orden", min_value=1, step=1, format="%d"),
            "Etapa": st.column_config.TextColumn("Etapa", required=True, max_chars=80),
            "Descripción": st.column_config.TextColumn("Descripción", width="medium", max_chars=500),
            "Meta (media 1–5)": st.column_config.NumberColumn(
                "Meta (media 1–5)", min_value=1.0, max_value=5.0, step=0.1,
                help="Media de las calificaciones de la etapa que la organización espera; vacía: sin meta."),
            "Calificaciones guardadas": st.column_config.NumberColumn("Calificaciones guardadas")})
    renombres, etapas = editores.cadena_de_tabla(tabla)
    for antes, despues in renombres.items():
        comun.aviso_error(f"«{antes}» pasará a llamarse «{despues}»: sus {numero(calificaciones.get(antes, 0), 0)} "
                          "calificaciones guardadas la siguen.", como=st.info, icono=":material/edit:")
    hay_cambios, hay_avisos = mostrar_cambios(Configuracion(etapas=editores.con_nombres_guardados(etapas, renombres)))
    confirmado = not hay_avisos or st.checkbox("Entiendo: las etapas que quito salen de la cadena",
                                               key="org_confirmar")
    if st.button("Guardar la cadena", type="primary", icon=":material/save:", key="org_guardar_cadena",
                 disabled=not (hay_cambios or renombres) or not confirmado):
        try:
            for antes, despues in renombres.items():
                cadena.renombrar(con, antes, despues, usuario=quien)
        except AjusteNoValido as error:
            comun.aviso_error(error)
            st.stop()
        aplicar(lambda: Configuracion(etapas=etapas), "Cadena guardada")

    if len(guardada.etapas) >= 2:
        fundir = st.expander("Fundir dos etapas en una", icon=":material/merge:", key="org_fundir_abierto",
                             on_change="rerun")
        if fundir.open:  # solo abierto: contar lo que se funde recorre todas las calificaciones por etapa
            with fundir:
                nombres = [e.nombre for e in guardada.etapas]
                izquierda, derecha = st.columns(2)
                origen = izquierda.selectbox("Etapa que desaparece", nombres, key="org_fundir_origen",
                                             placeholder="Elija una etapa")
                destino = derecha.selectbox("Etapa que la absorbe", [n for n in nombres if n != origen],
                                            key="org_fundir_destino", placeholder="Elija una etapa")
                pasan, ambas = cadena.efecto_de_fundir(con, origen, destino)
                comun.aviso_error(f"{numero(pasan, 0)} calificaciones de «{origen}» pasarán a «{destino}»; en "
                                  f"{numero(ambas, 0)} respuestas que calificaron las dos se guardará el promedio (las "
                                  f"dos notas originales se pierden). «{origen}» sale de la cadena.", como=st.warning,
                                  icono=":material/warning:")
                if st.checkbox("Entiendo lo que se pierde", key="org_fundir_confirmar") and \
                        st.button("Fundir", icon=":material/merge:", key="org_fundir"):
                    cadena.fundir(con, origen, destino, usuario=quien)
                    st.session_state.pop("org_fundir_confirmar", None)
                    comun.aviso_error(f"«{origen}» fundida en «{destino}».", como=st.toast, icono=":material/check:")
                    st.rerun()

    retiradas = {e: n for e, n in calificaciones.items() if e not in {x.nombre for x in guardada.etapas}}
    if retiradas:
        with st.expander("Calificaciones de etapas que ya no están en la cadena", icon=":material/inventory_2:"):
            st.caption("Se conservan sin analizarse; vuelven si la etapa vuelve a la cadena con el mismo nombre.")
            comun.tabla(pd.DataFrame({"Etapa": list(retiradas),
                                      "Calificaciones": [numero(n, 0) for n in retiradas.values()]}), hide_index=True)
            borrar = st.selectbox("Borrar las calificaciones de", list(retiradas), key="org_borrar",
                                  placeholder="Elija una etapa")
            if st.checkbox(f"Entiendo: se borrarán {numero(retiradas.get(borrar, 0), 0)} calificaciones de «{borrar}» "
                           "y no se pueden recuperar", key="org_borrar_confirmar") and \
                    st.button("Borrar calificaciones", icon=":material/delete:", key="org_borrar_boton"):
                cadena.borrar_calificaciones(con, borrar, usuario=quien)
                st.session_state.pop("org_borrar_confirmar", None)
                st.rerun()

with pestanas[1]:
    st.caption("Cómo escriben sus archivos cada medida. Eslabón guarda cada una en su escala común (CSAT 1–5, "
               "NPS 0–10, CES 1–7, etapas 1–5) y convierte la suya de forma lineal: p. ej. un CSAT 1–10 o un sí/no "
               "(mínimo 0, máximo 1). Los códigos «no aplica» (el 0 de una encuesta de 1 a 5) se guardan vacíos, "
               "nunca como error, y se cuentan en el informe de cada carga. En las auditorías la escala la da cada "
               "archivo (1–5, 0–100 o cumple): solo se configuran sus códigos.")
    with st.form("org_form_escalas", enter_to_submit=False):
        escalas = comun.editor(editores.tabla_escalas(guardada.escalas), hide_index=True, key="org_escalas",
                                 disabled=["Medida"], column_config={
                                     "Mínimo": st.column_config.NumberColumn("Mínimo"),
                                     "Máximo": st.column_config.NumberColumn("Máximo"),
                                     "Códigos «no aplica»": st.column_config.TextColumn(
                                         "Códigos «no aplica»", help="Separados por punto y coma, p. ej. 0; 99.")})
        if st.form_submit_button("Guardar escalas", type="primary", icon=":material/save:"):
            aplicar(lambda: Configuracion(escalas=editores.escalas_de_tabla(escalas)), "Escalas guardadas")
    st.caption(" · ".join(f"{NOMBRES_MEDIDAS[m]}: {e.texto()}" for m, e in guardada.escalas.items()))

with pestanas[2]:
    formulario_de_pares("etiquetas", "Texto", "Número",
                        "Palabras de sus archivos y el número en que se convierten, en la escala con que su archivo "
                        "escribe esa medida (p. ej. «neutral or dissatisfied» = 1). Valen en toda carga, desde la "
                        "página o desde python -m datos.cargar, y mandan sobre las escalas de etiquetas de «Cargar "
                        "datos». Se comparan sin mayúsculas ni tildes.")

with pestanas[3]:
    st.caption("La meta que rige siempre para cada indicador (vacía: sin meta). Las proporciones van de 0 a 1 "
               "(0,9 = 90 %); los tiempos, en minutos u horas.")
    with st.form("org_form_metas", enter_to_submit=False):
        metas = comun.editor(editores.tabla_metas(guardada.metas), hide_index=True, key="org_metas",
                               disabled=["Indicador"],
                               column_config={"Meta": st.column_config.NumberColumn("Meta")})
        st.caption("Metas que rigen desde una fecha, para todos o para una sucursal o un canal. Cada periodo se "
                   "compara con la meta vigente en su último día: una meta nueva para 2027 no cambia 2026.")
        por_fecha = comun.editor(
            editores.tabla_metas_por_fecha(guardada.metas_por_fecha), hide_index=True, num_rows="dynamic",
            key="org_metas_fecha", column_config={
                "Indicador": st.column_config.SelectboxColumn("Indicador", options=list(KPIS), format_func=KPIS.get,
                                                              required=True),
                "Meta": st.column_config.NumberColumn("Meta", required=True),
                "Desde": st.column_config.DateColumn("Desde", format="DD/MM/YYYY", required=True),
                "Sucursal": st.column_config.TextColumn("Sucursal", help="Vacía: todas."),
                "Canal": st.column_config.TextColumn("Canal", help="Vacío: todos.")})
        if st.form_submit_button("Guardar metas", type="primary", icon=":material/save:"):
            aplicar(lambda: Configuracion(metas=editores.metas_de_tabla(metas),
                                          metas_por_fecha=editores.metas_por_fecha_de_tabla(por_fecha)),
                    "Metas guardadas")

with pestanas[4]:
    formulario_de_pares("promesas", "Canal", "Minutos",
                        "Minutos que la organización promete hasta la primera respuesta en cada canal. Si un archivo "
                        "de interacciones trae el tiempo de respuesta pero no «promesa cumplida», Eslabón la decide "
                        "con esta promesa al cargarlo.")

with pestanas[5]:
    st.caption("Toda la configuración en un archivo TOML, para repetir una instalación o pasar de la prueba a "
               "producción. Desde la línea de órdenes: python -m datos.configuracion exportar|importar ARCHIVO.toml "
               "--db RUTA.")
    st.download_button("Descargar la configuración", icon=":material/download:", key="org_exportar",
                       data=comun.anotada(lambda: archivo_toml.texto_toml(organizacion.leer(con)).encode("utf-8"),
                                          "configuracion.toml"),
                       file_name="configuracion.toml", mime="application/toml", on_click="ignore")
    subido = comun.subir_archivo("Aplicar un archivo de configuración", ["toml"], clave="org_importar",
                                 help="Las secciones que trae reemplazan las guardadas; las que faltan no se tocan.")
    if subido is not None:
        try:
            importada = archivo_toml.desde_texto(subido.getvalue().decode("utf-8-sig"))
        except (AjusteNoValido, UnicodeDecodeError) as error:
            comun.aviso_error(getattr(error, "mensaje", "El archivo no es texto UTF-8."))
        else:
            if mostrar_cambios(importada)[0] and st.button("Aplicar el archivo", type="primary", key="org_aplicar",
                                                        icon=":material/upload:"):
                aplicar(lambda: importada, "Archivo aplicado")
