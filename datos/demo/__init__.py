"""Datos de demostración deterministas (``python -m datos.demo``).

- ``hechos``: los hechos sembrados (``ETAPA_DEBIL``, ``BRECHAS``, ``PERFILES``…), catálogos y calendario.
- ``generador``: ``cargar_demo`` y la línea de órdenes; reparte la semilla y llama a los demás.
- ``azar``: sorteos vectorizados que comparten los generadores.
- ``clientes_interacciones``, ``encuestas``, ``auditorias``: una familia de tablas cada uno.
- ``escritura``: tablas Arrow y la transacción que las inserta.

Un hecho nuevo que los análisis deban encontrar va en ``hechos`` y en la familia que lo siembra.
Importa ``datos.almacen`` y ``analisis``.
"""

from datos.demo.generador import *  # noqa: F401,F403 - la interfaz de datos.demo es la de su generador
from datos.demo.generador import __all__  # noqa: F401
