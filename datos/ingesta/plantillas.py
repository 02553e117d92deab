"""Plantillas descargables (CSV y Excel) para cada tipo de archivo, con una fila de ejemplo.

Las cabeceras son los nombres del modelo canónico, así que una plantilla
rellenada se mapea sola. La plantilla Excel trae además la hoja
«Instrucciones», que explica cada columna en español; la del CSV va en un
segundo CSV (``instrucciones_csv``), porque una sección de texto dentro del
mismo archivo estorbaría su lectura, y la página la muestra también. Todas salen por
``datos.cuentas.exportar`` (fórmulas neutralizadas), como cualquier archivo que se descarga.
"""

import re

import openpyxl
import pandas as pd
from openpyxl.styles import Font

from datos.cuentas import exportar
from datos.ingesta.escalas import Escala, medida_de_destino
from datos.ingesta.mapeo import TIPOS
from datos.ingesta.validacion import RANGO_ETAPAS

__all__ = ["descripcion_de_columnas", "plantilla_csv", "instrucciones_csv", "plantilla_excel"]


def _con_escala(texto: str, destino: str, escalas: dict[str, Escala] | None) -> str:
    """``texto`` y, si la organización configuró la escala de esa medida, cómo la escriben sus archivos."""
    medida = medida_de_destino(destino)
    if not escalas or medida not in escalas:
        return texto
    return f"{texto} En sus archivos: {escalas[medida].texto()}."


def descripcion_de_columnas(tipo: str, *, etapas: tuple[str, ...] = (), competencias: dict[str, str] | None = None,
                            escalas: dict[str, Escala] | None = None) -> pd.DataFrame:
    """Una fila por columna de la plantilla: ``Columna``, ``Obligatoria``, ``Qué poner`` y ``Ejemplo``.

    ``escalas`` (``datos.ingesta.escalas.escalas_configuradas``) añade a cada calificación la escala y los
    códigos «no aplica» que configuró la organización.

    >>> descripcion_de_columnas("agentes").iloc[0].tolist()[:2]
    ['agente_id', 'Sí']
    """
    if tipo not in TIPOS:
        raise ValueError(f"'tipo' debe ser uno de {', '.join(TIPOS)}; no {tipo!r}")
    definicion = TIPOS[tipo]
    filas = [(c.nombre, "Sí" if c.nombre in definicion.obligatorios else "No",
              _con_escala(c.descripcion, c.nombre, escalas), c.ejemplo) for c in definicion.campos]
    if definicion.variables == "etapas":
        minimo, maximo = RANGO_ETAPAS
        filas += [(e, "No", _con_escala(f"Calificación de la etapa «{e}» de la cadena de servicio, de {minimo} a "
                                        f"{maximo} (o «Bueno», «Excelente»…).", "etapa:", escalas), "4")
                  for e in etapas]
    if definicion.variables == "competencias":
        filas += [(c, "No", f"«{n}»: 1 a 5, 0 a 100 o Cumple/No cumple; vacío o N/A si no aplica.", "4")
                  for c, n in (competencias or {}).items()]
    if definicion.variables == "atributos":
        filas.append(("(otras columnas)", "No", "Cualquier otra columna se guarda como atributo del cliente.",
                      "Ciudad: Medellín"))
    return pd.DataFrame(filas, columns=["Columna", "Obligatoria", "Qué poner", "Ejemplo"])


def _cabecera_y_ejemplo(descripcion: pd.DataFrame) -> tuple[list[str], list[str]]:
    """Cabeceras y fila de ejemplo (sin la fila explicativa de atributos)."""
    utiles = descripcion[~descripcion["Columna"].str.startswith("(")]
    return utiles["Columna"].tolist(), utiles["Ejemplo"].tolist()


#: Un ejemplo que es un número escrito a la española («4», «-2», «0,8»).
_NUMERO_DE_EJEMPLO = re.compile(r"^-?\d+(,\d+)?$")


def _celda_de_ejemplo(texto):
    """El ejemplo como número si lo es (Excel lo muestra como número, no como «número guardado como texto»).

    >>> _celda_de_ejemplo("4"), _celda_de_ejemplo("0,8"), _celda_de_ejemplo("31/10/2026")
    (4, 0.8, '31/10/2026')
    """
    if not isinstance(texto, str) or not _NUMERO_DE_EJEMPLO.match(texto):
        return texto
    return float(texto.replace(",", ".")) if "," in texto else int(texto)


def plantilla_csv(tipo: str, *, etapas: tuple[str, ...] = (), competencias: dict[str, str] | None = None,
                  escalas: dict[str, Escala] | None = None) -> bytes:
    """Plantilla CSV (``datos.cuentas.exportar.a_csv``: UTF-8 con BOM, ``;``) con la cabecera y una fila de ejemplo.

    Una etapa o competencia cuyo nombre empieza como fórmula (``=HYPERLINK(…)``) sale neutralizada.
    """
    cabecera, ejemplo = _cabecera_y_ejemplo(descripcion_de_columnas(tipo, etapas=etapas, competencias=competencias,
                                                                    escalas=escalas))
    return exportar.a_csv(pd.DataFrame([ejemplo], columns=cabecera))


def instrucciones_csv(tipo: str, *, etapas: tuple[str, ...] = (), competencias: dict[str, str] | None = None,
                      escalas: dict[str, Escala] | None = None) -> bytes:
    """Las instrucciones de la plantilla CSV (``descripcion_de_columnas``) como CSV neutralizado (``exportar.a_csv``)."""
    return exportar.a_csv(descripcion_de_columnas(tipo, etapas=etapas, competencias=competencias, escalas=escalas))


def plantilla_excel(tipo: str, *, etapas: tuple[str, ...] = (), competencias: dict[str, str] | None = None,
                    escalas: dict[str, Escala] | None = None) -> bytes:
    """Plantilla .xlsx: hoja «Datos» (cabecera y ejemplo) y hoja «Instrucciones» (qué va en cada columna).

    Sale por ``datos.cuentas.exportar.libro``: ningún texto queda como fórmula.
    """
    descripcion = descripcion_de_columnas(tipo, etapas=etapas, competencias=competencias, escalas=escalas)
    cabecera, ejemplo = _cabecera_y_ejemplo(descripcion)
    libro = openpyxl.Workbook()
    datos = libro.active
    datos.title = "Datos"
    datos.append(cabecera)
    datos.append([_celda_de_ejemplo(v) for v in ejemplo])
    instrucciones = libro.create_sheet("Instrucciones")
    instrucciones.append(list(descripcion.columns))
    for fila in descripcion.itertuples(index=False):
        instrucciones.append([*fila[:-1], _celda_de_ejemplo(fila[-1])])
    for hoja, anchos in ((datos, [22] * len(cabecera)), (instrucciones, [26, 12, 80, 24])):
        for celda in hoja[1]:
            celda.font = Font(bold=True)
        for indice, ancho in enumerate(anchos, 1):
            hoja.column_dimensions[openpyxl.utils.get_column_letter(indice)].width = ancho
    return exportar.libro(libro)
