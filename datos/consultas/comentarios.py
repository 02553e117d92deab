"""Comentarios: textos de encuestas y notas de auditoría (``analisis.comentarios``)."""


import ibis
from ibis.expr.types import BooleanValue, Table

from datos.consultas.competencias import auditorias_filtradas, con_agente
from datos.consultas.filtros import Filtros, encuestas, filtrar, muestra_por_hash

__all__ = ['LIMITE_BUSQUEDA', 'LIMITE_COMENTARIOS', 'LIMITE_MODELOS_COMENTARIOS', 'buscar_comentarios', 'comentarios_encuestas', 'comentarios_para_modelos', 'notas_auditorias', 'temas_comentarios']


#: Tope de comentarios de encuestas que se traen para analizar un filtro; con más, una muestra
#: aleatoria reproducible de este tamaño (por el MD5 de ``respuesta_id``).
LIMITE_COMENTARIOS = 200_000

#: Tope de comentarios (de todo el historial) con que se aprenden los temas y el sentimiento;
#: con más, una muestra aleatoria reproducible de este tamaño.
LIMITE_MODELOS_COMENTARIOS = 50_000

#: Filas que devuelve como mucho la búsqueda de comentarios.
LIMITE_BUSQUEDA = 500

_CON_TILDE, _SIN_TILDE = "áàâäéèêëíìîïóòôöúùûü", "aaaaeeeeiiiioooouuuu"


def _comentados(tabla: Table) -> Table:
    """Filas cuyo comentario tiene algún carácter que no es espacio."""
    return tabla.filter(tabla.comentario.notnull(), tabla.comentario.strip().length() > 0)


def _etapa_mas_baja(con: ibis.BaseBackend, respuestas: Table) -> Table:
    """Por respuesta: la etapa con la calificación más baja (``etapa_baja``) y esa nota (``calificacion_baja``).

    Un empate en la nota más baja se resuelve por el orden de la cadena (la etapa anterior). Si
    el encuestado dio la misma nota a todas las etapas que calificó, ninguna es la más baja y
    ``etapa_baja`` queda vacía.
    """
    c = con.table("encuesta_etapas")
    c = c.filter(c.calificacion.notnull(), c.respuesta_id.isin(respuestas.respuesta_id))
    orden = con.table("etapas").select("etapa", "orden")
    c = c.left_join(orden, "etapa")
    clave = c.calificacion * 1_000_000 + c.orden.fill_null(999_999)
    por_respuesta = c.group_by("respuesta_id").aggregate(
        _etapa=c.etapa.argmin(clave), calificacion_baja=c.calificacion.min(), _maxima=c.calificacion.max(),
    )
    return por_respuesta.select(
        "respuesta_id", "calificacion_baja",
        etapa_baja=ibis.ifelse(por_respuesta._maxima > por_respuesta.calificacion_baja, por_respuesta._etapa, None),
    )


_COLUMNAS_COMENTARIO = ("respuesta_id", "fecha", "canal", "sucursal", "tipo_cliente", "csat", "nps", "ces",
                        "comentario")


def _con_etapa_mas_baja(con: ibis.BaseBackend, respuestas: Table) -> Table:
    """Las columnas de ``_COLUMNAS_COMENTARIO`` más ``etapa_baja`` y ``calificacion_baja``."""
    etapas = _etapa_mas_baja(con, respuestas)
    return (respuestas.select(*_COLUMNAS_COMENTARIO).left_join(etapas, "respuesta_id")
            .drop("respuesta_id_right"))


def comentarios_encuestas(con: ibis.BaseBackend, filtros: Filtros, *, limite: int = LIMITE_COMENTARIOS) -> Table:
    """Comentarios de las encuestas filtradas, con sus notas y la etapa peor calificada.

    Columnas: ``respuesta_id``, ``fecha``, ``canal``, ``sucursal``, ``tipo_cliente``, ``csat``,
    ``nps``, ``ces``, ``comentario`` (solo los no vacíos), ``etapa_baja`` (la etapa de la cadena
    con la nota más baja de esa respuesta, vacía si todas valen lo mismo o no hay notas por
    etapa; ver ``_etapa_mas_baja``) y ``calificacion_baja``. Con más de ``limite`` comentarios se
    trae una muestra aleatoria reproducible de ``limite`` (por el MD5 de ``respuesta_id``). Ordenados
    por fecha.
    """
    t = muestra_por_hash(_comentados(encuestas(con, filtros)), "respuesta_id", limite)
    return _con_etapa_mas_baja(con, t).order_by(["fecha", "respuesta_id"])


def comentarios_para_modelos(con: ibis.BaseBackend, alcance: Filtros = Filtros(), *,
                             limite: int = LIMITE_MODELOS_COMENTARIOS) -> Table:
    """Comentarios de todo el historial con que se aprenden temas y sentimiento.

    ``alcance`` limita a las sucursales y equipos que la persona puede ver
    (``con_alcance``); sin alcance, toda la organización. Las fechas y demás
    filtros de la barra lateral no se aplican.

    Columnas ``comentario``, ``csat``, ``nps``, ``fecha`` y ``cliente_id`` (para validar el sentimiento
    con las respuestas más recientes o de otros clientes). Los modelos usan todo el historial para que los
    temas sean los mismos con cualquier filtro (y sus nombres se conserven) y para aprender el
    tono del mayor número de comentarios calificados. Con más de ``limite`` comentarios, una
    muestra aleatoria reproducible de ``limite``: es el tope documentado de filas que llegan a
    pandas para entrenar.
    """
    visibles = encuestas(con, Filtros(sucursales=alcance.sucursales, equipos=alcance.equipos))
    t = muestra_por_hash(_comentados(visibles), "respuesta_id", limite)
    return t.select("comentario", "csat", "nps", "fecha", "cliente_id").order_by("comentario")


def _contiene_palabras(columna: ibis.Value, texto: str) -> list[BooleanValue]:
    """Una condición por palabra de ``texto``: la columna la contiene, sin distinguir mayúsculas ni tildes."""
    plegar = str.maketrans(_CON_TILDE, _SIN_TILDE)
    plegada = columna.lower().translate(_CON_TILDE, _SIN_TILDE)
    return [plegada.contains(palabra) for palabra in texto.lower().translate(plegar).split()]


def buscar_comentarios(con: ibis.BaseBackend, filtros: Filtros, texto: str, *,
                       limite: int = LIMITE_BUSQUEDA) -> Table:
    """Comentarios de encuestas que contienen todas las palabras de ``texto``, los más recientes primero.

    Sin distinguir mayúsculas ni tildes («entrega tarde» encuentra «La entrega llegó TARDE»);
    las palabras se buscan como trozos de texto («tard» encuentra «tarde» y «tardaron»). Texto
    vacío: los comentarios más recientes. Mismas columnas que ``comentarios_encuestas``; a lo
    sumo ``limite`` filas.
    """
    if limite < 1:
        raise ValueError("'limite' debe ser un entero positivo")
    t = _comentados(encuestas(con, filtros))
    t = filtrar(t, _contiene_palabras(t.comentario, texto))
    t = t.order_by([ibis.desc("fecha"), "respuesta_id"]).limit(limite)
    return _con_etapa_mas_baja(con, t).order_by([ibis.desc("fecha"), "respuesta_id"])


def notas_auditorias(con: ibis.BaseBackend, filtros: Filtros, texto: str = "", *,
                     limite: int = LIMITE_COMENTARIOS) -> Table:
    """Comentarios de auditoría (notas sin calificación del cliente) del filtro, los más recientes primero.

    Columnas ``auditoria_id``, ``fecha``, ``auditor``, ``agente_id``, ``nombre``, ``equipo`` y
    ``comentario``. Los filtros de canal, sucursal y tipo de cliente son los de la interacción
    auditada. ``texto`` busca palabras como ``buscar_comentarios``. A lo sumo ``limite`` filas.
    (Las interacciones no tienen columna de notas en el modelo canónico.)
    """
    if limite < 1:
        raise ValueError("'limite' debe ser un entero positivo")
    t = _comentados(auditorias_filtradas(con, filtros))
    t = filtrar(t, _contiene_palabras(t.comentario, texto))
    t = t.order_by([ibis.desc("fecha"), "auditoria_id"]).limit(limite)
    t = con_agente(con, t.select("auditoria_id", "fecha", "auditor", "agente_id", "comentario"))
    return t.select("auditoria_id", "fecha", "auditor", "agente_id", "nombre", "equipo", "comentario").order_by(
        [ibis.desc("fecha"), "auditoria_id"])


def temas_comentarios(con: ibis.BaseBackend) -> Table:
    """Nombres y uniones que los usuarios dieron a temas de comentarios.

    Columnas ``firma``, ``nombre``, ``unir_con`` (firma del tema en que se funde) y ``palabras``
    (palabras principales normalizadas, separadas por «|», para reconocer el tema al reajustar).
    """
    return con.table("temas_comentarios").select("firma", "nombre", "unir_con", "palabras")
