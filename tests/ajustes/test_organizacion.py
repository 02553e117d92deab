"""Configuración de la organización: validación, escritura en una transacción y bitácora con valores anteriores."""

from datetime import date

import pytest

from analisis.errores import AjusteNoValido
from datos.ajustes import editores
from datos.ajustes.organizacion import (CADENA_SUGERIDA, Configuracion, Etapa, MetaDesde, aplicar, avisos,
                                        calificaciones_por_etapa, errores, leer)
from datos.ingesta.escalas import Escala


def _bitacora(con):
    return [f[0] for f in con.execute("SELECT detalle FROM bitacora WHERE accion = 'configuración' "
                                      "ORDER BY rowid").fetchall()]


def test_un_almacen_nuevo_no_trae_etapas_de_demostracion(con_memoria):
    assert con_memoria.execute("SELECT count(*) FROM etapas").fetchall() == [(0,)]
    assert leer(con_memoria).etapas == ()


def test_aplicar_guarda_la_cadena_en_orden_y_anota_cada_cambio(con_memoria):
    aplicar(con_memoria, Configuracion(etapas=(Etapa("Reserva"), Etapa("Embarque", "Puerta", 4.2))), usuario="ana")
    assert con_memoria.execute("SELECT etapa, orden, meta, descripcion FROM etapas ORDER BY orden").fetchall() == [
        ("Reserva", 1, None, None), ("Embarque", 2, 4.2, "Puerta")]
    cambios = aplicar(con_memoria, Configuracion(etapas=(Etapa("Embarque", "Puerta", 4.5), Etapa("Reserva"))),
                      usuario="ana")
    assert "etapa Embarque: «Embarque», meta 4,20: Puerta → «Embarque», meta 4,50: Puerta" in cambios
    assert cambios[0] == "cadena: Reserva → Embarque  ⇒  Embarque → Reserva"
    assert _bitacora(con_memoria)[-len(cambios):] == cambios
    assert [e.nombre for e in leer(con_memoria).etapas] == ["Embarque", "Reserva"]


@pytest.mark.parametrize("config, mensaje", [
    (Configuracion(etapas=(Etapa("Embarque"), Etapa("embarque "))), "está repetida"),
    (Configuracion(etapas=(Etapa(" "),)), "sin nombre"),
    (Configuracion(etapas=(Etapa("A", meta=6),)), "entre 1 y 5"),
    (Configuracion(escalas={"etapas": Escala(5, 1)}), "debe ser menor que el máximo"),
    (Configuracion(escalas={"csat": Escala(0, 10, (5,))}), "está dentro de la escala"),
    (Configuracion(escalas={"ventas": Escala(1, 5)}), "no es una medida"),
    (Configuracion(escalas={"auditorias": Escala(1, 5)}), "la da cada archivo"),
    (Configuracion(etiquetas={"Sí": 1, "si": 2}), "repite"),
    (Configuracion(metas={"csat_top2": 75}), "entre 0 y 1"),
    (Configuracion(metas={"ventas": 1}), "no es un indicador"),
    (Configuracion(metas_por_fecha=(MetaDesde("nps", 30, date(2027, 1, 1)),) * 2), "repetida"),
    (Configuracion(promesas={"Chat": 0}), "mayor que 0"),
])
def test_cada_error_se_explica_y_no_cambia_nada(con_memoria, config, mensaje):
    antes = leer(con_memoria)
    with pytest.raises(AjusteNoValido, match=mensaje):
        aplicar(con_memoria, config, usuario="ana")
    assert leer(con_memoria) == antes
    assert _bitacora(con_memoria) == []


def test_se_informan_todos_los_problemas_juntos():
    problemas = errores(Configuracion(etapas=(Etapa("A"), Etapa("A")), escalas={"etapas": Escala(5, 1)}))
    assert len(problemas) == 2


def test_secciones_ausentes_no_se_tocan(con_memoria):
    aplicar(con_memoria, Configuracion(etapas=CADENA_SUGERIDA, promesas={"Chat": 5.0}), usuario="ana")
    aplicar(con_memoria, Configuracion(metas={"csat_media": 4.2}), usuario="ana")
    guardada = leer(con_memoria)
    assert guardada.etapas == CADENA_SUGERIDA and guardada.promesas == {"Chat": 5.0}
    assert guardada.metas == {"csat_media": 4.2}


def test_una_etapa_que_sale_con_calificaciones_avisa_y_las_conserva(con_memoria):
    aplicar(con_memoria, Configuracion(etapas=(Etapa("A"), Etapa("B"))), usuario="ana")
    con_memoria.execute("INSERT INTO encuesta_etapas VALUES ('r1', 'B', 4, 1)")
    sin_b = Configuracion(etapas=(Etapa("A"),))
    assert avisos(con_memoria, sin_b, calificaciones_por_etapa(con_memoria)) == [
        "La etapa «B» sale de la cadena: sus 1 calificaciones guardadas se conservan, pero dejan de analizarse "
        "(vuelven si la etapa vuelve)."]
    aplicar(con_memoria, sin_b, usuario="ana")
    assert con_memoria.execute("SELECT count(*) FROM encuesta_etapas").fetchall() == [(1,)]


def test_tabla_de_la_cadena_distingue_renombres_altas_y_orden():
    tabla = editores.tabla_cadena(Configuracion(etapas=(Etapa("A"), Etapa("B"))), {"A": 3})
    tabla.loc[0, "Etapa"] = "Alfa"
    tabla.loc[1, "Orden"] = 0
    tabla.loc[2] = [3, "C", "", None, 0, None]
    renombres, etapas = editores.cadena_de_tabla(tabla)
    assert renombres == {"A": "Alfa"}
    assert [e.nombre for e in etapas] == ["B", "Alfa", "C"]
    assert [e.nombre for e in editores.con_nombres_guardados(etapas, renombres)] == ["B", "A", "C"]


def test_codigos_no_aplica_de_la_tabla_de_escalas():
    tabla = editores.tabla_escalas(leer_escalas := {m: Escala(1, 5) for m in ("csat", "nps", "ces", "etapas")}
                                   | {"auditorias": Escala(None, None)})
    tabla.loc["etapas", "Códigos «no aplica»"] = "0; 99,5"
    assert editores.escalas_de_tabla(tabla)["etapas"] == Escala(1, 5, (0.0, 99.5))
    assert leer_escalas["csat"] == Escala(1, 5)
    tabla.loc["etapas", "Códigos «no aplica»"] = "cero"
    with pytest.raises(AjusteNoValido, match="no es un código numérico"):
        editores.escalas_de_tabla(tabla)
