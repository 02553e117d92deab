"""Brechas de habilidades: competencias frente al estándar, impacto en clientes, plan, progreso y calibración."""

import streamlit as st

from analisis import capacitacion, competencias, informes
from analisis.formato import numero, porcentaje
from datos.ajustes import estandar as escritura
from datos.consultas import competencias as consultas_competencias
from datos.cuentas.configuracion import CONFIGURABLES, cambiar_configuracion
from datos.precalculo import calculos, vistas
from paginas import comun
from paginas import competencias_comun as cc
from paginas.graficos_competencias import barras_impacto, desvios_auditores, mapa_de_calor, radar
from paginas.graficos import figura, mostrar
from paginas.pestanas import CONSERVAR, pestanas

UMBRAL_SESGO = vistas.UMBRAL_SESGO

comun.encabezado("Brechas de habilidades", "Puntajes de las auditorías de servicio en las 15 competencias del estándar, "
                "frente a la meta de cada una. Todas las escalas se llevan a una escala común de 0 % a 100 % (ver "
                "*Estándar y reglas*).")

columnas = st.columns(3)
with columnas[0]:
    filtros, periodo = cc.elegir_ventana("brechas_ventana")
nivel = columnas[1].selectbox("Ver por", list(competencias.TITULOS_NIVEL), format_func=competencias.TITULOS_NIVEL.get,
                              key="brechas_nivel",
                              placeholder="Elija un nivel")
resultado = competencias.RESULTADOS[columnas[2].selectbox(
    "Resultado de los clientes", list(competencias.RESULTADOS), key="brechas_resultado", placeholder="Elija un resultado",
    format_func=lambda clave: competencias.RESULTADOS[clave].nombre,
    help="Con qué resultado de los clientes se mide el impacto de cada competencia.")]
if cc.sin_auditorias(filtros):
    st.stop()

minimo = cc.auditorias_minimas()
estandar = comun.consultar(consultas_competencias.estandar_competencias)
auditorias = cc.calculado(calculos.auditorias_por_agente, filtros, cc.ESCALAS, minimo)
tabla = comun.precalculado(calculos.brechas_competencias, filtros, cc.ESCALAS, nivel, minimo)
titulo = competencias.TITULOS_NIVEL[nivel]
tablas = comun.precalculado(calculos.tablas_brechas, filtros, cc.ESCALAS, nivel, resultado.clave, minimo)

cubiertos = competencias.cobertura(auditorias)
st.caption(f"{periodo} · {numero(cubiertos.auditorias, 0)} auditorías de {cubiertos.agentes} agentes · "
           f"{cubiertos.suficientes} agentes con al menos {minimo} auditorías (mínimo para mostrar cifras "
           "individuales).")
if cubiertos.escasa:
    st.warning(f"Menos de la mitad de los agentes tiene {minimo} auditorías en la ventana elegida: sus cifras "
               "individuales quedan ocultas. Amplíe la ventana de auditorías para ver más.", icon=":material/warning:")

#: Anchos (px) de las columnas de la tabla de brechas: con el agente fijo a la izquierda, caben a 1280 px salvo
#: la lectura, que se alcanza desplazando la tabla.
_ANCHOS_BRECHAS = {"Competencia": 200, "Puntaje": 70, "IC 95 %": 125, "Meta": 55, "Brecha": 80, "n": 45}


def pestana_mapa() -> None:
    """Mapa de brechas: el mapa de calor y la tabla de brechas por grupo y competencia."""
    if not tabla["suficiente"].any():
        comun.vacio(f"Ningún grupo tiene {minimo} calificaciones en una competencia en la ventana elegida.")
    else:
        mostrar(figura(mapa_de_calor, tablas.mapa, titulo), key="brechas_mapa")
        limitado = (f" Se dibujan los {len(tablas.mapa.brecha)} de mayor brecha de {numero(tablas.mapa.grupos, 0)}; "
                    "la tabla de abajo los tiene todos." if tablas.mapa.grupos > len(tablas.mapa.brecha) else "")
        st.caption(f"Brecha = meta − puntaje, en puntos: rojo, por debajo de la meta; verde, por encima. Filas y "
                   f"columnas ordenadas para que el peor bloque quede arriba a la izquierda. Celdas vacías: menos de "
                    f"{minimo} calificaciones.{limitado}")
    comun.tabla(tablas.brechas, hide_index=True, key="brechas_tabla",
                column_config={titulo: st.column_config.Column(pinned=True),
                               **{columna: st.column_config.Column(width=ancho) for columna, ancho in _ANCHOS_BRECHAS.items()}})
    st.caption("Intervalo de confianza del 95 %: t de Student sobre las auditorías del agente; para equipos, "
               "supervisores y roles, media de todas sus calificaciones con error robusto por agente. Una brecha "
               "es clara si todo su intervalo queda sobre cero.")


def pestana_perfil() -> None:
    """Perfil de un agente: su radar frente a su equipo y la meta."""
    agentes = competencias.opciones_de_agentes(auditorias, minimo)
    elegido = st.selectbox("Agente", list(agentes), format_func=agentes.get, key="brechas_agente",
                           placeholder="Elija un agente", persist_state=CONSERVAR)
    puntajes = cc.leer(consultas_competencias.puntajes_competencias, filtros, cc.ESCALAS)
    equipo = competencias.equipo_del_agente(puntajes, elegido)
    if not auditorias.set_index("grupo").at[elegido, "suficiente"]:
        st.info(f"Este agente tiene menos de {minimo} auditorías en la ventana elegida: no se muestran sus cifras "
                "individuales.", icon=":material/visibility_off:")
    else:
        por_agente = cc.calculado(calculos.brechas_competencias, filtros, cc.ESCALAS, "agente", minimo)
        por_equipo = cc.calculado(calculos.brechas_competencias, filtros, cc.ESCALAS, "equipo", minimo)
        mostrar(figura(radar, competencias.perfil(por_agente, por_equipo, elegido, equipo)), key="brechas_radar")
        st.caption("Puntaje medio por competencia del agente (rojo), de su equipo (azul) y la meta (punteada).")


def pestana_impacto() -> None:
    """Impacto en los clientes: la asociación de cada competencia con el resultado elegido y las prioridades."""
    st.info("Esto es una **asociación**, no una prueba de causa: los clientes de los agentes con mejor puntaje en "
            "una competencia dan mejores resultados, una vez descontados el canal y el motivo del contacto. Sirve "
            "para priorizar, no para culpar.", icon=":material/info:")
    impactos = comun.precalculado(calculos.impactos_competencias, filtros, cc.ESCALAS, resultado.clave, minimo)
    if impactos["impacto"].notna().any():
        mostrar(figura(barras_impacto, impactos, resultado.nombre), key="brechas_impacto")
        st.caption(f"Resultado: {resultado.descripcion}. Pendiente de una regresión por mínimos cuadrados con canal "
                   "y motivo como controles, intervalos del 95 % robustos por agente; en azul, las asociaciones "
                   "claramente positivas. Solo cuentan los agentes con auditorías suficientes.")
        with st.expander("Tabla de impactos"):
            comun.tabla(informes.texto_impactos(impactos, resultado), hide_index=True, key="brechas_impactos")
        st.subheader("Brechas por prioridad")
        st.caption(f"Prioridad = brecha × impacto: cuánto {resultado.nombre} se podría ganar si se cerrara la brecha, "
                   "si la asociación fuera causal. Clara: brecha e impacto con intervalo entero sobre cero.")
        comun.tabla(tablas.prioridades, hide_index=True, key="brechas_prioridades")
    else:
        st.info("No hay suficientes agentes con auditorías y clientes encuestados para estimar el impacto.")


def pestana_plan() -> None:
    """Plan de capacitación: sesiones por tema y plan por grupo."""
    if not tabla["suficiente"].any():
        comun.vacio(f"Ningún grupo tiene {minimo} calificaciones en una competencia en la ventana elegida: no hay "
                    "plan que proponer. Amplíe la ventana de auditorías.")
    elif tablas.plan.necesidades.empty:
        st.success("No hay brechas claras frente a la meta en la ventana elegida.", icon=":material/check_circle:")
    else:
        st.subheader("Sesiones sugeridas por tema")
        st.caption(f"Cada {titulo.lower()} entra en los temas de sus tres brechas claras más prioritarias; los temas "
                   "se ordenan por la prioridad total de sus participantes.")
        comun.tabla(tablas.sesiones, hide_index=True, key="brechas_sesiones")
        st.caption(f"Quiénes: los {capacitacion.PRIMEROS_DE_SESION} participantes con más prioridad en el tema; la "
                   f"lista entera está en el plan por {titulo.lower()}, debajo.")
        st.subheader(f"Plan por {titulo.lower()}")
        comun.tabla(tablas.necesidades, hide_index=True, key="brechas_plan")


def pestana_progreso() -> None:
    """Progreso: cambios por grupo y competencia entre dos rondas de auditoría."""
    ronda, _, antes, despues, rondas = cc.elegir_rondas(filtros, "brechas")
    if antes is None:
        st.info(f"Para ver el progreso hacen falta dos rondas: {rondas}.")
    elif antes == despues:
        st.info("Elija dos rondas distintas.")
    else:
        progreso = comun.precalculado(calculos.progreso_competencias, filtros, cc.ESCALAS, ronda, antes, despues,
                                      nivel, minimo)
        conteo = progreso.datos["veredicto"].value_counts()
        for columna, veredicto in zip(st.columns(4), capacitacion.VEREDICTOS):
            columna.metric(veredicto, numero(int(conteo.get(veredicto, 0)), 0))
        solo_claros = st.toggle("Mostrar solo los cambios claros", value=False, key="brechas_solo_claros",
                                persist_state=CONSERVAR)
        claros = progreso.datos["veredicto"].isin(["Mejoró", "Empeoró"]).to_numpy()
        comun.tabla(progreso.texto[claros] if solo_claros else progreso.texto, hide_index=True, key="brechas_progreso")
        st.caption(f"{rondas}. Prueba t de Welch por {titulo.lower()} y competencia, con la tasa de falsos "
                   f"descubrimientos controlada al 5 % (Benjamini-Hochberg, columna q): un cambio es claro si q < 0,05. "
                   f"Se necesitan al menos {minimo} calificaciones en cada ronda.")


def pestana_calibracion() -> None:
    """Calibración: desvío de cada auditor y acuerdo entre auditores."""
    st.subheader("Desvío de cada auditor")
    sesgos = comun.precalculado(calculos.sesgos_auditores, filtros, cc.ESCALAS, UMBRAL_SESGO, minimo)
    if sesgos.datos.empty:
        st.info("No hay agentes auditados por más de un auditor: no se puede comparar a los auditores.")
    else:
        mostrar(figura(desvios_auditores, sesgos.datos, UMBRAL_SESGO), key="brechas_sesgos")
        comun.tabla(sesgos.texto, hide_index=True, key="brechas_tabla_sesgos")
        st.caption(f"Cada auditor frente a los demás auditores de los mismos agentes (escala común): media ponderada "
                   f"de las diferencias por agente, con intervalo del 95 % robusto por agente. Se lee como sesgo si "
                   f"el intervalo no toca cero y el desvío supera {numero(100 * UMBRAL_SESGO, 0)} puntos (franja gris).")
    st.subheader("Acuerdo entre auditores")
    with st.spinner("Calculando el acuerdo entre auditores…"):
        acuerdo = comun.precalculado(calculos.acuerdo_auditores, filtros, cc.ESCALAS)
    if acuerdo is None:
        st.info("No hay interacciones auditadas por dos o más auditores en la ventana elegida, así que no se puede "
                "medir su acuerdo. Para calibrar, pida que una muestra de interacciones (por ejemplo, el 5 %) la "
                "auditen dos personas por separado.", icon=":material/group:")
    else:
        if acuerdo["unidades"].max() < 10:
            st.warning(f"Solo {int(acuerdo['unidades'].max())} interacciones auditadas dos veces: el acuerdo es muy "
                       "incierto (vea los intervalos).", icon=":material/warning:")
        comun.tabla(informes.texto_acuerdo(acuerdo, estandar.set_index("competencia")["nombre"]), hide_index=True,
                    key="brechas_acuerdo")
        st.caption(f"Alfa de Krippendorff ({acuerdo['nivel'].iloc[0]}) por competencia sobre las interacciones "
                   "auditadas por dos o más auditores; intervalo bootstrap de 200 remuestras de interacciones. "
                   "Lectura de Landis y Koch: menos de 0 pobre, hasta 0,20 leve, 0,40 aceptable, 0,60 moderado, "
                   "0,80 considerable y más, casi perfecto. Krippendorff pide α ≥ 0,80 para fiarse y ≥ 0,667 para "
                   "conclusiones provisionales.")


def pestana_estandar() -> None:
    """Estándar y reglas: la conversión de escalas, el cálculo de un puntaje y lo que se edita."""
    st.subheader("Conversión a la escala común")
    escalas = cc.leer(consultas_competencias.escalas_de_auditorias, filtros).set_index("escala")["n_auditorias"]
    comun.tabla(competencias.tabla_de_conversion(escalas.to_dict()), hide_index=True, key="brechas_conversion")
    st.subheader("Cómo se calcula el puntaje de una auditoría")
    st.markdown(
        "1. Cada competencia calificada se convierte a la escala común (tabla de arriba).\n"
        "2. El puntaje es la **media ponderada** por los pesos del estándar. Una competencia **N/A** sale del "
        "cálculo y su peso se reparte entre las demás.\n"
        f"3. La auditoría **falla** (puntaje 0 %) si tiene un **error crítico** registrado (por ejemplo, dar "
        f"información falsa) o si una competencia marcada como **crítica** queda bajo "
        f"{porcentaje(competencias.UMBRAL_CRITICO, 0)}.\n"
        "4. Las brechas por competencia usan el valor de cada competencia; el puntaje global resume la auditoría.")
    ejemplo = cc.leer(consultas_competencias.detalle_auditoria, filtros, cc.ESCALAS, minimo)
    if not ejemplo.empty:
        calculo = competencias.puntaje_auditoria(ejemplo, estandar, errores_criticos=int(ejemplo["errores"].notna().any()))
        st.markdown(f"**Ejemplo: la auditoría más reciente** de un agente con al menos {minimo} auditorías tiene "
                    f"puntaje **{porcentaje(calculo.puntaje)}**" + (f", falla: {calculo.motivo}." if calculo.fallida else "."))
        comun.tabla(informes.texto_ejemplo(calculo, ejemplo, estandar), hide_index=True, key="brechas_ejemplo")

    st.subheader("Estándar: metas, pesos y competencias críticas")
    with st.form("brechas_form_estandar", enter_to_submit=False):
        # Formatos sin decimales: el navegador escribiría «0.80» o «1.0» con punto decimal.
        editado = comun.editor(
            competencias.estandar_para_editar(estandar), hide_index=True, key="brechas_estandar",
            disabled=["competencia", "nombre"], column_config={
                "competencia": None, "nombre": "Competencia",
                "meta": st.column_config.NumberColumn("Meta (%)", min_value=0, max_value=100, step=1, format="%.0f %%",
                                                      required=True,
                                                      help="Meta en la escala común, de 0 % (la peor calificación) "
                                                           "a 100 % (la mejor)."),
                "peso": st.column_config.NumberColumn("Peso", min_value=0, step=1, format="%.0f", required=True,
                                                      help="Peso de la competencia en el puntaje de la auditoría "
                                                           "(número entero; 0 la deja fuera)."),
                "critica": st.column_config.CheckboxColumn("Crítica", help="Bajo el umbral, la auditoría falla."),
            })
        if st.form_submit_button("Guardar estándar", icon=":material/save:"):
            cc.guardar(escritura.guardar_estandar, competencias.estandar_editado(editado), "Estándar guardado.")

    st.subheader("Temas de capacitación")
    with st.form("brechas_form_temas", enter_to_submit=False):
        temas = comun.editor(
            comun.consultar(consultas_competencias.temas_capacitacion), hide_index=True, num_rows="dynamic",
            key="brechas_temas",
            column_config={
                "competencia": st.column_config.SelectboxColumn(
                    "Competencia", options=list(estandar["competencia"]), required=True,
                    format_func=estandar.set_index("competencia")["nombre"].get,
                    help="Competencia del estándar que el tema trabaja."),
                "tema": st.column_config.TextColumn("Tema", required=True),
            })
        if st.form_submit_button("Guardar temas", icon=":material/save:"):
            cc.guardar(escritura.guardar_temas, temas, "Temas guardados.")

    umbral = CONFIGURABLES["auditorias_minimas"]
    if comun.usuario().rol != "administrador":
        st.caption(f"{umbral.descripcion}: {minimo}. Es un umbral de privacidad de toda la organización: solo un "
                   "administrador lo cambia, en *Usuarios y bitácora › Umbrales de privacidad*.")
    else:
        with st.form("brechas_form_minimo", enter_to_submit=False):
            nuevo_minimo = st.number_input(umbral.descripcion, min_value=umbral.minimo, max_value=100, value=minimo,
                                           step=1, key="brechas_minimo",
                                           help=f"Umbral de privacidad de toda la organización "
                                                f"(mínimo {umbral.minimo}).")
            if st.form_submit_button("Guardar mínimo", icon=":material/save:"):
                cc.guardar(lambda con, valor, autor: cambiar_configuracion(con, "auditorias_minimas", valor,
                                                                           autor=autor),
                           int(nuevo_minimo), "Mínimo guardado.")


pestanas({"Mapa de brechas": pestana_mapa, "Perfil de un agente": pestana_perfil,
          "Impacto en los clientes": pestana_impacto, "Plan de capacitación": pestana_plan,
          "Progreso": pestana_progreso, "Calibración": pestana_calibracion, "Estándar y reglas": pestana_estandar},
         "brechas")
