"""Los números del dominio, en un solo lugar: escalas, cortes de NPS y CSAT, confianza y remuestras.

Las consultas (``datos.consultas``), los análisis y los textos de la interfaz los leen de aquí;
ninguno repite el número. Cuando la organización configure sus propias escalas, este módulo
es lo que cambia de fuente.

>>> ESCALA_NPS, PROMOTOR_DESDE, DETRACTOR_HASTA
((0, 10), 9, 6)
>>> texto_detractor()
'CSAT 1–2 o NPS 0–6'
>>> round(Z_95, 4)
1.96
"""

from scipy import stats

__all__ = ["ESCALA_CSAT", "ESCALA_NPS", "ESCALA_CES", "ESCALAS_RESULTADO", "CSAT_SATISFECHO", "CSAT_INSATISFECHO_HASTA",
           "PROMOTOR_DESDE", "PASIVO_DESDE", "DETRACTOR_HASTA", "CONFIANZA", "Z_95", "REMUESTRAS_CADENA",
           "REMUESTRAS_ACUERDO", "DIAS_RECONTACTO", "IMPORTANCIA_ALTA", "ERROR_PERCENTIL_HISTOGRAMA",
           "texto_detractor", "texto_escala", "texto_ventana_fcr"]

#: Escala de la satisfacción del cliente (CSAT): 1 muy insatisfecho … 5 muy satisfecho.
ESCALA_CSAT = (1, 5)
#: Escala de la recomendación (NPS): 0 … 10.
ESCALA_NPS = (0, 10)
#: Escala del esfuerzo del cliente (CES): 1 … 7.
ESCALA_CES = (1, 7)
#: Escala de cada resultado del cliente, como números reales (centros y rangos de los análisis).
ESCALAS_RESULTADO: dict[str, tuple[float, float]] = {"csat": (1.0, 5.0), "nps": (0.0, 10.0), "ces": (1.0, 7.0)}

#: CSAT desde el que una respuesta cuenta como satisfecha (top-2-box: 4 y 5).
CSAT_SATISFECHO = 4
#: CSAT hasta el que una respuesta cuenta como insatisfecha (bottom-2-box: 1 y 2).
CSAT_INSATISFECHO_HASTA = 2
#: NPS desde el que una respuesta es de un promotor (9 y 10).
PROMOTOR_DESDE = 9
#: NPS desde el que una respuesta es de un pasivo (7 y 8).
PASIVO_DESDE = 7
#: NPS hasta el que una respuesta es de un detractor (0 a 6).
DETRACTOR_HASTA = 6

#: Ventana de seguimiento de la resolución al primer contacto (FCR): un contacto resuelto cuenta
#: como FCR si el mismo cliente no vuelve por el mismo motivo en estos días.
DIAS_RECONTACTO = 7

#: Error relativo máximo de la mediana y el p90 de los tiempos leídos del histograma de los agregados
#: diarios (``datos.almacen.agregados``): cubetas logarítmicas en que todo valor dista a lo sumo un 1 %
#: del representante de su cubeta.
ERROR_PERCENTIL_HISTOGRAMA = 0.01

#: Nivel de confianza de todos los intervalos que se muestran.
CONFIANZA = 0.95
#: Cuantil normal del intervalo del 95 % (1,959964…).
Z_95 = float(stats.norm.ppf(0.5 + CONFIANZA / 2))

#: Remuestras bootstrap del eslabón más débil.
REMUESTRAS_CADENA = 200
#: Una etapa de la cadena «pesa mucho» en el resultado si su parte del R² llega a esta fracción del reparto parejo
#: (1/k con k etapas en el modelo): 1 es el corte de Martilla y James (1977), la importancia media de las etapas.
IMPORTANCIA_ALTA = 1.0
#: Remuestras bootstrap del intervalo del alfa de Krippendorff (acuerdo entre auditores).
REMUESTRAS_ACUERDO = 200


def texto_escala(escala: tuple[float, float]) -> str:
    """Una escala como la lee un usuario: ``(0, 10)`` → ``'0–10'``.

    >>> texto_escala(ESCALA_CSAT)
    '1–5'
    """
    return f"{escala[0]:g}–{escala[1]:g}"


def texto_detractor() -> str:
    """Qué respuesta cuenta como la de un cliente insatisfecho, en palabras de la interfaz."""
    return (f"CSAT {texto_escala((ESCALA_CSAT[0], CSAT_INSATISFECHO_HASTA))} o "
            f"NPS {texto_escala((ESCALA_NPS[0], DETRACTOR_HASTA))}")


def texto_ventana_fcr() -> str:
    """Qué contactos quedan fuera de la resolución al primer contacto (ventana censurada), para la interfaz.

    >>> texto_ventana_fcr().startswith("No cuentan los contactos aún abiertos")
    True
    """
    return (f"No cuentan los contactos aún abiertos ni los de los últimos {DIAS_RECONTACTO} días de los datos: "
            f"su ventana de {DIAS_RECONTACTO} días no ha cerrado y aún no se sabe si el cliente volverá.")
