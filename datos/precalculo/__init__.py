"""Análisis pesados calculados una vez por versión de los datos y alcance, no en cada visita.

- ``resultados``: ``Contexto`` (archivo, versión de los datos, alcance de la cuenta y cómo consultar) y
  ``RESULTADOS``, el almacén de resultados del proceso: la clave es el cálculo, el archivo, la versión,
  el alcance y los argumentos; un resultado de una versión vieja nunca se entrega (y se descarta en
  cuanto llega uno más nuevo). Dos pedidos de la misma clave a la vez calculan una sola vez. ``CIFRAS``,
  otro igual para las cifras pequeñas del periodo (tarjetas, alertas: ``calculos.cifra_del_periodo``), y
  ``CONSULTAS``, para los resultados de consultas pequeñas (``calculos.consulta_pequena``).
- ``calculos``: los cálculos pesados, ``calculo(contexto, *argumentos)`` (consultas del motor y modelos:
  cadena, perfiles, comentarios, brechas, y las tablas ya en español que «Brechas» muestra), los mismos para
  las páginas y para el precálculo.
- ``vistas``: la vista por defecto de cada página de análisis para un alcance, y ``precalcular``: todas
  las vistas para cada alcance distinto de las cuentas activas.
- ``precalculador``: el hilo que, tras cada escritura (cambio de ``version_datos``), precalcula; lo
  arranca ``datos.servicio.arranque`` con el servicio y el trabajador.

Importa ``analisis`` y ``datos.consultas``/``datos.motores``/``datos.almacen``; nunca ``paginas`` ni Streamlit.
Las páginas piden con ``paginas.comun.precalculado(calculo, *argumentos)``.
"""

from datos.precalculo.resultados import CIFRAS, CONSULTAS, RESULTADOS, Contexto, Resultados

__all__ = ["CIFRAS", "CONSULTAS", "RESULTADOS", "Contexto", "Resultados"]
