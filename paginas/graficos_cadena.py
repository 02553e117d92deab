"""Figuras Plotly de la cadena de servicio: mapa de cuadrantes, diagrama de la cadena, barras y segmentos.

Cada etapa se pinta con su clase de ``analisis.cadena.clasificar_etapas`` (color y nombre de ``CLASES``), la misma
en el mapa y en el diagrama; los nombres escritos por usuarios pasan por ``texto_plotly``.
"""

import textwrap

import pandas as pd
import plotly.graph_objects as go

from analisis import cadena
from analisis.cadena.diagrama import (caracteres_por_linea, disponer_cadena, letra_de_cajas, lineas_en_caja,
                                      nombre_en_lineas)
from analisis.formato import SEPARADORES_PLOTLY, porcentaje, texto_plotly
from paginas.graficos import COLORES

__all__ = ["mapa_importancia_desempeno", "diagrama_cadena", "barras_importancia", "mapa_segmentos"]


#: Tamaño del mapa de cuadrantes en píxeles y sus márgenes: fijos, para que los nombres de los puntos se coloquen
#: sin pisarse sobre el área que de verdad se dibuja.
_MAPA_ANCHO, _MAPA_ALTO = 900, 600
_MAPA_MARGEN = {"l": 80, "r": 20, "t": 20, "b": 120}
_MAPA_LETRA = 11
#: Nombre de cada cuadrante y su esquina del mapa: (a la derecha?, arriba?).
_CUADRANTES = {"concentrar": (False, True), "mantener": (True, True), "baja": (False, False),
               "exceso": (True, False)}
_LETRA_CUADRANTE = 13


def _marcas_de_porcentaje(maximo: float) -> list[float]:
    """Marcas del eje de 0 a ``maximo`` cada 5, 10 o 20 puntos porcentuales."""
    paso = 0.05 if maximo <= 0.4 else 0.1 if maximo <= 0.8 else 0.2
    return [i * paso for i in range(int(maximo / paso) + 1)]


def _rangos_del_mapa(tabla: pd.DataFrame, corte: float) -> tuple[list[float], list[float]]:
    """Rango de x (frente a la referencia, con 0 dentro) y de y (parte del R², con franjas para los cuadrantes)."""
    x_min = min(0.0, float(tabla["frente_inf"].fillna(tabla["frente"]).min()))  # sin puntos (NaN): 0
    x_max = max(0.0, float(tabla["frente_sup"].fillna(tabla["frente"]).max()))
    margen = 0.12 * max(x_max - x_min, 1e-3)
    y_max = max(1.3 * corte, 0.05, float(tabla["proporcion_sup"].fillna(tabla["proporcion"]).max()))
    return [x_min - margen, x_max + margen], [-0.16 * y_max, 1.22 * y_max]


def _a_pixeles(valores: pd.Series, rango: list[float], largo: float, invertido: bool = False) -> list[float]:
    """Posición en píxeles del área de dibujo de ``valores`` en un eje de ``rango`` y ``largo`` píxeles."""
    fraccion = (valores - rango[0]) / (rango[1] - rango[0])
    return ((1 - fraccion) * largo if invertido else fraccion * largo).tolist()


def _cajas_de_cuadrantes(area: tuple[float, float]) -> list[cadena.Caja]:
    """Las cajas (en píxeles) de los nombres de los cuadrantes, en las esquinas del área."""
    cajas = []
    for clave, (derecha, arriba) in _CUADRANTES.items():
        ancho = cadena.ancho_de_texto(cadena.CLASES[clave].etiqueta, _LETRA_CUADRANTE) + 8
        x0 = area[0] - ancho if derecha else 0.0
        y0 = 0.0 if arriba else area[1] - _LETRA_CUADRANTE * 1.6
        cajas.append(cadena.Caja(x0, y0, x0 + ancho, y0 + _LETRA_CUADRANTE * 1.6))
    return cajas


def _nombre_corto(numero: int, etapa: str) -> str:
    """«3. Solución», con los nombres de más de 26 caracteres acortados (el completo va al pasar el ratón)."""
    return f"{numero}. {textwrap.shorten(etapa, 26, placeholder='…')}"


def _nombres_de_puntos(tabla: pd.DataFrame, x_rango: list[float], y_rango: list[float],
                       eslabon: str | None) -> pd.DataFrame:
    """Dónde va el nombre de cada punto (``analisis.cadena.colocar_etiquetas``): el eslabón y los más importantes
    eligen primero; índice: la etapa."""
    area = (_MAPA_ANCHO - _MAPA_MARGEN["l"] - _MAPA_MARGEN["r"], _MAPA_ALTO - _MAPA_MARGEN["t"] - _MAPA_MARGEN["b"])
    orden = tabla.assign(_primero=tabla.index == eslabon).sort_values(["_primero", "proporcion"], ascending=False)
    colocados = cadena.colocar_etiquetas(
        _a_pixeles(orden["frente"], x_rango, area[0]), _a_pixeles(orden["proporcion"], y_rango, area[1], True),
        [_nombre_corto(n, e) for n, e in zip(orden["numero"], orden.index)], [str(n) for n in orden["numero"]],
        area=area, letra=_MAPA_LETRA, obstaculos=_cajas_de_cuadrantes(area))
    return colocados.set_index(orden.index)


def mapa_importancia_desempeno(importancia: pd.DataFrame, clasificacion: cadena.ClasificacionCadena, *,
                               medida: str, titulo_desempeno: str) -> go.Figure:
    """Mapa de cuadrantes de Martilla y James: cuánto le falta a cada etapa para su referencia (x) contra su
    importancia (y), con intervalos y la clase de ``clasificacion`` (la misma de las tablas y del diagrama).

    ``importancia`` es la tabla de ``analisis.cadena.ResultadoCadena`` (se dibujan las etapas incluidas). Corte
    vertical: 0, la referencia (meta o mejor etapa); horizontal: ``clasificacion.corte_importancia``. Cada punto
    lleva «n.º. nombre» colocado sin pisar a los demás (o solo su número si no cabe); el nombre completo, al pasar.
    """
    tabla = clasificacion.etapas.join(importancia[["incluida", "desempeno", "proporcion_inf", "proporcion_sup"]])
    factor, formato, unidad = (1.0, ",.2f", "") if medida == "media" else (100.0, ",.1f", " pp")
    columnas_x = ["desempeno", "frente", "frente_inf", "frente_sup"]
    dibujables = tabla["incluida"] & tabla["frente"].notna() & tabla["proporcion"].notna()
    tabla = tabla[dibujables].assign(**{c: tabla.loc[dibujables, c] * factor for c in columnas_x})
    corte = clasificacion.corte_importancia
    x_rango, y_rango = _rangos_del_mapa(tabla, corte)
    nombres = _nombres_de_puntos(tabla, x_rango, y_rango, tabla.index[tabla["clase"] == "debil"].min())
    figura = go.Figure()
    for clave, clase in cadena.CLASES.items():
        parte = tabla[tabla["clase"] == clave]
        if parte.empty:
            continue
        figura.add_scatter(
            x=parte["frente"], y=parte["proporcion"], mode="markers", name=clase.etiqueta,
            marker={"size": 18 if clave == "debil" else 11, "color": clase.color,
                    "symbol": "star" if clave == "debil" else "circle", "line": {"color": "white", "width": 1}},
            error_x={"type": "data", "symmetric": False, "array": parte["frente_sup"] - parte["frente"],
                     "arrayminus": parte["frente"] - parte["frente_inf"], "color": clase.color, "thickness": 1},
            error_y={"type": "data", "symmetric": False, "array": parte["proporcion_sup"] - parte["proporcion"],
                     "arrayminus": parte["proporcion"] - parte["proporcion_inf"], "color": clase.color,
                     "thickness": 1},
            text=[f"{n}. {texto_plotly(e)}" for n, e in zip(parte["numero"], parte.index)],
            customdata=parte[[*columnas_x, "estado", "proporcion_inf", "proporcion_sup"]].to_numpy(),
            hovertemplate=(f"<b>%{{text}}</b><br>{titulo_desempeno}: %{{customdata[0]:{formato}}}<br>"
                           f"Frente a su referencia: %{{customdata[1]:+{formato}}}{unidad} (IC 95 %: "
                           f"%{{customdata[2]:+{formato}}} a %{{customdata[3]:+{formato}}}) · %{{customdata[4]}}<br>"
                           "Importancia: %{y:.1%} (%{customdata[5]:.1%} – %{customdata[6]:.1%})"
                           f"<extra>{clase.etiqueta}</extra>"),
        )
    for etapa, nombre in nombres.iterrows():
        figura.add_annotation(x=tabla.loc[etapa, "frente"], y=tabla.loc[etapa, "proporcion"],
                              ax=nombre["dx"], ay=nombre["dy"], text=texto_plotly(nombre["texto"]), showarrow=True,
                              arrowhead=0, arrowwidth=0.8, arrowcolor="#9e9e9e", standoff=6,
                              font={"size": _MAPA_LETRA, "color": "#222"}, bgcolor="rgba(255,255,255,0.8)")
    figura.add_vline(x=0, line={"color": "#888", "dash": "dash", "width": 1})
    figura.add_hline(y=corte, line={"color": "#888", "dash": "dash", "width": 1})
    figura.add_hline(y=0, line={"color": "#ccc", "width": 1})
    for clave, (derecha, arriba) in _CUADRANTES.items():
        figura.add_annotation(x=x_rango[1] if derecha else x_rango[0], y=y_rango[1] if arriba else y_rango[0],
                              text=f"<b>{cadena.CLASES[clave].etiqueta}</b>", showarrow=False,
                              xanchor="right" if derecha else "left", yanchor="top" if arriba else "bottom",
                              font={"color": cadena.CLASES[clave].color, "size": _LETRA_CUADRANTE})
    referencia = "su meta" if clasificacion.referencia == "meta" else "la mejor etapa"
    figura.update_layout(
        width=_MAPA_ANCHO, height=_MAPA_ALTO, margin={**_MAPA_MARGEN, "autoexpand": False},
        separators=SEPARADORES_PLOTLY, legend={"orientation": "h", "y": -0.15, "yanchor": "top", "title": {"text": ""}},
        xaxis={"title": {"text": f"{titulo_desempeno} menos {referencia}{unidad}: ← le falta · la alcanza →"},
               "tickformat": "+" + formato, "ticksuffix": unidad, "zeroline": False, "range": x_rango,
               "automargin": False},
        yaxis={"title": {"text": "Importancia (% del R² explicado)"}, "tickformat": ".0%", "zeroline": False,
               "range": y_rango, "tickvals": _marcas_de_porcentaje(y_rango[1] / 1.22), "automargin": False},
    )
    return figura


def _lineas_plotly(texto: str) -> str:
    """Cada línea de ``texto`` (separadas por ``<br>``) escapada con ``texto_plotly``: los saltos siguen siéndolo y
    nada de lo escrito por un usuario se interpreta."""
    return "<br>".join(texto_plotly(linea) for linea in str(texto).split("<br>"))


def _texto_caja(numero: int, etapa: str, fila: pd.Series, ancho: int) -> str:
    """Texto de la caja de ``etapa`` (n.º ``numero``): nombre, clase y cifras en líneas de ``ancho`` caracteres."""
    return (f"<b>{numero}. {_lineas_plotly(nombre_en_lineas(etapa, ancho=ancho - len(f'{numero}. ')))}</b><br>"
            f"<i>{_lineas_plotly(lineas_en_caja(fila['etiqueta'], ancho))}</i><br>"
            f"{_lineas_plotly(lineas_en_caja(fila['texto'], ancho))}")


def diagrama_cadena(cajas: pd.DataFrame) -> go.Figure:
    """La cadena en orden: una caja numerada por etapa (``analisis.cadena.cajas_cadena``) unidas por flechas.

    Hasta siete cajas por fila; con más etapas, varias filas en zigzag (``analisis.cadena.disponer_cadena``), los
    nombres largos partidos en líneas y el nombre completo al pasar el ratón. Cada caja dice su clase (``etiqueta``)
    y lleva el ``color`` y el ``relleno`` de esa clase (``analisis.cadena.CLASES``, los mismos del mapa de
    cuadrantes), con el borde grueso para el eslabón más débil.
    """
    disposicion = disponer_cadena(len(cajas))
    letra = letra_de_cajas(disposicion.columnas)
    ancho = caracteres_por_linea(disposicion.columnas, letra)
    textos = [_texto_caja(i + 1, etapa, fila, ancho) for i, (etapa, fila) in enumerate(cajas.iterrows())]
    lineas = max(t.count("<br>") + 1 for t in textos)
    figura = go.Figure()
    for i, ((etapa, fila), caja) in enumerate(zip(cajas.iterrows(), disposicion.cajas.itertuples())):
        figura.add_shape(type="rect", x0=caja.x0, x1=caja.x1, y0=caja.y0, y1=caja.y1, fillcolor=fila["relleno"],
                         line={"color": fila["color"], "width": cadena.CLASES[fila["clase"]].borde}, layer="below")
        figura.add_annotation(x=(caja.x0 + caja.x1) / 2, y=(caja.y0 + caja.y1) / 2, showarrow=False, text=textos[i],
                              font={"size": letra, "color": "#222"}, align="center")
    for flecha in disposicion.flechas.itertuples():
        figura.add_annotation(x=flecha.x, y=flecha.y, ax=flecha.ax, ay=flecha.ay, xref="x", yref="y", axref="x",
                              ayref="y", text="", showarrow=True, arrowhead=3, arrowsize=1.2, arrowwidth=2,
                              arrowcolor="#555")
    centros = disposicion.cajas.assign(x=lambda d: (d.x0 + d.x1) / 2, y=lambda d: (d.y0 + d.y1) / 2)
    figura.add_scatter(x=centros["x"], y=centros["y"], mode="markers", marker={"size": 40, "opacity": 0},
                       text=[f"{i + 1}. {texto_plotly(e)}" for i, e in enumerate(cajas.index)],
                       hovertemplate="%{text}<extra></extra>")
    figura.update_layout(
        height=disposicion.filas * (16 * lineas + 40), margin={"l": 0, "r": 0, "t": 0, "b": 0}, showlegend=False,
        separators=SEPARADORES_PLOTLY, plot_bgcolor="rgba(0,0,0,0)", paper_bgcolor="rgba(0,0,0,0)",
        xaxis={"visible": False, "range": [-0.02, disposicion.columnas + 0.02], "fixedrange": True},
        yaxis={"visible": False, "range": [disposicion.filas, 0], "fixedrange": True},
    )
    return figura


def barras_importancia(importancia: pd.DataFrame, *, eslabon: str | None) -> go.Figure:
    """Parte del R² de cada etapa con su intervalo; rojo el eslabón, gris las no significativas."""
    tabla = importancia[importancia["incluida"]].iloc[::-1]
    colores = [COLORES["rojo"] if e == eslabon else COLORES["insuficiente"] if s is False else COLORES["linea"]
               for e, s in zip(tabla.index, tabla["significativa"].astype(object))]
    figura = go.Figure(go.Bar(
        x=tabla["proporcion"], y=tabla.index.map(texto_plotly), orientation="h", marker={"color": colores},
        error_x={"type": "data", "symmetric": False, "array": tabla["proporcion_sup"] - tabla["proporcion"],
                 "arrayminus": tabla["proporcion"] - tabla["proporcion_inf"], "color": "#444"},
        text=[porcentaje(v, 0) for v in tabla["proporcion"]], textposition="inside", insidetextanchor="start",
        customdata=tabla[["proporcion_inf", "proporcion_sup"]].to_numpy(),
        hovertemplate="<b>%{y}</b><br>%{x:.1%} del R² (IC 95 %: %{customdata[0]:.1%} – %{customdata[1]:.1%})"
                      "<extra></extra>",
    ))
    figura.update_layout(
        height=max(220, 42 * len(tabla) + 70), margin={"l": 10, "r": 10, "t": 10, "b": 10},
        separators=SEPARADORES_PLOTLY, showlegend=False,
        xaxis={"title": {"text": "Parte del R² explicada por la etapa"}, "tickformat": ".0%", "rangemode": "tozero"},
    )
    return figura


def mapa_segmentos(proporciones: pd.DataFrame, eslabones: pd.Series, *, titulo_segmento: str) -> go.Figure:
    """Mapa de calor segmento × etapa con la parte del R² de cada etapa; ★ marca el eslabón de cada segmento."""
    textos = [[("" if pd.isna(v) else porcentaje(v, 0)) + (" ★" if eslabones.get(seg) == etapa else "")
               for etapa, v in fila.items()] for seg, fila in proporciones.iterrows()]
    figura = go.Figure(go.Heatmap(
        z=proporciones.to_numpy(dtype=float), x=[texto_plotly(c) for c in proporciones.columns],
        y=[texto_plotly(f) for f in proporciones.index],
        text=textos, texttemplate="%{text}", colorscale="Blues", zmin=0, hoverongaps=False,
        colorbar={"title": {"text": "% del R²"}, "tickformat": ".0%"},
        hovertemplate=f"{titulo_segmento}: %{{y}}<br>Etapa: %{{x}}<br>%{{z:.1%}} del R²<extra></extra>",
    ))
    figura.update_layout(
        height=max(220, 46 * len(proporciones) + 110), margin={"l": 10, "r": 10, "t": 10, "b": 10},
        separators=SEPARADORES_PLOTLY, yaxis={"title": {"text": titulo_segmento}, "autorange": "reversed"},
        xaxis={"title": {"text": "Etapa de la cadena"}, "side": "bottom"},
    )
    return figura
