"""Suprimir a una persona cuando los datos de servicio viven solo en el lago Parquet (modo Spark).

El almacén de demostración con la persona marcada se exporta con ``datos.lago`` y sus tablas de hechos
se vacían en DuckDB, como en ``tests/motores/test_lago_cargas.py``: sus textos, los de los demás y las
filas de cada carga solo pueden leerse del lago.
"""

import duckdb
import pytest

from datos.motores import lago as lago_parquet
from datos.motores.configuracion import TABLAS_HECHOS, Configuracion
from datos.motores.lago_cargas import Lago
from datos.personas import PersonaNoEncontrada, buscar, suprimir
from datos.personas.ajustes import elegir_modo
from tests.personas.conftest import DISTINTIVAS, nombrar_con_sus_palabras
from tests.personas.test_supresion import _buscados, _palabras, _rastros, _rastros_en_lago


@pytest.fixture
def en_lago(demo_marcada, tmp_path):
    """(almacén con los hechos solo en el lago, persona marcada, ``Lago``, carpeta del lago)."""
    almacen, marcada = demo_marcada
    nombrar_con_sus_palabras(almacen)
    con, carpeta = almacen.cursor(), tmp_path / "lago"
    lago_parquet.exportar(con, carpeta)
    for tabla in TABLAS_HECHOS:
        con.execute(f"DELETE FROM {tabla}")
    return almacen, marcada, Lago(Configuracion(motor="pyspark", lago=str(carpeta))), carpeta


def _palabras_en_lago(carpeta, palabras: tuple[str, ...]) -> list[tuple[str, str, str]]:
    """(archivo, columna, palabra) de los Parquet visibles con una de ``palabras`` entera en una columna de texto."""
    con, hallados = duckdb.connect(), []
    for archivo in sorted(carpeta.rglob("*.parquet")):
        if any(p.startswith(".") for p in archivo.relative_to(carpeta).parts):
            continue
        relacion = con.read_parquet(str(archivo), hive_partitioning=False)
        for columna in (c for c, tipo in zip(relacion.columns, relacion.types) if str(tipo) in ("VARCHAR", "JSON")):
            for palabra in palabras:
                if relacion.filter(f'regexp_matches(strip_accents(lower(CAST("{columna}" AS VARCHAR))), '
                                   f"'\\b{palabra}\\b')").aggregate("count(*)").fetchall()[0][0]:
                    hallados.append((archivo.name, columna, palabra))
    return hallados


def _guardadas_y_en_lago(con: duckdb.DuckDBPyConnection, carpeta) -> tuple[int, int]:
    """(filas que el historial dice que guardó la carga de demostración, filas suyas en los Parquet visibles)."""
    carga, guardadas = con.execute("SELECT carga_id, filas_guardadas FROM cargas WHERE es_demo").fetchall()[0]
    lago = Lago(Configuracion(motor="pyspark", lago=str(carpeta)))
    return guardadas, sum(lago.filas_de_carga(con, carga).values())


def test_en_el_lago_la_persona_solo_esta_en_los_parquet_y_se_la_encuentra_alli(en_lago):
    almacen, marcada, lago, carpeta = en_lago
    con = almacen.cursor()
    assert not any(r[0] in TABLAS_HECHOS for r in _rastros(con, _buscados(marcada)))
    assert _rastros_en_lago(carpeta, _buscados(marcada))
    assert {palabra for _, _, palabra in _palabras_en_lago(carpeta, DISTINTIVAS)} >= {"zoe", "quintana", "ybarra"}
    persona = buscar(almacen, marcada.cliente_id, lago=lago)
    assert sum(persona.filas.values()) == 0 and {"encuestas", "interacciones", "auditorias"} <= set(persona.lago)
    for buscado in (marcada.correo.upper(), "600111222"):
        assert buscar(almacen, buscado, lago=lago) == persona, "su correo y su teléfono están en la ficha del lago"
    with pytest.raises(PersonaNoEncontrada, match="No hay datos"):
        buscar(almacen, marcada.correo)


@pytest.mark.parametrize("modo", ["anonimizar", "eliminar"])
def test_suprimir_en_el_lago_no_deja_su_id_ni_sus_palabras_en_el_almacen_ni_en_los_parquet(en_lago, modo):
    almacen, marcada, lago, carpeta = en_lago
    con = almacen.cursor()
    elegir_modo(con, modo, autor="ana")
    suprimir(almacen, buscar(almacen, marcada.cliente_id, lago=lago), usuario="ana", lago=lago)
    assert _rastros(con, _buscados(marcada)) == []
    assert _palabras(con, DISTINTIVAS) == [], "temas, nombres de perfiles y bitácora, leídos sus textos del lago"
    assert _rastros_en_lago(carpeta, _buscados(marcada)) == []
    assert _palabras_en_lago(carpeta, DISTINTIVAS) == []
    temas = con.execute("SELECT firma, nombre, palabras FROM temas_comentarios ORDER BY firma").fetchall()
    assert temas == [("f-1", None, "client"), ("f-2", "Entregas tardías", "entreg|tard")], \
        "«client» lo usan las notas sobre otros clientes, en el lago: se queda"
    assert con.execute("SELECT firma, nombre FROM nombres_perfiles").fetchall() == [("p-2", "Clientes fieles")]


def test_eliminar_en_el_lago_descuenta_del_historial_las_filas_que_salen_de_los_parquet(en_lago):
    almacen, marcada, lago, carpeta = en_lago
    con = almacen.cursor()
    antes, en_parquet = _guardadas_y_en_lago(con, carpeta)
    assert antes == en_parquet > 0
    elegir_modo(con, "eliminar", autor="ana")
    persona = buscar(almacen, marcada.cliente_id, lago=lago)
    suprimir(almacen, persona, usuario="ana", lago=lago)
    despues, en_parquet = _guardadas_y_en_lago(con, carpeta)
    assert despues == en_parquet < antes
    assert antes - despues >= sum(persona.lago["encuestas"].values()) + sum(persona.lago["interacciones"].values()) + 1
