"""Página «Configuración de la organización» y guía de inicio del almacén vacío, en AppTest."""

from analisis.formato import numero
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


def test_fundir_cuenta_lo_que_se_pierde_solo_al_abrirlo(base_demo, monkeypatch):
    """El efecto de fundir dos etapas recorre todas las calificaciones por etapa (segundos con millones de
    encuestas): se calcula solo con «Fundir dos etapas en una» abierto, y entonces lo dice con sus cifras."""
    from datos.ajustes import cadena  # noqa: PLC0415

    contados, original = [], cadena.efecto_de_fundir
    monkeypatch.setattr(cadena, "efecto_de_fundir", lambda *a: contados.append(a[1:]) or original(*a))
    at = abrir("paginas/organizacion.py")
    sin_errores(at)
    assert contados == [] and not any("pasarán a" in w.value for w in at.warning)
    at.session_state["org_fundir_abierto"] = True
    at.run()
    sin_errores(at)
    origen, destino = contados[-1]
    pasan = _consulta(base_demo, f"SELECT count(calificacion) FROM encuesta_etapas WHERE etapa = '{origen}'")[0][0]
    aviso = next(w.value for w in at.warning if "pasarán a" in w.value).replace("\\", "")  # escapado como texto
    assert aviso.startswith(f"{numero(pasan, 0)} calificaciones de «{origen}» pasarán a «{destino}»")
