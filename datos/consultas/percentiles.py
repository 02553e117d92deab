"""Percentiles: exactos en DuckDB, aproximados (con su cota de error) en Spark."""

from dataclasses import dataclass

import ibis
from ibis.expr.types import NumericColumn

from analisis.formato import porcentaje
from datos.consultas.agregados import nota_histograma

__all__ = ['PERCENTIL_APROXIMADO', 'PercentilAproximado', 'nota_percentiles', 'percentiles_aproximados']


@dataclass(frozen=True)
class PercentilAproximado:
    """Los motores que calculan percentiles aproximados, su precisión y la cota de error que eso da.

    ``precision`` A es el parámetro ``accuracy`` de ``approx_percentile`` de Spark SQL, y
    ``error_rango`` = 1/A la cota que Spark garantiza: para el cuantil q de n valores devuelve
    uno de esos valores, con rango (posición en el orden) entre (q − 1/A)·n y (q + 1/A)·n
    (documentación de Spark SQL, ``approx_percentile``; resumen de cuantiles de Greenwald y
    Khanna 2001). El percentil exacto de DuckDB interpola entre los dos valores vecinos; el
    aproximado no interpola, así que con pocos valores ambos pueden diferir, además, en un rango.

    >>> PercentilAproximado(motores=("pyspark",), precision=10_000).error_rango
    0.0001
    """

    motores: tuple[str, ...]
    precision: int

    @property
    def error_rango(self) -> float:
        """Error relativo de rango garantizado: 1/``precision``."""
        return 1 / self.precision


#: Percentiles aproximados en Spark: ``approx_percentile`` con su precisión por defecto, 10 000
#: (la que usa Ibis, que no deja elegir otra), es decir error de rango ≤ 1/10 000 = 0,01 %. El
#: exacto (``percentile``) reúne y ordena todos los valores de cada grupo; el aproximado guarda
#: un resumen de tamaño O(A) por grupo. DuckDB, Postgres y Snowflake dan el percentil exacto (Ibis 12
#: no compila el exacto para Trino ni BigQuery: allí las consultas con percentiles aún fallan).
PERCENTIL_APROXIMADO = PercentilAproximado(motores=("pyspark",), precision=10_000)


def percentiles_aproximados(motor: str) -> bool:
    """Si el motor ``motor`` (el ``name`` del backend Ibis: 'duckdb', 'pyspark'…) da percentiles aproximados.

    >>> percentiles_aproximados("duckdb"), percentiles_aproximados("pyspark")
    (False, True)
    """
    return motor in PERCENTIL_APROXIMADO.motores


def nota_percentiles(motor: str, *, de_agregados: bool = False) -> str:
    """Aviso en español para las cifras de percentiles calculadas en ``motor`` ('' si son exactas).

    ``de_agregados``: la cifra es de un KPI que DuckDB lee del histograma de los agregados diarios
    (``datos.consultas.agregados``: tarjetas del resumen y series de tendencias), con su cota de error.

    >>> nota_percentiles("pyspark")
    'Percentil aproximado en Spark (error de rango ≤ 0,01 %).'
    >>> nota_percentiles("duckdb")
    ''
    >>> nota_percentiles("duckdb", de_agregados=True)
    'Mediana y p90 de los agregados diarios: error relativo ≤ 1 %.'
    """
    if not percentiles_aproximados(motor):
        return nota_histograma() if de_agregados and motor == "duckdb" else ""
    return f"Percentil aproximado en Spark (error de rango ≤ {porcentaje(PERCENTIL_APROXIMADO.error_rango, 2)})."


def percentil(con: ibis.BaseBackend, columna: NumericColumn, cuantil: float) -> ibis.Value:
    """El cuantil ``cuantil`` de ``columna`` (sin nulos): exacto e interpolado en DuckDB; en los
    motores de ``PERCENTIL_APROXIMADO`` (Spark), ``approx_percentile``, con su cota de error."""
    if percentiles_aproximados(con.name):
        return columna.approx_quantile(cuantil)
    return columna.quantile(cuantil)
