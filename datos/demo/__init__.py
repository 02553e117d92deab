"""Datos de demostración deterministas (``python -m datos.demo``).

Importa ``datos.almacen`` y ``analisis``.
"""

from datos.demo.generador import *  # noqa: F401,F403 - la interfaz de datos.demo es la de su generador
from datos.demo.generador import __all__  # noqa: F401
