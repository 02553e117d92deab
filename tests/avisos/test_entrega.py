"""Entrega: SMTP del entorno (texto y HTML, entrada con usuario, STARTTLS), webhooks y reintentos."""

import smtplib
import ssl
import subprocess

import pytest
from aiosmtpd.controller import Controller
from aiosmtpd.smtp import AuthResult

from datos.avisos.entrega import (Adjunto, CorreoNoConfigurado, Mensaje, ServidorCorreo, con_reintentos,
                                  enviar_correo, enviar_webhook)
from tests.avisos import Buzon, correo_local, html, puerto_libre, texto, webhook_local  # noqa: F401 - fixtures

MENSAJE = Mensaje("Resumen semanal de Eslabón", "CSAT: 4,07", "<p>CSAT: <b>4,07</b></p>",
                  (Adjunto("informe.html", "<p>Equipo Ñandú</p>".encode()),), {"informe": "resumen"})


def test_el_servidor_sale_del_entorno(monkeypatch):
    monkeypatch.setenv("ESLABON_SMTP", "smtp.empresa.com:587")
    monkeypatch.setenv("ESLABON_SMTP_REMITENTE", "eslabon@empresa.com")
    monkeypatch.setenv("ESLABON_SMTP_USUARIO", "eslabon")
    monkeypatch.setenv("ESLABON_SMTP_CLAVE", "secreta")
    assert ServidorCorreo.del_entorno() == ServidorCorreo("smtp.empresa.com", 587, "eslabon@empresa.com", "eslabon",
                                                          "secreta")
    monkeypatch.setenv("ESLABON_SMTP", "smtp.empresa.com")
    with pytest.raises(CorreoNoConfigurado, match="servidor:puerto"):
        ServidorCorreo.del_entorno()
    monkeypatch.delenv("ESLABON_SMTP")
    with pytest.raises(CorreoNoConfigurado, match="defina ESLABON_SMTP"):
        ServidorCorreo.del_entorno()


def test_correo_con_texto_html_y_adjunto(correo_local):
    enviar_correo(ServidorCorreo.del_entorno(), "ana@empresa.com", MENSAJE)
    [correo] = correo_local.para("ana@empresa.com")
    assert correo["Subject"] == "Resumen semanal de Eslabón" and correo["From"] == "eslabon@empresa.com"
    assert texto(correo).strip() == "CSAT: 4,07"
    assert "<b>4,07</b>" in html(correo)
    [adjunto] = list(correo.iter_attachments())
    assert adjunto.get_filename() == "informe.html" and "Ñandú" in adjunto.get_content()


def test_entra_con_usuario_y_clave(monkeypatch):
    entradas = []

    def autenticar(servidor, sesion, sobre, mecanismo, datos):
        entradas.append((datos.login, datos.password))
        return AuthResult(success=True)

    buzon = Buzon()
    controlador = Controller(buzon, hostname="127.0.0.1", port=puerto_libre(), authenticator=autenticar,
                             auth_require_tls=False)
    controlador.start()
    try:
        enviar_correo(ServidorCorreo("127.0.0.1", controlador.port, "eslabon@empresa.com", "eslabon", "secreta"),
                      "ana@empresa.com", MENSAJE)
    finally:
        controlador.stop()
    assert entradas == [(b"eslabon", b"secreta")] and len(buzon.correos) == 1


def test_si_el_servidor_ofrece_starttls_nunca_envia_en_claro(tmp_path):
    certificado, clave = tmp_path / "cert.pem", tmp_path / "clave.pem"
    subprocess.run(["openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "1", "-subj", "/CN=prueba",
                    "-keyout", str(clave), "-out", str(certificado)], check=True, capture_output=True)
    contexto = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
    contexto.load_cert_chain(certificado, clave)
    buzon = Buzon()
    controlador = Controller(buzon, hostname="127.0.0.1", port=puerto_libre(), tls_context=contexto)
    controlador.start()
    try:
        # El certificado es autofirmado: el cliente intenta cifrar y se niega a seguir en claro.
        with pytest.raises(ssl.SSLCertVerificationError):
            enviar_correo(ServidorCorreo("127.0.0.1", controlador.port, "eslabon@empresa.com"), "ana@x.com", MENSAJE)
    finally:
        controlador.stop()
    assert buzon.correos == []


def test_webhook_recibe_text_y_los_datos(webhook_local):
    url, recibidos = webhook_local
    enviar_webhook(url, MENSAJE)
    assert recibidos == [{"text": "CSAT: 4,07", "titulo": "Resumen semanal de Eslabón", "informe": "resumen"}]


def test_reintenta_con_espera_creciente_y_devuelve_el_ultimo_error():
    esperas, llamadas = [], []

    def falla():
        llamadas.append(1)
        raise smtplib.SMTPServerDisconnected("se cortó")

    resultado = con_reintentos(falla, intentos=3, espera=1.0, dormir=esperas.append)
    assert (resultado.enviado, resultado.intentos, len(llamadas), esperas) == (False, 3, 3, [1.0, 2.0])
    assert "se cortó" in resultado.error


def test_sin_configuracion_no_reintenta():
    def sin_correo():
        raise CorreoNoConfigurado("El correo no está configurado.")

    resultado = con_reintentos(sin_correo, dormir=lambda s: pytest.fail("no debe esperar"))
    assert (resultado.enviado, resultado.intentos, resultado.error) == (False, 1, "El correo no está configurado.")
