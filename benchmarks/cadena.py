"""Tiempo del análisis de la cadena de servicio (``analisis.cadena.analizar_cadena``).

Genera en memoria N respuestas con K etapas calificadas de 1 a 5 (correlacionadas entre sí,
≈3 % vacías, una etapa débil plantada) y un CSAT que depende de ellas, y mide:

* la estimación puntual (``remuestras=0``) y el análisis completo con 200 remuestras, para el
  resultado continuo (CSAT) y para el sí/no (CSAT 4–5, modelo logístico);
* la línea base ingenua, medida en la misma corrida: correlaciones de a pares de pandas
  (``DataFrame.corr``) y pesos de Johnson por cada remuestra de filas. Se miden unas pocas
  remuestras y se extrapola a 200 (hacerlas todas tardaría minutos);
* opcionalmente (``--base``), el camino de filas de la página (el del resultado sí/no) sobre un
  almacén DuckDB ya generado: pivote por encuestado en el motor (con el tope
  ``LIMITE_RESPUESTAS_CADENA``), análisis y consultas de desempeño y de la vista operativa. El
  camino de CSAT, NPS y CES (sumas en el motor) se mide en ``benchmarks/cadena_motor.py``.

Cómo se consigue la velocidad: las filas se reparten al azar en 2.000 lotes y se guardan los
estadísticos suficientes de cada lote (productos de matrices por lote); cada remuestra sortea
lotes y suma sus estadísticos (una multiplicación de matrices de 200 × 2.000) y los pesos de
las 200 remuestras salen de descomposiciones en valores propios apiladas. No hay procesos en
paralelo: numpy usa los hilos de su BLAS.

Uso: ``python3 benchmarks/cadena.py [--respuestas 1000000] [--etapas 12] [--remuestras 200]
[--ingenuas 3] [--base benchmarks/_datos/demo_200.duckdb]``
"""

import argparse
import statistics
import sys
import time
from pathlib import Path

import duckdb
import ibis
import numpy as np
import pandas as pd

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from analisis import cadena  # noqa: E402
from analisis.escalas import REMUESTRAS_CADENA  # noqa: E402
from analisis.formato import numero, porcentaje  # noqa: E402
from datos.consultas import cadena as consultas_cadena  # noqa: E402
from datos.consultas.filtros import Filtros  # noqa: E402

ETAPA_DEBIL = 7  # índice de la etapa plantada como eslabón más débil


def generar(n: int, k: int, semilla: int = 0) -> tuple[pd.DataFrame, list[str]]:
    """Respuestas sintéticas: etapas 1–5 con un factor común, ≈3 % vacías, CSAT 1–5 y su versión sí/no."""
    rng = np.random.default_rng(semilla)
    medias = np.full(k, 4.0)
    medias[ETAPA_DEBIL % k] = 3.2
    pesos = rng.uniform(0.05, 0.15, k)
    pesos[ETAPA_DEBIL % k] = 0.4
    latentes = medias + 0.6 * rng.normal(size=(n, 1)) + 0.8 * rng.normal(size=(n, k))
    csat = np.clip(np.rint(4 + (latentes - medias) @ pesos + 0.5 * rng.normal(size=n)), 1, 5)
    notas = np.clip(np.rint(latentes), 1, 5)
    notas[rng.random(notas.shape) < 0.03] = np.nan
    etapas = [f"Etapa {i + 1:02d}" for i in range(k)]
    return pd.DataFrame(notas, columns=etapas).assign(csat=csat, satisfecho=(csat >= 4).astype(float)), etapas


def _johnson(correlaciones: np.ndarray) -> np.ndarray:
    """Pesos de Johnson (2000) desde la matriz de correlaciones (última fila: resultado), en numpy directo."""
    rxx, rxy = correlaciones[:-1, :-1], correlaciones[:-1, -1]
    valores, vectores = np.linalg.eigh(rxx)
    lam = vectores @ np.diag(np.sqrt(valores)) @ vectores.T
    return (lam ** 2) @ np.linalg.solve(lam, rxy) ** 2


def base_ingenua(datos: pd.DataFrame, etapas: list[str], remuestras: int, rng: np.random.Generator) -> float:
    """Segundos de ``remuestras`` remuestras de filas con ``DataFrame.corr`` de a pares y pesos de Johnson."""
    columnas = datos[etapas + ["csat"]]
    inicio = time.perf_counter()
    for _ in range(remuestras):
        filas = rng.integers(0, len(columnas), len(columnas))
        _johnson(columnas.iloc[filas].corr().to_numpy())
    return time.perf_counter() - inicio


def medir(funcion, repeticiones: int) -> float:
    """Mediana de segundos de ``repeticiones`` llamadas."""
    tiempos = []
    for _ in range(repeticiones):
        inicio = time.perf_counter()
        funcion()
        tiempos.append(time.perf_counter() - inicio)
    return statistics.median(tiempos)


def camino_de_la_pagina(ruta: Path) -> None:
    """Tiempos de las consultas y del análisis de la página sobre un almacén existente (solo lectura)."""
    try:
        con = ibis.duckdb.from_connection(duckdb.connect(str(ruta), read_only=True))
    except duckdb.IOException as error:
        print(f"\nNo se midió el camino de la página: no se pudo abrir {ruta} ({error}).")
        return
    configuracion = cadena.configuracion_cadena(consultas_cadena.etapas_cadena(con).to_pandas())
    filtros = Filtros()
    inicio = time.perf_counter()
    respuestas = consultas_cadena.calificaciones_por_respuesta(con, filtros, configuracion.etapas).to_pandas()
    pivote = time.perf_counter() - inicio
    inicio = time.perf_counter()
    resultado = cadena.analizar_cadena(respuestas, configuracion.etapas, "csat", metas=configuracion.metas_por_etapa)
    analisis = time.perf_counter() - inicio
    inicio = time.perf_counter()
    consultas_cadena.distribucion_etapas(con, filtros).to_pandas()
    consultas_cadena.operacion_etapas(con, filtros).to_pandas()
    agregados = time.perf_counter() - inicio
    print(f"\nCamino de la página sobre {ruta.name} (todo el historial, sin filtros):")
    print(f"  pivote por encuestado en DuckDB (tope {numero(consultas_cadena.LIMITE_RESPUESTAS_CADENA, 0)} "
          f"encuestas): {numero(pivote, 2)} s → {numero(len(respuestas), 0)} filas")
    print(f"  análisis con {REMUESTRAS_CADENA} remuestras: {numero(analisis, 2)} s → eslabón {resultado.eslabon_mas_debil} "
          f"({porcentaje(resultado.confianza, 0)})")
    print(f"  desempeño por etapa + vista operativa (agregados en el motor): {numero(agregados, 2)} s")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python3 benchmarks/cadena.py", description=__doc__.split("\n")[0])
    parser.add_argument("--respuestas", type=int, default=1_000_000, help="encuestados (por omisión 1.000.000)")
    parser.add_argument("--etapas", type=int, default=12, help="etapas de la cadena (por omisión 12)")
    parser.add_argument("--remuestras", type=int, default=REMUESTRAS_CADENA,
                        help=f"remuestras bootstrap (por omisión {REMUESTRAS_CADENA})")
    parser.add_argument("--ingenuas", type=int, default=3, help="remuestras de la línea base que se miden")
    parser.add_argument("--repeticiones", type=int, default=3, help="repeticiones de cada medición (mediana)")
    parser.add_argument("--base", type=Path, default=None,
                        help="almacén DuckDB para medir también el camino de la página (p. ej. "
                             "benchmarks/_datos/demo_200.duckdb)")
    args = parser.parse_args(argv)

    inicio = time.perf_counter()
    datos, etapas = generar(args.respuestas, args.etapas)
    print(f"{numero(args.respuestas, 0)} respuestas × {args.etapas} etapas generadas en "
          f"{numero(time.perf_counter() - inicio)} s")

    filas = []
    for resultado, nombre in (("csat", "CSAT (lineal)"), ("satisfecho", "sí/no (logística)")):
        puntual = medir(lambda: cadena.analizar_cadena(datos, etapas, resultado, remuestras=0), args.repeticiones)
        completo = medir(lambda: cadena.analizar_cadena(datos, etapas, resultado, remuestras=args.remuestras),
                         args.repeticiones)
        filas.append((nombre, puntual, completo))
    r = cadena.analizar_cadena(datos, etapas, "csat", remuestras=args.remuestras)

    rng = np.random.default_rng(1)
    inicio = time.perf_counter()
    _johnson(datos[etapas + ["csat"]].corr().to_numpy())
    base_puntual = time.perf_counter() - inicio
    base_por_remuestra = base_ingenua(datos, etapas, args.ingenuas, rng) / args.ingenuas
    base_completa = base_puntual + base_por_remuestra * args.remuestras

    print(f"\n{'Resultado':<20}{'puntual':>10}{f'con {args.remuestras} rem.':>16}{'meta':>16}")
    for nombre, puntual, completo in filas:
        print(f"{nombre:<20}{numero(puntual, 2):>8} s{numero(completo, 2):>14} s{'≤ 2 s / ≤ 20 s':>16}")
    print("\nLínea base ingenua (pandas .corr de a pares + Johnson por remuestra de filas):")
    print(f"  puntual {numero(base_puntual, 2)} s; {numero(base_por_remuestra, 2)} s por remuestra "
          f"(medidas {args.ingenuas}) → {numero(base_completa, 0)} s estimados con {args.remuestras}")
    print(f"  cociente base / Eslabón (CSAT): puntual ×{numero(base_puntual / filas[0][1])}, "
          f"con remuestras ×{numero(base_completa / filas[0][2], 0)}")
    print(f"\nEslabón plantado: Etapa {ETAPA_DEBIL + 1:02d}; encontrado: {r.eslabon_mas_debil} "
          f"en el {porcentaje(r.confianza, 0)} de las remuestras; R² = {numero(r.r2, 3)}")
    if args.base is not None:
        camino_de_la_pagina(args.base)
    return 0


if __name__ == "__main__":
    sys.exit(main())
