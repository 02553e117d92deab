"""Pruebas de las piezas puras de los benchmarks (tablas, lectura de tiempos, mensajes del protocolo)."""
