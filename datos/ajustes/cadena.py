"""Cambios de la cadena de servicio que mueven datos guardados: renombrar, fundir y borrar calificaciones.

Añadir, reordenar, describir, fijar metas o sacar etapas de la cadena es reemplazar la sección
``etapas`` de la configuración (``datos.ajustes.organizacion.aplicar``). Lo que aquí cambia además
las filas guardadas va en una transacción, con su anotación en la bitácora:

- ``renombrar``: la etapa, sus calificaciones, los contactos de esa etapa y los mapeos recordados siguen
  al nombre nuevo.
- ``fundir``: las calificaciones de una etapa pasan a otra; quien calificó las dos queda con el promedio
  (``efecto_de_fundir`` lo cuenta antes, para avisar).
- ``borrar_calificaciones``: borra las calificaciones guardadas de una etapa que ya no está en la cadena.
"""

import json

import duckdb

from analisis.errores import AjusteNoValido
from analisis.formato import numero
from datos.ajustes.organizacion import Configuracion, Etapa, errores, leer
from datos.almacen.derivados import subir_version
from datos.almacen.transaccion import transaccion
from datos.cuentas.usuarios import registrar

__all__ = ["renombrar", "efecto_de_fundir", "fundir", "borrar_calificaciones"]


def _exigir_etapa(con: duckdb.DuckDBPyConnection, etapa: str) -> None:
    """Falla si ``etapa`` no está en la cadena."""
    if etapa not in {e.nombre for e in leer(con).etapas}:
        raise AjusteNoValido(f"La etapa «{etapa}» no está en la cadena.")


def _seguir_en_mapeos(con: duckdb.DuckDBPyConnection, antes: str, despues: str) -> None:
    """Los mapeos recordados que llevaban una columna a ``etapa:antes`` la llevan a ``etapa:despues``."""
    for firma, tipo, mapeo in con.execute("SELECT firma, tipo, mapeo FROM mapeos").fetchall():
        datos = json.loads(mapeo)
        columnas = datos.get("columnas", {})
        if f"etapa:{antes}" in columnas.values():
            datos["columnas"] = {c: f"etapa:{despues}" if d == f"etapa:{antes}" else d for c, d in columnas.items()}
            con.execute("UPDATE mapeos SET mapeo = ? WHERE firma = ? AND tipo = ?",
                        [json.dumps(datos, ensure_ascii=False), firma, tipo])


def renombrar(con: duckdb.DuckDBPyConnection, etapa: str, nuevo: str, *, usuario: str | None) -> int:
    """Cambia el nombre de ``etapa`` a ``nuevo``; sus calificaciones y contactos lo siguen. Devuelve cuántas
    calificaciones se movieron.

    Raises ``AjusteNoValido`` si ``etapa`` no existe o ``nuevo`` no es un nombre válido o ya está en la cadena.
    """
    _exigir_etapa(con, etapa)
    nuevo = (nuevo or "").strip()
    cadena = leer(con).etapas
    propuesta = tuple(e if e.nombre != etapa else Etapa(nuevo, e.descripcion, e.meta) for e in cadena)
    problemas = errores(Configuracion(etapas=propuesta))
    if problemas:
        raise AjusteNoValido(" ".join(problemas))
    if nuevo == etapa:
        return 0
    with transaccion(con):
        con.execute("INSERT INTO etapas (etapa, orden, meta, descripcion, carga_id) SELECT ?, orden, meta, "
                    "descripcion, carga_id FROM etapas WHERE etapa = ?", [nuevo, etapa])
        con.execute("DELETE FROM etapas WHERE etapa = ?", [etapa])
        movidas = con.execute("UPDATE encuesta_etapas SET etapa = ? WHERE etapa = ?", [nuevo, etapa]).fetchall()[0][0]
        con.execute("UPDATE interacciones SET etapa = ? WHERE etapa = ?", [nuevo, etapa])
        _seguir_en_mapeos(con, etapa, nuevo)
        registrar(con, usuario, "configuración",
                  f"etapa renombrada: «{etapa}» → «{nuevo}» ({numero(movidas, 0)} calificaciones la siguen)")
        subir_version(con)
    return movidas


def efecto_de_fundir(con: duckdb.DuckDBPyConnection, origen: str, destino: str) -> tuple[int, int]:
    """(calificaciones de ``origen`` que pasan a ``destino``, respuestas que calificaron las dos y quedarán con
    el promedio)."""
    return con.execute(
        "SELECT count(*) FILTER (WHERE o.calificacion IS NOT NULL), "
        "count(*) FILTER (WHERE o.calificacion IS NOT NULL AND d.calificacion IS NOT NULL) "
        "FROM encuesta_etapas o LEFT JOIN encuesta_etapas d ON d.respuesta_id = o.respuesta_id AND d.etapa = ? "
        "WHERE o.etapa = ?", [destino, origen]).fetchall()[0]


def fundir(con: duckdb.DuckDBPyConnection, origen: str, destino: str, *, usuario: str | None) -> tuple[int, int]:
    """Funde ``origen`` en ``destino``: sus calificaciones y contactos pasan a ``destino`` y ``origen`` sale de la
    cadena. Quien calificó las dos queda con el promedio. Devuelve ``efecto_de_fundir`` (lo que se hizo).

    Raises ``AjusteNoValido`` si alguna no está en la cadena o son la misma.
    """
    _exigir_etapa(con, origen)
    _exigir_etapa(con, destino)
    if origen == destino:
        raise AjusteNoValido("Elija dos etapas distintas para fundir.")
    efecto = efecto_de_fundir(con, origen, destino)
    with transaccion(con):
        con.execute(
            "UPDATE encuesta_etapas AS d SET calificacion = CASE WHEN d.calificacion IS NULL THEN o.calificacion "
            "WHEN o.calificacion IS NULL THEN d.calificacion ELSE (d.calificacion + o.calificacion) / 2 END "
            "FROM encuesta_etapas o WHERE o.respuesta_id = d.respuesta_id AND o.etapa = ? AND d.etapa = ?",
            [origen, destino])
        con.execute("DELETE FROM encuesta_etapas WHERE etapa = ? AND respuesta_id IN (SELECT respuesta_id "
                    "FROM encuesta_etapas WHERE etapa = ?)", [origen, destino])
        con.execute("UPDATE encuesta_etapas SET etapa = ? WHERE etapa = ?", [destino, origen])
        con.execute("UPDATE interacciones SET etapa = ? WHERE etapa = ?", [destino, origen])
        con.execute("DELETE FROM etapas WHERE etapa = ?", [origen])
        _seguir_en_mapeos(con, origen, destino)
        registrar(con, usuario, "configuración",
                  f"etapa «{origen}» fundida en «{destino}»: {numero(efecto[0], 0)} calificaciones pasan, "
                  f"{numero(efecto[1], 0)} respuestas con las dos quedan con el promedio")
        subir_version(con)
    return efecto


def borrar_calificaciones(con: duckdb.DuckDBPyConnection, etapa: str, *, usuario: str | None) -> int:
    """Borra las calificaciones guardadas de ``etapa``, que no debe estar en la cadena; devuelve cuántas.

    Raises ``AjusteNoValido`` si la etapa sigue en la cadena (primero se saca de ella).
    """
    if etapa in {e.nombre for e in leer(con).etapas}:
        raise AjusteNoValido(f"«{etapa}» sigue en la cadena: sáquela de la cadena antes de borrar sus calificaciones.")
    with transaccion(con):
        borradas = con.execute("DELETE FROM encuesta_etapas WHERE etapa = ?", [etapa]).fetchall()[0][0]
        registrar(con, usuario, "configuración",
                  f"calificaciones borradas de la etapa retirada «{etapa}»: {numero(borradas, 0)}")
        subir_version(con)
    return borradas
