"""Lo que los usuarios configuran desde las páginas y se guarda en el almacén.

- ``reglas``: reglas de alerta.
- ``estandar``: metas, pesos, temas y mínimos del estándar de competencias.
- ``temas``: nombres puestos a los temas de los comentarios.
- ``perfiles``: nombres puestos a los perfiles de clientes.
- ``operacion``: carpeta de entrada y respaldo diario (página «Operación»).

Importa ``datos.almacen``, ``datos.cuentas`` (bitácora) y ``analisis``.
"""
