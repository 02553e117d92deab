"""Página «Cargar datos» en AppTest: subir, confirmar el mapeo, validar, importar y deshacer."""

import tempfile
from pathlib import Path

import pytest

from tests import ARCHIVOS
from datos.almacen.conexion import Almacen
from tests.apptest import abrir, sin_errores
from tests.ingesta import bomba_xlsx

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


def _subidas(carpeta: Path) -> list[Path]:
    """Las carpetas de subida que quedan en la carpeta temporal ``carpeta``."""
    return sorted(carpeta.glob("eslabon_subida_*"))


@pytest.fixture
def temporal(tmp_path, monkeypatch):
    """Una carpeta temporal propia para ``tempfile`` (ahí escribe la página las subidas)."""
    carpeta = tmp_path / "temporal"
    carpeta.mkdir()
    monkeypatch.setattr(tempfile, "tempdir", str(carpeta))
    return carpeta


def test_la_copia_subida_se_borra_al_importar_y_al_quitar_el_archivo(base_demo, temporal, monkeypatch):
    import streamlit as st
    monkeypatch.setattr(st, "file_uploader", lambda *a, **k: _Subido(ARCHIVO))
    at = abrir("paginas/carga.py")
    sin_errores(at)
    [primera] = _subidas(temporal)
    assert ARCHIVO.name in [p.name for p in primera.iterdir()]
    next(b for b in at.button if b.label == "Validar el archivo").click().run()
    next(b for b in at.button if b.label.startswith("Importar")).click().run()
    assert not at.exception
    assert not primera.exists()
    # El archivo de prueba sigue «subido» (el selector real se vacía): la página lo vuelve a preparar una vez.
    assert len(_subidas(temporal)) == 1
    monkeypatch.setattr(st, "file_uploader", lambda *a, **k: None)
    at.run()
    assert not at.exception
    assert _subidas(temporal) == []


def test_un_archivo_ilegible_no_deja_copia(base_demo, temporal, monkeypatch, tmp_path):
    import streamlit as st
    vacio = tmp_path / "vacio.csv"
    vacio.write_bytes(b"")
    monkeypatch.setattr(st, "file_uploader", lambda *a, **k: _Subido(vacio))
    at = abrir("paginas/carga.py")
    assert not at.exception
    assert any("está vacío" in e.value for e in at.error)
    assert _subidas(temporal) == []


def test_la_bomba_zip_se_rechaza_sin_abrirla(base_demo, temporal, monkeypatch, tmp_path):
    import openpyxl
    import streamlit as st
    bomba = bomba_xlsx(tmp_path / "encuestas.xlsx")
    monkeypatch.setattr(st, "file_uploader", lambda *a, **k: _Subido(bomba))
    monkeypatch.setattr(openpyxl, "load_workbook", lambda *a, **k: pytest.fail("openpyxl abrió la bomba"))
    at = abrir("paginas/carga.py")
    assert not at.exception, [e.value for e in at.exception]
    assert any("Se rechazó «encuestas.xlsx»" in e.value and "Puede ser un archivo malicioso" in e.value
               for e in at.error)
    assert _subidas(temporal) == []
