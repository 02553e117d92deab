"""Encontrar a una persona y cada lugar donde Eslabón guarda algo de ella.

Se busca por identificador de cliente (tal cual se subió) o, si no hay ninguno igual, por un
correo o un teléfono guardado entre los atributos subidos del cliente (``clientes.atributos``):
el correo sin distinguir mayúsculas, el teléfono por sus dígitos (``+34 600 12 34 56`` es
``34600123456``; basta con los últimos 9 dígitos).
"""

import json
import re
from dataclasses import dataclass, field

import duckdb
import pandas as pd

from analisis.errores import ErrorEslabon
from analisis.formato import numero
from datos.almacen.conexion import Almacen
from datos.consultas.personas import candidatos_por_atributo
from datos.motores.lago_cargas import Lago
from datos.personas import lago as en_lago
from datos.personas.cambios import contar
from datos.personas.lugares import LUGARES, limpiar, preparar

__all__ = ["PersonaNoEncontrada", "Persona", "buscar"]

#: Dígitos que bastan para reconocer un teléfono (los últimos, sin prefijo de país).
DIGITOS_TELEFONO = 9


class PersonaNoEncontrada(ErrorEslabon):
    """No hay datos de la persona buscada (o el texto no basta para saber quién es)."""


@dataclass(frozen=True)
class Persona:
    """Una persona encontrada: su identificador y cuántas filas tiene en cada lugar (almacén y lago)."""

    cliente_id: str
    filas: dict[str, int]
    lago: dict[str, dict[str, int]] = field(default_factory=dict)

    @property
    def total(self) -> int:
        """Filas de la persona en el almacén y en el lago."""
        return sum(self.filas.values()) + sum(sum(a.values()) for a in self.lago.values())

    def resumen(self) -> pd.DataFrame:
        """Una fila por lugar: título, filas en el almacén y, si hay lago, archivos y filas allí."""
        return pd.DataFrame([{
            "Lugar": lugar.titulo, "Filas en el almacén": numero(self.filas.get(lugar.clave, 0), 0),
            "Archivos del lago": numero(len(self.lago.get(lugar.clave, {})), 0),
            "Filas en el lago": numero(sum(self.lago.get(lugar.clave, {}).values()), 0),
        } for lugar in LUGARES])


def _digitos(texto: str) -> str:
    """Solo las cifras de ``texto``."""
    return re.sub(r"\D", "", texto)


def _coincide(atributos: str | None, buscado: str) -> bool:
    """True si algún atributo (JSON) es ``buscado`` como correo (sin mayúsculas) o como teléfono (dígitos)."""
    try:
        valores = json.loads(atributos or "{}").values()
    except (ValueError, AttributeError):
        return False
    digitos = _digitos(buscado)
    for valor in map(str, valores):
        if valor.strip().lower() == buscado.lower():
            return True
        if len(digitos) >= DIGITOS_TELEFONO and len(_digitos(valor)) >= DIGITOS_TELEFONO and \
                _digitos(valor)[-DIGITOS_TELEFONO:] == digitos[-DIGITOS_TELEFONO:] and "@" not in valor:
            return True
    return False


def _por_atributo(almacen: Almacen, buscado: str, lago: Lago | None) -> list[str]:
    """Los clientes con un correo o teléfono igual a ``buscado`` entre sus atributos (en el almacén y en el lago)."""
    digitos = _digitos(buscado)
    digitos = digitos[-DIGITOS_TELEFONO:] if len(digitos) >= DIGITOS_TELEFONO else ""
    motor, fuentes = almacen.ibis(), [None]
    archivos = en_lago.archivos_de(lago, "clientes")
    if archivos:  # una vista temporal de la sesión, no una tabla del almacén
        fuentes.append(motor.read_parquet(archivos, table_name="_clientes_lago", hive_partitioning=False))
    candidatos = pd.concat([candidatos_por_atributo(motor, buscado.lower(), digitos, clientes=fuente).to_pandas()
                            for fuente in fuentes])
    return sorted({fila.cliente_id for fila in candidatos.itertuples() if _coincide(fila.atributos, buscado)})


def _contar(con: duckdb.DuckDBPyConnection, lago: Lago | None) -> tuple[dict[str, int], dict[str, dict[str, int]]]:
    """Filas de la persona preparada por lugar, en el almacén y (archivo → filas) en el lago."""
    filas = {lugar.clave: contar(con, lugar.tabla, lugar.condicion) for lugar in LUGARES}
    archivos = {} if lago is None else {
        lugar.clave: a for lugar in LUGARES if (a := en_lago.archivos_con(con, lago, lugar.tabla, lugar.condicion))}
    return filas, archivos


def _medir(almacen: Almacen, cliente_id: str, lago: Lago | None) -> Persona:
    """La ``Persona`` con identificador ``cliente_id`` y sus filas por lugar (pueden ser todas 0)."""
    con = almacen.cursor()
    try:
        preparar(con, cliente_id)
        if lago is not None:
            en_lago.completar(con, lago)
        filas, archivos = _contar(con, lago)
    finally:
        limpiar(con)
    return Persona(cliente_id, filas, archivos)


def buscar(almacen: Almacen, buscado: str, *, lago: Lago | None = None) -> Persona:
    """La persona con identificador de cliente ``buscado`` o, si no hay, con ese correo o teléfono.

    Raises
    ------
    PersonaNoEncontrada
        Si el texto está vacío, si nadie tiene datos con ese identificador, correo o teléfono, o si
        varios clientes comparten ese correo o teléfono (se nombran, para buscar por identificador).
    """
    buscado = (buscado or "").strip()
    if not buscado:
        raise PersonaNoEncontrada("Escriba el identificador de cliente, el correo o el teléfono de la persona.")
    persona = _medir(almacen, buscado, lago)
    if persona.total:
        return persona
    encontrados = _por_atributo(almacen, buscado, lago)
    if len(encontrados) > 1:
        raise PersonaNoEncontrada(f"Varios clientes tienen ese correo o teléfono ({', '.join(encontrados)}): "
                                  "busque por el identificador de cliente.")
    if encontrados:
        return _medir(almacen, encontrados[0], lago)
    raise PersonaNoEncontrada("No hay datos de ninguna persona con ese identificador de cliente, correo o teléfono.")
