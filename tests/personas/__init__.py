"""Pruebas de ``datos.personas``: buscar, exportar y suprimir a una persona, retención, órdenes y página."""
