"""Los nombres que escriben los usuarios se ven como texto: ni enlaces ni formato en figuras y avisos."""

import json

import pandas as pd
import pytest
from plotly.utils import PlotlyJSONEncoder

from analisis.errores import ErrorEslabon
from paginas import comun, graficos_cadena, graficos_competencias

MALO = '<a href="http://malo.example">x</a>'


def _sin_etiquetas(figura) -> str:
    """El JSON de ``figura``, tras comprobar que no lleva ningún enlace ni el nombre sin escapar."""
    texto = json.dumps(figura.to_plotly_json(), cls=PlotlyJSONEncoder)
    assert "<a" not in texto and "</a>" not in texto
    assert "&lt;a href=" in texto
    return texto


def test_una_etapa_con_un_enlace_no_es_un_enlace_en_la_cadena():
    cajas = pd.DataFrame({"clase": ["debil", "mantener"], "etiqueta": ["Eslabón más débil", "Mantener"], "color": ["#c62828", "#2e7d32"],
                          "relleno": ["#fdecea", "#e8f5e9"], "texto": ["CSAT 3,1", MALO]}, index=[MALO, "Pago"])
    _sin_etiquetas(graficos_cadena.diagrama_cadena(cajas))
    importancia = pd.DataFrame({"incluida": [True, True], "significativa": [True, False],
                                "proporcion": [0.3, 0.1], "proporcion_inf": [0.2, 0.0],
                                "proporcion_sup": [0.4, 0.2]}, index=[MALO, "Pago"])
    _sin_etiquetas(graficos_cadena.barras_importancia(importancia, eslabon=MALO))
    proporciones = pd.DataFrame({MALO: [0.3], "Pago": [0.1]}, index=[MALO])
    _sin_etiquetas(graficos_cadena.mapa_segmentos(proporciones, pd.Series({MALO: MALO}), titulo_segmento="Canal"))


def test_competencias_y_auditores_con_enlaces_no_son_enlaces():
    impactos = pd.DataFrame({"nombre_competencia": [MALO], "impacto": [0.5], "ic_inf": [0.1], "ic_sup": [0.9]})
    _sin_etiquetas(graficos_competencias.barras_impacto(impactos, "CSAT"))
    sesgos = pd.DataFrame({"auditor": [MALO], "desvio": [0.02], "ic_inf": [0.0], "ic_sup": [0.04],
                           "agentes": [3], "calificaciones": [40]})
    _sin_etiquetas(graficos_competencias.desvios_auditores(sesgos, 0.05))
    perfiles = pd.DataFrame({MALO: [0.5, 0.7], "Meta": [0.8, 0.8]}, index=["Escucha", MALO])
    _sin_etiquetas(graficos_competencias.radar(perfiles))


@pytest.mark.parametrize("error", [ErrorEslabon("El archivo «**[aquí](http://malo.example)**» no se lee."),
                                   "Cuenta «**[x](http://malo.example)**» creada."])
def test_aviso_error_muestra_los_valores_de_los_usuarios_como_texto(error):
    mostrados = []
    comun.aviso_error(error, como=lambda texto, icon: mostrados.append((texto, icon)), icono=":material/check:")
    (texto, icono), = mostrados
    assert "\\[" in texto and "\\](" in texto and icono == ":material/check:"
    assert "\\*\\*" in texto
