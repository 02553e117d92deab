"""El turno de las órdenes que corren sin aplicación: una a la vez por base, las demás esperan.

Sin aplicación en marcha cada orden abre la base ella misma, y DuckDB deja abrirla a un solo proceso:
dos tareas de cron a la vez harían fallar a la segunda. Antes de correr aquí, ``canal.ejecutar`` toma
el turno de la base: un candado del sistema (``fcntl.flock``) sobre ``<base>.turno``, al lado de la
base. Quien llega después espera avisando «Esperando a que termine otra orden…» y corre en cuanto el
otro termina; si espera más de ``ESLABON_ESPERA_ORDEN`` segundos (``ESPERA_PREDETERMINADA`` si no está
definida) se rinde con ``TurnoAgotado``. El sistema suelta el candado aunque la orden muera (kill -9).
"""

import fcntl
import os
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from analisis.errores import ErrorEslabon
from analisis.formato import cantidad

__all__ = ["turno", "archivo_de_turno", "espera_maxima", "TurnoAgotado", "ESPERA_PREDETERMINADA", "VARIABLE_ESPERA",
           "ESPERANDO"]

#: Variable de entorno con la espera máxima, en segundos.
VARIABLE_ESPERA = "ESLABON_ESPERA_ORDEN"
#: Segundos que una orden espera su turno si ``ESLABON_ESPERA_ORDEN`` no dice otra cosa (una hora).
ESPERA_PREDETERMINADA = 3600
#: Lo que imprime (en ``stderr``) la orden que tiene que esperar.
ESPERANDO = "Esperando a que termine otra orden sobre {base}…"
#: Cada cuánto vuelve a probar el candado la orden que espera (segundos).
_INTERVALO = 0.2


class TurnoAgotado(ErrorEslabon):
    """Otra orden tuvo la base más tiempo del que esta podía esperar."""


def archivo_de_turno(ruta_base: str | os.PathLike) -> Path:
    """``<base>.turno``: el archivo cuyo candado ordena las órdenes que corren sin aplicación."""
    base = Path(ruta_base).resolve()
    return base.with_name(base.name + ".turno")


def espera_maxima() -> float:
    """Segundos que una orden espera su turno: ``ESLABON_ESPERA_ORDEN`` o ``ESPERA_PREDETERMINADA``.

    Raises ``ErrorEslabon`` si la variable no es un número de segundos mayor o igual que cero.
    """
    texto = os.environ.get(VARIABLE_ESPERA, "").strip()
    if not texto:
        return float(ESPERA_PREDETERMINADA)
    try:
        segundos = float(texto)
    except ValueError:
        segundos = -1.0
    if not segundos >= 0:
        raise ErrorEslabon(f"{VARIABLE_ESPERA} debe ser un número de segundos (0 o más), no «{texto}».")
    return segundos


def _abrir(archivo: Path) -> int | None:
    """Descriptor de ``archivo`` (lo crea, 0600); ``None`` si su carpeta no existe o no deja crearlo."""
    try:
        return os.open(archivo, os.O_RDWR | os.O_CREAT, 0o600)
    except OSError:
        return None


def _esperar_candado(descriptor: int, base: Path, segundos: float) -> None:
    """Toma el candado exclusivo de ``descriptor``; avisa una vez si tiene que esperar; ``TurnoAgotado`` al límite."""
    limite, avisado = time.monotonic() + segundos, False
    while True:
        try:
            fcntl.flock(descriptor, fcntl.LOCK_EX | fcntl.LOCK_NB)
            return
        except BlockingIOError:
            pass
        if time.monotonic() >= limite:
            raise TurnoAgotado(
                f"Otra orden sigue usando la base de datos {base} después de esperar "
                f"{cantidad(round(segundos), 'segundo', 'segundos')}; no se hizo nada. Vuelva a ejecutar la orden "
                f"cuando termine la otra (o aumente {VARIABLE_ESPERA}).")
        if not avisado:
            print(ESPERANDO.format(base=base), file=sys.stderr, flush=True)
            avisado = True
        time.sleep(_INTERVALO)


@contextmanager
def turno(ruta_base: str | os.PathLike, segundos: float | None = None) -> Iterator[None]:
    """Espera el turno de la base ``ruta_base`` (hasta ``segundos``, por defecto ``espera_maxima()``) y lo guarda.

    Si el candado no se puede crear (la carpeta de la base no existe o no deja escribir) la orden corre
    sin turno: tampoco hay una base que compartir ahí, y la orden dirá lo que le pase.
    """
    base = Path(ruta_base).resolve()
    descriptor = _abrir(archivo_de_turno(base))
    if descriptor is None:
        yield
        return
    try:
        _esperar_candado(descriptor, base, espera_maxima() if segundos is None else segundos)
        yield
    finally:
        os.close(descriptor)  # cerrar suelta el candado
