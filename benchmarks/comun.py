"""Piezas comunes de los benchmarks: opciones de línea de órdenes y la tabla Ibis+DuckDB frente a pandas."""

import argparse
import statistics
from collections.abc import Callable

import pandas as pd


def opciones(descripcion: str) -> argparse.Namespace:
    """``--escala`` (200 = 10M interacciones) y ``--repeticiones`` (se toma la mediana)."""
    argumentos = argparse.ArgumentParser(description=descripcion)
    argumentos.add_argument("--escala", type=float, default=200)
    argumentos.add_argument("--repeticiones", type=int, default=3)
    return argumentos.parse_args()


def contar(cursor, tablas: tuple[str, ...]) -> None:
    """Escribe cuántas filas tiene cada tabla."""
    filas = cursor.execute("SELECT " + ", ".join(f"(SELECT count(*) FROM {t})" for t in tablas)).fetchall()[0]
    print(" · ".join(f"{t}: {n:,}".replace(",", ".") for t, n in zip(tablas, filas)))


def comparar(escenarios: dict[str, tuple], medir_ibis: Callable[..., float], medir_pandas: Callable[..., float],
             cargar_en_pandas: Callable[[], object], repeticiones: int) -> None:
    """Mide cada escenario por los dos caminos (mediana de ``repeticiones``) y escribe tiempos y cocientes.

    ``medir_ibis(*escenario)`` y ``medir_pandas(tablas, *escenario)`` devuelven segundos; las tablas de
    pandas se cargan una vez con ``cargar_en_pandas()`` y esa carga no se cuenta.
    """
    primero = next(iter(escenarios.values()))
    medir_ibis(*primero)  # calentamiento
    ibis_s = {n: statistics.median(medir_ibis(*e) for _ in range(repeticiones)) for n, e in escenarios.items()}
    tablas = cargar_en_pandas()
    pandas_s = {n: statistics.median(medir_pandas(tablas, *e) for _ in range(repeticiones))
                for n, e in escenarios.items()}
    ancho = max(len(n) for n in escenarios) + 2
    print(f"{'escenario':<{ancho}}{'Ibis+DuckDB (s)':>17}{'pandas (s)':>12}{'pandas / Ibis':>15}")
    for nombre in escenarios:
        print(f"{nombre:<{ancho}}{ibis_s[nombre]:>17.3f}{pandas_s[nombre]:>12.3f}"
              f"{pandas_s[nombre] / ibis_s[nombre]:>15.1f}")
    mediana_ibis, mediana_pandas = statistics.median(ibis_s.values()), statistics.median(pandas_s.values())
    print(f"Mediana por escenario: Ibis+DuckDB {mediana_ibis:.3f} s · pandas {mediana_pandas:.3f} s · "
          f"cociente pandas/Ibis = {mediana_pandas / mediana_ibis:.1f}")


#: Columnas de cada tabla que las líneas base de pandas (resumen y tendencias) cargan enteras en memoria.
COLUMNAS_LINEA_BASE = {
    "interacciones": "interaccion_id, fecha_inicio, cliente_id, agente_id, canal, sucursal, motivo, etapa, "
                     "tiempo_respuesta_min, tiempo_resolucion_h, resuelto, fcr, promesa_cumplida",
    "encuestas": "fecha, interaccion_id, cliente_id, canal, sucursal, tipo_cliente, csat, nps, ces, comentario",
    "clientes": "cliente_id, tipo_cliente, segmento",
    "agentes": "agente_id, equipo",
}


def tablas_en_pandas(cursor, columnas: dict[str, str] = COLUMNAS_LINEA_BASE) -> dict[str, pd.DataFrame]:
    """Cada tabla de ``columnas`` (tabla → columnas separadas por comas), entera en pandas: la línea base.

    Su carga no se cuenta en los tiempos (ver ``comparar``).
    """
    return {tabla: cursor.execute(f"SELECT {lista} FROM {tabla}").df() for tabla, lista in columnas.items()}


def filtrar_en_pandas(t: dict[str, pd.DataFrame], filtros, inter: pd.DataFrame,
                      enc: pd.DataFrame) -> tuple[pd.DataFrame, pd.DataFrame]:
    """``inter`` y ``enc`` con los filtros de canal, sucursal, tipo de cliente y equipo de ``filtros`` (las
    mismas reglas que ``datos.consultas.filtros``), buscando clientes y agentes en las tablas ``t``."""
    for columna, valores in (("canal", filtros.canales), ("sucursal", filtros.sucursales)):
        if valores:
            inter, enc = inter[inter[columna].isin(valores)], enc[enc[columna].isin(valores)]
    if filtros.tipos_cliente:
        clientes = t["clientes"][t["clientes"].tipo_cliente.isin(filtros.tipos_cliente)].cliente_id
        inter, enc = inter[inter.cliente_id.isin(clientes)], enc[enc.tipo_cliente.isin(filtros.tipos_cliente)]
    if filtros.equipos:
        agentes = t["agentes"][t["agentes"].equipo.isin(filtros.equipos)].agente_id
        contactos = t["interacciones"][t["interacciones"].agente_id.isin(agentes)].interaccion_id
        inter, enc = inter[inter.agente_id.isin(agentes)], enc[enc.interaccion_id.isin(contactos)]
    return inter, enc
