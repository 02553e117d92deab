"""El hilo que precalcula las vistas por defecto de las páginas de análisis tras cada escritura.

Cada ``INTERVALO`` segundos mira ``configuracion.version_datos`` (una lectura de una fila). Si cambió
desde el último precálculo (una carga, deshacer una carga, la demostración, una orden de línea de
comandos servida por la aplicación, o el arranque del servidor), calcula las vistas por defecto
(``vistas.VISTAS``, por tandas: ``vistas.TANDAS``, las páginas de análisis de todos los alcances antes
que el primer cambio de filtro del resumen) para cada alcance distinto de las cuentas activas y las deja en
``RESULTADOS``, donde las páginas las encuentran. Si los datos vuelven a cambiar a mitad de camino, abandona lo que
queda: se empieza de nuevo con la versión nueva, y lo calculado con la vieja ya no se entrega.
``ESLABON_PRECALCULO=no`` lo apaga (``activo``). ``Precalculador.estado`` (``Estado``: en curso, al día o
falló, cuándo, y los segundos de cada página en la última pasada) es lo que muestra la página «Operación».
"""

import collections
import logging
import os
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, replace
from datetime import datetime

import pandas as pd

from analisis.formato import cantidad, momento, numero
from datos.almacen.conexion import Almacen
from datos.consultas import cuentas as consultas_cuentas
from datos.consultas.filtros import Filtros
from datos.motores.motor import Motor
from datos.precalculo import calculos, vistas
from datos.precalculo.resultados import Contexto

__all__ = ["INTERVALO", "Pasada", "Estado", "describir", "tiempos", "Precalculador", "consultor", "precalcular", "activo"]

_registro = logging.getLogger(__name__)

#: Cada cuántos segundos se mira si los datos cambiaron.
INTERVALO = 1.0
HILO = "eslabon-precalculo"  # nombre del hilo de fondo (las pruebas lo distinguen del de la página)


def _ahora() -> datetime:
    """El momento actual (hora local del servidor, como las ejecuciones de los trabajos)."""
    return datetime.now().replace(microsecond=0)


def activo() -> bool:
    """False si ``ESLABON_PRECALCULO`` es ``no`` (o ``0``): las páginas calculan en la primera visita, como
    sin precálculo (las pruebas de páginas lo apagan para no gastar los núcleos en cada almacén que abren)."""
    return os.environ.get("ESLABON_PRECALCULO", "").strip().lower() not in {"no", "0", "false"}


def consultor(motor: Motor, version: int | None = None, alcance: Filtros | None = None,
              traidas: dict | None = None) -> Callable[..., pd.DataFrame]:
    """Un ``consultar(funcion, *argumentos, cache=…)`` sobre ``motor`` que trae cada consulta una sola vez.

    Con ``version`` (la de los datos que se precalculan), las consultas de datos (``cache`` no None) pasan por
    las plantillas del almacén (``datos.motores.plantillas``), las mismas que usan las páginas: la forma que
    compila el precálculo ya no la compila la primera persona que la pide. Con ``version`` y ``alcance`` (el de la
    vista que se precalcula), las pequeñas quedan en ``CONSULTAS`` (``calculos.consulta_pequena``), donde las
    busca la página. ``traidas``: lo ya traído en esta pasada (se comparte entre alcances).
    """
    traidas = {} if traidas is None else traidas

    def en_el_motor(funcion: Callable, *argumentos) -> pd.DataFrame:
        return motor.consultar(funcion, *argumentos, version=version)

    def consultar(funcion: Callable, *argumentos, cache: str | None = "pequena") -> pd.DataFrame:
        if cache == "pequena" and version is not None and alcance is not None:
            contexto = Contexto(motor.almacen.ruta, version, alcance, en_el_motor)
            return calculos.consulta_pequena(contexto, funcion, *argumentos)
        clave = (funcion, argumentos)
        if cache is None or clave not in traidas:
            traidas[clave] = motor.consultar(funcion, *argumentos, version=None if cache is None else version)
        return traidas[clave]

    return consultar


@dataclass(frozen=True)
class Pasada:
    """Lo que hizo un precálculo: versión de los datos, alcances y segundos de cada vista (sumados los alcances)."""

    version: int
    alcances: int
    segundos: dict[str, float]

    @property
    def texto(self) -> str:
        """Qué hizo, en español."""
        return (f"{cantidad(len(self.segundos), 'vista precalculada', 'vistas precalculadas')} para "
                f"{cantidad(self.alcances, 'alcance', 'alcances')} (versión {self.version} de los datos)")


@dataclass(frozen=True)
class Estado:
    """Cómo va el precálculo de fondo, para la página «Operación».

    ``estado``: 'esperando' (aún no empezó), 'en curso', 'al día' o 'falló'; ``version``: la versión de
    los datos de la pasada en curso o de la última; ``inicio`` y ``fin`` de esa pasada (``fin`` None si sigue en
    curso); ``ultima``: la última pasada terminada (None si ninguna); ``error``: el mensaje si falló.
    """

    estado: str
    version: int | None = None
    inicio: datetime | None = None
    fin: datetime | None = None
    ultima: Pasada | None = None
    error: str | None = None


def describir(estado: Estado) -> str:
    """El estado del precálculo en una frase en español, con fechas y segundos a la manera española."""
    version = f"la versión {estado.version} de los datos"
    if estado.estado == "en curso":
        return f"En curso desde el {momento(estado.inicio)}: calculando {version}."
    if estado.estado == "falló":
        return (f"Falló el {momento(estado.fin)} calculando {version} ({estado.error}). Las páginas calculan en su "
                "primera visita hasta la próxima carga.")
    if estado.estado == "al día":
        duracion = (estado.fin - estado.inicio).total_seconds()
        return (f"Al día: {version} quedó precalculada el {momento(estado.fin)}, en {numero(duracion, 0)} s "
                f"(empezó el {momento(estado.inicio)}).")
    return "Todavía no ha empezado: arranca en cuanto la aplicación abre el almacén."


def tiempos(pasada: Pasada) -> pd.DataFrame:
    """Segundos de cada vista de ``pasada`` (sumados los alcances), en texto, para la tabla de «Operación»."""
    return pd.DataFrame({"Página": list(pasada.segundos),
                         "Segundos": [numero(s, 1) for s in pasada.segundos.values()]})


def precalcular(almacen: Almacen, motor: Motor | None = None) -> Pasada | None:
    """Precalcula las vistas por defecto de la versión actual de los datos, para cada alcance de las cuentas.

    Devuelve qué hizo (None si el almacén está vacío).
    """
    if almacen.esta_vacio():
        return None
    version = almacen.version_datos()
    motor, traidas = motor or Motor(almacen), {}
    consultar = consultor(motor, version, traidas=traidas)
    seguir = lambda: almacen.version_datos() == version  # noqa: E731 - condición de corte, se lee en cada vista
    alcances = vistas.alcances(consultar(consultas_cuentas.usuarios, cache=None))
    segundos: collections.Counter[str] = collections.Counter()
    contextos = [Contexto(almacen.ruta, version, alcance, consultor(motor, version, alcance, traidas))
                 for alcance in alcances]
    umbrales = [vistas.Umbrales.leer(contexto) for contexto in contextos]
    for tanda in vistas.TANDAS:
        for contexto, suyos in zip(contextos, umbrales):
            if seguir():
                segundos.update(vistas.precalcular_alcance(contexto, suyos, seguir, tanda))
    return Pasada(version, len(alcances), dict(segundos))


class Precalculador:
    """El hilo de fondo que llama a ``precalcular`` cada vez que cambia la versión de los datos de ``almacen``."""

    def __init__(self, almacen: Almacen, intervalo: float = INTERVALO):
        self.almacen, self.intervalo = almacen, intervalo
        self.version_hecha: int | None = None
        self.estado = Estado("esperando")
        self._parar = threading.Event()
        self._hecho = threading.Condition()
        self._hilo = threading.Thread(target=self._vigilar, name=HILO, daemon=True)
        self._motor: Motor | None = None

    def iniciar(self) -> "Precalculador":
        """Arranca el hilo (el primer precálculo corre enseguida)."""
        self._hilo.start()
        return self

    def _vigilar(self) -> None:
        """Bucle del hilo: precalcula cuando cambia la versión de los datos."""
        while not self._parar.is_set():
            version = None
            try:
                version = self.almacen.version_datos()
                if version != self.version_hecha:
                    self._precalcular(version)
            except Exception as error:  # noqa: BLE001 - un fallo del precálculo no detiene el hilo; la página calculará
                _registro.exception("Eslabón: falló el precálculo de las vistas")
                self.estado = replace(self.estado, estado="falló", fin=_ahora(), error=str(error))
                self.version_hecha = version
            self._parar.wait(self.intervalo)

    def _precalcular(self, version: int) -> None:
        """Una pasada de ``precalcular`` para ``version``, anotada en ``estado``."""
        self.estado = replace(self.estado, estado="en curso", version=version, inicio=_ahora(), fin=None, error=None)
        self._motor = self._motor or Motor(self.almacen)
        pasada = precalcular(self.almacen, self._motor)
        self.estado = replace(self.estado, estado="al día", fin=_ahora(), ultima=pasada or self.estado.ultima)
        with self._hecho:
            self.version_hecha = version
            self._hecho.notify_all()

    def esperar(self, version: int, segundos: float) -> bool:
        """Espera hasta ``segundos`` a que la ``version`` de los datos quede precalculada; True si quedó."""
        fin = time.monotonic() + segundos
        with self._hecho:
            while self.version_hecha != version and time.monotonic() < fin:
                self._hecho.wait(max(0.0, fin - time.monotonic()))
            return self.version_hecha == version

    def detener(self) -> None:
        """Para el hilo (sin esperar a un precálculo en curso)."""
        self._parar.set()
