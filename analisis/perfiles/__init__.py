"""Perfiles de clientes: grupos que un responsable de marketing o de servicio puede usar.

Entra una tabla con una fila por cliente y columnas numéricas y categóricas (la de
``datos.consultas.perfiles.caracteristicas_clientes``, u otra cualquiera); sale un ``Perfiles`` con el
perfil (grupo) de cada cliente, su nombre automático en español, la silueta de cada número de
grupos probado, la estabilidad, la tabla de rasgos que distingue a cada grupo y un mapa 2-D.
Los llamadores importan de aquí (``analisis.perfiles.perfilar``…); los módulos privados son el
detalle, cada uno con su parte del método:

* ``_variables``: las variables de los clientes y sus nombres en español.
* ``_preparacion``: la matriz con que se agrupa (recorte, estandarización, faltantes al centro).
* ``_agrupamiento``: k-medias sobre una muestra, el número de grupos (silueta), la estabilidad
  (remuestras bootstrap) y el mapa PCA. Sus tamaños de muestra (``MUESTRA_AJUSTE``,
  ``MUESTRA_MAPA``…) se leen allí: una prueba que los cambie apunta a ese módulo.
* ``_rasgos``: qué distingue a cada perfil de la población.
* ``_nombres``: el nombre automático, la firma y los nombres guardados por los usuarios.
* ``_resultado`` y ``_perfilar``: ``Perfiles`` y ``perfilar``, que une los pasos.
* ``_indicadores``: CSAT, NPS y quejas de cada perfil (estimaciones de ``analisis.kpis``).
* ``_vistas``: lecturas, tablas y listas de clientes para la pantalla y las descargas.

Qué pueden importar: ``analisis.kpis`` (toda estimación e intervalo), ``analisis.escalas``
(escalas y cortes), ``analisis.formato``, ``analisis.privacidad``, ``analisis.errores``, numpy,
pandas y scikit-learn; nunca ``datos``, ``paginas`` ni Streamlit. Una pieza nueva va al módulo de
su asunto (o a uno nuevo si es un asunto nuevo) y su nombre público se añade aquí y a ``__all__``.

Example
-------
>>> import numpy as np, pandas as pd
>>> rng = np.random.default_rng(0)
>>> datos = pd.DataFrame({"csat": np.r_[rng.normal(2, .3, 60), rng.normal(4.5, .3, 60)],
...                       "quejas": np.r_[rng.normal(.6, .05, 60), rng.normal(.1, .05, 60)]})
>>> resultado = perfilar(datos)
>>> resultado.k, sorted(resultado.nombres.values())
(2, ['Clientes con muchas quejas, insatisfechos', 'Clientes con pocas quejas, satisfechos'])
"""

from analisis.perfiles._agrupamiento import ARRANQUES, K_MAXIMO, REMUESTRAS, k_maximo
from analisis.perfiles._indicadores import TODOS, TextoKpi, kpis_por_grupo, sumas_por_grupo, textos_kpis
from analisis.perfiles._nombres import cambios_de_nombre, con_nombres
from analisis.perfiles._perfilar import perfilar
from analisis.perfiles._preparacion import Preparacion, preparar
from analisis.perfiles._resultado import Perfiles
from analisis.perfiles._variables import PREDETERMINADAS, etiqueta, variables_cliente
from analisis.perfiles._vistas import (aviso_faltantes, clientes_del_perfil, comparacion, nivel_estabilidad,
                                       nivel_silueta, rasgos)

__all__ = [
    # variables y preparación
    "PREDETERMINADAS", "variables_cliente", "etiqueta", "Preparacion", "preparar",
    # agrupamiento
    "K_MAXIMO", "REMUESTRAS", "ARRANQUES", "k_maximo", "Perfiles", "perfilar",
    # nombres guardados
    "con_nombres", "cambios_de_nombre",
    # KPI y vistas
    "TODOS", "TextoKpi", "kpis_por_grupo", "sumas_por_grupo", "textos_kpis", "nivel_estabilidad", "nivel_silueta",
    "aviso_faltantes",
    "rasgos", "comparacion", "clientes_del_perfil",
]
