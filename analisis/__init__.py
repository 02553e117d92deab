"""Funciones de análisis puras (sin Streamlit): KPI, intervalos y pruebas."""
