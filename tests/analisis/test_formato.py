"""Formato español de números."""

import pytest

from analisis.formato import cambio_segun_unidad, con_signo, numero, porcentaje, segun_unidad, valor_p


@pytest.mark.parametrize("valor, decimales, esperado", [
    (1234.5, 1, "1.234,5"), (1234567.891, 2, "1.234.567,89"), (0, 0, "0"), (-1234.5, 1, "-1.234,5"),
    (None, 1, "—"), (float("nan"), 2, "—"),
])
def test_numero(valor, decimales, esperado):
    assert numero(valor, decimales) == esperado


def test_porcentaje_y_signo():
    assert porcentaje(0.0) == "0,0 %"
    assert porcentaje(1.0, 0) == "100 %"
    assert con_signo(0.0) == "+0,0"
    assert con_signo(None) == "—"


def test_valor_p():
    assert valor_p(0.00001) == "p < 0,001"
    assert valor_p(0.05) == "p = 0,050"
    assert valor_p(float("nan")) == "—"


def test_unidades():
    assert segun_unidad(1500.0, "minutos") == "1.500,0 min"
    assert segun_unidad(float("nan"), "minutos") == "—"
    assert cambio_segun_unidad(float("nan"), "proporcion") == "—"
    with pytest.raises(ValueError, match="unidad"):
        segun_unidad(1.0, "litros")
    with pytest.raises(ValueError, match="unidad"):
        cambio_segun_unidad(1.0, "litros")
