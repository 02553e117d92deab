"""Pruebas de ``datos.almacen``."""
