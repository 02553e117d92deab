"""Pruebas de ``datos.precalculo``: almacén de resultados, precálculo de las vistas por defecto y páginas que lo leen."""
