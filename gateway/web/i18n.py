"""Strings for people, in the languages notify speaks (en, es, fr).

Every string the pages show goes through a Translator: the English text is the message id
(as gettext does), so a translator works from `CATALOGUES` and a missing translation falls back
to English. Placeholders use str.format names: `_("{n} of {total}", n=1, total=3)`.
"""

from __future__ import annotations

from collections.abc import Iterable

LANGUAGES = ("en", "es", "fr")
LANGUAGE_NAMES = {"en": "English", "es": "Español", "fr": "Français"}

CATALOGUES: dict[str, dict[str, str]] = {
    "es": {
        "Skip to main content": "Saltar al contenido principal",
        "Home": "Inicio",
        "Log in": "Iniciar sesión",
        "Log out": "Cerrar sesión",
        "Join": "Unirse",
        "Create a poll": "Crear una votación",
        "Language": "Idioma",
        "Email address": "Correo electrónico",
        "Password": "Contraseña",
        "Open polls": "Votaciones abiertas",
        "Newest chapters": "Secciones más recientes",
        "Founding-convention targets": "Objetivos de la convención fundacional",
        "Review your ballot": "Revisar tu papeleta",
        "Cast my ballot": "Emitir mi voto",
        "Change": "Cambiar",
        "Your receipt": "Tu recibo",
        "Copy receipt": "Copiar recibo",
        "Results": "Resultados",
        "Check my ballot": "Comprobar mi voto",
        "Move up": "Subir",
        "Move down": "Bajar",
        "Not ranked": "Sin clasificar",
        "Agree": "De acuerdo",
        "Stand aside": "Me aparto",
        "Agree with a concern": "De acuerdo con una reserva",
        "Block": "Bloquear",
        "Reason": "Motivo",
        "Winner": "Ganador",
        "Winners": "Ganadores",
        "Round {n}": "Ronda {n}",
        "{count} of {n} selected": "{count} de {n} seleccionadas",
        "{name} moved to rank {rank} of {n}": "{name} pasó al puesto {rank} de {n}",
    },
    "fr": {
        "Skip to main content": "Aller au contenu principal",
        "Home": "Accueil",
        "Log in": "Se connecter",
        "Log out": "Se déconnecter",
        "Join": "Adhérer",
        "Create a poll": "Créer un scrutin",
        "Language": "Langue",
        "Email address": "Adresse e-mail",
        "Password": "Mot de passe",
        "Open polls": "Scrutins ouverts",
        "Newest chapters": "Sections les plus récentes",
        "Founding-convention targets": "Objectifs de la convention fondatrice",
        "Review your ballot": "Vérifier votre bulletin",
        "Cast my ballot": "Voter",
        "Change": "Modifier",
        "Your receipt": "Votre reçu",
        "Copy receipt": "Copier le reçu",
        "Results": "Résultats",
        "Check my ballot": "Vérifier mon bulletin",
        "Move up": "Monter",
        "Move down": "Descendre",
        "Not ranked": "Non classé",
        "Agree": "D'accord",
        "Stand aside": "Je m'abstiens de bloquer",
        "Agree with a concern": "D'accord avec une réserve",
        "Block": "Bloquer",
        "Reason": "Raison",
        "Winner": "Gagnant",
        "Winners": "Gagnants",
        "Round {n}": "Tour {n}",
        "{count} of {n} selected": "{count} sur {n} sélectionnées",
        "{name} moved to rank {rank} of {n}": "{name} est maintenant au rang {rank} sur {n}",
    },
}


def _merge() -> None:
    """The catalogues of the pages (one module per language) join the core strings above."""
    from gateway.web.catalogue_es import ES
    from gateway.web.catalogue_fr import FR

    for language, extra in (("es", ES), ("fr", FR)):
        for message, text in extra.items():
            CATALOGUES[language].setdefault(message, text)


_merge()


class Translator:
    """`_("text", **values)`: the text in this language (English when untranslated)."""

    def __init__(self, language: str = "en") -> None:
        self.language = language if language in LANGUAGES else "en"
        self.catalogue = CATALOGUES.get(self.language, {})

    def __call__(self, message: str, **values) -> str:
        text = self.catalogue.get(message, message)
        return text.format(**values) if values else text


def best_language(requested: str | None, accept: Iterable[str]) -> str:
    """The chosen language if supported, else the first supported one the browser accepts."""
    if requested in LANGUAGES:
        return requested
    for tag in accept:
        base = tag.split("-")[0].lower()
        if base in LANGUAGES:
            return base
    return "en"
