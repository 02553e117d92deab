"""``python -m datos.lago``: exporta el almacén a un lago Parquet (ver ``datos.motores.lago``).

Con la aplicación en marcha sobre la misma base la exportación corre dentro de ella (``datos.servicio``);
``main`` se importa aquí para que el servicio la encuentre.
"""

import sys

from datos.motores.lago import main  # noqa: F401 - la orden que corre el servicio
from datos.servicio import ejecutar

if __name__ == "__main__":
    sys.exit(ejecutar("datos.lago", sys.argv[1:]))
