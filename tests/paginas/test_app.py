"""La aplicación completa en AppTest: base vacía, carga de la demostración y resumen ejecutivo."""

from tests.apptest import abrir, elegir_periodo, periodo, sin_errores


def test_base_vacia_ofrece_demo_y_la_carga(base_vacia):
    at = abrir()
    sin_errores(at)
    assert at.title[0].value == "Resumen ejecutivo"
    assert "vacía" in at.info[0].value
    assert len(at.metric) == 0
    at.button(key="guia_demo").click().run()
    sin_errores(at)
    assert len(at.metric) == 8
    assert any("datos de demostración" in w.value for w in at.warning)
    assert [m.label for m in at.metric][:3] == ["CSAT (media 1–5)", "CSAT top-2-box", "NPS"]


def test_resumen_con_filtros(base_demo):
    at = abrir()
    sin_errores(at)
    completo = {m.label: m.value for m in at.metric}
    assert len(completo) == 8
    assert all(v != "—" for v in completo.values())
    canal = next(m for m in at.sidebar.multiselect if m.label == "Canal")
    canal.select(canal.options[0]).run()
    sin_errores(at)
    filtrado = {m.label: m.value for m in at.metric}
    assert filtrado["NPS"] != completo["NPS"] or filtrado["CSAT (media 1–5)"] != completo["CSAT (media 1–5)"]


def test_filtro_sin_resultados_no_rompe(base_demo):
    at = abrir()
    inicio = periodo(at)[0]
    elegir_periodo(at, inicio, inicio)
    equipo = next(m for m in at.sidebar.multiselect if m.label == "Equipo")
    equipo.select(equipo.options[-1]).run()
    sin_errores(at)
    assert len(at.metric) == 8
    textos = [m.value for m in at.markdown]
    assert any("Muestra insuficiente" in t or "Sin datos" in t for t in textos), textos
