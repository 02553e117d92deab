"""``datos.motores.plantillas``: el SQL de una forma de consulta se compila una vez por versión de los datos y da
las mismas filas, con los mismos tipos, que la expresión Ibis de siempre."""

import threading
from concurrent.futures import ThreadPoolExecutor
from datetime import date

import ibis
import pandas as pd
import pytest

from analisis import alertas
from datos.almacen.derivados import registrar_escritura
from datos.almacen.transaccion import transaccion
from datos.consultas import resumen as consultas_resumen
from datos.consultas import tendencias as consultas_tendencias
from datos.consultas.filtros import Filtros, con_alcance
from datos.motores import plantillas
from datos.motores.motor import Motor

PERIODO = dict(desde=date(2026, 7, 1), hasta=date(2026, 9, 30))

#: Filtros de la misma forma (un canal, un tipo de cliente), que deben dar cifras distintas.
MISMA_FORMA = [Filtros(**PERIODO, canales=("Chat",), tipos_cliente=("externo",)),
               Filtros(**PERIODO, canales=("Correo",), tipos_cliente=("interno",))]
#: Los primeros filtros con el alcance de dos cuentas distintas (otra forma: una sucursal más).
CON_ALCANCE = [con_alcance(MISMA_FORMA[0], sucursales=(sucursal,), equipos=())
               for sucursal in ("Sucursal Norte", "Sucursal Centro")]

#: Las consultas de un cambio de filtro del resumen.
CONSULTAS_DEL_RESUMEN = [consultas_resumen.resumen_encuestas, consultas_resumen.resumen_interacciones,
                         consultas_resumen.serie_encuestas, consultas_resumen.serie_interacciones]


@pytest.fixture
def demo(demo_compartida):
    """El almacén de demostración compartido (solo lectura)."""
    return demo_compartida(0.3)


def _ordenada(tabla: pd.DataFrame) -> pd.DataFrame:
    """``tabla`` en un orden fijo (las consultas agrupadas no fijan el orden de sus filas)."""
    return tabla.sort_values(list(tabla.columns)).reset_index(drop=True)


def _contar_compilaciones(monkeypatch) -> list:
    """Anota cada compilación de una plantilla (cada forma nueva se compila con dos juegos de marcadores)."""
    compiladas, original = [], plantillas.Plantillas._compilar

    def contando(self, con, funcion, argumentos):
        compiladas.append(funcion)
        return original(self, con, funcion, argumentos)

    monkeypatch.setattr(plantillas.Plantillas, "_compilar", contando)
    return compiladas


@pytest.mark.parametrize("consulta", CONSULTAS_DEL_RESUMEN)
def test_misma_forma_mismas_cifras_que_ibis_y_una_sola_compilacion(demo, consulta, monkeypatch):
    compiladas = _contar_compilaciones(monkeypatch)
    motor, version = Motor(demo), demo.version_datos()
    for filtros in MISMA_FORMA + CON_ALCANCE:
        esperado = _ordenada(consulta(demo.ibis(), filtros).to_pandas())
        pd.testing.assert_frame_equal(_ordenada(motor.consultar(consulta, filtros, version=version)), esperado)
    assert compiladas == [consulta, consulta]  # una compilación por forma: sin alcance y con una sucursal
    cifras = [_ordenada(motor.consultar(consulta, filtros, version=version)) for filtros in MISMA_FORMA + CON_ALCANCE]
    assert len(compiladas) == 2
    assert not cifras[0].equals(cifras[1]) and not cifras[2].equals(cifras[3])  # los valores y el alcance se enlazan
    assert not cifras[0].equals(cifras[2])


def test_las_consultas_del_resumen_admiten_plantilla(demo):
    """Si una consulta del resumen dejara de admitir plantilla, cada cambio de filtro volvería a compilarla."""
    guardadas, filtros = plantillas.Plantillas(), MISMA_FORMA[0]
    pedidos = alertas.pedidos(alertas.reglas_desde_tabla(consultas_tendencias.reglas_alerta(demo.ibis()).to_pandas()),
                              filtros)
    casos = [(consulta, (filtros,)) for consulta in CONSULTAS_DEL_RESUMEN]
    casos += [(consultas_tendencias.datos_de_alerta, (pedido,)) for pedido in pedidos.values()]
    assert pedidos
    for consulta, argumentos in casos:
        assert guardadas._plantilla(demo.ibis(), consulta, argumentos, 1) is not None, consulta.__qualname__


def test_otra_version_de_los_datos_vuelve_a_compilar(demo_nueva, monkeypatch):
    compiladas = _contar_compilaciones(monkeypatch)
    almacen = demo_nueva(0.3)
    motor, filtros = Motor(almacen), MISMA_FORMA[0]
    antes = motor.consultar(consultas_resumen.resumen_encuestas, filtros, version=almacen.version_datos())
    cursor = almacen.cursor()
    with transaccion(cursor):
        cursor.execute("UPDATE encuestas SET csat = 1 WHERE csat IS NOT NULL")
        registrar_escritura(cursor)
    despues = motor.consultar(consultas_resumen.resumen_encuestas, filtros, version=almacen.version_datos())
    assert len(compiladas) == 2
    pd.testing.assert_frame_equal(_ordenada(despues),
                                  _ordenada(consultas_resumen.resumen_encuestas(almacen.ibis(), filtros).to_pandas()))
    assert not _ordenada(despues).equals(_ordenada(antes))


def _trozo_del_canal(con, filtros):
    """Una consulta que usa en Python un trozo del texto del filtro (no solo el texto entero, en SQL)."""
    t = con.table("interacciones")
    elegidas = t.filter(t.canal == filtros.canales[0])
    return elegidas.aggregate(n=elegidas.count(), inicio=ibis.literal(filtros.canales[0][:3]))


def test_un_texto_usado_en_python_no_se_convierte_en_parametro(demo):
    """Su SQL difiere entre los dos juegos de marcadores: se ejecuta por Ibis (sin plantilla), con el valor correcto."""
    guardadas = plantillas.Plantillas()
    assert guardadas._plantilla(demo.ibis(), _trozo_del_canal, (MISMA_FORMA[0],), 1) is None
    for canal in ("Chat", "Correo"):
        filtros = Filtros(canales=(canal,))
        resultado = guardadas.consultar(demo.ibis(), _trozo_del_canal, (filtros,), version=1)
        assert resultado["inicio"].tolist() == [canal[:3]]
        assert resultado.equals(_trozo_del_canal(demo.ibis(), filtros).to_pandas())


def test_varias_sesiones_a_la_vez_compilan_una_forma_una_sola_vez(demo, monkeypatch):
    """Seis hilos (seis sesiones) piden a la vez la misma forma con valores distintos: una compilación, y cada
    uno recibe las cifras de sus propios filtros."""
    compiladas = _contar_compilaciones(monkeypatch)
    motor, version, barrera = Motor(demo), demo.version_datos(), threading.Barrier(6)
    canales = ("Chat", "Correo", "Teléfono", "Presencial", "WhatsApp", "Chat")

    def pedir(canal):
        barrera.wait()
        filtros = Filtros(**PERIODO, canales=(canal,))
        return canal, motor.consultar(consultas_resumen.resumen_interacciones, filtros, version=version)

    with ThreadPoolExecutor(6) as hilos:
        resultados = list(hilos.map(pedir, canales))
    assert compiladas == [consultas_resumen.resumen_interacciones]
    for canal, resultado in resultados:
        esperado = consultas_resumen.resumen_interacciones(demo.ibis(), Filtros(**PERIODO, canales=(canal,)))
        pd.testing.assert_frame_equal(_ordenada(resultado), _ordenada(esperado.to_pandas()))
