"""Pruebas de ``datos.servicio``: la orden que va al servicio o se ejecuta aquí, la escritura en serie,
el trabajador programado, los respaldos y la carpeta de entrada."""
