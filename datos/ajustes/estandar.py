"""Escritura del estándar de competencias: metas, pesos, competencias críticas, temas y auditorías mínimas.

Cada función escribe en una sola transacción con SQL parametrizado y aumenta
``configuracion.version_datos``, para que todas las páginas refresquen su caché.
Las metas están en la escala común 0..1 (ver ``analisis.competencias``).
"""

from collections.abc import Iterable

import duckdb
import pandas as pd

from analisis.errores import AjusteNoValido
from datos.almacen.derivados import subir_version
from datos.almacen.transaccion import transaccion

__all__ = ["guardar_estandar", "guardar_temas", "guardar_auditorias_minimas"]


def _en_transaccion(con: duckdb.DuckDBPyConnection, sentencias: Iterable[tuple[str, list]]) -> None:
    """Ejecuta ``(sql, parámetros)`` en orden y sube la versión de los datos; deshace todo si algo falla."""
    with transaccion(con):
        for sql, parametros in sentencias:
            con.execute(sql, parametros)
        subir_version(con)


def guardar_estandar(con: duckdb.DuckDBPyConnection, estandar: pd.DataFrame) -> None:
    """Guarda meta, peso y marca de crítica de cada competencia de ``estandar``.

    Parameters
    ----------
    con : cursor del almacén.
    estandar : DataFrame con ``competencia``, ``meta`` (0..1), ``peso`` (≥ 0) y ``critica`` (bool).
        Las competencias que no aparecen no cambian.

    Raises
    ------
    ValueError
        Si falta una columna.
    AjusteNoValido
        Si una meta está fuera de 0..1 o un peso es negativo o vacío.
    """
    faltan = {"competencia", "meta", "peso", "critica"} - set(estandar.columns)
    if faltan:
        raise ValueError(f"'estandar' no tiene las columnas {sorted(faltan)}")
    if estandar["meta"].isna().any() or not estandar["meta"].between(0, 1).all():
        raise AjusteNoValido("Cada meta debe estar entre 0 y 1 (escala común: 0,8 = 80 %).")
    if estandar["peso"].isna().any() or (estandar["peso"] < 0).any():
        raise AjusteNoValido("Cada peso debe ser un número mayor o igual que 0.")
    _en_transaccion(con, [
        ("UPDATE competencias SET meta = ?, peso = ?, critica = ? WHERE competencia = ?",
         [float(fila.meta), float(fila.peso), bool(fila.critica), str(fila.competencia)])
        for fila in estandar.itertuples(index=False)
    ])


def guardar_temas(con: duckdb.DuckDBPyConnection, pares: pd.DataFrame) -> int:
    """Reemplaza la tabla de temas de capacitación por los pares ``competencia``/``tema`` dados.

    Las filas con algún campo vacío se ignoran y los duplicados se guardan una vez; los
    nombres de tema se guardan sin espacios sobrantes. Devuelve cuántos pares quedaron.

    Raises
    ------
    ValueError
        Si falta una columna.
    AjusteNoValido
        Si una competencia no existe en el estándar.
    """
    faltan = {"competencia", "tema"} - set(pares.columns)
    if faltan:
        raise ValueError(f"'pares' no tiene las columnas {sorted(faltan)}")
    limpios = pares[["competencia", "tema"]].dropna().astype(str).apply(lambda columna: columna.str.strip())
    limpios = limpios[(limpios["competencia"] != "") & (limpios["tema"] != "")].drop_duplicates()
    conocidas = {fila[0] for fila in con.execute("SELECT competencia FROM competencias").fetchall()}
    desconocidas = sorted(set(limpios["competencia"]) - conocidas)
    if desconocidas:
        raise AjusteNoValido(f"Estas competencias no existen en el estándar: {', '.join(desconocidas)}.")
    _en_transaccion(con, [("DELETE FROM temas_capacitacion", [])] + [
        ("INSERT INTO temas_capacitacion VALUES (?, ?)", [fila.competencia, fila.tema])
        for fila in limpios.itertuples(index=False)
    ])
    return len(limpios)


def guardar_auditorias_minimas(con: duckdb.DuckDBPyConnection, minimo: int) -> None:
    """Guarda el número mínimo de auditorías para mostrar las cifras de una persona (entero ≥ 1).

    Raises ``AjusteNoValido`` si ``minimo`` no es un entero mayor o igual que 1.
    """
    if isinstance(minimo, bool) or not isinstance(minimo, int) or minimo < 1:
        raise AjusteNoValido("El mínimo de auditorías debe ser un número entero mayor o igual que 1.")
    _en_transaccion(con, [(
        "INSERT INTO configuracion VALUES ('auditorias_minimas', ?) "
        "ON CONFLICT (clave) DO UPDATE SET valor = excluded.valor",
        [str(minimo)])])
