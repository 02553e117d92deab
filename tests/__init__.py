"""Pruebas de Eslabón, en carpetas que siguen los paquetes que prueban.

- ``analisis/``: las funciones de ``analisis`` (y las páginas de su dominio con ``AppTest``).
- ``almacen/``, ``consultas/``, ``ingesta/``, ``motores/``, ``cuentas/``, ``demo/``: los paquetes de ``datos``.
- ``paginas/``: las páginas con ``AppTest`` (entrada, roles, carga, modo Spark).
- ``navegador/``: Chromium real sin pantalla (``-m navegador``); sus piezas en ``navegador/__init__.py``.
- ``benchmarks/``: las piezas puras de los benchmarks (tablas, lectura de tiempos, mensajes del protocolo).
- ``test_arquitectura*.py``: el sentido de las importaciones, sin ciclos, tamaños y consultas por valor.
- ``datos/``: archivos de prueba (no pruebas), con su origen y licencia en ``datos/FUENTES.md``.

Las fixtures compartidas (un almacén de demostración por sesión) están en ``conftest.py``.
"""

from pathlib import Path

#: Raíz del repositorio.
RAIZ = Path(__file__).resolve().parent.parent
#: Archivos de prueba (CSV, Excel…) que usan las pruebas de carga.
ARCHIVOS = RAIZ / "tests" / "datos"
