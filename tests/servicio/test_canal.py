"""``datos.servicio.ejecutar``: la orden corre dentro de la aplicación si escucha, si no aquí; mismo estado e informe."""

import json
import os
import shutil
import subprocess
import sys
import threading

import pytest

from tests import ARCHIVOS, RAIZ
from datos.almacen.conexion import Almacen
from datos.servicio import ejecutar
from datos.servicio.canal import Servicio, archivo_de_servicio, enviar

ENCUESTAS = ARCHIVOS / "encuestas_utf8_bom_coma.csv"
CON_ERRORES = ARCHIVOS / "encuestas_1252_puntoycoma.csv"


def _orden(*argv: str, carpeta) -> subprocess.CompletedProcess:
    """``python -m`` en otro proceso, desde ``carpeta`` (como una tarea de cron)."""
    entorno = {**os.environ, "PYTHONPATH": str(RAIZ)}
    return subprocess.run([sys.executable, "-m", *argv], capture_output=True, text=True, cwd=carpeta, env=entorno,
                          timeout=300)


@pytest.fixture
def aplicacion(tmp_path):
    """Una «aplicación»: este proceso con la base abierta (nadie más puede abrirla) y su servicio escuchando."""
    almacen = Almacen(str(tmp_path / "app.duckdb"))
    servicio = Servicio(almacen.ruta).iniciar()
    yield almacen, servicio
    servicio.detener()
    almacen.cerrar()


def test_sin_aplicacion_la_orden_corre_aqui(tmp_path, capsys):
    db = tmp_path / "sola.duckdb"
    assert not archivo_de_servicio(db).exists()
    assert ejecutar("datos.cargar", [str(ENCUESTAS), "--tipo", "encuestas", "--db", str(db)]) == 0
    assert "3 filas nuevas" in capsys.readouterr().out
    assert ejecutar("datos.cargar", ["x.csv", "--tipo", "ventas", "--db", str(db)]) == 2
    assert "invalid choice" in capsys.readouterr().err


def test_con_la_aplicacion_en_marcha_la_carga_corre_dentro_y_se_ve_al_momento(aplicacion, tmp_path):
    almacen, servicio = aplicacion
    assert oct(archivo_de_servicio(almacen.ruta).stat().st_mode & 0o777) == "0o600"
    shutil.copy(ENCUESTAS, tmp_path / "lote.csv")
    version = almacen.version_datos()
    # Rutas relativas a la carpeta de quien escribe la orden, no a la de la aplicación.
    hecho = _orden("datos.cargar", "lote.csv", "--tipo", "encuestas", "--db", "app.duckdb", "--usuario", "cron-calidad",
                   carpeta=tmp_path)
    assert hecho.returncode == 0, hecho.stderr
    assert "Carga n.º 1 guardada: 3 filas nuevas." in hecho.stdout
    assert almacen.version_datos() > version
    assert almacen.cursor().execute("SELECT archivo, usuario, origen FROM cargas").fetchall() == [
        ("lote.csv", "cron-calidad", "línea de órdenes")]


def test_mismo_estado_y_mismo_informe_por_los_dos_caminos(aplicacion, tmp_path):
    """Una carga con errores (estado 1) da el mismo informe corrida dentro de la aplicación o sola."""
    shutil.copy(CON_ERRORES, tmp_path / "errores.csv")
    dentro = _orden("datos.cargar", "errores.csv", "--tipo", "encuestas", "--db", "app.duckdb", carpeta=tmp_path)
    sola = _orden("datos.cargar", "errores.csv", "--tipo", "encuestas", "--db", "otra.duckdb", carpeta=tmp_path)
    assert (dentro.returncode, dentro.stdout, dentro.stderr) == (sola.returncode, sola.stdout, sola.stderr)
    assert dentro.returncode == 1 and "Fila 4, columna Recomendación" in dentro.stdout
    ayuda = _orden("datos.cargar", "--help", carpeta=tmp_path)
    assert ayuda.returncode == 0 and "--usuario" in ayuda.stdout


def test_sin_el_servicio_la_base_abierta_no_se_puede_usar(tmp_path):
    """Lo que el servicio arregla: con la base abierta por otro proceso y sin servicio, la orden falla (2)."""
    almacen = Almacen(str(tmp_path / "app.duckdb"))
    shutil.copy(ENCUESTAS, tmp_path / "lote.csv")
    try:
        fallida = _orden("datos.cargar", "lote.csv", "--tipo", "encuestas", "--db", "app.duckdb", carpeta=tmp_path)
    finally:
        almacen.cerrar()
    assert fallida.returncode == 2 and "No se pudo abrir la base de datos" in fallida.stderr


def test_un_archivo_de_servicio_viejo_no_impide_correr_aqui(tmp_path, capsys):
    """Si la aplicación murió sin borrar ``<base>.servicio`` la orden corre aquí."""
    db = tmp_path / "e.duckdb"
    servicio = Servicio(db).iniciar()
    contenido = servicio.archivo.read_text()
    servicio.detener()
    servicio.archivo.write_text(contenido)  # quedó el archivo, ya nadie escucha en ese puerto
    assert enviar(str(db), "datos.cargar", ["--help"], str(tmp_path)) is None
    servicio.archivo.write_text(json.dumps({**json.loads(contenido), "pid": 2 ** 22 + 7}))  # proceso inexistente
    assert ejecutar("datos.cargar", [str(ENCUESTAS), "--tipo", "encuestas", "--db", str(db)]) == 0
    assert "3 filas nuevas" in capsys.readouterr().out


def test_el_servicio_solo_acepta_las_ordenes_de_eslabon(aplicacion):
    almacen, _ = aplicacion
    respuesta = enviar(almacen.ruta, "os", ["-c", "print(1)"], "/")
    assert respuesta.estado == 2 and "Orden desconocida" in respuesta.errores
    with pytest.raises(ValueError, match="'modulo' debe ser una de"):
        ejecutar("os", [])


def test_lo_que_imprimen_otros_hilos_no_entra_en_la_respuesta(aplicacion, capsys):
    almacen, _ = aplicacion
    parar = threading.Event()

    def hablar() -> None:
        while not parar.is_set():
            print("ruido de otro hilo")
            parar.wait(0.001)

    otro = threading.Thread(target=hablar)
    otro.start()
    try:
        respuesta = enviar(almacen.ruta, "datos.cargar", ["--help"], "/")
    finally:
        parar.set()
        otro.join()
    assert respuesta.estado == 0 and "--solo-validas" in respuesta.salida
    assert "ruido" not in respuesta.salida + respuesta.errores
    assert "ruido de otro hilo" in capsys.readouterr().out


def test_la_configuracion_lee_y_escribe_sus_archivos_en_la_carpeta_de_quien_la_pide(aplicacion, tmp_path):
    carpeta = tmp_path / "quien_pide"
    carpeta.mkdir()
    exportada = _orden("datos.configuracion", "exportar", "organizacion.toml", "--db", "../app.duckdb",
                       carpeta=carpeta)
    assert exportada.returncode == 0, exportada.stderr
    assert "Configuración de la organización" in (carpeta / "organizacion.toml").read_text(encoding="utf-8")
    importada = _orden("datos.configuracion", "importar", "organizacion.toml", "--db", "../app.duckdb",
                       carpeta=carpeta)
    assert importada.returncode == 0, importada.stderr
