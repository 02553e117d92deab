"""Tiempo de las consultas de la página Tendencias frente a pandas en memoria.

Usa los datos de demostración a escala 200 (10 millones de interacciones y 4 millones de
encuestas) que genera ``benchmarks/resumen.py`` en ``benchmarks/_datos/`` (los genera si
faltan). Mide lo que cuesta un cambio de filtros en la página: la serie de encuestas y la
de interacciones (12 meses, por semana o mes, con desglose), la comparación con el periodo
anterior por segmento, la distribución de calificaciones, el intervalo de la mediana por
estadísticos de orden y el detalle (500 filas).

Línea base: las mismas cuentas en pandas vectorizado (``groupby``/``agg``), con las tablas
ya cargadas en memoria (la carga no se cuenta). Se imprime el cociente pandas / Ibis+DuckDB.

Uso: ``python3 benchmarks/tendencias.py [--escala 200] [--repeticiones 3]``
"""

import sys
import time
from dataclasses import replace
from datetime import date, timedelta
from pathlib import Path

import numpy as np
import pandas as pd

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
sys.path.insert(0, str(Path(__file__).resolve().parent))

from comun import comparar, contar, filtrar_en_pandas, opciones, tablas_en_pandas  # noqa: E402
from resumen import preparar  # noqa: E402

from analisis.tendencias import filtros_de_horizonte  # noqa: E402
from datos.consultas import tendencias as consultas_tendencias  # noqa: E402
from datos.almacen.conexion import Almacen  # noqa: E402
from datos.consultas.filtros import Filtros, periodo_anterior  # noqa: E402

#: Cambios de filtros medidos: (filtros de la barra lateral, periodicidad, desglose).
ESCENARIOS = (
    (Filtros(date(2026, 8, 3), date(2026, 10, 31)), "semana", None),
    (Filtros(date(2026, 8, 3), date(2026, 10, 31)), "semana", "sucursal"),
    (Filtros(date(2026, 5, 1), date(2026, 10, 31), canales=("Teléfono",)), "mes", "equipo"),
    (Filtros(date(2026, 1, 1), date(2026, 3, 31), sucursales=("Sucursal Norte",), tipos_cliente=("externo",)),
     "semana", "segmento"),
)


def medir_ibis(almacen: Almacen, filtros: Filtros, periodicidad: str, desglose: str | None) -> float:
    """Segundos de las consultas de la página para un cambio de filtros (compilación Ibis incluida)."""
    con, serie = almacen.ibis(), filtros_de_horizonte(filtros, "12_meses")
    inicio = time.perf_counter()
    consultas_tendencias.serie_tendencia_encuestas(con, serie, periodicidad, desglose).to_pandas()
    consultas_tendencias.serie_tendencia_interacciones(con, serie, periodicidad, desglose).to_pandas()
    consultas_tendencias.comparacion_encuestas(con, filtros, desglose).to_pandas()
    consultas_tendencias.comparacion_interacciones(con, filtros, desglose).to_pandas()
    consultas_tendencias.distribucion_calificaciones(con, serie, periodicidad, "csat").to_pandas()
    consultas_tendencias.intervalo_percentil(con, serie, periodicidad, desglose, "tiempo_respuesta_min",
                                             0.5).to_pandas()
    consultas_tendencias.detalle_interacciones(con, replace(filtros, desde=filtros.hasta - timedelta(days=6)),
                                               desglose, None, "", 500).to_pandas()
    return time.perf_counter() - inicio


def _filtrar(t: dict[str, pd.DataFrame], filtros: Filtros) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Interacciones y encuestas con los filtros aplicados (mismas reglas que ``datos.consultas``)."""
    inter, enc = t["interacciones"], t["encuestas"]
    desde = pd.Timestamp(filtros.desde) if filtros.desde else pd.Timestamp.min
    hasta = pd.Timestamp(filtros.hasta + timedelta(days=1))
    inter = inter[(inter.fecha_inicio >= desde) & (inter.fecha_inicio < hasta)]
    enc = enc[(enc.fecha >= desde) & (enc.fecha < hasta)]
    return filtrar_en_pandas(t, filtros, inter, enc)


def _con_grupo(t: dict[str, pd.DataFrame], df: pd.DataFrame, desglose: str | None, origen: str) -> pd.DataFrame:
    """Añade ``grupo`` como lo hace ``datos.consultas.tendencias._con_grupo``."""
    if desglose is None:
        return df.assign(grupo="Total")
    if desglose in df.columns and not (origen == "interacciones" and desglose == "tipo_cliente"):
        return df.assign(grupo=df[desglose].fillna("(sin dato)"))
    if desglose in ("segmento", "tipo_cliente"):
        busqueda, clave = t["clientes"][["cliente_id", desglose]], "cliente_id"
    elif origen == "interacciones":
        busqueda, clave = t["agentes"][["agente_id", "equipo"]], "agente_id"
    else:
        columna = "equipo" if desglose == "equipo" else "motivo"
        busqueda = t["interacciones"][["interaccion_id", "agente_id", "motivo"]].merge(t["agentes"], how="left")
        busqueda, clave = busqueda[["interaccion_id", columna]], "interaccion_id"
    unida = df.merge(busqueda.rename(columns={busqueda.columns[1]: "grupo"}), on=clave, how="left")
    return unida.assign(grupo=unida.grupo.fillna("(sin dato)"))


_FRECUENCIAS = {"semana": "W-SUN", "mes": "M"}


def _periodo(fechas: pd.Series, periodicidad: str) -> pd.Series:
    return fechas.dt.to_period(_FRECUENCIAS[periodicidad]).dt.start_time


def _metricas_encuestas(df: pd.DataFrame, claves: list[str]) -> pd.DataFrame:
    df = df.assign(csat2=df.csat**2, top2=df.csat >= 4, promotor=df.nps >= 9, detractor=df.nps <= 6, ces2=df.ces**2)
    return df.groupby(claves).agg(n_csat=("csat", "count"), suma_csat=("csat", "sum"), suma2_csat=("csat2", "sum"),
                                  csat_top2=("top2", "sum"), n_nps=("nps", "count"), promotores=("promotor", "sum"),
                                  detractores=("detractor", "sum"), n_ces=("ces", "count"), suma_ces=("ces", "sum"),
                                  suma2_ces=("ces2", "sum"))


def _metricas_interacciones(df: pd.DataFrame, claves: list[str]) -> pd.DataFrame:
    df = df.assign(queja=df.motivo.str.strip().str.lower().isin(["queja", "reclamo"]))
    grupos = df.groupby(claves)
    tabla = grupos.agg(n=("interaccion_id", "size"), n_promesa=("promesa_cumplida", "count"),
                       promesa=("promesa_cumplida", "sum"), fcr=("fcr", "sum"),
                       n_resolucion=("tiempo_resolucion_h", "count"), quejas=("queja", "sum"))
    tiempos = grupos[["tiempo_respuesta_min", "tiempo_resolucion_h"]].quantile([0.5, 0.9]).unstack()
    tiempos.columns = [f"{medida}_{cuantil}" for medida, cuantil in tiempos.columns]
    return tabla.join(tiempos)


def _intervalo_mediana(df: pd.DataFrame, claves: list[str]) -> pd.DataFrame:
    df = df.dropna(subset=["tiempo_respuesta_min"]).sort_values(claves + ["tiempo_respuesta_min"])
    grupos = df.groupby(claves)
    rango, n = grupos.cumcount() + 1, grupos["tiempo_respuesta_min"].transform("size")
    mitad = 1.959964 * np.sqrt(n * 0.25)
    inferior, superior = np.maximum(np.ceil(n * 0.5 - mitad), 1), np.minimum(np.ceil(n * 0.5 + mitad), n)
    bajos = df[rango >= inferior].groupby(claves)["tiempo_respuesta_min"].min()
    altos = df[rango <= superior].groupby(claves)["tiempo_respuesta_min"].max()
    return pd.concat([bajos, altos], axis=1)


def medir_pandas(t: dict[str, pd.DataFrame], _almacen: Almacen, filtros: Filtros, periodicidad: str,
                 desglose: str | None) -> float:
    """Segundos de las mismas cuentas hechas en pandas (``_almacen`` llega con el escenario y no se usa)."""
    inicio = time.perf_counter()
    inter, enc = _filtrar(t, filtros_de_horizonte(filtros, "12_meses"))
    inter = _con_grupo(t, inter, desglose, "interacciones").assign(periodo=lambda d: _periodo(d.fecha_inicio,
                                                                                              periodicidad))
    enc = _con_grupo(t, enc, desglose, "encuestas").assign(periodo=lambda d: _periodo(d.fecha, periodicidad))
    _metricas_encuestas(enc, ["periodo", "grupo"])
    _metricas_interacciones(inter, ["periodo", "grupo"])
    enc.groupby(["periodo", enc.csat.round()]).size()
    _intervalo_mediana(inter, ["periodo", "grupo"])
    desde_anterior, _ = periodo_anterior(filtros.desde, filtros.hasta)
    inter2, enc2 = _filtrar(t, replace(filtros, desde=desde_anterior))
    actual = lambda f: np.where(f >= pd.Timestamp(filtros.desde), "actual", "anterior")  # noqa: E731
    enc2 = _con_grupo(t, enc2, desglose, "encuestas").assign(periodo=lambda d: actual(d.fecha))
    inter2 = _con_grupo(t, inter2, desglose, "interacciones").assign(periodo=lambda d: actual(d.fecha_inicio))
    _metricas_encuestas(enc2, ["periodo", "grupo"])
    medianas = inter2.groupby("grupo")[["tiempo_respuesta_min", "tiempo_resolucion_h"]].transform("median")
    inter2 = inter2.assign(sobre=inter2.tiempo_respuesta_min > medianas.tiempo_respuesta_min,
                           sobre_resolucion=inter2.tiempo_resolucion_h > medianas.tiempo_resolucion_h)
    _metricas_interacciones(inter2, ["periodo", "grupo"]).join(
        inter2.groupby(["periodo", "grupo"])[["sobre", "sobre_resolucion"]].sum())
    semana, _ = _filtrar(t, replace(filtros, desde=filtros.hasta - timedelta(days=6)))
    detalle = semana.merge(t["encuestas"][["interaccion_id", "csat", "nps", "comentario"]], on="interaccion_id",
                           how="left")
    detalle.sort_values(["fecha_inicio", "interaccion_id"], ascending=[False, True]).head(500)
    return time.perf_counter() - inicio


def main() -> None:
    """Mide ambos caminos y escribe los tiempos y el cociente."""
    ajustes = opciones(__doc__.splitlines()[0])
    almacen = preparar(ajustes.escala)
    contar(almacen.cursor(), ("interacciones", "encuestas"))
    escenarios = {f"{periodicidad}, desglose {desglose or '—'}": (almacen, filtros, periodicidad, desglose)
                  for filtros, periodicidad, desglose in ESCENARIOS}
    comparar(escenarios, medir_ibis, medir_pandas, lambda: tablas_en_pandas(almacen.cursor()), ajustes.repeticiones)


if __name__ == "__main__":
    main()
