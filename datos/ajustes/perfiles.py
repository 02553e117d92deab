"""Nombres propios de los perfiles de clientes (tabla ``nombres_perfiles``, migración 4).

Cada perfil de ``analisis.perfiles`` tiene una firma estable: la misma mientras no cambien las
variables elegidas, el número de perfiles ni el perfil en sí (sus rasgos redondeados). El nombre
que un usuario le da se guarda con esa firma, así que vuelve a aparecer en cada visita y con los
mismos datos. La lectura es ``datos.consultas.perfiles.nombres_perfiles``.

Guardar un nombre **no** aumenta ``configuracion.version_datos``: un nombre no cambia ningún dato
ni ningún cálculo, y subir la versión vaciaría la caché de todas las páginas (y obligaría a
reagrupar a todos los clientes) solo por una etiqueta. Por eso la página de perfiles lee los
nombres sin caché. Cada nombre que cambia queda en la bitácora con el anterior y el nuevo
(``datos.cuentas.configuracion.anotar_cambio``).
"""

from collections.abc import Mapping

import duckdb

from datos.almacen.transaccion import transaccion
from datos.cuentas.configuracion import anotar_cambio

__all__ = ["guardar_nombres_perfiles", "LARGO_MAXIMO"]

#: Largo máximo de un nombre de perfil.
LARGO_MAXIMO = 80


def guardar_nombres_perfiles(con: duckdb.DuckDBPyConnection, cambios: Mapping[str, str | None], *,
                             autor: str) -> int:
    """Guarda o borra nombres de perfiles en una sola transacción; devuelve cuántos cambios hubo.

    ``cambios`` va de firma a nombre; ``None`` borra el nombre propio (vuelve el automático). Cada
    nombre que cambia queda en la bitácora a nombre de ``autor``.

    >>> from datos.almacen import Almacen
    >>> almacen = Almacen(":memory:")
    >>> guardar_nombres_perfiles(almacen.cursor(), {"f1": "Clientes clave", "f2": None}, autor="ana")
    2
    """
    for firma, nombre in cambios.items():
        if not isinstance(firma, str) or not firma:
            raise ValueError("'cambios': cada firma debe ser un texto no vacío")
        if nombre is not None and not (isinstance(nombre, str) and 0 < len(nombre) <= LARGO_MAXIMO):
            raise ValueError(f"'cambios': cada nombre debe ser None o un texto de 1 a {LARGO_MAXIMO} caracteres")
    with transaccion(con):
        guardados = dict(con.execute("SELECT firma, nombre FROM nombres_perfiles").fetchall())
        for firma, nombre in cambios.items():
            if guardados.get(firma) != nombre:
                anotar_cambio(con, autor, f"Nombre del perfil {firma}", guardados.get(firma), nombre)
            if nombre is None:
                con.execute("DELETE FROM nombres_perfiles WHERE firma = ?", [firma])
            else:
                con.execute("INSERT INTO nombres_perfiles (firma, nombre) VALUES (?, ?) ON CONFLICT (firma) "
                            "DO UPDATE SET nombre = excluded.nombre, actualizado = now()",
                            [firma, nombre])
    return len(cambios)
