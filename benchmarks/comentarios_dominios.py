"""Sentimiento de un negocio a otro y temas de reseñas públicas en español (``analisis.comentarios``).

Datos: las muestras públicas de ``tests/datos/resenas/`` (reseñas de TripAdvisor en español de hoteles y de
restaurantes de Cuba y de atracciones turísticas de Guanajuato, corpus Rest-Mex; fuente y licencia en
``tests/datos/FUENTES.md``): el sentimiento se mide con la muestra ampliada de hoteles (11.124 reseñas,
``hoteles_cuba_ampliada.csv.gz``) y los temas con la de 3.000 (``hoteles_cuba.csv``, la de la muestra etiquetada
a mano).

* **Sentimiento entre negocios**, en los seis sentidos entre los tres negocios: el modelo de la aplicación
  (``entrenar_sentimiento``) aprende de todas las reseñas de un negocio, adaptado a los textos del destino
  sin sus notas (``sin_nota``; y, para comparar, sin adaptar), y predice las reseñas polares del destino
  (1–2 frente a 4–5); «neutral» cuenta como error. Exactitud equilibrada, con
  los aciertos de cada clase y su intervalo de Wilson; y, como referencia, una línea base simple
  (TF-IDF de palabras 1–2 + regresión logística equilibrada, corte en 0,5).
  Y el tiempo de entrenar el modelo con 3.000 y con 11.124 reseñas de hoteles (validación incluida).
* **Temas** de las reseñas de hoteles (número automático): nombres, tamaño y parte de los
  comentarios de cada tema que mencionan una palabra de su nombre; y la muestra de 30 reseñas
  etiquetadas a mano (``tests/datos/resenas/temas_a_mano.csv``): cuántas van a un tema cuyo nombre
  o palabras nombran uno de sus asuntos.

Uso: ``python3 benchmarks/comentarios_dominios.py [--semilla 0]``
"""

import argparse
import itertools
import sys
import time
from pathlib import Path

import numpy as np
import pandas as pd
from sklearn.feature_extraction.text import TfidfVectorizer
from sklearn.linear_model import LogisticRegression
from sklearn.pipeline import make_pipeline

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from analisis import comentarios as cm  # noqa: E402
from analisis.formato import numero, porcentaje  # noqa: E402
from analisis.texto import limpiar  # noqa: E402

RESENAS = Path(__file__).resolve().parent.parent / "tests" / "datos" / "resenas"
#: Archivo de cada negocio con que se mide el sentimiento (y, aparte, la muestra de 3.000 hoteles de los temas).
NEGOCIOS = {"hoteles": "hoteles_cuba_ampliada.csv.gz", "restaurantes": "restaurantes_cuba.csv",
            "atracciones": "atracciones_guanajuato.csv.gz"}
HOTELES_TEMAS = "hoteles_cuba.csv"


def leer(archivo: str) -> pd.DataFrame:
    """Reseñas de un archivo de ``RESENAS``: ``comentario`` y ``nota`` (1–5)."""
    tabla = pd.read_csv(RESENAS / archivo, sep=";")
    return tabla.rename(columns={"Comentario": "comentario", "Satisfacción (1-5)": "nota"})


def linea_base(origen: pd.DataFrame, destino: pd.DataFrame) -> float:
    """Exactitud equilibrada de TF-IDF de palabras 1–2 + regresión logística equilibrada (corte 0,5)."""
    def polares(tabla):
        tono = cm.tono_de_calificacion(tabla["nota"])
        util = np.isin(tono, ["negativo", "positivo"])
        return list(limpiar(tabla["comentario"][util])), tono[util] == "positivo"
    x, y = polares(origen)
    modelo = make_pipeline(TfidfVectorizer(ngram_range=(1, 2), min_df=2, sublinear_tf=True),
                           LogisticRegression(C=4, class_weight="balanced", max_iter=2000)).fit(x, y)
    x_destino, y_destino = polares(destino)
    acierto = modelo.predict(x_destino) == y_destino
    return float(np.mean([acierto[y_destino].mean(), acierto[~y_destino].mean()]))


def sentimiento(semilla: int) -> None:
    """Exactitud equilibrada en cada sentido entre dos negocios, con el modelo de la aplicación y con la línea base."""
    tablas = {negocio: leer(archivo) for negocio, archivo in NEGOCIOS.items()}
    print("Sentimiento aprendido en un negocio y medido en las reseñas polares (1–2 frente a 4–5) de otro;")
    print("«neutral» cuenta como error. El modelo se adapta a los textos del destino sin mirar sus notas.\n")
    for origen, destino in itertools.permutations(NEGOCIOS, 2):
        a, b = tablas[origen], tablas[destino]
        inicio = time.perf_counter()
        medida = cm.entre_negocios(a["comentario"], a["nota"], b["comentario"], b["nota"], semilla=semilla)
        segundos = time.perf_counter() - inicio
        print(f"{origen} → {destino}: exactitud equilibrada {numero(medida.equilibrada, 3)}  "
              f"(negativas {porcentaje(medida.negativas.valor)} [{porcentaje(medida.negativas.ic_inf)} – "
              f"{porcentaje(medida.negativas.ic_sup)}], n = {numero(medida.negativas.n, 0)}; positivas "
              f"{porcentaje(medida.positivas.valor)} [{porcentaje(medida.positivas.ic_inf)} – "
              f"{porcentaje(medida.positivas.ic_sup)}], n = {numero(medida.positivas.n, 0)}; "
              f"respuestas neutrales {porcentaje(medida.neutrales)})")
        sin_adaptar = cm.entre_negocios(a["comentario"], a["nota"], b["comentario"], b["nota"], semilla=semilla,
                                        adaptar=False)
        print(f"   validación en {origen}: {numero(medida.validacion, 3)} · sin adaptar a los textos de {destino}: "
              f"{numero(sin_adaptar.equilibrada, 3)} · línea base TF-IDF 1–2 + regresión "
              f"logística: {numero(linea_base(a, b), 3)} · {segundos:.1f} s")
    for hoteles in (leer(HOTELES_TEMAS), tablas["hoteles"]):
        inicio = time.perf_counter()
        cm.entrenar_sentimiento(hoteles["comentario"], hoteles["nota"], semilla=semilla)
        print(f"Entrenar el sentimiento con {numero(len(hoteles), 0)} reseñas de hoteles (validación y modelo final, "
              f"un hilo): {numero(time.perf_counter() - inicio, 1)} s")


def temas(semilla: int) -> None:
    """Temas automáticos de las reseñas de hoteles, con su tamaño y su fidelidad al nombre."""
    hoteles = leer(HOTELES_TEMAS)
    inicio = time.perf_counter()
    resultado = cm.temas(hoteles["comentario"], semilla=semilla, grupos=cm.tono_de_calificacion(hoteles["nota"]))
    segundos = time.perf_counter() - inicio
    fidelidad = cm.fidelidad_temas(resultado, hoteles["comentario"])
    tamanos = pd.Series(resultado.etiquetas).value_counts()
    print(f"\nTemas de {numero(len(hoteles), 0)} reseñas de hoteles: {resultado.k} temas en {segundos:.1f} s; "
          f"sin tema: {porcentaje(tamanos.get(cm.SIN_TEMA, 0) / len(hoteles))}")
    for tema, nombre in resultado.nombres.items():
        print(f"   {nombre:<40} {numero(tamanos.get(tema, 0), 0):>6} comentarios · mencionan su nombre: "
              f"{porcentaje(fidelidad[tema])} · {', '.join(resultado.palabras[tema][:6])}")
    media = np.average(fidelidad, weights=[tamanos.get(t, 0) for t in fidelidad.index])
    print(f"   Comentarios con tema que mencionan una palabra del nombre de su tema: {porcentaje(media)}")
    aciertos = a_mano(resultado)
    print(f"   Muestra etiquetada a mano: {aciertos} de 30 reseñas en un tema cuyo nombre o palabras nombran uno de "
          f"sus asuntos ({porcentaje(aciertos / 30)})")


def a_mano(resultado) -> int:
    """Reseñas de la muestra etiquetada a mano cuyo tema nombra (nombre o palabras) uno de sus asuntos."""
    etiquetas = pd.read_csv(RESENAS / "temas_a_mano.csv", sep=";")
    return int(cm.acierta_a_mano(resultado, etiquetas["fila"], etiquetas["asuntos"].str.split("/")).sum())


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python3 benchmarks/comentarios_dominios.py",
                                     description=__doc__.split("\n")[0])
    parser.add_argument("--semilla", type=int, default=0, help="semilla de los modelos")
    parser.add_argument("--solo", choices=["sentimiento", "temas"], help="medir solo una de las dos partes")
    argumentos = parser.parse_args(argv)
    if argumentos.solo != "temas":
        sentimiento(argumentos.semilla)
    if argumentos.solo != "sentimiento":
        temas(argumentos.semilla)
    return 0


if __name__ == "__main__":
    sys.exit(main())
