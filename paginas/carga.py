"""Cargar datos: subir un archivo, elegir su tipo, confirmar el mapeo, validar, importar y deshacer."""

from pathlib import Path

import streamlit as st

from analisis.formato import cantidad, numero, sin_markdown, tabla_en_texto, tamano_de_archivo
from datos.ingesta import carga, plantillas
from datos.ingesta.etiquetas import guardar_etiquetas, tabla_de_etiquetas
from datos.ingesta.historial import (confirma_numero, desglose_de_filas, deshacer, es_grande, filas_de_carga,
                                     historial, historial_en_texto, texto_de_filas, total_de_filas)
from datos.ingesta.informe import Validacion
from datos.motores import lago_cargas
from analisis.errores import ErrorEslabon
from datos.ingesta.mapeo import TIPOS, etapas_y_competencias
from datos.ingesta.validacion import ESCALAS, RANGOS_AUDITORIA, Formato
from paginas import comun

ORDENES = {"Detectar automáticamente": None, "dd/mm/aaaa": "dma", "mm/dd/aaaa": "mda", "aaaa-mm-dd": "amd"}
ESCALAS_AUDITORIA = {"1-5": "1 a 5", "0-100": "0 a 100", "cumple": "Cumple / No cumple"}

comun.encabezado("Cargar datos", "Suba encuestas, interacciones, auditorías, clientes o agentes en CSV o Excel. Nada se "
                "guarda hasta que usted confirme, cada fila queda ligada a su carga y cualquier carga se puede "
                "deshacer.")
almacen = comun.almacen()
con = almacen.cursor()
try:
    lago = lago_cargas.lago_de_cargas()
except ErrorEslabon as error:
    comun.aviso_error(error, icono=":material/block:")
    st.stop()
if lago is not None:
    st.info(f"Las cargas se escriben en el lago Parquet de {lago.ruta}, que lee el tablero (modo Spark). Cada "
            "carga queda en sus propios archivos y deshacerla los retira; el historial sigue en la base de Eslabón.",
            icon=":material/database:")
etapas, competencias = etapas_y_competencias(con)
limite = carga.limite_mb(con)


def _olvidar() -> None:
    """Cierra la preparación en curso y limpia la sesión."""
    anterior = st.session_state.pop("carga_preparacion", None)
    if anterior is not None:
        anterior.cerrar()
    for clave in ("carga_validacion", "carga_id_archivo"):
        st.session_state.pop(clave, None)


def _preparar(subido) -> None:
    """Abre la preparación del archivo subido (o muestra por qué no se puede leer).

    Su copia en disco es de la preparación (``Preparacion.de_subida``): se borra al cerrarla, si no
    se puede leer o si la sesión se abandona.
    """
    _olvidar()
    try:
        st.session_state["carga_preparacion"] = carga.Preparacion.de_subida(con, subido.getbuffer(), subido.name,
                                                                            lago=lago)
        st.session_state["carga_id_archivo"] = subido.file_id
    except ErrorEslabon as error:
        comun.aviso_error(error)


def _terminar_subida() -> None:
    """La carga terminó: cierra su preparación (borra la copia) y vacía el selector de archivo."""
    _olvidar()
    st.session_state["carga_subidas"] = st.session_state.get("carga_subidas", 0) + 1


def _deshacer(carga_id: int) -> None:
    """Deshace la carga ``carga_id`` al pulsar «Deshacer» (antes de redibujar la página).

    Después no queda ninguna carga elegida ni confirmación marcada, y se descarta la validación del
    archivo en curso (citaba filas que ya no están); el mensaje dice qué se borró, por tabla.
    """
    try:
        borradas = deshacer(con, carga_id, usuario=comun.usuario().usuario, lago=lago)
        st.session_state["carga_mensaje"] = (f"Carga n.º {carga_id} deshecha. Filas borradas: "
                                             f"{texto_de_filas(borradas)}.")
        st.session_state["carga_desglose"] = desglose_de_filas(borradas)
    except ErrorEslabon as error:
        st.session_state["carga_error"] = error.mensaje
    for clave in (f"carga_confirmar_{carga_id}", f"carga_confirmar_filas_{carga_id}", "carga_validacion"):
        st.session_state.pop(clave, None)
    st.session_state["carga_deshacer"] = None


def _deshacer_una(vigentes) -> None:
    """Elegir una de las cargas ``vigentes`` (historial indexado por número), confirmar lo que se borra y deshacerla.

    La confirmación va ligada a la carga elegida (su clave lleva el número): otra carga empieza sin
    confirmar. La demostración o una carga grande piden además escribir su número de filas.
    """
    elegida = st.columns([2, 3])[0].selectbox(
        "Carga a deshacer", vigentes.index.tolist(), index=None, key="carga_deshacer", placeholder="Elija una carga",
        format_func=lambda n: f"N.º {n}: {vigentes.at[n, 'archivo']}",
        help="Deshacer una carga borra todas sus filas; queda en el historial como deshecha.")
    confirmada = False
    if elegida is not None:
        filas = filas_de_carga(con, elegida, lago=lago)
        st.text(f"Se borrarán, por tabla:\n{desglose_de_filas(filas)}")
        confirmada = st.checkbox(f"Entiendo que deshacer la carga n.º {elegida} borra {texto_de_filas(filas)}",
                                 key=f"carga_confirmar_{elegida}")
        if es_grande(filas, es_demo=bool(vigentes.at[elegida, "es_demo"])):
            escrito = st.text_input(
                f"Es una carga grande{' (los datos de demostración)' if vigentes.at[elegida, 'es_demo'] else ''}: "
                f"escriba su número de filas, {numero(total_de_filas(filas), 0)}, para confirmar",
                key=f"carga_confirmar_filas_{elegida}", placeholder="Número de filas")
            confirmada = confirmada and confirma_numero(escrito, total_de_filas(filas))
    st.button("Deshacer", disabled=not confirmada, icon=":material/undo:", key="carga_deshacer_boton",
              on_click=_deshacer, args=(elegida,))


with st.expander("Plantillas para descargar", icon=":material/download:"):
    tipo_plantilla = st.selectbox("Tipo de datos", list(TIPOS), format_func=lambda t: TIPOS[t].etiqueta,
                                  key="plantilla_tipo", placeholder="Elija un tipo de datos")
    izquierda, centro, derecha = st.columns(3)
    opciones_plantilla = {"etapas": etapas, "competencias": competencias}
    izquierda.download_button(
        "Plantilla CSV", comun.anotada(lambda: plantillas.plantilla_csv(tipo_plantilla, **opciones_plantilla),
                                       f"plantilla_{tipo_plantilla}.csv"),
        file_name=f"plantilla_{tipo_plantilla}.csv", mime="text/csv", icon=":material/csv:", on_click="ignore")
    centro.download_button(
        "Instrucciones del CSV",
        comun.anotada(lambda: plantillas.instrucciones_csv(tipo_plantilla, **opciones_plantilla),
                      f"plantilla_{tipo_plantilla}_instrucciones.csv"),
        file_name=f"plantilla_{tipo_plantilla}_instrucciones.csv", mime="text/csv", icon=":material/help:",
        on_click="ignore", help="Qué va en cada columna de la plantilla CSV (la plantilla Excel lo trae en su hoja "
        "«Instrucciones»).")
    derecha.download_button(
        "Plantilla Excel", comun.anotada(lambda: plantillas.plantilla_excel(tipo_plantilla, **opciones_plantilla),
                                         f"plantilla_{tipo_plantilla}.xlsx"),
        file_name=f"plantilla_{tipo_plantilla}.xlsx", icon=":material/table_view:", on_click="ignore",
        mime="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")
    comun.tabla_ajustada(plantillas.descripcion_de_columnas(tipo_plantilla, **opciones_plantilla))

st.subheader("1. Archivo")
subido = comun.subir_archivo(f"CSV, TXT o Excel (máximo {numero(limite, 0)} MB)",
                             ["csv", "txt", "tsv", "xlsx", "xlsm", "xls"], limite_mb=limite,
                             clave=f"carga_archivo_{st.session_state.get('carga_subidas', 0)}")
if subido is None:
    _olvidar()
elif st.session_state.get("carga_id_archivo") != subido.file_id:
    _preparar(subido)

preparacion: carga.Preparacion | None = st.session_state.get("carga_preparacion")
if preparacion is not None:
    archivo = preparacion.archivo
    st.caption(f"«{sin_markdown(archivo.nombre)}»: {tamano_de_archivo(archivo.tamano)}, {len(archivo.columnas)} columnas"
               + (f", codificación {archivo.codificacion}, delimitador {archivo.delimitador!r}"
                  if archivo.formato == "csv" else f", hoja «{archivo.hoja}»"))
    for aviso in archivo.avisos:
        comun.aviso_error(aviso, como=st.info, icono=":material/info:")
    comun.tabla(preparacion.muestra(10), hide_index=True,
                sin_filas="El archivo no trae filas de datos, solo los encabezados de sus columnas.")

    st.subheader("2. Qué contiene")
    tipos = list(TIPOS)
    tipo = st.selectbox("Tipo de datos", tipos, index=tipos.index(preparacion.sugerir_tipo()),
                        format_func=lambda t: TIPOS[t].etiqueta, key=f"carga_tipo_{subido.file_id}",
                        placeholder="Elija un tipo de datos")

    st.subheader("3. Mapeo de columnas")
    if preparacion.es_recordado(tipo):
        st.success("Se usa el mapeo que confirmó la última vez para un archivo con estas mismas columnas.",
                   icon=":material/history:")
    st.caption("Revise a qué campo de Eslabón va cada columna. Marque las calificaciones de cada etapa de la cadena "
               "(«Etapa: …») o de cada competencia; «— ignorar —» deja la columna fuera.")
    tabla = comun.editor(
        preparacion.tabla_de_mapeo(tipo, preparacion.proponer(tipo)), hide_index=True, disabled=[
            "Columna del archivo", "Pregunta", "Ejemplo"],
        column_config={"Va a": st.column_config.SelectboxColumn("Va a", options=preparacion.opciones_de_destino(tipo),
                                                                required=True, width="large")},
        key=f"carga_mapeo_{subido.file_id}_{tipo}")
    mapeo = preparacion.mapeo_de_tabla(tipo, tabla)

    opciones = st.columns(2)
    orden = opciones[0].selectbox("Orden de las fechas", list(ORDENES), placeholder=comun.ELIJA_UNA_OPCION, key="carga_orden",
                                  help="Si el archivo viene de una herramienta en inglés, las fechas suelen ser "
                                       "mm/dd/aaaa.")
    escala = None
    if tipo == "auditorias":
        escala = opciones[1].selectbox("Escala de las competencias", [None, *RANGOS_AUDITORIA],
                                       format_func=lambda e: "Detectar automáticamente" if e is None
                                       else ESCALAS_AUDITORIA[e], placeholder=comun.ELIJA_UNA_OPCION, key="carga_escala")
    with st.expander("Escala de etiquetas (palabras que se convierten en números)", icon=":material/tune:"):
        st.caption("«Muy satisfecho» = 5, «Totalmente de acuerdo» = 7 en CES, «Cumple» = 1… Edite o agregue "
                   "etiquetas y guarde; se usan en todas las cargas. Las etiquetas se comparan sin tildes ni "
                   "mayúsculas.")
        etiquetas = comun.editor(tabla_de_etiquetas(con), num_rows="dynamic", hide_index=True,
                                   column_config={"escala": st.column_config.SelectboxColumn(
                                       "Escala", options=list(ESCALAS), required=True),
                                       "etiqueta": st.column_config.TextColumn("Etiqueta", required=True),
                                       "valor": st.column_config.NumberColumn("Valor", required=True)},
                                   key="carga_etiquetas")
        if st.button("Guardar escala", icon=":material/save:"):
            try:
                st.toast(f"Escala guardada: {guardar_etiquetas(con, etiquetas)} etiquetas.")
            except ValueError as error:
                comun.aviso_error(f"No se guardó la escala: {error}")

    st.subheader("4. Validación")
    if st.button("Validar el archivo", type="primary", icon=":material/fact_check:"):
        barra = st.progress(0.0, text="Validando…")
        try:
            formatos = None
            if ORDENES[orden]:
                detectados, _, _ = preparacion.formatos(tipo, mapeo, escala_auditoria=escala)
                formatos = {c: Formato(orden=ORDENES[orden], decimal=f.decimal, escala=f.escala)
                            for c, f in detectados.items() if f.orden}
            st.session_state["carga_validacion"] = preparacion.validar(
                tipo, mapeo, formatos=formatos, escala_auditoria=escala,
                progreso=lambda fraccion, texto: barra.progress(fraccion, text=texto))
        except ErrorEslabon as error:
            st.session_state.pop("carga_validacion", None)
            comun.aviso_error(error)
        barra.empty()

    validacion: Validacion | None = st.session_state.get("carga_validacion")
    if validacion is not None and validacion.tipo == tipo:
        cifras = st.columns(4)
        cifras[0].metric("Filas leídas", numero(validacion.filas_leidas, 0))
        cifras[1].metric("Nuevas y válidas", numero(validacion.filas_nuevas, 0))
        cifras[2].metric("Ya estaban guardadas", numero(validacion.filas_repetidas, 0))
        cifras[3].metric("Con errores", numero(validacion.filas_con_errores, 0))
        for aviso in validacion.avisos:
            comun.aviso_error(aviso, como=st.warning, icono=":material/warning:")
        if validacion.sin_dato:
            st.info(validacion.texto_sin_dato(), icon=":material/do_not_disturb_on:")
        crear = False
        for tabla_ref, (n, ejemplos) in validacion.desconocidos.items():
            st.warning(f"{numero(n, 0)} {tabla_ref} citados no existen en la base (p. ej. {sin_markdown(', '.join(ejemplos))}).",
                       icon=":material/person_search:")
            crear = st.checkbox(f"Crear fichas mínimas para los {tabla_ref} desconocidos", key=f"crear_{tabla_ref}") \
                or crear
        if validacion.hay_errores:
            st.error(f"{cantidad(validacion.filas_con_errores, 'fila tiene', 'filas tienen')} errores "
                     f"({numero(validacion.n_errores, 0)} en total). Se muestran los primeros.")
            comun.tabla(validacion.errores[["mensaje"]], hide_index=True, height=240,
                         column_config={"mensaje": "Error"})
            comun.tabla(validacion.errores_por_columna, hide_index=True,
                         column_config={"columna": "Columna", "errores": "Errores"})
            informe_errores = f"errores_{Path(archivo.nombre).stem}.csv"
            st.download_button("Descargar el informe de errores (CSV)",
                               comun.anotada(preparacion.informe_csv, informe_errores), file_name=informe_errores,
                               mime="text/csv", icon=":material/download:", on_click="ignore")
        st.caption("Vista previa de lo que se guardaría (primeras 50 filas, ya convertidas):")
        comun.tabla(tabla_en_texto(validacion.vista_previa), hide_index=True,
                    sin_filas="No se guardaría ninguna fila: todas tienen errores o ya estaban guardadas.")

        st.subheader("5. Importar")
        solo_validas = False
        if validacion.hay_errores:
            solo_validas = st.radio("¿Qué hacer con el archivo?", [True, False], format_func=lambda s: (
                "Importar solo las filas válidas" if s else "No importar nada"), key="carga_solo_validas")
        if validacion.filas_nuevas and (solo_validas or not validacion.hay_errores):
            if st.button(f"Importar {numero(validacion.filas_nuevas, 0)} filas", type="primary",
                         icon=":material/upload:"):
                barra = st.progress(0.0, text="Guardando…")
                resultado = preparacion.guardar(validacion, solo_validas=solo_validas, crear_desconocidos=crear,
                                                usuario=comun.usuario().usuario, progreso=lambda fraccion, texto: barra.progress(fraccion, text=texto))
                barra.empty()
                st.session_state["carga_mensaje"] = resultado.mensaje
                _terminar_subida()
                st.rerun()
        elif not validacion.filas_nuevas:
            st.info("No hay filas nuevas que importar.", icon=":material/info:")

if mensaje := st.session_state.pop("carga_mensaje", None):
    st.success(sin_markdown(mensaje), icon=":material/check_circle:")
    if desglose := st.session_state.pop("carga_desglose", None):
        st.text(f"Por tabla:\n{desglose}")
if fallo := st.session_state.pop("carga_error", None):
    comun.aviso_error(fallo)

st.subheader("Historial de cargas")
registro = historial(con)
if registro.empty:
    st.caption("Todavía no hay cargas.")
else:
    comun.tabla_ajustada(historial_en_texto(registro).rename(columns={
        "carga_id": "N.º", "creada": "Fecha", "tipo": "Tipo", "archivo": "Archivo", "filas_leidas": "Leídas",
        "filas_guardadas": "Guardadas", "filas_repetidas": "Ya estaban", "filas_rechazadas": "Rechazadas",
        "usuario": "Usuario", "origen": "Origen", "estado": "Estado"}))
    vigentes = registro[registro["estado"] == "vigente"].set_index("carga_id")
    if not vigentes.empty:
        _deshacer_una(vigentes)
