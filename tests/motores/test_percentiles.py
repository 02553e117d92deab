"""Percentiles en Spark: aproximados (``approx_percentile``) y dentro de la cota que se declara.

DuckDB da el percentil exacto e interpolado; Spark, con ``PERCENTIL_APROXIMADO``, uno de los
valores cuyo rango está entre (q − ε)·n y (q + ε)·n, con ε = 1/10 000. Estas pruebas corren
las consultas con percentiles en ambos motores (el mismo lago de demostración que
``test_motores``, una sesión Spark para el módulo) y comprueban, celda a celda, que el valor de
Spark está entre los estadísticos de orden exactos de rango ⌊(q − ε)·n⌋ y ⌈(q + ε)·n⌉ (acotados a
1..n), que DuckDB calcula con la misma consulta. Redondear los rangos hacia fuera es la única
holgura sobre la cota de Spark: un rango es un número entero y, con pocos valores, (q ± ε)·n no
lo es. Las demás columnas deben coincidir exactamente con DuckDB.

Los datos de demostración tienen pocas filas por grupo, y con tan pocas Spark aún no resume:
ahí la prueba vigila sobre todo la diferencia de definición (sin interpolar). Una prueba aparte
usa 300 000 valores con empates, donde el resumen de cuantiles sí comprime.
"""

import math
from unittest import mock

import ibis
import numpy as np
import pandas as pd
import pytest

from datos.consultas import cadena as consultas_cadena
from datos.consultas import filtros as consultas_filtros
from datos.consultas import resumen as consultas_resumen
from datos.consultas import tendencias as consultas_tendencias
from datos.consultas import percentiles
from datos.consultas.percentiles import PERCENTIL_APROXIMADO
from datos.motores.motor import sesion_spark
from tests.motores.test_motor import FILTRADO, TRIMESTRE, _iguales, _normalizada, datos_lago, motor  # noqa: F401
from tests.consultas.test_agregados import por_filas

ERROR = PERCENTIL_APROXIMADO.error_rango

#: Consultas con percentiles que se comparan con cota (las demás, exactas, en ``test_motores``).
CASOS = [
    (consultas_resumen.resumen_interacciones, TRIMESTRE),
    (consultas_resumen.resumen_interacciones, FILTRADO),
    (consultas_resumen.serie_interacciones, FILTRADO),
    (consultas_tendencias.serie_tendencia_interacciones, TRIMESTRE, "mes", "segmento"),
    (consultas_tendencias.serie_tendencia_interacciones, FILTRADO, "trimestre", "motivo"),
    (consultas_tendencias.comparacion_interacciones, TRIMESTRE, "tipo_cliente"),
    (consultas_cadena.operacion_etapas, TRIMESTRE),
]

#: Columnas que son percentiles y las que cuentan valores por encima de una mediana (prueba de Mood).
PERCENTILES = ("respuesta_mediana", "respuesta_p90", "resolucion_mediana", "resolucion_p90")
SOBRE_MEDIANA = ("sobre_mediana_conjunta", "resolucion_sobre_mediana_conjunta")


def _estadistico_de_orden(redondeo, signo: int):
    """Sustituto de ``percentiles.percentil`` en DuckDB: el valor de rango ``redondeo((q + signo·ε)·n)``."""

    def percentil(con, columna, cuantil):
        n = columna.count()
        rango = ibis.greatest(ibis.least(redondeo(n * (cuantil + signo * ERROR)), n), 1)
        return columna.collect().sort()[(rango - 1).cast("int64")]

    return percentil


def _referencias(con, funcion, argumentos) -> tuple[pd.DataFrame, pd.DataFrame]:
    """La consulta en DuckDB, sobre las filas, con cada percentil en el extremo inferior y en el superior de la cota."""
    tablas = []
    for redondeo, signo in ((lambda x: x.floor(), -1), (lambda x: x.ceil(), 1)):
        with mock.patch.object(percentiles, "percentil", _estadistico_de_orden(redondeo, signo)):
            tablas.append(por_filas(funcion, con, *argumentos))
    return tuple(tablas)


def _ordenada(tabla: pd.DataFrame, claves: list[str]) -> pd.DataFrame:
    """Filas ordenadas por las columnas exactas (las acotadas viajan con su fila)."""
    tabla = _normalizada(tabla)
    return tabla.sort_values(claves, na_position="first", kind="stable").reset_index(drop=True)


def _dentro(valor: pd.Series, inferior: pd.Series, superior: pd.Series) -> pd.Series:
    """Si cada valor está entre sus dos extremos (vacío donde ambos lo están)."""
    bajo, alto = np.fmin(inferior, superior), np.fmax(inferior, superior)
    vacios = valor.isna() & inferior.isna()
    return vacios | ((valor >= bajo - 1e-9) & (valor <= alto + 1e-9))


@pytest.mark.parametrize("caso", CASOS, ids=lambda caso: f"{caso[0].__name__}-{CASOS.index(caso)}")
def test_percentiles_de_spark_dentro_de_la_cota(motor, caso):
    funcion, *argumentos = caso
    duck_con = motor.almacen.ibis()
    exacta, spark = por_filas(funcion, duck_con, *argumentos), motor.consultar(funcion, *argumentos)
    inferior, superior = _referencias(duck_con, funcion, argumentos)
    acotadas = [c for c in exacta.columns if c in PERCENTILES + SOBRE_MEDIANA]
    exactas = [c for c in exacta.columns if c not in acotadas]
    assert acotadas and len(exacta) > 0
    # Nada más depende del percentil: el resto de columnas no cambia entre los extremos de la cota.
    _iguales(_ordenada(inferior, exactas)[exactas], _ordenada(superior, exactas)[exactas])
    _iguales(_ordenada(exacta, exactas)[exactas], _ordenada(spark, exactas)[exactas])
    spark, inferior, superior = (_ordenada(t, exactas) for t in (spark, inferior, superior))
    for columna in acotadas:
        fuera = ~_dentro(spark[columna].astype(float), inferior[columna].astype(float),
                         superior[columna].astype(float))
        assert not fuera.any(), pd.concat([spark[columna], inferior[columna], superior[columna]], axis=1)[fuera]


def test_el_percentil_exacto_de_duckdb_no_cambia():
    t = ibis.table({"x": "float64"}, name="t")
    con = ibis.duckdb.connect()
    assert "QUANTILE_CONT" in ibis.to_sql(percentiles.percentil(con, t.x, 0.9).name("p").as_table(), "duckdb").upper()
    valores = ibis.memtable({"x": [1.0, 2.0, 3.0, 4.0]})
    assert con.execute(percentiles.percentil(con, valores.x, 0.5)) == pytest.approx(2.5)


def test_spark_no_calcula_ningun_percentil_exacto(motor):
    # Todos los percentiles de las consultas pasan por el aproximado: ni PERCENTILE exacto ni una
    # ventana que ordene todas las filas (ROW_NUMBER) en el SQL que recibe Spark.
    backend = motor.backend()
    intervalo = (consultas_tendencias.intervalo_percentil, TRIMESTRE, "mes", "canal", "tiempo_respuesta_min", 0.9)
    for funcion, *argumentos in [*CASOS, intervalo]:
        sql = backend.compile(funcion(backend, *argumentos)).upper()
        assert "APPROX_PERCENTILE" in sql and "ROW_NUMBER" not in sql, funcion.__name__
        assert "PERCENTILE(" not in sql.replace("APPROX_PERCENTILE(", ""), funcion.__name__


def test_la_cota_se_cumple_cuando_spark_resume(motor):
    # 300 000 valores con empates (redondeados a centésimas, como los tiempos) en dos grupos: Spark
    # comprime su resumen de cuantiles. El rango de cada valor devuelto (todas sus posiciones, si
    # hay empates) debe tocar [(q − ε)·n, (q + ε)·n].
    rng = np.random.default_rng(7)
    datos = pd.DataFrame({"grupo": np.repeat(["a", "b"], 150_000),
                          "x": np.round(np.concatenate([rng.lognormal(2.5, 0.8, 150_000),
                                                        rng.gamma(2.0, 30.0, 150_000)]), 2)})
    sesion_spark().createDataFrame(datos).createOrReplaceTempView("percentiles_sinteticos")
    t = motor.backend().table("percentiles_sinteticos")
    cuantiles = (0.01, 0.1, 0.5, 0.9, 0.99)
    resultado = t.group_by("grupo").aggregate(
        **{f"q{i}": percentiles.percentil(motor.backend(), t.x, q) for i, q in enumerate(cuantiles)}).to_pandas()
    for fila in resultado.itertuples():
        valores = np.sort(datos.loc[datos.grupo == fila.grupo, "x"].to_numpy())
        n = len(valores)
        for i, q in enumerate(cuantiles):
            valor = getattr(fila, f"q{i}")
            primero, ultimo = np.searchsorted(valores, valor, "left") + 1, np.searchsorted(valores, valor, "right")
            assert ultimo >= primero, "Spark devolvió un valor que no está en los datos"
            assert primero <= math.ceil((q + ERROR) * n) and ultimo >= math.floor((q - ERROR) * n), (fila.grupo, q)


def _valores_por_grupo(con, filtros) -> dict[tuple, np.ndarray]:
    """Tiempos de respuesta ordenados por (mes, canal), en DuckDB."""
    t = consultas_filtros.interacciones(con, filtros)
    t = t.filter(t.tiempo_respuesta_min.notnull())
    filas = t.select(periodo=t.fecha_inicio.truncate("M").cast("date"),
                     grupo=t.canal.fill_null(consultas_tendencias.SIN_DATO), x=t.tiempo_respuesta_min).to_pandas()
    return {(pd.Timestamp(p), g): np.sort(x.to_numpy()) for (p, g), x in filas.groupby(["periodo", "grupo"])["x"]}


def test_intervalo_de_percentil_en_spark_contiene_al_exacto_y_esta_acotado(motor):
    # En Spark cada extremo es el cuantil aproximado q ∓ d, con d el primer ancho de la rejilla
    # ≥ h + ε (h = 1,96·√(q(1−q)/n)), a lo sumo 1,02·(h + ε). Con el error de rango ε de Spark, el
    # extremo inferior tiene rango entre (q − 1,02·(h + ε) − ε)·n y (q − h)·n, que es el rango del
    # extremo exacto: el intervalo de Spark contiene al exacto y no es mucho más ancho.
    q, argumentos = 0.9, (TRIMESTRE, "mes", "canal", "tiempo_respuesta_min", 0.9)
    exacto = _normalizada(consultas_tendencias.intervalo_percentil(motor.almacen.ibis(), *argumentos).to_pandas())
    spark = _normalizada(motor.consultar(consultas_tendencias.intervalo_percentil, *argumentos))
    _iguales(exacto[["periodo", "grupo"]], spark[["periodo", "grupo"]])
    grupos = _valores_por_grupo(motor.almacen.ibis(), TRIMESTRE)
    for fila, exacta in zip(spark.itertuples(), exacto.itertuples()):
        valores = grupos[(pd.Timestamp(fila.periodo), fila.grupo)]
        n = len(valores)
        h = 1.959964 * math.sqrt(q * (1 - q) / n)
        ancho = 1.02 * (h + ERROR) + ERROR

        def valor(rango: float, redondeo) -> float:
            return valores[min(max(redondeo(rango), 1), n) - 1]

        assert valor((q - ancho) * n, math.floor) <= fila.ic_inf <= exacta.ic_inf, fila
        assert exacta.ic_sup <= fila.ic_sup <= valor((q + ancho) * n, math.ceil), fila
