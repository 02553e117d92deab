"""Tendencias: estadísticos con valores conocidos, consultas por periodo y desglose, caída sembrada y página."""

import math
from datetime import date, timedelta

import numpy as np
import pandas as pd
import pytest

from analisis import tendencias
from analisis.kpis import Comparacion, Estimacion
from datos import demo
from datos.consultas import resumen as consultas_resumen
from datos.consultas import tendencias as consultas_tendencias
from datos.almacen.conexion import Almacen
from datos.consultas.filtros import Filtros
from tests.apptest import abrir, elegir_periodo, periodo, sin_errores

# ---------------------------------------------------------------------------
# Mann-Kendall y pendiente de Sen
# ---------------------------------------------------------------------------

CON_EMPATES = [10, 12, 12, 11, 15, 13, 16, 16, 14, 18]


def test_mann_kendall_a_mano_con_empates():
    # S contado a mano, par por par, para cada i (posteriores mayores − menores):
    # 9 + 5 + 5 + 6 + 1 + 4 + 0 + 0 + 1 = 31. Empates: dos 12 y dos 16, cada grupo aporta
    # t(t−1)(2t+5) = 2·1·9 = 18, así que Var(S) = (10·9·25 − 36)/18 = 123.
    # Z = (31 − 1)/√123 = 2,70501; p = 2·(1 − Φ(Z)) = 0,006830. Los mismos números da
    # pymannkendall 1.4.3 (original_test), calculados una vez para esta prueba.
    r = tendencias.mann_kendall(CON_EMPATES)
    assert (r.n, r.s, r.varianza) == (10, 31, 123.0)
    assert r.z == pytest.approx(30 / math.sqrt(123))
    assert r.z == pytest.approx(2.705008904, abs=1e-9)
    assert r.p == pytest.approx(0.0068302559, abs=1e-9)
    assert r.tau == pytest.approx(31 / 45)
    assert r.pendiente == 0.75
    assert r.tendencia == "creciente"


def test_mann_kendall_decreciente_coincide_con_pymannkendall():
    valores = [4.1, 4.0, 4.0, 3.8, 3.9, 3.7, 3.7, 3.7, 3.5, 3.6, 3.6, 3.4]
    r = tendencias.mann_kendall(valores)
    # pymannkendall 1.4.3: s = -55, var_s = 207, z = -3.75326, p = 0.00017455, slope = -0.0563492
    assert (r.s, r.varianza) == (-55, 207.0)
    assert r.z == pytest.approx(-3.7532594530, abs=1e-9)
    assert r.p == pytest.approx(0.00017455003, abs=1e-10)
    assert r.pendiente == pytest.approx(-0.0563492063, abs=1e-9)
    assert r.tendencia == "decreciente"


def test_mann_kendall_sin_tendencia_con_alfa_estricto():
    assert tendencias.mann_kendall(CON_EMPATES, alfa=0.001).tendencia == "sin tendencia"


@pytest.mark.parametrize("valores, s", [([], 0), ([3.0], 0), ([1.0, 2.0], 1), ([np.nan, np.nan], 0)])
def test_mann_kendall_muy_corto_no_prueba(valores, s):
    r = tendencias.mann_kendall(valores)
    assert r.s == s and math.isnan(r.p) and r.tendencia == "sin tendencia"


def test_mann_kendall_constante():
    r = tendencias.mann_kendall([3, 3, 3, 3, 3])
    assert (r.s, r.varianza, r.p, r.pendiente, r.tendencia) == (0, 0.0, 1.0, 0.0, "sin tendencia")


def test_mann_kendall_ignora_faltantes_y_valida():
    assert tendencias.mann_kendall([1, np.nan, 2, 3, 4, 5]).s == 10
    with pytest.raises(ValueError, match="'alfa'"):
        tendencias.mann_kendall([1, 2, 3], alfa=1.5)
    with pytest.raises(ValueError, match="'valores'"):
        tendencias.mann_kendall([[1, 2], [3, 4]])


def test_pendiente_sen_respeta_la_posicion_de_los_faltantes():
    assert tendencias.pendiente_sen([1.0, np.nan, 3.0]) == 1.0
    assert tendencias.pendiente_sen([1, 2, 3, 10]) == 2.0
    assert math.isnan(tendencias.pendiente_sen([5.0]))


# ---------------------------------------------------------------------------
# Puntos de cambio
# ---------------------------------------------------------------------------

def test_cambio_sembrado_en_indice_conocido():
    rng = np.random.default_rng(3)
    valores = np.concatenate([rng.normal(10, 1, 30), rng.normal(12.5, 1, 25)])
    cortes = tendencias.puntos_de_cambio(valores)
    assert len(cortes) == 1 and abs(cortes[0] - 30) <= 1


def test_caida_y_recuperacion_con_pesos():
    rng = np.random.default_rng(5)
    n = rng.integers(40, 200, 60)
    medias = np.where((np.arange(60) >= 25) & (np.arange(60) < 35), 0.65, 0.89)
    valores = rng.binomial(n, medias) / n
    cortes = tendencias.puntos_de_cambio(valores, pesos=n, varianza=0.89 * 0.11)
    assert len(cortes) == 2
    assert abs(cortes[0] - 25) <= 1 and abs(cortes[1] - 35) <= 1


def test_ruido_sin_cambios_casi_nunca_corta():
    # Con la varianza de muestreo conocida (como en ``cambios``), ≈1 % de series de puro ruido tienen algún corte.
    series = [np.random.default_rng(s).normal(0, 1, 52) for s in range(100)]
    assert sum(bool(tendencias.puntos_de_cambio(x, varianza=1.0)) for x in series) <= 3


@pytest.mark.parametrize("valores", [[], [1.0], [2.0, 2.0, 2.0, 2.0, 2.0, 2.0]])
def test_sin_cambio_en_series_cortas_o_constantes(valores):
    assert tendencias.puntos_de_cambio(valores) == []


def test_escalon_sin_ruido():
    assert tendencias.puntos_de_cambio([0, 0, 0, 0, 5, 5, 5, 5]) == [4]


def test_puntos_de_cambio_valida():
    with pytest.raises(ValueError, match="sin NaN"):
        tendencias.puntos_de_cambio([1.0, np.nan, 2.0])
    with pytest.raises(ValueError, match="'pesos'"):
        tendencias.puntos_de_cambio([1.0, 2.0, 3.0], pesos=[1, 0, 1])
    with pytest.raises(ValueError, match="'minimo'"):
        tendencias.puntos_de_cambio([1.0, 2.0], minimo=0)


# ---------------------------------------------------------------------------
# Estimaciones, frases y tablas
# ---------------------------------------------------------------------------

def test_intervalo_del_nps_a_mano():
    # pP = 0,5, pD = 0,2: varianza por respuesta 0,5 + 0,2 − 0,3² = 0,61; margen 1,96·√(0,61/100)·100 = 15,31
    e = tendencias.estimar_indicador("nps", {"promotores": 50, "detractores": 20, "n_nps": 100})
    assert e.valor == pytest.approx(30.0)
    assert e.margen == pytest.approx(1.959964 * math.sqrt(0.61 / 100) * 100, abs=1e-3)
    assert e.n == 100


def test_estimaciones_de_los_indicadores_nuevos():
    quejas = tendencias.estimar_indicador("tasa_quejas", {"quejas": 8, "n_motivo": 10})
    assert (quejas.valor, round(quejas.ic_inf, 4), round(quejas.ic_sup, 4)) == (0.8, 0.4902, 0.9433)
    fila = {"resolucion_p90": 70.5, "n_resolucion": 40}
    assert tendencias.estimar_indicador("resolucion_p90", fila) == Estimacion(70.5, math.nan, math.nan, 40) or \
        math.isnan(tendencias.estimar_indicador("resolucion_p90", fila).ic_inf)
    con_ic = tendencias.estimar_indicador("respuesta_mediana", {"respuesta_mediana": 12.0, "n_respuesta": 100,
                                                                "ic_inf": 10.0, "ic_sup": 14.5})
    assert (con_ic.valor, con_ic.ic_inf, con_ic.ic_sup, con_ic.n) == (12.0, 10.0, 14.5, 100)
    with pytest.raises(ValueError, match="'clave'"):
        tendencias.estimar_indicador("otro", {})


def test_comparar_quejas_y_mediana_de_resolucion():
    c = tendencias.comparar_indicador("tasa_quejas", {"quejas": 60, "n_motivo": 100}, {"quejas": 45, "n_motivo": 100})
    assert (round(c.diferencia, 2), round(c.p, 4)) == (0.15, 0.0337)
    mood = tendencias.comparar_indicador(
        "resolucion_mediana",
        {"resolucion_sobre_mediana_conjunta": 60, "n_resolucion": 100, "resolucion_mediana": 14.0},
        {"resolucion_sobre_mediana_conjunta": 45, "n_resolucion": 100, "resolucion_mediana": 11.0})
    assert mood.prueba == "prueba de la mediana de Mood" and mood.diferencia == 3.0 and round(mood.p, 4) == 0.0337
    assert tendencias.comparar_indicador("resolucion_p90", {}, {}) is None


def test_frase_del_cambio_como_pide_el_producto():
    cambio = tendencias.Cambio(date(2026, 3, 3), Estimacion(40.0, 35, 45, 300), Estimacion(28.0, 22, 34, 200),
                               Comparacion(-12.0, 0.004, "prueba z de la diferencia de NPS"))
    assert tendencias.describir_cambio("nps", cambio, "Sucursal Norte") == (
        "El NPS de Sucursal Norte bajó 12,0 puntos desde el 3 de marzo de 2026 (cambio significativo, p < 0,01).")
    ruido = tendencias.Cambio(date(2026, 5, 4), Estimacion(0.80, 0, 1, 90), Estimacion(0.83, 0, 1, 90),
                              Comparacion(0.03, 0.2, "prueba z"))
    assert tendencias.describir_cambio("promesa", ruido) == (
        "El cumplimiento de la promesa subió 3,0 puntos porcentuales desde el 4 de mayo de 2026 "
        "(cambio no significativo, p = 0,200: puede ser ruido).")


def test_frase_de_la_tendencia():
    # Pendientes entre pares, en pp: −2, −1,5 (×2), −1,33 (×3), −1,25 (×2), −1,2 y −1 (×6):
    # la mediana (la 8.ª de 15) es −1,25.
    r = tendencias.mann_kendall([0.90, 0.89, 0.88, 0.86, 0.85, 0.84])
    assert tendencias.describir_tendencia("fcr", r, "semana", "Equipo Andes") == (
        "La resolución al primer contacto de Equipo Andes tiene tendencia decreciente (Mann-Kendall, p < 0,01): "
        "baja 1,25 puntos porcentuales por semana según la pendiente de Sen.")
    plano = tendencias.mann_kendall([1, 2, 1, 2, 1, 2])
    assert "no muestra una tendencia significativa" in tendencias.describir_tendencia("nps", plano, "mes")


def _filas_serie(valores_por_grupo: dict[str, list[tuple[int, int]]]) -> pd.DataFrame:
    """Filas como las de serie_tendencia_interacciones con (promesa_cumplida, n_promesa) por mes."""
    filas = []
    for grupo, pares in valores_por_grupo.items():
        for i, (exitos, n) in enumerate(pares):
            filas.append({"periodo": date(2025, 1 + i % 12, 1) + timedelta(days=366 * (i // 12)), "grupo": grupo,
                          "promesa_cumplida": exitos, "n_promesa": n})
    return pd.DataFrame(filas)


def test_serie_marca_los_puntos_insuficientes():
    filas = _filas_serie({"Total": [(90, 100), (5, 10), (80, 100)]})
    serie = tendencias.serie_indicador("promesa", filas, 30)
    assert serie["n"].tolist() == [100, 10, 100]
    assert serie["suficiente"].tolist() == [True, False, True]
    assert serie["valor"].tolist() == pytest.approx([0.9, 0.5, 0.8])
    with pytest.raises(ValueError, match="'muestra_minima'"):
        tendencias.serie_indicador("promesa", filas, 0)


def test_cambios_y_ranking_por_grupo():
    caida = [(90, 100)] * 6 + [(60, 100)] * 6
    estable = [(88, 100), (90, 100)] * 6
    filas = _filas_serie({"Norte": caida, "Sur": estable})
    diagnosticos = tendencias.diagnosticar("promesa", filas, "mes", muestra_minima=30)
    norte, sur = diagnosticos
    assert [c.periodo for c in norte.cambios] == [date(2025, 7, 1)]
    assert norte.cambios[0].diferencia == pytest.approx(-0.30)
    assert norte.cambios[0].comparacion.p < 0.001
    assert sur.cambios == ()
    assert "Norte bajó 30,0 puntos porcentuales desde el 1 de julio de 2025" in " ".join(
        tendencias.frases_destacadas(diagnosticos))
    comparacion = pd.DataFrame([
        {"periodo": "actual", "grupo": "Norte", "promesa_cumplida": 60, "n_promesa": 100},
        {"periodo": "anterior", "grupo": "Norte", "promesa_cumplida": 90, "n_promesa": 100},
        {"periodo": "actual", "grupo": "Sur", "promesa_cumplida": 91, "n_promesa": 100},
        {"periodo": "anterior", "grupo": "Sur", "promesa_cumplida": 89, "n_promesa": 100},
        {"periodo": "actual", "grupo": "Este", "promesa_cumplida": 5, "n_promesa": 10},
    ])
    ranking = tendencias.ranking_de_cambios("promesa", comparacion, muestra_minima=30, sentido="mayor",
                                            diagnosticos=diagnosticos)
    assert ranking["grupo"].tolist() == ["Norte", "Sur", "Este"]
    assert ranking.loc[0, "significativo"] and not ranking.loc[1, "significativo"]
    assert not ranking.loc[2, "suficiente"] and math.isnan(ranking.loc[2, "cambio"])
    invertido = tendencias.ranking_de_cambios("promesa", comparacion, muestra_minima=30, sentido="menor")
    assert invertido["grupo"].tolist() == ["Sur", "Norte", "Este"]
    texto = tendencias.formatear_ranking(ranking, "promesa")
    assert texto.loc[0, "Cambio"] == "-30,0 pp" and texto.loc[0, "Elegido"] == "60,0 %"
    assert texto.loc[0, "Significativo"].startswith("Sí (p ") and texto.loc[1, "Significativo"].startswith("No (p ")
    with pytest.raises(ValueError, match="'sentido'"):
        tendencias.ranking_de_cambios("promesa", comparacion, muestra_minima=30, sentido="igual")


def test_movil_suma_ventanas_de_dias():
    filas = pd.DataFrame({"periodo": [date(2026, 1, 1), date(2026, 1, 2), date(2026, 1, 4)], "grupo": "Total",
                          "promesa_cumplida": [1, 2, 4], "n_promesa": [2, 2, 4], "respuesta_mediana": [5.0, 6, 7]})
    ventana = tendencias.movil(filas, 2)
    assert ventana["periodo"].dt.date.tolist() == [date(2026, 1, 2), date(2026, 1, 3), date(2026, 1, 4)]
    assert ventana["promesa_cumplida"].tolist() == [3, 2, 4]
    assert ventana["n_promesa"].tolist() == [4, 2, 4]
    assert "respuesta_mediana" not in ventana
    assert tendencias.movil(filas.iloc[0:0], 7).empty
    with pytest.raises(ValueError, match="'dias'"):
        tendencias.movil(filas, 0)


def test_distribucion_divergente_csat_y_nps():
    csat = pd.DataFrame({"periodo": [date(2026, 1, 1)] * 4, "calificacion": [1, 3, 4, 5], "n": [2, 2, 4, 2]})
    tabla = tendencias.distribucion_divergente(csat, "csat")
    assert tabla["categoria"].tolist() == ["1", "2", "3", "4", "5"]
    assert tabla["lado"].tolist() == ["negativo", "negativo", "neutro", "positivo", "positivo"]
    assert tabla["distancia"].tolist() == [2, 1, 0, 1, 2]
    assert tabla["proporcion"].tolist() == pytest.approx([0.2, 0.0, 0.2, 0.4, 0.2])
    nps = pd.DataFrame({"periodo": [date(2026, 1, 1)] * 4, "calificacion": [0, 6, 8, 10], "n": [1, 1, 1, 2]})
    grupos = tendencias.distribucion_divergente(nps, "nps").set_index("categoria")["n"]
    assert grupos.to_dict() == {"Detractores (0–6)": 2, "Pasivos (7–8)": 1, "Promotores (9–10)": 2}
    assert tendencias.notas_de_categoria("nps", "Pasivos (7–8)") == (7, 8)
    with pytest.raises(ValueError, match="'medida'"):
        tendencias.distribucion_divergente(csat, "otra")


def test_rangos_de_fechas_y_detalle():
    filtros = Filtros(date(2026, 1, 10), date(2026, 10, 31), sucursales=("Norte",))
    assert tendencias.filtros_de_horizonte(filtros, "12_meses").desde == date(2025, 11, 1)
    assert tendencias.filtros_de_horizonte(filtros, "todo").desde is None
    assert tendencias.filtros_de_horizonte(filtros, "periodo") == filtros
    punto = tendencias.filtros_de_punto(filtros, date(2026, 1, 5), "semana")
    assert (punto.desde, punto.hasta, punto.sucursales) == (date(2026, 1, 10), date(2026, 1, 11), ("Norte",))
    assert tendencias.filtros_de_punto(filtros, date(2026, 4, 1), "trimestre").hasta == date(2026, 6, 30)
    pedido = tendencias.consulta_de_detalle(
        "promesa", {"periodo": date(2026, 3, 1), "grupo": "Norte", "categoria": None}, filtros,
        periodicidad="mes", desglose="sucursal", medida="csat", texto="tarde", limite=50)
    assert pedido.origen == "interacciones"
    assert (pedido.desglose, pedido.grupo, pedido.texto, pedido.limite) == ("sucursal", "Norte", "tarde", 50)
    pedido = tendencias.consulta_de_detalle(
        "promesa", {"periodo": date(2026, 3, 1), "grupo": None, "categoria": "Detractores (0–6)"}, filtros,
        periodicidad="mes", desglose=None, medida="nps")
    assert pedido.origen == "encuestas" and (pedido.medida, pedido.notas) == ("nps", tuple(range(7)))
    with pytest.raises(ValueError, match="'horizonte'"):
        tendencias.filtros_de_horizonte(filtros, "siempre")


# ---------------------------------------------------------------------------
# Consultas: mismas cuentas que el resumen, desgloses completos, percentiles y detalle
# ---------------------------------------------------------------------------

@pytest.fixture(scope="module")
def demo_pequena(demo_compartida):
    """Backend Ibis de la demostración a escala 0,05 (2.500 interacciones), compartida y de solo lectura."""
    return demo_compartida(escala=0.05).ibis()


def test_serie_mensual_coincide_con_la_del_resumen(demo_pequena):
    filtros = Filtros(date(2025, 11, 1), date(2026, 10, 31))
    for propia, del_resumen in ((consultas_tendencias.serie_tendencia_encuestas, consultas_resumen.serie_encuestas),
                                (consultas_tendencias.serie_tendencia_interacciones,
                                 consultas_resumen.serie_interacciones)):
        nueva = propia(demo_pequena, filtros, "mes").to_pandas()
        vieja = del_resumen(demo_pequena, filtros).to_pandas()
        columnas = [c for c in vieja.columns if c != "mes"]
        pd.testing.assert_frame_equal(nueva[columnas].reset_index(drop=True), vieja[columnas], check_dtype=False)
        assert (nueva["grupo"] == "Total").all()


@pytest.mark.parametrize("desglose", consultas_tendencias.DESGLOSES)
def test_los_desgloses_no_pierden_ni_duplican_filas(demo_pequena, desglose):
    filtros = Filtros(date(2026, 1, 1), date(2026, 6, 30), canales=("Teléfono", "Chat"))
    for serie, conteo in ((consultas_tendencias.serie_tendencia_encuestas, "n_respuestas"),
                          (consultas_tendencias.serie_tendencia_interacciones, "n_interacciones")):
        total = serie(demo_pequena, filtros, "trimestre").to_pandas()[conteo].sum()
        partida = serie(demo_pequena, filtros, "trimestre", desglose).to_pandas()
        assert partida[conteo].sum() == total
        assert partida["grupo"].notna().all()


def test_comparacion_sin_desglose_coincide_con_el_resumen(demo_pequena):
    filtros = Filtros(date(2026, 2, 1), date(2026, 4, 30))
    nueva = consultas_tendencias.comparacion_interacciones(demo_pequena, filtros).to_pandas()
    nueva = nueva.set_index("periodo").sort_index()
    vieja = consultas_resumen.resumen_interacciones(demo_pequena, filtros).to_pandas().set_index("periodo").sort_index()
    pd.testing.assert_frame_equal(nueva[vieja.columns], vieja, check_dtype=False)


def test_distribucion_cuenta_todas_las_respuestas(demo_pequena):
    filtros = Filtros(date(2026, 1, 1), date(2026, 3, 31))
    dist = consultas_tendencias.distribucion_calificaciones(demo_pequena, filtros, "mes", "nps").to_pandas()
    serie = consultas_tendencias.serie_tendencia_encuestas(demo_pequena, filtros, "mes").to_pandas()
    assert dist["n"].sum() == serie["n_nps"].sum()
    assert set(dist["calificacion"]) <= set(range(11))
    with pytest.raises(ValueError, match="'medida'"):
        consultas_tendencias.distribucion_calificaciones(demo_pequena, filtros, "mes", "edad")


def test_el_detalle_del_pedido_es_la_consulta_de_su_origen(demo_pequena):
    filtros = Filtros(date(2026, 1, 1), date(2026, 3, 31))
    barra = tendencias.consulta_de_detalle(
        "nps", {"periodo": date(2026, 1, 1), "grupo": None, "categoria": "Detractores (0–6)"}, filtros,
        periodicidad="trimestre", desglose=None, medida="nps", limite=50)
    esperada = consultas_tendencias.detalle_encuestas(demo_pequena, barra.filtros, None, None, "nps", tuple(range(7)),
                                                      "", 50)
    punto = tendencias.consulta_de_detalle(
        "promesa", {"periodo": date(2026, 2, 1), "grupo": "Sucursal Norte", "categoria": None}, filtros,
        periodicidad="mes", desglose="sucursal", medida="csat", limite=50)
    esperado = consultas_tendencias.detalle_interacciones(demo_pequena, punto.filtros, "sucursal", "Sucursal Norte",
                                                          "", 50)
    for pedido, directa in ((barra, esperada), (punto, esperado)):
        resuelta = consultas_tendencias.detalle(demo_pequena, pedido)
        assert resuelta.equals(directa)


def test_detalle_con_limite_grupo_notas_y_texto(demo_pequena):
    filtros = Filtros(date(2026, 1, 1), date(2026, 3, 31))
    filas = consultas_tendencias.detalle_encuestas(demo_pequena, filtros, "sucursal", "Sucursal Norte", "csat", (1, 2),
                                                   "", 5).to_pandas()
    assert len(filas) <= 5 and set(filas["csat"]) <= {1.0, 2.0} and (filas["grupo"] == "Sucursal Norte").all()
    assert filas["fecha"].is_monotonic_decreasing
    con_texto = consultas_tendencias.detalle_interacciones(demo_pequena, filtros, None, None, "ENTREGA", 50).to_pandas()
    assert len(con_texto) and con_texto["comentario"].str.lower().str.contains("entrega").all()
    with pytest.raises(ValueError, match="'limite'"):
        consultas_tendencias.detalle_encuestas(demo_pequena, filtros, limite=0)
    with pytest.raises(ValueError, match="'desglose'"):
        consultas_tendencias.serie_tendencia_encuestas(demo_pequena, filtros, "mes", "color")
    with pytest.raises(ValueError, match="'periodicidad'"):
        consultas_tendencias.serie_tendencia_encuestas(demo_pequena, filtros, "hora")


def test_intervalo_de_la_mediana_por_estadisticos_de_orden(almacen_memoria):
    # 100 tiempos 1..100 en un mismo día: nq = 50, 1,96·√(100·0,25) = 9,8,
    # así que los rangos son ⌈40,2⌉ = 41 y ⌈59,8⌉ = 60.
    con = almacen_memoria.cursor()
    con.execute("INSERT INTO cargas (carga_id, tipo) VALUES (1, 'prueba')")
    con.execute("INSERT INTO interacciones (interaccion_id, fecha_inicio, tiempo_respuesta_min, tiempo_resolucion_h, "
                "carga_id) SELECT 'I' || i, TIMESTAMP '2026-01-05 10:00:00', i, 101 - i, 1 FROM range(1, 101) t(i)")
    ibis_con = almacen_memoria.ibis()
    mediana = consultas_tendencias.intervalo_percentil(ibis_con, Filtros(), "dia", None, "tiempo_respuesta_min",
                                                       0.5).to_pandas()
    assert (mediana.loc[0, "ic_inf"], mediana.loc[0, "ic_sup"]) == (41.0, 60.0)
    # p90: nq = 90, 1,96·√(100·0,09) = 5,88 → rangos ⌈84,12⌉ = 85 y ⌈95,88⌉ = 96.
    p90 = consultas_tendencias.intervalo_percentil(ibis_con, Filtros(), "dia", None, "tiempo_resolucion_h",
                                                   0.9).to_pandas()
    assert (p90.loc[0, "ic_inf"], p90.loc[0, "ic_sup"]) == (85.0, 96.0)
    with pytest.raises(ValueError, match="'medida'"):
        consultas_tendencias.intervalo_percentil(ibis_con, Filtros(), "dia", None, "csat", 0.5)


# ---------------------------------------------------------------------------
# La caída y recuperación sembradas en Sucursal Norte
# ---------------------------------------------------------------------------

@pytest.fixture(scope="module")
def demo_completa(demo_compartida):
    """Backend Ibis de la demostración a escala 1 (50.000 interacciones), compartida y de solo lectura."""
    return demo_compartida(escala=1).ibis()


def _lunes(dia: date) -> date:
    return dia - timedelta(days=dia.weekday())


@pytest.mark.parametrize("clave, consulta", [("promesa", consultas_tendencias.serie_tendencia_interacciones),
                                             ("nps", consultas_tendencias.serie_tendencia_encuestas)])
def test_la_caida_sembrada_se_encuentra_en_sus_fechas(demo_completa, clave, consulta):
    filas = consulta(demo_completa, Filtros(), "semana", "sucursal").to_pandas()
    por_grupo = {d.grupo: d for d in tendencias.diagnosticar(clave, filas, "semana", muestra_minima=30)}
    norte = por_grupo.pop(demo.SUCURSAL_CAIDA)
    caida, recuperacion = norte.cambios
    inicio, fin = _lunes(demo.CAIDA_INICIO), _lunes(demo.CAIDA_FIN + timedelta(days=1))
    assert abs((caida.periodo - inicio).days) <= 7, caida.periodo
    assert abs((recuperacion.periodo - fin).days) <= 7, recuperacion.periodo
    assert caida.diferencia < 0 < recuperacion.diferencia
    assert caida.comparacion.p < 0.01 and recuperacion.comparacion.p < 0.01
    assert all(not d.cambios for d in por_grupo.values()), {g: d.cambios for g, d in por_grupo.items()}
    assert f"de {demo.SUCURSAL_CAIDA} bajó" in tendencias.describir_cambio(clave, caida, demo.SUCURSAL_CAIDA)


def test_la_caida_mensual_cae_en_enero_y_se_recupera_en_abril(demo_completa):
    filas = consultas_tendencias.serie_tendencia_encuestas(demo_completa, Filtros(sucursales=(demo.SUCURSAL_CAIDA,)),
                                                           "mes").to_pandas()
    (diagnostico,) = tendencias.diagnosticar("nps", filas, "mes", muestra_minima=30)
    assert [c.periodo for c in diagnostico.cambios] == [date(2026, 1, 1), date(2026, 4, 1)]
    assert diagnostico.cambios[0].diferencia < -10


# ---------------------------------------------------------------------------
# Página (AppTest) con las combinaciones de filtros de estas pruebas
# ---------------------------------------------------------------------------

def _elegir(at, etiqueta, valor):
    next(w for w in at.selectbox if w.label == etiqueta).set_value(valor).run()


def test_pagina_por_defecto(base_demo):
    at = abrir("paginas/tendencias.py")
    sin_errores(at)
    assert at.title[0].value == "Tendencias"
    assert [s.value for s in at.subheader] == ["¿Es real?", "Cambio frente al periodo anterior",
                                               "Distribución de las calificaciones", "Detalle", "Alertas"]
    assert "Mann-Kendall" in at.markdown[0].value
    assert len(at.get("plotly_chart")) == 2
    assert len(at.get("download_button")) == 8


@pytest.mark.parametrize("clave, desglose, horizonte, periodicidad, vista", [
    ("promesa", "sucursal", "todo", "semana", 0),
    ("respuesta_p90", "equipo", "12_meses", "mes", 0),
    ("resolucion_mediana", None, "periodo", "dia", 7),
    ("tasa_quejas", "motivo", "12_meses", "trimestre", 28),
    ("csat_top2", "segmento", "todo", "mes", 28),
])
def test_pagina_con_combinaciones(base_demo, clave, desglose, horizonte, periodicidad, vista):
    at = abrir("paginas/tendencias.py")
    _elegir(at, "Indicador", clave)
    _elegir(at, "Desglose", desglose)
    _elegir(at, "Horizonte", horizonte)
    next(r for r in at.radio if r.label == "Periodicidad").set_value(periodicidad).run()
    next(r for r in at.radio if r.label == "Vista").set_value(vista).run()
    sin_errores(at)
    assert len(at.get("plotly_chart")) == 2
    if vista and clave in tendencias.PERCENTILES:
        assert any("vista móvil no está disponible" in i.value for i in at.info)
    if clave == "promesa" and desglose == "sucursal":
        assert "Sucursal Norte bajó" in at.markdown[0].value


def test_pagina_con_filtros_laterales_sin_datos(base_demo):
    at = abrir("paginas/tendencias.py")
    inicio = periodo(at)[0]
    elegir_periodo(at, inicio, inicio)
    _elegir(at, "Horizonte", "periodo")
    canal = next(m for m in at.sidebar.multiselect if m.label == "Canal")
    canal.select(canal.options[0]).run()
    equipo = next(m for m in at.sidebar.multiselect if m.label == "Equipo")
    equipo.select(equipo.options[-1]).run()
    sin_errores(at)


def test_pagina_guarda_las_reglas(base_demo):
    at = abrir("paginas/tendencias.py")
    boton = next(b for b in at.button if b.label == "Guardar reglas")
    boton.click().run()
    sin_errores(at)
    assert any("Reglas guardadas" in t.value for t in at.toast)
    almacen = Almacen(str(base_demo))
    anotadas = almacen.cursor().execute(
        "SELECT usuario, accion, detalle FROM bitacora WHERE accion = 'cambiar configuración'").fetchall()
    almacen.cerrar()
    assert anotadas == []  # las mismas reglas: ningún cambio que anotar (los cambios: tests/ajustes/test_bitacora.py)
