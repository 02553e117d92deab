"""El diagrama de la cadena con muchas etapas: una caja numerada por etapa, en varias filas, nombre completo al pasar."""

import pandas as pd

from paginas.graficos_cadena import diagrama_cadena


def test_el_diagrama_dibuja_una_caja_numerada_por_etapa_con_el_nombre_completo_al_pasar():
    nombres = [f"Etapa número {i} con nombre largo" for i in range(1, 15)]
    cajas = pd.DataFrame({"texto": ["Media: 3,50<br>Importancia: 7 %"] * 14, "clase": ["mantener"] * 14, "etiqueta": ["Mantener"] * 14,
                          "color": ["#2e7d32"] * 14, "relleno": ["#e8f5e9"] * 14},
                         index=pd.Index(nombres, name="etapa"))
    figura = diagrama_cadena(cajas)
    assert len(figura.layout.shapes) == 14
    assert list(figura.data[0].text) == [f"{i}. {n}" for i, n in enumerate(nombres, start=1)]
    assert figura.layout.height > 2 * 100


def test_los_saltos_de_linea_del_diagrama_no_se_escapan_y_los_nombres_si():
    cajas = pd.DataFrame({"texto": ["Media: 3,50<br>Importancia: 7 %"], "clase": ["debil"],
                          "etiqueta": ["Eslabón más débil"], "color": ["#c62828"], "relleno": ["#fdecea"]},
                         index=pd.Index(["Departure/Arrival time <b>convenient</b>"], name="etapa"))
    texto = diagrama_cadena(cajas).layout.annotations[0].text
    assert "&lt;br&gt;" not in texto and "Media: 3,50<br>Importancia: 7\u00a0%" in texto  # «%» junto a su número
    assert "<i>Eslabón más débil</i>" in texto and "&lt;b&gt;convenient&lt;/b&gt;" in texto


def test_cada_linea_de_cada_caja_cabe_en_su_caja_a_1280_px():
    """Cinco y catorce etapas con nombres largos y las cuatro cifras: ninguna línea (sin etiquetas) supera los
    caracteres que caben en una caja del diagrama en la ventana más estrecha, ni con 16 caracteres a 11 px."""
    import re

    from analisis.cadena.diagrama import caracteres_por_linea, disponer_cadena, letra_de_cajas

    for n in (5, 14):
        nombres = [f"Inflight wifi service and entertainment {i}" for i in range(n)]
        cajas = pd.DataFrame({"texto": ["Media: 3,18<br>Importancia: 37 %<br>Contactos: 1.561<br>"
                                        "Promesa incumplida: 12 %"] * n, "clase": ["debil"] * n,
                              "etiqueta": ["Eslabón más débil"] * n, "color": ["#c62828"] * n,
                              "relleno": ["#fdecea"] * n}, index=pd.Index(nombres, name="etapa"))
        columnas = disponer_cadena(n).columnas
        letra = letra_de_cajas(columnas)
        for anotacion in diagrama_cadena(cajas).layout.annotations:
            for linea in re.sub(r"</?[bi]>", "", anotacion.text).split("<br>"):
                assert len(linea) <= caracteres_por_linea(columnas, letra), (n, linea)
