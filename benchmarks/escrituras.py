"""Lo que cuestan las escrituras que ponen al día los agregados diarios en un almacén grande.

Sobre una COPIA de un almacén (p. ej. la demostración escala 200: 10 millones de interacciones; el
archivo se modifica) mide, una vez cada una:

- **fichas de clientes**: quita ``--clientes`` fichas de clientes ya citados por interacciones (sin
  medir, como si su archivo llegara después) y mide la carga del CSV que las trae;
- **carga y deshacer**: carga ``--filas`` interacciones nuevas (últimos 40 días, clientes y agentes
  existentes) y mide deshacerla;
- **supresión**: suprime a un cliente con interacciones y encuestas.

Uso: ``python3 benchmarks/escrituras.py --db COPIA.duckdb [--filas 10000] [--clientes 10]``
"""

import argparse
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from datos.almacen.conexion import Almacen  # noqa: E402
from datos.almacen.transaccion import transaccion  # noqa: E402
from datos.ingesta.carga import cargar_archivo  # noqa: E402
from datos.ingesta.historial import deshacer  # noqa: E402
from datos.personas import buscar, suprimir  # noqa: E402

#: Interacciones nuevas de la carga que se deshace: clientes y agentes existentes, últimos 40 días.
_SQL_INTERACCIONES = """
COPY (SELECT printf('BENCH-%08d', i) AS interaccion_id,
             (SELECT max(fecha_inicio) FROM interacciones) - to_minutes(CAST(hash(i) % 57600 AS BIGINT)) AS fecha_inicio,
             printf('CLI-%06d', hash(i * 3) % 1000 + 1) AS cliente_id, a.agente_id, 'Chat' AS canal,
             'consulta' AS motivo, 3.5 AS tiempo_respuesta_min, 1.25 AS tiempo_resolucion_h, true AS resuelto
      FROM range($filas) t(i), (SELECT min(agente_id) AS agente_id FROM agentes) a)
TO '{ruta}' (HEADER, DELIMITER ';')
"""


def _medir(nombre: str, accion) -> object:
    """Ejecuta ``accion`` e imprime cuánto tardó."""
    inicio = time.perf_counter()
    resultado = accion()
    print(f"{nombre}: {time.perf_counter() - inicio:.1f} s", flush=True)
    return resultado


def _cargar(almacen: Almacen, ruta: Path, tipo: str, columnas: list[str]) -> int:
    """Carga ``ruta`` como ``tipo`` con cada columna a su campo; devuelve el número de carga."""
    _, resultado, _ = cargar_archivo(almacen.cursor(), ruta, tipo, mapeo={c: c for c in columnas}, usuario="bench")
    if resultado.carga_id is None:
        raise SystemExit(resultado.mensaje)
    return resultado.carga_id


def _fichas_ausentes(almacen: Almacen, n: int, ruta: Path) -> None:
    """Quita ``n`` fichas de clientes citados por interacciones y las escribe en el CSV ``ruta``."""
    con = almacen.cursor()
    with transaccion(con):
        con.execute("CREATE TEMP TABLE _bench_clientes AS SELECT cliente_id, tipo_cliente FROM clientes "
                    "WHERE cliente_id IN (SELECT cliente_id FROM interacciones LIMIT 100000) "
                    "ORDER BY cliente_id LIMIT ?", [n])
        con.execute(f"COPY _bench_clientes TO '{ruta}' (HEADER, DELIMITER ';')")
        con.execute("DELETE FROM clientes WHERE cliente_id IN (SELECT cliente_id FROM _bench_clientes)")
        con.execute("DROP TABLE _bench_clientes")


def main() -> None:
    """Mide las tres escrituras en la copia ``--db``."""
    argumentos = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    argumentos.add_argument("--db", required=True, help="copia del almacén (se modifica)")
    argumentos.add_argument("--filas", type=int, default=10_000)
    argumentos.add_argument("--clientes", type=int, default=10)
    opciones = argumentos.parse_args()
    almacen = _medir("abrir (migraciones)", lambda: Almacen(opciones.db))
    with tempfile.TemporaryDirectory() as carpeta:
        clientes, interacciones = Path(carpeta) / "clientes.csv", Path(carpeta) / "interacciones.csv"
        _fichas_ausentes(almacen, opciones.clientes, clientes)
        _medir(f"carga de {opciones.clientes} fichas de clientes ya citados",
               lambda: _cargar(almacen, clientes, "clientes", ["cliente_id", "tipo_cliente"]))
        almacen.cursor().execute(_SQL_INTERACCIONES.format(ruta=interacciones), {"filas": opciones.filas})
        columnas = ["interaccion_id", "fecha_inicio", "cliente_id", "agente_id", "canal", "motivo",
                    "tiempo_respuesta_min", "tiempo_resolucion_h", "resuelto"]
        carga = _medir(f"carga de {opciones.filas} interacciones",
                       lambda: _cargar(almacen, interacciones, "interacciones", columnas))
        _medir(f"deshacer la carga de {opciones.filas} interacciones",
               lambda: deshacer(almacen.cursor(), carga, usuario="bench"))
    cliente = almacen.cursor().execute("SELECT cliente_id FROM encuestas WHERE cliente_id IS NOT NULL "
                                       "LIMIT 1").fetchall()[0][0]
    _medir("supresión de un cliente", lambda: suprimir(almacen, buscar(almacen, cliente), usuario="bench"))


if __name__ == "__main__":
    main()
