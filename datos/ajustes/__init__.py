"""Lo que los usuarios configuran desde las páginas y se guarda en el almacén.

- ``reglas``: reglas de alerta.
- ``estandar``: metas, pesos, temas y mínimos del estándar de competencias.
- ``temas``: nombres puestos a los temas de los comentarios.
- ``perfiles``: nombres puestos a los perfiles de clientes.
- ``organizacion``: la configuración propia (cadena, escalas, etiquetas, metas, promesas), su validación
  y su escritura con bitácora de cada cambio.
- ``cadena``: renombrar y fundir etapas (las calificaciones guardadas las siguen) y borrar calificaciones.
- ``archivo_toml``: la configuración como archivo TOML; ``cli``: ``python -m datos.configuracion``.
- ``operacion``: carpeta de entrada y respaldo diario (página «Operación»).

Importa ``datos.almacen``, ``datos.cuentas`` (bitácora), ``datos.ingesta`` (escalas, etiquetas) y ``analisis``.
"""
