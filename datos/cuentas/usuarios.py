"""Cuentas de usuario, roles, alcance de datos y bitácora.

Las claves se guardan solo como hash Argon2id (``argon2-cffi``, parámetros
recomendados por RFC 9106); nunca en claro. La entrada y el bloqueo por intentos
están en ``datos.cuentas.intentos``; las sesiones, en ``datos.cuentas.sesiones``.
Cada acción relevante (entradas, cargas, deshacer, cambios de configuración,
exportaciones) se anota en la tabla ``bitacora``. Nada deja a la organización sin
un administrador activo.

Todo el SQL lleva parámetros ``?``: ningún valor del usuario se pega en una consulta.
"""

import json
import os
import re
from dataclasses import dataclass
import threading

import duckdb
from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError

from datos.almacen.transaccion import transaccion
from analisis.errores import ErrorEslabon

__all__ = [
    "ROLES", "NOMBRES_ROLES", "Usuario", "AccesoDenegado", "CuentaNoValida", "LARGO_MINIMO_CLAVE", "hay_usuarios",
    "cuenta_por_usuario", "crear_usuario", "verificar_clave", "a_usuario", "cambiar_clave", "actualizar_usuario",
    "crear_administrador_desde_entorno", "registrar",
]

#: Roles de la aplicación (código guardado → nombre visible).
NOMBRES_ROLES = {"dirección": "Dirección", "calidad": "Calidad", "capacitación": "Capacitación",
                 "administrador": "Administrador"}
ROLES = tuple(NOMBRES_ROLES)

LARGO_MINIMO_CLAVE = 10

_HASHER = PasswordHasher()
#: Hash de una clave cualquiera, para gastar el mismo tiempo cuando el usuario no existe.
_HASH_SEÑUELO = _HASHER.hash("clave-señuelo-para-tiempo-constante")
_PATRON_USUARIO = re.compile(r"^[a-z0-9._@-]{3,64}$")

class CuentaNoValida(ErrorEslabon, ValueError):
    """Datos de cuenta que no cumplen las reglas (usuario, rol o clave)."""


class AccesoDenegado(ErrorEslabon):
    """Entrada rechazada (clave errónea, cuenta bloqueada o inactiva); el mensaje no revela cuál existe."""


@dataclass(frozen=True)
class Usuario:
    """Una persona con sesión: su rol y, si lo tiene, el alcance de datos que puede ver.

    ``sucursales`` y ``equipos`` vacíos significan "sin restricción".
    """

    usuario: str
    nombre: str
    rol: str
    sucursales: tuple[str, ...] = ()
    equipos: tuple[str, ...] = ()


def _validar(usuario: str, rol: str, clave: str | None = None) -> None:
    """Valida nombre de usuario, rol y (si se da) el largo de la clave, con mensajes en español."""
    if not _PATRON_USUARIO.match(usuario or ""):
        raise CuentaNoValida("El usuario debe tener de 3 a 64 caracteres: minúsculas, números, punto, guion, _ o @.")
    if rol not in ROLES:
        raise CuentaNoValida(f"El rol debe ser uno de: {', '.join(ROLES)}.")
    if clave is not None:
        _validar_clave(clave)


def _validar_clave(clave: str) -> None:
    """Exige el largo mínimo de clave."""
    if len(clave or "") < LARGO_MINIMO_CLAVE:
        raise CuentaNoValida(f"La clave debe tener al menos {LARGO_MINIMO_CLAVE} caracteres.")


def registrar(con: duckdb.DuckDBPyConnection, usuario: str | None, accion: str, detalle: str = "") -> None:
    """Anota una acción en la bitácora (quién, qué, cuándo)."""
    con.execute("INSERT INTO bitacora (usuario, accion, detalle) VALUES (?, ?, ?)", [usuario, accion, detalle])


def hay_usuarios(con: duckdb.DuckDBPyConnection) -> bool:
    """True si existe al menos una cuenta."""
    return con.execute("SELECT count(*) FROM usuarios").fetchall()[0][0] > 0


def crear_usuario(con: duckdb.DuckDBPyConnection, usuario: str, clave: str, rol: str, *, nombre: str = "",
                  sucursales: tuple[str, ...] = (), equipos: tuple[str, ...] = (), autor: str | None = None) -> Usuario:
    """Crea una cuenta con la clave hasheada; falla si el usuario ya existe."""
    usuario = usuario.strip().lower()
    _validar(usuario, rol, clave)
    if con.execute("SELECT count(*) FROM usuarios WHERE usuario = ?", [usuario]).fetchall()[0][0]:
        raise ErrorEslabon(f"Ya existe una cuenta con el usuario «{usuario}».")
    con.execute(
        "INSERT INTO usuarios (usuario, nombre, rol, clave_hash, sucursales, equipos) VALUES (?, ?, ?, ?, ?, ?)",
        [usuario, nombre or usuario, rol, _HASHER.hash(clave), json.dumps(list(sucursales)),
         json.dumps(list(equipos))])
    registrar(con, autor or usuario, "crear usuario", f"{usuario} ({rol})")
    return Usuario(usuario, nombre or usuario, rol, tuple(sucursales), tuple(equipos))


def _fila(con: duckdb.DuckDBPyConnection, usuario: str) -> dict | None:
    """La fila de ``usuarios`` como diccionario, o None si no existe."""
    cursor = con.execute("SELECT * FROM usuarios WHERE usuario = ?", [usuario])
    columnas = [d[0] for d in cursor.description]
    filas = cursor.fetchall()
    return dict(zip(columnas, filas[0])) if filas else None


def a_usuario(fila: dict) -> Usuario:
    """Convierte una fila de ``usuarios`` en ``Usuario``."""
    return Usuario(fila["usuario"], fila["nombre"], fila["rol"],
                   tuple(json.loads(fila["sucursales"] or "[]")), tuple(json.loads(fila["equipos"] or "[]")))


def cuenta_por_usuario(con: duckdb.DuckDBPyConnection, usuario: str) -> Usuario | None:
    """La cuenta activa con ese usuario (p. ej. el correo de un inicio de sesión único), o None."""
    fila = _fila(con, usuario)
    return a_usuario(fila) if fila is not None and fila["activo"] else None


def verificar_clave(hash_guardado: str | None, clave: str) -> bool:
    """True si ``clave`` corresponde al hash Argon2 guardado; sin hash (usuario inexistente) compara con
    un señuelo para gastar el mismo tiempo, y devuelve False."""
    try:
        return _HASHER.verify(hash_guardado or _HASH_SEÑUELO, clave or "") and hash_guardado is not None
    except (VerificationError, InvalidHashError):
        return False


def cambiar_clave(con: duckdb.DuckDBPyConnection, usuario: str, clave_nueva: str, *, autor: str) -> None:
    """Reemplaza la clave de ``usuario`` y lo desbloquea."""
    _validar_clave(clave_nueva)
    con.execute("UPDATE usuarios SET clave_hash = ?, intentos_fallidos = 0, bloqueado_hasta = NULL "
                "WHERE usuario = ?", [_HASHER.hash(clave_nueva), usuario])
    registrar(con, autor, "cambiar clave", usuario)


#: Los cambios de rol y estado se hacen de uno en uno en el proceso (uno por almacén): así dos
#: administradores que se quitan el rol a la vez no dejan la organización sin ninguno.
_CAMBIOS_DE_CUENTA = threading.Lock()


def actualizar_usuario(con: duckdb.DuckDBPyConnection, usuario: str, *, rol: str, activo: bool,
                       sucursales: tuple[str, ...] = (), equipos: tuple[str, ...] = (), autor: str) -> None:
    """Cambia rol, estado y alcance de una cuenta existente, con el antes y el después en la bitácora.

    Raises
    ------
    CuentaNoValida
        Si el usuario o el rol no son válidos, o si el cambio desactivaría o quitaría el rol al
        último administrador activo.
    """
    _validar(usuario, rol)
    with _CAMBIOS_DE_CUENTA, transaccion(con):
        otros = con.execute("SELECT count(*) FROM usuarios WHERE activo AND rol = 'administrador' AND usuario <> ?",
                            [usuario]).fetchall()[0][0]
        if not otros and not (activo and rol == "administrador") and con.execute(
                "SELECT count(*) FROM usuarios WHERE usuario = ? AND activo AND rol = 'administrador'",
                [usuario]).fetchall()[0][0]:
            raise CuentaNoValida("Es el último administrador activo: cree o active otro administrador antes de "
                                 "desactivar esta cuenta o cambiarle el rol.")
        antes = _fila(con, usuario)
        con.execute("UPDATE usuarios SET rol = ?, activo = ?, sucursales = ?, equipos = ? WHERE usuario = ?",
                    [rol, activo, json.dumps(list(sucursales)), json.dumps(list(equipos)), usuario])
        registrar(con, autor, "actualizar usuario",
                  f"{usuario}: {_resumen_cuenta(antes)} → rol={rol}, activo={activo}, sucursales={list(sucursales)}, "
                  f"equipos={list(equipos)}")


def _resumen_cuenta(fila: dict | None) -> str:
    """Rol, estado y alcance de una fila de ``usuarios``, como los anota la bitácora."""
    if fila is None:
        return "(no existía)"
    return (f"rol={fila['rol']}, activo={fila['activo']}, sucursales={json.loads(fila['sucursales'] or '[]')}, "
            f"equipos={json.loads(fila['equipos'] or '[]')}")


def crear_administrador_desde_entorno(con: duckdb.DuckDBPyConnection) -> Usuario | None:
    """Crea el primer administrador con ``ESLABON_ADMIN_USUARIO``/``ESLABON_ADMIN_CLAVE`` si no hay cuentas.

    Devuelve el usuario creado, o None si ya había cuentas o faltan las variables.
    """
    usuario, clave = os.environ.get("ESLABON_ADMIN_USUARIO"), os.environ.get("ESLABON_ADMIN_CLAVE")
    if hay_usuarios(con) or not usuario or not clave:
        return None
    return crear_usuario(con, usuario, clave, "administrador", nombre="Administrador", autor="instalación")
