"""Datos de demostración deterministas para Eslabón.

``cargar_demo`` genera clientes, agentes, interacciones, encuestas (con sus
calificaciones por etapa) y auditorías (con sus 15 competencias) de 18 meses
fijos, del 1 de mayo de 2025 al 31 de octubre de 2026, y los escribe en una
sola transacción registrada como una carga de demostración. Todo se genera con
numpy de forma vectorizada a partir de ``semilla``: la misma semilla da los
mismos datos y nada depende de la fecha de hoy.

Tamaños con ``escala=1`` (crecen linealmente con la escala): 5.000 clientes,
50.000 interacciones, 20.000 encuestas y 2.000 auditorías; los agentes crecen
con la raíz de la escala, de 24 a 600 (60 con ``escala=1``), en seis equipos.

Estructura sembrada a propósito, para que los análisis tengan algo real que
encontrar (cada hecho está en una constante del módulo):

1. **Eslabón más débil** (``ETAPA_DEBIL``): la etapa "Entrega" tiene la
   calificación media más baja (≈3,2 frente a ≈3,8–4,1 de las demás) y el
   mayor peso en el CSAT (``PESOS_ETAPAS``). Las cinco etapas comparten una
   satisfacción latente, así que están correlacionadas entre sí; el CSAT es la
   suma ponderada de las etapas más ruido, y NPS y CES siguen al CSAT. Cuando
   no se cumple la promesa, la calificación de la entrega cae.
2. **Caída y recuperación** en ``SUCURSAL_CAIDA`` ("Sucursal Norte") entre
   ``CAIDA_INICIO`` y ``CAIDA_FIN`` (15-01-2026 a 31-03-2026): el cumplimiento
   de la promesa baja de ≈89 % a ≈63 %, y el CSAT y el NPS caen (el NPS de la
   sucursal, unos 15–20 puntos); después se recupera. La caída se ve también
   en el NPS global.
3. **Brechas de competencias** (``BRECHAS``, ``AGENTES_CON_BRECHAS``): ocho
   agentes de dos equipos ("Equipo Caribe" y "Equipo Orinoco") puntúan ≈1,5
   puntos menos en sus competencias débiles (``COMPETENCIAS_DEBILES``:
   empatía, escucha, resolución, manejo de la tensión) y sus clientes dan un
   CSAT ≈0,6 menor; los de brecha en resolución además resuelven menos.
4. **Perfiles de clientes** (``PERFILES``): cuatro arquetipos que determinan
   tipo de cliente, segmento, canal preferido (``CANAL_PREFERIDO``),
   frecuencia de contacto, propensión a quejarse y satisfacción. El perfil de
   cada cliente queda en ``clientes.atributos`` como ``{"perfil": "..."}``.
   ``PERFIL_INSATISFECHO`` es el que más se queja y peor califica.

Además: recontactos del mismo cliente por el mismo motivo dentro de 7 días
(sobre todo tras casos no resueltos), de modo que el FCR ronda el 74 %;
tiempos de respuesta sesgados (mediana ≈12 min, p90 ≈50–60 min); ≈3 % de
calificaciones por etapa, ≈3 % de NPS y ≈10 % de CES vacíos; ≈2 % de
competencias auditadas como N/A; comentarios en ≈40 % de las encuestas, con
el tono de la nota y la etapa que salió mejor o peor.

Uso desde la línea de órdenes::

    python -m datos.demo --db eslabon.duckdb --semilla 0 --escala 1
"""

import argparse
import math
import sys
from collections.abc import Callable
from datetime import date

import duckdb
import numpy as np
import pyarrow as pa

from analisis.formato import numero
from datos.almacen.conexion import Almacen, ruta_predeterminada
from datos.almacen.derivados import registrar_escritura
from datos.almacen.transaccion import transaccion
from analisis.errores import ErrorEslabon
from datos.almacen.esquema import COMPETENCIAS, ETAPAS_PREDETERMINADAS

__all__ = [
    "FECHA_INICIO", "FECHA_FIN", "ETAPAS", "ETAPA_DEBIL", "PESOS_ETAPAS", "SUCURSAL_CAIDA", "CAIDA_INICIO",
    "CAIDA_FIN", "EQUIPOS", "BRECHAS", "AGENTES_CON_BRECHAS", "COMPETENCIAS_DEBILES", "PERFILES",
    "CANAL_PREFERIDO", "PERFIL_INSATISFECHO", "cargar_demo", "ruta_predeterminada", "main",
]

# ---------------------------------------------------------------------------
# Hechos públicos de los datos de demostración
# ---------------------------------------------------------------------------

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

# ---------------------------------------------------------------------------
# Parámetros internos del generador
# ---------------------------------------------------------------------------

_TAMANOS = {"clientes": 5_000, "interacciones": 50_000, "encuestas": 20_000, "auditorias": 2_000}
_AGENTES_BASE, _AGENTES_MIN, _AGENTES_MAX = 60, 24, 600

_TIPOS = ("externo", "intermedio", "interno")
_SEGMENTOS = ("Hogar", "Pyme", "Corporativo", "Distribuidor", "Área interna")
_REGIONES = ("Norte", "Sur", "Centro", "Oriente", "Occidente")
_SUCURSALES = ("Sucursal Norte", "Sucursal Sur", "Sucursal Centro", "Sucursal Oriente")
_SUCURSAL_DE_REGION = np.array([0, 1, 2, 3, 2])
_CANALES = ("Teléfono", "Correo", "Chat", "Presencial", "WhatsApp")
_MOTIVOS = ("consulta", "queja", "reclamo", "solicitud", "nuevo negocio")
_ROLES = ("primario", "secundario", "apoyo")
_TURNOS = ("mañana", "tarde", "noche")
_AUDITORES = ("María Fernanda Ríos", "Jorge Castillo", "Lucía Paredes", "Andrés Villalobos", "Patricia Medina")

# Por perfil (mismo orden que PERFILES): tipo de cliente, proporción de clientes, frecuencia de
# contacto relativa, desplazamiento de la satisfacción latente y distribuciones de categorías.
_PERFIL_TIPO = np.array([0, 0, 1, 2])
_PERFIL_PROPORCION = np.array([0.25, 0.40, 0.13, 0.22])
_PERFIL_FRECUENCIA = np.array([3.0, 1.0, 2.5, 1.5])
_PERFIL_SATISFACCION = np.array([-0.55, 0.35, -0.05, 0.15])
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
_MOTIVO_SATISFACCION = np.array([0.0, -0.25, -0.35, 0.0, 0.05])
_CANAL_RESPUESTA_MIN = np.array([7.2, 36.0, 8.4, 9.6, 17.0])  # mediana de minutos
_HORA_PESO = np.array([4, 4, 4, 4, 4, 4, 15, 35, 70, 90, 95, 90, 70, 65, 75, 80, 75, 65, 50, 35, 25, 16, 10, 6],
                      dtype=float)

_PROMESA_BASE, _PROMESA_QUEJA, _PROMESA_CAIDA = 0.905, 0.86, 0.64
_FRACCION_RECONTACTO = 0.16
_FRACCION_ENCUESTAS_CON_INTERACCION = 0.92

# Etapas: media latente, desviación propia y efectos de la interacción sobre cada una.
_ETAPA_MEDIA = np.array([4.70, 4.50, 4.40, 3.75, 4.45])
_ETAPA_DESVIO = np.array([0.70, 0.70, 0.75, 0.85, 0.75])
_PESOS = np.array([PESOS_ETAPAS[e] for e in ETAPAS])
_EFECTO_BRECHA_AGENTE = -0.65
_EFECTO_CAIDA = -0.15
_CSAT_BASE, _NPS_BASE, _CES_BASE = 4.45, 9.5, 5.4  # nivel del CSAT latente y de NPS y CES para ese CSAT

_COMPETENCIA_MEDIA = np.array([4.2, 4.1, 4.0, 3.9, 4.1, 4.0, 4.2, 4.3, 4.0, 3.9, 4.4, 3.8, 4.1, 3.8, 4.0])
_BRECHA_COMPETENCIA = -1.5

_COMENTARIOS_MALOS = {
    "Atención inicial": ("Me dejaron esperando demasiado antes de atenderme",
                         "La atención inicial fue fría y poco amable",
                         "Nadie me orientó al principio"),
    "Diagnóstico": ("No entendieron bien mi problema",
                    "Tuve que explicar el caso varias veces",
                    "El diagnóstico estuvo equivocado"),
    "Solución": ("No me dieron una solución real",
                 "La solución no funcionó y tuve que volver a llamar",
                 "Me ofrecieron una solución a medias"),
    "Entrega": ("La entrega llegó tarde y nadie avisó",
                "No cumplieron la fecha de entrega prometida",
                "El pedido llegó incompleto"),
    "Seguimiento": ("Nadie me llamó después para ver si quedó resuelto",
                    "Prometieron hacer seguimiento y nunca lo hicieron",
                    "No me informaron cómo iba mi caso"),
}
_COMENTARIOS_BUENOS = {
    "Atención inicial": ("Muy amable la atención inicial",
                         "Me atendieron rápido y con buena disposición",
                         "Excelente recibimiento desde el primer momento"),
    "Diagnóstico": ("Entendieron mi problema a la primera",
                    "El asesor identificó rápido lo que pasaba",
                    "Muy claro el diagnóstico"),
    "Solución": ("Me dieron una solución clara y efectiva",
                 "Resolvieron mi caso sin complicaciones",
                 "La solución funcionó perfecto"),
    "Entrega": ("La entrega llegó a tiempo",
                "Cumplieron la fecha de entrega",
                "Todo llegó completo y en buen estado"),
    "Seguimiento": ("Me llamaron después para confirmar que todo estaba bien",
                    "Buen seguimiento del caso",
                    "Me mantuvieron informado todo el tiempo"),
}
_FRAGMENTO_BUENO = ("la atención inicial fue buena", "el diagnóstico fue acertado", "la solución fue correcta",
                    "la entrega fue puntual", "el seguimiento fue bueno")
_FRAGMENTO_MALO = ("la atención inicial tardó", "el diagnóstico no fue claro", "la solución quedó a medias",
                   "la entrega se demoró", "faltó seguimiento")
_COMENTARIO_NEUTRO = "Servicio correcto, sin nada que destacar"
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

_ETIQUETAS = {"clientes": "clientes", "agentes": "agentes", "interacciones": "interacciones",
              "encuestas": "encuestas", "encuesta_etapas": "calificaciones por etapa", "auditorias": "auditorías",
              "auditoria_competencias": "puntajes por competencia"}

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

_T0 = np.datetime64(FECHA_INICIO.isoformat(), "s")
_DIA = 86_400
_DIAS = (FECHA_FIN - FECHA_INICIO).days + 1
_ULTIMO_SEGUNDO = _DIAS * _DIA - 1
_CAIDA_DESDE = (CAIDA_INICIO - FECHA_INICIO).days * _DIA
_CAIDA_HASTA = ((CAIDA_FIN - FECHA_INICIO).days + 1) * _DIA


# ---------------------------------------------------------------------------
# API pública
# ---------------------------------------------------------------------------

def cargar_demo(con: duckdb.DuckDBPyConnection, *, semilla: int = 0, escala: float = 1.0,
                progreso: Callable[[float, str], None] | None = None) -> dict[str, int]:
    """Genera los datos de demostración y los escribe en una sola transacción.

    La carga queda registrada en ``cargas`` (tipo ``'demo'``, ``es_demo`` verdadero) y todas
    las filas apuntan a ella; ``configuracion.version_datos`` aumenta en uno. Si algo falla,
    no queda nada escrito.

    Parameters
    ----------
    con : conexión a un almacén ya migrado (``datos.esquema.migrar``).
    semilla : entero ≥ 0; la misma semilla produce exactamente los mismos datos.
    escala : factor de tamaño (> 0). Con 1 hay 50.000 interacciones; con 200, 10 millones.
    progreso : ``None`` o función ``(fraccion, mensaje)`` que se llama unas pocas veces con
        fracciones crecientes de 0 a 1, para mostrar una barra de progreso.

    Returns
    -------
    dict[str, int]
        Filas escritas por tabla, en el orden de ``datos.esquema.TABLAS_DE_DATOS``.

    Raises
    ------
    ValueError
        Si ``semilla`` o ``escala`` no son válidas.
    ErrorEslabon
        Si el almacén ya tiene datos de demostración.

    Example
    -------
    >>> almacen = Almacen(":memory:")
    >>> cargar_demo(almacen.cursor(), escala=0.01)["interacciones"]
    500
    """
    if isinstance(semilla, bool) or not isinstance(semilla, (int, np.integer)) or semilla < 0:
        raise ValueError("'semilla' debe ser un entero mayor o igual que 0")
    if isinstance(escala, bool) or not isinstance(escala, (int, float)) or not math.isfinite(escala) \
            or escala <= 0:
        raise ValueError("'escala' debe ser un número positivo")
    avisar = progreso or (lambda fraccion, mensaje: None)
    if con.execute("SELECT count(*) FROM cargas WHERE es_demo AND deshecha IS NULL").fetchall()[0][0]:
        raise ErrorEslabon("El almacén ya tiene datos de demostración; deshaga esa carga antes de repetirla.")

    generadores = [np.random.default_rng(s) for s in np.random.SeedSequence(int(semilla)).spawn(5)]
    tamanos = _tamanos(escala)
    avisar(0.0, "Generando clientes y agentes…")
    clientes = _generar_clientes(generadores[0], tamanos["clientes"])
    agentes = _generar_agentes(generadores[1], tamanos["agentes"])
    avisar(0.1, "Generando interacciones…")
    interacciones = _generar_interacciones(generadores[2], tamanos["interacciones"], clientes, agentes)
    avisar(0.3, "Generando encuestas…")
    encuestas = _generar_encuestas(generadores[3], tamanos["encuestas"], interacciones, clientes, agentes)
    avisar(0.45, "Generando auditorías…")
    auditorias = _generar_auditorias(generadores[4], tamanos["auditorias"], interacciones, agentes)
    tablas = _tablas_arrow(clientes, agentes, interacciones, encuestas, auditorias)
    filas = {nombre: tabla.num_rows for nombre, tabla in tablas.items()}
    _escribir(con, tablas, filas, avisar)
    avisar(1.0, "Datos de demostración listos.")
    return filas


def main(argv: list[str] | None = None) -> int:
    """Línea de órdenes: crea o abre el almacén, lo migra, carga la demostración e informa las filas."""
    parser = argparse.ArgumentParser(
        prog="python -m datos.demo",
        description="Genera datos de demostración de Eslabón y los guarda en un almacén DuckDB.",
    )
    parser.add_argument("--db", default=ruta_predeterminada(),
                        help="archivo DuckDB (se crea si no existe; por omisión ESLABON_DB o eslabon.duckdb)")
    parser.add_argument("--semilla", type=int, default=0, help="semilla del generador (por omisión 0)")
    parser.add_argument("--escala", type=float, default=1.0,
                        help="factor de tamaño: 1 = 50.000 interacciones, 200 = 10 millones (por omisión 1)")
    args = parser.parse_args(argv)
    try:
        almacen = Almacen(args.db)
    except duckdb.Error as error:
        print(f"No se pudo abrir la base de datos {args.db}: {error}", file=sys.stderr)
        return 1
    except ErrorEslabon as error:
        print(error.mensaje, file=sys.stderr)
        return 1
    try:
        filas = cargar_demo(almacen.cursor(), semilla=args.semilla, escala=args.escala)
    except ErrorEslabon as error:
        print(error.mensaje, file=sys.stderr)
        return 1
    except ValueError as error:
        print(f"Argumento no válido: {error}", file=sys.stderr)
        return 2
    finally:
        almacen.cerrar()
    print(f"Datos de demostración guardados en {args.db}:")
    for tabla, n in filas.items():
        print(f"  {tabla}: {numero(n, 0)} filas")
    return 0


# ---------------------------------------------------------------------------
# Generación
# ---------------------------------------------------------------------------

def _tamanos(escala: float) -> dict[str, int]:
    """Filas por entidad para una escala: lineal (mínimo 1); los agentes, con la raíz de la escala."""
    tamanos = {nombre: max(1, round(n * escala)) for nombre, n in _TAMANOS.items()}
    tamanos["agentes"] = min(_AGENTES_MAX, max(_AGENTES_MIN, round(_AGENTES_BASE * math.sqrt(escala))))
    return tamanos


def _por_grupo(rng: np.random.Generator, grupo: np.ndarray, probabilidades: np.ndarray) -> np.ndarray:
    """Sortea una categoría por fila con la distribución de la fila ``grupo`` de ``probabilidades``."""
    salida = np.empty(grupo.size, dtype=np.int16)
    for g, p in enumerate(probabilidades):
        filas = np.flatnonzero(grupo == g)
        salida[filas] = rng.choice(p.size, size=filas.size, p=p / p.sum())
    return salida


def _muestra_ponderada(rng: np.random.Generator, pesos: np.ndarray, k: int) -> np.ndarray:
    """Índices de ``k`` elementos distintos con probabilidad proporcional a ``pesos`` (Efraimidis y Spirakis 2006)."""
    if k == 0:
        return np.empty(0, dtype=np.int64)
    claves = np.log(rng.random(pesos.size)) / pesos
    return np.sort(np.argpartition(claves, pesos.size - k)[pesos.size - k:])


def _nota(latente: np.ndarray, minimo: int, maximo: int) -> np.ndarray:
    """Redondea una variable latente a una escala entera cerrada."""
    return np.clip(np.rint(latente), minimo, maximo)


def _sumar_sin_pasar(rng: np.random.Generator, segundos: np.ndarray, desfase: np.ndarray) -> np.ndarray:
    """Suma ``desfase`` a ``segundos``; si el resultado pasa del último día, sortea un instante entre ambos."""
    destino = segundos + desfase
    fuera = np.flatnonzero(destino > _ULTIMO_SEGUNDO)
    destino[fuera] = segundos[fuera] + (rng.random(fuera.size) * (_ULTIMO_SEGUNDO - segundos[fuera])).astype(np.int64)
    return destino


def _extremos(rng: np.random.Generator, notas: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Columna de la nota más baja y de la más alta de cada fila, ignorando vacíos y con empates al azar."""
    desempate = rng.random(notas.shape) * 0.1
    peor = np.argmin(np.nan_to_num(notas, nan=99.0) + desempate, axis=1)
    mejor = np.argmax(np.nan_to_num(notas, nan=-99.0) + desempate, axis=1)
    return peor, mejor


def _generar_clientes(rng: np.random.Generator, n: int) -> dict[str, np.ndarray]:
    """Clientes con su perfil, tipo, segmento, región, sucursal habitual, alta y nivel de actividad."""
    perfil = rng.choice(len(PERFILES), size=n, p=_PERFIL_PROPORCION).astype(np.int16)
    region = _por_grupo(rng, perfil, _PERFIL_REGION)
    actividad = _PERFIL_FRECUENCIA[perfil] * rng.gamma(1.5, 1 / 1.5, size=n)
    return {
        "perfil": perfil,
        "tipo": _PERFIL_TIPO[perfil],
        "segmento": _por_grupo(rng, perfil, _PERFIL_SEGMENTO),
        "region": region,
        "sucursal": _SUCURSAL_DE_REGION[region],
        "alta_dias": -rng.integers(30, 365 * 10, size=n),
        "actividad": actividad,
    }


def _generar_agentes(rng: np.random.Generator, n: int) -> dict[str, np.ndarray]:
    """Agentes en seis equipos y tres turnos, con su efecto en la satisfacción y su nivel por competencia.

    Los de ``BRECHAS`` son de servicio primario y tienen su nivel rebajado en sus competencias débiles.
    """
    k = np.arange(n)
    combinaciones = rng.choice(len(_NOMBRES) * len(_APELLIDOS) ** 2, size=n, replace=False)
    nombres = np.array([
        f"{_NOMBRES[c // len(_APELLIDOS) ** 2]} {_APELLIDOS[c // len(_APELLIDOS) % len(_APELLIDOS)]} "
        f"{_APELLIDOS[c % len(_APELLIDOS)]}" for c in combinaciones
    ])
    rol = rng.choice(len(_ROLES), size=n, p=[0.75, 0.15, 0.10])
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
    dia = np.arange(_DIAS)
    dia_semana = (FECHA_INICIO.weekday() + dia) % 7
    mes = (_T0.astype("datetime64[D]") + dia).astype("datetime64[M]").astype(int) % 12
    peso_dia = (1 + 0.12 * dia / _DIAS) * np.where(dia_semana == 5, 0.6, 1.0) * np.where(dia_semana == 6, 0.35, 1.0)
    peso_dia *= 1 + 0.12 * (mes == 11) + 0.05 * (mes == 0)
    dias = rng.choice(_DIAS, size=n, p=peso_dia / peso_dia.sum())
    horas = rng.choice(24, size=n, p=_HORA_PESO / _HORA_PESO.sum())
    return dias.astype(np.int64) * _DIA + horas * 3600 + rng.integers(0, 3600, size=n)


def _turno(segundos: np.ndarray) -> np.ndarray:
    """Turno (0 mañana 6–14 h, 1 tarde 14–22 h, 2 noche) de cada instante."""
    hora = (segundos % _DIA) // 3600
    return np.where((hora >= 6) & (hora < 14), 0, np.where((hora >= 14) & (hora < 22), 1, 2))


def _asignar_agentes(rng: np.random.Generator, segundos: np.ndarray, agentes: dict) -> np.ndarray:
    """Elige el agente de cada interacción entre los de su turno, según su rol de servicio."""
    peso = np.array([1.0, 0.35, 0.1])[agentes["rol"]]
    turno = _turno(segundos)
    salida = np.empty(segundos.size, dtype=np.int32)
    for t in range(len(_TURNOS)):
        candidatos = np.flatnonzero(agentes["turno"] == t)
        filas = np.flatnonzero(turno == t)
        p = peso[candidatos] / peso[candidatos].sum()
        salida[filas] = candidatos[rng.choice(candidatos.size, size=filas.size, p=p)]
    return salida


def _en_caida(sucursal: np.ndarray, segundos: np.ndarray) -> np.ndarray:
    """Verdadero para la sucursal y el periodo de la caída sembrada."""
    return ((sucursal == _SUCURSALES.index(SUCURSAL_CAIDA)) & (segundos >= _CAIDA_DESDE)
            & (segundos < _CAIDA_HASTA))


def _probabilidad_promesa(sucursal: np.ndarray, segundos: np.ndarray, motivo: np.ndarray) -> np.ndarray:
    """Probabilidad de cumplir la promesa: menor en quejas y reclamos y durante la caída."""
    base = np.where((motivo == 1) | (motivo == 2), _PROMESA_QUEJA, _PROMESA_BASE)
    return np.where(_en_caida(sucursal, segundos), _PROMESA_CAIDA, base)


def _generar_interacciones(rng: np.random.Generator, n: int, clientes: dict, agentes: dict) -> dict[str, np.ndarray]:
    """Interacciones en orden cronológico, con recontactos por el mismo motivo en menos de 7 días.

    Los recontactos copian cliente, canal, sucursal y motivo de una interacción anterior, elegida
    sobre todo entre las no resueltas; la mitad vuelve en la etapa de seguimiento.
    """
    n_recontactos = round(n * _FRACCION_RECONTACTO)
    n_base = n - n_recontactos
    cliente = rng.choice(clientes["perfil"].size, size=n_base, p=clientes["actividad"] / clientes["actividad"].sum())
    perfil = clientes["perfil"][cliente]
    motivo = _por_grupo(rng, perfil, _PERFIL_MOTIVO)
    base = {
        "inicio": _instantes(rng, n_base),
        "cliente": cliente.astype(np.int32),
        "canal": _por_grupo(rng, perfil, _PERFIL_CANAL),
        "sucursal": np.where(rng.random(n_base) < 0.85, clientes["sucursal"][cliente],
                             rng.integers(0, len(_SUCURSALES), size=n_base)),
        "motivo": motivo,
        "etapa": _por_grupo(rng, motivo, _MOTIVO_ETAPA),
    }
    _desenlace(rng, base, agentes)
    padres = _muestra_ponderada(rng, np.where(base["resuelto"], 0.10, 0.55), n_recontactos)
    recontacto = {campo: base[campo][padres] for campo in ("cliente", "canal", "sucursal", "motivo", "etapa")}
    recontacto["inicio"] = _sumar_sin_pasar(rng, base["inicio"][padres],
                                            rng.integers(2 * 3600, 6 * _DIA + 12 * 3600, size=n_recontactos))
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
    promesa = rng.random(n) < _probabilidad_promesa(datos["sucursal"], datos["inicio"], motivo)
    escalado = rng.random(n) < _MOTIVO_ESCALADO[motivo]
    respuesta = _CANAL_RESPUESTA_MIN[datos["canal"]] * np.where(promesa, 1.0, 1.7) * rng.lognormal(0, 0.75, n)
    resolucion = (_MOTIVO_RESOLUCION_H[motivo] * np.where(promesa, 1.0, 2.8) * np.where(escalado, 1.8, 1.0)
                  * rng.lognormal(0, 0.9, n))
    p_resuelto = (0.93 - 0.12 * escalado - 0.10 * ~promesa - 0.05 * (motivo == 2)
                  - 0.08 * agentes["resuelve_menos"][agente])
    fin = datos["inicio"] + np.rint(resolucion * 3600).astype(np.int64)
    abierta = fin > _ULTIMO_SEGUNDO  # casos aún abiertos al cierre de los datos
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


def _generar_encuestas(rng: np.random.Generator, n: int, interacciones: dict, clientes: dict,
                       agentes: dict) -> dict[str, np.ndarray]:
    """Encuestas (la mayoría ligadas a una interacción) con etapas, CSAT, NPS, CES y comentario."""
    contexto = _contexto_encuestas(rng, n, interacciones, clientes)
    latente = (rng.normal(0, 0.6, n) + _PERFIL_SATISFACCION[clientes["perfil"][contexto["cliente"]]]
               + np.where(contexto["agente"] >= 0, agentes["efecto"][contexto["agente"]], 0.0)
               - 0.7 * ~contexto["resuelto"] - 0.15 * contexto["escalado"]
               + np.where(contexto["motivo"] >= 0, _MOTIVO_SATISFACCION[contexto["motivo"]], 0.0)
               + _EFECTO_CAIDA * _en_caida(contexto["sucursal"], contexto["experiencia"]))
    etapas = _ETAPA_MEDIA + latente[:, None] + rng.normal(0, 1, (n, len(ETAPAS))) * _ETAPA_DESVIO
    etapas[:, ETAPAS.index("Atención inicial")] -= 0.5 * (contexto["respuesta_min"] > 30)
    etapas[:, ETAPAS.index("Solución")] -= 0.5 * ~contexto["resuelto"]
    etapas[:, ETAPAS.index("Entrega")] -= 1.1 * ~contexto["promesa"]
    csat_latente = _CSAT_BASE + (etapas - _ETAPA_MEDIA) @ _PESOS + rng.normal(0, 0.45, n)
    csat = _nota(csat_latente, 1, 5)
    calificaciones = _nota(etapas, 1, 5)
    calificaciones[rng.random(calificaciones.shape) < 0.03] = np.nan
    nps = _nota(_NPS_BASE + 2.3 * (csat_latente - _CSAT_BASE) + rng.normal(0, 1.2, n), 0, 10)
    ces = _nota(_CES_BASE + 0.9 * (csat_latente - _CSAT_BASE) + rng.normal(0, 0.9, n), 1, 7)
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
    experiencia_libre = rng.integers(0, _ULTIMO_SEGUNDO, size=n_libres)
    canal_libre = np.array([_CANALES.index(CANAL_PREFERIDO[p]) for p in PERFILES])[clientes["perfil"][cliente_libre]]
    promesa_libre = rng.random(n_libres) < _probabilidad_promesa(
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
        "fecha": np.concatenate([_sumar_sin_pasar(rng, interacciones["fin"][ligada], retraso),
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


def _textos_comentarios() -> tuple[list[str], np.ndarray]:
    """Textos únicos de comentario y el índice de cada plantilla en ellos.

    Plantillas: 15 negativas (etapa × 3), 15 positivas (etapa × 3) y 25 mixtas
    (mejor etapa × peor etapa; la diagonal es neutra).
    """
    plantillas = [texto for etapa in ETAPAS for texto in _COMENTARIOS_MALOS[etapa]]
    plantillas += [texto for etapa in ETAPAS for texto in _COMENTARIOS_BUENOS[etapa]]
    plantillas += [_COMENTARIO_NEUTRO if mejor == peor else f"{_FRAGMENTO_BUENO[mejor].capitalize()}, "
                   f"pero {_FRAGMENTO_MALO[peor]}" for mejor in range(len(ETAPAS)) for peor in range(len(ETAPAS))]
    textos, indice = np.unique(np.array(plantillas), return_inverse=True)
    return textos.tolist(), indice


def _comentarios(rng: np.random.Generator, csat: np.ndarray, etapas: np.ndarray) -> np.ndarray:
    """Código de comentario por encuesta (−1 sin comentario), con el tono del CSAT.

    CSAT 1–2 cita la peor etapa, 4–5 la mejor y 3 ambas (o ninguna si todas valen lo mismo).
    Las notas bajas comentan más.
    """
    n = csat.size
    peor, mejor = _extremos(rng, etapas)
    peor = np.where(np.fmax.reduce(etapas, axis=1) == np.fmin.reduce(etapas, axis=1), mejor, peor)
    variante = rng.integers(0, 3, size=n)
    plantilla = np.where(csat <= 2, peor * 3 + variante,
                         np.where(csat >= 4, 15 + mejor * 3 + variante, 30 + mejor * 5 + peor))
    comenta = rng.random(n) < np.where(csat <= 2, 0.6, 0.36)
    _, indice = _textos_comentarios()
    return np.where(comenta, indice[plantilla], -1)


def _generar_auditorias(rng: np.random.Generator, n: int, interacciones: dict, agentes: dict) -> dict[str, np.ndarray]:
    """Auditorías de interacciones reales de cada agente, con las 15 competencias en escala 1–5."""
    por_agente = np.argsort(interacciones["agente"], kind="stable")
    conteo = np.bincount(interacciones["agente"], minlength=agentes["rol"].size)
    comienzo = np.concatenate([[0], np.cumsum(conteo)[:-1]])
    con_interacciones = np.flatnonzero(conteo)
    agente = con_interacciones[rng.integers(0, con_interacciones.size, size=n)]
    interaccion = por_agente[comienzo[agente] + (rng.random(n) * conteo[agente]).astype(np.int64)]
    fecha = _sumar_sin_pasar(rng, interacciones["inicio"][interaccion], rng.integers(_DIA, 10 * _DIA, size=n))
    orden = np.argsort(fecha, kind="stable")
    agente, interaccion, fecha = agente[orden], interaccion[orden], fecha[orden]
    valores = _nota(agentes["nivel"][agente] + rng.normal(0, 0.3, (n, 1))
                    + rng.normal(0, 0.55, (n, len(COMPETENCIAS))), 1, 5)
    valores[rng.random(valores.shape) < 0.02] = np.nan
    return {
        "agente": agente,
        "interaccion": interaccion,
        "fecha": fecha,
        "auditor": rng.integers(0, len(_AUDITORES), size=n),
        "valores": valores,
        "comentario": _comentarios_auditoria(rng, valores),
    }


def _comentarios_auditoria(rng: np.random.Generator, valores: np.ndarray) -> np.ndarray:
    """Código de comentario por auditoría (−1 sin comentario, ≈35 % con él).

    Con alguna competencia en 1–2 se pide reforzar la peor; si no, se destaca la mejor
    (índices de ``_textos_auditoria``).
    """
    peor, mejor = _extremos(rng, valores)
    comentario = np.where(np.fmin.reduce(valores, axis=1) <= 2, peor, len(COMPETENCIAS) + mejor)
    return np.where(rng.random(valores.shape[0]) < 0.35, comentario, -1)


# ---------------------------------------------------------------------------
# Escritura
# ---------------------------------------------------------------------------

def _categorica(codigos: np.ndarray, categorias, nulos: np.ndarray | None = None) -> pa.DictionaryArray:
    """Columna de texto codificada como diccionario (``codigos`` indexa ``categorias``)."""
    return pa.DictionaryArray.from_arrays(pa.array(codigos.astype(np.int32), mask=nulos),
                                          pa.array(list(categorias), pa.string()))


def _instante(segundos: np.ndarray, nulos: np.ndarray | None = None) -> pa.Array:
    """Segundos desde ``FECHA_INICIO`` como columna TIMESTAMP."""
    return pa.array(_T0 + segundos.astype("timedelta64[s]"), type=pa.timestamp("s"), mask=nulos)


def _numero(valores: np.ndarray) -> pa.Array:
    """Columna DOUBLE con NaN convertidos en NULL."""
    return pa.array(valores.astype(np.float64), mask=np.isnan(valores))


def _tablas_arrow(clientes: dict, agentes: dict, interacciones: dict, encuestas: dict,
                  auditorias: dict) -> dict[str, pa.Table]:
    """Tablas Arrow con enteros en lugar de identificadores (DuckDB los formatea al insertar)."""
    n_etapas, n_comp = len(ETAPAS), len(COMPETENCIAS)
    n_enc, n_aud = encuestas["csat"].size, auditorias["agente"].size
    textos, _ = _textos_comentarios()
    dia_inicio = np.datetime64(FECHA_INICIO.isoformat(), "D")
    return {
        "clientes": pa.table({
            "i": np.arange(1, clientes["perfil"].size + 1),
            "tipo": _categorica(clientes["tipo"], _TIPOS),
            "segmento": _categorica(clientes["segmento"], _SEGMENTOS),
            "region": _categorica(clientes["region"], _REGIONES),
            "alta": pa.array(dia_inicio + clientes["alta_dias"].astype("timedelta64[D]")),
            "perfil": _categorica(clientes["perfil"], PERFILES),
        }),
        "agentes": pa.table({
            "i": np.arange(1, agentes["rol"].size + 1),
            "nombre": agentes["nombre"],
            "equipo": _categorica(agentes["equipo"], tuple(EQUIPOS)),
            "supervisor": _categorica(agentes["equipo"], tuple(EQUIPOS.values())),
            "rol": _categorica(agentes["rol"], _ROLES),
            "turno": _categorica(agentes["turno"], _TURNOS),
            "ingreso": pa.array(dia_inicio + agentes["ingreso_dias"].astype("timedelta64[D]")),
        }),
        "interacciones": pa.table({
            "i": np.arange(1, interacciones["inicio"].size + 1),
            "inicio": _instante(interacciones["inicio"]),
            "fin": _instante(interacciones["fin"], interacciones["abierta"]),
            "cliente": interacciones["cliente"] + 1,
            "agente": interacciones["agente"] + 1,
            "canal": _categorica(interacciones["canal"], _CANALES),
            "sucursal": _categorica(interacciones["sucursal"], _SUCURSALES),
            "motivo": _categorica(interacciones["motivo"], _MOTIVOS),
            "etapa": _categorica(interacciones["etapa"], ETAPAS),
            "respuesta": interacciones["respuesta_min"],
            "resolucion": _numero(interacciones["resolucion_h"]),
            "resuelto": interacciones["resuelto"],
            "escalado": interacciones["escalado"],
            "promesa": interacciones["promesa"],
        }),
        "encuestas": pa.table({
            "i": np.arange(1, n_enc + 1),
            "fecha": _instante(encuestas["fecha"]),
            "cliente": encuestas["cliente"] + 1,
            "interaccion": pa.array(encuestas["interaccion"] + 1, mask=encuestas["interaccion"] < 0),
            "canal": _categorica(encuestas["canal"], _CANALES),
            "sucursal": _categorica(encuestas["sucursal"], _SUCURSALES),
            "tipo": _categorica(encuestas["tipo"], _TIPOS),
            "csat": encuestas["csat"],
            "nps": _numero(encuestas["nps"]),
            "ces": _numero(encuestas["ces"]),
            "comentario": _categorica(encuestas["comentario"], textos, encuestas["comentario"] < 0),
        }),
        "encuesta_etapas": pa.table({
            "i": np.repeat(np.arange(1, n_enc + 1), n_etapas),
            "etapa": _categorica(np.tile(np.arange(n_etapas), n_enc), ETAPAS),
            "calificacion": _numero(encuestas["etapas"].ravel()),
        }),
        "auditorias": pa.table({
            "i": np.arange(1, n_aud + 1),
            "fecha": _instante(auditorias["fecha"]),
            "agente": auditorias["agente"] + 1,
            "auditor": _categorica(auditorias["auditor"], _AUDITORES),
            "interaccion": auditorias["interaccion"] + 1,
            "comentario": _categorica(auditorias["comentario"], _textos_auditoria(), auditorias["comentario"] < 0),
        }),
        "auditoria_competencias": pa.table({
            "i": np.repeat(np.arange(1, n_aud + 1), n_comp),
            "competencia": _categorica(np.tile(np.arange(n_comp), n_aud), [c for c, _ in COMPETENCIAS]),
            "valor": _numero(auditorias["valores"].ravel()),
        }),
    }


def _textos_auditoria() -> list[str]:
    """Comentarios de auditoría: primero la mejora de cada competencia, luego su fortaleza."""
    return ([_COMENTARIOS_AUDITORIA_MALOS[codigo] for codigo, _ in COMPETENCIAS]
            + [f"Destaca: {nombre[0].lower()}{nombre[1:]}" for _, nombre in COMPETENCIAS])


def _id(prefijo: str, columna: str, n: int, minimo: int) -> str:
    """Expresión SQL que forma un identificador ``PREFIJO-000123`` de ancho fijo a partir de un entero."""
    return f"printf('{prefijo}-%0{max(minimo, len(str(n)))}d', {columna})"


#: Columnas que el generador escribe en ``interacciones`` (las derivadas, como ``fcr``, se calculan aparte).
_COLUMNAS_INTERACCIONES = ("interaccion_id, fecha_inicio, fecha_fin, cliente_id, agente_id, canal, sucursal, motivo, "
                           "etapa, tiempo_respuesta_min, tiempo_resolucion_h, resuelto, escalado, promesa_cumplida, "
                           "carga_id")


def _escribir(con: duckdb.DuckDBPyConnection, tablas: dict[str, pa.Table], filas: dict[str, int],
              avisar: Callable[[float, str], None]) -> None:
    """Registra la carga e inserta todas las tablas en una transacción; deshace todo si algo falla."""
    n_cli, n_age, n_int, n_enc, n_aud = (filas[t] for t in
                                         ("clientes", "agentes", "interacciones", "encuestas", "auditorias"))
    cli, age = _id("CLI", "cliente", n_cli, 6), _id("AGE", "agente", n_age, 3)
    inter, enc, aud = _id("INT", "interaccion", n_int, 8), _id("ENC", "i", n_enc, 8), _id("AUD", "i", n_aud, 6)
    selects = {
        "clientes": f"SELECT {_id('CLI', 'i', n_cli, 6)}, tipo, segmento, region, alta, "
                    "json_object('perfil', perfil), $carga",
        "agentes": f"SELECT {_id('AGE', 'i', n_age, 3)}, nombre, equipo, supervisor, rol, turno, ingreso, $carga",
        "interacciones": f"SELECT {_id('INT', 'i', n_int, 8)}, inicio, fin, {cli}, {age}, canal, sucursal, motivo, "
                         "etapa, respuesta, resolucion, resuelto, escalado, promesa, $carga",
        "encuestas": f"SELECT {enc}, fecha, {cli}, {inter}, canal, sucursal, tipo, csat, nps, ces, comentario, $carga",
        "encuesta_etapas": f"SELECT {enc}, etapa, calificacion, $carga",
        "auditorias": f"SELECT {aud}, fecha, {age}, auditor, {inter}, '1-5', comentario, $carga",
        "auditoria_competencias": f"SELECT {aud}, competencia, valor, $carga",
    }
    for tabla, datos in tablas.items():
        con.register(f"_demo_{tabla}", datos)
    try:
        with transaccion(con):
            carga = con.execute(
                "INSERT INTO cargas (carga_id, tipo, archivo, filas_leidas, filas_guardadas, usuario, es_demo) "
                "VALUES (nextval('carga_id_seq'), 'demo', 'datos de demostración', $n, $n, 'demo', true) "
                "RETURNING carga_id", {"n": sum(filas.values())}).fetchall()[0][0]
            escritas = 0
            for tabla, select in selects.items():
                avisar(0.5 + 0.5 * escritas / sum(filas.values()), f"Guardando {_ETIQUETAS[tabla]}…")
                escritas += filas[tabla]
                columnas = f"({_COLUMNAS_INTERACCIONES})" if tabla == "interacciones" else ""
                con.execute(f"INSERT INTO {tabla} {columnas} {select} FROM _demo_{tabla}", {"carga": carga})
            avisar(0.98, "Calculando indicadores derivados…")
            registrar_escritura(con)
    finally:
        for tabla in tablas:
            con.unregister(f"_demo_{tabla}")


