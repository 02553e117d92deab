"""SQL compilado una vez por forma de los filtros, con los valores elegidos como parámetros de DuckDB.

Construir una expresión Ibis y compilarla a SQL cuesta en Python más que ejecutarla en DuckDB (un
cambio de filtro del resumen: ~0,3 s por consulta de compilación frente a ~0,1 s de DuckDB), y
mientras compila retiene el GIL, así que diez sesiones a la vez se esperan unas a otras. Un cambio
de filtro casi nunca cambia la *forma* de la consulta, solo sus valores: «Canal = Chat» y «Canal =
Correo» dan el mismo SQL salvo el texto.

``Plantillas.consultar`` guarda, por función de ``datos.consultas``, versión de los datos y
argumentos con los textos de los filtros (``Filtros``: canales, sucursales, tipos de cliente,
equipos, y con ellos el alcance de la cuenta) sustituidos por marcadores, el SQL con ``$p0``,
``$p1``… en lugar de esos textos; cada petición solo enlaza sus valores. Las fechas y los demás
argumentos siguen en la clave tal cual (de ellas se derivan en Python otras fechas, como el periodo
anterior). Antes de guardar una plantilla se compila con dos juegos de marcadores distintos: si los
dos SQL no coinciden una vez puestos los parámetros (la consulta usa un texto en Python, no solo en
SQL), esa forma se ejecuta siempre por Ibis, como antes. El resultado pasa por la misma conversión a
pandas que ``Table.to_pandas`` de Ibis: las mismas columnas con los mismos tipos.
"""

import dataclasses
import os
import threading
from collections.abc import Callable, Hashable

import ibis
import pandas as pd
import pyarrow.types as pat
from ibis.backends.duckdb.converter import DuckDBPandasData
from ibis.formats.pandas import PandasData

from datos.consultas.filtros import Filtros

__all__ = ["Plantillas", "Plantilla", "con_marcadores", "de_almacen"]

#: Campos de ``Filtros`` cuyos textos se enlazan como parámetros.
_CAMPOS_DE_TEXTO = ("canales", "sucursales", "tipos_cliente", "equipos")
#: Plantillas guardadas como mucho (de la versión de los datos vigente; cada forma es un SQL de pocos kB).
MAXIMO = 512


@dataclasses.dataclass(frozen=True)
class Plantilla:
    """El SQL de una forma de consulta con ``$p<i>`` en lugar del i-ésimo texto de sus filtros, y su esquema Ibis."""

    sql: str
    esquema: ibis.Schema


#: Los dos juegos de marcadores no comparten ningún carácter en ninguna posición y tienen largos distintos:
#: cualquier texto que una consulta derive en Python de un marcador (un trozo, mayúsculas, su largo) difiere
#: entre los dos juegos, y la forma se queda sin plantilla.
_JUEGOS = {"a": ("AAAA", str.maketrans("0123456789", "BCDEFGHIJK")),
           "b": ("zzzzzzz", str.maketrans("0123456789", "lmnopqrstu"))}


def _marcador(juego: str, indice: int) -> str:
    """El texto que ocupa el lugar del ``indice``-ésimo valor en el juego ``juego`` ('a' o 'b').

    >>> _marcador("a", 12), _marcador("b", 12)
    ('AAAACDAAAA', 'zzzzzzzmnzzzzzzz')
    """
    relleno, cifras = _JUEGOS[juego]
    return f"{relleno}{str(indice).translate(cifras)}{relleno}"


def con_marcadores(valor: object, juego: str, textos: list[str]) -> object:
    """``valor`` con cada texto de sus ``Filtros`` (también dentro de tuplas y dataclasses inmutables, como un
    ``Pedido`` de alertas) cambiado por un marcador del ``juego``; añade los textos originales a ``textos`` en
    el orden de los marcadores.

    >>> textos = []
    >>> con_marcadores((Filtros(canales=("Chat",)), 3), "a", textos)
    (Filtros(desde=None, hasta=None, canales=('AAAABAAAA',), sucursales=(), tipos_cliente=(), equipos=()), 3)
    >>> textos
    ['Chat']
    """
    if isinstance(valor, Filtros):
        cambios = {}
        for campo in _CAMPOS_DE_TEXTO:
            originales = getattr(valor, campo)
            cambios[campo] = tuple(_marcador(juego, len(textos) + i) for i in range(len(originales)))
            textos.extend(originales)
        return dataclasses.replace(valor, **cambios)
    if isinstance(valor, tuple):
        return tuple(con_marcadores(elemento, juego, textos) for elemento in valor)
    if dataclasses.is_dataclass(valor) and not isinstance(valor, type) and valor.__dataclass_params__.frozen:
        return dataclasses.replace(valor, **{campo.name: con_marcadores(getattr(valor, campo.name), juego, textos)
                                             for campo in dataclasses.fields(valor) if campo.init})
    return valor


def _parametrizado(sql: str, juego: str, cuantos: int) -> str | None:
    """``sql`` con el literal de cada marcador del ``juego`` cambiado por ``$p<i>``; None si alguno no aparece."""
    for indice in range(cuantos):
        literal = f"'{_marcador(juego, indice)}'"
        if literal not in sql:
            return None
        sql = sql.replace(literal, f"$p{indice}")
    return sql


def _a_pandas(tabla, esquema: ibis.Schema) -> pd.DataFrame:
    """Una tabla Arrow de DuckDB en pandas con los tipos de ``esquema``, como ``to_pandas`` de Ibis en DuckDB
    (``execute`` del backend y ``Table.__pandas_result__``)."""
    datos = pd.DataFrame({
        nombre: (columna.to_pylist()
                 if pat.is_nested(columna.type) or pat.is_dictionary(columna.type) or columna.null_count
                 else columna.to_pandas())
        for nombre, columna in zip(tabla.column_names, tabla.columns)})
    return PandasData.convert_table(DuckDBPandasData.convert_table(datos, esquema), esquema)


class Plantillas:
    """Las plantillas SQL del proceso, de la versión de los datos vigente (otra versión las descarta todas)."""

    def __init__(self):
        self._guardadas: dict[Hashable, Plantilla | None] = {}
        self._compilando: dict[Hashable, threading.Lock] = {}
        self._version: int | None = None
        self._candado = threading.Lock()

    def _compilar(self, con: ibis.BaseBackend, funcion: Callable, argumentos: tuple) -> Plantilla | None:
        """La plantilla de ``funcion`` con la forma de ``argumentos``; None si sus textos no son solo parámetros."""
        sqls, esquema = [], None
        for juego in ("a", "b"):
            textos: list[str] = []
            expresion = funcion(con, *con_marcadores(argumentos, juego, textos)).as_table()
            sqls.append(_parametrizado(con.compile(expresion), juego, len(textos)))
            esquema = expresion.schema()
        if sqls[0] is None or sqls[0] != sqls[1]:
            return None
        return Plantilla(sqls[0], esquema)

    def _plantilla(self, con: ibis.BaseBackend, funcion: Callable, argumentos: tuple,
                   version: int) -> Plantilla | None:
        """La plantilla guardada para ``funcion``, ``version`` y la forma de ``argumentos`` (compilada si falta).

        Una forma se compila una sola vez aunque la pidan varias sesiones a la vez: las demás esperan
        en el candado de esa forma y se llevan la misma plantilla.
        """
        clave = (funcion, con_marcadores(argumentos, "a", []))
        try:
            hash(clave)
        except TypeError:  # argumentos que no sirven de clave: sin plantilla
            return None
        with self._candado:
            if self._version != version:
                self._guardadas.clear()
                self._compilando.clear()
                self._version = version
            candado_de_forma = self._compilando.setdefault(clave, threading.Lock())
        with candado_de_forma:
            with self._candado:
                if clave in self._guardadas:
                    return self._guardadas[clave]
            plantilla = self._compilar(con, funcion, argumentos)
            with self._candado:
                if self._version == version:
                    if len(self._guardadas) >= MAXIMO:
                        self._guardadas.pop(next(iter(self._guardadas)))
                    self._guardadas[clave] = plantilla
                self._compilando.pop(clave, None)
        return plantilla

    def consultar(self, con: ibis.BaseBackend, funcion: Callable, argumentos: tuple, *, version: int) -> pd.DataFrame:
        """``funcion(con, *argumentos)`` (DuckDB) en pandas, con el SQL de su forma compilado una vez por
        ``version`` de los datos; si la forma no admite plantilla, por Ibis como siempre."""
        plantilla = self._plantilla(con, funcion, argumentos, version)
        if plantilla is None:
            return funcion(con, *argumentos).to_pandas()
        textos: list[str] = []
        con_marcadores(argumentos, "a", textos)
        parametros = {f"p{indice}": texto for indice, texto in enumerate(textos)}
        tabla = con.con.sql(plantilla.sql, params=parametros).to_arrow_table()
        return _a_pandas(tabla, plantilla.esquema)


#: Las plantillas de cada archivo de almacén del proceso: las comparten todos los motores que lo leen (las páginas
#: y el precálculo, que compila de antemano las formas de un primer cambio de filtro del resumen).
_POR_ALMACEN: dict[str, Plantillas] = {}
_CANDADO_ALMACENES = threading.Lock()


def de_almacen(ruta: str) -> Plantillas:
    """Las ``Plantillas`` del almacén del archivo ``ruta`` (las mismas para cada motor del proceso que lo lee);
    unas propias para un almacén en memoria (``:memory:``), que no comparte nada.

    Por archivo y no una sola: con el mismo número de versión, dos almacenes pueden compilar la misma forma
    a SQL distintos (uno lee los agregados diarios y otro las filas).
    """
    if ruta == ":memory:":
        return Plantillas()
    with _CANDADO_ALMACENES:
        return _POR_ALMACEN.setdefault(os.path.realpath(ruta), Plantillas())
