"""Los hechos sembrados en los datos de demostración, sus catálogos y su calendario.

Los nombres de ``__all__`` son la interfaz de ``datos.demo`` (las pruebas y las páginas comprueban
que los análisis los encuentran); los catálogos (categorías de cada columna, en el orden de sus
códigos) y el calendario (segundos desde ``FECHA_INICIO``) los comparten los generadores y la
escritura. Un hecho nuevo que los análisis deban encontrar va aquí, con su constante.
"""

from datetime import date

import numpy as np

from datos.almacen.esquema import ETAPAS_PREDETERMINADAS

__all__ = [
    "FECHA_INICIO", "FECHA_FIN", "ETAPAS", "ETAPA_DEBIL", "PESOS_ETAPAS", "SUCURSAL_CAIDA", "CAIDA_INICIO",
    "CAIDA_FIN", "EQUIPOS", "BRECHAS", "AGENTES_CON_BRECHAS", "COMPETENCIAS_DEBILES", "PERFILES",
    "CANAL_PREFERIDO", "PERFIL_INSATISFECHO",
]

#: Primer y último día (inclusive) de los datos.
FECHA_INICIO = date(2025, 5, 1)
FECHA_FIN = date(2026, 10, 31)

#: Etapas de la cadena, en orden (las mismas del esquema).
ETAPAS: tuple[str, ...] = tuple(etapa for etapa, _ in ETAPAS_PREDETERMINADAS)

#: Eslabón más débil: menor calificación media y mayor peso en el CSAT.
ETAPA_DEBIL = "Entrega"

#: Peso de cada etapa en el CSAT latente (suman 1).
PESOS_ETAPAS: dict[str, float] = {
    "Atención inicial": 0.12, "Diagnóstico": 0.12, "Solución": 0.22, "Entrega": 0.42, "Seguimiento": 0.12,
}

#: Sucursal y periodo (inclusive) de la caída de promesa, CSAT y NPS.
SUCURSAL_CAIDA = "Sucursal Norte"
CAIDA_INICIO = date(2026, 1, 15)
CAIDA_FIN = date(2026, 3, 31)

#: Equipos y su supervisor; el agente ``AGE-k`` pertenece al equipo ``(k - 1) % 6``.
EQUIPOS: dict[str, str] = {
    "Equipo Andes": "Rosa Elena Quintero",
    "Equipo Caribe": "Hernán Salazar",
    "Equipo Pacífico": "Gloria Inés Mejía",
    "Equipo Orinoco": "Fernando Cárdenas",
    "Equipo Sierra": "Beatriz Londoño",
    "Equipo Llanos": "Óscar Betancur",
}

#: Agentes con brechas y sus competencias débiles (≈1,5 puntos bajo el resto en escala 1–5).
BRECHAS: dict[str, tuple[str, ...]] = {
    "AGE-002": ("empatia", "escucha"),
    "AGE-008": ("empatia", "escucha", "manejo_tension"),
    "AGE-014": ("empatia", "escucha"),
    "AGE-020": ("escucha", "manejo_tension"),
    "AGE-004": ("resolucion", "manejo_tension"),
    "AGE-010": ("resolucion",),
    "AGE-016": ("resolucion", "manejo_tension"),
    "AGE-022": ("resolucion", "empatia"),
}
AGENTES_CON_BRECHAS: tuple[str, ...] = tuple(BRECHAS)
COMPETENCIAS_DEBILES: tuple[str, ...] = ("empatia", "escucha", "resolucion", "manejo_tension")

#: Arquetipos de clientes (guardados en ``clientes.atributos->>'perfil'``).
PERFILES: tuple[str, ...] = (
    "Externos frecuentes por teléfono, detractores",
    "Externos digitales satisfechos",
    "Distribuidores intermedios por correo",
    "Clientes internos por chat",
)
#: Canal más usado por cada perfil.
CANAL_PREFERIDO: dict[str, str] = dict(zip(PERFILES, ("Teléfono", "WhatsApp", "Correo", "Chat")))
#: Perfil con más quejas y reclamos y menor satisfacción.
PERFIL_INSATISFECHO = PERFILES[0]

# Catálogos: categorías de cada columna, en el orden de sus códigos.
TIPOS_CLIENTE = ("externo", "intermedio", "interno")
SEGMENTOS = ("Hogar", "Pyme", "Corporativo", "Distribuidor", "Área interna")
REGIONES = ("Norte", "Sur", "Centro", "Oriente", "Occidente")
SUCURSALES = ("Sucursal Norte", "Sucursal Sur", "Sucursal Centro", "Sucursal Oriente")
CANALES = ("Teléfono", "Correo", "Chat", "Presencial", "WhatsApp")
MOTIVOS = ("consulta", "queja", "reclamo", "solicitud", "nuevo negocio")
ROLES = ("primario", "secundario", "apoyo")
TURNOS = ("mañana", "tarde", "noche")
AUDITORES = ("María Fernanda Ríos", "Jorge Castillo", "Lucía Paredes", "Andrés Villalobos", "Patricia Medina")

# Calendario: los instantes se generan como segundos desde FECHA_INICIO.
T0 = np.datetime64(FECHA_INICIO.isoformat(), "s")
DIA = 86_400
DIAS = (FECHA_FIN - FECHA_INICIO).days + 1
ULTIMO_SEGUNDO = DIAS * DIA - 1
CAIDA_DESDE = (CAIDA_INICIO - FECHA_INICIO).days * DIA
CAIDA_HASTA = ((CAIDA_FIN - FECHA_INICIO).days + 1) * DIA
