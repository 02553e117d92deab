"""Pruebas de ``datos.consultas``."""
