"""Pruebas de ``paginas``."""
