"""Columnas derivadas guardadas: FCR por recontacto del mismo cliente y motivo."""

import random
from datetime import datetime, timedelta

import duckdb

from datos.almacen.derivados import recalcular_fcr, registrar_carga, registrar_escritura
from datos.almacen.esquema import MIGRACIONES, migrar


_INSERTAR = ("INSERT INTO interacciones (interaccion_id, fecha_inicio, fecha_fin, cliente_id, motivo, resuelto, "
             "carga_id) VALUES (?, ?, ?, ?, ?, ?, ?)")


def _insertar(con, filas, carga_id=1):
    """Inserta ``filas`` (id, inicio, cliente, motivo, resuelto) como contactos ya terminados."""
    con.executemany(_INSERTAR, [(f[0], f[1], f[1], *f[2:], carga_id) for f in filas])


def _fcr(con):
    return dict(con.execute("SELECT interaccion_id, fcr FROM interacciones").fetchall())


FILAS = [
    ("a", "2026-01-01 10:00", "c1", "queja", True),     # recontacto el día 3: no es FCR
    ("b", "2026-01-03 09:00", "c1", "queja", True),     # siguiente queja a los 17 días: FCR
    ("c", "2026-01-20 09:00", "c1", "queja", True),     # última: FCR
    ("d", "2026-01-02 09:00", "c1", "consulta", True),  # otro motivo: no cuenta como recontacto de 'a'
    ("e", "2026-01-05 09:00", None, "queja", True),     # sin cliente: basta con estar resuelta
    ("f", "2026-01-05 09:00", "c2", "queja", False),    # no resuelta: nunca es FCR
    ("z", "2026-03-01 09:00", "c9", "otro", True),      # último contacto de los datos: cierra las ventanas
]


def test_registrar_escritura_calcula_fcr_y_sube_la_version(con_memoria):
    _insertar(con_memoria, FILAS)
    registrar_escritura(con_memoria)
    assert _fcr(con_memoria) == {"a": False, "b": True, "c": True, "d": True, "e": True, "f": False, "z": None}
    assert con_memoria.execute("SELECT valor FROM configuracion WHERE clave = 'version_datos'").fetchall() == [("1",)]


def test_sin_ventana_cerrada_el_fcr_queda_vacio(con_memoria):
    """Censura por la derecha: abiertos y contactos de los últimos 7 días no cuentan (ni como fallo)."""
    _insertar(con_memoria, [
        ("viejo", "2026-01-01 09:00", "c1", "queja", True),
        ("justo", "2026-01-24 09:00", "c2", "queja", True),     # 7 días antes del último: ventana cerrada
        ("reciente", "2026-01-28 09:00", "c3", "queja", True),  # 3 días antes: aún no se sabe
        ("recontacto", "2026-01-29 09:00", "c4", "queja", True),
        ("vuelve", "2026-01-31 09:00", "c4", "queja", True),    # el último contacto de los datos
    ])
    con_memoria.execute("INSERT INTO interacciones (interaccion_id, fecha_inicio, cliente_id, motivo, resuelto, "
                        "carga_id) VALUES ('abierto', '2026-01-02 09:00', 'c5', 'queja', false, 1)")
    registrar_escritura(con_memoria)
    assert _fcr(con_memoria) == {"viejo": True, "justo": True, "reciente": None, "recontacto": None,
                                 "vuelve": None, "abierto": None}


def test_una_carga_posterior_cierra_las_ventanas_abiertas(con_memoria):
    _cargar(con_memoria, [("a", "2026-01-01 09:00", "c1", "queja", True)], 1)
    assert _fcr(con_memoria) == {"a": None}
    _cargar(con_memoria, [("b", "2026-02-01 09:00", "c2", "consulta", True)], 2)
    assert _fcr(con_memoria) == {"a": True, "b": None}


def test_un_archivo_anterior_recibe_el_fcr_al_migrar(tmp_path):
    ruta = str(tmp_path / "antiguo.duckdb")
    con = duckdb.connect(ruta)
    migrar(con, tuple(m for m in MIGRACIONES if m.version < 8))
    _insertar(con, FILAS)
    con.close()
    con = duckdb.connect(ruta)
    assert 8 in migrar(con)
    assert _fcr(con)["a"] is False and _fcr(con)["b"] is True


def _cargar(con, filas, carga_id):
    """Inserta ``filas`` como lo hace una carga y luego llama a ``registrar_carga``."""
    _insertar(con, filas, carga_id)
    registrar_carga(con, "interacciones", carga_id)


def test_una_carga_calcula_el_fcr_de_sus_filas_y_corrige_las_guardadas_que_cambian(con_memoria):
    # 'a' se guarda sola (FCR); la segunda carga trae 'b', su recontacto a los dos días.
    _cargar(con_memoria, [FILAS[0], FILAS[3], FILAS[4], FILAS[6]], 1)
    assert _fcr(con_memoria) == {"a": True, "d": True, "e": True, "z": None}
    _cargar(con_memoria, [FILAS[1], FILAS[2], FILAS[5]], 2)
    assert _fcr(con_memoria) == {"a": False, "b": True, "c": True, "d": True, "e": True, "f": False, "z": None}
    assert con_memoria.execute("SELECT valor FROM configuracion WHERE clave = 'version_datos'").fetchall() == [("2",)]


def test_el_fcr_por_cargas_es_el_mismo_que_recalculando_todo(con_memoria):
    rng = random.Random(7)
    filas = [(f"i{n}", datetime(2026, 1, 1) + timedelta(hours=rng.randrange(0, 24 * 60)),
              rng.choice(["c1", "c2", "c3", None]), rng.choice(["queja", "consulta", None]), rng.random() < 0.8)
             for n in range(300)]
    for carga_id, inicio in enumerate(range(0, 300, 75), start=1):
        _cargar(con_memoria, filas[inicio:inicio + 75], carga_id)
    por_cargas = _fcr(con_memoria)
    recalcular_fcr(con_memoria)
    assert _fcr(con_memoria) == por_cargas
    assert set(por_cargas.values()) == {True, False, None}
