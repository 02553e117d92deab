"""Acceso en la app: entrada, primer administrador, páginas por rol, alcance de datos y administración."""

import pytest

from datos.almacen.conexion import Almacen
from datos.cuentas.usuarios import Usuario, crear_usuario
from paginas.sesion import PAGINAS
from tests.apptest import abrir, entrar, sin_errores

ROLES_Y_PAGINAS = {
    "dirección": {"resumen", "tendencias", "cadena", "perfiles", "comentarios"},
    "calidad": {"resumen", "carga", "tendencias", "cadena", "perfiles", "comentarios"},
    "capacitación": {"resumen", "brechas", "realimentacion"},
    "administrador": {p.archivo.removeprefix("paginas/").removesuffix(".py") for p in PAGINAS},
}


def _crear(ruta, *args, **kwargs):
    almacen = Almacen(str(ruta))
    crear_usuario(almacen.cursor(), *args, **kwargs)
    almacen.cerrar()


def test_sin_sesion_no_se_ve_ningun_dato(base_demo):
    _crear(base_demo, "ana", "clave-de-ana-1", "calidad")
    at = abrir(usuario=None)
    sin_errores(at)
    assert [t.value for t in at.title] == ["Eslabón"]
    assert len(at.metric) == 0 and len(at.sidebar.multiselect) == 0
    assert [b.label for b in at.button] == ["Entrar"]


def test_instalacion_nueva_crea_el_primer_administrador(base_vacia):
    at = abrir(usuario=None)
    assert at.subheader[0].value == "Primera puesta en marcha"
    at.text_input[0].input("jefa")
    at.text_input[1].input("una-clave-larga")
    at.text_input[2].input("otra-clave-larga")
    at.button[0].click().run()
    assert "no coinciden" in at.error[0].value
    at.text_input[2].input("una-clave-larga")
    at.button[0].click().run()
    sin_errores(at)
    assert at.session_state["usuario"].rol == "administrador"
    assert at.title[0].value == "Resumen ejecutivo"


def test_entrar_con_clave_correcta_e_incorrecta(base_demo):
    _crear(base_demo, "ana", "clave-de-ana-1", "calidad")
    at = abrir(usuario=None)
    at.text_input[0].input("ana")
    at.text_input[1].input("equivocada-123")
    at.button[0].click().run()
    assert at.error[0].value == "Usuario o clave incorrectos."
    at.text_input[1].input("clave-de-ana-1")
    at.button[0].click().run()
    sin_errores(at)
    assert at.title[0].value == "Resumen ejecutivo" and len(at.metric) == 8


@pytest.mark.parametrize("rol", sorted(ROLES_Y_PAGINAS))
def test_cada_rol_ve_exactamente_sus_paginas(base_demo, rol):
    at = abrir(usuario=Usuario("equis", "X", rol))
    sin_errores(at)
    assert len(at.metric) == 8
    for pagina in PAGINAS:
        nombre = pagina.archivo.removeprefix("paginas/").removesuffix(".py")
        if nombre in ROLES_Y_PAGINAS[rol]:
            at.switch_page(pagina.archivo)
        else:
            with pytest.raises(ValueError, match="Could not find a navigation page"):
                at.switch_page(pagina.archivo)


def test_alcance_por_sucursal_limita_todas_las_cifras(base_demo):
    limitada = abrir(usuario=Usuario("norte", "Norte", "dirección", sucursales=("Sucursal Norte",)))
    sin_errores(limitada)
    opciones = next(m for m in limitada.sidebar.multiselect if m.label == "Sucursal").options
    assert opciones == ["Sucursal Norte"]
    completa = abrir()
    sucursal = next(m for m in completa.sidebar.multiselect if m.label == "Sucursal")
    sin_filtro = {m.label: m.value for m in completa.metric}
    sucursal.select("Sucursal Norte").run()
    assert {m.label: m.value for m in limitada.metric} == {m.label: m.value for m in completa.metric}
    assert {m.label: m.value for m in limitada.metric} != sin_filtro


def test_salir_cierra_la_sesion(base_demo):
    at = abrir()
    at.sidebar.button(key="salir").click().run()
    assert "usuario" not in at.session_state
    assert [t.value for t in at.title] == ["Eslabón"]


def test_administracion_crea_una_cuenta_y_queda_en_la_bitacora(base_demo):
    at = abrir("paginas/administracion.py")
    sin_errores(at)
    formulario = at.text_input
    formulario[0].input("beto")
    formulario[1].input("Beto Díaz")
    formulario[2].input("clave-de-beto-1")
    next(b for b in at.button if b.label == "Crear cuenta").click().run()
    sin_errores(at)
    assert "beto" in at.dataframe[0].value["usuario"].tolist()
    assert ("admin", "crear usuario") in set(zip(at.dataframe[1].value["usuario"], at.dataframe[1].value["accion"]))


def test_el_detalle_de_tendencias_muestra_seudonimos_de_clientes_a_direccion(base_demo):
    at = abrir("paginas/tendencias.py", usuario=Usuario("dir", "Dirección", "dirección"))
    sin_errores(at)
    detalle = next(d.value for d in at.dataframe if "Cliente" in d.value.columns)
    clientes = detalle["Cliente"].dropna()
    assert len(clientes) and clientes.str.startswith("Cliente ").all()
    assert not clientes.str.startswith("CLI-").any()
    calidad = abrir("paginas/tendencias.py", usuario=Usuario("cal", "Calidad", "calidad"))
    calidad.toggle(key="tend_ver_clientes").set_value(True).run()
    detalle = next(d.value for d in calidad.dataframe if "Cliente" in d.value.columns)
    assert detalle["Cliente"].dropna().str.startswith("CLI-").all()


@pytest.mark.parametrize("pagina", ["paginas/perfiles.py", "paginas/comentarios.py", "paginas/cadena.py"])
def test_paginas_de_analisis_con_cuenta_limitada_a_una_sucursal(base_demo, pagina):
    at = abrir(pagina, usuario=Usuario("norte", "Norte", "dirección", sucursales=("Sucursal Norte",)))
    sin_errores(at)
    assert next(m for m in at.sidebar.multiselect if m.label == "Sucursal").options == ["Sucursal Norte"]


def test_la_sesion_caduca_tras_la_inactividad(base_demo, monkeypatch):
    monkeypatch.setenv("ESLABON_SESION_MINUTOS", "30")
    _crear(base_demo, "ana", "clave-de-ana-1", "calidad")
    at = entrar("ana", "clave-de-ana-1")
    sin_errores(at)
    almacen = Almacen(str(base_demo))
    almacen.cursor().execute("UPDATE sesiones SET ultima_actividad = ultima_actividad - INTERVAL 31 MINUTE")
    almacen.cerrar()
    at.run()
    sin_errores(at)
    assert "usuario" not in at.session_state and len(at.metric) == 0
    assert "caducó" in at.info[0].value
