"""Pruebas de ``datos.demo``."""
