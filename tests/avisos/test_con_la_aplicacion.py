"""``python -m datos.envios --ahora`` con la aplicación sirviendo (un servidor Streamlit de verdad).

La orden pasa por la aplicación (que tiene la base abierta y lee el correo de su propio entorno),
entrega a un SMTP local (aiosmtpd) y a un receptor de webhooks local, y el CSAT del resumen es el que
muestra la página «Resumen ejecutivo» en Chromium para la misma semana.
"""

import os
import subprocess
import sys

import pytest
from playwright.sync_api import expect

from datos.almacen.conexion import Almacen
from datos.avisos import guardar_envios, validar_envios
from tests import RAIZ
from tests.avisos import LUNES, SEMANA, cifras_del_correo, correo_local, texto, webhook_local  # noqa: F401 - fixtures
from tests.navegador import captura, entrar, esperar_la_ejecucion

pytestmark = pytest.mark.navegador

CSAT = "CSAT (media 1–5)"


@pytest.fixture
def suscrita(base_demo, webhook_local):
    """La base de demostración con un resumen semanal por correo y alertas por correo y webhook (antes de servirla)."""
    url, _ = webhook_local
    almacen = Almacen(str(base_demo))
    guardar_envios(almacen.cursor(), validar_envios([
        {"para": "direccion@empresa.com", "frecuencia": "semanal", "informe": "resumen"},
        {"para": "alertas@empresa.com", "frecuencia": "diaria", "informe": "alertas", "webhook": url},
    ]))
    almacen.cerrar()
    return base_demo


def _cifras_de_la_pagina(pagina) -> dict[str, str]:
    """Título → valor de las tarjetas de KPI que muestra la página abierta."""
    tarjetas = pagina.get_by_test_id("stMetric")
    expect(tarjetas.first).to_be_visible(timeout=60_000)
    esperar_la_ejecucion(pagina)  # las tarjetas aparecen de una en una mientras la página se ejecuta
    return {t.get_by_test_id("stMetricLabel").inner_text().strip(): t.get_by_test_id("stMetricValue").inner_text().strip()
            for t in tarjetas.all()}


def test_envios_ahora_pasa_por_la_aplicacion_entrega_y_el_csat_es_el_de_la_pagina(
        correo_local, webhook_local, suscrita, servidor_demo, pagina):
    url, recibidos = webhook_local
    # Sin el correo en su entorno: si la orden corriera aquí no podría enviar nada (ni abrir la base, que
    # tiene la aplicación); la aplicación usa el suyo (el SMTP local con que arrancó).
    entorno = {k: v for k, v in os.environ.items() if not k.startswith("ESLABON_SMTP")}
    orden = subprocess.run([sys.executable, "-m", "datos.envios", "--db", str(suscrita), "--ahora", "--fecha",
                            LUNES.date().isoformat()], cwd=RAIZ, env=entorno, capture_output=True, text=True,
                           timeout=300)
    assert orden.returncode == 0, orden.stderr
    assert "3 entregas enviadas, 0 fallidas." in orden.stdout, orden.stdout

    [resumen] = correo_local.para("direccion@empresa.com")
    assert resumen["Subject"] == "Resumen semanal de Eslabón: del 19 de octubre de 2026 al 25 de octubre de 2026"
    [alertas] = correo_local.para("alertas@empresa.com")
    [aviso] = recibidos
    assert aviso["informe"] == "alertas" and aviso["text"] == texto(alertas).rstrip("\n")

    desde, hasta = (dia.strftime("%d/%m/%Y") for dia in SEMANA)
    entrar(pagina, f"{servidor_demo}/?filtro_desde={desde}&filtro_hasta={hasta}")
    expect(pagina.get_by_role("heading", name="Resumen ejecutivo")).to_be_visible(timeout=30_000)
    barra = pagina.get_by_test_id("stSidebar")
    expect(barra.get_by_role("textbox", name="Desde")).to_have_value(desde, timeout=30_000)
    expect(barra.get_by_role("textbox", name="Hasta")).to_have_value(hasta)
    en_pantalla = _cifras_de_la_pagina(pagina)
    captura(pagina, "envios_resumen_de_la_semana")
    en_el_correo = cifras_del_correo(resumen)
    assert en_pantalla[CSAT] == en_el_correo[CSAT] != "—"
    assert {k: en_el_correo[k] for k in en_pantalla} == en_pantalla
