"""Páginas «Brechas de habilidades» y «Realimentación» en AppTest, con la demostración y con una base vacía."""

import re

import duckdb

from datos.almacen.conexion import Almacen
from tests.apptest import abrir, abrir_pestana, sin_errores

BRECHAS, REALIMENTACION = "paginas/brechas.py", "paginas/realimentacion.py"


def _textos(elementos) -> str:
    return " ".join(str(e.value) for e in elementos)


def test_brechas_con_la_demostracion(base_demo):
    at = abrir(BRECHAS)
    sin_errores(at)
    assert at.title[0].value == "Brechas de habilidades"
    assert [t.label for t in at.tabs] == ["Mapa de brechas", "Perfil de un agente", "Impacto en los clientes",
                                         "Plan de capacitación", "Progreso", "Calibración",
                                         "Estándar y reglas"]
    # Solo la pestaña abierta se ejecuta: el mapa, y no el radar ni el impacto.
    assert [g.key for g in at.get("plotly_chart")] == ["brechas_mapa"]
    assert "33 agentes con al menos 5 auditorías" in _textos(at.caption)
    tabla = at.dataframe[0].value
    assert tabla.iloc[0]["Lectura"] == "Brecha clara" and "," in tabla.iloc[0]["Puntaje"]
    abrir_pestana(at, "Perfil de un agente")
    sin_errores(at)
    assert [g.key for g in at.get("plotly_chart")] == ["brechas_radar"]
    abrir_pestana(at, "Impacto en los clientes")
    sin_errores(at)
    assert "asociación" in _textos(at.info)
    assert [g.key for g in at.get("plotly_chart")] == ["brechas_impacto"]
    assert ["Agente", "Competencia", "Brecha", "Impacto en CSAT por 10 pts", "Prioridad (CSAT en juego)",
            "Clara"] in [list(d.value.columns) for d in at.dataframe]
    abrir_pestana(at, "Plan de capacitación")
    sin_errores(at)
    assert ["Tema", "Participantes", "Competencias", "Quiénes (por prioridad)"] in [
        list(d.value.columns) for d in at.dataframe]
    sesiones = next(d.value for d in at.dataframe if "Quiénes (por prioridad)" in d.value.columns)
    assert sesiones["Quiénes (por prioridad)"].str.count(r"\(AGE-").max() <= 3
    assert sesiones["Quiénes (por prioridad)"].str.contains(r" y \d+ más$").any()


def test_brechas_por_equipo_y_con_el_periodo_de_la_barra(base_demo):
    at = abrir(BRECHAS)
    at.selectbox(key="brechas_nivel").select("equipo").run()
    sin_errores(at)
    tabla = at.dataframe[0].value
    assert set(tabla["Equipo"].head(3)) <= {"Equipo Caribe", "Equipo Orinoco"}
    at.selectbox(key="brechas_ventana").select("Periodo de la barra lateral").run()
    sin_errores(at)
    assert "Menos de la mitad de los agentes" in _textos(at.warning)


def test_brechas_sin_auditorias_dobles_lo_dice(base_demo):
    con = duckdb.connect(str(base_demo))
    con.execute("DELETE FROM auditorias WHERE auditoria_id NOT IN "
                "(SELECT min(auditoria_id) FROM auditorias GROUP BY interaccion_id)")
    con.close()
    at = abrir_pestana(abrir(BRECHAS), "Calibración")
    sin_errores(at)
    assert "No hay interacciones auditadas por dos o más auditores" in _textos(at.info)


def test_guardar_el_minimo_de_auditorias(base_demo):
    at = abrir_pestana(abrir(BRECHAS), "Estándar y reglas")
    at.number_input(key="brechas_minimo").set_value(20)
    next(b for b in at.button if b.label == "Guardar mínimo").click().run()
    sin_errores(at)
    assert "con al menos 20 auditorías" in _textos(at.caption)
    almacen = Almacen(str(base_demo))
    assert almacen.cursor().execute(
        "SELECT valor FROM configuracion WHERE clave = 'auditorias_minimas'").fetchall() == [("20",)]
    almacen.cerrar()


def test_lo_elegido_en_una_pestana_se_conserva_al_volver_a_ella(base_demo):
    at = abrir_pestana(abrir(BRECHAS), "Perfil de un agente")
    opciones = at.selectbox(key="brechas_agente").options
    primero, cuarto = (re.search(r"AGE-\d+", opcion)[0] for opcion in (opciones[0], opciones[3]))
    assert at.selectbox(key="brechas_agente").value == primero
    at.selectbox(key="brechas_agente").select(cuarto).run()
    abrir_pestana(at, "Progreso")
    at.toggle(key="brechas_solo_claros").set_value(True).run()
    abrir_pestana(at, "Mapa de brechas")
    assert "brechas_agente" not in [s.key for s in at.selectbox]
    abrir_pestana(at, "Perfil de un agente")
    sin_errores(at)
    assert at.selectbox(key="brechas_agente").value == cuarto
    abrir_pestana(at, "Progreso")
    assert at.toggle(key="brechas_solo_claros").value is True


def test_realimentacion_de_equipo_y_de_agente(base_demo):
    at = abrir(REALIMENTACION)
    sin_errores(at)
    assert at.title[0].value == "Realimentación"
    assert [b.label for b in at.get("download_button")] == [
        "Descargar HTML", "Descargar Excel", "Descargar todos los equipos (ZIP)"]
    assert at.selectbox(key="realimentacion_equipo").value == "Equipo Andes"
    at.selectbox(key="realimentacion_equipo").select("Equipo Orinoco").run()
    sin_errores(at)
    at.segmented_control(key="realimentacion_tipo").set_value("Un agente").run()
    sin_errores(at)
    at.selectbox(key="realimentacion_agente").select("AGE-008").run()
    sin_errores(at)
    assert at.selectbox(key="realimentacion_agente").value == "AGE-008"


def test_paginas_con_la_base_vacia(base_vacia):
    for pagina in (BRECHAS, REALIMENTACION):
        at = abrir(pagina)
        sin_errores(at)
        assert "vacía" in _textos(at.info)
