"""Dónde guarda Eslabón datos de una persona y qué se hace con cada lugar al suprimirla.

Cada ``Lugar`` es una tabla de datos con la condición SQL que elige las filas de la persona
(tablas temporales ``_fichas``, ``_respuestas`` y ``_contactos`` que llena ``preparar``), las
columnas que se le entregan con sus encabezados en español y lo que le pasa al suprimir en cada
forma (``datos.personas.ajustes.MODOS``). Buscar, exportar y suprimir leen esta misma lista, en el
almacén y en los Parquet del lago.
"""

from dataclasses import dataclass

import duckdb

from datos.personas.cambios import FICHA_ANONIMA, Cambio

__all__ = ["Lugar", "LUGARES", "preparar", "limpiar", "cambios_de_supresion"]

_DE_LA_PERSONA = "t.cliente_id IN (SELECT cliente_id FROM _fichas)"


@dataclass(frozen=True)
class Lugar:
    """Un lugar con datos de la persona.

    ``anonimizado`` son los reemplazos al anonimizar (None: nada de la fila la identifica y se
    queda igual); ``se_borra`` dice si sus filas se borran al eliminar (si no, se anonimizan).
    """

    clave: str
    tabla: str
    titulo: str
    condicion: str
    columnas: tuple[tuple[str, str], ...]
    anonimizado: str | None
    se_borra: bool

    @property
    def nombres(self) -> tuple[str, ...]:
        """Las columnas que se leen, en orden."""
        return tuple(c for c, _ in self.columnas)


#: Los lugares, en el orden en que se muestran y se exportan.
LUGARES: tuple[Lugar, ...] = (
    Lugar("ficha", "clientes", "Ficha del cliente", _DE_LA_PERSONA,
          (("cliente_id", "Cliente"), ("tipo_cliente", "Tipo de cliente"), ("segmento", "Segmento"),
           ("region", "Región"), ("fecha_alta", "Fecha de alta"), ("atributos", "Otros atributos")),
          f"{FICHA_ANONIMA} AS cliente_id, NULL AS fecha_alta, NULL AS atributos", True),
    Lugar("encuestas", "encuestas", "Encuestas y comentarios", _DE_LA_PERSONA,
          (("respuesta_id", "Respuesta"), ("fecha", "Fecha"), ("interaccion_id", "Interacción"), ("canal", "Canal"),
           ("sucursal", "Sucursal"), ("tipo_cliente", "Tipo de cliente"), ("csat", "CSAT"), ("nps", "NPS"),
           ("ces", "CES"), ("comentario", "Comentario")),
          f"{FICHA_ANONIMA} AS cliente_id, NULL AS comentario", True),
    Lugar("etapas", "encuesta_etapas", "Calificaciones por etapa",
          "t.respuesta_id IN (SELECT respuesta_id FROM _respuestas)",
          (("respuesta_id", "Respuesta"), ("etapa", "Etapa"), ("calificacion", "Calificación")),
          None, True),
    Lugar("interacciones", "interacciones", "Interacciones", _DE_LA_PERSONA,
          (("interaccion_id", "Interacción"), ("fecha_inicio", "Inicio"), ("fecha_fin", "Fin"),
           ("agente_id", "Agente"), ("canal", "Canal"), ("sucursal", "Sucursal"), ("motivo", "Motivo"),
           ("etapa", "Etapa"), ("tiempo_respuesta_min", "Tiempo de respuesta (min)"),
           ("tiempo_resolucion_h", "Tiempo de resolución (h)"), ("resuelto", "Resuelto"), ("escalado", "Escalado"),
           ("promesa_cumplida", "Promesa cumplida")),
          f"{FICHA_ANONIMA} AS cliente_id", True),
    Lugar("auditorias", "auditorias", "Notas de auditoría",
          "t.interaccion_id IN (SELECT interaccion_id FROM _contactos) AND t.comentario IS NOT NULL",
          (("auditoria_id", "Auditoría"), ("fecha", "Fecha"), ("interaccion_id", "Interacción"),
           ("comentario", "Nota del auditor")),
          "NULL AS comentario", False),
)


def preparar(con: duckdb.DuckDBPyConnection, cliente_id: str, token: str | None = None) -> None:
    """Llena las tablas temporales que citan las condiciones de ``LUGARES`` para ``cliente_id``.

    ``token`` es la ficha anónima que recibirá al anonimizar. Con un lago,
    ``datos.personas.lago.completar`` añade después las respuestas y contactos que están allí.
    """
    con.execute("CREATE OR REPLACE TEMP TABLE _fichas AS SELECT CAST(? AS VARCHAR) AS cliente_id, "
                "CAST(? AS VARCHAR) AS token", [cliente_id, token])
    con.execute("CREATE OR REPLACE TEMP TABLE _respuestas AS SELECT respuesta_id FROM encuestas AS t "
                f"WHERE {_DE_LA_PERSONA}")
    con.execute("CREATE OR REPLACE TEMP TABLE _contactos AS SELECT interaccion_id FROM interacciones AS t "
                f"WHERE {_DE_LA_PERSONA}")


def limpiar(con: duckdb.DuckDBPyConnection) -> None:
    """Borra las tablas temporales con identificadores de la persona (al terminar cada operación)."""
    for tabla in ("_fichas", "_respuestas", "_contactos", "_plazo"):
        con.execute(f"DROP TABLE IF EXISTS {tabla}")


def cambios_de_supresion(modo: str) -> tuple[Cambio, ...]:
    """Los cambios que suprimen a la persona preparada en la forma ``modo`` ('anonimizar' o 'eliminar').

    Los hijos van antes que sus padres (las calificaciones antes que las encuestas) para que sus
    condiciones, que se leen de tablas temporales ya llenas, no dependan del orden.
    """
    if modo not in ("anonimizar", "eliminar"):
        raise ValueError("'modo' debe ser 'anonimizar' o 'eliminar'")
    cambios = []
    for lugar in LUGARES:
        if modo == "eliminar" and lugar.se_borra:
            cambios.append(Cambio(lugar.tabla, lugar.condicion))
        elif lugar.anonimizado is not None:
            cambios.append(Cambio(lugar.tabla, lugar.condicion, lugar.anonimizado))
    return tuple(cambios)
