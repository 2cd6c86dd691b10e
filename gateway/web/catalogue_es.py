"""Spanish strings of the web pages (message id: the English text). See i18n.py."""

ES = {
    "(required for a concern or a block)": "(obligatorio para una reserva o un bloqueo)",
    "1 question": "1 pregunta",
    "A blank ballot.": "Una papeleta en blanco.",
    "A chapter (with its sub-chapters)": "Una sección (con sus subsecciones)",
    "A country code such as FR or GB, or the country's name.":
        "Un código de país como ES o MX, o el nombre del país.",
    "A current": "Una corriente",
    "A few words about yourself (optional)": "Unas palabras sobre ti (opcional)",
    "A rank must be a number from 1 to {n}.": "Un puesto debe ser un número del 1 al {n}.",
    "A recorded meeting in the last {n} days": "Una reunión registrada en los últimos {n} días",
    "A tie was broken by lot (seed {seed}, published so anyone can repeat the draw).":
        "Un empate se resolvió por sorteo (semilla {seed}, publicada para que cualquiera "
        "pueda repetirlo).",
    "Abstained": "Abstención",
    "Action": "Acción",
    "Active": "Activo",
    "Add a question": "Añadir una pregunta",
    "After you join, another member vouches for you or an admin approves you; then you can "
    "vote.": "Tras unirte, otro miembro responde por ti o una persona administradora te "
             "aprueba; entonces puedes votar.",
    "Answers": "Respuestas",
    "Approval: choose all you accept": "Aprobación: elige todas las que aceptas",
    "Approve": "Aprobar",
    "Approved: {names}": "Aprobadas: {names}",
    "As soon as you launch it": "En cuanto la lances",
    "At least 10 characters.": "Al menos 10 caracteres.",
    "At least {n} members": "Al menos {n} miembros",
    "At least {p}% women": "Al menos un {p}% de mujeres",
    "Back to the home page": "Volver al inicio",
    "Back to the poll": "Volver a la votación",
    "Ballots are published when the poll closes; check again then.":
        "Las papeletas se publican al cerrar la votación; vuelve a comprobarlo entonces.",
    "Blocked: no consensus.": "Bloqueada: no hay consenso.",
    "By SMS (members who gave a number and chose SMS)":
        "Por SMS (miembros que dieron un número y eligieron SMS)",
    "By email": "Por correo electrónico",
    "Cast": "Emitido",
    "Change my vote": "Cambiar mi voto",
    "Change my vote (you need your receipt)": "Cambiar mi voto (necesitas tu recibo)",
    "Channels per kind of news": "Canales por tipo de noticia",
    "Chapter": "Sección",
    "Chapter events and meetings": "Actos y reuniones de la sección",
    "Chapter hierarchy": "Jerarquía de secciones",
    "Choose a chapter": "Elige una sección",
    "Choose a current": "Elige una corriente",
    "Choose a method.": "Elige un método.",
    "Choose a password of at least 10 characters.":
        "Elige una contraseña de al menos 10 caracteres.",
    "Choose among the options.": "Elige entre las opciones.",
    "Choose every option you approve of: any number from 0 to {n}. The most approved option "
    "wins.": "Elige todas las opciones que apruebas: de 0 a {n}. Gana la opción más aprobada.",
    "Choose how we tell you about each kind of news.":
        "Elige cómo te avisamos de cada tipo de noticia.",
    "Choose one of the options.": "Elige una de las opciones.",
    "Choose one of the responses.": "Elige una de las respuestas.",
    "Choose one option. An option needs more than half of the votes to win.":
        "Elige una opción. Una opción necesita más de la mitad de los votos para ganar.",
    "Choose one option. The option with the most votes wins.":
        "Elige una opción. Gana la opción con más votos.",
    "Choose the chapter.": "Elige la sección.",
    "Choose the current.": "Elige la corriente.",
    "Choose the delegate.": "Elige a la persona delegada.",
    "Choose who it is for.": "Elige a quién va dirigida.",
    "Choose who votes: the whole organisation, a chapter or a current. You will see a summary "
    "before it is launched.": "Elige quién vota: toda la organización, una sección o una "
                              "corriente. Verás un resumen antes de lanzarla.",
    "Choose yes, no or abstain.": "Elige sí, no o abstención.",
    "Close this poll now and count": "Cerrar ahora esta votación y hacer el recuento",
    "Closed {when}.": "Cerrada el {when}.",
    "Closes": "Cierra",
    "Closes at (UTC)": "Cierra el (UTC)",
    "Collecting signatures": "Recogiendo firmas",
    "Consensus reached.": "Se alcanzó el consenso.",
    "Consensus rounds": "Rondas de consenso",
    "Consensus: agree, stand aside, concern or block":
        "Consenso: de acuerdo, me aparto, reserva o bloqueo",
    "Coordinator": "Coordinación",
    "Coordinators": "Coordinación",
    "Copying failed: select the receipt and copy it yourself.":
        "No se pudo copiar: selecciona el recibo y cópialo tú.",
    "Councils: deliberation and voting for grassroots organisations.":
        "Councils: deliberación y votación para organizaciones de base.",
    "Country": "País",
    "Current": "Corriente",
    "Delegate": "Delegada o delegado",
    "Delegates": "Delegados",
    "Delegates and recall": "Delegados y revocación",
    "Delegates and recall petitions of this chapter":
        "Delegados y peticiones de revocación de esta sección",
    "Delegates and recall petitions: {name}": "Delegados y peticiones de revocación: {name}",
    "Deliveries": "Envíos",
    "Each column is a round; bands show where the votes of eliminated or elected options "
    "went. The same figures are in the sentences above and the table below.":
        "Cada columna es una ronda; las bandas muestran adónde fueron los votos de las "
        "opciones eliminadas o elegidas. Las mismas cifras están en las frases de arriba y "
        "en la tabla de abajo.",
    "Each option must be different.": "Cada opción debe ser distinta.",
    "Each rank earns points ({top} for a first choice); the most points win.":
        "Cada puesto da puntos ({top} por una primera opción); gana quien más puntos suma.",
    "Edit": "Editar",
    "Elected: {names}.": "Elegidas: {names}.",
    "Email": "Correo electrónico",
    "Ended": "Terminado",
    "Enough signatures: a recall vote follows":
        "Firmas suficientes: sigue una votación de revocación",
    "Enter the name other members will see.": "Escribe el nombre que verán los demás miembros.",
    "Enter your country (for example FR or France).":
        "Escribe tu país (por ejemplo ES o España).",
    "Enter your email address and your password.":
        "Escribe tu correo electrónico y tu contraseña.",
    "Enter your email address.": "Escribe tu correo electrónico.",
    "Every active member of the organisation": "Todos los miembros activos de la organización",
    "Every mandate this member has held, recall petitions against them and their votes as a "
    "delegate, in the open.": "Cada mandato que ha tenido este miembro, las peticiones de "
                              "revocación en su contra y sus votos como delegado, a la vista.",
    "Every member of the chapter will read this reason before signing.":
        "Cada miembro de la sección leerá este motivo antes de firmar.",
    "Every pair of options is compared; the option that beats the others head to head wins.":
        "Se comparan las opciones de dos en dos; gana la que vence a las demás cara a cara.",
    "Excluded: {names}; their votes go to next choices.":
        "Excluidas: {names}; sus votos pasan a las siguientes preferencias.",
    "Expired without enough signatures": "Caducada sin firmas suficientes",
    "Explanation": "Explicación",
    "Explanation for members (optional)": "Explicación para los miembros (opcional)",
    "Fallback vote: yes or no": "Votación de respaldo: sí o no",
    "Find my ballot": "Buscar mi papeleta",
    "From round {a} to round {b}: {lost} passed on votes: {moves}.":
        "De la ronda {a} a la ronda {b}: {lost} cedió votos: {moves}.",
    "From {start}": "Desde el {start}",
    "Give a closing date and time.": "Indica una fecha y hora de cierre.",
    "Give an opening date and time, or leave it empty.":
        "Indica una fecha y hora de apertura, o déjalo vacío.",
    "Give at least two options, one per line.": "Indica al menos dos opciones, una por línea.",
    "Give each option a rank with its list, or use Move up and Move down. Dragging works too "
    "but is never needed.": "Da a cada opción un puesto con su lista, o usa Subir y Bajar. "
                           "También se puede arrastrar, pero nunca es necesario.",
    "Give the poll a title.": "Pon un título a la votación.",
    "Green: the row's option beats the column's; red: it loses; grey: a tie.":
        "Verde: la opción de la fila vence a la de la columna; rojo: pierde; gris: empate.",
    "Head to head": "Cara a cara",
    "Head to head: who beats whom": "Cara a cara: quién vence a quién",
    "How": "Cómo",
    "How many voters preferred the row's option to the column's":
        "Cuántas personas prefirieron la opción de la fila a la de la columna",
    "How members answer": "Cómo responden los miembros",
    "How votes moved between rounds": "Cómo se movieron los votos entre rondas",
    "If no option has more than half of the first choices, the last one is eliminated and its "
    "votes go to the next choices.": "Si ninguna opción tiene más de la mitad de las primeras "
                                     "preferencias, se elimina la última y sus votos pasan a "
                                     "las siguientes preferencias.",
    "Introduction": "Presentación",
    "It goes to members who have not turned newsletters off, in batches; the figures below "
    "show how far it has gone.": "Llega, por tandas, a los miembros que no han desactivado "
                                 "los boletines; las cifras de abajo muestran cuánto se ha "
                                 "enviado.",
    "Join Councils": "Unirse a Councils",
    "Keep this receipt. After the poll closes, it finds your ballot in the published list so "
    "you can check it was counted as you cast it. It does not show how you voted, and nobody "
    "can link it to you.": "Guarda este recibo. Cuando cierre la votación, encuentra tu "
                           "papeleta en la lista publicada para que compruebes que se contó "
                           "tal como la emitiste. No muestra cómo votaste y nadie puede "
                           "relacionarlo contigo.",
    "Kept: the recall vote did not pass": "Se mantiene: la revocación no fue aprobada",
    "Last recorded meeting: {day}": "Última reunión registrada: {day}",
    "Launch the poll now": "Lanzar la votación ahora",
    "Leave empty to open the poll as soon as you launch it.":
        "Déjalo vacío para abrir la votación en cuanto la lances.",
    "Links expire after a while and work once. Log in to ask for a new one.":
        "Los enlaces caducan al cabo de un tiempo y sirven una vez. Inicia sesión para pedir "
        "uno nuevo.",
    "Log in to see the members.": "Inicia sesión para ver a los miembros.",
    "Log in to sign": "Inicia sesión para firmar",
    "Log in to vote": "Inicia sesión para votar",
    "Main": "Principal",
    "Mandates": "Mandatos",
    "Member approved.": "Miembro aprobado.",
    "Members": "Miembros",
    "Members of a chapter can ask to recall a delegate who represents them. When enough "
    "members sign the petition, a recall vote follows.":
        "Los miembros de una sección pueden pedir la revocación de quien los representa. "
        "Cuando firman suficientes miembros, sigue una votación de revocación.",
    "Members of the chapter see its meetings.": "Los miembros de la sección ven sus reuniones.",
    "Members of the chapter when it opened": "Miembros de la sección al abrirse",
    "Members of the chapter {name} and its sub-chapters":
        "Miembros de la sección {name} y de sus subsecciones",
    "Members of the current {name}": "Miembros de la corriente {name}",
    "Members waiting for approval": "Miembros a la espera de aprobación",
    "My notifications": "Mis avisos",
    "Name": "Nombre",
    "New here?": "¿Eres nuevo?",
    "New polls and proposals": "Nuevas votaciones y propuestas",
    "News": "Noticias",
    "Newsletter queued for {n} members; figures below update as it is sent.":
        "Boletín en cola para {n} miembros; las cifras de abajo se actualizan según se envía.",
    "Newsletters": "Boletines",
    "Newsletters sent": "Boletines enviados",
    "No ballot with this receipt was found in this poll. Check that you copied all of it.":
        "No se encontró ninguna papeleta con este recibo en esta votación. Comprueba que lo "
        "copiaste entero.",
    "No chapter yet.": "Todavía no hay secciones.",
    "No consensus yet: the proposal needs amending.":
        "Aún no hay consenso: la propuesta necesita enmiendas.",
    "No consensus: it goes to the fallback vote.":
        "No hay consenso: pasa a la votación de respaldo.",
    "No mandate yet.": "Todavía ningún mandato.",
    "No meeting recorded yet.": "Todavía no hay reuniones registradas.",
    "No newsletter sent yet.": "Todavía no se ha enviado ningún boletín.",
    "No poll is open right now.": "No hay ninguna votación abierta ahora.",
    "No recall petition in this chapter.": "No hay peticiones de revocación en esta sección.",
    "No sub-chapter yet.": "Todavía no hay subsecciones.",
    "No targets set.": "No hay objetivos fijados.",
    "No vote as a delegate yet.": "Todavía ningún voto como delegado.",
    "No votes moved between rounds.": "No se movieron votos entre rondas.",
    "No winner.": "Sin ganador.",
    "Nobody has more than half ({half}).": "Nadie tiene más de la mitad ({half}).",
    "Nobody is waiting.": "Nadie está esperando.",
    "Not allowed": "No permitido",
    "Not answered: this question will be counted as skipped.":
        "Sin responder: esta pregunta se contará como omitida.",
    "Not needed for consensus questions.": "No hace falta en las preguntas de consenso.",
    "Not yet published": "Aún no publicado",
    "Only active members see who belongs to a chapter.":
        "Solo los miembros activos ven quién pertenece a una sección.",
    "Open a recall petition": "Abrir una petición de revocación",
    "Open the petition": "Abrir la petición",
    "Open until {when}.": "Abierta hasta el {when}.",
    "Opened": "Abierta",
    "Opens": "Abre",
    "Opens at (UTC; optional)": "Abre el (UTC; opcional)",
    "Opens {when}; closes {close}.": "Abre el {when}; cierra el {close}.",
    "Option": "Opción",
    "Options, one per line": "Opciones, una por línea",
    "Order: {names}.": "Orden: {names}.",
    "Outcome: {status}": "Resultado: {status}",
    "Page not found": "Página no encontrada",
    "Pending members": "Miembros pendientes",
    "Petitions": "Peticiones",
    "Please check your ballot": "Revisa tu papeleta",
    "Please correct the marked fields.": "Corrige los campos marcados.",
    "Please give a reason for your {response}.": "Indica el motivo de tu {response}.",
    "Please log in again.": "Vuelve a iniciar sesión.",
    "Please try again": "Inténtalo de nuevo",
    "Poll": "Votación",
    "Poll launched: members can vote now.": "Votación lanzada: los miembros ya pueden votar.",
    "Poll scheduled: it opens {when}.": "Votación programada: abre el {when}.",
    "Public record of {name}": "Historial público de {name}",
    "Published as {hash}": "Publicada como {hash}",
    "Question": "Pregunta",
    "Question {n}": "Pregunta {n}",
    "Question {n} of {total}": "Pregunta {n} de {total}",
    "Queued": "En cola",
    "Rank the options in order of preference: 1 is your first choice. You may rank as few as "
    "you like; unranked options come after every ranked one.":
        "Ordena las opciones por preferencia: 1 es tu primera opción. Puedes clasificar "
        "tan pocas como quieras; las no clasificadas van detrás de todas las clasificadas.",
    "Rank {rank} is given to more than one option ({names}): give each option its own rank.":
        "El puesto {rank} está dado a más de una opción ({names}): da a cada opción su propio "
        "puesto.",
    "Rank {r}": "Puesto {r}",
    "Ranked, several seats (single transferable vote)":
        "Por orden, varios puestos (voto único transferible)",
    "Ranked: head-to-head (Schulze)": "Por orden: cara a cara (Schulze)",
    "Ranked: instant runoff": "Por orden: segunda vuelta instantánea",
    "Ranked: points per rank (Borda)": "Por orden: puntos por puesto (Borda)",
    "Read by the members who vouch for you.": "Lo leen los miembros que responden por ti.",
    "Reason: {reason}": "Motivo: {reason}",
    "Reasons given": "Motivos dados",
    "Recall of {name}": "Revocación de {name}",
    "Recall petition of {when}": "Petición de revocación del {when}",
    "Recall petitions": "Peticiones de revocación",
    "Recall vote": "Votación de revocación",
    "Recall vote under way": "Votación de revocación en curso",
    "Recalled: the mandate was revoked": "Revocado: se retiró el mandato",
    "Receipt copied.": "Recibo copiado.",
    "Recent newsletters and their delivery figures": "Boletines recientes y cifras de envío",
    "Recent results": "Resultados recientes",
    "Recipients": "Destinatarios",
    "Recorded meetings": "Reuniones registradas",
    "Reminders before a vote closes": "Recordatorios antes del cierre de una votación",
    "Remove this question": "Quitar esta pregunta",
    "Responses": "Respuestas",
    "Responses round by round": "Respuestas ronda a ronda",
    "Review the poll": "Revisar la votación",
    "Review the poll before launching it": "Revisa la votación antes de lanzarla",
    "Revoked {when}": "Revocado el {when}",
    "Round": "Ronda",
    "Round by round": "Ronda a ronda",
    "Round {n}: {figures}; outcome: {outcome}.": "Ronda {n}: {figures}; resultado: {outcome}.",
    "Save my choices": "Guardar mis preferencias",
    "Say whether you agree. A concern or a block needs a reason: a block stops the proposal.":
        "Di si estás de acuerdo. Una reserva o un bloqueo necesitan un motivo: un bloqueo "
        "detiene la propuesta.",
    "Say why the delegate should be recalled.": "Explica por qué debería revocarse al delegado.",
    "Schedule the poll": "Programar la votación",
    "Seats (for several winners; optional)": "Puestos (para varios ganadores; opcional)",
    "Seats must be a whole number.": "Los puestos deben ser un número entero.",
    "Secretary": "Secretaría",
    "Send a newsletter": "Enviar un boletín",
    "Send the newsletter": "Enviar el boletín",
    "Sending": "Enviándose",
    "Sent": "Enviado",
    "Sign the petition": "Firmar la petición",
    "Signatures": "Firmas",
    "Signatures close": "Cierre de firmas",
    "Single choice: a majority is needed": "Opción única: hace falta mayoría",
    "Single choice: most votes wins": "Opción única: gana la más votada",
    "Some questions need a look: see the notes below. You may still cast your ballot as it is.":
        "Algunas preguntas necesitan revisión: mira las notas de abajo. Aun así puedes emitir "
        "tu papeleta tal como está.",
    "Something stopped us": "Algo nos detuvo",
    "Something went wrong": "Algo salió mal",
    "Status": "Estado",
    "Step: exclusion of {name}.": "Paso: exclusión de {name}.",
    "Step: first preferences.": "Paso: primeras preferencias.",
    "Step: transfer of the surplus of {name}.": "Paso: traspaso del excedente de {name}.",
    "Step: {action}.": "Paso: {action}.",
    "Sub-chapters": "Subsecciones",
    "Subject": "Asunto",
    "Text": "Texto",
    "Text message": "SMS",
    "Text messages need a phone number in your profile.":
        "Los SMS necesitan un número de teléfono en tu perfil.",
    "Thank you: {email} is verified.": "Gracias: {email} está verificado.",
    "That does not look like a receipt.": "Eso no parece un recibo.",
    "That email address and password do not match.":
        "Ese correo electrónico y esa contraseña no coinciden.",
    "That receipt does not match your ballot in this poll; check that you copied all of it.":
        "Ese recibo no corresponde a tu papeleta en esta votación; comprueba que lo copiaste "
        "entero.",
    "The closing time must be in the future.": "La hora de cierre debe estar en el futuro.",
    "The delegate's public record": "El historial público del delegado",
    "The opening time must be in the future, or left empty to open at launch.":
        "La hora de apertura debe estar en el futuro, o vacía para abrir al lanzar.",
    "The poll is closed and the votes are being counted. Reload this page in a moment.":
        "La votación está cerrada y se están contando los votos. Recarga esta página en un "
        "momento.",
    "The poll is closed; results appear once counted.":
        "La votación está cerrada; los resultados aparecen tras el recuento.",
    "The poll must open before it closes.": "La votación debe abrir antes de cerrar.",
    "The recall vote": "La votación de revocación",
    "The receipt was shown once and is not kept in your browser.":
        "El recibo se mostró una vez y no se guarda en tu navegador.",
    "The rule was {rule}; it was not met.": "La regla era {rule}; no se cumplió.",
    "The whole organisation": "Toda la organización",
    "There must be more options than seats.": "Debe haber más opciones que puestos.",
    "This chapter has no delegate at the moment.": "Esta sección no tiene delegados ahora.",
    "This chapter is not working yet.": "Esta sección todavía no está en funcionamiento.",
    "This is a working chapter.": "Esta sección está en funcionamiento.",
    "This link did not work": "Este enlace no funcionó",
    "This link has no token. Open the link from the email again, or ask for a new one.":
        "Este enlace no tiene código. Abre de nuevo el enlace del correo o pide otro.",
    "This page is for admins.": "Esta página es para administración.",
    "This page shows the receipt only once. Copy it or write it down now.":
        "Esta página muestra el recibo una sola vez. Cópialo o anótalo ahora.",
    "Title": "Título",
    "To": "Para",
    "Treasurer": "Tesorería",
    "Votes": "Votos",
    "Votes as a delegate": "Votos como delegado",
    "Votes in delegate polls, newest first": "Votos en votaciones de delegados, recientes primero",
    "Votes per option": "Votos por opción",
    "Weight": "Peso",
    "Welcome to Councils": "Bienvenida a Councils",
    "Welcome! Your membership is pending until another member vouches for you or an admin "
    "approves it; you can look around meanwhile.":
        "¡Bienvenida! Tu afiliación queda pendiente hasta que otro miembro responda por ti o "
        "una persona administradora la apruebe; mientras tanto puedes echar un vistazo.",
    "Welcome, {name}": "Hola, {name}",
    "Who it is for": "A quién va dirigida",
    "Who votes": "Quién vota",
    "Why should this delegate be recalled?": "¿Por qué debería revocarse a este delegado?",
    "Why: {why}.": "Por qué: {why}.",
    "Winner: {names}": "Ganador: {names}",
    "Winners: {names}": "Ganadores: {names}",
    "Withdraw my signature": "Retirar mi firma",
    "Working status": "Estado de funcionamiento",
    "Write a subject.": "Escribe un asunto.",
    "Write the newsletter.": "Escribe el boletín.",
    "Write the question.": "Escribe la pregunta.",
    "You approved of no option.": "No aprobaste ninguna opción.",
    "You are logged in.": "Has iniciado sesión.",
    "You are logged out.": "Has cerrado sesión.",
    "You are not in this poll's electorate. Pending members vote once they are approved; the "
    "electorate is fixed when the poll opens.": "No estás en el censo de esta votación. Los "
                                                "miembros pendientes votan cuando se les "
                                                "aprueba; el censo se fija al abrir la votación.",
    "You have signed this petition.": "Has firmado esta petición.",
    "You have voted already: this ballot replaces the one you cast. Your receipt stays the "
    "same.": "Ya has votado: esta papeleta sustituye a la que emitiste. Tu recibo no cambia.",
    "You have voted in this poll. Keep your receipt: after the poll closes you can find your "
    "ballot with it.": "Has votado en esta votación. Guarda tu recibo: cuando cierre podrás "
                       "encontrar tu papeleta con él.",
    "You signed the petition.": "Has firmado la petición.",
    "Your ballot is cast": "Tu voto está emitido",
    "Your ballot was found and counted": "Tu papeleta se encontró y se contó",
    "Your ballot was not found in this session; please fill it in again.":
        "No se encontró tu papeleta en esta sesión; rellénala de nuevo.",
    "Your choice: {choice}": "Tu elección: {choice}",
    "Your email address is not verified yet: we send email only once it is.":
        "Tu correo electrónico aún no está verificado: solo enviamos correos cuando lo esté.",
    "Your email address is verified": "Tu correo electrónico está verificado",
    "Your membership is pending: you can vote once another member vouches for you or an admin "
    "approves you.": "Tu afiliación está pendiente: podrás votar cuando otro miembro responda "
                     "por ti o una persona administradora te apruebe.",
    "Your name, as other members will see it": "Tu nombre, tal como lo verán los demás",
    "Your notification choices are saved.": "Tus preferencias de avisos están guardadas.",
    "Your recall petition is open; you signed it first.":
        "Tu petición de revocación está abierta; la firmaste la primera.",
    "Your signature is withdrawn.": "Tu firma se ha retirado.",
    "Your vote is changed. Your receipt stays the same.":
        "Tu voto ha cambiado. Tu recibo no cambia.",
    "a delegate": "un delegado",
    "closed {when}": "cerrada el {when}",
    "closes {when}": "cierra el {when}",
    "failed": "fallidos",
    "half: {v}": "mitad: {v}",
    "met": "cumplido",
    "met:": "cumplido:",
    "no further choice": "sin más preferencias",
    "none": "ninguna",
    "none counted": "ninguno contado",
    "not met:": "no cumplido:",
    "question {n}": "pregunta {n}",
    "quota: {v}": "cuota: {v}",
    "represents {n} members": "representa a {n} miembros",
    "retrying": "reintentando",
    "round by round": "ronda a ronda",
    "sent": "enviados",
    "since {when}": "desde el {when}",
    "skipped": "omitidos",
    "to {end}": "hasta el {end}",
    "waiting": "en espera",
    "working": "en funcionamiento",
    "{a} and {b} tie at {x} each.": "{a} y {b} empatan a {x}.",
    "{a} beats {b} by {x} to {y}.": "{a} vence a {b} por {x} a {y}.",
    "{count} of {n} options unranked: they come after your ranked choices.":
        "{count} de {n} opciones sin clasificar: van detrás de tus opciones clasificadas.",
    "{current} of {target}": "{current} de {target}",
    "{f} for recall, {a} against": "{f} a favor de revocar, {a} en contra",
    "{name} has more than half of the votes still in the count and wins.":
        "{name} tiene más de la mitad de los votos aún en el recuento y gana.",
    "{name} is no longer ranked": "{name} ya no está clasificada",
    "{name} is the last option remaining and wins.": "{name} es la última opción que queda y gana.",
    "{name} {votes}": "{name} {votes}",
    "{name}, with the fewest votes, is eliminated; those ballots go to their next choices.":
        "{name}, con menos votos, queda eliminada; esas papeletas pasan a su siguiente "
        "preferencia.",
    "{news} by email": "{news} por correo electrónico",
    "{news} by text message": "{news} por SMS",
    "{n} ballots had no further choice.": "{n} papeletas no tenían más preferencias.",
    "{n} members": "{n} miembros",
    "{n} questions": "{n} preguntas",
    "{n} seats": "{n} puestos",
    "{seats} seats are filled; votes beyond what a winner needs pass on to next choices.":
        "Se cubren {seats} puestos; los votos que sobran a quien gana pasan a las siguientes "
        "preferencias.",
    "{s} of {t} signatures": "{s} de {t} firmas",
    "{s} of {t} signatures needed; {m} more to reach the threshold.":
        "{s} de {t} firmas necesarias; faltan {m} para llegar al umbral.",
    "{s} signatures: the threshold of {t} is reached.": "{s} firmas: se alcanzó el umbral de {t}.",
    "{votes} to {name}": "{votes} a {name}",
    "{v} of {e} members have voted.": "{v} de {e} miembros han votado.",
    "{v} of {e} members voted.": "Votaron {v} de {e} miembros.",
    # Issue 13: the receipt check without the ballot's content, the published list.
    'Counted, unchanged since you cast it.': 'Contada, sin cambios desde que la emitiste.',
    'Next page': 'Página siguiente',
    'No ballots were cast.': 'No se emitió ninguna papeleta.',
    'Published ballots': 'Papeletas publicadas',
    'Recorded, unchanged since you cast it; it is counted when the poll closes.':
        'Registrada, sin cambios desde que la emitiste; se contará al cerrarse la votación.',
    'The published list of ballots': 'La lista publicada de papeletas',
    'Your ballot is recorded': 'Tu papeleta está registrada',
    'Counted receipts': 'Recibos contados',
    'Each counted receipt as its SHA-256 commitment: the check page shows yours.':
        'Cada recibo contado, como su compromiso SHA-256: la página de comprobación '
        'muestra el tuyo.',
    'Ballots': 'Papeletas',
    'The contents of every counted ballot, shuffled, without receipts.':
        'El contenido de cada papeleta contada, mezclado, sin recibos.',
    'Live results of this poll are published only once at least {n} members have '
    'voted, and refreshed only after at least {n} more have voted, so that no single '
    'vote can be told from two readings.':
        'Los resultados en directo de esta votación solo se publican cuando al menos {n} '
        'miembros han votado, y solo se actualizan cuando al menos {n} más han votado, '
        'para que ningún voto pueda deducirse de dos lecturas.',
}
