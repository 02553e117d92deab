"""La guía de inicio de un almacén vacío (Resumen ejecutivo): cadena y metas, plantillas, carga o demostración."""

import streamlit as st

from analisis.formato import numero
from datos.ajustes import organizacion
from datos.ingesta import plantillas
from datos.ingesta.escalas import escalas_configuradas
from paginas import comun, sesion

__all__ = ["guia_de_inicio"]

_CONFIGURACION = "paginas/organizacion.py"


def _paso_cadena(con) -> None:
    """Paso 1: la cadena de servicio y las metas (o la cadena sugerida)."""
    etapas = organizacion.leer(con).etapas
    st.markdown("**1. Defina su cadena de servicio y sus metas.** Las etapas que vive su cliente, en orden, y "
                "la meta de cada indicador.")
    if etapas:
        st.caption("Su cadena: " + " → ".join(e.nombre for e in etapas))
    elif sesion.puede_ver(comun.usuario(), _CONFIGURACION):
        st.caption("Su cadena todavía no tiene etapas.")
        if st.button("Empezar con la cadena sugerida (" + " → ".join(e.nombre for e in organizacion.CADENA_SUGERIDA)
                     + ")", icon=":material/auto_fix_high:", key="guia_sugerida"):
            organizacion.aplicar(con, organizacion.Configuracion(etapas=organizacion.CADENA_SUGERIDA),
                                 usuario=comun.usuario().usuario)
            st.rerun()
    else:
        st.caption("Su cadena todavía no tiene etapas: pida al administrador que la defina.")
    sesion.enlace(_CONFIGURACION, label="Configurar la organización", icon=":material/tune:")


def _paso_plantillas(con) -> None:
    """Paso 2: plantillas de encuestas que ya traen las etapas y las escalas configuradas."""
    st.markdown("**2. Descargue la plantilla de encuestas.** Ya trae una columna por etapa de su cadena y la "
                "escala de cada medida; la hoja «Instrucciones» explica cada columna.")
    etapas = tuple(e.nombre for e in organizacion.leer(con).etapas)
    escalas = escalas_configuradas(con)
    st.download_button("Plantilla de encuestas (Excel)", icon=":material/table_view:", key="guia_plantilla",
                       data=comun.anotada(lambda: plantillas.plantilla_excel("encuestas", etapas=etapas,
                                                                             escalas=escalas),
                                          "plantilla_encuestas.xlsx"),
                       file_name="plantilla_encuestas.xlsx", on_click="ignore",
                       mime="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")


def guia_de_inicio() -> None:
    """Los pasos para empezar con un almacén vacío; el último, probar la demostración."""
    con = comun.almacen().cursor()
    st.info("La base de datos está vacía. Estos pasos la dejan lista para sus propios datos; también puede "
            "explorar Eslabón con datos de demostración.", icon=":material/database:")
    with st.container(border=True):
        _paso_cadena(con)
    with st.container(border=True):
        _paso_plantillas(con)
    with st.container(border=True):
        st.markdown("**3. Suba sus archivos** de encuestas, interacciones, auditorías, clientes o agentes (CSV o "
                    "Excel, con sus propias cabeceras). Desde la línea de órdenes: python -m datos.cargar.")
        sesion.enlace("paginas/carga.py", label="Subir mis archivos", icon=":material/upload_file:")
    with st.container(border=True):
        st.markdown("**O pruebe la demostración:** 18 meses de una empresa ficticia con clientes, agentes, "
                    "interacciones, encuestas y auditorías. Trae su propia cadena; al deshacerla, se va con ella.")
        if not sesion.puede_cargar(comun.usuario()):
            st.caption("Solo las cuentas de Calidad y de administración cargan datos. Pídales que suban los "
                       "archivos de su organización o los datos de demostración.")
        elif st.button("Cargar datos de demostración", type="primary", icon=":material/play_arrow:",
                       key="guia_demo"):
            escritas = comun.cargar_demo()
            st.toast(f"Datos de demostración cargados: {numero(sum(escritas.values()), 0)} filas")
            st.rerun()
