"""El informe de una validación: errores fila a fila, duplicados, resumen (``Validacion``) y su CSV.

Todo se calcula en SQL sobre las tablas temporales de la conexión de una ``Preparacion``
(``_tipada``, ``_rechazadas``, ``_a_guardar``): ``crear_errores`` crea ``_duplicadas``,
``_sufijos`` y ``_errores``; ``resumir`` cuenta y devuelve la ``Validacion``.
"""

from collections.abc import Callable
from dataclasses import dataclass, field

import duckdb
import pandas as pd

from analisis.formato import numero
from datos.cuentas.exportar import consulta_a_csv
from datos.ingesta.hechos import referencias
from datos.ingesta.lectura import Archivo
from datos.ingesta.sentencias import ejecutar, sin_guardar
from datos.ingesta.validacion import Columna, Formato, sql_errores

__all__ = ["Validacion", "MAX_ERRORES_EN_PANTALLA", "crear_errores", "resumir", "lineas_de_informe",
           "informe_csv"]

#: Errores que se devuelven en ``Validacion.errores`` (el informe CSV los trae todos).
MAX_ERRORES_EN_PANTALLA = 1_000
_RECHAZOS = {
    "TOO MANY COLUMNS": "la fila tiene más columnas que la cabecera (¿un delimitador sin comillas dentro de un texto?)",
    "UNQUOTED VALUE": "tiene comillas sin cerrar o mal puestas",
    "LINE SIZE OVER MAXIMUM": "la fila es demasiado larga (más de 16 MB)",
    "INVALID UNICODE": "tiene caracteres que no corresponden a la codificación del archivo",
    "INVALID ENCODING": "tiene caracteres que no corresponden a la codificación del archivo",
}


@dataclass(frozen=True)
class Validacion:
    """Resultado de validar todo el archivo, antes de escribir nada.

    ``errores`` trae hasta ``MAX_ERRORES_EN_PANTALLA`` filas (``fila``, ``columna``,
    ``valor``, ``mensaje``); ``n_errores`` es el total. ``filas_nuevas`` se
    guardarían; ``filas_repetidas`` ya estaban en el almacén; ``desconocidos``
    dice, por tabla ('clientes', 'agentes'), cuántos identificadores citados no
    existen y algunos ejemplos.
    """

    tipo: str
    mapeo: dict[str, str]
    formatos: dict[str, Formato]
    escala_auditoria: str | None
    filas_leidas: int
    filas_nuevas: int
    filas_con_errores: int
    filas_repetidas: int
    n_errores: int
    errores: pd.DataFrame
    errores_por_columna: pd.DataFrame
    vista_previa: pd.DataFrame
    avisos: tuple[str, ...] = ()
    desconocidos: dict[str, tuple[int, tuple[str, ...]]] = field(default_factory=dict)
    ya_cargado: int | None = None
    #: Columna -> calificaciones con un código «no aplica» (``datos.ingesta.escalas``) en las filas nuevas:
    #: se guardan vacías.
    sin_dato: dict[str, int] = field(default_factory=dict)

    @property
    def hay_errores(self) -> bool:
        """True si alguna fila tiene errores."""
        return self.filas_con_errores > 0

    def resumen(self) -> str:
        """Una línea en español: leídas, nuevas, repetidas y con errores."""
        texto = (f"{numero(self.filas_leidas, 0)} filas leídas: {numero(self.filas_nuevas, 0)} nuevas y válidas, "
                 f"{numero(self.filas_repetidas, 0)} ya estaban guardadas, "
                 f"{numero(self.filas_con_errores, 0)} con errores.")
        return f"{texto} {self.texto_sin_dato()}" if self.sin_dato else texto

    def texto_sin_dato(self) -> str:
        """Cuántas calificaciones «no aplica» se guardan vacías, por columna ('' si ninguna)."""
        if not self.sin_dato:
            return ""
        return (f"{numero(sum(self.sin_dato.values()), 0)} calificaciones «no aplica» se guardan vacías ("
                + ", ".join(f"{columna}: {numero(n, 0)}" for columna, n in self.sin_dato.items()) + ").")


def crear_errores(con: duckdb.DuckDBPyConnection, tipo, columnas: list[Columna], reglas, valores: dict,
                  fila: Callable[[str], str]) -> None:
    """Crea ``_duplicadas``, ``_sufijos`` y ``_errores`` (fila, columna, valor, mensaje) a partir de ``_tipada``.

    ``fila`` da el SQL del número de fila (como en la hoja de cálculo) de un ``rowid`` de ``_tipada``.
    """
    con.execute(
        "CREATE TEMP TABLE _duplicadas AS WITH d AS (SELECT _clave, min(rowid) AS primera FROM _tipada "
        "WHERE _valida AND NOT _generada GROUP BY _clave HAVING count(*) > 1) "
        "SELECT t.rowid AS _r, d.primera FROM _tipada t JOIN d USING (_clave) WHERE t._valida AND t.rowid > d.primera")
    con.execute(
        "CREATE TEMP TABLE _sufijos AS SELECT _r, n FROM (SELECT rowid AS _r, row_number() OVER "
        "(PARTITION BY _clave ORDER BY rowid) AS n FROM _tipada WHERE _valida AND _generada AND _clave IN "
        "(SELECT _clave FROM _tipada WHERE _valida AND _generada GROUP BY _clave HAVING count(*) > 1)) WHERE n > 1")
    clave = next((k for k, c in enumerate(columnas) if c.destino == tipo.clave), None)
    duplicados = ""
    if clave is not None:
        duplicados = (f" UNION ALL SELECT d._r, {fila('d._r')}, $n{clave}, t.v{clave}, '''' || "
                      f"left(t.v{clave}, 60) || ''' está repetido (ya aparece en la fila ' || "
                      f"{fila('d.primera')} || ')' FROM _duplicadas d JOIN _tipada t ON t.rowid = d._r")
    errores = sql_errores(columnas, "_tipada", fila("_tipada.rowid"), reglas)
    mensajes = ", ".join(f"'{k}': '{v}'" for k, v in _RECHAZOS.items())
    ejecutar(
        con, f"CREATE TEMP TABLE _errores AS SELECT CAST(fila AS BIGINT) AS fila, columna, valor, 'Fila ' || fila || "
        f"CASE WHEN columna IS NULL THEN '' ELSE ', columna ' || columna END || ': ' || detalle AS mensaje "
        f"FROM ({errores}{duplicados} UNION ALL SELECT NULL, fila, NULL, NULL, "
        f"coalesce(MAP {{{mensajes}}}[tipo], detalle) FROM _rechazadas)", valores, None)


def resumir(con: duckdb.DuckDBPyConnection, archivo: Archivo, tipo, columnas: list[Columna], escala: str | None,
            avisos: list[str], hechos) -> Validacion:
    """Cuenta filas, trae los primeros errores, la vista previa y los desconocidos.

    ``hechos`` es donde viven los datos ya guardados (``datos.ingesta.hechos.hechos_de``).
    """
    leidas, validas = con.execute(
        "SELECT (SELECT count(*) FROM _tipada) + (SELECT count(*) FROM _rechazadas), "
        "(SELECT count(*) FROM _tipada WHERE _valida AND rowid NOT IN (SELECT _r FROM _duplicadas))").fetchall()[0]
    nuevas = con.execute("SELECT count(*) FROM _a_guardar").fetchall()[0][0]
    con_errores, n_errores = con.execute("SELECT count(DISTINCT fila), count(*) FROM _errores").fetchall()[0]
    errores = con.execute("SELECT fila, columna, valor, mensaje FROM _errores ORDER BY fila, columna LIMIT ?",
                          [MAX_ERRORES_EN_PANTALLA]).df()
    por_columna = con.execute("SELECT coalesce(columna, '(fila completa)') AS columna, count(*) AS errores "
                              "FROM _errores GROUP BY ALL ORDER BY errores DESC").df()
    previa = con.execute(f"SELECT _id AS {tipo.clave}, "
                         + ", ".join(f"v{k} AS c{k}" for k in range(len(columnas)))
                         + " FROM _a_guardar ORDER BY _r LIMIT 50").df()
    previa.columns = [tipo.clave] + [c.destino for c in columnas]
    previa = previa.loc[:, ~previa.columns.duplicated()]
    ya = con.execute("SELECT max(carga_id) FROM cargas WHERE hash = ? AND tipo = ? AND deshecha IS NULL",
                     [archivo.hash, tipo.nombre]).fetchall()[0][0]
    avisos = list(archivo.avisos) + avisos
    sufijos = con.execute("SELECT count(*) FROM _sufijos").fetchall()[0][0]
    if sufijos:
        avisos.append(f"{numero(sufijos, 0)} filas son idénticas a otra del archivo y no tienen identificador; "
                      "se guardan como registros distintos.")
    if ya:
        avisos.append(f"Este mismo archivo ya se cargó (carga n.º {ya}); solo se guardaría lo que no esté.")
    return Validacion(
        tipo=tipo.nombre, mapeo={c.nombre: c.destino for c in columnas},
        formatos={c.nombre: c.formato for c in columnas}, escala_auditoria=escala, filas_leidas=leidas,
        filas_nuevas=nuevas, filas_con_errores=con_errores, filas_repetidas=validas - nuevas,
        n_errores=n_errores, errores=errores, errores_por_columna=por_columna, vista_previa=previa,
        avisos=tuple(avisos), desconocidos=_desconocidos(con, tipo, columnas, hechos), ya_cargado=ya,
        sin_dato=_sin_dato(con, columnas),
    )


def _sin_dato(con: duckdb.DuckDBPyConnection, columnas: list[Columna]) -> dict[str, int]:
    """Columna -> calificaciones «no aplica» (``_na<k>`` de ``sql_a_comun``) entre las filas que se guardarían."""
    marcadas = [(k, c) for k, c in enumerate(columnas) if c.campo.sin_dato]
    if not marcadas:
        return {}
    cuentas = con.execute("SELECT " + ", ".join(f"count(*) FILTER (WHERE _na{k})" for k, _ in marcadas)
                          + " FROM _a_guardar").fetchall()[0]
    return {c.nombre: int(n) for (_, c), n in zip(marcadas, cuentas) if n}


def _desconocidos(con: duckdb.DuckDBPyConnection, tipo, columnas: list[Columna],
                  hechos) -> dict[str, tuple[int, tuple[str, ...]]]:
    """Clientes y agentes citados por las filas nuevas que no están en el almacén."""
    resultado = {}
    for k, columna, tabla in referencias(tipo, columnas):
        n, ejemplos = con.execute(
            f"SELECT count(DISTINCT v{k}), list(DISTINCT v{k} ORDER BY v{k})[1:5] FROM _a_guardar "
            f"WHERE v{k} IS NOT NULL AND {sin_guardar(f'v{k}', columna.destino, hechos.tabla(tabla))}"
        ).fetchall()[0]
        if n:
            resultado[tabla] = (n, tuple(ejemplos))
    return resultado


def lineas_de_informe(con: duckdb.DuckDBPyConnection, limite: int = 200) -> list[str]:
    """Los primeros ``limite`` mensajes de ``_errores``, en orden de fila."""
    return [f[0] for f in con.execute("SELECT mensaje FROM _errores ORDER BY fila, columna LIMIT ?",
                                      [limite]).fetchall()]


def informe_csv(con: duckdb.DuckDBPyConnection) -> bytes:
    """Todos los errores de ``_errores`` como CSV (UTF-8 con BOM, ``;``) neutralizado, listo para Excel."""
    return consulta_a_csv(con, 'SELECT fila AS "Fila", columna AS "Columna", valor AS "Valor", '
                               'mensaje AS "Mensaje" FROM _errores ORDER BY fila, columna')
