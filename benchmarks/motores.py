"""Resumen ejecutivo y eslabón más débil en DuckDB y en Spark local: cuánto crece cada motor con los datos.

Para cada escala (20 = 1 millón de interacciones, 200 = 10 millones, 1000 = 50 millones) prepara
el almacén una vez en ``benchmarks/_datos/`` (la demostración hasta la escala 200; por encima, que
no cabe en memoria, réplicas del de 200 con identificadores distintos), lo exporta al lago Parquet
con ``datos.lago`` y mide, en DuckDB (línea base) y en PySpark local (``local[2]``) sobre el lago,
con los mismos cuatro filtros de ``benchmarks/resumen.py``:

- un cambio de filtro del resumen ejecutivo: las cuatro consultas de las tarjetas;
- el eslabón más débil del CSAT como lo calcula la página: sumas por lote de todas las respuestas
  en el motor (``datos.consultas.cadena.sumas_cadena``) y ``analisis.cadena.analizar_cadena_agregada``
  con 200 remuestras.

Imprime la mediana de segundos por cambio de filtro, el cociente Spark / DuckDB y cuánto crece
cada motor de una escala a la siguiente. Cada medida hace antes una pasada de calentamiento que
no se cuenta.

Uso: ``python3 benchmarks/motores.py [--escalas 20 200 1000] [--repeticiones 1]``
"""

import argparse
import shutil
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

import duckdb  # noqa: E402

from analisis import cadena  # noqa: E402
from benchmarks.cadena_motor import por_motor  # noqa: E402
from benchmarks.resumen import CARPETA, CONSULTAS, FILTROS, lago_de, preparar  # noqa: E402
from datos.consultas import cadena as consultas_cadena  # noqa: E402
from datos.almacen.conexion import Almacen  # noqa: E402
from datos.motores.configuracion import Configuracion  # noqa: E402
from datos.motores.motor import Motor  # noqa: E402


#: La demostración genera en memoria; por encima de esta escala (10 millones de interacciones) no
#: cabe en 24 GB, así que el almacén se arma con réplicas del de esta escala.
ESCALA_GENERADA_MAXIMA = 200

#: Columnas de identificadores por tabla que cada réplica renombra (``id`` → ``id·r2``…), para que
#: las réplicas sean clientes, contactos, encuestas y auditorías distintos (los agentes se comparten).
IDENTIFICADORES = {
    "interacciones": ("interaccion_id", "cliente_id"),
    "encuestas": ("respuesta_id", "cliente_id", "interaccion_id"),
    "encuesta_etapas": ("respuesta_id",),
    "auditorias": ("auditoria_id", "interaccion_id"),
    "auditoria_competencias": ("auditoria_id",),
    "auditoria_errores_criticos": ("auditoria_id",),
    "clientes": ("cliente_id",),
}


def preparar_escala(escala: float) -> Almacen:
    """El almacén de ``escala``: generado hasta ``ESCALA_GENERADA_MAXIMA``; por encima, réplicas de ese."""
    if escala <= ESCALA_GENERADA_MAXIMA:
        return preparar(escala)
    ruta = CARPETA / f"demo_{escala:g}.duckdb"
    if not ruta.exists():
        veces = round(escala / ESCALA_GENERADA_MAXIMA)
        preparar(ESCALA_GENERADA_MAXIMA).cerrar()
        inicio = time.perf_counter()
        temporal = ruta.with_suffix(".tmp")
        shutil.copyfile(CARPETA / f"demo_{ESCALA_GENERADA_MAXIMA:g}.duckdb", temporal)
        replicar(temporal, veces)
        temporal.rename(ruta)
        print(f"Almacén de {veces} réplicas de la escala {ESCALA_GENERADA_MAXIMA} en "
              f"{time.perf_counter() - inicio:.1f} s: {ruta}", flush=True)
    return Almacen(str(ruta))


def replicar(ruta: Path, veces: int) -> None:
    """Añade al almacén ``ruta`` ``veces - 1`` copias de cada tabla de ``IDENTIFICADORES`` con ids renombrados."""
    con = duckdb.connect(str(ruta))
    for tabla, columnas in IDENTIFICADORES.items():
        renombres = ", ".join(f"{c} || '·r' || r AS {c}" for c in columnas)
        con.execute(f"INSERT INTO {tabla} SELECT {tabla}.* REPLACE ({renombres}) FROM {tabla}, range(2, ?) t(r)",
                     [veces + 1]).fetchall()
    con.close()


def cambio_de_filtro(backend_de, filtros) -> float:
    """Segundos de las cuatro consultas del resumen con ``filtros``."""
    inicio = time.perf_counter()
    for consulta in CONSULTAS:
        consulta(backend_de(), filtros).to_pandas()
    return time.perf_counter() - inicio


def cadena_de_servicio(backend_de, filtros) -> float:
    """Segundos del eslabón más débil del CSAT con ``filtros``, como lo calcula la página: escala,
    sumas por lote de todas las respuestas en el motor y análisis con 200 remuestras."""
    def consultar(funcion, *argumentos):
        return funcion(backend_de(), *argumentos).to_pandas()

    inicio = time.perf_counter()
    configuracion = cadena.configuracion_cadena(consultar(consultas_cadena.etapas_cadena))
    por_motor(consultar, configuracion, filtros)
    return time.perf_counter() - inicio


def medir(trabajo, backend_de, repeticiones: int) -> float:
    """Mediana de segundos de ``trabajo(backend_de, filtros)`` con los cuatro filtros, tras un calentamiento."""
    trabajo(backend_de, FILTROS[0])
    return statistics.median(trabajo(backend_de, filtros) for _ in range(repeticiones) for filtros in FILTROS)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--escalas", type=float, nargs="+", default=[20, 200, 1000],
                        help="escalas (20 = 1 millón de interacciones, 200 = 10 millones, 1000 = 50 millones)")
    parser.add_argument("--repeticiones", type=int, default=1, help="pasadas por los cuatro filtros")
    args = parser.parse_args(argv)
    filas = {trabajo: [] for trabajo in TRABAJOS}
    for escala in args.escalas:
        almacen = preparar_escala(escala)
        interacciones = almacen.cursor().execute("SELECT count(*) FROM interacciones").fetchall()[0][0]
        motor = Motor(almacen, Configuracion(motor="pyspark", lago=str(lago_de(escala, almacen))))
        for trabajo, funcion in TRABAJOS.items():
            duck = medir(funcion, almacen.ibis, args.repeticiones)
            spark = medir(funcion, motor.backend, args.repeticiones)
            filas[trabajo].append((interacciones, duck, spark))
            print(f"{trabajo}, {interacciones:,} interacciones: DuckDB {duck:.2f} s, Spark local {spark:.2f} s "
                  f"por cambio de filtro (Spark / DuckDB = {spark / duck:.1f})", flush=True)
        almacen.cerrar()
    for trabajo, medidas in filas.items():
        for (n1, d1, s1), (n2, d2, s2) in zip(medidas, medidas[1:]):
            print(f"{trabajo}, de {n1:,} a {n2:,} interacciones (×{n2 / n1:.0f}): DuckDB ×{d2 / d1:.1f}, "
                  f"Spark local ×{s2 / s1:.1f}")
    motor.cerrar()
    return 0


#: Lo que se mide por cambio de filtro: las cuatro consultas del resumen y el eslabón más débil.
TRABAJOS = {"Resumen ejecutivo": cambio_de_filtro, "Eslabón más débil": cadena_de_servicio}


if __name__ == "__main__":
    sys.exit(main())
