"""Tiempo de las consultas del resumen ejecutivo frente a pandas en memoria.

Genera (una vez) los datos de demostración a escala 200 —10 millones de
interacciones y 4 millones de encuestas— en ``benchmarks/_datos/``, y mide
lo que cuesta un cambio de filtro: las cuatro consultas que alimentan todas
las tarjetas (resumen y serie mensual de encuestas e interacciones).

Línea base: las mismas cuentas en pandas, con las tablas ya cargadas en
memoria (la carga no se cuenta) y el FCR ya calculado, igual que en el almacén. Se imprime el cociente pandas / Ibis+DuckDB.

Uso: ``python3 benchmarks/resumen.py [--escala 200] [--repeticiones 3]``
"""

import sys
import time
from datetime import date, timedelta
from pathlib import Path

import pandas as pd

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
sys.path.insert(0, str(Path(__file__).resolve().parent))

from comun import comparar, contar, filtrar_en_pandas, opciones, tablas_en_pandas  # noqa: E402
from datos import demo  # noqa: E402
from datos.consultas import resumen as consultas_resumen  # noqa: E402
from datos.motores import lago  # noqa: E402
from datos.almacen.conexion import Almacen  # noqa: E402
from datos.consultas.filtros import Filtros, periodo_anterior  # noqa: E402

CARPETA = Path(__file__).resolve().parent / "_datos"

FILTROS = (
    Filtros(date(2026, 8, 3), date(2026, 10, 31)),
    Filtros(date(2026, 8, 3), date(2026, 10, 31), canales=("Teléfono",)),
    Filtros(date(2026, 1, 1), date(2026, 3, 31), sucursales=("Sucursal Norte",), tipos_cliente=("externo",)),
    Filtros(date(2026, 5, 1), date(2026, 10, 31), equipos=("Equipo Andes",)),
)

CONSULTAS = (consultas_resumen.resumen_encuestas, consultas_resumen.resumen_interacciones,
             consultas_resumen.serie_encuestas, consultas_resumen.serie_interacciones)


def preparar(escala: float) -> Almacen:
    """Abre el almacén de la escala pedida, generándolo si aún no existe."""
    CARPETA.mkdir(exist_ok=True)
    ruta = CARPETA / f"demo_{escala:g}.duckdb"
    nuevo = not ruta.exists()
    almacen = Almacen(str(ruta))
    if nuevo:
        inicio = time.perf_counter()
        filas = demo.cargar_demo(almacen.cursor(), escala=escala)
        print(f"Datos generados en {time.perf_counter() - inicio:.1f} s: {filas}")
    return almacen


def lago_de(escala: float, almacen) -> Path:
    """Carpeta del lago de esa escala, exportándolo si aún no existe."""
    destino = CARPETA / f"lago_{escala:g}"
    if not (destino / "interacciones").exists():
        inicio = time.perf_counter()
        lago.exportar(almacen.cursor(), destino)
        print(f"Lago exportado en {time.perf_counter() - inicio:.1f} s: {destino}")
    return destino


def medir_ibis(almacen: Almacen, filtros: Filtros) -> float:
    """Segundos de las cuatro consultas del resumen (compilación Ibis incluida)."""
    inicio = time.perf_counter()
    for consulta in CONSULTAS:
        consulta(almacen.ibis(), filtros).to_pandas()
    return time.perf_counter() - inicio


def _rango(df: pd.DataFrame, columna: str, desde: date, hasta: date) -> pd.DataFrame:
    return df[(df[columna] >= pd.Timestamp(desde)) & (df[columna] < pd.Timestamp(hasta + timedelta(days=1)))]


def _filtrar_pandas(t: dict[str, pd.DataFrame], filtros: Filtros, desde: date) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Interacciones y encuestas filtradas desde ``desde`` hasta ``filtros.hasta``.

    Como en el almacén, ``fcr`` llega ya calculado (se calcula al escribir, no en cada filtro).
    """
    inter, enc = filtrar_en_pandas(t, filtros, t["interacciones"], t["encuestas"])
    return _rango(inter, "fecha_inicio", desde, filtros.hasta), _rango(enc, "fecha", desde, filtros.hasta)


def _metricas_encuestas(g: pd.DataFrame) -> pd.Series:
    return pd.Series({"n_csat": g.csat.count(), "suma_csat": g.csat.sum(), "suma2_csat": (g.csat**2).sum(),
                      "csat_top2": (g.csat >= 4).sum(), "n_nps": g.nps.count(), "promotores": (g.nps >= 9).sum(),
                      "detractores": (g.nps <= 6).sum(), "n_ces": g.ces.count(), "suma_ces": g.ces.sum(),
                      "suma2_ces": (g.ces**2).sum()})


def _metricas_interacciones(g: pd.DataFrame) -> pd.Series:
    return pd.Series({"n": len(g), "n_promesa": g.promesa_cumplida.count(),
                      "promesa": g.promesa_cumplida.sum(), "fcr": g.fcr.sum(),
                      "mediana": g.tiempo_respuesta_min.median(), "p90": g.tiempo_respuesta_min.quantile(0.9)})


def medir_pandas(tablas: dict[str, pd.DataFrame], filtros: Filtros) -> float:
    """Segundos de las mismas cuentas del resumen hechas en pandas."""
    inicio = time.perf_counter()
    desde_anterior, _ = periodo_anterior(filtros.desde, filtros.hasta)
    inter, enc = _filtrar_pandas(tablas, filtros, desde_anterior)
    inter_periodo = inter.fecha_inicio >= pd.Timestamp(filtros.desde)
    enc.groupby(enc.fecha >= pd.Timestamp(filtros.desde)).apply(_metricas_encuestas)
    inter.groupby(inter_periodo).apply(_metricas_interacciones)
    mediana = inter.tiempo_respuesta_min.median()
    (inter.tiempo_respuesta_min > mediana).groupby(inter_periodo).sum()
    doce_meses = filtros.hasta.replace(day=1) - pd.DateOffset(months=11)
    inter12, enc12 = _filtrar_pandas(tablas, filtros, doce_meses.date())
    enc12.groupby(enc12.fecha.dt.to_period("M")).apply(_metricas_encuestas)
    inter12.groupby(inter12.fecha_inicio.dt.to_period("M")).apply(_metricas_interacciones)
    return time.perf_counter() - inicio


def main() -> None:
    """Mide ambos caminos y escribe los tiempos y el cociente."""
    ajustes = opciones(__doc__.splitlines()[0])
    almacen = preparar(ajustes.escala)
    contar(almacen.cursor(), ("interacciones", "encuestas"))
    escenarios = {f"filtro {i}": (almacen, f) for i, f in enumerate(FILTROS, 1)}
    comparar(escenarios, medir_ibis, medir_pandas, lambda: tablas_en_pandas(almacen.cursor()), ajustes.repeticiones)


if __name__ == "__main__":
    main()
