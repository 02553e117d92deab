"""Una ronda de envíos: qué toca, para quién, con qué cifras, y la historia de cada entrega.

``enviar_pendientes(con, momento)`` es lo que llaman la línea de órdenes (``python -m datos.envios``),
la página «Envíos y alertas» y el trabajador en segundo plano. Para cada suscripción activa y cada
destinatario:

1. decide si toca (``datos.avisos.calendario``; con ``todos=True``, todas ahora);
2. arma los filtros como la barra lateral: el periodo, el alcance de la suscripción y, si el
   destinatario tiene cuenta en Eslabón, el alcance de esa cuenta (``con_alcance``); una cuenta
   desactivada no recibe nada;
3. calcula con ``datos.avisos.cifras`` (las mismas consultas y umbrales de privacidad que la página);
4. entrega con reintentos y anota el resultado en ``entregas_envios`` y en la bitácora.

Una entrega fallida queda en la historia y la página la muestra; como el envío sigue sin haber
salido bien en su ciclo, la ronda siguiente lo vuelve a intentar.
"""

import json
import os
import time
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime

import duckdb
import ibis
import pandas as pd

from analisis import capacitacion, informes
from analisis.formato import cantidad, fecha
from datos.avisos import cifras, mensajes
from datos.avisos.calendario import inicio_del_ciclo, periodo_cerrado, toca
from datos.avisos.entrega import (CorreoNoConfigurado, Mensaje, Resultado, ServidorCorreo, con_reintentos,
                                  destino_webhook, enviar_correo, enviar_webhook, webhook_predeterminado)
from datos.avisos.suscripciones import INFORMES, Envio, leer_envios
from datos.consultas import competencias as consultas_competencias
from datos.consultas import resumen as consultas_resumen
from datos.consultas.filtros import Filtros, con_alcance, ventana_de_meses
from datos.cuentas.usuarios import Usuario, cuenta_por_usuario, registrar

__all__ = ["Entrega", "Informe", "enviar_pendientes", "envios_programados", "enlace_de_la_app", "RONDA_REALIMENTACION",
           "MESES_REALIMENTACION", "RESULTADO_REALIMENTACION"]

#: Ronda de auditoría con que los informes enviados miden el progreso (como la página, por defecto).
RONDA_REALIMENTACION = "trimestre"
#: Meses de auditorías que cubre un informe de realimentación enviado (como la página, por defecto).
MESES_REALIMENTACION = 12
#: Resultado de los clientes que prioriza el plan de un informe enviado (el primero de la página).
RESULTADO_REALIMENTACION = "csat"


@dataclass(frozen=True)
class Entrega:
    """Una entrega de una ronda: informe, canal ('correo' o 'webhook'), destino y cómo terminó."""

    informe: str
    canal: str
    destino: str
    enviado: bool
    intentos: int
    asunto: str
    error: str | None = None


@dataclass(frozen=True)
class Informe:
    """Lo que hizo una ronda de envíos: sus entregas y las notas de lo que no hizo falta enviar."""

    momento: datetime
    entregas: tuple[Entrega, ...]
    notas: tuple[str, ...] = ()

    @property
    def enviados(self) -> int:
        """Entregas que salieron bien."""
        return sum(e.enviado for e in self.entregas)

    @property
    def fallidos(self) -> int:
        """Entregas que fallaron tras todos sus intentos."""
        return sum(not e.enviado for e in self.entregas)

    def texto(self) -> str:
        """El informe de la ronda en español, una línea por entrega y una de totales."""
        lineas = []
        for e in self.entregas:
            if e.enviado:
                lineas.append(f"Enviado: {INFORMES[e.informe]} a {e.destino} ({cantidad(e.intentos, 'intento', 'intentos')}).")
            else:
                lineas.append(f"FALLÓ: {INFORMES[e.informe]} a {e.destino} tras "
                              f"{cantidad(e.intentos, 'intento', 'intentos')}: {e.error} Se reintentará en la próxima "
                              "ronda.")
        lineas += list(self.notas)
        lineas.append(f"{cantidad(self.enviados, 'entrega enviada', 'entregas enviadas')}, "
                      f"{cantidad(self.fallidos, 'fallida', 'fallidas')}.")
        return "\n".join(lineas)


def enlace_de_la_app() -> str | None:
    """La dirección de la aplicación para los enlaces de los correos (``ESLABON_URL``)."""
    return os.environ.get("ESLABON_URL", "").strip() or None


def _consultar_en(con: duckdb.DuckDBPyConnection) -> cifras.Consultar:
    """``consultar(consulta, *argumentos)`` sobre el DuckDB de ``con`` (sin caché)."""
    backend = ibis.duckdb.from_connection(con)
    return lambda funcion, *argumentos: funcion(backend, *argumentos).to_pandas()


class _Ronda:
    """Estado de una ronda: conexión, consultas, umbrales y lo ya calculado para cada alcance."""

    def __init__(self, con, momento: datetime, consultar: cifras.Consultar, *, todos: bool, autor: str,
                 dormir: Callable[[float], None]):
        self.con, self.momento, self.consultar, self.todos, self.autor, self.dormir = (
            con, momento, consultar, todos, autor, dormir)
        self.muestra_minima = cifras.umbral(consultar, "muestra_minima")
        self.privacidad = cifras.umbral(consultar, "privacidad_respuestas")
        self.auditorias_minimas = cifras.umbral(consultar, "auditorias_minimas")
        rango = consultar(consultas_resumen.rango_de_fechas)
        ultima = rango["ultima"].iloc[0] if len(rango) else None
        self.ultimo_dato = None if ultima is None or pd.isna(ultima) else pd.Timestamp(ultima).date()
        self.enlace = enlace_de_la_app()
        try:
            self.servidor, self.sin_correo = ServidorCorreo.del_entorno(), None
        except CorreoNoConfigurado as error:
            self.servidor, self.sin_correo = None, error
        self._hechos: dict[tuple, object] = {}
        self.entregas: list[Entrega] = []
        self.notas: list[str] = []

    def calculado(self, clave: tuple, calcular: Callable[[], object]):
        """``calcular()`` una sola vez por ronda para cada ``clave`` (mismo informe y mismos filtros)."""
        if clave not in self._hechos:
            self._hechos[clave] = calcular()
        return self._hechos[clave]


def _ultimo_envio(con, clave: str, canal: str, destino: str) -> datetime | None:
    """Momento de la última entrega que salió bien de esa suscripción a ese destino."""
    return con.execute("SELECT max(momento) FROM entregas_envios WHERE clave = ? AND canal = ? AND destino = ? "
                       "AND estado = 'enviado'", [clave, canal, destino]).fetchall()[0][0]


def _alertas_ya_enviadas(con, clave: str, canal: str, destino: str, desde: datetime) -> set[str]:
    """Firmas de las alertas que ya salieron bien a ese destino desde ``desde`` (el ciclo en curso)."""
    filas = con.execute("SELECT alertas FROM entregas_envios WHERE clave = ? AND canal = ? AND destino = ? "
                        "AND estado = 'enviado' AND momento >= ? AND alertas IS NOT NULL",
                        [clave, canal, destino, desde]).fetchall()
    return {firma for (lista,) in filas for firma in json.loads(lista)}


def _cuenta_desactivada(con, direccion: str) -> bool:
    """True si ``direccion`` es el usuario de una cuenta de Eslabón desactivada."""
    return con.execute("SELECT count(*) FROM usuarios WHERE usuario = ? AND NOT activo",
                       [direccion]).fetchall()[0][0] > 0


def _filtros(envio: Envio, cuenta: Usuario | None, desde, hasta) -> Filtros:
    """El periodo y el alcance de la suscripción, limitados al de la cuenta del destinatario (si la tiene)."""
    elegidos = Filtros(desde=desde, hasta=hasta, sucursales=envio.sucursales, equipos=envio.equipos)
    if cuenta is None:
        return elegidos
    return con_alcance(elegidos, sucursales=cuenta.sucursales, equipos=cuenta.equipos)


def _mensaje_resumen(ronda: _Ronda, envio: Envio, filtros: Filtros) -> Mensaje:
    """El resumen del último ciclo cerrado, con sus alertas."""
    tarjetas = cifras.tarjetas_del_periodo(ronda.consultar, filtros, muestra_minima=ronda.muestra_minima,
                                           privacidad=ronda.privacidad)
    lista = cifras.alertas_del_periodo(ronda.consultar, filtros, muestra_minima=ronda.muestra_minima,
                                       privacidad=ronda.privacidad).alertas
    return mensajes.mensaje_resumen(tarjetas, lista, frecuencia=envio.frecuencia, filtros=filtros,
                                    ultimo_dato=ronda.ultimo_dato, enlace=ronda.enlace)


def _resultados_realimentacion(ronda: _Ronda, filtros: Filtros) -> tuple[list[informes.Informe], str]:
    """Los informes de los equipos del alcance y el texto de su ventana de auditorías."""
    ventana = ventana_de_meses(filtros, MESES_REALIMENTACION)
    texto = f"Del {fecha(ventana.desde)} al {fecha(ventana.hasta)}"
    if ronda.consultar(consultas_competencias.escalas_de_auditorias, ventana).empty:
        return [], texto
    por_ronda = ronda.consultar(consultas_competencias.puntajes_competencias, ventana, cifras.ESCALAS,
                                RONDA_REALIMENTACION)
    disponibles = sorted(por_ronda["ronda"].unique()) if len(por_ronda) else []
    antes, despues = (disponibles[-2], disponibles[-1]) if len(disponibles) >= 2 else (None, None)
    rondas = (f"{capacitacion.etiqueta_ronda(antes, RONDA_REALIMENTACION)} frente a "
              f"{capacitacion.etiqueta_ronda(despues, RONDA_REALIMENTACION)}" if antes is not None
              else "no hay dos rondas con auditorías en la ventana")
    datos = cifras.resultados_de_realimentacion(
        ronda.consultar, ventana, por_ronda=por_ronda, antes=antes, despues=despues, periodo=texto, rondas=rondas,
        resultado=RESULTADO_REALIMENTACION, minimo=ronda.auditorias_minimas)
    return informes.informes_de_equipos(datos), texto


def _mensaje(ronda: _Ronda, envio: Envio, cuenta: Usuario | None, canal: str,
             destino: str) -> tuple[Mensaje | None, list[str]]:
    """El mensaje de ``envio`` para un destinatario, y las firmas de las alertas que lleva.

    None si no hay nada nuevo (una suscripción de alertas sin alertas nuevas en el ciclo).
    """
    if envio.informe == "alertas":
        hasta = min(ronda.ultimo_dato, ronda.momento.date()) if ronda.ultimo_dato else ronda.momento.date()
        filtros = _filtros(envio, cuenta, None, hasta)
        lista = ronda.calculado(("alertas", filtros), lambda: cifras.alertas_del_periodo(
            ronda.consultar, filtros, muestra_minima=ronda.muestra_minima, privacidad=ronda.privacidad).alertas)
        if not ronda.todos:
            ya = _alertas_ya_enviadas(ronda.con, envio.clave, canal, destino, inicio_del_ciclo(envio.frecuencia,
                                                                                           ronda.momento))
            lista = [a for a in lista if mensajes.firma_alerta(a) not in ya]
        if not lista:
            return None, []
        return (mensajes.mensaje_alertas(lista, filtros=filtros, enlace=ronda.enlace),
                [mensajes.firma_alerta(a) for a in lista])
    desde, hasta = periodo_cerrado(envio.frecuencia, ronda.momento)
    filtros = _filtros(envio, cuenta, desde, hasta)
    if envio.informe == "resumen":
        return ronda.calculado(("resumen", envio.frecuencia, filtros),
                               lambda: _mensaje_resumen(ronda, envio, filtros)), []
    lista, ventana = ronda.calculado(("realimentacion", filtros), lambda: _resultados_realimentacion(ronda, filtros))
    return mensajes.mensaje_realimentacion(lista, ventana=ventana, filtros=filtros, enlace=ronda.enlace), []


def _entregar(ronda: _Ronda, canal: str, destino: str, mensaje: Mensaje, url: str | None) -> Resultado:
    """Envía ``mensaje`` por su canal con reintentos (sin servidor de correo, falla sin intentar)."""
    if canal == "webhook":
        return con_reintentos(lambda: enviar_webhook(url, mensaje), dormir=ronda.dormir)
    if ronda.servidor is None:
        return Resultado(False, 0, ronda.sin_correo.mensaje)
    return con_reintentos(lambda: enviar_correo(ronda.servidor, destino, mensaje), dormir=ronda.dormir)


def _anotar(ronda: _Ronda, envio: Envio, entrega: Entrega, firmas: list[str]) -> None:
    """Deja la entrega en ``entregas_envios`` y en la bitácora."""
    ronda.con.execute(
        "INSERT INTO entregas_envios (clave, informe, canal, destino, momento, estado, intentos, asunto, error, "
        "alertas) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
        [envio.clave, envio.informe, entrega.canal, entrega.destino, ronda.momento,
         "enviado" if entrega.enviado else "fallido", entrega.intentos, entrega.asunto, entrega.error,
         json.dumps(firmas, ensure_ascii=False) if firmas else None])
    estado = "enviado" if entrega.enviado else f"fallido tras {entrega.intentos} intentos: {entrega.error}"
    registrar(ronda.con, ronda.autor, f"enviar {INFORMES[entrega.informe].lower()}",
              f"{entrega.destino}: {entrega.asunto} ({estado})")
    ronda.entregas.append(entrega)


def _destinos(envio: Envio) -> list[tuple[str, str, str | None]]:
    """(canal, destino anotado, url) de cada entrega de ``envio``: un correo por dirección y, para alertas
    y resúmenes, su webhook (el de la suscripción o, en las alertas, ``ESLABON_WEBHOOK``)."""
    destinos = [("correo", direccion, None) for direccion in envio.para]
    url = envio.webhook or (webhook_predeterminado() if envio.informe == "alertas" else None)
    if url and envio.informe != "realimentacion":
        destinos.append(("webhook", destino_webhook(url), url))
    return destinos


def _procesar(ronda: _Ronda, envio: Envio, alta: datetime) -> None:
    """Las entregas que tocan de una suscripción en esta ronda."""
    for canal, destino, url in _destinos(envio):
        if envio.informe != "alertas" and not ronda.todos and not toca(
                envio.frecuencia, ronda.momento, ultimo_envio=_ultimo_envio(ronda.con, envio.clave, canal, destino),
                alta=alta):
            continue
        cuenta = cuenta_por_usuario(ronda.con, destino) if canal == "correo" else None
        if canal == "correo" and cuenta is None and _cuenta_desactivada(ronda.con, destino):
            ronda.notas.append(f"No se envió {INFORMES[envio.informe].lower()} a {destino}: su cuenta de Eslabón "
                               "está desactivada.")
            continue
        mensaje, firmas = _mensaje(ronda, envio, cuenta, canal, destino)
        if mensaje is None:
            ronda.notas.append(f"Sin alertas nuevas para {destino}.")
            continue
        resultado = _entregar(ronda, canal, destino, mensaje, url)
        _anotar(ronda, envio, Entrega(envio.informe, canal, destino, resultado.enviado, resultado.intentos,
                                      mensaje.asunto, resultado.error), firmas)


def enviar_pendientes(con: duckdb.DuckDBPyConnection, momento: datetime, *, todos: bool = False,
                      consultar: cifras.Consultar | None = None, autor: str = "envíos automáticos",
                      dormir: Callable[[float], None] = time.sleep) -> Informe:
    """Envía lo que toca en ``momento`` (con ``todos=True``, todas las suscripciones activas ahora).

    Parameters
    ----------
    con : cursor DuckDB del almacén (suscripciones, historia, cuentas, bitácora).
    momento : la hora de la ronda: decide qué toca y qué periodo cubre cada resumen.
    todos : enviar todas las suscripciones activas sin mirar su calendario (``--ahora``); las
        alertas van todas, no solo las nuevas.
    consultar : cómo se ejecutan las consultas (``Motor.consultar`` con el motor configurado);
        por defecto, en el DuckDB de ``con``.
    autor : quién figura en la bitácora.
    dormir : la espera entre reintentos (las pruebas la cambian).

    Returns
    -------
    Informe con cada entrega (enviada o fallida) y notas de lo que no hizo falta enviar.
    """
    ronda = _Ronda(con, momento, consultar or _consultar_en(con), todos=todos, autor=autor, dormir=dormir)
    suscripciones = leer_envios(con, solo_activos=True)
    if not suscripciones:
        ronda.notas.append("No hay suscripciones activas: configúrelas en «Envíos y alertas» o en el archivo de "
                           "configuración ([[envios]]).")
    for envio, alta in suscripciones:
        _procesar(ronda, envio, alta)
    return Informe(momento, tuple(ronda.entregas), tuple(ronda.notas))


def envios_programados(con: duckdb.DuckDBPyConnection, instante: datetime) -> str | None:
    """El trabajo «Envíos» del trabajador (``datos.servicio.programa``): lo que toca en ``instante``.

    ``None`` si no tocaba nada; si no, cuántas entregas salieron y cuántas fallaron (quedan en la historia).
    """
    informe = enviar_pendientes(con, instante)
    return informe.texto() if informe.enviados or informe.fallidos else None
