"""El aviso de percentil aproximado: cuándo se da, qué dice y en qué páginas aparece.

Las páginas se prueban sin sesión Spark: ``motor_aproximado`` hace que DuckDB cuente como
motor de percentiles aproximados, de modo que las consultas toman además el camino de Spark
(``approx_quantile`` e intervalo por rejilla de cuantiles) y las páginas deben mostrarlo.
"""

from dataclasses import replace
from unittest import mock

import pytest

from datos.consultas import percentiles
from datos.consultas.percentiles import PERCENTIL_APROXIMADO, PercentilAproximado, nota_percentiles, percentiles_aproximados
from tests.apptest import abrir, abrir_pestana, sin_errores

NOTA = "Percentil aproximado en Spark (error de rango ≤ 0,01 %)."


@pytest.fixture
def motor_aproximado():
    """DuckDB tratado como motor de percentiles aproximados mientras dura la prueba."""
    with mock.patch.object(percentiles, "PERCENTIL_APROXIMADO", replace(PERCENTIL_APROXIMADO, motores=("duckdb",))):
        yield


def test_solo_spark_aproxima_y_la_cota_es_uno_entre_la_precision():
    assert PERCENTIL_APROXIMADO.precision == 10_000 and PERCENTIL_APROXIMADO.error_rango == pytest.approx(1e-4)
    assert percentiles_aproximados("pyspark")
    assert not any(percentiles_aproximados(m) for m in ("duckdb", "trino", "postgres", ""))
    assert PercentilAproximado(motores=(), precision=100).error_rango == pytest.approx(0.01)


def test_nota_en_espanol_solo_con_percentiles_aproximados():
    assert nota_percentiles("pyspark") == NOTA
    assert nota_percentiles("duckdb") == ""
    with mock.patch.object(percentiles, "PERCENTIL_APROXIMADO", PercentilAproximado(("pyspark",), 1_000)):
        assert nota_percentiles("pyspark") == "Percentil aproximado en Spark (error de rango ≤ 0,10 %)."


def _ayudas(at) -> dict[str, str]:
    """Título de cada tarjeta del resumen → su texto de ayuda."""
    return {m.label: m.proto.help for m in at.metric}


def test_resumen_avisa_solo_en_las_tarjetas_de_percentiles(base_demo, motor_aproximado):
    at = abrir()
    sin_errores(at)
    ayudas = _ayudas(at)
    assert NOTA in ayudas["Respuesta: mediana"] and NOTA in ayudas["Respuesta: p90"]
    assert not any(NOTA in ayuda for titulo, ayuda in ayudas.items() if "Respuesta" not in titulo)


def test_resumen_sin_aviso_con_duckdb(base_demo):
    at = abrir()
    sin_errores(at)
    assert not any(NOTA in ayuda for ayuda in _ayudas(at).values())


def test_tendencias_avisa_en_el_metodo_de_un_percentil(base_demo, motor_aproximado):
    at = abrir("paginas/tendencias.py")
    sin_errores(at)
    assert not any(NOTA in c.value for c in at.caption)  # el indicador inicial no es un percentil
    at.selectbox(key="tend_indicador").set_value("resolucion_p90").run()
    sin_errores(at)
    assert any(NOTA in c.value and "estadísticos de orden" in c.value for c in at.caption)


def test_cadena_avisa_en_los_tiempos_de_la_vista_operativa(base_demo, motor_aproximado):
    at = abrir_pestana(abrir("paginas/cadena.py"), "Vista operativa")
    sin_errores(at)
    assert any(c.value.startswith("Tiempos como mediana") and c.value.endswith(NOTA) for c in at.caption)


def test_perfiles_y_comentarios_dicen_que_la_muestra_la_elige_el_motor(base_demo):
    # Clustering y modelos de texto nunca traen todas las filas: el tope y cómo se muestrea, a la vista.
    at = abrir("paginas/perfiles.py")
    sin_errores(at)
    ayuda = next(m.proto.help for m in at.metric if m.label == "Clientes perfilados")
    assert "1.000.000" in ayuda and "el motor de datos elige una muestra aleatoria reproducible" in ayuda
    assert any("**Muestra**: del motor de datos salen como mucho 1.000.000 clientes" in m.value for m in at.markdown)
    assert not any("Se alcanzó el tope" in c.value for c in at.caption)  # la demostración no llega al tope
    at = abrir("paginas/comentarios.py")
    sin_errores(at)
    assert any("hasta 50.000 comentarios de todo el historial" in m.value for m in at.markdown)
    ayuda = next(m.proto.help for m in at.metric if m.label == "Comentarios")
    assert "200.000" in ayuda and "que elige el motor de datos" in ayuda


def test_resumen_con_duckdb_da_la_cota_del_histograma_en_las_tarjetas_de_percentiles(base_demo):
    # Con DuckDB la mediana y el p90 salen del histograma de los agregados diarios: su cota, en la tarjeta.
    at = abrir()
    sin_errores(at)
    ayudas = _ayudas(at)
    cota = "Mediana y p90 de los agregados diarios: error relativo ≤ 1 %."
    assert cota in ayudas["Respuesta: mediana"] and cota in ayudas["Respuesta: p90"]
    assert not any(cota in ayuda for titulo, ayuda in ayudas.items() if "Respuesta" not in titulo)
