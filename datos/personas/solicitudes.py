"""El registro de las solicitudes sobre datos personales (tabla ``solicitudes_personales``).

Cada acceso, supresión o ejecución de la retención recibe un número y queda con quién la hizo,
cuándo, de qué forma y cuántas filas tocó por lugar, y una línea en la bitácora. Nunca se
guarda el identificador de la persona ni nada de lo suprimido: solo el número de la solicitud y,
si se da, la referencia con que la organización la sigue (el número de su expediente).
"""

import json

import duckdb
import pandas as pd

from analisis.formato import numero, tabla_en_texto
from datos.cuentas.usuarios import registrar

__all__ = ["ACCIONES", "TIPOS", "nuevo_numero", "anotar_solicitud", "para_mostrar"]

#: Acción de la bitácora de cada tipo de solicitud.
ACCIONES = {"acceso": "exportar datos personales", "supresion": "suprimir datos personales",
            "retencion": "aplicar retención de datos personales"}

#: Nombre visible de la forma de cada solicitud (de suprimir o formato de la copia).
FORMAS = {"anonimizar": "Anonimizar", "eliminar": "Eliminar", "excel": "Excel", "json": "JSON"}

#: Nombre visible de cada tipo de solicitud.
TIPOS = {"acceso": "Acceso", "supresion": "Supresión", "retencion": "Retención"}


def nuevo_numero(con: duckdb.DuckDBPyConnection) -> int:
    """El número de la próxima solicitud (llamar dentro de la transacción que la anota)."""
    return con.execute("SELECT coalesce(max(solicitud), 0) + 1 FROM solicitudes_personales").fetchall()[0][0]


def anotar_solicitud(con: duckdb.DuckDBPyConnection, numero: int, tipo: str, *, usuario: str, filas: dict[str, int],
                     modo: str | None = None, referencia: str | None = None, archivos_lago: int = 0) -> None:
    """Guarda la solicitud ``numero`` y su línea de bitácora (sin datos de la persona)."""
    if tipo not in ACCIONES:
        raise ValueError(f"'tipo' debe ser uno de {sorted(ACCIONES)}")
    referencia = (referencia or "").strip() or None
    con.execute("INSERT INTO solicitudes_personales (solicitud, tipo, modo, referencia, usuario, filas, archivos_lago) "
                "VALUES (?, ?, ?, ?, ?, ?, ?)", [numero, tipo, modo, referencia, usuario, json.dumps(filas),
                                                 archivos_lago])
    partes = [f"solicitud {numero}"] + ([modo] if modo else []) + [f"{sum(filas.values())} filas"]
    if archivos_lago:
        partes.append(f"{archivos_lago} archivos del lago")
    if referencia:
        partes.append(f"referencia {referencia}")
    registrar(con, usuario, ACCIONES[tipo], ", ".join(partes))


def _filas_en_texto(filas: str | dict | None) -> str:
    """«Lugar: 1.234; …» a partir de ``filas`` (el JSON guardado, ya leído o en texto; solo los lugares con filas)."""
    tocadas = json.loads(filas) if isinstance(filas, str) else (filas or {})
    return "; ".join(f"{lugar}: {numero(n, 0)}" for lugar, n in tocadas.items() if n) or "ninguna"


def para_mostrar(solicitudes: pd.DataFrame) -> pd.DataFrame:
    """Las filas de ``solicitudes_personales`` listas para la página: encabezados y valores en español."""
    tabla = solicitudes.assign(tipo=solicitudes["tipo"].map(TIPOS), modo=solicitudes["modo"].map(FORMAS),
                               filas=solicitudes["filas"].map(_filas_en_texto))
    return tabla_en_texto(tabla).rename(columns={
        "solicitud": "Solicitud", "tipo": "Tipo", "modo": "Forma", "referencia": "Referencia", "usuario": "Usuario",
        "momento": "Momento", "filas": "Filas por lugar", "archivos_lago": "Archivos del lago"})
