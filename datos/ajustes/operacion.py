"""Ajustes de operación que el administrador cambia en «Operación»: carpeta de entrada y respaldo diario.

Se guardan en ``configuracion`` (claves ``entrada_carpeta``, ``respaldo_carpeta``, ``respaldo_hora``,
``respaldo_conservar``; migración 19). ``ESLABON_ENTRADA``, si está definida, manda sobre la
carpeta de entrada guardada (así la fija quien instala el servicio).
"""

import os
import re
from dataclasses import dataclass, fields
from pathlib import Path

import duckdb

from analisis.errores import AjusteNoValido
from datos.almacen.transaccion import transaccion
from datos.cuentas.usuarios import registrar

__all__ = ["AjustesOperacion", "CONSERVAR_MAXIMO", "leer_operacion", "guardar_operacion", "carpeta_de_entrada",
           "VARIABLE_ENTRADA"]

#: Variable de entorno que fija la carpeta de entrada (manda sobre la guardada).
VARIABLE_ENTRADA = "ESLABON_ENTRADA"
#: Respaldos diarios que se pueden conservar como máximo.
CONSERVAR_MAXIMO = 365
_HORA = re.compile(r"^([01]\d|2[0-3]):[0-5]\d$")


@dataclass(frozen=True)
class AjustesOperacion:
    """Carpeta de entrada, carpeta del respaldo diario (vacía: sin respaldo), su hora «HH:MM» y cuántos conservar."""

    entrada_carpeta: str = ""
    respaldo_carpeta: str = ""
    respaldo_hora: str = "02:00"
    respaldo_conservar: int = 7

    def revisar(self) -> "AjustesOperacion":
        """Devuelve los mismos ajustes si valen; si no, ``AjusteNoValido`` con el motivo en español."""
        for nombre, etiqueta in (("entrada_carpeta", "La carpeta de entrada"),
                                 ("respaldo_carpeta", "La carpeta de respaldos")):
            carpeta = getattr(self, nombre)
            if carpeta and not Path(carpeta).is_absolute():
                raise AjusteNoValido(f"{etiqueta} debe ser una ruta completa (por ejemplo /srv/eslabon/...), "
                                     f"no «{carpeta}».")
        if not _HORA.match(self.respaldo_hora):
            raise AjusteNoValido(f"La hora del respaldo debe ser HH:MM entre 00:00 y 23:59, no «{self.respaldo_hora}».")
        if not 1 <= int(self.respaldo_conservar) <= CONSERVAR_MAXIMO:
            raise AjusteNoValido(f"Se conservan entre 1 y {CONSERVAR_MAXIMO} respaldos.")
        return self


def leer_operacion(con: duckdb.DuckDBPyConnection) -> AjustesOperacion:
    """Los ajustes guardados (los que falten, con su valor por omisión)."""
    claves = [f.name for f in fields(AjustesOperacion)]
    guardados = dict(con.execute("SELECT clave, valor FROM configuracion WHERE list_contains(?, clave)",
                                 [claves]).fetchall())
    defecto = AjustesOperacion()
    return AjustesOperacion(**{clave: type(getattr(defecto, clave))(guardados.get(clave, getattr(defecto, clave)))
                               for clave in claves})


def guardar_operacion(con: duckdb.DuckDBPyConnection, ajustes: AjustesOperacion, *, autor: str) -> list[str]:
    """Guarda los ajustes que cambiaron (revisados) y anota cada cambio en la bitácora; devuelve sus claves."""
    ajustes.revisar()
    anteriores = leer_operacion(con)
    cambios = [f.name for f in fields(AjustesOperacion) if getattr(ajustes, f.name) != getattr(anteriores, f.name)]
    with transaccion(con):
        for clave in cambios:
            valor = str(getattr(ajustes, clave))
            con.execute("INSERT INTO configuracion VALUES (?, ?) ON CONFLICT (clave) DO UPDATE SET valor = excluded.valor",
                        [clave, valor])
            registrar(con, autor, "cambiar configuración", f"{clave} = {valor}")
    return cambios


def carpeta_de_entrada(con: duckdb.DuckDBPyConnection) -> Path | None:
    """La carpeta de entrada vigente: ``ESLABON_ENTRADA`` o la guardada; ``None`` si no hay ninguna."""
    carpeta = os.environ.get(VARIABLE_ENTRADA) or leer_operacion(con).entrada_carpeta
    return Path(carpeta) if carpeta else None
