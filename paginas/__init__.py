"""Páginas de Streamlit de Eslabón (una por archivo) y sus piezas compartidas."""
