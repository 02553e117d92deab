"""Cadena de servicio: etapas, calificaciones por encuestado, vista operativa y sumas por lote en el motor (``analisis.cadena``)."""


import ibis
from ibis.expr.types import Table

from analisis.cadena import sumas as contrato
from analisis.escalas import ESCALAS_RESULTADO
from datos.consultas import percentiles
from datos.consultas.filtros import Filtros, encuestas, interacciones, muestra_por_hash

__all__ = ['LIMITE_RESPUESTAS_CADENA', 'calificaciones_por_respuesta', 'conteo_encuestas', 'distribucion_etapas', 'etapas_cadena', 'operacion_etapas', 'sumas_cadena']


#: Tope de encuestados que se traen para ajustar el modelo de la cadena. Por encima, el motor
#: elige una muestra reproducible: los de menor MD5 de ``respuesta_id``, que equivale a un sorteo.
LIMITE_RESPUESTAS_CADENA = 200_000


def etapas_cadena(con: ibis.BaseBackend) -> Table:
    """Etapas configuradas de la cadena de servicio, en orden: ``etapa``, ``orden`` y ``meta`` (media 1–5)."""
    return con.table("etapas").order_by(["orden", "etapa"])


def _etapas_calificadas(con: ibis.BaseBackend, filtros: Filtros) -> Table:
    """Filas de ``encuesta_etapas`` con calificación, de las encuestas que pasan los filtros."""
    respuestas = encuestas(con, filtros)
    c = con.table("encuesta_etapas")
    return c.filter(c.calificacion.notnull(), c.respuesta_id.isin(respuestas.respuesta_id))


def distribucion_etapas(con: ibis.BaseBackend, filtros: Filtros) -> Table:
    """Reparto de las calificaciones de cada etapa: una fila por ``etapa`` y ``valor`` (redondeado).

    Columnas ``n`` (respuestas), ``suma`` y ``suma2`` (de la calificación sin redondear, para
    la media exacta y su intervalo). Cubre todas las respuestas filtradas, sin muestreo.
    """
    c = _etapas_calificadas(con, filtros)
    return c.group_by(etapa=c.etapa, valor=c.calificacion.round()).aggregate(
        n=c.count(), suma=c.calificacion.sum(), suma2=(c.calificacion * c.calificacion).sum(),
    ).order_by(["etapa", "valor"])


def calificaciones_por_respuesta(con: ibis.BaseBackend, filtros: Filtros, etapas: tuple[str, ...], *,
                                 limite: int = LIMITE_RESPUESTAS_CADENA) -> Table:
    """Una fila por encuestado que calificó alguna de ``etapas``, con una columna por etapa.

    El pivote se hace en el motor. Columnas: ``tipo_cliente``, ``canal``, ``sucursal``,
    ``csat``, ``nps``, ``ces``, ``satisfecho`` (1 si el CSAT es 4 o 5, 0 si es menor, vacío
    sin CSAT) y una columna por etapa con su calificación (vacía si no la calificó). Con
    más de ``limite`` encuestas filtradas se toman las ``limite`` de menor MD5 de ``respuesta_id``,
    una muestra aleatoria reproducible (la misma para los mismos datos y filtros), y de ellas
    quedan las que tienen alguna calificación de etapa. Muestrear antes de cruzar con las
    calificaciones evita una semiunión con toda la tabla de calificaciones.
    Los nombres de etapa no deben coincidir con los de las columnas fijas.
    """
    if not etapas:
        raise ValueError("'etapas' debe nombrar al menos una etapa")
    c = con.table("encuesta_etapas")
    calificadas = c.filter(c.calificacion.notnull(), c.etapa.isin(list(etapas)))
    t = muestra_por_hash(encuestas(con, filtros), "respuesta_id", limite)
    t = t.select("respuesta_id", "tipo_cliente", "canal", "sucursal", "csat", "nps", "ces")
    unidas = t.join(calificadas.select("respuesta_id", "etapa", "calificacion"), "respuesta_id")
    ancho = unidas.group_by(list(t.columns)).aggregate(**{
        etapa: unidas.calificacion.max(where=unidas.etapa == etapa) for etapa in etapas
    })
    return ancho.mutate(satisfecho=(ancho.csat >= 4).cast("float64")).select(
        "tipo_cliente", "canal", "sucursal", "csat", "nps", "ces", "satisfecho", *etapas)


def conteo_encuestas(con: ibis.BaseBackend, filtros: Filtros) -> Table:
    """Una fila con ``n``: encuestas que pasan los filtros (para avisar cuando se muestrea)."""
    t = encuestas(con, filtros)
    return t.aggregate(n=t.count())


def operacion_etapas(con: ibis.BaseBackend, filtros: Filtros) -> Table:
    """Indicadores operativos por etapa de las interacciones filtradas (una fila por ``etapa``).

    Conteos: ``n_interacciones``; ``n_promesa`` e ``incumplidas`` (promesa no cumplida);
    ``n_escalado`` y ``escaladas``; ``resueltas`` y ``reabiertas`` (resueltas a las que el mismo
    cliente volvió por el mismo motivo antes de ``DIAS_RECONTACTO`` días), ambas solo entre los
    contactos cuya ventana de recontacto ya cerró (``fcr`` no vacío, ver ``datos.almacen.derivados``). Tiempos:
    ``respuesta_mediana``/``respuesta_p90`` (minutos) y ``resolucion_mediana``/``resolucion_p90``
    (horas). CSAT de las encuestas que responden a esas interacciones: ``n_csat``,
    ``suma_csat``, ``suma2_csat`` y ``csat_top2``.
    """
    t = interacciones(con, filtros)
    operacion = t.group_by("etapa").aggregate(
        n_interacciones=t.count(),
        n_promesa=t.promesa_cumplida.count(),
        incumplidas=(~t.promesa_cumplida).sum(),
        n_escalado=t.escalado.count(),
        escaladas=t.escalado.sum(),
        resueltas=(t.resuelto & t.fcr.notnull()).sum(),
        reabiertas=(t.resuelto & ~t.fcr).sum(),
        respuesta_mediana=percentiles.percentil(con, t.tiempo_respuesta_min, 0.5),
        respuesta_p90=percentiles.percentil(con, t.tiempo_respuesta_min, 0.9),
        resolucion_mediana=percentiles.percentil(con, t.tiempo_resolucion_h, 0.5),
        resolucion_p90=percentiles.percentil(con, t.tiempo_resolucion_h, 0.9),
    )
    e = con.table("encuestas")
    e = e.join(t.select("interaccion_id", "etapa"), "interaccion_id")
    satisfaccion = e.group_by("etapa").aggregate(
        n_csat=e.csat.count(), suma_csat=e.csat.sum(), suma2_csat=(e.csat * e.csat).sum(),
        csat_top2=(e.csat >= 4).sum(),
    )
    return operacion.left_join(satisfaccion, "etapa").drop("etapa_right").order_by("etapa")


_HEXADECIMAL = "0123456789abcdef"
_CIFRAS_LOTE, _CIFRAS_RUIDO = 4, 5  # cifras hexadecimales del MD5 para el lote (16 bits) y el ruido (20 bits)


def _entero_hexadecimal(hexa: ibis.Value, inicio: int, cifras: int) -> ibis.Value:
    """El número que escriben ``cifras`` cifras hexadecimales de ``hexa`` desde ``inicio`` (aritmética portable).

    Se calcula en coma flotante, exacta con menos de 13 cifras (2⁵²): en enteros, Spark (modo ANSI)
    haría las cuentas en 32 bits y fallaría por desbordamiento.
    """
    digitos = [ibis.literal(_HEXADECIMAL).find(hexa.substr(posicion, 1)).cast("float64")
               for posicion in range(inicio, inicio + cifras)]
    valor = digitos[0]
    for digito in digitos[1:]:
        valor = valor * 16 + digito
    return valor


def _columna_cadena(i: int) -> str:
    """Nombre interno de la columna ``i`` (etapas, resultado, ruido) en las sumas de la cadena."""
    return f"c{i}"


def sumas_cadena(con: ibis.BaseBackend, filtros: Filtros, etapas: tuple[str, ...], resultado: str,
                 escala: tuple[float, float] = (1.0, 5.0), segmento: str | None = None, *,
                 lotes: int | None = None) -> Table:
    """Estadísticos suficientes por lote de la cadena de servicio, con TODOS los encuestados del filtro.

    El motor pivota ``encuesta_etapas`` a una fila por encuestado que calificó alguna de
    ``etapas`` (como ``calificaciones_por_respuesta``, pero sin tope), añade el ``resultado``
    (uno de ``analisis.escalas.ESCALAS_RESULTADO``) y una variable de ruido, reparte a los
    encuestados en ``lotes`` lotes y devuelve una fila pequeña por lote: solo salen del motor
    ``lotes`` filas (None: ``contrato.LOTES``). Con ``segmento`` (una de ``contrato.SEGMENTOS``)
    hay una fila por segmento y lote, con la columna ``segmento`` (vacía si la encuesta no lo
    tiene), y ``lotes`` es por segmento (None: ``contrato.LOTES_SEGMENTO``).

    Lote y ruido salen del MD5 de ``respuesta_id`` (cifras hexadecimales convertidas con
    aritmética de cadenas, igual en DuckDB, Spark y cualquier motor SQL; la función ``hash``
    de cada motor es distinta): lote = 4 cifras módulo ``lotes``; ruido = 5 cifras más,
    uniforme en (−½, ½), independiente de los datos. Así el reparto y el ruido son los mismos
    en todos los motores y para los mismos datos.

    Las columnas (``lote``, ``filas``, ``cruzados_i_j``, ``centro_i``…) son las del contrato
    ``analisis.cadena.sumas`` (``contrato``), de donde salen sus nombres, los centros y el
    top-2-box: ``analisis.cadena.analizar_cadena_agregada`` las lee con esos mismos nombres.
    """
    if isinstance(etapas, str) or not etapas:
        raise ValueError("'etapas' debe nombrar al menos una etapa")
    if resultado not in ESCALAS_RESULTADO:
        raise ValueError(f"'resultado' debe ser uno de {list(ESCALAS_RESULTADO)}, no {resultado!r}")
    if segmento is not None and segmento not in contrato.SEGMENTOS:
        raise ValueError(f"'segmento' debe ser None o uno de {list(contrato.SEGMENTOS)}, no {segmento!r}")
    if lotes is None:
        lotes = contrato.LOTES if segmento is None else contrato.LOTES_SEGMENTO
    if isinstance(lotes, bool) or not isinstance(lotes, int) or lotes < 1:
        raise ValueError("'lotes' debe ser un entero positivo")
    if len(escala) != 2 or not escala[0] < escala[1]:
        raise ValueError("'escala' debe ser un par (mínimo, máximo) con mínimo < máximo")
    t = encuestas(con, filtros)
    c = con.table("encuesta_etapas")
    c = c.filter(c.calificacion.notnull(), c.etapa.isin(list(etapas)))
    ancho = c.group_by("respuesta_id").aggregate(**{  # pivote antes de cruzar: el cruce es de uno a uno
        _columna_cadena(i): c.calificacion.max(where=c.etapa == nombre) for i, nombre in enumerate(etapas)
    })
    # El MD5 se calcula una vez por encuesta, antes del cruce (después se leería de nuevo por cada cifra).
    md5 = t.respuesta_id.hexdigest("md5").substr(0, _CIFRAS_LOTE + _CIFRAS_RUIDO)
    claves = {contrato.SEGMENTO: t[segmento]} if segmento else {}
    ancho = ancho.join(t.select("respuesta_id", resultado, md5=md5, **claves), "respuesta_id")
    ancho = ancho.mutate(
        **{contrato.LOTE: (_entero_hexadecimal(ancho.md5, 0, _CIFRAS_LOTE) % lotes).cast("int64")},
        **{_columna_cadena(len(etapas)): ancho[resultado],
           _columna_cadena(len(etapas) + 1): (_entero_hexadecimal(ancho.md5, _CIFRAS_LOTE, _CIFRAS_RUIDO) + 0.5)
           / 2 ** (4 * _CIFRAS_RUIDO) - 0.5})
    centros = contrato.centros(len(etapas), escala, resultado)
    grupos = [*claves, contrato.LOTE]
    return _sumas_por_lote(ancho, centros, escala, len(etapas), grupos).order_by(grupos)


def _sumas_por_lote(ancho: Table, centros: list[float], escala: tuple[float, float], k: int,
                    grupos: list[str]) -> Table:
    """Agrega por ``grupos`` (el lote, y el segmento si lo hay) las sumas de ``sumas_cadena`` sobre las columnas ``c0..c{q-1}`` de ``ancho``.

    Antes de agregar se calculan una vez por fila vᵢ (centrada, 0 si falta), vᵢ² y mᵢ.
    """
    q = len(centros)
    crudas = [ancho[_columna_cadena(i)] for i in range(q)]
    ancho = ancho.mutate(**{f"v{i}": (columna - centro).fill_null(0.0)
                            for i, (columna, centro) in enumerate(zip(crudas, centros))},
                         **{f"m{i}": columna.notnull().cast("float64") for i, columna in enumerate(crudas)})
    ancho = ancho.mutate(**{f"w{i}": ancho[f"v{i}"] * ancho[f"v{i}"] for i in range(q)})
    v, m, w = ([ancho[f"{letra}{i}"] for i in range(q)] for letra in "vmw")
    crudas = [ancho[_columna_cadena(i)] for i in range(q)]
    umbral = contrato.umbral_alto(escala)
    columna = contrato.columna
    sumas = {contrato.FILAS: ancho.count()}
    for i in range(q):
        for j in range(q):
            if i <= j:
                sumas[columna("cruzados", i, j)] = (v[i] * v[j]).sum()
                sumas[columna("pares", i, j)] = (m[i] * m[j]).sum()
            sumas[columna("sumas", i, j)] = (v[i] * m[j]).sum()
            sumas[columna("cuadrados", i, j)] = (w[i] * m[j]).sum()
    for i in range(k):
        sumas[columna("altas", i)] = (crudas[i] >= umbral).cast("int64").fill_null(0).sum()
        sumas[columna("suma_bajas", i)] = ibis.ifelse(crudas[i] < umbral, crudas[i], 0.0).fill_null(0.0).sum()
    constantes = {columna("centro", i): ibis.literal(float(centro)) for i, centro in enumerate(centros)}
    constantes.update({contrato.ESCALA_MINIMO: ibis.literal(float(escala[0])),
                       contrato.ESCALA_MAXIMO: ibis.literal(float(escala[1]))})
    return ancho.group_by(grupos).aggregate(**sumas).mutate(**constantes)
