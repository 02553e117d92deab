"""Administración: cuentas y roles, alcance de datos, umbrales de privacidad y bitácora."""

import streamlit as st

from datos.consultas import cuentas as consultas_cuentas
from datos.consultas import resumen as consultas_resumen
from datos.cuentas import exportar
from datos.cuentas.configuracion import CONFIGURABLES, cambiar_configuracion
from datos.cuentas.usuarios import (LARGO_MINIMO_CLAVE, NOMBRES_ROLES, ROLES, actualizar_usuario, cambiar_clave,
                                    crear_usuario)
from analisis.errores import ErrorEslabon
from paginas import comun

st.title("Usuarios y bitácora")
yo = comun.usuario()
cursor = comun.almacen().cursor()
sucursales = comun.consultar(consultas_resumen.valores_de_filtro, "sucursal")["valor"].tolist()
equipos = comun.consultar(consultas_resumen.valores_de_filtro, "equipo")["valor"].tolist()
AYUDA_ALCANCE = ("Vacío: ve todos los datos. Si elige sucursales o equipos, solo verá cifras de ellos en todas "
                 "las páginas.")

usuarios, bitacora, configuracion = st.tabs(["Cuentas", "Bitácora", "Umbrales de privacidad"])

with usuarios:
    tabla = comun.consultar(consultas_cuentas.usuarios, cache=None)
    comun.tabla(tabla.assign(rol=tabla["rol"].map(NOMBRES_ROLES)), hide_index=True, key="cuentas",
                column_config={"usuario": "Usuario", "nombre": "Nombre", "rol": "Rol", "activo": "Activa",
                               "sucursales": "Sucursales", "equipos": "Equipos",
                               "intentos_fallidos": "Intentos fallidos",
                               "bloqueado_hasta": st.column_config.DatetimeColumn("Bloqueada hasta",
                                                                                  format="DD/MM/YYYY HH:mm"),
                               "creado": st.column_config.DatetimeColumn("Creada", format="DD/MM/YYYY")})
    nueva, editar = st.columns(2)
    with nueva.form("nueva_cuenta", clear_on_submit=True, enter_to_submit=False):
        st.subheader("Nueva cuenta")
        usuario = st.text_input("Usuario")
        nombre = st.text_input("Nombre completo")
        rol = st.selectbox("Rol", ROLES, format_func=NOMBRES_ROLES.get, placeholder="Elija un rol")
        clave = st.text_input("Clave inicial", type="password", help=f"Al menos {LARGO_MINIMO_CLAVE} caracteres.")
        alcance_sucursales = st.multiselect("Limitar a sucursales", sucursales, help=AYUDA_ALCANCE, placeholder="Sin límite", select_all=False)
        alcance_equipos = st.multiselect("Limitar a equipos", equipos, help=AYUDA_ALCANCE, placeholder="Sin límite", select_all=False)
        if st.form_submit_button("Crear cuenta", type="primary"):
            try:
                crear_usuario(cursor, usuario, clave, rol, nombre=nombre, sucursales=tuple(alcance_sucursales),
                              equipos=tuple(alcance_equipos), autor=yo.usuario)
                comun.aviso_error(f"Cuenta «{usuario}» creada.", como=st.toast, icono=":material/check:")
                st.rerun()
            except ErrorEslabon as error:
                comun.aviso_error(error)
    with editar.container(border=True):
        st.subheader("Cambiar una cuenta")
        if tabla.empty:
            st.caption("Todavía no hay cuentas que cambiar.")
        else:
            elegida = st.selectbox("Cuenta", tabla["usuario"].tolist(), key="cuenta_editada",
                                   placeholder="Elija una cuenta")
            fila = tabla.set_index("usuario").loc[elegida]
            with st.form("editar_cuenta", enter_to_submit=False):
                rol = st.selectbox("Rol", ROLES, index=ROLES.index(fila["rol"]), format_func=NOMBRES_ROLES.get,
                                   placeholder="Elija un rol")
                activa = st.checkbox("Cuenta activa", value=bool(fila["activo"]))
                alcance_sucursales = st.multiselect("Limitar a sucursales", sucursales, help=AYUDA_ALCANCE, placeholder="Sin límite", select_all=False,
                                                    default=[s for s in fila["sucursales"] if s in sucursales])
                alcance_equipos = st.multiselect("Limitar a equipos", equipos, help=AYUDA_ALCANCE, placeholder="Sin límite", select_all=False,
                                                 default=[e for e in fila["equipos"] if e in equipos])
                clave = st.text_input("Clave nueva (opcional)", type="password")
                if st.form_submit_button("Guardar cambios"):
                    try:
                        actualizar_usuario(cursor, elegida, rol=rol, activo=activa,
                                           sucursales=tuple(alcance_sucursales), equipos=tuple(alcance_equipos),
                                           autor=yo.usuario)
                        if clave:
                            cambiar_clave(cursor, elegida, clave, autor=yo.usuario)
                        comun.aviso_error(f"Cuenta «{elegida}» actualizada.", como=st.toast, icono=":material/check:")
                        st.rerun()
                    except ErrorEslabon as error:
                        comun.aviso_error(error)

with bitacora:
    st.caption("Entradas, cargas, deshacer, cambios de configuración y exportaciones: quién, qué y cuándo "
               "(las 1.000 anotaciones más recientes).")
    registro = comun.consultar(consultas_cuentas.bitacora, cache=None)
    comun.tabla(registro, hide_index=True, column_config={
        "momento": st.column_config.DatetimeColumn("Momento", format="DD/MM/YYYY HH:mm:ss"),
        "usuario": "Usuario", "accion": "Acción", "detalle": "Detalle"})
    st.download_button("Descargar la bitácora (CSV)", data=comun.anotada(lambda: exportar.a_csv(registro),
                                                                         "bitacora.csv"),
                       file_name="bitacora.csv", mime="text/csv", icon=":material/download:", on_click="ignore")

with configuracion:
    st.caption("Las cifras de una persona solo se muestran con suficientes auditorías, y las de un segmento con "
               "suficientes respuestas, aparte de la muestra mínima estadística.")
    with st.form("umbrales", enter_to_submit=False):
        nuevos = {clave: st.number_input(umbral.descripcion, min_value=umbral.minimo, step=1,
                                         value=comun.umbral(clave), help=f"Mínimo admitido: {umbral.minimo}.")
                  for clave, umbral in CONFIGURABLES.items()}
        if st.form_submit_button("Guardar umbrales"):
            try:
                for clave, valor in nuevos.items():
                    cambiar_configuracion(cursor, clave, int(valor), autor=yo.usuario)
            except ErrorEslabon as error:
                comun.aviso_error(error)
            else:
                st.toast("Umbrales guardados.")
                st.rerun()
