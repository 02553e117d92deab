"""El periodo de la barra lateral en un Chromium real: escribir una fecha y pulsar Enter la aplica.

``st.date_input`` solo aplicaba lo escrito al perder el foco; las cajas «Desde» y «Hasta» lo aplican
con Enter, guardan el periodo en la dirección y, si la fecha cae fuera de los datos, muestran el periodo
que la página usa de verdad con un aviso en español.
"""

import re

import pytest
from playwright.sync_api import expect

from tests.navegador import captura, entrar, esperar_la_ejecucion

pytestmark = pytest.mark.navegador


def _escribir(pagina, etiqueta: str, texto: str) -> None:
    """Borra la caja ``etiqueta`` de la barra lateral, escribe ``texto`` y pulsa Enter (el foco no sale de ella)."""
    caja = pagina.get_by_test_id("stSidebar").get_by_role("textbox", name=etiqueta)
    caja.fill("")
    caja.press_sequentially(texto)
    caja.press("Enter")
    expect(caja).to_be_focused()
    esperar_la_ejecucion(pagina, pausa_ms=800)


def test_enter_aplica_la_fecha_y_fuera_de_los_datos_avisa(servidor_demo, pagina):
    entrar(pagina, servidor_demo)
    esperar_la_ejecucion(pagina, pausa_ms=800)
    leyenda = pagina.get_by_test_id("stMain").get_by_text(re.compile(r"^Del \d+ de"))
    expect(leyenda).to_contain_text("Del 3 de agosto de 2026 al 31 de octubre de 2026")
    cifras = pagina.get_by_test_id("stMetricValue").all_inner_texts()
    _escribir(pagina, "Desde", "1/9/2026")
    expect(leyenda).to_contain_text("Del 1 de septiembre de 2026 al 31 de octubre de 2026")
    assert pagina.get_by_test_id("stMetricValue").all_inner_texts() != cifras
    assert "filtro_desde=01%2F09%2F2026" in pagina.url
    expect(pagina.get_by_test_id("stSidebar").get_by_role("textbox", name="Desde")).to_have_value("01/09/2026")
    texto = pagina.inner_text("body")
    assert "Press Enter" not in texto
    _escribir(pagina, "Desde", "01/01/2020")
    expect(leyenda).to_contain_text("Del 1 de mayo de 2025 al 31 de octubre de 2026")
    expect(pagina.get_by_test_id("stSidebar").get_by_role("textbox", name="Desde")).to_have_value("01/05/2025")
    expect(pagina.get_by_text("No hay datos antes del 01/05/2025: el periodo empieza ese día.")).to_be_visible()
    captura(pagina, "periodo_fuera_de_los_datos")
    pagina.reload()
    esperar_la_ejecucion(pagina, pausa_ms=800)
    expect(pagina.get_by_test_id("stSidebar").get_by_role("textbox", name="Desde")).to_have_value("01/05/2025")
    expect(leyenda).to_contain_text("Del 1 de mayo de 2025 al 31 de octubre de 2026")
