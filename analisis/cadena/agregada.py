"""El eslabón más débil desde las sumas por lote que calculó el motor (``datos.consultas.cadena.sumas_cadena``)."""

from collections.abc import Mapping, Sequence

import numpy as np
import pandas as pd

from analisis.cadena import sumas as contrato
from analisis.cadena.configuracion import ESCALAS, umbral_alto
from analisis.cadena.eslabon import SIN_RESPUESTAS, Plan, ResultadoCadena, armar_resultado, exigir_muestra, totales
from analisis.cadena.remuestreo import azares
from analisis.cadena.validacion import columnas_numericas, metas_en_orden, validar_etapas, validar_opciones
from analisis.errores import MuestraInsuficiente
from analisis.escalas import REMUESTRAS_CADENA

__all__ = ["analizar_cadena_agregada"]


def analizar_cadena_agregada(sumas: pd.DataFrame, etapas: Sequence[str], *,
                             metas: Mapping[str, float] | None = None, remuestras: int = REMUESTRAS_CADENA,
                             semilla: int = 0, medida: str = "media") -> ResultadoCadena:
    """El eslabón más débil desde sumas por lote calculadas en el motor (resultado continuo).

    Mismo análisis y mismo ``ResultadoCadena`` que ``analizar_cadena`` (pesos de Johnson,
    bootstrap por lotes, ruido de referencia, prioridad y ganancia), pero sin filas: entran los
    estadísticos suficientes de cada lote de encuestados que agregó el motor sobre todas las
    respuestas del filtro (``datos.consultas.cadena.sumas_cadena``) y las remuestras sortean esos lotes.
    Las estimaciones puntuales coinciden con ``analizar_cadena`` sobre las mismas filas (no
    dependen del reparto en lotes ni del ruido); los intervalos, la confianza y la significación
    varían como entre dos semillas, porque el reparto y el ruido son otros (el ruido es uniforme,
    no normal: para la prueba solo importa que sea independiente de los datos). ``n`` cuenta
    las respuestas con resultado (que por construcción calificaron alguna etapa), también si
    solo calificaron etapas que quedaron fuera del modelo.

    Solo para resultados continuos: la logística del resultado sí/no necesita las filas
    (``analizar_cadena`` sobre la muestra de ``datos.consultas.cadena.calificaciones_por_respuesta``).

    Parameters
    ----------
    sumas : una fila por lote con las columnas de ``datos.consultas.cadena.sumas_cadena``: ``lote``,
        ``filas``, ``cruzados_i_j``/``pares_i_j`` (i ≤ j), ``sumas_i_j``/``cuadrados_i_j``,
        ``altas_i``/``suma_bajas_i`` por etapa, ``centro_i``, ``escala_minimo`` y ``escala_maximo``;
        los índices 0..k−1 son las etapas en orden, k el resultado y k+1 el ruido.
    etapas : nombres de las etapas, en el orden de las columnas (de 2 a 30).
    metas, remuestras, semilla, medida : como en ``analizar_cadena`` (la semilla solo fija el bootstrap).

    Raises
    ------
    ValueError : argumentos mal formados o ``sumas`` sin las columnas esperadas.
    MuestraInsuficiente : pocas respuestas, resultado constante o ninguna etapa utilizable.

    Example
    -------
    >>> import duckdb, ibis
    >>> from datos.consultas.cadena import sumas_cadena
    >>> from datos.consultas.filtros import Filtros
    >>> duck = duckdb.connect()
    >>> _ = duck.execute("CREATE TABLE encuestas AS SELECT 'r' || i AS respuesta_id, 1.0 + i % 5 AS csat, "
    ...                  "TIMESTAMP '2026-01-01' AS fecha, '' AS canal, '' AS sucursal, '' AS tipo_cliente "
    ...                  "FROM range(40) t(i)")
    >>> _ = duck.execute("CREATE TABLE encuesta_etapas AS SELECT 'r' || i AS respuesta_id, etapa, CASE etapa "
    ...                  "WHEN 'A' THEN 1.0 + i % 5 ELSE 3.0 + i % 2 END AS calificacion "
    ...                  "FROM range(40) t(i), (VALUES ('A'), ('B')) e(etapa)")
    >>> con = ibis.duckdb.from_connection(duck)
    >>> r = analizar_cadena_agregada(sumas_cadena(con, Filtros(), ("A", "B"), "csat").to_pandas(), ["A", "B"],
    ...                              remuestras=0)
    >>> [round(float(v), 6) for v in r.importancia["peso"]], r.n
    ([1.0, 0.0], 40)
    """
    etapas = validar_etapas(etapas)
    validar_opciones(medida, remuestras, semilla)
    referencias = metas_en_orden(metas, etapas, medida)
    if not isinstance(sumas, pd.DataFrame):
        raise ValueError("'sumas' debe ser un DataFrame")
    partes, centro, escala, filas = _leer_sumas(sumas, len(etapas))
    if filas == 0:
        raise MuestraInsuficiente(SIN_RESPUESTAS)
    p = len(etapas)
    total, momentos, incluidas = totales(partes, centro, p)
    n = exigir_muestra(int(total["pares"][0, p, p]), incluidas, float(momentos["desvio"][0, p]))
    plan = Plan(incluidas, "continuo", medida, referencias, umbral_alto(escala), centro, momentos["desvio"][0], {})
    return armar_resultado(etapas, partes, total, momentos, plan, n=n, filas=filas, escala=escala,
                           remuestras=remuestras, azar=azares(semilla)[2])


def _leer_sumas(sumas: pd.DataFrame, k: int) -> tuple[dict[str, np.ndarray], np.ndarray, tuple[float, float], int]:
    """Las sumas del motor como estadísticos por lote (ordenados por lote), centro, escala y filas."""
    q = k + 2
    columnas = contrato.columnas_sumas(k)
    constantes = [contrato.columna("centro", i) for i in range(q)] + [contrato.ESCALA_MINIMO, contrato.ESCALA_MAXIMO]
    esperadas = [contrato.LOTE, contrato.FILAS, *constantes, *(c for lista in columnas.values() for c in lista)]
    faltan = [c for c in esperadas if c not in sumas.columns]
    if faltan:
        raise ValueError(f"'sumas' no tiene las columnas {sorted(set(faltan))[:5]} (¿otras etapas?); "
                         "deben venir de datos.consultas.cadena.sumas_cadena")
    ordenadas = sumas.sort_values(contrato.LOTE)
    formas = {nombre: (q, q) if nombre in contrato.PARES + contrato.CRUZADAS else (k,) for nombre in columnas}
    partes = {nombre: columnas_numericas(ordenadas, lista, "sumas").reshape((len(ordenadas), *formas[nombre]))
              for nombre, lista in columnas.items()}
    if len(ordenadas) == 0:
        return partes, np.zeros(q), ESCALAS[0], 0
    primera = ordenadas.iloc[0]
    centro = np.array([float(primera[contrato.columna("centro", i)]) for i in range(q)])
    escala = (float(primera[contrato.ESCALA_MINIMO]), float(primera[contrato.ESCALA_MAXIMO]))
    return partes, centro, escala, int(ordenadas[contrato.FILAS].sum())
