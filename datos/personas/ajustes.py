"""Lo que la organización decide una vez: cómo se suprime a una persona y cuánto se guarda cada dato.

Ambos ajustes viven en ``configuracion`` (migración 21) y solo los cambia un administrador
(la página «Datos personales» solo la ve ese rol); cada cambio queda en la bitácora.

- ``supresion_modo``: ``anonimizar`` (predeterminado: el identificador pasa a ser una ficha
  irreversible y se quitan el texto libre y los atributos personales; las notas se quedan y los
  KPI históricos no se mueven) o ``eliminar`` (las filas se borran y los KPI se recalculan).
- ``retencion_<tipo>``: días tras los que ``datos.personas.retencion.retener`` anonimiza los
  identificadores y el texto libre de cada tipo de dato; 0 significa sin plazo.
"""

from dataclasses import dataclass

import duckdb

from analisis.errores import AjusteNoValido
from datos.almacen.transaccion import transaccion
from datos.cuentas.usuarios import registrar

__all__ = ["MODOS", "TipoRetencion", "TIPOS_RETENCION", "PLAZO_MAXIMO", "modo_supresion", "elegir_modo", "plazos",
           "guardar_plazos"]

#: Formas de suprimir: código guardado → explicación visible.
MODOS = {
    "anonimizar": "Anonimizar: el identificador pasa a ser una ficha irreversible y se quitan los comentarios y "
                  "los atributos personales; las notas se conservan y los KPI históricos no cambian.",
    "eliminar": "Eliminar: se borran sus encuestas, calificaciones, interacciones y su ficha; los KPI que las "
                "incluían (y el FCR de sus contactos) se recalculan sin ellas.",
}

#: Plazo máximo configurable, en días (diez años).
PLAZO_MAXIMO = 3650


@dataclass(frozen=True)
class TipoRetencion:
    """Un tipo de dato con plazo de retención: su clave de configuración, nombre y qué se anonimiza."""

    tipo: str
    nombre: str
    que_se_anonimiza: str

    @property
    def clave(self) -> str:
        """Clave de ``configuracion`` donde se guarda su plazo en días."""
        return f"retencion_{self.tipo}"


#: Tipos de dato con plazo de retención, en el orden en que se muestran.
TIPOS_RETENCION = (
    TipoRetencion("comentarios", "Comentarios de encuestas", "el texto del comentario"),
    TipoRetencion("encuestas", "Encuestas", "el identificador del cliente y el comentario (las notas quedan)"),
    TipoRetencion("interacciones", "Interacciones", "el identificador del cliente (tiempos y resultados quedan)"),
    TipoRetencion("auditorias", "Auditorías", "el nombre del auditor y la nota escrita (los puntajes quedan)"),
)


def _valor(con: duckdb.DuckDBPyConnection, clave: str, defecto: str) -> str:
    """El valor de ``clave`` en ``configuracion`` (``defecto`` si falta)."""
    filas = con.execute("SELECT valor FROM configuracion WHERE clave = ?", [clave]).fetchall()
    return filas[0][0] if filas else defecto


def _guardar(con: duckdb.DuckDBPyConnection, clave: str, valor: str) -> None:
    """Escribe ``clave = valor`` en ``configuracion``."""
    con.execute("INSERT INTO configuracion VALUES (?, ?) ON CONFLICT (clave) DO UPDATE SET valor = excluded.valor",
                [clave, valor])


def modo_supresion(con: duckdb.DuckDBPyConnection) -> str:
    """La forma de suprimir elegida por la organización: 'anonimizar' o 'eliminar'."""
    return _valor(con, "supresion_modo", "anonimizar")


def elegir_modo(con: duckdb.DuckDBPyConnection, modo: str, *, autor: str) -> None:
    """Guarda la forma de suprimir de la organización y lo anota en la bitácora."""
    if modo not in MODOS:
        raise AjusteNoValido(f"La forma de suprimir debe ser una de: {', '.join(MODOS)}.")
    with transaccion(con):
        _guardar(con, "supresion_modo", modo)
        registrar(con, autor, "cambiar forma de suprimir datos personales", modo)


def plazos(con: duckdb.DuckDBPyConnection) -> dict[str, int]:
    """Plazo de retención en días de cada tipo de ``TIPOS_RETENCION`` (0: sin plazo)."""
    return {t.tipo: int(_valor(con, t.clave, "0")) for t in TIPOS_RETENCION}


def guardar_plazos(con: duckdb.DuckDBPyConnection, nuevos: dict[str, int], *, autor: str) -> None:
    """Guarda los plazos de ``nuevos`` (tipo → días) en una transacción y anota los que cambian."""
    validos = {t.tipo for t in TIPOS_RETENCION}
    for tipo, dias in nuevos.items():
        if tipo not in validos:
            raise AjusteNoValido(f"No hay plazo de retención para «{tipo}».")
        if not 0 <= int(dias) <= PLAZO_MAXIMO:
            raise AjusteNoValido(f"El plazo de retención debe estar entre 0 (sin plazo) y {PLAZO_MAXIMO} días.")
    anteriores = plazos(con)
    with transaccion(con):
        for tipo, dias in nuevos.items():
            if int(dias) != anteriores[tipo]:
                _guardar(con, f"retencion_{tipo}", str(int(dias)))
                registrar(con, autor, "cambiar plazo de retención", f"{tipo} = {int(dias)} días")
