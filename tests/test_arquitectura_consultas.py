"""Las consultas son valores: se pasan como funciones, nunca por su nombre, y una sola caché las guarda."""

import re
from pathlib import Path

import pytest
import streamlit as st

from datos import consultas
from datos.consultas import resumen as consultas_resumen
from datos.cuentas.usuarios import Usuario
from paginas import comun
from tests.apptest import vaciar_caches

RAIZ = Path(__file__).resolve().parent.parent

#: Carpetas del código de la aplicación en las que ninguna consulta se busca por su nombre.
CARPETAS = ("paginas", "analisis", "datos")

#: Buscar una consulta por su nombre: ``getattr(consultas, …)`` (o un alias ``consultas_x``) o
#: ``consultar("…")``/``consultar(f"…")`` (y sus variantes) con un texto como primer argumento.
POR_NOMBRE = re.compile(r"getattr\(\s*consultas\w*\s*,|\bconsultar\w*\(\s*[rbfuRBFU]{0,2}['\"]")

ADMINISTRADORA = Usuario("ana", "Ana", "administrador")
DEL_NORTE = Usuario("nora", "Nora", "supervisor", sucursales=("Sucursal Norte",))


def _busquedas_por_nombre(texto: str) -> list[int]:
    """Líneas de ``texto`` donde se busca una consulta por su nombre."""
    return [texto.count("\n", 0, m.start()) + 1 for m in POR_NOMBRE.finditer(texto)]


@pytest.mark.parametrize("codigo", [
    'comun.consultar("metas")', "consultar('valores_de_filtro', campo)", 'consultar(\n    f"serie_{origen}", f)',
    'comun.consultar_filas("sumas_cadena", f)', "getattr(consultas, nombre)", "getattr(consultas_tendencias, n)",
])
def test_el_patron_reconoce_una_busqueda_por_nombre(codigo):
    assert _busquedas_por_nombre(codigo) == [1]


@pytest.mark.parametrize("codigo", [
    "comun.consultar(consultas_resumen.metas)", "motor.consultar(funcion, *argumentos)",
    'comun.consultar(consultas_tendencias.SERIES[origen], f, "dia")', "getattr(dominio, nombre)",
])
def test_el_patron_no_confunde_una_consulta_pasada_como_funcion(codigo):
    assert _busquedas_por_nombre(codigo) == []


def test_ninguna_consulta_se_busca_por_su_nombre():
    encontradas = {str(archivo.relative_to(RAIZ)): lineas
                   for carpeta in CARPETAS for archivo in sorted((RAIZ / carpeta).rglob("*.py"))
                   if (lineas := _busquedas_por_nombre(archivo.read_text(encoding="utf-8")))}
    assert encontradas == {}


def test_el_paquete_de_consultas_solo_reexporta_lo_contratado():
    assert consultas.__all__ == ["Filtros", "con_alcance"]


@pytest.fixture
def cache_limpia(base_vacia):
    """Cachés de Streamlit vacías y ninguna sesión abierta, antes y después de la prueba."""
    vaciar_caches()
    yield
    st.session_state.pop("usuario", None)
    vaciar_caches()


@pytest.fixture
def ejecuciones(monkeypatch) -> list:
    """Cada vez que ``comun`` ejecuta una consulta en el motor (no al leerla de una caché) anota su nombre.

    Se cuentan ejecuciones, no construcciones de la expresión: compilar una plantilla la construye dos veces.
    """
    anotadas, ejecutar = [], comun._ejecutar

    def anotar_y_ejecutar(funcion, *resto, **opciones):
        anotadas.append(funcion.__name__)
        return ejecutar(funcion, *resto, **opciones)
    monkeypatch.setattr(comun, "_ejecutar", anotar_y_ejecutar)
    return anotadas


def test_la_clave_lleva_el_alcance_aunque_la_consulta_no_tenga_filtros(cache_limpia, ejecuciones):
    for persona in (ADMINISTRADORA, DEL_NORTE, ADMINISTRADORA, DEL_NORTE):
        st.session_state["usuario"] = persona
        assert not comun.consultar(consultas_resumen.metas).empty
    assert ejecuciones == ["metas", "metas"]


def test_variantes_de_la_misma_cache(cache_limpia, ejecuciones):
    st.session_state["usuario"] = ADMINISTRADORA
    comun.consultar(consultas_resumen.metas, cache="grande")
    assert comun.consultar(consultas_resumen.metas, cache="grande") is \
        comun.consultar(consultas_resumen.metas, cache="grande")
    assert ejecuciones == ["metas"]
    comun.consultar(consultas_resumen.metas, cache=None)
    comun.consultar(consultas_resumen.metas, cache=None)
    assert ejecuciones == ["metas"] * 3
    with pytest.raises(ValueError, match="'cache'"):
        comun.consultar(consultas_resumen.metas, cache="mediana")
