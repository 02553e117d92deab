"""Buscar, exportar y suprimir a una persona: ningún rastro en ninguna columna de texto; KPI como se espera."""

import io
import json
from dataclasses import replace

import duckdb
import pandas as pd
import pytest

from datos.ajustes.operacion import guardar_operacion, leer_operacion
from datos.almacen.derivados import recalcular_fcr
from datos.motores import lago as lago_parquet
from datos.motores.configuracion import TABLAS_HECHOS, Configuracion
from datos.motores.lago_cargas import Lago
from datos.personas import PersonaNoEncontrada, buscar, exportar_persona, suprimir
from datos.personas.ajustes import elegir_modo
from datos.personas.cambios import PREFIJO_ANONIMO
from datos.servicio.respaldo import crear
from tests.personas.conftest import DISTINTIVAS, nombrar_con_sus_palabras


#: Tipos de columna que no pueden guardar texto (todos los demás se leen como texto: VARCHAR, JSON, listas,
#: STRUCT, MAP…).
_SIN_TEXTO = ("BOOLEAN", "TINYINT", "SMALLINT", "INTEGER", "BIGINT", "HUGEINT", "UTINYINT", "USMALLINT", "UINTEGER",
              "UBIGINT", "FLOAT", "DOUBLE", "DATE", "TIME", "TIMESTAMP", "TIMESTAMP WITH TIME ZONE", "INTERVAL", "UUID",
              "DOUBLE[]", "BIGINT[]", "INTEGER[]")


def _textos(con: duckdb.DuckDBPyConnection) -> list[tuple[str, str]]:
    """(tabla, columna) de toda columna que puede guardar texto (VARCHAR, JSON, listas…) de toda tabla del almacén."""
    columnas = con.execute(
        "SELECT table_name, column_name, data_type FROM duckdb_columns() WHERE database_name = current_database() "
        "AND table_name IN (SELECT table_name FROM duckdb_tables() WHERE NOT temporary "
        "AND database_name = current_database())").fetchall()
    return [(t, c) for t, c, tipo in columnas if tipo not in _SIN_TEXTO and not tipo.startswith("DECIMAL")]


def _palabras(con: duckdb.DuckDBPyConnection, palabras: tuple[str, ...]) -> list[tuple[str, str, str]]:
    """(tabla, columna, palabra) donde alguna columna de texto tiene una de ``palabras`` entera (sin tildes ni mayúsculas)."""
    hallados = []
    for tabla, columna in _textos(con):
        for palabra in palabras:
            if con.execute(f'SELECT count(*) FROM "{tabla}" WHERE regexp_matches(strip_accents(lower(CAST("{columna}" '
                           'AS VARCHAR))), ?)', [rf"\b{palabra}\b"]).fetchall()[0][0]:
                hallados.append((tabla, columna, palabra))
    return hallados


def _rastros(con: duckdb.DuckDBPyConnection, buscados: tuple[str, ...]) -> list[tuple[str, str, str]]:
    """(tabla, columna, texto) donde alguna columna de texto contiene uno de ``buscados``."""
    hallados = []
    for tabla, columna in _textos(con):
        for texto in buscados:
            if con.execute(f'SELECT count(*) FROM "{tabla}" WHERE contains(CAST("{columna}" AS VARCHAR), ?)',
                           [texto]).fetchall()[0][0]:
                hallados.append((tabla, columna, texto))
    return hallados


def _buscados(marcada) -> tuple[str, ...]:
    return (marcada.cliente_id, marcada.correo, "600 111 222", *marcada.textos)


def test_el_barrido_encuentra_a_la_persona_antes_de_suprimirla(demo_marcada):
    almacen, marcada = demo_marcada
    nombrar_con_sus_palabras(almacen)
    tablas = {tabla for tabla, _, _ in _rastros(almacen.cursor(), _buscados(marcada))}
    assert {"clientes", "encuestas", "interacciones", "auditorias", "bitacora"} <= tablas
    columnas = {(tabla, columna) for tabla, columna, _ in _palabras(almacen.cursor(), DISTINTIVAS)}
    assert {("temas_comentarios", "palabras"), ("temas_comentarios", "nombre"), ("nombres_perfiles", "nombre"),
            ("bitacora", "detalle"), ("clientes", "atributos"), ("encuestas", "comentario")} <= columnas
    assert ("cargas", "mapeo") in _textos(almacen.cursor()), "también las columnas JSON"


@pytest.mark.parametrize("modo", ["anonimizar", "eliminar"])
def test_suprimir_no_deja_rastro_en_ninguna_columna_de_texto(demo_marcada, modo):
    almacen, marcada = demo_marcada
    nombrar_con_sus_palabras(almacen)
    con = almacen.cursor()
    elegir_modo(con, modo, autor="ana")
    persona = buscar(almacen, marcada.correo.upper())
    assert persona.cliente_id == marcada.cliente_id and persona.filas["auditorias"] > 0
    version = almacen.version_datos()
    resultado = suprimir(almacen, persona, usuario="ana", referencia="EXP-7")
    assert _rastros(con, _buscados(marcada)) == []
    assert _palabras(con, DISTINTIVAS) == []
    assert almacen.version_datos() > version
    with pytest.raises(PersonaNoEncontrada):
        buscar(almacen, marcada.cliente_id)
    anotada = con.execute("SELECT usuario, accion, detalle FROM bitacora WHERE accion = 'suprimir datos personales'"
                          ).fetchall()
    assert anotada == [("ana", "suprimir datos personales",
                        f"solicitud {resultado.solicitud}, {modo}, {sum(resultado.filas.values())} filas, "
                        "referencia EXP-7")]


def test_lo_derivado_pierde_solo_las_palabras_que_nadie_mas_usa(demo_marcada):
    almacen, marcada = demo_marcada
    nombrar_con_sus_palabras(almacen)
    con = almacen.cursor()
    suprimir(almacen, buscar(almacen, marcada.cliente_id), usuario="ana")
    temas = con.execute("SELECT firma, nombre, palabras FROM temas_comentarios ORDER BY firma").fetchall()
    assert temas == [("f-1", None, "client"), ("f-2", "Entregas tardías", "entreg|tard")]
    assert con.execute("SELECT firma, nombre FROM nombres_perfiles").fetchall() == [("p-2", "Clientes fieles")]
    cambios = [d for (d,) in con.execute("SELECT detalle FROM bitacora WHERE accion = 'cambiar configuración' AND "
                                         "detalle LIKE 'Nombre del tema%' ORDER BY detalle").fetchall()]
    # «Quejas» también sale: en la demostración solo ella escribe «queja» o «quejó».
    assert cambios == ["Nombre del tema «client, [suprimido], [suprimido]»: (sin valor) → [suprimido] de [suprimido] "
                       "[suprimido]", "Nombre del tema «entreg, tard»: (sin valor) → Entregas tardías"]


def _guardadas_y_existentes(con: duckdb.DuckDBPyConnection) -> tuple[int, int]:
    """(filas que el historial dice que guardó la carga de demostración, filas suyas que existen en el almacén)."""
    carga, guardadas = con.execute("SELECT carga_id, filas_guardadas FROM cargas WHERE es_demo").fetchall()[0]
    existentes = sum(con.execute(f'SELECT count(*) FROM "{t}" WHERE carga_id = ?', [carga]).fetchall()[0][0]
                     for t in TABLAS_HECHOS)
    return guardadas, existentes


def test_eliminar_descuenta_sus_filas_del_historial_de_cargas(demo_marcada):
    almacen, marcada = demo_marcada
    con = almacen.cursor()
    antes, existentes = _guardadas_y_existentes(con)
    assert antes == existentes
    elegir_modo(con, "eliminar", autor="ana")
    persona = buscar(almacen, marcada.cliente_id)
    suprimir(almacen, persona, usuario="ana")
    despues, existentes = _guardadas_y_existentes(con)
    assert despues == existentes < antes
    assert antes - despues >= persona.filas["encuestas"] + persona.filas["interacciones"] + 1


def _kpis(con: duckdb.DuckDBPyConnection) -> pd.DataFrame:
    """CSAT medio, NPS y FCR por sucursal y tipo de cliente (lo que el tablero desglosa)."""
    encuestas = con.execute(
        "SELECT sucursal, tipo_cliente, count(*) AS n, avg(csat) AS csat, "
        "100 * (avg(CAST(nps >= 9 AS INT)) - avg(CAST(nps <= 6 AS INT))) AS nps "
        "FROM encuestas GROUP BY ALL ORDER BY ALL").fetchdf()
    fcr = con.execute("SELECT sucursal, count(*) AS contactos, avg(CAST(fcr AS INT)) AS fcr "
                      "FROM interacciones GROUP BY ALL ORDER BY ALL").fetchdf()
    segmentos = con.execute("SELECT c.segmento, count(*) AS n, avg(e.csat) AS csat FROM encuestas e "
                            "JOIN clientes c USING (cliente_id) GROUP BY ALL ORDER BY ALL").fetchdf()
    return pd.concat([encuestas, fcr, segmentos], keys=["encuestas", "fcr", "segmentos"])


def test_anonimizar_no_mueve_ningun_kpi(demo_marcada):
    almacen, marcada = demo_marcada
    con = almacen.cursor()
    antes = _kpis(con)
    suprimir(almacen, buscar(almacen, marcada.cliente_id), usuario="ana")
    pd.testing.assert_frame_equal(_kpis(con), antes)
    fichas = con.execute("SELECT cliente_id FROM clientes WHERE starts_with(cliente_id, ?)",
                         [PREFIJO_ANONIMO]).fetchall()
    assert len(fichas) == 1 and len(fichas[0][0]) == len(PREFIJO_ANONIMO) + 16


def test_eliminar_recalcula_los_kpi_como_si_nunca_hubiera_estado(demo_nueva):
    almacen, esperado = demo_nueva(), demo_nueva()
    con, con_esperado = almacen.cursor(), esperado.cursor()
    cliente_id = con.execute("SELECT cliente_id FROM interacciones GROUP BY 1 ORDER BY count(*) DESC, 1 "
                             "LIMIT 1").fetchall()[0][0]
    antes = _kpis(con)
    for sql in ("DELETE FROM encuesta_etapas WHERE respuesta_id IN (SELECT respuesta_id FROM encuestas "
                "WHERE cliente_id = $id)", "DELETE FROM encuestas WHERE cliente_id = $id",
                "DELETE FROM interacciones WHERE cliente_id = $id", "DELETE FROM clientes WHERE cliente_id = $id"):
        con_esperado.execute(sql, {"id": cliente_id})
    recalcular_fcr(con_esperado)
    elegir_modo(con, "eliminar", autor="ana")
    resultado = suprimir(almacen, buscar(almacen, cliente_id), usuario="ana")
    despues = _kpis(con)
    pd.testing.assert_frame_equal(despues, _kpis(con_esperado))
    assert not despues.equals(antes)
    assert resultado.filas["Interacciones"] == antes.loc["fcr", "contactos"].sum() - despues.loc["fcr", "contactos"].sum()
    assert con.execute("SELECT count(*) FROM encuesta_etapas").fetchall() == \
        con_esperado.execute("SELECT count(*) FROM encuesta_etapas").fetchall()


def test_buscar_por_telefono_y_exportar_en_excel_y_json(demo_marcada):
    almacen, marcada = demo_marcada
    persona = buscar(almacen, "600111222")
    assert persona.cliente_id == marcada.cliente_id
    libro = pd.read_excel(io.BytesIO(exportar_persona(almacen, persona, "excel", usuario="ana")), sheet_name=None)
    assert list(libro) == ["Resumen", "Ficha del cliente", "Encuestas y comentarios", "Calificaciones por etapa",
                           "Interacciones", "Notas de auditoría"]
    assert len(libro["Encuestas y comentarios"]) == persona.filas["encuestas"]
    assert set(marcada.textos[:-1]) <= set(libro["Encuestas y comentarios"]["Comentario"].dropna())
    assert "Fecha" in libro["Encuestas y comentarios"] and "cliente_id" not in libro["Ficha del cliente"]
    copia = json.loads(exportar_persona(almacen, persona, "json", usuario="ana"))
    assert len(copia["Interacciones"]) == persona.filas["interacciones"]
    fecha = copia["Interacciones"][0]["Inicio"]
    assert fecha[2] == "/" and fecha[5] == "/", fecha
    con = almacen.cursor()
    assert con.execute("SELECT tipo, modo FROM solicitudes_personales ORDER BY solicitud").fetchall() == [
        ("acceso", "excel"), ("acceso", "json")]
    registro = [r for r in _rastros(con, (marcada.cliente_id, marcada.correo)) if r[0] in ("solicitudes_personales",
                                                                                         "bitacora")]
    assert registro == [("bitacora", "detalle", marcada.cliente_id)], "solo la nota que ya estaba"
    assert con.execute("SELECT count(*) FROM bitacora WHERE contains(detalle, ?)", [marcada.cliente_id]
                       ).fetchall() == [(1,)], "las solicitudes de acceso no guardan el identificador"


def test_buscar_sin_texto_o_sin_persona_lo_dice_en_espanol(demo_marcada):
    almacen, _ = demo_marcada
    with pytest.raises(PersonaNoEncontrada, match="Escriba"):
        buscar(almacen, "  ")
    with pytest.raises(PersonaNoEncontrada, match="No hay datos"):
        buscar(almacen, "nadie@example.com")


def _rastros_en_lago(ruta, buscados) -> list[str]:
    """Archivos Parquet visibles del lago con alguno de ``buscados`` en una columna de texto."""
    con, hallados = duckdb.connect(), []
    for archivo in sorted(ruta.rglob("*.parquet")):
        if any(p.startswith(".") for p in archivo.relative_to(ruta).parts):
            continue
        relacion = con.read_parquet(str(archivo), hive_partitioning=False)
        for columna, tipo in zip(relacion.columns, relacion.types):
            if str(tipo) in ("VARCHAR", "JSON") and any(relacion.filter(
                    duckdb.FunctionExpression("contains", duckdb.ColumnExpression(columna).cast("VARCHAR"),
                                              duckdb.ConstantExpression(texto))).aggregate("count(*)").fetchall()[0][0]
                    for texto in buscados):
                hallados.append(str(archivo))
    return hallados


@pytest.mark.parametrize("modo", ["anonimizar", "eliminar"])
def test_suprimir_en_el_lago_reescribe_los_parquet_que_la_contenian(demo_marcada, tmp_path, modo):
    almacen, marcada = demo_marcada
    con = almacen.cursor()
    lago_parquet.exportar(con, tmp_path / "lago")
    lago = Lago(Configuracion(motor="pyspark", lago=str(tmp_path / "lago")))
    buscados = _buscados(marcada)
    assert _rastros_en_lago(tmp_path / "lago", buscados)
    elegir_modo(con, modo, autor="ana")
    persona = buscar(almacen, marcada.cliente_id, lago=lago)
    assert {"ficha", "encuestas", "interacciones", "auditorias"} <= set(persona.lago)
    filas_antes = con.execute("SELECT count(*) FROM read_parquet(?)",
                              [str(tmp_path / "lago" / "encuestas" / "**" / "*.parquet")]).fetchall()[0][0]
    resultado = suprimir(almacen, persona, usuario="ana", lago=lago)
    assert resultado.archivos_lago >= 4
    assert _rastros_en_lago(tmp_path / "lago", buscados) == []
    assert _rastros(con, buscados) == []
    assert con.execute("SELECT count(*) FROM lago_archivos WHERE operacion = 'supresion' AND NOT aplicada"
                       ).fetchall() == [(0,)]
    filas_despues = con.execute("SELECT count(*) FROM read_parquet(?)",
                                [str(tmp_path / "lago" / "encuestas" / "**" / "*.parquet")]).fetchall()[0][0]
    borradas = persona.filas["encuestas"] if modo == "eliminar" else 0
    assert filas_despues == filas_antes - borradas
    assert lago.escrita_por_cargas("interacciones"), "el FCR del lago se recalcula al leer"


def test_tras_suprimir_se_nombran_los_respaldos_anteriores(demo_marcada, tmp_path):
    almacen, persona = demo_marcada
    con = almacen.cursor()
    carpeta = tmp_path / "respaldos"
    guardar_operacion(con, replace(leer_operacion(con), respaldo_carpeta=str(carpeta)), autor="admin")
    crear(con, carpeta / "eslabon-20261101-020000")
    hecha = suprimir(almacen, buscar(con, persona.cliente_id), usuario="admin")
    assert "eslabon-20261101-020000" in hecha.aviso_copias and "copias de seguridad" in hecha.aviso_copias
