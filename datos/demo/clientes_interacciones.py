"""Clientes, agentes e interacciones de la demostración: perfiles, equipos, turnos, recontactos y la caída.

Los perfiles de clientes deciden canal, motivo y frecuencia; los agentes con brechas
(``BRECHAS``) resuelven menos; la promesa se incumple más en ``SUCURSAL_CAIDA`` durante la caída.
``en_caida`` y ``probabilidad_promesa`` los usan también las encuestas libres.
"""

import numpy as np

from datos.almacen.esquema import COMPETENCIAS
from datos.demo.azar import muestra_ponderada, por_grupo, sumar_sin_pasar
from datos.demo.hechos import (BRECHAS, CAIDA_DESDE, CAIDA_HASTA, DIA, DIAS, EQUIPOS, ETAPAS, FECHA_INICIO, PERFILES,
                               ROLES, SUCURSAL_CAIDA, SUCURSALES, T0, TURNOS, ULTIMO_SEGUNDO)

__all__ = ["generar_clientes", "generar_agentes", "generar_interacciones", "en_caida", "probabilidad_promesa",
           "PERFIL_SATISFACCION", "MOTIVO_SATISFACCION"]

_SUCURSAL_DE_REGION = np.array([0, 1, 2, 3, 2])

# Por perfil (mismo orden que PERFILES): tipo de cliente, proporción de clientes, frecuencia de
# contacto relativa, desplazamiento de la satisfacción latente y distribuciones de categorías.
_PERFIL_TIPO = np.array([0, 0, 1, 2])
_PERFIL_PROPORCION = np.array([0.25, 0.40, 0.13, 0.22])
_PERFIL_FRECUENCIA = np.array([3.0, 1.0, 2.5, 1.5])
PERFIL_SATISFACCION = np.array([-0.55, 0.35, -0.05, 0.15])
_PERFIL_SEGMENTO = np.array([  # Hogar, Pyme, Corporativo, Distribuidor, Área interna
    [0.65, 0.25, 0.10, 0.0, 0.0],
    [0.55, 0.30, 0.15, 0.0, 0.0],
    [0.0, 0.0, 0.0, 1.0, 0.0],
    [0.0, 0.0, 0.0, 0.0, 1.0],
])
_PERFIL_REGION = np.array([  # Norte, Sur, Centro, Oriente, Occidente
    [0.25, 0.20, 0.20, 0.20, 0.15],
    [0.22, 0.18, 0.30, 0.15, 0.15],
    [0.30, 0.15, 0.15, 0.30, 0.10],
    [0.20, 0.15, 0.45, 0.10, 0.10],
])
_PERFIL_CANAL = np.array([  # Teléfono, Correo, Chat, Presencial, WhatsApp
    [0.60, 0.08, 0.07, 0.17, 0.08],
    [0.08, 0.17, 0.30, 0.07, 0.38],
    [0.22, 0.58, 0.05, 0.10, 0.05],
    [0.12, 0.33, 0.45, 0.08, 0.02],
])
_PERFIL_MOTIVO = np.array([  # consulta, queja, reclamo, solicitud, nuevo negocio
    [0.30, 0.25, 0.20, 0.20, 0.05],
    [0.45, 0.06, 0.04, 0.30, 0.15],
    [0.20, 0.08, 0.07, 0.35, 0.30],
    [0.40, 0.08, 0.02, 0.48, 0.02],
])
_MOTIVO_ETAPA = np.array([  # Atención inicial, Diagnóstico, Solución, Entrega, Seguimiento
    [0.45, 0.35, 0.10, 0.05, 0.05],
    [0.10, 0.10, 0.20, 0.45, 0.15],
    [0.05, 0.10, 0.25, 0.45, 0.15],
    [0.10, 0.15, 0.35, 0.30, 0.10],
    [0.50, 0.20, 0.10, 0.15, 0.05],
])
_MOTIVO_ESCALADO = np.array([0.03, 0.12, 0.22, 0.06, 0.04])
_MOTIVO_RESOLUCION_H = np.array([2.0, 24.0, 48.0, 12.0, 24.0])  # mediana de horas
MOTIVO_SATISFACCION = np.array([0.0, -0.25, -0.35, 0.0, 0.05])
_CANAL_RESPUESTA_MIN = np.array([7.2, 36.0, 8.4, 9.6, 17.0])  # mediana de minutos
_HORA_PESO = np.array([4, 4, 4, 4, 4, 4, 15, 35, 70, 90, 95, 90, 70, 65, 75, 80, 75, 65, 50, 35, 25, 16, 10, 6],
                      dtype=float)

_PROMESA_BASE, _PROMESA_QUEJA, _PROMESA_CAIDA = 0.905, 0.86, 0.64
_FRACCION_RECONTACTO = 0.16
_FRACCION_ENCUESTAS_CON_INTERACCION = 0.92

_EFECTO_BRECHA_AGENTE = -0.65
_COMPETENCIA_MEDIA = np.array([4.2, 4.1, 4.0, 3.9, 4.1, 4.0, 4.2, 4.3, 4.0, 3.9, 4.4, 3.8, 4.1, 3.8, 4.0])
_BRECHA_COMPETENCIA = -1.5

_NOMBRES = ("Ana", "Carlos", "Lucía", "Javier", "María", "Andrés", "Paula", "Diego", "Camila", "Sergio",
            "Valentina", "Miguel", "Daniela", "Luis", "Sofía", "Jorge", "Natalia", "Felipe", "Carolina", "Pedro",
            "Laura", "Ricardo", "Gabriela", "Tomás", "Isabel", "Manuel", "Mariana", "Alejandro", "Verónica",
            "Julián", "Adriana", "Esteban", "Claudia", "Raúl", "Juliana", "Mauricio", "Lorena", "Héctor",
            "Paola", "Iván")
_APELLIDOS = ("García", "Rodríguez", "Martínez", "López", "González", "Pérez", "Sánchez", "Ramírez", "Torres",
              "Flores", "Rivera", "Gómez", "Díaz", "Morales", "Vargas", "Castro", "Ortiz", "Rojas", "Herrera",
              "Medina", "Aguilar", "Vega", "Ruiz", "Mendoza", "Navarro", "Cruz", "Reyes", "Jiménez", "Silva",
              "Romero", "Álvarez", "Molina", "Suárez", "Guerrero", "Ríos", "Peña", "Campos", "Fuentes",
              "Cabrera", "Soto")


def generar_clientes(rng: np.random.Generator, n: int) -> dict[str, np.ndarray]:
    """Clientes con su perfil, tipo, segmento, región, sucursal habitual, alta y nivel de actividad."""
    perfil = rng.choice(len(PERFILES), size=n, p=_PERFIL_PROPORCION).astype(np.int16)
    region = por_grupo(rng, perfil, _PERFIL_REGION)
    actividad = _PERFIL_FRECUENCIA[perfil] * rng.gamma(1.5, 1 / 1.5, size=n)
    return {
        "perfil": perfil,
        "tipo": _PERFIL_TIPO[perfil],
        "segmento": por_grupo(rng, perfil, _PERFIL_SEGMENTO),
        "region": region,
        "sucursal": _SUCURSAL_DE_REGION[region],
        "alta_dias": -rng.integers(30, 365 * 10, size=n),
        "actividad": actividad,
    }


def generar_agentes(rng: np.random.Generator, n: int) -> dict[str, np.ndarray]:
    """Agentes en seis equipos y tres turnos, con su efecto en la satisfacción y su nivel por competencia.

    Los de ``BRECHAS`` son de servicio primario y tienen su nivel rebajado en sus competencias débiles.
    """
    k = np.arange(n)
    combinaciones = rng.choice(len(_NOMBRES) * len(_APELLIDOS) ** 2, size=n, replace=False)
    nombres = np.array([
        f"{_NOMBRES[c // len(_APELLIDOS) ** 2]} {_APELLIDOS[c // len(_APELLIDOS) % len(_APELLIDOS)]} "
        f"{_APELLIDOS[c % len(_APELLIDOS)]}" for c in combinaciones
    ])
    rol = rng.choice(len(ROLES), size=n, p=[0.75, 0.15, 0.10])
    brecha = np.zeros((n, len(COMPETENCIAS)), dtype=bool)
    codigos = [codigo for codigo, _ in COMPETENCIAS]
    for agente_id, debiles in BRECHAS.items():
        indice = int(agente_id.split("-")[1]) - 1
        rol[indice] = 0
        brecha[indice, [codigos.index(c) for c in debiles]] = True
    efecto = rng.normal(0, 0.12, size=n) + _EFECTO_BRECHA_AGENTE * brecha.any(axis=1)
    nivel = (_COMPETENCIA_MEDIA + rng.normal(0, 0.25, (n, 1)) + rng.normal(0, 0.2, (n, len(COMPETENCIAS)))
             + _BRECHA_COMPETENCIA * brecha)
    return {
        "nombre": nombres,
        "equipo": k % len(EQUIPOS),
        "rol": rol,
        "turno": np.array([0, 1, 0, 1, 2, 0, 1])[k % 7],
        "ingreso_dias": -rng.integers(30, 365 * 9, size=n),
        "nivel": nivel,
        "efecto": efecto,
        "resuelve_menos": brecha[:, codigos.index("resolucion")],
    }


def _instantes(rng: np.random.Generator, n: int) -> np.ndarray:
    """Segundos desde ``FECHA_INICIO`` con tendencia leve, estacionalidad, fin de semana y horario laboral."""
    dia = np.arange(DIAS)
    dia_semana = (FECHA_INICIO.weekday() + dia) % 7
    mes = (T0.astype("datetime64[D]") + dia).astype("datetime64[M]").astype(int) % 12
    peso_dia = (1 + 0.12 * dia / DIAS) * np.where(dia_semana == 5, 0.6, 1.0) * np.where(dia_semana == 6, 0.35, 1.0)
    peso_dia *= 1 + 0.12 * (mes == 11) + 0.05 * (mes == 0)
    dias = rng.choice(DIAS, size=n, p=peso_dia / peso_dia.sum())
    horas = rng.choice(24, size=n, p=_HORA_PESO / _HORA_PESO.sum())
    return dias.astype(np.int64) * DIA + horas * 3600 + rng.integers(0, 3600, size=n)


def _turno(segundos: np.ndarray) -> np.ndarray:
    """Turno (0 mañana 6–14 h, 1 tarde 14–22 h, 2 noche) de cada instante."""
    hora = (segundos % DIA) // 3600
    return np.where((hora >= 6) & (hora < 14), 0, np.where((hora >= 14) & (hora < 22), 1, 2))


def _asignar_agentes(rng: np.random.Generator, segundos: np.ndarray, agentes: dict) -> np.ndarray:
    """Elige el agente de cada interacción entre los de su turno, según su rol de servicio."""
    peso = np.array([1.0, 0.35, 0.1])[agentes["rol"]]
    turno = _turno(segundos)
    salida = np.empty(segundos.size, dtype=np.int32)
    for t in range(len(TURNOS)):
        candidatos = np.flatnonzero(agentes["turno"] == t)
        filas = np.flatnonzero(turno == t)
        p = peso[candidatos] / peso[candidatos].sum()
        salida[filas] = candidatos[rng.choice(candidatos.size, size=filas.size, p=p)]
    return salida


def en_caida(sucursal: np.ndarray, segundos: np.ndarray) -> np.ndarray:
    """Verdadero para la sucursal y el periodo de la caída sembrada."""
    return ((sucursal == SUCURSALES.index(SUCURSAL_CAIDA)) & (segundos >= CAIDA_DESDE)
            & (segundos < CAIDA_HASTA))


def probabilidad_promesa(sucursal: np.ndarray, segundos: np.ndarray, motivo: np.ndarray) -> np.ndarray:
    """Probabilidad de cumplir la promesa: menor en quejas y reclamos y durante la caída."""
    base = np.where((motivo == 1) | (motivo == 2), _PROMESA_QUEJA, _PROMESA_BASE)
    return np.where(en_caida(sucursal, segundos), _PROMESA_CAIDA, base)


def generar_interacciones(rng: np.random.Generator, n: int, clientes: dict, agentes: dict) -> dict[str, np.ndarray]:
    """Interacciones en orden cronológico, con recontactos por el mismo motivo en menos de 7 días.

    Los recontactos copian cliente, canal, sucursal y motivo de una interacción anterior, elegida
    sobre todo entre las no resueltas; la mitad vuelve en la etapa de seguimiento.
    """
    n_recontactos = round(n * _FRACCION_RECONTACTO)
    n_base = n - n_recontactos
    cliente = rng.choice(clientes["perfil"].size, size=n_base, p=clientes["actividad"] / clientes["actividad"].sum())
    perfil = clientes["perfil"][cliente]
    motivo = por_grupo(rng, perfil, _PERFIL_MOTIVO)
    base = {
        "inicio": _instantes(rng, n_base),
        "cliente": cliente.astype(np.int32),
        "canal": por_grupo(rng, perfil, _PERFIL_CANAL),
        "sucursal": np.where(rng.random(n_base) < 0.85, clientes["sucursal"][cliente],
                             rng.integers(0, len(SUCURSALES), size=n_base)),
        "motivo": motivo,
        "etapa": por_grupo(rng, motivo, _MOTIVO_ETAPA),
    }
    _desenlace(rng, base, agentes)
    padres = muestra_ponderada(rng, np.where(base["resuelto"], 0.10, 0.55), n_recontactos)
    recontacto = {campo: base[campo][padres] for campo in ("cliente", "canal", "sucursal", "motivo", "etapa")}
    recontacto["inicio"] = sumar_sin_pasar(rng, base["inicio"][padres],
                                            rng.integers(2 * 3600, 6 * DIA + 12 * 3600, size=n_recontactos))
    recontacto["etapa"] = np.where(rng.random(n_recontactos) < 0.5, ETAPAS.index("Seguimiento"),
                                   recontacto["etapa"])
    _desenlace(rng, recontacto, agentes)
    datos = {campo: np.concatenate([base[campo], recontacto[campo]]) for campo in base}
    orden = np.argsort(datos["inicio"], kind="stable")
    return {campo: valores[orden] for campo, valores in datos.items()}


def _desenlace(rng: np.random.Generator, datos: dict, agentes: dict) -> None:
    """Añade a ``datos`` (inicio, canal, sucursal, motivo) agente, promesa, escalamiento, tiempos y resolución."""
    n = datos["inicio"].size
    motivo = datos["motivo"]
    agente = _asignar_agentes(rng, datos["inicio"], agentes)
    promesa = rng.random(n) < probabilidad_promesa(datos["sucursal"], datos["inicio"], motivo)
    escalado = rng.random(n) < _MOTIVO_ESCALADO[motivo]
    respuesta = _CANAL_RESPUESTA_MIN[datos["canal"]] * np.where(promesa, 1.0, 1.7) * rng.lognormal(0, 0.75, n)
    resolucion = (_MOTIVO_RESOLUCION_H[motivo] * np.where(promesa, 1.0, 2.8) * np.where(escalado, 1.8, 1.0)
                  * rng.lognormal(0, 0.9, n))
    p_resuelto = (0.93 - 0.12 * escalado - 0.10 * ~promesa - 0.05 * (motivo == 2)
                  - 0.08 * agentes["resuelve_menos"][agente])
    fin = datos["inicio"] + np.rint(resolucion * 3600).astype(np.int64)
    abierta = fin > ULTIMO_SEGUNDO  # casos aún abiertos al cierre de los datos
    datos.update({
        "agente": agente,
        "fin": fin,
        "abierta": abierta,
        "respuesta_min": np.round(respuesta, 1),
        "resolucion_h": np.where(abierta, np.nan, np.round(resolucion, 2)),
        "resuelto": (rng.random(n) < p_resuelto) & ~abierta,
        "escalado": escalado,
        "promesa": promesa,
    })
