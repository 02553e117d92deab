"""``comun.tabla`` y ``comun.editor`` caben a lo ancho de la página: el texto largo se parte, lo demás se respeta."""

import json

from streamlit.testing.v1 import AppTest


def _guion(caso: str) -> None:
    import pandas as pd
    from paginas import comun
    largo = pd.DataFrame({"Fecha": ["31/10/2026 23:49"] * 2, "Sucursal": ["Sucursal Oriente"] * 2,
                          "Comentario": ["Me llamaron después para confirmar que todo estaba bien " * 3, "Bien"],
                          "Motivo": ["Reclamo por una entrega incompleta y tardía " * 2] * 2, "Oculta": ["x" * 400] * 2})
    if caso == "largo":
        comun.tabla(largo, hide_index=True, column_config={"Oculta": None, "Sucursal": "Sede"})
    elif caso == "editor":
        comun.editor(largo.drop(columns="Oculta"), hide_index=True, key="editor")
    else:  # demasiadas columnas: se desplaza con la primera fija, en el contenedor de su clave
        comun.tabla(pd.DataFrame({"Cliente": ["C-1"], **{f"Rasgo número {i}": [0.5] for i in range(15)}}),
                    hide_index=True, key="ancha")


def _columnas(elemento) -> dict:
    """La configuración de columnas que Streamlit recibió (nombre → configuración)."""
    return json.loads(elemento.proto.columns)


def test_el_texto_largo_se_parte_y_lo_configurado_se_respeta():
    at = AppTest.from_function(_guion, args=("largo",)).run(timeout=30)
    assert not at.exception
    columnas, tabla = _columnas(at.dataframe[0]), at.dataframe[0].proto
    assert columnas["Oculta"]["hidden"] is True  # una columna oculta (None) sigue oculta
    assert columnas["Sucursal"]["label"] == "Sede" and "width" not in columnas["Sucursal"]
    assert 150 <= columnas["Comentario"]["width"] < 500 and 150 <= columnas["Motivo"]["width"] < 500
    assert tabla.row_height > 64  # Streamlit solo parte el texto de filas de más de 64 px
    assert not any(c.get("pinned") for c in columnas.values())


def test_el_editor_tambien_cabe():
    at = AppTest.from_function(_guion, args=("editor",)).run(timeout=30)
    assert not at.exception
    editor = at.dataframe[0].proto
    assert editor.editing_mode and editor.row_height > 64
    assert 150 <= _columnas(at.dataframe[0])["Comentario"]["width"] < 500


def test_una_tabla_de_muchas_columnas_fija_la_primera_y_se_marca_desplazable():
    at = AppTest.from_function(_guion, args=("ancha",)).run(timeout=30)
    assert not at.exception
    assert _columnas(at.dataframe[0])["Cliente"]["pinned"] is True
    caja = at.main.children[0]  # el contenedor con la clave que el barrido en Chromium reconoce
    assert caja.proto.id.endswith("-desplazable_ancha") and caja.children[0].type == "dataframe"
