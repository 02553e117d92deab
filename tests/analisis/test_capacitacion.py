"""Plan de capacitación, progreso entre rondas y sesgo de auditores."""

import datetime
import math

import numpy as np
import pandas as pd
import pytest

from analisis import capacitacion as k
from analisis.kpis import comparar_medias

TEMAS = pd.DataFrame({"competencia": ["escucha", "empatia", "empatia", "resolucion"],
                      "tema": ["Escucha", "Escucha", "Comunicación", "Destrezas técnicas"]})


def _prioridades(filas):
    columnas = ["grupo", "etiqueta", "competencia", "nombre_competencia", "brecha", "brecha_inf", "prioridad"]
    return pd.DataFrame(filas, columns=columnas)


def test_plan_elige_las_brechas_claras_mas_prioritarias():
    prioridades = _prioridades([
        ("A", "Ana", "escucha", "Escucha", 0.30, 0.10, 0.30),
        ("A", "Ana", "empatia", "Empatía", 0.20, 0.05, 0.25),
        ("A", "Ana", "resolucion", "Resolución", 0.40, 0.20, 0.10),
        ("A", "Ana", "imagen", "Imagen", 0.50, 0.30, 0.05),
        ("B", "Beto", "empatia", "Empatía", 0.10, -0.02, 0.50),
        ("C", "Carla", "resolucion", "Resolución", 0.20, 0.01, 0.00),
    ])
    plan = k.plan_capacitacion(prioridades, TEMAS)
    ana = plan.necesidades[plan.necesidades["grupo"] == "A"]
    assert ana["competencia"].tolist() == ["escucha", "empatia", "resolucion"]
    assert ana["orden"].tolist() == [1, 2, 3]
    assert ana.set_index("competencia").loc["empatia", "temas"] == "Comunicación, Escucha"
    assert "B" not in set(plan.necesidades["grupo"])
    sesiones = plan.sesiones.set_index("tema")
    assert sesiones.loc["Escucha", "participantes"] == 1
    assert sesiones.loc["Escucha", "prioridad"] == pytest.approx(0.55)
    assert sesiones.loc["Destrezas técnicas", "quienes"] == "Ana, Carla"
    assert plan.sesiones["tema"].iloc[0] == "Escucha"
    uno = k.plan_capacitacion(prioridades, TEMAS, maximo=1)
    assert uno.necesidades.groupby("grupo").size().max() == 1


def test_plan_sin_tema_y_sin_brechas():
    prioridades = _prioridades([("A", "Ana", "imagen", "Imagen", 0.5, 0.3, 0.1)])
    plan = k.plan_capacitacion(prioridades, TEMAS)
    assert plan.necesidades["temas"].tolist() == ["(sin tema asignado)"]
    assert plan.sesiones.empty
    vacio = k.plan_capacitacion(prioridades.assign(brecha_inf=-0.1), TEMAS)
    assert vacio.necesidades.empty and vacio.sesiones.empty
    with pytest.raises(ValueError, match="'maximo'"):
        k.plan_capacitacion(prioridades, TEMAS, maximo=0)
    with pytest.raises(ValueError, match="'prioridades' no tiene las columnas"):
        k.plan_capacitacion(prioridades.drop(columns="prioridad"), TEMAS)
    with pytest.raises(ValueError, match="'temas'"):
        k.plan_capacitacion(prioridades, TEMAS.rename(columns={"tema": "nombre"}))


def _ronda(agente, equipo, ronda, competencia, valores):
    valores = np.asarray(valores, dtype=float)
    return {"agente_id": agente, "equipo": equipo, "ronda": ronda, "competencia": competencia, "n": valores.size,
            "suma": valores.sum(), "suma2": (valores**2).sum()}


ANTES, DESPUES = datetime.date(2026, 1, 1), datetime.date(2026, 7, 1)


def test_progreso_a_mano_con_welch():
    datos = pd.DataFrame([
        _ronda("A", "Uno", ANTES, "escucha", [0.25, 0.5, 0.5, 0.25, 0.5]),
        _ronda("A", "Uno", DESPUES, "escucha", [0.75, 1.0, 0.75, 1.0, 0.75]),
        _ronda("A", "Uno", ANTES, "empatia", [0.5, 0.75, 0.5, 0.75, 0.5]),
        _ronda("A", "Uno", DESPUES, "empatia", [0.5, 0.75, 0.75, 0.5, 0.5]),
        _ronda("B", "Uno", ANTES, "escucha", [0.5, 0.5]),
        _ronda("B", "Uno", DESPUES, "escucha", [0.75, 0.75, 0.75, 1.0, 1.0]),
    ])
    tabla = k.progreso(datos, antes=ANTES, despues=DESPUES, minimo=5).set_index(["grupo", "competencia"])
    fila = tabla.loc[("A", "escucha")]
    esperado = comparar_medias((4.25, 3.6875, 5), (2.0, 0.875, 5))
    assert fila["cambio"] == pytest.approx(0.45) and fila["p"] == pytest.approx(esperado.p)
    assert fila["veredicto"] == "Mejoró"
    assert tabla.loc[("A", "empatia"), "veredicto"] == "Sin cambio claro"
    assert tabla.loc[("B", "escucha"), "veredicto"] == "Muestra insuficiente"
    assert math.isnan(tabla.loc[("B", "escucha"), "p"])
    p = np.array([tabla.loc[("A", "escucha"), "p"], tabla.loc[("A", "empatia"), "p"]])
    assert tabla.loc[("A", "escucha"), "q"] == pytest.approx(min(p.max(), 2 * p.min()))
    equipo = k.progreso(datos, antes=ANTES, despues=DESPUES, por="equipo", minimo=5).set_index("competencia")
    assert equipo.loc["escucha", "n_antes"] == 7 and equipo.loc["escucha", "n_despues"] == 10


def test_progreso_no_muestra_el_puntaje_de_una_ronda_bajo_el_minimo():
    """Privacidad por persona: una ronda con 2 calificaciones (mínimo 5) no muestra ni su puntaje ni el cambio."""
    datos = pd.DataFrame([_ronda("B", "Uno", ANTES, "escucha", [0.5, 0.5]),
                          _ronda("B", "Uno", DESPUES, "escucha", [0.75, 0.75, 0.75, 1.0, 1.0])])
    fila = k.progreso(datos, antes=ANTES, despues=DESPUES, minimo=5).iloc[0]
    assert math.isnan(fila["puntaje_antes"]) and math.isnan(fila["cambio"])
    assert fila["puntaje_despues"] == pytest.approx(0.85) and fila["n_antes"] == 2


def test_progreso_con_nombres_y_casos_limite():
    datos = pd.DataFrame([_ronda("A", "Uno", DESPUES, "escucha", [0.5] * 6)])
    estandar = pd.DataFrame({"competencia": ["escucha"], "nombre": ["Escucha con atención"], "orden": [1]})
    tabla = k.progreso(datos, antes=ANTES, despues=DESPUES, estandar=estandar)
    assert tabla["nombre_competencia"].tolist() == ["Escucha con atención"]
    assert tabla["veredicto"].tolist() == ["Muestra insuficiente"] and tabla["n_antes"].tolist() == [0]
    with pytest.raises(ValueError, match="'minimo'"):
        k.progreso(datos, antes=ANTES, despues=DESPUES, minimo=1)
    with pytest.raises(ValueError, match="'por'"):
        k.progreso(datos, antes=ANTES, despues=DESPUES, por="canal")
    with pytest.raises(ValueError, match="'por_ronda' no tiene las columnas"):
        k.progreso(datos.drop(columns="ronda"), antes=ANTES, despues=DESPUES)


def test_etiqueta_de_ronda():
    assert k.etiqueta_ronda(datetime.date(2026, 1, 1), "semestre") == "1.er semestre de 2026"
    assert k.etiqueta_ronda(pd.Timestamp("2026-10-01"), "trimestre") == "4.º trimestre de 2026"
    assert k.etiqueta_ronda(datetime.date(2026, 3, 1), "mes") == "marzo de 2026"
    with pytest.raises(ValueError, match="'ronda'"):
        k.etiqueta_ronda(datetime.date(2026, 3, 1), "año")


def test_sesgo_de_auditores_a_mano():
    datos = pd.DataFrame({"auditor": ["X", "Y", "X", "Y"], "agente_id": ["A", "A", "B", "B"],
                          "n": [2, 2, 1, 3], "suma": [1.6, 1.0, 0.9, 1.8]})
    datos["auditorias"] = datos["n"]
    tabla = k.sesgo_auditores(datos).set_index("auditor")
    d = np.array([0.8 - 0.5, 0.9 - 0.6])
    w = np.array([2 * 2 / 4, 1 * 3 / 4])
    assert tabla.loc["X", "desvio"] == pytest.approx((w * d).sum() / w.sum())
    assert tabla.loc["Y", "desvio"] == pytest.approx(-(w * d).sum() / w.sum())
    assert tabla.loc["X", "agentes"] == 2 and tabla.loc["X", "calificaciones"] == 3


def test_sesgo_detecta_al_auditor_benevolo():
    rng = np.random.default_rng(4)
    filas = []
    for agente in range(40):
        nivel = rng.uniform(0.5, 0.9)
        for auditor, sesgo in (("Benévolo", 0.12), ("Normal 1", 0.0), ("Normal 2", 0.0), ("Exigente", -0.1)):
            valores = np.clip(nivel + sesgo + rng.normal(0, 0.1, 15), 0, 1)
            filas.append({"auditor": auditor, "agente_id": f"A{agente}", "auditorias": 1, "n": 15,
                          "suma": valores.sum()})
    tabla = k.sesgo_auditores(pd.DataFrame(filas)).set_index("auditor")
    assert tabla.loc["Benévolo", "lectura"] == "Más benévolo que los demás"
    assert tabla.loc["Exigente", "lectura"] == "Más exigente que los demás"
    assert tabla.loc["Normal 1", "ic_inf"] < tabla.loc["Normal 1", "desvio"] < tabla.loc["Normal 1", "ic_sup"]


def test_sesgo_oculta_al_auditor_con_pocas_auditorias():
    datos = pd.DataFrame({"auditor": ["X", "Y", "X", "Y"], "agente_id": ["A", "A", "B", "B"],
                          "auditorias": [3, 6, 1, 6], "n": [45, 90, 15, 90], "suma": [36.0, 45.0, 13.5, 54.0]})
    tabla = k.sesgo_auditores(datos, minimo=5).set_index("auditor")
    assert math.isnan(tabla.loc["X", "desvio"]) and math.isnan(tabla.loc["X", "ic_inf"])
    assert tabla.loc["X", "lectura"] == "Menos de 5 auditorías: cifra oculta"
    assert tabla.loc["Y", "desvio"] < 0 and tabla.loc["Y", "auditorias"] == 12


def test_sesgo_casos_limite():
    solo = pd.DataFrame({"auditor": ["X", "Y"], "agente_id": ["A", "A"], "auditorias": [1, 1], "n": [2, 2],
                         "suma": [1.0, 1.0]})
    tabla = k.sesgo_auditores(solo)
    assert tabla["lectura"].tolist() == ["Pocos datos para comparar"] * 2
    assert k.sesgo_auditores(solo.iloc[:1]).empty
    with pytest.raises(ValueError, match="'umbral'"):
        k.sesgo_auditores(solo, umbral=-1)
    with pytest.raises(ValueError, match="'calificaciones' no tiene las columnas"):
        k.sesgo_auditores(solo.drop(columns="suma"))


def test_rondas_por_defecto_comparan_la_ultima_completa_con_la_anterior():
    trimestres = [datetime.date(2026, 1, 1), datetime.date(2026, 4, 1), datetime.date(2026, 7, 1), datetime.date(2026, 10, 1)]
    assert k.rondas_por_defecto(trimestres, "trimestre", datetime.date(2026, 10, 31)) == (1, 2)
    assert k.rondas_por_defecto(trimestres, "trimestre", datetime.date(2026, 12, 31)) == (2, 3)
    assert k.rondas_por_defecto(trimestres[2:], "trimestre", datetime.date(2026, 8, 1)) == (0, 1)
