"""Pruebas de ``datos.ajustes``: la configuración de la organización, su archivo TOML, su línea de órdenes y la cadena."""
