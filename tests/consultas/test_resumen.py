"""Las consultas Ibis devuelven lo mismo que el cálculo directo en pandas sobre datos pequeños."""

from datetime import date, datetime, timedelta

import numpy as np
import pandas as pd
import pytest

from datos.consultas import filtros as consultas_filtros
from datos.consultas import resumen as consultas_resumen
from datos.consultas.filtros import Filtros, periodo_anterior
from datos.almacen.derivados import recalcular_fcr

INICIO = datetime(2026, 1, 1)


@pytest.fixture
def datos_pequenos(almacen_memoria):
    """400 interacciones y 300 encuestas aleatorias (semilla fija) escritas en el almacén."""
    rng = np.random.default_rng(7)
    con = almacen_memoria.cursor()
    con.execute("INSERT INTO cargas (carga_id, tipo) VALUES (1, 'prueba')")
    clientes = pd.DataFrame({"cliente_id": [f"C{i}" for i in range(40)],
                             "tipo_cliente": rng.choice(["externo", "interno", "intermedio"], 40)})
    agentes = pd.DataFrame({"agente_id": [f"A{i}" for i in range(6)], "equipo": ["Uno", "Uno", "Dos", "Dos", "Tres", None]})
    n = 400
    inter = pd.DataFrame({
        "interaccion_id": [f"I{i}" for i in range(n)],
        "fecha_inicio": [INICIO + timedelta(hours=int(h)) for h in rng.integers(0, 24 * 120, n)],
        "cliente_id": rng.choice(clientes.cliente_id, n),
        "agente_id": rng.choice(agentes.agente_id, n),
        "canal": rng.choice(["Chat", "Teléfono", "Correo"], n),
        "sucursal": rng.choice(["Norte", "Sur"], n),
        "motivo": rng.choice(["queja", "consulta"], n),
        "tiempo_respuesta_min": rng.gamma(2, 6, n).round(1),
        "resuelto": rng.random(n) < 0.8,
        "promesa_cumplida": np.where(rng.random(n) < 0.1, None, rng.random(n) < 0.85),
    })
    # Terminadas una hora después; una de cada 50 sigue abierta (su FCR aún no se sabe).
    inter["fecha_fin"] = [None if i % 50 == 0 else f + timedelta(hours=1) for i, f in enumerate(inter.fecha_inicio)]
    m = 300
    enc = pd.DataFrame({
        "respuesta_id": [f"R{i}" for i in range(m)],
        "interaccion_id": rng.choice(inter.interaccion_id, m),
        "csat": np.where(rng.random(m) < 0.1, np.nan, rng.integers(1, 6, m)),
        "nps": rng.integers(0, 11, m).astype(float),
        "ces": np.where(rng.random(m) < 0.2, np.nan, rng.integers(1, 8, m)),
    })
    enc = enc.merge(inter[["interaccion_id", "fecha_inicio", "canal", "sucursal", "cliente_id"]], on="interaccion_id")
    enc["fecha"] = enc.pop("fecha_inicio") + timedelta(hours=5)
    enc = enc.merge(clientes, on="cliente_id")
    con.register("c_df", clientes)
    con.register("a_df", agentes)
    con.register("i_df", inter)
    con.register("e_df", enc)
    con.execute("INSERT INTO clientes (cliente_id, tipo_cliente, carga_id) SELECT *, 1 FROM c_df")
    con.execute("INSERT INTO agentes (agente_id, equipo, carga_id) SELECT *, 1 FROM a_df")
    con.execute("INSERT INTO interacciones BY NAME SELECT *, 1 AS carga_id FROM i_df")
    recalcular_fcr(con)
    con.execute("INSERT INTO encuestas BY NAME SELECT * EXCLUDE (cliente_id, tipo_cliente), cliente_id, "
                "tipo_cliente, 1 AS carga_id FROM e_df")
    inter = inter.merge(agentes, on="agente_id").merge(clientes, on="cliente_id")
    enc = enc.merge(inter[["interaccion_id", "equipo"]], on="interaccion_id")
    return almacen_memoria.ibis(), inter, enc


def _en_rango(fechas, desde, hasta):
    return (fechas >= pd.Timestamp(desde)) & (fechas < pd.Timestamp(hasta + timedelta(days=1)))


FILTROS = [
    Filtros(date(2026, 3, 1), date(2026, 3, 31)),
    Filtros(date(2026, 3, 1), date(2026, 3, 31), canales=("Chat", "Correo")),
    Filtros(date(2026, 2, 10), date(2026, 4, 20), equipos=("Uno",), tipos_cliente=("externo",)),
    Filtros(date(2026, 3, 1), date(2026, 4, 30), sucursales=("Norte",), canales=()),
]


def _aplicar(df, filtros, fecha):
    mascara = pd.Series(True, index=df.index)
    for columna, valores in (("canal", filtros.canales), ("sucursal", filtros.sucursales),
                             ("tipo_cliente", filtros.tipos_cliente), ("equipo", filtros.equipos)):
        if valores:
            mascara &= df[columna].isin(valores)
    desde_anterior, _ = periodo_anterior(filtros.desde, filtros.hasta)
    df = df[mascara & _en_rango(df[fecha], desde_anterior, filtros.hasta)].copy()
    df["periodo"] = np.where(df[fecha] >= pd.Timestamp(filtros.desde), "actual", "anterior")
    return df


@pytest.mark.parametrize("filtros", FILTROS)
def test_resumen_encuestas_igual_a_pandas(datos_pequenos, filtros):
    con, _, enc = datos_pequenos
    obtenido = consultas_resumen.resumen_encuestas(con, filtros).to_pandas().set_index("periodo")
    esperado = _aplicar(enc, filtros, "fecha")
    for periodo, grupo in esperado.groupby("periodo"):
        fila = obtenido.loc[periodo]
        assert fila["n_respuestas"] == len(grupo)
        assert fila["n_csat"] == grupo.csat.notna().sum()
        assert fila["suma_csat"] == pytest.approx(grupo.csat.sum())
        assert fila["csat_top2"] == (grupo.csat >= 4).sum()
        assert fila["promotores"] == (grupo.nps >= 9).sum()
        assert fila["detractores"] == (grupo.nps <= 6).sum()
        assert fila["n_ces"] == grupo.ces.notna().sum()
        assert fila["suma2_ces"] == pytest.approx((grupo.ces**2).sum())
    assert set(obtenido.index) == set(esperado.periodo)


@pytest.mark.parametrize("filtros", FILTROS)
def test_resumen_interacciones_igual_a_pandas(datos_pequenos, filtros):
    con, inter, _ = datos_pequenos
    obtenido = consultas_resumen.resumen_interacciones(con, filtros).to_pandas().set_index("periodo")
    esperado = _aplicar(inter, filtros, "fecha_inicio")
    mediana_conjunta = esperado.tiempo_respuesta_min.median()
    for periodo, grupo in esperado.groupby("periodo"):
        fila = obtenido.loc[periodo]
        assert fila["n_interacciones"] == len(grupo)
        assert fila["n_promesa"] == grupo.promesa_cumplida.notna().sum()
        assert fila["promesa_cumplida"] == (grupo.promesa_cumplida == True).sum()  # noqa: E712
        assert fila["respuesta_mediana"] == pytest.approx(grupo.tiempo_respuesta_min.median())
        assert fila["respuesta_p90"] == pytest.approx(grupo.tiempo_respuesta_min.quantile(0.9))
        assert fila["sobre_mediana_conjunta"] == (grupo.tiempo_respuesta_min > mediana_conjunta).sum()


def test_fcr_cuenta_recontactos_del_mismo_cliente_y_motivo(datos_pequenos):
    con, inter, _ = datos_pequenos
    ordenadas = inter.sort_values("fecha_inicio")
    siguiente = ordenadas.groupby(["cliente_id", "motivo"]).fecha_inicio.shift(-1)
    sin_recontacto = siguiente.isna() | (siguiente > ordenadas.fecha_inicio + timedelta(days=7))
    cerrada = ordenadas.fecha_fin.notna() & (ordenadas.fecha_inicio + timedelta(days=7) <= ordenadas.fecha_inicio.max())
    esperado = {i: (bool(r and s) if c else None) for i, r, s, c in
                zip(ordenadas.interaccion_id, ordenadas.resuelto, sin_recontacto, cerrada)}
    obtenido = consultas_filtros.interacciones(con, Filtros()).select("interaccion_id", "fcr").to_pandas()
    assert {i: (None if pd.isna(f) else bool(f)) for i, f in zip(obtenido.interaccion_id, obtenido.fcr)} == esperado
    assert 0 < sum(v is True for v in esperado.values()) < sum(v is not None for v in esperado.values())
    assert 0 < sum(v is None for v in esperado.values())


def test_listas_vacias_no_filtran(datos_pequenos):
    con, inter, _ = datos_pequenos
    assert consultas_filtros.interacciones(con, Filtros(canales=(), equipos=())).count().execute() == len(inter)
    assert consultas_filtros.interacciones(con, Filtros(canales=("Fax",))).count().execute() == 0


def test_serie_mensual(datos_pequenos):
    con, _, enc = datos_pequenos
    serie = consultas_resumen.serie_encuestas(con, Filtros(date(2026, 1, 1), date(2026, 4, 30)), meses=3).to_pandas()
    assert [m.month for m in pd.to_datetime(serie.mes)] == [2, 3, 4]
    marzo = enc[(enc.fecha.dt.month == 3)]
    assert serie.loc[1, "n_respuestas"] == len(marzo)


def test_valores_de_filtro_distintos_y_ordenados(datos_pequenos):
    con, _, _ = datos_pequenos
    canales = consultas_resumen.valores_de_filtro(con, "canal").to_pandas()
    assert canales.valor.tolist() == ["Chat", "Correo", "Teléfono"]
    assert consultas_resumen.valores_de_filtro(con, "equipo").to_pandas().valor.tolist() == ["Dos", "Tres", "Uno"]
    with pytest.raises(ValueError, match="campo"):
        consultas_resumen.valores_de_filtro(con, "'; DROP TABLE encuestas; --")


def test_rango_de_fechas(datos_pequenos, almacen_memoria):
    con, inter, enc = datos_pequenos
    rango = consultas_resumen.rango_de_fechas(con).to_pandas()
    assert pd.Timestamp(rango.loc[0, "primera"]).date() == min(inter.fecha_inicio.min(), enc.fecha.min()).date()
    assert pd.Timestamp(rango.loc[0, "ultima"]).date() == max(inter.fecha_inicio.max(), enc.fecha.max()).date()


def test_filtros_con_texto_hostil_no_rompen_nada(datos_pequenos):
    con, inter, _ = datos_pequenos
    hostil = Filtros(canales=("x' OR '1'='1",), sucursales=("'); DELETE FROM interacciones; --",))
    assert consultas_filtros.interacciones(con, hostil).count().execute() == 0
    assert consultas_filtros.interacciones(con, Filtros()).count().execute() == len(inter)


def test_periodo_anterior_misma_duracion():
    assert periodo_anterior(date(2026, 3, 1), date(2026, 3, 1)) == (date(2026, 2, 28), date(2026, 2, 28))
