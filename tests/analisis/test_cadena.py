"""El eslabón más débil: pesos relativos, bootstrap, desempeño, vista operativa, consultas y página."""

import math
from datetime import date

import numpy as np
import pandas as pd
import pytest
from scipy import optimize

from analisis.cadena import modelo
from analisis.cadena import (RESULTADOS, ClasificacionCadena, ResultadoCadena, analizar_cadena, cajas_cadena,
                             clasificar_etapas, comparar_segmentos, configuracion_cadena,
                             desempeno_por_etapa, describir, escala_de_calificaciones, tabla_desempeno,
                             tabla_importancia, tabla_operativa, tabla_segmentos, tabla_tiempos,
                             vista_operativa)
from datos import demo
from datos.consultas import cadena as consultas_cadena
from datos.consultas.filtros import Filtros
from analisis.errores import MuestraInsuficiente
from tests.apptest import abrir, elegir_periodo, periodo, recorrer_pestanas, sin_errores

CSAT = RESULTADOS[0]
SATISFECHO = next(r for r in RESULTADOS if r.tipo == "binario")


# ---------------------------------------------------------------------------
# Referencias independientes (siguiendo los artículos paso a paso)
# ---------------------------------------------------------------------------

def _ortogonal(x: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Johnson (2000), ec. 7: Z = U·Vᵀ (SVD de X estandarizada) y Λ = (ZᵀZ)⁻¹ZᵀX."""
    xs = (x - x.mean(0)) / x.std(0, ddof=1)
    u, _, vt = np.linalg.svd(xs, full_matrices=False)
    z = u @ vt
    z = (z - z.mean(0)) / z.std(0, ddof=1)
    return z, np.linalg.solve(z.T @ z, z.T @ xs)


def _johnson(x: np.ndarray, y: np.ndarray) -> np.ndarray:
    """Pesos relativos de Johnson (2000) con datos completos."""
    z, lam = _ortogonal(x)
    beta = np.linalg.lstsq(z, (y - y.mean()) / y.std(ddof=1), rcond=None)[0]
    return (lam ** 2).T @ beta ** 2


def _logistica(diseno: np.ndarray, y: np.ndarray) -> np.ndarray:
    """Máxima verosimilitud logística por BFGS (independiente del Newton del módulo)."""
    def menos_logver(b):
        eta = diseno @ b
        return np.sum(np.logaddexp(0, eta) - y * eta), diseno.T @ (1 / (1 + np.exp(-eta)) - y)
    return optimize.minimize(menos_logver, np.zeros(diseno.shape[1]), jac=True, method="BFGS",
                             options={"gtol": 1e-10, "maxiter": 10_000}).x


def _tonidandel_lebreton(x: np.ndarray, y: np.ndarray) -> np.ndarray:
    """Pesos relativos logísticos (Tonidandel y LeBreton 2010), como ``rwa_logit`` del paquete R rwa."""
    z, lam = _ortogonal(x)
    b = _logistica(np.column_stack([np.ones(len(y)), z]), y)
    prob = 1 / (1 + np.exp(-(b[0] + z @ b[1:])))
    r2 = np.corrcoef(prob, y)[0, 1] ** 2
    beta = b[1:] * math.sqrt(r2) / np.std(np.log(prob / (1 - prob)), ddof=1)
    return (lam ** 2).T @ beta ** 2


def _sintetico(n=20_000, pesos=(0.10, 0.15, 0.20, 0.50, 0.05), medias=(4.0, 4.0, 3.9, 3.2, 4.1), carga=0.7,
               ruido=0.5, semilla=0, vacias=0.0):
    """Etapas correlacionadas (factor común de carga ``carga``) y un resultado con coeficientes conocidos."""
    rng = np.random.default_rng(semilla)
    k = len(pesos)
    x = np.asarray(medias) + carga * rng.normal(size=(n, 1)) + math.sqrt(1 - carga ** 2) * rng.normal(size=(n, k))
    y = 3 + (x - np.asarray(medias)) @ np.asarray(pesos) + ruido * rng.normal(size=n)
    if vacias:
        x[rng.random(x.shape) < vacias] = np.nan
    etapas = [f"Etapa {i + 1}" for i in range(k)]
    return pd.DataFrame(x, columns=etapas).assign(csat=y), etapas


def _pesos_poblacionales(pesos, carga=0.7, ruido=0.5) -> np.ndarray:
    """Pesos relativos verdaderos del modelo de ``_sintetico`` (desde la covarianza poblacional)."""
    w = np.asarray(pesos)
    sigma = carga ** 2 * np.ones((w.size, w.size)) + (1 - carga ** 2) * np.eye(w.size)
    var_y = w @ sigma @ w + ruido ** 2
    r = np.block([[sigma, (sigma @ w)[:, None] / math.sqrt(var_y)],
                  [(sigma @ w)[None, :] / math.sqrt(var_y), np.ones((1, 1))]])
    pesos_rel, _ = modelo.pesos_lineales(r[None])
    return pesos_rel[0]


# ---------------------------------------------------------------------------
# Pesos relativos: valores conocidos
# ---------------------------------------------------------------------------

def test_predictores_independientes_dan_sus_correlaciones_al_cuadrado():
    rng = np.random.default_rng(4)
    x = rng.normal(size=(4000, 2))
    x -= x.mean(0)
    x = x @ np.linalg.inv(np.linalg.cholesky(np.cov(x.T)).T)  # incorreladas exactamente en la muestra
    datos = pd.DataFrame(x, columns=["A", "B"]).assign(y=x @ [1.0, 0.5] + rng.normal(size=4000))
    r = analizar_cadena(datos, ["A", "B"], "y", remuestras=0)
    esperado = datos.corr().loc[["A", "B"], "y"].to_numpy() ** 2
    np.testing.assert_allclose(r.importancia["peso"], esperado, rtol=1e-9)


def test_coincide_con_johnson_y_suma_el_r2_de_la_regresion():
    datos, etapas = _sintetico(n=3000, semilla=1)
    r = analizar_cadena(datos, etapas, "csat", remuestras=0)
    x, y = datos[etapas].to_numpy(), datos["csat"].to_numpy()
    np.testing.assert_allclose(r.importancia["peso"], _johnson(x, y), rtol=1e-8)
    diseno = np.column_stack([np.ones(len(y)), x])
    ajuste = diseno @ np.linalg.lstsq(diseno, y, rcond=None)[0]
    assert r.r2 == pytest.approx(np.corrcoef(ajuste, y)[0, 1] ** 2, rel=1e-10)
    assert r.importancia["peso"].sum() == pytest.approx(r.r2, rel=1e-12)
    assert r.importancia["proporcion"].sum() == pytest.approx(1.0)


def test_coeficiente_y_ganancia_salen_de_la_regresion_ajustada():
    datos, etapas = _sintetico(n=3000, semilla=2)
    metas = dict.fromkeys(etapas, 4.0)
    r = analizar_cadena(datos, etapas, "csat", metas=metas, remuestras=0)
    x, y = datos[etapas].to_numpy(), datos["csat"].to_numpy()
    b = np.linalg.lstsq(np.column_stack([np.ones(len(y)), x]), y, rcond=None)[0][1:]
    np.testing.assert_allclose(r.importancia["coeficiente"], b, rtol=1e-8)
    brecha = np.maximum(4.0 - x.mean(0), 0)
    np.testing.assert_allclose(r.importancia["brecha"], brecha, atol=1e-12)
    np.testing.assert_allclose(r.importancia["ganancia"], b * brecha, rtol=1e-8, atol=1e-12)
    assert r.ganancia.valor == pytest.approx(r.importancia.loc[r.eslabon_mas_debil, "ganancia"])


def test_recupera_pesos_verdaderos_orden_y_eslabon():
    pesos = (0.10, 0.15, 0.20, 0.50, 0.05)
    datos, etapas = _sintetico(n=50_000, pesos=pesos, semilla=3)
    r = analizar_cadena(datos, etapas, "csat", metas=dict.fromkeys(etapas, 4.0), remuestras=100)
    verdaderos = _pesos_poblacionales(pesos)
    np.testing.assert_allclose(r.importancia["peso"], verdaderos, atol=0.01)
    assert list(np.argsort(r.importancia["peso"].to_numpy())) == list(np.argsort(verdaderos))
    assert r.eslabon_mas_debil == "Etapa 4"
    assert r.confianza >= 0.9
    dentro = (r.importancia["ic_inf"] <= verdaderos) & (verdaderos <= r.importancia["ic_sup"])
    assert dentro.sum() >= 4


def test_logistica_coincide_con_tonidandel_y_lebreton():
    datos, etapas = _sintetico(n=3000, semilla=5)
    datos["satisfecho"] = (datos["csat"] > 3.2).astype(float)
    r = analizar_cadena(datos, etapas, "satisfecho", remuestras=0)
    assert r.tipo_resultado == "binario"
    esperado = _tonidandel_lebreton(datos[etapas].to_numpy(), datos["satisfecho"].to_numpy())
    np.testing.assert_allclose(r.importancia["peso"], esperado, rtol=2e-3)
    assert r.importancia["peso"].sum() == pytest.approx(r.r2, rel=1e-12)


def test_logistica_recupera_orden_eslabon_y_ganancia_en_puntos_de_probabilidad():
    datos, etapas = _sintetico(n=20_000, semilla=6, vacias=0.05)
    datos["satisfecho"] = (datos["csat"] + np.random.default_rng(0).logistic(size=len(datos)) * 0.3 > 3).astype(float)
    r = analizar_cadena(datos, etapas, "satisfecho", metas=dict.fromkeys(etapas, 4.0), remuestras=100)
    pesos = r.importancia["peso"]
    assert pesos.idxmax() == "Etapa 4" and pesos.idxmin() == "Etapa 5"
    assert r.eslabon_mas_debil == "Etapa 4" and r.confianza >= 0.9
    assert 0 < r.ganancia.ic_inf <= r.ganancia.valor <= r.ganancia.ic_sup < 1


# ---------------------------------------------------------------------------
# Respuestas vacías
# ---------------------------------------------------------------------------

def test_vacias_usan_correlaciones_de_a_pares_sin_descartar_filas():
    datos, etapas = _sintetico(n=4000, semilla=7, vacias=0.15)
    datos.loc[datos.index[:50], "csat"] = np.nan
    r = analizar_cadena(datos, etapas, "csat", remuestras=0)
    correlaciones = datos[etapas + ["csat"]].corr().to_numpy()  # pandas: casos completos de cada par
    esperado, _ = modelo.pesos_lineales(correlaciones[None])
    np.testing.assert_allclose(r.importancia["peso"], esperado[0], rtol=1e-9)
    con_algo = datos["csat"].notna() & datos[etapas].notna().any(axis=1)
    assert r.n == int(con_algo.sum())
    np.testing.assert_allclose(r.importancia["vacias"], datos[etapas].isna().mean(), atol=1e-12)
    completas = (datos[etapas].notna().all(axis=1) & datos["csat"].notna()).sum()
    assert completas < 0.5 * r.n  # borrar filas incompletas perdería más de la mitad


def test_vacias_al_azar_no_sesgan_los_pesos():
    completos, etapas = _sintetico(n=30_000, semilla=8)
    con_vacias, _ = _sintetico(n=30_000, semilla=8, vacias=0.25)
    a = analizar_cadena(completos, etapas, "csat", remuestras=0).importancia["peso"]
    b = analizar_cadena(con_vacias, etapas, "csat", remuestras=0).importancia["peso"]
    np.testing.assert_allclose(a, b, atol=0.01)


def test_etapa_sin_respuestas_o_constante_queda_fuera_del_modelo():
    datos, etapas = _sintetico(n=2000, semilla=9)
    datos["Etapa 2"] = np.nan
    datos["Etapa 5"] = 4.0
    r = analizar_cadena(datos, etapas, "csat", remuestras=20)
    tabla = r.importancia
    assert tabla["incluida"].tolist() == [True, False, True, True, False]
    assert tabla.loc[["Etapa 2", "Etapa 5"], "peso"].isna().all()
    assert tabla.loc["Etapa 5", "desempeno"] == 4.0
    assert tabla["peso"].sum() == pytest.approx(r.r2)
    assert "Etapa 2, Etapa 5" in describir(r, CSAT).aviso


# ---------------------------------------------------------------------------
# Bootstrap, significación y prioridad
# ---------------------------------------------------------------------------

def test_bootstrap_por_lotes_da_el_mismo_error_que_el_de_filas():
    datos, etapas = _sintetico(n=8000, semilla=10)
    r = analizar_cadena(datos, etapas, "csat", remuestras=300)
    rng = np.random.default_rng(1)
    x, y = datos[etapas].to_numpy(), datos["csat"].to_numpy()
    filas = [rng.integers(0, len(y), len(y)) for _ in range(150)]
    ingenuo = np.array([_johnson(x[i], y[i]) for i in filas])
    ancho_ingenuo = np.percentile(ingenuo, 97.5, axis=0) - np.percentile(ingenuo, 2.5, axis=0)
    ancho = (r.importancia["ic_sup"] - r.importancia["ic_inf"]).to_numpy()
    assert np.all((ancho / ancho_ingenuo > 0.7) & (ancho / ancho_ingenuo < 1.4)), ancho / ancho_ingenuo


def test_bootstrap_de_un_paso_de_la_logistica_da_el_mismo_error_que_reajustar():
    datos, etapas = _sintetico(n=4000, semilla=30)
    datos["satisfecho"] = (datos["csat"] + np.random.default_rng(0).logistic(size=len(datos)) * 0.3 > 3).astype(float)
    r = analizar_cadena(datos, etapas, "satisfecho", remuestras=300)
    rng = np.random.default_rng(2)
    x, y = datos[etapas].to_numpy(), datos["satisfecho"].to_numpy()
    reajustes = np.array([_tonidandel_lebreton(x[i], y[i])
                          for i in (rng.integers(0, len(y), len(y)) for _ in range(100))])
    ancho_reajuste = np.percentile(reajustes, 97.5, axis=0) - np.percentile(reajustes, 2.5, axis=0)
    cociente = (r.importancia["ic_sup"] - r.importancia["ic_inf"]).to_numpy() / ancho_reajuste
    assert np.all((cociente > 0.65) & (cociente < 1.5)), cociente


def test_imputacion_condicional_de_buck():
    medias = np.array([3.0, 4.0])
    covarianza = np.array([[1.0, 0.6], [0.6, 2.0]])
    x = np.array([[4.0, np.nan], [np.nan, 2.0], [np.nan, np.nan], [1.0, 5.0]])
    completa = modelo.imputar(x, medias, covarianza)
    np.testing.assert_allclose(completa, [[4.0, 4.6], [2.4, 2.0], [3.0, 4.0], [1.0, 5.0]])


def test_intervalos_contienen_la_estimacion_y_la_semilla_los_fija():
    datos, etapas = _sintetico(n=3000, semilla=11)
    a = analizar_cadena(datos, etapas, "csat", remuestras=50, semilla=3)
    b = analizar_cadena(datos, etapas, "csat", remuestras=50, semilla=3)
    c = analizar_cadena(datos, etapas, "csat", remuestras=50, semilla=4)
    pd.testing.assert_frame_equal(a.importancia, b.importancia)
    assert not np.allclose(a.importancia["ic_inf"], c.importancia["ic_inf"])
    t = a.importancia
    assert ((t["ic_inf"] <= t["peso"]) & (t["peso"] <= t["ic_sup"])).all()
    assert a.r2_inf <= a.r2 <= a.r2_sup
    assert 0 <= t["primero"].sum() <= 1 and a.confianza == t.loc[a.eslabon_mas_debil, "primero"]


def test_etapa_de_puro_ruido_no_es_significativa():
    datos, etapas = _sintetico(n=3000, pesos=(0.3, 0.3, 0.0), medias=(4, 4, 4), carga=0.0, semilla=12)
    r = analizar_cadena(datos, etapas, "csat", remuestras=200)
    assert r.importancia["significativa"].tolist() == [True, True, False]
    assert r.no_significativas == ["Etapa 3"]
    assert "Etapa 3" in describir(r, CSAT).no_significativas


def test_sin_remuestras_no_hay_intervalos_ni_confianza():
    datos, etapas = _sintetico(n=500, semilla=13)
    r = analizar_cadena(datos, etapas, "csat", remuestras=0)
    assert r.importancia[["ic_inf", "ic_sup", "primero"]].isna().all().all()
    assert r.importancia["significativa"].isna().all()
    assert math.isnan(r.confianza) and math.isnan(r.r2_inf)
    assert "Sin remuestras" in describir(r, CSAT).confianza


def test_sin_metas_compara_con_la_mejor_etapa():
    datos, etapas = _sintetico(n=3000, semilla=14)
    r = analizar_cadena(datos, etapas, "csat", remuestras=0)
    medias = datos[etapas].mean()
    assert r.referencia == "mejor etapa"
    np.testing.assert_allclose(r.importancia["brecha"], medias.max() - medias, atol=1e-12)
    assert r.importancia.loc[medias.idxmax(), "prioridad"] == 0


def test_todas_las_etapas_sobre_su_meta_no_hay_eslabon():
    datos, etapas = _sintetico(n=1000, semilla=15)
    r = analizar_cadena(datos, etapas, "csat", metas=dict.fromkeys(etapas, 1.0), remuestras=20)
    assert r.eslabon_mas_debil is None and math.isnan(r.confianza) and r.ganancia is None
    textos = describir(r, CSAT)
    assert textos.titular == "Ninguna etapa está por debajo de su meta" and textos.ganancia is None


def test_medida_top2_usa_la_proporcion_de_notas_altas():
    datos, etapas = _sintetico(n=3000, semilla=16)
    datos[etapas] = datos[etapas].round().clip(1, 5)
    r = analizar_cadena(datos, etapas, "csat", medida="top2", metas=dict.fromkeys(etapas, 0.8), remuestras=0)
    np.testing.assert_allclose(r.importancia["desempeno"], (datos[etapas] >= 4).mean(), atol=1e-12)
    assert r.eslabon_mas_debil == "Etapa 4"
    assert r.ganancia.valor > 0
    assert "%" in tabla_importancia(r, CSAT, clasificar_etapas(r))["Desempeño"].iloc[0]


@pytest.mark.parametrize("k", [2, 30])
def test_funciona_con_dos_y_con_treinta_etapas(k):
    pesos = np.linspace(0.05, 0.3, k)
    datos, etapas = _sintetico(n=3000, pesos=tuple(pesos), medias=tuple(np.full(k, 4.0)), semilla=k, vacias=0.05)
    r = analizar_cadena(datos, etapas, "csat", remuestras=30)
    assert len(r.importancia) == k and r.importancia["incluida"].all()
    assert r.importancia["peso"].sum() == pytest.approx(r.r2)
    verdaderos = _pesos_poblacionales(pesos)
    np.testing.assert_allclose(r.importancia["peso"], verdaderos, atol=0.03)
    assert r.importancia["peso"].idxmax() in etapas[-4:]


# ---------------------------------------------------------------------------
# Validación y casos límite
# ---------------------------------------------------------------------------

@pytest.fixture
def pocos():
    datos, etapas = _sintetico(n=200, pesos=(0.3, 0.5), medias=(4, 3.5), semilla=17)
    return datos, etapas


@pytest.mark.parametrize("argumentos, mensaje", [
    ({"etapas": "Etapa 1"}, "'etapas' debe ser una lista"),
    ({"etapas": ["Etapa 1"]}, "entre 2 y 30"),
    ({"etapas": [f"E{i}" for i in range(31)]}, "entre 2 y 30"),
    ({"etapas": ["Etapa 1", "Etapa 1"]}, "repetidos"),
    ({"etapas": ["Etapa 1", "Otra"]}, "no tiene las columnas"),
    ({"etapas": ["Etapa 1", "csat"]}, "'resultado' no puede ser también una etapa"),
    ({"tipo_resultado": "ordinal"}, "'tipo_resultado'"),
    ({"tipo_resultado": "binario"}, "solo puede valer 0 o 1"),
    ({"metas": {"Etapa 1": 4}}, "'metas' no tiene meta"),
    ({"metas": {"Etapa 1": 4, "Etapa 2": float("nan")}}, "meta numérica"),
    ({"medida": "mediana"}, "'medida'"),
    ({"medida": "top2", "metas": {"Etapa 1": 4, "Etapa 2": 4}}, "proporciones entre 0 y 1"),
    ({"remuestras": -1}, "'remuestras'"),
    ({"semilla": True}, "'semilla'"),
    ({"escala": (5, 1)}, "'escala'"),
    ({"escala": (1, 3)}, "fuera de la escala"),
])
def test_argumentos_mal_formados(pocos, argumentos, mensaje):
    datos, etapas = pocos
    opciones = {"etapas": etapas, **argumentos}
    with pytest.raises(ValueError, match=mensaje):
        analizar_cadena(datos, opciones.pop("etapas"), "csat", **opciones)


def test_respuestas_debe_ser_dataframe():
    with pytest.raises(ValueError, match="'respuestas' debe ser un DataFrame"):
        analizar_cadena([[1, 2, 3]], ["a", "b"], "c")


@pytest.mark.parametrize("preparar, mensaje", [
    (lambda d: d.iloc[:0], "No hay respuestas"),
    (lambda d: d.iloc[:6], "se necesitan al menos 10"),
    (lambda d: d.assign(csat=4.0), "El resultado no varía"),
    (lambda d: d.assign(**{"Etapa 1": np.nan, "Etapa 2": np.nan}), "Ninguna etapa"),
])
def test_muestra_insuficiente_con_mensaje_claro(pocos, preparar, mensaje):
    datos, etapas = pocos
    with pytest.raises(MuestraInsuficiente, match=mensaje):
        analizar_cadena(preparar(datos), etapas, "csat", remuestras=5)


def test_escala_de_calificaciones():
    assert escala_de_calificaciones(1, 5) == (1, 5)
    assert escala_de_calificaciones(0, 7) == (0, 10)
    assert escala_de_calificaciones(3, 80) == (0, 100)
    assert escala_de_calificaciones(float("nan"), float("nan")) == (1, 5)
    assert escala_de_calificaciones(-1, 5.5) == (-1, 6)


def test_configuracion_cadena_ordena_y_descarta_metas_incompletas():
    tabla = pd.DataFrame({"etapa": ["Entrega", "Atención"], "orden": [2, 1], "meta": [4.0, None]})
    config = configuracion_cadena(tabla)
    assert config.etapas == ("Atención", "Entrega") and config.metas is None and config.metas_por_etapa is None
    with pytest.raises(ValueError, match="'tabla' no tiene las columnas"):
        configuracion_cadena(tabla.drop(columns="orden"))


# ---------------------------------------------------------------------------
# Segmentos
# ---------------------------------------------------------------------------

def test_cada_segmento_encuentra_su_propio_eslabon():
    externos, etapas = _sintetico(n=3000, pesos=(0.1, 0.1, 0.6), medias=(4, 4, 3.2), semilla=20)
    internos, _ = _sintetico(n=3000, pesos=(0.6, 0.1, 0.1), medias=(3.2, 4, 4), semilla=21)
    datos = pd.concat([externos.assign(tipo_cliente="externo"), internos.assign(tipo_cliente="interno"),
                       externos.iloc[:10].assign(tipo_cliente="intermedio")], ignore_index=True)
    comparacion = comparar_segmentos(datos, etapas, "csat", "tipo_cliente", remuestras=50,
                                     metas=dict.fromkeys(etapas, 4.0))
    resumen = comparacion.resumen
    assert resumen.loc["externo", "eslabon"] == "Etapa 3" and resumen.loc["interno", "eslabon"] == "Etapa 1"
    assert resumen.loc["intermedio", "nota"] == "Muestra insuficiente (n = 10 < 30)"
    assert not resumen.loc["intermedio", "suficiente"] and set(comparacion.resultados) == {"externo", "interno"}
    assert comparacion.proporciones.shape == (3, 3)
    assert comparacion.proporciones.loc["intermedio"].isna().all()
    assert comparacion.proporciones.loc["externo"].sum() == pytest.approx(1)
    tabla = tabla_segmentos(comparacion, CSAT, "continuo")
    assert tabla["Eslabón más débil"].tolist() == ["Etapa 3", "—", "Etapa 1"]


def test_segmento_sin_analisis_posible_lleva_la_razon(pocos):
    datos, etapas = pocos
    datos = datos.assign(canal=["Chat"] * 100 + ["Correo"] * 100)
    datos.loc[datos["canal"] == "Correo", "csat"] = 3.0
    resumen = comparar_segmentos(datos, etapas, "csat", "canal", remuestras=0).resumen
    assert resumen.loc["Correo", "nota"].startswith("El resultado no varía")
    with pytest.raises(ValueError, match="'segmento'"):
        comparar_segmentos(datos, etapas, "csat", "sucursal")
    with pytest.raises(ValueError, match="'muestra_minima'"):
        comparar_segmentos(datos, etapas, "csat", "canal", muestra_minima=0)


# ---------------------------------------------------------------------------
# Desempeño por etapa, vista operativa, textos y tablas
# ---------------------------------------------------------------------------

def test_desempeno_por_etapa_en_escala_0_10_y_sin_meta():
    distribucion = pd.DataFrame({"etapa": ["A"] * 4, "valor": [0, 1, 9, 10], "n": [1, 1, 1, 1],
                                 "suma": [0.0, 1, 9, 10], "suma2": [0.0, 1, 81, 100]})
    tabla = desempeno_por_etapa(distribucion, ["A"], muestra_minima=2)
    fila = tabla.loc["A"]
    assert (fila["bajas"], fila["top2"], fila["media"]) == (0.5, 0.5, 5.0)
    assert fila["cumple"] is pd.NA and math.isnan(fila["meta"])
    textos = tabla_desempeno(tabla, (0, 10), _SIN_CLASES)
    assert list(textos.columns)[-2:] == ["Notas bajas (0–1)", "Top-2 (9–10)"]
    assert textos.loc[0, "Meta (diferencia)"] == "—" and textos.loc[0, "Media (IC 95 %)"].startswith("5,00 (")
    assert textos.loc[0, "Clase"] == "Fuera del modelo"


def test_desempeno_por_etapa_vacio_y_columnas():
    vacia = pd.DataFrame(columns=["etapa", "valor", "n", "suma", "suma2"])
    tabla = desempeno_por_etapa(vacia, ["A", "B"], metas={"A": 4.0, "B": 4.0})
    assert tabla["n"].tolist() == [0, 0] and tabla["media"].isna().all() and not tabla["suficiente"].any()
    assert tabla_desempeno(tabla, (1, 5), _SIN_CLASES)["Clase"].tolist() == ["Sin datos", "Sin datos"]
    with pytest.raises(ValueError, match="'distribucion' no tiene las columnas"):
        desempeno_por_etapa(vacia.drop(columns="suma2"), ["A"])


#: Una clasificación sin etapas: las tablas de desempeño sin modelo (toda etapa queda fuera de él).
_SIN_CLASES = ClasificacionCadena(pd.DataFrame(columns=["estado", "etiqueta"]), 0.5, "meta", "media")


def _resultado(desempeno, inferior, superior, proporcion, *, eslabon=None, referencia=4.1, n=100,
               incluida=True, nombre_referencia="meta") -> ResultadoCadena:
    """Un ``ResultadoCadena`` hecho a mano con las columnas que lee la clasificación (etapas A, B, C…)."""
    etapas = pd.Index([chr(ord("A") + i) for i in range(len(desempeno))], name="etapa")
    tabla = pd.DataFrame({"incluida": incluida, "n": n, "proporcion": proporcion, "desempeno": desempeno,
                          "desempeno_inf": inferior, "desempeno_sup": superior, "referencia": referencia},
                         index=etapas)
    return ResultadoCadena(tabla, 0.5, math.nan, math.nan, eslabon, math.nan, "continuo", "media",
                           nombre_referencia, (1, 5), 500, 0)


def test_estado_frente_a_la_meta_respeta_el_intervalo():
    r = _resultado([4.0, 3.7, 4.2], [3.8, 3.6, 4.0], [4.2, 3.8, 4.4], [0.5, 0.3, 0.2])
    clases = clasificar_etapas(r).etapas
    assert clases["estado"].tolist() == ["Cerca de la meta (el IC la incluye)", "Bajo la meta", "Cumple la meta"]
    assert clases["etiqueta"].tolist() == ["Concentrar aquí", "Baja prioridad", "Posible exceso"]


def test_clase_con_muestra_pequena_fuera_del_modelo_y_frente_a_la_mejor_etapa():
    r = _resultado([3.5, 3.9, 4.3, 4.6], [3.4, 3.8, 4.2, 4.5], [3.6, 4.0, 4.4, 4.7], [0.4, 0.3, 0.3, math.nan],
                   n=[100, 10, 100, 100], incluida=[True, True, True, False], eslabon="A", referencia=4.3,
                   nombre_referencia="mejor etapa")
    c = clasificar_etapas(r, muestra_minima=30)
    assert c.corte_importancia == pytest.approx(1 / 3)
    assert c.etapas["clase"].tolist() == ["debil", "insuficiente", "exceso", "fuera"]
    assert c.etapas["estado"].tolist()[:3] == ["Bajo la mejor etapa", "Bajo la mejor etapa",
                                                "Iguala a la mejor etapa"]
    assert c.etapas["numero"].tolist() == [1, 2, 3, 4] and c.etapas["alta"].isna().tolist()[3]
    with pytest.raises(ValueError, match="'muestra_minima'"):
        clasificar_etapas(r, muestra_minima=0)
    sin_r2 = _resultado([3.5, 4.5], [3.4, 4.4], [3.6, 4.6], [math.nan, math.nan])
    assert clasificar_etapas(sin_r2).etapas["clase"].tolist() == ["fuera", "fuera"]


def test_una_etapa_nunca_es_posible_exceso_y_bajo_la_meta():
    """El caso de la demostración: sobre el desempeño medio de las etapas pero bajo su meta."""
    r = _resultado([4.08, 4.02, 3.88, 3.23, 3.96], [4.07, 4.0, 3.86, 3.21, 3.95], [4.1, 4.03, 3.89, 3.24, 3.97],
                   [0.14, 0.15, 0.20, 0.37, 0.14], eslabon="D", referencia=4.0)
    clases = clasificar_etapas(r).etapas
    assert clases.loc["E", "etiqueta"] == "Baja prioridad" and clases.loc["E", "estado"] == "Bajo la meta"
    assert clases.loc["C", "etiqueta"] == "Concentrar aquí"
    assert clases.loc[["A", "B"], "etiqueta"].eq("Posible exceso").all()


def test_vista_operativa_sin_datos_de_una_etapa():
    operacion = pd.DataFrame({"etapa": ["A"], "n_interacciones": [40], "n_promesa": [40], "incumplidas": [4],
                              "n_escalado": [40], "escaladas": [0], "resueltas": [0], "reabiertas": [0],
                              "respuesta_mediana": [12.0], "respuesta_p90": [50.0], "resolucion_mediana": [None],
                              "resolucion_p90": [None], "n_csat": [0], "suma_csat": [None], "suma2_csat": [None],
                              "csat_top2": [0]})
    vista = vista_operativa(operacion, ["A", "B"], muestra_minima=30)
    assert vista.loc["A", "participacion"] == 1.0 and vista.loc["A", "escalamiento"] == 0.0
    assert math.isnan(vista.loc["A", "reapertura"]) and math.isnan(vista.loc["A", "csat"])
    assert vista.loc["B", "volumen"] == 0 and not vista.loc["B", "suficiente"]
    tabla = tabla_operativa(vista)
    assert tabla.loc[1, "Contactos (% del total)"] == "0 (0,0 %) (muestra pequeña)"
    assert tabla.loc[0, "Promesa incumplida"].startswith("10,0 %")
    tiempos = tabla_tiempos(vista)
    assert tiempos.loc[0, "Respuesta, min (mediana · p90)"] == "12,0 · 50,0"
    assert tiempos.loc[0, "CSAT de sus contactos (IC 95 %)"] == "— (muestra pequeña)"
    with pytest.raises(ValueError, match="'muestra_minima'"):
        vista_operativa(operacion, ["A"], muestra_minima=0)


def test_textos_y_cajas_en_espanol():
    datos, etapas = _sintetico(n=3000, semilla=22)
    r = analizar_cadena(datos, etapas, "csat", metas=dict.fromkeys(etapas, 4.0), remuestras=50)
    textos = describir(r, CSAT, muestra_minima=5000)
    assert textos.titular == "El eslabón más débil: Etapa 4"
    assert "en el 100 % de las 50 remuestras: la conclusión es firme" in textos.confianza
    assert "puntos de CSAT (IC 95 %: +" in textos.ganancia and "," in textos.ganancia
    assert "Muestra insuficiente (n = 3.000 < 5.000)" in textos.aviso
    assert "Johnson (2000)" in textos.metodo
    clasificacion = clasificar_etapas(r)
    cajas = cajas_cadena(r, clasificacion)
    assert cajas.loc["Etapa 4", "clase"] == "debil" and cajas.loc["Etapa 5", "clase"] in ("mantener", "exceso")
    assert cajas.loc["Etapa 4", "texto"].startswith("Media: 3,")
    assert cajas.loc["Etapa 4", "etiqueta"] == "Eslabón más débil"
    tabla = tabla_importancia(r, CSAT, clasificacion)
    assert tabla.loc[0, "Etapa"] == "Etapa 4" and tabla.loc[0, "Clase"] == "Eslabón más débil"
    assert tabla.loc[0, "N.º"] == 4


def test_confianza_baja_se_dice():
    datos, etapas = _sintetico(n=400, pesos=(0.3, 0.3), medias=(3.5, 3.5), carga=0.2, semilla=23)
    r = analizar_cadena(datos, etapas, "csat", metas={e: 4.0 for e in etapas}, remuestras=100)
    assert 0.3 < r.confianza < 0.9
    assert "otra etapa podría serlo" in describir(r, CSAT).confianza or "no está claro" in describir(r, CSAT).confianza


def test_ganancia_binaria_en_puntos_porcentuales():
    datos, etapas = _sintetico(n=3000, semilla=24)
    datos["satisfecho"] = (datos["csat"] > 3).astype(float)
    r = analizar_cadena(datos, etapas, "satisfecho", metas=dict.fromkeys(etapas, 4.0), remuestras=30)
    textos = describir(r, SATISFECHO)
    assert "pp de clientes satisfechos" in textos.ganancia and "R² observado–predicho" in textos.ajuste
    assert "logística" in textos.metodo


# ---------------------------------------------------------------------------
# Consultas y datos de demostración
# ---------------------------------------------------------------------------

@pytest.fixture(scope="module")
def almacen_demo(demo_compartida):
    """La demostración a escala 0,3 (la de las pruebas de página), compartida y de solo lectura."""
    return demo_compartida(escala=0.3)


def test_pivote_por_encuestado_coincide_con_la_forma_larga(almacen_demo):
    con = almacen_demo.ibis()
    etapas = tuple(consultas_cadena.etapas_cadena(con).to_pandas()["etapa"])
    assert etapas == demo.ETAPAS
    ancho = consultas_cadena.calificaciones_por_respuesta(con, Filtros(), etapas).to_pandas()
    largo = almacen_demo.cursor().execute(
        "SELECT etapa, avg(calificacion), count(calificacion) FROM encuesta_etapas GROUP BY etapa").fetchall()
    for etapa, promedio, n in largo:
        assert ancho[etapa].mean() == pytest.approx(promedio) and ancho[etapa].count() == n
    assert list(ancho.columns) == ["tipo_cliente", "canal", "sucursal", "csat", "nps", "ces", "satisfecho", *etapas]
    assert consultas_cadena.conteo_encuestas(con, Filtros()).to_pandas()["n"].tolist() == [len(ancho)]
    assert ((ancho["csat"] >= 4) == (ancho["satisfecho"] == 1)).all()


def test_tope_de_encuestados_es_una_muestra_reproducible(almacen_demo):
    con = almacen_demo.ibis()
    muestra = consultas_cadena.calificaciones_por_respuesta(con, Filtros(), demo.ETAPAS, limite=500).to_pandas()
    otra = consultas_cadena.calificaciones_por_respuesta(con, Filtros(), demo.ETAPAS, limite=500).to_pandas()
    assert len(muestra) == 500
    pd.testing.assert_frame_equal(muestra.sort_values(list(muestra.columns)).reset_index(drop=True),
                                  otra.sort_values(list(otra.columns)).reset_index(drop=True))
    with pytest.raises(ValueError, match="'limite'"):
        consultas_cadena.calificaciones_por_respuesta(con, Filtros(), demo.ETAPAS, limite=0)
    with pytest.raises(ValueError, match="'etapas'"):
        consultas_cadena.calificaciones_por_respuesta(con, Filtros(), ())


def test_distribucion_y_operacion_por_etapa(almacen_demo):
    con, cursor = almacen_demo.ibis(), almacen_demo.cursor()
    filtros = Filtros(desde=date(2026, 1, 1), hasta=date(2026, 3, 31), sucursales=("Sucursal Norte",))
    distribucion = consultas_cadena.distribucion_etapas(con, filtros).to_pandas()
    n_esperado = cursor.execute(
        "SELECT count(*) FROM encuesta_etapas c JOIN encuestas e USING (respuesta_id) WHERE c.calificacion IS NOT NULL "
        "AND e.sucursal = 'Sucursal Norte' AND e.fecha >= '2026-01-01' AND e.fecha < '2026-04-01'").fetchall()[0][0]
    assert distribucion["n"].sum() == n_esperado
    operacion = consultas_cadena.operacion_etapas(con, filtros).to_pandas().set_index("etapa")
    esperado = cursor.execute(
        "SELECT etapa, count(*), count(*) FILTER (WHERE NOT promesa_cumplida), count(*) FILTER (WHERE escalado) "
        "FROM interacciones WHERE sucursal = 'Sucursal Norte' AND fecha_inicio >= '2026-01-01' "
        "AND fecha_inicio < '2026-04-01' GROUP BY etapa").fetchall()
    for etapa, n, incumplidas, escaladas in esperado:
        fila = operacion.loc[etapa]
        assert (fila["n_interacciones"], fila["incumplidas"], fila["escaladas"]) == (n, incumplidas, escaladas)
    assert (operacion["reabiertas"] <= operacion["resueltas"]).all() and operacion["n_csat"].gt(0).all()


@pytest.mark.parametrize("resultado", ["csat", "satisfecho"])
@pytest.mark.parametrize("filtros", [Filtros(), Filtros(desde=date(2026, 8, 3), hasta=date(2026, 10, 31))],
                         ids=["todo", "ultimos_90_dias"])
def test_la_demo_tiene_su_eslabon_plantado_con_90_por_ciento(almacen_demo, resultado, filtros):
    con = almacen_demo.ibis()
    configuracion = configuracion_cadena(consultas_cadena.etapas_cadena(con).to_pandas())
    respuestas = consultas_cadena.calificaciones_por_respuesta(con, filtros, configuracion.etapas).to_pandas()
    r = analizar_cadena(respuestas, configuracion.etapas, resultado, metas=configuracion.metas_por_etapa)
    assert r.eslabon_mas_debil == demo.ETAPA_DEBIL
    assert r.confianza >= 0.9
    assert r.importancia["peso"].idxmax() == demo.ETAPA_DEBIL
    assert r.importancia["desempeno"].idxmin() == demo.ETAPA_DEBIL


# ---------------------------------------------------------------------------
# Página
# ---------------------------------------------------------------------------

def test_pagina_con_demo(base_demo):
    at = abrir("paginas/cadena.py")
    sin_errores(at)
    assert at.title[0].value == "Cadena de servicio"
    assert at.subheader[0].value == f"El eslabón más débil: {demo.ETAPA_DEBIL}"
    assert any("remuestras" in m.value and "%" in m.value for m in at.markdown)
    # Importancia y desempeño: tablas ajustadas. Solo la pestaña abierta se ejecuta (paginas.pestanas).
    tablas = {"Importancia y desempeño": len(at.dataframe) + len(at.table)}
    tablas |= {etiqueta: len(at.dataframe) + len(at.table) for etiqueta in recorrer_pestanas(at)}
    assert tablas == {"Importancia y desempeño": 1, "Desempeño por etapa": 1, "Vista operativa": 2, "Por segmento": 1}
    at.selectbox(key="cad_resultado").set_value("satisfecho").run()
    at.radio(key="cad_medida").set_value("top2").run()
    sin_errores(at)
    assert at.subheader[0].value == f"El eslabón más débil: {demo.ETAPA_DEBIL}"
    referencia = at.radio(key="cad_referencia")
    assert referencia.disabled and referencia.value == "mejor"
    at.selectbox(key="cad_segmento").set_value("sucursal").run()
    sin_errores(at)


def test_pagina_con_pocas_o_ninguna_respuesta(base_demo):
    at = abrir("paginas/cadena.py")
    inicio = periodo(at)[0]
    elegir_periodo(at, inicio, inicio)
    sin_errores(at)
    assert any("se necesitan al menos 10" in w.value for w in at.warning)
    at.sidebar.multiselect[-1].select(at.sidebar.multiselect[-1].options[-1]).run()
    sin_errores(at)
    assert "No hay encuestas con calificaciones por etapa" in at.info[0].value


def test_pagina_con_base_vacia(base_vacia):
    at = abrir("paginas/cadena.py")
    sin_errores(at)
    assert "no hay datos" in at.info[0].value
