"""Sesiones comprobadas en el servidor: una ficha firmada que el almacén confirma en cada ejecución.

Una sesión es una fila de ``sesiones``; el navegador guarda solo su **ficha**:
``<identificador>.<firma>``, donde el identificador son 32 bytes aleatorios (``secrets``) y la
firma, un HMAC-SHA256 del identificador con el secreto de la instalación. El almacén guarda solo
el SHA-256 del identificador (quien lea la base no puede usar las sesiones) y nunca la clave.

``sesion_vigente`` se llama en cada ejecución de la página y en cada descarga: comprueba la firma,
que la sesión exista y no esté cerrada, que no lleve más de ``minutos_de_sesion()`` sin actividad
ni más de ``HORAS_MAXIMAS`` abierta, y **relee la cuenta**: una cuenta desactivada pierde la
sesión; un cambio de rol o de alcance vale desde la ejecución siguiente (OWASP ASVS 4.0, V3.3 y
V3.5 para la caducidad y la revocación, V3.2.2 para los 128 bits o más de entropía).

El secreto es ``ESLABON_SECRETO`` si existe (al menos 32 caracteres); si no, uno aleatorio que se
genera una vez y se guarda en la tabla ``secretos``. Cambiarlo cierra todas las sesiones.
"""

import hashlib
import hmac
import os
import secrets
from datetime import datetime, timedelta

import duckdb

from analisis.errores import ErrorEslabon
from datos.cuentas.usuarios import Usuario, cuenta_por_usuario, registrar

__all__ = ["SesionNoValida", "HORAS_MAXIMAS", "minutos_de_sesion", "abrir_sesion", "sesion_vigente",
           "cerrar_sesion", "secreto"]

#: Duración máxima de una sesión aunque haya actividad (luego hay que volver a entrar).
HORAS_MAXIMAS = 12
#: Cada cuántos segundos, como mucho, se anota la actividad de una sesión en el almacén.
_SEGUNDOS_ENTRE_ANOTACIONES = 30
_LARGO_MINIMO_SECRETO = 32


class SesionNoValida(ErrorEslabon):
    """La ficha no sirve (falsa, cerrada, caducada o de una cuenta inactiva); ``mensaje`` dice por qué."""


def minutos_de_sesion() -> int:
    """Minutos de inactividad tras los que caduca una sesión (``ESLABON_SESION_MINUTOS``, 30 por defecto)."""
    return int(os.environ.get("ESLABON_SESION_MINUTOS", "30"))


def secreto(con: duckdb.DuckDBPyConnection) -> bytes:
    """El secreto que firma las fichas: ``ESLABON_SECRETO`` o el generado una vez en el almacén.

    Raises ``ErrorEslabon`` si ``ESLABON_SECRETO`` es demasiado corto.
    """
    propio = os.environ.get("ESLABON_SECRETO")
    if propio is not None:
        if len(propio) < _LARGO_MINIMO_SECRETO:
            raise ErrorEslabon(f"ESLABON_SECRETO debe tener al menos {_LARGO_MINIMO_SECRETO} caracteres.")
        return propio.encode()
    guardado = con.execute("SELECT valor FROM secretos WHERE nombre = 'sesiones'").fetchall()
    if not guardado:  # solo la primera vez escribe: cada ejecución de cada página lee el secreto
        con.execute("INSERT INTO secretos VALUES ('sesiones', ?) ON CONFLICT DO NOTHING", [secrets.token_hex(32)])
        guardado = con.execute("SELECT valor FROM secretos WHERE nombre = 'sesiones'").fetchall()
    return guardado[0][0].encode()


def _firma(con: duckdb.DuckDBPyConnection, identificador: str) -> str:
    """HMAC-SHA256 de ``identificador`` con el secreto de la instalación, en hexadecimal."""
    return hmac.new(secreto(con), identificador.encode(), hashlib.sha256).hexdigest()


def _huella(identificador: str) -> str:
    """Lo que el almacén guarda de una ficha: el SHA-256 de su identificador."""
    return hashlib.sha256(identificador.encode()).hexdigest()


def abrir_sesion(con: duckdb.DuckDBPyConnection, usuario: str, *, ahora: datetime | None = None) -> str:
    """Abre una sesión de ``usuario`` y devuelve su ficha (lo único que guarda el navegador)."""
    ahora = ahora or datetime.now()
    identificador = secrets.token_urlsafe(32)
    con.execute("INSERT INTO sesiones (huella, usuario, creada, ultima_actividad) VALUES (?, ?, ?, ?)",
                [_huella(identificador), usuario, ahora, ahora])
    return f"{identificador}.{_firma(con, identificador)}"


def _identificador(con: duckdb.DuckDBPyConnection, ficha: str | None) -> str:
    """El identificador de una ficha bien firmada; ``SesionNoValida`` (sin mensaje) si no lo es."""
    identificador, _, firma = (ficha if isinstance(ficha, str) else "").partition(".")
    if not identificador or not hmac.compare_digest(firma, _firma(con, identificador)):
        raise SesionNoValida("")
    return identificador


def sesion_vigente(con: duckdb.DuckDBPyConnection, ficha: str | None, *, ahora: datetime | None = None) -> Usuario:
    """La cuenta, releída del almacén, de la sesión de ``ficha``; anota la actividad.

    Raises
    ------
    SesionNoValida
        Con un mensaje para la persona si la sesión caducó o la cuenta ya no está activa; con el
        mensaje vacío si la ficha es falsa o la sesión se cerró al salir.
    """
    ahora = ahora or datetime.now()
    huella = _huella(_identificador(con, ficha))
    filas = con.execute("SELECT usuario, creada, ultima_actividad, cerrada FROM sesiones WHERE huella = ?",
                        [huella]).fetchall()
    if not filas or filas[0][3] is not None:
        raise SesionNoValida("")
    usuario, creada, ultima, _ = filas[0]
    if ahora - ultima > timedelta(minutes=minutos_de_sesion()) or ahora - creada > timedelta(hours=HORAS_MAXIMAS):
        _cerrar(con, huella, usuario, "sesión caducada", ahora)
        raise SesionNoValida("Su sesión caducó por inactividad. Entre de nuevo.")
    cuenta = cuenta_por_usuario(con, usuario)
    if cuenta is None:
        _cerrar(con, huella, usuario, "sesión cerrada: cuenta inactiva", ahora)
        raise SesionNoValida("Su cuenta ya no está activa. Si cree que es un error, hable con el administrador.")
    if (ahora - ultima).total_seconds() > _SEGUNDOS_ENTRE_ANOTACIONES:
        try:
            con.execute("UPDATE sesiones SET ultima_actividad = ? WHERE huella = ?", [ahora, huella])
        except duckdb.TransactionException:
            pass  # otra ejecución de la misma sesión la anotó a la vez: basta con la suya
    return cuenta


def _cerrar(con: duckdb.DuckDBPyConnection, huella: str, usuario: str, motivo: str, ahora: datetime) -> None:
    """Marca la sesión como cerrada y lo anota en la bitácora con ``motivo``."""
    con.execute("UPDATE sesiones SET cerrada = ? WHERE huella = ? AND cerrada IS NULL", [ahora, huella])
    registrar(con, usuario, motivo)


def cerrar_sesion(con: duckdb.DuckDBPyConnection, ficha: str | None, *, motivo: str = "salida") -> None:
    """Cierra la sesión de ``ficha`` (si es válida): la ficha deja de servir en todo navegador."""
    try:
        huella = _huella(_identificador(con, ficha))
    except SesionNoValida:
        return
    filas = con.execute("SELECT usuario FROM sesiones WHERE huella = ? AND cerrada IS NULL", [huella]).fetchall()
    if filas:
        _cerrar(con, huella, filas[0][0], motivo, datetime.now())
