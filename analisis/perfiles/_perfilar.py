"""``perfilar``: de una tabla de clientes a sus perfiles, con nombre, rasgos, calidad y mapa.

Método: preparación (``_preparacion``), k-medias sobre una muestra con el número de grupos de
mayor silueta, estabilidad por remuestreo y mapa (``_agrupamiento``), rasgos de cada perfil
(``_rasgos``) y nombre automático (``nombres_automaticos``). Todo en un solo hilo: con varios hilos el orden
de las sumas, y a veces el resultado, depende de la máquina, y en un servidor compartido los hilos
compiten por los núcleos.
"""

from collections.abc import Mapping, Sequence

import numpy as np
import pandas as pd
from threadpoolctl import threadpool_limits

from analisis.errores import MuestraInsuficiente
from analisis.formato import numero
from analisis.perfiles._agrupamiento import (MINIMO_CLIENTES, agrupar, estabilidad, k_maximo, mapa_pca,
                                             ordenar_por_tamano)
from analisis.perfiles._nombres import firmas, nombres_automaticos
from analisis.perfiles._preparacion import faltantes, preparar
from analisis.perfiles._rasgos import tabla_rasgos
from analisis.perfiles._resultado import Perfiles
from analisis.perfiles._variables import etiqueta


def _validar(clientes: pd.DataFrame, k: int | None, semilla: int) -> None:
    """Valida los argumentos de ``perfilar`` y que haya clientes suficientes."""
    if not isinstance(clientes, pd.DataFrame):
        raise ValueError("'clientes' debe ser un DataFrame con una fila por cliente")
    if k is not None and (isinstance(k, bool) or not isinstance(k, (int, np.integer))):
        raise ValueError("'k' debe ser un entero o None (automático)")
    if isinstance(semilla, bool) or not isinstance(semilla, (int, np.integer)) or semilla < 0:
        raise ValueError("'semilla' debe ser un entero mayor o igual que 0")
    n = len(clientes)
    if n < MINIMO_CLIENTES:
        raise MuestraInsuficiente(f"Hay {numero(n, 0)} clientes con los filtros elegidos; se necesitan al menos "
                                  f"{MINIMO_CLIENTES} para formar perfiles. Amplíe el periodo o quite filtros.")
    if k is not None and not 2 <= k <= k_maximo(n):
        raise ValueError(f"'k' debe estar entre 2 y {k_maximo(n)} con {numero(n, 0)} clientes")


def perfilar(clientes: pd.DataFrame, columnas: Sequence[str] | None = None, k: int | None = None,
             semilla: int = 0, *, grupos: Mapping[str, Sequence[str]] | None = None) -> Perfiles:
    """Agrupa a los clientes en perfiles y los describe (método en ``analisis.perfiles`` y sus módulos).

    Parameters
    ----------
    clientes : una fila por cliente; columnas numéricas (o booleanas) y categóricas, con faltantes.
    columnas : variables a usar: nombres de columna o de ``grupos``. None: todas las columnas y
        grupos, salvo las categóricas con más de ``MAXIMO_NIVELES`` niveles (identificadores).
    k : número de perfiles, de 2 a ``k_maximo(len(clientes))``; None lo elige por la silueta.
    semilla : entero ≥ 0; la misma semilla y los mismos datos dan el mismo resultado.
    grupos : nombre → columnas numéricas que forman una sola variable (p. ej. la mezcla de canales
        de ``variables_cliente``); pesan juntas como una variable.

    Returns
    -------
    Perfiles

    Raises
    ------
    MuestraInsuficiente
        Con menos de ``MINIMO_CLIENTES`` clientes, menos de dos variables con variación, o clientes
        demasiado parecidos para formar dos grupos.
    ValueError
        Si los argumentos no son válidos (el mensaje nombra el parámetro).
    """
    _validar(clientes, k, semilla)
    preparacion = preparar(clientes, columnas, grupos=grupos)
    if len(preparacion.variables) < 2:
        descartadas = preparacion.descartadas
        aviso = f" Sin variación: {', '.join(etiqueta(d) for d in descartadas)}." if descartadas else ""
        raise MuestraInsuficiente("Elija al menos dos variables que varíen entre los clientes para formar "
                                  f"perfiles.{aviso}")
    matriz = preparacion.matriz
    with threadpool_limits(limits=1):
        agrupamiento = agrupar(matriz, k, semilla)
        etiquetas = ordenar_por_tamano(agrupamiento.modelo.predict(matriz), agrupamiento.modelo.n_clusters)
        estabilidades = estabilidad(agrupamiento.muestra, agrupamiento.modelo, semilla)
        mapa, varianza = mapa_pca(matriz, agrupamiento.muestra, etiquetas, semilla)
    k = agrupamiento.modelo.n_clusters
    usadas = preparacion.usadas()
    tabla = tabla_rasgos(clientes, usadas, etiquetas, k)
    return Perfiles(
        etiquetas=etiquetas, k=k, k_sugerido=agrupamiento.k_sugerido, nombres=nombres_automaticos(tabla, k),
        silueta=agrupamiento.silueta,
        estabilidad=float(np.mean(estabilidades)), estabilidades=estabilidades,
        tamanos=dict(enumerate(np.bincount(etiquetas, minlength=k).tolist())),
        rasgos=tabla, mapa=mapa, varianza_mapa=varianza, variables=preparacion.variables,
        descartadas=preparacion.descartadas, faltantes={v.nombre: faltantes(clientes, v) for v in usadas},
        firmas=firmas(tabla, k), n_ajuste=len(agrupamiento.muestra),
    )
