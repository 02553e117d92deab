"""Barrido en Chromium: cada página registrada, con cada rol que la ve, entrando por el formulario real.

Lo que AppTest no ve porque lo dibuja el navegador (textos de los componentes de Streamlit como
«Select all», «Press Enter to submit form», «Choose an option», el selector de archivos «Upload»,
«200MB per file», tamaños «0.6KB», la página no encontrada) se busca en el texto visible. Con ``ESLABON_CAPTURAS`` guarda una captura por página y
rol para mirarlas.
"""

import re

import pytest

from datos.almacen.conexion import Almacen
from datos.cuentas.usuarios import crear_usuario
from paginas.sesion import PAGINAS, TODOS
from tests.navegador import CLAVE, _servir, captura, entrar, esperar_la_ejecucion

pytestmark = pytest.mark.navegador

INGLES = re.compile(r"Select all|Choose an? options?|Press Enter to submit|Page not found|Running the app|"
                    r"Drag and drop|Browse files|\bUpload\b|\bLimit\b|per file|\bempty\b|"
                    r"\d\.\d+ ?[KMG]?B\b|\d[KMG]?B\b|\bNone\b|\bnan\b|\bTrue\b|\bFalse\b|"
                    r"\b\d{4}-\d{2}-\d{2}\b")  # una fecha ISO: en pantalla van como 31/10/2026


@pytest.fixture(scope="module")
def servidor_roles(plantilla_demo, tmp_path_factory):
    """URL de la app sobre la demostración, con una cuenta por rol (usuario = nombre del rol sin tilde)."""
    import shutil
    ruta = tmp_path_factory.mktemp("barrido_navegador") / "demo.duckdb"
    shutil.copyfile(plantilla_demo(escala=0.3).ruta, ruta)
    almacen = Almacen(str(ruta))
    for rol in TODOS:
        crear_usuario(almacen.cursor(), _usuario(rol), CLAVE, rol, nombre=f"Persona de {rol}")
    almacen.cerrar()
    yield from _servir(ruta)


def _usuario(rol: str) -> str:
    """Nombre de usuario de la cuenta de pruebas de ``rol``."""
    return rol.replace("ó", "o").replace("í", "i")


@pytest.mark.parametrize("rol", TODOS)
def test_cada_pagina_de_cada_rol_en_chromium(rol, servidor_roles, pagina):
    pagina.set_viewport_size({"width": 1400, "height": 3200})
    for numero, registrada in enumerate(p for p in PAGINAS if rol in p.roles):
        direccion = registrada.archivo.split("/")[-1][:-3]
        url = f"{servidor_roles}/{'' if direccion == 'resumen' else direccion}"
        if numero == 0:
            entrar(pagina, url, usuario=_usuario(rol), espera_ms=120_000)
        else:  # la sesión sigue abierta al cargar otra dirección (ficha firmada en la cookie)
            pagina.goto(url)
        esperar_la_ejecucion(pagina)
        captura(pagina, f"{rol}_{direccion}")
        texto = pagina.inner_text("body")
        assert "Traceback" not in texto and "Error" not in texto.split("\n")[0], (rol, direccion)
        assert not INGLES.findall(texto), (rol, direccion, sorted(set(INGLES.findall(texto))))


def test_una_direccion_ajena_o_inexistente_se_explica_en_espanol(servidor_roles, pagina):
    """Capacitación escribe la dirección de «Cargar datos» (no es de su rol) y otra que no existe: en
    ambos casos ve el Resumen con el motivo en español, nunca «Page not found»."""
    entrar(pagina, f"{servidor_roles}/carga", usuario=_usuario("capacitación"), espera_ms=120_000)
    esperar_la_ejecucion(pagina)
    texto = pagina.inner_text("body")
    assert "La página «Cargar datos» no está disponible para su rol (Capacitación)" in texto
    assert "Resumen ejecutivo" in texto and not INGLES.findall(texto)
    pagina.goto(f"{servidor_roles}/no-existe")
    esperar_la_ejecucion(pagina)
    pagina.wait_for_timeout(1_000)  # el aviso inglés de Streamlit llegaría como diálogo tras la ejecución
    texto = pagina.inner_text("body")
    assert "La dirección «/no-existe» no corresponde a ninguna página de Eslabón" in texto
    assert not INGLES.findall(texto), sorted(set(INGLES.findall(texto)))
    captura(pagina, "capacitación_direccion_inexistente")
    pagina.goto(f"{servidor_roles}/resumen")  # la dirección de la página de inicio, que vive en la raíz
    esperar_la_ejecucion(pagina)
    pagina.wait_for_timeout(1_000)
    texto = pagina.inner_text("body")
    assert "Resumen ejecutivo" in texto and "no corresponde" not in texto and "no está disponible" not in texto
    assert not INGLES.findall(texto), sorted(set(INGLES.findall(texto)))


def test_el_selector_de_archivos_habla_espanol(servidor_roles, pagina, tmp_path):
    """«Cargar datos»: el botón, el límite (el de la página) y el archivo subido, sin textos en inglés."""
    entrar(pagina, f"{servidor_roles}/carga", usuario=_usuario("calidad"), espera_ms=120_000)
    esperar_la_ejecucion(pagina)
    selector = pagina.locator('[data-testid="stFileUploader"]')
    boton = selector.locator('[data-testid="stBaseButton-secondary"] [data-testid="stMarkdownContainer"]')
    assert pagina.evaluate("e => getComputedStyle(e, '::after').content", boton.element_handle()) == '"Elegir archivo"'
    instrucciones = selector.locator('[data-testid="stFileUploaderDropzoneInstructions"] > div')
    assert pagina.evaluate("e => getComputedStyle(e, '::after').content", instrucciones.element_handle()) == \
        '"Hasta 200 MB por archivo · CSV, TXT, TSV, XLSX, XLSM, XLS"'
    assert not INGLES.findall(selector.inner_text())
    archivo = tmp_path / "encuestas.csv"
    archivo.write_text("fecha;nps\n" + "30/10/2026;9\n" * 30, encoding="utf-8")
    selector.locator("input[type=file]").set_input_files(str(archivo))
    pagina.get_by_text("2. Qué contiene").wait_for(timeout=60_000)
    esperar_la_ejecucion(pagina)
    texto = pagina.inner_text("body")
    assert "«encuestas.csv»: 400 bytes" in texto
    assert not INGLES.findall(texto), sorted(set(INGLES.findall(texto)))
    captura(pagina, "calidad_carga_con_archivo")
