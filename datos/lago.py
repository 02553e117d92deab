"""``python -m datos.lago``: exporta el almacén a un lago Parquet (ver ``datos.motores.lago``)."""

import sys

from datos.motores.lago import main

if __name__ == "__main__":
    sys.exit(main())
