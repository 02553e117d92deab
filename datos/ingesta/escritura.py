"""Las inserciones de una carga: fichas mínimas, calificaciones en forma larga y filas principales.

Cada función inserta desde la vista ``_a_guardar`` de una ``Preparacion`` en el destino que da
``hechos`` (``datos.ingesta.hechos``) y corre dentro de la transacción de ``Preparacion.guardar``.
"""

import duckdb

from datos.ingesta.hechos import referencias
from datos.ingesta.sentencias import Progreso, ejecutar, sin_guardar
from datos.ingesta.validacion import Columna

__all__ = ["TABLAS_VARIABLES", "crear_fichas", "insertar"]

#: Tabla en forma larga de cada clase de calificaciones: (tabla, clave, columna del nombre, columna del valor).
TABLAS_VARIABLES = {"etapas": ("encuesta_etapas", "respuesta_id", "etapa", "calificacion"),
                    "competencias": ("auditoria_competencias", "auditoria_id", "competencia", "valor")}


def crear_fichas(con: duckdb.DuckDBPyConnection, hechos, tipo, columnas: list[Columna],
                 carga_id: int) -> dict[str, int]:
    """Crea clientes y agentes mínimos (solo el identificador) para las referencias desconocidas."""
    creados = {}
    for k, columna, tabla in referencias(tipo, columnas):
        creados[tabla] = con.execute(
            f"INSERT INTO {hechos.destino(tabla)} ({columna.destino}, carga_id) SELECT DISTINCT v{k}, ? "
            f"FROM _a_guardar WHERE v{k} IS NOT NULL AND {sin_guardar(f'v{k}', columna.destino, hechos.tabla(tabla))}",
            [carga_id]).fetchall()[0][0]
    return creados


def insertar(con: duckdb.DuckDBPyConnection, hechos, tipo, columnas: list[Columna], carga_id: int,
             escala_auditoria: str | None, avisar: Progreso) -> int:
    """Inserta las calificaciones en forma larga (primero) y las filas principales; devuelve cuántas."""
    valores = {"carga": carga_id}
    variables = [(k, c) for k, c in enumerate(columnas) if c.destino.startswith(("etapa:", "competencia:"))]
    if variables:
        tabla, clave, nombre, valor = TABLAS_VARIABLES[tipo.variables]
        valores |= {f"var{k}": c.destino.partition(":")[2] for k, c in variables}
        if tipo.variables == "etapas":
            _crear_etapas(con, [c.destino.partition(":")[2] for _, c in variables])
        ejecutar(con,
                 f"INSERT INTO {hechos.destino(tabla)} ({clave}, {nombre}, {valor}, carga_id) SELECT _id, "
                 f"unnest([{', '.join(f'$var{k}' for k, _ in variables)}]), "
                 f"unnest([{', '.join(f'v{k}' for k, _ in variables)}]), $carga FROM _a_guardar",
                 valores, avisar, (0.1, 0.5), "Guardando calificaciones…")
    campos = {c.destino: f"v{k}" for k, c in enumerate(columnas) if ":" not in c.destino}
    campos[tipo.clave] = "_id"
    if tipo.fecha_de_carga and tipo.fecha_de_carga not in campos:
        campos[tipo.fecha_de_carga] = "CAST(current_date AS TIMESTAMP)"
    if tipo.nombre == "auditorias":
        campos["escala"], valores["escala"] = "$escala", escala_auditoria
    atributos = [(k, c) for k, c in enumerate(columnas) if c.destino.startswith("atributo:")]
    if atributos:
        valores |= {f"atr{k}": c.destino.partition(":")[2] for k, c in atributos}
        campos["atributos"] = "json_object(" + ", ".join(f"$atr{k}, v{k}" for k, _ in atributos) + ")"
    ejecutar(con,
             f"INSERT INTO {hechos.destino(tipo.tabla)} ({', '.join(campos)}, carga_id) "
             f"SELECT {', '.join(campos.values())}, $carga FROM _a_guardar", valores, avisar, (0.5, 0.95),
             f"Guardando {tipo.etiqueta.lower()}…")
    if tipo.nombre == "interacciones":
        _aplicar_promesas(con, hechos.destino(tipo.tabla), carga_id)
    return con.execute(f"SELECT count(*) FROM {hechos.destino(tipo.tabla)} WHERE carga_id = ?",
                       [carga_id]).fetchall()[0][0]


def _crear_etapas(con: duckdb.DuckDBPyConnection, etapas: list[str]) -> None:
    """Añade al final de la cadena las etapas que aún no estén configuradas."""
    for etapa in etapas:
        con.execute("INSERT INTO etapas (etapa, orden) SELECT ?, (SELECT coalesce(max(orden), 0) + 1 "
                    "FROM etapas) WHERE NOT EXISTS (SELECT 1 FROM etapas WHERE etapa = ?)", [etapa, etapa])


def _aplicar_promesas(con: duckdb.DuckDBPyConnection, tabla: str, carga_id: int) -> None:
    """Decide ``promesa_cumplida`` de los contactos de la carga que traen tiempo de respuesta pero no ese dato.

    La promesa es la de su canal (tabla ``promesas``: minutos hasta la primera respuesta, configurados en
    «Configuración de la organización»); los canales se comparan sin mayúsculas ni tildes.
    """
    con.execute(
        f"UPDATE {tabla} AS i SET promesa_cumplida = i.tiempo_respuesta_min <= p.minutos FROM promesas p "
        "WHERE i.carga_id = ? AND i.promesa_cumplida IS NULL AND i.tiempo_respuesta_min IS NOT NULL "
        "AND lower(strip_accents(trim(i.canal))) = lower(strip_accents(trim(p.canal)))", [carga_id])
