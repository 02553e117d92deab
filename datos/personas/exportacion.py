"""La copia de los datos de una persona para su solicitud de acceso, en Excel o JSON.

Una hoja (o lista, en JSON) por lugar con encabezados en español y los valores escritos a la
española (``analisis.formato.tabla_en_texto``), precedida de un resumen: número de solicitud,
fecha, qué lugares se consultaron y cuántas filas tiene cada uno. Sale por el único camino de
los archivos (``datos.cuentas.exportar``: neutralizado contra fórmulas) y la solicitud queda
anotada (``datos.personas.solicitudes``) sin el identificador de la persona.
"""

from datetime import datetime

import pandas as pd

from analisis.formato import tabla_en_texto
from datos.almacen.conexion import Almacen
from datos.almacen.transaccion import transaccion
from datos.cuentas import exportar as salida
from datos.motores.lago_cargas import Lago
from datos.personas import lago as en_lago
from datos.personas.busqueda import Persona
from datos.personas.cambios import leer
from datos.personas.lugares import LUGARES, limpiar, preparar
from datos.personas.solicitudes import anotar_solicitud, nuevo_numero

__all__ = ["FORMATOS", "NOTA_PERFILES", "datos_de", "exportar_persona"]

#: Formatos de la copia: nombre → extensión del archivo.
FORMATOS = {"excel": "xlsx", "json": "json"}

#: Lo que se dice de los perfiles en la copia y en la página.
NOTA_PERFILES = ("Los perfiles de clientes se calculan al consultarlos a partir de estos mismos datos y no se "
                 "guardan por persona; el perfil de origen, si se subió, está en «Otros atributos».")


def datos_de(almacen: Almacen, persona: Persona, *, lago: Lago | None = None) -> dict[str, pd.DataFrame]:
    """Título del lugar → sus filas de la persona (almacén y lago), con encabezados en español y en texto."""
    con = almacen.cursor()
    hojas = {}
    try:
        preparar(con, persona.cliente_id)
        if lago is not None:
            en_lago.completar(con, lago)
        for lugar in LUGARES:
            partes = [leer(con, lugar.tabla, lugar.condicion, lugar.nombres)]
            if lago is not None:
                partes.append(en_lago.leer(con, lago, lugar.tabla, lugar.condicion, lugar.nombres))
            filas = pd.concat([p for p in partes if not p.empty] or partes[:1], ignore_index=True)
            # Lo que se exportó al lago también sigue en el almacén: cada fila una vez.
            hojas[lugar.titulo] = tabla_en_texto(filas.drop_duplicates()).rename(columns=dict(lugar.columnas))
    finally:
        limpiar(con)
    return hojas


def _resumen(persona: Persona, numero: int, momento: datetime, hojas: dict[str, pd.DataFrame]) -> pd.DataFrame:
    """La hoja «Resumen» de la copia."""
    filas = [("Solicitud de acceso", str(numero)), ("Fecha", momento.strftime("%d/%m/%Y %H:%M")),
             ("Cliente", persona.cliente_id)]
    filas += [(f"Filas en «{titulo}»", str(len(tabla))) for titulo, tabla in hojas.items()]
    filas.append(("Perfiles", NOTA_PERFILES))
    return pd.DataFrame(filas, columns=["Concepto", "Valor"])


def exportar_persona(almacen: Almacen, persona: Persona, formato: str, *, usuario: str,
                     referencia: str | None = None, lago: Lago | None = None) -> bytes:
    """El archivo (``formato`` 'excel' o 'json') con todo lo que hay de ``persona``; anota la solicitud."""
    if formato not in FORMATOS:
        raise ValueError(f"'formato' debe ser uno de {sorted(FORMATOS)}")
    hojas = datos_de(almacen, persona, lago=lago)
    con = almacen.cursor()
    with transaccion(con):
        numero = nuevo_numero(con)
        anotar_solicitud(con, numero, "acceso", usuario=usuario, modo=formato, referencia=referencia,
                         filas={titulo: len(tabla) for titulo, tabla in hojas.items()})
    libro = {"Resumen": _resumen(persona, numero, datetime.now(), hojas), **hojas}
    return salida.a_excel(libro) if formato == "excel" else salida.a_json(libro)
