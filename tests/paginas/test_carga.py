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
    assert at.selectbox(key="carga_deshacer").value is None
    at.selectbox(key="carga_deshacer").set_value(2).run()
    at.checkbox(key="carga_confirmar_2").check().run()
    at.button(key="carga_deshacer_boton").click().run()
    assert not at.exception
    assert any("deshecha" in s.value for s in at.success)
    assert _contar(base_demo, "encuestas") == antes


def _boton_deshacer(at):
    """El botón «Deshacer» de la página."""
    return at.button(key="carga_deshacer_boton")


def test_deshacer_la_segunda_carga_no_deja_armada_la_primera(base_demo, monkeypatch, tmp_path):
    """La secuencia del informe: importar (n.º 2), volver a validar, deshacer n.º 2; la demostración (n.º 1) sigue.

    El archivo trae 2 encuestas con 3 calificaciones por etapa cada una: se borran «2 encuestas».
    """
    import streamlit as st
    archivo = tmp_path / "encuestas_con_etapas.csv"
    archivo.write_text("respuesta_id;fecha;nps;Atención inicial;Diagnóstico;Solución\n"
                       "R-1;30/10/2026;9;4;5;3\nR-2;30/10/2026;7;3;4;4\nR-3;no es fecha;8;4;4;4\n", encoding="utf-8")
    monkeypatch.setattr(st, "file_uploader", lambda *a, **k: _Subido(archivo))
    demo_antes = _contar(base_demo, "encuestas")
    at = abrir("paginas/carga.py")
    next(b for b in at.button if b.label == "Validar el archivo").click().run()
    next(b for b in at.button if b.label.startswith("Importar")).click().run()
    # El mismo archivo sigue en el selector: validarlo otra vez dice que ya estaban guardadas.
    next(b for b in at.button if b.label == "Validar el archivo").click().run()
    assert [m.value for m in at.metric] == ["3", "0", "2", "1"]

    assert _boton_deshacer(at).disabled, "sin carga elegida no se puede deshacer"
    at.selectbox(key="carga_deshacer").set_value(2).run()
    assert "borra 2 encuestas" in at.checkbox(key="carga_confirmar_2").label
    assert _boton_deshacer(at).disabled, "sin confirmar no se puede deshacer"
    at.checkbox(key="carga_confirmar_2").check().run()
    assert not _boton_deshacer(at).disabled
    _boton_deshacer(at).click().run()
    sin_errores(at)

    [exito] = [s.value for s in at.success if "deshecha" in s.value]
    assert exito == "Carga n.º 2 deshecha. Filas borradas: 2 encuestas."
    desglose = "\n".join(t.value for t in at.text)
    assert "Encuestas: 2 filas" in desglose and "Calificaciones por etapa: 6 filas" in desglose
    assert not at.metric, "la validación de antes (citaba filas que ya no están) se descarta"
    assert at.selectbox(key="carga_deshacer").value is None
    assert at.selectbox(key="carga_deshacer").options == ["N.º 1: datos de demostración"]
    assert _boton_deshacer(at).disabled
    # Elegir la demostración no la deja confirmada: su casilla empieza sin marcar.
    at.selectbox(key="carga_deshacer").set_value(1).run()
    assert not at.checkbox(key="carga_confirmar_1").value and _boton_deshacer(at).disabled
    assert _contar(base_demo, "encuestas") == demo_antes


def test_deshacer_la_demostracion_pide_escribir_sus_filas(base_demo):
    at = abrir("paginas/carga.py")
    at.selectbox(key="carga_deshacer").set_value(1).run()
    total = sum(_contar(base_demo, tabla) for tabla in ("clientes", "agentes", "interacciones", "encuestas", "auditorias"))
    casilla = at.checkbox(key="carga_confirmar_1")
    assert casilla.label.startswith("Entiendo que deshacer la carga n.º 1 borra ") and "encuestas" in casilla.label
    pedido = at.text_input(key="carga_confirmar_filas_1")
    assert f"{total:,}".replace(",", ".") in pedido.label
    casilla.check().run()
    assert _boton_deshacer(at).disabled, "la casilla sola no basta para una carga grande"
    at.text_input(key="carga_confirmar_filas_1").input(str(total - 1)).run()
    assert _boton_deshacer(at).disabled
    at.text_input(key="carga_confirmar_filas_1").input(f"{total:,}".replace(",", ".")).run()
    assert not _boton_deshacer(at).disabled
    _boton_deshacer(at).click().run()
    sin_errores(at)
    assert _contar(base_demo, "encuestas") == 0
    assert any(s.value.startswith("Carga n.º 1 deshecha. Filas borradas: ") for s in at.success)
    assert "Carga a deshacer" not in [s.label for s in at.selectbox], "no queda ninguna carga vigente"


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
