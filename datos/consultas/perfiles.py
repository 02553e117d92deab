"""Perfiles de clientes: una fila por cliente con sus rasgos (``analisis.perfiles``)."""


import ibis
from ibis.expr.types import Table

from analisis.escalas import DETRACTOR_HASTA, PASIVO_DESDE, PROMOTOR_DESDE
from datos.consultas.filtros import Filtros, encuestas, interacciones, muestra_por_hash
from datos.consultas.resumen import rango_de_fechas
from datos.consultas.tendencias import MOTIVOS_QUEJA

__all__ = ['caracteristicas_clientes', 'nombres_perfiles']


def _limites_ventana(con: ibis.BaseBackend, filtros: Filtros) -> Table:
    """Una fila con ``inicio`` y ``fin`` (fechas) de la ventana: los filtros o, si faltan, el rango de los datos."""
    rango = rango_de_fechas(con)
    inicio = ibis.date(filtros.desde.isoformat()) if filtros.desde else rango.primera
    fin = ibis.date(filtros.hasta.isoformat()) if filtros.hasta else rango.ultima
    return rango.select(inicio=inicio, fin=fin)


def _rasgos_de_contactos(contactos: Table, canales: tuple[str, ...]) -> Table:
    """Por cliente: contactos, el último, la mezcla de canales y las proporciones de quejas,
    promesas incumplidas y escalamientos (cada una sobre los contactos con ese dato)."""
    contactos = contactos.filter(contactos.cliente_id.notnull())
    con_canal = contactos.canal.count()
    mezcla = {f"canal_{canal}": (contactos.canal == canal).sum() / ibis.ifelse(con_canal > 0, con_canal, None)
              for canal in canales}
    queja = contactos.motivo.strip().lower().isin(list(MOTIVOS_QUEJA))
    return contactos.group_by("cliente_id").aggregate(
        n_contactos=contactos.count(),
        ultimo_contacto=contactos.fecha_inicio.max().cast("date"),
        n_motivo=contactos.motivo.count(),
        n_quejas=queja.sum(),
        quejas=queja.cast("float64").mean(),
        promesas_incumplidas=(~contactos.promesa_cumplida).cast("float64").mean(),
        escalados=contactos.escalado.cast("float64").mean(),
        **mezcla,
    )


def _rasgos_de_encuestas(respuestas: Table) -> Table:
    """Por cliente: conteos y sumas de CSAT y NPS (para los KPI) y medias de CSAT, NPS y CES."""
    respuestas = respuestas.filter(respuestas.cliente_id.notnull())
    return respuestas.group_by("cliente_id").aggregate(
        n_csat=respuestas.csat.count(),
        suma_csat=respuestas.csat.sum(),
        suma2_csat=(respuestas.csat * respuestas.csat).sum(),
        n_nps=respuestas.nps.count(),
        promotores=(respuestas.nps >= PROMOTOR_DESDE).sum(),
        detractores=(respuestas.nps <= DETRACTOR_HASTA).sum(),
        csat=respuestas.csat.mean(),
        nps_media=respuestas.nps.mean(),
        ces=respuestas.ces.mean(),
    )


def _clase_nps(nps_media: ibis.Value) -> ibis.Value:
    """Clase NPS de una nota media: 'promotor' (≥ 9), 'pasivo' (≥ 7), 'detractor' (< 7) o NULL."""
    return ibis.cases((nps_media >= PROMOTOR_DESDE, "promotor"), (nps_media >= PASIVO_DESDE, "pasivo"),
                      (nps_media.notnull(), "detractor"))


def caracteristicas_clientes(con: ibis.BaseBackend, filtros: Filtros, canales: tuple[str, ...] = (),
                             maximo: int | None = None, alcance: Filtros = Filtros()) -> Table:
    """Una fila por cliente con los rasgos con que ``analisis.perfiles`` forma perfiles.

    Filtros que respeta:

    - **periodo** (``desde``/``hasta``): ventana de la que salen los rasgos de comportamiento
      (contactos y encuestas); un extremo ``None`` es el primer o el último dato. Antigüedad y
      recencia se miden hasta el fin de la ventana.
    - **tipo de cliente**: qué clientes entran.
    - **canal, sucursal, equipo**: entran solo los clientes con al menos un contacto en la ventana
      que cumple esos filtros; sus rasgos usan igualmente *todos* sus contactos de la ventana (si
      no, la mezcla de canales de quien filtra por un canal sería siempre 100 % ese canal).
    - **alcance** (sucursales y equipos que la persona puede ver, ``con_alcance``): los rasgos
      solo usan los contactos y encuestas de ese alcance, para que ninguna cifra venga de otra
      sucursal o equipo.

    Columnas: ``cliente_id``; categóricas ``tipo_cliente``, ``segmento``, ``region`` y ``nps_clase``
    ('promotor', 'pasivo' o 'detractor' según la nota NPS media del cliente); numéricas
    ``antiguedad_anios``, ``contactos_mes`` (contactos por mes de 30,44 días, contados desde el
    alta o desde el inicio de la ventana si es posterior), ``recencia_dias`` (días desde el último
    contacto), ``canal_<canal>`` (proporción de sus contactos por cada canal de ``canales``),
    ``quejas`` (proporción de contactos por un motivo de ``MOTIVOS_QUEJA``), ``promesas_incumplidas``,
    ``escalados``, ``csat`` y ``ces`` (medias); y los conteos de los KPI por perfil: ``n_contactos``,
    ``n_motivo``, ``n_quejas``, ``n_csat``, ``suma_csat``, ``suma2_csat``, ``n_nps``, ``promotores``
    y ``detractores``. Sin contactos o sin encuestas en la ventana, esos rasgos quedan NULL (y los
    contactos al mes en 0).

    Con ``maximo``, si hay más clientes se toma una muestra determinista de ese tamaño (los de
    menor MD5 de ``cliente_id``, igual en todos los motores). Las filas salen ordenadas por ``cliente_id``.
    """
    if maximo is not None and maximo < 1:
        raise ValueError("'maximo' debe ser un entero positivo o None")
    clientes = con.table("clientes")
    if filtros.tipos_cliente:
        clientes = clientes.filter(clientes.tipo_cliente.isin(list(filtros.tipos_cliente)))
    if filtros.canales or filtros.sucursales or filtros.equipos:
        elegidos = interacciones(con, Filtros(filtros.desde, filtros.hasta, filtros.canales, filtros.sucursales,
                                              equipos=filtros.equipos))
        clientes = clientes.filter(clientes.cliente_id.isin(elegidos.cliente_id))
    visibles = Filtros(filtros.desde, filtros.hasta, sucursales=alcance.sucursales, equipos=alcance.equipos)
    contactos = _rasgos_de_contactos(interacciones(con, visibles), canales)
    respuestas = _rasgos_de_encuestas(encuestas(con, visibles))
    t = (clientes.left_join(contactos, "cliente_id").left_join(respuestas, "cliente_id")
         .cross_join(_limites_ventana(con, filtros)))
    dias = t.fin.delta(ibis.greatest(t.inicio, t.fecha_alta.fill_null(t.inicio)), unit="day") + 1
    t = t.select(
        "cliente_id", "tipo_cliente", "segmento", "region",
        antiguedad_anios=ibis.ifelse(t.fecha_alta > t.fin, 0, t.fin.delta(t.fecha_alta, unit="day")).cast("float64")
        / 365.25,
        contactos_mes=ibis.ifelse(dias > 0, t.n_contactos.fill_null(0) / (dias.cast("float64") / 30.4375), None),
        recencia_dias=t.fin.delta(t.ultimo_contacto, unit="day").cast("float64"),
        **{f"canal_{canal}": t[f"canal_{canal}"] for canal in canales},
        quejas=t.quejas, promesas_incumplidas=t.promesas_incumplidas, escalados=t.escalados,
        csat=t.csat, nps_clase=_clase_nps(t.nps_media), ces=t.ces,
        **{conteo: t[conteo].fill_null(0) for conteo in (
            "n_contactos", "n_motivo", "n_quejas", "n_csat", "suma_csat", "suma2_csat", "n_nps", "promotores",
            "detractores")},
    )
    if maximo is not None:
        t = muestra_por_hash(t, "cliente_id", maximo)
    return t.order_by("cliente_id")


def nombres_perfiles(con: ibis.BaseBackend) -> Table:
    """Nombres que los usuarios dieron a perfiles de clientes: ``firma`` del perfil y ``nombre``."""
    return con.table("nombres_perfiles").select("firma", "nombre")
