"""El servicio de órdenes de la aplicación y su cliente, ``ejecutar``.

La aplicación (``Servicio``) escucha en 127.0.0.1, en un puerto libre, con una clave al azar;
puerto, clave y proceso quedan en ``<base>.servicio`` (permisos 0600, al lado de la base): solo
quien puede leer ese archivo, el mismo usuario del sistema, pasa la autenticación de
``multiprocessing.connection``. Los mensajes son JSON (nada se deserializa con ``pickle``):

- pedido: ``{"modulo": "datos.cargar", "argv": [...], "carpeta": "/donde/se/escribió"}``;
- respuesta: ``{"estado": 0, "salida": "...", "errores": "..."}``.

Cada orden corre en su propio hilo con ``ordenes.correr``; lo que imprime se separa por hilo
(``_SalidaPorHilo``), así que nada de lo que imprima otro hilo de la aplicación se mezcla.
Las escrituras quedan en serie por ``datos.almacen.transaccion``.
"""

import io
import json
import logging
import os
import secrets
import sys
import threading
from dataclasses import dataclass
from multiprocessing.connection import Client, Connection, Listener
from pathlib import Path

from analisis.errores import ErrorEslabon
from datos.servicio.ordenes import ORDENES, con_base_absoluta, correr, exigir_orden, ruta_de_base
from datos.servicio.turno import turno

__all__ = ["Respuesta", "Servicio", "archivo_de_servicio", "enviar", "ejecutar"]

_registro = logging.getLogger(__name__)


@dataclass(frozen=True)
class Respuesta:
    """Lo que devolvió una orden: estado de salida y lo que imprimió en ``stdout`` y ``stderr``."""

    estado: int
    salida: str = ""
    errores: str = ""


def archivo_de_servicio(ruta_base: str | os.PathLike) -> Path:
    """``<base>.servicio``: dónde escucha la aplicación que tiene abierta ``ruta_base`` (si la hay)."""
    base = Path(ruta_base).resolve()
    return base.with_name(base.name + ".servicio")


# ---------------------------------------------------------------------------
# Lo que imprime cada orden, separado por hilo
# ---------------------------------------------------------------------------

class _SalidaPorHilo(io.TextIOBase):
    """Un ``sys.stdout``/``sys.stderr`` que escribe en el búfer del hilo si lo tiene y, si no, en el original."""

    def __init__(self, original):
        super().__init__()
        self.original = original
        self._local = threading.local()

    def capturar(self, bufer: io.StringIO | None) -> None:
        """Desde ahora, lo que este hilo escriba va a ``bufer`` (``None``: otra vez al original)."""
        self._local.bufer = bufer

    def _destino(self):
        return getattr(self._local, "bufer", None) or self.original

    def write(self, texto: str) -> int:
        """Escribe en el destino del hilo que llama."""
        return self._destino().write(texto)

    def flush(self) -> None:
        """Vacía el destino del hilo que llama."""
        self._destino().flush()

    def __getattr__(self, nombre):
        return getattr(self.original, nombre)


def _por_hilo(nombre: str) -> _SalidaPorHilo:
    """Instala (una vez) el reparto por hilo en ``sys.<nombre>`` y lo devuelve."""
    actual = getattr(sys, nombre)
    if not isinstance(actual, _SalidaPorHilo):
        actual = _SalidaPorHilo(actual)
        setattr(sys, nombre, actual)
    return actual


def _correr_capturando(modulo: str, argv: list[str], carpeta: str | None) -> Respuesta:
    """``ordenes.correr`` con lo que imprime este hilo guardado en la respuesta."""
    salida, errores = io.StringIO(), io.StringIO()
    destinos = (_por_hilo("stdout"), _por_hilo("stderr"))
    for destino, bufer in zip(destinos, (salida, errores)):
        destino.capturar(bufer)
    try:
        estado = correr(modulo, argv, carpeta)
    finally:
        for destino in destinos:
            destino.capturar(None)
    return Respuesta(estado, salida.getvalue(), errores.getvalue())


# ---------------------------------------------------------------------------
# El servicio (en la aplicación)
# ---------------------------------------------------------------------------

class Servicio:
    """El servicio de órdenes de la aplicación que tiene abierta ``ruta_base``.

    ``iniciar()`` escucha y escribe ``<base>.servicio``; ``detener()`` deja de escuchar y lo borra.

    >>> servicio = Servicio("/tmp/ejemplo.duckdb")
    >>> servicio.archivo.name
    'ejemplo.duckdb.servicio'
    """

    def __init__(self, ruta_base: str | os.PathLike):
        self.archivo = archivo_de_servicio(ruta_base)
        self._clave = secrets.token_bytes(32)
        self._oyente: Listener | None = None

    @property
    def direccion(self) -> tuple[str, int] | None:
        """(host, puerto) donde escucha, o ``None`` si está detenido."""
        return self._oyente.address if self._oyente is not None else None

    def iniciar(self) -> "Servicio":
        """Empieza a escuchar en 127.0.0.1 (puerto libre) y publica puerto y clave en ``self.archivo``."""
        self._oyente = Listener(("127.0.0.1", 0), authkey=self._clave)
        self._publicar()
        threading.Thread(target=self._atender, name="eslabon-servicio", daemon=True).start()
        return self

    def _publicar(self) -> None:
        """Escribe ``self.archivo`` (0600) de una vez: proceso, puerto y clave."""
        contenido = json.dumps({"pid": os.getpid(), "puerto": self.direccion[1], "clave": self._clave.hex()})
        temporal = self.archivo.with_name(f".{self.archivo.name}.{os.getpid()}")
        descriptor = os.open(temporal, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
        with os.fdopen(descriptor, "w", encoding="utf-8") as f:
            f.write(contenido)
        os.replace(temporal, self.archivo)

    def _atender(self) -> None:
        """Acepta conexiones hasta que se cierre el oyente; cada una en su hilo."""
        oyente = self._oyente
        while oyente is not None and self._oyente is oyente:
            try:
                conexion = oyente.accept()
            except OSError:  # oyente cerrado (detener) o conexión fallida
                continue
            except Exception:  # noqa: BLE001 - p. ej. AuthenticationError de quien no tiene la clave
                _registro.warning("Eslabón: conexión rechazada por el servicio de órdenes", exc_info=True)
                continue
            if self._oyente is not oyente:  # la conexión con que detener() despierta este hilo
                conexion.close()
                return
            threading.Thread(target=self._responder, args=(conexion,), name="eslabon-orden", daemon=True).start()

    def _despertar(self, direccion: tuple[str, int]) -> None:
        """Conecta una vez para que el hilo que espera en ``accept()`` vea el oyente cerrado y termine.

        Cerrar el oyente no interrumpe un ``accept()`` en curso en Linux: sin esto el puerto seguiría
        aceptando una conexión más.
        """
        try:
            Client(direccion, authkey=self._clave).close()
        except Exception:  # noqa: BLE001 - ya no escuchaba: no hay a quién despertar
            pass

    @staticmethod
    def _responder(conexion: Connection) -> None:
        """Lee un pedido, corre la orden y devuelve la respuesta."""
        with conexion:
            try:
                pedido = json.loads(conexion.recv_bytes().decode("utf-8"))
                modulo, argv = pedido["modulo"], [str(a) for a in pedido["argv"]]
            except (EOFError, OSError, ValueError, KeyError, TypeError):
                return
            if modulo not in ORDENES:
                respuesta = Respuesta(2, errores=f"Orden desconocida: {modulo}.\n")
            else:
                respuesta = _correr_capturando(modulo, argv, pedido.get("carpeta"))
            try:
                conexion.send_bytes(json.dumps(respuesta.__dict__).encode("utf-8"))
            except OSError:
                _registro.warning("Eslabón: quien pidió «%s» se fue antes de la respuesta", modulo)

    def detener(self) -> None:
        """Deja de escuchar y borra ``self.archivo`` si todavía es el de este proceso."""
        oyente, self._oyente = self._oyente, None
        if oyente is not None:
            direccion = oyente.address
            oyente.close()
            self._despertar(direccion)
        try:
            if json.loads(self.archivo.read_text(encoding="utf-8")).get("pid") == os.getpid():
                self.archivo.unlink()
        except (OSError, ValueError):
            pass


# ---------------------------------------------------------------------------
# El cliente
# ---------------------------------------------------------------------------

#: Respuesta cuando la aplicación se cierra mientras corre una orden.
_INTERRUMPIDA = ("La aplicación de Eslabón se cerró antes de terminar la orden. Lo que no llegó a confirmarse "
                 "no quedó guardado (cada carga se guarda entera o nada); revise el historial y vuelva a "
                 "ejecutarla.\n")


def _vive(pid: int) -> bool:
    """True si el proceso ``pid`` existe."""
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


def enviar(ruta_base: str, modulo: str, argv: list[str], carpeta: str) -> Respuesta | None:
    """Envía la orden a la aplicación que tiene abierta ``ruta_base``; ``None`` si no hay ninguna escuchando.

    Sin permiso para leer ``<base>.servicio`` (la aplicación es de otro usuario del sistema) responde
    con el estado 2 y lo explica.
    """
    archivo = archivo_de_servicio(ruta_base)
    try:
        datos = json.loads(archivo.read_text(encoding="utf-8"))
        puerto, clave, pid = int(datos["puerto"]), bytes.fromhex(datos["clave"]), int(datos["pid"])
    except PermissionError:
        return Respuesta(2, errores=f"La aplicación de Eslabón tiene abierta {ruta_base} y solo su usuario del "
                                    f"sistema (el dueño de {archivo}) puede enviarle órdenes.\n")
    except (OSError, ValueError, KeyError, TypeError):
        return None
    if not _vive(pid):
        return None
    try:
        conexion = Client(("127.0.0.1", puerto), authkey=clave)
    except Exception:  # noqa: BLE001 - nadie escucha (archivo viejo) o la clave ya no vale: se corre aquí
        return None
    with conexion:
        conexion.send_bytes(json.dumps({"modulo": modulo, "argv": argv, "carpeta": carpeta}).encode("utf-8"))
        try:
            return Respuesta(**json.loads(conexion.recv_bytes().decode("utf-8")))
        except (EOFError, OSError):
            return Respuesta(1, errores=_INTERRUMPIDA)


def ejecutar(modulo: str, argv: list[str]) -> int:
    """Ejecuta la orden ``modulo`` (una de ``ORDENES``) con ``argv``; devuelve su estado de salida.

    Si una aplicación de Eslabón tiene abierta la base de la orden (``--db`` o la predeterminada), la
    orden corre dentro de ella y aquí se imprime lo que imprimió; si no, corre en este proceso cuando le
    llega el turno de la base (``turno``: una orden local a la vez; si no llega a tiempo, estado 2 con el
    motivo). El estado y el informe son los mismos en los dos casos.
    """
    exigir_orden(modulo)
    argv = con_base_absoluta(list(argv))
    base = ruta_de_base(argv)
    respuesta = enviar(base, modulo, argv, os.getcwd())
    if respuesta is None:
        try:
            with turno(base):
                respuesta = enviar(base, modulo, argv, os.getcwd())  # la aplicación pudo arrancar mientras esperaba
                if respuesta is None:
                    return correr(modulo, argv)
        except ErrorEslabon as error:  # TurnoAgotado, o ESLABON_ESPERA_ORDEN que no es un número
            print(error.mensaje, file=sys.stderr)
            return 2
    sys.stdout.write(respuesta.salida)
    sys.stdout.flush()
    sys.stderr.write(respuesta.errores)
    return respuesta.estado
