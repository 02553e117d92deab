"""Derechos sobre los datos personales: encontrar, exportar y suprimir a una persona; retención.

- ``busqueda``: ``buscar`` (por identificador de cliente, correo o teléfono) y ``Persona``, con sus
  filas en cada lugar del almacén y del lago.
- ``exportacion``: ``exportar_persona``, la copia para una solicitud de acceso (Excel o JSON).
- ``supresion``: ``suprimir`` en una transacción, anonimizando o eliminando según la organización.
- ``retencion``: ``retener``, que anonimiza lo que pasó su plazo (cada día, el trabajador de la aplicación;
  también ``python -m datos.personas retener``).
- ``derivados``: las palabras de la persona en temas, nombres de perfiles y bitácora, que se quitan al suprimirla.
- ``ajustes``: la forma de suprimir y los plazos de retención; ``solicitudes``: el registro sin
  datos de la persona; ``lugares``: dónde hay datos de una persona; ``cambios`` y ``lago``: cómo se
  cambian esas filas en el almacén y en los Parquet del lago.
- ``cli`` y ``__main__``: ``python -m datos.personas buscar|exportar|suprimir|retener``.

Importa ``datos.almacen``, ``datos.consultas``, ``datos.cuentas``, ``datos.ingesta`` (los tipos de carga),
``datos.motores`` y ``analisis``; nunca ``paginas``.
"""

from datos.personas.busqueda import Persona, PersonaNoEncontrada, buscar
from datos.personas.cli import main
from datos.personas.exportacion import exportar_persona
from datos.personas.supresion import Supresion, suprimir

__all__ = ["main", "Persona", "PersonaNoEncontrada", "buscar", "exportar_persona", "Supresion", "suprimir"]
