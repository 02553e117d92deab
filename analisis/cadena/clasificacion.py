"""Una etapa, una clasificación: la que usan el mapa de cuadrantes, las tablas y el diagrama de la cadena.

Antes el mapa cortaba por el desempeño medio de las etapas y la tabla y el diagrama por la meta: una etapa podía ser
«Posible exceso» en el mapa y «Bajo la meta» en la tabla. Aquí cada etapa recibe una sola clase, de dos preguntas:

* **¿Alcanza su referencia?** (la meta de la etapa, o la mejor etapa si no hay metas o se mide el top-2-box):
  ``frente`` = desempeño − referencia, con su intervalo al 95 %. Un ``frente`` negativo deja la etapa a la izquierda
  del mapa; el intervalo dice además si queda claramente por debajo («Bajo la meta») o si la incluye («Cerca de la
  meta»).
* **¿Pesa mucho en el resultado?** Sí si su parte del R² llega a ``IMPORTANCIA_ALTA`` veces el reparto parejo (1/k
  con k etapas en el modelo), el corte de Martilla y James (1977) con la importancia media.

Clases (``CLASES``): el eslabón más débil (el de mayor peso × brecha, que nombra el titular); «Concentrar aquí»
(pesa mucho y no alcanza), «Baja prioridad» (pesa poco y no alcanza), «Mantener» (pesa mucho y alcanza), «Posible
exceso» (pesa poco y alcanza), «Muestra insuficiente» y «Fuera del modelo».
"""

import math
from dataclasses import dataclass

import pandas as pd

from analisis.cadena.eslabon import ResultadoCadena
from analisis.cadena.validacion import validar_muestra_minima
from analisis.escalas import IMPORTANCIA_ALTA

__all__ = ["Clase", "CLASES", "ClasificacionCadena", "clasificar_etapas", "texto_nivel"]


@dataclass(frozen=True, kw_only=True)
class Clase:
    """Cómo se ve y se lee una clase de etapa en el mapa, el diagrama y las tablas: ``etiqueta`` (nombre en español),
    ``color`` (del punto y del borde), ``borde`` (ancho del borde de la caja), ``relleno`` (de la caja) y
    ``significado`` (para la leyenda)."""

    etiqueta: str
    color: str
    borde: int = 2
    relleno: str
    significado: str


#: Las clases, en el orden de la leyenda. Rojo, naranja y pardo: no alcanza su referencia; verdes: la alcanza; gris:
#: sin cifra.
CLASES: dict[str, Clase] = {
    "debil": Clase(etiqueta="Eslabón más débil", color="#c62828", borde=4, relleno="#fdecea",
                   significado="la mayor prioridad (importancia × brecha)"),
    "concentrar": Clase(etiqueta="Concentrar aquí", color="#ef6c00", relleno="#fff3e0",
                        significado="pesa mucho y no alcanza su referencia"),
    "baja": Clase(etiqueta="Baja prioridad", color="#8d6e63", relleno="#efebe9",
                  significado="pesa poco y no alcanza su referencia"),
    "mantener": Clase(etiqueta="Mantener", color="#2e7d32", relleno="#e8f5e9",
                      significado="pesa mucho y alcanza su referencia"),
    "exceso": Clase(etiqueta="Posible exceso", color="#66bb6a", relleno="#f1f8e9",
                    significado="pesa poco y alcanza su referencia"),
    "insuficiente": Clase(etiqueta="Muestra insuficiente", color="#8d99a6", borde=1, relleno="#f5f5f5",
                          significado="menos calificaciones que la muestra mínima"),
    "fuera": Clase(etiqueta="Fuera del modelo", color="#b0b7bf", borde=1, relleno="#f5f5f5",
                   significado="sin calificaciones suficientes o sin variación"),
}
#: Los cuatro cuadrantes del mapa: (pesa mucho?, alcanza?) → clase.
_CUADRANTE = {(True, False): "concentrar", (False, False): "baja", (True, True): "mantener", (False, True): "exceso"}


@dataclass(frozen=True)
class ClasificacionCadena:
    """La clase de cada etapa y los cortes del mapa.

    ``etapas``: una fila por etapa (en el orden de la cadena) con ``numero`` (1, 2…), ``clase`` (clave de
    ``CLASES``), ``etiqueta``, ``color``, ``relleno``, ``nivel`` ('bajo', 'cerca', 'alcanza' o None sin cifra),
    ``estado`` (el nivel en palabras), ``alta`` (pesa mucho; NA fuera del modelo), ``frente``, ``frente_inf``,
    ``frente_sup`` (desempeño − referencia y su intervalo) y ``proporcion`` (parte del R²).
    ``corte_importancia``: parte del R² desde la que una etapa pesa mucho; ``referencia``: 'meta' o 'mejor etapa';
    ``medida``: 'media' o 'top2'.
    """

    etapas: pd.DataFrame
    corte_importancia: float
    referencia: str
    medida: str


def texto_nivel(nivel: str | None, referencia: str) -> str:
    """El nivel de una etapa frente a su referencia, en palabras.

    >>> texto_nivel("cerca", "meta"), texto_nivel("bajo", "mejor etapa")
    ('Cerca de la meta (el IC la incluye)', 'Bajo la mejor etapa')
    """
    objeto = "la meta" if referencia == "meta" else "la mejor etapa"
    return {"bajo": f"Bajo {objeto}", "cerca": f"Cerca de {objeto} (el IC la incluye)",
            "alcanza": "Cumple la meta" if referencia == "meta" else "Iguala a la mejor etapa",
            None: "Sin cifra"}[nivel]


def _nivel(frente: float, superior: float) -> str | None:
    """'alcanza' (frente ≥ 0), 'cerca' (frente < 0 pero el intervalo llega a 0), 'bajo' o None sin cifra."""
    if math.isnan(frente):
        return None
    if frente >= 0:
        return "alcanza"
    return "cerca" if not math.isnan(superior) and superior >= 0 else "bajo"


def _clase(etapa: str, fila: pd.Series, nivel: str | None, alta, eslabon: str | None, muestra_minima: int) -> str:
    """La clase de una etapa: eslabón, fuera del modelo, muestra insuficiente o su cuadrante."""
    if etapa == eslabon:
        return "debil"
    if not fila["incluida"] or nivel is None or pd.isna(alta):
        return "fuera"
    if fila["n"] < muestra_minima:
        return "insuficiente"
    return _CUADRANTE[(bool(alta), nivel == "alcanza")]


def clasificar_etapas(resultado: ResultadoCadena, *, muestra_minima: int = 30) -> ClasificacionCadena:
    """Una clase por etapa de ``resultado`` (ver el módulo); ``muestra_minima`` marca las de pocas calificaciones.

    >>> import numpy as np
    >>> tabla = pd.DataFrame({"incluida": [True, True, True], "n": [100, 100, 100], "proporcion": [0.6, 0.3, 0.1],
    ...     "desempeno": [3.5, 4.3, 3.95], "desempeno_inf": [3.4, 4.2, 3.85], "desempeno_sup": [3.6, 4.4, 4.05],
    ...     "referencia": [4.0, 4.0, 4.0]}, index=pd.Index(["A", "B", "C"], name="etapa"))
    >>> r = ResultadoCadena(tabla, 0.5, np.nan, np.nan, "A", np.nan, "continuo", "media", "meta", (1, 5), 100, 0)
    >>> c = clasificar_etapas(r).etapas
    >>> c["etiqueta"].tolist(), c["estado"].tolist()[2]
    (['Eslabón más débil', 'Posible exceso', 'Baja prioridad'], 'Cerca de la meta (el IC la incluye)')
    """
    validar_muestra_minima(muestra_minima)
    tabla = resultado.importancia
    incluidas = tabla["incluida"].astype(bool)
    corte = IMPORTANCIA_ALTA / max(int(incluidas.sum()), 1)
    frente = tabla["desempeno"] - tabla["referencia"]
    filas = []
    for numero, (etapa, fila) in enumerate(tabla.iterrows(), start=1):
        superior = float(fila["desempeno_sup"] - fila["referencia"])
        nivel = _nivel(float(frente[etapa]), superior)
        alta = bool(fila["proporcion"] >= corte) if fila["incluida"] and not math.isnan(fila["proporcion"]) else pd.NA
        clase = _clase(etapa, fila, nivel, alta, resultado.eslabon_mas_debil, muestra_minima)
        filas.append({"etapa": etapa, "numero": numero, "clase": clase, "etiqueta": CLASES[clase].etiqueta,
                      "color": CLASES[clase].color, "relleno": CLASES[clase].relleno, "nivel": nivel,
                      "estado": texto_nivel(nivel, resultado.referencia), "alta": alta,
                      "frente": float(frente[etapa]), "frente_inf": float(fila["desempeno_inf"] - fila["referencia"]),
                      "frente_sup": superior, "proporcion": float(fila["proporcion"])})
    etapas = pd.DataFrame(filas).set_index("etapa")
    etapas["alta"] = etapas["alta"].astype("boolean")
    return ClasificacionCadena(etapas, corte, resultado.referencia, resultado.medida)
