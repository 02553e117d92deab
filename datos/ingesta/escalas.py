"""Las escalas con que la organización escribe cada medida en sus archivos, y sus códigos «no aplica».

Eslabón guarda cada medida en su escala común (``analisis.escalas``: CSAT 1–5, NPS 0–10, CES 1–7,
etapas 1–5); un archivo puede traerla en otra (CSAT 1–10, sí/no…), y la carga la convierte de forma
lineal: el mínimo del archivo va al mínimo común y el máximo al máximo. Un código «no aplica» (el 0 de
una encuesta que va de 1 a 5) se guarda vacío, nunca como error, y se cuenta en el informe de la carga.
En las auditorías la escala la da cada archivo (1–5, 0–100 o cumple); de ellas solo se configuran
los códigos «no aplica».

La tabla ``escalas_medidas`` guarda lo configurado; una medida sin fila usa su escala común.

>>> Escala(1, 10).a_comun(10, (1, 5))
5.0
"""

from dataclasses import dataclass

import duckdb

from analisis.escalas import ESCALA_CES, ESCALA_CSAT, ESCALA_NPS, texto_escala

__all__ = ["Escala", "MEDIDAS", "NOMBRES_MEDIDAS", "ESCALA_AUDITORIAS", "escalas_configuradas", "medida_de_destino"]

#: Medidas con escala configurable y su escala común (la de ``analisis.escalas``); las auditorías no tienen una.
MEDIDAS: dict[str, tuple[float, float] | None] = {
    "csat": ESCALA_CSAT, "nps": ESCALA_NPS, "ces": ESCALA_CES, "etapas": ESCALA_CSAT, "auditorias": None,
}
#: Nombre visible de cada medida.
NOMBRES_MEDIDAS: dict[str, str] = {
    "csat": "CSAT (satisfacción)", "nps": "NPS (recomendación)", "ces": "CES (esfuerzo)",
    "etapas": "Calificaciones por etapa", "auditorias": "Competencias auditadas",
}
#: La medida de las auditorías, cuya escala da cada archivo.
ESCALA_AUDITORIAS = "auditorias"


@dataclass(frozen=True)
class Escala:
    """Cómo escribe un archivo una medida: de ``minimo`` a ``maximo``, y qué códigos significan «no aplica».

    En las auditorías ``minimo`` y ``maximo`` son ``None`` (la escala la da cada archivo).
    """

    minimo: float | None
    maximo: float | None
    sin_dato: tuple[float, ...] = ()

    def texto(self) -> str:
        """La escala como la lee un usuario: '1–10', con sus códigos «no aplica»."""
        rango = texto_escala((self.minimo, self.maximo)) if self.minimo is not None else "la del archivo"
        if not self.sin_dato:
            return rango
        return f"{rango}; «no aplica»: " + ", ".join(f"{c:g}".replace(".", ",") for c in self.sin_dato)

    def a_comun(self, valor: float, comun: tuple[float, float]) -> float:
        """``valor`` de esta escala llevado de forma lineal a la escala ``comun``."""
        return comun[0] + (valor - self.minimo) * (comun[1] - comun[0]) / (self.maximo - self.minimo)


def _predeterminada(medida: str) -> Escala:
    """La escala común de ``medida``, sin códigos «no aplica»."""
    comun = MEDIDAS[medida]
    return Escala(None, None) if comun is None else Escala(float(comun[0]), float(comun[1]))


def escalas_configuradas(con: duckdb.DuckDBPyConnection) -> dict[str, Escala]:
    """Medida -> ``Escala`` de cada medida de ``MEDIDAS``: la configurada o, si no hay, la común."""
    escalas = {medida: _predeterminada(medida) for medida in MEDIDAS}
    for medida, minimo, maximo, sin_dato in con.execute(
            "SELECT medida, minimo, maximo, sin_dato FROM escalas_medidas").fetchall():
        if medida in escalas:
            escalas[medida] = Escala(minimo, maximo, tuple(float(c) for c in sin_dato or ()))
    return escalas


def medida_de_destino(destino: str) -> str | None:
    """La medida de un destino del mapeo: 'csat', 'nps', 'ces', 'etapas' (``etapa:…``), 'auditorias'
    (``competencia:…``) o ``None`` si el destino no es una calificación.

    >>> medida_de_destino("etapa:Entrega"), medida_de_destino("fecha")
    ('etapas', None)
    """
    prefijo = destino.partition(":")[0]
    if destino in ("csat", "nps", "ces"):
        return destino
    return {"etapa": "etapas", "competencia": ESCALA_AUDITORIAS}.get(prefijo) if ":" in destino else None
