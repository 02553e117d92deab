"""Pruebas de los envíos (``datos.avisos``): un servidor SMTP local (aiosmtpd) y un receptor de webhooks local.

``correo_local`` arranca un servidor SMTP en 127.0.0.1 que guarda cada mensaje recibido; ``webhook_local``
un ``http.server`` en un hilo que guarda cada JSON recibido. Los módulos de prueba los importan de aquí.
"""

import email
import json
import re
import socket
import threading
from dataclasses import dataclass, field
from datetime import date, datetime
from email.message import EmailMessage
from email.policy import default
from http.server import BaseHTTPRequestHandler, HTTPServer

import pytest
from aiosmtpd.controller import Controller

from analisis.resumen import KPIS

#: El lunes de las pruebas: el resumen semanal cubre del 19 al 25 de octubre de 2026 (datos de demostración).
LUNES = datetime(2026, 10, 26, 8)
SEMANA = (date(2026, 10, 19), date(2026, 10, 25))


def puerto_libre() -> int:
    """Un puerto TCP libre en la interfaz local."""
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@dataclass
class Buzon:
    """Lo que recibió el servidor SMTP de prueba; ``rechazar`` respuestas 451 antes de aceptar."""

    correos: list[EmailMessage] = field(default_factory=list)
    rechazar: int = 0

    async def handle_DATA(self, server, session, envelope):
        """Guarda el mensaje (o lo rechaza temporalmente mientras queden ``rechazar``)."""
        if self.rechazar:
            self.rechazar -= 1
            return "451 Inténtelo más tarde"
        self.correos.append(email.message_from_bytes(envelope.content, policy=default))
        return "250 OK"

    def para(self, direccion: str) -> list[EmailMessage]:
        """Los correos recibidos para ``direccion``."""
        return [c for c in self.correos if c["To"] == direccion]


def texto(correo: EmailMessage) -> str:
    """La parte de texto plano de un correo, con saltos de línea ``\\n``."""
    return correo.get_body(preferencelist=("plain",)).get_content().replace("\r\n", "\n")


def html(correo: EmailMessage) -> str:
    """La parte HTML de un correo."""
    return correo.get_body(preferencelist=("html",)).get_content()


def cifras_del_correo(correo: EmailMessage) -> dict[str, str]:
    """KPI → valor, leídos del texto de un resumen («CSAT (media 1–5): 4,07 (…)»)."""
    lineas = texto(correo)
    return {k.titulo: re.search(rf"^{re.escape(k.titulo)}: (.+?)(?: \(|$)", lineas, flags=re.M).group(1)
            for k in KPIS}


@pytest.fixture
def correo_local(monkeypatch):
    """Un servidor SMTP en 127.0.0.1 con ``ESLABON_SMTP`` y ``ESLABON_SMTP_REMITENTE`` apuntando a él."""
    buzon = Buzon()
    controlador = Controller(buzon, hostname="127.0.0.1", port=puerto_libre())
    controlador.start()
    monkeypatch.setenv("ESLABON_SMTP", f"127.0.0.1:{controlador.port}")
    monkeypatch.setenv("ESLABON_SMTP_REMITENTE", "eslabon@empresa.com")
    monkeypatch.setenv("ESLABON_URL", "https://eslabon.empresa.com")
    monkeypatch.delenv("ESLABON_SMTP_USUARIO", raising=False)
    monkeypatch.delenv("ESLABON_WEBHOOK", raising=False)
    try:
        yield buzon
    finally:
        controlador.stop()


class _Receptor(BaseHTTPRequestHandler):
    """Guarda el JSON de cada POST en ``server.recibidos`` y responde 200."""

    def do_POST(self):  # noqa: N802 - nombre que exige http.server
        largo = int(self.headers["Content-Length"])
        self.server.recibidos.append(json.loads(self.rfile.read(largo)))
        self.send_response(200)
        self.end_headers()
        self.wfile.write(b"ok")

    def log_message(self, *argumentos):
        """Sin registro en la consola de las pruebas."""


@pytest.fixture
def webhook_local():
    """``(url, recibidos)``: un receptor de webhooks en 127.0.0.1 en un hilo y la lista de JSON que recibe."""
    servidor = HTTPServer(("127.0.0.1", puerto_libre()), _Receptor)
    servidor.recibidos = []
    hilo = threading.Thread(target=servidor.serve_forever, daemon=True)
    hilo.start()
    try:
        yield f"http://127.0.0.1:{servidor.server_port}/webhook", servidor.recibidos
    finally:
        servidor.shutdown()
        servidor.server_close()
