"""Página «Configuración de la organización» y guía de inicio del almacén vacío, en AppTest."""

from datos.almacen.conexion import Almacen
from tests.apptest import abrir, sin_errores


def _consulta(ruta, sql):
    almacen = Almacen(str(ruta))
    try:
        return almacen.cursor().execute(sql).fetchall()
    finally:
        almacen.cerrar()


def test_la_guia_de_inicio_ofrece_la_cadena_sugerida(base_vacia):
    at = abrir()
    sin_errores(at)
    textos = " ".join(m.value for m in at.markdown)
    assert "1. Defina su cadena de servicio" in textos and "2. Descargue la plantilla" in textos
    assert "3. Suba sus archivos" in textos and "pruebe la demostración" in textos
    at.button(key="guia_sugerida").click().run()
    sin_errores(at)
    assert _consulta(base_vacia, "SELECT etapa FROM etapas ORDER BY orden") == [
        ("Atención inicial",), ("Diagnóstico",), ("Solución",), ("Entrega",), ("Seguimiento",)]
    assert any("Su cadena: Atención inicial →" in c.value for c in at.caption)
    assert _consulta(base_vacia, "SELECT usuario FROM bitacora WHERE accion = 'configuración' LIMIT 1") == [("admin",)]


def test_la_pagina_funciona_con_la_base_vacia(base_vacia):
    at = abrir("paginas/organizacion.py")
    sin_errores(at)
    assert at.title[0].value == "Configuración de la organización"
    assert "todavía no tiene etapas" in at.info[0].value
    at.button(key="org_sugerida").click().run()
    sin_errores(at)
    assert len(_consulta(base_vacia, "SELECT etapa FROM etapas")) == 5


def test_la_pagina_con_la_demostracion_muestra_su_cadena(base_demo):
    at = abrir("paginas/organizacion.py")
    sin_errores(at)
    assert any("datos de demostración" in w.value for w in at.warning)
    assert [t.label for t in at.tabs][:3] == ["Cadena de servicio", "Escalas", "Etiquetas"]
