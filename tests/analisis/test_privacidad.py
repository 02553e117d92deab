"""Umbral de privacidad por segmento."""

import math

import pandas as pd
import pytest

from analisis.privacidad import ocultar_pequenos


def test_borra_solo_las_filas_pequenas_y_las_columnas_pedidas():
    tabla = pd.DataFrame({"grupo": ["A", "B", "C"], "valor": [1.0, 2.0, 3.0], "cambio": [0.1, 0.2, 0.3],
                          "n": [100, 9, 10]})
    salida = ocultar_pequenos(tabla, n="n", columnas=["valor", "cambio"], minimo=10)
    assert salida["valor"].tolist()[::2] == [1.0, 3.0] and math.isnan(salida.loc[1, "valor"])
    assert math.isnan(salida.loc[1, "cambio"]) and salida["grupo"].tolist() == ["A", "B", "C"]
    assert tabla.loc[1, "valor"] == 2.0


def test_cualquiera_de_varias_columnas_de_conteo_basta():
    tabla = pd.DataFrame({"actual": [5.0, 6.0], "n_actual": [50, 50], "n_anterior": [50, 3]})
    salida = ocultar_pequenos(tabla, n=("n_anterior", "n_actual"), columnas=["actual"], minimo=10)
    assert salida["actual"].tolist()[0] == 5.0 and math.isnan(salida["actual"].tolist()[1])


def test_sin_casos_o_sin_umbral_no_cambia_nada():
    tabla = pd.DataFrame({"valor": [float("nan"), 2.0], "n": [0, 1]})
    assert ocultar_pequenos(tabla, n="n", columnas=["valor"], minimo=0)["valor"].tolist()[1] == 2.0
    assert ocultar_pequenos(tabla, n="n", columnas=["valor"], minimo=1)["valor"].tolist()[1] == 2.0
    with pytest.raises(ValueError, match="minimo"):
        ocultar_pequenos(tabla, n="n", columnas=["valor"], minimo=-1)


def test_detalle_protegido():
    from analisis.privacidad import proteger_detalle, seudonimo

    tabla = pd.DataFrame({"cliente_id": ["CLI-1", None], "comentario": ["Escríbanme a ana@correo.com", None]})
    protegida = proteger_detalle(tabla)
    assert protegida["comentario"].tolist()[0] == "Escríbanme a [correo]" and pd.isna(protegida["comentario"][1])
    assert protegida["cliente_id"].tolist()[0] == seudonimo("CLI-1") != "CLI-1"
    assert pd.isna(protegida["cliente_id"][1])
    assert proteger_detalle(tabla, mostrar_clientes=True)["cliente_id"].tolist()[0] == "CLI-1"
    assert tabla["cliente_id"][0] == "CLI-1"


def test_seudonimizar_cambia_clientes_y_personas_salvo_a_quien_puede_verlos():
    from analisis.privacidad import seudonimizar, seudonimo
    tabla = pd.DataFrame({"cliente_id": ["CLI-000001"], "Agente": ["Ana Pérez"], "Auditor": ["Luis"], "CSAT": [4]})
    oculta = seudonimizar(tabla, ver_identidades=False)
    assert oculta.loc[0, "cliente_id"] == seudonimo("CLI-000001") and "CLI-" not in oculta.loc[0, "cliente_id"]
    assert oculta.loc[0, "Agente"] == seudonimo("Ana Pérez", "Agente")
    assert oculta.loc[0, "Auditor"].startswith("Auditor ") and oculta.loc[0, "CSAT"] == 4
    assert seudonimizar(tabla, ver_identidades=True).equals(tabla)
