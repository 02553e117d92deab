"""Esquema, migraciones y apertura del almacén."""

import threading

import duckdb
import pytest

from datos.almacen.conexion import Almacen, ruta_predeterminada
from analisis.errores import BaseDeDatosNoValida
from datos.almacen.esquema import COMPETENCIAS, MIGRACIONES, TABLAS_DE_DATOS, Migracion, migrar, version_esquema

TABLAS_CANONICAS = {"encuestas", "encuesta_etapas", "interacciones", "auditorias", "auditoria_competencias",
                    "clientes", "agentes", "cargas", "etapas", "metas", "competencias", "configuracion"}


def _tablas(con):
    return {fila[0] for fila in con.execute("SELECT table_name FROM information_schema.tables").fetchall()}


def test_crea_todas_las_tablas_del_modelo(con_memoria):
    assert TABLAS_CANONICAS <= _tablas(con_memoria)


def test_columnas_del_modelo_canonico(con_memoria):
    columnas = {fila[0] for fila in con_memoria.execute(
        "SELECT column_name FROM information_schema.columns WHERE table_name = 'interacciones'").fetchall()}
    assert {"interaccion_id", "fecha_inicio", "fecha_fin", "cliente_id", "agente_id", "canal", "motivo", "etapa",
            "tiempo_respuesta_min", "tiempo_resolucion_h", "resuelto", "escalado", "promesa_cumplida",
            "carga_id"} <= columnas


@pytest.mark.parametrize("tabla", TABLAS_DE_DATOS)
def test_cada_tabla_de_datos_apunta_a_su_carga(con_memoria, tabla):
    nulos = con_memoria.execute(
        "SELECT is_nullable FROM information_schema.columns WHERE table_name = ? AND column_name = 'carga_id'",
        [tabla]).fetchall()
    assert nulos == [("NO",)]


def test_migrar_es_idempotente():
    con = duckdb.connect()
    assert migrar(con) == [m.version for m in MIGRACIONES]
    assert migrar(con) == []
    assert version_esquema(con) == MIGRACIONES[-1].version
    assert con.execute("SELECT count(*) FROM competencias").fetchall()[0][0] == len(COMPETENCIAS) == 15
    assert con.execute("SELECT valor FROM configuracion WHERE clave = 'muestra_minima'").fetchall() == [("30",)]


def test_una_version_nueva_abre_un_archivo_viejo_sin_perder_datos(tmp_path):
    ruta = str(tmp_path / "viejo.duckdb")
    con = duckdb.connect(ruta)
    migrar(con, MIGRACIONES[:1])
    con.execute("INSERT INTO cargas (carga_id, tipo) VALUES (1, 'encuestas')")
    con.execute("INSERT INTO encuestas (respuesta_id, fecha, nps, carga_id) VALUES ('r1', '2026-01-02', 9, 1)")
    con.close()

    siguiente = Migracion(MIGRACIONES[-1].version + 1, "prueba: nueva columna",
                          ("ALTER TABLE encuestas ADD COLUMN idioma VARCHAR DEFAULT 'es'",))
    con = duckdb.connect(ruta)
    pendientes = sorted(m.version for m in MIGRACIONES[1:])
    assert migrar(con, MIGRACIONES + (siguiente,)) == pendientes + [siguiente.version]
    assert con.execute("SELECT respuesta_id, nps, idioma FROM encuestas").fetchall() == [("r1", 9.0, "es")]
    assert con.execute("SELECT count(*) FROM metas").fetchall()[0][0] > 0


def test_migracion_intermedia_anadida_despues_tambien_se_aplica():
    con = duckdb.connect()
    alta = Migracion(1001, "alta", ("CREATE TABLE alta (a INTEGER)",))
    migrar(con, MIGRACIONES + (alta,))
    intermedia = Migracion(1000, "intermedia", ("CREATE TABLE intermedia (a INTEGER)",))
    assert migrar(con, MIGRACIONES + (alta, intermedia)) == [1000]
    assert {"alta", "intermedia"} <= _tablas(con)


def test_migracion_fallida_no_deja_nada_a_medias():
    con = duckdb.connect()
    migrar(con)
    rota = Migracion(99, "rota", ("CREATE TABLE nueva (a INTEGER)", "SELECT * FROM tabla_que_no_existe"))
    with pytest.raises(duckdb.CatalogException):
        migrar(con, MIGRACIONES + (rota,))
    assert "nueva" not in _tablas(con)
    assert version_esquema(con) == MIGRACIONES[-1].version


def test_archivo_de_una_version_mas_nueva_se_rechaza():
    con = duckdb.connect()
    migrar(con)
    con.execute("INSERT INTO esquema_version (version, descripcion) VALUES (999, 'futuro')")
    with pytest.raises(BaseDeDatosNoValida, match="más nueva"):
        migrar(con)


def test_ruta_desde_variable_de_entorno(monkeypatch, tmp_path):
    monkeypatch.setenv("ESLABON_DB", str(tmp_path / "x.duckdb"))
    assert ruta_predeterminada() == str(tmp_path / "x.duckdb")
    monkeypatch.delenv("ESLABON_DB")
    assert ruta_predeterminada().endswith("eslabon.duckdb")


def test_reabrir_el_archivo_no_cambia_nada(tmp_path):
    ruta = str(tmp_path / "a.duckdb")
    Almacen(ruta).cerrar()
    almacen = Almacen(ruta)
    assert almacen.cursor().execute("SELECT count(*) FROM esquema_version").fetchall()[0][0] == len(MIGRACIONES)
    assert almacen.esta_vacio()
    almacen.cerrar()


def test_un_cursor_y_un_backend_por_hilo(almacen_memoria):
    vistos = {}

    def trabajar(nombre):
        vistos[nombre] = (almacen_memoria.cursor(), almacen_memoria.ibis(),
                          almacen_memoria.ibis().table("metas").count().execute())

    hilos = [threading.Thread(target=trabajar, args=(i,)) for i in range(4)]
    for hilo in hilos:
        hilo.start()
    for hilo in hilos:
        hilo.join()
    cursores = {id(v[0]) for v in vistos.values()}
    assert len(cursores) == 4
    metas = almacen_memoria.cursor().execute("SELECT count(*) FROM metas").fetchall()[0][0]
    assert metas > 0 and {v[2] for v in vistos.values()} == {metas}
    assert almacen_memoria.cursor() is almacen_memoria.cursor()


def test_deshacer_la_demo_deja_el_almacen_vacio_y_se_puede_recargar(almacen_memoria):
    from datos import demo
    from datos.ingesta.historial import deshacer

    demo.cargar_demo(almacen_memoria.cursor(), escala=0.02)
    assert not almacen_memoria.esta_vacio() and almacen_memoria.hay_datos_demo()
    carga = almacen_memoria.cursor().execute("SELECT carga_id FROM cargas").fetchall()[0][0]
    deshacer(almacen_memoria.cursor(), carga)
    assert almacen_memoria.esta_vacio() and not almacen_memoria.hay_datos_demo()
    demo.cargar_demo(almacen_memoria.cursor(), escala=0.02)
    assert almacen_memoria.hay_datos_demo()
