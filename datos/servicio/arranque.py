"""Lo que la aplicación arranca una vez por proceso junto con su almacén: servicio de órdenes, trabajador y precálculo.

``paginas.comun`` llama a ``arrancar`` desde ``st.cache_resource`` en cuanto la aplicación abre el
archivo: al arrancar el servidor (``lifespan`` del ``st.App`` de ``app.py``, sin esperar a ningún
navegador) o, si entonces no pudo abrirlo, con la primera sesión. Desde ese momento la aplicación es
la dueña del archivo, y las órdenes de línea de comandos le llegan por el servicio. Antes de eso el
archivo está libre y las órdenes lo abren ellas mismas, de una en una (``turno``). Al terminar el
proceso se detienen los tres y se borra
``<base>.servicio``.
"""

import atexit
from collections.abc import Callable
from dataclasses import dataclass

import duckdb

from analisis.errores import ErrorEslabon

from datos.almacen.conexion import Almacen
from datos.precalculo.precalculador import Precalculador, activo
from datos.servicio.canal import Servicio
from datos.servicio.programa import TRABAJOS
from datos.servicio.trabajos import Trabajador

__all__ = ["EnMarcha", "arrancar", "intentar_abrir"]


@dataclass(frozen=True)
class EnMarcha:
    """El servicio de órdenes, el trabajador y el precálculo de las vistas de un almacén, en marcha."""

    servicio: Servicio
    trabajador: Trabajador
    precalculador: Precalculador | None

    def detener(self) -> None:
        """Para el precálculo, el trabajador y el servicio (borra ``<base>.servicio``)."""
        if self.precalculador is not None:
            self.precalculador.detener()
        self.trabajador.detener()
        self.servicio.detener()


def arrancar(almacen: Almacen) -> EnMarcha:
    """Arranca el servicio de órdenes, el trabajador (``programa.TRABAJOS``) y el precálculo de las vistas
    (``datos.precalculo.precalculador``, salvo ``ESLABON_PRECALCULO=no``) de ``almacen`` (un archivo)."""
    if almacen.ruta == ":memory:":
        raise ValueError("'almacen' debe ser un archivo: nadie más puede enviar órdenes a una base en memoria")
    en_marcha = EnMarcha(Servicio(almacen.ruta).iniciar(), Trabajador(almacen, TRABAJOS).iniciar(),
                         Precalculador(almacen).iniciar() if activo() else None)
    atexit.register(en_marcha.detener)
    return en_marcha


def intentar_abrir(abrir: Callable[[], object]) -> tuple[object, str | None]:
    """``(abrir(), None)``, o ``(None, motivo)`` si la base no se pudo abrir (otra orden la tiene, o no es válida).

    Al arrancar el servidor una base ocupada no es un fallo: la primera sesión lo vuelve a intentar y muestra
    el motivo. Así la captura de los errores de DuckDB queda en la capa de datos, no en las páginas.
    """
    try:
        return abrir(), None
    except (duckdb.Error, ErrorEslabon) as error:
        return None, str(getattr(error, "mensaje", error))
