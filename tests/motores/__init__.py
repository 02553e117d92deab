"""Pruebas de ``datos.motores``."""
