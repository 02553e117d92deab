"""Lo que espera una persona en Chromium: entrar, cada página (primera y segunda visita) y dos filtros.

Prepara dos almacenes de demostración, escala 2 (100 mil interacciones) y escala 200 (10 millones),
en ``benchmarks/_datos/`` (los genera, o copia los que se indiquen con ``--base2``/``--base200``,
o reutiliza los de una vuelta anterior con ``--reutilizar``; nunca modifica el archivo de origen),
sirve la aplicación sobre cada uno con ``streamlit run`` y la recorre en un Chromium sin pantalla
como la administradora: entra por el formulario, abre cada página de la navegación dos veces
(una vuelta completa y luego otra) y cambia dos veces el filtro «Canal» del resumen.

Cada espera va del clic al momento en que el guion de Streamlit deja de ejecutarse
(``data-test-script-state`` de ``stApp`` distinto de ``running``) sin volver a empezar durante
``--quietud`` segundos: las reejecuciones encadenadas (``st.rerun``) cuentan en la misma espera.
Imprime una tabla con las dos columnas y su cociente, a la manera española.

Con ``--esperar-precalculo SEGUNDOS``, tras entrar espera a que el precálculo de fondo termine (lo lee en
«Operación», en otra pestaña) antes de la primera vuelta: así se miden las primeras visitas como las vería
alguien tras una carga ya precalculada; sin él, la vuelta empieza con el precálculo corriendo a la vez.

Con ``--tras-carga FILAS`` (y ``--esperar-precalculo``), al final sube en «Cargar datos» un CSV de FILAS
interacciones nuevas, espera al precálculo de esa versión y vuelve a abrir cada página: lo que espera la
primera persona que entra tras una carga.

En las páginas con pestañas perezosas (``paginas.pestanas``: solo la abierta se ejecuta), la primera visita
y la de tras la carga abren además cada otra pestaña: cambiar de pestaña es una ejecución, y se mide.

Uso: ``python3 benchmarks/navegador.py [--reutilizar] [--base2 RUTA] [--base200 RUTA] [--escalas 2]
[--esperar-precalculo SEGUNDOS [--tras-carga FILAS]]``
"""

import argparse
import contextlib
import re
import shutil
import sys
import time
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlparse

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from playwright.sync_api import sync_playwright  # noqa: E402

from analisis.formato import numero  # noqa: E402
from benchmarks.carga import generar  # noqa: E402
from datos import demo  # noqa: E402
from datos.almacen.conexion import Almacen  # noqa: E402
from paginas.sesion import COOKIE, PAGINAS  # noqa: E402
from tests import RAIZ  # noqa: E402
from tests.navegador import ARGUMENTOS_CHROMIUM, CHROMIUM, CLAVE, USUARIO, _servir  # noqa: E402

CARPETA = Path(__file__).resolve().parent / "_datos"
ESCALAS = (2.0, 200.0)
#: Canales que elige el benchmark en el filtro del resumen (dos cambios seguidos).
CANALES = ("Teléfono", "Chat")
#: Atributo de ``stApp`` con el estado del guion ('running', 'notRunning', 'rerunRequested'…).
ESTADO = "data-test-script-state"

#: Guion que el navegador ejecuta al abrir cada documento: anota [milisegundos, estado] en cada cambio.
_OBSERVADOR = f"""
window.__estados = [];
new MutationObserver(() => {{
  const app = document.querySelector('[data-testid="stApp"]');
  const estado = app && app.getAttribute('{ESTADO}');
  const ultimo = window.__estados[window.__estados.length - 1];
  if (estado && (!ultimo || ultimo[1] !== estado)) window.__estados.push([performance.now(), estado]);
}}).observe(document, {{attributes: true, childList: true, subtree: true, attributeFilter: ['{ESTADO}']}});
"""


@dataclass(frozen=True)
class Medida:
    """Una espera medida: qué se hizo (``accion``) y cuántos segundos tardó en cada escala."""

    accion: str
    segundos: dict[float, float]


def fin_de_espera(transiciones: Sequence[Sequence], inicio: float, ahora: float, quietud: float) -> float | None:
    """El instante (ms) en que terminó la espera que empezó en ``inicio``, o None si aún no terminó.

    ``transiciones`` son pares [ms, estado] del atributo ``data-test-script-state`` en el orden en que
    ocurrieron. Termina cuando, después de ``inicio``, el guion empezó a ejecutarse ('running') y
    luego pasó a otro estado que dura al menos ``quietud`` ms hasta ``ahora``; el fin es el instante
    de esa última salida de 'running' (una reejecución encadenada alarga la espera).

    >>> fin_de_espera([[5, "notRunning"], [10, "running"], [90, "notRunning"]], 8, 600, 300)
    90.0
    >>> fin_de_espera([[10, "running"], [90, "notRunning"]], 8, 200, 300) is None
    True
    """
    posteriores = [(float(ms), estado) for ms, estado in transiciones if float(ms) >= inicio]
    if not any(estado == "running" for _, estado in posteriores):
        return None
    ms, estado = posteriores[-1]
    if estado == "running" or ahora - ms < quietud:
        return None
    return ms


def tabla(medidas: Sequence[Medida], escalas: Sequence[float] = ESCALAS) -> str:
    """La tabla de esperas en texto: una columna por escala y el cociente de la última con la primera.

    Segundos y cocientes con coma decimal (``analisis.formato.numero``); «—» donde falta una medida.

    >>> print(tabla([Medida("entrar", {2.0: 2.5, 200.0: 3.75})]))
    espera (s)  escala 2  escala 200  cociente
    entrar          2,50        3,75       1,5
    """
    cabecera = ["espera (s)", *(f"escala {numero(e, 0)}" for e in escalas), "cociente"]
    filas = [cabecera]
    for medida in medidas:
        valores = [medida.segundos.get(e) for e in escalas]
        cociente = valores[-1] / valores[0] if len(valores) > 1 and None not in valores and valores[0] else None
        filas.append([medida.accion, *("—" if v is None else numero(v, 2) for v in valores),
                      "—" if cociente is None else numero(cociente, 1)])
    anchos = [max(len(fila[i]) for fila in filas) for i in range(len(cabecera))]
    return "\n".join(
        "  ".join(celda.ljust(anchos[0]) if i == 0 else celda.rjust(anchos[i]) for i, celda in enumerate(fila)).rstrip()
        for fila in filas)


def preparar(escala: float, origen: Path | None, reutilizar: bool, *, nombre: str = "navegador") -> Path:
    """El almacén de trabajo ``<nombre>_<escala>.duckdb`` en ``benchmarks/_datos/``: reutilizado, copiado de
    ``origen`` o generado.

    El origen nunca se abre para escribir: se copia (las migraciones corren luego sobre la copia).
    """
    CARPETA.mkdir(exist_ok=True)
    ruta = CARPETA / f"{nombre}_{numero(escala, 0)}.duckdb"
    if reutilizar and ruta.exists():
        return ruta
    ruta.unlink(missing_ok=True)
    ruta.with_suffix(".duckdb.wal").unlink(missing_ok=True)
    if origen is not None:
        shutil.copyfile(origen, ruta)
        return ruta
    almacen = Almacen(str(ruta))
    inicio = time.perf_counter()
    filas = demo.cargar_demo(almacen.cursor(), escala=escala)
    almacen.cerrar()
    print(f"Escala {numero(escala, 0)} generada en {numero(time.perf_counter() - inicio, 1)} s: "
          f"{numero(filas.get('interacciones', 0), 0)} interacciones")
    return ruta


class Cronometro:
    """Una pestaña de Chromium que anota los estados del guion de Streamlit y mide cuánto dura cada acción."""

    def __init__(self, pagina, *, quietud: float, limite: float):
        """``pagina`` de Playwright; ``quietud`` (s) sin reejecutarse da la espera por terminada; ``limite`` (s)."""
        self.pagina, self.quietud, self.limite = pagina, quietud, limite
        pagina.add_init_script(_OBSERVADOR)

    def medir(self, accion: Callable[[], object], listo: Callable[[], bool] = lambda: True) -> float:
        """Segundos desde justo antes de ``accion()`` hasta que el guion termina (ver ``fin_de_espera``).

        ``listo()`` dice si ya se ve lo esperado (p. ej. el botón «Salir» tras entrar): hasta entonces
        una pausa entre dos ejecuciones encadenadas, más larga que la quietud en una máquina cargada,
        no cuenta como fin.
        """
        inicio = self.pagina.evaluate("performance.now()")
        accion()
        plazo = time.monotonic() + self.limite
        while time.monotonic() < plazo:
            transiciones, ahora = self.pagina.evaluate("[window.__estados, performance.now()]")
            fin = fin_de_espera(transiciones, inicio, ahora, self.quietud * 1000)
            if fin is not None and listo():
                return (fin - inicio) / 1000
            time.sleep(0.05)
        raise TimeoutError(f"La aplicación siguió ejecutándose más de {numero(self.limite, 0)} s.")

    def errores(self) -> int:
        """Cuántos recuadros de excepción de Streamlit muestra la página ahora."""
        return self.pagina.locator('[data-testid="stException"]').count()


def _enlace(pagina, titulo: str):
    """El enlace de la navegación lateral a la página ``titulo``."""
    return pagina.locator('[data-testid="stSidebarNavLink"]').filter(has=pagina.get_by_text(titulo, exact=True))


def _en_pagina(pagina, archivo: str) -> bool:
    """True si la dirección de ``pagina`` es ya la de ``archivo`` (``paginas/cadena.py`` → ``/cadena``;
    el resumen, página por defecto, también ``/``)."""
    ruta, nombre = urlparse(pagina.url).path.strip("/"), Path(archivo).stem
    return ruta == nombre or (ruta == "" and nombre == "resumen")


def pestanas_perezosas(pagina, archivo: str) -> list[str]:
    """Las pestañas no abiertas de la página ``archivo`` si usa pestañas perezosas (``paginas.pestanas``: cambiar
    de pestaña ejecuta la página, una espera que se mide); ninguna si no (el navegador las cambia sin esperar)."""
    if not re.search(r"^pestanas\(", (RAIZ / archivo).read_text(encoding="utf-8"), re.MULTILINE):
        return []
    return pagina.locator('[role="tab"][aria-selected="false"]').all_inner_texts()


def _elegir_canal(pagina, canal: str) -> Callable[[], None]:
    """Abre el filtro «Canal» de la barra lateral y devuelve el clic que elige ``canal`` (lo que se mide)."""
    pagina.locator('[data-testid="stSidebar"] [data-testid="stMultiSelect"]').filter(has_text="Canal").click()
    opcion = pagina.get_by_role("option", name=canal, exact=True)
    opcion.wait_for()
    return opcion.click


def esperar_precalculo(pagina, url: str, limite: float, version_minima: int = 0) -> tuple[float, int]:
    """Abre «Operación» en otra pestaña de la misma sesión hasta que el precálculo de fondo dice «Al día» con
    una versión de los datos de al menos ``version_minima`` (cada 5 s); devuelve los segundos que esperó y esa
    versión. Así las primeras visitas se miden como tras una escritura ya precalculada, sin el precálculo
    corriendo a la vez."""
    pagina.wait_for_function(f"() => document.cookie.includes('{COOKIE}=')", timeout=limite * 1000)
    pestana, inicio = pagina.context.new_page(), time.monotonic()
    try:
        while True:
            pestana.goto(f"{url}/operacion")
            pestana.get_by_text("Precálculo de los análisis").wait_for(timeout=limite * 1000)
            estado = pestana.get_by_text("Al día: la versión")
            if estado.count() and (version := version_al_dia(estado.first.inner_text())) >= version_minima:
                return time.monotonic() - inicio, version
            if time.monotonic() - inicio > limite:
                raise TimeoutError(f"el precálculo no terminó en {numero(limite, 0)} s")
            pestana.wait_for_timeout(5_000)
    finally:
        pestana.close()


def version_al_dia(texto: str) -> int:
    """La versión de los datos que «Operación» da por precalculada.

    >>> version_al_dia("Al día: la versión 12 de los datos quedó precalculada el 07/12/2026 08:05, en 38 s")
    12
    """
    return int(texto.removeprefix("Al día: la versión ").split(" ", 1)[0])


def cargar(pagina, url: str, archivo: Path) -> None:
    """Sube ``archivo`` en «Cargar datos» como lo haría una persona: elegirlo, validarlo e importar sus filas."""
    pagina.goto(f"{url}/carga")
    pagina.locator("input[type=file]").first.set_input_files(str(archivo))
    pagina.get_by_role("button", name="Validar el archivo").click()
    pagina.get_by_role("button", name=re.compile(r"^Importar [\d.]+ filas$")).click()
    pagina.get_by_text("filas nuevas", exact=False).first.wait_for()


def recorrer(url: str, *, quietud: float, limite: float, precalculo: float | None = None,
             tras_carga: Path | None = None) -> tuple[dict[str, float], list[str]]:
    """Entra en ``url`` como la administradora y mide cada espera: (segundos por acción, acciones con error).

    Con ``precalculo`` (segundos máximos), tras entrar espera a que termine el precálculo de fondo
    (``esperar_precalculo``) y vuelve a entrar en una sesión nueva (la primera entrada, recién arrancado el
    servidor, compite con el precálculo y con la carga de los módulos) antes de abrir las páginas. Con
    ``tras_carga`` (un CSV), al final lo sube en «Cargar datos», espera al precálculo de la versión nueva y
    vuelve a abrir cada página: la primera visita tras una carga."""
    esperas: dict[str, float] = {}
    con_error: list[str] = []
    with sync_playwright() as p:
        navegador = p.chromium.launch(executable_path=CHROMIUM, args=ARGUMENTOS_CHROMIUM)
        try:
            pagina = navegador.new_context(viewport={"width": 1440, "height": 1100}, locale="es-ES").new_page()
            pagina.set_default_timeout(limite * 1000)
            reloj = Cronometro(pagina, quietud=quietud, limite=limite)

            def anotar(accion: str, hacer: Callable[[], object], listo: Callable[[], bool] = lambda: True) -> None:
                esperas[accion] = reloj.medir(hacer, listo)
                print(f"  {accion}: {numero(esperas[accion], 2)} s", file=sys.stderr, flush=True)
                if reloj.errores():
                    con_error.append(accion)

            def entrar(accion: str) -> None:
                pagina.goto(url)
                pagina.get_by_label("Usuario").fill(USUARIO)
                pagina.get_by_label("Clave").fill(CLAVE)
                anotar(accion, pagina.get_by_role("button", name="Entrar").click,
                       lambda: pagina.get_by_role("button", name="Salir").count() > 0)

            entrar("entrar (hasta ver el resumen)")
            if precalculo is not None:
                segundos, version = esperar_precalculo(pagina, url, precalculo)
                print(f"  (precálculo terminado tras {numero(segundos, 0)} s)", file=sys.stderr, flush=True)
                pagina.context.clear_cookies()  # otra sesión: la misma persona vuelve a entrar, servidor ya en marcha
                entrar("entrar otra vez, con el precálculo hecho")
            def visitar(registrada, accion: str, con_pestanas: bool) -> None:
                anotar(accion, _enlace(pagina, registrada.titulo).click, lambda: _en_pagina(pagina, registrada.archivo))
                for etiqueta in pestanas_perezosas(pagina, registrada.archivo) if con_pestanas else []:
                    pestana = pagina.get_by_role("tab", name=etiqueta, exact=True)
                    anotar(f"{accion}, pestaña «{etiqueta}»", pestana.click)

            for vuelta, paginas in (("primera", PAGINAS[1:]), ("segunda", PAGINAS)):
                for registrada in paginas:
                    visitar(registrada, f"{registrada.titulo}, {vuelta} visita", con_pestanas=vuelta == "primera")
            for numero_cambio, canal in enumerate(CANALES, start=1):
                anotar(f"resumen, cambio {numero_cambio} del filtro Canal", _elegir_canal(pagina, canal))
                pagina.keyboard.press("Escape")
            if tras_carga is not None and precalculo is not None:
                inicio = time.monotonic()
                cargar(pagina, url, tras_carga)
                print(f"  (carga de {tras_carga.name} guardada en {numero(time.monotonic() - inicio, 1)} s)",
                      file=sys.stderr, flush=True)
                segundos, _ = esperar_precalculo(pagina, url, precalculo, version_minima=version + 1)
                print(f"  (precálculo de la carga terminado tras {numero(segundos, 0)} s)", file=sys.stderr,
                      flush=True)
                for registrada in PAGINAS:
                    visitar(registrada, f"{registrada.titulo}, primera visita tras la carga", con_pestanas=True)
        finally:
            navegador.close()
    return esperas, con_error


def _opciones(argv: Sequence[str] | None) -> argparse.Namespace:
    """Opciones de la línea de órdenes (``--help`` las describe)."""
    opciones = argparse.ArgumentParser(description="Esperas de una persona en Chromium a escala 2 y 200.")
    opciones.add_argument("--reutilizar", action="store_true",
                          help="usar los almacenes de una vuelta anterior en benchmarks/_datos/ si existen")
    opciones.add_argument("--base2", type=Path, help="copiar este almacén de escala 2 en vez de generarlo")
    opciones.add_argument("--base200", type=Path, help="copiar este almacén de escala 200 en vez de generarlo")
    opciones.add_argument("--escalas", type=float, nargs="+", default=list(ESCALAS),
                          help="escalas que medir (por defecto 2 y 200; el cociente es última / primera)")
    opciones.add_argument("--quietud", type=float, default=0.5,
                          help="segundos sin reejecución que dan por terminada una espera (0,5)")
    opciones.add_argument("--limite", type=float, default=300, help="segundos máximos de una espera (300)")
    opciones.add_argument("--esperar-precalculo", type=float, metavar="SEGUNDOS", dest="precalculo",
                          help="tras entrar, esperar (como mucho SEGUNDOS) a que el precálculo de fondo termine "
                               "antes de abrir las páginas: primeras visitas como tras una carga ya precalculada")
    opciones.add_argument("--tras-carga", type=int, metavar="FILAS", dest="tras_carga",
                          help="con --esperar-precalculo: al final, subir en «Cargar datos» un CSV de FILAS "
                               "interacciones nuevas (benchmarks/carga.py), esperar a su precálculo y volver a "
                               "abrir cada página")
    return opciones.parse_args(argv)


@contextlib.contextmanager
def servida(ruta: Path) -> Iterator[str]:
    """La aplicación servida sobre ``ruta`` (``streamlit run``, como en las pruebas de navegador): su URL."""
    yield from _servir(ruta)


def main(argv: Sequence[str] | None = None) -> None:
    """Prepara cada escala, la recorre en Chromium e imprime la tabla de esperas con su cociente."""
    argumentos = _opciones(argv)
    origenes = {2.0: argumentos.base2, 200.0: argumentos.base200}
    archivo = None if argumentos.tras_carga is None else generar("interacciones", argumentos.tras_carga, nuevas=True)
    medidas: dict[str, dict[float, float]] = {}
    for escala in argumentos.escalas:
        ruta = preparar(escala, origenes.get(escala), argumentos.reutilizar)
        with servida(ruta) as url:
            esperas, con_error = recorrer(url, quietud=argumentos.quietud, limite=argumentos.limite,
                                          precalculo=argumentos.precalculo, tras_carga=archivo)
        for accion, segundos in esperas.items():
            medidas.setdefault(accion, {})[escala] = segundos
        for accion in con_error:
            print(f"Escala {numero(escala, 0)}: la página mostró un error en «{accion}».")
    print(tabla([Medida(accion, segundos) for accion, segundos in medidas.items()], argumentos.escalas))


if __name__ == "__main__":
    main()
