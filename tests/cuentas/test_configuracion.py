"""Umbrales de la organización: solo administradores, con mínimos, y el antes y el después en la bitácora."""

import pytest

from analisis.errores import AjusteNoValido
from datos.cuentas.configuracion import CONFIGURABLES, cambiar_configuracion, valor_configurado
from datos.cuentas.usuarios import actualizar_usuario, crear_usuario

CLAVE = "una-clave-larga-1"


@pytest.fixture
def con(con_memoria):
    """Un almacén con una administradora («jefa») y una capacitadora («carla»)."""
    crear_usuario(con_memoria, "jefa", CLAVE, "administrador")
    crear_usuario(con_memoria, "carla", CLAVE, "capacitación")
    return con_memoria


def _valor(con, clave):
    return con.execute("SELECT valor FROM configuracion WHERE clave = ?", [clave]).fetchall()[0][0]


def test_el_administrador_cambia_un_umbral_con_antes_y_despues(con):
    cambiar_configuracion(con, "auditorias_minimas", 8, autor="jefa")
    assert _valor(con, "auditorias_minimas") == "8"
    assert _valor(con, "version_datos") == "1"
    assert con.execute("SELECT usuario, accion, detalle FROM bitacora WHERE accion = 'cambiar configuración'"
                       ).fetchall() == [("jefa", "cambiar configuración",
                                         "Auditorías mínimas para mostrar las cifras de una persona: 5 → 8")]
    cambiar_configuracion(con, "auditorias_minimas", 8, autor="jefa")
    assert _valor(con, "version_datos") == "1"


@pytest.mark.parametrize("autor", ["carla", "nadie", None])
def test_otros_roles_no_cambian_umbrales(con, autor):
    with pytest.raises(AjusteNoValido, match="Solo una cuenta de administrador"):
        cambiar_configuracion(con, "privacidad_respuestas", 6, autor=autor)
    assert _valor(con, "privacidad_respuestas") == "10"


def test_un_administrador_desactivado_ya_no_cambia_umbrales(con):
    crear_usuario(con, "otra", CLAVE, "administrador")
    actualizar_usuario(con, "jefa", rol="administrador", activo=False, autor="otra")
    with pytest.raises(AjusteNoValido, match="Solo una cuenta de administrador"):
        cambiar_configuracion(con, "muestra_minima", 40, autor="jefa")


@pytest.mark.parametrize("clave", sorted(CONFIGURABLES))
def test_no_se_baja_un_umbral_de_su_minimo(con, clave):
    minimo = CONFIGURABLES[clave].minimo
    with pytest.raises(AjusteNoValido, match=f"al menos {minimo}"):
        cambiar_configuracion(con, clave, minimo - 1, autor="jefa")
    with pytest.raises(AjusteNoValido, match="No se puede configurar"):
        cambiar_configuracion(con, "version_datos", 5, autor="jefa")


def test_un_valor_antiguo_bajo_se_lee_como_el_minimo():
    assert valor_configurado({"auditorias_minimas": "1", "privacidad_respuestas": "2"}, "auditorias_minimas") == 3
    assert valor_configurado({"privacidad_respuestas": "2"}, "privacidad_respuestas") == 5
    assert valor_configurado({"privacidad_respuestas": "12"}, "privacidad_respuestas") == 12
