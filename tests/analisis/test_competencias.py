"""Brechas de competencias: escala común, puntaje de auditoría, brechas, impacto y alfa de Krippendorff."""

import math

import numpy as np
import pandas as pd
import pytest
from scipy import stats

from analisis import competencias as c
from analisis.kpis import media

NAN = float("nan")


# ---------------------------------------------------------------------------
# Escala común
# ---------------------------------------------------------------------------

@pytest.mark.parametrize("valor, escala, esperado", [
    (1, "1-5", 0.0), (3, "1-5", 0.5), (4, "1-5", 0.75), (5, "1-5", 1.0),
    (0, "0-100", 0.0), (85, "0-100", 0.85), (100, "0-100", 1.0),
    (1, "cumple", 1.0), (0, "cumple", 0.0),
])
def test_conversion_a_la_escala_comun(valor, escala, esperado):
    assert c.a_escala_comun(valor, escala) == pytest.approx(esperado)


def test_conversion_de_na_y_escala_desconocida():
    assert math.isnan(c.a_escala_comun(None, "1-5"))
    assert math.isnan(c.a_escala_comun(NAN, "0-100"))
    with pytest.raises(ValueError, match="'escala' debe ser una de"):
        c.a_escala_comun(3, "1-10")


def test_tabla_de_conversion_muestra_reglas_y_escalas_no_reconocidas():
    tabla = c.tabla_de_conversion({"1-5": 600, "1-10": 4})
    assert tabla["Regla"].tolist() == ["(v − 1) / 4", "v / 100", "cumple = 1, no cumple = 0",
                                       "no reconocida: sus valores no se usan"]
    assert tabla["Auditorías"].tolist() == [600, 0, 0, 4]
    assert "4 → 75 %" in tabla.loc[0, "Ejemplos"]
    assert c.reglas_de_escala()[0] == ("1-5", 1.0, 5.0)


# ---------------------------------------------------------------------------
# Puntaje de una auditoría
# ---------------------------------------------------------------------------

ESTANDAR_TRES = pd.DataFrame({"competencia": ["a", "b", "c"], "peso": [1.0, 3.0, 2.0],
                              "critica": [False, True, False]})


def _calificaciones(*valores):
    return pd.DataFrame({"competencia": ["a", "b", "c"], "valor_comun": list(valores)})


def test_puntaje_ponderado_reparte_el_peso_de_las_na():
    resultado = c.puntaje_auditoria(_calificaciones(1.0, 0.5, NAN), ESTANDAR_TRES)
    assert resultado.puntaje == pytest.approx((1 * 1.0 + 3 * 0.5) / 4)
    assert not resultado.fallida
    assert resultado.detalle["peso_efectivo"].tolist() == pytest.approx([0.25, 0.75, 0.0])
    completo = c.puntaje_auditoria(_calificaciones(1.0, 0.5, 0.25), ESTANDAR_TRES)
    assert completo.puntaje == pytest.approx((1.0 + 1.5 + 0.5) / 6)


def test_competencia_critica_bajo_el_umbral_hace_fallar():
    resultado = c.puntaje_auditoria(_calificaciones(1.0, 0.25, 1.0), ESTANDAR_TRES)
    assert resultado.fallida and resultado.puntaje == 0.0
    assert "b" in resultado.motivo
    justo = c.puntaje_auditoria(_calificaciones(1.0, 0.5, 1.0), ESTANDAR_TRES)
    assert not justo.fallida


def test_error_critico_registrado_hace_fallar_y_todo_na_no_puntua():
    assert c.puntaje_auditoria(_calificaciones(1.0, 1.0, 1.0), ESTANDAR_TRES, errores_criticos=1).puntaje == 0.0
    vacia = c.puntaje_auditoria(_calificaciones(NAN, NAN, NAN), ESTANDAR_TRES)
    assert math.isnan(vacia.puntaje) and not vacia.fallida
    with pytest.raises(ValueError, match="'errores_criticos'"):
        c.puntaje_auditoria(_calificaciones(1.0, 1.0, 1.0), ESTANDAR_TRES, errores_criticos=-1)


def test_competencia_sin_estandar_pesa_uno():
    estandar = ESTANDAR_TRES.iloc[:1]
    resultado = c.puntaje_auditoria(_calificaciones(1.0, 0.0, 0.5), estandar)
    assert resultado.puntaje == pytest.approx(0.5)


# ---------------------------------------------------------------------------
# Brechas
# ---------------------------------------------------------------------------

ESTANDAR = pd.DataFrame({"competencia": ["escucha", "empatia"], "nombre": ["Escucha con atención", "Empatía"],
                         "meta": [0.8, 0.8], "orden": [1, 2]})


def _sumas(valores):
    valores = np.asarray(valores, dtype=float)
    return {"n": valores.size, "suma": valores.sum(), "suma2": (valores**2).sum()}


def test_brecha_de_un_agente_calculada_a_mano():
    puntajes = pd.DataFrame([{"agente_id": "A", "nombre": "Ana", "equipo": "Uno", "competencia": "escucha",
                              **_sumas([0.25, 0.5, 0.5, 0.75])}])
    fila = c.brechas(puntajes, ESTANDAR, minimo=4).iloc[0]
    mitad = stats.t.ppf(0.975, 3) * math.sqrt((1.125 - 4 * 0.25) / 3 / 4)
    assert fila["etiqueta"] == "Ana (A)"
    assert fila["puntaje"] == pytest.approx(0.5)
    assert fila["brecha"] == pytest.approx(0.3)
    assert fila["ic_inf"] == pytest.approx(0.5 - mitad)
    assert fila["brecha_inf"] == pytest.approx(0.8 - (0.5 + mitad))
    assert fila["brecha_sup"] == pytest.approx(0.8 - (0.5 - mitad))
    assert fila["suficiente"] and fila["n"] == 4
    assert not c.brechas(puntajes, ESTANDAR, minimo=5).iloc[0]["suficiente"]


def test_medias_agrupadas_a_mano():
    datos = pd.DataFrame({"g": ["x"] * 3 + ["y", "z", "z"], "n": [10, 10, 10, 4, 1, 0],
                          "suma": [6.0, 7.0, 6.5, 2.0, 0.5, 0.0], "suma2": [4.0, 5.0, 4.5, 1.125, 0.25, 0.0]})
    tabla = c.medias_agrupadas(datos, ["g"]).set_index("g")
    varianza = 3 / 2 * (0.5**2 + 0.5**2) / 30**2
    assert tabla.loc["x", "puntaje"] == pytest.approx(0.65)
    assert tabla.loc["x", "ic_sup"] - 0.65 == pytest.approx(stats.t.ppf(0.975, 2) * math.sqrt(varianza))
    assert (tabla.loc["x", "n"], tabla.loc["x", "n_agentes"]) == (30, 3)
    un_agente = media(2.0, 1.125, 4)
    assert (tabla.loc["y", "ic_inf"], tabla.loc["y", "ic_sup"]) == pytest.approx((un_agente.ic_inf, un_agente.ic_sup))
    assert tabla.loc["z", "n_agentes"] == 1 and math.isnan(tabla.loc["z", "ic_inf"])
    juntas = c.medias_agrupadas(datos, ["g"], por_conglomerados=False).set_index("g").loc["x"]
    esperado = media(19.5, 13.5, 30)
    assert (juntas["ic_inf"], juntas["ic_sup"]) == pytest.approx((esperado.ic_inf, esperado.ic_sup))


def test_brecha_por_equipo_agrupa_agentes_y_recorta_el_intervalo():
    puntajes = pd.DataFrame([
        {"agente_id": "A", "equipo": "Uno", "competencia": "escucha", "n": 2, "suma": 1.0, "suma2": 0.5},
        {"agente_id": "B", "equipo": "Uno", "competencia": "escucha", "n": 2, "suma": 1.6, "suma2": 1.3},
        {"agente_id": "C", "equipo": None, "competencia": "escucha", "n": 3, "suma": 3.0, "suma2": 3.0},
    ])
    tabla = c.brechas(puntajes, ESTANDAR, por="equipo", minimo=2).set_index("grupo")
    assert tabla.loc["Uno", "puntaje"] == pytest.approx(0.65)
    assert tabla.loc["Uno", "n_agentes"] == 2 and tabla.loc["Uno", "n"] == 4
    assert (tabla.loc["Uno", "ic_inf"], tabla.loc["Uno", "ic_sup"]) == (0.0, 1.0)
    assert tabla.loc["(sin dato)", "puntaje"] == 1.0


def test_brechas_casos_limite():
    vacio = pd.DataFrame(columns=["agente_id", "competencia", "n", "suma", "suma2"])
    assert c.brechas(vacio, ESTANDAR).empty
    constante = pd.DataFrame([{"agente_id": "A", "competencia": "escucha", **_sumas([0.75] * 6)}])
    fila = c.brechas(constante, ESTANDAR).iloc[0]
    assert fila["ic_inf"] == pytest.approx(0.75) and fila["ic_sup"] == pytest.approx(0.75)
    assert fila["brecha_inf"] == pytest.approx(0.05)
    with pytest.raises(ValueError, match="'por' debe ser uno de"):
        c.brechas(constante, ESTANDAR, por="sucursal")
    with pytest.raises(ValueError, match="'puntajes' no tiene las columnas"):
        c.brechas(constante.drop(columns="suma2"), ESTANDAR)
    with pytest.raises(ValueError, match="'puntajes' no tiene las columnas \\['equipo'\\]"):
        c.brechas(constante, ESTANDAR, por="equipo")
    with pytest.raises(ValueError, match="'minimo'"):
        c.brechas(constante, ESTANDAR, minimo=0)


def test_lectura_de_brecha():
    assert c.lectura_brecha(0.2, 0.01, True) == "Brecha clara"
    assert c.lectura_brecha(0.2, 0.01, False) == "Muestra insuficiente"
    assert c.lectura_brecha(0.0, -0.1, True) == "Cumple la meta"


def test_resumen_de_auditorias_por_equipo():
    auditorias = pd.DataFrame([
        {"agente_id": "A", "equipo": "Uno", "n": 4, "suma": 3.0, "suma2": 2.5, "fallidas": 1},
        {"agente_id": "B", "equipo": "Uno", "n": 6, "suma": 4.2, "suma2": 3.1, "fallidas": 0},
    ])
    fila = c.resumen_auditorias(auditorias, por="equipo", minimo=5).iloc[0]
    assert fila["n"] == 10 and fila["fallidas"] == 1
    assert fila["puntaje"] == pytest.approx(0.72)
    assert fila["tasa_fallidas"] == pytest.approx(0.1)
    por_agente = c.resumen_auditorias(auditorias, minimo=5)
    assert por_agente["suficiente"].tolist() == [False, True]


def test_mapa_pone_el_peor_bloque_arriba_a_la_izquierda():
    filas = []
    for grupo, brechas in {"Bien": (0.0, 0.0, -0.1), "Mal": (0.4, 0.3, 0.0), "Medio": (0.1, 0.2, 0.0)}.items():
        for competencia, brecha in zip(("x", "y", "z"), brechas):
            filas.append({"etiqueta": grupo, "nombre_competencia": competencia, "brecha": brecha,
                          "puntaje": 0.8 - brecha, "n": 10, "suficiente": True})
    filas.append({"etiqueta": "Sin datos", "nombre_competencia": "x", "brecha": 0.9, "puntaje": 0.0, "n": 1,
                  "suficiente": False})
    mapa = c.mapa_brechas(pd.DataFrame(filas))
    assert list(mapa.brecha.columns) == ["x", "y", "z"]
    assert list(mapa.brecha.index)[:3] == ["Mal", "Medio", "Bien"]
    assert math.isnan(mapa.brecha.loc["Sin datos", "x"]) and mapa.n.loc["Sin datos", "x"] == 1
    limitado = c.mapa_brechas(pd.DataFrame(filas), maximo=2)
    assert list(limitado.brecha.index) == ["Mal", "Medio"] and list(limitado.n.index) == ["Mal", "Medio"]
    assert limitado.grupos == mapa.grupos == 4


def test_perfil_de_un_agente_frente_a_su_equipo():
    puntajes = pd.DataFrame([
        {"agente_id": "A", "nombre": "Ana", "equipo": "Uno", "competencia": k, **_sumas(v)}
        for k, v in (("escucha", [0.5] * 5), ("empatia", [1.0] * 5))
    ] + [{"agente_id": "B", "nombre": "Beto", "equipo": "Uno", "competencia": "escucha", **_sumas([1.0] * 5)}])
    tabla = c.perfil(c.brechas(puntajes, ESTANDAR), c.brechas(puntajes, ESTANDAR, por="equipo"), "A", "Uno")
    assert list(tabla.columns) == ["Ana (A)", "Uno", "Meta"]
    assert tabla.loc["Escucha con atención"].tolist() == pytest.approx([0.5, 0.75, 0.8])
    with pytest.raises(ValueError, match="'agente_id'"):
        c.perfil(c.brechas(puntajes, ESTANDAR), c.brechas(puntajes, ESTANDAR, por="equipo"), "Z", None)


# ---------------------------------------------------------------------------
# Impacto en los clientes
# ---------------------------------------------------------------------------

EFECTOS = {"a": 2.0, "b": 1.0, "c": 0.3, "d": 0.0}


def _sintetico(agentes: int = 240, semilla: int = 3):
    """Agentes con puntajes independientes y clientes cuyo CSAT depende de ellos con efectos conocidos."""
    rng = np.random.default_rng(semilla)
    ids = [f"A{i:03d}" for i in range(agentes)]
    puntaje = {k: rng.uniform(0.4, 1.0, agentes) for k in EFECTOS}
    nivel = 3.0 + sum(EFECTOS[k] * puntaje[k] for k in EFECTOS) + rng.normal(0, 0.05, agentes)
    celdas = []
    for i, agente in enumerate(ids):
        for canal, efecto_canal in (("Chat", 0.0), ("Teléfono", 0.3)):
            for motivo, efecto_motivo in (("consulta", 0.0), ("queja", -0.5)):
                n = int(rng.integers(10, 40))
                y = nivel[i] + efecto_canal + efecto_motivo + rng.normal(0, 0.8, n)
                celdas.append({"agente_id": agente, "canal": canal, "motivo": motivo, "n": n, "suma": y.sum(),
                               "suma2": (y**2).sum(), "_y": y})
    brechas_agente = pd.DataFrame([
        {"grupo": agente, "competencia": k, "nombre_competencia": k.upper(), "puntaje": puntaje[k][i],
         "suficiente": True} for i, agente in enumerate(ids) for k in EFECTOS])
    return pd.DataFrame(celdas), brechas_agente


def test_impacto_recupera_los_efectos_en_orden():
    celdas, brechas_agente = _sintetico()
    impactos = c.impacto(celdas.drop(columns="_y"), brechas_agente).set_index("competencia")
    assert impactos["impacto"].sort_values(ascending=False).index.tolist() == ["a", "b", "c", "d"]
    for competencia, efecto in EFECTOS.items():
        assert impactos.loc[competencia, "ic_inf"] < efecto < impactos.loc[competencia, "ic_sup"]
    assert impactos.loc["a", "p"] < 0.001 and impactos.loc["d", "p"] > 0.01
    assert impactos.loc["a", "n_agentes"] == 240
    assert impactos.loc["a", "nombre_competencia"] == "A"


def test_impacto_sobre_celdas_es_el_de_las_respuestas_sueltas():
    celdas, brechas_agente = _sintetico(agentes=30, semilla=5)
    fila = c.impacto(celdas.drop(columns="_y"), brechas_agente).set_index("competencia").loc["a"]
    sueltas = celdas.loc[celdas.index.repeat(celdas["n"])].reset_index(drop=True)
    sueltas["y"] = np.concatenate(celdas["_y"].to_list())
    sueltas = sueltas.merge(brechas_agente[brechas_agente["competencia"] == "a"][["grupo", "puntaje"]],
                            left_on="agente_id", right_on="grupo")
    x = np.column_stack([np.ones(len(sueltas)), sueltas["puntaje"], sueltas["canal"] == "Teléfono",
                         sueltas["motivo"] == "queja"]).astype(float)
    beta, *_ = np.linalg.lstsq(x, sueltas["y"].to_numpy(), rcond=None)
    residuo = sueltas["y"].to_numpy() - x @ beta
    inversa = np.linalg.inv(x.T @ x)
    carne = sum(np.outer(g, g) for g in (x[sueltas["agente_id"] == a].T @ residuo[sueltas["agente_id"] == a]
                                         for a in sueltas["agente_id"].unique()))
    g, n, k = 30, len(sueltas), 4
    error = math.sqrt((g / (g - 1) * (n - 1) / (n - k) * inversa @ carne @ inversa)[1, 1])
    assert fila["impacto"] == pytest.approx(beta[1])
    assert fila["ic_sup"] - fila["impacto"] == pytest.approx(stats.t.ppf(0.975, g - 1) * error)


def test_impacto_sin_variacion_o_con_pocos_agentes_es_nan():
    celdas, brechas_agente = _sintetico(agentes=4)
    assert c.impacto(celdas, brechas_agente)["impacto"].isna().all()
    celdas, brechas_agente = _sintetico(agentes=20)
    constante = brechas_agente.assign(puntaje=0.7)
    assert c.impacto(celdas, constante)["impacto"].isna().all()
    insuficientes = brechas_agente.assign(suficiente=False)
    assert c.impacto(celdas, insuficientes).empty
    with pytest.raises(ValueError, match="'minimo_agentes'"):
        c.impacto(celdas, brechas_agente, minimo_agentes=2)
    with pytest.raises(ValueError, match="'celdas' no tiene las columnas"):
        c.impacto(celdas.drop(columns="motivo"), brechas_agente)


def test_prioridad_es_brecha_por_impacto_positivo():
    tabla = pd.DataFrame({"grupo": ["A", "A", "B", "C"], "competencia": ["x", "y", "x", "x"],
                          "brecha": [0.2, 0.3, -0.1, 0.5], "brecha_inf": [0.1, 0.05, -0.2, 0.4],
                          "suficiente": [True, True, True, False]})
    impactos = pd.DataFrame({"competencia": ["x", "y"], "impacto": [2.0, -1.0], "ic_inf": [1.0, -2.0],
                             "ic_sup": [3.0, 0.0]})
    orden = c.prioridades(tabla, impactos)
    assert orden[["grupo", "competencia"]].values.tolist() == [["A", "x"], ["A", "y"], ["B", "x"]]
    assert orden["prioridad"].tolist() == pytest.approx([0.4, 0.0, 0.0])
    assert orden["clara"].tolist() == [True, False, False]


# ---------------------------------------------------------------------------
# Alfa de Krippendorff
# ---------------------------------------------------------------------------

#: Datos de fiabilidad de Krippendorff (2011, «Computing Krippendorff's Alpha-Reliability»):
#: 4 observadores × 12 unidades con datos faltantes; α nominal 0,743, ordinal 0,815, intervalo 0,849.
KRIPPENDORFF_2011 = [
    [1, 2, 3, 3, 2, 1, 4, 1, 2, NAN, NAN, NAN],
    [1, 2, 3, 3, 2, 2, 4, 1, 2, 5, NAN, 3],
    [NAN, 3, 3, 3, 2, 3, 4, 2, 2, 5, 1, NAN],
    [1, 2, 3, 3, 2, 4, 4, 1, 2, 5, 1, NAN],
]


def _largo(matriz):
    return pd.DataFrame([{"unidad": u, "auditor": f"obs{a}", "valor": v}
                         for a, fila in enumerate(matriz) for u, v in enumerate(fila)])


@pytest.mark.parametrize("nivel, esperado", [("nominal", 0.743), ("ordinal", 0.815), ("intervalo", 0.849)])
def test_alfa_del_ejemplo_de_krippendorff(nivel, esperado):
    assert c.alfa_krippendorff(_largo(KRIPPENDORFF_2011), nivel) == pytest.approx(esperado, abs=5e-4)


def test_alfa_a_mano_y_casos_limite():
    cal = pd.DataFrame({"unidad": [1, 1, 2, 2, 3, 3], "auditor": ["a", "b"] * 3, "valor": [1, 1, 2, 2, 3, 2]})
    assert c.alfa_krippendorff(cal, "nominal") == pytest.approx(6 / 11)
    perfecto = cal.assign(valor=[1, 1, 2, 2, 3, 3])
    assert c.alfa_krippendorff(perfecto, "intervalo") == pytest.approx(1.0)
    assert math.isnan(c.alfa_krippendorff(cal.assign(valor=4), "ordinal"))
    assert math.isnan(c.alfa_krippendorff(cal.iloc[::2], "ordinal"))
    assert math.isnan(c.alfa_krippendorff(cal.iloc[0:0], "ordinal"))
    with pytest.raises(ValueError, match="'nivel' debe ser 'nominal', 'ordinal' o 'intervalo'"):
        c.alfa_krippendorff(cal, "razon")
    with pytest.raises(ValueError, match="una sola vez"):
        c.alfa_krippendorff(pd.concat([cal, cal.iloc[:1]]), "ordinal")
    with pytest.raises(ValueError, match="'calificaciones' no tiene las columnas"):
        c.alfa_krippendorff(cal.drop(columns="auditor"))


def test_desacuerdo_sistematico_da_alfa_negativo():
    cal = pd.DataFrame({"unidad": [1, 1, 2, 2, 3, 3, 4, 4], "auditor": ["a", "b"] * 4,
                        "valor": [1, 5, 5, 1, 1, 5, 5, 1]})
    assert c.alfa_krippendorff(cal, "intervalo") < 0


@pytest.mark.parametrize("valor, lectura", [
    (-0.1, "Pobre (peor que el azar)"), (0.0, "Leve"), (0.2, "Leve"), (0.35, "Aceptable"), (0.6, "Moderado"),
    (0.8, "Considerable"), (0.81, "Casi perfecto"), (NAN, "Sin datos"),
])
def test_lectura_de_landis_y_koch(valor, lectura):
    assert c.lectura_landis_koch(valor) == lectura


def _dobles(ruido: float, unidades: int = 40, semilla: int = 1) -> pd.DataFrame:
    """Interacciones auditadas por dos auditores en escala 1–5, con ``ruido`` de desacuerdo."""
    rng = np.random.default_rng(semilla)
    verdad = rng.integers(1, 6, unidades)
    filas = []
    for auditor in ("Ana", "Beto"):
        valores = np.clip(np.rint(verdad + rng.normal(0, ruido, unidades)), 1, 5)
        filas += [{"unidad": f"I{u}", "auditor": auditor, "auditoria_id": f"{auditor}{u}", "competencia": "escucha",
                   "escala": "1-5", "valor": v, "valor_comun": (v - 1) / 4} for u, v in enumerate(valores)]
    return pd.DataFrame(filas)


def test_acuerdo_entre_auditores_distingue_acuerdo_de_ruido():
    alto = c.acuerdo_auditores(_dobles(0.2)).iloc[0]
    bajo = c.acuerdo_auditores(_dobles(3.0)).iloc[0]
    assert alto["nivel"] == "ordinal" and alto["unidades"] == 40
    assert alto["alfa"] > 0.8 > bajo["alfa"]
    assert alto["ic_inf"] <= alto["alfa"] <= alto["ic_sup"]
    assert alto["lectura"] in ("Considerable", "Casi perfecto")
    assert c.acuerdo_auditores(_dobles(0.2).iloc[0:0]).empty
    sin_intervalo = c.acuerdo_auditores(_dobles(0.2), remuestras=0).iloc[0]
    assert math.isnan(sin_intervalo["ic_inf"])


def test_nivel_de_medida_segun_escalas():
    assert c.nivel_de_medida({"1-5"}) == "ordinal"
    assert c.nivel_de_medida({"cumple"}) == "nominal"
    assert c.nivel_de_medida({"0-100"}) == "intervalo"
    mezcla = pd.concat([_dobles(0.2), _dobles(0.2, semilla=2).assign(escala="0-100", valor=lambda d: d.valor * 20,
                                                                      unidad=lambda d: "J" + d.unidad)])
    assert c.acuerdo_auditores(mezcla, remuestras=0).iloc[0]["nivel"] == "intervalo"


@pytest.mark.parametrize("nivel, valores", [("ordinal", np.arange(1.0, 6.0)), ("nominal", np.array([0.0, 1.0])),
                                            ("intervalo", np.linspace(0, 1, 21))])
def test_alfas_remuestreadas_a_la_vez_son_las_del_paquete_remuestra_por_remuestra(nivel, valores):
    from analisis.competencias import acuerdo  # noqa: PLC0415 - la función interna que se compara

    rng = np.random.default_rng(3)
    cuenta = np.zeros((120, valores.size))
    for unidad in range(120):
        np.add.at(cuenta[unidad], rng.integers(0, valores.size, size=rng.integers(2, 4)), 1)
    elegidas = rng.integers(0, 120, size=(40, 120))
    elegidas[0] = 0  # una remuestra de una sola unidad repetida: un valor o dos, como caiga
    veces = np.stack([np.bincount(fila, minlength=120) for fila in elegidas]).astype(float)
    juntas = acuerdo._alfas_remuestreadas(valores, cuenta, veces, nivel)
    una_a_una = np.array([acuerdo._alfa_de_conteos(valores, cuenta[fila], nivel) for fila in elegidas])
    np.testing.assert_allclose(juntas, una_a_una, rtol=0, atol=1e-12)
    assert np.isnan(juntas).sum() == np.isnan(una_a_una).sum() and np.isfinite(juntas[1:]).all()
