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

from collections.abc import Callable
from dataclasses import dataclass

import duckdb

from datos.almacen import agregados
from datos.almacen.derivados import SQL_RECALCULAR_FCR
from datos.almacen.transaccion import transaccion
from analisis.errores import BaseDeDatosNoValida

__all__ = ["Migracion", "MIGRACIONES", "COMPETENCIAS", "ETAPAS_PREDETERMINADAS", "METAS_PREDETERMINADAS",
           "TABLAS_DE_DATOS", "migrar", "version_esquema", "ETIQUETAS_PREDETERMINADAS",
           "TEMAS_CAPACITACION", "REGLAS_PREDETERMINADAS"]


@dataclass(frozen=True)
class Migracion:
    """Un paso del esquema: número de versión, descripción y sentencias.

    Cada sentencia es un texto SQL, un par ``(sql, filas)`` cuyo SQL lleva
    marcadores ``?`` y se ejecuta una vez por fila de parámetros, o una función
    ``(con) -> None`` que escribe lo que el SQL fijo no puede (p. ej. los agregados).
    """

    version: int
    descripcion: str
    sentencias: tuple[str | tuple[str, tuple[tuple, ...]] | Callable[[duckdb.DuckDBPyConnection], None], ...]


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

#: Cadena sugerida (meta en escala 1–5): la de la demostración, y la que ofrece la guía de inicio.
#: Un almacén nuevo arranca sin etapas (la migración 17 retira las que la 2 insertaba).
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
    "auditorias", "auditoria_competencias", "auditoria_errores_criticos",
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

#: Temas de capacitación con que arranca un almacén (editables) y las competencias que trabaja cada uno.
TEMAS_CAPACITACION: tuple[tuple[str, tuple[str, ...]], ...] = (
    ("Destrezas técnicas", ("resolucion", "conocimiento_empresa", "destreza_tecnica")),
    ("Comunicación", ("lealtad_confianza", "empatia", "comunicacion")),
    ("Control del estrés", ("manejo_tension", "energia")),
    ("Escucha", ("empatia", "escucha", "alerta")),
    ("Trabajo en equipo", ("trabajo_equipo",)),
    ("Autoestima y confianza", ("lealtad_confianza", "imagen")),
    ("Fijación de metas", ("motivacion", "organizacion")),
    ("Motivación", ("motivacion", "energia")),
    ("Empoderamiento", ("confiabilidad", "resolucion")),
)

_V5_COMPETENCIAS = (
    "ALTER TABLE competencias ADD COLUMN critica BOOLEAN DEFAULT false",
    """CREATE TABLE temas_capacitacion (
        competencia VARCHAR NOT NULL,
        tema VARCHAR NOT NULL,
        PRIMARY KEY (competencia, tema)
    )""",
    ("INSERT INTO temas_capacitacion VALUES (?, ?) ON CONFLICT DO NOTHING",
     tuple((competencia, tema) for tema, competencias in TEMAS_CAPACITACION for competencia in competencias)),
    """CREATE TABLE auditoria_errores_criticos (
        auditoria_id VARCHAR NOT NULL,
        error VARCHAR NOT NULL,
        carga_id INTEGER NOT NULL
    )""",
    ("INSERT INTO configuracion VALUES (?, ?) ON CONFLICT DO NOTHING", (("auditorias_minimas", "5"),)),
)

#: Reglas de alerta iniciales (tipo, kpi, desglose, días, alfa). Ver ``analisis.alertas``.
REGLAS_PREDETERMINADAS: tuple[tuple[str, str, str | None, int, float], ...] = (
    *(("bajo_meta", kpi, None, 28, 0.05) for kpi in (
        "csat_media", "nps", "ces_media", "promesa", "fcr", "respuesta_mediana", "resolucion_mediana", "tasa_quejas")),
    *(("caida_significativa", kpi, None, 28, 0.05) for kpi in (
        "csat_media", "csat_top2", "nps", "ces_media", "promesa", "fcr", "respuesta_mediana", "resolucion_mediana",
        "tasa_quejas")),
    *(("punto_de_cambio", kpi, "sucursal", 60, 0.05) for kpi in ("csat_media", "nps", "promesa")),
)

_V6_REGLAS_ALERTA = (
    """CREATE TABLE reglas_alerta (
        regla_id INTEGER PRIMARY KEY,
        tipo VARCHAR NOT NULL CHECK (tipo IN ('bajo_meta', 'caida_significativa', 'punto_de_cambio')),
        kpi VARCHAR NOT NULL,
        desglose VARCHAR CHECK (desglose IS NULL OR desglose IN
            ('canal', 'sucursal', 'tipo_cliente', 'equipo', 'motivo', 'segmento')),
        dias INTEGER NOT NULL DEFAULT 28 CHECK (dias BETWEEN 7 AND 365),
        alfa DOUBLE NOT NULL DEFAULT 0.05 CHECK (alfa > 0 AND alfa < 0.5),
        activa BOOLEAN NOT NULL DEFAULT true
    )""",
    ("INSERT INTO reglas_alerta VALUES (?, ?, ?, ?, ?, ?, true)",
     tuple((i, *regla) for i, regla in enumerate(REGLAS_PREDETERMINADAS, 1))),
    ("INSERT INTO metas VALUES (?, ?, ?) ON CONFLICT DO NOTHING",
     (("resolucion_mediana", 24.0, "menor"), ("resolucion_p90", 96.0, "menor"), ("tasa_quejas", 0.30, "menor"))),
)

#: Escalas de etiquetas con que arranca un almacén (editables en "Cargar datos"): escala -> ((etiqueta, valor), ...).
#: Las etiquetas se guardan normalizadas: minúsculas, sin tildes y con un solo espacio.
ETIQUETAS_PREDETERMINADAS: dict[str, tuple[tuple[str, float], ...]] = {
    "satisfaccion_5": (
        ("muy insatisfecho", 1), ("nada satisfecho", 1), ("insatisfecho", 2), ("poco satisfecho", 2),
        ("ni satisfecho ni insatisfecho", 3), ("neutral", 3), ("satisfecho", 4), ("muy satisfecho", 5),
        ("very dissatisfied", 1), ("dissatisfied", 2), ("neither satisfied nor dissatisfied", 3),
        ("satisfied", 4), ("very satisfied", 5),
    ),
    "acuerdo_5": (
        ("totalmente en desacuerdo", 1), ("muy en desacuerdo", 1), ("en desacuerdo", 2),
        ("ni de acuerdo ni en desacuerdo", 3), ("de acuerdo", 4), ("totalmente de acuerdo", 5),
        ("muy de acuerdo", 5), ("strongly disagree", 1), ("disagree", 2), ("neither agree nor disagree", 3),
        ("agree", 4), ("strongly agree", 5),
    ),
    "acuerdo_7": (
        ("totalmente en desacuerdo", 1), ("en desacuerdo", 2), ("algo en desacuerdo", 3),
        ("ni de acuerdo ni en desacuerdo", 4), ("algo de acuerdo", 5), ("de acuerdo", 6),
        ("totalmente de acuerdo", 7), ("strongly disagree", 1), ("disagree", 2), ("somewhat disagree", 3),
        ("neither agree nor disagree", 4), ("somewhat agree", 5), ("agree", 6), ("strongly agree", 7),
    ),
    "calidad_5": (
        ("pesimo", 1), ("muy malo", 1), ("malo", 2), ("regular", 3), ("bueno", 4), ("muy bueno", 5),
        ("excelente", 5), ("very poor", 1), ("poor", 2), ("fair", 3), ("good", 4), ("very good", 5),
        ("excellent", 5),
    ),
    "si_no": (
        ("si", 1), ("s", 1), ("no", 0), ("n", 0), ("yes", 1), ("y", 1), ("verdadero", 1), ("falso", 0),
        ("true", 1), ("false", 0), ("x", 1),
    ),
    "cumple": (
        ("cumple", 1), ("no cumple", 0), ("cumplido", 1), ("cumplida", 1), ("no cumplido", 0),
        ("no cumplida", 0), ("meets", 1), ("does not meet", 0), ("si", 1), ("no", 0),
    ),
}

_V3_CARGA_DE_ARCHIVOS = (
    "ALTER TABLE cargas ADD COLUMN filas_repetidas BIGINT DEFAULT 0",
    "ALTER TABLE cargas ADD COLUMN formato VARCHAR",
    "ALTER TABLE cargas ADD COLUMN origen VARCHAR",
    "ALTER TABLE cargas ADD COLUMN deshecha TIMESTAMP",
    "ALTER TABLE cargas ADD COLUMN deshecha_por VARCHAR",
    """CREATE TABLE mapeos (
        firma VARCHAR NOT NULL,
        tipo VARCHAR NOT NULL,
        mapeo JSON NOT NULL,
        usado TIMESTAMP NOT NULL DEFAULT current_timestamp,
        PRIMARY KEY (firma, tipo)
    )""",
    """CREATE TABLE escala_etiquetas (
        escala VARCHAR NOT NULL,
        etiqueta VARCHAR NOT NULL,
        valor DOUBLE NOT NULL,
        PRIMARY KEY (escala, etiqueta)
    )""",
    ("INSERT INTO escala_etiquetas VALUES (?, ?, ?) ON CONFLICT DO NOTHING",
     tuple((escala, etiqueta, float(valor)) for escala, pares in ETIQUETAS_PREDETERMINADAS.items()
           for etiqueta, valor in pares)),
    ("INSERT INTO configuracion VALUES (?, ?) ON CONFLICT DO NOTHING", (("limite_carga_mb", "200"),)),
)

#: Nombres que los usuarios dan a los perfiles de clientes, por firma del perfil (``analisis.perfiles``).
_V4_NOMBRES_PERFILES = (
    """CREATE TABLE nombres_perfiles (
        firma VARCHAR PRIMARY KEY,
        nombre VARCHAR NOT NULL,
        actualizado TIMESTAMP NOT NULL DEFAULT current_timestamp
    )""",
)

_V8_FCR_GUARDADO = (
    "ALTER TABLE interacciones ADD COLUMN fcr BOOLEAN",
    SQL_RECALCULAR_FCR,
)

#: Sentencias de la migración que crea las tablas de cuentas y bitácora.
_TABLAS_CUENTAS = (
    """CREATE TABLE usuarios (
        usuario VARCHAR PRIMARY KEY,
        nombre VARCHAR,
        rol VARCHAR NOT NULL,
        clave_hash VARCHAR NOT NULL,
        activo BOOLEAN NOT NULL DEFAULT true,
        sucursales JSON,
        equipos JSON,
        intentos_fallidos INTEGER NOT NULL DEFAULT 0,
        bloqueado_hasta TIMESTAMP,
        creado TIMESTAMP NOT NULL DEFAULT current_timestamp
    )""",
    """CREATE TABLE bitacora (
        momento TIMESTAMP NOT NULL DEFAULT current_timestamp,
        usuario VARCHAR,
        accion VARCHAR NOT NULL,
        detalle VARCHAR
    )""",
)

_V9_CUENTAS = _TABLAS_CUENTAS + (
    ("INSERT INTO configuracion VALUES (?, ?) ON CONFLICT DO NOTHING", (("privacidad_respuestas", "10"),)),
)

#: Nombres y uniones que los usuarios dan a los temas de comentarios, por firma del tema
#: (``analisis.comentarios``: sus palabras principales). ``unir_con`` es la firma del tema en que se funde.
_V10_TEMAS_COMENTARIOS = (
    """CREATE TABLE temas_comentarios (
        firma VARCHAR PRIMARY KEY,
        nombre VARCHAR,
        unir_con VARCHAR,
        palabras VARCHAR,
        actualizado TIMESTAMP NOT NULL DEFAULT current_timestamp
    )""",
)

#: Diario de los archivos que las cargas escriben en (o retiran de) un lago Parquet
#: (``datos.motores.lago_cargas``). Cada fila se inserta en la misma transacción que la carga o su
#: deshacer (el punto de confirmación); ``aplicada`` dice si ya se renombró o borró el archivo.
#: La columna se llama ``carga`` (no ``carga_id``) para que deshacer no borre el propio diario.
#: ``operaciones`` es el texto SQL de la lista del CHECK (la migración 21 añade las de ``datos.personas``).
_TABLA_LAGO_ARCHIVOS = """CREATE TABLE {nombre} (
        lago VARCHAR NOT NULL,
        carga INTEGER NOT NULL,
        operacion VARCHAR NOT NULL CHECK (operacion IN ({operaciones})),
        tabla VARCHAR NOT NULL,
        accion VARCHAR NOT NULL CHECK (accion IN ('publicar', 'retirar')),
        archivo VARCHAR NOT NULL,
        oculto VARCHAR,
        filas BIGINT NOT NULL,
        aplicada BOOLEAN NOT NULL DEFAULT false,
        registrada TIMESTAMP NOT NULL DEFAULT current_timestamp
    )"""

_V11_LAGO_ARCHIVOS = (_TABLA_LAGO_ARCHIVOS.format(nombre="lago_archivos", operaciones="'carga', 'deshacer'"),)

#: Derechos sobre los datos personales (``datos.personas``): el registro de solicitudes de acceso,
#: supresión y retención (sin los datos de la persona: solo quién, cuándo, cómo y cuántas filas),
#: la forma de suprimir que elige la organización y los plazos de retención por tipo de dato (días;
#: 0 = sin plazo). ``lago_archivos`` se rehace para admitir las operaciones ``supresion`` y
#: ``retencion`` (DuckDB no cambia un CHECK en su sitio).
_V21_DATOS_PERSONALES = (
    """CREATE TABLE solicitudes_personales (
        solicitud INTEGER PRIMARY KEY,
        tipo VARCHAR NOT NULL CHECK (tipo IN ('acceso', 'supresion', 'retencion')),
        modo VARCHAR,
        referencia VARCHAR,
        usuario VARCHAR,
        momento TIMESTAMP NOT NULL DEFAULT current_timestamp,
        filas JSON,
        archivos_lago INTEGER NOT NULL DEFAULT 0
    )""",
    ("INSERT INTO configuracion VALUES (?, ?) ON CONFLICT DO NOTHING",
     (("supresion_modo", "anonimizar"), ("retencion_comentarios", "0"), ("retencion_interacciones", "0"),
      ("retencion_encuestas", "0"), ("retencion_auditorias", "0"))),
    _TABLA_LAGO_ARCHIVOS.format(nombre="lago_archivos_v21",
                                operaciones="'carga', 'deshacer', 'supresion', 'retencion'"),
    "INSERT INTO lago_archivos_v21 SELECT * FROM lago_archivos",
    "DROP TABLE lago_archivos",
    "ALTER TABLE lago_archivos_v21 RENAME TO lago_archivos",
)

#: Sesiones comprobadas en el servidor (``datos.cuentas.sesiones``), el secreto que firma sus fichas y
#: umbrales de privacidad guardados por debajo de su nuevo mínimo (``datos.cuentas.configuracion``).
_V16_SESIONES = (
    """CREATE TABLE sesiones (
        huella VARCHAR PRIMARY KEY,
        usuario VARCHAR NOT NULL,
        creada TIMESTAMP NOT NULL,
        ultima_actividad TIMESTAMP NOT NULL,
        cerrada TIMESTAMP
    )""",
    """CREATE TABLE secretos (
        nombre VARCHAR PRIMARY KEY,
        valor VARCHAR NOT NULL
    )""",
    "UPDATE configuracion SET valor = '3' WHERE clave = 'auditorias_minimas' AND TRY_CAST(valor AS INTEGER) < 3",
    "UPDATE configuracion SET valor = '5' WHERE clave = 'privacidad_respuestas' AND TRY_CAST(valor AS INTEGER) < 5",
    "UPDATE configuracion SET valor = '10' WHERE clave = 'muestra_minima' AND TRY_CAST(valor AS INTEGER) < 10",
)

#: Suscripciones a los envíos por correo y webhook (``datos.avisos``) y la historia de cada entrega.
#: ``clave`` identifica una suscripción por su contenido (destinatarios, informe, frecuencia y alcance): guardarla de
#: nuevo sin cambios no la hace nueva. ``entregas_envios`` guarda una fila por destinatario y envío, con su estado,
#: sus intentos y las alertas que llevó (para no repetirlas dentro del mismo ciclo).
_V24_ENVIOS = (
    """CREATE TABLE envios (
        clave VARCHAR PRIMARY KEY,
        orden INTEGER NOT NULL,
        para JSON NOT NULL,
        frecuencia VARCHAR NOT NULL CHECK (frecuencia IN ('diaria', 'semanal', 'mensual')),
        informe VARCHAR NOT NULL CHECK (informe IN ('resumen', 'alertas', 'realimentacion')),
        sucursales JSON,
        equipos JSON,
        webhook VARCHAR,
        activo BOOLEAN NOT NULL DEFAULT true,
        creado TIMESTAMP NOT NULL DEFAULT current_timestamp
    )""",
    "CREATE SEQUENCE entrega_id_seq START 1",
    """CREATE TABLE entregas_envios (
        entrega_id BIGINT PRIMARY KEY DEFAULT nextval('entrega_id_seq'),
        clave VARCHAR NOT NULL,
        informe VARCHAR NOT NULL,
        canal VARCHAR NOT NULL CHECK (canal IN ('correo', 'webhook')),
        destino VARCHAR NOT NULL,
        momento TIMESTAMP NOT NULL,
        estado VARCHAR NOT NULL CHECK (estado IN ('enviado', 'fallido')),
        intentos INTEGER NOT NULL,
        asunto VARCHAR,
        error VARCHAR,
        alertas JSON
    )""",
)

_NOMBRES_PREDETERMINADOS = ", ".join("'" + etapa.replace("'", "''") + "'" for etapa, _ in ETAPAS_PREDETERMINADAS)

#: La configuración propia de la organización (``datos.ajustes.organizacion``): descripción de cada etapa y la
#: carga de demostración que la trajo (deshacerla la retira), escalas por medida con sus códigos «no aplica»,
#: metas que rigen desde una fecha (y por sucursal o canal) y la promesa de primera respuesta por canal.
#: Un almacén nuevo deja de traer las etapas de demostración: solo se quedan las que ya tienen calificaciones.
_V17_ORGANIZACION = (
    "ALTER TABLE etapas ADD COLUMN descripcion VARCHAR",
    "ALTER TABLE etapas ADD COLUMN carga_id INTEGER",
    """CREATE TABLE escalas_medidas (
        medida VARCHAR PRIMARY KEY,
        minimo DOUBLE,
        maximo DOUBLE,
        sin_dato DOUBLE[] NOT NULL DEFAULT []
    )""",
    """CREATE TABLE metas_por_fecha (
        kpi VARCHAR NOT NULL,
        desde DATE NOT NULL,
        sucursal VARCHAR NOT NULL DEFAULT '',
        canal VARCHAR NOT NULL DEFAULT '',
        meta DOUBLE NOT NULL,
        PRIMARY KEY (kpi, desde, sucursal, canal)
    )""",
    """CREATE TABLE promesas (
        canal VARCHAR PRIMARY KEY,
        minutos DOUBLE NOT NULL CHECK (minutos > 0)
    )""",
    f"""DELETE FROM etapas WHERE etapa IN ({_NOMBRES_PREDETERMINADOS})
        AND etapa NOT IN (SELECT etapa FROM encuesta_etapas)
        AND etapa NOT IN (SELECT etapa FROM interacciones WHERE etapa IS NOT NULL)""",
    f"""UPDATE etapas SET carga_id = (SELECT min(carga_id) FROM cargas WHERE es_demo AND deshecha IS NULL)
        WHERE etapa IN ({_NOMBRES_PREDETERMINADOS}) AND NOT EXISTS (
            SELECT 1 FROM encuesta_etapas e JOIN cargas c USING (carga_id) WHERE e.etapa = etapas.etapa AND NOT c.es_demo)""",
)

#: Estado del trabajador programado (``datos.servicio.trabajos``): la última ejecución y la próxima de cada
#: trabajo, y las últimas ejecuciones que hicieron algo; y los ajustes de la carpeta de entrada y del respaldo
#: diario (``datos.ajustes.operacion``).
_V19_OPERACION = (
    """CREATE TABLE trabajos (
        trabajo VARCHAR PRIMARY KEY,
        ultima TIMESTAMP,
        estado VARCHAR CHECK (estado IN ('bien', 'error')),
        resultado VARCHAR,
        proxima TIMESTAMP
    )""",
    """CREATE TABLE ejecuciones_trabajos (
        trabajo VARCHAR NOT NULL,
        inicio TIMESTAMP NOT NULL,
        fin TIMESTAMP NOT NULL,
        estado VARCHAR NOT NULL CHECK (estado IN ('bien', 'error')),
        resultado VARCHAR
    )""",
    ("INSERT INTO configuracion VALUES (?, ?) ON CONFLICT DO NOTHING",
     (("entrada_carpeta", ""), ("respaldo_carpeta", ""), ("respaldo_hora", "02:00"), ("respaldo_conservar", "7"))),
)

#: Tablas de los agregados tal como las creó la migración 30 (``datos.almacen.agregados``).
_V30_AGREGADOS = (
    "CREATE TABLE IF NOT EXISTS agregados_encuestas (dia DATE, canal VARCHAR, sucursal VARCHAR, "
    "tipo_cliente VARCHAR, equipo VARCHAR, n_respuestas BIGINT, n_csat BIGINT, suma_csat DOUBLE, "
    "suma2_csat DOUBLE, csat_top2 BIGINT, n_nps BIGINT, promotores BIGINT, detractores BIGINT, n_ces BIGINT, "
    "suma_ces DOUBLE, suma2_ces DOUBLE, ces_facil BIGINT)",
    "CREATE TABLE IF NOT EXISTS agregados_interacciones (dia DATE, canal VARCHAR, sucursal VARCHAR, "
    "tipo_cliente VARCHAR, equipo VARCHAR, n_interacciones BIGINT, n_promesa BIGINT, promesa_cumplida BIGINT, "
    "n_fcr BIGINT, fcr BIGINT, n_respuesta BIGINT, n_resolucion BIGINT, n_motivo BIGINT, quejas BIGINT)",
    "CREATE TABLE IF NOT EXISTS agregados_tiempos (nivel VARCHAR, dia DATE, canal VARCHAR, sucursal VARCHAR, "
    "tipo_cliente VARCHAR, equipo VARCHAR, medida VARCHAR, cubeta INTEGER, n BIGINT)",
    "CREATE TABLE IF NOT EXISTS agregados_estado (tabla VARCHAR PRIMARY KEY, filas BIGINT)",
    agregados.recalcular,
)

#: El histograma de tiempos se queda con el nivel del día y las cuatro dimensiones (los niveles gruesos
#: costaban más de lo que ahorraban). Las filas que la migración 30 escribe con el código de hoy no traen
#: nivel (vacío): también son de ese nivel.
_V31_HISTOGRAMA_UN_NIVEL = (
    "DELETE FROM agregados_tiempos WHERE nivel <> 'segmento'",
    "ALTER TABLE agregados_tiempos DROP COLUMN nivel",
)

#: Historia completa del esquema, en orden. Nunca se edita una migración publicada: se añade otra.
MIGRACIONES: tuple[Migracion, ...] = (
    Migracion(1, "Modelo canónico, registro de cargas y configuración", _V1),
    Migracion(2, "Valores iniciales: muestra mínima, metas, etapas y competencias", _V2_VALORES_INICIALES),
    Migracion(3, "Carga de archivos: mapeos recordados, escalas de etiquetas, límite de tamaño y deshacer",
              _V3_CARGA_DE_ARCHIVOS),
    Migracion(4, "Nombres propios de los perfiles de clientes", _V4_NOMBRES_PERFILES),
    Migracion(5, "Competencias críticas, temas de capacitación, errores críticos y auditorías mínimas",
              _V5_COMPETENCIAS),
    Migracion(6, "Reglas de alerta configurables y metas de resolución y quejas", _V6_REGLAS_ALERTA),
    Migracion(8, "FCR precalculado en interacciones (se actualiza en cada escritura)", _V8_FCR_GUARDADO),
    Migracion(9, "Cuentas de usuario, bitácora y umbral de privacidad por segmento", _V9_CUENTAS),
    Migracion(10, "Nombres y uniones de los temas de comentarios", _V10_TEMAS_COMENTARIOS),
    Migracion(11, "Diario de los archivos que las cargas escriben en un lago Parquet", _V11_LAGO_ARCHIVOS),
    Migracion(15, "FCR vacío mientras la ventana de recontacto no cerró (contactos abiertos o recientes)",
              (SQL_RECALCULAR_FCR,)),
    Migracion(16, "Sesiones comprobadas en el servidor y mínimos de los umbrales de privacidad", _V16_SESIONES),
    Migracion(17, "Configuración de la organización: etapas propias, escalas, metas con fecha y promesas",
              _V17_ORGANIZACION),
    Migracion(19, "Trabajador programado, carpeta de entrada y respaldo diario", _V19_OPERACION),
    Migracion(21, "Datos personales: solicitudes, forma de suprimir y plazos de retención", _V21_DATOS_PERSONALES),
    Migracion(24, "Envíos por correo y webhook: suscripciones e historia de las entregas", _V24_ENVIOS),
    Migracion(30, "Agregados diarios por segmento e histograma de tiempos, al día en cada escritura",
              _V30_AGREGADOS),
    Migracion(31, "Histograma de tiempos en un solo nivel (día y segmento): cargas más rápidas",
              _V31_HISTOGRAMA_UN_NIVEL),
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

    Pendiente es toda migración cuya versión no figura en ``esquema_version``
    (no solo las mayores que la última aplicada), y se aplican en orden de
    versión: así una migración con número intermedio, añadida en paralelo a
    otra, tampoco se pierde.

    Parameters
    ----------
    con : conexión DuckDB abierta sobre el almacén.
    migraciones : historia del esquema (el orden de la tupla no importa).

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
    ya_aplicadas = {fila[0] for fila in con.execute("SELECT version FROM esquema_version").fetchall()}
    ultima = max(m.version for m in migraciones)
    if ya_aplicadas and max(ya_aplicadas) > ultima:
        raise BaseDeDatosNoValida(
            f"La base de datos tiene la versión de esquema {max(ya_aplicadas)}, más nueva que la de esta "
            f"aplicación ({ultima}). Actualice Eslabón antes de abrirla."
        )
    aplicadas = []
    for migracion in sorted(migraciones, key=lambda m: m.version):
        if migracion.version in ya_aplicadas:
            continue
        with transaccion(con):
            for sentencia in migracion.sentencias:
                _ejecutar(con, sentencia)
            con.execute("INSERT INTO esquema_version (version, descripcion) VALUES (?, ?)",
                        [migracion.version, migracion.descripcion])
        aplicadas.append(migracion.version)
    return aplicadas


def _ejecutar(con: duckdb.DuckDBPyConnection, sentencia: str | tuple[str, tuple[tuple, ...]]) -> None:
    """Ejecuta una sentencia de migración: SQL simple, ``(sql, filas)`` parametrizado o una función."""
    if callable(sentencia):
        sentencia(con)
    elif isinstance(sentencia, str):
        con.execute(sentencia)
    else:
        sql, filas = sentencia
        con.executemany(sql, [list(fila) for fila in filas])
