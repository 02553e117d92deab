"""Envíos que llegan a las personas: resúmenes, alertas e informes de realimentación por correo y webhook.

- ``suscripciones``: ``Envio`` (quién recibe qué, cada cuánto y de qué alcance), ``validar_envios``,
  ``guardar_envios`` / ``escribir_envios`` (página y archivo de configuración ``[[envios]]``), ``leer_envios``.
- ``cifras``: las cifras que muestran las páginas y mandan los envíos (tarjetas del resumen, alertas,
  informes de realimentación), armadas una sola vez sobre una función ``consultar``.
- ``calendario``: cuándo toca cada frecuencia y qué periodo cubre (funciones puras).
- ``mensajes``: el texto y el HTML en español de cada mensaje.
- ``entrega``: SMTP del entorno (``ESLABON_SMTP``…), webhooks y reintentos con espera creciente.
- ``envio``: ``enviar_pendientes(con, momento) -> Informe``, una ronda de envíos con su historia.
- ``cli``: ``python -m datos.envios --db RUTA [--ahora]``.

Importa ``datos.almacen``, ``datos.consultas``, ``datos.cuentas`` y ``analisis``; nunca ``paginas``
ni Streamlit. Un informe nuevo que se pueda recibir se añade a ``suscripciones.INFORMES``, a la
restricción de la tabla ``envios`` (una ``Migracion``) y a ``envio._mensaje``.
"""

from datos.avisos.envio import Informe, enviar_pendientes
from datos.avisos.suscripciones import Envio, EnvioNoValido, escribir_envios, guardar_envios, leer_envios, validar_envios

__all__ = ["Envio", "EnvioNoValido", "Informe", "enviar_pendientes", "escribir_envios", "guardar_envios",
           "leer_envios", "validar_envios"]
