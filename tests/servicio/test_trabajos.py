"""El trabajador programado: corre, guarda su estado en el almacén, sobrevive a un reinicio y sigue si un trabajo falla."""

import threading
import time
from datetime import datetime, timedelta

import pytest

from datos.almacen.conexion import Almacen
from datos.servicio.trabajos import Trabajador, Trabajo, TrabajoOcupado


@pytest.fixture
def almacen(tmp_path):
    almacen = Almacen(str(tmp_path / "e.duckdb"))
    yield almacen
    almacen.cerrar()


def _guardado(almacen, tabla: str) -> list[tuple]:
    return almacen.cursor().execute(f"SELECT trabajo, estado, resultado FROM {tabla} ORDER BY inicio"
                                    if tabla == "ejecuciones_trabajos" else
                                    "SELECT trabajo, estado, resultado FROM trabajos ORDER BY trabajo").fetchall()


def test_guarda_la_ultima_ejecucion_y_solo_las_que_hicieron_algo(almacen):
    llamadas = []

    def contar(con, momento):
        llamadas.append(momento)
        return "hecho" if len(llamadas) == 1 else None

    def fallar(con, momento):
        raise RuntimeError("disco lleno")

    trabajador = Trabajador(almacen, [Trabajo("Contar", timedelta(hours=1), contar),
                                      Trabajo("Fallar", "0 3 * * *", fallar)]).iniciar()
    try:
        assert trabajador.ejecutar_ahora("Contar").resultado == "hecho"
        assert trabajador.ejecutar_ahora("Contar").resultado is None
        fallida = trabajador.ejecutar_ahora("Fallar")
    finally:
        trabajador.detener()
    assert (fallida.estado, fallida.resultado) == ("error", "RuntimeError: disco lleno")
    assert _guardado(almacen, "trabajos") == [("Contar", "bien", None), ("Fallar", "error", "RuntimeError: disco lleno")]
    assert _guardado(almacen, "ejecuciones_trabajos") == [("Contar", "bien", "hecho"),
                                                          ("Fallar", "error", "RuntimeError: disco lleno")]
    proxima = almacen.cursor().execute("SELECT proxima FROM trabajos WHERE trabajo = 'Fallar'").fetchall()[0][0]
    assert (proxima.hour, proxima.minute) == (3, 0) and proxima > datetime.now()


def test_tras_un_reinicio_corre_enseguida_lo_que_se_perdio(almacen):
    """El estado vive en el almacén: un trabajo cuya hora pasó mientras la aplicación no corría, corre al arrancar."""
    corrido = threading.Event()
    trabajo = Trabajo("Diario", "0 2 * * *", lambda con, momento: corrido.set() or "respaldado")
    almacen.cursor().execute("INSERT INTO trabajos (trabajo, ultima, estado) VALUES (?, ?, 'bien')",
                             ["Diario", datetime.now() - timedelta(days=2)])
    trabajador = Trabajador(almacen, [trabajo]).iniciar()
    try:
        assert corrido.wait(20)
        limite = time.monotonic() + 20
        while _guardado(almacen, "trabajos") != [("Diario", "bien", "respaldado")] and time.monotonic() < limite:
            time.sleep(0.1)
    finally:
        trabajador.detener()
    assert _guardado(almacen, "trabajos") == [("Diario", "bien", "respaldado")]
    otra_vez = threading.Event()
    al_dia = Trabajador(almacen, [Trabajo("Diario", "0 2 * * *", lambda con, momento: otra_vez.set())]).iniciar()
    try:  # ya corrió: no vuelve a correr al arrancar; la próxima es la de las 02:00 que viene
        assert not otra_vez.wait(2)
        assert al_dia.proximas()["Diario"] > datetime.now()
    finally:
        al_dia.detener()


def test_un_programa_desactivado_no_se_programa_y_reprogramar_lo_relee(almacen):
    activo = {"valor": None}
    trabajador = Trabajador(almacen, [Trabajo("Según ajuste", lambda con: activo["valor"],
                                              lambda con, momento: "ok")]).iniciar()
    try:
        assert trabajador.proximas() == {"Según ajuste": None}
        activo["valor"] = "30 4 * * *"
        trabajador.reprogramar()
        assert trabajador.proximas()["Según ajuste"].strftime("%H:%M") == "04:30"
        estado = trabajador.estado(almacen.ibis().table("trabajos").to_pandas())
        assert estado.loc[0, "programa"] == "todos los días a las 04:30"
    finally:
        trabajador.detener()


def test_no_corre_dos_veces_a_la_vez_ni_acepta_nombres_repetidos(almacen):
    dentro, soltar = threading.Event(), threading.Event()

    def lento(con, momento):
        dentro.set()
        soltar.wait(10)
        return "listo"

    trabajador = Trabajador(almacen, [Trabajo("Lento", timedelta(hours=1), lento)])
    hilo = threading.Thread(target=trabajador.ejecutar_ahora, args=("Lento",))
    hilo.start()
    dentro.wait(10)
    with pytest.raises(TrabajoOcupado, match="ya se está ejecutando"):
        trabajador.ejecutar_ahora("Lento")
    soltar.set()
    hilo.join()
    with pytest.raises(ValueError, match="repetir"):
        Trabajador(almacen, [Trabajo("A", timedelta(1), lento), Trabajo("A", timedelta(1), lento)])
