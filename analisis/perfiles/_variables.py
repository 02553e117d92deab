"""Las variables de los clientes: cuáles hay, cuáles se usan por omisión y cómo se llaman en español.

Las escalas de los textos («CSAT medio (1–5)») salen de ``analisis.escalas``.
"""

from collections.abc import Sequence
from dataclasses import dataclass

import pandas as pd

from analisis.escalas import ESCALA_CES, ESCALA_CSAT, texto_escala


#: Variables que ``datos.consultas.perfiles.caracteristicas_clientes`` produce, en orden de presentación.
_VARIABLES_CONSULTA = ("tipo_cliente", "segmento", "region", "antiguedad_anios", "contactos_mes", "recencia_dias",
                       "mezcla_canales", "quejas", "promesas_incumplidas", "escalados", "csat", "nps_clase", "ces")
#: Variables elegidas por omisión: quién es el cliente, cómo contacta y cómo valora el servicio.
PREDETERMINADAS: tuple[str, ...] = ("tipo_cliente", "segmento", "contactos_mes", "mezcla_canales", "quejas", "csat",
                                    "nps_clase", "ces")
#: Prefijo de las columnas de la mezcla de canales (``canal_Chat``…).
PREFIJO_CANAL = "canal_"

_ETIQUETAS = {
    "tipo_cliente": "Tipo de cliente", "segmento": "Segmento", "region": "Región",
    "antiguedad_anios": "Antigüedad (años)", "contactos_mes": "Contactos al mes",
    "recencia_dias": "Días desde el último contacto", "mezcla_canales": "Mezcla de canales",
    "quejas": "Quejas y reclamos (% de contactos)", "promesas_incumplidas": "Promesas incumplidas (% de contactos)",
    "escalados": "Casos escalados (% de contactos)", "csat": f"CSAT medio ({texto_escala(ESCALA_CSAT)})",
    "nps_clase": "Clase NPS", "ces": f"CES medio ({texto_escala(ESCALA_CES)})",
}
_PROPORCIONES = {"quejas", "promesas_incumplidas", "escalados", "mezcla_canales"}


@dataclass(frozen=True)
class Variable:
    """Una variable del agrupamiento: nombre, columnas que la forman y si es categórica."""

    nombre: str
    columnas: tuple[str, ...]
    categorica: bool


def variables_cliente(canales: Sequence[str]) -> dict[str, tuple[str, ...]]:
    """Variables de ``datos.consultas.perfiles.caracteristicas_clientes`` y sus columnas.

    La mezcla de canales es una sola variable formada por una columna ``canal_<canal>`` por canal.

    >>> variables_cliente(["Chat", "Correo"])["mezcla_canales"]
    ('canal_Chat', 'canal_Correo')
    """
    return {nombre: tuple(f"{PREFIJO_CANAL}{c}" for c in canales) if nombre == "mezcla_canales" else (nombre,)
            for nombre in _VARIABLES_CONSULTA if nombre != "mezcla_canales" or canales}


def etiqueta(variable: str, nivel: str | None = None) -> str:
    """Texto en español de una variable o de uno de sus niveles.

    >>> etiqueta("contactos_mes"), etiqueta("tipo_cliente", "externo"), etiqueta("mezcla_canales", "canal_Chat")
    ('Contactos al mes', 'Tipo de cliente: externo', 'Contactos por Chat (%)')
    """
    if nivel is None:
        return _ETIQUETAS.get(variable, variable)
    if variable == "mezcla_canales":
        return f"Contactos por {nivel.removeprefix(PREFIJO_CANAL)} (%)"
    return f"{_ETIQUETAS.get(variable, variable)}: {nivel}"


def es_numerica(serie: pd.Series) -> bool:
    """True para columnas numéricas o booleanas (las booleanas cuentan como 0/1)."""
    return pd.api.types.is_numeric_dtype(serie) or pd.api.types.is_bool_dtype(serie)


def unidad(variable: str, nivel: str | None) -> str:
    """Cómo se muestra el valor de un rasgo: 'proporcion' o 'numero'."""
    return "proporcion" if not pd.isna(nivel) or variable in _PROPORCIONES else "numero"
