"""El almacén de resultados del proceso: una vez por clave, versiones viejas fuera, una sola cuenta a la vez."""

import threading
import time

from datos.consultas.filtros import Filtros
from datos.precalculo.resultados import Contexto, Resultados

NORTE = Filtros(sucursales=("Sucursal Norte",))


def _contexto(version: int = 1, alcance: Filtros = Filtros(), ruta: str = "a.duckdb") -> Contexto:
    return Contexto(ruta, version, alcance, consultar=lambda *a, **k: None)


class Contador:
    """Un cálculo que cuenta sus llamadas y devuelve (versión, alcance, argumentos, llamada)."""

    def __init__(self, pausa: float = 0.0):
        self.llamadas, self.pausa = 0, pausa

    def calcular(self, contexto: Contexto, *argumentos):
        self.llamadas += 1
        time.sleep(self.pausa)
        return contexto.version, contexto.alcance, argumentos, self.llamadas


def test_misma_clave_se_calcula_una_vez_y_otros_argumentos_aparte():
    resultados, calculo = Resultados(), Contador().calcular
    primero = resultados.obtener(_contexto(), calculo, "x")
    assert resultados.obtener(_contexto(), calculo, "x") is primero
    assert resultados.obtener(_contexto(), calculo, "y")[2] == ("y",)
    assert calculo.__self__.llamadas == 2


def test_el_alcance_separa_resultados():
    resultados, calculo = Resultados(), Contador().calcular
    toda = resultados.obtener(_contexto(), calculo)
    norte = resultados.obtener(_contexto(alcance=NORTE), calculo)
    assert toda[1] == Filtros() and norte[1] == NORTE
    assert calculo.__self__.llamadas == 2
    assert resultados.tiene(_contexto(alcance=NORTE), calculo)
    assert not resultados.tiene(_contexto(alcance=Filtros(equipos=("Equipo Andes",))), calculo)


def test_version_nueva_recalcula_y_descarta_las_viejas():
    resultados, calculo = Resultados(), Contador().calcular
    resultados.obtener(_contexto(1), calculo)
    resultados.obtener(_contexto(1, ruta="otra.duckdb"), calculo)
    assert resultados.obtener(_contexto(2), calculo)[0] == 2
    assert calculo.__self__.llamadas == 3
    assert not resultados.tiene(_contexto(1), calculo)
    assert resultados.tiene(_contexto(1, ruta="otra.duckdb"), calculo)  # otro archivo, otra historia
    resultados.obtener(_contexto(1), calculo)  # una sesión que aún ve la versión 1 recibe su cálculo…
    assert not resultados.tiene(_contexto(1), calculo)  # …pero no queda guardado junto a la versión 2


def test_pedidos_simultaneos_calculan_una_sola_vez():
    resultados, calculo = Resultados(), Contador(pausa=0.2).calcular
    entregados = []
    hilos = [threading.Thread(target=lambda: entregados.append(resultados.obtener(_contexto(), calculo)))
             for _ in range(4)]
    for hilo in hilos:
        hilo.start()
    for hilo in hilos:
        hilo.join()
    assert calculo.__self__.llamadas == 1
    assert len(entregados) == 4 and all(e is entregados[0] for e in entregados)


def test_una_excepcion_no_se_guarda_y_el_tope_saca_lo_menos_usado():
    resultados = Resultados(maximo=2)

    def falla(contexto):
        raise ValueError("sin datos")

    try:
        resultados.obtener(_contexto(), falla)
    except ValueError:
        pass
    assert not resultados.tiene(_contexto(), falla)
    calculo = Contador().calcular
    for argumento in ("a", "b"):
        resultados.obtener(_contexto(), calculo, argumento)
    resultados.obtener(_contexto(), calculo, "a")  # «a» pasa a ser la más reciente
    resultados.obtener(_contexto(), calculo, "c")
    assert len(resultados) == 2
    assert resultados.tiene(_contexto(), calculo, "a") and not resultados.tiene(_contexto(), calculo, "b")
