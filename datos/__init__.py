"""Acceso a datos de Eslabón: esquema, conexión, consultas Ibis y datos de demostración."""
