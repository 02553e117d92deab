"""Archivos que llegan: la bomba zip se rechaza antes de abrirla y la copia de una subida siempre se borra."""

import gc
import io
import os
import subprocess
import sys
import zipfile

import openpyxl
import pytest

from analisis.errores import ArchivoIlegible
from datos.ingesta import archivos
from datos.ingesta.archivos import Subida, revisar_comprimido
from datos.ingesta.carga import Preparacion
from datos.ingesta.lectura import inspeccionar
from tests import ARCHIVOS, RAIZ
from tests.ingesta import bomba_xlsx

#: Memoria máxima (MB) con que la línea de órdenes debe rechazar la bomba (issue 16).
MEMORIA_MAXIMA_MB = 400
#: Mide el pico de memoria de ``python -m datos.cargar`` en un proceso hijo (ru_maxrss en KB en Linux).
_MEDIR = """
import resource, subprocess, sys
r = subprocess.run([sys.executable, "-m", "datos.cargar", *sys.argv[1:]], capture_output=True, text=True)
print(r.returncode, resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss // 1024)
print(r.stderr, file=sys.stderr)
"""


@pytest.fixture(scope="module")
def bomba(tmp_path_factory):
    """Un .xlsx de menos de 1 MB que se infla a 300 MB de textos compartidos."""
    return bomba_xlsx(tmp_path_factory.mktemp("bomba") / "encuestas.xlsx")


def _libro(filas: int) -> bytes:
    """Un libro normal (una hoja con ``filas`` filas de encuestas)."""
    libro = openpyxl.Workbook(write_only=True)
    hoja = libro.create_sheet("Datos")
    hoja.append(["fecha", "nps", "comentario"])
    for i in range(filas):
        hoja.append([f"2026-01-{i % 28 + 1:02d}", i % 11, f"comentario {i}"])
    salida = io.BytesIO()
    libro.save(salida)
    return salida.getvalue()


def test_la_linea_de_ordenes_rechaza_la_bomba_con_poca_memoria(bomba, tmp_path):
    assert bomba.stat().st_size < 1 << 20
    medida = subprocess.run([sys.executable, "-c", _MEDIR, str(bomba), "--tipo", "encuestas",
                             "--db", str(tmp_path / "e.duckdb")], capture_output=True, text=True, cwd=RAIZ,
                            timeout=300)
    estado, pico_mb = map(int, medida.stdout.split())
    assert estado in (1, 2)
    assert "Se rechazó «encuestas.xlsx»" in medida.stderr and "300 MB al descomprimirse" in medida.stderr
    assert pico_mb < MEMORIA_MAXIMA_MB


def test_la_bomba_se_rechaza_antes_de_abrirla(bomba, monkeypatch):
    monkeypatch.setattr(openpyxl, "load_workbook", lambda *a, **k: pytest.fail("openpyxl abrió la bomba"))
    with pytest.raises(ArchivoIlegible, match="crece menos de 100 veces"):
        inspeccionar(bomba)


def test_un_libro_normal_pasa(tmp_path):
    ruta = tmp_path / "normal.xlsx"
    ruta.write_bytes(_libro(60_000))
    hoja = max(zipfile.ZipFile(ruta).infolist(), key=lambda m: m.file_size)
    assert hoja.file_size > 1 << 20  # la razón sí se comprueba en esta hoja
    revisar_comprimido(ruta, "normal.xlsx")
    assert inspeccionar(ruta).columnas == ("fecha", "nps", "comentario")
    revisar_comprimido(ARCHIVOS / "auditorias_cumple_titulo.xlsx", "auditorias.xlsx")


def test_textos_compartidos_y_total_desmedidos(tmp_path, monkeypatch):
    ruta = tmp_path / "grande.xlsx"
    with zipfile.ZipFile(ruta, "w", zipfile.ZIP_DEFLATED) as comprimido:
        comprimido.writestr("xl/sharedStrings.xml", os.urandom(3 << 19))  # 1,5 MB que no se comprimen
    revisar_comprimido(ruta, "grande.xlsx")
    monkeypatch.setattr(archivos, "MB_TEXTOS_MAXIMOS", 1)
    with pytest.raises(ArchivoIlegible, match="tiene 2 MB de textos y el máximo que se abre en memoria es 1 MB"):
        revisar_comprimido(ruta, "grande.xlsx")
    monkeypatch.setattr(archivos, "MB_TEXTOS_MAXIMOS", 64)
    monkeypatch.setattr(archivos, "MB_DESCOMPRIMIDOS_MAXIMOS", 1)
    with pytest.raises(ArchivoIlegible, match="ocuparía 2 MB al abrirlo y el máximo es 1 MB"):
        revisar_comprimido(ruta, "grande.xlsx")


def test_demasiados_miembros_o_zip_danado(tmp_path):
    ruta = tmp_path / "muchos.xlsx"
    with zipfile.ZipFile(ruta, "w") as comprimido:
        for i in range(archivos.MIEMBROS_MAXIMOS + 1):
            comprimido.writestr(f"x/{i}.xml", "")
    with pytest.raises(ArchivoIlegible, match="10.001 archivos comprimidos"):
        revisar_comprimido(ruta, "muchos.xlsx")
    danado = tmp_path / "danado.xlsx"
    danado.write_bytes(b"PK\x03\x04" + b"\x00" * 100)
    with pytest.raises(ArchivoIlegible, match="dañado"):
        inspeccionar(danado)


def test_la_subida_se_borra_al_salir_del_with_aunque_falle():
    with pytest.raises(RuntimeError):
        with Subida(b"fecha;nps\n", "a/../../encuestas.csv") as subida:
            assert subida.ruta.parent == subida.carpeta and subida.ruta.name == "encuestas.csv"
            raise RuntimeError
    assert not subida.carpeta.exists()


def test_la_preparacion_borra_su_subida_al_cerrarse(con_memoria):
    preparacion = Preparacion.de_subida(con_memoria, (ARCHIVOS / "encuestas_1252_puntoycoma.csv").read_bytes(),
                                        "encuestas.csv")
    carpeta = preparacion._subida.carpeta
    assert (carpeta / "encuestas.csv").exists()
    assert len(list(carpeta.iterdir())) == 2  # la copia y su versión en UTF-8, en la misma carpeta
    preparacion.cerrar()
    assert not carpeta.exists()


def test_un_archivo_ilegible_no_deja_copia(con_memoria, tmp_path, monkeypatch):
    monkeypatch.setattr("tempfile.tempdir", str(tmp_path))
    with pytest.raises(ArchivoIlegible):
        Preparacion.de_subida(con_memoria, b"", "vacio.csv")
    with pytest.raises(ArchivoIlegible):
        Preparacion.de_subida(con_memoria, b"\x00" * 64, "binario.csv")
    assert list(tmp_path.iterdir()) == []


def test_una_preparacion_abandonada_borra_su_copia(con_memoria):
    preparacion = Preparacion.de_subida(con_memoria, _libro(10), "encuestas.xlsx")
    carpeta = preparacion._subida.carpeta
    assert carpeta.exists()
    del preparacion
    gc.collect()
    assert not carpeta.exists()
