"""Motores de lectura y el lago Parquet del modo Spark.

- ``configuracion``: qué motor leer según las variables ``ESLABON_*`` y qué tablas son de hechos.
- ``motor``: ``Motor``, que ejecuta las consultas Ibis en DuckDB, Spark u otro backend de Ibis.
- ``lago``: la exportación del almacén a un lago Parquet (``python -m datos.lago``).
- ``lago_cargas``: las cargas que escriben en el lago, con recuperación tras una caída.
- ``plantillas``: el SQL de cada forma de consulta compilado una vez por versión de los datos, con los textos
  de los filtros como parámetros de DuckDB (lo usa ``Motor.consultar`` con ``version``).

Importa ``datos.almacen``, ``datos.servicio.ordenes`` (``ruta``, para los argumentos de ``lago``) y
``analisis``; las consultas llegan como funciones, no se importan (solo ``plantillas`` importa
``datos.consultas.filtros``: los textos de ``Filtros`` son los que se enlazan como parámetros).
"""
