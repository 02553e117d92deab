"""Fórmulas de KPI contra valores calculados a mano."""

import math

import numpy as np
import pytest
from scipy import stats

from analisis import kpis
from analisis.kpis import comparar_medias, comparar_nps, comparar_proporciones, media, nps, proporcion


def test_wilson_valor_conocido():
    # Wilson (1927) para 8 de 10 al 95 %: centro (0,8 + 1,96²/20)/(1 + 1,96²/10)
    e = proporcion(8, 10)
    z = 1.959964
    centro = (0.8 + z**2 / 20) / (1 + z**2 / 10)
    mitad = z * math.sqrt(0.8 * 0.2 / 10 + z**2 / 400) / (1 + z**2 / 10)
    assert e.valor == 0.8 and e.n == 10
    assert e.ic_inf == pytest.approx(centro - mitad, abs=1e-6) == pytest.approx(0.4902, abs=1e-4)
    assert e.ic_sup == pytest.approx(0.9433, abs=1e-4)


def test_wilson_extremos_quedan_en_0_1():
    cero, todo = proporcion(0, 20), proporcion(20, 20)
    assert cero.ic_inf == 0 and 0 < cero.ic_sup < 0.2
    assert todo.ic_sup == 1 and 0.8 < todo.ic_inf < 1


def test_wilson_muestra_vacia_da_nan():
    e = proporcion(0, 0)
    assert e.n == 0 and math.isnan(e.valor) and math.isnan(e.ic_inf)


def test_wilson_nivel_de_confianza_ensancha():
    assert proporcion(30, 100, 0.99).margen > proporcion(30, 100, 0.95).margen > proporcion(30, 100, 0.80).margen


@pytest.mark.parametrize("args, mensaje", [((11, 10), "exitos"), ((-1, 10), "exitos"), ((1, 10, 1.5), "confianza")])
def test_proporcion_valida_argumentos(args, mensaje):
    with pytest.raises(ValueError, match=mensaje):
        proporcion(*args)


def test_nps_y_margen_a_mano():
    # 50 promotores, 30 pasivos, 20 detractores: NPS 30; var = 0,5 + 0,2 − 0,3² = 0,61
    e = nps(50, 30, 20)
    margen = 1.959964 * math.sqrt(0.61 / 100) * 100
    assert e.valor == pytest.approx(30.0)
    assert e.ic_inf == pytest.approx(30 - margen, abs=1e-3)
    assert e.ic_sup == pytest.approx(30 + margen, abs=1e-3)
    assert e.n == 100


def test_nps_coincide_con_simulacion_de_respuestas():
    rng = np.random.default_rng(1)
    puntajes = rng.integers(0, 11, 5000)
    p, d = int((puntajes >= 9).sum()), int((puntajes <= 6).sum())
    indicador = np.where(puntajes >= 9, 100, np.where(puntajes <= 6, -100, 0))
    e = nps(p, len(puntajes) - p - d, d)
    assert e.valor == pytest.approx(indicador.mean())
    assert e.margen == pytest.approx(1.959964 * indicador.std() / math.sqrt(len(puntajes)), rel=1e-4)


def test_nps_todos_promotores_no_sale_de_rango():
    e = nps(40, 0, 0)
    assert e.valor == 100 and e.ic_sup == 100 and e.ic_inf == 100


def test_nps_vacio_y_negativos():
    assert math.isnan(nps(0, 0, 0).valor)
    with pytest.raises(ValueError, match="detractores"):
        nps(1, 1, -1)


def test_media_coincide_con_scipy():
    datos = np.array([4, 5, 3, 5, 4, 2, 5, 4])
    e = media(datos.sum(), (datos**2).sum(), len(datos))
    inf, sup = stats.t.interval(0.95, len(datos) - 1, loc=datos.mean(), scale=stats.sem(datos))
    assert e.valor == pytest.approx(datos.mean())
    assert (e.ic_inf, e.ic_sup) == pytest.approx((inf, sup))


def test_media_constante_y_un_solo_dato():
    constante = media(12.0, 36.0, 4)   # 3, 3, 3, 3
    assert constante.valor == 3 and constante.ic_inf == constante.ic_sup == 3
    uno = media(4.0, 16.0, 1)
    assert uno.valor == 4 and math.isnan(uno.ic_inf)


def test_comparar_proporciones_coincide_con_ji_cuadrado():
    c = comparar_proporciones(60, 100, 45, 100)
    chi2, p, _, _ = stats.chi2_contingency([[60, 40], [45, 55]], correction=False)
    assert c.diferencia == pytest.approx(0.15)
    assert c.p == pytest.approx(p)
    assert c.significativo


def test_comparar_proporciones_sin_cambio_y_vacio():
    assert comparar_proporciones(50, 100, 50, 100).p == pytest.approx(1.0)
    assert not comparar_proporciones(50, 100, 50, 100).significativo
    assert comparar_proporciones(0, 0, 5, 10) is None
    assert comparar_proporciones(10, 10, 10, 10).p == 1.0


def test_comparar_nps_a_mano():
    c = comparar_nps((50, 30, 20), (30, 30, 40))
    z = 0.4 / math.sqrt(0.61 / 100 + 0.69 / 100)
    assert c.diferencia == pytest.approx(40.0)
    assert c.p == pytest.approx(2 * stats.norm.sf(z))
    assert comparar_nps((0, 0, 0), (1, 1, 1)) is None


def test_comparar_medias_coincide_con_welch_de_scipy():
    a, b = np.array([1, 2, 3, 4, 5.0]), np.array([4, 5, 6, 7, 8, 9.0])
    c = comparar_medias((a.sum(), (a**2).sum(), len(a)), (b.sum(), (b**2).sum(), len(b)))
    esperado = stats.ttest_ind(a, b, equal_var=False)
    assert c.diferencia == pytest.approx(a.mean() - b.mean())
    assert c.p == pytest.approx(esperado.pvalue)
    assert comparar_medias((1, 1, 1), (10, 50, 2)) is None


def test_cuantiles_y_colas_rapidos_iguales_a_los_de_scipy_stats():
    """Los atajos de ``scipy.special`` dan exactamente lo que daría ``scipy.stats`` (mismo intervalo, mismo p)."""
    assert kpis._z(0.95) == float(stats.norm.ppf(0.975))
    for n in (2, 5, 31, 400, 100_000):
        e = kpis.media(suma=3.5 * n, suma_cuadrados=13.0 * n, n=n)
        error = math.sqrt(kpis._varianza_muestral(3.5 * n, 13.0 * n, n) / n)
        assert e.ic_sup - e.valor == pytest.approx(float(stats.t.ppf(0.975, n - 1)) * error, rel=1e-12)
    comparacion = kpis.comparar_medias((30.0, 100.0, 10), (50.0, 270.0, 12))
    diferencia, error, grados = kpis._welch((30.0, 100.0, 10), (50.0, 270.0, 12))
    assert comparacion.p == pytest.approx(float(2 * stats.t.sf(abs(diferencia / error), grados)), rel=1e-12)
    assert kpis._p_bilateral_normal(2.1) == pytest.approx(float(2 * stats.norm.sf(2.1)), rel=1e-12)
