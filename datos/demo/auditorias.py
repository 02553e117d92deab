"""Auditorías de la demostración: interacciones reales de cada agente, con sus 15 competencias.

Cada competencia se puntúa en escala 1–5 alrededor del nivel del agente (más bajo en sus
competencias débiles, ``BRECHAS``); ≈2 % quedan como N/A y ≈35 % de las auditorías llevan comentario.
"""

import numpy as np

from datos.almacen.esquema import COMPETENCIAS
from datos.demo.azar import extremos, nota, sumar_sin_pasar
from datos.demo.hechos import AUDITORES, DIA

__all__ = ["generar_auditorias", "textos_auditoria"]

_COMENTARIOS_AUDITORIA_MALOS = {
    "lealtad_confianza": "Debe generar más confianza en el cliente",
    "empatia": "Le falta ponerse en el lugar del cliente",
    "comunicacion": "Debe comunicar con más claridad",
    "manejo_tension": "Perdió la calma ante el cliente molesto",
    "escucha": "Interrumpe al cliente; debe escuchar con atención",
    "alerta": "No detectó las señales de lo que necesitaba el cliente",
    "trabajo_equipo": "No coordinó con el área responsable",
    "confiabilidad": "Prometió algo que no se podía cumplir",
    "motivacion": "Se le notó desmotivado",
    "resolucion": "No logró resolver el problema del cliente",
    "imagen": "Debe cuidar la imagen profesional",
    "conocimiento_empresa": "Desconoce productos y procesos de la empresa",
    "energia": "Perdió energía hacia el final de la atención",
    "destreza_tecnica": "Le faltó dominio técnico del sistema",
    "organizacion": "Debe registrar el caso de forma más ordenada",
}


def generar_auditorias(rng: np.random.Generator, n: int, interacciones: dict, agentes: dict) -> dict[str, np.ndarray]:
    """Auditorías de interacciones reales de cada agente, con las 15 competencias en escala 1–5."""
    por_agente = np.argsort(interacciones["agente"], kind="stable")
    conteo = np.bincount(interacciones["agente"], minlength=agentes["rol"].size)
    comienzo = np.concatenate([[0], np.cumsum(conteo)[:-1]])
    con_interacciones = np.flatnonzero(conteo)
    agente = con_interacciones[rng.integers(0, con_interacciones.size, size=n)]
    interaccion = por_agente[comienzo[agente] + (rng.random(n) * conteo[agente]).astype(np.int64)]
    fecha = sumar_sin_pasar(rng, interacciones["inicio"][interaccion], rng.integers(DIA, 10 * DIA, size=n))
    orden = np.argsort(fecha, kind="stable")
    agente, interaccion, fecha = agente[orden], interaccion[orden], fecha[orden]
    valores = nota(agentes["nivel"][agente] + rng.normal(0, 0.3, (n, 1))
                    + rng.normal(0, 0.55, (n, len(COMPETENCIAS))), 1, 5)
    valores[rng.random(valores.shape) < 0.02] = np.nan
    return {
        "agente": agente,
        "interaccion": interaccion,
        "fecha": fecha,
        "auditor": rng.integers(0, len(AUDITORES), size=n),
        "valores": valores,
        "comentario": _comentarios_auditoria(rng, valores),
    }


def _comentarios_auditoria(rng: np.random.Generator, valores: np.ndarray) -> np.ndarray:
    """Código de comentario por auditoría (−1 sin comentario, ≈35 % con él).

    Con alguna competencia en 1–2 se pide reforzar la peor; si no, se destaca la mejor
    (índices de ``textos_auditoria``).
    """
    peor, mejor = extremos(rng, valores)
    comentario = np.where(np.fmin.reduce(valores, axis=1) <= 2, peor, len(COMPETENCIAS) + mejor)
    return np.where(rng.random(valores.shape[0]) < 0.35, comentario, -1)


def textos_auditoria() -> list[str]:
    """Comentarios de auditoría: primero la mejora de cada competencia, luego su fortaleza."""
    return ([_COMENTARIOS_AUDITORIA_MALOS[codigo] for codigo, _ in COMPETENCIAS]
            + [f"Destaca: {nombre[0].lower()}{nombre[1:]}" for _, nombre in COMPETENCIAS])
