"""Etapa de la cadena de cada tema, cuando sus palabras la nombran, y el tono de cada tema.

``etapas_de_temas`` compara las raíces de las palabras principales de cada tema con las del
nombre de cada etapa y con las de sus palabras afines (``AFINES``: «entrega» ↔ envío, despacho,
pedido, paquete…). Un tema va a la etapa cuya coincidencia tiene más peso (cada palabra principal
pesa 1 / su puesto, y ``PESO_NOMBRE`` veces más si trae el nombre mismo de la etapa), si alguna de sus ``PALABRAS_ETAPA`` primeras palabras coincide; si no, a
ninguna: la etapa sale de las palabras, no de las notas.

``sentimiento_por_tema`` da, por tema, la parte de sus comentarios que el modelo lee como
negativos y como positivos, con intervalo de Wilson, y su etapa.
"""

from collections.abc import Mapping, Sequence

import pandas as pd

from analisis.comentarios._repartos import sentimiento_por
from analisis.comentarios._temas import Temas
from analisis.texto import normalizar, palabras_vacias, raiz

#: Palabras afines a las etapas habituales de una cadena de servicio (por una palabra de su nombre): solo
#: sustantivos y verbos propios de la etapa; los de uso general («llegó», «funcionó») llevarían a otra etapa
#: los temas de otros negocios (la llegada a un hotel no es la entrega de un pedido).
AFINES = {
    "entrega": "envío envíos despacho reparto repartidor pedido paquete domicilio",
    "seguimiento": "seguimiento llamada llamaron confirmar posventa",
    "diagnostico": "diagnóstico revisión revisaron evaluación falla causa",
    "solucion": "solución resolver resolvieron resuelto arreglo arreglaron reparación",
    "atencion": "atención asesor asesora recepción recepcionista turno espera fila saludo recibimiento trato",
    "pago": "pago factura cobro cobraron precio tarifa cuenta reembolso",
    "instalacion": "instalación instalaron técnico visita",
    "reserva": "reserva reservación booking confirmación",
}
#: Cuántas veces más pesa una palabra principal que trae el nombre de la etapa que una afín.
PESO_NOMBRE = 3
#: Puestos de las palabras principales de un tema entre los que debe estar alguna palabra de la etapa.
PALABRAS_ETAPA = 5


def _raices_de(texto: str) -> set[str]:
    """Raíces de las palabras de un texto que no son vacías."""
    vacias = palabras_vacias()
    return {raiz(p) for p in normalizar(texto).split() if p.isalpha() and p not in vacias}


def _vocabulario_de_etapa(etapa: str) -> set[str]:
    """Raíces de las palabras afines a cada palabra del nombre de la etapa (y las del nombre)."""
    raices = _raices_de(etapa)
    afines = {raiz(normalizar(clave)): texto for clave, texto in AFINES.items()}
    return raices | {r for clave in raices if clave in afines for r in _raices_de(afines[clave])}


def _peso(frase: str, puesto: int, nombre: set[str], vocabulario: set[str]) -> float:
    """Peso de una palabra principal para una etapa: 1 / (puesto + 1), por ``PESO_NOMBRE`` si trae su nombre."""
    raices = _raices_de(frase)
    return (PESO_NOMBRE if raices & nombre else 1 if raices & vocabulario else 0) / (puesto + 1)


def etapas_de_temas(resultado: Temas, etapas: Sequence[str]) -> dict[int, str | None]:
    """Tema → etapa de la cadena que nombran sus palabras principales (o None).

    >>> from types import SimpleNamespace
    >>> r = SimpleNamespace(palabras={0: ("pedido incompleto", "paquete"), 1: ("precio",),
    ...                               2: ("tarde avisó", "entrega llegó tarde")})
    >>> etapas_de_temas(r, ["Atención inicial", "Entrega", "Seguimiento"])
    {0: 'Entrega', 1: None, 2: 'Entrega'}
    """
    vocabularios = {etapa: _vocabulario_de_etapa(etapa) for etapa in etapas}
    nombres = {etapa: _raices_de(etapa) for etapa in etapas}
    resultado_etapas = {}
    for tema, palabras in resultado.palabras.items():
        puntos = {etapa: sum(_peso(frase, puesto, nombres[etapa], vocab) for puesto, frase in enumerate(palabras))
                  for etapa, vocab in vocabularios.items()}
        nombrada = {etapa for etapa, vocab in vocabularios.items()
                    if any(_raices_de(frase) & vocab for frase in palabras[:PALABRAS_ETAPA])}
        candidatas = {etapa: p for etapa, p in puntos.items() if etapa in nombrada}
        resultado_etapas[tema] = max(candidatas, key=candidatas.get) if candidatas else None
    return resultado_etapas


def sentimiento_por_tema(asignados: pd.DataFrame, resultado: Temas, etapas: Mapping[int, str | None], *,
                         muestra_minima: int = 30, privacidad: int = 0) -> pd.DataFrame:
    """Una fila por tema con sentimiento: ``tema``, ``nombre``, ``etapa``, ``n`` (comentarios con sentimiento),
    ``negativos`` y ``positivos`` (proporciones) con sus intervalos de Wilson (``neg_inf``, ``neg_sup``,
    ``pos_inf``, ``pos_sup``) y ``suficiente``. Ordenado de mayor a menor parte negativa."""
    columnas = ["tema", "nombre", "etapa", "n", "negativos", "neg_inf", "neg_sup", "positivos", "pos_inf", "pos_sup",
                "suficiente"]
    con_tema = asignados.loc[asignados["tema"].isin(list(resultado.nombres)), ["tema", "sentimiento"]]
    if con_tema.empty or con_tema["sentimiento"].isna().all():
        return pd.DataFrame(columns=columnas)
    reparto = sentimiento_por(con_tema, "tema", muestra_minima=muestra_minima, privacidad=privacidad)
    ancho = reparto.pivot(index="grupo", columns="sentimiento")
    tabla = pd.DataFrame({
        "tema": ancho.index.astype(int), "nombre": [resultado.nombres[t] for t in ancho.index],
        "etapa": [etapas.get(t) for t in ancho.index], "n": ancho[("n_grupo", "negativo")].to_numpy(),
        "negativos": ancho[("proporcion", "negativo")].to_numpy(), "neg_inf": ancho[("ic_inf", "negativo")].to_numpy(),
        "neg_sup": ancho[("ic_sup", "negativo")].to_numpy(), "positivos": ancho[("proporcion", "positivo")].to_numpy(),
        "pos_inf": ancho[("ic_inf", "positivo")].to_numpy(), "pos_sup": ancho[("ic_sup", "positivo")].to_numpy(),
        "suficiente": ancho[("suficiente", "negativo")].to_numpy(dtype=bool)})
    return tabla.sort_values(["negativos", "tema"], ascending=[False, True], na_position="last")[columnas].reset_index(
        drop=True)
