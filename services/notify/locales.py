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
        "Reset your password": "Restablece tu contraseña",
        ("Someone asked to reset the password of your Councils account. To choose a new "
         "password, open this link within the hour:"):
            "Alguien ha pedido restablecer la contraseña de tu cuenta de Councils. Para elegir "
            "una nueva, abre este enlace antes de una hora:",
        "Choose a new password": "Elegir una contraseña nueva",
        "If you did not ask for this, ignore this message: your password stays as it is.":
            "Si no lo has pedido, ignora este mensaje: tu contraseña no cambia.",
        "Councils: reset your password: %(url)s": "Councils: restablece tu contraseña: %(url)s",
        "The email address of your account was changed":
            "Se ha cambiado la dirección de correo de tu cuenta",
        ("The email address of your Councils account was changed, and messages now go to the new "
         "address. This one will get no more mail from us."):
            "Se ha cambiado la dirección de correo de tu cuenta de Councils y los mensajes van "
            "ahora a la nueva. Esta ya no recibirá correo nuestro.",
        "If you did not make this change, reset your password at once and tell an admin.":
            "Si no has hecho este cambio, restablece tu contraseña enseguida y avisa a un "
            "administrador.",
        ("Councils: the email address of your account was changed. If this was not you, reset "
         "your password."):
            "Councils: se ha cambiado la dirección de correo de tu cuenta. Si no has sido tú, "
            "restablece tu contraseña.",
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
        # recall (issue 7)
        "Recall petition: %(delegate)s (%(chapter)s)":
            "Petición revocatoria: %(delegate)s (%(chapter)s)",
        "Recall petition reached its threshold: %(delegate)s":
            "La petición revocatoria alcanzó su umbral: %(delegate)s",
        "Recall vote open: %(delegate)s": "Votación revocatoria abierta: %(delegate)s",
        "Recall vote result: %(delegate)s": "Resultado de la votación revocatoria: %(delegate)s",
        "A recall petition was opened against %(delegate)s, delegate of %(chapter)s.":
            "Se ha abierto una petición revocatoria contra %(delegate)s, delegada/o de "
            "%(chapter)s.",
        "Reason given: %(reason)s": "Motivo: %(reason)s",
        "It needs %(threshold)s signatures by %(expires_at)s.":
            "Necesita %(threshold)s firmas antes del %(expires_at)s.",
        "Read it, and sign it if you agree:": "Léela y fírmala si estás de acuerdo:",
        "The recall petition against %(delegate)s, delegate of %(chapter)s, has reached "
        "%(signatures)s signatures: a recall vote opens.":
            "La petición revocatoria contra %(delegate)s, delegada/o de %(chapter)s, ha "
            "alcanzado %(signatures)s firmas: se abre una votación revocatoria.",
        "The members of %(chapter)s now vote on recalling %(delegate)s as their delegate.":
            "Las personas afiliadas a %(chapter)s votan ahora si revocan a %(delegate)s como "
            "su delegada/o.",
        "%(delegate)s is no longer delegate of %(chapter)s: the recall passed "
        "(%(in_favour)s for, %(against)s against).":
            "%(delegate)s ya no es delegada/o de %(chapter)s: la revocación se aprobó "
            "(%(in_favour)s a favor, %(against)s en contra).",
        "%(delegate)s remains delegate of %(chapter)s: the recall did not pass "
        "(%(in_favour)s for, %(against)s against).":
            "%(delegate)s sigue siendo delegada/o de %(chapter)s: la revocación no se aprobó "
            "(%(in_favour)s a favor, %(against)s en contra).",
        "Councils: recall petition against %(delegate)s (%(chapter)s). %(url)s":
            "Councils: petición revocatoria contra %(delegate)s (%(chapter)s). %(url)s",
        "Councils: the recall petition against %(delegate)s reached its threshold. %(url)s":
            "Councils: la petición revocatoria contra %(delegate)s alcanzó su umbral. %(url)s",
        "Councils: recall vote on %(delegate)s, closes %(closes_at)s. %(url)s":
            "Councils: votación revocatoria sobre %(delegate)s, cierra %(closes_at)s. %(url)s",
        "Councils: %(delegate)s was recalled (%(in_favour)s for, %(against)s against).":
            "Councils: %(delegate)s fue revocada/o (%(in_favour)s a favor, %(against)s en "
            "contra).",
        "Councils: %(delegate)s was not recalled (%(in_favour)s for, %(against)s against).":
            "Councils: %(delegate)s no fue revocada/o (%(in_favour)s a favor, %(against)s en "
            "contra).",
        "Recall petition expired: %(delegate)s": "La petición revocatoria caducó: %(delegate)s",
        "The recall petition against %(delegate)s, delegate of %(chapter)s, expired with "
        "%(signatures)s of the %(threshold)s signatures it needed: no recall vote is held.":
            "La petición revocatoria contra %(delegate)s, delegada/o de %(chapter)s, caducó con "
            "%(signatures)s de las %(threshold)s firmas que necesitaba: no habrá votación "
            "revocatoria.",
        "Councils: the recall petition against %(delegate)s expired (%(signatures)s of "
        "%(threshold)s signatures). %(url)s":
            "Councils: la petición revocatoria contra %(delegate)s caducó (%(signatures)s de "
            "%(threshold)s firmas). %(url)s",
    },
    "fr": {
        "Hello %(name)s,": "Bonjour %(name)s,",
        "Councils": "Councils",
        "Reset your password": "Réinitialisez votre mot de passe",
        ("Someone asked to reset the password of your Councils account. To choose a new "
         "password, open this link within the hour:"):
            "Quelqu'un a demandé à réinitialiser le mot de passe de votre compte Councils. Pour "
            "en choisir un nouveau, ouvrez ce lien dans l'heure :",
        "Choose a new password": "Choisir un nouveau mot de passe",
        "If you did not ask for this, ignore this message: your password stays as it is.":
            "Si vous n'avez rien demandé, ignorez ce message : votre mot de passe ne change pas.",
        "Councils: reset your password: %(url)s":
            "Councils : réinitialisez votre mot de passe : %(url)s",
        "The email address of your account was changed":
            "L'adresse électronique de votre compte a été changée",
        ("The email address of your Councils account was changed, and messages now go to the new "
         "address. This one will get no more mail from us."):
            "L'adresse électronique de votre compte Councils a été changée et les messages vont "
            "désormais à la nouvelle. Celle-ci ne recevra plus rien de notre part.",
        "If you did not make this change, reset your password at once and tell an admin.":
            "Si vous n'avez pas fait ce changement, réinitialisez votre mot de passe sans "
            "attendre et prévenez un administrateur.",
        ("Councils: the email address of your account was changed. If this was not you, reset "
         "your password."):
            "Councils : l'adresse électronique de votre compte a été changée. Si ce n'était pas "
            "vous, réinitialisez votre mot de passe.",
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
        # recall (issue 7)
        "Recall petition: %(delegate)s (%(chapter)s)":
            "Pétition de révocation : %(delegate)s (%(chapter)s)",
        "Recall petition reached its threshold: %(delegate)s":
            "La pétition de révocation a atteint son seuil : %(delegate)s",
        "Recall vote open: %(delegate)s": "Vote de révocation ouvert : %(delegate)s",
        "Recall vote result: %(delegate)s": "Résultat du vote de révocation : %(delegate)s",
        "A recall petition was opened against %(delegate)s, delegate of %(chapter)s.":
            "Une pétition de révocation a été ouverte contre %(delegate)s, délégué·e de "
            "%(chapter)s.",
        "Reason given: %(reason)s": "Motif : %(reason)s",
        "It needs %(threshold)s signatures by %(expires_at)s.":
            "Il lui faut %(threshold)s signatures avant le %(expires_at)s.",
        "Read it, and sign it if you agree:": "Lisez-la, et signez-la si vous êtes d'accord :",
        "The recall petition against %(delegate)s, delegate of %(chapter)s, has reached "
        "%(signatures)s signatures: a recall vote opens.":
            "La pétition de révocation contre %(delegate)s, délégué·e de %(chapter)s, a "
            "atteint %(signatures)s signatures : un vote de révocation s'ouvre.",
        "The members of %(chapter)s now vote on recalling %(delegate)s as their delegate.":
            "Les membres de %(chapter)s votent maintenant sur la révocation de %(delegate)s, "
            "leur délégué·e.",
        "%(delegate)s is no longer delegate of %(chapter)s: the recall passed "
        "(%(in_favour)s for, %(against)s against).":
            "%(delegate)s n'est plus délégué·e de %(chapter)s : la révocation est adoptée "
            "(%(in_favour)s pour, %(against)s contre).",
        "%(delegate)s remains delegate of %(chapter)s: the recall did not pass "
        "(%(in_favour)s for, %(against)s against).":
            "%(delegate)s reste délégué·e de %(chapter)s : la révocation est rejetée "
            "(%(in_favour)s pour, %(against)s contre).",
        "Councils: recall petition against %(delegate)s (%(chapter)s). %(url)s":
            "Councils : pétition de révocation contre %(delegate)s (%(chapter)s). %(url)s",
        "Councils: the recall petition against %(delegate)s reached its threshold. %(url)s":
            "Councils : la pétition de révocation contre %(delegate)s a atteint son seuil. "
            "%(url)s",
        "Councils: recall vote on %(delegate)s, closes %(closes_at)s. %(url)s":
            "Councils : vote de révocation de %(delegate)s, fin %(closes_at)s. %(url)s",
        "Councils: %(delegate)s was recalled (%(in_favour)s for, %(against)s against).":
            "Councils : %(delegate)s est révoqué·e (%(in_favour)s pour, %(against)s contre).",
        "Councils: %(delegate)s was not recalled (%(in_favour)s for, %(against)s against).":
            "Councils : %(delegate)s n'est pas révoqué·e (%(in_favour)s pour, %(against)s "
            "contre).",
        "Recall petition expired: %(delegate)s":
            "Pétition de révocation expirée : %(delegate)s",
        "The recall petition against %(delegate)s, delegate of %(chapter)s, expired with "
        "%(signatures)s of the %(threshold)s signatures it needed: no recall vote is held.":
            "La pétition de révocation contre %(delegate)s, délégué·e de %(chapter)s, a expiré "
            "avec %(signatures)s des %(threshold)s signatures nécessaires : aucun vote de "
            "révocation n'a lieu.",
        "Councils: the recall petition against %(delegate)s expired (%(signatures)s of "
        "%(threshold)s signatures). %(url)s":
            "Councils : la pétition de révocation contre %(delegate)s a expiré (%(signatures)s "
            "sur %(threshold)s signatures). %(url)s",
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
