"""Suprimir a una persona en una sola transacción, en la forma que eligió la organización.

Con ``anonimizar`` su identificador pasa a ser una ficha al azar (``ANON-`` y 16 cifras
hexadecimales que no se derivan del identificador ni se guardan junto a él: no hay forma de
volver atrás) y se quitan sus comentarios, sus atributos subidos, su fecha de alta y las notas de
auditoría escritas sobre sus contactos; sus notas y tiempos se quedan, así que los KPI históricos
no cambian. Con ``eliminar`` se borran su ficha, sus encuestas con sus calificaciones por etapa y
sus interacciones (y las notas de auditoría sobre sus contactos); ``registrar_escritura`` recalcula
el FCR de los contactos que quedan, solo donde la supresión puede cambiarlo (sus grupos de cliente y
motivo y los contactos recientes). En ambas formas, todo texto igual al identificador que quede
en cualquier columna de cualquier tabla (y en la bitácora, dentro del detalle) pasa a ser la
ficha; la versión de los datos sube, así que cachés, perfiles y temas de comentarios se rehacen
sin la persona, y en el modo Spark se reescriben los Parquet del lago que la contenían. Las palabras de
sus textos que solo ella usaba se quitan de lo derivado guardado (temas, nombres de perfiles, bitácora:
``datos.personas.derivados``) y, al eliminar, el historial de cargas descuenta sus filas borradas; en el
modo Spark sus textos y sus filas por carga se leen de los Parquet del lago, donde viven.

Las copias de seguridad tomadas antes siguen teniendo sus datos: ``Supresion.aviso_copias`` lo dice.
"""

import secrets
from dataclasses import dataclass
from datetime import datetime

import duckdb

from analisis.formato import fecha
from datos.almacen import agregados
from datos.almacen.conexion import Almacen
from datos.almacen.derivados import descontar_guardadas, grupos_de_cliente, registrar_escritura
from datos.ingesta.mapeo import TIPOS
from datos.motores.lago_cargas import Lago
from datos.personas import lago as en_lago
from datos.personas.ajustes import modo_supresion
from datos.personas.busqueda import Persona
from datos.personas.derivados import limpiar_derivados, palabras_exclusivas
from datos.personas.cambios import PREFIJO_ANONIMO, Cambio
from datos.personas.lugares import LUGARES, cambios_de_supresion, preparar
from datos.personas.solicitudes import anotar_solicitud, nuevo_numero
from datos.ajustes.operacion import leer_operacion
from datos.servicio.respaldo import respaldos_en

__all__ = ["Supresion", "suprimir", "aviso_copias"]

#: Tablas que el barrido final no toca: las cuentas (un usuario no es un cliente) y el esquema.
_SIN_BARRER = ("usuarios", "esquema_version")

def aviso_copias(con: duckdb.DuckDBPyConnection, antes_de: datetime | None = None) -> str:
    """Qué copias guardan todavía los datos de una persona suprimida y qué hacer con ellas.

    Nombra los respaldos diarios de Eslabón (``datos.servicio.respaldo``) creados antes de ``antes_de``
    (todos, sin fecha); las copias que la organización haga por su cuenta también cuentan.
    """
    carpeta = leer_operacion(con).respaldo_carpeta
    anteriores = [r.carpeta.name for r in respaldos_en(carpeta)
                  if antes_de is None or r.creado < antes_de] if carpeta else []
    consejo = ("Las copias de seguridad anteriores a una supresión conservan los datos de la persona: rótelas o bórrelas "
               "según su política, y también las copias que su organización haga por su cuenta.")
    if anteriores:
        return f"{consejo} Respaldos de Eslabón anteriores, en {carpeta}: {', '.join(anteriores)}."
    if carpeta:
        return f"{consejo} En la carpeta de respaldos de Eslabón ({carpeta}) no hay respaldos anteriores."
    return f"{consejo} Eslabón no tiene carpeta de respaldos configurada (página «Operación»)."


@dataclass(frozen=True)
class Supresion:
    """Resultado de una supresión: número de solicitud, forma, filas tocadas por lugar y archivos del lago."""

    solicitud: int
    modo: str
    filas: dict[str, int]
    archivos_lago: int
    momento: datetime

    copias: str = ""

    @property
    def aviso_copias(self) -> str:
        """Qué hacer con las copias de seguridad anteriores a la supresión (``aviso_copias``)."""
        return f"Supresión del {fecha(self.momento)}. {self.copias}"


def _ficha_nueva() -> str:
    """Un identificador anónimo al azar (no sale del identificador de la persona)."""
    return PREFIJO_ANONIMO + secrets.token_hex(8)


def _barrer(con: duckdb.DuckDBPyConnection, cliente_id: str, ficha: str) -> None:
    """Cambia por ``ficha`` todo texto igual a ``cliente_id`` en cualquier columna de texto de cualquier tabla,
    y dentro del detalle de la bitácora (identificadores de 4 o más caracteres)."""
    columnas = con.execute(
        "SELECT table_name, column_name FROM duckdb_columns() WHERE NOT internal AND database_name = "
        "current_database() AND schema_name = 'main' AND data_type = 'VARCHAR' AND table_name NOT IN "
        f"({', '.join('?' for _ in _SIN_BARRER)}) AND table_name IN (SELECT table_name FROM duckdb_tables() "
        "WHERE NOT temporary)", list(_SIN_BARRER)).fetchall()
    for tabla, columna in columnas:
        con.execute(f'UPDATE "{tabla}" SET "{columna}" = ? WHERE "{columna}" = ?', [ficha, cliente_id])
    if len(cliente_id) >= 4:
        con.execute("UPDATE bitacora SET detalle = replace(detalle, ?, ?) WHERE contains(detalle, ?)",
                    [cliente_id, ficha, cliente_id])


def suprimir(almacen: Almacen, persona: Persona, *, usuario: str, referencia: str | None = None,
             lago: Lago | None = None) -> Supresion:
    """Suprime a ``persona`` (de ``datos.personas.buscar``) en la forma de la organización; anota la solicitud.

    Todo ocurre en una transacción: si algo falla, la base queda como estaba y los Parquet
    reescritos se descartan. Devuelve la ``Supresion`` (filas tocadas por título de lugar).
    """
    con, modo, ficha = almacen.cursor(), modo_supresion(almacen.cursor()), _ficha_nueva()
    antes: dict[str, object] = {}

    def preparar_persona(numero: int) -> tuple:
        """Las tablas temporales de la persona (almacén y lago), lo que hay que limpiar después y los cambios."""
        preparar(con, persona.cliente_id, ficha)
        if lago is not None:
            en_lago.completar(con, lago)
        cambios = cambios_de_supresion(modo)
        antes["celdas"] = agregados.celdas_de_cliente(con, persona.cliente_id)
        antes["grupos"] = grupos_de_cliente(con, persona.cliente_id)
        antes["exclusivas"] = palabras_exclusivas(con, lago)
        antes["borradas"] = _guardadas_que_se_borran(con, cambios, lago)
        return cambios

    def cerrar(hecho: en_lago.Hecho) -> None:
        """Barre el identificador restante y sus palabras de lo derivado, recalcula y anota la solicitud."""
        _barrer(con, persona.cliente_id, ficha)
        limpiar_derivados(con, antes["exclusivas"])
        descontar_guardadas(con, antes["borradas"])
        registrar_escritura(con, antes["celdas"], antes["grupos"])
        anotar_solicitud(con, hecho.numero, "supresion", usuario=usuario, modo=modo, referencia=referencia,
                         filas=_por_lugar(hecho.filas), archivos_lago=hecho.archivos_lago)

    hecho = en_lago.transformar(con, lago, "supresion", lambda: nuevo_numero(con), preparar_persona, cerrar)
    momento = datetime.now()
    return Supresion(hecho.numero, modo, _por_lugar(hecho.filas), hecho.archivos_lago, momento,
                     aviso_copias(con, momento))


def _guardadas_que_se_borran(con: duckdb.DuckDBPyConnection, cambios: tuple[Cambio, ...],
                             lago: Lago | None) -> list[tuple[int, int]]:
    """(carga, filas) que los borrados de ``cambios`` quitan de lo que cuenta cada carga (antes de aplicarlos).

    Una carga de un archivo cuenta las filas de la tabla de su tipo (``TIPOS``); la de demostración, las
    de todas sus tablas. Con un ``lago`` las filas se cuentan en sus Parquet, donde el tablero las lee
    y donde las cargas del modo Spark las guardan (lo que ``datos.lago`` exportó sigue también en el
    almacén: contarlo en los dos sitios lo descontaría dos veces).
    """
    borradas = []
    for cambio in (c for c in cambios if c.reemplazos is None):
        tipos = [nombre for nombre, tipo in TIPOS.items() if tipo.tabla == cambio.tabla]
        borradas += en_lago.filas(
            con, lago, cambio.tabla,
            "SELECT t.carga_id, count(*) FROM {fuente} AS t JOIN cargas AS c ON c.carga_id = t.carga_id "
            f"WHERE (c.es_demo OR c.tipo IN (SELECT unnest(CAST($tipos AS VARCHAR[])))) AND {cambio.condicion} "
            "GROUP BY 1", {"tipos": tipos}, almacen=lago is None)
    return borradas


def _por_lugar(filas: dict[str, int]) -> dict[str, int]:
    """Filas tocadas por tabla → por título de lugar (0 donde no se tocó nada)."""
    return {lugar.titulo: filas.get(lugar.tabla, 0) for lugar in LUGARES}
