"""Comentarios sobre reseñas públicas en español (``tests/datos/resenas``, ver ``tests/datos/FUENTES.md``):
sentimiento de un negocio a otro, validación en apartados recientes y temas con nombre de asunto."""

import numpy as np
import pandas as pd
import pytest

from analisis import comentarios as cm
from analisis.texto import normalizar, palabras_de_tono, raiz
from tests import ARCHIVOS

RESENAS = ARCHIVOS / "resenas"
#: Palabras de elogio o de queja que no deben nombrar un tema (lista propia de la prueba, además del léxico).
ELOGIOS_Y_QUEJAS = {"bien", "mejor", "excelente", "buena", "buen", "bueno", "buenas", "malo", "mala", "pesimo",
                    "genial", "perfecto", "especial", "agradable", "amable", "horrible", "terrible", "peor"}


def _leer(archivo: str) -> pd.DataFrame:
    tabla = pd.read_csv(RESENAS / archivo, sep=";")
    return tabla.rename(columns={"Comentario": "comentario", "Satisfacción (1-5)": "nota", "Fecha": "fecha"})


@pytest.fixture(scope="module")
def hoteles():
    """La muestra de 3.000 reseñas de hoteles (temas, muestra etiquetada a mano, validación)."""
    return _leer("hoteles_cuba.csv").assign(fecha=lambda t: pd.to_datetime(t["fecha"], format="%d/%m/%Y"))


@pytest.fixture(scope="module")
def hoteles_ampliada():
    """La muestra ampliada de 11.124 reseñas de hoteles con que se mide el sentimiento entre negocios."""
    return _leer("hoteles_cuba_ampliada.csv.gz")


@pytest.fixture(scope="module")
def restaurantes():
    return _leer("restaurantes_cuba.csv")


# ---------------------------------------------------------------------------
# Sentimiento
# ---------------------------------------------------------------------------

@pytest.mark.parametrize("origen, destino, minimo", [
    # objetivo del producto: 0,88 en los dos sentidos; con la muestra ampliada de hoteles y adaptado a los textos
    # del destino, de hoteles a restaurantes se llega a 0,883 y de restaurantes a hoteles a 0,929 (ver README)
    ("hoteles", "restaurantes", 0.88),
    ("restaurantes", "hoteles", 0.925),
])
def test_sentimiento_entre_negocios(hoteles_ampliada, restaurantes, origen, destino, minimo, capsys):
    """Aprendido en un negocio, acierta las reseñas polares del otro; «neutral» contaría como error."""
    tablas = {"hoteles": hoteles_ampliada, "restaurantes": restaurantes}
    a, b = tablas[origen], tablas[destino]
    medida = cm.entre_negocios(a["comentario"], a["nota"], b["comentario"], b["nota"])
    with capsys.disabled():
        print(f"\n{origen} → {destino}: exactitud equilibrada {medida.equilibrada:.3f}")
    assert medida.equilibrada >= minimo
    assert medida.negativas.valor > 0.8 and medida.positivas.valor > 0.85
    assert medida.negativas.n == int((b["nota"] <= 2).sum()) and medida.positivas.n == int((b["nota"] >= 4).sum())
    assert medida.neutrales == 0  # un texto con palabras conocidas siempre recibe un tono


@pytest.mark.parametrize("origen, destino, minimo", [
    # un tercer negocio, atracciones turísticas de Guanajuato: por debajo del objetivo de 0,88 (ver README)
    ("restaurantes", "atracciones", 0.82),
    ("atracciones", "restaurantes", 0.82),
])
def test_sentimiento_con_un_tercer_negocio(restaurantes, origen, destino, minimo):
    """Entre restaurantes y atracciones (pocas reseñas negativas de atracciones: 223) se llega a lo que dice README."""
    tablas = {"restaurantes": restaurantes, "atracciones": _leer("atracciones_guanajuato.csv.gz")}
    a, b = tablas[origen], tablas[destino]
    medida = cm.entre_negocios(a["comentario"], a["nota"], b["comentario"], b["nota"])
    assert medida.equilibrada >= minimo
    assert medida.negativas.n == int((b["nota"] <= 2).sum()) and medida.neutrales == 0


def test_adaptar_a_los_textos_de_hoteles_mejora(hoteles, restaurantes):
    """Adaptado a los textos de hoteles (sin sus notas), el modelo de restaurantes acierta más que sin adaptar."""
    args = (restaurantes["comentario"], restaurantes["nota"], hoteles["comentario"], hoteles["nota"])
    assert cm.entre_negocios(*args).equilibrada > cm.entre_negocios(*args, adaptar=False).equilibrada + 0.01


def test_validacion_con_las_resenas_mas_recientes(hoteles):
    modelo = cm.entrenar_sentimiento(hoteles["comentario"], hoteles["nota"], fechas=hoteles["fecha"])
    assert modelo.metodo_validacion == "fecha"
    polares = int(((hoteles["nota"] <= 2) | (hoteles["nota"] >= 4)).sum())
    assert modelo.n_validacion + modelo.n_casi_duplicados == round(0.2 * polares)
    assert 0.85 < modelo.exactitud_validacion < 1 and modelo.ic_inf < modelo.exactitud_validacion < modelo.ic_sup
    assert "los más recientes" in cm.exactitud_para_mostrar(modelo)["explicacion"]


def test_validacion_por_cliente_sin_fechas(restaurantes):
    clientes = np.arange(len(restaurantes)) // 3  # tres reseñas por cliente
    modelo = cm.entrenar_sentimiento(restaurantes["comentario"], restaurantes["nota"], grupos=clientes)
    assert modelo.metodo_validacion == "cliente" and modelo.n_validacion > 100
    with pytest.raises(ValueError, match="'fechas'"):
        cm.entrenar_sentimiento(restaurantes["comentario"], restaurantes["nota"], fechas=[None])


# ---------------------------------------------------------------------------
# Temas
# ---------------------------------------------------------------------------

@pytest.fixture(scope="module")
def temas_hoteles(hoteles):
    return cm.temas(hoteles["comentario"], grupos=cm.tono_de_calificacion(hoteles["nota"]))


def _palabras_del_nombre(nombre: str) -> list[str]:
    return normalizar(nombre.replace(",", " ")).split()


def test_temas_de_hoteles_hablan_de_asuntos(temas_hoteles, capsys):
    resultado = temas_hoteles
    with capsys.disabled():
        print("\n" + "\n".join(f"   {n}: {', '.join(resultado.palabras[t][:5])}" for t, n in resultado.nombres.items()))
    assert 6 <= resultado.k <= 25
    tono = palabras_de_tono()
    for nombre in resultado.nombres.values():
        palabras = _palabras_del_nombre(nombre)
        assert not set(palabras) & ELOGIOS_Y_QUEJAS, nombre
        assert not {raiz(p) for p in palabras} & set(tono), nombre
    assert len(set(resultado.nombres.values())) == len(resultado.nombres)  # dos temas no se llaman igual
    todas = " ".join(" ".join(p) for p in resultado.palabras.values())
    asuntos = ("desayuno", "habitaci", "ubicación", "piscina", "ruido", "baño", "servicio", "limpieza", "agua")
    assert sum(a in todas for a in asuntos) >= 6
    assert np.mean(resultado.etiquetas == cm.SIN_TEMA) < 0.05


def test_desayuno_y_piscina_tienen_su_propio_tema(temas_hoteles):
    """Los asuntos de los que hablan los huéspedes nombran sus temas: uno es el desayuno, otro la piscina."""
    nombres = [set(_palabras_del_nombre(n)) for n in temas_hoteles.nombres.values()]
    assert any("desayuno" in palabras for palabras in nombres), temas_hoteles.nombres
    assert any(palabras & {"piscina", "alberca"} for palabras in nombres), temas_hoteles.nombres
    assert not any("hotel" in palabras for palabras in nombres)  # lo que nombra el negocio mismo no es un asunto


def test_comentarios_mencionan_su_tema(temas_hoteles, hoteles):
    """Casi todo comentario trae alguna palabra principal de su tema; tres de cada cuatro, alguna de su nombre."""
    tamanos = pd.Series(temas_hoteles.etiquetas).value_counts()
    principales = cm.fidelidad_temas(temas_hoteles, hoteles["comentario"], palabras="principales")
    assert (principales > 0.9).all()
    assert np.average(principales, weights=[tamanos[t] for t in principales.index]) > 0.95
    nombre = cm.fidelidad_temas(temas_hoteles, hoteles["comentario"])
    assert np.average(nombre, weights=[tamanos[t] for t in nombre.index]) > 0.7
    with pytest.raises(ValueError, match="'palabras'"):
        cm.fidelidad_temas(temas_hoteles, hoteles["comentario"], palabras="otras")


#: Muestra etiquetada a mano: 30 reseñas de hoteles al azar (fila del archivo) con los asuntos de que hablan
#: (método en ``tests/datos/FUENTES.md``).
A_MANO = RESENAS / "temas_a_mano.csv"


def test_muestra_etiquetada_a_mano(temas_hoteles, capsys):
    """Cerca de la mitad de las reseñas etiquetadas a mano van a un tema cuyo nombre o palabras nombran uno de sus
    asuntos (una reseña de hotel trata de varios; el tema es el de más peso en todo su texto)."""
    etiquetas = pd.read_csv(A_MANO, sep=";")
    assert len(etiquetas) == 30 and etiquetas["fila"].is_unique
    aciertos = cm.acierta_a_mano(temas_hoteles, etiquetas["fila"], etiquetas["asuntos"].str.split("/"))
    with capsys.disabled():
        print(f"\nmuestra a mano: {sum(aciertos)} de {len(aciertos)} en un tema de uno de sus asuntos")
    assert sum(aciertos) >= 14, dict(zip(etiquetas["fila"], aciertos))  # medido: 15 de 30 (ver README)
