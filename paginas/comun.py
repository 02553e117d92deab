"""Piezas compartidas por las páginas: conexión, caché de consultas y filtros laterales.

Es la única capa que combina Streamlit con ``datos``: la conexión vive en
``st.cache_resource`` (una por proceso y archivo) y los resultados de las
consultas en ``st.cache_data`` con la versión de los datos en la clave, de
modo que una carga o la demostración refrescan todas las páginas.
"""

from collections.abc import Callable
from datetime import date, timedelta

import pandas as pd
import streamlit as st

from analisis import alertas
from analisis.tendencias import PERCENTILES
from datos import consultas, demo
from datos.cuentas import exportar
from datos.almacen.conexion import Almacen, ruta_predeterminada
from datos.consultas.filtros import Filtros, con_alcance
from datos.cuentas.usuarios import Usuario, registrar
from datos.motores.motor import Motor

__all__ = ["almacen", "consultar", "barra_lateral", "filtros", "muestra_minima", "cargar_demo", "DIAS_POR_DEFECTO",
           "descargas", "alertas_vigentes", "mostrar_alertas", "usuario", "anotar", "alcance", "anotada", "consultar_al_dia",
           "aviso_demo", "exigir_datos", "privacidad_respuestas"]
__all__ += ["consultar_filas", "con_nota_percentil"]

#: Duración del periodo que se muestra al abrir la aplicación (terminando en el último dato).
DIAS_POR_DEFECTO = 90


@st.cache_resource(show_spinner=False)
def _almacen(ruta: str) -> Almacen:
    """Abre (y migra) el almacén de ``ruta`` una sola vez por proceso."""
    return Almacen(ruta)


def almacen() -> Almacen:
    """El almacén configurado por ``ESLABON_DB`` (o el archivo por defecto)."""
    return _almacen(ruta_predeterminada())


@st.cache_data(show_spinner=False, max_entries=256)
def _consultar(ruta: str, version: int, nombre: str, argumentos: tuple) -> pd.DataFrame:
    """Ejecuta ``datos.consultas.<nombre>`` y trae su resultado (pequeño) a pandas.

    ``ruta`` y ``version`` forman parte de la clave de caché: otra base de datos
    u otra versión de los datos nunca reutilizan un resultado viejo.
    """
    return _motor(ruta).consultar(getattr(consultas, nombre), *argumentos)


def consultar(nombre: str, *argumentos) -> pd.DataFrame:
    """Resultado en caché de la consulta ``nombre`` de ``datos.consultas`` con esos argumentos."""
    actual = almacen()
    return _consultar(actual.ruta, actual.version_datos(), nombre, argumentos)


def consultar_al_dia(nombre: str, *argumentos) -> pd.DataFrame:
    """La consulta ``nombre`` sin ``st.cache_data``, en el motor configurado.

    Para tablas que cambian sin cambiar la versión de los datos (cuentas,
    bitácora, nombres puestos por los usuarios) y para resultados grandes que
    la página guarda a su manera.
    """
    return _motor(almacen().ruta).consultar(getattr(consultas, nombre), *argumentos)


def aviso_demo() -> None:
    """Recuerda, en cada página, que lo que se ve son datos de demostración (si lo son)."""
    if almacen().hay_datos_demo():
        st.warning("Está viendo **datos de demostración** generados por Eslabón, no datos reales de su "
                   "organización.", icon=":material/science:")


def exigir_datos(mensaje: str) -> None:
    """Con la base vacía muestra ``mensaje`` y detiene la página; si no, el aviso de demostración."""
    if almacen().esta_vacio():
        st.info(mensaje, icon=":material/database:")
        st.stop()
    aviso_demo()


def _rango_inicial() -> tuple[date, date, date, date] | None:
    """(primera, última, desde, hasta) por defecto para el filtro de fechas; None sin datos."""
    rango = consultar("rango_de_fechas")
    if rango.empty or pd.isna(rango.loc[0, "ultima"]):
        return None
    primera, ultima = pd.Timestamp(rango.loc[0, "primera"]).date(), pd.Timestamp(rango.loc[0, "ultima"]).date()
    return primera, ultima, max(primera, ultima - timedelta(days=DIAS_POR_DEFECTO - 1)), ultima


def _multiselect(etiqueta: str, campo: str, permitidos: tuple[str, ...] = ()) -> tuple[str, ...]:
    """Selector múltiple de la barra lateral; vacío significa 'todos' (o todos los ``permitidos``)."""
    opciones = consultar("valores_de_filtro", campo)["valor"].tolist()
    if permitidos:
        opciones = [v for v in opciones if v in permitidos]
    elegidos = st.multiselect(etiqueta, opciones, placeholder="Todos", key=f"filtro_{campo}")
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
                                    format="DD/MM/YYYY", key="filtro_periodo",
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


def _entero_configurado(clave: str, defecto: int) -> int:
    """Un parámetro entero de la tabla ``configuracion`` (``defecto`` si falta)."""
    configuracion = consultar("configuracion").set_index("clave")["valor"]
    return int(configuracion.get(clave, defecto))


def muestra_minima() -> int:
    """Número mínimo de respuestas para dar una cifra por fiable (configuración ``muestra_minima``)."""
    return _entero_configurado("muestra_minima", 30)


def privacidad_respuestas() -> int:
    """Respuestas mínimas para mostrar las cifras de un segmento (configuración ``privacidad_respuestas``)."""
    return _entero_configurado("privacidad_respuestas", 10)


def cargar_demo() -> dict[str, int]:
    """Escribe los datos de demostración mostrando una barra de progreso; devuelve filas por tabla."""
    barra = st.progress(0.0, text="Generando datos de demostración…")
    escritas = demo.cargar_demo(almacen().cursor(),
                                progreso=lambda fraccion, texto: barra.progress(fraccion, text=texto))
    barra.empty()
    return escritas


def usuario() -> Usuario:
    """La persona con sesión abierta en esta ejecución."""
    return st.session_state["usuario"]


def anotar(accion: str, detalle: str = "") -> None:
    """Deja en la bitácora una acción de la persona con sesión (p. ej. un cambio de configuración)."""
    registrar(almacen().cursor(), usuario().usuario, accion, detalle)


def alcance() -> Filtros:
    """Solo el alcance de datos de la persona con sesión (sus sucursales y equipos; vacío: todo)."""
    persona = usuario()
    return con_alcance(Filtros(), sucursales=persona.sucursales, equipos=persona.equipos)


def anotada(generar: Callable[[], bytes], archivo: str) -> Callable[[], bytes]:
    """``generar`` envuelto para que, al producir la descarga, la anote en la bitácora.

    Streamlit llama a los datos diferidos de ``st.download_button`` solo cuando se pulsa el botón
    y sin volver a ejecutar la página; quién descarga se fija al dibujar el botón.
    """
    destino, quien = almacen(), usuario().usuario

    def producir() -> bytes:
        contenido = generar()
        registrar(destino.cursor(), quien, "exportar", archivo)
        return contenido

    return producir


def descargas(tabla: pd.DataFrame, nombre: str, *, clave: str) -> None:
    """Botones para descargar ``tabla`` como CSV y como Excel (``nombre`` sin extensión).

    Los archivos se generan solo al pulsar el botón, con las fórmulas
    neutralizadas (``datos.exportar``), y cada descarga queda en la bitácora.
    """
    with st.container(horizontal=True, gap="small"):
        st.download_button("CSV", data=anotada(lambda: exportar.a_csv(tabla), f"{nombre}.csv"),
                           file_name=f"{nombre}.csv", mime="text/csv", icon=":material/download:",
                           key=f"csv_{clave}", on_click="ignore",
                           help="Separado por punto y coma, con coma decimal (se abre directo en Excel en español).")
        st.download_button("Excel", data=anotada(lambda: exportar.a_excel({"Datos": tabla}), f"{nombre}.xlsx"),
                           file_name=f"{nombre}.xlsx",
                           mime="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
                           icon=":material/table_view:", key=f"excel_{clave}", on_click="ignore")


def alertas_vigentes(elegidos: Filtros) -> list[alertas.Alerta]:
    """Alertas de las reglas configuradas con los filtros elegidos (consultas en caché por versión de datos)."""
    reglas = alertas.reglas_desde_tabla(consultar("reglas_alerta"))
    return alertas.evaluar(reglas, consultar, elegidos, metas=consultar("metas"), muestra_minima=muestra_minima())


_INSIGNIA_GRAVEDAD = {"alta": ("red", ":material/priority_high:"), "media": ("orange", ":material/warning:")}


def mostrar_alertas(lista: list[alertas.Alerta], *, limite: int = 5) -> None:
    """La lista «qué requiere atención ahora»: las ``limite`` alertas más graves, con su tipo."""
    if not lista:
        st.success("Nada requiere atención ahora: ninguna regla de alerta se cumple con estos filtros.",
                   icon=":material/task_alt:")
        return
    for alerta in lista[:limite]:
        color, icono = _INSIGNIA_GRAVEDAD[alerta.gravedad]
        st.markdown(f":{color}-badge[{icono} {alertas.TIPOS[alerta.regla.tipo]}] {alerta.texto}")
    if len(lista) > limite:
        st.caption(f"Y {len(lista) - limite} alertas más.")


@st.cache_data(show_spinner=False, max_entries=8)
def _consultar_filas(ruta: str, version: int, nombre: str, argumentos: tuple) -> pd.DataFrame:
    """Como ``_consultar``, pero guarda pocos resultados: son grandes (una fila por encuestado, por ejemplo)."""
    return _motor(ruta).consultar(getattr(consultas, nombre), *argumentos)


def consultar_filas(nombre: str, *argumentos) -> pd.DataFrame:
    """``consultar`` para consultas que traen muchas filas (hasta cientos de miles): la caché guarda solo 8.

    Así una sesión que prueba muchos filtros no llena la memoria del servidor.
    """
    actual = almacen()
    return _consultar_filas(actual.ruta, actual.version_datos(), nombre, argumentos)


@st.cache_resource(show_spinner=False)
def _motor(ruta: str) -> Motor:
    """El motor de lectura configurado (``ESLABON_MOTOR``; DuckDB por defecto) sobre el almacén de ``ruta``."""
    return Motor(_almacen(ruta))


def con_nota_percentil(texto: str, clave: str | None = None) -> str:
    """``texto`` (la ayuda o la leyenda de una cifra) seguido del aviso de percentil aproximado.

    El aviso (``datos.consultas.nota_percentiles``) solo aparece si el motor de lectura da
    percentiles aproximados (Spark) y, con ``clave``, si ese indicador es un percentil.
    """
    nota = consultas.nota_percentiles(_motor(almacen().ruta).nombre)
    if not nota or (clave is not None and clave not in PERCENTILES):
        return texto
    return f"{texto} {nota}"
