"""El precálculo de las vistas por defecto: igual que calcular de cero, por alcance, invalidado por cada escritura,
y hecho antes de la primera visita tras una carga."""

import functools
import secrets
from dataclasses import replace
from datetime import date, datetime, timedelta

import pandas as pd
import pytest

from analisis import competencias, perfiles
from datos.almacen.derivados import registrar_escritura
from datos.almacen.transaccion import transaccion
from datos.consultas import resumen as consultas_resumen
from datos.consultas.filtros import Filtros, con_alcance, ventana_de_meses
from datos.avisos import cifras
from datos.cuentas.usuarios import Usuario, crear_usuario
from datos.ingesta import historial
from datos.ingesta.carga import cargar_archivo
from datos.motores import plantillas
from datos.motores.motor import Motor
from datos.precalculo import RESULTADOS, Contexto, Resultados, calculos
from datos.precalculo.precalculador import Estado, Pasada, consultor, describir, precalcular, tiempos
from datos.precalculo import vistas
from datos.precalculo.vistas import UMBRAL_SESGO, VISTAS, Umbrales, periodo_por_defecto
from tests import ARCHIVOS

NORTE = ("Sucursal Norte",)


def _vista_por_defecto(almacen, motor, alcance: Filtros, resultados: Resultados | None = None):
    """Contexto de la versión actual y los argumentos de la vista por defecto de Perfiles, Cadena y Brechas."""
    contexto = Contexto(almacen.ruta, almacen.version_datos(), alcance, consultor(motor), resultados)
    umbrales = Umbrales.leer(contexto)
    periodo = periodo_por_defecto(contexto.consultar(consultas_resumen.rango_de_fechas))
    filtros = replace(alcance, desde=periodo[2], hasta=periodo[3])
    canales = tuple(contexto.consultar(consultas_resumen.valores_de_filtro, "canal")["valor"])
    variables = tuple(v for v in perfiles.PREDETERMINADAS if v in perfiles.variables_cliente(canales))
    return contexto, {
        "perfiles": (calculos.perfiles_clientes, replace(filtros, desde=None, hasta=None), canales, variables, None),
        "clientes": (calculos.clientes_perfiles, replace(filtros, desde=None, hasta=None), canales),
        "temas": (calculos.temas_comentarios, None),
        "acuerdo": (calculos.acuerdo_auditores, ventana_de_meses(filtros, 12), cifras.ESCALAS),
        "tablas": (calculos.tablas_brechas, ventana_de_meses(filtros, 12), cifras.ESCALAS, "agente",
                   next(iter(competencias.RESULTADOS)), umbrales.auditorias),
        "sesgos": (calculos.sesgos_auditores, ventana_de_meses(filtros, 12), cifras.ESCALAS, UMBRAL_SESGO,
                   umbrales.auditorias),
    }


def test_precalculado_igual_a_calculado_de_cero_y_por_alcance(demo_nueva):
    almacen = demo_nueva()
    crear_usuario(almacen.cursor(), "norte", secrets.token_urlsafe(16), "calidad", sucursales=NORTE, autor="pruebas")
    motor = Motor(almacen)
    pasada = precalcular(almacen, motor)
    assert "2 alcances" in pasada.texto and pasada.alcances == 2
    assert set(pasada.segundos) == set(VISTAS) and all(s > 0 for s in pasada.segundos.values())
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
        _igual_tablas_brechas(RESULTADOS.obtener(guardado, *pedidos["tablas"]), de_cero.calculado(*pedidos["tablas"]))
        for nombre in ("clientes", "sesgos"):
            clientes.setdefault(nombre, {})[alcance] = RESULTADOS.obtener(guardado, *pedidos[nombre])
        pd.testing.assert_frame_equal(clientes["sesgos"][alcance].texto, de_cero.calculado(*pedidos["sesgos"]).texto)
    toda, norte = clientes["clientes"].values()
    assert 0 < len(norte) < len(toda)  # la cuenta de una sucursal tiene sus propios clientes, no los de todos
    toda, norte = (tabla.datos for tabla in clientes["sesgos"].values())
    assert not toda.equals(norte)  # y sus propios auditores comparados


def _igual_tablas_brechas(guardadas: calculos.TablasBrechas, nuevas: calculos.TablasBrechas) -> None:
    """Las tablas precalculadas de «Brechas» son las de un cálculo de cero (mapa, textos y plan)."""
    assert len(guardadas.brechas) > 0 and guardadas.mapa.grupos == nuevas.mapa.grupos
    pd.testing.assert_frame_equal(guardadas.mapa.brecha, nuevas.mapa.brecha)
    for tabla in ("brechas", "prioridades", "sesiones", "necesidades"):
        pd.testing.assert_frame_equal(getattr(guardadas, tabla), getattr(nuevas, tabla))


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
    yield abrir()
    from paginas import comun  # noqa: PLC0415

    comun.en_marcha().precalculador.detener()  # su hilo no sigue leyendo un almacén que la prueba ya no usa


PESADOS = (("analisis.perfiles", "perfilar"), ("analisis.cadena", "analizar_resultado"),
           ("analisis.cadena", "comparar_resultado"), ("analisis.comentarios", "temas"),
           ("analisis.comentarios", "entrenar_desde_encuestas"), ("analisis.comentarios", "asignar"),
           ("analisis.competencias", "acuerdo_auditores"), ("analisis.competencias", "brechas"),
           ("analisis.capacitacion", "progreso"), ("analisis.capacitacion", "sesgo_auditores"),
           ("analisis.capacitacion", "plan_capacitacion"), ("analisis.informes", "texto_brechas"))


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
    cifra = calculos._cifra  # tarjetas y alertas: la misma identidad (módulo y nombre) para que la clave no cambie
    monkeypatch.setattr(calculos, "_cifra", functools.wraps(cifra)(
        lambda contexto, funcion, *a: llamadas.append(funcion.__name__) or cifra(contexto, funcion, *a)))
    ejecutadas, ejecutar = [], comun._ejecutar  # consultas que la página ejecuta en el motor (no halla guardadas)
    monkeypatch.setattr(comun, "_ejecutar", lambda funcion, *a, **k: ejecutadas.append(funcion.__name__)
                        or ejecutar(funcion, *a, **k))
    at = app_con_precalculo
    for pagina in ("resumen", "tendencias", "cadena", "perfiles", "comentarios", "brechas", "realimentacion"):
        at.switch_page(f"paginas/{pagina}.py").run()
        sin_errores(at)
        assert llamadas == [], f"{pagina} calculó {llamadas} en la primera visita"
        if pagina == "resumen":  # la barra lateral y las metas de las minitendencias las trajo el precálculo
            assert not {"valores_de_filtro", "metas_de_minitendencias", "rango_de_fechas"} & set(ejecutadas), ejecutadas
    at.switch_page("paginas/perfiles.py").run()
    at.selectbox(key="k_perfiles").set_value(3).run()
    sin_errores(at)
    assert "perfilar" in llamadas  # otra elección sí se calcula (y así se comprueba que el recuento funciona)
    estado = en_marcha.precalculador.estado
    assert (estado.estado, estado.version, estado.ultima.version) == ("al día",) + (almacen.version_datos(),) * 2
    at.switch_page("paginas/operacion.py").run()
    sin_errores(at)
    assert any(t.value.startswith(f"Al día: la versión {almacen.version_datos()} de los datos") for t in at.text)
    assert list(at.dataframe[-1].value["Página"]) == list(VISTAS)


def test_el_estado_del_precalculo_se_lee_en_espanol():
    inicio = datetime(2026, 10, 31, 14, 5)
    pasada = Pasada(7, 2, {"Comentarios": 12.2, "Brechas de habilidades": 3.0})
    hecho = Estado("al día", 7, inicio, inicio + timedelta(seconds=1234), pasada)
    assert describir(hecho) == ("Al día: la versión 7 de los datos quedó precalculada el 31/10/2026 14:25, en 1.234 s "
                                "(empezó el 31/10/2026 14:05).")
    assert describir(Estado("en curso", 8, inicio)) == ("En curso desde el 31/10/2026 14:05: calculando la versión 8 "
                                                        "de los datos.")
    assert "Falló el 31/10/2026 14:05" in describir(Estado("falló", 8, inicio, inicio, pasada, "sin memoria"))
    assert list(tiempos(pasada)["Segundos"]) == ["12,2", "3,0"]
    assert pasada.texto == "2 vistas precalculadas para 2 alcances (versión 7 de los datos)"
    assert replace(pasada, alcances=1).texto == "2 vistas precalculadas para 1 alcance (versión 7 de los datos)"


def _cambios_de_filtro_sin_compilar(at, compiladas: list) -> None:
    """En la página abierta en ``at``, elige un valor (el último) en cada filtro de la barra lateral, de uno en uno,
    y comprueba que ninguna consulta se compiló; deja los filtros vacíos."""
    from tests.apptest import sin_errores  # noqa: PLC0415

    for etiqueta in ("Canal", "Sucursal", "Tipo de cliente", "Equipo"):
        selector = next(m for m in at.sidebar.multiselect if m.label == etiqueta)
        if selector.value or len(selector.options) < 2:
            continue  # un alcance de una sola sucursal ya la tiene elegida: la forma no cambia
        ultimo = selector.options[-1]
        selector.select(ultimo).run()
        sin_errores(at)
        assert compiladas == [], f"{etiqueta} = {ultimo} compiló {compiladas}"
        next(m for m in at.sidebar.multiselect if m.label == etiqueta).unselect(ultimo).run()


def test_tras_el_precalculo_el_primer_cambio_de_filtro_del_resumen_no_compila(app_con_precalculo, monkeypatch):
    """El precálculo compila, en cada alcance, las consultas del resumen por defecto y con un valor elegido en cada
    filtro (``vista_resumen``): después, en la página de verdad, abrir el resumen y elegir otro valor en cualquier
    filtro (la forma ya compilada) no compilan sus lecturas, ni para la administradora ni para una cuenta de una
    sucursal; una forma nueva (dos canales) sí."""
    from paginas import comun  # noqa: PLC0415
    from tests.apptest import abrir  # noqa: PLC0415

    en_marcha, almacen = comun.en_marcha(), comun.almacen()
    norte = Usuario("norte", "Norte", "calidad", sucursales=NORTE)
    crear_usuario(almacen.cursor(), norte.usuario, secrets.token_urlsafe(16), norte.rol, nombre=norte.nombre,
                  sucursales=norte.sucursales, autor="pruebas")
    cursor = almacen.cursor()
    with transaccion(cursor):  # una escritura: el precálculo vuelve a empezar, ya con las dos cuentas
        registrar_escritura(cursor)
    assert en_marcha.precalculador.esperar(almacen.version_datos(), 600)
    assert en_marcha.precalculador.estado.ultima.alcances == 2
    compiladas, original = [], plantillas.Plantillas._compilar
    monkeypatch.setattr(plantillas.Plantillas, "_compilar", lambda self, con, funcion, argumentos: (
        compiladas.append(funcion.__name__), original(self, con, funcion, argumentos))[1])
    administradora, de_norte = app_con_precalculo.run(), abrir(usuario=norte)
    # la primera visita tras la escritura tampoco compila las lecturas del resumen (sí otras, p. ej. las fechas)
    assert not {"resumen_encuestas", "datos_de_alerta", "metas_de_minitendencias"} & set(compiladas), compiladas
    compiladas.clear()
    for at in (administradora, de_norte):
        _cambios_de_filtro_sin_compilar(at, compiladas)
    canal = next(m for m in administradora.sidebar.multiselect if m.label == "Canal")
    canal.select(canal.options[0]).select(canal.options[1]).run()
    assert "resumen_encuestas" in compiladas


def test_las_paginas_de_analisis_de_todos_los_alcances_van_antes_que_el_resumen(demo_nueva, monkeypatch):
    """Tras una escritura, la primera visita de una página de análisis espera a su precálculo y la del resumen no:
    el precálculo hace primero las páginas de análisis de cada alcance y luego el primer cambio de filtro del resumen."""
    almacen = demo_nueva()
    crear_usuario(almacen.cursor(), "norte", secrets.token_urlsafe(16), "calidad", sucursales=NORTE, autor="pruebas")
    hechas = []
    for nombre in list(vistas.VISTAS):
        monkeypatch.setitem(vistas.VISTAS, nombre,
                            lambda contexto, filtros, umbrales, nombre=nombre: hechas.append((nombre, contexto.alcance)))
    precalcular(almacen, Motor(almacen))
    resumen = "Resumen ejecutivo (primer cambio de filtro)"
    assert len(hechas) == 2 * len(vistas.VISTAS)
    assert [nombre for nombre, _ in hechas[-2:]] == [resumen, resumen]
    assert {alcance for nombre, alcance in hechas[:-2]} == {Filtros(), con_alcance(Filtros(), sucursales=NORTE)}
