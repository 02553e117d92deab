"""Entrada con usuario y clave: bloqueo por intentos atómico y límite por dirección del cliente.

Reglas (OWASP ASVS 4.0, V2.2.1 «anti-automatización»):

- **Por cuenta**: cada intento *reserva* primero su turno con una sola sentencia atómica
  (``UPDATE … SET intentos_fallidos = intentos_fallidos + 1 … RETURNING``) y solo después se
  comprueba la clave. Los intentos simultáneos no pueden leer el mismo contador: el que recibe un
  turno mayor que ``INTENTOS_MAXIMOS`` se rechaza sin mirar la clave, y el fallo número
  ``INTENTOS_MAXIMOS`` bloquea la cuenta ``MINUTOS_BLOQUEO`` minutos. Un acierto pone el contador a
  cero, salvo que otro intento la haya bloqueado entretanto (entonces también se rechaza).
- Un **conflicto de escritura** de DuckDB («Conflict on update») se reintenta unas veces y, si
  persiste, el intento se rechaza: nunca sale una ``TransactionException``.
- **Por dirección del cliente**: ``INTENTOS_POR_DIRECCION`` fallos en ``MINUTOS_BLOQUEO`` minutos
  desde una misma dirección (con cualquier usuario) la bloquean ese tiempo.
- **Sin enumeración**: un usuario inexistente lleva su propio contador (en memoria del proceso) y
  responde igual que uno real: «Usuario o clave incorrectos.» y, tras ``INTENTOS_MAXIMOS`` fallos,
  «Demasiados intentos…». Con una clave de señuelo gasta el mismo tiempo de Argon2.

Los contadores en memoria (direcciones, usuarios inexistentes) son del proceso, que es uno por
almacén (DuckDB no admite dos procesos escritores), y se vacían al reiniciar la aplicación.
``autenticar`` abre su propio cursor: se puede llamar a la vez desde muchos hilos.
"""

import random
import threading
import time
from collections import OrderedDict
from datetime import datetime, timedelta
from math import ceil

import duckdb

from datos.cuentas.usuarios import AccesoDenegado, Usuario, a_usuario, registrar, verificar_clave

__all__ = ["INTENTOS_MAXIMOS", "MINUTOS_BLOQUEO", "INTENTOS_POR_DIRECCION", "autenticar", "olvidar_intentos"]

INTENTOS_MAXIMOS = 5
MINUTOS_BLOQUEO = 15
INTENTOS_POR_DIRECCION = 20
_REINTENTOS = 40
_INCORRECTOS = "Usuario o clave incorrectos."
_NO_BLOQUEADA = "(bloqueado_hasta IS NULL OR bloqueado_hasta <= ?)"
_COLUMNAS = "usuario, nombre, rol, sucursales, equipos, clave_hash, activo, intentos_fallidos"


class _Conflicto(Exception):
    """Una escritura del contador chocó con otra demasiadas veces seguidas."""


class _Contadores:
    """Fallos por clave en memoria, con bloqueo al llegar a ``maximo`` (seguro entre hilos, tamaño acotado).

    Con ``ventana`` los fallos más antiguos que ella no cuentan; sin ella cuentan hasta que se
    vacía el contador (como el de una cuenta real, que solo un acierto pone a cero).
    """

    def __init__(self, maximo: int, ventana: timedelta | None, capacidad: int = 100_000):
        self._maximo, self._ventana, self._capacidad = maximo, ventana, capacidad
        self._cerrojo = threading.Lock()
        self._fallos: OrderedDict[str, tuple[datetime, int, datetime | None]] = OrderedDict()

    def bloqueado_hasta(self, clave: str, ahora: datetime) -> datetime | None:
        """Hasta cuándo está bloqueada ``clave``, o None."""
        with self._cerrojo:
            hasta = self._fallos.get(clave, (ahora, 0, None))[2]
        return hasta if hasta is not None and hasta > ahora else None

    def fallo(self, clave: str, ahora: datetime) -> datetime | None:
        """Cuenta un fallo de ``clave``; devuelve el fin del bloqueo si con él se llegó al máximo."""
        with self._cerrojo:
            desde, fallos, _ = self._fallos.pop(clave, (ahora, 0, None))
            if self._ventana is not None and ahora - desde > self._ventana:
                desde, fallos = ahora, 0
            fallos += 1
            hasta = ahora + timedelta(minutes=MINUTOS_BLOQUEO) if fallos >= self._maximo else None
            self._fallos[clave] = (desde, 0, hasta) if hasta else (desde, fallos, None)
            while len(self._fallos) > self._capacidad:
                self._fallos.popitem(last=False)
        return hasta

    def vaciar(self) -> None:
        """Olvida todos los fallos."""
        with self._cerrojo:
            self._fallos.clear()


_DIRECCIONES = _Contadores(INTENTOS_POR_DIRECCION, timedelta(minutes=MINUTOS_BLOQUEO))
_INEXISTENTES = _Contadores(INTENTOS_MAXIMOS, None)


def olvidar_intentos() -> None:
    """Vacía los contadores en memoria (direcciones y usuarios inexistentes), p. ej. entre pruebas."""
    _DIRECCIONES.vaciar()
    _INEXISTENTES.vaciar()


def _demasiados(hasta: datetime, ahora: datetime) -> AccesoDenegado:
    """El rechazo por bloqueo, con los minutos que faltan (el mismo para cuentas, inexistentes y direcciones)."""
    minutos = max(1, ceil((hasta - ahora).total_seconds() / 60))
    return AccesoDenegado(f"Demasiados intentos fallidos. Vuelva a intentarlo en {minutos} minutos.")


def _escribir(con: duckdb.DuckDBPyConnection, sql: str, parametros: list) -> list[tuple]:
    """Ejecuta una sentencia del contador reintentando los conflictos de escritura; lanza ``_Conflicto`` si siguen."""
    for intento in range(_REINTENTOS):
        try:
            return con.execute(sql, parametros).fetchall()
        except duckdb.TransactionException:
            time.sleep(random.uniform(0.001, 0.004) * (1 + intento))
    raise _Conflicto()


def _bloquear(con: duckdb.DuckDBPyConnection, usuario: str, ahora: datetime) -> datetime:
    """Bloquea la cuenta (si no lo estaba ya) y pone su contador a cero; devuelve el fin del bloqueo."""
    hasta = ahora + timedelta(minutes=MINUTOS_BLOQUEO)
    _escribir(con, f"UPDATE usuarios SET intentos_fallidos = 0, bloqueado_hasta = ? WHERE usuario = ? AND "
                   f"{_NO_BLOQUEADA} RETURNING usuario", [hasta, usuario, ahora])
    return hasta


def _inexistente(con: duckdb.DuckDBPyConnection, usuario: str, clave: str, ahora: datetime) -> AccesoDenegado:
    """El rechazo de un usuario que no existe, con su propio contador (igual que el de una cuenta)."""
    if hasta := _INEXISTENTES.bloqueado_hasta(usuario, ahora):
        registrar(con, usuario, "entrada rechazada", "cuenta bloqueada")
        return _demasiados(hasta, ahora)
    verificar_clave(None, clave)
    _INEXISTENTES.fallo(usuario, ahora)
    registrar(con, usuario, "entrada fallida", "usuario inexistente")
    return AccesoDenegado(_INCORRECTOS)


def _comprobar(con: duckdb.DuckDBPyConnection, usuario: str, clave: str, ahora: datetime) -> Usuario:
    """Reserva el turno del intento, comprueba la clave y devuelve la cuenta; lanza ``AccesoDenegado``."""
    filas = _escribir(con, f"UPDATE usuarios SET intentos_fallidos = intentos_fallidos + 1 WHERE usuario = ? AND "
                           f"{_NO_BLOQUEADA} RETURNING {_COLUMNAS}", [usuario, ahora])
    if not filas:
        bloqueo = con.execute("SELECT bloqueado_hasta FROM usuarios WHERE usuario = ?", [usuario]).fetchall()
        if not bloqueo:
            raise _inexistente(con, usuario, clave, ahora)
        registrar(con, usuario, "entrada rechazada", "cuenta bloqueada")
        raise _demasiados(bloqueo[0][0] or ahora, ahora)
    fila = dict(zip([c.strip() for c in _COLUMNAS.split(",")], filas[0]))
    turno = fila["intentos_fallidos"]
    if turno > INTENTOS_MAXIMOS:
        registrar(con, usuario, "entrada rechazada", f"intento {turno} simultáneo: cuenta bloqueada")
        raise _demasiados(_bloquear(con, usuario, ahora), ahora)
    if not verificar_clave(fila["clave_hash"], clave) or not fila["activo"]:
        bloqueada = turno >= INTENTOS_MAXIMOS
        if bloqueada:
            _bloquear(con, usuario, ahora)
        registrar(con, usuario, "entrada fallida", "cuenta bloqueada" if bloqueada else f"intento {turno}")
        raise AccesoDenegado(_INCORRECTOS)
    if not _escribir(con, f"UPDATE usuarios SET intentos_fallidos = 0 WHERE usuario = ? AND {_NO_BLOQUEADA} "
                          "RETURNING usuario", [usuario, ahora]):
        registrar(con, usuario, "entrada rechazada", "cuenta bloqueada durante el intento")
        raise _demasiados(ahora + timedelta(minutes=MINUTOS_BLOQUEO), ahora)
    registrar(con, usuario, "entrada", "")
    return a_usuario(fila)


def autenticar(con: duckdb.DuckDBPyConnection, usuario: str, clave: str, *, direccion: str | None = None,
               ahora: datetime | None = None) -> Usuario:
    """Comprueba usuario y clave; devuelve el ``Usuario`` o lanza ``AccesoDenegado`` en todo rechazo.

    Parameters
    ----------
    con : cursor del almacén (la función abre uno propio a partir de él: sirve desde cualquier hilo).
    usuario, clave : lo que escribió la persona.
    direccion : dirección IP del cliente (``None`` si no se conoce: sin límite por dirección).
    ahora : el momento del intento (para pruebas).

    Raises
    ------
    AccesoDenegado
        Clave errónea, cuenta inexistente, inactiva o bloqueada, dirección bloqueada o intentos
        simultáneos en conflicto. El mensaje no revela si la cuenta existe.
    """
    ahora = ahora or datetime.now()
    usuario = (usuario or "").strip().lower()
    propio = con.cursor()
    try:
        if direccion and (hasta := _DIRECCIONES.bloqueado_hasta(direccion, ahora)):
            registrar(propio, usuario, "entrada rechazada", f"dirección bloqueada: {direccion}")
            raise _demasiados(hasta, ahora)
        try:
            return _comprobar(propio, usuario, clave, ahora)
        except _Conflicto:
            registrar(propio, usuario, "entrada rechazada", "intentos simultáneos en conflicto")
            raise AccesoDenegado(_INCORRECTOS) from None
        except AccesoDenegado:
            if direccion:
                _DIRECCIONES.fallo(direccion, ahora)
            raise
    finally:
        propio.close()
