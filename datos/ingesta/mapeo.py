"""El modelo canónico de cada tipo de archivo y la propuesta de mapeo de columnas.

``TIPOS`` describe, para encuestas, interacciones, auditorías, clientes y
agentes, los campos que Eslabón entiende: tipo de dato, rango, si son
obligatorios, ejemplo, explicación en español y sinónimos en español e inglés.

``proponer`` empareja las cabeceras del usuario con esos campos: compara
nombres normalizados (minúsculas, sin tildes ni signos), busca sinónimos
contenidos en la cabecera o en el texto de la pregunta (Qualtrics) y, si no
hay coincidencia, usa la semejanza de Ratcliff-Obershelp de ``difflib``
(≥ 0,85). Las columnas de calificación de una etapa de la cadena se mapean a
``"etapa:<Etapa>"`` y las de una competencia a ``"competencia:<código>"``. En
clientes, lo que no es un campo del modelo se guarda como atributo
(``"atributo:<clave>"``). Un destino vacío ignora la columna.

Un mapeo confirmado se recuerda (tabla ``mapeos``) con la huella de las
cabeceras normalizadas, y se propone tal cual al siguiente archivo que tenga
las mismas cabeceras.
"""

import difflib
import hashlib
import json
import re
from dataclasses import dataclass

import duckdb

from analisis.errores import MapeoIncompleto
from analisis.escalas import ESCALA_CES, ESCALA_CSAT, ESCALA_NPS, texto_escala
from datos.ingesta.lectura import normalizar

__all__ = ["Campo", "Tipo", "TIPOS", "ETAPA_CON_NOMBRE_DE_COLUMNA", "proponer", "sugerir_tipo", "revisar_mapeo",
           "firma_de_columnas", "mapeo_recordado", "tipo_recordado", "recordar_mapeo", "opciones_de_destino", "etapas_y_competencias"]

#: Destino que marca una columna como calificación de una etapa que se llama como la columna.
ETAPA_CON_NOMBRE_DE_COLUMNA = "etapa"
_UMBRAL = 0.8
_UMBRAL_DIFUSO = 0.85


@dataclass(frozen=True)
class Campo:
    """Un campo del modelo canónico.

    ``tipo`` es 'id', 'texto', 'fecha', 'numero' (≥ 0), 'nota' (entre ``minimo`` y ``maximo``) o 'booleano'.
    """

    nombre: str
    tipo: str
    etiqueta: str
    descripcion: str
    ejemplo: str
    sinonimos: tuple[str, ...] = ()
    minimo: float | None = None
    maximo: float | None = None
    #: Códigos que en el archivo significan «no aplica» (se guardan vacíos); ver ``datos.ingesta.escalas``.
    sin_dato: tuple[float, ...] = ()
    #: Escala común a la que se lleva la nota (``None``: se guarda tal cual).
    comun: tuple[float, float] | None = None


@dataclass(frozen=True)
class Tipo:
    """Un tipo de archivo: tabla de destino, clave natural, campos y requisitos."""

    nombre: str
    etiqueta: str
    tabla: str
    clave: str
    campos: tuple[Campo, ...]
    obligatorios: tuple[str, ...]
    #: 'etapas' (encuestas), 'competencias' (auditorías), 'atributos' (clientes) o ''.
    variables: str = ""
    #: Campo de fecha obligatorio que, si el archivo no lo trae, toma la fecha de la carga ('' si no hay).
    fecha_de_carga: str = ""

    def campo(self, nombre: str) -> Campo:
        """El campo ``nombre`` de este tipo."""
        return next(c for c in self.campos if c.nombre == nombre)


def _id(nombre, etiqueta, descripcion, ejemplo, *sinonimos) -> Campo:
    return Campo(nombre, "id", etiqueta, descripcion, ejemplo, sinonimos)


def _texto(nombre, etiqueta, descripcion, ejemplo, *sinonimos) -> Campo:
    return Campo(nombre, "texto", etiqueta, descripcion, ejemplo, sinonimos)


def _fecha(nombre, etiqueta, descripcion, ejemplo, *sinonimos) -> Campo:
    return Campo(nombre, "fecha", etiqueta, descripcion, ejemplo, sinonimos)


def _si_no(nombre, etiqueta, descripcion, *sinonimos) -> Campo:
    return Campo(nombre, "booleano", etiqueta, descripcion, "Sí", sinonimos)


_CLIENTE = _id("cliente_id", "Cliente", "Identificador del cliente (el mismo del archivo de clientes).", "CLI-000123",
               "cliente", "id cliente", "codigo cliente", "customer id", "customer", "client id", "customer unique id",
               "documento cliente")
_AGENTE = _id("agente_id", "Agente", "Identificador del agente o asesor (el mismo del archivo de agentes).", "AGE-007",
              "agente", "id agente", "asesor", "operador", "ejecutivo", "agent", "agent id", "assignee", "owner",
              "codigo agente", "usuario asignado")
_INTERACCION = _id("interaccion_id", "Interacción", "Identificador del contacto, ticket o caso evaluado.",
                   "INT-00004567", "interaccion", "id interaccion", "ticket", "id ticket", "caso", "id caso",
                   "numero de caso", "ticket id", "case id", "case number", "interaction id", "call id",
                   "id llamada", "contact id", "order id", "pedido")
_CANAL = _texto("canal", "Canal", "Canal de atención: Teléfono, Correo, Chat, Presencial, WhatsApp…", "Teléfono",
                "canal", "channel", "medio", "canal de atencion", "medio de contacto")
_SUCURSAL = _texto("sucursal", "Sucursal", "Sucursal, oficina o punto de atención.", "Sucursal Norte",
                   "sucursal", "oficina", "tienda", "sede", "branch", "store", "punto de venta", "agencia")
_TIPO_CLIENTE = _texto("tipo_cliente", "Tipo de cliente", "externo, intermedio (distribuidor) o interno (colega).",
                       "externo", "tipo de cliente", "tipo cliente", "customer type", "clase de cliente")
_COMENTARIO = _texto("comentario", "Comentario", "Texto libre del cliente o del auditor.",
                     "Me atendieron rápido", "comentario", "comentarios", "observaciones", "observacion", "comment",
                     "comments", "feedback", "review comment message", "sugerencias", "verbatim", "opinion")

TIPOS: dict[str, Tipo] = {
    "encuestas": Tipo(
        "encuestas", "Encuestas", "encuestas", "respuesta_id",
        (
            _id("respuesta_id", "Respuesta", "Identificador único de la respuesta. Si falta, Eslabón crea uno a "
                "partir del contenido de la fila.", "ENC-000001", "id respuesta", "id de respuesta", "respuesta",
                "response id", "responseid", "respondent id", "submission id", "review id", "folio", "id encuesta",
                "numero de respuesta", "id"),
            _fecha("fecha", "Fecha", "Fecha (y hora) de la respuesta: dd/mm/aaaa, aaaa-mm-dd o fecha de Excel.",
                   "15/03/2026 10:30", "fecha", "fecha respuesta", "fecha de respuesta", "date", "marca temporal",
                   "timestamp", "submitted at", "recorded date", "recordeddate", "end date", "enddate",
                   "fecha encuesta", "created at", "review creation date", "hora de finalizacion",
                   "completion time", "fecha de envio"),
            _CLIENTE, _INTERACCION, _CANAL, _SUCURSAL, _TIPO_CLIENTE,
            Campo("csat", "nota", f"CSAT ({texto_escala(ESCALA_CSAT)})",
                  f"Satisfacción general, de {ESCALA_CSAT[0]} (muy insatisfecho) a {ESCALA_CSAT[1]} (muy satisfecho).",
                  "4", ("csat", "satisfaccion", "satisfaccion general", "nivel de satisfaccion",
                        "grado de satisfaccion", "satisfaction", "overall satisfaction", "customer satisfaction",
                        "review score", "calificacion general", "que tan satisfecho", "how satisfied"), *ESCALA_CSAT),
            Campo("nps", "nota", f"NPS ({texto_escala(ESCALA_NPS)})",
                  f"Probabilidad de recomendar, de {ESCALA_NPS[0]} a {ESCALA_NPS[1]}.", "9",
                  ("nps", "recomendacion", "probabilidad de recomendar", "recomendaria", "likelihood to recommend",
                   "net promoter score", "how likely are you to recommend", "que tan probable es que recomiende",
                   "recomendaria a un amigo"), *ESCALA_NPS),
            Campo("ces", "nota", f"CES ({texto_escala(ESCALA_CES)})",
                  f"Esfuerzo: «me lo hicieron fácil», de {ESCALA_CES[0]} (nada) a {ESCALA_CES[1]} (totalmente).",
                  "6",
                  ("ces", "esfuerzo", "facilidad", "customer effort score", "customer effort", "effort",
                   "me lo hicieron facil", "fue facil"), *ESCALA_CES),
            _COMENTARIO,
        ),
        ("fecha",), "etapas", "fecha",
    ),
    "interacciones": Tipo(
        "interacciones", "Interacciones", "interacciones", "interaccion_id",
        (
            _INTERACCION,
            _fecha("fecha_inicio", "Fecha de inicio", "Cuándo empezó el contacto (fecha y hora).", "15/03/2026 09:12",
                   "fecha inicio", "fecha de inicio", "inicio", "fecha", "start", "start time", "created",
                   "created at", "fecha creacion", "fecha de creacion", "fecha de apertura", "apertura", "opened",
                   "fecha hora"),
            _fecha("fecha_fin", "Fecha de fin", "Cuándo se cerró o resolvió (fecha y hora).", "15/03/2026 11:40",
                   "fecha fin", "fecha de fin", "fecha de cierre", "cierre", "fin", "end time", "closed", "closed at",
                   "resolved at", "fecha resolucion", "fecha de resolucion"),
            _CLIENTE, _AGENTE, _CANAL, _SUCURSAL,
            _texto("motivo", "Motivo", "consulta, queja, reclamo, solicitud, nuevo negocio…", "queja",
                   "motivo", "razon", "reason", "categoria", "category", "tipificacion", "tipo de contacto",
                   "motivo de contacto"),
            _texto("etapa", "Etapa", "Etapa de la cadena de servicio en que ocurrió el contacto.", "Entrega",
                   "etapa", "stage", "fase", "proceso"),
            Campo("tiempo_respuesta_min", "numero", "Tiempo de respuesta (min)",
                  "Minutos hasta la primera respuesta (acepta 12,5 o 00:12:30).", "12,5",
                  ("tiempo de respuesta", "tiempo respuesta", "tiempo de espera", "espera", "first response time",
                   "response time", "tiempo primera respuesta", "minutos de respuesta"), 0, None),
            Campo("tiempo_resolucion_h", "numero", "Tiempo de resolución (h)",
                  "Horas hasta resolver (acepta 26,5 o 26:30:00).", "26,5",
                  ("tiempo de resolucion", "tiempo resolucion", "resolution time", "horas de resolucion",
                   "horas resolucion", "time to resolution"), 0, None),
            _si_no("resuelto", "Resuelto", "Sí si el caso quedó resuelto.", "resuelto", "resuelta", "solucionado",
                   "resolved", "resuelto primer contacto"),
            _si_no("escalado", "Escalado", "Sí si se escaló a otra área o nivel.", "escalado", "escalada",
                   "escalamiento", "escalated"),
            _si_no("promesa_cumplida", "Promesa cumplida", "Sí si se cumplió el tiempo prometido (SLA).",
                   "promesa cumplida", "cumple promesa", "sla cumplido", "dentro de sla", "sla", "within sla",
                   "sla met", "promesa"),
        ),
        ("fecha_inicio",),
    ),
    "auditorias": Tipo(
        "auditorias", "Auditorías", "auditorias", "auditoria_id",
        (
            _id("auditoria_id", "Auditoría", "Identificador de la auditoría. Si falta, Eslabón crea uno.",
                "AUD-000123", "id auditoria", "auditoria", "numero de auditoria", "evaluacion", "id evaluacion",
                "audit id", "evaluation id", "folio", "id"),
            _fecha("fecha", "Fecha", "Fecha de la auditoría.", "20/03/2026", "fecha", "fecha auditoria",
                   "fecha de auditoria", "fecha de evaluacion", "date", "audit date"),
            _AGENTE,
            _texto("auditor", "Auditor", "Quién hizo la auditoría.", "Lucía Paredes", "auditor", "evaluador",
                   "monitor", "evaluator", "qa analyst", "calificador"),
            _INTERACCION, _COMENTARIO,
        ),
        ("fecha", "agente_id"), "competencias",
    ),
    "clientes": Tipo(
        "clientes", "Clientes", "clientes", "cliente_id",
        (
            _CLIENTE, _TIPO_CLIENTE,
            _texto("segmento", "Segmento", "Segmento comercial: Hogar, Pyme, Corporativo…", "Pyme", "segmento",
                   "segment", "segmento comercial"),
            _texto("region", "Región", "Región o zona del cliente.", "Norte", "region", "zona", "departamento",
                   "provincia", "area geografica"),
            _fecha("fecha_alta", "Fecha de alta", "Desde cuándo es cliente.", "02/05/2019", "fecha de alta", "alta",
                   "fecha alta", "fecha registro", "fecha de registro", "cliente desde", "signup date",
                   "customer since"),
        ),
        ("cliente_id",), "atributos",
    ),
    "agentes": Tipo(
        "agentes", "Agentes", "agentes", "agente_id",
        (
            _AGENTE,
            _texto("nombre", "Nombre", "Nombre completo del agente.", "Ana García López", "nombre",
                   "nombre completo", "name", "full name", "nombre del agente", "nombre asesor"),
            _texto("equipo", "Equipo", "Equipo o célula.", "Equipo Andes", "equipo", "team", "grupo", "celula"),
            _texto("supervisor", "Supervisor", "Supervisor o líder del equipo.", "Rosa Elena Quintero", "supervisor",
                   "lider", "jefe", "coordinador", "team lead", "manager"),
            _texto("rol_servicio", "Rol de servicio", "primario (contacto directo), secundario o apoyo.", "primario",
                   "rol", "rol de servicio", "tipo de servicio", "role", "service role"),
            _texto("turno", "Turno", "mañana, tarde o noche.", "mañana", "turno", "shift", "horario"),
            _fecha("fecha_ingreso", "Fecha de ingreso", "Fecha en que entró a la empresa.", "10/01/2022",
                   "fecha de ingreso", "ingreso", "fecha ingreso", "fecha de contratacion", "hire date",
                   "fecha de vinculacion"),
        ),
        ("agente_id",),
    ),
}


def _clave(texto: str) -> str:
    """Forma de comparar nombres: normalizada y sin signos. ``_clave('¿Satisfacción?')`` -> 'satisfaccion'."""
    return re.sub(r"[^a-z0-9]+", " ", normalizar(texto)).strip()


def _parecido(texto: str, opciones: tuple[str, ...]) -> float:
    """Puntaje 0–1: 1 si coincide con una opción, 0,9 si la contiene como palabras, difuso si se parece."""
    if not texto:
        return 0.0
    claves = [_clave(o) for o in opciones]
    if texto in claves:
        return 1.0
    rodeado = f" {texto} "
    if any(len(c) >= 4 and f" {c} " in rodeado for c in claves):
        return 0.9
    difuso = max((difflib.SequenceMatcher(None, texto, c).ratio() for c in claves), default=0.0)
    return 0.85 * difuso if difuso >= _UMBRAL_DIFUSO else 0.0


def etapas_y_competencias(con: duckdb.DuckDBPyConnection) -> tuple[tuple[str, ...], dict[str, str]]:
    """Etapas configuradas (en orden) y competencias ``{código: nombre}`` del almacén."""
    etapas = tuple(f[0] for f in con.execute("SELECT etapa FROM etapas ORDER BY orden").fetchall())
    competencias = dict(con.execute("SELECT competencia, nombre FROM competencias ORDER BY orden").fetchall())
    return etapas, competencias


def _candidatos(tipo: Tipo, etapas: tuple[str, ...], competencias: dict[str, str]) -> dict[str, tuple[str, ...]]:
    """Destino -> nombres con que se le reconoce."""
    candidatos = {c.nombre: (c.nombre, c.etiqueta) + c.sinonimos for c in tipo.campos}
    if tipo.variables == "etapas":
        candidatos |= {f"etapa:{e}": (e, f"etapa {e}") for e in etapas}
    if tipo.variables == "competencias":
        candidatos |= {f"competencia:{c}": (c, n) for c, n in competencias.items()}
    return candidatos


def proponer(columnas: tuple[str, ...], tipo: str, *, descripciones: tuple[str, ...] = (),
             etapas: tuple[str, ...] = (), competencias: dict[str, str] | None = None) -> dict[str, str]:
    """Propone a qué campo va cada columna del archivo.

    Cada campo se asigna a lo sumo a una columna, empezando por las parejas con
    mayor puntaje (exacto 1, contenido 0,9, difuso 0,85·semejanza; mínimo 0,8).

    Parameters
    ----------
    columnas : cabeceras del archivo.
    tipo : clave de ``TIPOS``.
    descripciones : texto de la pregunta de cada columna (Qualtrics), se compara también.
    etapas, competencias : las configuradas en el almacén (``etapas_y_competencias``).

    Returns
    -------
    dict[str, str]
        Columna -> destino ('' = ignorar).

    >>> proponer(("Fecha respuesta", "Satisfacción", "¿Recomendaría?", "Otra"), "encuestas")
    {'Fecha respuesta': 'fecha', 'Satisfacción': 'csat', '¿Recomendaría?': 'nps', 'Otra': ''}
    """
    definicion = _tipo(tipo)
    candidatos = _candidatos(definicion, etapas, competencias or {})
    descripciones = tuple(descripciones) + ("",) * (len(columnas) - len(descripciones))
    parejas = []
    for columna, descripcion in zip(columnas, descripciones):
        for destino, nombres in candidatos.items():
            puntaje = max(_parecido(_clave(columna), nombres), _parecido(_clave(descripcion), nombres) - 0.01)
            if puntaje >= _UMBRAL:
                parejas.append((puntaje, columna, destino))
    mapeo = {c: "" for c in columnas}
    usados = set()
    for _, columna, destino in sorted(parejas, key=lambda p: -p[0]):
        if not mapeo[columna] and destino not in usados:
            mapeo[columna] = destino
            usados.add(destino)
    if definicion.variables == "atributos":
        mapeo = {c: d or f"atributo:{_clave(c).replace(' ', '_')}" for c, d in mapeo.items()}
    return mapeo


def sugerir_tipo(columnas: tuple[str, ...], *, descripciones: tuple[str, ...] = (), etapas: tuple[str, ...] = (),
                 competencias: dict[str, str] | None = None) -> str:
    """El tipo cuyo modelo reconoce más columnas del archivo (en empate, el primero de ``TIPOS``).

    >>> sugerir_tipo(("ID agente", "Nombre", "Equipo", "Turno"))
    'agentes'
    """
    def reconocidas(tipo: str) -> int:
        mapeo = proponer(columnas, tipo, descripciones=descripciones, etapas=etapas, competencias=competencias)
        return sum(1 for d in mapeo.values() if d and not d.startswith("atributo:"))
    return max(TIPOS, key=reconocidas)


def opciones_de_destino(tipo: str, etapas: tuple[str, ...], competencias: dict[str, str]) -> dict[str, str]:
    """Destinos posibles de una columna y su texto visible, para el editor de mapeo."""
    definicion = _tipo(tipo)
    opciones = {"": "— ignorar —"}
    opciones |= {c.nombre: f"{c.etiqueta} ({c.nombre})" for c in definicion.campos}
    if definicion.variables == "etapas":
        opciones |= {f"etapa:{e}": f"Etapa: {e}" for e in etapas}
        opciones[ETAPA_CON_NOMBRE_DE_COLUMNA] = "Etapa nueva (con el nombre de la columna)"
    if definicion.variables == "competencias":
        opciones |= {f"competencia:{c}": f"Competencia: {n}" for c, n in competencias.items()}
    if definicion.variables == "atributos":
        opciones["atributo"] = "Atributo adicional del cliente"
    return opciones


def revisar_mapeo(tipo: str, mapeo: dict[str, str], columnas: tuple[str, ...], *,
                  competencias: dict[str, str] | None = None, etapas: tuple[str, ...] | None = None
                  ) -> dict[str, str]:
    """Comprueba un mapeo y lo devuelve completo y explícito.

    Resuelve los destinos abreviados ('etapa' -> 'etapa:<columna>', 'atributo' ->
    'atributo:<columna>') salvo en los tipos donde son un campo propio (la ``etapa`` de
    una interacción), y quita las columnas ignoradas. El abreviado 'etapa' es la decisión
    explícita de añadir esa etapa a la cadena; con ``etapas`` (la cadena configurada), un
    destino ``etapa:<nombre>`` que no está en ella es un error.

    Raises
    ------
    MapeoIncompleto
        Si nombra columnas que el archivo no tiene, destinos desconocidos, una etapa que no
        está en la cadena, el mismo destino dos veces o le faltan campos obligatorios.
    """
    definicion = _tipo(tipo)
    nombres = {c.nombre for c in definicion.campos}
    faltan = [c for c in mapeo if c not in columnas]
    if faltan:
        raise MapeoIncompleto(f"El archivo no tiene la(s) columna(s) {', '.join(repr(c) for c in faltan)}.")
    explicito, origen = {}, {}
    for columna, destino in mapeo.items():
        destino = (destino or "").strip()
        if not destino:
            continue
        if destino in (ETAPA_CON_NOMBRE_DE_COLUMNA, "atributo") and destino not in nombres:
            destino = f"{destino}:{columna.strip()}" if destino == "etapa" else \
                f"atributo:{_clave(columna).replace(' ', '_') or 'columna'}"
        elif etapas is not None and destino.startswith("etapa:") and destino[6:] not in etapas:
            raise MapeoIncompleto(
                f"La columna «{columna}» va a la etapa «{destino[6:]}», que no está en la cadena de servicio "
                f"configurada ({', '.join(etapas) or 'sin etapas'}). Añádala en «Configuración de la organización» "
                "(o con python -m datos.configuracion importar) o elija «Etapa nueva» en el mapeo.")
        _revisar_destino(definicion, destino, nombres, competencias)
        if destino in origen:
            raise MapeoIncompleto(f"Las columnas «{origen[destino]}» y «{columna}» van las dos a «{destino}»; "
                                  "elija una.")
        origen[destino] = columna
        explicito[columna] = destino
    _revisar_obligatorios(definicion, set(explicito.values()))
    return explicito


def _revisar_destino(tipo: Tipo, destino: str, nombres: set[str], competencias: dict[str, str] | None) -> None:
    """Falla si ``destino`` no es un campo de ``tipo``."""
    prefijo, _, resto = destino.partition(":")
    validos = {"etapas": "etapa", "competencias": "competencia", "atributos": "atributo"}
    if destino in nombres or (resto and validos.get(tipo.variables) == prefijo):
        if prefijo == "competencia" and competencias is not None and resto not in competencias:
            raise MapeoIncompleto(f"«{resto}» no es una competencia del estándar ({', '.join(competencias)}).")
        return
    raise MapeoIncompleto(f"«{destino}» no es un campo de {tipo.etiqueta.lower()}. Campos posibles: "
                          f"{', '.join(sorted(nombres))}.")


def _revisar_obligatorios(tipo: Tipo, destinos: set[str]) -> None:
    """Falla si falta un campo obligatorio o, según el tipo, alguna calificación."""
    for obligatorio in tipo.obligatorios:
        if obligatorio not in destinos and obligatorio != tipo.fecha_de_carga:
            raise MapeoIncompleto(f"Falta indicar qué columna es «{tipo.campo(obligatorio).etiqueta}» "
                                  f"(obligatoria en {tipo.etiqueta.lower()}).")
    if tipo.nombre == "encuestas" and not destinos & {"csat", "nps", "ces"} \
            and not any(d.startswith("etapa:") for d in destinos):
        raise MapeoIncompleto("Una encuesta necesita al menos una calificación: CSAT, NPS, CES o una etapa.")
    if tipo.nombre == "auditorias" and not any(d.startswith("competencia:") for d in destinos):
        raise MapeoIncompleto("Una auditoría necesita al menos una columna de competencia.")


def firma_de_columnas(columnas: tuple[str, ...]) -> str:
    """Huella de las cabeceras normalizadas: mismo valor para las mismas cabeceras con otras tildes o mayúsculas."""
    return hashlib.sha256("\x1f".join(_clave(c) for c in columnas).encode()).hexdigest()


def mapeo_recordado(con: duckdb.DuckDBPyConnection, columnas: tuple[str, ...], tipo: str) -> dict[str, str] | None:
    """El último mapeo confirmado para estas cabeceras y este tipo, expresado con estas cabeceras, o ``None``.

    Las cabeceras se emparejan por su forma normalizada: «Cuándo» recupera lo confirmado para «cuando».
    """
    filas = con.execute("SELECT mapeo FROM mapeos WHERE firma = ? AND tipo = ?",
                        [firma_de_columnas(columnas), tipo]).fetchall()
    if not filas:
        return None
    por_clave = {_clave(c): d for c, d in json.loads(filas[0][0])["columnas"].items()}
    return {c: por_clave.get(_clave(c), "") for c in columnas}


def tipo_recordado(con: duckdb.DuckDBPyConnection, columnas: tuple[str, ...]) -> str | None:
    """El tipo del último mapeo confirmado para estas cabeceras (con cualquier tipo), o ``None`` si no hay."""
    filas = con.execute("SELECT tipo FROM mapeos WHERE firma = ? ORDER BY usado DESC LIMIT 1",
                        [firma_de_columnas(columnas)]).fetchall()
    return filas[0][0] if filas else None


def recordar_mapeo(con: duckdb.DuckDBPyConnection, columnas: tuple[str, ...], tipo: str, mapeo: dict) -> None:
    """Guarda (o reemplaza) el mapeo confirmado para estas cabeceras y este tipo."""
    con.execute("INSERT OR REPLACE INTO mapeos (firma, tipo, mapeo, usado) VALUES (?, ?, ?, current_timestamp)",
                [firma_de_columnas(columnas), tipo, json.dumps(mapeo, ensure_ascii=False)])


def _tipo(tipo: str) -> Tipo:
    """La definición de ``tipo`` o ``ValueError`` en español."""
    if tipo not in TIPOS:
        raise ValueError(f"'tipo' debe ser uno de {', '.join(TIPOS)}; no {tipo!r}")
    return TIPOS[tipo]
