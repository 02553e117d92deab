"""``python -m datos.respaldo``: respaldo coherente, restauración comprobada y retención del respaldo diario."""

import json
from datetime import datetime

import pytest

from datos.almacen.conexion import Almacen
from datos.servicio.respaldo import (MANIFIESTO, PREFIJO, RespaldoNoValido, conservar_ultimos, crear, leer_respaldo,
                                     main, respaldo_programado, respaldos_en)
from datos.ajustes.operacion import AjustesOperacion, guardar_operacion
from datos.cuentas.usuarios import crear_usuario


@pytest.fixture
def demo(demo_nueva):
    """Una demostración propia con una cuenta (las cuentas también se respaldan)."""
    almacen = demo_nueva(escala=0.05)
    crear_usuario(almacen.cursor(), "ana", "clave-de-ana-123", "calidad", nombre="Ana")
    return almacen


def _filas(almacen: Almacen) -> dict[str, int]:
    cursor = almacen.cursor()
    tablas = [f[0] for f in cursor.execute("SELECT table_name FROM duckdb_tables() WHERE NOT temporary").fetchall()]
    return {t: cursor.execute(f'SELECT count(*) FROM "{t}"').fetchall()[0][0] for t in tablas}


def test_crear_y_restaurar_dan_las_mismas_filas(demo, tmp_path, capsys):
    esperadas = _filas(demo)
    demo.cerrar()
    assert main(["crear", str(tmp_path / "r"), "--db", demo.ruta]) == 0
    assert "Respaldo de" in capsys.readouterr().out
    assert leer_respaldo(tmp_path / "r").filas == esperadas
    assert main(["restaurar", str(tmp_path / "r"), "--db", str(tmp_path / "nueva.duckdb")]) == 0
    assert "comprobada" in capsys.readouterr().out
    restaurada = Almacen(str(tmp_path / "nueva.duckdb"))
    assert _filas(restaurada) == esperadas
    assert restaurada.cursor().execute("SELECT usuario, rol FROM usuarios").fetchall() == [("ana", "calidad")]
    siguiente = restaurada.cursor().execute("SELECT nextval('carga_id_seq')").fetchall()[0][0]
    assert siguiente > restaurada.cursor().execute("SELECT max(carga_id) FROM cargas").fetchall()[0][0]
    restaurada.cerrar()


def test_nunca_sobrescribe(demo, tmp_path, capsys):
    crear(demo.cursor(), tmp_path / "r")
    demo.cerrar()
    assert main(["crear", str(tmp_path / "r"), "--db", demo.ruta]) == 2
    assert "ya existe" in capsys.readouterr().err
    assert main(["restaurar", str(tmp_path / "r"), "--db", demo.ruta]) == 2
    assert "nunca sobrescribe" in capsys.readouterr().err
    assert main(["crear", str(tmp_path / "otro"), "--db", str(tmp_path / "no_existe.duckdb")]) == 2
    assert main(["restaurar", str(tmp_path), "--db", str(tmp_path / "x.duckdb")]) == 2
    assert "no es un respaldo de Eslabón" in capsys.readouterr().err


def test_un_respaldo_que_no_cuadra_no_deja_base(demo, tmp_path, capsys):
    crear(demo.cursor(), tmp_path / "r")
    manifiesto = tmp_path / "r" / MANIFIESTO
    datos = json.loads(manifiesto.read_text())
    datos["filas"]["encuestas"] += 1
    manifiesto.write_text(json.dumps(datos))
    assert main(["restaurar", str(tmp_path / "r"), "--db", str(tmp_path / "nueva.duckdb")]) == 1
    assert "encuestas:" in capsys.readouterr().err
    assert not (tmp_path / "nueva.duckdb").exists()


def test_respaldo_diario_conserva_los_n_mas_nuevos(demo, tmp_path):
    con = demo.cursor()
    assert respaldo_programado(con, datetime(2026, 10, 1, 2, 0)) is None  # sin carpeta: nada que hacer
    guardar_operacion(con, AjustesOperacion(respaldo_carpeta=str(tmp_path / "diarios"), respaldo_conservar=2),
                      autor="admin")
    (tmp_path / "diarios").mkdir()
    (tmp_path / "diarios" / "mio").mkdir()  # lo que no es un respaldo diario no se toca
    for dia in (1, 2, 3):
        texto = respaldo_programado(con, datetime(2026, 10, dia, 2, 0))
        assert "se conservan los 2 más nuevos" in texto
    assert [r.carpeta.name for r in respaldos_en(tmp_path / "diarios")] == [f"{PREFIJO}20261002-020000",
                                                                           f"{PREFIJO}20261003-020000"]
    assert (tmp_path / "diarios" / "mio").is_dir()
    with pytest.raises(ValueError, match="'conservar'"):
        conservar_ultimos(tmp_path / "diarios", 0)


def test_una_ruta_con_comillas_no_llega_al_sql(demo, tmp_path):
    with pytest.raises(RespaldoNoValido, match="comillas"):
        crear(demo.cursor(), tmp_path / "a'b" / "r")
