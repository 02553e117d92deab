"""Barrido de confianza: cada página × cada rol × filtros hostiles, con AppTest.

Las páginas salen de ``paginas.sesion.PAGINAS`` y los roles de cada una, de su registro: una página
nueva entra en el barrido al registrarse, sin escribir pruebas. Para cada combinación se comprueba
que la página corre sin excepción ni error, sin texto en inglés ni valores crudos (``None``,
``nan``, ``True``…), sin identificadores reales de clientes para los roles que ven seudónimos, sin
un «todo bien» verde con un resultado vacío, sin cifras de filas por debajo del umbral de
privacidad en sus tablas, sin códigos de competencia (``lealtad_confianza``), sin números sin formato
español en las celdas («0.80», «36,76470588»), sin tablas sin filas (Streamlit las dibuja con «empty»:
van por ``comun.tabla``) y sin celdas vacías sin texto propio (Streamlit escribe «None»).

Las pestañas perezosas (``paginas.pestanas``, solo se ejecuta la abierta) se abren una por una y cada una
pasa las mismas comprobaciones.

Los estados de filtro salen de la demostración (escala 0,3, que termina el 31/10/2026): un día, un
día sin datos para esa combinación, un segmento de 1 a 5 respuestas, selecciones vacías y todo el
historial.
"""

import json
import re
import unicodedata
from datetime import date

import pandas as pd
import pytest
from streamlit.testing.v1 import AppTest

from analisis.formato import PATRON_NUMERO, fecha_corta
from datos.almacen.esquema import COMPETENCIAS
from datos.cuentas.usuarios import Usuario
from paginas.comun import CLAVES_PERIODO
from paginas.sesion import PAGINAS, ROLES_CON_CLIENTES
from tests.apptest import APP, TIEMPO, recorrer_pestanas, sesion_de

PRIMERA, ULTIMA = date(2025, 5, 1), date(2026, 10, 31)


def _periodo(desde: date, hasta: date) -> dict[str, str]:
    """Las cajas del periodo de la barra lateral con ``desde`` y ``hasta`` escritos («31/10/2026»)."""
    return dict(zip(CLAVES_PERIODO, (fecha_corta(desde), fecha_corta(hasta))))


#: Estados de filtro hostiles: claves de la barra lateral → valor.
ESTADOS = {
    "todo_el_historial": _periodo(PRIMERA, ULTIMA),
    "un_dia": _periodo(ULTIMA, ULTIMA),
    # El 31/10/2026 no hay respuestas de Correo, externo, en Sucursal Sur: un día sin datos.
    "dia_sin_datos": {**_periodo(ULTIMA, ULTIMA), "filtro_canal": ["Correo"],
                      "filtro_tipo_cliente": ["externo"], "filtro_sucursal": ["Sucursal Sur"]},
    # Presencial e interno ese día: 3 respuestas.
    "segmento_pequeno": {**_periodo(ULTIMA, ULTIMA), "filtro_canal": ["Presencial"],
                         "filtro_tipo_cliente": ["interno"]},
    "selecciones_vacias": {"filtro_canal": [], "filtro_sucursal": [], "filtro_tipo_cliente": [], "filtro_equipo": []},
}
VACIOS = ("dia_sin_datos",)

#: Texto en inglés o valores crudos que nunca deben llegar a un usuario.
PROHIBIDO = re.compile(r"\b(Select all|Choose an? options?|Press Enter|Page not found|No results|empty|None|nan|NaN|"
                       r"NaT|True|False|null|Drag and drop|Browse files|Upload|Limit)\b|"
                       r"\d\.\d+ ?[KMG]?B\b|\d[KMG]?B\b")
CLIENTE_REAL = re.compile(r"\bCLI-\d+")
#: Un guion de la página (el que guarda la ficha de la sesión en la cookie): el navegador no lo muestra, y la
#: ficha, al azar, puede contener algo como «0B».
GUION = re.compile(r"<script>.*?</script>", re.DOTALL)
#: Códigos de competencia que no son palabras españolas (con guion bajo o sin su tilde): nunca en pantalla.
CODIGOS = {codigo for codigo, _ in COMPETENCIAS}
CODIGO_EN_TEXTO = re.compile(r"\b(" + "|".join(c for c in CODIGOS if "_" in c or c in (
    "empatia", "comunicacion", "motivacion", "resolucion", "energia", "organizacion")) + r")\b")
#: Un número con punto decimal («0.80», «1.0») o con más de 3 decimales («36,76470588»): sin formato español.
#: Un punto de miles («1.307», «62.133») sí lo es.
NUMERO_CON_PUNTO, MUCHOS_DECIMALES = re.compile(r"[-+]?\d+\.\d+"), re.compile(r"\d,\d{4,}")


def _sin_formato(celda: str) -> bool:
    """Si ``celda`` es un número que no está escrito a la española."""
    return bool(MUCHOS_DECIMALES.search(celda)
                or NUMERO_CON_PUNTO.fullmatch(celda) and not re.match(PATRON_NUMERO, celda))
CIFRA = re.compile(r"\d,\d|\d ?%")
#: Columnas con cifras que no son del grupo de la fila (la meta del estándar es la misma para todos).
NO_SON_DEL_GRUPO = ("Meta",)
#: Umbral por persona (auditorías) en las páginas de capacitación; por segmento (respuestas) en las demás.
UMBRAL_PERSONA, UMBRAL_SEGMENTO = 5, 10


def _casos():
    """(página, rol, estado) de todas las páginas registradas y sus roles."""
    return [pytest.param(p, rol, estado, id=f"{p.archivo.split('/')[-1][:-3]}-{rol}-{estado}")
            for p in PAGINAS for rol in p.roles for estado in ESTADOS]


@pytest.fixture(scope="module")
def base_barrido(plantilla_demo, tmp_path_factory):
    """Ruta de una copia de la demostración de la que solo se lee en todo el módulo."""
    import shutil
    ruta = tmp_path_factory.mktemp("barrido") / "demo.duckdb"
    shutil.copyfile(plantilla_demo(escala=0.3).ruta, ruta)
    return ruta


def _recorrer(nodo):
    """Todos los elementos bajo ``nodo`` (bloques y hojas) del árbol de AppTest."""
    yield nodo
    for hijo in getattr(nodo, "children", {}).values():
        yield from _recorrer(hijo)


def _como_se_ve(elemento) -> pd.DataFrame:
    """La tabla como la ve el usuario: sin sus columnas ocultas, con sus títulos y, en las columnas de opciones
    de un editor, la etiqueta de cada opción (no su código)."""
    tabla = elemento.value
    configuracion = json.loads(getattr(elemento.proto, "columns", "") or "{}")
    for columna, ajuste in configuracion.items():
        if columna not in tabla.columns:
            continue
        if ajuste.get("hidden"):
            tabla = tabla.drop(columns=columna)
            continue
        opciones = {o["value"]: o.get("label", o["value"]) for o in ajuste.get("type_config", {}).get("options", [])
                    if isinstance(o, dict)}
        if opciones:
            tabla = tabla.assign(**{columna: tabla[columna].map(lambda v: opciones.get(v, v))})
        if ajuste.get("label"):
            tabla = tabla.rename(columns={columna: ajuste["label"]})
    return tabla


def _tablas(at: AppTest) -> list[pd.DataFrame]:
    """Todas las tablas de la página (de solo lectura y editores), como las ve el usuario."""
    return [_como_se_ve(tabla) for tabla in [*at.dataframe, *at.table]]


def _celdas_de_tablas(tablas: list[pd.DataFrame]) -> list[str]:
    """El texto de cada celda con valor de ``tablas`` (las de ``_tablas``)."""
    return [str(v) for tabla in tablas for v in tabla.to_numpy().ravel() if v is not None]


def _textos(at: AppTest, tablas: list[pd.DataFrame]) -> list[str]:
    """Lo que la página escribe: textos, etiquetas, valores de métricas y títulos y celdas de ``tablas``."""
    textos = []
    for elemento in _recorrer(at._tree):
        for atributo in ("value", "label", "body"):
            valor = getattr(elemento, atributo, None) if elemento.type not in ("dataframe", "table") else None
            if isinstance(valor, str):
                textos.append(GUION.sub("", valor))
    for tabla in tablas:
        textos += [str(c) for c in tabla.columns] + [v for v in tabla.to_numpy().ravel() if isinstance(v, str)]
    return textos


def _conteos_de(columnas: list[str], conteos: list[str]) -> dict[str, list[str]]:
    """Qué conteos gobiernan cada columna de cifras: el 'n …' que la sigue (``Ronda anterior``, ``n anterior``)
    o, si no la sigue ninguno, todos (un cambio depende de ambos lados)."""
    gobierno = {}
    for i, columna in enumerate(columnas):
        if columna in conteos or columna in NO_SON_DEL_GRUPO:
            continue
        siguiente = columnas[i + 1] if i + 1 < len(columnas) else None
        gobierno[columna] = [siguiente] if siguiente in conteos else conteos
    return gobierno


def _filas_pequenas_con_cifras(tabla: pd.DataFrame, umbral: int) -> list[dict]:
    """Celdas con una cifra en filas cuyo conteo (columna 'n…') que las gobierna está entre 1 y ``umbral`` − 1."""
    columnas = [str(c) for c in tabla.columns]
    conteos = [c for c in columnas if c == "n" or c.startswith(("n ", "n("))]
    if not conteos:
        return []
    gobierno = _conteos_de(columnas, conteos)
    malas = []
    for fila in tabla.astype(str).set_axis(columnas, axis=1).to_dict("records"):
        ns = {c: [int(x.replace(".", "")) for x in re.findall(r"\d[\d.]*", fila[c])] for c in conteos}
        cifras = {c: v for c, v in fila.items() if c in gobierno and CIFRA.search(v)
                  and any(0 < n < umbral for g in gobierno[c] for n in ns[g])}
        if cifras:
            malas.append(cifras)
    return malas


def _usuario_de(rol: str) -> Usuario:
    """La cuenta del barrido para ``rol`` (el nombre de usuario va sin tildes: «barrido_capacitacion»)."""
    sin_tildes = unicodedata.normalize("NFKD", rol).encode("ascii", "ignore").decode()
    return Usuario(f"barrido_{sin_tildes}", "Persona de pruebas", rol)


@pytest.mark.parametrize(("pagina", "rol", "estado"), _casos())
def test_barrido(pagina, rol, estado, base_barrido, monkeypatch):
    monkeypatch.setenv("ESLABON_DB", str(base_barrido))
    at = AppTest.from_file(APP, default_timeout=TIEMPO)
    at.session_state["ficha"] = sesion_de(_usuario_de(rol))
    for clave, valor in ESTADOS[estado].items():
        at.session_state[clave] = valor
    at.run()
    at.switch_page(pagina.archivo).run()
    _comprobar(at, pagina, rol, estado)
    for _ in recorrer_pestanas(at):  # las pestañas perezosas (paginas.pestanas) solo ejecutan la abierta
        _comprobar(at, pagina, rol, estado)


def _comprobar(at: AppTest, pagina, rol: str, estado: str) -> None:
    """Lo que la página muestra tras la última ejecución de ``at`` cumple todo lo que pide el barrido."""
    assert not at.exception, [e.value for e in at.exception]
    assert not at.error, [e.value for e in at.error]
    # La página de verdad, con la sesión comprobada en el almacén (no la pantalla de entrada).
    assert pagina.titulo in [t.value for t in at.title], [t.value for t in at.title]
    # Con los filtros hostiles puestos (la app no los cambió por otros).
    assert {clave: at.session_state[clave] for clave in ESTADOS[estado]} == ESTADOS[estado]
    tablas = _tablas(at)
    textos = _textos(at, tablas)
    ingles = sorted({m.group(0) for t in textos for m in PROHIBIDO.finditer(t)})
    assert not ingles, ingles
    # Sin indicación propia, una lista vacía dice «Choose an option» en el navegador.
    sin_indicacion = [w.label for w in [*at.multiselect, *at.selectbox] if not w.proto.placeholder]
    assert not sin_indicacion, sin_indicacion
    if rol not in ROLES_CON_CLIENTES:
        assert not [t for t in textos if CLIENTE_REAL.search(t)], "identificadores reales de clientes a " + rol
    if estado in VACIOS:
        assert not [s.value for s in at.success], "un resultado vacío no es una buena noticia"
    assert not [t for t in textos if CODIGO_EN_TEXTO.search(t)], "códigos de competencia en pantalla"
    celdas = _celdas_de_tablas(tablas)
    assert not [c for c in celdas if c in CODIGOS], "códigos de competencia en una tabla"
    assert not [c for c in celdas if _sin_formato(c)], [c for c in celdas if _sin_formato(c)]
    # Lo que Streamlit dibuja en una tabla y AppTest no ve como texto: «empty» sin filas, «None» sin valor.
    for tabla in at.dataframe:
        assert len(tabla.value) or tabla.editing_mode != "read_only", \
            "una tabla sin filas se muestra como «empty»: va por comun.tabla (estado vacío)"
        if tabla.value.isna().to_numpy().any():
            assert tabla.proto.placeholder, "celdas sin valor sin texto propio: Streamlit escribe «None»"
    umbral = UMBRAL_PERSONA if pagina.archivo in ("paginas/brechas.py", "paginas/realimentacion.py") else UMBRAL_SEGMENTO
    for tabla in tablas:
        assert not _filas_pequenas_con_cifras(tabla, umbral), tabla.head()
