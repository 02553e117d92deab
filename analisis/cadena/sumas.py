"""El contrato entre la consulta ``datos.consultas.cadena.sumas_cadena`` y ``analizar_cadena_agregada``.

El motor suma, por lote de encuestados, los estadísticos suficientes de la cadena y el análisis
los lee por el nombre de su columna. Los dos toman de aquí esos nombres, los lotes, los
segmentos, los centros y el top-2-box: lo que uno escribe es lo que el otro lee.

Con k etapas hay q = k + 2 columnas de datos: índices 0..k−1, las etapas en orden; k, el
resultado; k+1, una variable de ruido. Con vᵢ la columna i centrada (0 si falta) y mᵢ = 1 si
hay dato, cada fila de las sumas tiene:

* ``LOTE``, ``FILAS`` (encuestados del lote) y, si se parte por segmento, ``SEGMENTO``;
* ``cruzados_i_j`` = Σvᵢvⱼ y ``pares_i_j`` = Σmᵢmⱼ, solo con i ≤ j (``PARES``: simétricas);
* ``sumas_i_j`` = Σvᵢmⱼ y ``cuadrados_i_j`` = Σvᵢ²mⱼ, para todo i, j (``CRUZADAS``);
* por etapa, ``altas_i`` (calificaciones ≥ ``umbral_alto``) y ``suma_bajas_i`` (suma de las
  demás, sin centrar) (``POR_ETAPA``);
* constantes: ``centro_i`` (lo restado a la columna i, de ``centros``), ``ESCALA_MINIMO`` y
  ``ESCALA_MAXIMO``.

>>> columna("cruzados", 2, 0), columna("sumas", 2, 0), columna("altas", 1), columna("centro", 3)
('cruzados_0_2', 'sumas_2_0', 'altas_1', 'centro_3')
>>> centros(2, (1.0, 5.0), "nps")
[3.0, 3.0, 5.0, 0.0]
"""

from analisis.cadena.configuracion import umbral_alto
from analisis.escalas import ESCALAS_RESULTADO

__all__ = ["LOTES", "LOTES_SEGMENTO", "SEGMENTOS", "PARES", "CRUZADAS", "POR_ETAPA", "LOTE", "FILAS", "SEGMENTO",
           "ESCALA_MINIMO", "ESCALA_MAXIMO", "columna", "columnas_sumas", "centros", "umbral_alto"]

#: Lotes del bootstrap por lotes: los del reparto en memoria (con menos filas, cada fila es su
#: propio lote) y los de ``sumas_cadena`` en el motor.
LOTES = 2000
#: Lotes por segmento cuando ``sumas_cadena`` parte por segmento (menos: hay una fila por segmento y lote).
LOTES_SEGMENTO = 200
#: Columnas de ``encuestas`` por las que se puede partir la cadena, con su nombre visible.
SEGMENTOS: dict[str, str] = {"tipo_cliente": "Tipo de cliente", "canal": "Canal", "sucursal": "Sucursal"}

#: Sumas simétricas: el motor da solo las columnas con i ≤ j.
PARES = ("cruzados", "pares")
#: Sumas con orden: el motor da todos los (i, j).
CRUZADAS = ("sumas", "cuadrados")
#: Sumas por etapa, para el top-2-box.
POR_ETAPA = ("altas", "suma_bajas")
#: Columnas fijas de las sumas.
LOTE, FILAS, SEGMENTO, ESCALA_MINIMO, ESCALA_MAXIMO = "lote", "filas", "segmento", "escala_minimo", "escala_maximo"
_CENTRO = "centro"


def columna(estadistico: str, *indices: int) -> str:
    """Nombre de la columna de ``estadistico`` para esos índices (los de ``PARES``, en orden creciente)."""
    if estadistico not in (*PARES, *CRUZADAS, *POR_ETAPA, _CENTRO):
        raise ValueError(f"'estadistico' debe ser uno de {[*PARES, *CRUZADAS, *POR_ETAPA, _CENTRO]}, "
                         f"no {estadistico!r}")
    if estadistico in PARES:
        indices = tuple(sorted(indices))
    return "_".join([estadistico, *(str(i) for i in indices)])


def columnas_sumas(k: int) -> dict[str, list[str]]:
    """Columnas de cada estadístico con ``k`` etapas, en el orden de sus matrices (q × q) o vectores (k)."""
    q = k + 2
    columnas = {nombre: [columna(nombre, i, j) for i in range(q) for j in range(q)] for nombre in (*PARES, *CRUZADAS)}
    columnas.update({nombre: [columna(nombre, i) for i in range(k)] for nombre in POR_ETAPA})
    return columnas


def centros(k: int, escala: tuple[float, float], resultado: str) -> list[float]:
    """Lo que se resta a cada columna: a las etapas, el punto medio de ``escala``; al resultado, el de su
    escala (``ESCALAS_RESULTADO``); al ruido, ya centrado, 0."""
    return [sum(escala) / 2] * k + [sum(ESCALAS_RESULTADO[resultado]) / 2, 0.0]
