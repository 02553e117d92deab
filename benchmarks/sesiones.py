"""Varias personas a la vez: 10 sesiones simultáneas contra un mismo servidor, sin navegadores.

Cada sesión es un cliente ligero que habla el protocolo de Streamlit como el navegador: un websocket
a ``/_stcore/stream`` con la cookie de sesión de Eslabón, y por cada acción un ``BackMsg`` de
reejecución (``rerun_script``: la página y los filtros en la dirección, ``?filtro_canal=Chat``,
como los guarda la barra lateral). La espera va del envío al ``script_finished`` del servidor; un
elemento de excepción, una página no encontrada o un fin que no sea correcto cuentan como error.
Así los núcleos de la máquina quedan para el servidor, no para dibujar.

Cada sesión hace lo de la incidencia (varias personas que entran y abren Tendencias a la vez): abre
el resumen y Tendencias con los filtros por defecto y luego cambia el filtro del resumen a un canal
y un tipo de cliente propios, que ninguna otra sesión pide (ese cálculo no está hecho en la caché de
nadie). Primero una sesión de calentamiento (el servidor abre el almacén y calcula la vista por
defecto, como tras el primer acceso del día) que espera a que el precálculo de fondo diga «Al día» en
«Operación», luego **una persona sola** y después **10 a la vez**.

Con ``--pausa S`` cada persona lee lo que ve antes de la acción siguiente, como en un tablero de verdad:
empieza en un instante al azar de los primeros S segundos y deja entre acción y acción entre 0,5·S y 1,5·S
segundos (al azar, con semilla fija por sesión; la persona sola, igual). Sin pausa (por defecto) las 10
piden sus acciones a la vez, el peor caso: en 2 núcleos, con Python ejecutando una sesión a la vez por
proceso, la mediana de 10 peticiones simultáneas es al menos unas 5 veces la de una sola.

Las fichas de sesión se abren en el almacén antes de servirlo (como al entrar por el formulario).

Uso: ``python3 benchmarks/sesiones.py [--base RUTA | --escala 2] [--sesiones 10] [--pausa 0] [--reutilizar]``
"""

import argparse
import asyncio
import itertools
import random
import statistics
import sys
import time
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlencode

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from streamlit.proto.BackMsg_pb2 import BackMsg  # noqa: E402
from streamlit.proto.ForwardMsg_pb2 import ForwardMsg  # noqa: E402
from websockets.asyncio.client import connect  # noqa: E402
from websockets.exceptions import ConnectionClosed  # noqa: E402

from analisis.formato import numero  # noqa: E402
from datos.almacen.conexion import Almacen  # noqa: E402
from datos.cuentas.sesiones import abrir_sesion  # noqa: E402
from datos.cuentas.usuarios import crear_usuario, cuenta_por_usuario  # noqa: E402
from benchmarks.navegador import preparar, servida  # noqa: E402
from paginas.sesion import COOKIE  # noqa: E402
from tests.navegador import CLAVE, USUARIO  # noqa: E402

CANALES = ("Teléfono", "Chat", "Correo", "WhatsApp", "Presencial")
TIPOS_CLIENTE = ("externo", "interno", "intermedio")


@dataclass(frozen=True)
class Accion:
    """Una reejecución que pide una persona: la página (su dirección, '' para el resumen) y los filtros."""

    nombre: str
    pagina: str
    filtros: tuple[tuple[str, str], ...] = ()


@dataclass
class Resultado:
    """Lo que vivió una sesión: segundos por acción y los errores que vio (en español)."""

    esperas: dict[str, float] = field(default_factory=dict)
    errores: list[str] = field(default_factory=list)


def recorrido(indice: int) -> tuple[Accion, ...]:
    """Las tres acciones de la sesión ``indice``: lo que ve cualquiera al entrar y un filtro propio.

    Abre el resumen y Tendencias con los filtros por defecto (como la incidencia: varias personas que
    entran a la vez) y luego elige en el resumen un canal y un tipo de cliente que ninguna otra sesión
    elige (ese cálculo no está en la caché de nadie).

    >>> recorrido(0)[2].filtros
    (('filtro_canal', 'Teléfono'), ('filtro_tipo_cliente', 'externo'))
    """
    combinaciones = list(itertools.product(TIPOS_CLIENTE, CANALES))
    if not 0 <= indice < len(combinaciones):
        raise ValueError(f"'indice' debe estar entre 0 y {len(combinaciones) - 1}")
    tipo, canal = combinaciones[indice]
    return (Accion("abrir el resumen", ""), Accion("abrir Tendencias", "tendencias"),
            Accion("cambiar el filtro del resumen", "", (("filtro_canal", canal), ("filtro_tipo_cliente", tipo))))


def mensaje_de_reejecucion(accion: Accion) -> bytes:
    """El ``BackMsg`` serializado que pide ejecutar ``accion`` (lo que envía el navegador al navegar)."""
    mensaje = BackMsg()
    estado = mensaje.rerun_script
    estado.query_string = urlencode(accion.filtros)
    estado.page_name = accion.pagina
    estado.page_script_hash = ""
    return mensaje.SerializeToString()


def error_en(mensaje: ForwardMsg) -> str | None:
    """El error que muestra ``mensaje`` del servidor (excepción, página no encontrada), o None."""
    if mensaje.WhichOneof("type") == "page_not_found":
        return "página no encontrada"
    if mensaje.WhichOneof("type") == "delta" and mensaje.delta.new_element.WhichOneof("type") == "exception":
        return f"excepción: {mensaje.delta.new_element.exception.message[:120]}"
    if (mensaje.WhichOneof("type") == "script_finished"
            and mensaje.script_finished != ForwardMsg.FINISHED_SUCCESSFULLY):
        return f"fin anómalo ({ForwardMsg.ScriptFinishedStatus.Name(mensaje.script_finished)})"
    return None


def mediana(valores: Sequence[float]) -> float | None:
    """La mediana de ``valores`` (None si no hay ninguno).

    >>> mediana([3.0, 1.0, 2.0]), mediana([])
    (2.0, None)
    """
    return statistics.median(valores) if valores else None


def _segundos(valor: float | None) -> str:
    """``valor`` en segundos a la manera española, o «—»."""
    return "—" if valor is None else f"{numero(valor, 2)} s"


def informe(solo: Sequence[Resultado], juntas: Sequence[Resultado], *, tope: float = 2.0) -> str:
    """El informe en español: esperas de cada sesión, mediana con 1 y con N personas, su cociente y errores.

    >>> print(informe([Resultado({"a": 1.0})], [Resultado({"a": 1.5}), Resultado({"a": 2.5})]))
    sesión  a
    sola    1,00
    1       1,50
    2       2,50
      a: mediana con 1 persona 1,00 s · con 2 a la vez 2,00 s
    Mediana con 1 persona: 1,00 s · con 2 a la vez: 2,00 s · cociente 2,0 (meta ≤ 2,0): cumple
    Errores: ninguno
    """
    acciones = list(dict.fromkeys(a for r in (*solo, *juntas) for a in r.esperas))
    filas = [["sesión", *acciones]]
    for etiqueta, resultado in [("sola", r) for r in solo] + [(str(i), r) for i, r in enumerate(juntas, start=1)]:
        filas.append([etiqueta, *("—" if a not in resultado.esperas else numero(resultado.esperas[a], 2)
                                  for a in acciones)])
    anchos = [max(len(f[i]) for f in filas) for i in range(len(filas[0]))]
    lineas = ["  ".join(c.ljust(anchos[i]) for i, c in enumerate(f)).rstrip() for f in filas]
    for accion in acciones:
        de_una = mediana([r.esperas[accion] for r in solo if accion in r.esperas])
        de_varias = mediana([r.esperas[accion] for r in juntas if accion in r.esperas])
        lineas.append(f"  {accion}: mediana con 1 persona {_segundos(de_una)} · con {len(juntas)} a la vez "
                      f"{_segundos(de_varias)}")
    una = mediana([s for r in solo for s in r.esperas.values()])
    varias = mediana([s for r in juntas for s in r.esperas.values()])
    if una and varias is not None:
        cociente = varias / una
        lineas.append(f"Mediana con 1 persona: {numero(una, 2)} s · con {len(juntas)} a la vez: "
                      f"{numero(varias, 2)} s · cociente {numero(cociente, 1)} (meta ≤ {numero(tope, 1)}): "
                      + ("cumple" if cociente <= tope else "no cumple"))
    errores = [f"{etiqueta}: {e}" for etiqueta, r in [("sola", r) for r in solo]
               + [(str(i), r) for i, r in enumerate(juntas, start=1)] for e in r.errores]
    lineas.append("Errores: " + ("; ".join(errores) if errores else "ninguno"))
    return "\n".join(lineas)


async def _esperar_fin(conexion, limite: float) -> list[str]:
    """Lee mensajes del servidor hasta el ``script_finished`` de la ejecución pedida; devuelve sus errores."""
    errores: list[str] = []
    async with asyncio.timeout(limite):
        while True:
            mensaje = ForwardMsg()
            mensaje.ParseFromString(await conexion.recv())
            if (error := error_en(mensaje)) is not None:
                errores.append(error)
            if mensaje.WhichOneof("type") == "script_finished":
                return errores


def pausas(indice: int, acciones: int, pausa: float) -> list[float]:
    """Segundos que la sesión ``indice`` espera antes de cada una de sus ``acciones``: la primera, al azar en
    [0, ``pausa``) (no todas entran en el mismo instante); las demás, en [0,5·``pausa``, 1,5·``pausa``] (lo que
    tarda en leer la página). Con semilla fija por sesión; todo ceros sin pausa.

    >>> pausas(3, 3, 0.0)
    [0.0, 0.0, 0.0]
    >>> [0 <= p < 10 for p in pausas(3, 3, 10.0)[:1]] + [5 <= p <= 15 for p in pausas(3, 3, 10.0)[1:]]
    [True, True, True]
    """
    azar = random.Random(indice)
    return [azar.uniform(0, pausa)] + [azar.uniform(0.5 * pausa, 1.5 * pausa) for _ in range(acciones - 1)]


async def sesion(url: str, ficha: str, acciones: Sequence[Accion], *, limite: float,
                 esperas_previas: Sequence[float] | None = None) -> Resultado:
    """Una persona: se conecta con la cookie ``ficha`` y ejecuta ``acciones`` una tras otra, cada una tras su
    espera de ``esperas_previas`` (lo que lee; no cuenta en sus esperas)."""
    resultado = Resultado()
    try:
        async with connect(url.replace("http://", "ws://") + "/_stcore/stream", subprotocols=["streamlit"],
                           origin=url, additional_headers={"Cookie": f"{COOKIE}={ficha}"}, max_size=None) as conexion:
            for accion, previa in zip(acciones, esperas_previas or [0.0] * len(acciones)):
                await asyncio.sleep(previa)
                inicio = time.perf_counter()
                await conexion.send(mensaje_de_reejecucion(accion))
                try:
                    errores = await _esperar_fin(conexion, limite)
                except TimeoutError:
                    errores = [f"sin respuesta en {numero(limite, 0)} s"]
                resultado.esperas[accion.nombre] = time.perf_counter() - inicio
                resultado.errores.extend(f"{accion.nombre}: {e}" for e in errores)
    except (OSError, ConnectionClosed) as fallo:
        resultado.errores.append(f"conexión perdida: {fallo}")
    return resultado


def textos_en(mensaje: ForwardMsg) -> list[str]:
    """Los textos (``st.text``) que dibuja ``mensaje`` del servidor."""
    if mensaje.WhichOneof("type") == "delta" and mensaje.delta.new_element.WhichOneof("type") == "text":
        return [mensaje.delta.new_element.text.body]
    return []


async def esperar_precalculo(url: str, ficha: str, *, limite: float) -> float:
    """Abre «Operación» cada 5 s hasta que el precálculo de fondo dice «Al día»; devuelve los segundos que esperó.

    Así se mide un servidor en marcha, no uno que aún prepara las vistas tras arrancar (ese trabajo es de una
    vez por escritura y competiría por los núcleos con las sesiones)."""
    inicio = time.perf_counter()
    async with connect(url.replace("http://", "ws://") + "/_stcore/stream", subprotocols=["streamlit"],
                       origin=url, additional_headers={"Cookie": f"{COOKIE}={ficha}"}, max_size=None) as conexion:
        while time.perf_counter() - inicio < limite:
            await conexion.send(mensaje_de_reejecucion(Accion("operación", "operacion")))
            textos: list[str] = []
            async with asyncio.timeout(max(0.0, limite - (time.perf_counter() - inicio))):
                while True:
                    mensaje = ForwardMsg()
                    mensaje.ParseFromString(await conexion.recv())
                    textos += textos_en(mensaje)
                    if mensaje.WhichOneof("type") == "script_finished":
                        break
            if any(texto.startswith("Al día:") for texto in textos):
                return time.perf_counter() - inicio
            await asyncio.sleep(5)
    raise TimeoutError(f"el precálculo no terminó en {numero(limite, 0)} s")


async def a_la_vez(url: str, fichas: Sequence[str], indices: Sequence[int], *, limite: float,
                   pausa: float = 0.0) -> list[Resultado]:
    """Las sesiones ``indices`` (cada una con su ficha), todas a la vez, con sus ``pausas`` de lectura."""
    return list(await asyncio.gather(*(sesion(url, ficha, recorrido(i), limite=limite,
                                              esperas_previas=pausas(i, len(recorrido(i)), pausa))
                                       for ficha, i in zip(fichas, indices))))


def fichas_de(ruta: Path, cuantas: int) -> list[str]:
    """Abre ``cuantas`` sesiones de la administradora de pruebas en el almacén ``ruta`` (antes de servirlo)."""
    almacen = Almacen(str(ruta))
    try:
        cursor = almacen.cursor()
        if cuenta_por_usuario(cursor, USUARIO) is None:
            crear_usuario(cursor, USUARIO, CLAVE, "administrador", nombre="Administradora")
        return [abrir_sesion(cursor, USUARIO) for _ in range(cuantas)]
    finally:
        almacen.cerrar()


def _opciones(argv: Sequence[str] | None) -> argparse.Namespace:
    """Opciones de la línea de órdenes (``--help`` las describe)."""
    opciones = argparse.ArgumentParser(description="Esperas de 1 y de N sesiones simultáneas contra un servidor.")
    opciones.add_argument("--escala", type=float, default=2, help="escala de la demostración (2 = 100 mil)")
    opciones.add_argument("--base", type=Path, help="copiar este almacén en vez de generarlo")
    opciones.add_argument("--reutilizar", action="store_true", help="usar el almacén de una vuelta anterior")
    opciones.add_argument("--sesiones", type=int, default=10, help="sesiones simultáneas (10; hasta 14)")
    opciones.add_argument("--limite", type=float, default=300, help="segundos máximos de una espera (300)")
    opciones.add_argument("--pausa", type=float, default=0.0,
                          help="segundos que cada persona lee cada página, en promedio (0: todas a la vez)")
    return opciones.parse_args(argv)


def main(argv: Sequence[str] | None = None) -> None:
    """Calienta el servidor, espera al precálculo, mide una sesión sola y luego ``--sesiones`` a la vez; imprime
    el informe."""
    argumentos = _opciones(argv)
    ruta = preparar(argumentos.escala, argumentos.base, argumentos.reutilizar, nombre="sesiones")
    fichas = fichas_de(ruta, argumentos.sesiones + 2)
    with servida(ruta) as url:
        asyncio.run(a_la_vez(url, fichas[:1], [0], limite=argumentos.limite))
        segundos = asyncio.run(esperar_precalculo(url, fichas[0], limite=argumentos.limite))
        print(f"(precálculo terminado tras {numero(segundos, 0)} s)", flush=True)
        solo = asyncio.run(a_la_vez(url, fichas[1:2], [1], limite=argumentos.limite, pausa=argumentos.pausa))
        juntas = asyncio.run(a_la_vez(url, fichas[2:], range(2, argumentos.sesiones + 2), limite=argumentos.limite,
                                      pausa=argumentos.pausa))
    if argumentos.pausa:
        print(f"Cada persona lee unos {numero(argumentos.pausa, 0)} s cada página (entre "
              f"{numero(argumentos.pausa / 2, 1)} y {numero(argumentos.pausa * 1.5, 1)} s) y entra en los primeros "
              f"{numero(argumentos.pausa, 0)} s.")
    print(informe(solo, juntas))


if __name__ == "__main__":
    main()
