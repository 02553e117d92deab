"""Suscripciones a los envíos: quién recibe qué informe, cada cuánto y de qué parte de los datos.

Una suscripción (``Envio``) viene de la página «Envíos y alertas» o del archivo de configuración
de la organización, como una tabla ``[[envios]]``::

    [[envios]]
    para = "direccion@empresa.com"          # o una lista de direcciones
    frecuencia = "semanal"                  # diaria | semanal | mensual
    informe = "resumen"                     # resumen | alertas | realimentacion
    sucursales = ["Sucursal Norte"]         # opcional: el alcance (vacío: todo)
    equipos = []                            # opcional
    webhook = "https://hooks.slack.com/…"   # opcional: además del correo (alertas y resumen)
    activo = true                           # opcional

``validar_envios`` convierte esas tablas (o las filas de la página) en ``Envio`` o explica en
español qué está mal; ``guardar_envios`` las deja en el almacén en una transacción, anotada en la
bitácora; ``leer_envios`` las devuelve; ``como_tabla_toml`` hace el camino inverso para exportarlas.
"""

import hashlib
import json
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass

import duckdb

from analisis.errores import ErrorEslabon
from datos.almacen.transaccion import transaccion
from datos.cuentas.usuarios import registrar

__all__ = ["FRECUENCIAS", "INFORMES", "Envio", "EnvioNoValido", "validar_envios", "guardar_envios", "escribir_envios",
           "leer_envios",
           "como_tabla_toml"]

#: Frecuencias de envío y su nombre en la interfaz.
FRECUENCIAS = {"diaria": "Diaria", "semanal": "Semanal (los lunes)", "mensual": "Mensual (el día 1)"}
#: Informes que se pueden recibir y su nombre en la interfaz.
INFORMES = {"resumen": "Resumen ejecutivo", "alertas": "Alertas al dispararse",
            "realimentacion": "Informes de realimentación por equipo"}

_CAMPOS = ("para", "frecuencia", "informe", "sucursales", "equipos", "webhook", "activo")
_CORREO = re.compile(r"^[^@\s<>,;\"']+@[^@\s<>,;\"']+\.[^@\s<>,;\"']+$")
_WEBHOOK = re.compile(r"^https?://[^\s/]+(/\S*)?$", re.IGNORECASE)


class EnvioNoValido(ErrorEslabon, ValueError):
    """Una suscripción con un campo que falta o no vale; el mensaje nombra la suscripción y el campo."""


@dataclass(frozen=True)
class Envio:
    """Una suscripción: destinatarios, frecuencia, informe, alcance opcional y webhook opcional.

    ``sucursales`` y ``equipos`` vacíos no limitan; además se aplica siempre el alcance de la cuenta
    de cada destinatario que tenga una en Eslabón (ver ``datos.avisos.envio``).
    """

    para: tuple[str, ...]
    frecuencia: str
    informe: str
    sucursales: tuple[str, ...] = ()
    equipos: tuple[str, ...] = ()
    webhook: str | None = None
    activo: bool = True

    @property
    def clave(self) -> str:
        """Identifica la suscripción por su contenido (sin el webhook ni si está activa)."""
        contenido = json.dumps([sorted(self.para), self.frecuencia, self.informe, sorted(self.sucursales),
                                sorted(self.equipos)], ensure_ascii=False)
        return hashlib.sha256(contenido.encode()).hexdigest()[:16]


def _vacio(valor) -> bool:
    """True si ``valor`` falta: None, NaN, un texto en blanco o una lista vacía (una celda nueva de la página)."""
    if valor is None or (isinstance(valor, float) and valor != valor):
        return True
    if isinstance(valor, str):
        return not valor.strip()
    return hasattr(valor, "__len__") and len(valor) == 0


def _lista(valor, lugar: str, campo: str) -> tuple[str, ...]:
    """Un texto o una lista de textos como tupla sin vacíos ni repetidos (comas y punto y coma separan)."""
    if _vacio(valor):
        return ()
    if isinstance(valor, str):
        valor = re.split(r"[,;\n]", valor)
    valor = list(valor) if isinstance(valor, Iterable) and not isinstance(valor, Mapping) else valor
    if not isinstance(valor, list) or not all(isinstance(v, str) for v in valor):
        raise EnvioNoValido(f"{lugar}: «{campo}» debe ser un texto o una lista de textos.")
    return tuple(dict.fromkeys(v.strip() for v in valor if v.strip()))


def _opcion(valor, opciones: Mapping[str, str], lugar: str, campo: str) -> str:
    """``valor`` si es una de las claves de ``opciones`` (sin mayúsculas ni espacios de más)."""
    elegido = valor.strip().lower() if isinstance(valor, str) else valor
    if elegido not in opciones:
        raise EnvioNoValido(f"{lugar}: «{campo}» debe ser {', '.join(opciones)}.")
    return elegido


def _validar_uno(numero: int, datos) -> Envio:
    """Una suscripción validada, o ``EnvioNoValido`` con un mensaje que nombra la suscripción ``numero``."""
    lugar = f"Envío {numero}"
    if not isinstance(datos, Mapping):
        raise EnvioNoValido(f"{lugar}: debe ser una tabla con «para», «frecuencia» e «informe».")
    desconocidos = sorted(set(datos) - set(_CAMPOS))
    if desconocidos:
        raise EnvioNoValido(f"{lugar}: campos desconocidos: {', '.join(desconocidos)} "
                            f"(se admiten {', '.join(_CAMPOS)}).")
    para = tuple(d.lower() for d in _lista(datos.get("para"), lugar, "para"))
    if not para:
        raise EnvioNoValido(f"{lugar}: falta «para», la dirección de correo que lo recibe.")
    malas = [d for d in para if not _CORREO.match(d)]
    if malas:
        raise EnvioNoValido(f"{lugar}: «{malas[0]}» no es una dirección de correo válida.")
    webhook = datos.get("webhook")
    webhook = webhook.strip() if isinstance(webhook, str) and webhook.strip() else None
    if webhook is not None and not _WEBHOOK.match(webhook):
        raise EnvioNoValido(f"{lugar}: el webhook debe ser una dirección http:// o https://.")
    activo = True if _vacio(datos.get("activo")) else datos.get("activo")
    if not isinstance(activo, bool):
        raise EnvioNoValido(f"{lugar}: «activo» debe ser true o false.")
    return Envio(para, _opcion(datos.get("frecuencia"), FRECUENCIAS, lugar, "frecuencia"),
                 _opcion(datos.get("informe"), INFORMES, lugar, "informe"),
                 _lista(datos.get("sucursales"), lugar, "sucursales"), _lista(datos.get("equipos"), lugar, "equipos"),
                 webhook, activo)


def validar_envios(lista: Iterable[Mapping]) -> list[Envio]:
    """Valida las suscripciones (tablas ``[[envios]]`` del TOML o filas de la página).

    Cada elemento tiene ``para`` (texto o lista de direcciones), ``frecuencia`` (diaria, semanal o
    mensual), ``informe`` (resumen, alertas o realimentacion) y, si se quiere, ``sucursales``,
    ``equipos``, ``webhook`` y ``activo``. Las tablas sin ningún valor (una fila nueva que quedó en
    blanco en la página) se ignoran.

    Raises
    ------
    EnvioNoValido
        Con un mensaje en español que nombra la suscripción (desde 1) y el campo, o si dos son iguales.

    >>> [e.informe for e in validar_envios([{"para": "ana@empresa.com", "frecuencia": "semanal",
    ...                                      "informe": "resumen"}])]
    ['resumen']
    """
    lista = [datos for datos in lista if not (isinstance(datos, Mapping) and all(_vacio(v) for v in datos.values()))]
    envios = [_validar_uno(i, datos) for i, datos in enumerate(lista, 1)]
    vistas: dict[str, int] = {}
    for i, envio in enumerate(envios, 1):
        if envio.clave in vistas:
            raise EnvioNoValido(f"Envío {i}: repite el envío {vistas[envio.clave]} (mismos destinatarios, informe, "
                                "frecuencia y alcance).")
        vistas[envio.clave] = i
    return envios


def guardar_envios(con: duckdb.DuckDBPyConnection, envios: Iterable[Envio], *, autor: str = "configuración") -> int:
    """Reemplaza las suscripciones guardadas por ``envios`` en una transacción; devuelve cuántas quedan.

    Las que no cambian conservan su fecha de alta (y con ella su calendario); la bitácora anota
    quién las cambió y cuántas quedaron. Quien ya abrió su propia transacción (el importador del
    archivo de configuración) llama a ``escribir_envios``.
    """
    with transaccion(con):
        return escribir_envios(con, envios, autor=autor)


def escribir_envios(con: duckdb.DuckDBPyConnection, envios: Iterable[Envio], *, autor: str = "configuración") -> int:
    """Lo que hace ``guardar_envios``, dentro de la transacción que ya tiene abierta ``con``."""
    envios = list(envios)
    claves = [e.clave for e in envios]
    if len(set(claves)) != len(claves):
        raise EnvioNoValido("Hay dos envíos iguales (mismos destinatarios, informe, frecuencia y alcance).")
    anteriores = {fila[0] for fila in con.execute("SELECT clave FROM envios").fetchall()}
    for clave in anteriores - set(claves):
        con.execute("DELETE FROM envios WHERE clave = ?", [clave])
    for orden, envio in enumerate(envios, 1):
        con.execute(
            "INSERT INTO envios (clave, orden, para, frecuencia, informe, sucursales, equipos, webhook, activo) "
            "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT (clave) DO UPDATE SET orden = excluded.orden, "
            "webhook = excluded.webhook, activo = excluded.activo",
            [envio.clave, orden, json.dumps(list(envio.para)), envio.frecuencia, envio.informe,
             json.dumps(list(envio.sucursales), ensure_ascii=False),
             json.dumps(list(envio.equipos), ensure_ascii=False), envio.webhook, envio.activo])
    registrar(con, autor, "cambiar envíos", f"{len(envios)} suscripciones")
    return len(envios)


def leer_envios(con: duckdb.DuckDBPyConnection, *, solo_activos: bool = False) -> list[tuple[Envio, object]]:
    """Las suscripciones guardadas en su orden, cada una con su fecha de alta: ``[(Envio, creado), …]``."""
    filas = con.execute("SELECT para, frecuencia, informe, sucursales, equipos, webhook, activo, creado FROM envios "
                        "ORDER BY orden").fetchall()
    envios = [(Envio(tuple(json.loads(p)), f, i, tuple(json.loads(s or "[]")), tuple(json.loads(e or "[]")), w,
                     bool(a)), creado) for p, f, i, s, e, w, a, creado in filas]
    return [(e, c) for e, c in envios if e.activo or not solo_activos]


def como_tabla_toml(envio: Envio) -> dict:
    """La suscripción como tabla ``[[envios]]`` del archivo de configuración (sin los campos vacíos).

    >>> como_tabla_toml(Envio(("ana@empresa.com",), "semanal", "resumen"))
    {'para': ['ana@empresa.com'], 'frecuencia': 'semanal', 'informe': 'resumen'}
    """
    tabla = {"para": list(envio.para), "frecuencia": envio.frecuencia, "informe": envio.informe}
    for campo in ("sucursales", "equipos"):
        if getattr(envio, campo):
            tabla[campo] = list(getattr(envio, campo))
    if envio.webhook:
        tabla["webhook"] = envio.webhook
    if not envio.activo:
        tabla["activo"] = False
    return tabla
