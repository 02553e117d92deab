"""Consultas de competencias en el motor, escritura del estándar y las brechas sembradas en la demostración."""

from datetime import date

import numpy as np
import pandas as pd
import pytest

from analisis import competencias as c
from datos import demo
from datos.consultas.competencias import (auditorias_dobles, calificaciones_por_auditor, detalle_auditoria,
                                          escalas_de_auditorias, estandar_competencias, puntajes_auditorias,
                                          puntajes_competencias, resultados_por_agente)
from datos.consultas.filtros import Filtros, ventana_de_meses
from datos.almacen.derivados import registrar_escritura
from analisis.errores import AjusteNoValido
from datos.ajustes.estandar import guardar_estandar, guardar_temas
from datos.almacen.esquema import TEMAS_CAPACITACION

ESCALAS = c.reglas_de_escala()

#: Auditorías pequeñas en las tres escalas y una desconocida:
#: (auditoría, fecha, agente, auditor, interacción, escala, {competencia: valor}).
AUDITORIAS = [
    ("AU1", "2026-01-10", "A1", "Ana", "I1", "1-5", {"escucha": 4, "empatia": 2, "resolucion": None}),
    ("AU2", "2026-02-10", "A1", "Beto", "I1", "1-5", {"escucha": 5, "empatia": 3, "resolucion": 4}),
    ("AU3", "2026-08-10", "A1", "Ana", "I2", "0-100", {"escucha": 90, "empatia": 40, "resolucion": 70}),
    ("AU4", "2026-03-05", "A2", "Ana", "I3", "cumple", {"escucha": 1, "empatia": 0, "resolucion": 1}),
    ("AU5", "2026-03-06", "A2", "Beto", "I4", "1-10", {"escucha": 9, "empatia": 9, "resolucion": 9}),
]


@pytest.fixture
def pequeno(almacen_memoria):
    """Almacén con dos agentes, cuatro interacciones, dos encuestas y las auditorías de ``AUDITORIAS``."""
    con = almacen_memoria.cursor()
    con.execute("INSERT INTO cargas (carga_id, tipo) VALUES (1, 'prueba')")
    con.execute("INSERT INTO agentes (agente_id, nombre, equipo, supervisor, rol_servicio, carga_id) VALUES "
                "('A1', 'Ana Pérez', 'Uno', 'Sara', 'primario', 1), ('A2', 'Luis Gil', 'Dos', 'Sara', 'apoyo', 1)")
    con.execute("INSERT INTO interacciones (interaccion_id, fecha_inicio, cliente_id, agente_id, canal, motivo, "
                "resuelto, carga_id) VALUES ('I1', '2026-01-05', 'C1', 'A1', 'Chat', 'consulta', true, 1), "
                "('I2', '2026-08-01', 'C2', 'A1', 'Teléfono', 'queja', false, 1), "
                "('I3', '2026-03-01', 'C3', 'A2', 'Chat', NULL, true, 1), "
                "('I4', '2026-03-02', 'C4', 'A2', 'Chat', 'consulta', true, 1), "
                "('I5', '2026-01-08', 'C1', 'A2', 'Chat', ' Reclamo', true, 1)")
    con.execute("UPDATE interacciones SET fecha_fin = fecha_inicio")
    con.execute("INSERT INTO encuestas (respuesta_id, fecha, interaccion_id, csat, nps, carga_id) VALUES "
                "('E1', '2026-01-06', 'I1', 5, 10, 1), ('E2', '2026-08-02', 'I2', 2, 3, 1), "
                "('E3', '2026-03-02', 'I3', 4, 8, 1), ('E4', '2026-03-03', NULL, 1, 0, 1)")
    for auditoria, fecha, agente, auditor, interaccion, escala, valores in AUDITORIAS:
        con.execute("INSERT INTO auditorias (auditoria_id, fecha, agente_id, auditor, interaccion_id, escala, "
                    "carga_id) VALUES (?, ?, ?, ?, ?, ?, 1)", [auditoria, fecha, agente, auditor, interaccion, escala])
        con.executemany("INSERT INTO auditoria_competencias VALUES (?, ?, ?, 1)",
                        [[auditoria, k, v] for k, v in valores.items()])
    registrar_escritura(con)
    return almacen_memoria


def _consultar(almacen, consulta, *argumentos):
    return consulta(almacen.ibis(), *argumentos).to_pandas()


def test_puntajes_por_agente_en_escala_comun(pequeno):
    tabla = _consultar(pequeno, puntajes_competencias, Filtros(), ESCALAS).set_index(["agente_id", "competencia"])
    escucha = tabla.loc[("A1", "escucha")]
    assert escucha["n"] == 3
    assert escucha["suma"] == pytest.approx(0.75 + 1.0 + 0.9)
    assert escucha["suma2"] == pytest.approx(0.75**2 + 1 + 0.81)
    assert tabla.loc[("A1", "resolucion"), "n"] == 2
    assert tabla.loc[("A2", "empatia"), "suma"] == 0.0 and tabla.loc[("A2", "empatia"), "n"] == 1
    assert escucha["equipo"] == "Uno" and escucha["nombre"] == "Ana Pérez"


def test_puntajes_con_filtros_y_rondas(pequeno):
    tabla = _consultar(pequeno, puntajes_competencias, Filtros(equipos=("Dos",)), ESCALAS)
    assert set(tabla["agente_id"]) == {"A2"}
    tabla = _consultar(pequeno, puntajes_competencias, Filtros(canales=("Teléfono",)), ESCALAS)
    assert set(tabla["n"]) == {1}
    tabla = _consultar(pequeno, puntajes_competencias, Filtros(date(2026, 1, 1), date(2026, 1, 31)), ESCALAS)
    assert tabla["n"].sum() == 2
    rondas = _consultar(pequeno, puntajes_competencias, Filtros(), ESCALAS, "semestre")
    assert sorted(pd.to_datetime(rondas["ronda"]).dt.date.unique()) == [date(2026, 1, 1), date(2026, 7, 1)]
    with pytest.raises(ValueError, match="'ronda'"):
        puntajes_competencias(pequeno.ibis(), Filtros(), ESCALAS, "semana")


def test_puntaje_de_auditoria_del_motor_sigue_las_reglas(pequeno):
    con = pequeno.cursor()
    con.execute("UPDATE competencias SET peso = 3 WHERE competencia = 'escucha'")
    con.execute("UPDATE competencias SET critica = true WHERE competencia = 'empatia'")
    con.execute("INSERT INTO auditoria_errores_criticos VALUES ('AU4', 'información falsa', 1)")
    estandar = _consultar(pequeno, estandar_competencias)
    detalle = _consultar(pequeno, puntajes_auditorias, Filtros(), ESCALAS, 0.5)
    por_agente = detalle.set_index("agente_id")
    esperados = []
    for auditoria, _, agente, _, _, escala, valores in AUDITORIAS[:3]:
        calificaciones = pd.DataFrame({"competencia": list(valores),
                                       "valor_comun": [c.a_escala_comun(v, escala) for v in valores.values()]})
        esperados.append(c.puntaje_auditoria(calificaciones, estandar).puntaje)
    assert esperados[0] == 0.0 and esperados[2] == 0.0
    assert por_agente.loc["A1", "n"] == 3 and por_agente.loc["A1", "fallidas"] == 2
    assert por_agente.loc["A1", "suma"] == pytest.approx(sum(esperados))
    assert por_agente.loc["A2", "n"] == 1 and por_agente.loc["A2", "fallidas"] == 1
    assert por_agente.loc["A2", "suma"] == 0.0


def test_detalle_de_la_auditoria_mas_reciente(pequeno):
    detalle = _consultar(pequeno, detalle_auditoria, Filtros(), ESCALAS)
    assert set(detalle["auditoria_id"]) == {"AU3"}
    assert detalle.set_index("competencia").loc["empatia", "valor_comun"] == pytest.approx(0.4)
    assert detalle["errores"].isna().all()


def test_escalas_y_escala_desconocida(pequeno):
    escalas = _consultar(pequeno, escalas_de_auditorias, Filtros()).set_index("escala")["n_auditorias"]
    assert escalas.to_dict() == {"1-5": 2, "0-100": 1, "cumple": 1, "1-10": 1}
    tabla = _consultar(pequeno, puntajes_competencias, Filtros(), ESCALAS)
    assert tabla[tabla["agente_id"] == "A2"]["n"].sum() == 3  # la auditoría en 1-10 no cuenta
    with pytest.raises(ValueError, match="'escalas'"):
        puntajes_competencias(pequeno.ibis(), Filtros(), ())


def test_resultados_por_agente_en_celdas(pequeno):
    csat = _consultar(pequeno, resultados_por_agente, Filtros(), "csat").set_index(["agente_id", "canal", "motivo"])
    assert csat.loc[("A1", "Chat", "consulta"), "suma"] == 5
    assert csat.loc[("A2", "Chat", "(sin dato)"), "n"] == 1
    assert csat["n"].sum() == 3
    nps = _consultar(pequeno, resultados_por_agente, Filtros(), "nps").set_index(["agente_id", "canal", "motivo"])
    assert nps["suma"].to_dict() == {("A1", "Chat", "consulta"): 100.0, ("A1", "Teléfono", "queja"): -100.0,
                                     ("A2", "Chat", "(sin dato)"): 0.0}
    fcr = _consultar(pequeno, resultados_por_agente, Filtros(), "fcr")
    # I2 es el último contacto de los datos: su ventana de 7 días no cerró y no cuenta.
    assert fcr["n"].sum() == 4 and fcr["suma"].sum() == 4
    quejas = _consultar(pequeno, resultados_por_agente, Filtros(date(2026, 1, 1), date(2026, 1, 5)), "sin_queja")
    assert quejas[["agente_id", "n", "suma"]].values.tolist() == [["A1", 1, 0.0]]
    quejas = _consultar(pequeno, resultados_por_agente, Filtros(), "sin_queja")
    assert quejas["n"].sum() == 5 and quejas["suma"].sum() == 4
    with pytest.raises(ValueError, match="'resultado'"):
        resultados_por_agente(pequeno.ibis(), Filtros(), "ces")


def test_calibracion_solo_con_auditorias_dobles(pequeno):
    dobles = _consultar(pequeno, auditorias_dobles, Filtros(), ESCALAS)
    assert set(dobles["unidad"]) == {"I1"}
    assert set(dobles["auditor"]) == {"Ana", "Beto"} and len(dobles) == 6
    assert _consultar(pequeno, auditorias_dobles, Filtros(), ESCALAS, 2).shape[0] == 2
    sin_dobles = _consultar(pequeno, auditorias_dobles, Filtros(desde=date(2026, 2, 1)), ESCALAS)
    assert sin_dobles.empty
    por_auditor = _consultar(pequeno, calificaciones_por_auditor, Filtros(), ESCALAS).set_index(["auditor", "agente_id"])
    assert por_auditor.loc[("Ana", "A1"), "auditorias"] == 2 and por_auditor.loc[("Ana", "A1"), "n"] == 5


def test_ventana_de_meses():
    base = Filtros(date(2026, 8, 1), date(2026, 10, 31), canales=("Chat",))
    assert ventana_de_meses(base, 12) == Filtros(date(2025, 11, 1), date(2026, 10, 31), canales=("Chat",))
    assert ventana_de_meses(base, None) == Filtros(None, date(2026, 10, 31), canales=("Chat",))


# ---------------------------------------------------------------------------
# Escritura del estándar y migración
# ---------------------------------------------------------------------------

def test_migracion_crea_temas_y_minimo(almacen_memoria):
    con = almacen_memoria.cursor()
    assert con.execute("SELECT count(*) FROM temas_capacitacion").fetchall()[0][0] == \
        sum(len(competencias) for _, competencias in TEMAS_CAPACITACION)
    assert con.execute("SELECT count(DISTINCT tema) FROM temas_capacitacion").fetchall()[0][0] == 9
    assert con.execute("SELECT valor FROM configuracion WHERE clave = 'auditorias_minimas'").fetchall() == [("5",)]
    assert con.execute("SELECT bool_or(critica) FROM competencias").fetchall() == [(False,)]


def test_guardar_estandar_y_temas_suben_la_version_y_anotan_antes_y_despues(almacen_memoria):
    con = almacen_memoria.cursor()
    version = almacen_memoria.version_datos()
    guardar_estandar(con, pd.DataFrame({"competencia": ["escucha"], "meta": [0.9], "peso": [2.0], "critica": [True]}),
                     autor="carla")
    assert con.execute("SELECT meta, peso, critica FROM competencias WHERE competencia = 'escucha'").fetchall() == \
        [(0.9, 2.0, True)]
    assert guardar_temas(con, pd.DataFrame({"competencia": ["escucha", "escucha", "empatia", None],
                                            "tema": [" Escucha ", "Escucha", "Empatía", "x"]}), autor="carla") == 2
    assert con.execute("SELECT * FROM temas_capacitacion ORDER BY 1").fetchall() == \
        [("empatia", "Empatía"), ("escucha", "Escucha")]
    assert almacen_memoria.version_datos() == version + 2
    detalles = [d for (d,) in con.execute("SELECT detalle FROM bitacora WHERE usuario = 'carla' AND "
                                          "accion = 'cambiar configuración' ORDER BY rowid").fetchall()]
    assert detalles[:3] == ["Meta de «Escucha con atención»: 0,80 → 0,90", "Peso de «Escucha con atención»: 1,00 → 2,00",
                            "Crítica de «Escucha con atención»: no → sí"]
    assert detalles[3].startswith("Temas de capacitación: ") and detalles[3].endswith(
        "→ empatia: Empatía; escucha: Escucha")


def test_guardar_valida_los_datos(almacen_memoria):
    con = almacen_memoria.cursor()
    with pytest.raises(AjusteNoValido, match="meta debe estar entre 0 y 1"):
        guardar_estandar(con, pd.DataFrame({"competencia": ["escucha"], "meta": [80], "peso": [1], "critica": [False]}),
                         autor="carla")
    with pytest.raises(AjusteNoValido, match="peso"):
        guardar_estandar(con, pd.DataFrame({"competencia": ["escucha"], "meta": [0.8], "peso": [-1], "critica": [False]}),
                         autor="carla")
    with pytest.raises(AjusteNoValido, match="no existen"):
        guardar_temas(con, pd.DataFrame({"competencia": ["inventada"], "tema": ["Algo"]}), autor="carla")
    with pytest.raises(ValueError, match="'estandar' no tiene las columnas"):
        guardar_estandar(con, pd.DataFrame({"competencia": ["escucha"]}), autor="carla")
    assert con.execute("SELECT meta FROM competencias WHERE competencia = 'escucha'").fetchall() == [(0.8,)]


# ---------------------------------------------------------------------------
# Las brechas sembradas en la demostración salen primero
# ---------------------------------------------------------------------------

@pytest.fixture(scope="module")
def demostracion(demo_compartida):
    """Almacén con la demostración a escala 0,3 (la de las pruebas de página), compartido y de solo lectura."""
    return demo_compartida(escala=0.3)


def test_las_brechas_sembradas_se_priorizan_primero(demostracion):
    filtros = ventana_de_meses(Filtros(hasta=demo.FECHA_FIN), 12)
    estandar = _consultar(demostracion, estandar_competencias)
    puntajes = _consultar(demostracion, puntajes_competencias, filtros, ESCALAS)
    por_agente = c.brechas(puntajes, estandar, minimo=5)
    impactos = c.impacto(_consultar(demostracion, resultados_por_agente, filtros, "csat"), por_agente)
    sembradas = {(agente, competencia) for agente, debiles in demo.BRECHAS.items() for competencia in debiles}

    fuertes = impactos.set_index("competencia").sort_values("impacto", ascending=False)
    assert set(fuertes[fuertes["ic_inf"] > 0].index) >= set(demo.COMPETENCIAS_DEBILES)

    orden = c.prioridades(por_agente, impactos)
    primeras = list(zip(orden["grupo"], orden["competencia"]))[:10]
    assert set(primeras) <= sembradas
    agentes_en_orden = list(dict.fromkeys(orden["grupo"]))
    assert set(agentes_en_orden[:len(demo.AGENTES_CON_BRECHAS)]) == set(demo.AGENTES_CON_BRECHAS)

    por_equipo = c.prioridades(c.brechas(puntajes, estandar, por="equipo", minimo=5), impactos)
    assert set(por_equipo["grupo"].head(3)) == {"Equipo Caribe", "Equipo Orinoco"}
    mapa = c.mapa_brechas(c.brechas(puntajes, estandar, por="equipo", minimo=5))
    assert set(mapa.brecha.index[:2]) == {"Equipo Caribe", "Equipo Orinoco"}


def test_la_demostracion_no_tiene_auditores_sesgados_ni_grandes_errores(demostracion):
    from analisis.capacitacion import sesgo_auditores
    sesgos = sesgo_auditores(_consultar(demostracion, calificaciones_por_auditor, Filtros(), ESCALAS))
    assert len(sesgos) == 5
    assert (sesgos["lectura"] == "En línea con los demás").all()
    assert np.all(np.abs(sesgos["desvio"]) < 0.03)
