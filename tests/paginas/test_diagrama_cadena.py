"""El diagrama de la cadena con muchas etapas: una caja numerada por etapa, en varias filas, nombre completo al pasar."""

import pandas as pd

from paginas.graficos import diagrama_cadena


def test_el_diagrama_dibuja_una_caja_numerada_por_etapa_con_el_nombre_completo_al_pasar():
    nombres = [f"Etapa número {i} con nombre largo" for i in range(1, 15)]
    cajas = pd.DataFrame({"texto": ["Media: 3,50<br>Importancia: 7 %"] * 14, "estado": ["bien"] * 14},
                         index=pd.Index(nombres, name="etapa"))
    figura = diagrama_cadena(cajas)
    assert len(figura.layout.shapes) == 14
    assert list(figura.data[0].text) == [f"{i}. {n}" for i, n in enumerate(nombres, start=1)]
    assert figura.layout.height > 2 * 100
