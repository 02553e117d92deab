"""Figuras Plotly reutilizables, con textos y números a la manera española."""

import pandas as pd
import plotly.graph_objects as go

from analisis.formato import SEPARADORES_PLOTLY

__all__ = ["minitendencia", "COLORES"]

#: Colores de la marca y del semáforo.
COLORES = {"linea": "#1f5f8b", "insuficiente": "#b0b7bf", "verde": "#2e7d32", "ambar": "#f9a825", "rojo": "#c62828"}

_FORMATO_HOVER = {"escala": ",.2f", "proporcion": ".1%", "puntos": ",.1f", "minutos": ",.1f"}


def minitendencia(serie: pd.DataFrame, unidad: str, meta: float | None = None) -> go.Figure:
    """Línea pequeña de la serie mensual de un KPI, con la meta punteada.

    ``serie`` trae ``mes``, ``valor``, ``n`` y ``suficiente``; los meses con
    muestra insuficiente se dibujan como puntos huecos grises.
    """
    formato = _FORMATO_HOVER[unidad]
    figura = go.Figure()
    figura.add_scatter(
        x=serie["mes"], y=serie["valor"], mode="lines+markers", customdata=serie["n"],
        line={"color": COLORES["linea"], "width": 2},
        marker={"size": 5, "color": [COLORES["linea"] if ok else "white" for ok in serie["suficiente"]],
                "line": {"color": [COLORES["linea"] if ok else COLORES["insuficiente"] for ok in serie["suficiente"]],
                         "width": 1.5}},
        hovertemplate=f"%{{x|%m/%Y}}: %{{y:{formato}}}<br>n = %{{customdata:,d}}<extra></extra>",
    )
    if meta is not None:
        figura.add_hline(y=meta, line={"color": "#888", "dash": "dot", "width": 1})
    figura.update_layout(
        height=80, margin={"l": 0, "r": 0, "t": 4, "b": 0}, showlegend=False,
        separators=SEPARADORES_PLOTLY, paper_bgcolor="rgba(0,0,0,0)", plot_bgcolor="rgba(0,0,0,0)",
        xaxis={"visible": False}, yaxis={"visible": False},
    )
    return figura
