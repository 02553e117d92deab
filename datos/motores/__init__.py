"""Motores de lectura y el lago Parquet del modo Spark.

- ``configuracion``: qué motor leer según las variables ``ESLABON_*`` y qué tablas son de hechos.
- ``motor``: ``Motor``, que ejecuta las consultas Ibis en DuckDB, Spark u otro backend de Ibis.
- ``lago``: la exportación del almacén a un lago Parquet (``python -m datos.lago``).
- ``lago_cargas``: las cargas que escriben en el lago, con recuperación tras una caída.

Importa ``datos.almacen``, ``datos.servicio.ordenes`` (``ruta``, para los argumentos de ``lago``) y
``analisis``; las consultas llegan como funciones, no se importan.
"""
