"""``python -m datos.envios``: envía los resúmenes, alertas e informes que tocan (ver ``datos.avisos.cli``)."""

import sys

from datos.avisos.cli import main

if __name__ == "__main__":
    sys.exit(main())
