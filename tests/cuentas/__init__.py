"""Pruebas de ``datos.cuentas``."""
