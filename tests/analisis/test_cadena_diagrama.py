"""Geometría del diagrama de la cadena: ninguna caja pisa a otra, a lo sumo siete por fila, flechas entre vecinas."""

import itertools

import pytest

from analisis.cadena.diagrama import MAXIMO_POR_FILA, disponer_cadena, nombre_en_lineas


def _se_pisan(a, b) -> bool:
    return a.x0 < b.x1 and b.x0 < a.x1 and a.y0 < b.y1 and b.y0 < a.y1


@pytest.mark.parametrize("n", range(1, 21))
def test_ninguna_caja_pisa_a_otra_y_las_filas_no_pasan_de_siete(n):
    d = disponer_cadena(n)
    cajas = list(d.cajas.itertuples())
    assert len(cajas) == n
    assert not any(_se_pisan(a, b) for a, b in itertools.combinations(cajas, 2))
    assert d.cajas.groupby("fila").size().max() <= MAXIMO_POR_FILA
    assert (d.cajas["x0"] >= 0).all() and (d.cajas["x1"] <= d.columnas).all()
    assert (d.cajas["y0"] >= 0).all() and (d.cajas["y1"] <= d.filas).all()


@pytest.mark.parametrize("n", [5, 14, 20])
def test_cada_flecha_une_dos_etapas_seguidas_por_sus_bordes(n):
    d = disponer_cadena(n)
    assert len(d.flechas) == n - 1
    for i, flecha in enumerate(d.flechas.itertuples(), start=1):
        antes, despues = d.cajas.iloc[i - 1], d.cajas.iloc[i]
        assert abs(antes["fila"] - despues["fila"]) + abs(antes["columna"] - despues["columna"]) == 1
        assert antes["x0"] <= flecha.ax <= antes["x1"] and antes["y0"] <= flecha.ay <= antes["y1"]
        assert despues["x0"] <= flecha.x <= despues["x1"] and despues["y0"] <= flecha.y <= despues["y1"]


def test_catorce_etapas_van_en_dos_filas_de_siete_y_cinco_en_una():
    catorce, cinco = disponer_cadena(14), disponer_cadena(5)
    assert (catorce.filas, catorce.columnas) == (2, 7)
    assert (cinco.filas, cinco.columnas) == (1, 5)
    assert disponer_cadena(8).columnas == 4  # filas parejas: 4 + 4, no 7 + 1
    with pytest.raises(ValueError, match="'n'"):
        disponer_cadena(0)


def test_los_nombres_largos_se_parten_y_se_acortan():
    assert nombre_en_lineas("Reserva") == "Reserva"
    partido = nombre_en_lineas("Una etapa con un nombre larguísimo que no cabe en tres líneas de una caja")
    lineas = partido.split("<br>")
    assert len(lineas) == 3 and all(len(linea) <= 18 for linea in lineas) and lineas[-1].endswith("…")
