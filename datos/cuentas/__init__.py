"""Cuentas, roles, alcance, entrada, sesiones, umbrales, bitácora y todo archivo que sale de la aplicación.

- ``usuarios``: cuentas, claves Argon2id, roles y alcance, el último administrador y ``registrar``
  (la bitácora).
- ``intentos``: ``autenticar`` (bloqueo atómico por cuenta, límite por dirección, sin enumeración).
- ``sesiones``: fichas de sesión firmadas que el servidor comprueba en el almacén en cada ejecución.
- ``configuracion``: umbrales de privacidad y muestra (solo administradores, con mínimos) y
  ``anotar_cambio``, la anotación del antes y el después de todo ajuste.
- ``exportar``: el único camino de los archivos que se descargan: neutralizados contra fórmulas
  y anotados en la bitácora.

Importa ``datos.almacen`` y ``analisis``.
"""

from datos.cuentas.intentos import autenticar
from datos.cuentas.usuarios import AccesoDenegado, Usuario, crear_usuario

__all__ = ["AccesoDenegado", "Usuario", "autenticar", "crear_usuario"]
