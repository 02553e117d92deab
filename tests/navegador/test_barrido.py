"""Barrido en Chromium: cada página registrada, con cada rol que la ve, entrando por el formulario real.

Se mira a 1280 px de ancho, el de un portátil, donde se corta lo que no cabe: ningún texto cortado con «…»
(títulos de las tarjetas, etiquetas, insignias), ninguna tabla ajustada más ancha que su sitio, ningún marco
(la vista previa de un informe) que corte su contenido, ninguna tabla de lienzo (``st.dataframe``) que se desplace de lado
salvo las de ``DESPLAZABLES`` (con su motivo) y ningún número de tabla o editor escrito «5835» o «0.8»
(``RECORTES``, medido en la página). Con el administrador, que ve todas las páginas, se abren además sus
pestañas y desplegables: lo que guardan también se mira.

Lo que AppTest no ve porque lo dibuja el navegador (textos de los componentes de Streamlit como
«Select all», «Press Enter to submit form», «Choose an option», el selector de archivos «Upload»,
«200MB per file», tamaños «0.6KB», la página no encontrada) se busca en el texto visible. Con ``ESLABON_CAPTURAS`` guarda una captura por página y
rol para mirarlas.
"""

import re
import time

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


#: Lo que no cabe en su sitio, medido en el navegador (``scrollWidth`` frente a ``clientWidth``): textos que
#: Streamlit corta con «…» en una línea, tablas ajustadas más anchas que su contenedor y marcos que cortan su
#: contenido (a lo alto o a lo ancho). También los números de las tablas y editores que no se escriben a la
#: española (5835 por 5.835, 0.8 por 0,8). Devuelve una descripción de cada uno.
RECORTES = r"""(desplazables) => {
  const visible = e => e.getClientRects().length > 0 && e.closest('[hidden]') === null;
  const problemas = [];
  for (const e of document.querySelectorAll('.stMarkdownEllipsis, .stMarkdownBadge'))
    if (visible(e) && e.scrollWidth > e.clientWidth + 1) problemas.push('texto cortado: ' + e.innerText);
  for (const e of document.querySelectorAll('[data-testid="stTable"]')) {
    const tabla = e.querySelector('table');
    if (visible(e) && tabla && tabla.getBoundingClientRect().width > e.getBoundingClientRect().width + 1)
      problemas.push('tabla más ancha que su sitio: ' + tabla.innerText.slice(0, 40));
  }
  for (const marco of document.querySelectorAll('iframe')) {
    const doc = marco.contentDocument && marco.contentDocument.documentElement;
    if (visible(marco) && doc && doc.scrollHeight > 0 && (doc.scrollHeight > marco.clientHeight + 2 ||
        doc.scrollWidth > marco.clientWidth + 2))
      problemas.push(`marco cortado: ${doc.scrollWidth}×${doc.scrollHeight} en ` +
                     `${marco.clientWidth}×${marco.clientHeight}`);
  }
  // Las tablas de Streamlit se dibujan en un lienzo; sus celdas también van en una tabla accesible (gridcell),
  // con el texto que se ve salvo en las listas de un editor (SelectboxColumn), que llevan el valor guardado (un α
  // 0.05 que se ve «0,05»): en las celdas editables solo se busca el número sin punto de miles («5835»); en las
  // demás también el punto decimal («0.8»), que no es el punto de miles de «3.783».
  for (const celda of document.querySelectorAll('[data-testid="stDataFrame"] [role="gridcell"]'))
    if (/^\s*-?\d{4,}\s*$/.test(celda.innerText) ||
        (celda.getAttribute('aria-readonly') === 'true' && /^\s*-?\d+\.\d+\s*$/.test(celda.innerText) &&
         !/^\s*-?[1-9]\d{0,2}(\.\d{3})+\s*$/.test(celda.innerText)))  // 3.783 es tres mil setecientos...
      problemas.push('número sin escribir a la española en una tabla: ' + celda.innerText);
  // Las tablas de lienzo (st.dataframe, st.data_editor) no se desplazan de lado salvo las de ``desplazables``
  // (claves de las que ``comun.tabla`` pone, con la primera columna fija, en un contenedor ``DESPLAZABLE + clave``).
  for (const e of document.querySelectorAll('[data-testid="stDataFrame"]')) {
    const lienzo = e.querySelector('.dvn-scroller');
    const caja = e.closest('[class*="st-key-desplazable_"]');
    const clave = caja && [...caja.classList].find(c => c.startsWith('st-key-desplazable_')).slice(19);
    if (visible(e) && lienzo && lienzo.scrollWidth > lienzo.clientWidth + 1 && !desplazables.includes(clave))
      problemas.push(`tabla que se desplaza de lado (${lienzo.scrollWidth} px en ${lienzo.clientWidth}): ` +
                     [...e.querySelectorAll('[role="columnheader"]')].map(c => c.innerText).join('|').slice(0, 80));
  }
  return problemas;
}"""


#: Las tablas que sí se desplazan de lado a 1280 px (su clave: ``comun.tabla`` fija su primera columna y la pone
#: en el contenedor ``comun.DESPLAZABLE`` + clave), y por qué no caben aun partiendo sus textos largos.
DESPLAZABLES = {
    "tend_detalle": "10 columnas (fecha, identificadores de respuesta e interacción, canal, sucursal, tipo, tres notas, "
                    "comentario): fija la fecha",
    "brechas_tabla": "8 columnas de cifras con su intervalo y lectura por agente y competencia: fija el agente",
    "com_duele": "8 columnas con títulos largos (partes, razón, diferencias de CSAT y NPS con su intervalo, muestra): "
                 "fija el tema",
    "brechas_progreso": "9 columnas (dos rondas con su n, cambio, q y lectura): fija el agente",
    "cuentas": "9 columnas (usuario, nombre, rol, activa, sucursales, equipos, intentos, bloqueo, alta): fija el "
               "usuario",
    "perfiles_clientes": "una columna por rasgo del perfil (más de 15): fija el cliente",
    **{f"com_tabla_{clave}": "9 columnas (fecha, comentario, tema, dos tonos, tres notas, etapa): fija la fecha"
       for clave in ("tema", "duele", "segmento", "notas", "busqueda")},
}


#: El rol que ve todas las páginas: con él se abren también cada pestaña y cada desplegable (lo que se dibuja
#: igual para todos); los demás roles miran lo que su página muestra al abrirse (el barrido dura así unos
#: minutos en vez de once).
ROL_QUE_ABRE_TODO = "administrador"


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
    pagina.set_viewport_size({"width": 1280, "height": 3200})
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
        if rol != ROL_QUE_ABRE_TODO:
            assert not _recortes(pagina), (rol, direccion, _recortes(pagina))
            continue
        for pestana in _pestanas_y_desplegables(pagina):
            assert not _recortes(pagina), (rol, direccion, pestana, _recortes(pagina))
        texto = pagina.inner_text("body")  # con los desplegables abiertos
        assert not INGLES.findall(texto), (rol, direccion, sorted(set(INGLES.findall(texto))))


def _recortes(pagina, espera_ms: int = 5_000) -> list[str]:
    """Lo que ``RECORTES`` encuentra en la página, sin contar las tablas de ``DESPLAZABLES``.

    Un marco recién cargado (la vista previa de un informe) mide 150 px hasta que toma su alto: mientras haya
    algo, se vuelve a mirar cada 0,25 s durante ``espera_ms``; un recorte de verdad sigue ahí al final."""
    fin = time.monotonic() + espera_ms / 1000
    while (recortes := pagina.evaluate(RECORTES, list(DESPLAZABLES))) and time.monotonic() < fin:
        pagina.wait_for_timeout(250)
    return recortes


def _pestanas_y_desplegables(pagina):
    """Recorre las pestañas de la página abriendo los desplegables de cada una; produce el nombre de cada pestaña
    que queda a la vista («» si la página no tiene pestañas) con lo que guarda ya dibujado."""
    pestanas = pagina.locator('[role="tab"]')
    for numero in range(max(pestanas.count(), 1)):
        if pestanas.count():
            if not pestanas.nth(numero).is_visible():  # la de un grupo de pestañas dentro de otra pestaña
                continue
            pestanas.nth(numero).click()
            esperar_la_ejecucion(pagina, pausa_ms=200)  # una pestaña perezosa (paginas.pestanas) ejecuta la página
        for resumen in pagina.locator('[data-testid="stExpander"] details > summary').all():
            if resumen.is_visible() and resumen.evaluate("e => !e.parentElement.open"):
                resumen.click()
        esperar_la_ejecucion(pagina, pausa_ms=200, despues_ms=300)
        yield pestanas.nth(numero).inner_text() if pestanas.count() else ""


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
