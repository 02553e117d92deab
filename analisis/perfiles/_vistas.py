"""Los perfiles para leer: lectura de su calidad, rasgos distintivos, comparación y lista de clientes."""

from collections.abc import Mapping, Sequence

import numpy as np
import pandas as pd

from analisis.formato import con_signo, numero, porcentaje
from analisis.perfiles._resultado import Perfiles
from analisis.perfiles._variables import es_numerica, etiqueta, unidad


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


_DECIMALES = {"antiguedad_anios": 1, "contactos_mes": 2, "recencia_dias": 0, "csat": 2, "ces": 2}


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
            if texto and es_numerica(valores):
                valores = valores.map(lambda v: _valor(v, variable, unidad(variable, nivel)))
            tabla[etiqueta(variable, nivel)] = valores
    return tabla
