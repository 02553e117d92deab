"""Cargas en el lago Parquet (modo Spark): validación, atomicidad, idempotencia y deshacer.

Un almacén de demostración pequeño (escala 0,05) se exporta con ``python -m datos.lago``. Cada
prueba trabaja sobre dos copias: una en modo DuckDB y otra en modo lago, cuyas tablas de hechos
en DuckDB se vacían para que las comprobaciones «contra lo guardado» solo puedan mirar el lago.
Una sola sesión Spark (``local[2]``) para todo el módulo lee el lago después de cada carga.
"""

import shutil
from datetime import timedelta
from pathlib import Path

import duckdb
import pytest

from datos.ingesta import carga, historial
from datos.ingesta import cli as cargar

from datos.consultas import cadena as consultas_cadena
from datos.consultas import competencias as consultas_competencias
from datos.consultas import resumen as consultas_resumen

from datos.motores import lago, lago_cargas
from datos.almacen.conexion import Almacen
from analisis.errores import CargaNoAdmitida
from datos.motores.lago_cargas import PREFIJO_OCULTO, Lago, lago_de_cargas, recuperar
from datos.motores.configuracion import TABLAS_HECHOS, Configuracion
from datos.motores.motor import Motor, sesion_spark
from tests.apptest import abrir, sin_errores
from tests.paginas.test_carga import ARCHIVO, _Subido
from tests.motores.test_motor import FILTRADO, TRIMESTRE, _iguales, demo_en_lago
from tests.motores.test_percentiles import PERCENTILES, SOBRE_MEDIANA

#: Consultas del tablero que se comparan entre el modo DuckDB y el modo lago (sin las columnas de
#: percentiles, que Spark aproxima: su cota se prueba en ``test_motores_percentiles``).
CASOS = [
    (consultas_resumen.resumen_encuestas, TRIMESTRE), (consultas_resumen.resumen_interacciones, TRIMESTRE),
    (consultas_resumen.resumen_interacciones, FILTRADO), (consultas_resumen.serie_interacciones, TRIMESTRE),
    (consultas_competencias.resultados_por_agente, TRIMESTRE, "fcr"), (consultas_cadena.distribucion_etapas, TRIMESTRE),
    (consultas_resumen.valores_de_filtro, "canal"), (consultas_resumen.rango_de_fechas,),
]
MAPEO_ENCUESTAS = {"id": "respuesta_id", "fecha": "fecha", "cliente": "cliente_id", "canal": "canal",
                   "sucursal": "sucursal", "csat": "csat", "nps": "nps", "entrega": "etapa:Entrega"}
MAPEO_INTERACCIONES = {"id": "interaccion_id", "inicio": "fecha_inicio", "cliente": "cliente_id",
                       "agente": "agente_id", "canal": "canal", "sucursal": "sucursal", "motivo": "motivo",
                       "resuelto": "resuelto"}


@pytest.fixture(scope="module")
def origen(tmp_path_factory):
    """(almacén DuckDB con demostración a escala 0,05, su lago exportado con la orden)."""
    return demo_en_lago(tmp_path_factory.mktemp("lago_cargas"))


@pytest.fixture(scope="module")
def sesion():
    """Una sesión Spark local para todo el módulo."""
    sesion = sesion_spark()
    yield sesion
    sesion.stop()


class Entorno:
    """Dos copias del almacén de demostración: una en modo DuckDB y otra en modo lago."""

    def __init__(self, origen, carpeta: Path):
        ruta, destino = origen
        self.ruta_lago, self.carpeta_lago = carpeta / "lago.duckdb", carpeta / "lago"
        shutil.copy(ruta, carpeta / "duck.duckdb")
        shutil.copy(ruta, self.ruta_lago)
        shutil.copytree(destino, self.carpeta_lago)
        self.duck, self.almacen = Almacen(str(carpeta / "duck.duckdb")), Almacen(str(self.ruta_lago))
        for tabla in TABLAS_HECHOS:  # en modo lago, los hechos solo están en el lago
            self.almacen.cursor().execute(f"DELETE FROM {tabla}")
        self.configuracion = Configuracion(motor="pyspark", lago=str(self.carpeta_lago))
        self.lago = Lago(self.configuracion)

    def cargar(self, ruta: Path, tipo: str, mapeo: dict, *, en_lago: bool, **opciones):
        """``cargar_archivo`` en una de las dos copias."""
        almacen = self.almacen if en_lago else self.duck
        return carga.cargar_archivo(almacen.cursor(), ruta, tipo, mapeo=mapeo, lago=self.lago if en_lago else None,
                                    **opciones)

    def archivos(self) -> set[str]:
        """Todos los archivos del lago (visibles y ocultos), relativos a su carpeta."""
        return {p.relative_to(self.carpeta_lago).as_posix() for p in self.carpeta_lago.rglob("*") if p.is_file()}

    def filas_en_lago(self, tabla: str, carga_id: int) -> int:
        """Filas de la carga en los Parquet visibles de ``tabla``."""
        return duckdb.execute("SELECT count(*) FROM read_parquet(?, hive_partitioning = false) WHERE carga_id = ?",
                              [self.lago.archivos(tabla), carga_id]).fetchall()[0][0]

    def cerrar(self):
        self.duck.cerrar()
        self.almacen.cerrar()


@pytest.fixture
def entorno(origen, tmp_path):
    entorno = Entorno(origen, tmp_path)
    yield entorno
    entorno.cerrar()


@pytest.fixture
def motor(entorno, sesion):
    """Motor Spark sobre el lago de ``entorno`` (en la sesión del módulo)."""
    return Motor(entorno.almacen, entorno.configuracion)


def _archivos_de_prueba(cursor, carpeta: Path) -> tuple[Path, Path]:
    """Encuestas e interacciones nuevas para los datos de demostración de ``cursor``: una encuesta ya
    estaba, una interacción vuelve 2 días después de un contacto resuelto (cambia su FCR) y otra cita
    un cliente y un agente que no existen."""
    fila = cursor.execute(
        "SELECT cliente_id, motivo, fecha_inicio, agente_id, canal, sucursal FROM interacciones "
        "WHERE fcr AND fecha_inicio >= '2026-09-01' ORDER BY fecha_inicio LIMIT 1").fetchall()[0]
    cliente, motivo, inicio, agente, canal, sucursal = fila
    respuesta = cursor.execute("SELECT respuesta_id FROM encuestas LIMIT 1").fetchall()[0][0]
    encuestas = carpeta / "encuestas.csv"
    encuestas.write_text(
        "id,fecha,cliente,canal,sucursal,csat,nps,entrega\n"
        f"N-1,2026-09-10 10:00:00,{cliente},{canal},{sucursal},1,0,1\n"
        f"N-2,2026-10-02 11:30:00,CLI-NUEVO,Chat,{sucursal},2,3,2\n"
        f"{respuesta},2026-09-11 09:00:00,{cliente},Chat,{sucursal},5,10,5\n", encoding="utf-8")
    interacciones = carpeta / "interacciones.csv"
    vuelta = inicio + timedelta(days=2)
    interacciones.write_text(
        "id,inicio,cliente,agente,canal,sucursal,motivo,resuelto\n"
        f"I-NUEVA-1,{vuelta:%Y-%m-%d %H:%M:%S},{cliente},{agente},{canal},{sucursal},{motivo},si\n"
        f"I-NUEVA-2,2026-10-05 08:00:00,CLI-NUEVO,AGE-NUEVO,Chat,{sucursal},queja,no\n", encoding="utf-8")
    return encuestas, interacciones


def _exactas(tabla):
    """La tabla sin las columnas de percentiles (aproximadas en Spark)."""
    return tabla.drop(columns=[c for c in PERCENTILES + SOBRE_MEDIANA if c in tabla.columns])


def _comparar(entorno: Entorno, motor: Motor) -> None:
    """Las consultas del tablero dan lo mismo en Spark sobre el lago que en DuckDB."""
    duck = Motor(entorno.duck)
    for funcion, *argumentos in CASOS:
        _iguales(_exactas(duck.consultar(funcion, *argumentos)), _exactas(motor.consultar(funcion, *argumentos)))


def _tipos(tabla: str, archivos: list[str]) -> dict[str, str]:
    return {n: t for n, t, *_ in duckdb.execute(
        "DESCRIBE SELECT * FROM read_parquet(?, hive_partitioning = false)", [archivos]).fetchall()}


def test_cargar_y_deshacer_en_el_lago_da_las_mismas_cifras_que_en_duckdb(entorno, motor, tmp_path):
    encuestas, interacciones = _archivos_de_prueba(entorno.duck.cursor(), tmp_path)
    antes = motor.consultar(consultas_resumen.resumen_interacciones, TRIMESTRE)
    resultados = {}
    for en_lago in (False, True):
        resultados[en_lago] = [entorno.cargar(encuestas, "encuestas", MAPEO_ENCUESTAS, en_lago=en_lago,
                                              crear_desconocidos=True),
                               entorno.cargar(interacciones, "interacciones", MAPEO_INTERACCIONES, en_lago=en_lago,
                                              crear_desconocidos=True)]
    for (v_duck, r_duck, _), (v_lago, r_lago, _) in zip(*resultados.values()):
        # Las comprobaciones contra lo guardado (repetidas, desconocidos) miran el lago.
        assert (v_lago.filas_nuevas, v_lago.filas_repetidas, v_lago.desconocidos) == \
               (v_duck.filas_nuevas, v_duck.filas_repetidas, v_duck.desconocidos)
        assert (r_lago.carga_id, r_lago.guardadas, r_lago.creados) == \
               (r_duck.carga_id, r_duck.guardadas, r_duck.creados)
    assert resultados[True][0][0].filas_repetidas == 1 and resultados[True][0][1].creados == {"clientes": 1}
    archivos = entorno.archivos()
    assert {"encuestas/anio=2026/mes=9/carga-2-0.parquet", "encuestas/anio=2026/mes=10/carga-2-0.parquet",
            "encuesta_etapas/carga-2.parquet", "clientes/carga-2.parquet",
            "agentes/carga-3.parquet", "interacciones/anio=2026/mes=10/carga-3-0.parquet"} <= archivos
    assert not [a for a in archivos if PREFIJO_OCULTO in a]
    for tabla in ("encuestas", "encuesta_etapas", "clientes", "interacciones"):
        assert _tipos(tabla, [str(entorno.carpeta_lago / a) for a in archivos if a.startswith(tabla + "/carga-")
                              or a.startswith(tabla + "/anio") and "carga-" in a]) == \
               _tipos(tabla, [str(entorno.carpeta_lago / a) for a in archivos if "carga-" not in a
                              and a.startswith(tabla + "/")])
    assert not antes.equals(motor.consultar(consultas_resumen.resumen_interacciones, TRIMESTRE))
    _comparar(entorno, motor)

    for en_lago in (False, True):
        almacen = entorno.almacen if en_lago else entorno.duck
        # Lo que la página anuncia antes de deshacer es lo que se borra, en DuckDB y en el lago.
        anunciadas = historial.filas_de_carga(almacen.cursor(), 3, lago=entorno.lago if en_lago else None)
        borradas = historial.deshacer(almacen.cursor(), 3, lago=entorno.lago if en_lago else None)
        assert borradas == anunciadas == {"interacciones": 2, "agentes": 1}  # CLI-NUEVO es de la carga 2
    assert entorno.filas_en_lago("interacciones", 3) == 0 and entorno.filas_en_lago("encuestas", 2) == 2
    assert not [a for a in entorno.archivos() if "carga-3" in a]
    _comparar(entorno, motor)


def test_el_mismo_archivo_dos_veces_no_guarda_nada(entorno, tmp_path):
    encuestas, _ = _archivos_de_prueba(entorno.duck.cursor(), tmp_path)
    entorno.cargar(encuestas, "encuestas", MAPEO_ENCUESTAS, en_lago=True)
    archivos = entorno.archivos()
    validacion, resultado, _ = entorno.cargar(encuestas, "encuestas", MAPEO_ENCUESTAS, en_lago=True)
    assert resultado.carga_id is None and validacion.filas_nuevas == 0 and validacion.ya_cargado == 2
    assert entorno.archivos() == archivos


def test_filas_con_errores_sin_solo_validas_no_escriben_ningun_archivo(entorno, tmp_path):
    malo = tmp_path / "malo.csv"
    malo.write_text("id,fecha,cliente,canal,sucursal,csat,nps,entrega\n"
                    "M-1,2026-09-10 10:00:00,C,Chat,S,4,9,4\nM-2,2026-09-10 10:00:00,C,Chat,S,4,diez,4\n",
                    encoding="utf-8")
    archivos = entorno.archivos()
    validacion, resultado, _ = entorno.cargar(malo, "encuestas", MAPEO_ENCUESTAS, en_lago=True)
    assert validacion.hay_errores and resultado.carga_id is None
    assert entorno.archivos() == archivos
    _, resultado, _ = entorno.cargar(malo, "encuestas", MAPEO_ENCUESTAS, en_lago=True, solo_validas=True)
    assert resultado.guardadas == 1 and entorno.filas_en_lago("encuestas", resultado.carga_id) == 1


def test_una_caida_despues_de_confirmar_se_completa_al_abrir_el_lago(entorno, motor, tmp_path, monkeypatch):
    encuestas, _ = _archivos_de_prueba(entorno.duck.cursor(), tmp_path)
    antes = motor.consultar(consultas_resumen.resumen_encuestas, TRIMESTRE)

    def caida(*_):
        raise OSError("disco desconectado")

    monkeypatch.setattr(lago_cargas.os, "replace", caida)
    with pytest.raises(OSError, match="desconectado"):
        entorno.cargar(encuestas, "encuestas", MAPEO_ENCUESTAS, en_lago=True)
    monkeypatch.undo()
    cursor = entorno.almacen.cursor()
    assert cursor.execute("SELECT filas_guardadas FROM cargas WHERE carga_id = 2").fetchall() == [(2,)]
    assert entorno.filas_en_lago("encuestas", 2) == 0  # confirmada pero aún oculta
    assert any(PREFIJO_OCULTO in a for a in entorno.archivos())
    _iguales(antes, motor.consultar(consultas_resumen.resumen_encuestas, TRIMESTRE))
    version = entorno.almacen.version_datos()
    Motor(entorno.almacen, entorno.configuracion)  # abrir el lago recupera
    assert cursor.execute("SELECT count(*) FROM lago_archivos WHERE aplicada").fetchall() == [(3,)]
    assert entorno.almacen.version_datos() == version + 1
    assert entorno.filas_en_lago("encuestas", 2) == 2 and not any(PREFIJO_OCULTO in a for a in entorno.archivos())
    assert not antes.equals(motor.consultar(consultas_resumen.resumen_encuestas, TRIMESTRE))
    assert recuperar(cursor, entorno.lago) == 0


def test_una_caida_antes_de_confirmar_no_deja_nada_visible(entorno, tmp_path, monkeypatch):
    encuestas, _ = _archivos_de_prueba(entorno.duck.cursor(), tmp_path)
    archivos = entorno.archivos()

    def caida(*_):
        raise RuntimeError("proceso terminado")

    monkeypatch.setattr(carga, "recordar_mapeo", caida)  # después de escribir los Parquet ocultos
    with pytest.raises(RuntimeError):
        entorno.cargar(encuestas, "encuestas", MAPEO_ENCUESTAS, en_lago=True)
    assert entorno.archivos() == archivos  # la transacción se deshizo y se borró lo oculto
    monkeypatch.setattr(lago_cargas.EnLago, "descartar", lambda self: None)  # caída dura: nadie limpia
    with pytest.raises(RuntimeError):
        entorno.cargar(encuestas, "encuestas", MAPEO_ENCUESTAS, en_lago=True)
    monkeypatch.undo()
    sobrantes = entorno.archivos() - archivos
    assert sobrantes and all(PREFIJO_OCULTO in a for a in sobrantes)
    assert entorno.almacen.cursor().execute("SELECT count(*) FROM cargas").fetchall() == [(1,)]
    assert recuperar(entorno.almacen.cursor(), entorno.lago) == 0
    assert entorno.archivos() == archivos


def test_deshacer_una_carga_exportada_reescribe_los_archivos_mezclados(origen, tmp_path, sesion):
    ruta, _ = origen
    shutil.copy(ruta, tmp_path / "e.duckdb")
    almacen = Almacen(str(tmp_path / "e.duckdb"))
    try:
        encuestas, _ = _archivos_de_prueba(almacen.cursor(), tmp_path)
        carga.cargar_archivo(almacen.cursor(), encuestas, "encuestas", mapeo=MAPEO_ENCUESTAS)  # en DuckDB
        lago.exportar(almacen.cursor(), tmp_path / "lago")
        configuracion = Configuracion(motor="pyspark", lago=str(tmp_path / "lago"))
        motor = Motor(almacen, configuracion)
        total = motor.backend().table("encuestas").count().to_pandas()
        borradas = historial.deshacer(almacen.cursor(), 2, lago=Lago(configuracion))
        assert borradas == {"encuestas": 2, "encuesta_etapas": 2}
        assert motor.backend().table("encuestas").count().to_pandas() == total - 2
        archivos = {p.name for p in (tmp_path / "lago" / "encuestas").rglob("*.parquet")}
        assert {"data_0-sin-carga-2.parquet"} == {a for a in archivos if "sin-carga" in a}
        _iguales(Motor(almacen).consultar(consultas_resumen.resumen_encuestas, TRIMESTRE),
                 motor.consultar(consultas_resumen.resumen_encuestas, TRIMESTRE))
        # Deshacer la demostración retira todos sus archivos; cada tabla conserva uno vacío con su esquema.
        assert historial.deshacer(almacen.cursor(), 1, lago=Lago(configuracion))["interacciones"] == 2_500
        for tabla in TABLAS_HECHOS:
            assert motor.backend().table(tabla).count().to_pandas() == 0, tabla
        assert motor.consultar(consultas_resumen.resumen_interacciones, TRIMESTRE).empty
    finally:
        almacen.cerrar()


def test_la_orden_cargar_escribe_en_el_lago(entorno, tmp_path, monkeypatch, capsys):
    encuestas, _ = _archivos_de_prueba(entorno.duck.cursor(), tmp_path)
    entorno.cerrar()
    monkeypatch.setenv("ESLABON_MOTOR", "pyspark")
    monkeypatch.setenv("ESLABON_LAGO", str(entorno.carpeta_lago))
    assert cargar.main([str(encuestas), "--tipo", "encuestas", "--db", str(entorno.ruta_lago)]) == 0
    salida = capsys.readouterr().out
    assert f"lago Parquet de {entorno.lago.ruta}" in salida and "Carga n.º 2 guardada: 2 filas nuevas" in salida
    assert (entorno.carpeta_lago / "encuestas" / "anio=2026" / "mes=9" / "carga-2-0.parquet").is_file()
    monkeypatch.setenv("ESLABON_LAGO", "s3a://lago/eslabon")
    assert cargar.main([str(encuestas), "--tipo", "encuestas", "--db", str(entorno.ruta_lago)]) == 2
    assert "carpeta local o montada" in capsys.readouterr().err


def test_donde_se_escriben_las_cargas(tmp_path):
    assert lago_de_cargas(Configuracion()) is None
    assert lago_de_cargas(Configuracion(motor="pyspark", lago=str(tmp_path))).ruta == tmp_path.resolve()
    assert lago_de_cargas(Configuracion(motor="pyspark", lago=f"file://{tmp_path}")).ruta == tmp_path.resolve()
    for configuracion in (Configuracion(motor="pyspark", lago="s3a://lago/eslabon"),
                          Configuracion(motor="pyspark", esquema="servicio"),
                          Configuracion(motor="trino", url="trino://u@h:8080/c/e")):
        with pytest.raises(CargaNoAdmitida, match="carpeta local o montada"):
            lago_de_cargas(configuracion)
    with pytest.raises(CargaNoAdmitida, match="no existe"):
        lago_de_cargas(Configuracion(motor="pyspark", lago=str(tmp_path / "no")))
    with pytest.raises(CargaNoAdmitida, match="no tiene la tabla encuestas"):
        Lago(Configuracion(motor="pyspark", lago=str(tmp_path))).archivos("encuestas")


def test_pagina_cargar_datos_en_modo_lago(entorno, sesion, monkeypatch):
    import streamlit as st
    entorno.cerrar()
    monkeypatch.setenv("ESLABON_DB", str(entorno.ruta_lago))
    monkeypatch.setenv("ESLABON_MOTOR", "pyspark")
    monkeypatch.setenv("ESLABON_LAGO", str(entorno.carpeta_lago))
    monkeypatch.setattr(st, "file_uploader", lambda *a, **k: _Subido(ARCHIVO))
    at = abrir("paginas/carga.py")
    sin_errores(at)
    assert any(f"lago Parquet de {entorno.lago.ruta}" in aviso.value for aviso in at.info)
    next(b for b in at.button if b.label == "Validar el archivo").click().run()
    assert [m.value for m in at.metric] == ["3", "2", "0", "1"]
    next(b for b in at.button if b.label.startswith("Importar")).click().run()
    assert not at.exception and any("guardada" in s.value for s in at.success)
    assert entorno.filas_en_lago("encuestas", 2) == 2
    at.selectbox(key="carga_deshacer").set_value(2).run()
    # Lo que se anuncia se cuenta en el lago, donde están las filas.
    assert "borra 2 encuestas" in at.checkbox(key="carga_confirmar_2").label
    at.checkbox(key="carga_confirmar_2").check().run()
    next(b for b in at.button if b.label == "Deshacer").click().run()
    assert any(s.value == "Carga n.º 2 deshecha. Filas borradas: 2 encuestas." for s in at.success)
    assert entorno.filas_en_lago("encuestas", 2) == 0

