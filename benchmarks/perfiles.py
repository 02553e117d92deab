"""Tiempo de los perfiles de clientes con 100.000 y 1.000.000 de clientes.

Datos: el archivo de demostración a escala 200 (1 millón de clientes, 10 millones de
interacciones, 4 millones de encuestas) que también usa ``benchmarks/resumen.py``; se genera
la primera vez. Los rasgos por cliente salen de ``caracteristicas_clientes`` (Ibis + DuckDB);
para 100.000 clientes se usa la muestra determinista de esa misma consulta (``maximo``).

Se mide, para cada tamaño:

- la consulta de rasgos (una fila por cliente, agregada en DuckDB);
- ``perfilar`` completo con las variables predeterminadas y k automático: k-medias ajustado
  sobre una muestra de 20.000 clientes para k = 2…8, silueta sobre 3.000, 20 remuestras
  bootstrap, asignación de todos los clientes, rasgos, nombres y mapa PCA;
- la línea base: el camino ingenuo, k-medias (10 arranques, también en un hilo) ajustado sobre
  *todos* los clientes para cada k de 2 a 8, sin silueta ni remuestras (que lo harían aún más
  lento), y el acuerdo de su modelo del k elegido con ``perfilar`` (índice de Rand ajustado). El
  cociente base / perfilar dice cuánto ahorra ajustar sobre una muestra y asignar después;
- el índice de Rand ajustado frente a los perfiles sembrados en la demostración.

Uso: ``python3 benchmarks/perfiles.py [--escala 200] [--tamanos 100000 1000000] [--semilla 0]``
"""

import argparse
import sys
import time
from pathlib import Path

import numpy as np
from sklearn.cluster import KMeans
from sklearn.metrics import adjusted_rand_score
from threadpoolctl import threadpool_limits

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from analisis import perfiles  # noqa: E402
from benchmarks.resumen import preparar  # noqa: E402
from datos.consultas import perfiles as consultas_perfiles  # noqa: E402
from datos.consultas import resumen as consultas_resumen  # noqa: E402
from datos.consultas.filtros import Filtros  # noqa: E402


def _cronometrar(funcion, *argumentos, **opciones):
    """(resultado, segundos) de una llamada."""
    inicio = time.perf_counter()
    resultado = funcion(*argumentos, **opciones)
    return resultado, time.perf_counter() - inicio


def _perfiles_sembrados(almacen, ids) -> np.ndarray:
    """Perfil sembrado de cada cliente (de ``clientes.atributos``), en el orden de ``ids``."""
    cursor = almacen.cursor()
    cursor.register("_ids", ids.to_frame("cliente_id"))
    filas = cursor.execute("SELECT c.atributos->>'perfil' FROM _ids LEFT JOIN clientes c USING (cliente_id) "
                           "ORDER BY _ids.cliente_id").fetchall()
    cursor.unregister("_ids")
    return np.array([f[0] for f in filas])


def _linea_base(clientes, resultado, grupos, semilla: int) -> tuple[np.ndarray, float]:
    """k-medias sobre todos los clientes para cada k candidato: (etiquetas del k elegido, segundos)."""
    matriz = perfiles.preparar(clientes, list(resultado.variables), grupos=grupos).matriz
    inicio = time.perf_counter()
    with threadpool_limits(limits=1):
        modelos = {k: KMeans(k, n_init=perfiles.ARRANQUES, random_state=semilla).fit(matriz)
                   for k in resultado.silueta}
    return modelos[resultado.k].labels_, time.perf_counter() - inicio


def medir(almacen, n: int, total: int, semilla: int) -> None:
    """Mide consulta, perfilar, línea base y acuerdo con los perfiles sembrados para ``n`` clientes."""
    con = almacen.ibis()
    canales = tuple(consultas_resumen.valores_de_filtro(con, "canal").to_pandas()["valor"])
    expresion = consultas_perfiles.caracteristicas_clientes(con, Filtros(), canales, n if n < total else None)
    clientes, t_consulta = _cronometrar(expresion.to_pandas)
    grupos = perfiles.variables_cliente(canales)
    resultado, t_perfilar = _cronometrar(perfiles.perfilar, clientes, list(perfiles.PREDETERMINADAS),
                                         semilla=semilla, grupos=grupos)
    base, t_base = _linea_base(clientes, resultado, grupos, semilla)
    sembrados = _perfiles_sembrados(almacen, clientes["cliente_id"])
    print(f"\n{len(clientes):,} clientes".replace(",", "."))
    print(f"  consulta de rasgos (Ibis + DuckDB) : {t_consulta:7.2f} s")
    print(f"  perfilar (muestra + asignación)    : {t_perfilar:7.2f} s   k = {resultado.k}, "
          f"silueta = {resultado.silueta[resultado.k]:.3f}, estabilidad = {resultado.estabilidad:.3f}")
    print(f"  línea base: k-medias sobre todos   : {t_base:7.2f} s   (k = 2…{max(resultado.silueta)}, sin silueta "
          f"ni remuestras; cociente base / perfilar = {t_base / t_perfilar:.1f})")
    print(f"  acuerdo perfilar ↔ línea base (ARI): {adjusted_rand_score(base, resultado.etiquetas):.3f}")
    print(f"  ARI frente a los perfiles sembrados: {adjusted_rand_score(sembrados, resultado.etiquetas):.3f}")
    print(f"  nombres: {'; '.join(resultado.nombres.values())}")


def main() -> None:
    """Prepara el archivo de la escala pedida y mide cada tamaño."""
    argumentos = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    argumentos.add_argument("--escala", type=float, default=200, help="escala de la demostración (200 = 1M clientes)")
    argumentos.add_argument("--tamanos", type=int, nargs="+", default=[100_000, 1_000_000],
                            help="números de clientes a perfilar (muestra determinista si hay más)")
    argumentos.add_argument("--semilla", type=int, default=0)
    opciones = argumentos.parse_args()
    almacen = preparar(opciones.escala)
    total = almacen.cursor().execute("SELECT count(*) FROM clientes").fetchall()[0][0]
    print(f"Clientes en el archivo: {total:,}".replace(",", "."))
    for n in opciones.tamanos:
        medir(almacen, min(n, total), total, opciones.semilla)


if __name__ == "__main__":
    main()
