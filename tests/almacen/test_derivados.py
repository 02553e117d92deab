"""Columnas derivadas guardadas: FCR por recontacto del mismo cliente y motivo."""

import random
from datetime import datetime, timedelta

import duckdb
import pytest

from datos.almacen.derivados import recalcular_fcr, registrar_carga, registrar_escritura
from datos.almacen.esquema import MIGRACIONES, migrar
from datos.almacen.transaccion import transaccion
from datos.ingesta.carga import cargar_archivo
from datos.ingesta.historial import deshacer
from datos.personas import buscar, suprimir
from datos.personas.ajustes import elegir_modo
from tests.consultas.test_agregados import _consistentes


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


#: Clientes y agentes de las cargas al azar: los últimos no tienen ficha hasta que llega su carga de fichas.
_CLIENTES, _AGENTES = ["c1", "c2", "c3", "c4", "c5", ""], ["a1", "a2", "a3"]


def _csv_interacciones(ruta, azar: random.Random, prefijo: str, n: int) -> None:
    """Escribe ``n`` interacciones al azar (pocos clientes y motivos: muchos recontactos; algunas abiertas;
    canal y sucursal al azar, a veces vacíos)."""
    lineas = ["interaccion_id;fecha_inicio;fecha_fin;cliente_id;agente_id;canal;sucursal;motivo;resuelto;"
              "tiempo_respuesta_min"]
    for k in range(n):
        inicio = datetime(2026, 1, 1) + timedelta(hours=azar.randrange(0, 24 * 70))
        fin = "" if azar.random() < 0.1 else f"{inicio + timedelta(hours=1):%d/%m/%Y %H:%M}"
        lineas.append(f"{prefijo}-{k};{inicio:%d/%m/%Y %H:%M};{fin};{azar.choice(_CLIENTES)};"
                      f"{azar.choice(_AGENTES)};{azar.choice(['Chat', 'Correo', ''])};"
                      f"{azar.choice(['Norte', 'Sur', ''])};{azar.choice(['queja', 'consulta'])};"
                      f"{azar.choice(['sí', 'sí', 'no'])};{azar.choice(['0', '2,5', '40', ''])}")
    ruta.write_text("\n".join(lineas), encoding="utf-8")


def _csv_encuestas(ruta, con, azar: random.Random, prefijo: str, n: int) -> None:
    """Escribe ``n`` encuestas que responden a interacciones guardadas (o a ninguna), en su día, canal y sucursal."""
    contactos = con.execute("SELECT interaccion_id, fecha_inicio, canal, sucursal FROM interacciones").fetchall()
    lineas = ["respuesta_id;fecha;interaccion_id;canal;sucursal;csat;nps"]
    for k in range(n):
        interaccion, fecha, canal, sucursal = azar.choice(contactos) if contactos and azar.random() < 0.8 else \
            ("", datetime(2026, 1, 1) + timedelta(hours=azar.randrange(0, 24 * 70)), "Chat", "Norte")
        lineas.append(f"{prefijo}-{k};{fecha:%d/%m/%Y %H:%M};{interaccion};{canal or ''};{sucursal or ''};"
                      f"{azar.randint(1, 5)};{azar.randint(0, 10)}")
    ruta.write_text("\n".join(lineas), encoding="utf-8")


def _csv_fichas(ruta, tipo: str, azar: random.Random) -> list[str]:
    """Escribe fichas de clientes (con tipo de cliente) o de agentes (con equipo) al azar; devuelve sus columnas."""
    if tipo == "clientes":
        filas = [f"{c};{azar.choice(['externo', 'interno'])}" for c in _CLIENTES if c and azar.random() < 0.6]
        columnas = ["cliente_id", "tipo_cliente"]
    else:
        filas = [f"{a};{azar.choice(['Equipo A', 'Equipo B'])}" for a in _AGENTES if azar.random() < 0.6]
        columnas = ["agente_id", "equipo"]
    ruta.write_text("\n".join([";".join(columnas), *(filas or [f"{tipo}-nuevo;x"])]), encoding="utf-8")
    return columnas


def _comprobar_como_desde_cero(almacen) -> None:
    """El ``fcr`` y los agregados que dejó la escritura son los de recalcularlo todo desde las filas."""
    con = almacen.cursor()
    dejado = _fcr(con)
    with transaccion(con):
        assert recalcular_fcr(con) == set()
    assert _fcr(con) == dejado
    _consistentes(almacen)


@pytest.mark.parametrize("semilla", [1, 2, 3])
def test_cargas_deshacer_y_supresiones_al_azar_dejan_lo_mismo_que_recalcular_todo(almacen_memoria, tmp_path, semilla):
    """Propiedad: tras cada carga (interacciones, encuestas o fichas que cambian el tipo de cliente o el equipo),
    deshacer o supresión (anonimizar o eliminar) al azar, el FCR y los agregados recalculados solo donde la
    escritura los cambia son exactamente los de recalcular toda la tabla."""
    azar, con, vigentes = random.Random(semilla), almacen_memoria.cursor(), []

    def cargar(ruta, tipo: str, columnas: list[str]) -> None:
        """Carga ``ruta`` y anota la carga entre las que se pueden deshacer (unas fichas pueden estar ya todas)."""
        _, resultado, informe = cargar_archivo(con, ruta, tipo, mapeo={c: c for c in columnas},
                                               crear_desconocidos=True, usuario="prueba")
        assert resultado.carga_id is not None or (tipo in ("clientes", "agentes") and resultado.repetidas), \
            (resultado.mensaje, informe)
        if resultado.carga_id is not None:
            vigentes.append(resultado.carga_id)

    for paso in range(12):
        ruta = tmp_path / f"paso{paso}.csv"
        accion = "cargar" if paso < 2 or not vigentes else azar.choice(
            ["cargar", "encuestas", "clientes", "agentes", "deshacer", "suprimir"])
        if accion == "cargar":
            _csv_interacciones(ruta, azar, f"p{paso}", azar.randint(5, 40))
            cargar(ruta, "interacciones", ruta.read_text(encoding="utf-8").splitlines()[0].split(";"))
        elif accion == "encuestas":
            _csv_encuestas(ruta, con, azar, f"e{paso}", azar.randint(3, 20))
            cargar(ruta, "encuestas", ruta.read_text(encoding="utf-8").splitlines()[0].split(";"))
        elif accion in ("clientes", "agentes"):
            cargar(ruta, accion, _csv_fichas(ruta, accion, azar))
        elif accion == "deshacer":
            deshacer(con, vigentes.pop(azar.randrange(len(vigentes))), usuario="prueba")
        else:
            elegir_modo(con, azar.choice(["anonimizar", "eliminar"]), autor="prueba")
            clientes = [f[0] for f in con.execute("SELECT DISTINCT cliente_id FROM interacciones "
                                                  "WHERE cliente_id LIKE 'c%' ORDER BY 1").fetchall()]
            if clientes:
                suprimir(almacen_memoria, buscar(almacen_memoria, azar.choice(clientes)), usuario="prueba")
        _comprobar_como_desde_cero(almacen_memoria)
    assert con.execute("SELECT count(fcr), count(*) - count(fcr) FROM interacciones").fetchall()[0] > (0, 0) or \
        not vigentes
