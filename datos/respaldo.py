"""``python -m datos.respaldo``: respalda el almacén o reconstruye una base desde un respaldo (ver ``datos.servicio.respaldo``).

Con la aplicación en marcha sobre la misma base el respaldo se hace dentro de ella (``datos.servicio``);
``main`` se importa aquí para que el servicio la encuentre.
"""

import sys

from datos.servicio import ejecutar
from datos.servicio.respaldo import main  # noqa: F401 - la orden que corre el servicio

if __name__ == "__main__":
    sys.exit(ejecutar("datos.respaldo", sys.argv[1:]))
