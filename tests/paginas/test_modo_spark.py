"""Todas las páginas servidas desde Spark: ``ESLABON_MOTOR=pyspark ESLABON_LAGO=DIR``.

Se generan datos de demostración pequeños en un almacén DuckDB, se exportan al lago con
``python -m datos.lago`` y se abre cada página con AppTest en modo Spark (local). Cada página
debe mostrarse sin excepciones ni errores, con las mismas cifras del resumen que en DuckDB.
"""

import pytest

from paginas import comun
from paginas.sesion import PAGINAS
from tests.apptest import abrir, sin_errores, vaciar_caches
from tests.motores.test_motor import demo_en_lago

#: Todas las páginas de la app (las de administración y carga también se abren).
ARCHIVOS = [pagina.archivo for pagina in PAGINAS]
#: Segundos por ejecución: la primera arranca la JVM de Spark y lee el lago, lo que con la máquina ocupada por
#: otras pruebas a la vez pasó de 120 s.
TIEMPO_SPARK = 300


@pytest.fixture(scope="module")
def lago_demo(tmp_path_factory):
    """(almacén DuckDB con demostración a escala 0,05, carpeta de su lago Parquet)."""
    return demo_en_lago(tmp_path_factory.mktemp("paginas_spark"))


@pytest.fixture
def modo_spark(lago_demo, monkeypatch):
    """Entorno de la app en modo Spark sobre el lago de demostración (sin cachés de otro modo)."""
    ruta, destino = lago_demo
    vaciar_caches()
    monkeypatch.setenv("ESLABON_DB", str(ruta))
    monkeypatch.setenv("ESLABON_MOTOR", "pyspark")
    monkeypatch.setenv("ESLABON_LAGO", str(destino))
    return ruta


#: Tarjetas de percentiles: en Spark son aproximados (``datos.consultas.percentiles.PERCENTIL_APROXIMADO``) y se
#: comparan con su cota en ``tests/test_motores_percentiles.py``, no aquí.
PERCENTILES = ("Respuesta: mediana", "Respuesta: p90")


def _textos(at) -> list[tuple[str, str]]:
    """Etiquetas y valores de las tarjetas (``st.metric``) de una ejecución, salvo las de percentiles."""
    return [(m.label, m.value) for m in at.metric if m.label not in PERCENTILES]


@pytest.mark.parametrize("archivo", ARCHIVOS)
def test_cada_pagina_se_muestra_desde_spark(modo_spark, archivo):
    at = abrir(archivo, tiempo=TIEMPO_SPARK)
    sin_errores(at)
    assert at.title, f"{archivo} no mostró su título"


def test_el_resumen_da_las_mismas_cifras_en_spark_que_en_duckdb(lago_demo, monkeypatch):
    ruta, destino = lago_demo
    monkeypatch.setenv("ESLABON_DB", str(ruta))
    vaciar_caches()
    en_duckdb = _textos(abrir("paginas/resumen.py"))
    assert comun._motor(str(ruta)).nombre == "duckdb"
    monkeypatch.setenv("ESLABON_MOTOR", "pyspark")
    monkeypatch.setenv("ESLABON_LAGO", str(destino))
    vaciar_caches()
    en_spark = _textos(abrir("paginas/resumen.py", tiempo=TIEMPO_SPARK))
    assert comun._motor(str(ruta)).nombre == "pyspark"
    assert len(en_duckdb) >= 6
    assert en_spark == en_duckdb
