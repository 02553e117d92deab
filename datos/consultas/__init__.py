"""Consultas de lectura como expresiones Ibis, un módulo por dominio.

Cada función recibe un backend Ibis (DuckDB por defecto; las mismas expresiones corren sin
cambios en Spark u otro motor) y devuelve una expresión sin ejecutar. Toda la agregación ocurre
en el motor: a pandas solo llegan resultados pequeños. Los filtros de la barra lateral viajan en
``filtros.Filtros``; una lista vacía significa "sin filtro".

- ``filtros``: ``Filtros``, el alcance de cada cuenta y las tablas de hechos ya filtradas.
- ``percentiles``: percentiles exactos (DuckDB) o aproximados con su cota (Spark).
- ``resumen``, ``tendencias``, ``cadena``, ``perfiles``, ``competencias``, ``comentarios``,
  ``cuentas``: las consultas de cada página.

Importa ``analisis`` (formatos, escalas); nunca ``datos.ingesta`` ni ``paginas``. Las páginas
pasan la función de consulta misma (``consultar(tendencias.comparacion_encuestas, …)``).
"""

from datos.consultas import cadena, comentarios, competencias, cuentas, filtros, percentiles, perfiles, resumen, tendencias
from datos.consultas.cadena import *  # noqa: F401,F403
from datos.consultas.comentarios import *  # noqa: F401,F403
from datos.consultas.competencias import *  # noqa: F401,F403
from datos.consultas.cuentas import *  # noqa: F401,F403
from datos.consultas.filtros import *  # noqa: F401,F403
from datos.consultas.percentiles import *  # noqa: F401,F403
from datos.consultas.perfiles import *  # noqa: F401,F403
from datos.consultas.resumen import *  # noqa: F401,F403
from datos.consultas.tendencias import *  # noqa: F401,F403

__all__ = [nombre for modulo in (cadena, comentarios, competencias, cuentas, filtros, percentiles, perfiles, resumen,
                                 tendencias) for nombre in modulo.__all__]
