"""Formato español de números y fechas, y las fechas que escriben los usuarios."""

import re
from datetime import date

import pandas as pd
import pytest

from analisis.errores import AjusteNoValido, FechaNoValida
from analisis.formato import (PATRON_ENTERO, PATRON_NUMERO, Periodo, cambio_segun_unidad, con_precision, con_signo,
                              fecha_corta, leer_fecha, leer_numero, numero, numero_editable, numeros_en_texto,
                              numeros_leidos, para_exportar, periodo_escrito, porcentaje, segun_unidad, valor_p)


@pytest.mark.parametrize("valor, decimales, esperado", [
    (1234.5, 1, "1.234,5"), (1234567.891, 2, "1.234.567,89"), (0, 0, "0"), (-1234.5, 1, "-1.234,5"),
    (None, 1, "—"), (float("nan"), 2, "—"),
])
def test_numero(valor, decimales, esperado):
    assert numero(valor, decimales) == esperado


def test_porcentaje_y_signo():
    assert porcentaje(0.0) == "0,0 %"
    assert porcentaje(1.0, 0) == "100 %"
    assert con_signo(0.0) == "+0,0"
    assert con_signo(None) == "—"


def test_valor_p():
    assert valor_p(0.00001) == "p < 0,001"
    assert valor_p(0.05) == "p = 0,050"
    assert valor_p(float("nan")) == "—"


def test_unidades():
    assert segun_unidad(1500.0, "minutos") == "1.500,0 min"
    assert segun_unidad(float("nan"), "minutos") == "—"
    assert cambio_segun_unidad(float("nan"), "proporcion") == "—"
    with pytest.raises(ValueError, match="unidad"):
        segun_unidad(1.0, "litros")
    with pytest.raises(ValueError, match="unidad"):
        cambio_segun_unidad(1.0, "litros")


@pytest.mark.parametrize("texto, esperado", [
    ("31/10/2026", date(2026, 10, 31)), (" 1/9/26 ", date(2026, 9, 1)), ("01-09-2026", date(2026, 9, 1)),
    ("1.9.2026", date(2026, 9, 1)), ("2026-10-31", date(2026, 10, 31)),
])
def test_leer_fecha(texto, esperado):
    assert leer_fecha(texto) == esperado


@pytest.mark.parametrize("texto, mensaje", [("hola", "no es una fecha"), ("31/02/2026", "no existe"),
                                            ("10/31/2026", "no existe")])
def test_leer_fecha_con_error_en_espanol(texto, mensaje):
    with pytest.raises(FechaNoValida, match=mensaje):
        leer_fecha(texto)


PRIMERA, ULTIMA = date(2025, 5, 1), date(2026, 10, 31)
ANTERIOR = (date(2026, 8, 3), date(2026, 10, 31))


def _periodo(desde: str, hasta: str):
    return periodo_escrito(desde, hasta, primera=PRIMERA, ultima=ULTIMA, anterior=ANTERIOR)


def test_periodo_escrito_dentro_de_los_datos_se_usa_tal_cual():
    assert _periodo("01/09/2026", "30/09/2026") == Periodo(date(2026, 9, 1), date(2026, 9, 30), ())


def test_periodo_escrito_fuera_de_los_datos_se_ajusta_y_lo_dice():
    periodo = _periodo("01/01/2020", "31/12/2030")
    assert (periodo.desde, periodo.hasta) == (PRIMERA, ULTIMA)
    assert periodo.avisos == ("No hay datos antes del 01/05/2025: el periodo empieza ese día.",
                              "No hay datos después del 31/10/2026: el periodo termina ese día.")
    solo_futuro = _periodo("01/01/2030", "31/12/2030")
    assert (solo_futuro.desde, solo_futuro.hasta) == (ULTIMA, ULTIMA)


def test_periodo_escrito_al_reves_ilegible_o_vacio():
    al_reves = _periodo("30/09/2026", "01/09/2026")
    assert (al_reves.desde, al_reves.hasta) == (date(2026, 9, 1), date(2026, 9, 30))
    assert "se intercambiaron" in al_reves.avisos[0]
    ilegible = _periodo("hola", "30/09/2026")
    assert ilegible.desde == ANTERIOR[0] and "Se usa el 03/08/2026" in ilegible.avisos[0]
    assert _periodo("", "") == Periodo(PRIMERA, ULTIMA, ())


def test_fecha_corta_y_para_exportar_con_precision():
    assert fecha_corta(date(2026, 3, 3)) == "03/03/2026"
    tabla = con_precision(pd.DataFrame({"NPS": [36.76470588235294], "p": [0.000412], "x": [0.123456]}), {"NPS": 1, "p": 4})
    assert para_exportar(tabla).iloc[0].tolist() == [36.8, 0.0004, 0.123]
    dias = pd.DataFrame({"inicio": [date(2026, 10, 5), None], "momento": pd.to_datetime(["2026-10-05 14:05", None])})
    exportada = para_exportar(dias)
    assert exportada["inicio"].tolist() == ["05/10/2026", ""]
    assert exportada["momento"].iloc[0] == pd.Timestamp("2026-10-05 14:05")


@pytest.mark.parametrize("valor, escrito", [(5835, "5.835"), (0.8, "0,8"), (4.25, "4,25"), (-1234567.5, "-1.234.567,5"),
                                            (0.1 + 0.2, "0,3"), (30.0, "30"), (None, None), (float("nan"), None)])
def test_un_numero_editable_se_escribe_y_se_lee_a_la_espanola(valor, escrito):
    assert numero_editable(valor) == escrito
    if escrito is not None:
        assert leer_numero(escrito) == pytest.approx(valor)
        assert re.match(PATRON_NUMERO, escrito)


@pytest.mark.parametrize("texto", ["0.8", "1,234.5", "1.23,4", "abc", "5,", "1.2345"])
def test_un_numero_escrito_a_la_inglesa_se_rechaza_con_su_motivo(texto):
    assert not re.match(PATRON_NUMERO, texto)
    with pytest.raises(AjusteNoValido, match="coma decimal y punto de miles"):
        leer_numero(texto)


def test_las_columnas_numericas_de_un_editor_van_y_vuelven_como_numeros():
    tabla = pd.DataFrame({"Etapa": ["A", "B"], "Meta": [4.2, None], "Calificaciones": [5835, 12]})
    en_texto = numeros_en_texto(tabla, ["Meta", "Calificaciones"])
    assert en_texto.to_dict("list") == {"Etapa": ["A", "B"], "Meta": ["4,2", None], "Calificaciones": ["5.835", "12"]}
    editada = en_texto.assign(Meta=["4,5", "3"])
    vuelta = numeros_leidos(editada, tabla.dtypes[["Meta", "Calificaciones"]].to_dict())
    assert vuelta["Meta"].tolist() == [4.5, 3.0] and vuelta["Calificaciones"].dtype == "int64"
    assert vuelta["Calificaciones"].tolist() == [5835, 12] and vuelta["Etapa"].tolist() == ["A", "B"]
    assert not re.match(PATRON_ENTERO, "4,5") and re.match(PATRON_ENTERO, "5.835")


def test_una_tabla_que_cabe_no_se_toca():
    from analisis.formato import anchos_de_columnas
    tabla = pd.DataFrame({"Etapa": ["Entrega", "Solución"], "CSAT": [4.1, 3.9]})
    assert anchos_de_columnas(tabla).columnas == {} and not anchos_de_columnas(tabla).desplazar


def test_el_texto_largo_se_estrecha_y_parte_para_caber():
    """Con un comentario largo, la tabla cabe estrechando solo la columna de texto, nunca bajo el mínimo ni bajo
    su título; las filas crecen lo justo para que Streamlit parta el texto (más de 64 px) sin pasar de 3 líneas."""
    from analisis.formato import ANCHO_DE_TABLA, ANCHO_MINIMO_TEXTO, anchos_de_columnas
    tabla = pd.DataFrame({"Fecha": ["31/10/2026 23:49"] * 3, "Sucursal": ["Sucursal Oriente"] * 3,
                          "Comentario": ["Buen seguimiento: me llamaron después para confirmar " * 3, "corto", None],
                          "Motivo del contacto": ["Reclamo por una entrega incompleta"] * 3,
                          "CSAT": [4, 5, 3]})
    anchos = anchos_de_columnas(tabla)
    assert set(anchos.columnas) == {"Comentario", "Motivo del contacto"}  # «Fecha» y «Sucursal» caben enteras
    assert all(ANCHO_MINIMO_TEXTO <= a < 500 for a in anchos.columnas.values())
    assert anchos.columnas["Comentario"] > anchos.columnas["Motivo del contacto"]  # en proporción a su texto
    assert 64 < anchos.alto_de_fila <= 16 + 18 * 3 and not anchos.desplazar
    otros = 20 + 6.2 * len("31/10/2026 23:49") + 20 + 6.2 * len("Sucursal Oriente") + 50
    assert otros + sum(anchos.columnas.values()) <= ANCHO_DE_TABLA


def test_los_anchos_fijados_se_respetan_y_demasiadas_columnas_se_desplazan():
    from analisis.formato import ANCHO_MINIMO_TEXTO, anchos_de_columnas
    tabla = pd.DataFrame({"Comentario": ["texto largo " * 30], **{f"Indicador {i}": [1.5] for i in range(12)}})
    anchos = anchos_de_columnas(tabla, fijos={"Indicador 0": 300})
    assert anchos.desplazar and anchos.columnas == {"Comentario": ANCHO_MINIMO_TEXTO}
    assert "Indicador 0" not in anchos.columnas
    assert anchos_de_columnas(tabla[["Indicador 0"]], fijos={"Indicador 0": 900}).desplazar


def test_las_celdas_con_listas_o_vacias_se_miden_sin_error():
    """Las cuentas llevan sus sucursales en una lista (o ninguna): se miden por sus elementos."""
    from analisis.formato import anchos_de_columnas
    tabla = pd.DataFrame({"Usuario": ["ana", None], "Sucursales": [["Sucursal Norte"] * 30, []],
                          "Equipos": [None, ["Equipo 1"]], "Creada": pd.to_datetime(["2026-10-31", None])})
    anchos = anchos_de_columnas(tabla, ancho=450)
    assert set(anchos.columnas) == {"Sucursales"} and not anchos.desplazar and anchos.alto_de_fila > 64
