"""Los agregados diarios dan las mismas cifras que las filas, y cada escritura los deja al día.

Sobre la demostración pequeña, y después de una carga de interacciones y encuestas, de deshacerla, de una
supresión y de una retención: conjuntos de filtros al azar (semilla fija: un día, todo el historial,
cada dimensión, selecciones vacías y fuera de alcance, desgloses y periodicidades) comparan cada consulta
leída de los agregados con la misma consulta leída de las filas. Sumas y conteos deben ser iguales;
medianas y p90, a menos del error relativo del histograma; los conteos de Mood, a menos de los valores
que caen en la cubeta de la mediana.
"""

import random
from datetime import timedelta
from unittest import mock

import ibis
import numpy as np
import pandas as pd
import pytest

from analisis.escalas import ERROR_PERCENTIL_HISTOGRAMA
from datos.almacen import agregados as escritos
from datos.almacen.esquema import migrar
from datos.almacen.transaccion import transaccion
from datos.consultas import agregados, filtros as consultas_filtros
from datos.consultas import resumen as consultas_resumen
from datos.consultas import tendencias as consultas_tendencias
from datos.consultas.filtros import Filtros, con_alcance
from datos.ingesta.carga import cargar_archivo
from datos.ingesta.historial import deshacer
from datos.personas import buscar, suprimir
from datos.personas.ajustes import guardar_plazos
from datos.personas.retencion import retener

PERCENTILES = {"respuesta_mediana", "respuesta_p90", "resolucion_mediana", "resolucion_p90"}
MOOD = {"sobre_mediana_conjunta": "tiempo_respuesta_min", "resolucion_sobre_mediana_conjunta": "tiempo_resolucion_h"}
TABLAS = ("agregados_encuestas", "agregados_interacciones", "agregados_tiempos", "agregados_estado")


def _valores(con, campo: str) -> list[str]:
    return consultas_resumen.valores_de_filtro(con, campo).to_pandas()["valor"].tolist()


def _filtros_al_azar(con, azar: random.Random, n: int) -> list[tuple[Filtros, str | None, str]]:
    """``n`` (filtros, desglose, periodicidad): el primero, todo el historial; el segundo, un solo día."""
    rango = consultas_resumen.rango_de_fechas(con).to_pandas().iloc[0]
    primera, ultima = rango.primera.date(), rango.ultima.date()
    valores = {campo: _valores(con, campo) for campo in ("canal", "sucursal", "tipo_cliente", "equipo")}
    elegidos = []
    for k in range(n):
        if k == 0:
            desde, hasta = primera, ultima
        else:
            desde = primera + timedelta(days=azar.randrange((ultima - primera).days + 1))
            hasta = desde if k == 1 else min(ultima, desde + timedelta(days=azar.choice([6, 30, 90, 200])))
        listas = {campo: tuple(azar.sample(v, azar.randint(0, min(2, len(v))))) if k > 1 else ()
                  for campo, v in valores.items()}
        f = Filtros(desde, hasta, canales=listas["canal"], sucursales=listas["sucursal"],
                    tipos_cliente=listas["tipo_cliente"], equipos=listas["equipo"])
        if k % 3 == 2:  # alcance de una cuenta limitada a una sucursal
            f = con_alcance(f, sucursales=(azar.choice(valores["sucursal"]),))
        if k == 3:  # una selección que no existe: todo vacío
            f = Filtros(desde, hasta, canales=("Palomas mensajeras",))
        desglose = azar.choice([None, "canal", "sucursal", "tipo_cliente", "equipo"])
        elegidos.append((f, desglose, azar.choice(["dia", "semana", "mes", "trimestre"])))
    return elegidos


def por_filas(consulta, con, *argumentos) -> pd.DataFrame:
    """``consulta(con, *argumentos)`` leída de las filas, sin los agregados (la referencia exacta)."""
    with mock.patch.object(agregados, "vigentes", return_value=False):
        return consulta(con, *argumentos).to_pandas()


def _cota_mood(con, filtros: Filtros, desglose: str | None) -> dict[str, pd.Series]:
    """Por grupo, los tiempos a menos de 2α de la mediana conjunta del grupo (los de su cubeta o la vecina)."""
    ambos = consultas_resumen.con_periodo_anterior(filtros)
    t = consultas_tendencias._con_grupo(con, consultas_filtros.interacciones(con, ambos), desglose, "interacciones")
    filas = t.select("grupo", *MOOD.values()).to_pandas()
    cotas = {}
    for nombre, columna in MOOD.items():
        mediana = filas.groupby("grupo")[columna].transform("median")
        cerca = (filas[columna] - mediana).abs() <= 2.001 * ERROR_PERCENTIL_HISTOGRAMA * mediana
        cotas[nombre] = cerca.groupby(filas.grupo).sum()
    return cotas


def _iguales(rapido: pd.DataFrame, lento: pd.DataFrame, claves: list[str], cotas: dict | None = None) -> None:
    """Mismas columnas, tipos y filas; sumas exactas, percentiles a menos de α, Mood dentro de su cota."""
    assert list(rapido.columns) == list(lento.columns)
    assert dict(rapido.dtypes) == dict(lento.dtypes)
    rapido = rapido.sort_values(claves).reset_index(drop=True)
    lento = lento.sort_values(claves).reset_index(drop=True)
    pd.testing.assert_frame_equal(rapido[claves], lento[claves])
    for columna in rapido.columns.difference(claves):
        a, b = rapido[columna].astype(float), lento[columna].astype(float)
        assert (a.isna() == b.isna()).all(), columna
        a, b = a[b.notna()], b[b.notna()]
        if b.empty:
            continue
        if columna in PERCENTILES:
            assert ((a - b).abs() <= ERROR_PERCENTIL_HISTOGRAMA * b.abs() * (1 + 1e-9) + 1e-12).all(), columna
        elif columna in MOOD:
            cota = lento.loc[b.index, "grupo"].map(cotas[columna]) if "grupo" in lento else cotas[columna].sum()
            assert ((a - b).abs() <= cota).all(), columna
        else:
            np.testing.assert_allclose(a, b, rtol=1e-9, err_msg=columna)


def _comparar_todo(almacen, semilla: int, n: int = 6) -> None:
    """Cada consulta que lee agregados, con ``n`` conjuntos de filtros al azar, frente a las filas."""
    con = almacen.ibis()
    assert agregados.vigentes(con, "encuestas") and agregados.vigentes(con, "interacciones")
    for filtros, desglose, periodicidad in _filtros_al_azar(con, random.Random(semilla), n):
        for consulta, claves in ((consultas_resumen.resumen_encuestas, ["periodo"]),
                                 (consultas_resumen.serie_encuestas, ["mes"]),
                                 (consultas_resumen.serie_interacciones, ["mes"])):
            _iguales(consulta(con, filtros).to_pandas(), por_filas(consulta, con, filtros), claves)
        _iguales(consultas_resumen.resumen_interacciones(con, filtros).to_pandas(),
                 por_filas(consultas_resumen.resumen_interacciones, con, filtros), ["periodo"],
                 {n: c.sum() for n, c in _cota_mood(con, filtros, None).items()})
        for consulta in consultas_tendencias.SERIES.values():
            argumentos = (filtros, periodicidad, desglose)
            _iguales(consulta(con, *argumentos).to_pandas(), por_filas(consulta, con, *argumentos),
                     ["periodo", "grupo"])
        _iguales(consultas_tendencias.comparacion_encuestas(con, filtros, desglose).to_pandas(),
                 por_filas(consultas_tendencias.comparacion_encuestas, con, filtros, desglose), ["periodo", "grupo"])
        _iguales(consultas_tendencias.comparacion_interacciones(con, filtros, desglose).to_pandas(),
                 por_filas(consultas_tendencias.comparacion_interacciones, con, filtros, desglose),
                 ["periodo", "grupo"], _cota_mood(con, filtros, desglose))


def _instantanea(con) -> dict[str, pd.DataFrame]:
    """Las tablas de agregados, ordenadas, para compararlas."""
    tablas = {}
    for tabla in TABLAS:
        df = con.execute(f"SELECT * FROM {tabla}").df()
        tablas[tabla] = df.sort_values(list(df.columns)).reset_index(drop=True)
    return tablas


def _consistentes(almacen) -> None:
    """Los agregados que dejó la escritura son los que da sumarlos de nuevo desde las filas."""
    con = almacen.cursor()
    dejados = _instantanea(con)
    with transaccion(con):
        escritos.recalcular(con)
        nuevos = _instantanea(con)
    for tabla in TABLAS:
        pd.testing.assert_frame_equal(dejados[tabla], nuevos[tabla], check_exact=False, rtol=1e-12)


def _csv_de_carga(almacen, carpeta) -> tuple:
    """Un CSV de 300 interacciones nuevas (últimos 40 días, clientes y agentes existentes) y otro de
    200 encuestas que responden a ellas."""
    con = almacen.cursor()
    azar = np.random.default_rng(3)
    clientes = [f[0] for f in con.execute("SELECT cliente_id FROM clientes ORDER BY 1 LIMIT 200").fetchall()]
    agentes = [f[0] for f in con.execute("SELECT agente_id FROM agentes ORDER BY 1").fetchall()]
    ultima = con.execute("SELECT max(fecha_inicio) FROM interacciones").fetchall()[0][0]
    n = 300
    inicios = [ultima - timedelta(minutes=int(m)) for m in azar.integers(0, 40 * 24 * 60, n)]
    interacciones = pd.DataFrame({
        "interaccion_id": [f"NUEVA-{i}" for i in range(n)],
        "fecha_inicio": [f.strftime("%d/%m/%Y %H:%M") for f in inicios],
        "fecha_fin": [(f + timedelta(hours=2)).strftime("%d/%m/%Y %H:%M") for f in inicios],
        "cliente_id": azar.choice(clientes, n), "agente_id": azar.choice(agentes, n),
        "canal": azar.choice(["Teléfono", "Chat", "Correo"], n), "sucursal": azar.choice(_valores(
            almacen.ibis(), "sucursal"), n),
        "motivo": azar.choice(["queja", "consulta", "reclamo"], n),
        "tiempo_respuesta_min": [f"{v:.1f}".replace(".", ",") for v in azar.gamma(2, 7, n)],
        "tiempo_resolucion_h": [f"{v:.2f}".replace(".", ",") for v in azar.gamma(2, 3, n)],
        "resuelto": azar.choice(["Sí", "No"], n), "promesa_cumplida": azar.choice(["Sí", "No"], n),
    })
    m = 200
    elegidas = interacciones.sample(m, random_state=1).reset_index(drop=True)
    encuestas = pd.DataFrame({
        "respuesta_id": [f"RNUEVA-{i}" for i in range(m)], "fecha": elegidas.fecha_inicio.str[:10],
        "cliente_id": elegidas.cliente_id, "interaccion_id": elegidas.interaccion_id, "canal": elegidas.canal,
        "sucursal": elegidas.sucursal, "tipo_cliente": azar.choice(["externo", "interno"], m),
        "csat": azar.integers(1, 6, m), "nps": azar.integers(0, 11, m), "ces": azar.integers(1, 8, m),
    })
    rutas = carpeta / "interacciones.csv", carpeta / "encuestas.csv"
    interacciones.to_csv(rutas[0], sep=";", index=False)
    encuestas.to_csv(rutas[1], sep=";", index=False)
    return rutas


def _cargar(almacen, ruta, tipo: str) -> int:
    columnas = pd.read_csv(ruta, sep=";", nrows=0).columns
    _, resultado, informe = cargar_archivo(almacen.cursor(), ruta, tipo, mapeo={c: c for c in columnas},
                                           usuario="prueba")
    assert resultado.carga_id is not None, (resultado.mensaje, informe)
    return resultado.carga_id


@pytest.fixture
def demo(demo_nueva):
    return demo_nueva()


def test_la_demostracion_y_la_migracion_dejan_agregados_que_dan_las_cifras_de_las_filas(demo):
    _consistentes(demo)
    _comparar_todo(demo, semilla=1)


def test_tras_cargar_deshacer_suprimir_y_retener_los_agregados_siguen_cuadrando(demo, tmp_path):
    contactos, respuestas = _csv_de_carga(demo, tmp_path)
    carga_contactos = _cargar(demo, contactos, "interacciones")
    _cargar(demo, respuestas, "encuestas")
    _consistentes(demo)
    _comparar_todo(demo, semilla=2)

    deshacer(demo.cursor(), carga_contactos, usuario="prueba")
    _consistentes(demo)
    _comparar_todo(demo, semilla=3, n=4)

    cliente = demo.cursor().execute("SELECT cliente_id FROM encuestas WHERE cliente_id IS NOT NULL "
                                    "ORDER BY respuesta_id LIMIT 1").fetchall()[0][0]
    suprimir(demo, buscar(demo, cliente), usuario="prueba")
    _consistentes(demo)
    _comparar_todo(demo, semilla=4, n=4)

    guardar_plazos(demo.cursor(), {"encuestas": 200, "interacciones": 200, "comentarios": 100, "auditorias": 0},
                   autor="prueba")
    retener(demo, usuario="prueba")
    _consistentes(demo)


def test_una_carga_solo_suma_de_nuevo_las_celdas_que_toca(demo, tmp_path):
    contactos, _ = _csv_de_carga(demo, tmp_path)
    con = demo.cursor()
    antes = con.execute("SELECT count(*) FROM agregados_interacciones WHERE dia < "
                        "(SELECT max(dia) - 45 FROM agregados_interacciones)").fetchall()[0][0]
    with mock.patch.object(escritos, "recalcular", wraps=escritos.recalcular) as recalcular:
        _cargar(demo, contactos, "interacciones")
    celdas = recalcular.call_args_list[0].args[2]
    dias = {dia for dia, _, _ in celdas}
    assert dias and len(dias) < 60  # los 40 días de la carga y los de FCR cambiado, no los ~550 del historial
    # ni los días enteros: solo los canales y sucursales de sus filas (y de las de FCR cambiado)
    de_esos_dias = con.execute("SELECT count(*) FROM (SELECT DISTINCT dia, canal, sucursal FROM agregados_interacciones "
                               "WHERE dia IN (SELECT UNNEST($dias)))", {"dias": sorted(dias)}).fetchall()[0][0]
    assert len(celdas) < de_esos_dias
    despues = con.execute("SELECT count(*) FROM agregados_interacciones WHERE dia < "
                          "(SELECT max(dia) - 45 FROM agregados_interacciones)").fetchall()[0][0]
    assert antes == despues
    _consistentes(demo)


def test_una_escritura_que_no_pasa_por_derivados_deja_de_lado_los_agregados(demo):
    con = demo.cursor()
    assert agregados.vigentes(demo.ibis(), "interacciones")
    con.execute("INSERT INTO interacciones (interaccion_id, fecha_inicio, carga_id) VALUES ('suelta', now(), 1)")
    assert not agregados.vigentes(demo.ibis(), "interacciones")
    assert agregados.vigentes(demo.ibis(), "encuestas")


def test_el_equipo_de_una_encuesta_llega_con_la_carga_de_su_interaccion(demo, tmp_path):
    contactos, respuestas = _csv_de_carga(demo, tmp_path)
    _cargar(demo, respuestas, "encuestas")  # antes que sus interacciones: aún sin equipo
    con = demo.cursor()
    sin_equipo = con.execute("SELECT sum(n_respuestas) FROM agregados_encuestas WHERE equipo IS NULL").fetchall()[0][0]
    _cargar(demo, contactos, "interacciones")
    ahora = con.execute("SELECT sum(n_respuestas) FROM agregados_encuestas WHERE equipo IS NULL").fetchall()[0][0]
    assert ahora == sin_equipo - 200
    _consistentes(demo)


def test_los_percentiles_del_histograma_respetan_su_cota_en_valores_conocidos(con_memoria):
    valores = [0.0, 0.4, 1.0, 2.5, 12.5, 60.0, 1362.2, 7.0, 7.0, 7.1]
    con_memoria.execute("CREATE TEMP TABLE v (x DOUBLE)")
    con_memoria.executemany("INSERT INTO v VALUES (?)", [[x] for x in valores])
    backend = ibis.duckdb.from_connection(con_memoria)
    t = backend.table("v")
    hist = t.group_by(cubeta=escritos.cubeta(t.x)).aggregate(n=t.count())
    hist = hist.mutate(valor=escritos.valor_de_cubeta(hist.cubeta))
    for q in (0.1, 0.5, 0.9):
        aproximado = agregados.percentiles(hist, [], {"p": q}).to_pandas().p.iloc[0]
        exacto = float(np.quantile(valores, q))
        assert abs(aproximado - exacto) <= ERROR_PERCENTIL_HISTOGRAMA * exacto + 1e-12
    assert agregados.nota_histograma() == "Mediana y p90 de los agregados diarios: error relativo ≤ 1 %."


def test_la_migracion_31_quita_los_niveles_gruesos_del_histograma(demo):
    """Un almacén de antes (histograma con nivel 'segmento' y niveles gruesos) queda con un solo nivel y
    las mismas cifras."""
    con = demo.cursor()
    con.execute("ALTER TABLE agregados_tiempos ADD COLUMN nivel VARCHAR DEFAULT 'segmento'")
    con.execute("INSERT INTO agregados_tiempos BY NAME SELECT 'todo' AS nivel, dia, medida, cubeta, sum(n) AS n "
                "FROM agregados_tiempos GROUP BY ALL")
    con.execute("DELETE FROM esquema_version WHERE version = 31")
    assert migrar(con) == [31]
    columnas = [c[0] for c in con.execute("DESCRIBE agregados_tiempos").fetchall()]
    assert "nivel" not in columnas and "cubeta" in columnas
    _consistentes(demo)


def _fichas_que_llegan_despues(almacen, carpeta) -> tuple:
    """Quita del almacén un cliente y un agente ya citados (como si sus fichas no se hubieran cargado aún),
    deja los agregados al día sin ellos y escribe los CSV de clientes y agentes que los traen de vuelta."""
    con = almacen.cursor()
    cliente = con.execute("SELECT cliente_id, tipo_cliente FROM clientes ORDER BY cliente_id LIMIT 1").fetchall()[0]
    agente = con.execute("SELECT agente_id, nombre, equipo FROM agentes ORDER BY agente_id LIMIT 1").fetchall()[0]
    with transaccion(con):
        con.execute("DELETE FROM clientes WHERE cliente_id = ?", [cliente[0]])
        con.execute("DELETE FROM agentes WHERE agente_id = ?", [agente[0]])
        escritos.recalcular(con)
    rutas = carpeta / "clientes.csv", carpeta / "agentes.csv"
    pd.DataFrame({"cliente_id": [cliente[0]], "tipo_cliente": [cliente[1]]}).to_csv(rutas[0], sep=";", index=False)
    pd.DataFrame({"agente_id": [agente[0]], "nombre": [agente[1]], "equipo": [agente[2]]}).to_csv(
        rutas[1], sep=";", index=False)
    return rutas


def _celdas_sumadas(llamadas) -> int:
    """Cuántas celdas volvieron a sumarse en las llamadas a ``recalcular`` (falla si alguna no las limitó)."""
    assert all(len(llamada.args) > 2 for llamada in llamadas), "se volvieron a sumar todas las celdas"
    return sum(len(llamada.args[2]) for llamada in llamadas)


def test_fichas_deshacer_y_supresion_solo_suman_de_nuevo_las_celdas_de_sus_filas(demo, tmp_path):
    clientes, agentes = _fichas_que_llegan_despues(demo, tmp_path)
    con = demo.cursor()
    total = con.execute("SELECT count(*) FROM (SELECT DISTINCT dia, canal, sucursal FROM agregados_interacciones)"
                        ).fetchall()[0][0]
    cargas = {}

    def escribir(nombre: str, escritura) -> int:
        """Celdas que ``escritura`` volvió a sumar (interacciones + encuestas); comprueba que cuadren después."""
        with mock.patch.object(escritos, "recalcular", wraps=escritos.recalcular) as recalcular:
            cargas[nombre] = escritura()
        _consistentes(demo)
        return _celdas_sumadas(recalcular.call_args_list)

    # el tipo de cliente llega a las interacciones ya guardadas del cliente: solo sus celdas (y las de las
    # encuestas que las responden) vuelven a sumarse, no sus días enteros
    del_cliente = con.execute(
        "SELECT (SELECT count(DISTINCT (CAST(fecha_inicio AS DATE), canal, sucursal)) FROM interacciones "
        "        WHERE cliente_id = $c) + (SELECT count(DISTINCT (CAST(fecha AS DATE), canal, sucursal)) "
        "        FROM encuestas WHERE interaccion_id IN (SELECT interaccion_id FROM interacciones WHERE cliente_id = $c))",
        {"c": pd.read_csv(clientes, sep=";").cliente_id[0]}).fetchall()[0][0]
    assert escribir("clientes", lambda: _cargar(demo, clientes, "clientes")) == del_cliente > 0
    # el equipo llega a sus interacciones y a las encuestas que las responden
    assert 0 < escribir("agentes", lambda: _cargar(demo, agentes, "agentes")) < 2 * total
    assert 0 < escribir("deshacer", lambda: deshacer(con, cargas["clientes"], usuario="prueba")) < total
    cliente = con.execute("SELECT cliente_id FROM encuestas WHERE cliente_id IS NOT NULL "
                          "ORDER BY respuesta_id DESC LIMIT 1").fetchall()[0][0]
    assert 0 < escribir("supresion", lambda: suprimir(demo, buscar(demo, cliente), usuario="prueba")) < total
    _comparar_todo(demo, semilla=5, n=4)
