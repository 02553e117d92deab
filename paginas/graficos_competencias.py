"""Figuras Plotly de las páginas de capacitación, con textos y números a la manera española.

Las escalas comunes (0..1) se muestran en porcentaje y las brechas en puntos
(porcentuales); los nombres largos de competencia se parten en varias líneas.
"""

import textwrap

import pandas as pd
import plotly.graph_objects as go

from analisis.competencias import MapaBrechas
from analisis.formato import SEPARADORES_PLOTLY, texto_plotly
from paginas.graficos import COLORES

__all__ = ["mapa_de_calor", "radar", "barras_impacto", "desvios_auditores"]

_FUENTE = {"family": "system-ui, -apple-system, Segoe UI, Roboto, Arial, sans-serif", "size": 12}


def _partir(texto: str, ancho: int = 18) -> str:
    """Parte un nombre largo (de un usuario: escapado con ``texto_plotly``) en líneas de Plotly (``<br>``)."""
    return "<br>".join(texto_plotly(linea) for linea in textwrap.wrap(str(texto), ancho))


def _base(figura: go.Figure, alto: int, **diseno) -> go.Figure:
    """Diseño común: separadores españoles, fuente, fondo blanco y márgenes ajustados."""
    figura.update_layout(height=alto, separators=SEPARADORES_PLOTLY, font=_FUENTE, plot_bgcolor="white",
                         margin={"l": 10, "r": 10, "t": 30, "b": 10}, **diseno)
    return figura


def mapa_de_calor(mapa: MapaBrechas, titulo_filas: str) -> go.Figure:
    """Mapa de calor grupo × competencia de la brecha en puntos: rojo no llega a la meta, verde la supera.

    Las celdas con muestra insuficiente quedan en blanco; el texto de cada celda es la brecha.
    """
    brecha = mapa.brecha * 100
    texto = brecha.map(lambda v: "" if pd.isna(v) else f"{int(round(v)):+d}")
    datos = pd.concat([mapa.puntaje.stack(future_stack=True), mapa.n.stack(future_stack=True)], axis=1).to_numpy()
    datos = datos.reshape(brecha.shape[0], brecha.shape[1], 2)
    figura = go.Figure(go.Heatmap(
        z=brecha.to_numpy(), x=[texto_plotly(c) for c in brecha.columns], y=[texto_plotly(f) for f in brecha.index], text=texto.to_numpy(),
        texttemplate="%{text}", customdata=datos, zmid=0, zmin=-30, zmax=30, xgap=1, ygap=1,
        colorscale=[[0, COLORES["verde"]], [0.5, "#f7f7f7"], [1, COLORES["rojo"]]],
        colorbar={"title": {"text": "Brecha<br>(pts)"}, "ticksuffix": " pts"},
        hovertemplate=(f"{titulo_filas}: %{{y}}<br>%{{x}}<br>Brecha: %{{z:+,.1f}} pts<br>"
                       "Puntaje: %{customdata[0]:.1%}<br>n = %{customdata[1]:,.0f}<extra></extra>"),
    ))
    alto = max(420, 260 + 26 * brecha.shape[0])
    figura = _base(figura, alto)
    figura.update_xaxes(side="top", tickangle=-40, tickfont={"size": 11})
    figura.update_yaxes(autorange="reversed", title=titulo_filas)
    return figura


def radar(perfiles: pd.DataFrame) -> go.Figure:
    """Perfil por competencia (0–100 %) de varias series: una columna por serie, índice = competencias.

    La columna ``Meta`` se dibuja punteada y sin relleno.
    """
    figura = go.Figure()
    colores = [COLORES["rojo"], COLORES["linea"], "#444"]
    nombres = [_partir(c, 16) for c in perfiles.index]
    for color, serie in zip(colores, perfiles.columns):
        valores = perfiles[serie].tolist()
        es_meta = serie == "Meta"
        figura.add_scatterpolar(
            r=valores + valores[:1], theta=nombres + nombres[:1], name=texto_plotly(serie), mode="lines+markers",
            line={"color": color, "dash": "dot" if es_meta else "solid", "width": 2},
            fill=None if es_meta else "toself", opacity=0.75,
            hovertemplate=f"{texto_plotly(serie)}<br>%{{theta}}: %{{r:.1%}}<extra></extra>",
        )
    figura = _base(figura, 600, legend={"orientation": "h", "y": -0.12, "x": 0.5, "xanchor": "center"})
    figura.update_layout(margin={"l": 40, "r": 40, "t": 50, "b": 70})
    figura.update_polars(radialaxis={"range": [0, 1], "tickformat": ".0%", "tickfont": {"size": 9}, "angle": 90,
                                     "tickangle": 90},
                         angularaxis={"tickfont": {"size": 10}, "rotation": 78, "direction": "clockwise"})
    return figura


def barras_impacto(impactos: pd.DataFrame, resultado: str) -> go.Figure:
    """Impacto por competencia (cambio del resultado por cada 10 puntos de competencia) con su intervalo.

    ``impactos`` trae ``nombre_competencia``, ``impacto``, ``ic_inf`` e ``ic_sup`` por unidad de la
    escala común; las barras con intervalo entero sobre 0 van en azul, las demás en gris.
    """
    datos = impactos.dropna(subset=["impacto"]).sort_values("impacto")
    claro = datos["ic_inf"] > 0
    figura = go.Figure(go.Bar(
        x=datos["impacto"] / 10, y=[_partir(c, 40) for c in datos["nombre_competencia"]], orientation="h",
        marker_color=[COLORES["linea"] if c else COLORES["insuficiente"] for c in claro],
        error_x={"type": "data", "symmetric": False, "array": (datos["ic_sup"] - datos["impacto"]) / 10,
                 "arrayminus": (datos["impacto"] - datos["ic_inf"]) / 10, "color": "#444", "thickness": 1.2},
        hovertemplate="%{y}<br>Impacto: %{x:+,.3f}<extra></extra>",
    ))
    figura = _base(figura, max(360, 60 + 30 * len(datos)))
    figura.update_xaxes(title=f"Cambio en {resultado} de los clientes por cada 10 puntos de la competencia",
                        zeroline=True, zerolinecolor="#888", gridcolor="#eee")
    return figura


def desvios_auditores(sesgos: pd.DataFrame, umbral: float) -> go.Figure:
    """Desvío medio de cada auditor frente a los demás (puntos) con su intervalo; franja gris = ±umbral."""
    datos = sesgos.sort_values("desvio")
    figura = go.Figure(go.Scatter(
        x=datos["desvio"] * 100, y=datos["auditor"].map(texto_plotly), mode="markers", marker={"size": 10, "color": COLORES["linea"]},
        error_x={"type": "data", "symmetric": False, "array": (datos["ic_sup"] - datos["desvio"]) * 100,
                 "arrayminus": (datos["desvio"] - datos["ic_inf"]) * 100, "color": "#444"},
        customdata=datos[["agentes", "calificaciones"]].to_numpy(),
        hovertemplate=("%{y}<br>Desvío: %{x:+,.1f} pts<br>Agentes comparados: %{customdata[0]}<br>"
                       "Calificaciones: %{customdata[1]:,.0f}<extra></extra>"),
    ))
    figura.add_vrect(x0=-umbral * 100, x1=umbral * 100, fillcolor="#eeeeee", line_width=0, layer="below")
    figura.add_vline(x=0, line={"color": "#888", "dash": "dot"})
    figura = _base(figura, max(260, 80 + 40 * len(datos)))
    figura.update_xaxes(title="Desvío frente a los demás auditores (puntos; + más benévolo, − más exigente)",
                        ticksuffix=" pts", gridcolor="#eee")
    return figura
