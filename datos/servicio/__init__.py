"""Operación: un solo proceso escribe el almacén y las órdenes llegan a él; el trabajador programado; respaldos.

DuckDB deja que un solo proceso abra un archivo para escribir, y mientras lo tiene abierto ningún
otro puede ni leerlo. La aplicación en marcha es ese proceso: al arrancar el servidor (el ``lifespan`` del
``st.App`` de ``app.py``, antes de cualquier sesión; ``paginas.comun``) abre un **servicio de órdenes** en 127.0.0.1 (``canal``), con su puerto y una
clave en ``<base>.servicio``, un archivo 0600 al lado de la base (solo el mismo usuario del
sistema puede enviarle órdenes), y un **trabajador** (``trabajos``, APScheduler) que corre lo
programado (``programa``): la carpeta de entrada, el respaldo diario y lo que otras funciones añadan.

Contrato de las órdenes (``python -m datos.cargar``, ``datos.lago``, ``datos.respaldo``,
``datos.configuracion``, ``datos.personas``, ``datos.envios``):

- La implementación de la orden expone ``main(argv: list[str]) -> int`` (estado de salida; puede
  también salir con ``SystemExit``, como ``argparse``) e imprime su informe en ``stdout``/``stderr``.
  Sus argumentos que son rutas usan ``type=ruta`` (de este paquete): se resuelven desde la carpeta
  de quien escribió la orden, también cuando la orden corre dentro de la aplicación.
- El módulo de entrada ``datos/<orden>.py`` importa ese ``main`` (así lo encuentra el servicio) y
  solo hace ``sys.exit(ejecutar("datos.<orden>", sys.argv[1:]))`` bajo ``if __name__ == "__main__":``.
- ``ejecutar(modulo, argv) -> int`` mira si una aplicación escucha para la base de la orden (``--db``
  o ``ruta_predeterminada()``): si escucha, le envía la orden, que corre en su proceso (mismo
  almacén compartido, las escrituras en serie con ``datos.almacen.transaccion``), y reproduce su
  salida; si no, corre ``main(argv)`` aquí cuando le llega el turno de la base (``turno``: un candado
  del sistema en ``<base>.turno``; las órdenes locales corren de una en una y las demás esperan, hasta
  ``ESLABON_ESPERA_ORDEN`` segundos). Mismo estado de salida y mismo informe en los dos casos.
  Solo se aceptan los módulos de ``ORDENES``.

Módulos: ``ordenes`` (``ORDENES``, ``ruta``, ``correr``), ``canal`` (el servicio, su cliente y
``ejecutar``), ``turno`` (el turno de las órdenes que corren sin aplicación), ``trabajos`` (``Trabajo``, ``Trabajador``: cómo se registra un trabajo programado),
``programa`` (los trabajos de Eslabón: una línea por trabajo), ``respaldo`` (``python -m datos.respaldo``),
``arranque`` (lo que la aplicación arranca una vez por proceso).

Importa ``datos.almacen``, ``datos.ajustes``, ``datos.ingesta`` (la carpeta de entrada) y
``analisis``; nunca ``paginas`` ni Streamlit.
"""

from datos.servicio.canal import ejecutar
from datos.servicio.ordenes import ORDENES, ruta

__all__ = ["ORDENES", "ejecutar", "ruta"]
