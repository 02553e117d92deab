"""Perfiles de clientes: preparación, agrupamiento, nombres, KPI, la consulta de rasgos y la página."""

import math
from datetime import date

import numpy as np
import pandas as pd
import pytest
from sklearn.metrics import adjusted_rand_score

from analisis import perfiles
from analisis.perfiles import _agrupamiento
from analisis.perfiles._nombres import nombres_automaticos
from analisis.kpis import media, nps, proporcion
from datos import demo
from datos.consultas import perfiles as consultas_perfiles
from datos.consultas import resumen as consultas_resumen
from datos.consultas.filtros import Filtros
from analisis.errores import MuestraInsuficiente
from datos.ajustes.perfiles import guardar_nombres_perfiles
from tests.apptest import abrir, abrir_pestana, sin_errores

# ---------------------------------------------------------------------------
# Datos sintéticos
# ---------------------------------------------------------------------------


def _separados(n_por_grupo: int = 80, semilla: int = 1) -> tuple[pd.DataFrame, np.ndarray]:
    """Tres grupos bien separados en dos numéricas y una categórica, más una numérica de ruido."""
    rng = np.random.default_rng(semilla)
    verdad = np.repeat([0, 1, 2], n_por_grupo)
    centros = np.array([[1.0, 5.0], [4.5, 2.0], [4.0, 4.5]])
    datos = pd.DataFrame({
        "csat": centros[verdad, 0] + rng.normal(0, 0.3, verdad.size),
        "quejas": (centros[verdad, 1] + rng.normal(0, 0.3, verdad.size)) / 10,
        "tipo_cliente": np.array(["externo", "interno", "intermedio"])[verdad],
        "ruido": rng.normal(0, 1, verdad.size),
    })
    orden = rng.permutation(verdad.size)
    return datos.iloc[orden].reset_index(drop=True), verdad[orden]


@pytest.fixture(scope="module")
def separados():
    return _separados()


@pytest.fixture(scope="module")
def resultado_separados(separados):
    datos, _ = separados
    return perfiles.perfilar(datos, ["csat", "quejas", "tipo_cliente"])


# ---------------------------------------------------------------------------
# Preparación de la matriz
# ---------------------------------------------------------------------------

def test_preparar_valores_a_mano():
    p = perfiles.preparar(pd.DataFrame({"a": [1.0, 2.0, None, 3.0], "b": ["x", "y", "x", "x"]}))
    # a: media observada 2, varianza observada 2/3 → z = (a − 2)/√(2/3); el faltante queda en 0.
    assert p.matriz[:, p.bloques["a"]].ravel() == pytest.approx([-math.sqrt(1.5), 0, 0, math.sqrt(1.5)], abs=1e-6)
    # b: p = (3/4, 1/4); fila centrada de 'x' = (1/4, −1/4), escalada por 1/√(1 − 9/16 − 1/16).
    escala = 1 / math.sqrt(0.375)
    assert p.matriz[0, p.bloques["b"]] == pytest.approx([0.25 * escala, -0.25 * escala], abs=1e-6)
    assert p.matriz[1, p.bloques["b"]] == pytest.approx([-0.75 * escala, 0.75 * escala], abs=1e-6)
    assert p.matriz.dtype == np.float32


def test_cada_variable_pesa_lo_mismo_y_el_grupo_cuenta_como_una():
    rng = np.random.default_rng(0)
    datos = pd.DataFrame({"x": rng.normal(50, 20, 500), "c": rng.choice(list("abcde"), 500),
                          "p1": rng.random(500), "p2": rng.random(500), "p3": rng.random(500)})
    p = perfiles.preparar(datos, ["x", "c", "mezcla"], grupos={"mezcla": ("p1", "p2", "p3")})
    for variable in ("x", "c", "mezcla"):
        assert p.matriz[:, p.bloques[variable]].var(axis=0).sum() == pytest.approx(1, rel=1e-3)
    assert p.variables == {"x": ("x",), "c": ("c",), "mezcla": ("p1", "p2", "p3")}


def test_faltantes_al_centro_y_extremos_recortados():
    valores = np.r_[np.arange(1000, dtype=float), 10_000.0, np.nan]
    columna = perfiles.preparar(pd.DataFrame({"x": valores, "y": valores[::-1]})).matriz[:, 0]
    assert columna[-1] == 0  # el faltante
    assert columna[-2] == pytest.approx(columna[-3])  # 10.000 y 999 recortados al percentil 99
    assert columna.max() < 2


def test_categorica_faltante_al_centro():
    p = perfiles.preparar(pd.DataFrame({"c": ["a", None, "b", "a"], "x": [1.0, 2, 3, 4]}))
    assert p.matriz[1, p.bloques["c"]] == pytest.approx([0, 0])


def test_sin_variacion_se_descartan():
    datos = pd.DataFrame({"x": [1.0, 2, 3, 4], "constante": [5.0] * 4, "vacia": [np.nan] * 4,
                          "un_nivel": ["a"] * 4, "c": ["a", "b", "a", "b"]})
    p = perfiles.preparar(datos)
    assert set(p.descartadas) == {"constante", "vacia", "un_nivel"}
    assert list(p.variables) == ["x", "c"]


def test_por_omision_no_usa_identificadores():
    datos = pd.DataFrame({"cliente_id": [f"C{i}" for i in range(40)], "x": np.arange(40.0),
                          "c": ["a", "b"] * 20})
    assert list(perfiles.preparar(datos).variables) == ["x", "c"]


# ---------------------------------------------------------------------------
# Agrupamiento
# ---------------------------------------------------------------------------

def test_grupos_bien_separados_se_encuentran(separados, resultado_separados):
    _, verdad = separados
    assert resultado_separados.k == resultado_separados.k_sugerido == 3
    assert adjusted_rand_score(verdad, resultado_separados.etiquetas) >= 0.9
    assert max(resultado_separados.silueta, key=resultado_separados.silueta.get) == 3
    assert set(resultado_separados.silueta) == set(range(2, perfiles.K_MAXIMO + 1))
    assert resultado_separados.estabilidad > 0.95
    assert len(resultado_separados.estabilidades) == perfiles.REMUESTRAS


def test_perfiles_numerados_de_mayor_a_menor():
    datos, verdad = _separados()
    pequenos = datos[(verdad != 2) | (np.arange(len(verdad)) % 4 == 0)].reset_index(drop=True)
    resultado = perfiles.perfilar(pequenos, ["csat", "quejas", "tipo_cliente"])
    tamanos = [resultado.tamanos[g] for g in range(resultado.k)]
    assert tamanos == sorted(tamanos, reverse=True)
    assert sum(tamanos) == len(pequenos)


def test_k_fijado_por_el_usuario(separados):
    datos, _ = separados
    resultado = perfiles.perfilar(datos, ["csat", "quejas"], k=5)
    assert resultado.k == 5 and resultado.k_sugerido == 3
    assert set(np.unique(resultado.etiquetas)) == set(range(5))


def test_reproducible_con_la_misma_semilla(separados):
    datos, _ = separados
    a = perfiles.perfilar(datos, semilla=3)
    b = perfiles.perfilar(datos, semilla=3)
    assert np.array_equal(a.etiquetas, b.etiquetas)
    assert a.nombres == b.nombres and a.firmas == b.firmas and a.silueta == b.silueta
    assert a.estabilidades == b.estabilidades


def test_muestra_de_ajuste_y_asignacion_de_todos(monkeypatch):
    datos, verdad = _separados(n_por_grupo=400)
    monkeypatch.setattr(_agrupamiento, "MUESTRA_AJUSTE", 300)
    monkeypatch.setattr(_agrupamiento, "MUESTRA_MAPA", 150)
    resultado = perfiles.perfilar(datos, ["csat", "quejas", "tipo_cliente"])
    assert resultado.n_ajuste == 300
    assert len(resultado.etiquetas) == len(datos)
    assert adjusted_rand_score(verdad, resultado.etiquetas) >= 0.9
    assert len(resultado.mapa) == 150 and resultado.mapa["fila"].is_unique
    assert resultado.mapa["grupo"].tolist() == resultado.etiquetas[resultado.mapa["fila"]].tolist()


def test_mapa_pca(resultado_separados, separados):
    mapa = resultado_separados.mapa
    assert list(mapa.columns) == ["fila", "x", "y", "grupo"]
    assert len(mapa) == len(separados[0])
    assert 0 < resultado_separados.varianza_mapa[1] <= resultado_separados.varianza_mapa[0] <= 1


def test_ruido_puro_es_menos_estable(resultado_separados):
    rng = np.random.default_rng(5)
    ruido = pd.DataFrame(rng.normal(size=(300, 4)), columns=list("abcd"))
    resultado = perfiles.perfilar(ruido, k=5)
    assert resultado.estabilidad < resultado_separados.estabilidad
    assert perfiles.nivel_silueta(resultado.silueta[5]) in {"nula", "débil"}


# ---------------------------------------------------------------------------
# Mensajes claros
# ---------------------------------------------------------------------------

def test_pocos_clientes():
    datos = pd.DataFrame({"x": np.arange(12.0), "y": np.arange(12.0) % 3})
    with pytest.raises(MuestraInsuficiente, match="Hay 12 clientes.*al menos 20"):
        perfiles.perfilar(datos)


@pytest.mark.parametrize("columnas", [[], ["csat"], ["csat", "constante"]])
def test_pocas_variables(separados, columnas):
    datos = separados[0].assign(constante=1.0)
    with pytest.raises(MuestraInsuficiente, match="al menos dos variables"):
        perfiles.perfilar(datos, columnas)


def test_variables_sin_variacion_se_nombran(separados):
    datos = separados[0].assign(csat=4.0)
    with pytest.raises(MuestraInsuficiente, match="Sin variación: CSAT medio"):
        perfiles.perfilar(datos, ["csat", "quejas"])


def test_clientes_casi_identicos():
    datos = pd.DataFrame({"x": [0.0, 1.0] * 20, "y": ["a", "b"] * 20})
    assert perfiles.perfilar(datos).k == 2
    with pytest.raises(MuestraInsuficiente, match="casi idénticos"):
        perfiles.perfilar(datos, k=3)


@pytest.mark.parametrize("argumentos, mensaje", [
    ({"clientes": [1, 2]}, "'clientes' debe ser un DataFrame"),
    ({"k": 1}, "'k' debe estar entre 2 y 8"),
    ({"k": 2.5}, "'k' debe ser un entero"),
    ({"semilla": -1}, "'semilla'"),
    ({"columnas": ["no_existe"]}, "'columnas' nombra columnas que no están.*no_existe"),
    ({"columnas": "csat"}, "'columnas' debe ser una lista"),
    ({"columnas": ["g"], "grupos": {"g": ("csat", "tipo_cliente")}}, "'grupos'.*numéricas"),
])
def test_argumentos_no_validos(separados, argumentos, mensaje):
    opciones = {"clientes": separados[0], **argumentos}
    with pytest.raises(ValueError, match=mensaje):
        perfiles.perfilar(**opciones)


# ---------------------------------------------------------------------------
# Rasgos, nombres y firmas
# ---------------------------------------------------------------------------

def test_rasgos_desvio_a_mano():
    datos = pd.DataFrame({"x": [1.0, 1, 1, 1, 3, 3, 3, 3] * 3, "y": [0.0, 0, 0, 0, 1, 1, 1, 1] * 3,
                          "c": ["a", "a", "a", "b", "b", "b", "b", "b"] * 3})
    resultado = perfiles.perfilar(datos, k=2)
    tabla = resultado.rasgos
    grupo_alto = int(resultado.etiquetas[4])
    assert resultado.tamanos[grupo_alto] == 12
    fila = tabla[(tabla["grupo"] == grupo_alto) & (tabla["variable"] == "x")].iloc[0]
    # x: media 2, desviación típica 1; el grupo alto tiene media 3 → desvío +1.
    assert (fila["valor_grupo"], fila["valor_poblacion"], fila["desvio"]) == pytest.approx((3, 2, 1))
    nivel_b = tabla[(tabla["grupo"] == grupo_alto) & (tabla["nivel"] == "b")].iloc[0]
    # 'b' en todos: 5/8; en el grupo alto: 1 → (1 − 5/8)/√(5/8·3/8).
    assert nivel_b["desvio"] == pytest.approx((1 - 5 / 8) / math.sqrt(15 / 64))
    assert nivel_b["rasgo"] == "c: b" and nivel_b["unidad"] == "proporcion"


def test_nombres_automaticos_en_espanol(resultado_separados):
    nombres = set(resultado_separados.nombres.values())
    assert len(nombres) == 3
    assert any(n.startswith("Externos") and n.endswith("insatisfechos") for n in nombres), nombres
    assert any(n.startswith("Internos") and "pocas quejas" in n for n in nombres), nombres


def test_nombres_repetidos_se_distinguen():
    fila = {"variable": "csat", "nivel": None, "valor_grupo": 4.5, "valor_poblacion": 4.0, "desvio": 1.0,
            "rasgo": "CSAT", "unidad": "numero"}
    tabla = pd.DataFrame([{**fila, "grupo": 0}, {**fila, "grupo": 1}])
    assert nombres_automaticos(tabla, 2) == {0: "Clientes satisfechos", 1: "Clientes satisfechos (2)"}


def test_perfil_sin_rasgos_destacados():
    tabla = pd.DataFrame([{"grupo": 0, "variable": "csat", "nivel": None, "valor_grupo": 4.0,
                           "valor_poblacion": 4.0, "desvio": 0.1, "rasgo": "CSAT", "unidad": "numero"}])
    assert nombres_automaticos(tabla, 1) == {0: "Clientes típicos"}


def test_firmas_estables_y_distintas(separados, resultado_separados):
    datos, _ = separados
    otra_vez = perfiles.perfilar(datos, ["csat", "quejas", "tipo_cliente"])
    assert otra_vez.firmas == resultado_separados.firmas
    assert len(set(otra_vez.firmas.values())) == 3
    menos = perfiles.perfilar(datos, ["csat", "quejas"], k=3)
    assert not set(menos.firmas.values()) & set(otra_vez.firmas.values())


def test_con_nombres_y_cambios(resultado_separados):
    firma = resultado_separados.firmas[1]
    guardados = pd.DataFrame({"firma": [firma, "otra"], "nombre": ["Clientes clave", "x"]})
    nombres = perfiles.con_nombres(resultado_separados, guardados)
    assert nombres[1] == "Clientes clave" and nombres[0] == resultado_separados.nombres[0]
    cambios = perfiles.cambios_de_nombre(resultado_separados, {0: "  Nuevo   nombre ", 1: "", 2:
                                                               resultado_separados.nombres[2]})
    assert cambios == {resultado_separados.firmas[0]: "Nuevo nombre", firma: None,
                       resultado_separados.firmas[2]: None}


def test_aviso_de_faltantes(separados):
    datos = separados[0].copy()
    datos.loc[: len(datos) // 2, "csat"] = np.nan
    resultado = perfiles.perfilar(datos, ["csat", "quejas"])
    assert resultado.faltantes["csat"] == pytest.approx((len(datos) // 2 + 1) / len(datos))
    assert resultado.faltantes["quejas"] == 0
    assert perfiles.aviso_faltantes(resultado) == "Sin dato (quedan en el centro de la variable): CSAT medio " \
        "(1–5), 50 % de los clientes."


def test_tabla_de_rasgos_para_mostrar(resultado_separados):
    tabla = perfiles.rasgos(resultado_separados, 0, cantidad=2)
    assert list(tabla.columns) == ["Rasgo", "En el perfil", "En todos", "Desvío"]
    assert len(tabla) == 2
    # Dos numéricas y, de la categórica, solo la categoría que abunda más que en el total.
    tabla = perfiles.rasgos(resultado_separados, 0, cantidad=10)
    assert len(tabla) == 3
    assert all("," in v or "%" in v for v in tabla["En el perfil"])
    assert not any(v.startswith("-") and "Tipo" in r for r, v in zip(tabla["Rasgo"], tabla["Desvío"]))
    with pytest.raises(ValueError, match="'grupo'"):
        perfiles.rasgos(resultado_separados, 9)


def test_comparacion(resultado_separados):
    tabla = perfiles.comparacion(resultado_separados, resultado_separados.nombres, por_perfil=2)
    assert list(tabla.columns) == ["perfil", "rasgo", "desvio", "texto"]
    assert set(tabla["perfil"]) == {f"{g + 1}. {n}" for g, n in resultado_separados.nombres.items()}
    assert tabla.groupby("rasgo", observed=True).size().eq(3).all()


# ---------------------------------------------------------------------------
# KPI por perfil y exportación
# ---------------------------------------------------------------------------

def test_kpis_por_grupo_a_mano():
    clientes = pd.DataFrame({
        "n_csat": [2, 1, 3], "suma_csat": [6.0, 5.0, 6.0], "suma2_csat": [20.0, 25.0, 14.0],
        "n_nps": [2, 1, 3], "promotores": [1, 1, 0], "detractores": [1, 0, 2],
        "n_motivo": [3, 1, 4], "n_quejas": [2, 0, 1],
    })
    kpis = perfiles.kpis_por_grupo(perfiles.sumas_por_grupo(clientes, np.array([0, 0, 1])), {0: "Uno", 1: "Dos"})
    uno = kpis[kpis["grupo"] == 0].iloc[0]
    assert uno["clientes"] == 2 and uno["nombre"] == "Uno"
    assert uno["csat"] == pytest.approx(media(11, 45, 3).valor)
    assert uno["csat_inf"] == pytest.approx(media(11, 45, 3).ic_inf)
    assert uno["nps"] == pytest.approx(nps(2, 0, 1).valor) == pytest.approx(100 / 3)
    assert (uno["quejas"], uno["quejas_sup"], uno["quejas_n"]) == pytest.approx(
        (0.5, proporcion(2, 4).ic_sup, 4))
    todos = kpis[kpis["grupo"] == perfiles.TODOS].iloc[0]
    assert todos["clientes"] == 3 and todos["csat_n"] == 6 and todos["csat"] == pytest.approx(17 / 6)
    with pytest.raises(ValueError, match="columnas de conteo"):
        perfiles.sumas_por_grupo(clientes.drop(columns="n_quejas"), np.array([0, 0, 1]))
    with pytest.raises(ValueError, match="una entrada por fila"):
        perfiles.sumas_por_grupo(clientes, np.array([0, 1]))


def test_textos_kpis_marcan_muestra_insuficiente():
    clientes = pd.DataFrame({"n_csat": [40, 5], "suma_csat": [160.0, 10.0], "suma2_csat": [660.0, 22.0],
                             "n_nps": [40, 5], "promotores": [20, 0], "detractores": [5, 4],
                             "n_motivo": [50, 5], "n_quejas": [5, 4]})
    kpis = perfiles.kpis_por_grupo(perfiles.sumas_por_grupo(clientes, np.array([0, 1])), {0: "A", 1: "B"})
    grande = perfiles.textos_kpis(kpis, 0, muestra_minima=30)
    assert [t.titulo for t in grande] == ["CSAT (1–5)", "NPS", "Quejas y reclamos"]
    # CSAT del perfil 160/40 = 4,00; de todos 170/45 = 3,78 → +0,22.
    assert grande[0].valor == "4,00" and grande[0].suficiente and grande[0].diferencia == "+0,22"
    assert grande[2].color == "inverse" and grande[2].valor == "10,0 %"
    pequeno = perfiles.textos_kpis(kpis, 1, muestra_minima=30)
    assert not pequeno[0].suficiente and pequeno[0].diferencia is None
    assert "muestra insuficiente" in pequeno[0].detalle and "n = 5 respuestas" in pequeno[0].detalle


def test_clientes_del_perfil(resultado_separados, separados):
    datos = separados[0].assign(cliente_id=[f"C{i:03d}" for i in range(len(separados[0]))])
    tabla = perfiles.clientes_del_perfil(datos, resultado_separados, resultado_separados.nombres, 1,
                                         columnas=["cliente_id"])
    assert list(tabla.columns) == ["cliente_id", "Perfil", "Nombre del perfil", "CSAT medio (1–5)",
                                   "Quejas y reclamos (% de contactos)", "Tipo de cliente"]
    assert len(tabla) == resultado_separados.tamanos[1] and set(tabla["Perfil"]) == {2}
    todos = perfiles.clientes_del_perfil(datos, resultado_separados, resultado_separados.nombres)
    assert len(todos) == len(datos)
    vista = perfiles.clientes_del_perfil(datos, resultado_separados, resultado_separados.nombres, limite=5, texto=True)
    assert len(vista) == 5
    assert all("," in v for v in vista["CSAT medio (1–5)"])
    assert all(v.endswith(" %") for v in vista["Quejas y reclamos (% de contactos)"])


# ---------------------------------------------------------------------------
# Consulta de rasgos por cliente (Ibis + DuckDB), con valores a mano
# ---------------------------------------------------------------------------

@pytest.fixture
def con_rasgos(almacen_memoria):
    """Tres clientes, cinco interacciones y cuatro encuestas escritas a mano."""
    con = almacen_memoria.cursor()
    con.execute("INSERT INTO cargas (carga_id, tipo) VALUES (1, 'prueba')")
    con.executemany("INSERT INTO clientes VALUES (?, ?, ?, ?, ?, NULL, 1)", [
        ["C1", "externo", "Hogar", "Norte", date(2025, 1, 1)],
        ["C2", "interno", "Área interna", "Sur", date(2026, 1, 16)],
        ["C3", "externo", "Pyme", "Centro", None],
    ])
    con.executemany(
        "INSERT INTO interacciones (interaccion_id, fecha_inicio, cliente_id, canal, sucursal, motivo, escalado, "
        "promesa_cumplida, carga_id) VALUES (?, ?, ?, ?, ?, ?, ?, ?, 1)", [
            ["I1", "2026-01-05 10:00", "C1", "Teléfono", "Norte", "queja", True, False],
            ["I2", "2026-01-20 10:00", "C1", "Chat", "Norte", "consulta", False, True],
            ["I3", "2026-01-25 10:00", "C1", "Teléfono", "Sur", " Reclamo ", False, None],
            ["I4", "2026-01-21 10:00", "C2", "Correo", "Sur", "solicitud", False, True],
            ["I5", "2025-12-20 10:00", "C1", "Teléfono", "Norte", "queja", False, True],
        ])
    con.executemany("INSERT INTO encuestas (respuesta_id, fecha, cliente_id, csat, nps, ces, carga_id) "
                    "VALUES (?, ?, ?, ?, ?, ?, 1)", [
                        ["E1", "2026-01-06 10:00", "C1", 2, 3, 2],
                        ["E2", "2026-01-21 10:00", "C1", 4, 8, None],
                        ["E3", "2026-01-22 10:00", "C2", 5, 10, 7],
                        ["E4", "2025-12-21 10:00", "C1", 1, 0, 1],
                    ])
    return almacen_memoria.ibis()


ENERO = Filtros(date(2026, 1, 1), date(2026, 1, 31))
CANALES = ("Chat", "Correo", "Teléfono")


def test_rasgos_por_cliente_a_mano(con_rasgos):
    t = consultas_perfiles.caracteristicas_clientes(con_rasgos, ENERO, CANALES).to_pandas().set_index("cliente_id")
    assert list(t.index) == ["C1", "C2", "C3"]
    c1, c2, c3 = t.loc["C1"], t.loc["C2"], t.loc["C3"]
    assert c1["antiguedad_anios"] == pytest.approx(395 / 365.25)
    assert c1["contactos_mes"] == pytest.approx(3 / (31 / 30.4375))
    assert c1["recencia_dias"] == 6
    assert (c1["canal_Teléfono"], c1["canal_Chat"], c1["canal_Correo"]) == pytest.approx((2 / 3, 1 / 3, 0))
    assert (c1["quejas"], c1["n_quejas"], c1["n_motivo"]) == pytest.approx((2 / 3, 2, 3))
    assert (c1["promesas_incumplidas"], c1["escalados"]) == pytest.approx((1 / 2, 1 / 3))
    assert (c1["csat"], c1["n_csat"], c1["suma_csat"], c1["suma2_csat"]) == pytest.approx((3, 2, 6, 20))
    assert (c1["n_nps"], c1["promotores"], c1["detractores"], c1["nps_clase"]) == (2, 0, 1, "detractor")
    assert c1["ces"] == 2
    # C2: alta a mitad de la ventana → 16 días de exposición.
    assert c2["contactos_mes"] == pytest.approx(1 / (16 / 30.4375))
    assert (c2["canal_Correo"], c2["nps_clase"], c2["ces"], c2["recencia_dias"]) == (1.0, "promotor", 7, 10)
    # C3: sin contactos ni encuestas ni alta.
    assert c3["contactos_mes"] == 0 and c3["n_contactos"] == 0 and c3["n_csat"] == 0
    assert all(pd.isna(c3[c]) for c in ("antiguedad_anios", "recencia_dias", "canal_Chat", "quejas", "csat",
                                        "nps_clase", "ces"))


def test_rasgos_filtros_de_poblacion(con_rasgos):
    sur = consultas_perfiles.caracteristicas_clientes(
        con_rasgos, Filtros(ENERO.desde, ENERO.hasta, sucursales=("Sur",)), CANALES).to_pandas().set_index("cliente_id")
    assert list(sur.index) == ["C1", "C2"]
    assert sur.loc["C1", "n_contactos"] == 3  # todos sus contactos de enero, no solo los de la sucursal
    internos = consultas_perfiles.caracteristicas_clientes(con_rasgos, Filtros(tipos_cliente=("interno",)), CANALES)
    assert internos.to_pandas()["cliente_id"].tolist() == ["C2"]


def test_rasgos_sin_periodo_usan_todo_el_historial(con_rasgos):
    t = consultas_perfiles.caracteristicas_clientes(con_rasgos, Filtros()).to_pandas().set_index("cliente_id")
    assert t.loc["C1", "n_contactos"] == 4 and t.loc["C1", "n_csat"] == 3
    assert t.loc["C1", "recencia_dias"] == 0  # el último dato es del 25-01-2026
    assert not any(c.startswith("canal_") for c in t.columns)


def test_rasgos_muestra_maxima(con_rasgos):
    t = consultas_perfiles.caracteristicas_clientes(con_rasgos, Filtros(), CANALES, 2).to_pandas()
    assert len(t) == 2 and t["cliente_id"].is_monotonic_increasing
    with pytest.raises(ValueError, match="'maximo'"):
        consultas_perfiles.caracteristicas_clientes(con_rasgos, Filtros(), CANALES, 0)


# ---------------------------------------------------------------------------
# Nombres guardados
# ---------------------------------------------------------------------------

def test_guardar_y_leer_nombres(almacen_memoria):
    con = almacen_memoria.cursor()
    version = almacen_memoria.version_datos()
    assert guardar_nombres_perfiles(con, {"f1": "Clientes clave", "f2": "Otros"}, autor="ana") == 2
    guardar_nombres_perfiles(con, {"f1": "Clientes muy clave", "f2": None}, autor="ana")
    leidos = consultas_perfiles.nombres_perfiles(almacen_memoria.ibis()).to_pandas()
    assert leidos.to_dict("records") == [{"firma": "f1", "nombre": "Clientes muy clave"}]
    assert almacen_memoria.version_datos() == version


@pytest.mark.parametrize("cambios, mensaje", [({"": "x"}, "firma"), ({"f": ""}, "nombre"), ({"f": "x" * 81}, "nombre")])
def test_nombres_no_validos(almacen_memoria, cambios, mensaje):
    with pytest.raises(ValueError, match=mensaje):
        guardar_nombres_perfiles(almacen_memoria.cursor(), cambios, autor="ana")


# ---------------------------------------------------------------------------
# Datos de demostración: se encuentran los perfiles sembrados
# ---------------------------------------------------------------------------

@pytest.fixture(scope="module")
def demo_rasgos(demo_compartida):
    """Rasgos de los clientes de la demostración (escala 0,3: 1.500 clientes) y su perfil sembrado."""
    almacen = demo_compartida(escala=0.3)
    con = almacen.ibis()
    canales = tuple(consultas_resumen.valores_de_filtro(con, "canal").to_pandas()["valor"])
    clientes = consultas_perfiles.caracteristicas_clientes(con, Filtros(), canales).to_pandas()
    sembrado = [f[0] for f in almacen.cursor().execute(
        "SELECT atributos->>'perfil' FROM clientes ORDER BY cliente_id").fetchall()]
    return clientes, canales, np.array(sembrado)


def test_demo_perfiles_sembrados(demo_rasgos):
    clientes, canales, sembrado = demo_rasgos
    grupos = perfiles.variables_cliente(canales)
    resultado = perfiles.perfilar(clientes, list(perfiles.PREDETERMINADAS), grupos=grupos)
    # Medido: k = 4 y ARI ≈ 0,81 (los dos perfiles externos comparten tipo y segmento y solo los
    # separan canal, quejas y satisfacción, con ≈ 10 contactos por cliente).
    assert resultado.k == 4
    assert adjusted_rand_score(sembrado, resultado.etiquetas) >= 0.75
    assert resultado.estabilidad >= 0.8
    telefono = [n for n in resultado.nombres.values() if "teléfono" in n]
    assert len(telefono) == 1 and "insatisfechos" in telefono[0]
    insatisfecho = resultado.etiquetas[sembrado == demo.PERFIL_INSATISFECHO]
    assert resultado.nombres[int(np.bincount(insatisfecho).argmax())] == telefono[0]
    otra_vez = perfiles.perfilar(clientes, list(perfiles.PREDETERMINADAS), grupos=grupos)
    assert otra_vez.nombres == resultado.nombres and np.array_equal(otra_vez.etiquetas, resultado.etiquetas)


# ---------------------------------------------------------------------------
# Página (AppTest)
# ---------------------------------------------------------------------------

def test_pagina_perfiles(base_demo):
    at = abrir("paginas/perfiles.py")
    sin_errores(at)
    assert at.title[0].value == "Perfiles de clientes"
    metricas = {m.label: m.value for m in at.metric}
    assert metricas["Perfiles"] == "4" and metricas["Clientes perfilados"] == "1.500"
    assert "," in metricas["Silueta media"] and "," in metricas["Estabilidad"]
    assert len(at.subheader) == 4
    assert [t.label for t in at.tabs] == ["Personas", "Mapa", "Comparación", "Número de perfiles", "Clientes",
                                         "Renombrar"]
    # Cuatro tablas de rasgos (ajustadas: no se cortan a 1280 px); solo se ejecuta la pestaña abierta.
    assert len(at.table) == 4 and len(at.dataframe) == 0
    abrir_pestana(at, "Clientes")
    assert len(at.table) == 0 and len(at.dataframe) == 1  # el detalle de clientes
    at.selectbox(key="perfil_detalle").set_value(0).run()
    sin_errores(at)
    assert any("clientes; en pantalla" in c.value for c in at.caption)


def test_pagina_renombrar_persiste(base_demo):
    at = abrir_pestana(abrir("paginas/perfiles.py"), "Renombrar")
    campo = at.text_input[0]
    campo.input("Clientes que hay que cuidar")
    next(b for b in at.button if b.label == "Guardar nombres").click().run()
    sin_errores(at)
    assert any(s.value.endswith("Clientes que hay que cuidar") for s in abrir_pestana(at, "Personas").subheader)
    nuevo = abrir("paginas/perfiles.py")
    assert any(s.value.endswith("Clientes que hay que cuidar") for s in nuevo.subheader)


def test_pagina_k_manual_y_sin_variables(base_demo):
    at = abrir("paginas/perfiles.py")
    at.selectbox(key="k_perfiles").set_value(3).run()
    sin_errores(at)
    assert len(at.subheader) == 3
    at.multiselect(key="variables_perfiles").set_value([]).run()
    sin_errores(at)
    assert any("al menos dos variables" in w.value for w in at.warning)


def test_pagina_sin_datos(base_vacia):
    at = abrir("paginas/perfiles.py")
    sin_errores(at)
    assert any("Todavía no hay datos" in i.value for i in at.info)


def test_umbral_de_privacidad_borra_los_kpis_de_perfiles_pequenos():
    clientes = pd.DataFrame({"n_csat": [20, 3], "suma_csat": [80.0, 12.0], "suma2_csat": [330.0, 50.0],
                             "n_nps": [20, 3], "promotores": [10, 1], "detractores": [5, 1],
                             "n_motivo": [20, 3], "n_quejas": [4, 1]})
    kpis = perfiles.kpis_por_grupo(perfiles.sumas_por_grupo(clientes, np.array([0, 1])), {0: "Grande", 1: "Pequeño"},
                                   privacidad=10)
    grande, pequeno = kpis[kpis["grupo"] == 0].iloc[0], kpis[kpis["grupo"] == 1].iloc[0]
    assert grande["csat"] == pytest.approx(4.0) and not np.isnan(grande["nps"])
    assert np.isnan(pequeno["csat"]) and np.isnan(pequeno["nps_inf"]) and np.isnan(pequeno["quejas"])
    assert pequeno["csat_n"] == 3


def test_rasgos_de_clientes_solo_con_contactos_del_alcance(almacen_memoria):
    demo.cargar_demo(almacen_memoria.cursor(), escala=0.05)
    con = almacen_memoria.ibis()
    norte = Filtros(sucursales=("Sucursal Norte",))
    todos = consultas_perfiles.caracteristicas_clientes(con, norte).to_pandas().set_index("cliente_id")
    limitados = consultas_perfiles.caracteristicas_clientes(con, norte, (), None, norte).to_pandas()
    limitados = limitados.set_index("cliente_id")
    esperado = dict(almacen_memoria.cursor().execute(
        "SELECT cliente_id, count(*) FROM interacciones WHERE sucursal = 'Sucursal Norte' GROUP BY 1").fetchall())
    assert limitados.index.equals(todos.index)
    assert limitados["n_contactos"].to_dict() == {c: esperado.get(c, 0) for c in limitados.index}
    assert (todos["n_contactos"] >= limitados["n_contactos"]).all()
    assert (todos["n_contactos"] > limitados["n_contactos"]).any()
