"""Pruebas de ``datos.ingesta``."""
