"""Textos de los usuarios dibujados como texto (nunca Markdown) y cachés de la interfaz con el alcance en la clave."""

import ast
import re

import duckdb
import streamlit as st

from datos.cuentas.usuarios import Usuario
from tests import RAIZ
from tests.apptest import abrir, sin_errores

COMENTARIOS = "paginas/comentarios.py"
HOSTIL = " ![x](http://malo.example/x.png) [enlace](http://malo.example/entrar)"
#: Elementos que Streamlit dibuja como Markdown (su texto o su etiqueta).
_MARKDOWN = ("markdown", "caption", "title", "header", "subheader", "info", "warning", "error", "success",
             "toast", "metric", "expander", "tab", "latex")
#: Un enlace o una imagen que el Markdown dibujaría: ``](`` sin escapar (``\](`` queda como texto), o una
#: dirección que GFM enlaza sola (``http://``, ``www.``) aunque lleve escapes.
_ENLACE_VIVO = re.compile(r"(?<!\\)\]\(|https?\\?://|\bwww\\?\.")
NORTE = Usuario("norte", "Norte", "calidad", sucursales=("Sucursal Norte",))


def _textos_markdown(at) -> list[str]:
    """Valores y etiquetas de todos los elementos de ``at`` que Streamlit dibuja como Markdown."""
    textos = []
    for tipo in _MARKDOWN:
        for elemento in at.get(tipo):
            textos += [str(getattr(elemento, campo, "") or "") for campo in ("value", "label", "body")]
    return textos


def test_un_comentario_con_enlaces_e_imagenes_se_muestra_como_texto(base_demo):
    con = duckdb.connect(str(base_demo))
    con.execute("UPDATE encuestas SET comentario = comentario || ? WHERE comentario IS NOT NULL", [HOSTIL])
    con.close()
    at = abrir(COMENTARIOS)
    sin_errores(at)
    como_texto = [t.value for t in at.text]
    assert como_texto and all(t.endswith(HOSTIL) for t in como_texto)  # los ejemplos del tema, tal cual
    assert not [t for t in _textos_markdown(at) if _ENLACE_VIVO.search(t) or "![" in t]


def test_un_nombre_con_markdown_en_la_barra_lateral_no_se_dibuja(base_demo):
    at = abrir(COMENTARIOS, usuario=Usuario("ana", "Ana [entrar](http://malo.example)", "calidad"))
    sin_errores(at)
    assert any("Ana" in t for t in _textos_markdown(at))
    assert not [t for t in _textos_markdown(at) if _ENLACE_VIVO.search(t)]


def _temas(at) -> list[str]:
    """Los nombres de los temas que muestra la página «Comentarios» (su primera tabla)."""
    return at.dataframe[0].value.iloc[:, 0].tolist()


def test_los_temas_de_una_cuenta_limitada_son_los_de_su_alcance(base_demo):
    st.cache_resource.clear()
    solo_norte = abrir(COMENTARIOS, usuario=NORTE)
    sin_errores(solo_norte)
    propios = _temas(solo_norte)
    st.cache_resource.clear()
    administradora = abrir()
    administradora.sidebar.multiselect(key="filtro_sucursal").select("Sucursal Norte").run()
    administradora.switch_page(COMENTARIOS).run()
    sin_errores(administradora)
    despues = abrir(COMENTARIOS, usuario=NORTE)
    sin_errores(despues)
    assert _temas(despues) == propios
    assert _temas(administradora) != propios  # el modelo de toda la organización es otro


def _claves_de_cache() -> list[str]:
    """Funciones de ``paginas/`` con ``st.cache_data`` o ``st.cache_resource`` que no llevan la huella en la clave.

    Cuenta como huella un parámetro ``huella``/``huella_datos`` o ``clave`` (la tupla con ``comun.huella()``);
    la conexión y el motor (``ruta``) no guardan datos de nadie.
    """
    faltan = []
    for ruta in sorted((RAIZ / "paginas").glob("*.py")):
        for nodo in ast.walk(ast.parse(ruta.read_text(encoding="utf-8"))):
            if not isinstance(nodo, ast.FunctionDef) or not any("cache_" in ast.unparse(d) for d in nodo.decorator_list):
                continue
            nombres = {a.arg for a in nodo.args.args}
            if not nombres & {"huella", "huella_datos", "clave", "ruta"}:
                faltan.append(f"{ruta.name}:{nodo.name}")
    return faltan


def test_toda_cache_de_las_paginas_lleva_la_huella():
    assert _claves_de_cache() == []
