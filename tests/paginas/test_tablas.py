"""Una sola vía para las tablas: las páginas dibujan sus tablas con ``comun.tabla``, ``comun.tabla_ajustada`` o
``comun.editor`` (estado vacío en lugar de «empty», la raya en lugar de «None», números a la española), nunca
con ``st.dataframe``, ``st.data_editor`` o ``st.table`` directamente."""

import ast
from pathlib import Path

PAGINAS = Path(__file__).resolve().parents[2] / "paginas"
DIRECTAS = {"dataframe", "data_editor", "table"}


def _llamadas_directas(ruta: Path) -> list[str]:
    """``archivo:línea: st.<tabla>`` de cada llamada directa a una tabla de Streamlit en ``ruta``."""
    arbol = ast.parse(ruta.read_text(encoding="utf-8"))
    return [f"{ruta.name}:{nodo.lineno}: st.{nodo.func.attr}" for nodo in ast.walk(arbol)
            if isinstance(nodo, ast.Call) and isinstance(nodo.func, ast.Attribute) and nodo.func.attr in DIRECTAS
            and isinstance(nodo.func.value, ast.Name) and nodo.func.value.id == "st"]


def test_las_paginas_dibujan_sus_tablas_con_comun():
    directas = [llamada for ruta in sorted(PAGINAS.glob("*.py")) if ruta.name != "comun.py"
                for llamada in _llamadas_directas(ruta)]
    assert not directas, "Tablas dibujadas sin comun.tabla / tabla_ajustada / editor:\n  " + "\n  ".join(directas)


def test_la_regla_encuentra_una_llamada_directa(tmp_path):
    pagina = tmp_path / "nueva.py"
    pagina.write_text("import streamlit as st\nst.dataframe(datos)\ncomun.tabla(datos)\n", encoding="utf-8")
    assert _llamadas_directas(pagina) == ["nueva.py:2: st.dataframe"]
