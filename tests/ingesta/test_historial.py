"""Pruebas de ``datos.ingesta.historial.historial_en_texto``: el historial de cargas como se lee en pantalla."""

import pandas as pd

from datos.ingesta.historial import historial_en_texto


def test_el_estado_dice_cuando_y_quien_deshizo_y_sobran_las_columnas_repetidas():
    registro = pd.DataFrame({
        "carga_id": [2, 1], "creada": pd.to_datetime(["2026-12-06 19:40", "2026-12-06 19:33"]),
        "tipo": ["encuestas", "demo"], "archivo": ["e.csv", "datos de demostración"],
        "filas_leidas": [2, 62133], "filas_guardadas": [2, 62133], "filas_repetidas": [0, 0],
        "filas_rechazadas": [0, 0], "usuario": ["ana", "demo"], "origen": ["página", None],
        "estado": ["deshecha", "vigente"], "deshecha": pd.to_datetime(["2026-12-06 19:45", None]),
        "deshecha_por": ["luis", None], "es_demo": [False, True]})
    texto = historial_en_texto(registro)
    assert list(texto.columns) == ["carga_id", "creada", "tipo", "archivo", "filas_leidas", "filas_guardadas",
                                   "filas_repetidas", "filas_rechazadas", "usuario", "origen", "estado"]
    assert texto["estado"].tolist() == ["Deshecha el 06/12/2026 19:45 por luis", "Vigente"]
    assert texto.loc[1, "filas_leidas"] == "62.133" and texto.loc[1, "origen"] == ""
