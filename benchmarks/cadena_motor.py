"""Cadena de servicio: sumas por lote en el motor (todas las respuestas) frente a la muestra de filas.

Sobre el almacén de demostración de ``benchmarks/_datos/`` (escala 20 = 1 millón de
interacciones y 400.000 encuestas; se genera con ``benchmarks/resumen.preparar`` si falta)
mide, para el CSAT y con los cuatro filtros de ``benchmarks/resumen.py`` más todo el historial:

* **muestra** (línea base: el camino que la página usaba para todo resultado y que sigue usando
  para el sí/no): pivote por encuestado en el motor con el tope ``LIMITE_RESPUESTAS_CADENA``,
  traído a pandas, y ``analisis.cadena.analizar_cadena``;
* **motor**: ``distribucion_etapas`` (la escala), ``sumas_cadena`` (unas 2.000 filas pequeñas
  con todas las respuestas del filtro) y ``analisis.cadena.analizar_cadena_agregada``.

Los dos con 200 remuestras. Imprime segundos (mediana de ``--repeticiones``, tras una pasada de
calentamiento), el cociente muestra / motor, cuántas respuestas usa cada camino y la mayor
diferencia entre sus pesos relativos. Con ``--spark`` mide además los dos caminos en PySpark
local (``local[2]``) sobre el lago Parquet de esa escala (se exporta con ``datos.lago`` si falta);
la diferencia de pesos y el eslabón son los del último motor.

Uso: ``python3 benchmarks/cadena_motor.py [--escala 20] [--repeticiones 3] [--spark]``
"""

import argparse
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from analisis import cadena  # noqa: E402
from analisis.escalas import REMUESTRAS_CADENA  # noqa: E402
from analisis.formato import numero  # noqa: E402
from benchmarks.resumen import FILTROS, lago_de, preparar  # noqa: E402
from datos.consultas import cadena as consultas_cadena  # noqa: E402
from datos.consultas.filtros import Filtros  # noqa: E402
from datos.motores.configuracion import Configuracion  # noqa: E402
from datos.motores.motor import Motor  # noqa: E402

ESCENARIOS = {"todo el historial": Filtros(), "90 días": FILTROS[0], "90 días, teléfono": FILTROS[1],
              "T1, norte, externos": FILTROS[2], "6 meses, un equipo": FILTROS[3]}
RESULTADO = "csat"


def por_muestra(consultar, configuracion: cadena.ConfiguracionCadena, filtros: Filtros):
    """Camino de la muestra: filas por encuestado (con tope) y análisis en numpy. Devuelve (resultado, filas)."""
    filas = consultar(consultas_cadena.calificaciones_por_respuesta, filtros, configuracion.etapas)
    resultado = cadena.analizar_cadena(filas, configuracion.etapas, RESULTADO, metas=configuracion.metas_por_etapa)
    return resultado, len(filas)


def por_motor(consultar, configuracion: cadena.ConfiguracionCadena, filtros: Filtros):
    """Camino del motor: escala, sumas por lote de todas las respuestas y análisis desde ellas."""
    escala = cadena.escala_de_distribucion(consultar(consultas_cadena.distribucion_etapas, filtros))
    sumas = consultar(consultas_cadena.sumas_cadena, filtros, configuracion.etapas, RESULTADO, escala)
    resultado = cadena.analizar_cadena_agregada(sumas, configuracion.etapas, metas=configuracion.metas_por_etapa)
    return resultado, int(sumas["filas"].sum())


def medir(camino, consultar, configuracion, filtros, repeticiones: int):
    """(mediana de segundos, resultado, respuestas usadas) de ``camino``, tras un calentamiento."""
    resultado, usadas = camino(consultar, configuracion, filtros)
    tiempos = []
    for _ in range(repeticiones):
        inicio = time.perf_counter()
        camino(consultar, configuracion, filtros)
        tiempos.append(time.perf_counter() - inicio)
    return statistics.median(tiempos), resultado, usadas


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--escala", type=float, default=20, help="escala de la demostración (20 = 1M interacciones)")
    parser.add_argument("--repeticiones", type=int, default=3, help="repeticiones de cada medición (mediana)")
    parser.add_argument("--spark", action="store_true", help="medir también el camino del motor en PySpark local")
    args = parser.parse_args(argv)
    almacen = preparar(args.escala)
    motores = {"DuckDB": Motor(almacen, Configuracion())}
    if args.spark:
        motores["Spark local"] = Motor(almacen, Configuracion(motor="pyspark", lago=str(lago_de(args.escala, almacen))))
    configuracion = cadena.configuracion_cadena(consultas_cadena.etapas_cadena(almacen.ibis()).to_pandas())
    print(f"Escala {args.escala:g}; {len(configuracion.etapas)} etapas; tope de la muestra "
          f"{numero(consultas_cadena.LIMITE_RESPUESTAS_CADENA, 0)} encuestas; CSAT; {REMUESTRAS_CADENA} remuestras; "
          f"mediana de {args.repeticiones}.\n")
    cabecera = f"{'escenario':<22}{'n muestra':>10}{'n motor':>10}"
    cabecera += "".join(f"{f'{nombre}: muestra':>22}{'motor':>8}{'muestra/motor':>15}" for nombre in motores)
    print(cabecera + f"{'máx |Δ peso|':>14}{'eslabón':>10}")
    for nombre, filtros in ESCENARIOS.items():
        columnas = ""
        for motor in motores.values():
            base, muestra, n_muestra = medir(por_muestra, motor.consultar, configuracion, filtros, args.repeticiones)
            segundos, agregado, n_motor = medir(por_motor, motor.consultar, configuracion, filtros, args.repeticiones)
            columnas += (f"{numero(base, 2) + ' s':>22}{numero(segundos, 2) + ' s':>8}"
                         f"{'×' + numero(base / segundos, 1):>15}")
        diferencia = (agregado.importancia["peso"] - muestra.importancia["peso"]).abs().max()
        igual = "igual" if agregado.eslabon_mas_debil == muestra.eslabon_mas_debil else "distinto"
        print(f"{nombre:<22}{numero(n_muestra, 0):>10}{numero(n_motor, 0):>10}{columnas}{numero(diferencia, 4):>14}"
              f"{igual:>10}")
    for motor in motores.values():
        motor.cerrar()
    almacen.cerrar()
    print("\nn muestra: encuestados traídos a pandas (tope en encuestas); n motor: encuestados sumados en el motor. "
          "Con menos encuestas que el tope los dos caminos usan las mismas respuestas y los pesos coinciden.")
    return 0


if __name__ == "__main__":
    sys.exit(main())
