"""Datos de demostración deterministas para Eslabón.

``cargar_demo`` genera clientes, agentes, interacciones, encuestas (con sus
calificaciones por etapa) y auditorías (con sus 15 competencias) de 18 meses
fijos, del 1 de mayo de 2025 al 31 de octubre de 2026, y los escribe en una
sola transacción registrada como una carga de demostración. Todo se genera con
numpy de forma vectorizada a partir de ``semilla``: la misma semilla da los
mismos datos y nada depende de la fecha de hoy.

Tamaños con ``escala=1`` (crecen linealmente con la escala): 5.000 clientes,
50.000 interacciones, 20.000 encuestas y 2.000 auditorías; los agentes crecen
con la raíz de la escala, de 24 a 600 (60 con ``escala=1``), en seis equipos.

Estructura sembrada a propósito, para que los análisis tengan algo real que
encontrar (cada hecho está en una constante de ``datos.demo.hechos``):

1. **Eslabón más débil** (``ETAPA_DEBIL``): la etapa "Entrega" tiene la
   calificación media más baja (≈3,2 frente a ≈3,8–4,1 de las demás) y el
   mayor peso en el CSAT (``PESOS_ETAPAS``). Las cinco etapas comparten una
   satisfacción latente, así que están correlacionadas entre sí; el CSAT es la
   suma ponderada de las etapas más ruido, y NPS y CES siguen al CSAT. Cuando
   no se cumple la promesa, la calificación de la entrega cae.
2. **Caída y recuperación** en ``SUCURSAL_CAIDA`` ("Sucursal Norte") entre
   ``CAIDA_INICIO`` y ``CAIDA_FIN`` (15-01-2026 a 31-03-2026): el cumplimiento
   de la promesa baja de ≈89 % a ≈63 %, y el CSAT y el NPS caen (el NPS de la
   sucursal, unos 15–20 puntos); después se recupera. La caída se ve también
   en el NPS global.
3. **Brechas de competencias** (``BRECHAS``, ``AGENTES_CON_BRECHAS``): ocho
   agentes de dos equipos ("Equipo Caribe" y "Equipo Orinoco") puntúan ≈1,5
   puntos menos en sus competencias débiles (``COMPETENCIAS_DEBILES``:
   empatía, escucha, resolución, manejo de la tensión) y sus clientes dan un
   CSAT ≈0,6 menor; los de brecha en resolución además resuelven menos.
4. **Perfiles de clientes** (``PERFILES``): cuatro arquetipos que determinan
   tipo de cliente, segmento, canal preferido (``CANAL_PREFERIDO``),
   frecuencia de contacto, propensión a quejarse y satisfacción. El perfil de
   cada cliente queda en ``clientes.atributos`` como ``{"perfil": "..."}``.
   ``PERFIL_INSATISFECHO`` es el que más se queja y peor califica.

Además: recontactos del mismo cliente por el mismo motivo dentro de 7 días
(sobre todo tras casos no resueltos), de modo que el FCR ronda el 74 %;
tiempos de respuesta sesgados (mediana ≈12 min, p90 ≈50–60 min); ≈3 % de
calificaciones por etapa, ≈3 % de NPS y ≈10 % de CES vacíos; ≈2 % de
competencias auditadas como N/A; comentarios en ≈40 % de las encuestas, con
el tono de la nota y la etapa que salió mejor o peor.

Este módulo valida los argumentos, reparte una semilla a cada familia de tablas
(``clientes_interacciones``, ``encuestas``, ``auditorias``) y las escribe (``escritura``).

Uso desde la línea de órdenes::

    python -m datos.demo --db eslabon.duckdb --semilla 0 --escala 1
"""

import argparse
import math
import sys
from collections.abc import Callable

import duckdb
import numpy as np

from analisis.errores import ErrorEslabon
from analisis.formato import filas_por_tabla
from datos.almacen.conexion import Almacen, ruta_predeterminada
from datos.demo.auditorias import generar_auditorias
from datos.demo.clientes_interacciones import generar_agentes, generar_clientes, generar_interacciones
from datos.demo.encuestas import generar_encuestas
from datos.demo.escritura import escribir, tablas_arrow
from datos.demo.hechos import (AGENTES_CON_BRECHAS, BRECHAS, CAIDA_FIN, CAIDA_INICIO, CANAL_PREFERIDO,
                               COMPETENCIAS_DEBILES, EQUIPOS, ETAPA_DEBIL, ETAPAS, FECHA_FIN, FECHA_INICIO,
                               PERFIL_INSATISFECHO, PERFILES, PESOS_ETAPAS, SUCURSAL_CAIDA)

__all__ = [
    "FECHA_INICIO", "FECHA_FIN", "ETAPAS", "ETAPA_DEBIL", "PESOS_ETAPAS", "SUCURSAL_CAIDA", "CAIDA_INICIO",
    "CAIDA_FIN", "EQUIPOS", "BRECHAS", "AGENTES_CON_BRECHAS", "COMPETENCIAS_DEBILES", "PERFILES",
    "CANAL_PREFERIDO", "PERFIL_INSATISFECHO", "cargar_demo", "ruta_predeterminada", "main",
]

_TAMANOS = {"clientes": 5_000, "interacciones": 50_000, "encuestas": 20_000, "auditorias": 2_000}
_AGENTES_BASE, _AGENTES_MIN, _AGENTES_MAX = 60, 24, 600


def cargar_demo(con: duckdb.DuckDBPyConnection, *, semilla: int = 0, escala: float = 1.0,
                progreso: Callable[[float, str], None] | None = None) -> dict[str, int]:
    """Genera los datos de demostración y los escribe en una sola transacción.

    La carga queda registrada en ``cargas`` (tipo ``'demo'``, ``es_demo`` verdadero) y todas
    las filas apuntan a ella; ``configuracion.version_datos`` aumenta en uno. Si algo falla,
    no queda nada escrito.

    Parameters
    ----------
    con : conexión a un almacén ya migrado (``datos.almacen.esquema.migrar``).
    semilla : entero ≥ 0; la misma semilla produce exactamente los mismos datos.
    escala : factor de tamaño (> 0). Con 1 hay 50.000 interacciones; con 200, 10 millones.
    progreso : ``None`` o función ``(fraccion, mensaje)`` que se llama unas pocas veces con
        fracciones crecientes de 0 a 1, para mostrar una barra de progreso.

    Returns
    -------
    dict[str, int]
        Filas escritas por tabla, en el orden de ``datos.almacen.esquema.TABLAS_DE_DATOS``.

    Raises
    ------
    ValueError
        Si ``semilla`` o ``escala`` no son válidas.
    ErrorEslabon
        Si el almacén ya tiene datos de demostración.

    Example
    -------
    >>> almacen = Almacen(":memory:")
    >>> cargar_demo(almacen.cursor(), escala=0.01)["interacciones"]
    500
    """
    if isinstance(semilla, bool) or not isinstance(semilla, (int, np.integer)) or semilla < 0:
        raise ValueError("'semilla' debe ser un entero mayor o igual que 0")
    if isinstance(escala, bool) or not isinstance(escala, (int, float)) or not math.isfinite(escala) \
            or escala <= 0:
        raise ValueError("'escala' debe ser un número positivo")
    avisar = progreso or (lambda fraccion, mensaje: None)
    if con.execute("SELECT count(*) FROM cargas WHERE es_demo AND deshecha IS NULL").fetchall()[0][0]:
        raise ErrorEslabon("El almacén ya tiene datos de demostración; deshaga esa carga antes de repetirla.")

    generadores = [np.random.default_rng(s) for s in np.random.SeedSequence(int(semilla)).spawn(5)]
    tamanos = _tamanos(escala)
    avisar(0.0, "Generando clientes y agentes…")
    clientes = generar_clientes(generadores[0], tamanos["clientes"])
    agentes = generar_agentes(generadores[1], tamanos["agentes"])
    avisar(0.1, "Generando interacciones…")
    interacciones = generar_interacciones(generadores[2], tamanos["interacciones"], clientes, agentes)
    avisar(0.3, "Generando encuestas…")
    encuestas = generar_encuestas(generadores[3], tamanos["encuestas"], interacciones, clientes, agentes)
    avisar(0.45, "Generando auditorías…")
    auditorias = generar_auditorias(generadores[4], tamanos["auditorias"], interacciones, agentes)
    tablas = tablas_arrow(clientes, agentes, interacciones, encuestas, auditorias)
    filas = {nombre: tabla.num_rows for nombre, tabla in tablas.items()}
    escribir(con, tablas, filas, avisar)
    avisar(1.0, "Datos de demostración listos.")
    return filas


def main(argv: list[str] | None = None) -> int:
    """Línea de órdenes: crea o abre el almacén, lo migra, carga la demostración e informa las filas."""
    parser = argparse.ArgumentParser(
        prog="python -m datos.demo",
        description="Genera datos de demostración de Eslabón y los guarda en un almacén DuckDB.",
    )
    parser.add_argument("--db", default=ruta_predeterminada(),
                        help="archivo DuckDB (se crea si no existe; por omisión ESLABON_DB o eslabon.duckdb)")
    parser.add_argument("--semilla", type=int, default=0, help="semilla del generador (por omisión 0)")
    parser.add_argument("--escala", type=float, default=1.0,
                        help="factor de tamaño: 1 = 50.000 interacciones, 200 = 10 millones (por omisión 1)")
    args = parser.parse_args(argv)
    try:
        almacen = Almacen(args.db)
    except duckdb.Error as error:
        print(f"No se pudo abrir la base de datos {args.db}: {error}", file=sys.stderr)
        return 1
    except ErrorEslabon as error:
        print(error.mensaje, file=sys.stderr)
        return 1
    try:
        filas = cargar_demo(almacen.cursor(), semilla=args.semilla, escala=args.escala)
    except ErrorEslabon as error:
        print(error.mensaje, file=sys.stderr)
        return 1
    except ValueError as error:
        print(f"Argumento no válido: {error}", file=sys.stderr)
        return 2
    finally:
        almacen.cerrar()
    print(f"Datos de demostración guardados en {args.db}:")
    print(filas_por_tabla(filas))
    return 0


def _tamanos(escala: float) -> dict[str, int]:
    """Filas por entidad para una escala: lineal (mínimo 1); los agentes, con la raíz de la escala."""
    tamanos = {nombre: max(1, round(n * escala)) for nombre, n in _TAMANOS.items()}
    tamanos["agentes"] = min(_AGENTES_MAX, max(_AGENTES_MIN, round(_AGENTES_BASE * math.sqrt(escala))))
    return tamanos
