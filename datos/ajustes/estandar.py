"""Escritura del estándar de competencias: metas, pesos, competencias críticas y temas de capacitación.

Cada función escribe en una sola transacción con SQL parametrizado, anota en la bitácora el valor
anterior y el nuevo de lo que cambió (``datos.cuentas.configuracion.anotar_cambio``) y aumenta
``configuracion.version_datos``, para que todas las páginas refresquen su caché.
Las metas están en la escala común 0..1 (ver ``analisis.competencias``). El mínimo de auditorías
por persona es un umbral de privacidad: lo cambia solo un administrador, con
``datos.cuentas.configuracion.cambiar_configuracion``.
"""

from collections.abc import Iterable

import duckdb
import pandas as pd

from analisis.errores import AjusteNoValido
from datos.almacen.derivados import subir_version
from datos.almacen.transaccion import transaccion
from datos.cuentas.configuracion import anotar_cambio

__all__ = ["guardar_estandar", "guardar_temas"]

#: Un cambio para la bitácora: (qué ajuste, valor anterior, valor nuevo).
Cambio = tuple[str, object, object]


def _en_transaccion(con: duckdb.DuckDBPyConnection, sentencias: Iterable[tuple[str, list]],
                    cambios: Iterable[Cambio], autor: str) -> None:
    """Ejecuta ``(sql, parámetros)`` en orden, anota ``cambios`` y sube la versión; deshace todo si algo falla."""
    with transaccion(con):
        for sql, parametros in sentencias:
            con.execute(sql, parametros)
        for ajuste, antes, despues in cambios:
            anotar_cambio(con, autor, ajuste, antes, despues)
        subir_version(con)


def _cambios_del_estandar(con: duckdb.DuckDBPyConnection, estandar: pd.DataFrame) -> list[Cambio]:
    """Meta, peso y marca de crítica que ``estandar`` cambia frente a lo guardado, competencia por competencia."""
    guardado = {fila[0]: fila[1:] for fila in con.execute(
        "SELECT competencia, nombre, meta, peso, critica FROM competencias").fetchall()}
    cambios = []
    for fila in estandar.itertuples(index=False):
        if str(fila.competencia) not in guardado:
            continue
        nombre, *antes = guardado[str(fila.competencia)]
        despues = [float(fila.meta), float(fila.peso), bool(fila.critica)]
        cambios += [(f"{campo} de «{nombre}»", viejo, nuevo)
                    for campo, viejo, nuevo in zip(("Meta", "Peso", "Crítica"), antes, despues) if viejo != nuevo]
    return cambios


def guardar_estandar(con: duckdb.DuckDBPyConnection, estandar: pd.DataFrame, *, autor: str) -> None:
    """Guarda meta, peso y marca de crítica de cada competencia de ``estandar``.

    Parameters
    ----------
    con : cursor del almacén.
    estandar : DataFrame con ``competencia``, ``meta`` (0..1), ``peso`` (≥ 0) y ``critica`` (bool).
        Las competencias que no aparecen no cambian.
    autor : usuario que hace el cambio (para la bitácora).

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
    ], _cambios_del_estandar(con, estandar), autor)


def guardar_temas(con: duckdb.DuckDBPyConnection, pares: pd.DataFrame, *, autor: str) -> int:
    """Reemplaza la tabla de temas de capacitación por los pares ``competencia``/``tema`` dados (``autor``:
    quién, para la bitácora).

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
    antes = "; ".join(f"{c}: {t}" for c, t in con.execute(
        "SELECT competencia, tema FROM temas_capacitacion ORDER BY 1, 2").fetchall())
    despues = "; ".join(f"{c}: {t}" for c, t in sorted(limpios.itertuples(index=False, name=None)))
    _en_transaccion(con, [("DELETE FROM temas_capacitacion", [])] + [
        ("INSERT INTO temas_capacitacion VALUES (?, ?)", [fila.competencia, fila.tema])
        for fila in limpios.itertuples(index=False)
    ], [("Temas de capacitación", antes, despues)] if antes != despues else [], autor)
    return len(limpios)
