"""Cada rol entra por el formulario real y prueba todas las páginas y las acciones que escriben.

Nada se pone a mano en la sesión: las cuentas se crean en el almacén y se entra con usuario y
clave (``tests.apptest.entrar``). También: alcance por equipo, la sesión tras desactivar la cuenta
o cambiarle el rol (hecho por la administradora en su propia página), la demostración solo para
quien carga datos y las descargas que vuelven a comprobar la sesión.
"""

import pytest
import streamlit as st

from datos.almacen.conexion import Almacen
from datos.cuentas.sesiones import abrir_sesion
from datos.cuentas.usuarios import Usuario, actualizar_usuario, crear_usuario
from paginas import comun
from paginas.sesion import PAGINAS
from tests.apptest import abrir_pestana, entrar, sin_errores
from tests.paginas.test_acceso import ROLES_Y_PAGINAS
from tests.paginas.test_carga import ARCHIVO, _contar, _Subido

CLAVE = "clave-de-pruebas-1"
CUENTAS = {"dirección": "dora", "calidad": "cala", "capacitación": "capa", "administrador": "adela"}


def _cuentas(ruta, **alcance) -> None:
    """Una cuenta por rol (con ``alcance`` para la de dirección) en el almacén de ``ruta``."""
    almacen = Almacen(str(ruta))
    for rol, usuario in CUENTAS.items():
        crear_usuario(almacen.cursor(), usuario, CLAVE, rol, **(alcance if rol == "dirección" else {}))
    almacen.cerrar()


def _nombre(pagina) -> str:
    return pagina.archivo.removeprefix("paginas/").removesuffix(".py")


def _textos(elementos) -> str:
    return " ".join(e.value for e in elementos)


@pytest.mark.parametrize("rol", sorted(CUENTAS))
def test_cada_rol_entra_por_el_formulario_y_abre_solo_sus_paginas(base_demo, rol):
    _cuentas(base_demo)
    at = entrar(CUENTAS[rol], CLAVE)
    sin_errores(at)
    assert at.title[0].value == "Resumen ejecutivo"
    for pagina in PAGINAS:
        if _nombre(pagina) in ROLES_Y_PAGINAS[rol]:
            at.switch_page(pagina.archivo).run()
            sin_errores(at)
            assert at.title[0].value == pagina.titulo
        else:
            with pytest.raises(ValueError, match="Could not find a navigation page"):
                at.switch_page(pagina.archivo)


def test_capacitacion_no_cambia_el_minimo_de_auditorias_y_la_administradora_si(base_demo):
    _cuentas(base_demo)
    capacitadora = abrir_pestana(entrar("capa", CLAVE, "paginas/brechas.py"), "Estándar y reglas")
    sin_errores(capacitadora)
    assert not [n for n in capacitadora.number_input if n.key == "brechas_minimo"]
    assert "solo un administrador lo cambia" in _textos(capacitadora.caption)
    administradora = abrir_pestana(entrar("adela", CLAVE, "paginas/brechas.py"), "Estándar y reglas")
    administradora.number_input(key="brechas_minimo").set_value(7)
    next(b for b in administradora.button if b.label == "Guardar mínimo").click().run()
    sin_errores(administradora)
    assert "con al menos 7 auditorías" in _textos(administradora.caption)
    almacen = Almacen(str(base_demo))
    assert almacen.cursor().execute("SELECT usuario, detalle FROM bitacora WHERE accion = 'cambiar configuración'"
                                    ).fetchall() == [("adela", "Auditorías mínimas para mostrar las cifras de una "
                                                               "persona: 5 → 7")]
    almacen.cerrar()


def test_umbrales_de_administracion_con_minimo_y_bitacora(base_demo):
    _cuentas(base_demo)
    at = entrar("adela", CLAVE, "paginas/administracion.py")
    sin_errores(at)
    privacidad = next(n for n in at.number_input if n.label.startswith("Respuestas mínimas"))
    assert privacidad.min == 5
    privacidad.set_value(12)
    next(b for b in at.button if b.label == "Guardar umbrales").click().run()
    sin_errores(at)
    assert "Respuestas mínimas para mostrar las cifras de un segmento: 10 → 12" in at.dataframe[1].value[
        "detalle"].tolist()


def test_un_minimo_antiguo_de_1_no_rompe_brechas_ni_realimentacion(base_demo):
    _cuentas(base_demo)
    almacen = Almacen(str(base_demo))
    almacen.cursor().execute("UPDATE configuracion SET valor = '1' WHERE clave = 'auditorias_minimas'")
    almacen.cerrar()
    at = entrar("capa", CLAVE, "paginas/brechas.py")
    sin_errores(at)
    assert "con al menos 3 auditorías" in _textos(at.caption)
    at.switch_page("paginas/realimentacion.py").run()
    sin_errores(at)


def test_calidad_carga_y_deshace_tras_entrar_por_el_formulario(base_demo, monkeypatch):
    monkeypatch.setattr(st, "file_uploader", lambda *a, **k: _Subido(ARCHIVO))
    _cuentas(base_demo)
    antes = _contar(base_demo, "encuestas")
    at = entrar("cala", CLAVE, "paginas/carga.py")
    next(b for b in at.button if b.label == "Validar el archivo").click().run()
    next(b for b in at.button if b.label.startswith("Importar")).click().run()
    sin_errores(at)
    assert _contar(base_demo, "encuestas") == antes + 2
    at.selectbox(key="carga_deshacer").set_value(2).run()
    at.checkbox(key="carga_confirmar_2").check().run()
    next(b for b in at.button if b.label == "Deshacer").click().run()
    sin_errores(at)
    assert _contar(base_demo, "encuestas") == antes


@pytest.mark.parametrize("rol, puede", [("dirección", False), ("capacitación", False), ("calidad", True),
                                        ("administrador", True)])
def test_solo_quien_carga_datos_carga_la_demostracion(base_vacia, rol, puede):
    _cuentas(base_vacia)
    at = entrar(CUENTAS[rol], CLAVE)
    sin_errores(at)
    boton = [b for b in at.button if b.label == "Cargar datos de demostración"]
    assert bool(boton) == puede
    if not puede:
        assert "Solo las cuentas de Calidad y de administración cargan datos" in _textos(at.caption)


def test_alcance_por_equipo_tras_entrar(base_demo):
    _cuentas(base_demo, equipos=("Equipo Andes",))
    limitada = entrar("dora", CLAVE)
    sin_errores(limitada)
    assert next(m for m in limitada.sidebar.multiselect if m.label == "Equipo").options == ["Equipo Andes"]
    completa = entrar("adela", CLAVE)
    next(m for m in completa.sidebar.multiselect if m.label == "Equipo").select("Equipo Andes").run()
    assert {m.label: m.value for m in limitada.metric} == {m.label: m.value for m in completa.metric}


def _cambiar_cuenta(administradora, usuario: str, *, rol: str | None = None, activa: bool = True) -> None:
    """La administradora cambia la cuenta ``usuario`` desde «Usuarios y bitácora»."""
    administradora.selectbox(key="cuenta_editada").select(usuario).run()
    if rol is not None:
        [s for s in administradora.selectbox if s.label == "Rol"][-1].select(rol)
    casilla = next(c for c in administradora.checkbox if c.label == "Cuenta activa")
    casilla.set_value(activa)
    next(b for b in administradora.button if b.label == "Guardar cambios").click().run()
    sin_errores(administradora)


def test_desactivar_la_cuenta_cierra_la_sesion_abierta(base_demo):
    _cuentas(base_demo)
    calidad = entrar("cala", CLAVE, "paginas/tendencias.py")
    sin_errores(calidad)
    _cambiar_cuenta(entrar("adela", CLAVE, "paginas/administracion.py"), "cala", activa=False)
    calidad.run()
    assert "usuario" not in calidad.session_state and len(calidad.metric) == 0
    assert "ya no está activa" in _textos(calidad.info)


def test_un_cambio_de_rol_vale_en_la_siguiente_ejecucion(base_demo):
    _cuentas(base_demo)
    calidad = entrar("cala", CLAVE)
    calidad.switch_page("paginas/carga.py").run()
    _cambiar_cuenta(entrar("adela", CLAVE, "paginas/administracion.py"), "cala", rol="capacitación")
    calidad.run()
    sin_errores(calidad)
    assert calidad.session_state["usuario"].rol == "capacitación"
    with pytest.raises(ValueError, match="Could not find a navigation page"):
        calidad.switch_page("paginas/carga.py")
    calidad.switch_page("paginas/brechas.py").run()
    sin_errores(calidad)


def test_la_ultima_administradora_no_se_desactiva_desde_su_pagina(base_demo):
    _cuentas(base_demo)
    at = entrar("adela", CLAVE, "paginas/administracion.py")
    at.selectbox(key="cuenta_editada").select("adela").run()
    next(c for c in at.checkbox if c.label == "Cuenta activa").set_value(False)
    next(b for b in at.button if b.label == "Guardar cambios").click().run()
    assert "último administrador activo" in _textos(at.error)
    at.run()
    assert at.session_state["usuario"].usuario == "adela"


def test_una_descarga_comprueba_la_sesion_al_producir_el_archivo(base_demo, monkeypatch):
    _cuentas(base_demo)
    almacen = Almacen(str(base_demo))
    ficha = abrir_sesion(almacen.cursor(), "cala")
    monkeypatch.setattr(st, "session_state", {"ficha": ficha, "usuario": Usuario("cala", "cala", "calidad")})
    producir = comun.anotada(lambda: b"a;b\n", "prueba.csv")
    assert producir() == b"a;b\n"
    actualizar_usuario(almacen.cursor(), "cala", rol="calidad", activo=True, equipos=("Equipo Andes",),
                       autor="adela")
    assert producir().decode() == f"Descarga rechazada: Los permisos de su cuenta cambiaron. {comun.VOLVER_A_ENTRAR}\n"
    actualizar_usuario(almacen.cursor(), "cala", rol="calidad", activo=False, autor="adela")
    assert "Su cuenta ya no está activa" in producir().decode()
    assert almacen.cursor().execute("SELECT count(*) FROM bitacora WHERE accion = 'exportar'").fetchall() == [(1,)]
    assert almacen.cursor().execute("SELECT count(*) FROM bitacora WHERE accion = 'exportación rechazada'"
                                    ).fetchall() == [(2,)]
    almacen.cerrar()
