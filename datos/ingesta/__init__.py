"""Ingesta de archivos: leer, mapear, validar y guardar (o deshacer) cada carga.

- ``archivos``: la copia temporal de una subida (``Subida``, se borra siempre) y la revisión de un .xlsx
  comprimido antes de abrirlo (``revisar_comprimido``: bombas zip).
- ``lectura``: codificación, separadores, formatos de número y fecha, Excel.
- ``mapeo``: tipos de archivo (``TIPOS``), propuesta de mapeo de columnas y mapeos recordados.
- ``validacion``: conversión y validación valor a valor en SQL de DuckDB, con mensajes en español.
- ``sentencias``: reglas de fila, clave de cada fila, escala de auditoría y ejecución con avance.
- ``informe``: errores, duplicados y resumen de una validación (``Validacion``) y su CSV.
- ``hechos``: dónde se comprueban y escriben las filas (almacén o lago Parquet).
- ``escritura``: las inserciones de una carga (fichas, calificaciones, filas principales).
- ``carga``: ``Preparacion`` y ``cargar_archivo``: la carga completa en una transacción.
- ``historial``: el historial de cargas y deshacer una carga.
- ``etiquetas``: la escala de etiquetas editable («Excelente» = 5).
- ``escalas``: la escala con que los archivos escriben cada medida y sus códigos «no aplica».
- ``plantillas``: plantillas CSV y Excel de cada tipo de archivo.
- ``cli``: la línea de órdenes ``python -m datos.cargar``.
- ``entrada``: la carpeta de entrada (archivos que otros sistemas dejan y se cargan solos).

Un paso nuevo de la validación va en ``validacion`` (por valor) o ``sentencias`` (por fila); lo que
se cuenta o se informa, en ``informe``; nada fuera de ``carga`` e ``historial`` abre transacciones.

Importa ``datos.almacen``, ``datos.cuentas`` (bitácora y exportación), ``datos.motores`` (escritura
en el lago), ``datos.ajustes`` (la carpeta de entrada), ``datos.servicio.ordenes`` (``ruta``, para los
argumentos de ``cli``) y ``analisis``; nunca ``datos.consultas`` ni ``paginas``.
"""
