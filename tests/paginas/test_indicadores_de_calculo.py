"""Un «Calculando…» (``st.spinner``) nunca queda girando en una página que se detuvo.

``st.stop()`` pide detener el guion y lo corta en el siguiente mensaje que la página envía: dentro de un
``with st.spinner(...)``, ese mensaje es el que borraría el indicador, así que el indicador queda a la vista
junto al aviso (lo vimos en «Cadena de servicio» con un día sin respuestas suficientes). El aviso y el
``st.stop()`` van después del bloque del indicador.
"""

import ast
from pathlib import Path

from tests import RAIZ


def _detenciones_dentro_de_un_indicador(archivo: Path) -> list[int]:
    """Renglones de ``archivo`` con un ``st.stop()`` dentro de un ``with st.spinner(...)``."""
    renglones = []
    for nodo in ast.walk(ast.parse(archivo.read_text(encoding="utf-8"))):
        if isinstance(nodo, ast.With) and any("spinner" in ast.unparse(i.context_expr) for i in nodo.items):
            renglones += [sub.lineno for sub in ast.walk(nodo)
                          if isinstance(sub, ast.Call) and ast.unparse(sub.func) == "st.stop"]
    return renglones


def test_ninguna_pagina_se_detiene_dentro_de_un_indicador_de_calculo():
    dentro = {str(archivo.relative_to(RAIZ)): renglones for archivo in sorted((RAIZ / "paginas").glob("*.py"))
              if (renglones := _detenciones_dentro_de_un_indicador(archivo))}
    assert not dentro, dentro
