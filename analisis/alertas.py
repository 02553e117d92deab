"""Alertas: reglas configurables que señalan lo que requiere atención ahora.

Tres tipos de regla, cada una sobre un indicador de ``analisis.tendencias.INDICADORES``
y, si se pide, por cada grupo de un desglose (sucursal, canal…):

- ``bajo_meta``: el indicador de los últimos ``dias`` días (hasta el fin del periodo
  elegido) es peor que su meta. Gravedad alta si todo su intervalo al 95 % queda del lado
  malo de la meta.
- ``caida_significativa``: los últimos ``dias`` días empeoran frente a los ``dias``
  anteriores con p < ``alfa`` (las pruebas de ``tendencias.comparar_indicador``).
- ``punto_de_cambio``: en la serie semanal del último año hay un punto de cambio a peor,
  significativo con p < ``alfa``, que empezó en los últimos ``dias`` días
  (``tendencias.cambios``).

Los grupos con menos respuestas que la muestra mínima, o que el umbral de privacidad por
segmento (``analisis.privacidad``), no generan alertas: una alerta nunca muestra la cifra de un
grupo demasiado pequeño. ``evaluar_reglas`` dice además cuántos grupos se pudieron evaluar,
para que una pantalla sin datos no parezca una buena noticia. Las reglas
viven en la tabla ``reglas_alerta``; se evalúan con los datos vigentes cada vez que se
dibuja la página (las consultas se guardan en caché por versión de los datos, así que
cualquier cambio de datos vuelve a evaluarlas).

Este módulo no conoce las consultas: cada regla describe lo que necesita leer con un
``Pedido`` y quien evalúa (``paginas.comun``) lo resuelve (``datos.consultas.tendencias.datos_de_alerta``).
"""

import math
from collections.abc import Mapping
from dataclasses import dataclass, replace
from datetime import timedelta

import pandas as pd

from analisis import tendencias
from analisis.formato import numero
from analisis.errores import ReglaNoValida

__all__ = ["TIPOS", "Regla", "Alerta", "Pedido", "Evaluacion", "reglas_desde_tabla", "validar_reglas", "evaluar",
           "evaluar_reglas", "SEMANAS_DE_SERIE", "describir_regla"]

#: Tipos de regla y su nombre en la interfaz.
TIPOS = {"bajo_meta": "Por debajo de la meta", "caida_significativa": "Caída significativa",
         "punto_de_cambio": "Punto de cambio reciente"}

#: Semanas de la serie en la que se buscan puntos de cambio.
SEMANAS_DE_SERIE = 52

_GRAVEDADES = ("alta", "media")


@dataclass(frozen=True)
class Regla:
    """Una regla de alerta (una fila de ``reglas_alerta``)."""

    regla_id: int
    tipo: str
    kpi: str
    desglose: str | None = None
    dias: int = 28
    alfa: float = 0.05
    activa: bool = True


@dataclass(frozen=True)
class Pedido:
    """Los datos que necesita una regla, sin nombrar la consulta que los trae.

    ``forma`` es 'serie' (sumas por ``periodicidad`` y grupo) o 'comparacion' (la ventana de
    ``filtros`` frente a la anterior de igual duración, por grupo); ``origen``, 'encuestas' o
    'interacciones' (según el indicador); ``desglose``, la columna de los grupos (None: total).
    """

    forma: str
    origen: str
    filtros: object
    desglose: str | None = None
    periodicidad: str | None = None


@dataclass(frozen=True)
class Alerta:
    """Una alerta disparada: su regla, el grupo afectado, la frase y la gravedad ('alta' o 'media')."""

    regla: Regla
    grupo: str
    texto: str
    gravedad: str
    p: float


@dataclass(frozen=True)
class Evaluacion:
    """Las alertas disparadas (las más graves primero) y cuántos grupos tenían datos suficientes.

    ``evaluados`` = 0 significa que no se pudo evaluar nada (sin datos o muestras por debajo del
    mínimo): la interfaz no debe decir que «nada requiere atención».
    """

    alertas: list[Alerta]
    evaluados: int


def _entero_o_none(valor) -> int | None:
    """Entero del valor (None si falta o no es numérico)."""
    try:
        return None if valor is None or pd.isna(valor) else int(valor)
    except (TypeError, ValueError):
        return None


def _real_o_none(valor) -> float | None:
    """Real del valor (None si falta o no es numérico)."""
    try:
        return None if valor is None or pd.isna(valor) else float(valor)
    except (TypeError, ValueError):
        return None


def _validar_fila(numero_fila: int, fila: dict) -> Regla:
    """Convierte una fila editada en ``Regla`` o explica en español qué está mal."""
    lugar = f"Regla {numero_fila}"
    tipo, kpi = fila.get("tipo"), fila.get("kpi")
    desglose = fila.get("desglose") if isinstance(fila.get("desglose"), str) and fila.get("desglose") else None
    dias, alfa = _entero_o_none(fila.get("dias")), _real_o_none(fila.get("alfa"))
    if tipo not in TIPOS:
        raise ReglaNoValida(f"{lugar}: elija el tipo de regla ({', '.join(TIPOS.values())}).")
    if kpi not in {k.clave for k in tendencias.INDICADORES}:
        raise ReglaNoValida(f"{lugar}: elija el indicador.")
    if desglose is not None and desglose not in tendencias.NOMBRES_DESGLOSE:
        raise ReglaNoValida(f"{lugar}: el desglose debe ser uno de "
                            f"{', '.join(tendencias.NOMBRES_DESGLOSE.values()).lower()} o vacío (total).")
    if dias is None or not 7 <= dias <= 365:
        raise ReglaNoValida(f"{lugar}: los días deben ser un número entero entre 7 y 365.")
    if alfa is None or not 0 < alfa < 0.5:
        raise ReglaNoValida(f"{lugar}: el nivel de significancia debe estar entre 0 y 0,5 (p. ej. 0,05).")
    return Regla(numero_fila, tipo, kpi, desglose, dias, alfa, bool(fila.get("activa", True)))


def validar_reglas(tabla: pd.DataFrame) -> list[Regla]:
    """Valida las reglas que editó el usuario y las numera de nuevo desde 1.

    ``tabla`` tiene columnas ``tipo``, ``kpi``, ``desglose``, ``dias``, ``alfa`` y
    ``activa``; las filas totalmente vacías se ignoran.

    Raises
    ------
    ReglaNoValida
        Con un mensaje en español que nombra la regla y el campo.
    """
    filas = [f for f in tabla.to_dict("records") if isinstance(f.get("tipo"), str) or isinstance(f.get("kpi"), str)]
    return [_validar_fila(i, fila) for i, fila in enumerate(filas, 1)]


def reglas_desde_tabla(tabla: pd.DataFrame) -> list[Regla]:
    """Las reglas guardadas (salida de ``datos.consultas.tendencias.reglas_alerta``) como ``Regla``."""
    return [Regla(int(f["regla_id"]), f["tipo"], f["kpi"], f["desglose"] if isinstance(f["desglose"], str) else None,
                  int(f["dias"]), float(f["alfa"]), bool(f["activa"])) for f in tabla.to_dict("records")]


#: Niveles de significancia que se ofrecen al editar una regla (las reglas guardadas con otro lo conservan).
NIVELES_ALFA = (0.001, 0.01, 0.05, 0.1)


def texto_alfa(alfa: float) -> str:
    """Un nivel de significancia como se lee en español, sin ceros de más.

    >>> texto_alfa(0.05), texto_alfa(0.1), texto_alfa(0.001)
    ('0,05', '0,1', '0,001')
    """
    return numero(alfa, 3).rstrip("0").rstrip(",")


def niveles_alfa(guardados) -> list[float]:
    """Las opciones de α de un editor de reglas: ``NIVELES_ALFA`` y los ``guardados`` (ordenadas, sin repetir).

    >>> niveles_alfa([0.05, 0.02])
    [0.001, 0.01, 0.02, 0.05, 0.1]
    """
    return sorted({*NIVELES_ALFA, *(round(float(a), 3) for a in guardados)})


def describir_regla(regla: Regla) -> str:
    """La regla como la lee una persona en la bitácora: tipo, indicador, desglose, ventana, α y estado.

    >>> describir_regla(Regla(1, "bajo_meta", "nps", "canal", 28, 0.05, True))
    'Por debajo de la meta, NPS, por canal, 28 días, α 0,05, activa'
    """
    desglose = f"por {tendencias.NOMBRES_DESGLOSE[regla.desglose].lower()}" if regla.desglose else "total"
    return (f"{TIPOS.get(regla.tipo, regla.tipo)}, {tendencias.indicador(regla.kpi).titulo}, {desglose}, "
            f"{numero(regla.dias, 0)} días, α {texto_alfa(regla.alfa)}, "
            f"{'activa' if regla.activa else 'inactiva'}")


def _peor(diferencia: float, sentido: str) -> bool:
    """True si la diferencia va en la dirección mala del indicador."""
    return diferencia < 0 if sentido == "mayor" else diferencia > 0


def _ventana(filtros, dias: int):
    """Los filtros reducidos a los ``dias`` días que terminan en ``filtros.hasta``."""
    return replace(filtros, desde=filtros.hasta - timedelta(days=dias - 1))


def _pedido(regla: Regla, filtros) -> Pedido:
    """Lo que lee ``regla``: la serie semanal del último año o su ventana frente a la anterior."""
    origen = "encuestas" if tendencias.de_encuestas(regla.kpi) else "interacciones"
    if regla.tipo == "punto_de_cambio":
        return Pedido("serie", origen, _ventana(filtros, 7 * SEMANAS_DE_SERIE), regla.desglose, "semana")
    return Pedido("comparacion", origen, _ventana(filtros, regla.dias), regla.desglose)


def _periodos(tabla: pd.DataFrame) -> dict[str, tuple[dict, dict]]:
    """Grupo → (fila 'actual', fila 'anterior') de una tabla de comparación."""
    salida = {}
    for grupo, datos in tabla.groupby("grupo", sort=True):
        filas = {f["periodo"]: f for f in datos.to_dict("records")}
        salida[str(grupo)] = (filas.get("actual", {}), filas.get("anterior", {}))
    return salida


def _bajo_meta(regla: Regla, tabla: pd.DataFrame, metas: pd.DataFrame, minimo: int) -> Evaluacion:
    """Alertas de la regla 'bajo_meta' (sin meta definida no hay alerta) y grupos evaluados."""
    meta, sentido = tendencias.meta_y_sentido(regla.kpi, metas)
    if meta is None:
        return Evaluacion([], 0)
    unidad = tendencias.indicador(regla.kpi).unidad
    alertas, evaluados = [], 0
    for grupo, (actual, _) in _periodos(tabla).items():
        e = tendencias.estimar_indicador(regla.kpi, actual)
        if e.n < minimo or math.isnan(e.valor):
            continue
        evaluados += 1
        if not _peor(e.valor - meta, sentido):
            continue
        lejano = e.ic_sup < meta if sentido == "mayor" else e.ic_inf > meta
        lado = "por debajo" if sentido == "mayor" else "por encima"
        intervalo = "" if math.isnan(e.ic_inf) else (f"IC 95 %: {tendencias.formatear(e.ic_inf, unidad)} – "
                                                     f"{tendencias.formatear(e.ic_sup, unidad)}; ")
        texto = (f"{tendencias.sujeto(regla.kpi, grupo)} de los últimos {regla.dias} días es "
                 f"{tendencias.formatear(e.valor, unidad)}, {lado} de la meta de {tendencias.formatear(meta, unidad)} "
                 f"({intervalo}n = {numero(e.n, 0)}).")
        alertas.append(Alerta(regla, grupo, texto, "alta" if lejano else "media", math.nan))
    return Evaluacion(alertas, evaluados)


def _caida(regla: Regla, tabla: pd.DataFrame, metas: pd.DataFrame, minimo: int) -> Evaluacion:
    """Alertas de la regla 'caida_significativa' y grupos evaluados."""
    _, sentido = tendencias.meta_y_sentido(regla.kpi, metas)
    unidad = tendencias.indicador(regla.kpi).unidad
    alertas, evaluados = [], 0
    for grupo, (actual, anterior) in _periodos(tabla).items():
        e_actual, e_anterior = (tendencias.estimar_indicador(regla.kpi, f) for f in (actual, anterior))
        prueba = tendencias.comparar_indicador(regla.kpi, actual, anterior)
        if prueba is None or min(e_actual.n, e_anterior.n) < minimo:
            continue
        evaluados += 1
        if prueba.p >= regla.alfa or not _peor(prueba.diferencia, sentido):
            continue
        verbo = "bajó" if prueba.diferencia < 0 else "subió"
        texto = (f"{tendencias.sujeto(regla.kpi, grupo)} {verbo} "
                 f"{tendencias.magnitud(prueba.diferencia, unidad)} en los últimos {regla.dias} días frente a los "
                 f"{regla.dias} anteriores: de {tendencias.formatear(e_anterior.valor, unidad)} a "
                 f"{tendencias.formatear(e_actual.valor, unidad)} (cambio significativo, "
                 f"{tendencias.texto_p(prueba.p)}).")
        alertas.append(Alerta(regla, grupo, texto, "alta" if prueba.p < 0.01 else "media", prueba.p))
    return Evaluacion(alertas, evaluados)


def _cambio_reciente(regla: Regla, serie: pd.DataFrame, metas: pd.DataFrame, minimo: int,
                     hasta) -> Evaluacion:
    """Alertas de la regla 'punto_de_cambio' (el último cambio, si es reciente, a peor y significativo)
    y grupos evaluados (los que tienen alguna semana con ``minimo`` casos)."""
    _, sentido = tendencias.meta_y_sentido(regla.kpi, metas)
    limite = hasta - timedelta(days=regla.dias)
    alertas, evaluados = [], 0
    for grupo, filas in serie.groupby("grupo", sort=True):
        if not any(tendencias.estimar_indicador(regla.kpi, f).n >= minimo for f in filas.to_dict("records")):
            continue
        evaluados += 1
        lista = tendencias.cambios(regla.kpi, filas, muestra_minima=minimo, alfa=regla.alfa)
        reciente = [c for c in lista if c.periodo >= limite and c.comparacion is not None
                    and c.comparacion.significativo and _peor(c.diferencia, sentido)]
        if reciente:
            cambio = reciente[-1]
            alertas.append(Alerta(regla, str(grupo), tendencias.describir_cambio(regla.kpi, cambio, str(grupo)),
                                  "alta", cambio.comparacion.p))
    return Evaluacion(alertas, evaluados)


def pedidos(reglas: list[Regla], filtros) -> dict[Regla, Pedido]:
    """Qué datos necesita cada regla activa para evaluarse (``Pedido``); nada sin fecha final.

    Quien llama trae los datos de cada pedido (en la interfaz, ``datos.consultas.tendencias.datos_de_alerta``
    por ``paginas.comun.consultar``) y se los da a ``evaluar_reglas``: el análisis no llama a nadie.
    """
    if filtros.hasta is None:
        return {}
    return {regla: _pedido(regla, filtros) for regla in reglas if regla.activa}


def evaluar(datos: Mapping[Regla, pd.DataFrame], filtros, *, metas: pd.DataFrame, muestra_minima: int,
            privacidad: int = 0) -> list[Alerta]:
    """Las alertas de ``evaluar_reglas`` (misma firma), las más graves primero."""
    return evaluar_reglas(datos, filtros, metas=metas, muestra_minima=muestra_minima, privacidad=privacidad).alertas


def evaluar_reglas(datos: Mapping[Regla, pd.DataFrame], filtros, *, metas: pd.DataFrame, muestra_minima: int,
                   privacidad: int = 0) -> Evaluacion:
    """Evalúa las reglas: las alertas, las más graves primero, y cuántos grupos se evaluaron.

    Parameters
    ----------
    datos : para cada regla de ``pedidos(reglas, filtros)``, la tabla que trajo su ``Pedido``.
    filtros : ``datos.consultas.Filtros`` de la barra lateral; las ventanas de las reglas
        terminan en ``filtros.hasta``.
    metas : tabla ``metas`` (``kpi``, ``meta``, ``sentido``).
    muestra_minima : n por debajo del cual un grupo no genera alertas.
    privacidad : umbral de privacidad por segmento; un grupo con menos casos tampoco genera
        alertas aunque la muestra mínima configurada sea menor (0: sin umbral).
    """
    if muestra_minima < 1:
        raise ValueError("'muestra_minima' debe ser al menos 1")
    if filtros.hasta is None:
        return Evaluacion([], 0)
    minimo = max(muestra_minima, privacidad)
    alertas, evaluados = [], 0
    for regla, tabla in datos.items():
        if regla.tipo == "punto_de_cambio":
            parcial = _cambio_reciente(regla, tabla, metas, minimo, filtros.hasta)
        else:
            evaluador = _bajo_meta if regla.tipo == "bajo_meta" else _caida
            parcial = evaluador(regla, tabla, metas, minimo)
        alertas += parcial.alertas
        evaluados += parcial.evaluados
    ordenadas = sorted(alertas, key=lambda a: (_GRAVEDADES.index(a.gravedad), 1.0 if math.isnan(a.p) else a.p))
    return Evaluacion(ordenadas, evaluados)
