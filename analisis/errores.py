"""Errores que un usuario puede provocar; cada uno lleva su mensaje en español.

Las páginas capturan solo estos errores y muestran ``st.error(e.mensaje)``;
cualquier otra excepción es un fallo del programa y debe verse en las pruebas.
"""

__all__ = ["ErrorEslabon", "ArchivoIlegible", "MapeoIncompleto", "MuestraInsuficiente", "BaseDeDatosNoValida",
           "ArchivoDemasiadoGrande", "CargaNoEncontrada", "ReglaNoValida", "AjusteNoValido",
           "CargaNoAdmitida", "FechaNoValida"]


class ErrorEslabon(Exception):
    """Error explicable al usuario.

    Parameters
    ----------
    mensaje : str
        Texto en español que la interfaz muestra tal cual.
    """

    def __init__(self, mensaje: str):
        super().__init__(mensaje)
        self.mensaje = mensaje


class ArchivoIlegible(ErrorEslabon):
    """El archivo subido no se puede leer (formato, codificación, vacío)."""


class MapeoIncompleto(ErrorEslabon):
    """Faltan columnas obligatorias en el mapeo de un archivo."""


class MuestraInsuficiente(ErrorEslabon):
    """No hay suficientes datos para el cálculo pedido."""


class BaseDeDatosNoValida(ErrorEslabon):
    """El archivo de base de datos no es de Eslabón o es de una versión más nueva."""


class ArchivoDemasiadoGrande(ArchivoIlegible):
    """El archivo supera el límite de tamaño configurado (``configuracion.limite_carga_mb``)."""


class CargaNoEncontrada(ErrorEslabon):
    """La carga pedida no existe o ya se deshizo."""


class ReglaNoValida(ErrorEslabon):
    """Una regla de alerta configurada por el usuario no es válida."""


class AjusteNoValido(ErrorEslabon):
    """Un ajuste del estándar de competencias (metas, pesos, temas, mínimos) no es válido."""


class CargaNoAdmitida(ErrorEslabon):
    """Con el motor configurado, Eslabón no puede escribir las cargas donde el tablero las lee."""


class FechaNoValida(ErrorEslabon):
    """Una fecha escrita por el usuario (p. ej. en el periodo de la barra lateral) no se entiende o no existe."""
