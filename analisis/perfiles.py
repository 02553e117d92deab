"""Perfiles de clientes: grupos que un responsable de marketing o de servicio puede usar.

Entra una tabla con una fila por cliente y columnas numéricas y categóricas (la de
``datos.consultas.caracteristicas_clientes``, u otra cualquiera); sale un ``Perfiles`` con el
perfil (grupo) de cada cliente, su nombre automático en español, la silueta de cada número de
grupos probado, la estabilidad, la tabla de rasgos que distingue a cada grupo y un mapa 2-D.

Método
------
1. **Preparación.** Cada *variable* elegida pesa lo mismo en la distancia: su varianza total es 1
   entre los clientes que tienen el dato.

   - Numéricas: los extremos se recortan a los percentiles 1 y 99 (winsorización, para que unos
     pocos clientes atípicos no formen su propio grupo) y se estandarizan (puntaje z).
   - Categóricas: codificación disjunta (una columna 0/1 por categoría) centrada y multiplicada
     por 1/√(1 − Σp²), que deja su varianza total en 1, como una numérica.
   - Grupos de columnas numéricas que forman una sola variable (la mezcla de canales: proporción
     de contactos por cada canal) se centran y se escalan juntos a varianza total 1.
   - **Faltantes**: una numérica vacía toma la media (0 tras estandarizar) y una categórica vacía
     el reparto de la población (0 tras centrar): el faltante deja al cliente en el centro de esa
     variable y no lo acerca a ningún grupo. Las tablas de rasgos usan solo valores observados.
   - Las variables sin variación (constantes o vacías) se descartan y se informan.

2. **Agrupamiento.** k-medias (k-means++ y Lloyd, ``sklearn.cluster.KMeans``, 10 arranques) con
   semilla fija, en un solo hilo: con varios hilos el orden de las sumas, y a veces el resultado,
   depende de la máquina, y en un servidor compartido los hilos compiten por los núcleos. Con más
   de ``MUESTRA_AJUSTE`` clientes se ajusta sobre una muestra aleatoria de ese tamaño y después se
   asigna a todos los clientes al centro más cercano.
3. **Número de grupos.** Se prueban k = 2…``K_MAXIMO`` (y como mucho un grupo por cada
   ``CLIENTES_POR_GRUPO`` clientes) y se elige la mayor silueta media (Rousseeuw 1987), calculada
   sobre una muestra de ``MUESTRA_SILUETA`` clientes. El usuario puede fijar k.
4. **Estabilidad.** Índice de Rand ajustado (Hubert y Arabie 1985) medio entre el agrupamiento y
   los que se obtienen al reajustar k-medias sobre ``REMUESTRAS`` remuestras bootstrap de la muestra
   de ajuste (estabilidad por remuestreo: Lange et al. 2004; Hennig 2007).
5. **Personas.** Para cada grupo y rasgo, el desvío estandarizado frente a toda la población:
   (media del grupo − media) / desviación típica en las numéricas y (p_grupo − p) / √(p(1 − p)) en
   cada categoría. Los rasgos de mayor |desvío| forman el nombre automático, determinista.
6. **Mapa.** Análisis de componentes principales (``sklearn.decomposition.PCA``) de la matriz
   preparada, ajustado sobre la muestra de ajuste y dibujado sobre ``MUESTRA_MAPA`` clientes.

Example
-------
>>> import numpy as np, pandas as pd
>>> rng = np.random.default_rng(0)
>>> datos = pd.DataFrame({"csat": np.r_[rng.normal(2, .3, 60), rng.normal(4.5, .3, 60)],
...                       "quejas": np.r_[rng.normal(.6, .05, 60), rng.normal(.1, .05, 60)]})
>>> resultado = perfilar(datos)
>>> resultado.k, sorted(resultado.nombres.values())
(2, ['Clientes con muchas quejas, insatisfechos', 'Clientes con pocas quejas, satisfechos'])
"""

import hashlib
import json
import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

import numpy as np
import pandas as pd
from sklearn.cluster import KMeans
from sklearn.decomposition import PCA
from sklearn.metrics import adjusted_rand_score, silhouette_score
from threadpoolctl import threadpool_limits

from analisis.formato import RAYA, cambio_segun_unidad, con_signo, numero, porcentaje, segun_unidad
from analisis.kpis import media, nps, proporcion
from analisis.privacidad import ocultar_pequenos
from analisis.errores import MuestraInsuficiente

__all__ = [
    "Perfiles", "perfilar", "Preparacion", "preparar", "variables_cliente", "PREDETERMINADAS", "etiqueta", "k_maximo",
    "nivel_estabilidad", "nivel_silueta", "aviso_faltantes", "rasgos", "comparacion", "kpis_por_grupo", "TODOS", "TextoKpi",
    "textos_kpis", "con_nombres", "cambios_de_nombre", "clientes_del_perfil",
]

#: Mayor número de grupos que se prueba o se admite.
K_MAXIMO = 8
#: Se prueba como mucho un grupo por cada tantos clientes.
CLIENTES_POR_GRUPO = 10
#: Mínimo de clientes para formar perfiles (dos grupos de ``CLIENTES_POR_GRUPO``).
MINIMO_CLIENTES = 2 * CLIENTES_POR_GRUPO
#: Clientes con que se ajusta k-medias; los demás se asignan al centro más cercano.
MUESTRA_AJUSTE = 20_000
#: Clientes con que se calcula la silueta de cada k.
MUESTRA_SILUETA = 3_000
#: Puntos que se dibujan en el mapa.
MUESTRA_MAPA = 5_000
#: Remuestras bootstrap para medir la estabilidad.
REMUESTRAS = 20
#: Arranques de k-medias (se queda el de menor inercia); en cada remuestra, menos.
ARRANQUES, ARRANQUES_REMUESTRA = 10, 3
#: Percentiles a los que se recortan las numéricas antes de estandarizar.
RECORTE = (1.0, 99.0)
#: Una categórica con más niveles que estos no se usa por omisión (identificadores, texto libre).
MAXIMO_NIVELES = 30
#: |desvío| mínimo para que un rasgo entre en el nombre automático; rasgos por nombre.
UMBRAL_NOMBRE, RASGOS_POR_NOMBRE = 0.4, 3
#: Valor de ``grupo`` de la fila de toda la población en ``kpis_por_grupo``.
TODOS = -1

#: Variables que ``datos.consultas.caracteristicas_clientes`` produce, en orden de presentación.
_VARIABLES_CONSULTA = ("tipo_cliente", "segmento", "region", "antiguedad_anios", "contactos_mes", "recencia_dias",
                       "mezcla_canales", "quejas", "promesas_incumplidas", "escalados", "csat", "nps_clase", "ces")
#: Variables elegidas por omisión: quién es el cliente, cómo contacta y cómo valora el servicio.
PREDETERMINADAS: tuple[str, ...] = ("tipo_cliente", "segmento", "contactos_mes", "mezcla_canales", "quejas", "csat",
                                    "nps_clase", "ces")
_PREFIJO_CANAL = "canal_"

_ETIQUETAS = {
    "tipo_cliente": "Tipo de cliente", "segmento": "Segmento", "region": "Región",
    "antiguedad_anios": "Antigüedad (años)", "contactos_mes": "Contactos al mes",
    "recencia_dias": "Días desde el último contacto", "mezcla_canales": "Mezcla de canales",
    "quejas": "Quejas y reclamos (% de contactos)", "promesas_incumplidas": "Promesas incumplidas (% de contactos)",
    "escalados": "Casos escalados (% de contactos)", "csat": "CSAT medio (1–5)", "nps_clase": "Clase NPS",
    "ces": "CES medio (1–7)",
}
_PROPORCIONES = {"quejas", "promesas_incumplidas", "escalados", "mezcla_canales"}
_DECIMALES = {"antiguedad_anios": 1, "contactos_mes": 2, "recencia_dias": 0, "csat": 2, "ces": 2}

# Frases del nombre automático: variable → (lugar en el nombre, frase si está por encima del total,
# frase si está por debajo). Lugares: 0 adjetivos, 1 canal, 2 segmento o región, 3 «con …», 4 tras la coma.
_FRASES = {
    "contactos_mes": (0, "frecuentes", "ocasionales"),
    "antiguedad_anios": (0, "antiguos", "recientes"),
    "recencia_dias": (0, "inactivos", "activos"),
    "quejas": (3, "con muchas quejas", "con pocas quejas"),
    "promesas_incumplidas": (3, "con promesas incumplidas", "con promesas cumplidas"),
    "escalados": (3, "con casos escalados", "sin escalamientos"),
    "ces": (3, "con poco esfuerzo", "con mucho esfuerzo"),
    "csat": (4, "satisfechos", "insatisfechos"),
}
_FRASES_NIVEL = {
    "nps_clase": (4, {"promotor": "promotores", "pasivo": "pasivos", "detractor": "detractores"}),
}
_LUGAR_NIVEL = {"mezcla_canales": 1, "segmento": 2, "region": 2}
_CABEZAS = {"externo": "Externos", "intermedio": "Intermedios", "interno": "Internos"}
_CANAL_FRASE = {"Presencial": "en persona"}
_PARTICIPACION_CABEZA = 0.6


@dataclass(frozen=True)
class _Variable:
    """Una variable del agrupamiento: nombre, columnas que la forman y si es categórica."""

    nombre: str
    columnas: tuple[str, ...]
    categorica: bool


@dataclass(frozen=True)
class Perfiles:
    """Resultado de ``perfilar``.

    Attributes
    ----------
    etiquetas : perfil (0…k−1) de cada fila de la entrada, en su orden; 0 es el más numeroso.
    k : número de perfiles; ``k_sugerido`` el de mayor silueta (igual a ``k`` si fue automático).
    nombres : perfil → nombre automático en español ("Externos frecuentes por teléfono, detractores").
    silueta : k → silueta media de cada candidato probado (−1…1; más alto, grupos más separados).
    estabilidad : índice de Rand ajustado medio sobre las remuestras (1 = siempre los mismos grupos);
        ``estabilidades`` trae el de cada remuestra.
    tamanos : perfil → número de clientes.
    rasgos : tabla larga con una fila por perfil y rasgo: ``grupo``, ``variable``, ``nivel`` (la
        categoría o la columna de un grupo de columnas; None en numéricas), ``rasgo`` (texto),
        ``valor_grupo``, ``valor_poblacion``, ``desvio`` (estandarizado) y ``unidad``.
    mapa : muestra de clientes para el mapa 2-D: ``fila`` (posición en la entrada), ``x``, ``y``, ``grupo``.
    varianza_mapa : proporción de la varianza que explica cada eje del mapa.
    variables : variables usadas → sus columnas; ``descartadas`` las pedidas que no varían;
        ``faltantes`` la proporción de clientes sin dato en cada variable usada.
    firmas : perfil → firma estable (variables, k y perfil redondeado) para guardar su nombre.
    n_ajuste : clientes con que se ajustó k-medias (todos, o la muestra).
    """

    etiquetas: np.ndarray
    k: int
    k_sugerido: int
    nombres: dict[int, str]
    silueta: dict[int, float]
    estabilidad: float
    estabilidades: tuple[float, ...]
    tamanos: dict[int, int]
    rasgos: pd.DataFrame
    mapa: pd.DataFrame
    varianza_mapa: tuple[float, float]
    variables: dict[str, tuple[str, ...]]
    descartadas: tuple[str, ...]
    faltantes: dict[str, float]
    firmas: dict[int, str]
    n_ajuste: int


# ---------------------------------------------------------------------------
# Variables
# ---------------------------------------------------------------------------

def variables_cliente(canales: Sequence[str]) -> dict[str, tuple[str, ...]]:
    """Variables de ``datos.consultas.caracteristicas_clientes`` y sus columnas.

    La mezcla de canales es una sola variable formada por una columna ``canal_<canal>`` por canal.

    >>> variables_cliente(["Chat", "Correo"])["mezcla_canales"]
    ('canal_Chat', 'canal_Correo')
    """
    return {nombre: tuple(f"{_PREFIJO_CANAL}{c}" for c in canales) if nombre == "mezcla_canales" else (nombre,)
            for nombre in _VARIABLES_CONSULTA if nombre != "mezcla_canales" or canales}


def etiqueta(variable: str, nivel: str | None = None) -> str:
    """Texto en español de una variable o de uno de sus niveles.

    >>> etiqueta("contactos_mes"), etiqueta("tipo_cliente", "externo"), etiqueta("mezcla_canales", "canal_Chat")
    ('Contactos al mes', 'Tipo de cliente: externo', 'Contactos por Chat (%)')
    """
    if nivel is None:
        return _ETIQUETAS.get(variable, variable)
    if variable == "mezcla_canales":
        return f"Contactos por {nivel.removeprefix(_PREFIJO_CANAL)} (%)"
    return f"{_ETIQUETAS.get(variable, variable)}: {nivel}"


def k_maximo(n: int) -> int:
    """Mayor k que se prueba con ``n`` clientes: ``K_MAXIMO`` y un grupo por cada ``CLIENTES_POR_GRUPO``.

    >>> k_maximo(35), k_maximo(10_000)
    (3, 8)
    """
    return min(K_MAXIMO, n // CLIENTES_POR_GRUPO)


def _es_numerica(serie: pd.Series) -> bool:
    """True para columnas numéricas o booleanas (las booleanas cuentan como 0/1)."""
    return pd.api.types.is_numeric_dtype(serie) or pd.api.types.is_bool_dtype(serie)


def _variables(clientes: pd.DataFrame, columnas: Sequence[str] | None,
               grupos: Mapping[str, Sequence[str]]) -> list[_Variable]:
    """Traduce ``columnas`` (nombres de columna o de grupo) en variables, validando que existan."""
    if columnas is None:
        agrupadas = {c for cols in grupos.values() for c in cols}
        columnas = [g for g, cols in grupos.items() if set(cols) <= set(clientes.columns)] + [
            c for c in clientes.columns if c not in agrupadas and c not in grupos
            and (_es_numerica(clientes[c]) or clientes[c].nunique() <= MAXIMO_NIVELES)]
    elif isinstance(columnas, str) or not all(isinstance(c, str) for c in columnas):
        raise ValueError("'columnas' debe ser una lista de nombres de columna o None")
    variables = []
    for nombre in dict.fromkeys(columnas):
        propias = tuple(grupos.get(nombre, (nombre,)))
        faltan = [c for c in propias if c not in clientes.columns]
        if faltan:
            raise ValueError(f"'columnas' nombra columnas que no están en 'clientes': {', '.join(faltan)}")
        if len(propias) > 1 and not all(_es_numerica(clientes[c]) for c in propias):
            raise ValueError(f"'grupos': las columnas del grupo {nombre!r} deben ser numéricas")
        variables.append(_Variable(nombre, propias, not _es_numerica(clientes[propias[0]])))
    return variables


# ---------------------------------------------------------------------------
# Preparación de la matriz
# ---------------------------------------------------------------------------

def _bloque_numerico(valores: np.ndarray) -> np.ndarray | None:
    """Columnas numéricas recortadas, centradas y escaladas a varianza total 1 (faltantes → 0).

    Devuelve None si no hay variación entre los valores observados.
    """
    valores = valores.astype(float, copy=True)
    observados = ~np.isnan(valores).all(axis=1)
    if observados.sum() < 2:
        return None
    bajo, alto = np.nanpercentile(valores[observados], RECORTE, axis=0)
    valores = np.clip(valores, bajo, alto)
    valores -= np.nanmean(valores[observados], axis=0)
    varianza = np.nansum(np.nanvar(valores[observados], axis=0))
    if not varianza > 1e-12:
        return None
    return np.nan_to_num(valores / math.sqrt(varianza), nan=0.0)


def _bloque_categorico(serie: pd.Series) -> np.ndarray | None:
    """Codificación disjunta centrada y escalada a varianza total 1 (faltantes → 0); None si hay un solo nivel."""
    codigos, niveles = pd.factorize(serie, sort=True)
    observados = codigos >= 0
    if len(niveles) < 2:
        return None
    p = np.bincount(codigos[observados], minlength=len(niveles)) / observados.sum()
    bloque = np.zeros((len(serie), len(niveles)))
    bloque[np.flatnonzero(observados), codigos[observados]] = 1.0
    bloque[observados] -= p
    return bloque / math.sqrt(1.0 - float(np.sum(p**2)))


def _bloque(clientes: pd.DataFrame, variable: _Variable) -> np.ndarray | None:
    """Bloque de la matriz de una variable (None si no varía)."""
    if variable.categorica:
        return _bloque_categorico(clientes[variable.columnas[0]])
    return _bloque_numerico(clientes[list(variable.columnas)].to_numpy(dtype=float, na_value=np.nan))


def _faltantes(clientes: pd.DataFrame, variable: _Variable) -> float:
    """Proporción de clientes sin dato en la variable (en todas sus columnas)."""
    return float(clientes[list(variable.columnas)].isna().all(axis=1).mean())


@dataclass(frozen=True)
class Preparacion:
    """Matriz de ``preparar``: una fila por cliente y las columnas de cada variable usada.

    ``variables`` va de cada variable usada a sus columnas de entrada, ``bloques`` a su rango de
    columnas en ``matriz``; ``categoricas`` nombra las categóricas y ``descartadas`` las pedidas sin
    variación.
    """

    matriz: np.ndarray
    variables: dict[str, tuple[str, ...]]
    bloques: dict[str, slice]
    categoricas: tuple[str, ...]
    descartadas: tuple[str, ...]

    def usadas(self) -> list[_Variable]:
        """Las variables usadas, en orden."""
        return [_Variable(nombre, columnas, nombre in self.categoricas)
                for nombre, columnas in self.variables.items()]


def preparar(clientes: pd.DataFrame, columnas: Sequence[str] | None = None, *,
             grupos: Mapping[str, Sequence[str]] | None = None) -> Preparacion:
    """Matriz numérica (float32) con que se agrupa: cada variable con varianza total 1.

    Numéricas recortadas a los percentiles 1 y 99 y estandarizadas; categóricas en codificación
    disjunta centrada y escalada; grupos de columnas escalados juntos; faltantes en el centro (0).
    ``columnas`` y ``grupos`` como en ``perfilar``.

    >>> import pandas as pd
    >>> p = preparar(pd.DataFrame({"a": [1.0, 2.0, None, 3.0], "b": ["x", "y", "x", "x"]}))
    >>> p.matriz.shape, [round(float(p.matriz[:, p.bloques[v]].var(axis=0).sum()), 2) for v in p.variables]
    ((4, 3), [0.75, 1.0])
    """
    variables = _variables(clientes, columnas, dict(grupos or {}))
    bloques = {v.nombre: _bloque(clientes, v) for v in variables}
    usadas = [v for v in variables if bloques[v.nombre] is not None]
    limites = np.cumsum([0] + [bloques[v.nombre].shape[1] for v in usadas])
    matriz = (np.hstack([bloques[v.nombre] for v in usadas]) if usadas
              else np.empty((len(clientes), 0))).astype(np.float32)
    return Preparacion(
        matriz=matriz, variables={v.nombre: v.columnas for v in usadas},
        bloques={v.nombre: slice(int(a), int(b)) for v, a, b in zip(usadas, limites[:-1], limites[1:])},
        categoricas=tuple(v.nombre for v in usadas if v.categorica), descartadas=tuple(v.nombre for v in variables if bloques[v.nombre] is None),
    )


# ---------------------------------------------------------------------------
# Agrupamiento
# ---------------------------------------------------------------------------

def _kmedias(matriz: np.ndarray, k: int, semilla: int, arranques: int = ARRANQUES) -> KMeans:
    """k-medias reproducible sobre ``matriz``."""
    return KMeans(n_clusters=k, n_init=arranques, random_state=semilla).fit(matriz)


def _silueta(matriz: np.ndarray, etiquetas: np.ndarray, semilla: int) -> float:
    """Silueta media sobre una muestra de ``MUESTRA_SILUETA`` filas (NaN si queda un solo grupo)."""
    if len(np.unique(etiquetas)) < 2:
        return float("nan")
    muestra = MUESTRA_SILUETA if len(matriz) > MUESTRA_SILUETA else None
    return float(silhouette_score(matriz, etiquetas, sample_size=muestra, random_state=semilla))


def _estabilidad(matriz: np.ndarray, modelo: KMeans, semilla: int) -> tuple[float, ...]:
    """ARI entre el modelo y k-medias reajustado en cada remuestra bootstrap de ``matriz``."""
    rng = np.random.default_rng(semilla)
    referencia = modelo.predict(matriz)
    valores = []
    for remuestra in range(REMUESTRAS):
        indices = rng.integers(0, len(matriz), len(matriz))
        otro = _kmedias(matriz[indices], modelo.n_clusters, semilla + 1 + remuestra, ARRANQUES_REMUESTRA)
        valores.append(float(adjusted_rand_score(referencia, otro.predict(matriz))))
    return tuple(valores)


def _ordenar_por_tamano(etiquetas: np.ndarray, k: int) -> np.ndarray:
    """Renumera los grupos de mayor a menor tamaño (empates: el número original)."""
    tamanos = np.bincount(etiquetas, minlength=k)
    orden = sorted(range(k), key=lambda g: (-tamanos[g], g))
    nuevo = np.empty(k, dtype=np.int64)
    nuevo[orden] = np.arange(k)
    return nuevo[etiquetas]


def _validar(clientes: pd.DataFrame, k: int | None, semilla: int) -> None:
    """Valida los argumentos simples de ``perfilar``."""
    if not isinstance(clientes, pd.DataFrame):
        raise ValueError("'clientes' debe ser un DataFrame con una fila por cliente")
    if k is not None and (isinstance(k, bool) or not isinstance(k, (int, np.integer))):
        raise ValueError("'k' debe ser un entero o None (automático)")
    if isinstance(semilla, bool) or not isinstance(semilla, (int, np.integer)) or semilla < 0:
        raise ValueError("'semilla' debe ser un entero mayor o igual que 0")


@dataclass(frozen=True)
class _Agrupamiento:
    """k-medias elegido, la muestra con que se ajustó, la silueta de cada candidato y el k sugerido."""

    modelo: KMeans
    muestra: np.ndarray
    silueta: dict[int, float]
    k_sugerido: int


def _agrupar(matriz: np.ndarray, k: int | None, semilla: int) -> _Agrupamiento:
    """Ajusta k-medias para cada k candidato sobre la muestra de ajuste y elige el de ``k`` o el de mayor silueta."""
    n = len(matriz)
    rng = np.random.default_rng(semilla)
    muestra = matriz[np.sort(rng.choice(n, MUESTRA_AJUSTE, replace=False))] if n > MUESTRA_AJUSTE else matriz
    distintos = len(np.unique(muestra, axis=0))
    candidatos = range(2, min(k_maximo(n), distintos) + 1)
    if not candidatos or (k is not None and k > distintos):
        raise MuestraInsuficiente("Los clientes son casi idénticos en las variables elegidas: no hay suficientes "
                                  "combinaciones distintas para formar perfiles. Añada otras variables.")
    modelos = {c: _kmedias(muestra, c, semilla) for c in candidatos}
    silueta = {c: _silueta(muestra, m.labels_, semilla) for c, m in modelos.items()}
    sugerido = max(candidatos, key=lambda c: (np.nan_to_num(silueta[c], nan=-2.0), -c))
    return _Agrupamiento(modelos[k or sugerido], muestra, silueta, sugerido)


def perfilar(clientes: pd.DataFrame, columnas: Sequence[str] | None = None, k: int | None = None,
             semilla: int = 0, *, grupos: Mapping[str, Sequence[str]] | None = None) -> Perfiles:
    """Agrupa a los clientes en perfiles y los describe (método en la documentación del módulo).

    Parameters
    ----------
    clientes : una fila por cliente; columnas numéricas (o booleanas) y categóricas, con faltantes.
    columnas : variables a usar: nombres de columna o de ``grupos``. None: todas las columnas y
        grupos, salvo las categóricas con más de ``MAXIMO_NIVELES`` niveles (identificadores).
    k : número de perfiles, de 2 a ``k_maximo(len(clientes))``; None lo elige por la silueta.
    semilla : entero ≥ 0; la misma semilla y los mismos datos dan el mismo resultado.
    grupos : nombre → columnas numéricas que forman una sola variable (p. ej. la mezcla de canales
        de ``variables_cliente``); pesan juntas como una variable.

    Returns
    -------
    Perfiles

    Raises
    ------
    MuestraInsuficiente
        Con menos de ``MINIMO_CLIENTES`` clientes, menos de dos variables con variación, o clientes
        demasiado parecidos para formar dos grupos.
    ValueError
        Si los argumentos no son válidos (el mensaje nombra el parámetro).
    """
    _validar(clientes, k, semilla)
    n = len(clientes)
    if n < MINIMO_CLIENTES:
        raise MuestraInsuficiente(f"Hay {numero(n, 0)} clientes con los filtros elegidos; se necesitan al menos "
                                  f"{MINIMO_CLIENTES} para formar perfiles. Amplíe el periodo o quite filtros.")
    if k is not None and not 2 <= k <= k_maximo(n):
        raise ValueError(f"'k' debe estar entre 2 y {k_maximo(n)} con {numero(n, 0)} clientes")
    preparacion = preparar(clientes, columnas, grupos=grupos)
    if len(preparacion.variables) < 2:
        descartadas = preparacion.descartadas
        aviso = f" Sin variación: {', '.join(etiqueta(d) for d in descartadas)}." if descartadas else ""
        raise MuestraInsuficiente("Elija al menos dos variables que varíen entre los clientes para formar "
                                  f"perfiles.{aviso}")
    matriz = preparacion.matriz
    with threadpool_limits(limits=1):
        agrupamiento = _agrupar(matriz, k, semilla)
        etiquetas = _ordenar_por_tamano(agrupamiento.modelo.predict(matriz), agrupamiento.modelo.n_clusters)
        estabilidades = _estabilidad(agrupamiento.muestra, agrupamiento.modelo, semilla)
        mapa, varianza = _mapa(matriz, agrupamiento.muestra, etiquetas, semilla)
    k = agrupamiento.modelo.n_clusters
    usadas = preparacion.usadas()
    tabla = _tabla_rasgos(clientes, usadas, etiquetas, k)
    return Perfiles(
        etiquetas=etiquetas, k=k, k_sugerido=agrupamiento.k_sugerido, nombres=_nombres(tabla, k),
        silueta=agrupamiento.silueta,
        estabilidad=float(np.mean(estabilidades)), estabilidades=estabilidades,
        tamanos=dict(enumerate(np.bincount(etiquetas, minlength=k).tolist())),
        rasgos=tabla, mapa=mapa, varianza_mapa=varianza, variables=preparacion.variables,
        descartadas=preparacion.descartadas, faltantes={v.nombre: _faltantes(clientes, v) for v in usadas},
        firmas=_firmas(tabla, k), n_ajuste=len(agrupamiento.muestra),
    )


def _mapa(matriz: np.ndarray, muestra: np.ndarray, etiquetas: np.ndarray,
          semilla: int) -> tuple[pd.DataFrame, tuple[float, float]]:
    """Coordenadas PCA de una muestra de ``MUESTRA_MAPA`` clientes y la varianza que explica cada eje."""
    pca = PCA(n_components=2, random_state=semilla).fit(muestra)
    n = len(matriz)
    filas = (np.sort(np.random.default_rng(semilla + 1).choice(n, MUESTRA_MAPA, replace=False))
             if n > MUESTRA_MAPA else np.arange(n))
    xy = pca.transform(matriz[filas])
    mapa = pd.DataFrame({"fila": filas, "x": xy[:, 0], "y": xy[:, 1], "grupo": etiquetas[filas]})
    varianza = pca.explained_variance_ratio_
    return mapa, (float(varianza[0]), float(varianza[1]))


# ---------------------------------------------------------------------------
# Rasgos de cada perfil
# ---------------------------------------------------------------------------

def _medias_por_grupo(valores: np.ndarray, etiquetas: np.ndarray, k: int) -> np.ndarray:
    """Media de los valores observados de cada grupo (NaN si un grupo no tiene ninguno)."""
    observados = ~np.isnan(valores)
    suma = np.bincount(etiquetas[observados], weights=valores[observados], minlength=k)
    cuenta = np.bincount(etiquetas[observados], minlength=k)
    with np.errstate(invalid="ignore", divide="ignore"):
        return suma / cuenta


def _filas_numericas(clientes: pd.DataFrame, variable: _Variable, etiquetas: np.ndarray, k: int) -> list[dict]:
    """Filas de rasgos de una variable numérica o de cada columna de un grupo."""
    filas = []
    for columna in variable.columnas:
        valores = clientes[columna].to_numpy(dtype=float, na_value=np.nan)
        poblacion, desviacion = np.nanmean(valores), np.nanstd(valores)
        nivel = columna if len(variable.columnas) > 1 else None
        for grupo, valor in enumerate(_medias_por_grupo(valores, etiquetas, k)):
            filas.append({"grupo": grupo, "variable": variable.nombre, "nivel": nivel, "valor_grupo": valor,
                          "valor_poblacion": poblacion,
                          "desvio": (valor - poblacion) / desviacion if desviacion > 0 else 0.0})
    return filas


def _filas_categoricas(clientes: pd.DataFrame, variable: _Variable, etiquetas: np.ndarray, k: int) -> list[dict]:
    """Filas de rasgos de cada nivel de una variable categórica (proporción en el grupo y en todos)."""
    codigos, niveles = pd.factorize(clientes[variable.columnas[0]], sort=True)
    observados = codigos >= 0
    filas = []
    for codigo, nivel in enumerate(niveles):
        indicador = np.where(observados, (codigos == codigo).astype(float), np.nan)
        poblacion = float(np.nanmean(indicador))
        escala = math.sqrt(poblacion * (1 - poblacion))
        for grupo, valor in enumerate(_medias_por_grupo(indicador, etiquetas, k)):
            filas.append({"grupo": grupo, "variable": variable.nombre, "nivel": str(nivel), "valor_grupo": valor,
                          "valor_poblacion": poblacion, "desvio": (valor - poblacion) / escala if escala else 0.0})
    return filas


def _unidad(variable: str, nivel: str | None) -> str:
    """Cómo se muestra el valor de un rasgo: 'proporcion' o 'numero'."""
    return "proporcion" if not pd.isna(nivel) or variable in _PROPORCIONES else "numero"


def _tabla_rasgos(clientes: pd.DataFrame, variables: list[_Variable], etiquetas: np.ndarray, k: int) -> pd.DataFrame:
    """Tabla larga de rasgos de cada perfil frente a la población (ver ``Perfiles.rasgos``)."""
    filas = []
    for variable in variables:
        calcular = _filas_categoricas if variable.categorica else _filas_numericas
        filas += calcular(clientes, variable, etiquetas, k)
    tabla = pd.DataFrame(filas)
    tabla["rasgo"] = [etiqueta(v, None if pd.isna(n) else n) for v, n in zip(tabla["variable"], tabla["nivel"])]
    tabla["unidad"] = [_unidad(v, n) for v, n in zip(tabla["variable"], tabla["nivel"])]
    return tabla[["grupo", "variable", "nivel", "rasgo", "valor_grupo", "valor_poblacion", "desvio", "unidad"]]


# ---------------------------------------------------------------------------
# Nombres automáticos
# ---------------------------------------------------------------------------

def _frase_canal(canal: str) -> str:
    """'por teléfono', 'por WhatsApp', 'en persona'."""
    if canal in _CANAL_FRASE:
        return _CANAL_FRASE[canal]
    return f"por {canal.lower() if canal[1:].islower() else canal}"


def _frase(fila: pd.Series) -> tuple[int, str] | None:
    """(lugar en el nombre, frase) que describe un rasgo destacado; None si el rasgo no se nombra así."""
    variable, nivel, arriba = fila["variable"], fila["nivel"], fila["desvio"] > 0
    if pd.isna(nivel):
        lugar, alto, bajo = _FRASES.get(variable, (3, f"con {variable} alto", f"con {variable} bajo"))
        return lugar, alto if arriba else bajo
    if not arriba:
        return None
    if variable == "mezcla_canales":
        return _LUGAR_NIVEL[variable], _frase_canal(nivel.removeprefix(_PREFIJO_CANAL))
    if variable in _FRASES_NIVEL:
        lugar, frases = _FRASES_NIVEL[variable]
        return (lugar, frases[nivel]) if nivel in frases else None
    if variable == "segmento":
        return _LUGAR_NIVEL[variable], f"del segmento {nivel}"
    if variable == "region":
        return _LUGAR_NIVEL[variable], f"de la región {nivel}"
    return 3, f"con {variable} {nivel}"


def _cabeza(rasgos_grupo: pd.DataFrame) -> pd.Series | None:
    """Fila del tipo de cliente dominante del perfil (≥ 60 % de sus clientes), si lo hay."""
    tipos = rasgos_grupo[(rasgos_grupo["variable"] == "tipo_cliente")
                         & (rasgos_grupo["valor_grupo"] >= _PARTICIPACION_CABEZA)]
    return tipos.iloc[0] if len(tipos) else None


def _redundante(fila: pd.Series, cabeza: pd.Series | None) -> bool:
    """True si la categoría marca a los mismos clientes que la cabeza (p. ej. segmento 'Área interna')."""
    return (cabeza is not None and not pd.isna(fila["nivel"]) and fila["variable"] != "mezcla_canales"
            and abs(fila["valor_grupo"] - cabeza["valor_grupo"]) < 0.02
            and abs(fila["valor_poblacion"] - cabeza["valor_poblacion"]) < 0.02)


def _componer(cabeza: str, frases: list[tuple[int, str]]) -> str:
    """Une la cabeza y las frases en su orden gramatical; lo evaluativo va tras una coma."""
    if not frases:
        return f"{cabeza} típicos"
    frases = sorted(frases, key=lambda f: f[0])
    antes = " ".join(texto for lugar, texto in frases if lugar < 4)
    despues = " ".join(texto for lugar, texto in frases if lugar == 4)
    if antes and despues:
        return f"{cabeza} {antes}, {despues}"
    return f"{cabeza} {antes or despues}"


def _candidatas(rasgos_grupo: pd.DataFrame, cabeza: pd.Series | None) -> list[tuple[int, str]]:
    """Frases de los rasgos destacados del perfil, de mayor a menor |desvío|.

    Una por variable, una sola valoración (satisfacción o clase NPS, tras la coma) y ninguna que
    repita a la cabeza.
    """
    destacados = rasgos_grupo[(rasgos_grupo["desvio"].abs() >= UMBRAL_NOMBRE)
                              & (rasgos_grupo["variable"] != "tipo_cliente")]
    destacados = destacados.assign(orden=-destacados["desvio"].abs()).sort_values(
        ["orden", "variable", "nivel"], kind="stable", na_position="first")
    frases, vistas = [], set()
    for _, fila in destacados.iterrows():
        frase = _frase(fila)
        if frase is None or fila["variable"] in vistas or _redundante(fila, cabeza):
            continue
        if frase[0] == 4 and any(lugar == 4 for lugar, _ in frases):
            continue
        vistas.add(fila["variable"])
        frases.append(frase)
    return frases


def _nombres(tabla: pd.DataFrame, k: int) -> dict[int, str]:
    """Nombre automático de cada perfil, distinto de los demás (se alarga o se numera si coincide)."""
    nombres: dict[int, str] = {}
    for grupo in range(k):
        rasgos_grupo = tabla[tabla["grupo"] == grupo]
        fila_cabeza = _cabeza(rasgos_grupo)
        cabeza = "Clientes" if fila_cabeza is None else _CABEZAS.get(fila_cabeza["nivel"], "Clientes")
        frases = _candidatas(rasgos_grupo, fila_cabeza)
        cantidad = RASGOS_POR_NOMBRE
        nombre = _componer(cabeza, frases[:cantidad])
        while nombre in nombres.values() and cantidad < len(frases):
            cantidad += 1
            nombre = _componer(cabeza, frases[:cantidad])
        if nombre in nombres.values():
            nombre = f"{nombre} ({grupo + 1})"
        nombres[grupo] = nombre
    return nombres


def _firmas(tabla: pd.DataFrame, k: int) -> dict[int, str]:
    """Firma de cada perfil: huella de las variables, k y sus rasgos redondeados a dos cifras."""
    variables = sorted(tabla["variable"].unique())
    firmas = {}
    for grupo in range(k):
        filas = tabla[tabla["grupo"] == grupo].sort_values(["variable", "nivel"], na_position="first")
        valores = [None if pd.isna(v) else float(f"{v:.2g}") for v in filas["valor_grupo"]]
        texto = json.dumps({"variables": variables, "k": k, "perfil": valores}, ensure_ascii=False)
        firmas[grupo] = hashlib.sha1(texto.encode()).hexdigest()
    return firmas


def con_nombres(resultado: Perfiles, guardados: pd.DataFrame) -> dict[int, str]:
    """Nombre de cada perfil: el que el usuario guardó para su firma o, si no hay, el automático.

    ``guardados`` trae columnas ``firma`` y ``nombre`` (``datos.consultas.nombres_perfiles``).
    """
    propios = dict(zip(guardados["firma"], guardados["nombre"]))
    return {g: propios.get(resultado.firmas[g], nombre) for g, nombre in resultado.nombres.items()}


def cambios_de_nombre(resultado: Perfiles, escritos: Mapping[int, str]) -> dict[str, str | None]:
    """Firma → nombre a guardar por cada perfil renombrado; None borra el nombre propio.

    Un nombre vacío o igual al automático vuelve al automático (None).

    >>> from types import SimpleNamespace
    >>> r = SimpleNamespace(nombres={0: "Externos"}, firmas={0: "f0"})
    >>> cambios_de_nombre(r, {0: "  Clientes clave "}), cambios_de_nombre(r, {0: "Externos"})
    ({'f0': 'Clientes clave'}, {'f0': None})
    """
    cambios = {}
    for grupo, texto in escritos.items():
        limpio = " ".join(str(texto).split())
        cambios[resultado.firmas[grupo]] = limpio if limpio and limpio != resultado.nombres[grupo] else None
    return cambios


# ---------------------------------------------------------------------------
# Presentación
# ---------------------------------------------------------------------------

def nivel_estabilidad(ari: float) -> str:
    """Lectura de la estabilidad: 'alta' (≥ 0,8), 'media' (≥ 0,6) o 'baja'.

    Umbrales de uso habitual, adaptados de Hennig (2007).

    >>> nivel_estabilidad(0.92), nivel_estabilidad(0.7), nivel_estabilidad(0.3)
    ('alta', 'media', 'baja')
    """
    return "alta" if ari >= 0.8 else "media" if ari >= 0.6 else "baja"


def nivel_silueta(silueta: float) -> str:
    """Lectura de la silueta (Kaufman y Rousseeuw 1990): 'fuerte' > 0,7, 'razonable' > 0,5, 'débil' > 0,25, 'nula'.

    >>> nivel_silueta(0.8), nivel_silueta(0.3), nivel_silueta(0.1)
    ('fuerte', 'débil', 'nula')
    """
    return "fuerte" if silueta > 0.7 else "razonable" if silueta > 0.5 else "débil" if silueta > 0.25 else "nula"


def aviso_faltantes(resultado: Perfiles, *, umbral: float = 0.1) -> str | None:
    """Frase que nombra las variables usadas con al menos ``umbral`` de clientes sin dato (None si ninguna).

    >>> from types import SimpleNamespace
    >>> aviso_faltantes(SimpleNamespace(faltantes={"csat": 0.25, "segmento": 0.0}))
    'Sin dato (quedan en el centro de la variable): CSAT medio (1–5), 25 % de los clientes.'
    """
    muchas = [f"{etiqueta(v)}, {porcentaje(p, 0)} de los clientes" for v, p in resultado.faltantes.items()
              if p >= umbral]
    return f"Sin dato (quedan en el centro de la variable): {'; '.join(muchas)}." if muchas else None


def _valor(valor: float, variable: str, unidad: str) -> str:
    """Valor de un rasgo en español: proporciones en %, el resto con los decimales de la variable."""
    return porcentaje(valor, 0) if unidad == "proporcion" else numero(valor, _DECIMALES.get(variable, 2))


def _distintivos(tabla: pd.DataFrame) -> pd.DataFrame:
    """Filas que describen un perfil: numéricas en ambos sentidos, categorías y canales solo si abundan más."""
    return tabla[tabla["nivel"].isna() | (tabla["desvio"] > 0)]


def rasgos(resultado: Perfiles, grupo: int, *, cantidad: int = 6) -> pd.DataFrame:
    """Los ``cantidad`` rasgos que más distinguen al perfil, listos para mostrar.

    Columnas: 'Rasgo', 'En el perfil', 'En todos' (textos) y 'Desvío' (en desviaciones típicas).
    """
    if grupo not in resultado.tamanos:
        raise ValueError(f"'grupo' debe ser uno de {sorted(resultado.tamanos)}")
    tabla = _distintivos(resultado.rasgos)
    tabla = tabla[tabla["grupo"] == grupo]
    tabla = tabla.assign(orden=-tabla["desvio"].abs()).sort_values(["orden", "rasgo"], kind="stable").head(cantidad)
    return pd.DataFrame({
        "Rasgo": tabla["rasgo"].to_numpy(),
        "En el perfil": [_valor(v, var, u) for v, var, u in
                         zip(tabla["valor_grupo"], tabla["variable"], tabla["unidad"])],
        "En todos": [_valor(v, var, u) for v, var, u in
                     zip(tabla["valor_poblacion"], tabla["variable"], tabla["unidad"])],
        "Desvío": [con_signo(d, 1) for d in tabla["desvio"]],
    })


def comparacion(resultado: Perfiles, nombres: Mapping[int, str], *, por_perfil: int = 3) -> pd.DataFrame:
    """Rasgos para comparar perfiles: los ``por_perfil`` más distintivos de cada uno, para todos.

    Tabla larga con 'perfil' ('1. Nombre'), 'rasgo', 'desvio' y 'texto' (el valor en el perfil).
    """
    candidatos = _distintivos(resultado.rasgos)
    candidatos = candidatos.assign(orden=-candidatos["desvio"].abs())
    elegidos = candidatos.sort_values(["grupo", "orden", "rasgo"], kind="stable").groupby("grupo").head(por_perfil)
    rasgos_elegidos = list(dict.fromkeys(elegidos.sort_values(["orden", "rasgo"], kind="stable")["rasgo"]))
    tabla = resultado.rasgos[resultado.rasgos["rasgo"].isin(rasgos_elegidos)]
    return pd.DataFrame({
        "perfil": [f"{g + 1}. {nombres[g]}" for g in tabla["grupo"]],
        "rasgo": pd.Categorical(tabla["rasgo"], categories=rasgos_elegidos, ordered=True),
        "desvio": tabla["desvio"].to_numpy(),
        "texto": [_valor(v, var, u) for v, var, u in zip(tabla["valor_grupo"], tabla["variable"], tabla["unidad"])],
    }).sort_values("rasgo", kind="stable").reset_index(drop=True)


#: Columnas de conteo que ``kpis_por_grupo`` necesita (las da ``caracteristicas_clientes``).
_CONTEOS = ("n_csat", "suma_csat", "suma2_csat", "n_nps", "promotores", "detractores", "n_motivo", "n_quejas")


def _kpis(sumas: Mapping[str, float]) -> dict[str, float]:
    """CSAT (media, t), NPS (margen) y % de quejas (Wilson) de unas sumas, con su n y su intervalo."""
    promotores, detractores, n_nps = (int(sumas[c]) for c in ("promotores", "detractores", "n_nps"))
    estimaciones = {
        "csat": media(float(sumas["suma_csat"]), float(sumas["suma2_csat"]), int(sumas["n_csat"])),
        "nps": nps(promotores, n_nps - promotores - detractores, detractores),
        "quejas": proporcion(int(sumas["n_quejas"]), int(sumas["n_motivo"])),
    }
    fila = {}
    for clave, e in estimaciones.items():
        fila |= {clave: e.valor, f"{clave}_inf": e.ic_inf, f"{clave}_sup": e.ic_sup, f"{clave}_n": e.n}
    return fila


def kpis_por_grupo(clientes: pd.DataFrame, etiquetas: np.ndarray, nombres: Mapping[int, str], *,
                   privacidad: int = 0) -> pd.DataFrame:
    """KPI de cada perfil y de toda la población (``grupo`` = ``TODOS``), con intervalos al 95 %.

    Entra la tabla de ``caracteristicas_clientes`` (sus conteos ``n_csat``, ``suma_csat``,
    ``suma2_csat``, ``n_nps``, ``promotores``, ``detractores``, ``n_motivo``, ``n_quejas``) y el perfil
    de cada fila. Sale una fila por perfil con ``grupo``, ``nombre``, ``clientes`` y, para ``csat``
    (media 1–5, intervalo t), ``nps`` (−100…100, margen de dos proporciones) y ``quejas`` (proporción
    de contactos por queja o reclamo, Wilson): el valor, ``_inf``, ``_sup`` y ``_n`` (respuestas o
    contactos). Los intervalos tratan cada respuesta como independiente (un cliente puede aportar
    varias), así que pueden quedar algo estrechos. Un KPI con menos de ``privacidad`` casos en un
    perfil se borra (umbral de privacidad por segmento).
    """
    faltan = [c for c in _CONTEOS if c not in clientes.columns]
    if faltan:
        raise ValueError(f"'clientes' no tiene las columnas de conteo {', '.join(faltan)}")
    if len(etiquetas) != len(clientes):
        raise ValueError("'etiquetas' debe tener una entrada por fila de 'clientes'")
    sumas = clientes[list(_CONTEOS)].fillna(0).groupby(np.asarray(etiquetas)).sum()
    filas = [{"grupo": int(g), "nombre": nombres[int(g)], "clientes": int(np.sum(etiquetas == g)),
              **_kpis(sumas.loc[g])} for g in sumas.index]
    filas.append({"grupo": TODOS, "nombre": "Todos los clientes", "clientes": len(clientes), **_kpis(sumas.sum())})
    tabla = pd.DataFrame(filas)
    for clave in ("csat", "nps", "quejas"):
        tabla = ocultar_pequenos(tabla, n=f"{clave}_n", columnas=[clave, f"{clave}_inf", f"{clave}_sup"],
                                 minimo=privacidad)
    return tabla


@dataclass(frozen=True)
class TextoKpi:
    """Un KPI de un perfil listo para mostrar: título, valor, diferencia con todos los clientes
    ('+0,51', '-3,2 pp'; None si la muestra es insuficiente), detalle (intervalo y n), ayuda (el método), ``color``
    ('normal' si subir es bueno, 'inverse' si es malo) y si la muestra alcanza el mínimo."""

    titulo: str
    valor: str
    diferencia: str | None
    detalle: str
    ayuda: str
    color: str
    suficiente: bool


#: KPI de cada perfil: clave, título, unidad, color del cambio, qué cuenta n y método.
_KPIS_PERFIL = (
    ("csat", "CSAT (1–5)", "escala", "normal", "respuestas",
     "Media de las respuestas de satisfacción (1 a 5) de los clientes del perfil, con intervalo t al 95 %."),
    ("nps", "NPS", "puntos", "normal", "respuestas",
     "% de promotores (9–10) menos % de detractores (0–6) en las respuestas del perfil, de −100 a 100, con "
     "margen de error al 95 %."),
    ("quejas", "Quejas y reclamos", "proporcion", "inverse", "contactos",
     "Proporción de los contactos del perfil cuyo motivo es queja o reclamo, con intervalo de Wilson al 95 %."),
)


def textos_kpis(kpis: pd.DataFrame, grupo: int, *, muestra_minima: int) -> list[TextoKpi]:
    """Textos de CSAT, NPS y quejas del perfil ``grupo`` a partir de ``kpis_por_grupo``.

    Con menos de ``muestra_minima`` respuestas (o contactos) la cifra se marca como insuficiente
    y no se compara con el total.
    """
    filas = kpis[kpis["grupo"] == grupo]
    if filas.empty:
        raise ValueError(f"'grupo' {grupo} no está en 'kpis'")
    fila, todos = filas.iloc[0], kpis[kpis["grupo"] == TODOS].iloc[0]
    textos = []
    for clave, titulo, unidad, color, cuenta, ayuda in _KPIS_PERFIL:
        n = int(fila[f"{clave}_n"])
        suficiente = n >= muestra_minima
        inferior, superior = (segun_unidad(fila[f"{clave}_{lado}"], unidad) for lado in ("inf", "sup"))
        intervalo = f"IC 95 %: {inferior} a {superior}"
        textos.append(TextoKpi(
            titulo=titulo, valor=segun_unidad(fila[clave], unidad) if n else RAYA,
            diferencia=cambio_segun_unidad(fila[clave] - todos[clave], unidad) if suficiente else None,
            detalle=f"{intervalo} · n = {numero(n, 0)} {cuenta}" + ("" if suficiente else " · muestra insuficiente"),
            ayuda=ayuda, color=color, suficiente=suficiente,
        ))
    return textos


def clientes_del_perfil(clientes: pd.DataFrame, resultado: Perfiles, nombres: Mapping[int, str],
                        grupo: int | None = None, *, columnas: Sequence[str] = (), limite: int | None = None,
                        texto: bool = False) -> pd.DataFrame:
    """Clientes con su perfil asignado, para ver y exportar.

    Sale ``columnas`` (p. ej. 'cliente_id'), 'Perfil' (número desde 1), 'Nombre del perfil' y las
    columnas de las variables usadas con encabezados en español. ``grupo`` None: todos los perfiles;
    ``limite``: solo las primeras filas. Con ``texto`` los números salen como textos a la manera
    española (para la pantalla: '0,55', '35 %'); sin él, como números (para los archivos).
    """
    if len(resultado.etiquetas) != len(clientes):
        raise ValueError("'resultado' no corresponde a 'clientes' (distinto número de filas)")
    filas = np.flatnonzero(resultado.etiquetas == grupo) if grupo is not None else np.arange(len(clientes))
    filas = filas[:limite]
    tabla = clientes.iloc[filas][[*columnas]].reset_index(drop=True)
    etiquetas = resultado.etiquetas[filas]
    tabla["Perfil"] = etiquetas + 1
    tabla["Nombre del perfil"] = [nombres[g] for g in etiquetas]
    for variable, propias in resultado.variables.items():
        for columna in propias:
            nivel = columna if len(propias) > 1 else None
            valores = clientes[columna].iloc[filas].reset_index(drop=True)
            if texto and _es_numerica(valores):
                valores = valores.map(lambda v: _valor(v, variable, _unidad(variable, nivel)))
            tabla[etiqueta(variable, nivel)] = valores
    return tabla
