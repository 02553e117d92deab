"""Renombrar, fundir y borrar calificaciones de etapas: los datos guardados siguen a la cadena."""

import json

import pytest

from analisis.errores import AjusteNoValido
from datos.ajustes import cadena
from datos.ajustes.organizacion import Configuracion, Etapa, aplicar, leer


@pytest.fixture
def con(con_memoria):
    aplicar(con_memoria, Configuracion(etapas=(Etapa("Pago", "Caja", 4.0), Etapa("Entrega"), Etapa("Retiro"))),
            usuario="ana")
    con_memoria.execute("INSERT INTO encuesta_etapas VALUES ('r1', 'Pago', 2, 1), ('r1', 'Entrega', 4, 1), "
                        "('r2', 'Pago', 5, 1), ('r3', 'Retiro', 3, 1)")
    con_memoria.execute("INSERT INTO interacciones (interaccion_id, fecha_inicio, etapa, carga_id) VALUES "
                        "('i1', '2026-01-01', 'Pago', 1)")
    con_memoria.execute("INSERT INTO mapeos (firma, tipo, mapeo) VALUES ('f', 'encuestas', ?)",
                        [json.dumps({"columnas": {"Caja": "etapa:Pago"}})])
    return con_memoria


def _calificaciones(con):
    return sorted(con.execute("SELECT respuesta_id, etapa, calificacion FROM encuesta_etapas").fetchall())


def test_renombrar_lleva_calificaciones_contactos_y_mapeos(con):
    assert cadena.renombrar(con, "Pago", "Cobro", usuario="ana") == 2
    assert leer(con).etapas[0] == Etapa("Cobro", "Caja", 4.0)
    assert ("r2", "Cobro", 5.0) in _calificaciones(con)
    assert con.execute("SELECT etapa FROM interacciones").fetchall() == [("Cobro",)]
    assert json.loads(con.execute("SELECT mapeo FROM mapeos").fetchall()[0][0]) == {"columnas": {"Caja": "etapa:Cobro"}}
    assert "«Pago» → «Cobro»" in con.execute("SELECT detalle FROM bitacora ORDER BY rowid DESC LIMIT 1").fetchall()[0][0]


def test_renombrar_a_una_etapa_existente_no_cambia_nada(con):
    with pytest.raises(AjusteNoValido, match="repetida"):
        cadena.renombrar(con, "Pago", "entrega", usuario="ana")
    assert [e.nombre for e in leer(con).etapas] == ["Pago", "Entrega", "Retiro"]


def test_fundir_avisa_y_promedia_quien_califico_las_dos(con):
    assert cadena.efecto_de_fundir(con, "Pago", "Entrega") == (2, 1)
    cadena.fundir(con, "Pago", "Entrega", usuario="ana")
    assert _calificaciones(con) == [("r1", "Entrega", 3.0), ("r2", "Entrega", 5.0), ("r3", "Retiro", 3.0)]
    assert [e.nombre for e in leer(con).etapas] == ["Entrega", "Retiro"]
    with pytest.raises(AjusteNoValido, match="no está en la cadena"):
        cadena.fundir(con, "Pago", "Entrega", usuario="ana")


def test_borrar_calificaciones_solo_de_una_etapa_retirada(con):
    with pytest.raises(AjusteNoValido, match="sigue en la cadena"):
        cadena.borrar_calificaciones(con, "Retiro", usuario="ana")
    aplicar(con, Configuracion(etapas=(Etapa("Pago"), Etapa("Entrega"))), usuario="ana")
    assert ("r3", "Retiro", 3.0) in _calificaciones(con)
    assert cadena.borrar_calificaciones(con, "Retiro", usuario="ana") == 1
    assert all(etapa != "Retiro" for _, etapa, _ in _calificaciones(con))
