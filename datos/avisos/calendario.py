"""Cuándo toca cada envío y qué periodo cubre (funciones puras de fechas).

Cada frecuencia tiene ciclos: la diaria, cada día; la semanal, de lunes a domingo; la mensual, el mes
calendario. Un envío toca en la primera ronda de un ciclo en que todavía no salió bien (el del lunes
sale con la primera ronda del lunes; si falló, la siguiente ronda lo intenta de nuevo). Un resumen
cubre el último ciclo cerrado: el de un lunes, la semana de lunes a domingo que acaba de terminar.
"""

from datetime import date, datetime, timedelta

__all__ = ["inicio_del_ciclo", "periodo_cerrado", "toca", "NOMBRES_PERIODO"]

#: Cómo se llama el resumen de cada frecuencia en un asunto ("Resumen semanal").
NOMBRES_PERIODO = {"diaria": "diario", "semanal": "semanal", "mensual": "mensual"}


def _validar(frecuencia: str) -> None:
    """Falla con un mensaje claro si ``frecuencia`` no es diaria, semanal o mensual."""
    if frecuencia not in NOMBRES_PERIODO:
        raise ValueError(f"'frecuencia' debe ser 'diaria', 'semanal' o 'mensual', no {frecuencia!r}")


def inicio_del_ciclo(frecuencia: str, momento: datetime) -> datetime:
    """Medianoche del día, del lunes o del día 1 en que empezó el ciclo en curso.

    >>> inicio_del_ciclo("semanal", datetime(2026, 10, 28, 9, 30))
    datetime.datetime(2026, 10, 26, 0, 0)
    >>> inicio_del_ciclo("mensual", datetime(2026, 10, 28, 9, 30))
    datetime.datetime(2026, 10, 1, 0, 0)
    """
    _validar(frecuencia)
    dia = momento.date()
    if frecuencia == "semanal":
        dia -= timedelta(days=dia.weekday())
    elif frecuencia == "mensual":
        dia = dia.replace(day=1)
    return datetime.combine(dia, datetime.min.time())


def periodo_cerrado(frecuencia: str, momento: datetime) -> tuple[date, date]:
    """(desde, hasta), ambos inclusivos, del último ciclo completo antes de ``momento``.

    >>> periodo_cerrado("semanal", datetime(2026, 10, 26, 7))
    (datetime.date(2026, 10, 19), datetime.date(2026, 10, 25))
    >>> periodo_cerrado("mensual", datetime(2026, 11, 1, 7))
    (datetime.date(2026, 10, 1), datetime.date(2026, 10, 31))
    >>> periodo_cerrado("diaria", datetime(2026, 11, 1, 7))
    (datetime.date(2026, 10, 31), datetime.date(2026, 10, 31))
    """
    hasta = inicio_del_ciclo(frecuencia, momento).date() - timedelta(days=1)
    return inicio_del_ciclo(frecuencia, datetime.combine(hasta, datetime.min.time())).date(), hasta


def toca(frecuencia: str, momento: datetime, *, ultimo_envio: datetime | None, alta: datetime) -> bool:
    """True si el envío aún no salió bien en el ciclo en curso y ya existía cuando empezó.

    Una suscripción dada de alta a mitad de un ciclo espera al siguiente (su primer resumen
    cubre un periodo completo). ``ultimo_envio`` es la última entrega que salió bien (None: ninguna).

    >>> lunes = datetime(2026, 10, 26, 8)
    >>> toca("semanal", lunes, ultimo_envio=None, alta=datetime(2026, 10, 1))
    True
    >>> toca("semanal", lunes, ultimo_envio=datetime(2026, 10, 26, 7), alta=datetime(2026, 10, 1))
    False
    >>> toca("semanal", lunes, ultimo_envio=None, alta=datetime(2026, 10, 26, 7, 59))
    False
    """
    inicio = inicio_del_ciclo(frecuencia, momento)
    if ultimo_envio is not None:
        return ultimo_envio < inicio
    return alta < inicio
