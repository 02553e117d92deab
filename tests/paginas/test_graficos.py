"""``paginas.graficos.mostrar``: una figura sin datos que dibujar muestra el estado vacío, no unos ejes vacíos."""

import numpy as np
import plotly.graph_objects as go
from streamlit.testing.v1 import AppTest

from paginas.graficos import figura_vacia


def test_una_figura_sin_valores_esta_vacia():
    """Barras de grupos ocultos (rótulo sin cifra), series de NaN y un mapa de calor sin celdas: vacías; basta un
    valor, o un diagrama hecho solo de formas, para que no lo estén."""
    assert figura_vacia(go.Figure())
    assert figura_vacia(go.Figure(go.Bar(x=[np.nan, None], y=["Equipo A", "Equipo B"], orientation="h")))
    assert figura_vacia(go.Figure([go.Scatter(x=["2026-10-01"], y=[np.nan]), go.Bar(x=[], y=[])]))
    assert figura_vacia(go.Figure(go.Heatmap(z=[[np.nan, np.nan]], x=["a", "b"], y=["c"])))
    assert not figura_vacia(go.Figure(go.Bar(x=[np.nan, 40.0], y=["Equipo A", "Equipo B"], orientation="h")))
    assert not figura_vacia(go.Figure(go.Heatmap(z=[[np.nan, 0.3]])))
    diagrama = go.Figure()
    diagrama.add_shape(type="rect", x0=0, x1=1, y0=0, y1=1)
    assert not figura_vacia(diagrama)


def _guion(con_datos: bool) -> None:
    import plotly.graph_objects as go
    from paginas.graficos import mostrar
    valores = [12.0, 30.0] if con_datos else [None, None]
    mostrar(go.Figure(go.Bar(x=valores, y=["A", "B"], orientation="h")), sin_datos="Ningún equipo llega al umbral.")


def test_mostrar_dibuja_el_estado_vacio_en_lugar_de_unos_ejes_vacios():
    vacia = AppTest.from_function(_guion, args=(False,)).run(timeout=30)
    assert not vacia.exception
    assert [i.value for i in vacia.info] == ["Ningún equipo llega al umbral."]
    assert not vacia.get("plotly_chart")
    llena = AppTest.from_function(_guion, args=(True,)).run(timeout=30)
    assert not llena.exception and not llena.info and len(llena.get("plotly_chart")) == 1
