"""Página «Cargar datos» en AppTest: subir, confirmar el mapeo, validar, importar y deshacer."""

from pathlib import Path

from tests import ARCHIVOS
from datos.almacen.conexion import Almacen
from tests.apptest import abrir, sin_errores

ARCHIVO = ARCHIVOS / "encuestas_1252_puntoycoma.csv"


class _Subido:
    """Lo mínimo de un ``UploadedFile`` de Streamlit que usa la página."""

    def __init__(self, ruta: Path):
        self.name, self.file_id, self._datos = ruta.name, "prueba-1", ruta.read_bytes()

    def getbuffer(self):
        return memoryview(self._datos)


def _contar(ruta, tabla):
    almacen = Almacen(str(ruta))
    try:
        return almacen.cursor().execute(f"SELECT count(*) FROM {tabla}").fetchall()[0][0]
    finally:
        almacen.cerrar()


def test_flujo_completo_de_carga(base_demo, monkeypatch):
    import streamlit as st
    monkeypatch.setattr(st, "file_uploader", lambda *a, **k: _Subido(ARCHIVO))
    antes = _contar(base_demo, "encuestas")
    at = abrir("paginas/carga.py")
    sin_errores(at)
    assert at.title[0].value == "Cargar datos"
    assert at.selectbox(key="carga_tipo_prueba-1").value == "encuestas"
    assert any("Mapeo" in h.value for h in at.subheader)
    next(b for b in at.button if b.label == "Validar el archivo").click().run()
    assert not at.exception, [e.value for e in at.exception]
    assert [m.value for m in at.metric] == ["3", "2", "0", "1"]
    next(b for b in at.button if b.label.startswith("Importar")).click().run()
    assert not at.exception
    assert any("guardada" in s.value for s in at.success)
    assert _contar(base_demo, "encuestas") == antes + 2
    assert at.selectbox[-1].label == "Carga a deshacer" and at.selectbox[-1].value == 2
    at.checkbox(key="carga_confirmar").check().run()
    next(b for b in at.button if b.label == "Deshacer").click().run()
    assert not at.exception
    assert any("deshecha" in s.value for s in at.success)
    assert _contar(base_demo, "encuestas") == antes
