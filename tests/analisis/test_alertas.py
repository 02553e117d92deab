"""Reglas de alerta: validación, evaluación con datos conocidos, guardado y la caída sembrada de la demostración."""

from datetime import date, timedelta

import pandas as pd
import pytest

from analisis import alertas
from analisis.alertas import Regla
from datos import demo
from datos.consultas import resumen as consultas_resumen
from datos.consultas import tendencias as consultas_tendencias
from datos.almacen.conexion import Almacen
from datos.consultas.filtros import Filtros
from analisis.errores import ReglaNoValida
from datos.almacen.esquema import REGLAS_PREDETERMINADAS
from datos.ajustes.reglas import guardar_reglas

METAS = pd.DataFrame({"kpi": ["promesa", "respuesta_mediana"], "meta": [0.90, 15.0], "sentido": ["mayor", "menor"]})
FILTROS = Filtros(date(2026, 3, 1), date(2026, 3, 28))


def _comparacion(filas: list[tuple[str, str, int, int]]) -> pd.DataFrame:
    """Tabla como comparacion_interacciones con (periodo, grupo, promesa cumplida, n)."""
    return pd.DataFrame([{"periodo": p, "grupo": g, "promesa_cumplida": c, "n_promesa": n} for p, g, c, n in filas])


def _obtener(tabla: pd.DataFrame, pedidos: list):
    """Función ``obtener`` falsa: anota qué ``Pedido`` se hizo y devuelve siempre ``tabla``."""
    def obtener(pedido):
        pedidos.append(pedido)
        return tabla
    return obtener


def _datos(reglas: list, obtener, filtros) -> dict:
    """Lo que la página trae para cada ``Pedido`` de las reglas, aquí con la función ``obtener`` de la prueba."""
    return {regla: obtener(pedido) for regla, pedido in alertas.pedidos(reglas, filtros).items()}


def _evaluar(reglas: list, obtener, filtros, **opciones) -> list:
    """``alertas.evaluar`` con los datos que ``obtener`` da para cada pedido, como hace la página."""
    return alertas.evaluar(_datos(reglas, obtener, filtros), filtros, **opciones)


def _evaluar_reglas(reglas: list, obtener, filtros, **opciones):
    """``alertas.evaluar_reglas`` con los datos que ``obtener`` da para cada pedido."""
    return alertas.evaluar_reglas(_datos(reglas, obtener, filtros), filtros, **opciones)


def test_bajo_meta_con_gravedad_segun_el_intervalo():
    tabla = _comparacion([("actual", "Norte", 700, 1000), ("actual", "Sur", 88, 100), ("actual", "Este", 95, 100),
                          ("actual", "Oeste", 5, 10)])
    pedidos = []
    lista = _evaluar([Regla(1, "bajo_meta", "promesa", "sucursal", 28)], _obtener(tabla, pedidos), FILTROS,
                            metas=METAS, muestra_minima=30)
    assert [(a.grupo, a.gravedad) for a in lista] == [("Norte", "alta"), ("Sur", "media")]
    assert lista[0].texto.startswith("El cumplimiento de la promesa de Norte de los últimos 28 días es 70,0 %, "
                                     "por debajo de la meta de 90,0 %")
    pedido = pedidos[0]
    assert (pedido.forma, pedido.origen) == ("comparacion", "interacciones") and pedido.desglose == "sucursal"
    assert (pedido.filtros.desde, pedido.filtros.hasta) == (date(2026, 3, 1), date(2026, 3, 28))


def test_el_umbral_de_privacidad_calla_a_los_grupos_pequenos_aunque_la_muestra_minima_sea_menor():
    tabla = _comparacion([("actual", "Norte", 70, 100), ("actual", "Oeste", 2, 8)])
    regla = [Regla(1, "bajo_meta", "promesa", "sucursal", 28)]
    sin_umbral = _evaluar_reglas(regla, _obtener(tabla, []), FILTROS, metas=METAS, muestra_minima=5)
    assert [a.grupo for a in sin_umbral.alertas] == ["Norte", "Oeste"] and sin_umbral.evaluados == 2
    con_umbral = _evaluar_reglas(regla, _obtener(tabla, []), FILTROS, metas=METAS, muestra_minima=5,
                                        privacidad=10)
    assert [a.grupo for a in con_umbral.alertas] == ["Norte"] and con_umbral.evaluados == 1


def test_sin_datos_no_se_evalua_ningun_grupo():
    vacia = _comparacion([("actual", "Total", 0, 0)])
    evaluacion = _evaluar_reglas([Regla(1, "bajo_meta", "promesa")], _obtener(vacia, []), FILTROS,
                                        metas=METAS, muestra_minima=30)
    assert evaluacion.alertas == [] and evaluacion.evaluados == 0
    bien = _comparacion([("actual", "Total", 95, 100)])
    evaluacion = _evaluar_reglas([Regla(1, "bajo_meta", "promesa")], _obtener(bien, []), FILTROS,
                                        metas=METAS, muestra_minima=30)
    assert evaluacion.alertas == [] and evaluacion.evaluados == 1


def test_sin_meta_no_hay_alerta_de_meta():
    tabla = _comparacion([("actual", "Total", 10, 100)])
    assert _evaluar([Regla(1, "bajo_meta", "fcr")], _obtener(tabla, []), FILTROS, metas=METAS,
                           muestra_minima=30) == []


def test_caida_significativa_solo_a_peor():
    tabla = _comparacion([("actual", "Norte", 60, 100), ("anterior", "Norte", 90, 100),
                          ("actual", "Sur", 95, 100), ("anterior", "Sur", 80, 100),
                          ("actual", "Este", 86, 100), ("anterior", "Este", 88, 100)])
    lista = _evaluar([Regla(1, "caida_significativa", "promesa", "sucursal", 14, 0.05)],
                            _obtener(tabla, []), FILTROS, metas=METAS, muestra_minima=30)
    assert [a.grupo for a in lista] == ["Norte"]
    assert lista[0].gravedad == "alta" and lista[0].p < 0.001
    assert "bajó 30,0 puntos porcentuales en los últimos 14 días frente a los 14 anteriores" in lista[0].texto


def test_punto_de_cambio_reciente_y_a_peor():
    lunes = [date(2026, 3, 30) - timedelta(weeks=k) for k in range(20, 0, -1)]
    filas = [{"periodo": d, "grupo": "Total", "promesa_cumplida": 60 if d >= date(2026, 3, 2) else 90,
              "n_promesa": 100} for d in lunes]
    serie = pd.DataFrame(filas)
    pedidos = []
    filtros = Filtros(date(2026, 3, 1), date(2026, 3, 29))
    lista = _evaluar([Regla(1, "punto_de_cambio", "promesa", None, 60)], _obtener(serie, pedidos), filtros,
                            metas=METAS, muestra_minima=30)
    assert len(lista) == 1 and lista[0].texto.startswith("El cumplimiento de la promesa bajó 30,0 puntos porcentuales "
                                                         "desde el 2 de marzo de 2026")
    pedido = pedidos[0]
    assert (pedido.forma, pedido.origen, pedido.periodicidad, pedido.desglose) == ("serie", "interacciones", "semana",
                                                                                  None)
    assert pedido.filtros.hasta - pedido.filtros.desde == timedelta(days=7 * alertas.SEMANAS_DE_SERIE - 1)
    viejo = _evaluar([Regla(1, "punto_de_cambio", "promesa", None, 7)], _obtener(serie, []), filtros,
                            metas=METAS, muestra_minima=30)
    assert viejo == []


def test_reglas_inactivas_y_sin_fecha_final():
    tabla = _comparacion([("actual", "Total", 10, 100)])
    inactiva = [Regla(1, "bajo_meta", "promesa", activa=False)]
    assert _evaluar(inactiva, _obtener(tabla, []), FILTROS, metas=METAS, muestra_minima=30) == []
    assert _evaluar([Regla(1, "bajo_meta", "promesa")], _obtener(tabla, []), Filtros(), metas=METAS,
                           muestra_minima=30) == []
    with pytest.raises(ValueError, match="'muestra_minima'"):
        _evaluar([], _obtener(tabla, []), FILTROS, metas=METAS, muestra_minima=0)


def test_validar_reglas():
    tabla = pd.DataFrame([
        {"tipo": "bajo_meta", "kpi": "nps", "desglose": None, "dias": 28, "alfa": 0.05, "activa": True},
        {"tipo": None, "kpi": None, "desglose": None, "dias": None, "alfa": None, "activa": None},
        {"tipo": "punto_de_cambio", "kpi": "promesa", "desglose": "sucursal", "dias": 60.0, "alfa": 0.01,
         "activa": False},
    ])
    reglas = alertas.validar_reglas(tabla)
    assert reglas == [Regla(1, "bajo_meta", "nps", None, 28, 0.05, True),
                      Regla(2, "punto_de_cambio", "promesa", "sucursal", 60, 0.01, False)]


@pytest.mark.parametrize("cambio, mensaje", [
    ({"tipo": "otro"}, "Regla 1: elija el tipo"),
    ({"kpi": None}, "Regla 1: elija el indicador"),
    ({"desglose": "color"}, "el desglose debe ser"),
    ({"dias": 3}, "entre 7 y 365"),
    ({"alfa": 0.7}, "nivel de significancia"),
])
def test_reglas_invalidas(cambio, mensaje):
    fila = {"tipo": "bajo_meta", "kpi": "nps", "desglose": None, "dias": 28, "alfa": 0.05, "activa": True, **cambio}
    with pytest.raises(ReglaNoValida, match=mensaje):
        alertas.validar_reglas(pd.DataFrame([fila]))


def test_reglas_predeterminadas_y_guardado(almacen_memoria):
    con = almacen_memoria.ibis()
    guardadas = alertas.reglas_desde_tabla(consultas_tendencias.reglas_alerta(con).to_pandas())
    assert len(guardadas) == len(REGLAS_PREDETERMINADAS) and all(r.activa for r in guardadas)
    assert {r.tipo for r in guardadas} == set(alertas.TIPOS)
    version = almacen_memoria.version_datos()
    nuevas = [Regla(1, "caida_significativa", "nps", "canal", 14, 0.01, False)]
    assert guardar_reglas(almacen_memoria.cursor(), nuevas, autor="ana") == 1
    assert alertas.reglas_desde_tabla(consultas_tendencias.reglas_alerta(con).to_pandas()) == nuevas
    assert almacen_memoria.version_datos() == version + 1


def test_la_demo_alerta_de_la_caida_de_sucursal_norte():
    almacen = Almacen(":memory:")
    try:
        demo.cargar_demo(almacen.cursor(), escala=0.3)
        con = almacen.ibis()

        def obtener(pedido):
            return consultas_tendencias.datos_de_alerta(con, pedido).to_pandas()

        metas = consultas_resumen.metas(con).to_pandas()
        reglas = alertas.reglas_desde_tabla(consultas_tendencias.reglas_alerta(con).to_pandas())
        en_la_caida = _evaluar(reglas, obtener, Filtros(date(2026, 2, 1), date(2026, 3, 10)),
                                      metas=metas, muestra_minima=30)
        cambios = [a for a in en_la_caida if a.regla.tipo == "punto_de_cambio"]
        assert [(a.regla.kpi, a.grupo) for a in cambios] == [("promesa", demo.SUCURSAL_CAIDA)]
        assert "bajó" in cambios[0].texto and cambios[0].p < 0.05
        despues = _evaluar(reglas, obtener, Filtros(date(2026, 8, 1), date(2026, 10, 31)),
                                  metas=metas, muestra_minima=30)
        assert not [a for a in despues if a.regla.tipo == "punto_de_cambio"]
    finally:
        almacen.cerrar()


def test_el_alfa_de_las_reglas_se_lee_con_coma_y_sus_opciones_conservan_las_guardadas():
    assert [alertas.texto_alfa(a) for a in alertas.niveles_alfa([0.05, 0.025])] == \
        ["0,001", "0,01", "0,025", "0,05", "0,1"]
    assert "α 0,05," in alertas.describir_regla(alertas.Regla(1, "bajo_meta", "nps", None, 28, 0.05, True))
