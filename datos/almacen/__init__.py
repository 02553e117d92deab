"""El almacén DuckDB: la conexión del proceso, el esquema con sus migraciones y lo derivado de cada escritura.

- ``conexion``: ``Almacen`` (una conexión por proceso, un cursor y un backend Ibis por hilo).
- ``esquema``: tablas, migraciones (``Migracion``) y la comprobación de la versión del archivo.
- ``derivados``: lo que toda escritura recalcula en su transacción (``interacciones.fcr``, versión de los datos).
- ``transaccion``: ``transaccion(con)``, el único ``BEGIN … COMMIT``/``ROLLBACK`` de ``datos``; toda
  escritura nueva va dentro de un ``with transaccion(con):``.

Importa solo ``analisis`` (errores, escalas) y nada más de ``datos``: todos los demás paquetes de
``datos`` se apoyan en este.
"""

from datos.almacen.conexion import Almacen, ruta_predeterminada
from datos.almacen.transaccion import transaccion

__all__ = ["Almacen", "ruta_predeterminada", "transaccion"]
