"""Piezas compartidas por las páginas: conexión, caché de consultas y filtros laterales.

Es la única capa que combina Streamlit con ``datos``: la conexión vive en
``st.cache_resource`` (una por proceso y archivo), y con ella arrancan una sola vez el servicio de
órdenes y el trabajador programado (``datos.servicio``, ``en_marcha()``). Los resultados de las
consultas pasan por un solo ayudante, ``consultar(funcion, *argumentos)``, cuya
clave es la función misma (su nombre completo), la ``huella`` de los datos
(almacén, versión de los datos y alcance de la cuenta) y los argumentos: una
carga o la demostración refrescan todas las páginas y ninguna cuenta reutiliza
el resultado de otra. Lo que una página calcula y guarda a partir de esos
resultados (modelos, perfiles) lleva la ``huella()`` en su clave; las cifras de
``datos.avisos.cifras`` (tarjetas, alertas) se guardan igual con ``calcular(funcion, *argumentos)``, y
las figuras que se repiten en cada ejecución con ``paginas.graficos.figura(dibujar, *argumentos)``.
"""

import logging
from collections.abc import AsyncIterator, Callable
from contextlib import asynccontextmanager
from dataclasses import dataclass
from datetime import date

import pandas as pd
import streamlit as st
from streamlit.runtime.scriptrunner import get_script_run_ctx

from analisis import alertas
from analisis.errores import ErrorEslabon
from analisis.formato import (PATRON_ENTERO, PATRON_NUMERO, RAYA, anchos_de_columnas, fecha_corta, numero,
                              numero_editable, numeros_en_texto, numeros_leidos, para_exportar, periodo_escrito,
                              sin_markdown, tabla_en_texto)
from analisis.tendencias import PERCENTILES
from datos import demo
from datos.avisos import cifras
from datos.almacen.conexion import Almacen, ruta_predeterminada
from datos.consultas import percentiles as consultas_percentiles
from datos.consultas import resumen as consultas_resumen
from datos.consultas.filtros import Filtros, con_alcance
from datos.cuentas import exportar
from datos.cuentas.sesiones import SesionNoValida, sesion_vigente
from datos.cuentas.usuarios import Usuario, registrar
from datos.motores.motor import Motor
from datos.precalculo import RESULTADOS, Contexto, calculos
from datos.precalculo.vistas import DIAS_POR_DEFECTO, periodo_por_defecto
from datos.servicio.arranque import EnMarcha, arrancar, intentar_abrir

__all__ = ["en_marcha", "al_arrancar_el_servidor", "encabezado", "SIN_DATOS", "ELIJA_UNA_OPCION", "boton_guardar",
           "almacen", "consultar", "huella", "Huella", "barra_lateral", "filtros", "muestra_minima", "cargar_demo",
           "DIAS_POR_DEFECTO", "umbral", "descargas", "vacio", "alertas_vigentes", "mostrar_alertas", "usuario",
           "anotar", "alcance", "anotada", "calcular", "VOLVER_A_ENTRAR", "CLAVES_PERIODO", "tabla",
           "tabla_ajustada", "editor", "DESPLAZABLE", "subir_archivo", "textos_en_espanol", "SIN_FILAS",
           "aviso_error", "aviso_demo", "exigir_datos", "privacidad_respuestas", "con_nota_percentil",
           "precalculado"]

_registro = logging.getLogger(__name__)

#: Qué hacer cuando una descarga se rechaza porque la sesión caducó o la cuenta cambió.
VOLVER_A_ENTRAR = "Vuelva a cargar la página (y a entrar, si se le pide) para descargar."



@st.cache_resource(show_spinner=False)
def _almacen(ruta: str) -> Almacen:
    """Abre (y migra) el almacén de ``ruta`` una sola vez por proceso."""
    return Almacen(ruta)


@st.cache_resource(show_spinner=False)
def _en_marcha(ruta: str) -> EnMarcha:
    """Arranca, una sola vez por proceso, el servicio de órdenes y el trabajador del almacén de ``ruta``."""
    return arrancar(_almacen(ruta))


def almacen() -> Almacen:
    """El almacén configurado por ``ESLABON_DB`` (o el archivo por defecto), con su servicio y su trabajador."""
    ruta = ruta_predeterminada()
    if ruta != ":memory:":
        _en_marcha(ruta)
    return _almacen(ruta)


def en_marcha() -> EnMarcha:
    """El servicio de órdenes y el trabajador del almacén configurado (para la página «Operación»)."""
    return _en_marcha(ruta_predeterminada())


def _abrir_al_arrancar() -> EnMarcha | None:
    """Abre el almacén configurado y devuelve su servicio y trabajador (ninguno con la base en memoria)."""
    almacen()
    return en_marcha() if ruta_predeterminada() != ":memory:" else None


@asynccontextmanager
async def al_arrancar_el_servidor(_app) -> AsyncIterator[None]:
    """El ``lifespan`` de ``st.App`` (``app.py``): abre el almacén y arranca su servicio y su trabajador.

    Corre cuando arranca el servidor, antes de que exista ninguna sesión del navegador: las órdenes de
    línea de comandos y lo programado funcionan sin que nadie abra la aplicación. Si la base no se puede
    abrir ahora (otra orden la tiene abierta), el servidor arranca igual y lo intenta la primera sesión,
    que muestra el motivo. Al parar el servidor los detiene (uvicorn sale con la señal que recibió, sin
    pasar por ``atexit``), y así se borra ``<base>.servicio``.
    """
    marcha, motivo = intentar_abrir(_abrir_al_arrancar)
    if motivo is not None:
        _registro.warning("Eslabón: no se pudo abrir la base al arrancar el servidor (%s); se intentará con la "
                          "primera sesión", motivo)
    try:
        yield
    finally:
        if marcha is not None:
            marcha.detener()


@st.cache_resource(show_spinner=False)
def _motor(ruta: str) -> Motor:
    """El motor de lectura configurado (``ESLABON_MOTOR``; DuckDB por defecto) sobre el almacén de ``ruta``."""
    return Motor(_almacen(ruta))


@dataclass(frozen=True)
class Huella:
    """Lo que identifica los datos que ve la sesión: archivo del almacén, versión de los datos y alcance de la cuenta.

    Va en la clave de toda caché de la interfaz: otra base, una carga nueva u otra cuenta no
    reutilizan nada guardado.
    """

    ruta: str
    version: int
    alcance: Filtros


def _alcance_de(persona: Usuario | None) -> Filtros:
    """Solo las sucursales y equipos de ``persona`` (vacío: todo; sin sesión, sin límite que añadir)."""
    if persona is None:
        return Filtros()
    return con_alcance(Filtros(), sucursales=persona.sucursales, equipos=persona.equipos)


def huella() -> Huella:
    """La ``Huella`` de esta ejecución (para la clave de lo que una página guarda en caché).

    La versión de los datos se lee del almacén una sola vez por ejecución del guion (el resumen pide
    decenas de consultas y cada lectura es una ida y vuelta a DuckDB); cada reejecución, también la
    de un fragmento, la vuelve a leer. Una página que escribe datos vuelve a ejecutarse
    (``st.rerun``) antes de mostrar lo escrito, así que dentro de una ejecución la versión no cambia.
    """
    contexto, persona = get_script_run_ctx(), st.session_state.get("usuario")
    guardada = st.session_state.get("_huella_de_ejecucion")
    if contexto is not None and guardada and guardada[0] is contexto.cursors and guardada[1] == persona:
        return guardada[2]
    actual = almacen()
    calculada = Huella(actual.ruta, actual.version_datos(), _alcance_de(persona))
    if contexto is not None:  # ``cursors`` es un diccionario nuevo en cada ejecución del guion
        st.session_state["_huella_de_ejecucion"] = (contexto.cursors, persona, calculada)
    return calculada


def _ejecutar(funcion: Callable, huella_datos: Huella, argumentos: tuple, *, plantilla: bool = True) -> pd.DataFrame:
    """``funcion(con, *argumentos)`` en el motor del almacén de la huella, traída a pandas.

    Con ``plantilla`` el SQL de la forma de los argumentos se compila una vez por versión de los datos
    (``datos.motores.plantillas``); sin ella, en cada llamada (tablas que cambian sin cambiar la versión).
    """
    return _motor(huella_datos.ruta).consultar(funcion, *argumentos,
                                               version=huella_datos.version if plantilla else None)


def _guardada(funcion: Callable, huella_datos: Huella, argumentos: tuple) -> pd.DataFrame:
    """Caché 'pequena' de ``consultar``: ``datos.precalculo.CONSULTAS`` (``calculos.consulta_pequena``, compartida
    con el precálculo), una copia por llamada."""
    contexto = Contexto(huella_datos.ruta, huella_datos.version, huella_datos.alcance,
                        lambda consulta, *valores: _ejecutar(consulta, huella_datos, valores))
    return calculos.consulta_pequena(contexto, funcion, *argumentos).copy()


@st.cache_resource(show_spinner=False, max_entries=8)
def _compartida(_funcion: Callable, nombre: str, huella_datos: Huella, argumentos: tuple) -> pd.DataFrame:
    """Caché 'grande' de ``consultar``: 8 resultados, compartidos sin copiarlos.

    Streamlit no sabe resumir una función: ``_funcion`` queda fuera de la clave y la identifica
    ``nombre`` (``módulo.nombre``), junto con la huella y los argumentos.
    """
    return _ejecutar(_funcion, huella_datos, argumentos)


def calcular(funcion: Callable, *argumentos, **opciones) -> object:
    """``funcion(consultar, *argumentos, **opciones)``, guardado por versión de los datos y alcance de la cuenta.

    Para las cifras de ``datos.avisos.cifras`` (tarjetas, alertas) que se calculan solo a partir de
    consultas de ``consultar``: con la misma ``huella()`` y los mismos argumentos el resultado es el
    mismo, así que volver al resumen, otra página que pide las mismas alertas o varias personas con
    los mismos filtros no repiten el cálculo (intervalos, detección de cambios). Una carga (nueva
    versión de los datos) u otra cuenta con otro alcance lo recalculan. Se guardan en
    ``datos.precalculo.CIFRAS`` (``calculos.cifra_del_periodo``), donde el precálculo deja las de la vista por defecto;
    se entregan sin copiarlas: no se modifican.
    """
    return calculos.cifra_del_periodo(_contexto(), funcion, *argumentos, **opciones)


def consultar(funcion: Callable, *argumentos, cache: str | None = "pequena") -> pd.DataFrame:
    """El resultado de la consulta ``funcion(con, *argumentos)`` de ``datos.consultas``, en el motor configurado.

    Se pasa la función misma (``consultar(consultas_resumen.metas)``), nunca su nombre. La clave
    de caché es ``módulo.nombre`` de la función, la ``huella()`` y los argumentos.

    Parameters
    ----------
    funcion : una consulta de ``datos.consultas`` (recibe el backend Ibis y ``argumentos``).
    cache : 'pequena' (por defecto) guarda hasta 512 resultados (compartidos con el precálculo, que deja hechos los
        de la vista por defecto) y entrega una copia de cada uno;
        'grande', para resultados de cientos de miles de filas, guarda solo 8 y los comparte sin
        copiarlos (no se modifican: así una sesión que prueba muchos filtros no llena la memoria);
        None la ejecuta ahora, para tablas que cambian sin cambiar la versión de los datos
        (cuentas, bitácora, nombres puestos por los usuarios).
    """
    if cache is None:
        return _ejecutar(funcion, huella(), argumentos, plantilla=False)
    if cache == "pequena":
        return _guardada(funcion, huella(), argumentos)
    if cache == "grande":
        return _compartida(funcion, f"{funcion.__module__}.{funcion.__qualname__}", huella(), argumentos)
    raise ValueError("'cache' debe ser 'pequena', 'grande' o None")


def aviso_demo() -> None:
    """Recuerda, en cada página, que lo que se ve son datos de demostración (si lo son)."""
    if almacen().hay_datos_demo():
        st.warning("Está viendo **datos de demostración** generados por Eslabón, no datos reales de su "
                   "organización.", icon=":material/science:")


#: Indicación de una lista de una sola opción mientras se escribe para buscar (si no, Streamlit escribe
#: «Choose an option»).
ELIJA_UNA_OPCION = "Elija una opción"

#: Lo que ve una página de análisis con la base vacía.
SIN_DATOS = "Todavía no hay datos. Cargue sus archivos o los datos de demostración desde el Resumen ejecutivo."


def encabezado(titulo: str, explicacion: str = "", *, vacio: str | None = None) -> None:
    """El título de la página y, debajo, ``explicacion``.

    Con ``vacio`` (el mensaje de la base vacía, p. ej. ``SIN_DATOS``) la página se detiene con él si
    no hay datos, y avisa si lo que se ve son datos de demostración (``exigir_datos``).
    """
    st.title(titulo)
    if vacio is not None:
        exigir_datos(vacio)
    if explicacion:
        st.caption(explicacion)


def boton_guardar(etiqueta: str, guardar: Callable[[], object], aviso: str) -> None:
    """El botón principal de un formulario: al pulsarlo llama a ``guardar``, avisa con ``aviso`` y redibuja."""
    if st.form_submit_button(etiqueta, type="primary", icon=":material/save:"):
        guardar()
        st.toast(aviso, icon=":material/check:")
        st.rerun()


def aviso_error(error: ErrorEslabon | str, *, como: Callable[..., object] = st.error,
                icono: str | None = ":material/error:") -> None:
    """Muestra ``error`` (su ``mensaje`` o el texto) con ``como`` (``st.error``, ``st.warning``, ``st.toast``…).

    Los mensajes citan valores de los usuarios (archivos, cuentas, etapas): pasan por
    ``analisis.formato.sin_markdown`` para verse tal como se escribieron, nunca como enlaces ni formato.
    """
    como(sin_markdown(getattr(error, "mensaje", error)), icon=icono)


def exigir_datos(mensaje: str) -> None:
    """Con la base vacía muestra ``mensaje`` y detiene la página; si no, el aviso de demostración."""
    if almacen().esta_vacio():
        st.info(mensaje, icon=":material/database:")
        st.stop()
    aviso_demo()


def _rango_inicial() -> tuple[date, date, date, date] | None:
    """(primera, última, desde, hasta) por defecto para el filtro de fechas (los últimos ``DIAS_POR_DEFECTO``
    días, los mismos que precalcula ``datos.precalculo``); None sin datos."""
    return periodo_por_defecto(consultar(consultas_resumen.rango_de_fechas))


def _multiselect(etiqueta: str, campo: str, permitidos: tuple[str, ...] = ()) -> tuple[str, ...]:
    """Selector múltiple de la barra lateral; vacío significa 'todos' (o todos los ``permitidos``).

    Sin la opción inglesa «Select all» (vacío ya es «todos») y guardado en la dirección
    (``?filtro_canal=Chat``): recargar la página o compartir el enlace conserva el filtro.
    """
    opciones = consultar(consultas_resumen.valores_de_filtro, campo)["valor"].tolist()
    if permitidos:
        opciones = [v for v in opciones if v in permitidos]
    elegidos = st.multiselect(etiqueta, opciones, placeholder="Todos", key=f"filtro_{campo}", select_all=False,
                              bind="query-params")
    return tuple(elegidos)


#: Claves (y parámetros de la dirección) de las cajas del periodo: ``?filtro_desde=01/09/2026``.
CLAVES_PERIODO = ("filtro_desde", "filtro_hasta")
#: Fecha escrita a la española (día/mes/año); el navegador la pide así antes de enviarla.
_PATRON_FECHA = (r"^\s*\d{1,2}[/.\-]\d{1,2}[/.\-](\d{2}|\d{4})\s*$",
                 "Escriba la fecha como día/mes/año, p. ej. 31/10/2026.")


def _periodo(primera: date, ultima: date, desde: date, hasta: date) -> tuple[date, date]:
    """Las cajas «Desde» y «Hasta» del periodo; devuelve el periodo que usan las páginas.

    Son cajas de texto (dd/mm/aaaa) y no un ``st.date_input``, que solo aplica lo escrito al perder el
    foco: aquí Enter aplica la fecha. Lo escrito se lee con ``analisis.formato.periodo_escrito``; si hubo
    que ajustarlo (fuera de los datos, al revés, ilegible) las cajas muestran el periodo que se usa y un
    aviso en español dice por qué. Viajan en la dirección (``bind="query-params"``), como los demás filtros.
    """
    anterior = st.session_state.get("_periodo_usado", (desde, hasta))
    escritos = [st.session_state.get(clave, st.query_params.get(clave, fecha_corta(defecto)))
                for clave, defecto in zip(CLAVES_PERIODO, (desde, hasta))]
    periodo = periodo_escrito(*escritos, primera=primera, ultima=ultima, anterior=anterior)
    for clave, dia in zip(CLAVES_PERIODO, (periodo.desde, periodo.hasta)):
        st.session_state[clave] = fecha_corta(dia)
    st.session_state["_periodo_usado"] = (periodo.desde, periodo.hasta)
    ayuda = (f"Escriba la fecha (día/mes/año) y pulse Enter. Hay datos del {fecha_corta(primera)} al "
             f"{fecha_corta(ultima)}. El resumen compara este periodo con el anterior de igual duración.")
    izquierda, derecha = st.columns(2)
    for columna, clave, etiqueta, explicacion in ((izquierda, CLAVES_PERIODO[0], "Desde", ayuda),
                                                  (derecha, CLAVES_PERIODO[1], "Hasta", None)):
        # ``live`` largo: Enter y salir de la caja aplican; sin él, Streamlit pondría «Press Enter to apply».
        columna.text_input(etiqueta, key=clave, bind="query-params", placeholder="dd/mm/aaaa", live="60s",
                           validate=_PATRON_FECHA, help=explicacion)
    for aviso in periodo.avisos:
        aviso_error(aviso, como=st.warning, icono=":material/event_busy:")
    return periodo.desde, periodo.hasta


def barra_lateral(usuario: Usuario) -> Filtros:
    """Dibuja los filtros compartidos y los guarda, limitados al alcance de ``usuario``, para todas las páginas."""
    with st.sidebar:
        st.header("Filtros")
        rango = _rango_inicial()
        if rango is None:
            st.caption("Los filtros aparecerán cuando haya datos.")
            elegidos = Filtros()
        else:
            desde, hasta = _periodo(*rango)
            elegidos = Filtros(
                desde=desde, hasta=hasta,
                canales=_multiselect("Canal", "canal"),
                sucursales=_multiselect("Sucursal", "sucursal", usuario.sucursales),
                tipos_cliente=_multiselect("Tipo de cliente", "tipo_cliente"),
                equipos=_multiselect("Equipo", "equipo", usuario.equipos),
            )
        if usuario.sucursales or usuario.equipos:
            st.caption("Su cuenta solo ve datos de: " + ", ".join(usuario.sucursales + usuario.equipos) + ".")
    elegidos = con_alcance(elegidos, sucursales=usuario.sucursales, equipos=usuario.equipos)
    st.session_state["filtros"] = elegidos
    return elegidos


def filtros() -> Filtros:
    """Los filtros elegidos en la barra lateral en esta ejecución."""
    return st.session_state.get("filtros", Filtros())


def umbral(clave: str) -> int:
    """El umbral ``clave`` de ``datos.cuentas.configuracion.CONFIGURABLES``, nunca bajo su mínimo.

    Guardado como una cifra (``calcular``): cambiar un umbral sube la versión de los datos, y leerlo de la tabla
    de configuración en cada ejecución (varias veces por página) costaba un 5 % de una ejecución del resumen.
    """
    return calcular(cifras.umbral, clave)


def muestra_minima() -> int:
    """Número mínimo de respuestas para dar una cifra por fiable (configuración ``muestra_minima``)."""
    return umbral("muestra_minima")


def privacidad_respuestas() -> int:
    """Respuestas mínimas para mostrar las cifras de un segmento (configuración ``privacidad_respuestas``)."""
    return umbral("privacidad_respuestas")


def cargar_demo() -> dict[str, int]:
    """Escribe los datos de demostración mostrando una barra de progreso; devuelve filas por tabla."""
    barra = st.progress(0.0, text="Generando datos de demostración…")
    escritas = demo.cargar_demo(almacen().cursor(),
                                progreso=lambda fraccion, texto: barra.progress(fraccion, text=texto))
    barra.empty()
    anotar("cargar demostración", f"{numero(sum(escritas.values()), 0)} filas")
    return escritas


def usuario() -> Usuario:
    """La persona con sesión abierta en esta ejecución."""
    return st.session_state["usuario"]


def anotar(accion: str, detalle: str = "") -> None:
    """Deja en la bitácora una acción de la persona con sesión (p. ej. un cambio de configuración)."""
    registrar(almacen().cursor(), usuario().usuario, accion, detalle)


def alcance() -> Filtros:
    """Solo el alcance de datos de la persona con sesión (sus sucursales y equipos; vacío: todo)."""
    return _alcance_de(usuario())


def anotada(generar: Callable[[], bytes], archivo: str) -> Callable[[], bytes]:
    """``generar`` envuelto para que, al producir la descarga, compruebe la sesión y la anote en la bitácora.

    Streamlit llama a los datos diferidos de ``st.download_button`` solo cuando se pulsa el botón
    y sin volver a ejecutar la página (cada ejecución ya comprobó la sesión antes de dibujar el
    botón): por eso la sesión se comprueba de nuevo en el almacén al producir el archivo. Si
    caducó, se cerró o la cuenta cambió de rol o de alcance desde entonces, no sale ningún dato: el
    archivo lleva solo el aviso en español de por qué (una excepción haría que Streamlit mostrara
    su mensaje en inglés), y el rechazo queda en la bitácora.
    """
    destino, quien, ficha = almacen(), usuario(), st.session_state.get("ficha")

    def producir() -> bytes:
        try:
            if sesion_vigente(destino.cursor(), ficha) != quien:
                raise SesionNoValida("Los permisos de su cuenta cambiaron.")
        except SesionNoValida as rechazo:
            motivo = rechazo.mensaje or "La sesión se cerró."
            registrar(destino.cursor(), quien.usuario, "exportación rechazada", f"{archivo}: {motivo}")
            return f"Descarga rechazada: {motivo} {VOLVER_A_ENTRAR}\n".encode()
        contenido = generar()
        registrar(destino.cursor(), quien.usuario, "exportar", archivo)
        return contenido

    return producir


def descargas(tabla: pd.DataFrame | Callable[[], pd.DataFrame], nombre: str, *, clave: str) -> None:
    """Botones para descargar ``tabla`` como CSV y como Excel (``nombre`` sin extensión).

    Los archivos se generan solo al pulsar el botón, con las fórmulas
    neutralizadas (``datos.cuentas.exportar``), los números y fechas a la manera española
    (``analisis.formato.para_exportar``, también al pulsar: con un millón de filas cuesta más de un segundo), y
    cada descarga queda en la bitácora. ``tabla`` no debe modificarse después; puede ser una función que la
    prepara al pulsar (sin ``st.session_state``: lo que dependa de la sesión se lee antes, p. ej.
    ``sesion.protectora``).
    """
    preparar = tabla if callable(tabla) else lambda: tabla
    with st.container(horizontal=True, gap="small"):
        st.download_button("CSV", data=anotada(lambda: exportar.a_csv(para_exportar(preparar())), f"{nombre}.csv"),
                           file_name=f"{nombre}.csv", mime="text/csv", icon=":material/download:",
                           key=f"csv_{clave}", on_click="ignore",
                           help="Separado por punto y coma, con coma decimal (se abre directo en Excel en español).")
        st.download_button("Excel", data=anotada(lambda: exportar.a_excel({"Datos": para_exportar(preparar())}),
                                                   f"{nombre}.xlsx"),
                           file_name=f"{nombre}.xlsx",
                           mime="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
                           icon=":material/table_view:", key=f"excel_{clave}", on_click="ignore")


def alertas_vigentes(elegidos: Filtros) -> alertas.Evaluacion:
    """Alertas de las reglas configuradas con los filtros elegidos (guardadas por huella y filtros: ``calcular``),
    sin grupos por debajo de la muestra mínima ni del umbral de privacidad."""
    return calcular(cifras.alertas_del_periodo, elegidos, muestra_minima=muestra_minima(),
                    privacidad=privacidad_respuestas())


_INSIGNIA_GRAVEDAD = {"alta": ("red", ":material/priority_high:"), "media": ("orange", ":material/warning:")}


def vacio(mensaje: str) -> None:
    """El estado vacío de toda la interfaz: un aviso neutro (nunca verde) que dice qué falta y qué hacer.

    Un resultado vacío no es una buena noticia: cada página lo muestra con esta pieza.
    """
    st.info(mensaje, icon=":material/search_off:")


#: Lo que dice una tabla sin filas (Streamlit dibujaría «empty»).
SIN_FILAS = "No hay filas que mostrar con esta selección."


def tabla(datos: pd.DataFrame, *, sin_filas: str = SIN_FILAS, **opciones):
    """``st.dataframe`` de toda la interfaz: sin filas, el estado vacío (``vacio(sin_filas)``) en lugar de una
    tabla con «empty»; las celdas sin valor, con la raya (no «None»); a lo ancho de la página (``_a_lo_ancho``).
    ``opciones`` van a ``st.dataframe``; devuelve lo que devuelve (la selección, con ``on_select``)."""
    if datos.empty:
        vacio(sin_filas)
        return None
    return _a_lo_ancho(st.dataframe, datos, datos, {**opciones, "placeholder": RAYA})


#: Ancho en píxeles de los anchos con nombre de Streamlit.
_ANCHOS_CON_NOMBRE = {"small": 75, "medium": 200, "large": 400}
#: Prefijo de la clave del contenedor de una tabla que se desplaza de lado (la de la tabla, detrás): el barrido en
#: Chromium (``tests/navegador/test_barrido.py``) solo deja desplazarse a las que conoce.
DESPLAZABLE = "desplazable_"


def _a_lo_ancho(dibujar: Callable, datos: pd.DataFrame, mostrados: pd.DataFrame, opciones: dict):
    """``dibujar(mostrados, **opciones)`` (``st.dataframe``/``st.data_editor``) de modo que ``datos`` quepa a lo
    ancho de la página sin desplazarse de lado (``analisis.formato.anchos_de_columnas``): las columnas de texto
    largas se estrechan y su texto se parte en líneas (filas más altas, salvo que se pida ``row_height``). Con
    demasiadas columnas para caber, la primera queda fija a la izquierda y la tabla, con clave ``k``, va en el
    contenedor ``DESPLAZABLE + k``. Lo que ``column_config`` ya dice (ancho, etiqueta, ayuda) se respeta."""
    configuracion = {c: ({"label": v} if isinstance(v, str) else v and dict(v))
                     for c, v in (opciones.get("column_config") or {}).items()}
    visibles = [c for c in opciones.get("column_order") or datos.columns
                if c in datos.columns and configuracion.get(c, {}) is not None and not configuracion.get(c, {}).get("hidden")]
    fijos = {c: _ANCHOS_CON_NOMBRE.get(v["width"], v["width"]) for c, v in configuracion.items()
             if c in visibles and v.get("width")}
    anchos = anchos_de_columnas(datos[visibles], fijos=fijos)
    for columna, ancho in anchos.columnas.items():
        configuracion[columna] = {**configuracion.get(columna, {}), "width": ancho}
    if anchos.desplazar and opciones.get("hide_index"):
        configuracion[visibles[0]] = {**configuracion.get(visibles[0], {}), "pinned": True}
    opciones = {**opciones, "column_config": configuracion or None,
                "row_height": opciones.get("row_height") or anchos.alto_de_fila}
    if not (anchos.desplazar and opciones.get("key")):
        return dibujar(mostrados, **opciones)
    with st.container(key=DESPLAZABLE + opciones["key"]):
        return dibujar(mostrados, **opciones)


def tabla_ajustada(datos: pd.DataFrame, *, ayudas: dict[str, str] | None = None, sin_filas: str = SIN_FILAS) -> None:
    """Tabla corta y ancha (una fila por etapa) que parte sus textos para caber en el ancho de la página en vez de
    cortarse o desplazarse de lado (``st.table``: los textos se ven tal cual, sin Markdown); ``ayudas`` (columna →
    qué dice) va en un desplegable debajo. Sin filas, el estado vacío."""
    if datos.empty:
        vacio(sin_filas)
        return
    st.table(tabla_en_texto(datos), hide_index=True)  # los números, a la española (st.table escribe 0.7)
    if ayudas:
        with st.expander("Qué dice cada columna"):
            st.markdown("\n".join(f"- **{sin_markdown(columna)}**: {sin_markdown(texto)}"
                                  for columna, texto in ayudas.items()))


def editor(datos: pd.DataFrame, *, column_config: dict | None = None, **opciones) -> pd.DataFrame:
    """``st.data_editor`` de toda la interfaz: las celdas sin valor muestran la raya (no «None») y los números
    se leen y se escriben a la española (5.835 · 0,8), que el editor de Streamlit no sabe hacer (su formato
    «localized» sigue el idioma del navegador, y en español no pone el punto de miles de 5835): las columnas
    numéricas sin configuración o con ``NumberColumn`` van como texto con una regla que solo admite un número
    escrito así, y vuelven como números. ``column_config`` y ``opciones`` van a ``st.data_editor``.
    Devuelve la tabla editada."""
    configuracion = dict(column_config or {})
    numericas = [c for c in datos.columns if pd.api.types.is_numeric_dtype(datos[c])
                 and not pd.api.types.is_bool_dtype(datos[c]) and _es_numero(configuracion.get(c, c))]
    for columna in numericas:
        configuracion[columna] = _numero_como_texto(configuracion.get(columna, columna), datos[columna])
    editada = _a_lo_ancho(st.data_editor, datos, numeros_en_texto(datos, numericas),
                          {**opciones, "placeholder": RAYA, "column_config": configuracion})
    return numeros_leidos(editada, {c: datos[c].dtype for c in numericas})


def _es_numero(configuracion) -> bool:
    """True si la columna se configuró como número o no se configuró (solo su título)."""
    return isinstance(configuracion, str) or (isinstance(configuracion, dict)
                                              and configuracion.get("type_config", {}).get("type") == "number")


def _numero_como_texto(configuracion: str | dict, serie: pd.Series) -> dict:
    """La ``TextColumn`` (a la derecha, como un número) que reemplaza una columna numérica: su título, ayuda, ancho
    y obligatoriedad, y la regla de ``PATRON_ENTERO`` (columna entera o con paso entero) o ``PATRON_NUMERO``.
    Los límites (mínimo, máximo) los valida quien guarda, con su mensaje."""
    if isinstance(configuracion, str):
        configuracion = {"label": configuracion}
    tipo = configuracion.get("type_config", {})
    entera = pd.api.types.is_integer_dtype(serie) or float(tipo.get("step") or 0.5).is_integer()
    return st.column_config.TextColumn(
        configuracion.get("label"), help=configuracion.get("help"), width=configuracion.get("width"),
        disabled=configuracion.get("disabled"), required=configuracion.get("required"),
        default=numero_editable(configuracion.get("default")), alignment="right",
        validate=PATRON_ENTERO if entera else PATRON_NUMERO)


#: Los textos en inglés que el selector de archivos de Streamlit (sin idioma propio) escribe, cambiados por
#: una regla CSS: se ocultan sus nodos y se escribe el español con ``::after`` (su ``data-testid`` es estable).
#: ``--eslabon-limite`` lleva el límite de tamaño de cada selector (``subir_archivo``). Las etiquetas (de
#: ``st.metric``, de los controles) y las insignias (``st.badge``), que Streamlit corta con «…» en una línea,
#: se parten en varias.
_CSS_EN_ESPANOL = """
<style>
[data-testid="stFileUploaderDropzone"] [data-testid="stBaseButton-secondary"] [data-testid="stMarkdownContainer"] p,
[data-testid="stFileUploaderDropzoneInstructions"] span,
[data-testid="stFileChipName"] + div,
[data-testid="stFileChip"] [role="alert"] {display: none;}
[data-testid="stFileUploaderDropzone"] [data-testid="stBaseButton-secondary"] [data-testid="stMarkdownContainer"]::after
    {content: "Elegir archivo";}
[data-testid="stFileUploaderDropzoneInstructions"] > div::after
    {content: var(--eslabon-limite, "%(limite)s"); font-size: 0.875rem; opacity: 0.6;}
[data-testid="stFileUploaderDropzoneInput"] + div:not(:last-child) > div {font-size: 0;}
[data-testid="stFileUploaderDropzoneInput"] + div:not(:last-child) > div::after
    {content: "Suelte el archivo aquí"; font-size: 1rem;}
[data-testid="stFileChip"][aria-invalid="true"] [data-testid="stFileChipName"]::after
    {content: " · no admitido: revise el tipo y el tamaño";}
.stMarkdownEllipsis, .stMarkdownEllipsis p, .stMarkdownBadge
    {white-space: normal !important; overflow: visible !important; text-overflow: clip !important;}
[data-testid="stMetricLabel"] {height: auto !important; min-height: 1.5rem;}
</style>
"""


def _texto_limite(limite_mb: float, tipos: list[str] | None = None) -> str:
    """«Hasta 200 MB por archivo · CSV, XLSX»: el texto del selector de archivos (``tipos`` sin punto)."""
    return f"Hasta {numero(limite_mb, 0)} MB por archivo" + (f" · {', '.join(t.upper() for t in tipos)}"
                                                             if tipos else "")


def textos_en_espanol() -> None:
    """Pone en español, con una regla CSS, los textos fijos en inglés de los componentes de Streamlit
    (el selector de archivos: «Upload», «200MB per file», «Drag and drop…», el tamaño «0.6KB»), y deja
    enteros los títulos de las tarjetas y las insignias (sin «…» en pantallas de 1280 px).

    Se llama una vez por ejecución desde ``app.py``; el límite por defecto es ``server.maxUploadSize``.
    """
    st.html(_CSS_EN_ESPANOL % {"limite": _texto_limite(st.get_option("server.maxUploadSize"))})


def subir_archivo(etiqueta: str, tipos: list[str], *, clave: str, limite_mb: float | None = None, **opciones):
    """``st.file_uploader`` de toda la interfaz: un archivo de ``tipos``, con su límite (``limite_mb``; por
    defecto ``server.maxUploadSize``) escrito en español bajo el botón; ``opciones`` (``help``…) van a
    ``st.file_uploader``. Devuelve el archivo subido o None."""
    limite = limite_mb or st.get_option("server.maxUploadSize")
    st.html(f"<style>.st-key-{clave} {{--eslabon-limite: \"{_texto_limite(limite, tipos)}\";}}</style>")
    return st.file_uploader(etiqueta, type=tipos, max_upload_size=max(1, int(limite)), key=clave, **opciones)


def mostrar_alertas(evaluacion: alertas.Evaluacion, *, limite: int = 5) -> None:
    """La lista «qué requiere atención ahora»: las ``limite`` alertas más graves, con su tipo.

    Sin ningún grupo con datos suficientes lo dice (``vacio``): no hay alertas porque no se pudo evaluar nada.
    """
    lista = evaluacion.alertas
    if not evaluacion.evaluados:
        vacio("No hay datos suficientes con estos filtros para evaluar las reglas de alerta: amplíe el periodo "
              f"o quite filtros (cada grupo necesita al menos {numero(max(muestra_minima(), privacidad_respuestas()), 0)} "
              "casos en la ventana de la regla).")
        return
    if not lista:
        st.success("Nada requiere atención ahora: ninguna regla de alerta se cumple con estos filtros.",
                   icon=":material/task_alt:")
        return
    for alerta in lista[:limite]:
        color, icono = _INSIGNIA_GRAVEDAD[alerta.gravedad]
        st.markdown(f":{color}-badge[{icono} {alertas.TIPOS[alerta.regla.tipo]}] {sin_markdown(alerta.texto)}")
    if len(lista) > limite:
        st.caption(f"Y {len(lista) - limite} alertas más.")


def con_nota_percentil(texto: str, clave: str | None = None) -> str:
    """``texto`` (la ayuda o la leyenda de una cifra) seguido del aviso de percentil aproximado.

    El aviso (``datos.consultas.percentiles.nota_percentiles``) solo aparece si el motor de lectura da
    percentiles aproximados (Spark) o, con ``clave`` (un KPI, que DuckDB lee de los agregados diarios), la
    cota del histograma; con ``clave``, solo si ese indicador es un percentil.
    """
    nota = consultas_percentiles.nota_percentiles(_motor(almacen().ruta).nombre, de_agregados=clave is not None)
    if not nota or (clave is not None and clave not in PERCENTILES):
        return texto
    return f"{texto} {nota}"


def precalculado(calculo: Callable, *argumentos):
    """El resultado de ``calculo(contexto, *argumentos)`` de ``datos.precalculo.calculos`` para esta sesión.

    Lo busca en ``datos.precalculo.RESULTADOS`` con la ``huella()`` (archivo, versión de los datos y
    alcance de la cuenta) y los argumentos: si el precálculo de fondo ya hizo la vista por defecto, o
    otra persona con el mismo alcance pidió lo mismo, no se calcula de nuevo; si no, se calcula ahora
    (con ``consultar``) y queda guardado. El resultado se comparte: no se modifica.
    """
    return RESULTADOS.obtener(_contexto(), calculo, *argumentos)


def _contexto() -> Contexto:
    """El ``Contexto`` de esta sesión: la ``huella()`` (archivo, versión de los datos y alcance) y ``consultar``."""
    actual = huella()
    return Contexto(actual.ruta, actual.version, actual.alcance, consultar)
