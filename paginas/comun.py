"""Piezas compartidas por las páginas: conexión, caché de consultas y filtros laterales.

Es la única capa que combina Streamlit con ``datos``: la conexión vive en
``st.cache_resource`` (una por proceso y archivo), y con ella arrancan una sola vez el servicio de
órdenes y el trabajador programado (``datos.servicio``, ``en_marcha()``). Los resultados de las
consultas pasan por un solo ayudante, ``consultar(funcion, *argumentos)``, cuya
clave es la función misma (su nombre completo), la ``huella`` de los datos
(almacén, versión de los datos y alcance de la cuenta) y los argumentos: una
carga o la demostración refrescan todas las páginas y ninguna cuenta reutiliza
el resultado de otra. Lo que una página calcula y guarda a partir de esos
resultados (modelos, perfiles) lleva la ``huella()`` en su clave.
"""

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, timedelta

import pandas as pd
import streamlit as st

from analisis import alertas
from analisis.errores import ErrorEslabon
from analisis.formato import numero, para_exportar, sin_markdown
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
from datos.servicio.arranque import EnMarcha, arrancar

__all__ = ["en_marcha", "encabezado", "SIN_DATOS", "boton_guardar", "almacen", "consultar", "huella", "Huella", "barra_lateral", "filtros", "muestra_minima", "cargar_demo",
           "DIAS_POR_DEFECTO", "umbral", "descargas", "vacio", "alertas_vigentes", "mostrar_alertas", "usuario", "anotar", "alcance",
           "anotada", "VOLVER_A_ENTRAR", "aviso_error", "aviso_demo", "exigir_datos", "privacidad_respuestas", "con_nota_percentil"]

#: Qué hacer cuando una descarga se rechaza porque la sesión caducó o la cuenta cambió.
VOLVER_A_ENTRAR = "Vuelva a cargar la página (y a entrar, si se le pide) para descargar."

#: Duración del periodo que se muestra al abrir la aplicación (terminando en el último dato).
DIAS_POR_DEFECTO = 90


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
    """La ``Huella`` de esta ejecución (para la clave de lo que una página guarda en caché)."""
    actual = almacen()
    return Huella(actual.ruta, actual.version_datos(), _alcance_de(st.session_state.get("usuario")))


def _ejecutar(funcion: Callable, huella_datos: Huella, argumentos: tuple) -> pd.DataFrame:
    """``funcion(con, *argumentos)`` en el motor del almacén de la huella, traída a pandas."""
    return _motor(huella_datos.ruta).consultar(funcion, *argumentos)


@st.cache_data(show_spinner=False, max_entries=256)
def _guardada(_funcion: Callable, nombre: str, huella_datos: Huella, argumentos: tuple) -> pd.DataFrame:
    """Caché 'pequena' de ``consultar``: hasta 256 resultados, una copia por llamada.

    Streamlit no sabe resumir una función: ``_funcion`` queda fuera de la clave y la identifica
    ``nombre`` (``módulo.nombre``), junto con la huella y los argumentos.
    """
    return _ejecutar(_funcion, huella_datos, argumentos)


@st.cache_resource(show_spinner=False, max_entries=8)
def _compartida(_funcion: Callable, nombre: str, huella_datos: Huella, argumentos: tuple) -> pd.DataFrame:
    """Caché 'grande' de ``consultar``: 8 resultados, compartidos sin copiarlos (clave como en ``_guardada``)."""
    return _ejecutar(_funcion, huella_datos, argumentos)


_CACHES = {"pequena": _guardada, "grande": _compartida}


def consultar(funcion: Callable, *argumentos, cache: str | None = "pequena") -> pd.DataFrame:
    """El resultado de la consulta ``funcion(con, *argumentos)`` de ``datos.consultas``, en el motor configurado.

    Se pasa la función misma (``consultar(consultas_resumen.metas)``), nunca su nombre. La clave
    de caché es ``módulo.nombre`` de la función, la ``huella()`` y los argumentos.

    Parameters
    ----------
    funcion : una consulta de ``datos.consultas`` (recibe el backend Ibis y ``argumentos``).
    cache : 'pequena' (por defecto) guarda hasta 256 resultados y entrega una copia de cada uno;
        'grande', para resultados de cientos de miles de filas, guarda solo 8 y los comparte sin
        copiarlos (no se modifican: así una sesión que prueba muchos filtros no llena la memoria);
        None la ejecuta ahora, para tablas que cambian sin cambiar la versión de los datos
        (cuentas, bitácora, nombres puestos por los usuarios).
    """
    if cache is None:
        return _ejecutar(funcion, huella(), argumentos)
    if cache not in _CACHES:
        raise ValueError("'cache' debe ser 'pequena', 'grande' o None")
    return _CACHES[cache](funcion, f"{funcion.__module__}.{funcion.__qualname__}", huella(), argumentos)


def aviso_demo() -> None:
    """Recuerda, en cada página, que lo que se ve son datos de demostración (si lo son)."""
    if almacen().hay_datos_demo():
        st.warning("Está viendo **datos de demostración** generados por Eslabón, no datos reales de su "
                   "organización.", icon=":material/science:")


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
    """(primera, última, desde, hasta) por defecto para el filtro de fechas; None sin datos."""
    rango = consultar(consultas_resumen.rango_de_fechas)
    if rango.empty or pd.isna(rango.loc[0, "ultima"]):
        return None
    primera, ultima = pd.Timestamp(rango.loc[0, "primera"]).date(), pd.Timestamp(rango.loc[0, "ultima"]).date()
    return primera, ultima, max(primera, ultima - timedelta(days=DIAS_POR_DEFECTO - 1)), ultima


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


def barra_lateral(usuario: Usuario) -> Filtros:
    """Dibuja los filtros compartidos y los guarda, limitados al alcance de ``usuario``, para todas las páginas."""
    with st.sidebar:
        st.header("Filtros")
        rango = _rango_inicial()
        if rango is None:
            st.caption("Los filtros aparecerán cuando haya datos.")
            elegidos = Filtros()
        else:
            primera, ultima, desde, hasta = rango
            periodo = st.date_input("Periodo", value=(desde, hasta), min_value=primera, max_value=ultima,
                                    format="DD/MM/YYYY", key="filtro_periodo", bind="query-params",
                                    help="El resumen compara este periodo con el anterior de igual duración.")
            if len(periodo) == 2:
                desde, hasta = periodo
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
    """El umbral ``clave`` de ``datos.cuentas.configuracion.CONFIGURABLES``, nunca bajo su mínimo."""
    return cifras.umbral(consultar, clave)


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


def descargas(tabla: pd.DataFrame, nombre: str, *, clave: str) -> None:
    """Botones para descargar ``tabla`` como CSV y como Excel (``nombre`` sin extensión).

    Los archivos se generan solo al pulsar el botón, con las fórmulas
    neutralizadas (``datos.cuentas.exportar``), los números y fechas a la manera española
    (``analisis.formato.para_exportar``), y cada descarga queda en la bitácora.
    """
    tabla = para_exportar(tabla)
    with st.container(horizontal=True, gap="small"):
        st.download_button("CSV", data=anotada(lambda: exportar.a_csv(tabla), f"{nombre}.csv"),
                           file_name=f"{nombre}.csv", mime="text/csv", icon=":material/download:",
                           key=f"csv_{clave}", on_click="ignore",
                           help="Separado por punto y coma, con coma decimal (se abre directo en Excel en español).")
        st.download_button("Excel", data=anotada(lambda: exportar.a_excel({"Datos": tabla}), f"{nombre}.xlsx"),
                           file_name=f"{nombre}.xlsx",
                           mime="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
                           icon=":material/table_view:", key=f"excel_{clave}", on_click="ignore")


def alertas_vigentes(elegidos: Filtros) -> alertas.Evaluacion:
    """Alertas de las reglas configuradas con los filtros elegidos (consultas en caché por versión de datos),
    sin grupos por debajo de la muestra mínima ni del umbral de privacidad."""
    return cifras.alertas_del_periodo(consultar, elegidos, muestra_minima=muestra_minima(),
                                      privacidad=privacidad_respuestas())


_INSIGNIA_GRAVEDAD = {"alta": ("red", ":material/priority_high:"), "media": ("orange", ":material/warning:")}


def vacio(mensaje: str) -> None:
    """El estado vacío de toda la interfaz: un aviso neutro (nunca verde) que dice qué falta y qué hacer.

    Un resultado vacío no es una buena noticia: cada página lo muestra con esta pieza.
    """
    st.info(mensaje, icon=":material/search_off:")


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
