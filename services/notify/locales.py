"""Translations of the templates' English strings; a missing string falls back to English."""

from __future__ import annotations

DEFAULT_LANGUAGE = "en"

CATEGORY_LABELS = {
    "en": {
        "account": "account messages",
        "polls": "poll announcements",
        "reminders": "poll reminders",
        "results": "poll results",
        "recall": "recall petitions and votes",
        "events": "meetings and events",
        "newsletters": "newsletters",
        "all": "all optional messages",
    },
    "es": {
        "account": "mensajes de la cuenta",
        "polls": "anuncios de votaciones",
        "reminders": "recordatorios de votaciones",
        "results": "resultados de votaciones",
        "recall": "peticiones y votaciones revocatorias",
        "events": "reuniones y eventos",
        "newsletters": "boletines",
        "all": "todos los mensajes opcionales",
    },
    "fr": {
        "account": "messages du compte",
        "polls": "annonces de scrutins",
        "reminders": "rappels de scrutins",
        "results": "résultats des scrutins",
        "recall": "pétitions et votes de révocation",
        "events": "réunions et événements",
        "newsletters": "lettres d'information",
        "all": "tous les messages facultatifs",
    },
}

MESSAGES: dict[str, dict[str, str]] = {
    "es": {
        "Hello %(name)s,": "Hola %(name)s:",
        "Councils": "Councils",
        "To stop receiving these messages (%(category)s), open: %(url)s":
            "Para dejar de recibir estos mensajes (%(category)s), abre: %(url)s",
        "Unsubscribe from %(category)s": "Darse de baja de %(category)s",
        "Confirm your email address": "Confirma tu dirección de correo",
        "Welcome to Councils! Please confirm your email address by opening this link:":
            "¡Bienvenida/o a Councils! Confirma tu dirección de correo abriendo este enlace:",
        "Confirm my email address": "Confirmar mi dirección de correo",
        "If you did not register, you can ignore this message.":
            "Si no te has registrado, puedes ignorar este mensaje.",
        "Councils: confirm your email address: %(url)s":
            "Councils: confirma tu dirección de correo: %(url)s",
        "New poll: %(title)s": "Nueva votación: %(title)s",
        'A new poll is open for you: "%(title)s".':
            'Hay una nueva votación abierta para ti: «%(title)s».',
        "It closes on %(closes_at)s.": "Se cierra el %(closes_at)s.",
        "Vote here:": "Vota aquí:",
        'Councils: new poll "%(title)s", closes %(closes_at)s. %(url)s':
            "Councils: nueva votación «%(title)s», cierra %(closes_at)s. %(url)s",
        "Reminder: %(title)s closes soon": "Recordatorio: %(title)s cierra pronto",
        'The poll "%(title)s" closes on %(closes_at)s.':
            "La votación «%(title)s» se cierra el %(closes_at)s.",
        "If you have not voted yet, there is still time:":
            "Si todavía no has votado, aún estás a tiempo:",
        'Councils: "%(title)s" closes %(closes_at)s. Vote: %(url)s':
            "Councils: «%(title)s» cierra %(closes_at)s. Vota: %(url)s",
        "Results: %(title)s": "Resultados: %(title)s",
        'The poll "%(title)s" is closed.': "La votación «%(title)s» se ha cerrado.",
        "See the results:": "Consulta los resultados:",
        'Councils: "%(title)s" is closed. Results: %(url)s':
            "Councils: «%(title)s» se ha cerrado. Resultados: %(url)s",
    },
    "fr": {
        "Hello %(name)s,": "Bonjour %(name)s,",
        "Councils": "Councils",
        "To stop receiving these messages (%(category)s), open: %(url)s":
            "Pour ne plus recevoir ces messages (%(category)s), ouvrez : %(url)s",
        "Unsubscribe from %(category)s": "Se désabonner des %(category)s",
        "Confirm your email address": "Confirmez votre adresse électronique",
        "Welcome to Councils! Please confirm your email address by opening this link:":
            "Bienvenue dans Councils ! Confirmez votre adresse électronique en ouvrant ce lien :",
        "Confirm my email address": "Confirmer mon adresse électronique",
        "If you did not register, you can ignore this message.":
            "Si vous ne vous êtes pas inscrit·e, ignorez ce message.",
        "Councils: confirm your email address: %(url)s":
            "Councils : confirmez votre adresse électronique : %(url)s",
        "New poll: %(title)s": "Nouveau scrutin : %(title)s",
        'A new poll is open for you: "%(title)s".':
            "Un nouveau scrutin vous est ouvert : « %(title)s ».",
        "It closes on %(closes_at)s.": "Il se termine le %(closes_at)s.",
        "Vote here:": "Votez ici :",
        'Councils: new poll "%(title)s", closes %(closes_at)s. %(url)s':
            "Councils : nouveau scrutin « %(title)s », fin %(closes_at)s. %(url)s",
        "Reminder: %(title)s closes soon": "Rappel : %(title)s se termine bientôt",
        'The poll "%(title)s" closes on %(closes_at)s.':
            "Le scrutin « %(title)s » se termine le %(closes_at)s.",
        "If you have not voted yet, there is still time:":
            "Si vous n'avez pas encore voté, il est encore temps :",
        'Councils: "%(title)s" closes %(closes_at)s. Vote: %(url)s':
            "Councils : « %(title)s » se termine %(closes_at)s. Votez : %(url)s",
        "Results: %(title)s": "Résultats : %(title)s",
        'The poll "%(title)s" is closed.': "Le scrutin « %(title)s » est clos.",
        "See the results:": "Voir les résultats :",
        'Councils: "%(title)s" is closed. Results: %(url)s':
            "Councils : « %(title)s » est clos. Résultats : %(url)s",
    },
}

LANGUAGES = (DEFAULT_LANGUAGE, *MESSAGES)


def language_of(value: str | None) -> str:
    """The supported language closest to `value` ('es-AR' → 'es'), else English."""
    if not value:
        return DEFAULT_LANGUAGE
    primary = value.strip().lower().replace("_", "-").split("-")[0]
    return primary if primary in LANGUAGES else DEFAULT_LANGUAGE


def category_label(language: str, category: str) -> str:
    labels = CATEGORY_LABELS.get(language, CATEGORY_LABELS[DEFAULT_LANGUAGE])
    return labels.get(category) or CATEGORY_LABELS[DEFAULT_LANGUAGE].get(category, category)
