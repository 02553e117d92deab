"""Resumen ejecutivo en DuckDB y en Spark local: cuánto crece cada motor con los datos.

Para cada escala de la demostración (20 = 1 millón de interacciones, 200 = 10 millones)
genera el almacén una vez en ``benchmarks/_datos/`` (como ``benchmarks/resumen.py``), lo
exporta al lago Parquet con ``datos.lago`` y mide un cambio de filtro —las cuatro consultas
de las tarjetas del resumen— en DuckDB (línea base) y en PySpark local (``local[2]``) sobre
el lago, con los mismos cuatro filtros de ``benchmarks/resumen.py``. Imprime la mediana de
segundos por cambio de filtro, el cociente Spark / DuckDB y cuánto crece cada motor de una
escala a la siguiente. Cada motor hace antes una pasada de calentamiento que no se cuenta.

Uso: ``python3 benchmarks/motores.py [--escalas 20 200] [--repeticiones 1]``
"""

import argparse
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from benchmarks.resumen import CARPETA, CONSULTAS, FILTROS, preparar  # noqa: E402
from datos import consultas, lago  # noqa: E402
from datos.motor import Configuracion, Motor  # noqa: E402


def lago_de(escala: float, almacen) -> Path:
    """Carpeta del lago de esa escala, exportándolo si aún no existe."""
    destino = CARPETA / f"lago_{escala:g}"
    if not (destino / "interacciones").exists():
        inicio = time.perf_counter()
        lago.exportar(almacen.cursor(), destino)
        print(f"Lago exportado en {time.perf_counter() - inicio:.1f} s: {destino}")
    return destino


def cambio_de_filtro(backend_de, filtros) -> float:
    """Segundos de las cuatro consultas del resumen con ``filtros``."""
    inicio = time.perf_counter()
    for nombre in CONSULTAS:
        getattr(consultas, nombre)(backend_de(), filtros).to_pandas()
    return time.perf_counter() - inicio


def medir(backend_de, repeticiones: int) -> float:
    """Mediana de segundos por cambio de filtro, tras una pasada de calentamiento."""
    cambio_de_filtro(backend_de, FILTROS[0])
    return statistics.median(cambio_de_filtro(backend_de, filtros)
                             for _ in range(repeticiones) for filtros in FILTROS)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--escalas", type=float, nargs="+", default=[20, 200],
                        help="escalas de la demostración (20 = 1 millón de interacciones)")
    parser.add_argument("--repeticiones", type=int, default=1, help="pasadas por los cuatro filtros")
    args = parser.parse_args(argv)
    filas = []
    for escala in args.escalas:
        almacen = preparar(escala)
        interacciones = almacen.cursor().execute("SELECT count(*) FROM interacciones").fetchall()[0][0]
        motor = Motor(almacen, Configuracion(motor="pyspark", lago=str(lago_de(escala, almacen))))
        duck = medir(almacen.ibis, args.repeticiones)
        spark = medir(motor.backend, args.repeticiones)
        filas.append((escala, interacciones, duck, spark))
        print(f"escala {escala:g}: {interacciones:,} interacciones; DuckDB {duck:.2f} s, Spark local {spark:.2f} s "
              f"por cambio de filtro (Spark / DuckDB = {spark / duck:.1f})", flush=True)
        almacen.cerrar()
    for (e1, n1, d1, s1), (e2, n2, d2, s2) in zip(filas, filas[1:]):
        print(f"De {n1:,} a {n2:,} interacciones (×{n2 / n1:.0f}): DuckDB ×{d2 / d1:.1f}, Spark local ×{s2 / s1:.1f}")
    motor.cerrar()
    return 0


if __name__ == "__main__":
    sys.exit(main())
