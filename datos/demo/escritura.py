"""La escritura de la demostración: tablas Arrow con códigos y una sola transacción que las inserta.

Los generadores devuelven códigos enteros; aquí se convierten en columnas Arrow (diccionarios de
texto, instantes, números con NULL) y DuckDB forma los identificadores (``CLI-000001``) al insertar.
"""

from collections.abc import Callable

import duckdb
import numpy as np
import pyarrow as pa

from datos.almacen import agregados
from datos.almacen.derivados import registrar_escritura
from datos.almacen.esquema import COMPETENCIAS, ETAPAS_PREDETERMINADAS
from datos.almacen.transaccion import transaccion
from datos.demo.auditorias import textos_auditoria
from datos.demo.encuestas import textos_comentarios
from datos.demo.hechos import (AUDITORES, CANALES, EQUIPOS, ETAPAS, FECHA_INICIO, MOTIVOS, PERFILES, REGIONES, ROLES,
                               SEGMENTOS, SUCURSALES, T0, TIPOS_CLIENTE, TURNOS)

__all__ = ["tablas_arrow", "escribir"]

_ETIQUETAS = {"clientes": "clientes", "agentes": "agentes", "interacciones": "interacciones",
              "encuestas": "encuestas", "encuesta_etapas": "calificaciones por etapa", "auditorias": "auditorías",
              "auditoria_competencias": "puntajes por competencia"}


def _categorica(codigos: np.ndarray, categorias, nulos: np.ndarray | None = None) -> pa.DictionaryArray:
    """Columna de texto codificada como diccionario (``codigos`` indexa ``categorias``)."""
    return pa.DictionaryArray.from_arrays(pa.array(codigos.astype(np.int32), mask=nulos),
                                          pa.array(list(categorias), pa.string()))


def _instante(segundos: np.ndarray, nulos: np.ndarray | None = None) -> pa.Array:
    """Segundos desde ``FECHA_INICIO`` como columna TIMESTAMP."""
    return pa.array(T0 + segundos.astype("timedelta64[s]"), type=pa.timestamp("s"), mask=nulos)


def _numero(valores: np.ndarray) -> pa.Array:
    """Columna DOUBLE con NaN convertidos en NULL."""
    return pa.array(valores.astype(np.float64), mask=np.isnan(valores))


def tablas_arrow(clientes: dict, agentes: dict, interacciones: dict, encuestas: dict,
                  auditorias: dict) -> dict[str, pa.Table]:
    """Tablas Arrow con enteros en lugar de identificadores (DuckDB los formatea al insertar)."""
    n_etapas, n_comp = len(ETAPAS), len(COMPETENCIAS)
    n_enc, n_aud = encuestas["csat"].size, auditorias["agente"].size
    textos, _ = textos_comentarios()
    dia_inicio = np.datetime64(FECHA_INICIO.isoformat(), "D")
    return {
        "clientes": pa.table({
            "i": np.arange(1, clientes["perfil"].size + 1),
            "tipo": _categorica(clientes["tipo"], TIPOS_CLIENTE),
            "segmento": _categorica(clientes["segmento"], SEGMENTOS),
            "region": _categorica(clientes["region"], REGIONES),
            "alta": pa.array(dia_inicio + clientes["alta_dias"].astype("timedelta64[D]")),
            "perfil": _categorica(clientes["perfil"], PERFILES),
        }),
        "agentes": pa.table({
            "i": np.arange(1, agentes["rol"].size + 1),
            "nombre": agentes["nombre"],
            "equipo": _categorica(agentes["equipo"], tuple(EQUIPOS)),
            "supervisor": _categorica(agentes["equipo"], tuple(EQUIPOS.values())),
            "rol": _categorica(agentes["rol"], ROLES),
            "turno": _categorica(agentes["turno"], TURNOS),
            "ingreso": pa.array(dia_inicio + agentes["ingreso_dias"].astype("timedelta64[D]")),
        }),
        "interacciones": pa.table({
            "i": np.arange(1, interacciones["inicio"].size + 1),
            "inicio": _instante(interacciones["inicio"]),
            "fin": _instante(interacciones["fin"], interacciones["abierta"]),
            "cliente": interacciones["cliente"] + 1,
            "agente": interacciones["agente"] + 1,
            "canal": _categorica(interacciones["canal"], CANALES),
            "sucursal": _categorica(interacciones["sucursal"], SUCURSALES),
            "motivo": _categorica(interacciones["motivo"], MOTIVOS),
            "etapa": _categorica(interacciones["etapa"], ETAPAS),
            "respuesta": interacciones["respuesta_min"],
            "resolucion": _numero(interacciones["resolucion_h"]),
            "resuelto": interacciones["resuelto"],
            "escalado": interacciones["escalado"],
            "promesa": interacciones["promesa"],
        }),
        "encuestas": pa.table({
            "i": np.arange(1, n_enc + 1),
            "fecha": _instante(encuestas["fecha"]),
            "cliente": encuestas["cliente"] + 1,
            "interaccion": pa.array(encuestas["interaccion"] + 1, mask=encuestas["interaccion"] < 0),
            "canal": _categorica(encuestas["canal"], CANALES),
            "sucursal": _categorica(encuestas["sucursal"], SUCURSALES),
            "tipo": _categorica(encuestas["tipo"], TIPOS_CLIENTE),
            "csat": encuestas["csat"],
            "nps": _numero(encuestas["nps"]),
            "ces": _numero(encuestas["ces"]),
            "comentario": _categorica(encuestas["comentario"], textos, encuestas["comentario"] < 0),
        }),
        "encuesta_etapas": pa.table({
            "i": np.repeat(np.arange(1, n_enc + 1), n_etapas),
            "etapa": _categorica(np.tile(np.arange(n_etapas), n_enc), ETAPAS),
            "calificacion": _numero(encuestas["etapas"].ravel()),
        }),
        "auditorias": pa.table({
            "i": np.arange(1, n_aud + 1),
            "fecha": _instante(auditorias["fecha"]),
            "agente": auditorias["agente"] + 1,
            "auditor": _categorica(auditorias["auditor"], AUDITORES),
            "interaccion": auditorias["interaccion"] + 1,
            "comentario": _categorica(auditorias["comentario"], textos_auditoria(), auditorias["comentario"] < 0),
        }),
        "auditoria_competencias": pa.table({
            "i": np.repeat(np.arange(1, n_aud + 1), n_comp),
            "competencia": _categorica(np.tile(np.arange(n_comp), n_aud), [c for c, _ in COMPETENCIAS]),
            "valor": _numero(auditorias["valores"].ravel()),
        }),
    }


def _id(prefijo: str, columna: str, n: int, minimo: int) -> str:
    """Expresión SQL que forma un identificador ``PREFIJO-000123`` de ancho fijo a partir de un entero."""
    return f"printf('{prefijo}-%0{max(minimo, len(str(n)))}d', {columna})"


#: Columnas que el generador escribe en ``interacciones`` (las derivadas, como ``fcr``, se calculan aparte).
_COLUMNAS_INTERACCIONES = ("interaccion_id, fecha_inicio, fecha_fin, cliente_id, agente_id, canal, sucursal, motivo, "
                           "etapa, tiempo_respuesta_min, tiempo_resolucion_h, resuelto, escalado, promesa_cumplida, "
                           "carga_id")


def _crear_etapas(con: duckdb.DuckDBPyConnection, carga: int) -> None:
    """Añade a la cadena, al final, las etapas de la demostración que falten, ligadas a su carga:
    deshacer la demostración las retira (las que la organización ya tenía no se tocan)."""
    for etapa, meta in ETAPAS_PREDETERMINADAS:
        con.execute("INSERT INTO etapas (etapa, orden, meta, carga_id) SELECT ?, (SELECT coalesce(max(orden), 0) + 1 "
                    "FROM etapas), ?, ? WHERE NOT EXISTS (SELECT 1 FROM etapas WHERE etapa = ?)",
                    [etapa, meta, carga, etapa])


def escribir(con: duckdb.DuckDBPyConnection, tablas: dict[str, pa.Table], filas: dict[str, int],
              avisar: Callable[[float, str], None]) -> None:
    """Registra la carga e inserta todas las tablas en una transacción; deshace todo si algo falla."""
    n_cli, n_age, n_int, n_enc, n_aud = (filas[t] for t in
                                         ("clientes", "agentes", "interacciones", "encuestas", "auditorias"))
    cli, age = _id("CLI", "cliente", n_cli, 6), _id("AGE", "agente", n_age, 3)
    inter, enc, aud = _id("INT", "interaccion", n_int, 8), _id("ENC", "i", n_enc, 8), _id("AUD", "i", n_aud, 6)
    selects = {
        "clientes": f"SELECT {_id('CLI', 'i', n_cli, 6)}, tipo, segmento, region, alta, "
                    "json_object('perfil', perfil), $carga",
        "agentes": f"SELECT {_id('AGE', 'i', n_age, 3)}, nombre, equipo, supervisor, rol, turno, ingreso, $carga",
        "interacciones": f"SELECT {_id('INT', 'i', n_int, 8)}, inicio, fin, {cli}, {age}, canal, sucursal, motivo, "
                         "etapa, respuesta, resolucion, resuelto, escalado, promesa, $carga",
        "encuestas": f"SELECT {enc}, fecha, {cli}, {inter}, canal, sucursal, tipo, csat, nps, ces, comentario, $carga",
        "encuesta_etapas": f"SELECT {enc}, etapa, calificacion, $carga",
        "auditorias": f"SELECT {aud}, fecha, {age}, auditor, {inter}, '1-5', comentario, $carga",
        "auditoria_competencias": f"SELECT {aud}, competencia, valor, $carga",
    }
    for tabla, datos in tablas.items():
        con.register(f"_demo_{tabla}", datos)
    try:
        with transaccion(con):
            carga = con.execute(
                "INSERT INTO cargas (carga_id, tipo, archivo, filas_leidas, filas_guardadas, usuario, es_demo) "
                "VALUES (nextval('carga_id_seq'), 'demo', 'datos de demostración', $n, $n, 'demo', true) "
                "RETURNING carga_id", {"n": sum(filas.values())}).fetchall()[0][0]
            _crear_etapas(con, carga)
            escritas = 0
            for tabla, select in selects.items():
                avisar(0.5 + 0.5 * escritas / sum(filas.values()), f"Guardando {_ETIQUETAS[tabla]}…")
                escritas += filas[tabla]
                columnas = f"({_COLUMNAS_INTERACCIONES})" if tabla == "interacciones" else ""
                con.execute(f"INSERT INTO {tabla} {columnas} {select} FROM _demo_{tabla}", {"carga": carga})
            avisar(0.98, "Calculando indicadores derivados…")
            registrar_escritura(con, agregados.celdas_de_carga(con, carga))
    finally:
        for tabla in tablas:
            con.unregister(f"_demo_{tabla}")
