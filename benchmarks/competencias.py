"""Tiempo de las brechas de competencias y del modelo de impacto frente a pandas en memoria.

Usa los datos de demostración a escala 200 (400.000 auditorías, 6 millones de
puntajes por competencia, 10 millones de interacciones y 4 millones de
encuestas), generados una vez por ``benchmarks/resumen.py`` en ``benchmarks/_datos/``.

Se mide lo que cuesta abrir «Brechas de habilidades» con un filtro: sumas por
agente y competencia en escala común (consulta Ibis sobre DuckDB), brechas por
agente y por equipo, resultados de los clientes por agente × canal × motivo y
el modelo de impacto de las 15 competencias. Línea base: las mismas sumas en
pandas con las tablas ya cargadas en memoria (la carga no se cuenta), seguidas
de las mismas funciones de análisis. Se imprime el cociente pandas / Ibis+DuckDB.

Uso: ``python3 benchmarks/competencias.py [--escala 200] [--repeticiones 3]``
"""

import statistics
import sys
import time
from datetime import date
from pathlib import Path

import numpy as np
import pandas as pd

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from analisis import competencias  # noqa: E402
from benchmarks.comun import contar, opciones  # noqa: E402
from benchmarks.resumen import preparar  # noqa: E402
from datos.consultas import competencias as consultas_competencias  # noqa: E402
from datos.almacen.conexion import Almacen  # noqa: E402
from datos.consultas.filtros import Filtros  # noqa: E402

ESCALAS = competencias.reglas_de_escala()

#: Casos medidos: toda la historia (los 6 millones de puntajes) y los últimos 12 meses de un canal.
CASOS = {
    "historia completa": Filtros(None, date(2026, 10, 31)),
    "12 meses, Teléfono": Filtros(date(2025, 11, 1), date(2026, 10, 31), canales=("Teléfono",)),
}


def _analisis(puntajes: pd.DataFrame, celdas: pd.DataFrame, estandar: pd.DataFrame) -> pd.DataFrame:
    """Brechas por agente y por equipo, impacto y prioridades (lo mismo en ambos caminos)."""
    por_agente = competencias.brechas(puntajes, estandar, por="agente")
    competencias.brechas(puntajes, estandar, por="equipo")
    return competencias.prioridades(por_agente, competencias.impacto(celdas, por_agente))


def medir_ibis(almacen: Almacen, filtros: Filtros, estandar: pd.DataFrame) -> tuple[float, pd.DataFrame]:
    """Segundos de las dos consultas en el motor más el análisis; devuelve también las prioridades."""
    inicio = time.perf_counter()
    con = almacen.ibis()
    puntajes = consultas_competencias.puntajes_competencias(con, filtros, ESCALAS).to_pandas()
    celdas = consultas_competencias.resultados_por_agente(con, filtros, "csat").to_pandas()
    prioridades = _analisis(puntajes, celdas, estandar)
    return time.perf_counter() - inicio, prioridades


def cargar_en_pandas(almacen: Almacen) -> dict[str, pd.DataFrame]:
    """Las tablas que hacen falta, enteras en memoria (solo para la línea base)."""
    cursor = almacen.cursor()
    return {
        "auditorias": cursor.execute("SELECT auditoria_id, fecha, agente_id, interaccion_id, escala FROM auditorias").df(),
        "puntajes": cursor.execute("SELECT auditoria_id, competencia, valor FROM auditoria_competencias").df(),
        "agentes": cursor.execute("SELECT agente_id, nombre, equipo, supervisor, rol_servicio FROM agentes").df(),
        "interacciones": cursor.execute("SELECT interaccion_id, agente_id, canal, motivo FROM interacciones").df(),
        "encuestas": cursor.execute("SELECT fecha, interaccion_id, canal, csat FROM encuestas").df(),
    }


def _en_rango(tabla: pd.DataFrame, filtros: Filtros) -> pd.DataFrame:
    """Filas de ``tabla`` con ``fecha`` dentro del rango de los filtros."""
    condicion = pd.Series(True, index=tabla.index)
    if filtros.desde is not None:
        condicion &= tabla["fecha"] >= pd.Timestamp(filtros.desde)
    return tabla[condicion & (tabla["fecha"] < pd.Timestamp(filtros.hasta) + pd.Timedelta(days=1))]


def _sumas(tabla: pd.DataFrame, claves: list[str], columna: str) -> pd.DataFrame:
    """n, suma y suma de cuadrados de ``columna`` por ``claves``."""
    return tabla.assign(_c=tabla[columna] ** 2).groupby(claves, observed=True).agg(
        n=(columna, "count"), suma=(columna, "sum"), suma2=("_c", "sum")).reset_index()


def medir_pandas(t: dict[str, pd.DataFrame], filtros: Filtros, estandar: pd.DataFrame) -> tuple[float, pd.DataFrame]:
    """Segundos de las mismas sumas hechas en pandas más el mismo análisis."""
    inicio = time.perf_counter()
    auditorias = _en_rango(t["auditorias"], filtros)
    interacciones = t["interacciones"]
    if filtros.canales:
        interacciones = interacciones[interacciones["canal"].isin(filtros.canales)]
        auditorias = auditorias[auditorias["interaccion_id"].isin(interacciones["interaccion_id"])]
    datos = t["puntajes"].merge(auditorias[["auditoria_id", "agente_id", "escala"]], on="auditoria_id")
    minimo = datos["escala"].map({e: lo for e, lo, _ in ESCALAS})
    ancho = datos["escala"].map({e: hi - lo for e, lo, hi in ESCALAS})
    datos["valor_comun"] = (datos["valor"] - minimo) / ancho
    puntajes = _sumas(datos.dropna(subset=["valor_comun"]), ["agente_id", "competencia"], "valor_comun") \
        .merge(t["agentes"], on="agente_id", how="left")
    encuestas = _en_rango(t["encuestas"], filtros)
    if filtros.canales:
        encuestas = encuestas[encuestas["canal"].isin(filtros.canales)]
    unidas = encuestas[["interaccion_id", "csat"]].merge(interacciones, on="interaccion_id").dropna(
        subset=["csat", "agente_id"])
    unidas[["canal", "motivo"]] = unidas[["canal", "motivo"]].fillna("(sin dato)")
    celdas = _sumas(unidas, ["agente_id", "canal", "motivo"], "csat")
    prioridades = _analisis(puntajes, celdas, estandar)
    return time.perf_counter() - inicio, prioridades


def main() -> None:
    """Mide ambos caminos en cada caso y escribe los tiempos y el cociente."""
    ajustes = opciones(__doc__.splitlines()[0])
    almacen = preparar(ajustes.escala)
    contar(almacen.cursor(), ("auditorias", "auditoria_competencias", "interacciones", "encuestas"))
    estandar = consultas_competencias.estandar_competencias(almacen.ibis()).to_pandas()

    medir_ibis(almacen, CASOS["historia completa"], estandar)  # calentamiento
    ibis_s, referencia = {}, {}
    for nombre, filtros in CASOS.items():
        corridas = [medir_ibis(almacen, filtros, estandar) for _ in range(ajustes.repeticiones)]
        ibis_s[nombre] = statistics.median(s for s, _ in corridas)
        referencia[nombre] = corridas[0][1]
    inicio = time.perf_counter()
    tablas = cargar_en_pandas(almacen)
    print(f"Carga de las tablas en pandas (no se cuenta): {time.perf_counter() - inicio:.1f} s")
    print(f"{'caso':<22}{'Ibis+DuckDB (s)':>18}{'pandas (s)':>14}{'pandas / Ibis':>16}")
    for nombre, filtros in CASOS.items():
        corridas = [medir_pandas(tablas, filtros, estandar) for _ in range(ajustes.repeticiones)]
        pandas_s = statistics.median(s for s, _ in corridas)
        iguales = np.allclose(corridas[0][1]["prioridad"].to_numpy(), referencia[nombre]["prioridad"].to_numpy())
        print(f"{nombre:<22}{ibis_s[nombre]:>18.3f}{pandas_s:>14.3f}{pandas_s / ibis_s[nombre]:>16.1f}"
              f"   {'mismas prioridades' if iguales else 'PRIORIDADES DISTINTAS'}")


if __name__ == "__main__":
    main()
