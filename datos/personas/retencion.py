"""Retención: lo que pasó el plazo de su tipo de dato se anonimiza (``datos.personas.ajustes``).

La ejecuta el trabajador de la aplicación una vez cada ``INTERVALO`` (``retencion_programada``, registrada en
``datos.servicio.programa``); también ``python -m datos.personas retener`` y el botón de la página
(``retener``). Por tipo, con ``límite = ahora − plazo``:

- comentarios: el texto de los comentarios de encuestas anteriores al límite;
- encuestas: el identificador del cliente y el comentario de las encuestas anteriores al límite;
- interacciones: el identificador del cliente de los contactos anteriores al límite;
- auditorías: el nombre del auditor y la nota escrita de las auditorías anteriores al límite.

Un cliente que pierde su identificador en una ejecución recibe una sola ficha anónima al azar
para todas sus filas de esa ejecución, y una copia anónima de su ficha (tipo, segmento y región,
sin alta ni atributos): las cifras por segmento no cambian. El FCR guardado no se recalcula:
se calculó con la identidad conocida y sigue valiendo (recalcularlo separaría a la persona de sus
contactos recientes). Todo en una transacción, anotada como solicitud de tipo ``retencion``.
"""

import json
from dataclasses import dataclass
from datetime import datetime, timedelta

import duckdb

from analisis.formato import cantidad
from datos.almacen.conexion import Almacen
from datos.almacen.derivados import subir_version
from datos.motores.lago_cargas import Lago
from datos.personas import lago as en_lago
from datos.personas.ajustes import plazos
from datos.personas.lago import lago_configurado
from datos.personas.cambios import FICHA_ANONIMA, PREFIJO_ANONIMO, Cambio
from datos.personas.solicitudes import anotar_solicitud, nuevo_numero

__all__ = ["NOMBRES", "INTERVALO", "Retencion", "retener", "retencion_programada", "limites", "ultima_retencion", "proxima_retencion"]

#: Cada cuánto ejecuta el trabajador la retención (``datos.servicio.programa``).
INTERVALO = timedelta(days=1)

#: Usuario con que se anota una ejecución sin persona detrás.
AUTOMATICA = "retención automática"


def _limite(tipo: str) -> str:
    """SQL del límite del tipo (NULL si no tiene plazo: ninguna comparación se cumple)."""
    return f"(SELECT limite FROM _plazo WHERE tipo = '{tipo}')"


_DE_UNA_FICHA = "t.cliente_id IN (SELECT cliente_id FROM _fichas)"

#: Un cambio por tabla (un Parquet del lago se reescribe una sola vez por ejecución).
_CAMBIOS = (
    Cambio("encuestas",
           f"(t.fecha < {_limite('encuestas')} AND ({_DE_UNA_FICHA} OR t.comentario IS NOT NULL)) "
           f"OR (t.fecha < {_limite('comentarios')} AND t.comentario IS NOT NULL)",
           f"CASE WHEN t.fecha < {_limite('encuestas')} THEN coalesce({FICHA_ANONIMA}, t.cliente_id) "
           "ELSE t.cliente_id END AS cliente_id, NULL AS comentario"),
    Cambio("interacciones", f"t.fecha_inicio < {_limite('interacciones')} AND {_DE_UNA_FICHA}",
           f"{FICHA_ANONIMA} AS cliente_id"),
    Cambio("auditorias", f"t.fecha < {_limite('auditorias')} AND (t.comentario IS NOT NULL OR t.auditor IS NOT NULL)",
           "NULL AS comentario, NULL AS auditor"),
    Cambio("clientes", _DE_UNA_FICHA, f"{FICHA_ANONIMA} AS cliente_id, NULL AS fecha_alta, NULL AS atributos",
           conservar=True),
)

#: Nombre visible de lo que cambia en cada tabla (resultado de una ejecución).
NOMBRES = {"encuestas": "Encuestas", "interacciones": "Interacciones", "auditorias": "Auditorías",
           "clientes": "Fichas anónimas de clientes"}

#: Filas cuyo cliente pierde el identificador: (tabla, columna de fecha, tipo).
_CON_CLIENTE = (("encuestas", "fecha", "encuestas"), ("interacciones", "fecha_inicio", "interacciones"))


@dataclass(frozen=True)
class Retencion:
    """Resultado de una ejecución: solicitud, momento, límite por tipo, filas por tabla y archivos del lago."""

    solicitud: int
    momento: datetime
    limites: dict[str, datetime | None]
    filas: dict[str, int]
    archivos_lago: int


def limites(dias: dict[str, int], ahora: datetime) -> dict[str, datetime | None]:
    """Tipo → momento antes del cual se anonimiza (None: sin plazo).

    >>> limites({"comentarios": 30, "encuestas": 0}, datetime(2026, 3, 31))
    {'comentarios': datetime.datetime(2026, 3, 1, 0, 0), 'encuestas': None}
    """
    return {tipo: ahora - timedelta(days=d) if d > 0 else None for tipo, d in dias.items()}


def _preparar(con: duckdb.DuckDBPyConnection, fin: dict[str, datetime | None], lago: Lago | None) -> None:
    """Llena ``_plazo`` (tipo → límite) y ``_fichas`` (cliente que pierde su identificador → ficha al azar),
    con los clientes del almacén y, si hay lago, de sus Parquet."""
    con.execute("CREATE OR REPLACE TEMP TABLE _plazo (tipo VARCHAR, limite TIMESTAMP)")
    con.executemany("INSERT INTO _plazo VALUES (?, ?)", [[tipo, limite] for tipo, limite in fin.items()])
    con.execute("CREATE OR REPLACE TEMP TABLE _candidatos (cliente_id VARCHAR)")
    for tabla, columna, tipo in _CON_CLIENTE:
        condicion = f"t.{columna} < {_limite(tipo)}"
        con.execute(f"INSERT INTO _candidatos SELECT cliente_id FROM {tabla} AS t WHERE {condicion}")
        if lago is not None:
            en_lago.copiar_columna(con, lago, tabla, "cliente_id", condicion, "_candidatos")
    con.execute(
        "CREATE OR REPLACE TEMP TABLE _fichas AS SELECT cliente_id, "
        "? || substr(replace(CAST(gen_random_uuid() AS VARCHAR), '-', ''), 1, 16) AS token "
        "FROM (SELECT DISTINCT cliente_id FROM _candidatos WHERE cliente_id IS NOT NULL "
        "AND NOT starts_with(cliente_id, ?))", [PREFIJO_ANONIMO, PREFIJO_ANONIMO])
    con.execute("DROP TABLE _candidatos")


def retener(almacen: Almacen, *, ahora: datetime | None = None, usuario: str = AUTOMATICA,
            lago: Lago | None = None) -> Retencion:
    """Anonimiza lo que pasó su plazo (ver el módulo) en una transacción y anota la ejecución.

    La llaman la página y ``python -m datos.personas
    retener``; el trabajador, ``retencion_programada``. ``ahora`` fija el momento (por defecto, el actual).
    """
    return _retener(almacen.cursor(), ahora or datetime.now(), usuario, lago)


def retencion_programada(con: duckdb.DuckDBPyConnection, instante: datetime) -> str | None:
    """El trabajo «Retención de datos personales» del trabajador (``datos.servicio.programa``).

    ``None`` si ningún tipo de dato tiene plazo; si no, cuántas filas se anonimizaron.
    """
    if not any(plazos(con).values()):
        return None
    resultado = _retener(con, instante, AUTOMATICA, lago_configurado())
    return f"{cantidad(sum(resultado.filas.values()), 'fila anonimizada', 'filas anonimizadas')}"


def _retener(con: duckdb.DuckDBPyConnection, ahora: datetime, usuario: str, lago: Lago | None) -> Retencion:
    """``retener`` con el cursor ``con``: anonimiza en una transacción y anota la ejecución."""
    fin = limites(plazos(con), ahora)

    def preparar(numero: int) -> tuple[Cambio, ...]:
        """Los límites y las fichas de esta ejecución; los cambios de ``_CAMBIOS``."""
        _preparar(con, fin, lago)
        return _CAMBIOS

    def cerrar(hecho: en_lago.Hecho) -> None:
        """Sube la versión si algo cambió y anota la ejecución."""
        if any(hecho.filas.values()) or hecho.archivos_lago:
            subir_version(con)
        anotar_solicitud(con, hecho.numero, "retencion", usuario=usuario, filas=_con_nombres(hecho.filas),
                         archivos_lago=hecho.archivos_lago)

    hecho = en_lago.transformar(con, lago, "retencion", lambda: nuevo_numero(con), preparar, cerrar)
    return Retencion(hecho.numero, ahora, fin, _con_nombres(hecho.filas), hecho.archivos_lago)


def _con_nombres(filas: dict[str, int]) -> dict[str, int]:
    """Filas por tabla → por nombre visible (``NOMBRES``)."""
    return {NOMBRES[tabla]: n for tabla, n in filas.items()}


def ultima_retencion(con: duckdb.DuckDBPyConnection) -> dict | None:
    """La última ejecución de la retención: ``solicitud``, ``momento``, ``usuario``, ``filas`` (tabla → filas)."""
    filas = con.execute("SELECT solicitud, momento, usuario, filas, archivos_lago FROM solicitudes_personales "
                        "WHERE tipo = 'retencion' ORDER BY solicitud DESC LIMIT 1").fetchall()
    if not filas:
        return None
    solicitud, momento, usuario, tocadas, archivos = filas[0]
    return {"solicitud": solicitud, "momento": momento, "usuario": usuario, "filas": json.loads(tocadas),
            "archivos_lago": archivos}


def proxima_retencion(con: duckdb.DuckDBPyConnection) -> datetime | None:
    """Cuándo toca la próxima ejecución (última + ``INTERVALO``); None si nunca se ejecutó o no hay plazos."""
    ultima = ultima_retencion(con)
    if ultima is None or not any(plazos(con).values()):
        return None
    return ultima["momento"] + INTERVALO
