"""El historial de cargas y deshacer una carga entera (también en el lago Parquet).

Cada carga queda en ``cargas`` con quién la hizo; deshacerla borra sus filas de todas las tablas
en una transacción, la marca como deshecha (no desaparece del historial, con 0 filas guardadas: ya
no queda ninguna) y la anota en la bitácora. Antes y después se dice qué se borra con las mismas
palabras: ``filas_de_carga`` cuenta las filas de la carga por tabla, ``texto_de_filas`` las nombra
como las subió la persona («2 encuestas», sin contar sus calificaciones por etapa) y
``desglose_de_filas`` da el detalle por tabla.
"""

import getpass

import duckdb
import pandas as pd

from analisis.errores import CargaNoEncontrada
from analisis.formato import cantidad, filas_por_tabla, tabla_en_texto
from datos.almacen import agregados
from datos.almacen.derivados import grupos_de_carga, registrar_escritura
from datos.almacen.transaccion import transaccion
from datos.cuentas.usuarios import registrar
from datos.ingesta.hechos import hechos_de
from datos.motores.lago_cargas import Lago

__all__ = ["historial", "deshacer", "usuario_actual", "filas_de_carga", "texto_de_filas", "desglose_de_filas",
           "total_de_filas", "es_grande", "confirma_numero", "NOMBRES_DE_TABLAS", "FILAS_CARGA_GRANDE"]

#: Cómo se llama una fila de cada tabla de datos para las personas: (singular, plural).
NOMBRES_DE_TABLAS: dict[str, tuple[str, str]] = {
    "clientes": ("cliente", "clientes"), "agentes": ("agente", "agentes"),
    "interacciones": ("interacción", "interacciones"), "encuestas": ("encuesta", "encuestas"),
    "encuesta_etapas": ("calificación por etapa", "calificaciones por etapa"),
    "auditorias": ("auditoría", "auditorías"),
    "auditoria_competencias": ("puntaje por competencia", "puntajes por competencia"),
    "auditoria_errores_criticos": ("error crítico", "errores críticos"),
    "etapas": ("etapa de la cadena", "etapas de la cadena"),
}

#: Tablas de detalle: cada fila es parte de una fila de otra tabla (una calificación por etapa, de una
#: encuesta) o la configuración que trajo la carga (las etapas de la demostración); no cuentan como
#: filas de la carga, solo aparecen en el desglose.
_DETALLES = ("encuesta_etapas", "auditoria_competencias", "auditoria_errores_criticos", "etapas")

#: Filas de la carga desde las que deshacerla pide escribir su número (la demostración siempre lo pide).
FILAS_CARGA_GRANDE = 1_000


def historial(con: duckdb.DuckDBPyConnection) -> pd.DataFrame:
    """Todas las cargas, de la más reciente a la más antigua, con su estado ('vigente' o 'deshecha')."""
    return con.execute(
        "SELECT carga_id, creada, tipo, archivo, filas_leidas, filas_guardadas, filas_repetidas, "
        "filas_rechazadas, usuario, origen, CASE WHEN deshecha IS NULL THEN 'vigente' ELSE 'deshecha' END AS estado, "
        "deshecha, deshecha_por, es_demo FROM cargas ORDER BY carga_id DESC").df()


def historial_en_texto(registro: pd.DataFrame) -> pd.DataFrame:
    """El ``historial`` como se lee en «Cargar datos»: texto en español, el estado con cuándo y quién deshizo
    la carga («Deshecha el 06/12/2026 19:33 por ana») y sin la marca de demostración (ya la dice «Tipo»):
    once columnas que caben sin cortarse a 1280 px."""
    texto = tabla_en_texto(registro.drop(columns=["es_demo"]))
    deshecha = registro["deshecha"].notna()
    texto["estado"] = ("Deshecha el " + texto["deshecha"] + " por " + texto["deshecha_por"]).where(deshecha, "Vigente")
    return texto.drop(columns=["deshecha", "deshecha_por"])


def usuario_actual() -> str:
    """El usuario del sistema operativo, o 'anónimo' si no se puede saber."""
    try:
        return getpass.getuser() or "anónimo"
    except (KeyError, OSError):
        return "anónimo"


def filas_de_carga(con: duckdb.DuckDBPyConnection, carga_id: int, *, lago: Lago | None = None) -> dict[str, int]:
    """Filas de la carga ``carga_id`` por tabla (las que borraría deshacerla), solo las tablas con alguna.

    Con ``lago`` se cuentan en el lago Parquet, donde viven entonces los datos de servicio.
    """
    if lago is not None:
        return lago.filas_de_carga(con, int(carga_id))
    filas = {tabla: con.execute(f'SELECT count(*) FROM main."{tabla}" WHERE carga_id = ?',
                                [int(carga_id)]).fetchall()[0][0] for tabla in _tablas_con_carga(con)}
    return {tabla: n for tabla, n in filas.items() if n}


def _principales(filas: dict[str, int]) -> dict[str, int]:
    """Las tablas de ``filas`` que cuentan como filas de la carga (sin las de detalle; todas si solo hay detalle)."""
    return {tabla: n for tabla, n in filas.items() if tabla not in _DETALLES} or dict(filas)


def _nombrar(tabla: str, n: int) -> str:
    """«1 encuesta», «1.234 calificaciones por etapa»: ``n`` filas de ``tabla`` con su nombre."""
    singular, plural = NOMBRES_DE_TABLAS.get(tabla, ("fila", "filas"))
    return cantidad(n, singular, plural)


def texto_de_filas(filas: dict[str, int]) -> str:
    """Las filas de una carga (``filas``: por tabla) como las subió la persona, sin las tablas de detalle.

    >>> texto_de_filas({"encuestas": 2, "encuesta_etapas": 10})
    '2 encuestas'
    >>> texto_de_filas({"clientes": 1200, "agentes": 1, "encuestas": 3})
    '1.200 clientes, 1 agente y 3 encuestas'
    >>> texto_de_filas({})
    'ninguna fila'
    """
    partes = [_nombrar(tabla, n) for tabla, n in _principales(filas).items()]
    if not partes:
        return "ninguna fila"
    return partes[0] if len(partes) == 1 else f"{', '.join(partes[:-1])} y {partes[-1]}"


def desglose_de_filas(filas: dict[str, int]) -> str:
    """Una línea por tabla con sus filas (``analisis.formato.filas_por_tabla``), con el nombre de cada tabla.

    >>> print(desglose_de_filas({"encuestas": 2, "encuesta_etapas": 10}))
      Encuestas: 2 filas
      Calificaciones por etapa: 10 filas
    """
    return filas_por_tabla({NOMBRES_DE_TABLAS.get(tabla, (tabla, tabla))[1].capitalize(): n
                            for tabla, n in filas.items()})


def total_de_filas(filas: dict[str, int]) -> int:
    """Cuántas filas tiene la carga (``filas``: por tabla), sin las tablas de detalle.

    >>> total_de_filas({"encuestas": 2, "encuesta_etapas": 10, "clientes": 1})
    3
    """
    return sum(_principales(filas).values())


def confirma_numero(escrito: str | None, filas: int) -> bool:
    """True si ``escrito`` es el número ``filas`` (con o sin puntos de miles ni espacios).

    >>> confirma_numero("207.060", 207060), confirma_numero(" 207060 ", 207060), confirma_numero("20706", 207060)
    (True, True, False)
    """
    return "".join((escrito or "").replace(".", "").split()) == str(int(filas))


def es_grande(filas: dict[str, int], *, es_demo: bool = False) -> bool:
    """True si deshacer la carga pide escribir su número de filas: la demostración o ``FILAS_CARGA_GRANDE`` o más."""
    return es_demo or total_de_filas(filas) >= FILAS_CARGA_GRANDE


def deshacer(con: duckdb.DuckDBPyConnection, carga_id: int, *, usuario: str | None = None,
             lago: Lago | None = None) -> dict[str, int]:
    """Borra de todas las tablas las filas de una carga y la marca como deshecha (queda en el historial).

    Con ``lago`` también retira sus filas del lago Parquet (archivos de la carga, o reescritos sin
    ellas si las mezclan con otras), en la misma confirmación.

    Returns
    -------
    dict[str, int]
        Filas borradas por tabla (solo las que tenían alguna; con ``lago``, las retiradas del lago).

    Raises
    ------
    CargaNoEncontrada
        Si la carga no existe o ya estaba deshecha.
    """
    filas = con.execute("SELECT deshecha FROM cargas WHERE carga_id = ?", [int(carga_id)]).fetchall()
    if not filas:
        raise CargaNoEncontrada(f"No existe la carga n.º {carga_id}.")
    if filas[0][0] is not None:
        raise CargaNoEncontrada(f"La carga n.º {carga_id} ya se deshizo el {filas[0][0]:%d/%m/%Y a las %H:%M}.")
    hechos = hechos_de(lago)
    with hechos.bloqueo(con):
        try:
            with transaccion(con):
                celdas, grupos = agregados.celdas_de_carga(con, int(carga_id)), grupos_de_carga(con, int(carga_id))
                borradas = _borrar(con, int(carga_id))
                if lago is not None:
                    borradas = hechos.retirar(con, int(carga_id))
                con.execute("UPDATE cargas SET deshecha = current_timestamp, deshecha_por = ?, filas_guardadas = 0 "
                            "WHERE carga_id = ?",
                            [usuario or usuario_actual(), int(carga_id)])
                registrar(con, usuario or usuario_actual(), "deshacer carga",
                          f"n.º {carga_id}: {texto_de_filas(borradas)}")
                registrar_escritura(con, celdas, grupos)
        except BaseException:
            hechos.descartar()
            raise
        hechos.publicar(con)
    return borradas


def _borrar(con: duckdb.DuckDBPyConnection, carga_id: int) -> dict[str, int]:
    """Borra la carga de cada tabla del almacén con ``carga_id``; devuelve las filas borradas por tabla."""
    borradas = {}
    for tabla in _tablas_con_carga(con):
        n = con.execute(f'DELETE FROM main."{tabla}" WHERE carga_id = ?', [carga_id]).fetchall()[0][0]
        if n:
            borradas[tabla] = n
    return borradas


def _tablas_con_carga(con: duckdb.DuckDBPyConnection) -> list[str]:
    """Tablas del almacén (sin ``cargas``) con una columna ``carga_id``, en orden alfabético."""
    return [f[0] for f in con.execute(
        "SELECT c.table_name FROM information_schema.columns c JOIN information_schema.tables t "
        "ON t.table_name = c.table_name AND t.table_schema = c.table_schema AND t.table_catalog = c.table_catalog "
        "WHERE c.column_name = 'carga_id' AND c.table_name <> 'cargas' AND t.table_type = 'BASE TABLE' "
        "AND c.table_catalog = current_database() AND c.table_schema = 'main' ORDER BY 1").fetchall()]
