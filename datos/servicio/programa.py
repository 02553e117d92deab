"""Los trabajos programados de Eslabón, los que corre el trabajador de la aplicación.

Un trabajo nuevo (resúmenes por correo, retención, precálculos) es una línea más en ``TRABAJOS``:
``Trabajo(nombre, programa, funcion(con, momento), descripcion)`` (ver ``datos.servicio.trabajos``).
"""

from datetime import timedelta

from datos.avisos.envio import envios_programados
from datos.ingesta.entrada import revisar_entrada
from datos.personas.retencion import INTERVALO, retencion_programada
from datos.servicio.respaldo import programa_diario, respaldo_programado
from datos.servicio.trabajos import Trabajo

__all__ = ["TRABAJOS"]

#: Los trabajos de Eslabón, en el orden en que los muestra «Operación».
TRABAJOS: tuple[Trabajo, ...] = (
    Trabajo("Carpeta de entrada", timedelta(minutes=1), revisar_entrada,
            "Carga los archivos que otros sistemas dejan en la carpeta de entrada, con el mapeo recordado "
            "para sus columnas."),
    Trabajo("Respaldo diario", programa_diario, respaldo_programado,
            "Respalda el almacén en la carpeta de respaldos a la hora elegida y conserva los más nuevos."),
    Trabajo("Envíos", timedelta(minutes=15), envios_programados,
            "Manda los resúmenes, las alertas y los informes de realimentación que tocan a cada suscripción."),
    Trabajo("Retención de datos personales", INTERVALO, retencion_programada,
            "Anonimiza los identificadores y el texto libre que pasaron el plazo de retención de su tipo."),
)
