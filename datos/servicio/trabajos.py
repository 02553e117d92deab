"""El trabajador programado de la aplicación: corre los trabajos (``Trabajo``) en su horario con APScheduler.

Cómo se registra un trabajo (una línea en ``datos.servicio.programa.TRABAJOS``)::

    Trabajo("Resumen semanal", "0 8 * * 1", enviar_resumenes, "Envía los resúmenes de los lunes.")

- ``nombre``: único; es lo que ve el administrador en «Operación» y la clave de su estado guardado.
- ``programa``: un ``crontab`` de cinco campos («0 2 * * *»: todos los días a las 02:00, hora local),
  un ``timedelta`` (cada cuánto), o una función ``(con) -> crontab | timedelta | None`` que lo lee de
  los ajustes del almacén (``None``: desactivado); se vuelve a leer con ``Trabajador.reprogramar()``.
- ``funcion(con, momento) -> str | None``: hace el trabajo con un cursor propio del almacén y
  devuelve qué hizo, en español (``None``: no había nada que hacer; no queda entre las últimas
  ejecuciones). Una excepción queda como ejecución con error, con su mensaje; el trabajador sigue.

El estado vive en el almacén (migración 19): ``trabajos`` (última ejecución, estado, resultado y
próxima de cada uno) y ``ejecuciones_trabajos`` (las ``EJECUCIONES_GUARDADAS`` últimas que hicieron
algo). Así sobrevive a los reinicios: al arrancar, un trabajo cuya hora pasó mientras la aplicación
estaba detenida (p. ej. el respaldo de las 02:00) corre enseguida, una sola vez.
"""

import logging
import threading
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta

import duckdb
import pandas as pd
from apscheduler.schedulers.background import BackgroundScheduler
from apscheduler.triggers.base import BaseTrigger
from apscheduler.triggers.cron import CronTrigger
from apscheduler.triggers.interval import IntervalTrigger
from tzlocal import get_localzone

from analisis.errores import ErrorEslabon
from analisis.formato import cantidad
from datos.almacen.conexion import Almacen
from datos.almacen.transaccion import transaccion

__all__ = ["Trabajo", "Trabajador", "Ejecucion", "TrabajoOcupado", "EJECUCIONES_GUARDADAS", "describir_programa"]

_registro = logging.getLogger(__name__)

#: Ejecuciones que se guardan por trabajo (las más recientes).
EJECUCIONES_GUARDADAS = 100

Programa = str | timedelta


@dataclass(frozen=True)
class Trabajo:
    """Un trabajo programado: nombre, cuándo corre y qué hace (ver el docstring del módulo)."""

    nombre: str
    programa: Programa | Callable[[duckdb.DuckDBPyConnection], Programa | None]
    funcion: Callable[[duckdb.DuckDBPyConnection, datetime], str | None]
    descripcion: str = ""


@dataclass(frozen=True)
class Ejecucion:
    """Una ejecución de un trabajo: cuándo empezó y terminó, 'bien' o 'error', y qué hizo (o ``None``)."""

    trabajo: str
    inicio: datetime
    fin: datetime
    estado: str
    resultado: str | None


class TrabajoOcupado(ErrorEslabon):
    """Se pidió correr un trabajo que ya está corriendo."""


def _disparador(programa: Programa, zona) -> BaseTrigger:
    """El disparador de APScheduler de ``programa`` (crontab de cinco campos o ``timedelta``)."""
    if isinstance(programa, timedelta):
        return IntervalTrigger(seconds=programa.total_seconds(), timezone=zona)
    return CronTrigger.from_crontab(programa, timezone=zona)


def describir_programa(programa: Programa | None) -> str:
    """El programa en español: «cada minuto», «todos los días a las 02:00», «desactivado»…

    >>> describir_programa(timedelta(minutes=1)), describir_programa("30 2 * * *"), describir_programa(None)
    ('cada minuto', 'todos los días a las 02:30', 'desactivado')
    """
    if programa is None:
        return "desactivado"
    if isinstance(programa, timedelta):
        minutos = programa.total_seconds() / 60
        if minutos.is_integer():
            return "cada minuto" if minutos == 1 else f"cada {cantidad(int(minutos), 'minuto', 'minutos')}"
        return f"cada {cantidad(int(programa.total_seconds()), 'segundo', 'segundos')}"
    campos = programa.split()
    if len(campos) == 5 and campos[2:] == ["*", "*", "*"] and campos[0].isdigit() and campos[1].isdigit():
        return f"todos los días a las {int(campos[1]):02d}:{int(campos[0]):02d}"
    return f"según el crontab «{programa}»"


class Trabajador:
    """Corre ``trabajos`` en su horario sobre ``almacen``, en hilos de fondo del proceso de la aplicación.

    ``iniciar()`` arranca el planificador, ``reprogramar()`` relee los programas (tras cambiar los
    ajustes), ``ejecutar_ahora(nombre)`` corre uno ya, ``programas()`` y ``proximas()`` dicen cuándo,
    ``detener()`` lo para.
    """

    def __init__(self, almacen: Almacen, trabajos: Sequence[Trabajo]):
        nombres = [t.nombre for t in trabajos]
        if len(set(nombres)) != len(nombres):
            raise ValueError("'trabajos' no puede repetir nombres")
        self.almacen = almacen
        self.trabajos = {t.nombre: t for t in trabajos}
        self._zona = get_localzone()
        self._planificador = BackgroundScheduler(
            timezone=self._zona, executors={"default": {"type": "threadpool", "max_workers": 2}},
            job_defaults={"coalesce": True, "max_instances": 1, "misfire_grace_time": None})
        self._programas: dict[str, Programa | None] = {}
        self._ocupados = {nombre: threading.Lock() for nombre in self.trabajos}

    def iniciar(self) -> "Trabajador":
        """Arranca el planificador, programa cada trabajo y guarda en el almacén la próxima ejecución de cada uno."""
        self._planificador.start()
        self.reprogramar()
        self._guardar_proximas()
        return self

    def _guardar_proximas(self) -> None:
        """Guarda en ``trabajos`` la próxima ejecución de cada trabajo (lo demás de la última vez queda igual).

        Es la huella de que el trabajador arrancó: «Operación» y quien lea el almacén la ven antes de la
        primera ejecución.
        """
        con = self.almacen.cursor()
        with transaccion(con):
            for nombre, proxima in self.proximas().items():
                con.execute("INSERT INTO trabajos (trabajo, proxima) VALUES (?, ?) ON CONFLICT (trabajo) "
                            "DO UPDATE SET proxima = excluded.proxima", [nombre, proxima])

    def _ahora(self) -> datetime:
        """Ahora, con la zona horaria local."""
        return datetime.now(self._zona)

    def _ultima(self, nombre: str) -> datetime | None:
        """La última ejecución guardada de ``nombre`` (con zona local), o ``None``."""
        filas = self.almacen.cursor().execute("SELECT ultima FROM trabajos WHERE trabajo = ?", [nombre]).fetchall()
        return filas[0][0].replace(tzinfo=self._zona) if filas and filas[0][0] is not None else None

    def reprogramar(self) -> None:
        """Relee el programa de cada trabajo; el que perdió su hora mientras la aplicación no corría, corre ya."""
        ahora = self._ahora()
        for trabajo in self.trabajos.values():
            programa = trabajo.programa(self.almacen.cursor()) if callable(trabajo.programa) else trabajo.programa
            self._programas[trabajo.nombre] = programa
            if programa is None:
                if self._planificador.get_job(trabajo.nombre) is not None:
                    self._planificador.remove_job(trabajo.nombre)
                continue
            disparador = _disparador(programa, self._zona)
            ultima = self._ultima(trabajo.nombre)
            proxima = disparador.get_next_fire_time(ultima, ahora) if ultima else None
            if proxima is None or proxima > ahora:
                proxima = disparador.get_next_fire_time(None, ahora)
            self._planificador.add_job(self._programado, disparador, args=[trabajo.nombre], id=trabajo.nombre,
                                       name=trabajo.nombre, replace_existing=True, next_run_time=proxima)

    def programas(self) -> dict[str, Programa | None]:
        """El programa vigente de cada trabajo (``None``: desactivado)."""
        return dict(self._programas)

    def proximas(self) -> dict[str, datetime | None]:
        """Cuándo corre la próxima vez cada trabajo (hora local, sin zona; ``None`` si está desactivado)."""
        trabajos = {t.id: t.next_run_time for t in self._planificador.get_jobs()}
        return {nombre: (trabajos[nombre].replace(tzinfo=None) if trabajos.get(nombre) else None)
                for nombre in self.trabajos}

    def estado(self, guardados: pd.DataFrame) -> pd.DataFrame:
        """Una fila por trabajo para «Operación»: programa en español, próxima, y lo guardado de la última vez.

        ``guardados``: la tabla ``trabajos`` (``datos.consultas.operacion.trabajos``).
        """
        ultimas = guardados.set_index("trabajo") if not guardados.empty else pd.DataFrame(
            columns=["ultima", "estado", "resultado"])
        programas, proximas = self.programas(), self.proximas()
        return pd.DataFrame([{
            "trabajo": nombre, "programa": describir_programa(programas.get(nombre)),
            "proxima": proximas.get(nombre),
            **{c: (ultimas.at[nombre, c] if nombre in ultimas.index else None) for c in ("ultima", "estado", "resultado")},
            "descripcion": trabajo.descripcion,
        } for nombre, trabajo in self.trabajos.items()])

    def _programado(self, nombre: str) -> None:
        """Lo que llama APScheduler: corre el trabajo (si ya está corriendo, esta vez se salta)."""
        try:
            self.ejecutar_ahora(nombre)
        except TrabajoOcupado:
            _registro.info("Eslabón: «%s» seguía corriendo; se salta esta vez", nombre)

    def ejecutar_ahora(self, nombre: str) -> Ejecucion:
        """Corre ``nombre`` ya, en este hilo, y guarda su estado; ``TrabajoOcupado`` si ya está corriendo."""
        if nombre not in self.trabajos:
            raise ValueError(f"'nombre' debe ser uno de {', '.join(self.trabajos)}")
        candado = self._ocupados[nombre]
        if not candado.acquire(blocking=False):
            raise TrabajoOcupado(f"«{nombre}» ya se está ejecutando; espere a que termine.")
        try:
            ejecucion = self._correr(self.trabajos[nombre])
        finally:
            candado.release()
        self._guardar(ejecucion)
        return ejecucion

    def _correr(self, trabajo: Trabajo) -> Ejecucion:
        """Corre ``trabajo`` y devuelve su ``Ejecucion`` (un fallo queda como 'error' con su mensaje)."""
        inicio = datetime.now().replace(microsecond=0)
        try:
            resultado, estado = trabajo.funcion(self.almacen.cursor(), inicio), "bien"
        except Exception as error:  # noqa: BLE001 - un trabajo que falla no detiene al trabajador
            _registro.exception("Eslabón: falló el trabajo «%s»", trabajo.nombre)
            resultado, estado = getattr(error, "mensaje", None) or f"{type(error).__name__}: {error}", "error"
        return Ejecucion(trabajo.nombre, inicio, datetime.now().replace(microsecond=0), estado, resultado)

    def _guardar(self, ejecucion: Ejecucion) -> None:
        """Guarda el estado del trabajo y, si hizo algo o falló, la ejecución (conserva las últimas)."""
        con = self.almacen.cursor()
        proxima = self.proximas().get(ejecucion.trabajo)
        with transaccion(con):
            con.execute("INSERT INTO trabajos VALUES (?, ?, ?, ?, ?) ON CONFLICT (trabajo) DO UPDATE SET "
                        "ultima = excluded.ultima, estado = excluded.estado, resultado = excluded.resultado, "
                        "proxima = excluded.proxima",
                        [ejecucion.trabajo, ejecucion.inicio, ejecucion.estado, ejecucion.resultado, proxima])
            if ejecucion.resultado is not None or ejecucion.estado == "error":
                con.execute("INSERT INTO ejecuciones_trabajos VALUES (?, ?, ?, ?, ?)",
                            [ejecucion.trabajo, ejecucion.inicio, ejecucion.fin, ejecucion.estado,
                             ejecucion.resultado])
                con.execute("DELETE FROM ejecuciones_trabajos WHERE trabajo = ? AND inicio < (SELECT min(inicio) "
                            "FROM (SELECT inicio FROM ejecuciones_trabajos WHERE trabajo = ? ORDER BY inicio DESC "
                            "LIMIT ?))", [ejecucion.trabajo, ejecucion.trabajo, EJECUCIONES_GUARDADAS])

    def detener(self) -> None:
        """Para el planificador (sin esperar a los trabajos en curso)."""
        if self._planificador.running:
            self._planificador.shutdown(wait=False)
