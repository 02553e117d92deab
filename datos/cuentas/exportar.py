"""Exportaciones seguras a CSV y Excel.

Toda tabla que sale de Eslabón pasa por aquí. Las celdas de texto que una
hoja de cálculo interpretaría como fórmula (las que empiezan por ``=``, ``+``,
``-``, ``@``, tabulador o retorno de carro) se neutralizan anteponiendo un
apóstrofo, como recomienda OWASP para la inyección de fórmulas en CSV. Los
números no se tocan (un ``-3`` numérico sigue siendo un número).

El CSV sale en UTF-8 con BOM, separado por ``;`` y con coma decimal: así lo
abre directamente Excel configurado en español.

Los libros con formato propio (el informe de realimentación, las plantillas de carga) se arman
con openpyxl donde se definen y salen por ``libro``, que neutraliza cada celda de cada hoja; un
ZIP de varios archivos, por ``a_zip``, que escribe cada uno con estas mismas funciones.

Las tablas que ya están en DuckDB (el informe de errores de una carga, que puede tener millones
de filas) salen con ``consulta_a_csv``: la misma regla, escrita en SQL a partir de
``PREFIJOS_PELIGROSOS``, y ``COPY`` a disco sin pasar por pandas.
"""

import datetime
import io
import json
import os
import tempfile

import zipfile

import duckdb
import pandas as pd
from openpyxl import Workbook

from analisis.formato import EXCEL_FECHA, EXCEL_MOMENTO

__all__ = ["neutralizar", "a_csv", "a_excel", "a_json", "libro", "a_zip", "consulta_a_csv", "PREFIJOS_PELIGROSOS"]

#: Comienzos de celda que una hoja de cálculo ejecutaría como fórmula (OWASP).
PREFIJOS_PELIGROSOS = ("=", "+", "-", "@", "\t", "\r")


def _neutralizar_celda(valor):
    """Antepone un apóstrofo a un texto que empieza como fórmula; lo demás queda igual."""
    if isinstance(valor, str) and valor.startswith(PREFIJOS_PELIGROSOS):
        return "'" + valor
    return valor


def neutralizar(tabla: pd.DataFrame) -> pd.DataFrame:
    """Copia de ``tabla`` con las celdas de texto peligrosas neutralizadas (también los encabezados).

    >>> neutralizar(pd.DataFrame({"x": ["=1+1", "hola", "-2"], "n": [1, -2, 3]}))["x"].tolist()
    ["'=1+1", 'hola', "'-2"]
    """
    copia = tabla.copy()
    copia.columns = [_neutralizar_celda(str(c)) for c in copia.columns]
    for indice, columna in enumerate(copia.columns):
        serie = copia.iloc[:, indice]
        if serie.dtype == object or pd.api.types.is_string_dtype(serie) or isinstance(serie.dtype, pd.CategoricalDtype):
            copia.isetitem(indice, serie.astype(object).map(_neutralizar_celda))
    return copia


def a_csv(tabla: pd.DataFrame) -> bytes:
    """CSV neutralizado (UTF-8 con BOM, ``;``, coma decimal) listo para descargar."""
    return neutralizar(tabla).to_csv(index=False, sep=";", decimal=",",
                                     date_format="%d/%m/%Y %H:%M").encode("utf-8-sig")


def a_excel(hojas: dict[str, pd.DataFrame]) -> bytes:
    """Libro .xlsx con una hoja por entrada de ``hojas`` (nombre → tabla), todas neutralizadas.

    Los nombres de hoja se recortan a 31 caracteres, el máximo de Excel. Los momentos salen como fechas
    de Excel con formato «31/10/2026 14:05» (y las fechas, «31/10/2026»), nunca a la manera ISO.
    """
    if not hojas:
        raise ValueError("'hojas' debe tener al menos una tabla")
    salida = io.BytesIO()
    with pd.ExcelWriter(salida, engine="openpyxl") as libro:
        for nombre, tabla in hojas.items():
            neutralizar(tabla).to_excel(libro, sheet_name=str(nombre)[:31], index=False)
        for hoja in libro.book.worksheets:
            _fechas_a_la_espanola(hoja)
    return salida.getvalue()


def _fechas_a_la_espanola(hoja) -> None:
    """Da a cada celda de fecha de ``hoja`` el formato «31/10/2026» (o «31/10/2026 14:05» si tiene hora).

    pandas 3.1 no pasa ``datetime_format`` a openpyxl: sin esto Excel mostraría «2026-10-31 14:05:00».
    """
    for fila in hoja.iter_rows():
        for celda in fila:
            if isinstance(celda.value, datetime.datetime):
                con_hora = (celda.value.hour, celda.value.minute, celda.value.second) != (0, 0, 0)
                celda.number_format = EXCEL_MOMENTO if con_hora else EXCEL_FECHA
            elif isinstance(celda.value, datetime.date):
                celda.number_format = EXCEL_FECHA


def a_json(hojas: dict[str, pd.DataFrame]) -> bytes:
    """JSON UTF-8 legible (sangrado) con una lista de filas por entrada de ``hojas``, neutralizadas como en Excel.

    Los valores vacíos salen como ``null``; el resto, como estén en la tabla (quien llama da formato).

    >>> print(a_json({"Datos": pd.DataFrame({"Comentario": ["=HOLA"], "Nota": [5]})}).decode())
    {
      "Datos": [
        {
          "Comentario": "'=HOLA",
          "Nota": 5
        }
      ]
    }
    """
    contenido = {str(nombre): json.loads(neutralizar(tabla).to_json(orient="records", date_format="iso",
                                                                     force_ascii=False))
                 for nombre, tabla in hojas.items()}
    return json.dumps(contenido, ensure_ascii=False, indent=2).encode("utf-8")


def libro(hojas: Workbook) -> bytes:
    """El libro de openpyxl ``hojas`` como .xlsx, con cada celda de texto de cada hoja neutralizada.

    openpyxl guarda como fórmula todo texto que empieza por ``=``: aquí ese texto, y el que empieza
    por otro prefijo peligroso, pasa a ser texto con un apóstrofo delante; las fechas toman el formato
    «31/10/2026». El libro se modifica.
    """
    for hoja in hojas.worksheets:
        _fechas_a_la_espanola(hoja)
        for fila in hoja.iter_rows():
            for celda in fila:
                neutralizada = _neutralizar_celda(celda.value)
                if neutralizada is not celda.value:
                    celda.value = neutralizada
    salida = io.BytesIO()
    hojas.save(salida)
    return salida.getvalue()


def _contenido(valor: str | pd.DataFrame | Workbook) -> bytes:
    """Los bytes de un archivo del ZIP: texto en UTF-8, una tabla como CSV, un libro como .xlsx."""
    if isinstance(valor, str):
        return valor.encode("utf-8")
    if isinstance(valor, pd.DataFrame):
        return a_csv(valor)
    if isinstance(valor, Workbook):
        return libro(valor)
    raise TypeError(f"'archivos' admite textos, tablas y libros de openpyxl; no {type(valor).__name__}")


def a_zip(archivos: dict[str, str | pd.DataFrame | Workbook]) -> bytes:
    """ZIP con un archivo por entrada de ``archivos`` (nombre → contenido), cada uno escrito aquí.

    Un texto (p. ej. un informe HTML ya escapado) va tal cual en UTF-8; una tabla, como ``a_csv``;
    un libro, como ``libro``. No admite bytes: nada sale sin pasar por la neutralización.
    """
    salida = io.BytesIO()
    with zipfile.ZipFile(salida, "w", zipfile.ZIP_DEFLATED) as comprimido:
        for nombre, valor in archivos.items():
            comprimido.writestr(nombre, _contenido(valor))
    return salida.getvalue()


def _sql_neutralizado(expresion: str) -> str:
    """SQL de ``expresion`` (texto) con un apóstrofo delante si empieza como fórmula (como ``_neutralizar_celda``).

    >>> print(_sql_neutralizado("x"))
    CASE WHEN left(x, 1) IN ('=', '+', '-', '@', chr(9), chr(13)) THEN '''' || x ELSE x END
    """
    prefijos = ", ".join(f"chr({ord(p)})" if p.isspace() else f"'{p}'" for p in PREFIJOS_PELIGROSOS)
    return f"CASE WHEN left({expresion}, 1) IN ({prefijos}) THEN '''' || {expresion} ELSE {expresion} END"


def _identificador(nombre: str) -> str:
    """``nombre`` como identificador SQL entre comillas dobles."""
    return '"' + nombre.replace('"', '""') + '"'


def consulta_a_csv(con: duckdb.DuckDBPyConnection, sql: str) -> bytes:
    """El resultado de la consulta ``sql`` como CSV neutralizado (UTF-8 con BOM, ``;``), escrito por DuckDB.

    Las columnas de texto y los encabezados se neutralizan como en ``neutralizar``; los números
    y las fechas salen como los escribe DuckDB (pensado para tablas de texto y enteros, como el
    informe de errores de una carga).
    """
    relacion = con.sql(sql)
    columnas = [f"{_sql_neutralizado(_identificador(c)) if str(t) == 'VARCHAR' else _identificador(c)} "
                f"AS {_identificador(_neutralizar_celda(c))}" for c, t in zip(relacion.columns, relacion.types)]
    descriptor, ruta = tempfile.mkstemp(suffix=".csv", prefix="eslabon_")
    os.close(descriptor)
    try:
        con.execute(f"COPY (SELECT {', '.join(columnas)} FROM ({sql})) TO '{ruta}' (HEADER, DELIMITER ';')")
        with open(ruta, "rb") as f:
            return b"\xef\xbb\xbf" + f.read()
    finally:
        os.remove(ruta)
