"""El periodo de la barra lateral: fechas escritas a la española, ajustadas a los datos con un aviso en español."""

from datetime import date

from analisis.formato import fecha
from tests.apptest import abrir, elegir_periodo, periodo, sin_errores

#: Primer y último día de la demostración pequeña (``base_demo``).
PRIMERA, ULTIMA = date(2025, 5, 1), date(2026, 10, 31)


def _leyenda(at) -> str:
    """La leyenda del Resumen ejecutivo que nombra el periodo que usa («Del … al …»)."""
    return next(c.value for c in at.caption if c.value.startswith("Del "))


def test_escribir_el_periodo_cambia_las_cifras(base_demo):
    at = abrir()
    assert periodo(at) == (date(2026, 8, 3), ULTIMA)
    antes = {m.label: m.value for m in at.metric}
    elegir_periodo(at, "1/9/2026", "30/09/2026")
    sin_errores(at)
    assert periodo(at) == (date(2026, 9, 1), date(2026, 9, 30))
    assert at.sidebar.text_input(key="filtro_desde").value == "01/09/2026"
    assert _leyenda(at).startswith(f"Del {fecha(date(2026, 9, 1))} al {fecha(date(2026, 9, 30))}")
    assert {m.label: m.value for m in at.metric} != antes
    assert not at.sidebar.warning


def test_fecha_fuera_de_los_datos_avisa_y_la_caja_muestra_lo_que_se_usa(base_demo):
    at = elegir_periodo(abrir(), "01/01/2020", "31/12/2030")
    sin_errores(at)
    assert periodo(at) == (PRIMERA, ULTIMA)
    avisos = [w.value for w in at.sidebar.warning]
    assert avisos == ["No hay datos antes del 01/05/2025: el periodo empieza ese día.",
                      "No hay datos después del 31/10/2026: el periodo termina ese día."]
    assert _leyenda(at).startswith(f"Del {fecha(PRIMERA)} al {fecha(ULTIMA)}")


def test_fecha_ilegible_o_al_reves(base_demo):
    at = elegir_periodo(abrir(), "30/09/2026", "1/9/2026")
    assert periodo(at) == (date(2026, 9, 1), date(2026, 9, 30))
    assert "se intercambiaron" in at.sidebar.warning[0].value
    at.sidebar.text_input(key="filtro_desde").input("31/02/2026").run()
    sin_errores(at)
    assert periodo(at) == (date(2026, 9, 1), date(2026, 9, 30))
    assert "no existe" in at.sidebar.warning[0].value
