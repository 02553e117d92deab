"""Perfiles de clientes: grupos de clientes parecidos, con nombre, rasgos y KPI, para actuar sobre ellos."""

from dataclasses import replace

import streamlit as st

from analisis import perfiles
from analisis.formato import fecha, numero, porcentaje, sin_markdown
from datos.consultas import perfiles as consultas_perfiles
from datos.consultas import resumen as consultas_resumen
from datos.precalculo import calculos
from datos.precalculo.calculos import MAXIMO_CLIENTES
from analisis.errores import MuestraInsuficiente
from datos.ajustes.perfiles import LARGO_MAXIMO, guardar_nombres_perfiles
from paginas import comun, sesion
from paginas.pestanas import CONSERVAR, pestanas
from paginas.graficos import (barras_silueta, config_descarga, figura, kpis_perfiles, mapa_de_calor_rasgos,
                              mapa_perfiles, mostrar)

#: Clientes que se muestran en pantalla en el detalle (el archivo descargado los trae todos).
FILAS_DETALLE = 1_000
AUTOMATICO = "Automático"
#: Cabecera en español de la columna de identificadores de la tabla (y los archivos) de clientes.
CABECERAS = {"cliente_id": "Cliente"}


comun.encabezado("Perfiles de clientes", "Grupos de clientes parecidos según quiénes son, cómo contactan y cómo valoran "
                "el servicio, para dirigir a cada uno acciones de marketing o de servicio.",
                vacio="Todavía no hay datos. Cargue clientes, interacciones y encuestas, o los datos de demostración "
                      "desde el *Resumen ejecutivo*.")

elegidos = comun.filtros()
canales = tuple(comun.consultar(consultas_resumen.valores_de_filtro, "canal")["valor"])
disponibles = perfiles.variables_cliente(canales)
with st.container(border=True):
    izquierda, centro, derecha = st.columns([4, 1.3, 1.3], vertical_alignment="bottom")
    variables = izquierda.multiselect(
        "Variables para agrupar", list(disponibles), format_func=perfiles.etiqueta, placeholder="Elija variables",
        key="variables_perfiles", select_all=False,
        default=[v for v in perfiles.PREDETERMINADAS if v in disponibles],
        help="Cada variable pesa lo mismo. Las numéricas se estandarizan y las categóricas se codifican con una "
             "columna por categoría; un dato faltante deja al cliente en el centro de esa variable.")
    historial = derecha.toggle("Todo el historial", value=True,
                               help="Activado: los rasgos usan todos los contactos y encuestas. Desactivado: solo "
                                    "los del periodo de la barra lateral (un periodo corto da rasgos más ruidosos).")
    ventana = replace(elegidos, desde=None, hasta=None) if historial else elegidos
    clientes = comun.precalculado(calculos.clientes_perfiles, ventana, canales)
    eleccion = centro.selectbox("Número de perfiles", [AUTOMATICO, *range(2, perfiles.k_maximo(len(clientes)) + 1)],
                                placeholder=comun.ELIJA_UNA_OPCION,
                                key="k_perfiles", help="Automático: el número con mayor silueta media entre 2 y 8.")
periodo = "todo el historial" if historial else f"del {fecha(elegidos.desde)} al {fecha(elegidos.hasta)}"
st.caption(f"Rasgos de {periodo}. Filtros que se aplican: tipo de cliente (qué clientes entran) y canal, sucursal "
           "o equipo (entran los clientes con algún contacto que los cumple; sus rasgos usan todos sus contactos "
           "visibles para su cuenta).")

k = None if eleccion == AUTOMATICO else eleccion
try:
    with st.spinner("Formando perfiles…"):
        resultado = comun.precalculado(calculos.perfiles_clientes, ventana, canales, tuple(variables), k)
except MuestraInsuficiente as error:
    comun.aviso_error(error, como=st.warning, icono=":material/group_off:")
    st.stop()

# Sin caché a propósito: guardar un nombre no cambia la versión de los datos (ver datos.ajustes.perfiles).
nombres = perfiles.con_nombres(resultado, comun.consultar(consultas_perfiles.nombres_perfiles, cache=None))
silueta = resultado.silueta[resultado.k]
with st.container(horizontal=True):
    st.metric("Clientes perfilados", numero(len(clientes), 0), border=True,
              help=f"Como mucho {numero(MAXIMO_CLIENTES, 0)}: con más, el motor de datos elige una muestra aleatoria "
                   "reproducible de ese tamaño (por el hash del identificador del cliente) y solo ella sale del "
                   f"motor. k-medias se ajusta sobre {numero(resultado.n_ajuste, 0)} y después se asigna a todos al "
                   "centro más cercano.")
    st.metric("Perfiles", resultado.k, "automático" if k is None else f"sugerido: {resultado.k_sugerido}",
              delta_color="off", delta_arrow="off", border=True,
              help="k-medias con semilla fija; el número automático es el de mayor silueta media.")
    st.metric("Silueta media", numero(silueta, 3), f"separación {perfiles.nivel_silueta(silueta)}", border=True,
              delta_color="off", delta_arrow="off",
              help="De −1 a 1: cuánto más cerca está cada cliente de su perfil que del siguiente (Rousseeuw 1987), "
                   "sobre una muestra de 3.000 clientes. Lectura de Kaufman y Rousseeuw: > 0,7 fuerte, > 0,5 "
                   "razonable, > 0,25 débil.")
    st.metric("Estabilidad", numero(resultado.estabilidad, 2), perfiles.nivel_estabilidad(resultado.estabilidad),
              delta_color="off", delta_arrow="off", border=True,
              help=f"Índice de Rand ajustado medio entre estos perfiles y los que salen al repetir el agrupamiento "
                   f"en {len(resultado.estabilidades)} remuestras bootstrap (1 = siempre los mismos grupos; "
                   "0 = como al azar). Alta ≥ 0,8; media ≥ 0,6.")
if len(clientes) >= MAXIMO_CLIENTES:
    st.caption(f"Se alcanzó el tope de {numero(MAXIMO_CLIENTES, 0)} clientes: si el filtro tiene más, los perfiles "
               "se forman con una muestra aleatoria reproducible de ese tamaño que elige el motor de datos (por el "
               "hash del identificador del cliente).")
if perfiles.nivel_estabilidad(resultado.estabilidad) == "baja":
    st.warning("Los perfiles cambian mucho de una remuestra a otra: tómelos como orientativos, pruebe otro número "
               "de perfiles u otras variables.", icon=":material/warning:")
if aviso := perfiles.aviso_faltantes(resultado):
    st.caption(aviso)
if resultado.descartadas:
    st.info("Sin variación entre estos clientes, no se usan: "
            f"{', '.join(perfiles.etiqueta(v) for v in resultado.descartadas)}.", icon=":material/info:")

kpis = perfiles.kpis_por_grupo(comun.precalculado(calculos.sumas_perfiles, ventana, canales, tuple(variables), k),
                               nombres, privacidad=comun.privacidad_respuestas())
muestra_minima = comun.muestra_minima()


def pestana_personas() -> None:
    """Personas: cada perfil con sus indicadores y los rasgos que lo distinguen."""
    st.caption("Bajo cada indicador, la diferencia frente a todos los clientes. Rasgos: los que más distinguen al "
               "perfil del total; el desvío está en desviaciones típicas (numéricas) o en la escala de la proporción "
               "(categorías), y ±0,5 ya es una diferencia clara. Los rasgos promedian clientes (cada uno pesa igual); "
               "los indicadores promedian respuestas o contactos.")
    columnas = st.columns(2)
    for grupo in range(resultado.k):
        with columnas[grupo % 2].container(border=True):
            st.subheader(f"{grupo + 1}. {sin_markdown(nombres[grupo])}")
            tamano = resultado.tamanos[grupo]
            st.caption(f"{numero(tamano, 0)} clientes ({porcentaje(tamano / len(clientes), 1)} del total)")
            for columna, texto in zip(st.columns(3), perfiles.textos_kpis(kpis, grupo, muestra_minima=muestra_minima)):
                columna.metric(texto.titulo, texto.valor, texto.diferencia, delta_color=texto.color, help=texto.ayuda)
                columna.caption(texto.detalle)
            comun.tabla_ajustada(perfiles.rasgos(resultado, grupo))


def pestana_mapa() -> None:
    """Mapa: los clientes en el plano de las dos componentes principales."""
    mostrar(figura(mapa_perfiles, resultado.mapa, nombres, resultado.varianza_mapa),
            config=config_descarga("mapa_perfiles"), key="mapa_perfiles")
    st.caption(f"Cada punto es un cliente ({numero(len(resultado.mapa), 0)} de {numero(len(clientes), 0)}, "
               "elegidos al azar). Los ejes son las dos componentes principales (PCA) de las variables elegidas: "
               "clientes cercanos se parecen. Los perfiles pueden solaparse en el plano aunque estén separados en "
               "las demás dimensiones.")


def pestana_comparacion() -> None:
    """Comparación: rasgos e indicadores de todos los perfiles lado a lado."""
    st.markdown("**Rasgos que distinguen a cada perfil**")
    mostrar(figura(mapa_de_calor_rasgos, perfiles.comparacion(resultado, nombres)),
            config=config_descarga("rasgos_perfiles"), key="calor_perfiles")
    st.caption("Azul: más que el total; rojo: menos. Cada celda muestra el valor en el perfil.")
    st.markdown("**Indicadores por perfil**")
    mostrar(figura(kpis_perfiles, kpis, muestra_minima), config=config_descarga("kpis_perfiles"),
            key="kpis_perfiles")
    st.caption(f"Barras con su intervalo de confianza al 95 %; la línea punteada es el total de clientes. En gris, "
               f"menos de {muestra_minima} respuestas o contactos. Los intervalos cuentan cada respuesta como "
               "independiente, así que pueden quedar algo estrechos.")


def pestana_numero_k() -> None:
    """Número de perfiles: la silueta de cada número probado."""
    mostrar(figura(barras_silueta, resultado.silueta, resultado.k, resultado.k_sugerido),
            config=config_descarga("silueta_perfiles"), key="silueta_perfiles")
    st.caption(f"Silueta media de cada número de perfiles probado (en azul el que se muestra). La estabilidad de "
               f"los {resultado.k} perfiles va de {numero(min(resultado.estabilidades), 2)} a "
               f"{numero(max(resultado.estabilidades), 2)} según la remuestra.")


def pestana_detalle() -> None:
    """Clientes: los clientes de un perfil, en pantalla y en archivos."""
    opciones = [None, *range(resultado.k)]
    elegido = st.selectbox("Perfil", opciones, key="perfil_detalle", placeholder=comun.ELIJA_UNA_OPCION,
                           persist_state=CONSERVAR,
                           format_func=lambda g: "Todos los perfiles" if g is None else f"{g + 1}. {nombres[g]}")
    proteger = sesion.protectora()
    cuantos = len(clientes) if elegido is None else resultado.tamanos[elegido]
    st.caption(f"{numero(cuantos, 0)} clientes; en pantalla, los primeros "
               f"{numero(min(cuantos, FILAS_DETALLE), 0)}. Los archivos traen todos, con el perfil asignado.")
    comun.tabla(proteger(perfiles.clientes_del_perfil(clientes, resultado, nombres, elegido, columnas=["cliente_id"],
                                                      limite=FILAS_DETALLE, texto=True)).rename(columns=CABECERAS),
                hide_index=True, width="stretch", key="perfiles_clientes")
    comun.descargas(lambda: proteger(perfiles.clientes_del_perfil(clientes, resultado, nombres, elegido,
                                                                  columnas=["cliente_id"])).rename(columns=CABECERAS),
                    "clientes_perfil" if elegido is None else f"clientes_perfil_{elegido + 1}",
                    clave=f"perfil_{elegido}")


def pestana_renombrar() -> None:
    """Renombrar: el nombre propio de cada perfil."""
    st.caption("Dé a cada perfil un nombre propio. Se guarda para estos perfiles (mismas variables, mismo número y "
               "mismos rasgos) y reaparece en cada visita; deje el automático o bórrelo para volver a él.")
    with st.form("nombres_perfiles", enter_to_submit=False):
        escritos = {grupo: st.text_input(f"Perfil {grupo + 1}", value=nombres[grupo], max_chars=LARGO_MAXIMO,
                                         key=f"nombre_{resultado.firmas[grupo]}",
                                         help=f"Nombre automático: {resultado.nombres[grupo]}")
                    for grupo in range(resultado.k)}
        comun.boton_guardar("Guardar nombres", lambda: guardar_nombres_perfiles(
            comun.almacen().cursor(), perfiles.cambios_de_nombre(resultado, escritos), autor=comun.usuario().usuario),
            "Nombres guardados")


pestanas({"Personas": pestana_personas, "Mapa": pestana_mapa, "Comparación": pestana_comparacion,
          "Número de perfiles": pestana_numero_k, "Clientes": pestana_detalle, "Renombrar": pestana_renombrar},
         "perfiles")

with st.expander("¿Cómo se forman los perfiles?"):
    st.markdown(
        "- **Variables**: cada una pesa lo mismo. Las numéricas se recortan a sus percentiles 1 y 99 y se "
        "estandarizan; las categóricas se codifican con una columna por categoría, centradas y escaladas; la mezcla "
        "de canales (proporción de contactos por canal) cuenta como una sola variable.\n"
        "- **Datos faltantes** (un cliente sin encuestas o sin contactos): el cliente queda en el centro de esa "
        "variable, así que no lo acerca a ningún perfil. Las tablas de rasgos usan solo valores observados.\n"
        f"- **Muestra**: del motor de datos salen como mucho {numero(MAXIMO_CLIENTES, 0)} clientes; con más, el "
        "propio motor elige una muestra aleatoria reproducible (por el hash del identificador del cliente), así "
        "que nunca se traen todos los clientes de una base grande.\n"
        "- **Agrupamiento**: k-medias con semilla fija (mismo resultado en cada visita). Con más de 20.000 clientes "
        "se ajusta sobre una muestra de 20.000 y se asigna a todos al centro más cercano.\n"
        "- **Número de perfiles**: el de mayor silueta media entre 2 y 8, o el que usted elija.\n"
        "- **Estabilidad**: se repite el agrupamiento en 20 remuestras bootstrap y se compara con el índice de Rand "
        "ajustado; por debajo de 0,6 los perfiles no son fiables.\n"
        "- **Nombres**: se forman con los rasgos que más se apartan del total (|desvío| ≥ 0,4).\n"
        "- **Mapa**: análisis de componentes principales sobre una muestra de hasta 5.000 clientes."
    )
