"""El precálculo de las vistas por defecto: igual que calcular de cero, por alcance, invalidado por cada escritura,
y hecho antes de la primera visita tras una carga."""

import secrets
from dataclasses import replace
from datetime import date

import pandas as pd
import pytest

from analisis import perfiles
from datos.consultas import resumen as consultas_resumen
from datos.consultas.filtros import Filtros, con_alcance, ventana_de_meses
from datos.avisos import cifras
from datos.cuentas.usuarios import crear_usuario
from datos.ingesta import historial
from datos.ingesta.carga import cargar_archivo
from datos.motores.motor import Motor
from datos.precalculo import RESULTADOS, Contexto, Resultados, calculos
from datos.precalculo.precalculador import consultor, precalcular
from datos.precalculo.vistas import periodo_por_defecto
from tests import ARCHIVOS

NORTE = ("Sucursal Norte",)


def _vista_por_defecto(almacen, motor, alcance: Filtros, resultados: Resultados | None = None):
    """Contexto de la versión actual y los argumentos de la vista por defecto de Perfiles, Cadena y Brechas."""
    contexto = Contexto(almacen.ruta, almacen.version_datos(), alcance, consultor(motor), resultados)
    periodo = periodo_por_defecto(contexto.consultar(consultas_resumen.rango_de_fechas))
    filtros = replace(alcance, desde=periodo[2], hasta=periodo[3])
    canales = tuple(contexto.consultar(consultas_resumen.valores_de_filtro, "canal")["valor"])
    variables = tuple(v for v in perfiles.PREDETERMINADAS if v in perfiles.variables_cliente(canales))
    return contexto, {
        "perfiles": (calculos.perfiles_clientes, replace(filtros, desde=None, hasta=None), canales, variables, None),
        "clientes": (calculos.clientes_perfiles, replace(filtros, desde=None, hasta=None), canales),
        "temas": (calculos.temas_comentarios, None),
        "acuerdo": (calculos.acuerdo_auditores, ventana_de_meses(filtros, 12), cifras.ESCALAS),
    }


def test_precalculado_igual_a_calculado_de_cero_y_por_alcance(demo_nueva):
    almacen = demo_nueva()
    crear_usuario(almacen.cursor(), "norte", secrets.token_urlsafe(16), "calidad", sucursales=NORTE, autor="pruebas")
    motor = Motor(almacen)
    assert "2 alcances" in precalcular(almacen, motor)
    clientes = {}
    for alcance in (Filtros(), con_alcance(Filtros(), sucursales=NORTE)):
        guardado, pedidos = _vista_por_defecto(almacen, motor, alcance)
        de_cero, _ = _vista_por_defecto(almacen, motor, alcance, Resultados())
        for calculo, *argumentos in pedidos.values():
            assert RESULTADOS.tiene(guardado, calculo, *argumentos), calculo.__name__
        calculo, *argumentos = pedidos["perfiles"]
        hecho, nuevo = RESULTADOS.obtener(guardado, calculo, *argumentos), de_cero.calculado(calculo, *argumentos)
        assert hecho.k == nuevo.k and (hecho.etiquetas == nuevo.etiquetas).all()
        calculo, *argumentos = pedidos["temas"]
        assert RESULTADOS.obtener(guardado, calculo, *argumentos).nombres == de_cero.calculado(calculo, *argumentos).nombres
        calculo, *argumentos = pedidos["acuerdo"]
        pd.testing.assert_frame_equal(RESULTADOS.obtener(guardado, calculo, *argumentos),
                                      de_cero.calculado(calculo, *argumentos))
        calculo, *argumentos = pedidos["clientes"]
        clientes[alcance] = RESULTADOS.obtener(guardado, calculo, *argumentos)
    toda, norte = clientes.values()
    assert 0 < len(norte) < len(toda)  # la cuenta de una sucursal tiene sus propios clientes, no los de todos


def _recien_precalculado(almacen, motor) -> tuple[Contexto, dict]:
    """Precalcula y devuelve el contexto y los pedidos de la vista por defecto de toda la organización."""
    precalcular(almacen, motor)
    contexto, pedidos = _vista_por_defecto(almacen, motor, Filtros())
    assert RESULTADOS.tiene(contexto, *pedidos["perfiles"])
    return contexto, pedidos


def test_una_carga_y_deshacerla_invalidan_lo_precalculado(demo_nueva):
    almacen = demo_nueva()
    motor = Motor(almacen)
    antes, pedidos_antes = _recien_precalculado(almacen, motor)
    cargar_archivo(almacen.cursor(), ARCHIVOS / "encuestas_resenas_restaurante.csv", "encuestas", solo_validas=True,
                   hoy=date(2026, 11, 1))
    for escritura in ("carga", "deshacer"):
        despues, pedidos = _vista_por_defecto(almacen, motor, Filtros())
        assert despues.version > antes.version, escritura
        assert not RESULTADOS.tiene(despues, *pedidos["perfiles"]), escritura  # nada viejo sirve para lo nuevo
        antes, pedidos_antes = _recien_precalculado(almacen, motor)
        ultima = int(historial.historial(almacen.cursor())["carga_id"].max())
        historial.deshacer(almacen.cursor(), ultima, usuario="pruebas") if escritura == "carga" else None
    assert not RESULTADOS.tiene(replace(antes, version=antes.version - 1), *pedidos_antes["temas"])


@pytest.fixture
def app_con_precalculo(base_demo, monkeypatch):
    """La app abierta sobre la demostración con el precálculo de fondo encendido."""
    from tests.apptest import abrir  # noqa: PLC0415 - después de fijar ESLABON_PRECALCULO

    monkeypatch.setenv("ESLABON_PRECALCULO", "si")
    return abrir()


PESADOS = (("analisis.perfiles", "perfilar"), ("analisis.cadena", "analizar_resultado"),
           ("analisis.cadena", "comparar_resultado"), ("analisis.comentarios", "temas"),
           ("analisis.comentarios", "entrenar_desde_encuestas"), ("analisis.comentarios", "asignar"),
           ("analisis.competencias", "acuerdo_auditores"), ("analisis.competencias", "brechas"))


def test_tras_una_carga_la_primera_visita_no_calcula(app_con_precalculo, monkeypatch):
    from paginas import comun  # noqa: PLC0415
    from tests.apptest import sin_errores  # noqa: PLC0415
    import importlib  # noqa: PLC0415

    en_marcha, almacen = comun.en_marcha(), comun.almacen()
    assert en_marcha.precalculador.esperar(almacen.version_datos(), 600)
    cargar_archivo(almacen.cursor(), ARCHIVOS / "encuestas_resenas_restaurante.csv", "encuestas", solo_validas=True,
                   hoy=date(2026, 11, 1))
    assert en_marcha.precalculador.esperar(almacen.version_datos(), 600)
    llamadas = []
    for modulo, nombre in PESADOS:
        original = getattr(importlib.import_module(modulo), nombre)
        monkeypatch.setattr(f"{modulo}.{nombre}",
                            lambda *a, _n=nombre, _o=original, **k: llamadas.append(_n) or _o(*a, **k))
    at = app_con_precalculo
    for pagina in ("cadena", "perfiles", "comentarios", "brechas"):
        at.switch_page(f"paginas/{pagina}.py").run()
        sin_errores(at)
        assert llamadas == [], f"{pagina} calculó {llamadas} en la primera visita"
    at.switch_page("paginas/perfiles.py").run()
    at.selectbox(key="k_perfiles").set_value(3).run()
    sin_errores(at)
    assert "perfilar" in llamadas  # otra elección sí se calcula (y así se comprueba que el recuento funciona)
