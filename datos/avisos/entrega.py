"""Cómo sale un mensaje: correo por SMTP, JSON a un webhook y reintentos con espera creciente.

El servidor de correo se configura solo con el entorno:

- ``ESLABON_SMTP``: ``servidor:puerto`` (p. ej. ``smtp.empresa.com:587``);
- ``ESLABON_SMTP_REMITENTE``: la dirección que firma los correos;
- ``ESLABON_SMTP_USUARIO`` y ``ESLABON_SMTP_CLAVE`` (opcionales): si el servidor pide entrar.

Si el servidor ofrece STARTTLS, la conexión se cifra antes de entrar o enviar (``smtplib``, con
los certificados del sistema). ``ESLABON_WEBHOOK`` es el webhook predeterminado de las alertas
(Teams, Slack o cualquier receptor de JSON): recibe ``{"text": …}`` más los datos del aviso.
Un fallo no se pierde: ``con_reintentos`` repite (``INTENTOS`` veces, esperando 1, 2, 4… s) y
devuelve el último error para que quede en la historia de entregas.
"""

import json
import os
import smtplib
import socket
import ssl
import time
import urllib.error
import urllib.request
from collections.abc import Callable
from dataclasses import dataclass, field
from email.message import EmailMessage
from email.utils import formatdate, make_msgid
from urllib.parse import urlsplit

from analisis.errores import ErrorEslabon

__all__ = ["Adjunto", "Mensaje", "ServidorCorreo", "CorreoNoConfigurado", "INTENTOS", "Resultado", "enviar_correo",
           "enviar_webhook", "webhook_predeterminado", "con_reintentos", "destino_webhook"]

#: Intentos de cada entrega antes de darla por fallida en esta ronda (la siguiente ronda la vuelve a intentar).
INTENTOS = 3
#: Espera antes del segundo intento, en segundos; se duplica en cada intento.
ESPERA_INICIAL = 1.0
#: Segundos que se espera a un servidor de correo o a un webhook.
TIEMPO_LIMITE = 30


class CorreoNoConfigurado(ErrorEslabon):
    """Faltan ``ESLABON_SMTP`` o ``ESLABON_SMTP_REMITENTE``, o no tienen la forma esperada."""


@dataclass(frozen=True)
class Adjunto:
    """Un archivo que acompaña a un correo (p. ej. el informe HTML de un equipo); los de texto, en UTF-8."""

    nombre: str
    contenido: bytes
    tipo: str = "text/html"


@dataclass(frozen=True)
class Mensaje:
    """Un aviso listo para salir: asunto, texto plano, HTML, adjuntos y lo que recibe un webhook."""

    asunto: str
    texto: str
    html: str
    adjuntos: tuple[Adjunto, ...] = ()
    datos: dict = field(default_factory=dict)


@dataclass(frozen=True)
class ServidorCorreo:
    """El servidor SMTP del entorno (``ServidorCorreo.del_entorno()``)."""

    host: str
    puerto: int
    remitente: str
    usuario: str | None = None
    clave: str | None = None

    @classmethod
    def del_entorno(cls) -> "ServidorCorreo":
        """Lee ``ESLABON_SMTP``, ``ESLABON_SMTP_REMITENTE``, ``ESLABON_SMTP_USUARIO`` y ``ESLABON_SMTP_CLAVE``.

        Raises
        ------
        CorreoNoConfigurado
            Con un mensaje en español que dice qué variable falta o está mal.
        """
        servidor, remitente = os.environ.get("ESLABON_SMTP", "").strip(), os.environ.get(
            "ESLABON_SMTP_REMITENTE", "").strip()
        if not servidor or not remitente:
            raise CorreoNoConfigurado("El correo no está configurado: defina ESLABON_SMTP (servidor:puerto) y "
                                      "ESLABON_SMTP_REMITENTE en el entorno de Eslabón.")
        host, _, puerto = servidor.rpartition(":")
        if not host or not puerto.isdigit():
            raise CorreoNoConfigurado(f"ESLABON_SMTP debe tener la forma servidor:puerto (p. ej. smtp.empresa.com:587), "
                                      f"no «{servidor}».")
        return cls(host, int(puerto), remitente, os.environ.get("ESLABON_SMTP_USUARIO") or None,
                   os.environ.get("ESLABON_SMTP_CLAVE") or None)


def _correo(mensaje: Mensaje, remitente: str, para: str) -> EmailMessage:
    """El correo MIME: texto plano y HTML como alternativas, más los adjuntos."""
    correo = EmailMessage()
    correo["Subject"], correo["From"], correo["To"] = mensaje.asunto, remitente, para
    correo["Date"], correo["Message-ID"] = formatdate(localtime=True), make_msgid(domain="eslabon")
    correo["Content-Language"] = "es"
    correo.set_content(mensaje.texto)
    correo.add_alternative(mensaje.html, subtype="html")
    for adjunto in mensaje.adjuntos:
        principal, secundario = adjunto.tipo.split("/", 1)
        correo.add_attachment(adjunto.contenido, maintype=principal, subtype=secundario, filename=adjunto.nombre,
                              params={"charset": "utf-8"} if principal == "text" else None)
    return correo


def enviar_correo(servidor: ServidorCorreo, para: str, mensaje: Mensaje) -> None:
    """Envía ``mensaje`` a ``para``: STARTTLS si el servidor lo ofrece, y entra si hay usuario.

    Los errores de red y de SMTP salen tal cual (``OSError``, ``smtplib.SMTPException``).
    """
    with smtplib.SMTP(servidor.host, servidor.puerto, timeout=TIEMPO_LIMITE) as smtp:
        smtp.ehlo()
        if smtp.has_extn("starttls"):
            smtp.starttls(context=ssl.create_default_context())
            smtp.ehlo()
        if servidor.usuario:
            smtp.login(servidor.usuario, servidor.clave or "")
        smtp.send_message(_correo(mensaje, servidor.remitente, para))


def webhook_predeterminado() -> str | None:
    """El webhook de ``ESLABON_WEBHOOK`` (None si no está definido)."""
    return os.environ.get("ESLABON_WEBHOOK", "").strip() or None


def destino_webhook(url: str) -> str:
    """Cómo se anota un webhook en la historia: solo su servidor (la ruta suele ser secreta).

    >>> destino_webhook("https://hooks.slack.com/services/T000/B000/XXXX")
    'webhook hooks.slack.com'
    """
    return f"webhook {urlsplit(url).hostname or '?'}"


def enviar_webhook(url: str, mensaje: Mensaje) -> None:
    """Publica ``mensaje`` como JSON en ``url``: ``text`` (lo que muestran Teams y Slack) y ``datos``.

    Una respuesta que no es 2xx sale como ``urllib.error.HTTPError``.
    """
    cuerpo = json.dumps({"text": mensaje.texto, "titulo": mensaje.asunto, **mensaje.datos},
                        ensure_ascii=False).encode("utf-8")
    pedido = urllib.request.Request(url, data=cuerpo, method="POST",
                                    headers={"Content-Type": "application/json; charset=utf-8"})
    with urllib.request.urlopen(pedido, timeout=TIEMPO_LIMITE) as respuesta:
        respuesta.read()


@dataclass(frozen=True)
class Resultado:
    """Cómo terminó una entrega: si salió, en cuántos intentos y el último error (en texto)."""

    enviado: bool
    intentos: int
    error: str | None = None


#: Errores de red y cómo se explican en la historia de entregas.
_ERRORES_DE_RED = ((ConnectionRefusedError, "el servidor rechazó la conexión"),
                   (TimeoutError, "el servidor no respondió a tiempo"),
                   (socket.gaierror, "no se encontró el servidor (revise el nombre)"),
                   (ssl.SSLError, "falló el cifrado TLS (revise el certificado del servidor)"))


def _texto_error(error: BaseException) -> str:
    """El error de una entrega en una línea en español, para la historia y la página.

    >>> _texto_error(ConnectionRefusedError(111, "Connection refused"))
    'No se pudo conectar: el servidor rechazó la conexión.'
    """
    if isinstance(error, ErrorEslabon):
        return error.mensaje
    if isinstance(error, urllib.error.HTTPError):
        return f"El webhook respondió con el código HTTP {error.code}."
    if isinstance(error, urllib.error.URLError) and isinstance(error.reason, BaseException):
        return _texto_error(error.reason)
    if isinstance(error, smtplib.SMTPResponseException):
        return f"El servidor de correo respondió {error.smtp_code}: {error.smtp_error.decode(errors='replace')}"
    for tipo, texto in _ERRORES_DE_RED:
        if isinstance(error, tipo):
            return f"No se pudo conectar: {texto}."
    return f"No se pudo entregar: {error}"


def con_reintentos(entregar: Callable[[], None], *, intentos: int = INTENTOS, espera: float = ESPERA_INICIAL,
                   dormir: Callable[[float], None] = time.sleep) -> Resultado:
    """Llama a ``entregar`` hasta que no falle, como mucho ``intentos`` veces, esperando 1, 2, 4… × ``espera`` s.

    Solo se reintentan los errores de red, de SMTP o de HTTP; un ``CorreoNoConfigurado`` no se repite.

    >>> llamadas = []
    >>> def falla_una_vez():
    ...     llamadas.append(1)
    ...     if len(llamadas) == 1:
    ...         raise ConnectionRefusedError("rechazada")
    >>> con_reintentos(falla_una_vez, dormir=lambda s: None)
    Resultado(enviado=True, intentos=2, error=None)
    """
    if intentos < 1:
        raise ValueError("'intentos' debe ser al menos 1")
    ultimo = None
    for intento in range(1, intentos + 1):
        if intento > 1:
            dormir(espera * 2 ** (intento - 2))
        try:
            entregar()
            return Resultado(True, intento)
        except CorreoNoConfigurado as error:
            return Resultado(False, intento, _texto_error(error))
        except (OSError, smtplib.SMTPException) as error:
            ultimo = error
    return Resultado(False, intentos, _texto_error(ultimo))
