"""La regla de privacidad de toda la interfaz: umbrales y seudónimos.

- ``ocultar_pequenos``: las cifras de grupos demasiado pequeños no se muestran (en pantalla, en
  descargas, en informes y en alertas). Es distinto de la muestra mínima estadística: una cifra con
  pocos casos puede señalar a personas concretas (un equipo de dos, una sucursal con cinco
  clientes, un agente con una auditoría), así que por debajo del umbral se borra, no solo se marca.
  El umbral es el de segmento (``privacidad_respuestas``) o el de persona (``auditorias_minimas``).
- ``seudonimizar``: quien no puede ver identidades (según su rol, ``paginas.sesion``) ve seudónimos
  estables de clientes y de personas en tablas, detalles y descargas.
"""

import hashlib
from collections.abc import Sequence

import pandas as pd

from analisis.texto import enmascarar_todos

__all__ = ["ocultar_pequenos", "seudonimo", "seudonimizar", "proteger_detalle", "COLUMNAS_IDENTIDAD"]

#: Columnas (por su nombre interno o su encabezado en español) que identifican a alguien, y el
#: prefijo de su seudónimo.
COLUMNAS_IDENTIDAD = {
    "cliente_id": "Cliente", "Cliente": "Cliente",
    "agente_id": "Agente", "nombre": "Agente", "Agente": "Agente", "Código del agente": "Agente",
    "auditor": "Auditor", "Auditor": "Auditor", "auditoria_id": "Auditoría", "Auditoría": "Auditoría",
}


def ocultar_pequenos(tabla: pd.DataFrame, *, n: str | Sequence[str], columnas: Sequence[str],
                     minimo: int) -> pd.DataFrame:
    """Copia de ``tabla`` con ``columnas`` vacías (NaN) en las filas con menos de ``minimo`` casos.

    Parameters
    ----------
    tabla : una fila por grupo o por punto de una serie.
    n : columna (o columnas) con el número de casos; basta que una tenga entre 1 y ``minimo`` − 1.
        Las filas sin casos (n = 0) ya no muestran nada y se dejan como están.
    columnas : cifras que se borran en esas filas.
    minimo : umbral de privacidad (0 o 1: no se oculta nada).

    >>> t = pd.DataFrame({"grupo": ["A", "B"], "valor": [4.2, 3.1], "n": [50, 4]})
    >>> ocultar_pequenos(t, n="n", columnas=["valor"], minimo=10)["valor"].tolist()
    [4.2, nan]
    """
    if minimo < 0:
        raise ValueError("'minimo' no puede ser negativo")
    conteos = tabla[[n] if isinstance(n, str) else list(n)]
    pequenos = ((conteos > 0) & (conteos < minimo)).any(axis=1)
    copia = tabla.copy()
    copia.loc[pequenos, list(columnas)] = float("nan")
    return copia


def seudonimo(valor, prefijo: str = "Cliente") -> str | None:
    """Un seudónimo estable de un identificador: el mismo cliente da siempre el mismo, sin revelar cuál es.

    >>> seudonimo("CLI-000123") == seudonimo("CLI-000123"), seudonimo("CLI-000123") != seudonimo("CLI-000124")
    (True, True)
    >>> seudonimo(None) is None
    True
    """
    if valor is None or (not isinstance(valor, str) and pd.isna(valor)):
        return None
    return f"{prefijo} " + hashlib.blake2b(str(valor).encode(), digest_size=4).hexdigest()


def seudonimizar(tabla: pd.DataFrame, *, ver_identidades: bool) -> pd.DataFrame:
    """``tabla`` tal cual si ``ver_identidades``; si no, con cada columna de ``COLUMNAS_IDENTIDAD``
    cambiada por seudónimos estables (mismo valor, mismo seudónimo). De dos columnas que identifican a la misma
    persona (el nombre y el código del agente) queda la primera: con dos seudónimos distintos parecería otra.

    >>> t = pd.DataFrame({"Cliente": ["CLI-1"], "Agente": ["Ana"], "CSAT": [4], "Código del agente": ["AGE-1"]})
    >>> fila = seudonimizar(t, ver_identidades=False).iloc[0]
    >>> fila["Cliente"].startswith("Cliente "), fila["Agente"].startswith("Agente "), int(fila["CSAT"]), len(fila)
    (True, True, 4, 3)
    """
    if ver_identidades:
        return tabla
    copia, vistas = tabla.copy(), set()
    for columna in tabla.columns:
        prefijo = COLUMNAS_IDENTIDAD.get(columna)
        if prefijo in vistas:
            copia = copia.drop(columns=columna)
        elif prefijo:
            copia[columna] = copia[columna].map(lambda v, p=prefijo: seudonimo(v, p))
            vistas.add(prefijo)
    return copia


def proteger_detalle(tabla: pd.DataFrame, *, mostrar_clientes: bool = False) -> pd.DataFrame:
    """Filas de detalle listas para mostrar o exportar: comentarios sin datos personales y, salvo
    ``mostrar_clientes``, las identidades cambiadas por seudónimos (``seudonimizar``)."""
    copia = tabla.copy()
    if "comentario" in copia:
        copia["comentario"] = enmascarar_todos(copia["comentario"])
    return seudonimizar(copia, ver_identidades=mostrar_clientes)
