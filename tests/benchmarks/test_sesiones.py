"""Las piezas del benchmark de sesiones simultáneas: recorridos, mensajes del protocolo e informe."""

import pytest
from streamlit.proto.BackMsg_pb2 import BackMsg
from streamlit.proto.ForwardMsg_pb2 import ForwardMsg

from benchmarks.sesiones import (Accion, Resultado, error_en, informe, mensaje_de_reejecucion, pausas, recorrido,
                                 textos_en)


def test_todas_entran_igual_y_cada_una_cambia_a_un_filtro_que_ninguna_otra_pide():
    recorridos = [recorrido(i) for i in range(15)]
    assert {r[:2] for r in recorridos} == {recorridos[0][:2]} and recorridos[0][1].pagina == "tendencias"
    cambios = [r[2].filtros for r in recorridos]
    assert len(set(cambios)) == 15 and all(cambios)
    with pytest.raises(ValueError, match="'indice'"):
        recorrido(15)


def test_el_mensaje_de_reejecucion_lleva_la_pagina_y_los_filtros_en_la_direccion():
    mensaje = BackMsg()
    mensaje.ParseFromString(mensaje_de_reejecucion(
        Accion("abrir", "tendencias", (("filtro_canal", "Teléfono"), ("filtro_canal", "Chat")))))
    assert mensaje.WhichOneof("type") == "rerun_script"
    assert mensaje.rerun_script.page_name == "tendencias"
    assert mensaje.rerun_script.query_string == "filtro_canal=Tel%C3%A9fono&filtro_canal=Chat"


def test_errores_que_cuentan():
    excepcion = ForwardMsg()
    excepcion.delta.new_element.exception.message = "división por cero"
    no_encontrada = ForwardMsg()
    no_encontrada.page_not_found.page_name = "x"
    anomalo = ForwardMsg(script_finished=ForwardMsg.FINISHED_WITH_COMPILE_ERROR)
    correcto = ForwardMsg(script_finished=ForwardMsg.FINISHED_SUCCESSFULLY)
    texto = ForwardMsg()
    texto.delta.new_element.markdown.body = "hola"
    assert error_en(excepcion) == "excepción: división por cero"
    assert error_en(no_encontrada) == "página no encontrada"
    assert "FINISHED_WITH_COMPILE_ERROR" in error_en(anomalo)
    assert error_en(correcto) is None and error_en(texto) is None


def test_informe_con_mediana_cociente_y_errores():
    texto = informe([Resultado({"abrir": 1.0, "cambiar": 1.0})],
                    [Resultado({"abrir": 3.0, "cambiar": 2.5}), Resultado({"abrir": 2.0}, ["abrir: sin respuesta"])])
    assert "sola    1,00" in texto and "2       2,00" in texto
    assert "  abrir: mediana con 1 persona 1,00 s · con 2 a la vez 2,50 s" in texto
    assert "con 2 a la vez: 2,50 s · cociente 2,5 (meta ≤ 2,0): no cumple" in texto
    assert texto.endswith("Errores: 2: abrir: sin respuesta")


def test_los_textos_de_un_mensaje_son_los_de_st_text():
    texto, otro = ForwardMsg(), ForwardMsg()
    texto.delta.new_element.text.body = "Al día: la versión 3 de los datos quedó precalculada"
    otro.delta.new_element.markdown.body = "Al día"
    assert textos_en(texto) == ["Al día: la versión 3 de los datos quedó precalculada"]
    assert textos_en(otro) == [] and textos_en(ForwardMsg()) == []


def test_las_pausas_reparten_las_entradas_y_son_las_mismas_en_cada_vuelta():
    primeras = [pausas(i, 3, 10.0)[0] for i in range(2, 12)]
    assert len(set(primeras)) == 10 and all(0 <= p < 10 for p in primeras)  # no entran todas en el mismo instante
    assert pausas(4, 3, 10.0) == pausas(4, 3, 10.0)  # semilla fija: comparable entre vueltas
    assert all(5 <= p <= 15 for i in range(2, 12) for p in pausas(i, 3, 10.0)[1:])
    assert pausas(4, 3, 0.0) == [0.0, 0.0, 0.0]
