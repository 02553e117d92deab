"""Dos cargas a la vez en el proceso de la aplicación se guardan una tras otra, nunca entrelazadas."""

import threading
import time

from datos.almacen.conexion import Almacen
from datos.almacen.transaccion import transaccion
from datos.ingesta.carga import Preparacion

#: Dos archivos con las mismas cabeceras (el mismo mapeo recordado) y filas distintas.
CABECERA = "Fecha;Satisfacción;Recomendación\n"


def _archivo(carpeta, nombre: str, dia: int):
    """Un CSV de encuestas de dos filas con ``CABECERA``; filas distintas para cada ``dia``."""
    ruta = carpeta / nombre
    ruta.write_text(CABECERA + f"{dia:02d}/09/2026;5;10\n{dia:02d}/09/2026;3;6\n", encoding="utf-8")
    return ruta


def test_dos_cargas_con_las_mismas_cabeceras_a_la_vez_se_guardan_ambas(tmp_path):
    """El caso del issue: antes la segunda moría con «Duplicate key firma…» de la tabla de mapeos."""
    almacen = Almacen(str(tmp_path / "e.duckdb"))
    preparaciones = [Preparacion(almacen.cursor(), _archivo(tmp_path, f"lote{i}.csv", i + 1)) for i in range(2)]
    validaciones = [p.validar("encuestas") for p in preparaciones]
    assert all(v.filas_nuevas == 2 and not v.hay_errores for v in validaciones)
    salida = threading.Barrier(2)
    resultados, errores = {}, []

    def guardar(i: int) -> None:
        salida.wait()
        try:
            resultados[i] = preparaciones[i].guardar(validaciones[i])
        except Exception as error:  # la prueba informa cualquier fallo de un hilo
            errores.append(error)

    hilos = [threading.Thread(target=guardar, args=(i,)) for i in range(2)]
    for hilo in hilos:
        hilo.start()
    for hilo in hilos:
        hilo.join()
    assert errores == []
    assert sorted(r.guardadas for r in resultados.values()) == [2, 2]
    cursor = almacen.cursor()
    assert cursor.execute("SELECT count(*) FROM encuestas").fetchall()[0][0] == 4
    assert cursor.execute("SELECT count(*), count(DISTINCT carga_id) FROM cargas").fetchall()[0] == (2, 2)
    assert cursor.execute("SELECT count(*) FROM mapeos").fetchall()[0][0] == 1
    for preparacion in preparaciones:
        preparacion.cerrar()
    almacen.cerrar()


def test_dos_transacciones_de_hilos_distintos_no_se_solapan(tmp_path):
    """``transaccion`` toma el candado de escritura: la segunda empieza cuando la primera ya confirmó."""
    almacen = Almacen(str(tmp_path / "e.duckdb"))
    tramos, dentro = [], threading.Event()

    def escribir(espera: float) -> None:
        with transaccion(almacen.cursor()) as con:
            inicio = time.monotonic()
            dentro.set()
            con.execute("INSERT INTO bitacora (accion) VALUES ('prueba')")
            time.sleep(espera)
        tramos.append((inicio, time.monotonic()))

    primero = threading.Thread(target=escribir, args=(0.5,))
    primero.start()
    dentro.wait()
    segundo = threading.Thread(target=escribir, args=(0.0,))
    segundo.start()
    primero.join()
    segundo.join()
    (a_inicio, a_fin), (b_inicio, _) = sorted(tramos)
    assert b_inicio >= a_fin
    assert almacen.cursor().execute("SELECT count(*) FROM bitacora WHERE accion = 'prueba'").fetchall()[0][0] == 2
    almacen.cerrar()
