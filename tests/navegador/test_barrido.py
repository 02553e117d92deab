"""Barrido en Chromium: cada página registrada, con cada rol que la ve, entrando por el formulario real.

Lo que AppTest no ve porque lo dibuja el navegador (textos de los componentes de Streamlit como
«Select all», «Press Enter to submit form», «Choose an option», tamaños «0.6KB», la página no
encontrada) se busca en el texto visible. Con ``ESLABON_CAPTURAS`` guarda una captura por página y
rol para mirarlas.
"""

import re

import pytest

from datos.almacen.conexion import Almacen
from datos.cuentas.usuarios import crear_usuario
from paginas.sesion import PAGINAS, TODOS
from tests.navegador import CLAVE, _servir, captura, entrar

pytestmark = pytest.mark.navegador

INGLES = re.compile(r"Select all|Choose an? options?|Press Enter to submit|Page not found|Running the app|"
                    r"\d\.\d+ ?KB\b|\bNone\b|\bnan\b|\bTrue\b|\bFalse\b|"
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


def _esperar(pagina) -> None:
    """Espera a que la página termine de ejecutarse."""
    pagina.wait_for_function(
        "() => document.querySelector('[data-testid=\"stApp\"]')?.getAttribute('data-test-script-state') "
        "=== 'notRunning'", timeout=120_000)


@pytest.mark.parametrize("rol", TODOS)
def test_cada_pagina_de_cada_rol_en_chromium(rol, servidor_roles, pagina):
    pagina.set_viewport_size({"width": 1400, "height": 3200})
    for numero, registrada in enumerate(p for p in PAGINAS if rol in p.roles):
        direccion = registrada.archivo.split("/")[-1][:-3]
        url = f"{servidor_roles}/{'' if direccion == 'resumen' else direccion}"
        if numero == 0:
            entrar(pagina, url, usuario=_usuario(rol))
        else:  # la sesión sigue abierta al cargar otra dirección (ficha firmada en la cookie)
            pagina.goto(url)
        _esperar(pagina)
        captura(pagina, f"{rol}_{direccion}")
        texto = pagina.inner_text("body")
        assert "Traceback" not in texto and "Error" not in texto.split("\n")[0], (rol, direccion)
        assert not INGLES.findall(texto), (rol, direccion, sorted(set(INGLES.findall(texto))))
