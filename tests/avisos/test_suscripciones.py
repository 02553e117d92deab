"""Suscripciones: validación de ``[[envios]]`` y de las filas de la página, guardado y lectura."""

import pytest

from datos.avisos import Envio, EnvioNoValido, guardar_envios, leer_envios, validar_envios
from datos.avisos.suscripciones import como_tabla_toml

RESUMEN = {"para": "Direccion@Empresa.com", "frecuencia": "semanal", "informe": "resumen"}


def test_valida_una_tabla_del_toml_con_alcance_y_webhook():
    [envio] = validar_envios([{"para": ["ana@empresa.com", "luis@empresa.com"], "frecuencia": "Diaria",
                               "informe": "alertas", "sucursales": ["Sucursal Norte"], "equipos": "Equipo Andes",
                               "webhook": "https://hooks.slack.com/services/T/B/X"}])
    assert envio == Envio(("ana@empresa.com", "luis@empresa.com"), "diaria", "alertas", ("Sucursal Norte",),
                          ("Equipo Andes",), "https://hooks.slack.com/services/T/B/X", True)


def test_para_separado_por_comas_en_minusculas_y_sin_repetidos():
    [envio] = validar_envios([{**RESUMEN, "para": "a@x.com, B@x.com; a@x.com"}])
    assert envio.para == ("a@x.com", "b@x.com")


@pytest.mark.parametrize("cambio, mensaje", [
    ({"para": ""}, "Envío 1: falta «para»"),
    ({"para": "no-es-correo"}, "«no-es-correo» no es una dirección de correo válida"),
    ({"frecuencia": "quincenal"}, "«frecuencia» debe ser diaria, semanal, mensual"),
    ({"informe": "todo"}, "«informe» debe ser resumen, alertas, realimentacion"),
    ({"webhook": "ftp://x"}, "el webhook debe ser una dirección http"),
    ({"activo": "sí"}, "«activo» debe ser true o false"),
    ({"copia": "x@y.com"}, "campos desconocidos: copia"),
    ({"sucursales": [1, 2]}, "«sucursales» debe ser un texto o una lista de textos"),
])
def test_errores_en_espanol_que_nombran_el_envio_y_el_campo(cambio, mensaje):
    with pytest.raises(EnvioNoValido, match=mensaje):
        validar_envios([{**RESUMEN, **cambio}])


def test_dos_envios_iguales_se_rechazan_y_las_filas_en_blanco_se_ignoran():
    with pytest.raises(EnvioNoValido, match="Envío 2: repite el envío 1"):
        validar_envios([RESUMEN, {**RESUMEN, "para": "direccion@empresa.com"}])
    vacia = {"para": None, "frecuencia": None, "informe": None, "sucursales": [], "webhook": float("nan")}
    assert len(validar_envios([vacia, RESUMEN])) == 1


def test_guardar_conserva_el_alta_de_las_que_no_cambian_y_anota_la_bitacora(con_memoria):
    primera, segunda = validar_envios([RESUMEN, {**RESUMEN, "informe": "alertas", "activo": False}])
    assert guardar_envios(con_memoria, [primera, segunda], autor="ana") == 2
    alta = dict((e.clave, c) for e, c in leer_envios(con_memoria))[primera.clave]
    assert [e for e, _ in leer_envios(con_memoria, solo_activos=True)] == [primera]
    guardar_envios(con_memoria, [primera], autor="ana")
    assert [(e, c) for e, c in leer_envios(con_memoria)] == [(primera, alta)]
    acciones = con_memoria.execute("SELECT usuario, accion, detalle FROM bitacora").fetchall()
    assert acciones[-1] == ("ana", "cambiar envíos", "1 suscripciones")


def test_ida_y_vuelta_por_la_tabla_toml():
    envios = validar_envios([{**RESUMEN, "sucursales": ["Sucursal Sur"], "activo": False},
                             {"para": "jefe@x.com", "frecuencia": "mensual", "informe": "realimentacion"}])
    assert validar_envios([como_tabla_toml(e) for e in envios]) == envios
