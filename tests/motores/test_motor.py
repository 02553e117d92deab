"""Paridad de motores: las mismas consultas en DuckDB y en Spark local dan los mismos resultados.

Se generan datos de demostración pequeños, se exportan al lago con ``python -m datos.lago``
y una sola sesión Spark (``local[2]``) para todo el módulo lee ese lago. Cada consulta corre
en ambos motores y se comparan las tablas: mismas filas (sin importar el orden cuando la
consulta no ordena), mismos valores; los números con tolerancia relativa 1e-9 (las sumas de
coma flotante dependen del orden en que se suman). Las consultas con percentiles, que Spark
aproxima, se comparan con su cota en ``test_motores_percentiles``.
"""

from datetime import date
from pathlib import Path

import duckdb
import ibis
import pandas as pd
import pytest

from analisis import competencias
from datos import demo
from datos.consultas import cadena as consultas_cadena
from datos.consultas import comentarios as consultas_comentarios
from datos.consultas import competencias as consultas_competencias
from datos.consultas import cuentas as consultas_cuentas
from datos.consultas import perfiles as consultas_perfiles
from datos.consultas import resumen as consultas_resumen
from datos.consultas import tendencias as consultas_tendencias
from datos.motores import lago
from datos.almacen.conexion import Almacen
from datos.consultas.filtros import Filtros
from datos.motores.configuracion import COLUMNAS_PARTICION, TABLAS_HECHOS, Configuracion
from datos.motores.motor import Motor, sesion_spark, tablas_leidas
from tests.consultas.test_agregados import por_filas

ESCALAS = competencias.reglas_de_escala()
TRIMESTRE = Filtros(date(2026, 8, 3), date(2026, 10, 31))
FILTRADO = Filtros(date(2026, 5, 1), date(2026, 10, 31), canales=("Teléfono", "Chat"), equipos=("Equipo Caribe",),
                   tipos_cliente=("externo",))
ETAPAS = tuple(demo.ETAPAS)

#: (consulta, argumentos) que se comparan; cubren el resumen ejecutivo, tendencias, cadena,
#: perfiles, competencias y comentarios. Las que tienen percentiles están en ``test_motores_percentiles``.
CASOS = [
    (consultas_resumen.resumen_encuestas, TRIMESTRE),
    (consultas_resumen.resumen_encuestas, FILTRADO),
    (consultas_resumen.serie_encuestas, TRIMESTRE),
    (consultas_resumen.valores_de_filtro, "canal"),
    (consultas_resumen.valores_de_filtro, "sucursal"),
    (consultas_resumen.valores_de_filtro, "tipo_cliente"),
    (consultas_resumen.valores_de_filtro, "equipo"), (consultas_resumen.rango_de_fechas,),
    (consultas_tendencias.serie_tendencia_encuestas, TRIMESTRE, "semana", "equipo"),
    (consultas_tendencias.comparacion_encuestas, TRIMESTRE, "motivo"),
    (consultas_tendencias.distribucion_calificaciones, TRIMESTRE, "mes", "nps"),
    (consultas_tendencias.detalle_encuestas, TRIMESTRE, "canal"),
    (consultas_tendencias.detalle_interacciones, TRIMESTRE, None, None, "", 50),
    (consultas_cadena.distribucion_etapas, TRIMESTRE),
    (consultas_cadena.calificaciones_por_respuesta, TRIMESTRE, ETAPAS),
    (consultas_cadena.sumas_cadena, TRIMESTRE, ETAPAS, "csat"),
    (consultas_cadena.sumas_cadena, FILTRADO, ETAPAS, "nps", (1.0, 5.0), "sucursal"),
    (consultas_perfiles.caracteristicas_clientes, TRIMESTRE, ("Teléfono", "Chat")),
    (consultas_perfiles.caracteristicas_clientes, FILTRADO, ("Teléfono",)),
    (consultas_competencias.puntajes_competencias, TRIMESTRE, ESCALAS),
    (consultas_competencias.puntajes_competencias, TRIMESTRE, ESCALAS, "semestre"),
    (consultas_competencias.puntajes_auditorias, TRIMESTRE, ESCALAS, competencias.UMBRAL_CRITICO),
    (consultas_competencias.detalle_auditoria, TRIMESTRE, ESCALAS),
    (consultas_competencias.escalas_de_auditorias, TRIMESTRE),
    (consultas_competencias.resultados_por_agente, TRIMESTRE, "csat"),
    (consultas_competencias.resultados_por_agente, TRIMESTRE, "nps"),
    (consultas_competencias.resultados_por_agente, TRIMESTRE, "fcr"),
    (consultas_competencias.resultados_por_agente, TRIMESTRE, "sin_queja"),
    (consultas_competencias.calificaciones_por_auditor, TRIMESTRE, ESCALAS),
    (consultas_competencias.auditorias_dobles, TRIMESTRE, ESCALAS),
    (consultas_comentarios.comentarios_encuestas, TRIMESTRE),
    (consultas_comentarios.buscar_comentarios, TRIMESTRE, "entrega"),
    (consultas_comentarios.notas_auditorias, TRIMESTRE),
]


def demo_en_lago(carpeta: Path) -> tuple[Path, Path]:
    """Crea en ``carpeta`` un almacén DuckDB con demostración a escala 0,05 y lo exporta al lago con la orden.

    Devuelve (ruta del almacén, carpeta del lago). Cada módulo de pruebas de Spark tiene el suyo.
    """
    ruta, destino = carpeta / "eslabon.duckdb", carpeta / "lago"
    almacen = Almacen(str(ruta))
    demo.cargar_demo(almacen.cursor(), escala=0.05)
    almacen.cerrar()
    assert lago.main(["--db", str(ruta), "--destino", str(destino)]) == 0
    return ruta, destino


@pytest.fixture(scope="module")
def datos_lago(tmp_path_factory):
    """(ruta DuckDB con demostración a escala 0,05, carpeta del lago exportado con la orden)."""
    return demo_en_lago(tmp_path_factory.mktemp("motores"))


@pytest.fixture(scope="module")
def motor(datos_lago):
    """Motor Spark local sobre el lago (una sesión para todo el módulo) y su almacén DuckDB."""
    ruta, destino = datos_lago
    almacen = Almacen(str(ruta))
    motor = Motor(almacen, Configuracion(motor="pyspark", lago=str(destino)))
    yield motor
    motor.cerrar()
    almacen.cerrar()


def _normalizada(tabla: pd.DataFrame) -> pd.DataFrame:
    """Tabla comparable entre motores: fechas en ns, conteos nulos como float y filas en orden fijo."""
    tabla = tabla.copy()
    for columna in tabla.columns:
        if pd.api.types.is_datetime64_any_dtype(tabla[columna]):
            tabla[columna] = tabla[columna].astype("datetime64[ns]")
        elif tabla[columna].dtype == object:  # conteos con NULL: enteros y None en DuckDB, float en Spark
            tabla[columna] = pd.to_numeric(tabla[columna]).astype("float64")
    return tabla.sort_values(list(tabla.columns), na_position="first", kind="stable").reset_index(drop=True)


def _iguales(duck: pd.DataFrame, spark: pd.DataFrame) -> None:
    """Mismas columnas y filas; números con tolerancia relativa 1e-9."""
    assert list(duck.columns) == list(spark.columns)
    pd.testing.assert_frame_equal(_normalizada(duck), _normalizada(spark), check_dtype=False, rtol=1e-9, atol=1e-12)


@pytest.mark.parametrize("caso", CASOS, ids=lambda caso: f"{caso[0].__name__}-{CASOS.index(caso)}")
def test_misma_respuesta_en_duckdb_y_spark(motor, caso):
    funcion, *argumentos = caso
    duck = funcion(motor.almacen.ibis(), *argumentos).to_pandas()
    spark = motor.consultar(funcion, *argumentos)
    assert len(duck) > 0 or funcion is consultas_competencias.auditorias_dobles
    _iguales(duck, spark)


#: Consultas que muestrean en el motor, con un tope pequeño para que de verdad muestreen.
MUESTRAS = [
    (consultas_cadena.calificaciones_por_respuesta, (TRIMESTRE, ETAPAS), {"limite": 60}),
    (consultas_perfiles.caracteristicas_clientes, (TRIMESTRE, ("Teléfono", "Chat")), {"maximo": 60}),
    (consultas_comentarios.comentarios_encuestas, (TRIMESTRE,), {"limite": 30}),
    (consultas_comentarios.comentarios_para_modelos, (), {"limite": 30}),
]


@pytest.mark.parametrize("funcion, argumentos, tope", MUESTRAS, ids=lambda x: getattr(x, "__name__", ""))
def test_las_muestras_del_motor_son_las_mismas_filas_en_duckdb_y_spark(motor, funcion, argumentos, tope):
    def consulta(con, *args):
        return funcion(con, *args, **tope)

    duck = motor.almacen.ibis()
    completa = funcion(duck, *argumentos).count().to_pandas()
    muestra = consulta(duck, *argumentos).to_pandas()
    assert 0 < len(muestra) <= next(iter(tope.values())) < completa
    _iguales(muestra, motor.consultar(consulta, *argumentos))


def test_las_consultas_corren_de_verdad_en_spark(motor):
    backend = motor.backend()
    assert backend.name == "pyspark"
    assert backend.table("interacciones").count().to_pandas() == 2_500


def test_consultas_de_tablas_de_la_aplicacion_corren_en_duckdb(motor):
    # usuarios y metas no están en el lago: se leen del almacén, donde la aplicación las escribe.
    assert "usuario" in motor.consultar(consultas_cuentas.usuarios).columns
    assert not motor.consultar(consultas_resumen.metas).empty
    assert tablas_leidas(consultas_resumen.metas(motor.almacen.ibis())) == {"metas"}


def _subir_version(cursor) -> None:
    cursor.execute("UPDATE configuracion SET valor = CAST(CAST(valor AS BIGINT) + 1 AS VARCHAR) "
                   "WHERE clave = 'version_datos'")


def test_la_configuracion_copiada_sigue_a_la_version_de_los_datos(motor):
    cursor = motor.almacen.cursor()
    cursor.execute("UPDATE etapas SET meta = meta + 0.5")
    _subir_version(cursor)
    try:
        _iguales(motor.almacen.ibis().table("etapas").to_pandas(), motor.backend().table("etapas").to_pandas())
    finally:
        cursor.execute("UPDATE etapas SET meta = meta - 0.5")
        _subir_version(cursor)
    _iguales(motor.almacen.ibis().table("etapas").to_pandas(), motor.backend().table("etapas").to_pandas())


def _tipos(cursor, consulta: str) -> dict[str, str]:
    """Columna → tipo DuckDB del resultado de ``consulta``."""
    return {nombre: tipo for nombre, tipo, *_ in cursor.execute(f"DESCRIBE {consulta}").fetchall()}


@pytest.mark.parametrize("tabla", lago.TABLAS_LAGO)
def test_el_lago_conserva_columnas_tipos_y_filas(motor, datos_lago, tabla):
    _, destino = datos_lago
    archivos = f"read_parquet('{destino / tabla}/**/*.parquet', hive_partitioning = false)"
    with duckdb.connect() as lector:
        leida = _tipos(lector, f"SELECT * FROM {archivos}")
        filas = lector.execute(f"SELECT count(*) FROM {archivos}").fetchall()
    cursor = motor.almacen.cursor()
    assert leida == _tipos(cursor, f"SELECT * FROM {tabla}")
    assert filas == cursor.execute(f"SELECT count(*) FROM {tabla}").fetchall()
    assert not set(COLUMNAS_PARTICION) & set(leida)


def _comparable(tipo):
    """Tipo Ibis sin lo que Spark no distingue: nulabilidad, escala de las marcas de tiempo (µs en
    ambos) y JSON (Spark lo lee como texto)."""
    if tipo.is_json():
        return ibis.dtype("string")
    return ibis.dtype("timestamp") if tipo.is_timestamp() else tipo.copy(nullable=True)


def test_spark_ve_el_mismo_esquema_sin_columnas_de_particion(motor):
    for tabla in TABLAS_HECHOS:
        duck = motor.almacen.ibis().table(tabla).schema()
        spark = motor.backend().table(tabla).schema()
        assert list(spark.names) == list(duck.names), tabla
        for nombre in duck.names:
            assert _comparable(spark[nombre]) == _comparable(duck[nombre]), (tabla, nombre)


def test_lago_particiona_por_anio_y_mes(datos_lago):
    _, destino = datos_lago
    meses = {p.relative_to(destino / "interacciones").as_posix() for p in (destino / "interacciones").glob("anio=*/mes=*")}
    esperados = {f"anio=2025/mes={mes}" for mes in range(5, 13)} | {f"anio=2026/mes={mes}" for mes in range(1, 11)}
    assert meses == esperados  # de mayo de 2025 a octubre de 2026 (demo.FECHA_INICIO a demo.FECHA_FIN)
    assert not list(destino.glob(".exportando-*"))


def test_reexportar_reemplaza_el_lago(datos_lago, tmp_path, capsys):
    ruta, _ = datos_lago
    assert lago.main(["--db", str(ruta), "--destino", str(tmp_path)]) == 0
    assert lago.main(["--db", str(ruta), "--destino", str(tmp_path)]) == 0
    salida = capsys.readouterr().out
    assert "interacciones: 2.500 filas" in salida and "ESLABON_MOTOR=pyspark" in salida
    cuenta = duckdb.sql(f"SELECT count(*) FROM read_parquet('{tmp_path}/interacciones/**/*.parquet')").fetchall()
    assert cuenta == [(2_500,)]


def test_orden_ayuda_y_argumentos_malos(tmp_path, capsys):
    with pytest.raises(SystemExit) as salida:
        lago.main(["--help"])
    assert salida.value.code == 0
    assert "lago Parquet" in capsys.readouterr().out
    with pytest.raises(SystemExit) as salida:
        lago.main(["--db", "x.duckdb"])
    assert salida.value.code == 2
    assert lago.main(["--db", str(tmp_path / "no_existe.duckdb"), "--destino", str(tmp_path / "lago")]) == 2
    assert "No existe la base de datos" in capsys.readouterr().err
    (tmp_path / "archivo").write_text("x")
    (tmp_path / "base.duckdb").write_bytes(b"")
    assert lago.main(["--db", str(tmp_path / "base.duckdb"), "--destino", str(tmp_path / "archivo")]) == 2


def test_lago_de_un_almacen_vacio_se_lee_en_spark(motor, tmp_path):
    vacio = Almacen(str(tmp_path / "vacio.duckdb"))
    try:
        filas = lago.exportar(vacio.cursor(), tmp_path / "lago")
        columnas = {tabla: vacio.ibis().table(tabla).columns for tabla in TABLAS_HECHOS}
    finally:
        vacio.cerrar()
    assert filas["interacciones"] == 0
    for tabla in TABLAS_HECHOS:
        leida = sesion_spark().read.parquet(str(tmp_path / "lago" / tabla))
        assert leida.count() == 0 and tuple(leida.columns) == tuple(columnas[tabla])


def test_otro_motor_por_url_con_prefijo(motor, datos_lago, tmp_path):
    # Un motor configurado por URL de Ibis (aquí otro archivo DuckDB, que hace de Trino o Postgres)
    # con las tablas renombradas con un prefijo.
    # Sus tablas se cargan desde el lago, como haría el equipo de la plataforma.
    _, destino = datos_lago
    remoto = tmp_path / "remoto.duckdb"
    with duckdb.connect(str(remoto)) as cursor:
        for tabla in lago.TABLAS_LAGO:
            cursor.execute(f"CREATE TABLE es_{tabla} AS SELECT * FROM "
                           f"read_parquet('{destino / tabla}/**/*.parquet', hive_partitioning = false)")
    otro = Motor(motor.almacen, Configuracion.del_entorno({
        "ESLABON_MOTOR": "remoto", "ESLABON_MOTOR_URL": f"duckdb://{remoto}", "ESLABON_PREFIJO": "es_"}))
    for consulta in (consultas_resumen.resumen_encuestas, consultas_resumen.resumen_interacciones):
        _iguales(por_filas(consulta, motor.almacen.ibis(), TRIMESTRE), otro.consultar(consulta, TRIMESTRE))


def test_configuracion_del_entorno():
    assert Configuracion.del_entorno({}).motor == "duckdb"
    configuracion = Configuracion.del_entorno({
        "ESLABON_MOTOR": "PySpark", "ESLABON_CATALOGO": "lake", "ESLABON_ESQUEMA": "servicio",
        "ESLABON_PREFIJO": "es_", "ESLABON_TABLAS": "interacciones=contactos_crm, encuestas = nps"})
    assert configuracion.motor == "pyspark"
    assert configuracion.nombre_completo("interacciones") == "lake.servicio.contactos_crm"
    assert configuracion.nombre_completo("clientes") == "lake.servicio.es_clientes"
    with pytest.raises(ValueError, match="ESLABON_LAGO"):
        Configuracion.del_entorno({"ESLABON_MOTOR": "pyspark"})
    with pytest.raises(ValueError, match="ESLABON_MOTOR_URL"):
        Configuracion.del_entorno({"ESLABON_MOTOR": "trino"})
    with pytest.raises(ValueError, match="ESLABON_TABLAS"):
        Configuracion.del_entorno({"ESLABON_TABLAS": "interacciones"})
