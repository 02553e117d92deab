"""Esquema del almacén DuckDB y sus migraciones versionadas.

Cada migración es una lista de sentencias SQL que se aplican en una sola
transacción y se registran en ``esquema_version``. Al abrir un archivo se
aplican solo las que faltan, así que una versión nueva de la aplicación abre
un archivo antiguo sin perder datos, y abrir dos veces no cambia nada.

Las tablas siguen el modelo canónico de ``dominio.md``: las calificaciones por
etapa de la cadena y los puntajes por competencia se guardan en forma larga
(``encuesta_etapas``, ``auditoria_competencias``). Toda fila de datos apunta a
la carga (``cargas``) que la trajo, para poder rastrearla y deshacerla.
"""

from dataclasses import dataclass

import duckdb

from datos.errores import BaseDeDatosNoValida

__all__ = ["Migracion", "MIGRACIONES", "COMPETENCIAS", "ETAPAS_PREDETERMINADAS", "METAS_PREDETERMINADAS",
           "TABLAS_DE_DATOS", "migrar", "version_esquema"]


@dataclass(frozen=True)
class Migracion:
    """Un paso del esquema: número de versión, descripción y sentencias.

    Cada sentencia es un texto SQL, o un par ``(sql, filas)`` cuyo SQL lleva
    marcadores ``?`` y se ejecuta una vez por fila de parámetros.
    """

    version: int
    descripcion: str
    sentencias: tuple[str | tuple[str, tuple[tuple, ...]], ...]


#: Las 15 competencias del estándar de servicio (código, nombre visible).
COMPETENCIAS: tuple[tuple[str, str], ...] = (
    ("lealtad_confianza", "Genera lealtad y confianza en el cliente"),
    ("empatia", "Se pone en el lugar del cliente"),
    ("comunicacion", "Logra una comunicación eficaz"),
    ("manejo_tension", "Domina las tensiones"),
    ("escucha", "Escucha con atención"),
    ("alerta", "Demuestra estado de alerta"),
    ("trabajo_equipo", "Realiza un buen trabajo de equipo"),
    ("confiabilidad", "Demuestra confiabilidad y lealtad"),
    ("motivacion", "Demuestra motivación personal"),
    ("resolucion", "Resuelve problemas"),
    ("imagen", "Mantiene una imagen profesional"),
    ("conocimiento_empresa", "Conoce la compañía y su sector"),
    ("energia", "Conserva la energía"),
    ("destreza_tecnica", "Aplica destrezas y conocimiento técnico"),
    ("organizacion", "Organiza adecuadamente el trabajo"),
)

#: Etapas de la cadena de servicio con las que arranca un almacén nuevo (meta en escala 1–5).
ETAPAS_PREDETERMINADAS: tuple[tuple[str, float], ...] = (
    ("Atención inicial", 4.0),
    ("Diagnóstico", 4.0),
    ("Solución", 4.0),
    ("Entrega", 4.0),
    ("Seguimiento", 4.0),
)

#: Metas iniciales por KPI: (kpi, meta, sentido). "mayor" = más alto es mejor.
METAS_PREDETERMINADAS: tuple[tuple[str, float, str], ...] = (
    ("csat_media", 4.0, "mayor"),
    ("csat_top2", 0.75, "mayor"),
    ("nps", 30.0, "mayor"),
    ("ces_media", 5.5, "mayor"),
    ("promesa", 0.90, "mayor"),
    ("fcr", 0.75, "mayor"),
    ("respuesta_mediana", 15.0, "menor"),
    ("respuesta_p90", 60.0, "menor"),
)

#: Tablas que contienen datos subidos (cada fila lleva ``carga_id``).
TABLAS_DE_DATOS: tuple[str, ...] = (
    "clientes", "agentes", "interacciones", "encuestas", "encuesta_etapas",
    "auditorias", "auditoria_competencias",
)

_V1 = (
    """CREATE TABLE cargas (
        carga_id INTEGER PRIMARY KEY,
        tipo VARCHAR NOT NULL,
        archivo VARCHAR,
        hash VARCHAR,
        filas_leidas BIGINT DEFAULT 0,
        filas_guardadas BIGINT DEFAULT 0,
        filas_rechazadas BIGINT DEFAULT 0,
        mapeo JSON,
        usuario VARCHAR,
        creada TIMESTAMP NOT NULL DEFAULT current_timestamp,
        es_demo BOOLEAN NOT NULL DEFAULT false
    )""",
    "CREATE SEQUENCE carga_id_seq START 1",
    """CREATE TABLE clientes (
        cliente_id VARCHAR PRIMARY KEY,
        tipo_cliente VARCHAR,
        segmento VARCHAR,
        region VARCHAR,
        fecha_alta DATE,
        atributos JSON,
        carga_id INTEGER NOT NULL
    )""",
    """CREATE TABLE agentes (
        agente_id VARCHAR PRIMARY KEY,
        nombre VARCHAR,
        equipo VARCHAR,
        supervisor VARCHAR,
        rol_servicio VARCHAR,
        turno VARCHAR,
        fecha_ingreso DATE,
        carga_id INTEGER NOT NULL
    )""",
    """CREATE TABLE interacciones (
        interaccion_id VARCHAR NOT NULL,
        fecha_inicio TIMESTAMP NOT NULL,
        fecha_fin TIMESTAMP,
        cliente_id VARCHAR,
        agente_id VARCHAR,
        canal VARCHAR,
        sucursal VARCHAR,
        motivo VARCHAR,
        etapa VARCHAR,
        tiempo_respuesta_min DOUBLE,
        tiempo_resolucion_h DOUBLE,
        resuelto BOOLEAN,
        escalado BOOLEAN,
        promesa_cumplida BOOLEAN,
        carga_id INTEGER NOT NULL
    )""",
    """CREATE TABLE encuestas (
        respuesta_id VARCHAR NOT NULL,
        fecha TIMESTAMP NOT NULL,
        cliente_id VARCHAR,
        interaccion_id VARCHAR,
        canal VARCHAR,
        sucursal VARCHAR,
        tipo_cliente VARCHAR,
        csat DOUBLE,
        nps DOUBLE,
        ces DOUBLE,
        comentario VARCHAR,
        carga_id INTEGER NOT NULL
    )""",
    """CREATE TABLE encuesta_etapas (
        respuesta_id VARCHAR NOT NULL,
        etapa VARCHAR NOT NULL,
        calificacion DOUBLE,
        carga_id INTEGER NOT NULL
    )""",
    """CREATE TABLE auditorias (
        auditoria_id VARCHAR NOT NULL,
        fecha TIMESTAMP NOT NULL,
        agente_id VARCHAR,
        auditor VARCHAR,
        interaccion_id VARCHAR,
        escala VARCHAR NOT NULL DEFAULT '1-5',
        comentario VARCHAR,
        carga_id INTEGER NOT NULL
    )""",
    """CREATE TABLE auditoria_competencias (
        auditoria_id VARCHAR NOT NULL,
        competencia VARCHAR NOT NULL,
        valor DOUBLE,
        carga_id INTEGER NOT NULL
    )""",
    """CREATE TABLE etapas (
        etapa VARCHAR PRIMARY KEY,
        orden INTEGER NOT NULL,
        meta DOUBLE
    )""",
    """CREATE TABLE metas (
        kpi VARCHAR PRIMARY KEY,
        meta DOUBLE NOT NULL,
        sentido VARCHAR NOT NULL CHECK (sentido IN ('mayor', 'menor'))
    )""",
    """CREATE TABLE competencias (
        competencia VARCHAR PRIMARY KEY,
        nombre VARCHAR NOT NULL,
        orden INTEGER NOT NULL,
        meta DOUBLE NOT NULL DEFAULT 0.8,
        peso DOUBLE NOT NULL DEFAULT 1.0
    )""",
    """CREATE TABLE configuracion (
        clave VARCHAR PRIMARY KEY,
        valor VARCHAR NOT NULL
    )""",
)

_V2_VALORES_INICIALES = (
    ("INSERT INTO configuracion VALUES (?, ?) ON CONFLICT DO NOTHING",
     (("muestra_minima", "30"), ("version_datos", "0"))),
    ("INSERT INTO metas VALUES (?, ?, ?) ON CONFLICT DO NOTHING", METAS_PREDETERMINADAS),
    ("INSERT INTO etapas VALUES (?, ?, ?) ON CONFLICT DO NOTHING",
     tuple((etapa, orden, meta) for orden, (etapa, meta) in enumerate(ETAPAS_PREDETERMINADAS, 1))),
    ("INSERT INTO competencias (competencia, nombre, orden) VALUES (?, ?, ?) ON CONFLICT DO NOTHING",
     tuple((codigo, nombre, orden) for orden, (codigo, nombre) in enumerate(COMPETENCIAS, 1))),
)

#: Historia completa del esquema, en orden. Nunca se edita una migración publicada: se añade otra.
MIGRACIONES: tuple[Migracion, ...] = (
    Migracion(1, "Modelo canónico, registro de cargas y configuración", _V1),
    Migracion(2, "Valores iniciales: muestra mínima, metas, etapas y competencias", _V2_VALORES_INICIALES),
)


def version_esquema(con: duckdb.DuckDBPyConnection) -> int:
    """Devuelve la versión de esquema del archivo abierto (0 si está vacío)."""
    existe = con.execute(
        "SELECT count(*) FROM information_schema.tables WHERE table_name = 'esquema_version'"
    ).fetchall()[0][0]
    if not existe:
        return 0
    return int(con.execute("SELECT coalesce(max(version), 0) FROM esquema_version").fetchall()[0][0])


def migrar(con: duckdb.DuckDBPyConnection, migraciones: tuple[Migracion, ...] = MIGRACIONES) -> list[int]:
    """Aplica las migraciones pendientes, cada una en su propia transacción.

    Parameters
    ----------
    con : conexión DuckDB abierta sobre el almacén.
    migraciones : historia del esquema, en orden creciente de versión.

    Returns
    -------
    list[int]
        Versiones aplicadas ahora (vacía si el archivo ya estaba al día).

    Raises
    ------
    BaseDeDatosNoValida
        Si el archivo viene de una versión de Eslabón más nueva que esta.
    """
    con.execute(
        "CREATE TABLE IF NOT EXISTS esquema_version ("
        " version INTEGER PRIMARY KEY, descripcion VARCHAR, aplicada TIMESTAMP DEFAULT current_timestamp)"
    )
    actual = version_esquema(con)
    ultima = max(m.version for m in migraciones)
    if actual > ultima:
        raise BaseDeDatosNoValida(
            f"La base de datos tiene la versión de esquema {actual}, más nueva que la de esta aplicación "
            f"({ultima}). Actualice Eslabón antes de abrirla."
        )
    aplicadas = []
    for migracion in migraciones:
        if migracion.version <= actual:
            continue
        con.execute("BEGIN TRANSACTION")
        try:
            for sentencia in migracion.sentencias:
                _ejecutar(con, sentencia)
            con.execute("INSERT INTO esquema_version (version, descripcion) VALUES (?, ?)",
                        [migracion.version, migracion.descripcion])
            con.execute("COMMIT")
        except Exception:
            con.execute("ROLLBACK")
            raise
        aplicadas.append(migracion.version)
    return aplicadas


def _ejecutar(con: duckdb.DuckDBPyConnection, sentencia: str | tuple[str, tuple[tuple, ...]]) -> None:
    """Ejecuta una sentencia de migración: SQL simple o ``(sql, filas)`` parametrizado."""
    if isinstance(sentencia, str):
        con.execute(sentencia)
    else:
        sql, filas = sentencia
        con.executemany(sql, [list(fila) for fila in filas])
