"""Los nombres de los puntos del mapa de cuadrantes no se pisan, con 1 a 20 etapas y en los peores casos."""

import itertools

import numpy as np
import pytest

from analisis.cadena import Caja, ancho_de_texto, colocar_etiquetas

AREA = (800, 460)
#: Nombres largos como los de la aerolínea de la muestra (hasta 26 caracteres, como los acorta el mapa).
NOMBRES = ["Inflight wifi service", "Departure/Arrival time…", "Ease of Online booking", "Gate location",
           "Food and drink", "Online boarding", "Seat comfort", "Inflight entertainment", "On-board service",
           "Leg room service", "Baggage handling", "Checkin service", "Inflight service", "Cleanliness",
           "Atención inicial", "Diagnóstico", "Solución", "Entrega", "Seguimiento", "Posventa y garantías"]
#: Los nombres de los cuadrantes en las esquinas, que ningún nombre puede tapar.
ESQUINAS = [Caja(0, 0, 130, 21), Caja(700, 0, 800, 21), Caja(0, 439, 130, 460), Caja(670, 439, 800, 460)]


def _puntos(n: int, forma: str, semilla: int) -> tuple[np.ndarray, np.ndarray]:
    """Puntos en píxeles: esparcidos, apiñados en un rincón, todos en el mismo sitio o en fila."""
    rng = np.random.default_rng(semilla)
    if forma == "esparcidos":
        return rng.uniform(20, AREA[0] - 20, n), rng.uniform(20, AREA[1] - 20, n)
    if forma == "apiñados":
        return rng.normal(600, 25, n).clip(5, 795), rng.normal(380, 15, n).clip(5, 455)
    if forma == "iguales":
        return np.full(n, 400.0), np.full(n, 230.0)
    return np.linspace(380, 420, n), np.full(n, 300.0)


def _cajas(tabla) -> list[Caja]:
    return [Caja(f.x0, f.y0, f.x1, f.y1) for f in tabla.itertuples()]


@pytest.mark.parametrize("forma", ["esparcidos", "apiñados", "iguales", "en fila"])
@pytest.mark.parametrize("n", range(1, 21))
def test_ningun_par_de_nombres_se_pisa(n, forma):
    x, y = _puntos(n, forma, semilla=n)
    textos = [f"{i + 1}. {nombre}" for i, nombre in enumerate(NOMBRES[:n])]
    tabla = colocar_etiquetas(x, y, textos, [str(i + 1) for i in range(n)], area=AREA, obstaculos=ESQUINAS)
    cajas = _cajas(tabla)
    assert len(cajas) == n
    assert all(c.dentro(*AREA) for c in cajas)
    assert not any(a.pisa(b, holgura=0) for a, b in itertools.combinations(cajas, 2))
    assert not any(c.pisa(e, holgura=0) for c in cajas for e in ESQUINAS)
    assert set(tabla["texto"]) <= set(textos) | {str(i + 1) for i in range(n)}
    np.testing.assert_allclose((tabla["x0"] + tabla["x1"]) / 2 - x, tabla["dx"])


def test_esparcidos_llevan_el_nombre_completo_junto_a_su_punto():
    x, y = _puntos(14, "esparcidos", semilla=3)
    textos = [f"{i + 1}. {nombre}" for i, nombre in enumerate(NOMBRES[:14])]
    tabla = colocar_etiquetas(x, y, textos, [str(i + 1) for i in range(14)], area=AREA)
    assert (tabla["texto"] == textos).mean() >= 0.9
    cerca = np.hypot(tabla["dx"], tabla["dy"]) < 200
    assert cerca.all()


def test_un_nombre_no_tapa_otro_punto():
    tabla = colocar_etiquetas([100, 150], [100, 100], ["Un nombre bastante largo", "B"], ["1", "2"], area=AREA)
    primero = _cajas(tabla)[0]
    assert not (primero.x0 <= 150 <= primero.x1 and primero.y0 <= 100 <= primero.y1)


def test_argumentos_y_ancho():
    assert ancho_de_texto("abc", 10) == pytest.approx(3 * 0.62 * 10 + 6)
    with pytest.raises(ValueError, match="'x', 'y', 'textos' y 'cortos'"):
        colocar_etiquetas([1], [1, 2], ["a"], ["1"], area=AREA)
