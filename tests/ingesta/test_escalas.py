"""Cargas con la configuración de la organización: escalas propias, códigos «no aplica», etiquetas propias,
etapas fuera de la cadena, comentarios en blanco y promesa por canal."""

from datetime import date

import pytest

from analisis.errores import MapeoIncompleto
from datos.ajustes.organizacion import Configuracion, Etapa, aplicar
from datos.ingesta.carga import cargar_archivo
from datos.ingesta.escalas import Escala, escalas_configuradas

HOY = date(2026, 11, 1)


def _csv(tmp_path, texto, nombre="datos.csv"):
    ruta = tmp_path / nombre
    ruta.write_bytes(texto.encode("utf-8"))
    return ruta


def _configurar(con, **secciones):
    aplicar(con, Configuracion(**secciones), usuario="prueba")


def test_sin_configuracion_cada_medida_usa_su_escala_comun(con_memoria):
    escalas = escalas_configuradas(con_memoria)
    assert escalas["csat"] == Escala(1, 5) and escalas["nps"] == Escala(0, 10) and escalas["ces"] == Escala(1, 7)
    assert escalas["auditorias"] == Escala(None, None)


def test_csat_de_1_a_10_se_guarda_en_la_escala_comun(con_memoria, tmp_path):
    _configurar(con_memoria, escalas={"csat": Escala(1, 10)})
    ruta = _csv(tmp_path, "id;fecha;csat\na;01/03/2026;10\nb;01/03/2026;1\nc;01/03/2026;7\nd;01/03/2026;11\n")
    validacion, resultado, informe = cargar_archivo(con_memoria, ruta, "encuestas", solo_validas=True, hoy=HOY)
    assert resultado.guardadas == 3
    assert informe == ["Fila 5, columna csat: '11' no es un número entre 1 y 10"]
    guardado = dict(con_memoria.execute("SELECT respuesta_id, csat FROM encuestas").fetchall())
    assert guardado == {"a": 5.0, "b": 1.0, "c": pytest.approx(1 + 6 * 4 / 9)}


def test_csat_si_no_va_a_los_extremos(con_memoria, tmp_path):
    _configurar(con_memoria, escalas={"csat": Escala(0, 1)})
    ruta = _csv(tmp_path, "id;fecha;csat\na;01/03/2026;1\nb;01/03/2026;0\n")
    cargar_archivo(con_memoria, ruta, "encuestas", hoy=HOY)
    assert dict(con_memoria.execute("SELECT respuesta_id, csat FROM encuestas").fetchall()) == {"a": 5.0, "b": 1.0}


def test_codigos_no_aplica_se_guardan_vacios_y_se_cuentan(con_memoria, tmp_path):
    _configurar(con_memoria, etapas=(Etapa("Embarque"), Etapa("A bordo")),
                escalas={"etapas": Escala(1, 5, (0,)), "nps": Escala(0, 10, (99,))})
    ruta = _csv(tmp_path, "id;fecha;nps;Embarque;A bordo\n"
                          "a;01/03/2026;99;0;4\nb;01/03/2026;9;5;0\nc;01/03/2026;7;0;3\n")
    validacion, resultado, _ = cargar_archivo(con_memoria, ruta, "encuestas", hoy=HOY)
    assert not validacion.hay_errores and resultado.guardadas == 3
    assert validacion.sin_dato == {"nps": 1, "Embarque": 2, "A bordo": 1}
    assert "4 calificaciones «no aplica» se guardan vacías" in validacion.resumen()
    assert con_memoria.execute("SELECT nps FROM encuestas WHERE respuesta_id = 'a'").fetchall() == [(None,)]
    assert con_memoria.execute("SELECT count(*) FROM encuesta_etapas WHERE calificacion = 0").fetchall() == [(0,)]
    assert con_memoria.execute("SELECT count(*) FROM encuesta_etapas WHERE calificacion IS NULL").fetchall() == [(3,)]


def test_codigos_no_aplica_en_auditorias(con_memoria, tmp_path):
    _configurar(con_memoria, escalas={"auditorias": Escala(None, None, (9,))})
    ruta = _csv(tmp_path, "fecha;agente;empatia;escucha\n01/03/2026;A1;4;9\n")
    validacion, resultado, _ = cargar_archivo(con_memoria, ruta, "auditorias", crear_desconocidos=True, hoy=HOY)
    assert resultado.guardadas == 1 and validacion.sin_dato == {"escucha": 1}
    assert sorted(con_memoria.execute("SELECT competencia, valor FROM auditoria_competencias").fetchall(),
                  key=str) == [("empatia", 4.0), ("escucha", None)]


def test_las_etiquetas_propias_valen_en_toda_carga(con_memoria, tmp_path):
    ruta = _csv(tmp_path, "id;fecha;satisfaction\na;01/03/2026;satisfied\nb;01/03/2026;neutral or dissatisfied\n")
    validacion, _, _ = cargar_archivo(con_memoria, ruta, "encuestas", solo_validas=True, hoy=HOY)
    assert validacion.filas_con_errores == 1
    assert con_memoria.execute("SELECT respuesta_id, csat FROM encuestas").fetchall() == [("a", 4.0)]
    _configurar(con_memoria, etiquetas={"Neutral or dissatisfied": 1, "satisfied": 5})
    otra = _csv(tmp_path, "id;fecha;satisfaction\nc;01/03/2026;satisfied\nd;01/03/2026;neutral or dissatisfied\n",
                "otra.csv")
    validacion, _, _ = cargar_archivo(con_memoria, otra, "encuestas", hoy=HOY)
    assert not validacion.hay_errores
    assert dict(con_memoria.execute("SELECT respuesta_id, csat FROM encuestas WHERE respuesta_id IN ('c', 'd')"
                                    ).fetchall()) == {"c": 5.0, "d": 1.0}


def test_una_etapa_fuera_de_la_cadena_se_informa(con_memoria, tmp_path):
    _configurar(con_memoria, etapas=(Etapa("Embarque"),))
    ruta = _csv(tmp_path, "fecha;Embarque;Wifi\n01/03/2026;4;3\n")
    with pytest.raises(MapeoIncompleto, match="«Wifi», que no está en la cadena"):
        cargar_archivo(con_memoria, ruta, "encuestas", mapeo={"fecha": "fecha", "Embarque": "etapa:Embarque",
                                                               "Wifi": "etapa:Wifi"}, hoy=HOY)
    validacion, _, _ = cargar_archivo(con_memoria, ruta, "encuestas", hoy=HOY)
    assert any("«Wifi»" in aviso and "no se guardan" in aviso for aviso in validacion.avisos)
    assert con_memoria.execute("SELECT etapa FROM etapas").fetchall() == [("Embarque",)]


@pytest.mark.parametrize("comentario", ["\r\n", "   ", "\t\n ", " \u00a0\r\n "])
def test_un_comentario_en_blanco_no_es_comentario(con_memoria, tmp_path, comentario):
    ruta = _csv(tmp_path, f'fecha;nps;comentario\n01/03/2026;9;"{comentario}"\n01/03/2026;8;"  Bien\r\n"\n')
    cargar_archivo(con_memoria, ruta, "encuestas", hoy=HOY)
    assert sorted(con_memoria.execute("SELECT comentario FROM encuestas").fetchall(), key=str) == [("Bien",), (None,)]


def test_la_promesa_del_canal_decide_si_se_cumplio(con_memoria, tmp_path):
    _configurar(con_memoria, promesas={"Chat": 5, "Teléfono": 15})
    ruta = _csv(tmp_path, "ticket;inicio;canal;tiempo de respuesta;sla\n"
                          "1;01/03/2026 10:00;chat;4;\n2;01/03/2026 10:00;Chat;6;\n3;01/03/2026 10:00;Telefono;20;Sí\n"
                          "4;01/03/2026 10:00;Correo;30;\n5;01/03/2026 10:00;Chat;;\n")
    cargar_archivo(con_memoria, ruta, "interacciones", hoy=HOY)
    assert dict(con_memoria.execute("SELECT interaccion_id, promesa_cumplida FROM interacciones").fetchall()) == {
        "1": True, "2": False, "3": True, "4": None, "5": None}
