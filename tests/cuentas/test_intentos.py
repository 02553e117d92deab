"""La entrada bajo ataque: intentos simultáneos, límite por dirección y usuarios inexistentes."""

import threading
from datetime import datetime, timedelta

import pytest

from datos.almacen.conexion import Almacen
from datos.cuentas import AccesoDenegado, autenticar, crear_usuario
from datos.cuentas.intentos import INTENTOS_MAXIMOS, INTENTOS_POR_DIRECCION, olvidar_intentos

CLAVE = "una-clave-larga-1"


@pytest.fixture(autouse=True)
def _sin_intentos_previos():
    """Los contadores en memoria empiezan vacíos en cada prueba."""
    olvidar_intentos()


def _a_la_vez(almacen: Almacen, claves: list[str], *, cursor_compartido: bool) -> list[BaseException | str]:
    """Lanza un intento de entrada de «ana» por clave, todos a la vez, y devuelve el resultado de cada uno."""
    salida: list[BaseException | str] = [""] * len(claves)
    barrera = threading.Barrier(len(claves))
    compartido = almacen.cursor()

    def intentar(i: int) -> None:
        con = compartido if cursor_compartido else almacen.cursor()
        barrera.wait()
        try:
            salida[i] = autenticar(con, "ana", claves[i]).usuario
        except BaseException as error:  # noqa: BLE001 - la prueba quiere ver cualquier excepción
            salida[i] = error

    hilos = [threading.Thread(target=intentar, args=(i,)) for i in range(len(claves))]
    for hilo in hilos:
        hilo.start()
    for hilo in hilos:
        hilo.join()
    return salida


@pytest.mark.parametrize("cursor_compartido", [False, True])
def test_40_intentos_simultaneos_bloquean_la_cuenta_y_ninguno_revienta(tmp_path, cursor_compartido):
    almacen = Almacen(str(tmp_path / "ataque.duckdb"))
    crear_usuario(almacen.cursor(), "ana", CLAVE, "calidad")
    salida = _a_la_vez(almacen, ["clave-equivocada-1"] * 39 + [CLAVE], cursor_compartido=cursor_compartido)
    inesperadas = [e for e in salida if isinstance(e, BaseException) and not isinstance(e, AccesoDenegado)]
    assert not inesperadas, inesperadas
    assert sum(isinstance(e, AccesoDenegado) for e in salida) >= 39
    bloqueo = almacen.cursor().execute("SELECT bloqueado_hasta FROM usuarios").fetchall()[0][0]
    assert bloqueo is not None and bloqueo > datetime.now()
    with pytest.raises(AccesoDenegado, match="Demasiados intentos"):
        autenticar(almacen.cursor(), "ana", CLAVE)
    fallidas = almacen.cursor().execute(
        "SELECT count(*) FROM bitacora WHERE accion IN ('entrada fallida', 'entrada rechazada')").fetchall()[0][0]
    assert fallidas >= 39
    almacen.cerrar()


def test_un_usuario_inexistente_responde_igual_que_uno_bloqueado(con_memoria):
    crear_usuario(con_memoria, "ana", CLAVE, "calidad")
    ahora = datetime(2026, 5, 1, 10, 0)
    respuestas = {}
    for usuario in ("ana", "nadie"):
        mensajes = []
        for _ in range(INTENTOS_MAXIMOS + 1):
            with pytest.raises(AccesoDenegado) as rechazo:
                autenticar(con_memoria, usuario, "clave-equivocada-1", ahora=ahora)
            mensajes.append(rechazo.value.mensaje)
        respuestas[usuario] = mensajes
    assert respuestas["ana"] == respuestas["nadie"]
    assert respuestas["nadie"][-1] == "Demasiados intentos fallidos. Vuelva a intentarlo en 15 minutos."
    assert set(respuestas["nadie"][:-1]) == {"Usuario o clave incorrectos."}


def test_limite_por_direccion_con_cualquier_usuario(con_memoria):
    crear_usuario(con_memoria, "ana", CLAVE, "calidad")
    ahora = datetime(2026, 5, 1, 10, 0)
    for i in range(INTENTOS_POR_DIRECCION):
        with pytest.raises(AccesoDenegado, match="incorrectos"):
            autenticar(con_memoria, f"usuario{i}", "clave-equivocada-1", direccion="203.0.113.7", ahora=ahora)
    with pytest.raises(AccesoDenegado, match="Demasiados intentos"):
        autenticar(con_memoria, "ana", CLAVE, direccion="203.0.113.7", ahora=ahora)
    assert autenticar(con_memoria, "ana", CLAVE, direccion="198.51.100.1", ahora=ahora).usuario == "ana"
    despues = ahora + timedelta(minutes=16)
    assert autenticar(con_memoria, "ana", CLAVE, direccion="203.0.113.7", ahora=despues).usuario == "ana"
