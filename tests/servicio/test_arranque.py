"""Al arrancar el servidor (sin ningún navegador) la aplicación ya atiende órdenes y su trabajador corre.

``streamlit run app.py`` sirve ``app`` (``st.App``) cuyo ``lifespan`` abre el almacén y arranca el
servicio de órdenes y el trabajador: nadie tiene que abrir la página tras un reinicio del servidor.
"""

import os
import shutil
import subprocess
import sys

import duckdb
import pytest

from tests import ARCHIVOS, RAIZ
from datos.servicio.canal import archivo_de_servicio, enviar
from datos.servicio.programa import TRABAJOS


def _orden(*argv: str, carpeta) -> subprocess.CompletedProcess:
    """``python -m`` en otro proceso, desde ``carpeta`` (como una tarea de cron)."""
    return subprocess.run([sys.executable, "-m", *argv], capture_output=True, text=True, cwd=carpeta, timeout=300,
                          env={**os.environ, "PYTHONPATH": str(RAIZ)})


def test_sin_navegador_las_ordenes_pasan_por_la_aplicacion_y_el_trabajador_arranco(servidor_vacio, tmp_path):
    db = tmp_path / "vacia.duckdb"  # la base de ``servidor_vacio``
    assert archivo_de_servicio(db).exists(), "el servicio de órdenes no arrancó con el servidor"

    # datos.servicio dice que la orden corrió dentro de la aplicación (si no, ``enviar`` devuelve None).
    dentro = enviar(str(db), "datos.cargar", ["--help"], str(tmp_path))
    assert dentro is not None and dentro.estado == 0 and "--tipo" in dentro.salida

    # Una carga de cron: con la base abierta por el servidor solo puede haber corrido dentro de él.
    with pytest.raises(duckdb.Error, match="lock"):
        duckdb.connect(str(db), read_only=True)  # el servidor la tiene abierta desde que arrancó
    shutil.copy(ARCHIVOS / "encuestas_utf8_bom_coma.csv", tmp_path / "lote.csv")
    carga = _orden("datos.cargar", "lote.csv", "--tipo", "encuestas", "--db", str(db), carpeta=tmp_path)
    assert carga.returncode == 0, carga.stderr
    assert "3 filas nuevas" in carga.stdout

    # El estado del trabajador en el almacén (visto en un respaldo tomado por la aplicación): cada trabajo
    # tiene su próxima ejecución guardada desde el arranque, antes de haber corrido.
    respaldo = _orden("datos.respaldo", "crear", "respaldo", "--db", str(db), carpeta=tmp_path)
    assert respaldo.returncode == 0, respaldo.stderr
    restaurada = _orden("datos.respaldo", "restaurar", "respaldo", "--db", "copia.duckdb", carpeta=tmp_path)
    assert restaurada.returncode == 0, restaurada.stderr
    with duckdb.connect(str(tmp_path / "copia.duckdb"), read_only=True) as con:
        proximas = dict(con.execute("SELECT trabajo, proxima FROM trabajos").fetchall())
        assert con.execute("SELECT count(*) FROM encuestas").fetchall() == [(3,)]
    assert set(proximas) == {t.nombre for t in TRABAJOS}
    assert proximas["Carpeta de entrada"] is not None and proximas["Envíos"] is not None
    assert proximas["Respaldo diario"] is None  # sin carpeta de respaldos: desactivado
