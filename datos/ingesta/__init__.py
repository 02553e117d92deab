"""Ingesta de archivos: leer, mapear, validar y guardar (o deshacer) cada carga.

- ``lectura``: codificación, separadores, formatos de número y fecha, Excel.
- ``mapeo``: tipos de archivo (``TIPOS``), propuesta de mapeo de columnas y mapeos recordados.
- ``validacion``: conversión y validación fila a fila en SQL de DuckDB, con mensajes en español.
- ``carga``: la carga completa en una transacción, el historial y deshacer.
- ``plantillas``: plantillas CSV y Excel de cada tipo de archivo.
- ``cli``: la línea de órdenes ``python -m datos.cargar``.

Importa ``datos.almacen``, ``datos.cuentas`` (bitácora), ``datos.motores`` (escritura en el lago) y
``analisis``; nunca ``datos.consultas`` ni ``paginas``.
"""
