"""Umbrales de la organización (muestra mínima y privacidad) y la anotación de todo cambio de ajuste.

Los umbrales viven en la tabla ``configuracion``. Solo una cuenta **activa de administrador** los
cambia (``cambiar_configuracion`` lo comprueba en el almacén, no en la página), y nunca por debajo
de su mínimo:

- ``auditorias_minimas`` ≥ 3: con una o dos auditorías la cifra de una persona es una evaluación
  concreta que se reconoce, y la prueba t de Welch del progreso necesita al menos dos por ronda.
- ``privacidad_respuestas`` ≥ 5: el umbral habitual de control de divulgación en encuestas
  (ninguna celda con menos de 5 respuestas), por debajo del cual se señala a clientes o personas.
- ``muestra_minima`` ≥ 10: con menos respuestas el intervalo de una proporción abarca más de
  ±25 puntos y la cifra no dice nada.

``valor_configurado`` es la lectura: nunca devuelve menos que el mínimo, aunque el almacén guarde
un valor antiguo más bajo. ``anotar_cambio`` es la única forma de anotar en la bitácora un cambio
de ajuste (este módulo, el estándar de competencias y sus temas): siempre con el valor anterior y
el nuevo.
"""

from collections.abc import Mapping
from dataclasses import dataclass

import duckdb

from analisis.errores import AjusteNoValido
from analisis.formato import numero
from datos.almacen.derivados import subir_version
from datos.almacen.transaccion import transaccion
from datos.cuentas.usuarios import registrar

__all__ = ["Umbral", "CONFIGURABLES", "cambiar_configuracion", "valor_configurado", "anotar_cambio",
           "es_administrador"]


@dataclass(frozen=True)
class Umbral:
    """Un parámetro entero de ``configuracion``: lo que significa, su mínimo admitido y su valor inicial."""

    descripcion: str
    minimo: int
    defecto: int


#: Parámetros que el administrador puede cambiar (clave en ``configuracion`` → ``Umbral``).
CONFIGURABLES: dict[str, Umbral] = {
    "muestra_minima": Umbral("Muestra mínima para dar una cifra por fiable (respuestas)", 10, 30),
    "auditorias_minimas": Umbral("Auditorías mínimas para mostrar las cifras de una persona", 3, 5),
    "privacidad_respuestas": Umbral("Respuestas mínimas para mostrar las cifras de un segmento", 5, 10),
}


def anotar_cambio(con: duckdb.DuckDBPyConnection, autor: str, ajuste: str, antes: object, despues: object) -> None:
    """Anota en la bitácora «ajuste: antes → después» como acción «cambiar configuración» de ``autor``."""
    registrar(con, autor, "cambiar configuración", f"{ajuste}: {_texto(antes)} → {_texto(despues)}")


def _texto(valor: object) -> str:
    """Un valor como lo lee una persona: números a la española, vacío como «(sin valor)»."""
    if valor is None or valor == "":
        return "(sin valor)"
    if isinstance(valor, bool):
        return "sí" if valor else "no"
    if isinstance(valor, int):
        return numero(valor, 0)
    if isinstance(valor, float):
        return numero(valor, 2)
    return str(valor)


def es_administrador(con: duckdb.DuckDBPyConnection, usuario: str | None) -> bool:
    """True si ``usuario`` es, ahora mismo en el almacén, una cuenta activa de administrador."""
    filas = con.execute("SELECT count(*) FROM usuarios WHERE usuario = ? AND activo AND rol = 'administrador'",
                        [usuario or ""]).fetchall()
    return filas[0][0] > 0


def valor_configurado(valores: Mapping[str, object], clave: str) -> int:
    """El umbral ``clave`` leído de ``valores`` (clave → valor de ``configuracion``), nunca bajo su mínimo.

    >>> valor_configurado({"auditorias_minimas": "1"}, "auditorias_minimas")
    3
    >>> valor_configurado({}, "privacidad_respuestas")
    10
    """
    umbral = CONFIGURABLES[clave]
    guardado = valores.get(clave)
    return max(umbral.minimo, int(guardado) if guardado is not None else umbral.defecto)


def cambiar_configuracion(con: duckdb.DuckDBPyConnection, clave: str, valor: int, *, autor: str) -> None:
    """Cambia el umbral ``clave`` a ``valor`` en una transacción, con el antes y el después en la bitácora.

    Sube la versión de los datos (todas las páginas refrescan). No hace nada si el valor no cambia.

    Raises
    ------
    AjusteNoValido
        Si ``autor`` no es un administrador activo, la clave no es configurable o ``valor`` no es un
        entero mayor o igual que su mínimo.
    """
    if clave not in CONFIGURABLES:
        raise AjusteNoValido(f"No se puede configurar «{clave}».")
    umbral = CONFIGURABLES[clave]
    if isinstance(valor, bool) or not isinstance(valor, int) or valor < umbral.minimo:
        raise AjusteNoValido(f"{umbral.descripcion}: el valor debe ser un número entero de al menos "
                             f"{umbral.minimo}.")
    if not es_administrador(con, autor):
        raise AjusteNoValido("Solo una cuenta de administrador puede cambiar los umbrales de la organización.")
    with transaccion(con):
        filas = con.execute("SELECT valor FROM configuracion WHERE clave = ?", [clave]).fetchall()
        antes = int(filas[0][0]) if filas else None
        if antes == valor:
            return
        con.execute("INSERT INTO configuracion VALUES (?, ?) ON CONFLICT (clave) DO UPDATE SET valor = excluded.valor",
                    [clave, str(valor)])
        subir_version(con)
        anotar_cambio(con, autor, umbral.descripcion, antes, valor)
