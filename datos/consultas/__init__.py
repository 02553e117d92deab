"""Consultas de lectura como expresiones Ibis, un módulo por dominio.

Cada función recibe un backend Ibis (DuckDB por defecto; las mismas expresiones corren sin
cambios en Spark u otro motor) y devuelve una expresión sin ejecutar. Toda la agregación ocurre
en el motor: a pandas solo llegan resultados pequeños. Los filtros de la barra lateral viajan en
``filtros.Filtros``; una lista vacía significa "sin filtro".

- ``filtros``: ``Filtros``, el alcance de cada cuenta y las tablas de hechos ya filtradas.
- ``percentiles``: percentiles exactos (DuckDB) o aproximados con su cota (Spark).
- ``resumen``, ``tendencias``, ``cadena``, ``perfiles``, ``competencias``, ``comentarios``,
  ``cuentas``, ``envios``, ``operacion``: las consultas de cada página.

Importa ``analisis`` (formatos, escalas); nunca ``datos.ingesta`` ni ``paginas``. Aquí solo se
reexporta lo contratado (``Filtros`` y ``con_alcance``): las consultas se importan de su módulo
(``from datos.consultas import tendencias as consultas_tendencias``) y las páginas pasan la función
misma (``comun.consultar(consultas_tendencias.comparacion_encuestas, …)``), nunca su nombre. Una
consulta nueva va al módulo de su dominio, en su ``__all__``.
"""

from datos.consultas.filtros import Filtros, con_alcance

__all__ = ["Filtros", "con_alcance"]
