"""Tarjetas del resumen ejecutivo construidas desde filas agregadas."""

import math
from datetime import date

import pandas as pd
import pytest

from analisis.resumen import KPIS, comparar, describir, estimar, semaforo, serie, tarjetas


def _encuestas(periodo, n_csat=100, suma_csat=400.0, suma2_csat=1700.0, top2=80, n_nps=100, promotores=50,
               detractores=20, n_ces=90, suma_ces=450.0, suma2_ces=2400.0):
    return {"periodo": periodo, "n_respuestas": n_nps, "n_csat": n_csat, "suma_csat": suma_csat,
            "suma2_csat": suma2_csat, "csat_top2": top2, "n_nps": n_nps, "promotores": promotores,
            "detractores": detractores, "n_ces": n_ces, "suma_ces": suma_ces, "suma2_ces": suma2_ces,
            "ces_facil": 60}


def _interacciones(periodo, n=200, promesa=180, fcr=150, mediana=12.0, p90=50.0, sobre=90):
    return {"periodo": periodo, "n_interacciones": n, "n_promesa": n, "promesa_cumplida": promesa, "n_fcr": n,
            "fcr": fcr, "n_respuesta": n, "respuesta_mediana": mediana, "respuesta_p90": p90,
            "sobre_mediana_conjunta": sobre}


METAS = pd.DataFrame({"kpi": ["csat_media", "csat_top2", "nps", "promesa", "respuesta_mediana"],
                      "meta": [4.0, 0.75, 40.0, 0.95, 15.0],
                      "sentido": ["mayor", "mayor", "mayor", "mayor", "menor"]})


def _tarjetas(muestra_minima=30, **cambios):
    enc = pd.DataFrame([_encuestas("actual"), _encuestas("anterior", top2=60, promotores=30, detractores=40)])
    inter = pd.DataFrame([_interacciones("actual"), _interacciones("anterior", mediana=20.0, sobre=130)])
    serie_enc = pd.DataFrame([{**_encuestas(None), "mes": date(2026, m, 1)} for m in (1, 2)]).drop(columns="periodo")
    serie_inter = pd.DataFrame([{**_interacciones(None, n=10, promesa=9, fcr=7), "mes": date(2026, m, 1)} for m in (1, 2)])
    return {t.kpi.clave: t for t in tarjetas(enc, inter, serie_enc, serie_inter, METAS, muestra_minima)}


def test_una_tarjeta_por_kpi_en_orden():
    assert list(_tarjetas()) == [k.clave for k in KPIS]


def test_valores_de_las_tarjetas():
    t = _tarjetas()
    assert t["csat_media"].actual.valor == pytest.approx(4.0)
    assert t["csat_top2"].actual.valor == pytest.approx(0.8)
    assert t["nps"].actual.valor == pytest.approx(30.0)
    assert t["ces_media"].actual.valor == pytest.approx(5.0)
    assert t["promesa"].actual.valor == pytest.approx(0.9)
    assert t["fcr"].actual.valor == pytest.approx(0.75)
    assert t["respuesta_mediana"].actual.valor == 12.0 and t["respuesta_p90"].actual.n == 200


def test_semaforo_y_metas():
    t = _tarjetas()
    assert t["csat_media"].estado == "verde"
    assert t["csat_top2"].estado == "verde"
    assert t["nps"].estado == "rojo"          # 30 frente a 40 con tolerancia 5
    assert t["promesa"].estado == "rojo"      # 0,90 frente a 0,95 con tolerancia 0,03
    assert t["respuesta_mediana"].estado == "verde"
    assert t["fcr"].estado == "sin_meta"


def test_cambios_y_significancia():
    t = _tarjetas()
    assert t["nps"].cambio.diferencia == pytest.approx(40.0) and t["nps"].cambio.significativo
    assert t["csat_top2"].cambio.diferencia == pytest.approx(0.2)
    assert t["csat_media"].cambio.diferencia == 0 and not t["csat_media"].cambio.significativo
    mediana = t["respuesta_mediana"].cambio
    assert mediana.diferencia == pytest.approx(-8.0) and mediana.prueba == "prueba de la mediana de Mood"
    assert mediana.significativo          # 90/200 frente a 130/200 sobre la mediana conjunta
    assert t["respuesta_p90"].cambio is None


def test_muestra_insuficiente_se_marca():
    t = _tarjetas(muestra_minima=150)
    assert not t["csat_media"].suficiente and t["promesa"].suficiente
    assert "Muestra insuficiente (n = 100 < 150)" in describir(t["csat_media"]).aviso
    assert describir(t["promesa"]).aviso is None
    assert not t["promesa"].serie.suficiente.any()


def test_describir_en_espanol():
    t = _tarjetas()
    nps_textos = describir(t["nps"])
    assert nps_textos.valor == "30,0"
    assert nps_textos.cambio == "+40,0 pts"
    assert nps_textos.color_cambio == "normal"
    assert nps_textos.significancia.startswith("Cambio significativo (p")
    assert nps_textos.meta == "Lejos de la meta (40,0)"
    assert nps_textos.intervalo.startswith("IC 95 %: ")
    mediana = describir(t["respuesta_mediana"])
    assert mediana.color_cambio == "inverse" and mediana.cambio == "-8,0 min"
    assert mediana.intervalo == "n = 200"
    p90 = describir(t["respuesta_p90"])
    assert p90.color_cambio == "off" and "Sin prueba" in p90.significancia


def test_sin_periodo_anterior():
    enc = pd.DataFrame([_encuestas("actual")])
    inter = pd.DataFrame([_interacciones("actual")])
    vacia = pd.DataFrame(columns=["mes"])
    t = {x.kpi.clave: x for x in tarjetas(enc, inter, vacia, vacia, METAS, 30)}
    assert t["nps"].cambio is None and t["nps"].anterior.n == 0
    assert "Sin datos del periodo anterior" in describir(t["nps"]).significancia
    assert t["nps"].serie.empty


def test_sin_datos_en_absoluto():
    vacia = pd.DataFrame(columns=["periodo"])
    t = {x.kpi.clave: x for x in tarjetas(vacia, vacia, pd.DataFrame(columns=["mes"]),
                                          pd.DataFrame(columns=["mes"]), METAS, 30)}
    assert math.isnan(t["csat_media"].actual.valor) and t["csat_media"].estado == "sin_datos"
    assert describir(t["csat_media"]).valor == "—"
    assert describir(t["csat_media"]).aviso == "Sin datos en el periodo"


def test_serie_mensual_de_un_kpi():
    filas = pd.DataFrame([{**_encuestas(None, promotores=p), "mes": date(2026, 1 + i, 1)}
                          for i, p in enumerate((10, 60))])
    s = serie("nps", filas, muestra_minima=30)
    assert s.valor.tolist() == pytest.approx([-10.0, 40.0])
    assert s.n.tolist() == [100, 100] and s.suficiente.all()


@pytest.mark.parametrize("argumento", ["kpi_inexistente"])
def test_claves_invalidas(argumento):
    with pytest.raises(ValueError, match="clave"):
        estimar(argumento, {})
    with pytest.raises(ValueError, match="clave"):
        comparar(argumento, {}, {})
    with pytest.raises(ValueError, match="sentido"):
        semaforo(1.0, 2.0, "igual", 0.1)
    with pytest.raises(ValueError, match="muestra_minima"):
        tarjetas(pd.DataFrame(), pd.DataFrame(), pd.DataFrame(), pd.DataFrame(), METAS, 0)


def test_umbral_de_privacidad_oculta_la_cifra_del_segmento():
    enc = pd.DataFrame([_encuestas("actual", n_csat=8, suma_csat=32.0, suma2_csat=130.0, top2=6, n_nps=8,
                                   promotores=4, detractores=2, n_ces=8, suma_ces=40.0, suma2_ces=210.0),
                        _encuestas("anterior")])
    inter = pd.DataFrame([_interacciones("actual"), _interacciones("anterior")])
    meses = pd.DataFrame([{**_encuestas(None, n_csat=5, top2=3, n_nps=5, promotores=2, detractores=1, n_ces=5),
                           "mes": date(2026, 1, 1)}]).drop(columns="periodo")
    t = {x.kpi.clave: x for x in tarjetas(enc, inter, meses, pd.DataFrame(columns=["mes"]), METAS, 30,
                                          privacidad=10)}
    assert t["nps"].oculto and math.isnan(t["nps"].actual.valor) and t["nps"].actual.n == 8
    assert t["nps"].cambio is None and t["nps"].serie["valor"].isna().all()
    textos = describir(t["nps"])
    assert textos.valor == "—" and textos.cambio is None and textos.aviso.startswith("Oculto por privacidad")
    assert not t["promesa"].oculto and t["promesa"].actual.valor == pytest.approx(0.9)
