"""El hilo que precalcula las vistas por defecto de las páginas de análisis tras cada escritura.

Cada ``INTERVALO`` segundos mira ``configuracion.version_datos`` (una lectura de una fila). Si cambió
desde el último precálculo (una carga, deshacer una carga, la demostración, una orden de línea de
comandos servida por la aplicación, o el arranque del servidor), calcula las vistas por defecto
(``vistas.VISTAS``) para cada alcance distinto de las cuentas activas y las deja en ``RESULTADOS``,
donde las páginas las encuentran. Si los datos vuelven a cambiar a mitad de camino, abandona lo que
queda: se empieza de nuevo con la versión nueva, y lo calculado con la vieja ya no se entrega.
``ESLABON_PRECALCULO=no`` lo apaga (``activo``).
"""

import logging
import os
import threading
import time
from collections.abc import Callable

import pandas as pd

from datos.almacen.conexion import Almacen
from datos.consultas import cuentas as consultas_cuentas
from datos.motores.motor import Motor
from datos.precalculo import vistas
from datos.precalculo.resultados import Contexto

__all__ = ["INTERVALO", "Precalculador", "consultor", "precalcular", "activo"]

_registro = logging.getLogger(__name__)

#: Cada cuántos segundos se mira si los datos cambiaron.
INTERVALO = 1.0


def activo() -> bool:
    """False si ``ESLABON_PRECALCULO`` es ``no`` (o ``0``): las páginas calculan en la primera visita, como
    sin precálculo (las pruebas de páginas lo apagan para no gastar los núcleos en cada almacén que abren)."""
    return os.environ.get("ESLABON_PRECALCULO", "").strip().lower() not in {"no", "0", "false"}


def consultor(motor: Motor) -> Callable[..., pd.DataFrame]:
    """Un ``consultar(funcion, *argumentos, cache=…)`` sobre ``motor`` que trae cada consulta una sola vez."""
    traidas: dict[tuple, pd.DataFrame] = {}

    def consultar(funcion: Callable, *argumentos, cache: str | None = "pequena") -> pd.DataFrame:
        clave = (funcion, argumentos)
        if cache is None or clave not in traidas:
            traidas[clave] = motor.consultar(funcion, *argumentos)
        return traidas[clave]

    return consultar


def precalcular(almacen: Almacen, motor: Motor | None = None) -> str | None:
    """Precalcula las vistas por defecto de la versión actual de los datos, para cada alcance de las cuentas.

    Devuelve qué hizo, en español (None si el almacén está vacío).
    """
    if almacen.esta_vacio():
        return None
    version = almacen.version_datos()
    consultar = consultor(motor or Motor(almacen))
    umbrales = vistas.Umbrales.leer(consultar)
    seguir = lambda: almacen.version_datos() == version  # noqa: E731 - condición de corte, se lee en cada vista
    alcances = vistas.alcances(consultar(consultas_cuentas.usuarios, cache=None))
    hechas = sum(vistas.precalcular_alcance(Contexto(almacen.ruta, version, alcance, consultar), umbrales, seguir)
                 for alcance in alcances if seguir())
    return f"{hechas} vistas precalculadas para {len(alcances)} alcances (versión {version} de los datos)"


class Precalculador:
    """El hilo de fondo que llama a ``precalcular`` cada vez que cambia la versión de los datos de ``almacen``."""

    def __init__(self, almacen: Almacen, intervalo: float = INTERVALO):
        self.almacen, self.intervalo = almacen, intervalo
        self.version_hecha: int | None = None
        self.ultimo: str | None = None
        self._parar = threading.Event()
        self._hecho = threading.Condition()
        self._hilo = threading.Thread(target=self._vigilar, name="eslabon-precalculo", daemon=True)
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
                    self._motor = self._motor or Motor(self.almacen)
                    self.ultimo = precalcular(self.almacen, self._motor)
                    with self._hecho:
                        self.version_hecha = version
                        self._hecho.notify_all()
            except Exception:  # noqa: BLE001 - un fallo del precálculo no detiene el hilo; la página calculará
                _registro.exception("Eslabón: falló el precálculo de las vistas")
                self.version_hecha = version
            self._parar.wait(self.intervalo)

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
