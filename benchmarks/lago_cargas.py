"""Tiempo de cargar y deshacer un CSV en el lago Parquet (modo Spark) frente a las tablas de DuckDB.

Parte de un almacén con la demostración (``--escala``) y de su lago exportado con
``datos.lago``. Mide, con el mismo CSV de ``benchmarks/carga.py`` (interacciones en
Windows-1252, ``;`` y coma decimal):

- **línea base**: ``datos.ingesta.carga.cargar_archivo`` y ``datos.ingesta.historial.deshacer``
  en las tablas del almacén;
- **lago**: lo mismo con ``lago=`` (comprobar contra el lago, escribir Parquet ocultos,
  confirmar en DuckDB y publicar; deshacer retira los archivos de la carga).

Imprime la mediana de cada uno y el cociente lago / DuckDB. No arranca Spark: mide la escritura.

Uso: ``python3 benchmarks/lago_cargas.py [--filas 200000] [--repeticiones 3] [--escala 1]``
"""

import argparse
import shutil
import statistics
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from benchmarks.carga import generar  # noqa: E402
from datos import demo  # noqa: E402
from datos.motores import lago  # noqa: E402
from datos.almacen.conexion import Almacen  # noqa: E402
from datos.ingesta.carga import cargar_archivo  # noqa: E402
from datos.ingesta.historial import deshacer  # noqa: E402
from datos.motores.lago_cargas import Lago  # noqa: E402
from datos.motores.configuracion import Configuracion  # noqa: E402


def preparar(carpeta: Path, escala: float) -> tuple[Path, Path]:
    """Almacén con la demostración y su lago exportado."""
    ruta, destino = carpeta / "origen.duckdb", carpeta / "lago_origen"
    almacen = Almacen(str(ruta))
    demo.cargar_demo(almacen.cursor(), escala=escala)
    lago.exportar(almacen.cursor(), destino)
    almacen.cerrar()
    return ruta, destino


def medir(origen: tuple[Path, Path], csv: Path, carpeta: Path, *, en_lago: bool) -> tuple[float, float, int]:
    """Segundos de cargar y de deshacer el CSV en una copia del origen, y filas guardadas."""
    ruta, destino = origen
    copia = carpeta / ("lago.duckdb" if en_lago else "duck.duckdb")
    shutil.copy(ruta, copia)
    objetivo = None
    if en_lago:
        shutil.rmtree(carpeta / "lago", ignore_errors=True)
        shutil.copytree(destino, carpeta / "lago")
        objetivo = Lago(Configuracion(motor="pyspark", lago=str(carpeta / "lago")))
    almacen = Almacen(str(copia))
    try:
        inicio = time.perf_counter()
        _, resultado, _ = cargar_archivo(almacen.cursor(), csv, "interacciones", lago=objetivo)
        cargar = time.perf_counter() - inicio
        inicio = time.perf_counter()
        deshacer(almacen.cursor(), resultado.carga_id, lago=objetivo)
        return cargar, time.perf_counter() - inicio, resultado.guardadas
    finally:
        almacen.cerrar()
        copia.unlink()


def main(argv: list[str] | None = None) -> None:
    """Prepara los datos, mide ambos caminos y muestra los cocientes."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--filas", type=int, default=200_000)
    parser.add_argument("--repeticiones", type=int, default=3)
    parser.add_argument("--escala", type=float, default=1.0, help="escala de la demostración ya guardada")
    args = parser.parse_args(argv)
    csv = generar("interacciones", args.filas)
    with tempfile.TemporaryDirectory() as temporal:
        carpeta = Path(temporal)
        origen = preparar(carpeta, args.escala)
        tiempos = {en_lago: [medir(origen, csv, carpeta, en_lago=en_lago) for _ in range(args.repeticiones)]
                   for en_lago in (False, True)}
    guardadas = tiempos[True][0][2]
    print(f"Archivo: {csv.name} ({guardadas:,} filas guardadas); demostración a escala {args.escala}".replace(",", "."))
    medianas = {en_lago: [statistics.median(t[k] for t in filas) for k in (0, 1)] for en_lago, filas in tiempos.items()}
    for nombre, k in (("cargar", 0), ("deshacer", 1)):
        duck, en_lago = medianas[False][k], medianas[True][k]
        print(f"{nombre.capitalize()}: DuckDB {duck:.2f} s, lago {en_lago:.2f} s, cociente {en_lago / duck:.2f}")


if __name__ == "__main__":
    main()
