"""La cadena de servicio desde las sumas del motor: ``sumas_cadena`` + ``analizar_cadena_agregada``.

Se comprueba (1) que el motor suma lo mismo que una referencia en numpy que reparte los lotes y
genera el ruido con ``hashlib.md5`` de Python, (2) que las estimaciones puntuales coinciden con
``analizar_cadena`` sobre las mismas filas (los intervalos solo de forma aproximada: el reparto
en lotes y el ruido son otros), (3) los casos límite y los mensajes, y (4) la página.
"""

import hashlib
from datetime import date

import duckdb
import ibis
import numpy as np
import pandas as pd
import pytest

from analisis import cadena
from analisis.cadena import analizar_cadena, analizar_cadena_agregada, texto_cobertura
from analisis.cadena.sumas import LOTES_SEGMENTO
from datos import demo
from datos.consultas import cadena as consultas_cadena
from datos.almacen.conexion import Almacen
from datos.consultas.cadena import sumas_cadena
from datos.consultas.filtros import Filtros
from analisis.errores import MuestraInsuficiente
from analisis.escalas import ESCALAS_RESULTADO
from tests.apptest import abrir, abrir_pestana, sin_errores
from tests.analisis.test_cadena import _sintetico

ETAPAS = [f"Etapa {i + 1}" for i in range(5)]
#: Columnas de ``importancia`` que son estimaciones puntuales (no dependen de lotes ni del ruido).
PUNTUALES = ["n", "vacias", "incluida", "peso", "proporcion", "desempeno", "referencia", "brecha", "prioridad",
             "coeficiente", "ganancia"]


def _respuestas(n: int = 3000, semilla: int = 0, vacias: float = 0.08) -> pd.DataFrame:
    """Una fila por encuestado: etapas 1–5 correlacionadas (con vacías), CSAT 1–5 (a veces vacío), NPS y canal."""
    datos, etapas = _sintetico(n=n, semilla=semilla, vacias=vacias)
    rng = np.random.default_rng(semilla + 1)
    respuestas = datos[etapas].round().clip(1, 5)
    respuestas["csat"] = datos["csat"].round().clip(1, 5).where(rng.random(n) > 0.05)
    respuestas["nps"] = (2 * datos["csat"]).round().clip(0, 10)
    respuestas["canal"] = rng.choice(["Chat", "Correo"], n)
    respuestas["respuesta_id"] = [f"R{i:06d}" for i in range(n)]
    return respuestas


def _motor(respuestas: pd.DataFrame, etapas=tuple(ETAPAS)) -> ibis.BaseBackend:
    """DuckDB en memoria con ``encuestas`` y ``encuesta_etapas`` (forma larga, con calificaciones NULL) de las filas."""
    duck = duckdb.connect()
    encuestas = respuestas.assign(fecha=pd.Timestamp("2026-03-01"), sucursal="Norte", tipo_cliente="externo",
                                  interaccion_id="", ces=4.0)
    largo = respuestas.melt(id_vars="respuesta_id", value_vars=[e for e in etapas if e in respuestas],
                            var_name="etapa", value_name="calificacion")
    for nombre, tabla in (("encuestas", encuestas), ("encuesta_etapas", largo)):
        duck.register("filas", tabla)
        duck.execute(f"CREATE TABLE {nombre} AS SELECT * FROM filas")
        duck.unregister("filas")
    return ibis.duckdb.from_connection(duck)


def _sumas_de_referencia(respuestas: pd.DataFrame, etapas, resultado: str, lotes: int) -> pd.DataFrame:
    """Las sumas por lote de ``sumas_cadena`` calculadas en numpy, con el MD5 de Python."""
    filas = respuestas[respuestas[list(etapas)].notna().any(axis=1)]
    md5 = [hashlib.md5(i.encode()).hexdigest() for i in filas["respuesta_id"]]
    lote = np.array([int(h[:4], 16) % lotes for h in md5])
    ruido = np.array([(int(h[4:9], 16) + 0.5) / 2 ** 20 - 0.5 for h in md5])
    x = np.column_stack([filas[list(etapas) + [resultado]].to_numpy(float), ruido])
    centro = np.array([3.0] * len(etapas) + [sum(ESCALAS_RESULTADO[resultado]) / 2, 0.0])
    v, m = np.nan_to_num(x - centro), (~np.isnan(x)).astype(float)
    salida = []
    for numero in np.unique(lote):
        vl, ml, xl = v[lote == numero], m[lote == numero], x[lote == numero, :len(etapas)]
        fila = {"lote": numero, "filas": len(vl)}
        for i in range(x.shape[1]):
            for j in range(x.shape[1]):
                if i <= j:
                    fila[f"cruzados_{i}_{j}"] = vl[:, i] @ vl[:, j]
                    fila[f"pares_{i}_{j}"] = ml[:, i] @ ml[:, j]
                fila[f"sumas_{i}_{j}"] = vl[:, i] @ ml[:, j]
                fila[f"cuadrados_{i}_{j}"] = vl[:, i] ** 2 @ ml[:, j]
        for i in range(len(etapas)):
            fila[f"altas_{i}"] = np.sum(xl[:, i] >= 4)
            fila[f"suma_bajas_{i}"] = np.nansum(np.where(xl[:, i] < 4, xl[:, i], 0))
        salida.append(fila)
    return pd.DataFrame(salida)


@pytest.fixture(scope="module")
def respuestas():
    return _respuestas()


@pytest.fixture(scope="module")
def con(respuestas):
    return _motor(respuestas)


# ---------------------------------------------------------------------------
# La consulta
# ---------------------------------------------------------------------------

@pytest.mark.parametrize("resultado", ["csat", "nps"])
def test_el_motor_suma_lo_mismo_que_numpy_con_md5(respuestas, con, resultado):
    sumas = sumas_cadena(con, Filtros(), tuple(ETAPAS), resultado, lotes=40).to_pandas()
    referencia = _sumas_de_referencia(respuestas, ETAPAS, resultado, 40)
    assert len(sumas) == 40 and sumas["filas"].sum() == len(respuestas)
    pd.testing.assert_frame_equal(sumas[referencia.columns].reset_index(drop=True), referencia, check_dtype=False,
                                  rtol=1e-10, atol=1e-9)
    assert sumas["centro_0"].eq(3.0).all() and sumas[f"centro_{len(ETAPAS) + 1}"].eq(0.0).all()
    assert sumas["escala_minimo"].eq(1.0).all() and sumas["escala_maximo"].eq(5.0).all()


def test_ruido_uniforme_e_independiente_y_lotes_parejos(respuestas, con):
    sumas = sumas_cadena(con, Filtros(), tuple(ETAPAS), "csat").to_pandas()
    ruido = len(ETAPAS) + 1
    n = sumas["filas"].sum()
    media = sumas[f"sumas_{ruido}_{ruido}"].sum() / n
    varianza = sumas[f"cruzados_{ruido}_{ruido}"].sum() / n - media ** 2
    assert abs(media) < 0.02 and varianza == pytest.approx(1 / 12, rel=0.05)  # uniforme en (−½, ½)
    correlacion = sumas[f"cruzados_0_{ruido}"].sum() / n / np.sqrt(varianza * respuestas["Etapa 1"].var())
    assert abs(correlacion) < 0.06
    assert sumas["filas"].max() <= 10  # 3.000 encuestados en ~2.000 lotes: el reparto es parejo


def test_sumas_respetan_los_filtros(respuestas, con):
    sumas = sumas_cadena(con, Filtros(canales=("Chat",)), tuple(ETAPAS), "csat").to_pandas()
    chat = respuestas[(respuestas["canal"] == "Chat") & respuestas[ETAPAS].notna().any(axis=1)]
    assert sumas["filas"].sum() == len(chat)
    assert sumas_cadena(con, Filtros(desde=date(2027, 1, 1)), tuple(ETAPAS), "csat").to_pandas().empty


@pytest.mark.parametrize("argumentos, mensaje", [
    ({"etapas": ()}, "'etapas'"), ({"etapas": "Etapa 1"}, "'etapas'"), ({"resultado": "satisfecho"}, "'resultado'"),
    ({"lotes": 0}, "'lotes'"), ({"escala": (5, 1)}, "'escala'"),
])
def test_argumentos_mal_formados_de_la_consulta(con, argumentos, mensaje):
    opciones = {"etapas": tuple(ETAPAS), "resultado": "csat", **argumentos}
    with pytest.raises(ValueError, match=mensaje):
        sumas_cadena(con, Filtros(), opciones.pop("etapas"), opciones.pop("resultado"), **opciones)


# ---------------------------------------------------------------------------
# El análisis: lo mismo que con las filas
# ---------------------------------------------------------------------------

def _comparar(agregado: cadena.ResultadoCadena, filas: cadena.ResultadoCadena) -> None:
    """Estimaciones puntuales iguales; intervalos parecidos (otros lotes, otro ruido)."""
    pd.testing.assert_frame_equal(agregado.importancia[PUNTUALES], filas.importancia[PUNTUALES], check_dtype=False,
                                  rtol=1e-9, atol=1e-12)
    assert agregado.r2 == pytest.approx(filas.r2, rel=1e-9)
    assert (agregado.n, agregado.eslabon_mas_debil, agregado.escala) == (filas.n, filas.eslabon_mas_debil, filas.escala)
    assert (agregado.tipo_resultado, agregado.medida, agregado.referencia) == ("continuo", filas.medida,
                                                                               filas.referencia)
    for tabla in (agregado.importancia, filas.importancia):
        incluidas = tabla[tabla["incluida"]]
        assert (incluidas["ic_inf"] <= incluidas["peso"]).all() and (incluidas["peso"] <= incluidas["ic_sup"]).all()
    ancho = (agregado.importancia["ic_sup"] - agregado.importancia["ic_inf"]).dropna()
    ancho_filas = (filas.importancia["ic_sup"] - filas.importancia["ic_inf"]).dropna()
    assert ((ancho / ancho_filas).between(0.6, 1.6)).all()
    assert agregado.r2_inf == pytest.approx(filas.r2_inf, abs=0.02)
    assert agregado.confianza == pytest.approx(filas.confianza, abs=0.2)


@pytest.mark.parametrize("opciones", [{}, {"medida": "top2"}, {"metas": dict.fromkeys(ETAPAS, 4.0)}],
                         ids=["media_mejor_etapa", "top2", "metas"])
def test_mismos_pesos_que_con_las_filas(respuestas, con, opciones):
    sumas = sumas_cadena(con, Filtros(), tuple(ETAPAS), "csat").to_pandas()
    _comparar(analizar_cadena_agregada(sumas, ETAPAS, **opciones),
              analizar_cadena(respuestas, ETAPAS, "csat", escala=(1, 5), **opciones))


def test_etapa_sin_calificaciones_queda_fuera_igual_que_con_las_filas(respuestas):
    etapas = [*ETAPAS, "Sin datos"]
    sumas = sumas_cadena(_motor(respuestas), Filtros(), tuple(etapas), "nps").to_pandas()
    agregado = analizar_cadena_agregada(sumas, etapas, remuestras=50)
    filas = analizar_cadena(respuestas.assign(**{"Sin datos": np.nan}), etapas, "nps", remuestras=50,
                            escala=(1, 5))
    assert not agregado.importancia.loc["Sin datos", "incluida"]
    assert agregado.importancia.loc["Sin datos", "vacias"] == 1.0 and agregado.importancia["peso"].count() == 5
    _comparar(agregado, filas)


def test_etapa_constante_queda_fuera(respuestas):
    sumas = sumas_cadena(_motor(respuestas.assign(**{"Etapa 2": 4.0})), Filtros(), tuple(ETAPAS), "csat").to_pandas()
    r = analizar_cadena_agregada(sumas, ETAPAS, remuestras=0)
    assert r.importancia["incluida"].tolist() == [True, False, True, True, True]
    assert np.isnan(r.importancia.loc["Etapa 2", "peso"]) and r.importancia.loc["Etapa 2", "desempeno"] == 4.0


def test_la_semilla_fija_el_bootstrap_y_sin_remuestras_no_hay_intervalos(con):
    sumas = sumas_cadena(con, Filtros(), tuple(ETAPAS), "csat").to_pandas()
    una, otra = (analizar_cadena_agregada(sumas.sample(frac=1, random_state=s), ETAPAS, remuestras=30, semilla=4)
                 for s in (1, 2))
    pd.testing.assert_frame_equal(una.importancia, otra.importancia)  # el orden de las filas del motor no importa
    puntual = analizar_cadena_agregada(sumas, ETAPAS, remuestras=0)
    assert np.isnan(puntual.r2_inf) and np.isnan(puntual.confianza) and puntual.importancia["ic_inf"].isna().all()


@pytest.mark.parametrize("preparar, mensaje", [
    (lambda d: d.iloc[:0], "No hay respuestas"),
    (lambda d: d.iloc[:6], "se necesitan al menos 10"),
    (lambda d: d.assign(csat=4.0), "El resultado no varía"),
    (lambda d: d.assign(csat=np.nan), "Ninguna etapa"),
])
def test_muestra_insuficiente_con_el_mismo_mensaje_que_con_filas(respuestas, preparar, mensaje):
    datos = preparar(respuestas.iloc[:200])
    sumas = sumas_cadena(_motor(datos), Filtros(), tuple(ETAPAS), "csat").to_pandas()
    with pytest.raises(MuestraInsuficiente, match=mensaje):
        analizar_cadena_agregada(sumas, ETAPAS, remuestras=5)
    with pytest.raises(MuestraInsuficiente, match=mensaje):
        analizar_cadena(datos, ETAPAS, "csat", remuestras=5)


def test_argumentos_mal_formados_del_analisis(con):
    sumas = sumas_cadena(con, Filtros(), tuple(ETAPAS), "csat").to_pandas()
    with pytest.raises(ValueError, match="'sumas' debe ser un DataFrame"):
        analizar_cadena_agregada(sumas.to_numpy(), ETAPAS)
    with pytest.raises(ValueError, match="'sumas' no tiene las columnas"):
        analizar_cadena_agregada(sumas, [*ETAPAS, "Otra"])
    with pytest.raises(ValueError, match="entre 2 y 30"):
        analizar_cadena_agregada(sumas, ETAPAS[:1])
    with pytest.raises(ValueError, match="'medida'"):
        analizar_cadena_agregada(sumas, ETAPAS, medida="mediana")
    with pytest.raises(ValueError, match="'metas' no tiene meta"):
        analizar_cadena_agregada(sumas, ETAPAS, metas={"Etapa 1": 4.0})


def test_segmentos_desde_las_sumas_iguales_que_con_filas(respuestas):
    datos = respuestas[respuestas[ETAPAS].notna().any(axis=1)].copy()
    datos.loc[datos.index[:50], "canal"] = None  # sin segmento: se ignora
    datos.loc[datos.index[50:62], "canal"] = "Teléfono"  # 12 respuestas: muestra insuficiente
    sumas = sumas_cadena(_motor(datos), Filtros(), tuple(ETAPAS), "csat", (1.0, 5.0), "canal").to_pandas()
    assert sumas["lote"].max() < LOTES_SEGMENTO and sumas["segmento"].isna().any()
    agregada = cadena.comparar_segmentos_agregada(sumas, ETAPAS, muestra_minima=30, remuestras=50)
    filas = cadena.comparar_segmentos(datos, ETAPAS, "csat", "canal", muestra_minima=30, remuestras=50,
                                      escala=(1, 5))
    assert agregada.resumen.index.tolist() == ["Chat", "Correo", "Teléfono"]
    columnas = ["n", "r2", "eslabon", "suficiente", "nota"]
    pd.testing.assert_frame_equal(agregada.resumen[columnas], filas.resumen[columnas], rtol=1e-9)
    pd.testing.assert_frame_equal(agregada.proporciones, filas.proporciones, rtol=1e-9)
    assert agregada.resumen.loc["Teléfono", "nota"] == "Muestra insuficiente (n = 12 < 30)"
    assert set(agregada.resultados) == {"Chat", "Correo"}
    with pytest.raises(ValueError, match="'segmento'"):
        cadena.comparar_segmentos_agregada(sumas.drop(columns="segmento"), ETAPAS)
    with pytest.raises(ValueError, match="'segmento' debe ser None o uno de"):
        sumas_cadena(_motor(datos), Filtros(), tuple(ETAPAS), "csat", (1.0, 5.0), "equipo")


def test_textos_de_cobertura(respuestas, con):
    sumas = sumas_cadena(con, Filtros(), tuple(ETAPAS), "csat").to_pandas()
    continuo = texto_cobertura(analizar_cadena_agregada(sumas, ETAPAS, remuestras=0), encuestas=250_000,
                               limite=200_000)
    assert "sobre el total de respuestas del filtro (250.000 encuestas)" in continuo and "segmento" in continuo
    binario = analizar_cadena(respuestas.assign(csat=(respuestas["csat"] >= 4).astype(float)), ETAPAS, "csat",
                              remuestras=0)
    muestreado = texto_cobertura(binario, encuestas=250_000, limite=200_000)
    assert "una a una" in muestreado and "muestra aleatoria reproducible de 200.000 de las 250.000" in muestreado
    assert f"n = {binario.n:,}".replace(",", ".") in muestreado
    assert "muestra" not in texto_cobertura(binario, encuestas=3000, limite=200_000)


# ---------------------------------------------------------------------------
# Datos de demostración y página
# ---------------------------------------------------------------------------

def test_la_demo_tiene_su_eslabon_plantado_con_todas_las_respuestas():
    almacen = Almacen(":memory:")
    try:
        demo.cargar_demo(almacen.cursor(), escala=0.1)
        con = almacen.ibis()
        configuracion = cadena.configuracion_cadena(consultas_cadena.etapas_cadena(con).to_pandas())
        escala = cadena.escala_de_distribucion(consultas_cadena.distribucion_etapas(con, Filtros()).to_pandas())
        sumas = sumas_cadena(con, Filtros(), configuracion.etapas, "csat", escala).to_pandas()
        filas = consultas_cadena.calificaciones_por_respuesta(con, Filtros(), configuracion.etapas).to_pandas()
    finally:
        almacen.cerrar()
    agregado = analizar_cadena_agregada(sumas, configuracion.etapas, metas=configuracion.metas_por_etapa)
    assert agregado.eslabon_mas_debil == demo.ETAPA_DEBIL and agregado.confianza >= 0.9
    _comparar(agregado, analizar_cadena(filas, configuracion.etapas, "csat", metas=configuracion.metas_por_etapa))


def test_pagina_dice_que_calcula_en_el_motor_o_en_la_muestra(base_demo):
    at = abrir("paginas/cadena.py")
    sin_errores(at)
    assert at.subheader[0].value == f"El eslabón más débil: {demo.ETAPA_DEBIL}"
    assert any("calculados en el motor de datos sobre el total de respuestas" in c.value for c in at.caption)
    abrir_pestana(at, "Por segmento").selectbox(key="cad_segmento").set_value("canal").run()
    sin_errores(at)
    assert len(at.dataframe) == 1  # la comparación de segmentos
    at.selectbox(key="cad_resultado").set_value("satisfecho").run()
    sin_errores(at)
    assert any("regresión logística" in c.value and "una a una" in c.value for c in at.caption)
    assert at.subheader[0].value == f"El eslabón más débil: {demo.ETAPA_DEBIL}"
