"""Exportaciones seguras a CSV y Excel.

Toda tabla que sale de Eslabón pasa por aquí. Las celdas de texto que una
hoja de cálculo interpretaría como fórmula (las que empiezan por ``=``, ``+``,
``-``, ``@``, tabulador o retorno de carro) se neutralizan anteponiendo un
apóstrofo, como recomienda OWASP para la inyección de fórmulas en CSV. Los
números no se tocan (un ``-3`` numérico sigue siendo un número).

El CSV sale en UTF-8 con BOM, separado por ``;`` y con coma decimal: así lo
abre directamente Excel configurado en español.
"""

import io

import pandas as pd

__all__ = ["neutralizar", "a_csv", "a_excel", "PREFIJOS_PELIGROSOS"]

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
    for columna in copia.columns:
        if copia[columna].dtype == object or pd.api.types.is_string_dtype(copia[columna]):
            copia[columna] = copia[columna].map(_neutralizar_celda)
    return copia


def a_csv(tabla: pd.DataFrame) -> bytes:
    """CSV neutralizado (UTF-8 con BOM, ``;``, coma decimal) listo para descargar."""
    return neutralizar(tabla).to_csv(index=False, sep=";", decimal=",",
                                     date_format="%d/%m/%Y %H:%M").encode("utf-8-sig")


def a_excel(hojas: dict[str, pd.DataFrame]) -> bytes:
    """Libro .xlsx con una hoja por entrada de ``hojas`` (nombre → tabla), todas neutralizadas.

    Los nombres de hoja se recortan a 31 caracteres, el máximo de Excel.
    """
    if not hojas:
        raise ValueError("'hojas' debe tener al menos una tabla")
    salida = io.BytesIO()
    with pd.ExcelWriter(salida, engine="openpyxl") as libro:
        for nombre, tabla in hojas.items():
            neutralizar(tabla).to_excel(libro, sheet_name=str(nombre)[:31], index=False)
    return salida.getvalue()
