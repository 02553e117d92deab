"""Figuras Plotly reutilizables, con textos y números a la manera española.

Toda figura se dibuja con ``mostrar``: una figura sin ningún dato que dibujar (un filtro que no encuentra nada, o
grupos ocultos por el umbral de privacidad) se reemplaza por el estado vacío de ``comun.vacio``. Las que se repiten
en cada ejecución se piden a ``figura``, que construye cada una una vez por versión de los datos y argumentos.
"""

import hashlib
from collections.abc import Callable

import numpy as np
import pandas as pd
import plotly.graph_objects as go
import streamlit as st
from plotly.subplots import make_subplots

from analisis.formato import SEPARADORES_PLOTLY, numero, porcentaje, texto_plotly
from analisis.formato import con_signo
from analisis.tendencias import formatear
from paginas import comun

__all__ = ["minitendencia", "COLORES", "config_descarga", "serie_kpi", "multiples_kpi", "barras_divergentes",
           "punto_elegido", "eleccion_reciente"]
__all__ += ["figura", "mostrar", "figura_vacia", "SIN_DATOS_GRAFICO"]
__all__ += ["COLORES_PERFILES", "mapa_perfiles", "barras_silueta", "mapa_de_calor_rasgos", "kpis_perfiles"]

#: Colores de la marca y del semáforo.
COLORES = {"linea": "#1f5f8b", "insuficiente": "#b0b7bf", "verde": "#2e7d32", "ambar": "#f9a825", "rojo": "#c62828"}

_FORMATO_HOVER = {"escala": ",.2f", "proporcion": ".1%", "puntos": ",.1f", "minutos": ",.1f"}


#: Lo que dice un gráfico sin datos si quien lo dibuja no dice más.
SIN_DATOS_GRAFICO = ("No hay datos que dibujar con esta selección (o ningún grupo llega al mínimo de casos que exige "
                     "la privacidad): amplíe el periodo o quite filtros.")
#: Las coordenadas de una traza de Plotly: una traza sin ningún valor en alguna de las que tiene no dibuja nada.
_COORDENADAS = ("x", "y", "z", "r", "values", "lat", "lon")


def _huella_de_tabla(tabla: pd.DataFrame) -> bytes:
    """La huella de una tabla en la clave de ``figura``: su contenido exacto (columnas, tipos, índice y valores:
    los bytes de las columnas numéricas y de fecha, el ``repr`` de los valores de las demás) resumido con SHA-256.

    Streamlit resume una tabla con ``hash_pandas_object``, unos 1,7 ms por tabla de una docena de filas; el
    resumen dibuja ocho minitendencias de dos tablas cada una en cada ejecución (0,12 s con el servidor
    ocupado). Esta huella cuesta unos 0,2 ms y es la misma para una copia (``pickle`` no lo es).
    """
    forma = (list(tabla.columns), [str(tipo) for tipo in tabla.dtypes], tabla.index.tolist())
    resumen = hashlib.sha256(repr(forma).encode())
    for columna in tabla.columns:
        valores = tabla[columna].to_numpy()
        resumen.update(valores.tobytes() if valores.dtype.kind in "biufmM" else repr(valores.tolist()).encode())
    return resumen.digest()


@st.cache_resource(show_spinner=False, max_entries=256, hash_funcs={pd.DataFrame: _huella_de_tabla})
def _figura(_dibujar: Callable, nombre: str, huella_datos: comun.Huella, argumentos: tuple,
            opciones: tuple) -> object:
    """Caché de ``figura``: la clave es ``nombre`` (``módulo.nombre``), la huella, los argumentos y las opciones."""
    return _dibujar(*argumentos, **dict(opciones))


def figura(dibujar: Callable, *argumentos, **opciones) -> object:
    """``dibujar(*argumentos, **opciones)`` (una figura de ``paginas.graficos``), construida una vez por huella
    y argumentos.

    Plotly valida cada propiedad al construir una figura (del orden de 0,1 s): el resumen dibuja ocho
    minitendencias en cada ejecución y Tendencias su serie. La figura se comparte sin copiarla:
    ``st.plotly_chart`` la convierte con ``to_dict`` sin modificarla, y quien la pida tampoco debe modificarla.
    """
    return _figura(dibujar, f"{dibujar.__module__}.{dibujar.__qualname__}", comun.huella(), argumentos,
                   tuple(sorted(opciones.items())))


def _traza_con_datos(traza) -> bool:
    """True si ``traza`` dibuja algo: cada coordenada que tiene trae al menos un valor (las barras de un grupo
    oculto llevan su rótulo en ``y`` y ninguna cifra en ``x``). Una traza sin coordenadas (un indicador) cuenta."""
    datos = traza.to_plotly_json()
    presentes = [datos[c] for c in _COORDENADAS if datos.get(c) is not None]
    return all(pd.notna(pd.Series(np.asarray(v, dtype=object).ravel(), dtype=object)).any() for v in presentes)


def figura_vacia(figura: go.Figure) -> bool:
    """True si ``figura`` no dibuja ningún dato: tiene trazas y ninguna trae valores, o no tiene trazas ni formas ni
    anotaciones (un diagrama dibujado solo con formas no está vacío).

    >>> figura_vacia(go.Figure(go.Bar(x=[None, None], y=["A", "B"]))), figura_vacia(go.Figure(go.Bar(x=[1], y=["A"])))
    (True, False)
    """
    if figura.data:
        return not any(_traza_con_datos(t) for t in figura.data)
    return not (figura.layout.shapes or figura.layout.annotations or figura.layout.images)


def mostrar(figura: go.Figure, *, sin_datos: str = SIN_DATOS_GRAFICO, **opciones):
    """``st.plotly_chart(figura, **opciones)`` de toda la interfaz; si la figura no dibuja ningún dato, el estado
    vacío (``comun.vacio(sin_datos)``) en lugar de unos ejes vacíos. Devuelve lo que devuelve ``st.plotly_chart``
    (la selección, con ``on_select``) o None."""
    if figura_vacia(figura):
        comun.vacio(sin_datos)
        return None
    return st.plotly_chart(figura, **opciones)


def minitendencia(serie: pd.DataFrame, unidad: str, metas: pd.DataFrame | None = None, kpi: str | None = None
                  ) -> go.Figure:
    """Línea pequeña de la serie mensual de un KPI, con la meta de cada mes en escalones punteados.

    ``serie`` trae ``mes``, ``valor``, ``n`` y ``suficiente``; los meses con muestra insuficiente se dibujan
    como puntos huecos grises. ``metas`` (``kpi``, ``periodo``, ``meta``) es la de
    ``datos.consultas.tendencias.metas_de_minitendencias``; con ``kpi`` se dibujan solo las de ese KPI (el resumen
    pasa la tabla de todos: filtrarla dentro de la figura guardada no cuesta nada en cada ejecución). Una meta
    nueva no repinta los meses anteriores a su fecha, como en Tendencias.
    """
    if metas is not None and kpi is not None:
        metas = metas[metas["kpi"] == kpi]
    formato = _FORMATO_HOVER[unidad]
    figura = go.Figure()
    figura.add_scatter(
        x=serie["mes"], y=serie["valor"], mode="lines+markers", customdata=serie["n"], name="Valor del mes",
        line={"color": COLORES["linea"], "width": 2},
        marker={"size": 5, "color": [COLORES["linea"] if ok else "white" for ok in serie["suficiente"]],
                "line": {"color": [COLORES["linea"] if ok else COLORES["insuficiente"] for ok in serie["suficiente"]],
                         "width": 1.5}},
        hovertemplate=f"%{{x|%m/%Y}}: %{{y:{formato}}}<br>n = %{{customdata:,d}}<extra></extra>",
    )
    if metas is not None and metas["meta"].notna().any():
        figura.add_scatter(x=metas["periodo"], y=metas["meta"], mode="lines", name="Meta del mes",
                           line={"color": "#888", "dash": "dot", "width": 1, "shape": "hv"},
                           hovertemplate=f"%{{x|%m/%Y}}: meta %{{y:{formato}}}<extra></extra>")
    figura.update_layout(
        height=80, margin={"l": 0, "r": 0, "t": 4, "b": 0}, showlegend=False,
        separators=SEPARADORES_PLOTLY, paper_bgcolor="rgba(0,0,0,0)", plot_bgcolor="rgba(0,0,0,0)",
        xaxis={"visible": False}, yaxis={"visible": False},
    )
    return figura


# ---------------------------------------------------------------------------
# Tendencias: serie con intervalo y volumen, pequeños múltiplos, barras divergentes
# ---------------------------------------------------------------------------

_FORMATO_EJE = {"escala": ",.2f", "proporcion": ",.0f", "puntos": ",.0f", "minutos": ",.0f", "horas": ",.0f"}
_SUFIJO_EJE = {"proporcion": " %", "minutos": " min", "horas": " h"}
#: Fechas del eje en números (Plotly escribiría los meses en inglés): días si caben, si no mes/año.
_FECHAS_EJE = [{"dtickrange": [None, 27 * 86_400_000], "value": "%d/%m/%Y"},
               {"dtickrange": [27 * 86_400_000, None], "value": "%m/%Y"}]
_BANDA = "rgba(31, 95, 139, 0.15)"
_DIVERGENTES = {
    3: ("#c62828", "#bdbdbd", "#2e7d32"),
    5: ("#c62828", "#ef9a9a", "#bdbdbd", "#90caf9", "#1f5f8b"),
    7: ("#b71c1c", "#e57373", "#ffcdd2", "#bdbdbd", "#bbdefb", "#64b5f6", "#1f5f8b"),
}


def config_descarga(nombre: str) -> dict:
    """Configuración de la barra de Plotly: botón «descargar como PNG» con nombre de archivo en español."""
    return {"displaylogo": False, "modeBarButtonsToRemove": ["lasso2d", "select2d"],
            "toImageButtonOptions": {"format": "png", "filename": nombre, "scale": 2}}


def _textos_de_punto(serie: pd.DataFrame, unidad: str) -> list[str]:
    """Texto de ayuda de cada punto: valor, intervalo, n y aviso de muestra insuficiente."""
    textos = []
    for fila in serie.itertuples():
        intervalo = "" if pd.isna(fila.ic_inf) else (
            f"<br>IC 95 %: {formatear(fila.ic_inf, unidad)} – {formatear(fila.ic_sup, unidad)}")
        aviso = "" if fila.suficiente else "<br><b>Muestra insuficiente</b>"
        textos.append(f"{formatear(fila.valor, unidad)}{intervalo}<br>n = {numero(fila.n, 0)}{aviso}")
    return textos


def _datos_de_punto(serie: pd.DataFrame) -> list[list]:
    """``customdata`` de cada punto: [inicio del periodo ISO, grupo] (lo lee ``punto_elegido``)."""
    return [[pd.Timestamp(p).date().isoformat(), g] for p, g in zip(serie["periodo"], serie["grupo"])]


def _escala(unidad: str) -> float:
    """Factor de dibujo: las proporciones se dibujan en puntos porcentuales (eje «85 %»)."""
    return 100.0 if unidad == "proporcion" else 1.0


def _trazas_de_serie(figura: go.Figure, serie: pd.DataFrame, unidad: str, fila: int, columna: int,
                     leyenda: bool) -> None:
    """Banda del intervalo, línea y puntos (huecos y grises si la muestra es insuficiente)."""
    posicion = {"row": fila, "col": columna}
    factor = _escala(unidad)
    serie = serie.assign(valor=serie["valor"] * factor, ic_inf=serie["ic_inf"] * factor,
                         ic_sup=serie["ic_sup"] * factor)
    textos = _textos_de_punto(serie.assign(valor=serie["valor"] / factor, ic_inf=serie["ic_inf"] / factor,
                                           ic_sup=serie["ic_sup"] / factor), unidad)
    if serie["ic_inf"].notna().any():
        figura.add_scatter(x=serie["periodo"], y=serie["ic_sup"], mode="lines", line={"width": 0},
                           hoverinfo="skip", showlegend=False, **posicion)
        figura.add_scatter(x=serie["periodo"], y=serie["ic_inf"], mode="lines", line={"width": 0}, fill="tonexty",
                           fillcolor=_BANDA, hoverinfo="skip", name="Intervalo de confianza al 95 %",
                           showlegend=leyenda, **posicion)
    suficiente = serie["suficiente"].to_numpy()
    figura.add_scatter(
        x=serie["periodo"], y=serie["valor"], mode="lines+markers", name="Valor del periodo", showlegend=leyenda,
        line={"color": COLORES["linea"], "width": 2}, customdata=_datos_de_punto(serie),
        text=textos, hovertemplate="%{x|%d/%m/%Y}<br>%{text}<extra></extra>",
        marker={"size": 8, "color": [COLORES["linea"] if ok else "white" for ok in suficiente],
                "line": {"width": 2, "color": [COLORES["linea"] if ok else COLORES["insuficiente"]
                                               for ok in suficiente]}},
        **posicion,
    )


def _linea_de_meta(figura: go.Figure, metas: pd.DataFrame | None, unidad: str, fila: int, columna: int,
                   leyenda: bool) -> None:
    """Meta de cada periodo en escalones punteados (``metas``: ``periodo``, ``meta``; nula si no hay meta)."""
    if metas is None or metas["meta"].isna().all():
        return
    textos = [formatear(m, unidad) if pd.notna(m) else "sin meta" for m in metas["meta"]]
    figura.add_scatter(x=metas["periodo"], y=metas["meta"] * _escala(unidad), mode="lines", name="Meta del periodo",
                       line={"color": "#666", "dash": "dot", "width": 1.5, "shape": "hv"}, showlegend=leyenda,
                       text=textos, hovertemplate="%{x|%d/%m/%Y}<br>Meta: %{text}<extra></extra>",
                       row=fila, col=columna)


def serie_kpi(serie: pd.DataFrame, unidad: str, *, titulo: str, metas: pd.DataFrame | None = None,
              cambios: tuple = (), volumen: str = "Respuestas") -> go.Figure:
    """Serie de un KPI con su intervalo al 95 %, la meta de cada periodo, los puntos de cambio y el volumen debajo.

    ``serie`` es la de ``analisis.tendencias.serie_indicador`` de un solo grupo; ``metas`` la de
    ``datos.consultas.tendencias.metas_por_periodo`` (una meta nueva no repinta los periodos anteriores).
    """
    figura = make_subplots(rows=2, cols=1, shared_xaxes=True, row_heights=[0.74, 0.26], vertical_spacing=0.05)
    _trazas_de_serie(figura, serie, unidad, 1, 1, True)
    figura.add_bar(x=serie["periodo"], y=serie["n"], name=volumen, customdata=_datos_de_punto(serie),
                   marker={"color": [COLORES["linea"] if ok else COLORES["insuficiente"] for ok in serie["suficiente"]],
                           "opacity": 0.55},
                   hovertemplate="%{x|%d/%m/%Y}<br>n = %{y:,d}<extra></extra>", row=2, col=1)
    _linea_de_meta(figura, metas, unidad, 1, 1, True)
    for dia in cambios:
        figura.add_vline(x=pd.Timestamp(dia).timestamp() * 1000, line={"color": COLORES["rojo"], "dash": "dash",
                                                                       "width": 1.5},
                         annotation_text="Cambio", annotation_font_color=COLORES["rojo"], row=1, col=1)
    figura.update_yaxes(title_text=titulo, tickformat=_FORMATO_EJE[unidad], ticksuffix=_SUFIJO_EJE.get(unidad, ""),
                        row=1, col=1)
    figura.update_yaxes(title_text=volumen, tickformat=",d", row=2, col=1)
    figura.update_xaxes(tickformatstops=_FECHAS_EJE)
    figura.update_layout(height=520, margin={"l": 10, "r": 10, "t": 40, "b": 10}, separators=SEPARADORES_PLOTLY,
                         legend={"orientation": "h", "y": 1.08, "x": 0}, hovermode="closest", bargap=0.15)
    return figura


def multiples_kpi(serie: pd.DataFrame, unidad: str, *, grupos: list[str], metas: pd.DataFrame | None = None,
                  cambios: dict | None = None, columnas: int = 3) -> go.Figure:
    """Pequeños múltiplos: un panel por grupo con la misma escala, su intervalo, sus puntos de cambio y la meta de
    cada periodo (``metas`` como en ``serie_kpi``)."""
    filas = -(-len(grupos) // columnas)
    figura = make_subplots(rows=filas, cols=columnas, shared_xaxes=True, shared_yaxes=True, subplot_titles=grupos,
                           vertical_spacing=0.12 if filas > 1 else 0.1, horizontal_spacing=0.03)
    for i, grupo in enumerate(grupos):
        fila, columna = i // columnas + 1, i % columnas + 1
        _trazas_de_serie(figura, serie[serie["grupo"] == grupo], unidad, fila, columna, False)
        for dia in (cambios or {}).get(grupo, ()):
            figura.add_vline(x=pd.Timestamp(dia).timestamp() * 1000, row=fila, col=columna,
                             line={"color": COLORES["rojo"], "dash": "dash", "width": 1.2})
        _linea_de_meta(figura, metas, unidad, fila, columna, False)
    figura.update_yaxes(tickformat=_FORMATO_EJE[unidad], ticksuffix=_SUFIJO_EJE.get(unidad, ""))
    figura.update_xaxes(tickformatstops=_FECHAS_EJE)
    figura.update_layout(height=max(300, 240 * filas), margin={"l": 10, "r": 10, "t": 30, "b": 10},
                         separators=SEPARADORES_PLOTLY, hovermode="closest")
    return figura


def barras_divergentes(distribucion: pd.DataFrame, *, etiqueta_periodo, titulo: str) -> go.Figure:
    """Barras apiladas divergentes por periodo: respuestas negativas a la izquierda y positivas a la derecha.

    ``distribucion`` es la de ``analisis.tendencias.distribucion_divergente``; la categoría
    neutra se reparte mitad a cada lado del cero. ``etiqueta_periodo`` convierte el inicio
    del periodo en el texto del eje.
    """
    categorias = distribucion.drop_duplicates("orden").sort_values("orden")
    colores = _DIVERGENTES[len(categorias)]
    etiquetas = [etiqueta_periodo(p) for p in distribucion["periodo"]]
    datos = distribucion.assign(etiqueta=etiquetas)
    figura = go.Figure()
    trazas = []
    for categoria in categorias.itertuples():
        propias = datos[datos["orden"] == categoria.orden]
        mitades = [(-0.5, True), (0.5, False)] if categoria.lado == "neutro" else [
            (-1.0 if categoria.lado == "negativo" else 1.0, True)]
        for factor, leyenda in mitades:
            trazas.append((categoria.distancia, dict(
                y=propias["etiqueta"], x=100 * propias["proporcion"] * factor, orientation="h",
                name=categoria.categoria,
                legendgroup=categoria.categoria, showlegend=leyenda, legendrank=int(categoria.orden),
                marker={"color": colores[categoria.orden]},
                customdata=[[pd.Timestamp(p).date().isoformat(), None, categoria.categoria]
                            for p in propias["periodo"]],
                text=[f"{categoria.categoria}: {porcentaje(p)} (n = {numero(n, 0)})"
                      for p, n in zip(propias["proporcion"], propias["n"])],
                textposition="none", hovertemplate="%{y}<br>%{text}<extra></extra>",
            )))
    for _, traza in sorted(trazas, key=lambda t: t[0]):
        figura.add_bar(**traza)
    figura.update_layout(
        barmode="relative", height=max(260, 26 * datos["etiqueta"].nunique() + 120),
        margin={"l": 10, "r": 10, "t": 40, "b": 10}, separators=SEPARADORES_PLOTLY,
        xaxis={"title": titulo, "zeroline": True, "zerolinecolor": "#444", "tickvals": list(range(-100, 101, 20)),
               "ticktext": [f"{abs(v)} %" for v in range(-100, 101, 20)]},
        yaxis={"autorange": "reversed", "type": "category"},
        legend={"orientation": "h", "y": 1.08, "x": 0, "traceorder": "normal"},
    )
    return figura


def punto_elegido(evento) -> dict | None:
    """El punto o la barra que el usuario eligió en un gráfico con ``on_select``.

    Devuelve ``{"periodo": date, "grupo": str | None, "categoria": str | None}`` a partir del
    ``customdata`` que ponen ``serie_kpi``, ``multiples_kpi`` y ``barras_divergentes``; None
    si no hay selección.
    """
    puntos = ((evento or {}).get("selection") or {}).get("points") or []
    for punto in puntos:
        datos = punto.get("customdata")
        if datos:
            return {"periodo": pd.Timestamp(datos[0]).date(), "grupo": datos[1],
                    "categoria": datos[2] if len(datos) > 2 else None}
    return None


def eleccion_reciente(eventos: dict, memoria: dict) -> dict | None:
    """La última elección del usuario entre varios gráficos con ``on_select``.

    ``eventos`` es nombre del gráfico → evento de ``st.plotly_chart``; ``memoria`` es un
    diccionario que sobrevive entre ejecuciones (``st.session_state``) y guarda lo que cada
    gráfico tenía elegido y cuál fue la última elección. Gana el gráfico cuya selección
    cambió; si ninguna cambió, se mantiene la anterior.
    """
    for nombre, evento in eventos.items():
        punto = punto_elegido(evento)
        if punto != memoria.get(nombre):
            memoria[nombre] = punto
            memoria["ultima"] = punto
    return memoria.get("ultima")


# ---------------------------------------------------------------------------
# Perfiles de clientes: mapa, silueta, comparación de rasgos y KPI por perfil
# ---------------------------------------------------------------------------

#: Un color por perfil (cualitativos y distinguibles), en el orden de los perfiles.
COLORES_PERFILES = ("#1f5f8b", "#e07b39", "#2e7d32", "#8e44ad", "#c62828", "#00838f", "#b8860b", "#6d4c41")


def _color_perfil(grupo: int) -> str:
    """Color del perfil ``grupo`` (0, 1, …)."""
    return COLORES_PERFILES[grupo % len(COLORES_PERFILES)]


def _diseno_perfiles(figura: go.Figure, alto: int) -> go.Figure:
    """Diseño común de las figuras de perfiles: separadores españoles, márgenes y leyenda abajo."""
    figura.update_layout(height=alto, separators=SEPARADORES_PLOTLY, margin={"l": 10, "r": 10, "t": 30, "b": 10},
                         legend={"orientation": "h", "yanchor": "bottom", "y": 1.01, "x": 0},
                         plot_bgcolor="white", hoverlabel={"namelength": -1})
    return figura


def mapa_perfiles(mapa: pd.DataFrame, nombres: dict[int, str], varianza: tuple[float, float]) -> go.Figure:
    """Nube de clientes en las dos primeras componentes principales, un color por perfil.

    ``mapa`` trae ``x``, ``y`` y ``grupo`` (ver ``analisis.perfiles.Perfiles.mapa``).
    """
    figura = go.Figure()
    for grupo, puntos in mapa.groupby("grupo", sort=True):
        figura.add_scattergl(x=puntos["x"], y=puntos["y"], mode="markers", name=f"{grupo + 1}. {texto_plotly(nombres[grupo])}",
                             marker={"size": 5, "opacity": 0.55, "color": _color_perfil(grupo)},
                             hovertemplate=f"{nombres[grupo]}<extra></extra>")
    figura.update_xaxes(title=f"Componente 1 ({porcentaje(varianza[0], 0)} de la varianza)", zeroline=False,
                        showgrid=True, gridcolor="#eee")
    figura.update_yaxes(title=f"Componente 2 ({porcentaje(varianza[1], 0)} de la varianza)", zeroline=False,
                        showgrid=True, gridcolor="#eee")
    return _diseno_perfiles(figura, 560)


def barras_silueta(silueta: dict[int, float], k: int, k_sugerido: int) -> go.Figure:
    """Silueta media de cada número de perfiles probado; resalta el elegido y marca el sugerido."""
    valores = list(silueta.items())
    figura = go.Figure(go.Bar(
        x=[c for c, _ in valores], y=[s for _, s in valores],
        marker_color=[COLORES["linea"] if c == k else COLORES["insuficiente"] for c, _ in valores],
        text=[numero(s, 3) for _, s in valores], textposition="outside",
        hovertemplate="k = %{x}: silueta %{y:.3f}<extra></extra>",
    ))
    figura.add_annotation(x=k_sugerido, y=silueta[k_sugerido], text="mayor silueta", showarrow=True, arrowhead=2,
                          ay=-40, yshift=18)
    figura.update_xaxes(title="Número de perfiles (k)", dtick=1)
    figura.update_yaxes(title="Silueta media", rangemode="tozero", showgrid=True, gridcolor="#eee")
    return _diseno_perfiles(figura, 340)


def mapa_de_calor_rasgos(comparacion: pd.DataFrame) -> go.Figure:
    """Perfiles × rasgos coloreados por el desvío frente a todos los clientes; cada celda muestra el valor.

    ``comparacion`` es la tabla larga de ``analisis.perfiles.comparacion`` (perfil, rasgo, desvio, texto).
    """
    desvios = comparacion.pivot_table(index="perfil", columns="rasgo", values="desvio", sort=False, observed=True)
    textos = comparacion.pivot_table(index="perfil", columns="rasgo", values="texto", aggfunc="first", sort=False,
                                     observed=True).reindex(index=desvios.index, columns=desvios.columns)
    figura = go.Figure(go.Heatmap(
        z=desvios.to_numpy(), x=list(desvios.columns), y=[texto_plotly(f) for f in desvios.index], text=textos.to_numpy(),
        texttemplate="%{text}", zmid=0, zmin=-2.5, zmax=2.5, colorscale="RdBu",
        colorbar={"title": {"text": "Desvío (DE)"}, "thickness": 12},
        hovertemplate="%{y}<br>%{x}: %{text}<br>desvío %{z:+.2f} DE<extra></extra>",
    ))
    figura.update_xaxes(tickangle=-30, side="top")
    figura.update_yaxes(autorange="reversed")
    return _diseno_perfiles(figura, 140 + 48 * len(desvios.index))


#: KPI de la comparación de perfiles: columna, título del panel, factor (proporción → %), formato y sufijo.
_KPIS_PERFILES = (("csat", "CSAT medio (1–5)", 1, ",.2f", ""), ("nps", "NPS", 1, ",.1f", ""),
                  ("quejas", "Quejas y reclamos", 100, ",.1f", " %"))


def kpis_perfiles(kpis: pd.DataFrame, muestra_minima: int) -> go.Figure:
    """Barras de CSAT, NPS y % de quejas por perfil con su intervalo al 95 % y la línea de todos los clientes.

    ``kpis`` es la tabla de ``analisis.perfiles.kpis_por_grupo``; las barras con menos de
    ``muestra_minima`` respuestas se pintan en gris.
    """
    perfiles = kpis[kpis["grupo"] >= 0]
    todos = kpis[kpis["grupo"] < 0].iloc[0]
    figura = make_subplots(rows=1, cols=len(_KPIS_PERFILES), shared_yaxes=True, horizontal_spacing=0.04,
                           subplot_titles=[titulo for _, titulo, *_ in _KPIS_PERFILES])
    etiquetas = [f"{g + 1}. {texto_plotly(nombre)}" for g, nombre in zip(perfiles["grupo"], perfiles["nombre"])]
    for columna, (clave, titulo, factor, formato, sufijo) in enumerate(_KPIS_PERFILES, 1):
        colores = [_color_perfil(g) if n >= muestra_minima else COLORES["insuficiente"]
                   for g, n in zip(perfiles["grupo"], perfiles[f"{clave}_n"])]
        valor, inferior, superior = (factor * perfiles[f"{clave}{parte}"] for parte in ("", "_inf", "_sup"))
        figura.add_bar(
            x=valor, y=etiquetas, orientation="h", marker_color=colores, showlegend=False,
            error_x={"type": "data", "symmetric": False, "array": superior - valor, "arrayminus": valor - inferior,
                     "color": "#555"},
            customdata=perfiles[f"{clave}_n"],
            hovertemplate=f"%{{y}}<br>{titulo}: %{{x:{formato}}}{sufijo}<br>n = %{{customdata:,d}}<extra></extra>",
            row=1, col=columna,
        )
        figura.add_vline(x=factor * todos[clave], line={"color": "#333", "dash": "dot", "width": 1}, row=1, col=columna)
        figura.update_xaxes(ticksuffix=sufijo, showgrid=True, gridcolor="#eee", row=1, col=columna)
    figura.update_yaxes(autorange="reversed", automargin=True)
    return _diseno_perfiles(figura, 120 + 44 * len(perfiles))


# ---------------------------------------------------------------------------
# Comentarios: temas, lo que duele, temas por segmento y en el tiempo, sentimiento
# ---------------------------------------------------------------------------

__all__ += ["barras_temas", "bosque_temas", "mapa_temas", "series_temas", "barras_sentimiento"]

#: Colores de los tonos (negativo, neutral, positivo).
COLORES_TONOS = {"negativo": COLORES["rojo"], "neutral": "#bdbdbd", "positivo": COLORES["verde"]}


def _diseno_comentarios(figura: go.Figure, alto: int, **ejes) -> go.Figure:
    """Diseño común de las figuras de comentarios: separadores españoles, fondo blanco y leyenda arriba."""
    figura.update_layout(height=alto, separators=SEPARADORES_PLOTLY, margin={"l": 10, "r": 10, "t": 30, "b": 10},
                         plot_bgcolor="white", legend={"orientation": "h", "yanchor": "bottom", "y": 1.01, "x": 0},
                         hoverlabel={"namelength": -1}, **ejes)
    return figura


def barras_temas(resumen: pd.DataFrame) -> go.Figure:
    """Parte de los comentarios de cada tema con su intervalo de Wilson; el color, la parte de notas bajas.

    ``resumen`` es la tabla de ``analisis.comentarios.resumen_temas``.
    """
    textos = [f"<b>{texto_plotly(f.nombre)}</b><br>{porcentaje(f.proporcion)} de los comentarios (n = {numero(f.n, 0)})<br>"
              f"IC 95 %: {porcentaje(f.ic_inf)} – {porcentaje(f.ic_sup)}<br>Notas bajas: {porcentaje(f.negativos, 0)}"
              f"<br>CSAT medio: {numero(f.csat, 2)}<br><i>{texto_plotly(f.palabras)}</i>" for f in resumen.itertuples()]
    figura = go.Figure(go.Bar(
        x=100 * resumen["proporcion"], y=resumen["nombre"].map(texto_plotly), orientation="h", text=textos,
        textposition="none",
        hovertemplate="%{text}<extra></extra>",
        marker={"color": 100 * resumen["negativos"].fillna(0), "colorscale": [[0, "#90caf9"], [1, COLORES["rojo"]]],
                "cmin": 0, "cmax": 100, "colorbar": {"title": {"text": "% notas<br>bajas"}, "ticksuffix": " %"}},
        error_x={"type": "data", "symmetric": False, "array": 100 * (resumen["ic_sup"] - resumen["proporcion"]),
                 "arrayminus": 100 * (resumen["proporcion"] - resumen["ic_inf"]), "color": "#444"},
    ))
    return _diseno_comentarios(
        figura, max(260, 40 * len(resumen) + 90),
        xaxis={"title": {"text": "Comentarios del tema (%)"}, "ticksuffix": " %", "rangemode": "tozero",
               "showgrid": True, "gridcolor": "#eee"},
        yaxis={"autorange": "reversed", "automargin": True})


def bosque_temas(duele: pd.DataFrame, medida: str) -> go.Figure:
    """Diferencia de CSAT (``medida='csat'``) o de NPS (``'nps'``) entre comentarios con y sin cada tema.

    ``duele`` es la tabla de ``analisis.comentarios.lo_que_duele``. Rojo: el intervalo queda bajo 0
    (el tema resta); verde: sobre 0; gris: no se distingue de 0. Hueco: muestra insuficiente.
    """
    tabla = duele[duele[f"dif_{medida}"].notna()]
    valor, inferior, superior = tabla[f"dif_{medida}"], tabla[f"{medida}_inf"], tabla[f"{medida}_sup"]
    colores = [COLORES["rojo"] if s < 0 else COLORES["verde"] if i > 0 else COLORES["insuficiente"]
               for i, s in zip(inferior, superior)]
    decimales, unidad = (2, "puntos de CSAT") if medida == "csat" else (1, "puntos de NPS")
    textos = [f"<b>{texto_plotly(f.nombre)}</b><br>Diferencia: {con_signo(v, decimales)} {unidad}<br>IC 95 %: "
              f"{con_signo(i, decimales)} a {con_signo(s, decimales)}<br>n con el tema = {numero(f.n, 0)}"
              for f, v, i, s in zip(tabla.itertuples(), valor, inferior, superior)]
    figura = go.Figure(go.Scatter(
        x=valor, y=tabla["nombre"].map(texto_plotly), mode="markers", text=textos,
        hovertemplate="%{text}<extra></extra>",
        marker={"size": 11, "color": [c if ok else "white" for c, ok in zip(colores, tabla["suficiente"])],
                "line": {"color": colores, "width": 2}},
        error_x={"type": "data", "symmetric": False, "array": superior - valor, "arrayminus": valor - inferior,
                 "color": "#555"},
    ))
    figura.add_vline(x=0, line={"color": "#333", "width": 1})
    titulo = "Diferencia de CSAT medio (con el tema − sin él)" if medida == "csat" else \
        "Diferencia de NPS (con el tema − sin él)"
    return _diseno_comentarios(
        figura, max(260, 40 * len(tabla) + 90),
        xaxis={"title": {"text": titulo}, "zeroline": False, "showgrid": True, "gridcolor": "#eee"},
        yaxis={"autorange": "reversed", "automargin": True})


def mapa_temas(tabla: pd.DataFrame, *, titulo_grupo: str) -> go.Figure:
    """Mapa de calor grupo × tema con la parte de los comentarios del grupo que trata cada tema.

    ``tabla`` es la tabla larga de ``analisis.comentarios.temas_por``; los grupos con muestra
    insuficiente llevan «(muestra pequeña)» en su rótulo.
    """
    tabla = tabla.assign(rotulo=[f"{g} (muestra pequeña)" if not ok else str(g)
                                 for g, ok in zip(tabla["grupo"], tabla["suficiente"])])
    valores = tabla.pivot_table(index="rotulo", columns="nombre", values="proporcion", sort=False, fill_value=0)
    textos = tabla.assign(texto=[f"{porcentaje(p, 0)}<br>n = {numero(n, 0)} de {numero(t, 0)}<br>IC 95 %: "
                                 f"{porcentaje(i, 0)} – {porcentaje(s, 0)}" for p, n, t, i, s in zip(
                                     tabla["proporcion"], tabla["n"], tabla["n_grupo"], tabla["ic_inf"],
                                     tabla["ic_sup"])])
    ayuda = textos.pivot_table(index="rotulo", columns="nombre", values="texto", aggfunc="first", sort=False
                               ).reindex(index=valores.index, columns=valores.columns).fillna("0 %")
    figura = go.Figure(go.Heatmap(
        z=100 * valores.to_numpy(), x=[texto_plotly(c) for c in valores.columns],
        y=[texto_plotly(f) for f in valores.index], colorscale="Blues", zmin=0,
        text=[[porcentaje(v, 0) for v in fila] for fila in valores.to_numpy()], texttemplate="%{text}",
        customdata=ayuda.to_numpy(), hovertemplate=f"{titulo_grupo}: %{{y}}<br>Tema: %{{x}}<br>%{{customdata}}"
                                                    "<extra></extra>",
        colorbar={"title": {"text": "% de los<br>comentarios"}, "ticksuffix": " %"},
    ))
    return _diseno_comentarios(
        figura, max(260, 44 * len(valores) + 160),
        xaxis={"title": {"text": "Tema"}, "tickangle": -25, "automargin": True},
        yaxis={"title": {"text": titulo_grupo}, "autorange": "reversed", "automargin": True})


def series_temas(tabla: pd.DataFrame) -> go.Figure:
    """Una línea por tema con la parte de los comentarios de cada periodo que lo trata.

    ``tabla`` es la de ``analisis.comentarios.temas_en_el_tiempo``; los periodos con muestra
    insuficiente se dibujan con puntos huecos.
    """
    figura = go.Figure()
    for (tema, nombre), serie in tabla.groupby(["tema", "nombre"], sort=True):
        color = COLORES_PERFILES[int(tema) % len(COLORES_PERFILES)] if tema >= 0 else COLORES["insuficiente"]
        textos = [f"{porcentaje(p)} (n = {numero(n, 0)} de {numero(t, 0)})<br>IC 95 %: {porcentaje(i)} – "
                  f"{porcentaje(s)}" for p, n, t, i, s in zip(serie["proporcion"], serie["n"], serie["n_grupo"],
                                                              serie["ic_inf"], serie["ic_sup"])]
        figura.add_scatter(
            x=serie["grupo"], y=100 * serie["proporcion"], mode="lines+markers", name=texto_plotly(nombre),
            text=textos,
            line={"color": color, "width": 2}, hovertemplate=f"<b>{texto_plotly(nombre)}</b><br>%{{x|%d/%m/%Y}}: %{{text}}"
                                                            "<extra></extra>",
            marker={"size": 7, "color": [color if ok else "white" for ok in serie["suficiente"]],
                    "line": {"color": color, "width": 1.5}})
    # Una línea por tema (hasta 25): la leyenda va a la derecha, una por renglón, en vez de tapar las líneas.
    return _diseno_comentarios(
        figura, max(420, 22 * len(figura.data) + 80),
        xaxis={"title": {"text": "Inicio del periodo"}, "tickformatstops": _FECHAS_EJE},
        yaxis={"title": {"text": "Comentarios del periodo (%)"}, "ticksuffix": " %", "rangemode": "tozero",
               "showgrid": True, "gridcolor": "#eee"}).update_layout(
        legend={"orientation": "v", "yanchor": "top", "y": 1, "xanchor": "left", "x": 1.02})


def barras_sentimiento(tabla: pd.DataFrame, *, titulo_grupo: str) -> go.Figure:
    """Barras apiladas al 100 % del sentimiento predicho en cada grupo (``analisis.comentarios.sentimiento_por``).

    Los grupos con muestra insuficiente llevan «(muestra pequeña)» en su rótulo.
    """
    figura = go.Figure()
    tabla = tabla.assign(rotulo=[str(g) if ok else f"{g} (muestra pequeña)"
                                 for g, ok in zip(tabla["grupo"], tabla["suficiente"])])
    for tono, parte in tabla.groupby("sentimiento", sort=False):
        textos = [f"{porcentaje(p)} (n = {numero(n, 0)} de {numero(t, 0)})<br>IC 95 %: {porcentaje(i)} – "
                  f"{porcentaje(s)}" for p, n, t, i, s in zip(parte["proporcion"], parte["n"], parte["n_grupo"],
                                                              parte["ic_inf"], parte["ic_sup"])]
        figura.add_bar(x=100 * parte["proporcion"], y=parte["rotulo"].map(texto_plotly), orientation="h",
                       name=tono.capitalize(), marker_color=COLORES_TONOS[tono], text=textos, textposition="none",
                       hovertemplate=f"%{{y}} · {tono}: %{{text}}<extra></extra>")
    return _diseno_comentarios(
        figura, max(200, 40 * tabla["grupo"].nunique() + 110), barmode="stack",
        xaxis={"title": {"text": "Comentarios (%)"}, "ticksuffix": " %", "range": [0, 100]},
        yaxis={"title": {"text": titulo_grupo}, "autorange": "reversed", "automargin": True})
