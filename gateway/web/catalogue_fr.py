"""French strings of the web pages (message id: the English text). See i18n.py."""

FR = {
    "(required for a concern or a block)": "(obligatoire pour une réserve ou un blocage)",
    "1 question": "1 question",
    "A blank ballot.": "Un bulletin blanc.",
    "A chapter (with its sub-chapters)": "Une section (avec ses sous-sections)",
    "A country code such as FR or GB, or the country's name.":
        "Un code pays comme FR ou BE, ou le nom du pays.",
    "A current": "Un courant",
    "A few words about yourself (optional)": "Quelques mots sur vous (facultatif)",
    "A rank must be a number from 1 to {n}.": "Un rang est un nombre de 1 à {n}.",
    "A recorded meeting in the last {n} days":
        "Une réunion enregistrée dans les {n} derniers jours",
    "A tie was broken by lot (seed {seed}, published so anyone can repeat the draw).":
        "Une égalité a été tranchée par tirage au sort (graine {seed}, publiée pour que "
        "chacun puisse refaire le tirage).",
    "Abstained": "Abstention",
    "Action": "Action",
    "Active": "En cours",
    "Add a question": "Ajouter une question",
    "After you join, another member vouches for you or an admin approves you; then you can "
    "vote.": "Après votre adhésion, un autre membre se porte garant ou un administrateur vous "
             "valide ; vous pouvez alors voter.",
    "Answers": "Réponses",
    "Approval: choose all you accept": "Approbation : choisissez toutes celles que vous acceptez",
    "Approve": "Valider",
    "Approved: {names}": "Approuvées : {names}",
    "As soon as you launch it": "Dès son lancement",
    "At least 10 characters.": "Au moins 10 caractères.",
    "At least {n} members": "Au moins {n} membres",
    "At least {p}% women": "Au moins {p} % de femmes",
    "Back to the home page": "Retour à l'accueil",
    "Back to the poll": "Retour au scrutin",
    "Ballots are published when the poll closes; check again then.":
        "Les bulletins sont publiés à la clôture du scrutin ; vérifiez à ce moment-là.",
    "Blocked: no consensus.": "Bloqué : pas de consensus.",
    "By SMS (members who gave a number and chose SMS)":
        "Par SMS (membres ayant donné un numéro et choisi les SMS)",
    "By email": "Par e-mail",
    "Cast": "Déposé",
    "Change my vote": "Modifier mon vote",
    "Change my vote (you need your receipt)": "Modifier mon vote (il faut votre reçu)",
    "Channels per kind of news": "Canaux par type de nouvelle",
    "Chapter": "Section",
    "Chapter events and meetings": "Événements et réunions de la section",
    "Chapter hierarchy": "Hiérarchie des sections",
    "Choose a chapter": "Choisissez une section",
    "Choose a current": "Choisissez un courant",
    "Choose a method.": "Choisissez une méthode.",
    "Choose a password of at least 10 characters.":
        "Choisissez un mot de passe d'au moins 10 caractères.",
    "Choose among the options.": "Choisissez parmi les options.",
    "Choose every option you approve of: any number from 0 to {n}. The most approved option "
    "wins.": "Choisissez toutes les options que vous approuvez : de 0 à {n}. L'option la plus "
             "approuvée l'emporte.",
    "Choose how we tell you about each kind of news.":
        "Choisissez comment nous vous prévenons de chaque type de nouvelle.",
    "Choose one of the options.": "Choisissez une des options.",
    "Choose one of the responses.": "Choisissez une des réponses.",
    "Choose one option. An option needs more than half of the votes to win.":
        "Choisissez une option. Une option doit avoir plus de la moitié des voix pour gagner.",
    "Choose one option. The option with the most votes wins.":
        "Choisissez une option. L'option qui a le plus de voix l'emporte.",
    "Choose the chapter.": "Choisissez la section.",
    "Choose the current.": "Choisissez le courant.",
    "Choose the delegate.": "Choisissez le délégué.",
    "Choose who it is for.": "Choisissez à qui il s'adresse.",
    "Choose who votes: the whole organisation, a chapter or a current. You will see a summary "
    "before it is launched.": "Choisissez qui vote : toute l'organisation, une section ou un "
                              "courant. Vous verrez un résumé avant le lancement.",
    "Choose yes, no or abstain.": "Choisissez oui, non ou abstention.",
    "Close this poll now and count": "Clore ce scrutin maintenant et dépouiller",
    "Closed {when}.": "Clos le {when}.",
    "Closes": "Clôture",
    "Closes at (UTC)": "Clôture le (UTC)",
    "Collecting signatures": "Collecte des signatures",
    "Consensus reached.": "Consensus atteint.",
    "Consensus rounds": "Tours de consensus",
    "Consensus: agree, stand aside, concern or block":
        "Consensus : d'accord, retrait, réserve ou blocage",
    "Coordinator": "Coordination",
    "Coordinators": "Coordination",
    "Copying failed: select the receipt and copy it yourself.":
        "La copie a échoué : sélectionnez le reçu et copiez-le vous-même.",
    "Councils: deliberation and voting for grassroots organisations.":
        "Councils : délibération et vote pour les organisations de terrain.",
    "Country": "Pays",
    "Current": "Courant",
    "Delegate": "Délégué·e",
    "Delegates": "Délégués",
    "Delegates and recall": "Délégués et révocation",
    "Delegates and recall petitions of this chapter":
        "Délégués et pétitions de révocation de cette section",
    "Delegates and recall petitions: {name}": "Délégués et pétitions de révocation : {name}",
    "Deliveries": "Envois",
    "Each column is a round; bands show where the votes of eliminated or elected options "
    "went. The same figures are in the sentences above and the table below.":
        "Chaque colonne est un tour ; les bandes montrent où sont allées les voix des options "
        "éliminées ou élues. Les mêmes chiffres figurent dans les phrases ci-dessus et le "
        "tableau ci-dessous.",
    "Each option must be different.": "Chaque option doit être différente.",
    "Each rank earns points ({top} for a first choice); the most points win.":
        "Chaque rang rapporte des points ({top} pour un premier choix) ; le plus de points "
        "l'emporte.",
    "Edit": "Modifier",
    "Elected: {names}.": "Élus : {names}.",
    "Email": "E-mail",
    "Ended": "Terminé",
    "Enough signatures: a recall vote follows": "Assez de signatures : un vote de révocation suit",
    "Enter the name other members will see.": "Saisissez le nom que verront les autres membres.",
    "Enter your country (for example FR or France).":
        "Saisissez votre pays (par exemple FR ou France).",
    "Enter your email address and your password.":
        "Saisissez votre adresse e-mail et votre mot de passe.",
    "Enter your email address.": "Saisissez votre adresse e-mail.",
    "Every active member of the organisation": "Tous les membres actifs de l'organisation",
    "Every mandate this member has held, recall petitions against them and their votes as a "
    "delegate, in the open.": "Chaque mandat exercé par ce membre, les pétitions de révocation "
                              "le visant et ses votes de délégué, en toute transparence.",
    "Every member of the chapter will read this reason before signing.":
        "Chaque membre de la section lira cette raison avant de signer.",
    "Every pair of options is compared; the option that beats the others head to head wins.":
        "Les options sont comparées deux à deux ; celle qui bat les autres en duel l'emporte.",
    "Excluded: {names}; their votes go to next choices.":
        "Exclus : {names} ; leurs voix vont aux choix suivants.",
    "Expired without enough signatures": "Expirée faute de signatures",
    "Explanation": "Explication",
    "Explanation for members (optional)": "Explication pour les membres (facultatif)",
    "Fallback vote: yes or no": "Vote de repli : oui ou non",
    "Find my ballot": "Retrouver mon bulletin",
    "From round {a} to round {b}: {lost} passed on votes: {moves}.":
        "Du tour {a} au tour {b} : {lost} a transmis des voix : {moves}.",
    "From {start}": "Du {start}",
    "Give a closing date and time.": "Indiquez une date et une heure de clôture.",
    "Give an opening date and time, or leave it empty.":
        "Indiquez une date et une heure d'ouverture, ou laissez vide.",
    "Give at least two options, one per line.": "Donnez au moins deux options, une par ligne.",
    "Give each option a rank with its list, or use Move up and Move down. Dragging works too "
    "but is never needed.": "Donnez un rang à chaque option avec sa liste, ou utilisez Monter "
                           "et Descendre. Le glisser-déposer marche aussi mais n'est jamais "
                           "nécessaire.",
    "Give the poll a title.": "Donnez un titre au scrutin.",
    "Green: the row's option beats the column's; red: it loses; grey: a tie.":
        "Vert : l'option de la ligne bat celle de la colonne ; rouge : elle perd ; gris : "
        "égalité.",
    "Head to head": "Duels",
    "Head to head: who beats whom": "Duels : qui bat qui",
    "How": "Comment",
    "How many voters preferred the row's option to the column's":
        "Combien de votants ont préféré l'option de la ligne à celle de la colonne",
    "How members answer": "Comment les membres répondent",
    "How votes moved between rounds": "Comment les voix ont circulé entre les tours",
    "If no option has more than half of the first choices, the last one is eliminated and its "
    "votes go to the next choices.": "Si aucune option n'a plus de la moitié des premiers "
                                     "choix, la dernière est éliminée et ses voix vont aux "
                                     "choix suivants.",
    "Introduction": "Présentation",
    "It goes to members who have not turned newsletters off, in batches; the figures below "
    "show how far it has gone.": "Elle part par lots aux membres qui n'ont pas désactivé les "
                                 "lettres d'information ; les chiffres ci-dessous montrent "
                                 "où en est l'envoi.",
    "Join Councils": "Adhérer à Councils",
    "Keep this receipt. After the poll closes, it finds your ballot in the published list so "
    "you can check it was counted as you cast it. It does not show how you voted, and nobody "
    "can link it to you.": "Gardez ce reçu. Après la clôture, il retrouve votre bulletin dans "
                           "la liste publiée pour vérifier qu'il a été compté tel que vous "
                           "l'avez déposé. Il ne montre pas votre vote et personne ne peut le "
                           "relier à vous.",
    "Kept: the recall vote did not pass": "Maintenu : la révocation n'a pas été votée",
    "Last recorded meeting: {day}": "Dernière réunion enregistrée : {day}",
    "Launch the poll now": "Lancer le scrutin maintenant",
    "Leave empty to open the poll as soon as you launch it.":
        "Laissez vide pour ouvrir le scrutin dès son lancement.",
    "Links expire after a while and work once. Log in to ask for a new one.":
        "Les liens expirent au bout d'un moment et ne servent qu'une fois. Connectez-vous "
        "pour en demander un nouveau.",
    "Log in to see the members.": "Connectez-vous pour voir les membres.",
    "Log in to sign": "Connectez-vous pour signer",
    "Log in to vote": "Connectez-vous pour voter",
    "Main": "Principale",
    "Mandates": "Mandats",
    "Member approved.": "Membre validé.",
    "Members": "Membres",
    "Members of a chapter can ask to recall a delegate who represents them. When enough "
    "members sign the petition, a recall vote follows.":
        "Les membres d'une section peuvent demander la révocation d'un délégué qui les "
        "représente. Quand assez de membres signent la pétition, un vote de révocation suit.",
    "Members of the chapter see its meetings.": "Les membres de la section voient ses réunions.",
    "Members of the chapter when it opened": "Membres de la section à l'ouverture",
    "Members of the chapter {name} and its sub-chapters":
        "Membres de la section {name} et de ses sous-sections",
    "Members of the current {name}": "Membres du courant {name}",
    "Members waiting for approval": "Membres en attente de validation",
    "My notifications": "Mes notifications",
    "Name": "Nom",
    "New here?": "Nouveau ici ?",
    "New polls and proposals": "Nouveaux scrutins et propositions",
    "News": "Nouvelles",
    "Newsletter queued for {n} members; figures below update as it is sent.":
        "Lettre en file d'attente pour {n} membres ; les chiffres ci-dessous suivent l'envoi.",
    "Newsletters": "Lettres d'information",
    "Newsletters sent": "Lettres envoyées",
    "No ballot with this receipt was found in this poll. Check that you copied all of it.":
        "Aucun bulletin de ce scrutin ne correspond à ce reçu. Vérifiez que vous l'avez copié "
        "en entier.",
    "No chapter yet.": "Pas encore de section.",
    "No consensus yet: the proposal needs amending.":
        "Pas encore de consensus : la proposition doit être amendée.",
    "No consensus: it goes to the fallback vote.": "Pas de consensus : on passe au vote de repli.",
    "No mandate yet.": "Aucun mandat pour l'instant.",
    "No meeting recorded yet.": "Aucune réunion enregistrée.",
    "No newsletter sent yet.": "Aucune lettre envoyée pour l'instant.",
    "No poll is open right now.": "Aucun scrutin n'est ouvert en ce moment.",
    "No recall petition in this chapter.": "Aucune pétition de révocation dans cette section.",
    "No sub-chapter yet.": "Pas encore de sous-section.",
    "No targets set.": "Aucun objectif fixé.",
    "No vote as a delegate yet.": "Aucun vote de délégué pour l'instant.",
    "No votes moved between rounds.": "Aucune voix n'a circulé entre les tours.",
    "No winner.": "Pas de gagnant.",
    "Nobody has more than half ({half}).": "Personne n'a plus de la moitié ({half}).",
    "Nobody is waiting.": "Personne n'attend.",
    "Not allowed": "Non autorisé",
    "Not answered: this question will be counted as skipped.":
        "Sans réponse : cette question sera comptée comme passée.",
    "Not needed for consensus questions.": "Inutile pour les questions de consensus.",
    "Not yet published": "Pas encore publié",
    "Only active members see who belongs to a chapter.":
        "Seuls les membres actifs voient qui appartient à une section.",
    "Open a recall petition": "Ouvrir une pétition de révocation",
    "Open the petition": "Ouvrir la pétition",
    "Open until {when}.": "Ouvert jusqu'au {when}.",
    "Opened": "Ouverte le",
    "Opens": "Ouverture",
    "Opens at (UTC; optional)": "Ouverture le (UTC ; facultatif)",
    "Opens {when}; closes {close}.": "Ouvre le {when} ; clôture le {close}.",
    "Option": "Option",
    "Options, one per line": "Options, une par ligne",
    "Order: {names}.": "Ordre : {names}.",
    "Outcome: {status}": "Issue : {status}",
    "Page not found": "Page introuvable",
    "Pending members": "Membres en attente",
    "Petitions": "Pétitions",
    "Please check your ballot": "Vérifiez votre bulletin",
    "Please correct the marked fields.": "Corrigez les champs signalés.",
    "Please give a reason for your {response}.": "Donnez la raison de votre {response}.",
    "Please log in again.": "Veuillez vous reconnecter.",
    "Please try again": "Veuillez réessayer",
    "Poll": "Scrutin",
    "Poll launched: members can vote now.": "Scrutin lancé : les membres peuvent voter.",
    "Poll scheduled: it opens {when}.": "Scrutin programmé : il ouvre le {when}.",
    "Public record of {name}": "Bilan public de {name}",
    "Published as {hash}": "Publié sous {hash}",
    "Question": "Question",
    "Question {n}": "Question {n}",
    "Question {n} of {total}": "Question {n} sur {total}",
    "Queued": "En attente",
    "Rank the options in order of preference: 1 is your first choice. You may rank as few as "
    "you like; unranked options come after every ranked one.":
        "Classez les options par préférence : 1 est votre premier choix. Vous pouvez en "
        "classer aussi peu que vous voulez ; les options non classées viennent après toutes "
        "les autres.",
    "Rank {rank} is given to more than one option ({names}): give each option its own rank.":
        "Le rang {rank} est donné à plusieurs options ({names}) : donnez à chacune son propre "
        "rang.",
    "Rank {r}": "Rang {r}",
    "Ranked, several seats (single transferable vote)":
        "Classement, plusieurs sièges (vote unique transférable)",
    "Ranked: head-to-head (Schulze)": "Classement : duels (Schulze)",
    "Ranked: instant runoff": "Classement : vote alternatif",
    "Ranked: points per rank (Borda)": "Classement : points par rang (Borda)",
    "Read by the members who vouch for you.": "Lu par les membres qui se portent garants de vous.",
    "Reason: {reason}": "Raison : {reason}",
    "Reasons given": "Raisons données",
    "Recall of {name}": "Révocation de {name}",
    "Recall petition of {when}": "Pétition de révocation du {when}",
    "Recall petitions": "Pétitions de révocation",
    "Recall vote": "Vote de révocation",
    "Recall vote under way": "Vote de révocation en cours",
    "Recalled: the mandate was revoked": "Révoqué : le mandat a été retiré",
    "Receipt copied.": "Reçu copié.",
    "Recent newsletters and their delivery figures": "Lettres récentes et chiffres d'envoi",
    "Recent results": "Résultats récents",
    "Recipients": "Destinataires",
    "Recorded meetings": "Réunions enregistrées",
    "Reminders before a vote closes": "Rappels avant la clôture d'un vote",
    "Remove this question": "Retirer cette question",
    "Responses": "Réponses",
    "Responses round by round": "Réponses tour par tour",
    "Review the poll": "Relire le scrutin",
    "Review the poll before launching it": "Relisez le scrutin avant de le lancer",
    "Revoked {when}": "Révoqué le {when}",
    "Round": "Tour",
    "Round by round": "Tour par tour",
    "Round {n}: {figures}; outcome: {outcome}.": "Tour {n} : {figures} ; issue : {outcome}.",
    "Save my choices": "Enregistrer mes choix",
    "Say whether you agree. A concern or a block needs a reason: a block stops the proposal.":
        "Dites si vous êtes d'accord. Une réserve ou un blocage demande une raison : un "
        "blocage arrête la proposition.",
    "Say why the delegate should be recalled.": "Dites pourquoi le délégué devrait être révoqué.",
    "Schedule the poll": "Programmer le scrutin",
    "Seats (for several winners; optional)": "Sièges (pour plusieurs élus ; facultatif)",
    "Seats must be a whole number.": "Le nombre de sièges doit être entier.",
    "Secretary": "Secrétariat",
    "Send a newsletter": "Envoyer une lettre d'information",
    "Send the newsletter": "Envoyer la lettre",
    "Sending": "Envoi en cours",
    "Sent": "Envoyée",
    "Sign the petition": "Signer la pétition",
    "Signatures": "Signatures",
    "Signatures close": "Fin des signatures",
    "Single choice: a majority is needed": "Choix unique : une majorité est nécessaire",
    "Single choice: most votes wins": "Choix unique : le plus de voix l'emporte",
    "Some questions need a look: see the notes below. You may still cast your ballot as it is.":
        "Certaines questions méritent un coup d'œil : voir les remarques ci-dessous. Vous "
        "pouvez tout de même voter ainsi.",
    "Something stopped us": "Quelque chose nous a arrêtés",
    "Something went wrong": "Un problème est survenu",
    "Status": "État",
    "Step: exclusion of {name}.": "Étape : exclusion de {name}.",
    "Step: first preferences.": "Étape : premières préférences.",
    "Step: transfer of the surplus of {name}.": "Étape : transfert de l'excédent de {name}.",
    "Step: {action}.": "Étape : {action}.",
    "Sub-chapters": "Sous-sections",
    "Subject": "Objet",
    "Text": "Texte",
    "Text message": "SMS",
    "Text messages need a phone number in your profile.":
        "Les SMS demandent un numéro de téléphone dans votre profil.",
    "Thank you: {email} is verified.": "Merci : {email} est vérifiée.",
    "That does not look like a receipt.": "Cela ne ressemble pas à un reçu.",
    "That email address and password do not match.":
        "Cette adresse e-mail et ce mot de passe ne correspondent pas.",
    "That receipt does not match your ballot in this poll; check that you copied all of it.":
        "Ce reçu ne correspond pas à votre bulletin dans ce scrutin ; vérifiez que vous "
        "l'avez copié en entier.",
    "The closing time must be in the future.": "La clôture doit être dans le futur.",
    "The delegate's public record": "Le bilan public du délégué",
    "The opening time must be in the future, or left empty to open at launch.":
        "L'ouverture doit être dans le futur, ou vide pour ouvrir au lancement.",
    "The poll is closed and the votes are being counted. Reload this page in a moment.":
        "Le scrutin est clos et le dépouillement est en cours. Rechargez la page dans un "
        "instant.",
    "The poll is closed; results appear once counted.":
        "Le scrutin est clos ; les résultats paraissent après le dépouillement.",
    "The poll must open before it closes.": "Le scrutin doit ouvrir avant sa clôture.",
    "The recall vote": "Le vote de révocation",
    "The receipt was shown once and is not kept in your browser.":
        "Le reçu a été montré une fois et n'est pas gardé dans votre navigateur.",
    "The rule was {rule}; it was not met.": "La règle était {rule} ; elle n'a pas été remplie.",
    "The whole organisation": "Toute l'organisation",
    "There must be more options than seats.": "Il faut plus d'options que de sièges.",
    "This chapter has no delegate at the moment.":
        "Cette section n'a pas de délégué pour l'instant.",
    "This chapter is not working yet.": "Cette section n'est pas encore active.",
    "This is a working chapter.": "Cette section est active.",
    "This link did not work": "Ce lien n'a pas fonctionné",
    "This link has no token. Open the link from the email again, or ask for a new one.":
        "Ce lien n'a pas de jeton. Rouvrez le lien de l'e-mail ou demandez-en un nouveau.",
    "This page is for admins.": "Cette page est réservée aux administrateurs.",
    "This page shows the receipt only once. Copy it or write it down now.":
        "Cette page ne montre le reçu qu'une fois. Copiez-le ou notez-le maintenant.",
    "Title": "Titre",
    "To": "Destinataires",
    "Treasurer": "Trésorerie",
    "Votes": "Voix",
    "Votes as a delegate": "Votes en tant que délégué",
    "Votes in delegate polls, newest first": "Votes dans les scrutins de délégués, récents d'abord",
    "Votes per option": "Voix par option",
    "Weight": "Poids",
    "Welcome to Councils": "Bienvenue sur Councils",
    "Welcome! Your membership is pending until another member vouches for you or an admin "
    "approves it; you can look around meanwhile.":
        "Bienvenue ! Votre adhésion est en attente jusqu'à ce qu'un autre membre se porte "
        "garant ou qu'un administrateur la valide ; vous pouvez visiter en attendant.",
    "Welcome, {name}": "Bonjour, {name}",
    "Who it is for": "À qui il s'adresse",
    "Who votes": "Qui vote",
    "Why should this delegate be recalled?": "Pourquoi ce délégué devrait-il être révoqué ?",
    "Why: {why}.": "Pourquoi : {why}.",
    "Winner: {names}": "Gagnant : {names}",
    "Winners: {names}": "Gagnants : {names}",
    "Withdraw my signature": "Retirer ma signature",
    "Working status": "État de fonctionnement",
    "Write a subject.": "Écrivez un objet.",
    "Write the newsletter.": "Écrivez la lettre.",
    "Write the question.": "Écrivez la question.",
    "You approved of no option.": "Vous n'avez approuvé aucune option.",
    "You are logged in.": "Vous êtes connecté.",
    "You are logged out.": "Vous êtes déconnecté.",
    "You are not in this poll's electorate. Pending members vote once they are approved; the "
    "electorate is fixed when the poll opens.": "Vous ne faites pas partie du corps électoral "
                                                "de ce scrutin. Les membres en attente votent "
                                                "une fois validés ; le corps électoral est "
                                                "fixé à l'ouverture.",
    "You have signed this petition.": "Vous avez signé cette pétition.",
    "You have voted already: this ballot replaces the one you cast. Your receipt stays the "
    "same.": "Vous avez déjà voté : ce bulletin remplace le précédent. Votre reçu ne change pas.",
    "You have voted in this poll. Keep your receipt: after the poll closes you can find your "
    "ballot with it.": "Vous avez voté dans ce scrutin. Gardez votre reçu : après la clôture, "
                       "il permet de retrouver votre bulletin.",
    "You signed the petition.": "Vous avez signé la pétition.",
    "Your ballot is cast": "Votre bulletin est déposé",
    "Your ballot was found and counted": "Votre bulletin a été trouvé et compté",
    "Your ballot was not found in this session; please fill it in again.":
        "Votre bulletin est introuvable dans cette session ; remplissez-le à nouveau.",
    "Your choice: {choice}": "Votre choix : {choice}",
    "Your email address is not verified yet: we send email only once it is.":
        "Votre adresse e-mail n'est pas encore vérifiée : nous n'envoyons d'e-mails qu'après.",
    "Your email address is verified": "Votre adresse e-mail est vérifiée",
    "Your membership is pending: you can vote once another member vouches for you or an admin "
    "approves you.": "Votre adhésion est en attente : vous pourrez voter quand un autre membre "
                     "se portera garant ou qu'un administrateur vous validera.",
    "Your name, as other members will see it": "Votre nom, tel que les autres membres le verront",
    "Your notification choices are saved.": "Vos choix de notification sont enregistrés.",
    "Your recall petition is open; you signed it first.":
        "Votre pétition de révocation est ouverte ; vous l'avez signée en premier.",
    "Your signature is withdrawn.": "Votre signature est retirée.",
    "Your vote is changed. Your receipt stays the same.":
        "Votre vote est modifié. Votre reçu ne change pas.",
    "a delegate": "un délégué",
    "closed {when}": "clos le {when}",
    "closes {when}": "clôture le {when}",
    "failed": "échecs",
    "half: {v}": "moitié : {v}",
    "met": "rempli",
    "met:": "rempli :",
    "no further choice": "plus de choix",
    "none": "aucune",
    "none counted": "aucune comptée",
    "not met:": "non rempli :",
    "question {n}": "question {n}",
    "quota: {v}": "quota : {v}",
    "represents {n} members": "représente {n} membres",
    "retrying": "nouvel essai",
    "round by round": "tour par tour",
    "sent": "envoyés",
    "since {when}": "depuis le {when}",
    "skipped": "ignorés",
    "to {end}": "au {end}",
    "waiting": "en attente",
    "working": "active",
    "{a} and {b} tie at {x} each.": "{a} et {b} sont à égalité, {x} chacun.",
    "{a} beats {b} by {x} to {y}.": "{a} bat {b} par {x} contre {y}.",
    "{count} of {n} options unranked: they come after your ranked choices.":
        "{count} sur {n} options non classées : elles viennent après vos choix classés.",
    "{current} of {target}": "{current} sur {target}",
    "{f} for recall, {a} against": "{f} pour la révocation, {a} contre",
    "{name} has more than half of the votes still in the count and wins.":
        "{name} a plus de la moitié des voix encore en jeu et l'emporte.",
    "{name} is no longer ranked": "{name} n'est plus classé",
    "{name} is the last option remaining and wins.": "{name} est la dernière option restante et "
                                                     "l'emporte.",
    "{name} {votes}": "{name} {votes}",
    "{name}, with the fewest votes, is eliminated; those ballots go to their next choices.":
        "{name}, qui a le moins de voix, est éliminé ; ces bulletins vont à leur choix suivant.",
    "{news} by email": "{news} par e-mail",
    "{news} by text message": "{news} par SMS",
    "{n} ballots had no further choice.": "{n} bulletins n'avaient plus de choix.",
    "{n} members": "{n} membres",
    "{n} questions": "{n} questions",
    "{n} seats": "{n} sièges",
    "{seats} seats are filled; votes beyond what a winner needs pass on to next choices.":
        "{seats} sièges sont pourvus ; les voix au-delà de ce qu'il faut à un élu passent aux "
        "choix suivants.",
    "{s} of {t} signatures": "{s} signatures sur {t}",
    "{s} of {t} signatures needed; {m} more to reach the threshold.":
        "{s} signatures sur les {t} nécessaires ; encore {m} pour atteindre le seuil.",
    "{s} signatures: the threshold of {t} is reached.": "{s} signatures : le seuil de {t} est "
                                                        "atteint.",
    "{votes} to {name}": "{votes} à {name}",
    "{v} of {e} members have voted.": "{v} membres sur {e} ont voté.",
    "{v} of {e} members voted.": "{v} membres sur {e} ont voté.",
    # Issue 13: the receipt check without the ballot's content, the published list.
    'Counted, unchanged since you cast it.': "Compté, inchangé depuis que vous l'avez déposé.",
    'Next page': 'Page suivante',
    'No ballots were cast.': "Aucun bulletin n'a été déposé.",
    'Published ballots': 'Bulletins publiés',
    'Recorded, unchanged since you cast it; it is counted when the poll closes.':
        "Enregistré, inchangé depuis que vous l'avez déposé ; il sera compté à la clôture "
        "du scrutin.",
    'The published list of ballots': 'La liste publiée des bulletins',
    'Your ballot is recorded': 'Votre bulletin est enregistré',
    'Counted receipts': 'Reçus comptés',
    'Each counted receipt as its SHA-256 commitment: the check page shows yours.':
        'Chaque reçu compté, sous son engagement SHA-256 : la page de vérification '
        'indique le vôtre.',
    'Ballots': 'Bulletins',
    'The contents of every counted ballot, shuffled, without receipts.':
        'Le contenu de chaque bulletin compté, mélangé, sans les reçus.',
    'Live results of this poll are published only once at least {n} members have '
    'voted, and refreshed only after at least {n} more have voted, so that no single '
    'vote can be told from two readings.':
        "Les résultats en direct de ce scrutin ne sont publiés qu'une fois qu'au moins "
        "{n} membres ont voté, et ne sont actualisés qu'après qu'au moins {n} autres ont "
        'voté : aucun vote ne peut se déduire de deux lectures.',
}
