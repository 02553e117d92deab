"""Competencias: puntajes de auditoría en la escala común, resultados de los clientes por agente y calibración de auditores."""


import ibis
from ibis.expr.types import Table

from datos.consultas.filtros import Filtros, encuestas, entre_fechas, filtrar, interacciones
from datos.consultas.tendencias import MOTIVOS_QUEJA

__all__ = ['DIAS_QUEJA_POSTERIOR', 'LIMITE_AUDITORIAS_DOBLES', 'RESULTADOS_CLIENTE', 'RONDAS', 'auditorias_dobles', 'auditorias_filtradas', 'calificaciones_por_auditor', 'con_agente', 'detalle_auditoria', 'escalas_de_auditorias', 'estandar_competencias', 'puntajes_auditorias', 'puntajes_competencias', 'resultados_por_agente', 'temas_capacitacion']


#: Duración de una ronda de auditoría para comparar el progreso entre rondas.
RONDAS = ("mes", "trimestre", "semestre")

#: Resultados de los clientes que se pueden ligar a las competencias de su agente.
RESULTADOS_CLIENTE = ("csat", "nps", "fcr", "sin_queja")

#: Días tras un contacto en los que una queja o reclamo del mismo cliente cuenta como queja posterior.
DIAS_QUEJA_POSTERIOR = 7

#: Tope de filas de auditorías dobles (interacciones auditadas por dos o más auditores) que se traen.
LIMITE_AUDITORIAS_DOBLES = 200_000


def auditorias_filtradas(con: ibis.BaseBackend, filtros: Filtros) -> Table:
    """Auditorías del periodo; canal, sucursal y tipo de cliente son los de la interacción auditada."""
    t = con.table("auditorias")
    condiciones = entre_fechas(t.fecha, filtros.desde, filtros.hasta)
    if filtros.canales or filtros.sucursales or filtros.tipos_cliente:
        contactos = interacciones(con, Filtros(canales=filtros.canales, sucursales=filtros.sucursales,
                                               tipos_cliente=filtros.tipos_cliente))
        condiciones.append(t.interaccion_id.isin(contactos.interaccion_id))
    if filtros.equipos:
        agentes = con.table("agentes")
        condiciones.append(t.agente_id.isin(agentes.filter(agentes.equipo.isin(list(filtros.equipos))).agente_id))
    return filtrar(t, condiciones)


def _valor_comun(valor: ibis.Value, escala: ibis.Value, escalas: tuple[tuple[str, float, float], ...]) -> ibis.Value:
    """``(valor − mínimo) / (máximo − mínimo)`` según la escala de la auditoría; NULL si la escala no se conoce."""
    if not escalas:
        raise ValueError("'escalas' debe tener al menos una escala (código, mínimo, máximo)")
    ramas = [(escala == codigo, (valor - minimo) / (maximo - minimo)) for codigo, minimo, maximo in escalas]
    return ibis.cases(*ramas, else_=ibis.null("float64"))


def _inicio_de_ronda(fecha: ibis.Value, ronda: str) -> ibis.Value:
    """Primer día del mes, trimestre o semestre de cada fecha."""
    if ronda not in RONDAS:
        raise ValueError(f"'ronda' debe ser uno de {list(RONDAS)}, no {ronda!r}")
    if ronda == "semestre":
        return ibis.date(fecha.year(), ibis.ifelse(fecha.month() <= 6, 1, 7), 1)
    return fecha.truncate({"mes": "M", "trimestre": "Q"}[ronda]).cast("date")


def _calificaciones(con: ibis.BaseBackend, filtros: Filtros, escalas: tuple[tuple[str, float, float], ...],
                    ronda: str | None = None) -> Table:
    """Una fila por auditoría y competencia, con el valor original y el convertido (``valor_comun``, NULL = N/A)."""
    a = auditorias_filtradas(con, filtros)
    c = con.table("auditoria_competencias")
    t = c.join(a, c.auditoria_id == a.auditoria_id).select(
        c.auditoria_id, a.fecha, a.agente_id, a.auditor, a.interaccion_id, a.escala, c.competencia, c.valor,
        valor_comun=_valor_comun(c.valor, a.escala, escalas),
    )
    return t.mutate(ronda=_inicio_de_ronda(t.fecha, ronda)) if ronda else t


def con_agente(con: ibis.BaseBackend, tabla: Table) -> Table:
    """Añade nombre, equipo, supervisor y rol de servicio del agente (vacíos si no está en ``agentes``)."""
    agentes = con.table("agentes").select("agente_id", "nombre", "equipo", "supervisor", "rol_servicio")
    return tabla.left_join(agentes, "agente_id").drop("agente_id_right")


def _sumas(valor: ibis.Value) -> dict[str, ibis.Value]:
    """Conteo de valores no nulos, suma y suma de cuadrados: de ellos salen la media y su intervalo."""
    return {"n": valor.count(), "suma": valor.sum(), "suma2": (valor * valor).sum()}


def puntajes_competencias(con: ibis.BaseBackend, filtros: Filtros, escalas: tuple[tuple[str, float, float], ...],
                          ronda: str | None = None) -> Table:
    """Por agente y competencia (y ronda, si se pide): ``n``, ``suma`` y ``suma2`` del valor en escala común.

    ``escalas`` son ternas (código, mínimo, máximo): un valor ``v`` de una auditoría en esa
    escala vale ``(v − mínimo) / (máximo − mínimo)`` (1–5 → (v − 1)/4, 0–100 → v/100,
    cumple/no cumple → 1/0). Las respuestas N/A no cuentan. Trae además los datos del agente.
    """
    t = _calificaciones(con, filtros, escalas, ronda)
    t = t.filter(t.valor_comun.notnull())
    claves = ["agente_id", "competencia"] + (["ronda"] if ronda else [])
    return con_agente(con, t.group_by(claves).aggregate(**_sumas(t.valor_comun)))


def _puntaje_por_auditoria(con: ibis.BaseBackend, filtros: Filtros, escalas: tuple[tuple[str, float, float], ...],
                           umbral_critico: float, ronda: str | None) -> Table:
    """Una fila por auditoría con su puntaje global (0..1) y si falló por un error crítico.

    Puntaje = Σ peso·valor / Σ peso de las competencias respondidas (las N/A salen y su peso se
    reparte). Falla (puntaje 0) si tiene un error crítico registrado o una competencia crítica con
    valor común menor que ``umbral_critico``. Sin ninguna competencia respondida, el puntaje es NULL.
    """
    t = _calificaciones(con, filtros, escalas, ronda)
    estandar = con.table("competencias")
    t = t.left_join(estandar.select("competencia", "peso", "critica"), "competencia")
    respondida = t.valor_comun.notnull()
    peso = ibis.coalesce(t.peso, 1.0)
    claves = ["auditoria_id", "agente_id", "auditor"] + (["ronda"] if ronda else [])
    por_auditoria = t.group_by(claves).aggregate(
        ponderado=ibis.ifelse(respondida, peso * t.valor_comun, 0.0).sum(),
        peso_respondido=ibis.ifelse(respondida, peso, 0.0).sum(),
        critica_fallida=(ibis.coalesce(t.critica, False) & ibis.coalesce(t.valor_comun < umbral_critico, False)).any(),
    )
    errores = con.table("auditoria_errores_criticos")
    fallida = por_auditoria.critica_fallida | por_auditoria.auditoria_id.isin(errores.auditoria_id)
    return por_auditoria.mutate(
        fallida=fallida,
        puntaje=ibis.ifelse(por_auditoria.peso_respondido > 0,
                            ibis.ifelse(fallida, 0.0, por_auditoria.ponderado / por_auditoria.peso_respondido),
                            ibis.null("float64")),
    )


def puntajes_auditorias(con: ibis.BaseBackend, filtros: Filtros, escalas: tuple[tuple[str, float, float], ...],
                        umbral_critico: float, ronda: str | None = None) -> Table:
    """Por agente (y ronda): ``n``, ``suma`` y ``suma2`` del puntaje global de sus auditorías y ``fallidas``.

    El puntaje de cada auditoría sigue las reglas de ``_puntaje_por_auditoria`` (pesos, N/A
    repartidas, errores críticos). Trae además los datos del agente.
    """
    t = _puntaje_por_auditoria(con, filtros, escalas, umbral_critico, ronda)
    t = t.filter(t.puntaje.notnull())
    claves = ["agente_id"] + (["ronda"] if ronda else [])
    return con_agente(con, t.group_by(claves).aggregate(fallidas=t.fallida.sum(), **_sumas(t.puntaje)))


def detalle_auditoria(con: ibis.BaseBackend, filtros: Filtros, escalas: tuple[tuple[str, float, float], ...],
                      minimo: int = 1) -> Table:
    """Las competencias de la auditoría más reciente del filtro de un agente con al menos ``minimo``
    auditorías en el filtro (para explicar el puntaje con un ejemplo sin mostrar a quien no llega
    al umbral de privacidad por persona).

    Columnas: ``auditoria_id``, ``fecha``, ``agente_id``, ``auditor``, ``escala``, ``competencia``,
    ``valor``, ``valor_comun`` y ``errores`` (errores críticos registrados, separados por '; ', o NULL).
    """
    todas = auditorias_filtradas(con, filtros)
    conteo = todas.group_by("agente_id").aggregate(auditorias=todas.count())
    suficientes = conteo.filter(conteo.auditorias >= minimo).agente_id
    ultima = todas.filter(todas.agente_id.isin(suficientes)) \
        .order_by([ibis.desc("fecha"), ibis.desc("auditoria_id")]).limit(1)
    t = _calificaciones(con, filtros, escalas)
    t = t.filter(t.auditoria_id.isin(ultima.auditoria_id))
    errores = con.table("auditoria_errores_criticos")
    errores = errores.group_by("auditoria_id").aggregate(errores=errores.error.group_concat("; "))
    return t.left_join(errores, "auditoria_id").drop("auditoria_id_right", "interaccion_id")


def escalas_de_auditorias(con: ibis.BaseBackend, filtros: Filtros) -> Table:
    """Cuántas auditorías del filtro hay en cada escala (``escala``, ``n_auditorias``)."""
    t = auditorias_filtradas(con, filtros)
    return t.group_by("escala").aggregate(n_auditorias=t.count()).order_by(ibis.desc("n_auditorias"))


def _sin_queja_posterior(con: ibis.BaseBackend) -> Table:
    """Por interacción, 1 si el mismo cliente no volvió con una queja o reclamo en ``DIAS_QUEJA_POSTERIOR`` días.

    Se calcula sobre todas las interacciones, para que cuente también una queja fuera del filtro.
    """
    t = con.table("interacciones")
    ventana = ibis.window(group_by=t.cliente_id, order_by=t.fecha_inicio)
    siguiente, motivo = t.fecha_inicio.lead().over(ventana), t.motivo.lead().over(ventana)
    queja = (t.cliente_id.notnull() & (siguiente <= t.fecha_inicio + ibis.interval(days=DIAS_QUEJA_POSTERIOR))
             & motivo.strip().lower().isin(list(MOTIVOS_QUEJA)))
    return t.select("interaccion_id", sin_queja=ibis.ifelse(ibis.coalesce(queja, False), 0.0, 1.0))


def resultados_por_agente(con: ibis.BaseBackend, filtros: Filtros, resultado: str) -> Table:
    """Resultados de los clientes de cada agente, en celdas agente × canal × motivo (``n``, ``suma``, ``suma2``).

    ``resultado``: 'csat' (1–5) o 'nps' (+100 promotor, 0 pasivo, −100 detractor: su media es el
    NPS) de las encuestas ligadas a una interacción del agente; 'fcr' (1 si la interacción se
    resolvió sin recontacto, 0 si no) o 'sin_queja' (1 si el cliente no volvió con una queja o
    reclamo en ``DIAS_QUEJA_POSTERIOR`` días) de sus interacciones. Canal y motivo son los de la
    interacción ('(sin dato)' si faltan), para poder ajustar por ellos.
    """
    if resultado not in RESULTADOS_CLIENTE:
        raise ValueError(f"'resultado' debe ser uno de {list(RESULTADOS_CLIENTE)}, no {resultado!r}")
    if resultado == "fcr":
        t = interacciones(con, filtros)
        t = t.select("agente_id", "canal", "motivo", y=t.fcr.cast("float64"))
    elif resultado == "sin_queja":
        t = interacciones(con, filtros)
        marcas = _sin_queja_posterior(con)
        t = t.join(marcas, t.interaccion_id == marcas.interaccion_id).select(
            t.agente_id, t.canal, t.motivo, y=marcas.sin_queja)
    else:
        e, i = encuestas(con, filtros), con.table("interacciones")
        y = e.csat if resultado == "csat" else ibis.cases((e.nps >= 9, 100.0), (e.nps <= 6, -100.0),
                                                          (e.nps.notnull(), 0.0), else_=ibis.null("float64"))
        t = e.join(i, e.interaccion_id == i.interaccion_id).select(i.agente_id, i.canal, i.motivo, y=y)
    t = t.filter(t.y.notnull(), t.agente_id.notnull())
    t = t.mutate(canal=ibis.coalesce(t.canal, "(sin dato)"), motivo=ibis.coalesce(t.motivo, "(sin dato)"))
    return t.group_by(["agente_id", "canal", "motivo"]).aggregate(**_sumas(t.y))


def calificaciones_por_auditor(con: ibis.BaseBackend, filtros: Filtros,
                               escalas: tuple[tuple[str, float, float], ...]) -> Table:
    """Por auditor y agente auditado: ``n`` calificaciones no N/A, su ``suma`` en escala común y ``auditorias``."""
    t = _calificaciones(con, filtros, escalas)
    t = t.filter(t.valor_comun.notnull(), t.auditor.notnull())
    return t.group_by(["auditor", "agente_id"]).aggregate(
        auditorias=t.auditoria_id.nunique(), **_sumas(t.valor_comun))


def auditorias_dobles(con: ibis.BaseBackend, filtros: Filtros, escalas: tuple[tuple[str, float, float], ...],
                      limite: int = LIMITE_AUDITORIAS_DOBLES) -> Table:
    """Calificaciones de las interacciones auditadas por dos o más auditores distintos (a lo sumo ``limite`` filas).

    Columnas: ``unidad`` (la interacción), ``auditor``, ``auditoria_id``, ``fecha``, ``competencia``,
    ``escala``, ``valor`` y ``valor_comun``. Sirven para medir el acuerdo entre auditores.
    """
    t = _calificaciones(con, filtros, escalas)
    t = t.filter(t.interaccion_id.notnull(), t.auditor.notnull())
    dobles = t.group_by("interaccion_id").aggregate(auditores=t.auditor.nunique())
    dobles = dobles.filter(dobles.auditores >= 2)
    t = t.filter(t.interaccion_id.isin(dobles.interaccion_id))
    return t.select(unidad=t.interaccion_id, auditor=t.auditor, auditoria_id=t.auditoria_id, fecha=t.fecha,
                    competencia=t.competencia, escala=t.escala, valor=t.valor, valor_comun=t.valor_comun) \
        .order_by(["unidad", "fecha", "auditoria_id", "competencia"]).limit(limite)


def estandar_competencias(con: ibis.BaseBackend) -> Table:
    """El estándar: ``competencia``, ``nombre``, ``orden``, ``meta`` (escala común 0..1), ``peso`` y ``critica``."""
    return con.table("competencias").order_by("orden")


def temas_capacitacion(con: ibis.BaseBackend) -> Table:
    """Pares ``competencia``/``tema``: qué temas de capacitación trabajan cada competencia."""
    return con.table("temas_capacitacion").order_by(["tema", "competencia"])
