"""Pruebas de ``analisis``."""
