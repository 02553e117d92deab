"""Pruebas de los datos de demostración (``datos.demo``)."""

import subprocess
import sys
from datetime import date, timedelta
from pathlib import Path

import duckdb
import pytest

from tests import RAIZ
from datos import demo
from datos.ajustes.organizacion import Configuracion, Etapa, aplicar
from datos.demo import encuestas
from datos.ingesta.historial import deshacer
from analisis.errores import ErrorEslabon
from datos.almacen.esquema import COMPETENCIAS, ETAPAS_PREDETERMINADAS, TABLAS_DE_DATOS, migrar

FILAS_ESCALA_1 = {"clientes": 5_000, "agentes": 60, "interacciones": 50_000, "encuestas": 20_000,
                  "encuesta_etapas": 100_000, "auditorias": 2_000, "auditoria_competencias": 30_000}


def _almacen() -> duckdb.DuckDBPyConnection:
    """Almacén DuckDB en memoria, ya migrado."""
    con = duckdb.connect()
    migrar(con)
    return con


def _valor(con: duckdb.DuckDBPyConnection, sql: str, parametros=None):
    """Primer valor del resultado de una consulta."""
    return con.execute(sql, parametros or []).fetchall()[0][0]


def _nps(con: duckdb.DuckDBPyConnection, condicion: str, parametros) -> float:
    """NPS (% promotores − % detractores) de las encuestas que cumplen ``condicion``."""
    return _valor(con, "SELECT 100 * (avg((nps >= 9)::INT) - avg((nps <= 6)::INT)) FROM encuestas "
                       f"WHERE nps IS NOT NULL AND {condicion}", parametros)


def _huellas(con: duckdb.DuckDBPyConnection) -> dict[str, tuple]:
    """Huella del contenido de cada tabla de datos (suma de hashes por columna, sin ``carga_id``)."""
    return {tabla: con.execute(f"SELECT count(*), sum(hash(COLUMNS(* EXCLUDE (carga_id)))) FROM {tabla}").fetchall()[0]
            for tabla in TABLAS_DE_DATOS}


@pytest.fixture(scope="module")
def demo_1(plantilla_demo, demo_compartida):
    """Demostración completa (semilla 0, escala 1): cursor compartido, filas por tabla y avisos de progreso."""
    generada = plantilla_demo(escala=1.0, semilla=0)
    return demo_compartida(escala=1.0, semilla=0).cursor(), generada.filas, list(generada.avisos)


@pytest.fixture(scope="module")
def con_demo(demo_1):
    """Conexión con la demostración de escala 1."""
    return demo_1[0]


# --- tamaños, carga y progreso ------------------------------------------------------------------

def test_filas_escala_1(demo_1):
    con, filas, _ = demo_1
    assert filas == FILAS_ESCALA_1
    assert {t: _valor(con, f"SELECT count(*) FROM {t}") for t in FILAS_ESCALA_1} == FILAS_ESCALA_1


def test_filas_escala_pequena():
    con = _almacen()
    filas = demo.cargar_demo(con, escala=0.05)
    assert filas == {"clientes": 250, "agentes": 24, "interacciones": 2_500, "encuestas": 1_000,
                     "encuesta_etapas": 5_000, "auditorias": 100, "auditoria_competencias": 1_500}
    assert _valor(con, "SELECT count(*) FROM interacciones") == 2_500


def test_escala_minima_da_al_menos_una_fila():
    filas = demo.cargar_demo(_almacen(), escala=1e-6)
    assert min(filas.values()) >= 1


def test_progreso_de_0_a_1(demo_1):
    _, _, avisos = demo_1
    fracciones = [f for f, _ in avisos]
    assert fracciones[0] == 0.0 and fracciones[-1] == 1.0
    assert fracciones == sorted(fracciones)
    assert all(isinstance(m, str) and m for _, m in avisos)


def test_una_carga_demo_y_todas_las_filas_apuntan_a_ella(demo_1):
    con, filas, _ = demo_1
    cargas = con.execute("SELECT carga_id, tipo, es_demo, archivo, usuario, filas_guardadas FROM cargas").fetchall()
    assert len(cargas) == 1
    carga_id, tipo, es_demo, archivo, usuario, guardadas = cargas[0]
    assert (tipo, es_demo, archivo, usuario) == ("demo", True, "datos de demostración", "demo")
    assert guardadas == sum(filas.values())
    for tabla in FILAS_ESCALA_1:
        assert con.execute(f"SELECT DISTINCT carga_id FROM {tabla}").fetchall() == [(carga_id,)]
    assert _valor(con, "SELECT valor FROM configuracion WHERE clave = 'version_datos'") == "1"


def test_segunda_demo_se_rechaza_sin_cambios():
    con = _almacen()
    demo.cargar_demo(con, escala=0.01)
    with pytest.raises(ErrorEslabon, match="ya tiene datos de demostración"):
        demo.cargar_demo(con, escala=0.01)
    assert _valor(con, "SELECT count(*) FROM cargas") == 1
    assert _valor(con, "SELECT valor FROM configuracion WHERE clave = 'version_datos'") == "1"


def test_fallo_a_mitad_deshace_todo():
    con = _almacen()
    con.execute("INSERT INTO agentes (agente_id, carga_id) VALUES ('AGE-001', 99)")
    with pytest.raises(duckdb.ConstraintException):
        demo.cargar_demo(con, escala=0.01)
    assert _valor(con, "SELECT count(*) FROM cargas") == 0
    assert _valor(con, "SELECT count(*) FROM clientes") == 0
    assert _valor(con, "SELECT valor FROM configuracion WHERE clave = 'version_datos'") == "0"


@pytest.mark.parametrize("opciones, mensaje", [
    ({"escala": 0}, "'escala'"),
    ({"escala": -1.0}, "'escala'"),
    ({"escala": float("nan")}, "'escala'"),
    ({"semilla": -1}, "'semilla'"),
    ({"semilla": 1.5}, "'semilla'"),
])
def test_parametros_no_validos(opciones, mensaje):
    with pytest.raises(ValueError, match=mensaje):
        demo.cargar_demo(_almacen(), **opciones)


def test_determinismo():
    def huellas(semilla):
        con = _almacen()
        demo.cargar_demo(con, semilla=semilla, escala=0.05)
        return _huellas(con)

    primera = huellas(3)
    assert huellas(3) == primera
    otra = huellas(4)
    assert all(otra[t] != primera[t] for t in ("clientes", "interacciones", "encuestas", "auditoria_competencias"))


# --- integridad y rangos --------------------------------------------------------------------------

@pytest.mark.parametrize("sql", [
    "SELECT count(*) FROM interacciones WHERE cliente_id NOT IN (SELECT cliente_id FROM clientes)",
    "SELECT count(*) FROM interacciones WHERE agente_id NOT IN (SELECT agente_id FROM agentes)",
    "SELECT count(*) FROM encuestas WHERE cliente_id NOT IN (SELECT cliente_id FROM clientes)",
    "SELECT count(*) FROM encuestas WHERE interaccion_id NOT IN (SELECT interaccion_id FROM interacciones)",
    "SELECT count(*) FROM encuesta_etapas WHERE respuesta_id NOT IN (SELECT respuesta_id FROM encuestas)",
    "SELECT count(*) FROM auditorias WHERE agente_id NOT IN (SELECT agente_id FROM agentes)",
    "SELECT count(*) FROM auditoria_competencias WHERE auditoria_id NOT IN (SELECT auditoria_id FROM auditorias)",
    # identificadores únicos
    "SELECT count(*) - count(DISTINCT interaccion_id) FROM interacciones",
    "SELECT count(*) - count(DISTINCT respuesta_id) FROM encuestas",
    "SELECT count(*) - count(DISTINCT auditoria_id) FROM auditorias",
    # la interacción auditada es del agente auditado y anterior a la auditoría
    "SELECT count(*) FROM auditorias a JOIN interacciones i USING (interaccion_id) "
    "WHERE a.agente_id <> i.agente_id OR a.fecha < i.fecha_inicio",
    # la encuesta copia canal, sucursal y cliente de su interacción, y llega después del cierre
    "SELECT count(*) FROM encuestas e JOIN interacciones i USING (interaccion_id) "
    "WHERE e.canal <> i.canal OR e.sucursal <> i.sucursal OR e.cliente_id <> i.cliente_id OR e.fecha < i.fecha_fin",
    "SELECT count(*) FROM encuestas e JOIN clientes c USING (cliente_id) WHERE e.tipo_cliente <> c.tipo_cliente",
    "SELECT count(*) FROM interacciones WHERE fecha_fin < fecha_inicio",
])
def test_integridad(con_demo, sql):
    assert _valor(con_demo, sql) == 0


def test_cinco_etapas_por_encuesta_y_quince_competencias_por_auditoria(con_demo):
    etapas = sorted(e for e, _ in ETAPAS_PREDETERMINADAS)
    por_encuesta = con_demo.execute(
        "SELECT DISTINCT list(etapa ORDER BY etapa) FROM encuesta_etapas GROUP BY respuesta_id").fetchall()
    assert por_encuesta == [(etapas,)]
    codigos = sorted(c for c, _ in COMPETENCIAS)
    por_auditoria = con_demo.execute(
        "SELECT DISTINCT list(competencia ORDER BY competencia) FROM auditoria_competencias "
        "GROUP BY auditoria_id").fetchall()
    assert por_auditoria == [(codigos,)]
    assert con_demo.execute("SELECT DISTINCT escala FROM auditorias").fetchall() == [("1-5",)]


@pytest.mark.parametrize("columna, minimo, maximo", [
    ("csat", 1, 5), ("nps", 0, 10), ("ces", 1, 7),
])
def test_rangos_encuesta(con_demo, columna, minimo, maximo):
    bajo, alto, no_enteros = con_demo.execute(
        f"SELECT min({columna}), max({columna}), count(*) FILTER ({columna} <> round({columna})) FROM encuestas"
    ).fetchall()[0]
    assert (bajo, alto, no_enteros) == (minimo, maximo, 0)


def test_vacios_realistas(con_demo):
    vacios = con_demo.execute(
        "SELECT avg((csat IS NULL)::INT), avg((nps IS NULL)::INT), avg((ces IS NULL)::INT), "
        "avg((comentario IS NOT NULL)::INT), avg((interaccion_id IS NULL)::INT) FROM encuestas").fetchall()[0]
    csat, nps, ces, comentario, libres = vacios
    assert csat == 0 and 0.01 < nps < 0.06 and 0.07 < ces < 0.13
    assert 0.35 < comentario < 0.45 and 0 < libres < 0.15
    etapas = _valor(con_demo, "SELECT avg((calificacion IS NULL)::INT) FROM encuesta_etapas")
    assert 0.02 < etapas < 0.04
    assert _valor(con_demo, "SELECT min(calificacion) = 1 AND max(calificacion) = 5 FROM encuesta_etapas")
    na, bajo, alto = con_demo.execute(
        "SELECT avg((valor IS NULL)::INT), min(valor), max(valor) FROM auditoria_competencias").fetchall()[0]
    assert 0.01 < na < 0.03 and (bajo, alto) == (1, 5)


def test_fechas_dentro_de_los_18_meses(con_demo):
    desde, hasta = str(demo.FECHA_INICIO), str(demo.FECHA_FIN + timedelta(days=1))
    for tabla, columna in [("interacciones", "fecha_inicio"), ("interacciones", "fecha_fin"),
                           ("encuestas", "fecha"), ("auditorias", "fecha")]:
        fuera = _valor(con_demo, f"SELECT count(*) FROM {tabla} WHERE {columna} < ? OR {columna} >= ?",
                       [desde, hasta])
        assert fuera == 0, f"{tabla}.{columna}"
    meses = _valor(con_demo, "SELECT count(DISTINCT date_trunc('month', fecha_inicio)) FROM interacciones")
    assert meses == 18


def test_categorias(con_demo):
    def valores(sql):
        return {fila[0] for fila in con_demo.execute(sql).fetchall()}

    assert valores("SELECT DISTINCT canal FROM interacciones") == {"Teléfono", "Correo", "Chat", "Presencial",
                                                                   "WhatsApp"}
    assert valores("SELECT DISTINCT motivo FROM interacciones") == {"consulta", "queja", "reclamo", "solicitud",
                                                                    "nuevo negocio"}
    assert valores("SELECT DISTINCT etapa FROM interacciones") == set(demo.ETAPAS)
    assert valores("SELECT DISTINCT tipo_cliente FROM clientes") == {"externo", "intermedio", "interno"}
    assert valores("SELECT DISTINCT rol_servicio FROM agentes") == {"primario", "secundario", "apoyo"}
    assert valores("SELECT DISTINCT turno FROM agentes") == {"mañana", "tarde", "noche"}
    assert valores("SELECT DISTINCT equipo FROM agentes") == set(demo.EQUIPOS)
    assert _valor(con_demo, "SELECT avg((rol_servicio = 'primario')::INT) FROM agentes") > 0.6


def test_niveles_generales_realistas(con_demo):
    csat, top2 = con_demo.execute("SELECT avg(csat), avg((csat >= 4)::INT) FROM encuestas").fetchall()[0]
    assert 3.8 <= csat <= 4.1 and 0.65 <= top2 <= 0.75
    assert 15 <= _nps(con_demo, "true", []) <= 35
    assert 4.6 <= _valor(con_demo, "SELECT avg(ces) FROM encuestas") <= 5.4
    promesa, mediana, p90 = con_demo.execute(
        "SELECT avg(promesa_cumplida::INT), median(tiempo_respuesta_min), quantile_cont(tiempo_respuesta_min, 0.9) "
        "FROM interacciones").fetchall()[0]
    assert 0.85 <= promesa <= 0.90 and 10 <= mediana <= 15 and 45 <= p90 <= 70


def test_fcr_con_recontactos(con_demo):
    fcr = _valor(con_demo, """
        WITH siguiente AS (
            SELECT resuelto, fecha_inicio,
                   lead(fecha_inicio) OVER (PARTITION BY cliente_id, motivo ORDER BY fecha_inicio) AS proxima
            FROM interacciones)
        SELECT avg((resuelto AND (proxima IS NULL OR proxima > fecha_inicio + INTERVAL 7 DAY))::INT)
        FROM siguiente""")
    assert 0.65 <= fcr <= 0.80


# --- estructura sembrada -------------------------------------------------------------------------

def test_eslabon_mas_debil(con_demo):
    filas = con_demo.execute("""
        SELECT etapa, avg(calificacion) AS media, corr(calificacion, csat) AS r
        FROM encuesta_etapas JOIN encuestas USING (respuesta_id) GROUP BY etapa""").fetchall()
    media = {etapa: m for etapa, m, _ in filas}
    correlacion = {etapa: r for etapa, _, r in filas}
    otras = [m for etapa, m in media.items() if etapa != demo.ETAPA_DEBIL]
    assert min(media, key=media.get) == demo.ETAPA_DEBIL
    assert 3.0 <= media[demo.ETAPA_DEBIL] <= 3.4 and max(otras) - 0.5 > media[demo.ETAPA_DEBIL]
    assert all(3.8 <= m <= 4.3 for m in otras)
    assert max(correlacion, key=correlacion.get) == demo.ETAPA_DEBIL
    assert max(demo.PESOS_ETAPAS, key=demo.PESOS_ETAPAS.get) == demo.ETAPA_DEBIL


def test_nps_y_ces_siguen_al_csat(con_demo):
    r_nps, r_ces = con_demo.execute("SELECT corr(csat, nps), corr(csat, ces) FROM encuestas").fetchall()[0]
    assert r_nps > 0.6 and r_ces > 0.4


def test_caida_y_recuperacion_en_sucursal_norte(con_demo):
    duracion = demo.CAIDA_FIN - demo.CAIDA_INICIO + timedelta(days=1)
    periodos = {
        "antes": (demo.CAIDA_INICIO - duracion, demo.CAIDA_INICIO),
        "caida": (demo.CAIDA_INICIO, demo.CAIDA_FIN + timedelta(days=1)),
        "despues": (demo.CAIDA_FIN + timedelta(days=1), demo.CAIDA_FIN + timedelta(days=1) + duracion),
    }
    norte = {p: _nps(con_demo, "sucursal = ? AND fecha >= ? AND fecha < ?", [demo.SUCURSAL_CAIDA, *rango])
             for p, rango in periodos.items()}
    assert norte["caida"] <= norte["antes"] - 10 and norte["caida"] <= norte["despues"] - 10
    total = {p: _nps(con_demo, "fecha >= ? AND fecha < ?", list(rango)) for p, rango in periodos.items()}
    assert total["caida"] < min(total["antes"], total["despues"])
    promesa = {p: _valor(con_demo, "SELECT avg(promesa_cumplida::INT) FROM interacciones "
                                   "WHERE sucursal = ? AND fecha_inicio >= ? AND fecha_inicio < ?",
                         [demo.SUCURSAL_CAIDA, *rango]) for p, rango in periodos.items()}
    assert promesa["caida"] < 0.75 and promesa["antes"] > 0.85 and promesa["despues"] > 0.85


def test_brechas_de_competencias(con_demo):
    pares = [(agente, competencia) for agente, debiles in demo.BRECHAS.items() for competencia in debiles]
    con_demo.execute("CREATE OR REPLACE TEMP TABLE brechas (agente_id VARCHAR, competencia VARCHAR)")
    con_demo.executemany("INSERT INTO brechas VALUES (?, ?)", [list(p) for p in pares])
    en_brecha, resto = con_demo.execute("""
        SELECT avg(valor) FILTER (b.agente_id IS NOT NULL), avg(valor) FILTER (b.agente_id IS NULL)
        FROM auditoria_competencias ac JOIN auditorias a USING (auditoria_id)
        LEFT JOIN brechas b ON b.agente_id = a.agente_id AND b.competencia = ac.competencia
        WHERE ac.competencia IN (SELECT competencia FROM brechas)""").fetchall()[0]
    assert resto - en_brecha >= 1.0
    assert {c for _, c in pares} == set(demo.COMPETENCIAS_DEBILES)
    equipos = _valor(con_demo, "SELECT count(DISTINCT equipo) FROM agentes WHERE agente_id IN "
                               "(SELECT agente_id FROM brechas)")
    assert 2 <= equipos <= 3


def test_clientes_de_agentes_con_brechas_califican_peor(con_demo):
    con_brecha, sin_brecha = con_demo.execute("""
        SELECT avg(csat) FILTER (list_contains($agentes, agente_id)),
               avg(csat) FILTER (NOT list_contains($agentes, agente_id))
        FROM encuestas JOIN interacciones USING (interaccion_id)""",
        {"agentes": list(demo.AGENTES_CON_BRECHAS)}).fetchall()[0]
    assert 0.4 <= sin_brecha - con_brecha <= 0.9


def test_perfiles_de_clientes(con_demo):
    perfiles = {fila[0] for fila in con_demo.execute(
        "SELECT DISTINCT atributos->>'perfil' FROM clientes").fetchall()}
    assert perfiles == set(demo.PERFILES)
    filas = con_demo.execute("""
        SELECT c.atributos->>'perfil', mode(i.canal), avg((i.motivo IN ('queja', 'reclamo'))::INT),
               count(*) / count(DISTINCT c.cliente_id)
        FROM interacciones i JOIN clientes c USING (cliente_id) GROUP BY 1""").fetchall()
    canal = {perfil: c for perfil, c, _, _ in filas}
    quejas = {perfil: q for perfil, _, q, _ in filas}
    frecuencia = {perfil: f for perfil, _, _, f in filas}
    assert canal == demo.CANAL_PREFERIDO
    assert max(quejas, key=quejas.get) == demo.PERFIL_INSATISFECHO
    assert max(frecuencia, key=frecuencia.get) == demo.PERFIL_INSATISFECHO
    csat = dict(con_demo.execute("SELECT c.atributos->>'perfil', avg(csat) FROM encuestas "
                                 "JOIN clientes c USING (cliente_id) GROUP BY 1").fetchall())
    assert min(csat, key=csat.get) == demo.PERFIL_INSATISFECHO
    assert max(csat.values()) - min(csat.values()) > 0.5


def test_comentarios_con_el_tono_de_la_nota(con_demo):
    malos = {t for textos in encuestas.COMENTARIOS_MALOS.values() for t in textos}
    buenos = {t for textos in encuestas.COMENTARIOS_BUENOS.values() for t in textos}
    filas = con_demo.execute("SELECT csat, comentario FROM encuestas WHERE comentario IS NOT NULL").fetchall()
    assert all(c in malos for csat, c in filas if csat <= 2)
    assert all(c in buenos for csat, c in filas if csat >= 4)
    entrega = _valor(con_demo, "SELECT avg((comentario ILIKE '%entrega%')::INT) FROM encuestas "
                               "WHERE csat <= 2 AND comentario IS NOT NULL")
    assert entrega > 0.3


# --- línea de órdenes ----------------------------------------------------------------------------

def _ejecutar(*argumentos: str) -> subprocess.CompletedProcess:
    """Ejecuta ``python -m datos.demo`` desde la raíz del repositorio."""
    return subprocess.run([sys.executable, "-m", "datos.demo", *argumentos], cwd=RAIZ, capture_output=True,
                          text=True, timeout=120)


def test_cli_crea_y_carga(tmp_path):
    ruta = tmp_path / "demo.duckdb"
    resultado = _ejecutar("--db", str(ruta), "--semilla", "1", "--escala", "0.02")
    assert resultado.returncode == 0, resultado.stderr
    assert "interacciones: 1.000 filas" in resultado.stdout
    assert "encuesta_etapas: 2.000 filas" in resultado.stdout
    con = duckdb.connect(str(ruta), read_only=True)
    assert _valor(con, "SELECT count(*) FROM encuestas") == 400
    con.close()
    repetida = _ejecutar("--db", str(ruta), "--escala", "0.02")
    assert repetida.returncode == 1 and "ya tiene datos de demostración" in repetida.stderr


def test_cli_ayuda():
    resultado = _ejecutar("--help")
    assert resultado.returncode == 0
    assert "--semilla" in resultado.stdout and "--escala" in resultado.stdout and "almacén" in resultado.stdout


def test_ruta_predeterminada(monkeypatch):
    monkeypatch.setenv("ESLABON_DB", "/tmp/otra.duckdb")
    assert demo.ruta_predeterminada() == "/tmp/otra.duckdb"
    monkeypatch.delenv("ESLABON_DB")
    assert Path(demo.ruta_predeterminada()) == RAIZ / "eslabon.duckdb"


def test_fechas_fijas():
    assert (demo.FECHA_INICIO, demo.FECHA_FIN) == (date(2025, 5, 1), date(2026, 10, 31))
    assert demo.FECHA_INICIO < demo.CAIDA_INICIO < demo.CAIDA_FIN < demo.FECHA_FIN


def test_la_demostracion_trae_su_cadena_y_deshacerla_la_retira(almacen_memoria):
    con = almacen_memoria.cursor()
    aplicar(con, Configuracion(etapas=(Etapa("Entrega", "La nuestra", 4.5), Etapa("Cobro"))), usuario="prueba")
    demo.cargar_demo(con, escala=0.01)
    etapas = con.execute("SELECT etapa, carga_id IS NULL FROM etapas ORDER BY orden").fetchall()
    assert [e for e, _ in etapas] == ["Entrega", "Cobro", "Atención inicial", "Diagnóstico", "Solución", "Seguimiento"]
    carga = con.execute("SELECT carga_id FROM cargas WHERE es_demo").fetchall()[0][0]
    deshacer(con, carga, usuario="prueba")
    assert con.execute("SELECT etapa, descripcion, meta FROM etapas ORDER BY orden").fetchall() == [
        ("Entrega", "La nuestra", 4.5), ("Cobro", None, None)]
