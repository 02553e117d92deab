"""Pruebas de ``datos.ingesta``; ``bomba_xlsx`` fabrica el libro hostil que usan también las pruebas de páginas."""

import io
import zipfile
from pathlib import Path

import openpyxl

_TIPO = ('<Override PartName="/xl/sharedStrings.xml" ContentType="application/vnd.openxmlformats-officedocument.'
         'spreadsheetml.sharedStrings+xml" /></Types>')
_RELACION = ('<Relationship Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/sharedStrings" '
             'Target="sharedStrings.xml" Id="rId99" /></Relationships>')


def bomba_xlsx(destino: Path, mb: int = 300) -> Path:
    """Un .xlsx válido de menos de 1 MB cuya tabla de textos compartidos ocupa ``mb`` MB descomprimida.

    Es la «bomba zip» del issue 16: abierto con openpyxl, cerca de 2 GB de memoria. Se escribe en
    flujo (nunca hay ``mb`` MB en memoria) y tarda un par de segundos.
    """
    libro = openpyxl.Workbook()
    libro.active.title = "Datos"
    libro.active.append(["fecha", "nps"])
    libro.active.append(["2026-01-01", 9])
    original = io.BytesIO()
    libro.save(original)
    bloque = ("<si><t>x</t></si>" * 60_000).encode()
    with zipfile.ZipFile(original) as fuente, \
            zipfile.ZipFile(destino, "w", zipfile.ZIP_DEFLATED, compresslevel=9) as salida:
        for miembro in fuente.infolist():
            contenido = fuente.read(miembro.filename)
            if miembro.filename == "[Content_Types].xml":
                contenido = contenido.replace(b"</Types>", _TIPO.encode())
            elif miembro.filename == "xl/_rels/workbook.xml.rels":
                contenido = contenido.replace(b"</Relationships>", _RELACION.encode())
            salida.writestr(miembro, contenido)
        with salida.open("xl/sharedStrings.xml", "w", force_zip64=True) as textos:
            textos.write(b'<?xml version="1.0" encoding="UTF-8"?>'
                         b'<sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">')
            for _ in range(mb * (1 << 20) // len(bloque)):
                textos.write(bloque)
            textos.write(b"</sst>")
    return destino
