"""Cuentas, roles, alcance, bitácora y todo archivo que sale de la aplicación.

- ``usuarios``: cuentas, claves Argon2id, bloqueo por intentos, ajustes de la organización y
  ``registrar`` (la bitácora).
- ``exportar``: el único camino de los archivos que se descargan: neutralizados contra fórmulas
  y anotados en la bitácora.

Importa ``datos.almacen`` y ``analisis``.
"""

from datos.cuentas.usuarios import AccesoDenegado, Usuario, autenticar, crear_usuario

__all__ = ["AccesoDenegado", "Usuario", "autenticar", "crear_usuario"]
