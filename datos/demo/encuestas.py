"""Encuestas de la demostración: calificaciones por etapa, CSAT, NPS, CES y comentarios con su tono.

Las cinco etapas comparten una satisfacción latente; el CSAT es su suma ponderada
(``PESOS_ETAPAS``), y NPS y CES siguen al CSAT. Los comentarios citan la peor etapa si el
cliente quedó insatisfecho y la mejor si quedó satisfecho (``COMENTARIOS_MALOS``, ``COMENTARIOS_BUENOS``).
"""

import numpy as np

from analisis.escalas import CSAT_INSATISFECHO_HASTA, CSAT_SATISFECHO, ESCALA_CES, ESCALA_CSAT, ESCALA_NPS
from datos.demo.azar import extremos, nota, sumar_sin_pasar
from datos.demo.clientes_interacciones import (MOTIVO_SATISFACCION, PERFIL_SATISFACCION, en_caida,
                                               probabilidad_promesa)
from datos.demo.hechos import CANAL_PREFERIDO, CANALES, ETAPAS, PERFILES, PESOS_ETAPAS, ULTIMO_SEGUNDO

__all__ = ["generar_encuestas", "textos_comentarios", "COMENTARIOS_MALOS", "COMENTARIOS_BUENOS"]

_FRACCION_ENCUESTAS_CON_INTERACCION = 0.92

# Etapas: media latente, desviación propia y efectos de la interacción sobre cada una.
_ETAPA_MEDIA = np.array([4.70, 4.50, 4.40, 3.75, 4.45])
_ETAPA_DESVIO = np.array([0.70, 0.70, 0.75, 0.85, 0.75])
_PESOS = np.array([PESOS_ETAPAS[e] for e in ETAPAS])
_EFECTO_CAIDA = -0.15
_CSAT_BASE, _NPS_BASE, _CES_BASE = 4.45, 9.5, 5.4  # nivel del CSAT latente y de NPS y CES para ese CSAT

#: Comentarios de un cliente insatisfecho: tres por etapa, citan la peor. Cada uno nombra el asunto de su etapa
#: (atención inicial, diagnóstico, arreglo, entrega, seguimiento), como lo haría un cliente que se queja de ella:
#: un texto sin esa palabra no dice a qué etapa se refiere y el modelo de temas lo juntaría con otra. La etapa
#: «Solución» dice «arreglo»: «solución» es también palabra de tono («sin solución») y los temas no la leen.
COMENTARIOS_MALOS = {
    "Atención inicial": ("En la atención inicial me dejaron esperando demasiado",
                         "La atención inicial fue fría y poco amable",
                         "Nadie me orientó en la atención inicial"),
    "Diagnóstico": ("En el diagnóstico no entendieron lo que me pasaba",
                    "Tuve que explicar el caso varias veces para el diagnóstico",
                    "El diagnóstico estuvo equivocado"),
    "Solución": ("No hubo un arreglo real",
                 "El arreglo no funcionó y tuve que volver a llamar",
                 "Me ofrecieron un arreglo a medias"),
    "Entrega": ("La entrega llegó tarde y nadie avisó",
                "No cumplieron la fecha de entrega prometida",
                "La entrega del pedido llegó incompleta"),
    "Seguimiento": ("Nadie hizo seguimiento para saber cómo terminó",
                    "Prometieron hacer seguimiento y nunca lo hicieron",
                    "Sin seguimiento: no me informaron cómo iba mi caso"),
}
#: Comentarios de un cliente satisfecho: tres por etapa, citan la mejor (y nombran su asunto, como los malos).
COMENTARIOS_BUENOS = {
    "Atención inicial": ("Muy amable la atención inicial",
                         "La atención inicial fue rápida y con buena disposición",
                         "Excelente atención inicial desde el primer momento"),
    "Diagnóstico": ("Acertaron el diagnóstico a la primera",
                    "El asesor hizo el diagnóstico rápido",
                    "Muy claro el diagnóstico"),
    "Solución": ("Me dieron un arreglo efectivo y duradero",
                 "Arreglaron mi caso sin complicaciones",
                 "El arreglo funcionó perfecto"),
    "Entrega": ("La entrega llegó a tiempo",
                "Cumplieron la fecha de entrega",
                "La entrega llegó completa y en buen estado"),
    "Seguimiento": ("Buen seguimiento: me llamaron después para confirmar que todo estaba bien",
                    "Buen seguimiento del caso",
                    "Con el seguimiento me mantuvieron informado todo el tiempo"),
}
_FRAGMENTO_BUENO = ("la atención inicial fue buena", "el diagnóstico fue acertado", "el arreglo fue correcto",
                    "la entrega fue puntual", "el seguimiento fue bueno")
_FRAGMENTO_MALO = ("la atención inicial tardó", "el diagnóstico no fue claro", "el arreglo quedó a medias",
                   "la entrega se demoró", "faltó seguimiento")
_COMENTARIO_NEUTRO = "Servicio correcto, sin nada que destacar"


def generar_encuestas(rng: np.random.Generator, n: int, interacciones: dict, clientes: dict,
                       agentes: dict) -> dict[str, np.ndarray]:
    """Encuestas (la mayoría ligadas a una interacción) con etapas, CSAT, NPS, CES y comentario."""
    contexto = _contexto_encuestas(rng, n, interacciones, clientes)
    latente = (rng.normal(0, 0.6, n) + PERFIL_SATISFACCION[clientes["perfil"][contexto["cliente"]]]
               + np.where(contexto["agente"] >= 0, agentes["efecto"][contexto["agente"]], 0.0)
               - 0.7 * ~contexto["resuelto"] - 0.15 * contexto["escalado"]
               + np.where(contexto["motivo"] >= 0, MOTIVO_SATISFACCION[contexto["motivo"]], 0.0)
               + _EFECTO_CAIDA * en_caida(contexto["sucursal"], contexto["experiencia"]))
    etapas = _ETAPA_MEDIA + latente[:, None] + rng.normal(0, 1, (n, len(ETAPAS))) * _ETAPA_DESVIO
    etapas[:, ETAPAS.index("Atención inicial")] -= 0.5 * (contexto["respuesta_min"] > 30)
    etapas[:, ETAPAS.index("Solución")] -= 0.5 * ~contexto["resuelto"]
    etapas[:, ETAPAS.index("Entrega")] -= 1.1 * ~contexto["promesa"]
    csat_latente = _CSAT_BASE + (etapas - _ETAPA_MEDIA) @ _PESOS + rng.normal(0, 0.45, n)
    csat = nota(csat_latente, *ESCALA_CSAT)
    calificaciones = nota(etapas, *ESCALA_CSAT)  # las etapas se califican como el CSAT
    calificaciones[rng.random(calificaciones.shape) < 0.03] = np.nan
    nps = nota(_NPS_BASE + 2.3 * (csat_latente - _CSAT_BASE) + rng.normal(0, 1.2, n), *ESCALA_NPS)
    ces = nota(_CES_BASE + 0.9 * (csat_latente - _CSAT_BASE) + rng.normal(0, 0.9, n), *ESCALA_CES)
    contexto.update({
        "csat": csat,
        "nps": np.where(rng.random(n) < 0.03, np.nan, nps),
        "ces": np.where(rng.random(n) < 0.10, np.nan, ces),
        "etapas": calificaciones,
        "comentario": _comentarios(rng, csat, calificaciones),
    })
    return contexto


def _contexto_encuestas(rng: np.random.Generator, n: int, interacciones: dict, clientes: dict) -> dict:
    """Cliente, canal, sucursal, fecha y desenlace vividos por cada encuestado, en orden de fecha.

    Las encuestas ligadas (a interacciones ya cerradas) copian todo de su interacción y llegan
    horas o días después del cierre; las libres (relacionales) usan el canal preferido y la
    sucursal habitual del cliente.
    """
    cerradas = np.flatnonzero(~interacciones["abierta"])
    n_ligadas = min(cerradas.size, round(n * _FRACCION_ENCUESTAS_CON_INTERACCION))
    n_libres = n - n_ligadas
    ligada = np.sort(rng.choice(cerradas, size=n_ligadas, replace=False))
    cliente_libre = rng.integers(0, clientes["perfil"].size, size=n_libres)
    sucursal_libre = clientes["sucursal"][cliente_libre]
    experiencia_libre = rng.integers(0, ULTIMO_SEGUNDO, size=n_libres)
    canal_libre = np.array([CANALES.index(CANAL_PREFERIDO[p]) for p in PERFILES])[clientes["perfil"][cliente_libre]]
    promesa_libre = rng.random(n_libres) < probabilidad_promesa(
        sucursal_libre, experiencia_libre, np.zeros(n_libres, dtype=np.int16))
    retraso = np.rint(rng.lognormal(np.log(18 * 3600), 1.0, n_ligadas)).astype(np.int64)
    contexto = {
        "interaccion": np.concatenate([ligada, np.full(n_libres, -1)]),
        "cliente": np.concatenate([interacciones["cliente"][ligada], cliente_libre]),
        "agente": np.concatenate([interacciones["agente"][ligada], np.full(n_libres, -1)]),
        "canal": np.concatenate([interacciones["canal"][ligada], canal_libre]),
        "sucursal": np.concatenate([interacciones["sucursal"][ligada], sucursal_libre]),
        "motivo": np.concatenate([interacciones["motivo"][ligada], np.full(n_libres, -1)]),
        "experiencia": np.concatenate([interacciones["inicio"][ligada], experiencia_libre]),
        "fecha": np.concatenate([sumar_sin_pasar(rng, interacciones["fin"][ligada], retraso),
                                 experiencia_libre]),
        "resuelto": np.concatenate([interacciones["resuelto"][ligada], np.ones(n_libres, dtype=bool)]),
        "escalado": np.concatenate([interacciones["escalado"][ligada], np.zeros(n_libres, dtype=bool)]),
        "promesa": np.concatenate([interacciones["promesa"][ligada], promesa_libre]),
        "respuesta_min": np.concatenate([interacciones["respuesta_min"][ligada], np.zeros(n_libres)]),
    }
    orden = np.argsort(contexto["fecha"], kind="stable")
    contexto = {campo: valores[orden] for campo, valores in contexto.items()}
    contexto["tipo"] = clientes["tipo"][contexto["cliente"]]
    return contexto


def textos_comentarios() -> tuple[list[str], np.ndarray]:
    """Textos únicos de comentario y el índice de cada plantilla en ellos.

    Plantillas: 15 negativas (etapa × 3), 15 positivas (etapa × 3) y 25 mixtas
    (mejor etapa × peor etapa; la diagonal es neutra).
    """
    plantillas = [texto for etapa in ETAPAS for texto in COMENTARIOS_MALOS[etapa]]
    plantillas += [texto for etapa in ETAPAS for texto in COMENTARIOS_BUENOS[etapa]]
    plantillas += [_COMENTARIO_NEUTRO if mejor == peor else f"{_FRAGMENTO_BUENO[mejor].capitalize()}, "
                   f"pero {_FRAGMENTO_MALO[peor]}" for mejor in range(len(ETAPAS)) for peor in range(len(ETAPAS))]
    textos, indice = np.unique(np.array(plantillas), return_inverse=True)
    return textos.tolist(), indice


def _comentarios(rng: np.random.Generator, csat: np.ndarray, etapas: np.ndarray) -> np.ndarray:
    """Código de comentario por encuesta (−1 sin comentario), con el tono del CSAT.

    Un CSAT insatisfecho (1–2) cita la peor etapa, uno satisfecho (4–5) la mejor y el 3 ambas
    (o ninguna si todas valen lo mismo). Las notas bajas comentan más.
    """
    n = csat.size
    peor, mejor = extremos(rng, etapas)
    peor = np.where(np.fmax.reduce(etapas, axis=1) == np.fmin.reduce(etapas, axis=1), mejor, peor)
    variante = rng.integers(0, 3, size=n)
    insatisfecho = csat <= CSAT_INSATISFECHO_HASTA
    plantilla = np.where(insatisfecho, peor * 3 + variante,
                         np.where(csat >= CSAT_SATISFECHO, 15 + mejor * 3 + variante, 30 + mejor * 5 + peor))
    comenta = rng.random(n) < np.where(insatisfecho, 0.6, 0.36)
    _, indice = textos_comentarios()
    return np.where(comenta, indice[plantilla], -1)
