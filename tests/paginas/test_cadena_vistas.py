"""Una etapa, una clasificación: el mapa de cuadrantes, las dos tablas y el diagrama de la cadena dicen lo mismo de
cada etapa (nombre de la clase y color), en la demostración y en la cadena de 14 pasos de la aerolínea."""

import pytest

from analisis import cadena
from analisis.formato import texto_plotly
from datos.consultas import cadena as consultas_cadena
from datos.consultas.filtros import Filtros
from datos.motores.motor import Motor
from paginas import graficos_cadena
from tests.ajustes.test_aerolinea import aerolinea  # noqa: F401 - la fixture del almacén de la aerolínea

CSAT = cadena.RESULTADOS[0]


def _vistas(almacen) -> dict:
    """Lo que dibuja la página «Cadena de servicio» con CSAT, la media y las metas configuradas (si las hay)."""
    motor, filtros = Motor(almacen), Filtros()
    configuracion = cadena.configuracion_cadena(motor.consultar(consultas_cadena.etapas_cadena))
    distribucion = motor.consultar(consultas_cadena.distribucion_etapas, filtros)
    escala = cadena.escala_de_distribucion(distribucion)
    sumas = motor.consultar(consultas_cadena.sumas_cadena, filtros, configuracion.etapas, CSAT.columna, escala)
    resultado = cadena.analizar_resultado(sumas, configuracion.etapas, CSAT, metas=configuracion.metas_por_etapa,
                                          remuestras=50)
    clasificacion = cadena.clasificar_etapas(resultado, muestra_minima=30)
    por_etapa = cadena.desempeno_por_etapa(distribucion, configuracion.etapas,
                                           metas=configuracion.metas_por_etapa, muestra_minima=30)
    return {"etapas": configuracion.etapas, "clasificacion": clasificacion.etapas,
            "mapa": graficos_cadena.mapa_importancia_desempeno(resultado.importancia, clasificacion, medida="media",
                                                        titulo_desempeno="Calificación media"),
            "diagrama": graficos_cadena.diagrama_cadena(cadena.cajas_cadena(resultado, clasificacion)),
            "desempeno": cadena.tabla_desempeno(por_etapa, resultado.escala, clasificacion).set_index("Etapa"),
            "importancia": cadena.tabla_importancia(resultado, CSAT, clasificacion).set_index("Etapa")}


def _del_mapa(mapa) -> dict[str, tuple[str, str]]:
    """Etapa → (nombre de la traza = clase, color del punto) en el mapa de cuadrantes."""
    puntos = {}
    for traza in mapa.data:
        for texto in traza.text:
            puntos[texto.split(". ", 1)[1]] = (traza.name, traza.marker.color)
    return puntos


def _comprobar_que_coinciden(vistas: dict) -> None:
    """Cada etapa: la misma clase en el mapa, en las dos tablas y en su caja del diagrama, con el mismo color."""
    clases = vistas["clasificacion"]
    mapa = _del_mapa(vistas["mapa"])
    cajas, textos = vistas["diagrama"].layout.shapes, vistas["diagrama"].layout.annotations
    for i, etapa in enumerate(vistas["etapas"]):
        etiqueta, color = clases.loc[etapa, "etiqueta"], clases.loc[etapa, "color"]
        assert mapa[texto_plotly(etapa)] == (etiqueta, color), etapa
        assert cajas[i].line.color == color and cajas[i].fillcolor == clases.loc[etapa, "relleno"], etapa
        assert f"<i>{etiqueta}</i>" in textos[i].text.replace("<br>", " ") and f"{i + 1}. " in textos[i].text, etapa
        assert vistas["desempeno"].loc[etapa, "Clase"] == etiqueta, etapa
        assert vistas["importancia"].loc[etapa, "Clase"] == etiqueta, etapa
        assert vistas["desempeno"].loc[etapa, "Frente a su referencia"] == clases.loc[etapa, "estado"], etapa
        alcanza = clases.loc[etapa, "nivel"] == "alcanza"
        assert (etiqueta in ("Mantener", "Posible exceso")) <= alcanza, etapa
        assert (etiqueta in ("Concentrar aquí", "Baja prioridad", "Eslabón más débil")) <= (not alcanza), etapa


def test_demo_cada_etapa_tiene_una_sola_clase(demo_compartida):
    vistas = _vistas(demo_compartida(escala=0.3))
    _comprobar_que_coinciden(vistas)
    clases = vistas["clasificacion"]
    bajo_la_meta = clases.index[clases["estado"] == "Bajo la meta"]
    assert len(bajo_la_meta) >= 2 and "Posible exceso" not in clases.loc[bajo_la_meta, "etiqueta"].tolist()
    assert clases.loc["Entrega", "etiqueta"] == "Eslabón más débil"


def test_aerolinea_cada_uno_de_sus_14_pasos_tiene_una_sola_clase(aerolinea):  # noqa: F811
    vistas = _vistas(aerolinea)
    assert len(vistas["etapas"]) == 14
    _comprobar_que_coinciden(vistas)
    assert len(vistas["mapa"].layout.annotations) == 14 + 4  # un nombre por paso y los cuatro cuadrantes


@pytest.mark.parametrize("n", [5, 14, 20])
def test_los_nombres_del_mapa_no_se_pisan_en_la_figura(n):
    """Las cajas de los nombres, pasadas a píxeles como las dibuja Plotly, no se solapan."""
    import numpy as np
    import pandas as pd
    rng = np.random.default_rng(n)
    etapas = pd.Index([f"Paso número {i} de la cadena" for i in range(1, n + 1)], name="etapa")
    desempeno = rng.uniform(3.0, 4.5, n)
    proporcion = rng.dirichlet(np.ones(n))
    tabla = pd.DataFrame({"incluida": True, "n": 500, "proporcion": proporcion, "proporcion_inf": proporcion * 0.7,
                          "proporcion_sup": proporcion * 1.3, "desempeno": desempeno, "desempeno_inf": desempeno - 0.1,
                          "desempeno_sup": desempeno + 0.1, "referencia": 4.0}, index=etapas)
    resultado = cadena.ResultadoCadena(tabla, 0.5, np.nan, np.nan, etapas[int(np.argmax(proporcion))], np.nan,
                                       "continuo", "media", "meta", (1, 5), 500, 0)
    figura = graficos_cadena.mapa_importancia_desempeno(tabla, cadena.clasificar_etapas(resultado), medida="media",
                                                 titulo_desempeno="Media")
    ancho = figura.layout.width - figura.layout.margin.l - figura.layout.margin.r
    alto = figura.layout.height - figura.layout.margin.t - figura.layout.margin.b
    x0, x1 = figura.layout.xaxis.range
    y0, y1 = figura.layout.yaxis.range
    cajas = []
    for nota in figura.layout.annotations[:n]:
        cx = (nota.x - x0) / (x1 - x0) * ancho + nota.ax
        cy = (y1 - nota.y) / (y1 - y0) * alto + nota.ay
        medio = cadena.ancho_de_texto(nota.text, 11) / 2
        cajas.append(cadena.Caja(cx - medio, cy - 9, cx + medio, cy + 9))
    assert not any(a.pisa(b, holgura=0) for i, a in enumerate(cajas) for b in cajas[i + 1:])


def test_el_mapa_sin_puntos_dibujables_no_falla():
    """Etapas sin parte del R² (resultado sin variación explicada): el mapa sale vacío, con rangos finitos."""
    import math
    import pandas as pd
    etapas = pd.Index(["A", "B"], name="etapa")
    tabla = pd.DataFrame({"incluida": True, "n": 50, "proporcion": math.nan, "proporcion_inf": math.nan,
                          "proporcion_sup": math.nan, "desempeno": [3.5, 4.5], "desempeno_inf": math.nan,
                          "desempeno_sup": math.nan, "referencia": 4.0}, index=etapas)
    resultado = cadena.ResultadoCadena(tabla, 0.0, math.nan, math.nan, None, math.nan, "continuo", "media", "meta",
                                       (1, 5), 50, 0)
    figura = graficos_cadena.mapa_importancia_desempeno(tabla, cadena.clasificar_etapas(resultado), medida="media",
                                                        titulo_desempeno="Media")
    assert len(figura.data) == 0 and all(math.isfinite(v) for v in figura.layout.xaxis.range)
