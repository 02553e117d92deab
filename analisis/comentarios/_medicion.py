"""Cuánto valen los modelos de comentarios: sentimiento de un negocio a otro y temas fieles a su texto.

* ``entre_negocios``: se aprende el tono de las reseñas de un negocio (``entrenar_sentimiento``) y
  se predice el de las reseñas **polares** de otro (nota negativa o positiva: CSAT 1–2 frente a
  4–5); una respuesta «neutral» cuenta como error. Exactitud equilibrada = media de los aciertos
  en negativas y en positivas, cada una con su intervalo de Wilson.
* ``fidelidad_temas``: la parte de los comentarios de cada tema que menciona alguna de las
  palabras de su nombre (o de sus palabras principales).
* ``acierta_a_mano``: si el tema de cada comentario de una muestra etiquetada a mano nombra (en su
  nombre o sus palabras principales) alguno de los asuntos que se le anotaron.
"""

from collections.abc import Iterable, Sequence
from dataclasses import dataclass

import numpy as np
import pandas as pd

from analisis.comentarios._sentimiento import entrenar_sentimiento
from analisis.comentarios._temas import SIN_TEMA, Temas
from analisis.comentarios._tono import tono_de_calificacion
from analisis.escalas import ESCALA_CSAT
from analisis.kpis import Estimacion, proporcion
from analisis.texto import limpiar, normalizar, raiz


@dataclass(frozen=True)
class EntreNegocios:
    """Exactitud del sentimiento aprendido en un negocio sobre las reseñas polares de otro.

    ``equilibrada``: media de ``negativas`` y ``positivas`` (aciertos en cada clase, con Wilson);
    ``neutrales``: parte de las reseñas polares a las que el modelo respondió «neutral» (errores);
    ``validacion``: exactitud de validación del modelo en su propio negocio.
    """

    equilibrada: float
    negativas: Estimacion
    positivas: Estimacion
    neutrales: float
    validacion: float


def entre_negocios(origen_textos: Iterable, origen_notas: Iterable, destino_textos: Iterable,
                   destino_notas: Iterable, escala: Sequence[float] = ESCALA_CSAT, *, minimo: int = 200,
                   semilla: int = 0, adaptar: bool = True) -> EntreNegocios:
    """Aprende en el origen, predice el destino (solo sus reseñas negativas y positivas; ver el módulo).

    Con ``adaptar`` el modelo se adapta a los textos del destino **sin sus notas** (``sin_nota``), como en la
    aplicación, que siempre tiene los comentarios de la organización; sin él, solo los del origen.
    """
    textos = pd.Series(list(destino_textos), dtype=object)
    modelo = entrenar_sentimiento(origen_textos, origen_notas, escala, minimo=minimo, semilla=semilla,
                                  sin_nota=textos if adaptar else ())
    tonos = tono_de_calificacion(destino_notas, escala)
    polares = np.isin(tonos, ["negativo", "positivo"])
    predichos = modelo.predecir(textos[polares])
    esperados = tonos[polares]
    aciertos = {tono: proporcion(int((predichos[esperados == tono] == tono).sum()), int((esperados == tono).sum()))
                for tono in ("negativo", "positivo")}
    return EntreNegocios((aciertos["negativo"].valor + aciertos["positivo"].valor) / 2, aciertos["negativo"],
                         aciertos["positivo"], float(np.mean(predichos == "neutral")), modelo.exactitud_validacion)


def _raices(texto: str) -> set[str]:
    """Raíces de las palabras de un texto ya limpio."""
    return {raiz(p) for p in texto.split() if p.isalpha()}


def fidelidad_temas(resultado: Temas, textos: Iterable, *, palabras: str = "nombre") -> pd.Series:
    """Por tema, la parte de sus comentarios que menciona alguna palabra de su nombre (``palabras='nombre'``)
    o de sus palabras principales (``palabras='principales'``), comparando raíces («habitaciones» cuenta
    para «Habitación»). Los comentarios sin tema no cuentan.
    """
    if palabras not in ("nombre", "principales"):
        raise ValueError("'palabras' debe ser 'nombre' o 'principales'")
    limpios = limpiar(textos)
    partes = {}
    for tema in resultado.nombres:
        del_tema = limpios[resultado.etiquetas == tema]
        fuente = resultado.automaticos[tema] if palabras == "nombre" else " ".join(resultado.palabras[tema])
        claves = _raices(normalizar(fuente.replace(",", " ")))
        partes[tema] = float(np.mean([bool(_raices(t) & claves) for t in del_tema])) if len(del_tema) else np.nan
    return pd.Series(partes, name="fidelidad").drop(SIN_TEMA, errors="ignore")


def acierta_a_mano(resultado: Temas, filas: Iterable[int], asuntos: Iterable[Sequence[str]]) -> np.ndarray:
    """Por cada comentario etiquetado (``filas``: su posición en los textos de ``resultado``), True si el nombre
    o las palabras principales de su tema contienen todas las raíces de alguno de sus ``asuntos``.

    >>> t = Temas(np.array([0, 1]), {0: ("desayuno variado",), 1: ("piscina",)}, {0: "Desayuno", 1: "Piscina"},
    ...           {}, {}, {}, 2, {}, 2)
    >>> acierta_a_mano(t, [0, 1], [["desayuno"], ["aire acondicionado", "ruido"]]).tolist()
    [True, False]
    """
    aciertos = []
    for fila, anotados in zip(filas, asuntos):
        tema = resultado.etiquetas[fila]
        del_tema = _raices(normalizar(" ".join((resultado.nombres.get(tema, ""),) + resultado.palabras.get(tema, ()))
                                      .replace(",", " ")))
        aciertos.append(any(_raices(normalizar(asunto)) <= del_tema for asunto in anotados))
    return np.array(aciertos, dtype=bool)
