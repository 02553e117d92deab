"""Tiempo de validar y guardar un CSV grande frente a la lectura desnuda de DuckDB.

Genera (una vez) en ``benchmarks/_datos/`` un CSV de interacciones como los
de un software de centro de contacto: Windows-1252, ``;``, coma decimal,
miles con punto y fechas ``dd/mm/aaaa hh:mm``. Mide:

- **línea base**: ``CREATE TABLE ... AS SELECT * FROM read_csv(...)`` con las
  opciones correctas dadas a mano (sin validar nada), en un archivo DuckDB nuevo;
- **Eslabón**: ``datos.ingesta.carga.cargar_archivo`` (detección, conversión y
  validación de cada valor, duplicados, registro de la carga y escritura en una
  transacción, con el FCR y los agregados diarios) en un almacén nuevo o, con
  ``--almacen RUTA``, en una copia de ese almacén (p. ej. la demostración de 10
  millones: lo ya guardado se compara y los agregados se ponen al día); la copia no se mide.

Imprime la mediana de cada uno y el cociente Eslabón / línea base (meta: ≤ 2).

Uso: ``python3 benchmarks/carga.py [--filas 1000000] [--repeticiones 3] [--tipo interacciones] [--almacen RUTA]``
"""

import argparse
import shutil
import statistics
import sys
import tempfile
import time
from pathlib import Path

import duckdb

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from datos.almacen.conexion import Almacen  # noqa: E402
from datos.ingesta.carga import cargar_archivo  # noqa: E402

CARPETA = Path(__file__).resolve().parent / "_datos"

_GENERADORES = {
    "interacciones": (
        "ID interacción;Fecha inicio;Cliente;Agente;Canal;Motivo;Tiempo respuesta (min);Tiempo resolución (h);"
        "Resuelto;Escalado;Promesa cumplida",
        "SELECT printf('{prefijo}-%08d', i), strftime(TIMESTAMP '2025-01-01' + to_minutes(CAST(hash(i) % 700000 AS BIGINT)), "
        "'%d/%m/%Y %H:%M'), printf('CLI-%06d', i % 5000), printf('AGE-%03d', i % 60 + 1), "
        "['Teléfono', 'Correo', 'Chat', 'Presencial', 'WhatsApp'][i % 5 + 1], "
        "['consulta', 'queja', 'reclamo', 'solicitud', 'nuevo negocio'][(i // 7) % 5 + 1], "
        "replace(CAST(round((hash(i * 3) % 9000) / 100.0, 1) AS VARCHAR), '.', ','), "
        "replace(replace(replace(format('{:,.2f}', (hash(i * 5) % 250000) / 100.0), ',', '_'), '.', ','), '_', '.'), "
        "CASE WHEN i % 5 = 0 THEN 'No' ELSE 'Sí' END, CASE WHEN i % 9 = 0 THEN 'Sí' ELSE 'No' END, "
        "CASE WHEN i % 10 = 0 THEN 'No' ELSE 'Sí' END FROM range(?) t(i)",
        "encoding = 'latin-1', delim = ';', decimal_separator = ',', thousands = '.', "
        "timestampformat = '%d/%m/%Y %H:%M', header = true",
    ),
    "encuestas": (
        "ID respuesta;Fecha;Cliente;Canal;Sucursal;Satisfacción general;Recomendación;Esfuerzo;Atención inicial;"
        "Diagnóstico;Solución;Entrega;Seguimiento;Comentario",
        "SELECT printf('{prefijo}-%08d', i), strftime(DATE '2025-01-01' + CAST(hash(i) % 600 AS INTEGER), '%d/%m/%Y'), "
        "printf('CLI-%06d', i % 5000), ['Teléfono', 'Correo', 'Chat'][i % 3 + 1], "
        "['Sucursal Norte', 'Sucursal Sur'][i % 2 + 1], CAST(hash(i) % 5 + 1 AS VARCHAR), "
        "CAST(hash(i * 2) % 11 AS VARCHAR), replace(CAST((hash(i * 3) % 61 + 10) / 10.0 AS VARCHAR), '.', ','), "
        "CAST(hash(i * 4) % 5 + 1 AS VARCHAR), CAST(hash(i * 5) % 5 + 1 AS VARCHAR), "
        "CAST(hash(i * 6) % 5 + 1 AS VARCHAR), CAST(hash(i * 7) % 5 + 1 AS VARCHAR), "
        "CAST(hash(i * 8) % 5 + 1 AS VARCHAR), CASE WHEN i % 3 = 0 THEN 'Atención rápida y amable' END "
        "FROM range(?) t(i)",
        "encoding = 'latin-1', delim = ';', decimal_separator = ',', dateformat = '%d/%m/%Y', header = true",
    ),
}


#: Prefijo de los identificadores del archivo: el de siempre, o uno que ningún almacén de demostración usa.
_PREFIJOS = {"interacciones": "INT", "encuestas": "ENC"}
_PREFIJO_NUEVO = "NUEVA"


def generar(tipo: str, filas: int, nuevas: bool = False) -> Path:
    """Crea (si falta) el CSV de ``filas`` filas en Windows-1252 y devuelve su ruta; con ``nuevas``, con
    identificadores que la demostración no tiene (para cargarlo en una copia de un almacén con datos)."""
    CARPETA.mkdir(exist_ok=True)
    prefijo = _PREFIJO_NUEVO if nuevas else _PREFIJOS[tipo]
    ruta = CARPETA / (f"{tipo}_{filas}_nuevas.csv" if nuevas else f"{tipo}_{filas}.csv")
    if ruta.exists():
        return ruta
    cabecera, consulta, _ = _GENERADORES[tipo]
    consulta = consulta.replace("{prefijo}", prefijo)
    utf8 = ruta.with_suffix(".utf8.csv")
    con = duckdb.connect()
    con.execute(f"COPY ({consulta}) TO '{utf8}' (HEADER false, DELIMITER ';', QUOTE '\"')", [filas])
    con.close()
    with open(utf8, encoding="utf-8") as origen, open(ruta, "w", encoding="cp1252", newline="\n") as destino:
        destino.write(cabecera + "\n")
        while bloque := origen.read(1 << 22):
            destino.write(bloque)
    utf8.unlink()
    return ruta


def medir_base(ruta: Path, tipo: str) -> float:
    """Segundos de ``read_csv`` con las opciones correctas hacia una tabla de un archivo DuckDB nuevo."""
    with tempfile.TemporaryDirectory() as carpeta:
        con = duckdb.connect(str(Path(carpeta) / "base.duckdb"))
        inicio = time.perf_counter()
        con.execute(f"CREATE TABLE t AS SELECT * FROM read_csv('{ruta}', {_GENERADORES[tipo][2]})")
        segundos = time.perf_counter() - inicio
        con.close()
    return segundos


def medir_eslabon(ruta: Path, tipo: str, original: Path | None = None) -> tuple[float, int]:
    """Segundos de ``cargar_archivo`` (validar y guardar) en un almacén nuevo o en una copia de ``original``,
    y filas guardadas."""
    with tempfile.TemporaryDirectory() as carpeta:
        destino = Path(carpeta) / "eslabon.duckdb"
        if original is not None:
            shutil.copyfile(original, destino)
        almacen = Almacen(str(destino))
        inicio = time.perf_counter()
        _, resultado, _ = cargar_archivo(almacen.cursor(), ruta, tipo)
        segundos = time.perf_counter() - inicio
        almacen.cerrar()
    return segundos, resultado.guardadas


def main(argv: list[str] | None = None) -> None:
    """Genera el archivo, mide ambos caminos y muestra el cociente."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--filas", type=int, default=1_000_000)
    parser.add_argument("--repeticiones", type=int, default=3)
    parser.add_argument("--tipo", choices=list(_GENERADORES), default="interacciones")
    parser.add_argument("--almacen", type=Path, help="cargar en una copia de este almacén (no se modifica)")
    args = parser.parse_args(argv)
    ruta = generar(args.tipo, args.filas, nuevas=args.almacen is not None)
    print(f"Archivo: {ruta.name} ({ruta.stat().st_size / 1e6:.1f} MB, Windows-1252, ';', coma decimal, dd/mm/aaaa)")
    base, eslabon = [], []
    for _ in range(args.repeticiones):
        base.append(medir_base(ruta, args.tipo))
        segundos, guardadas = medir_eslabon(ruta, args.tipo, args.almacen)
        eslabon.append(segundos)
    b, e = statistics.median(base), statistics.median(eslabon)
    print(f"Línea base (read_csv desnudo a una tabla): {b:.2f} s")
    donde = f"en una copia de {args.almacen.name}" if args.almacen else "en un almacén nuevo"
    print(f"Eslabón (validar y guardar {guardadas:,} filas {donde}): {e:.2f} s".replace(",", "."))
    print(f"Cociente Eslabón / línea base: {e / b:.2f} (meta ≤ 2)")


if __name__ == "__main__":
    main()
