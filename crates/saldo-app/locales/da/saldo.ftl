# Saldo's texts in Danish (the default). Ids: the old dotted key with '-' for '.'.

report-pin_title = Din PIN-kode ved kassen
report-pin = Ny PIN-kode (4 til 8 cifre)
report-pin_save = Gem PIN-kode
report-pin_saved = Din PIN-kode er gemt. Brug den til at låse kassen op.
report-pin_bad = En PIN-kode er 4 til 8 cifre.
till-title = Kasse
till-approved = Godkendt
till-declined = Afvist
till-balance = Saldo nu
till-left_today = Tilbage af dagens loft
till-amount = Beløb
till-offline = Ingen forbindelse til serveren. Kurven er gemt. Salget er IKKE gennemført endnu.
till-retrying = Prøver igen …
till-empty_basket = Vælg varer først.
till-voided = Salget er annulleret. Pengene er tilbage på kortet.
till-note = Besked fra forældre
till-blocked_item = Vare
till-remove = Fjern
till-error = Noget gik galt. Prøv igen.
till-report = Dagens salg
till-lock = Lås kassen
till-pair_title = Opsæt kassen
till-pair_intro = Skriv koden, som lederen af salgsstedet har fået på Saldo.
till-pair_code = Parringskode
till-pair_button = Opsæt kassen
till-unlock_title = Lås kassen op
till-pin = Din PIN-kode
till-unlock_button = Lås op
till-basket = Kurv
till-total = I alt
till-card = Kort (scan eller tast nummeret)
till-charge = Betal
till-clear = Tøm kurven
till-void = Annullér sidste salg
till-next = Næste
till-recent = Seneste salg / refundér
till-recent_title = Dagens seneste salg
till-recent_intro = Refundér en vare fra et tidligere salg. Det kræver lederens PIN-kode for hver refundering; pengene går tilbage på barnets konto.
till-manager_pin = Lederens PIN-kode
till-refund_one = Refundér én
till-refunded = Refunderet
till-need_pin = Skriv lederens PIN-kode først.
till-no_recent = Ingen salg i dag endnu.
till-voided_sale = annulleret
till-back_to_sale = Tilbage til salg
report-title = Dagens salg
report-day = Dag
report-show = Vis
report-purchases = Køb
report-gross = Solgt
report-voids = Annulleret
report-refunds = Refunderet
report-net = I alt
report-by_product = Salg pr. vare
report-by_hour = Salg pr. time
report-product = Vare
report-quantity = Antal
report-amount = Beløb
report-hour = Time
report-none = Intet salg denne dag.
report-csv = Hent som CSV
report-print = Udskriv
report-chart = Søjlediagram over salg pr. time
report-pairing = Ny kasse
report-pairing_intro = Lav en engangskode og skriv den på den nye kasse under /till. Koden virker i 15 minutter.
report-till_name = Kassens navn
report-make_code = Lav kode
report-code_is = Koden er
report-points = Mine salgssteder
controls-title = Regler ved kassen
controls-intro = Vælg, hvad dit barn ikke må købe, og skriv en kort besked, som kassen viser ved hvert køb (fx en allergi).
controls-blocked = Må ikke købe
controls-note = Besked til personalet
controls-save = Gem
controls-saved = Reglerne ved kassen er gemt.
controls-too_long = Beskeden må højst være 200 tegn.
controls-none = Ingen spærringer
controls-not_allowed = Må ikke købe: { $items }
action-controls = Regler ved kassen
site-name = Saldo
site-tagline = Betalingskort til skole og klub
nav-skip = Gå til indhold
nav-overview = Mine børn
nav-help = Hjælp
nav-office = Kontoret
nav-admin = Kortlager
nav-sales_points = Salgssteder
nav-login = Log ind
nav-logout = Log ud
nav-other_lang = English
nav-other_lang_code = en
nav-main = Hovedmenu
sales_points-title = Mine salgssteder
sales_points-none = Du sælger ikke på noget salgssted endnu. Bed din leder eller kontoret om adgang.
sales_points-day = Dagsrapport og nye kasser
sales_points-products = Varer og priser
sales_points-till = Åbn kassen
footer-help = Brug for hjælp?
footer-call = Ring til support på
footer-hours = hverdage 8–15
footer-write = eller skriv til
footer-a11y = Tilgængelighedserklæring
landing-title = Betalingskort til skole og klub
landing-intro = Saldo er kommunens betalingskort til kantiner og klubber. Børn betaler med deres kort ved kassen, og forældre sætter penge ind, følger kontoudtoget og sætter et dagligt loft.
landing-login = Log ind som forælder
landing-api = For kasser og integrationer: kasse-API'et er beskrevet i
landing-api_link = OpenAPI-specifikationen
login-title = Log ind
login-intro = Skriv din e-mailadresse. Vi sender dig et link, som logger dig ind.
login-email = E-mailadresse
login-send = Send login-link
login-demo = Demo: log ind med ét klik
login-sent_title = Tjek din e-mail
login-sent = Hvis adressen er kendt hos os, har vi sendt et login-link til den. Linket virker i 15 minutter og kun én gang.
login-sent_none = Intet link? Tjek spam-mappen, eller ring til support.
login-link_title = Log ind på Saldo
login-link_button = Log ind
login-link_invalid = Linket er allerede brugt eller udløbet. Bed om et nyt login-link.
login-rate_limited = Du har bedt om mange links på kort tid. Vent et kvarter, og prøv igen.
login-not_email = Skriv en gyldig e-mailadresse, fx navn@eksempel.dk.
demo-title = Demo-login
demo-warning = Kun i demo: log ind som en af de opdigtede personer med ét klik.
demo-as = Log ind som
demo-group_custodian = Forældre
demo-group_relative = Relationer
demo-group_office = Skole- og klubkontorer
demo-group_till_staff = Kantiner og klubber
demo-group_operator = Drift
demo-group_support = Support
demo-more = Vis { $count } mere
overview-title = Mine børn
overview-last_purchases = Seneste køb
overview-none = Du er ikke knyttet til nogen børn endnu. Kontakt support, hvis det er en fejl.
overview-hello = Hej
child-balance = Saldo
child-today = Brugt i dag
child-of_limit = af
child-no_limit = Intet dagligt loft
child-card = Kort
child-no_card = Intet aktivt kort
child-relative_note = Du er tilknyttet som relation: du kan indbetale og se kontoudtoget.
child-open = Se
child-next-top_up = Saldoen er lav. Sæt penge ind.
child-next-no_card = Der er intet aktivt kort.
child-next-card_ordered = Et nyt kort er bestilt. { $office_s } kontor venter på kort og giver besked, når det ligger klar.
child-next-card_ready = Det nye kort ligger klar på { $office_s } kontor.
child-next-card_handed_out = Det nye kort er udleveret. Aktivér det med koden på kortet.
child-cards = Kort
child-recent = Seneste bevægelser
child-settings = Optankning og beskeder
child-all = Hele kontoudtoget
action-deposit = Sæt penge ind
action-statement = Kontoudtog
action-limit = Dagligt loft
action-transfer = Flyt penge mellem søskende
action-block = Spær kort
action-unblock = Ophæv spærring
block-explain = Et spærret kort kan ikke bruges ved kassen, før spærringen ophæves. Er kortet væk, kan du bagefter bestille et nyt.
block-confirm = Ja, spær kortet
card-active = aktivt
card-blocked = spærret
card-handed_out = udleveret, ikke aktiveret
card-in_stock = på lager
card-cancelled = annulleret
card-ending = slutter på
card-blocked_done = Kortet er spærret. Det kan ikke bruges ved kassen.
card-unblocked_done = Spærringen er ophævet. Kortet virker igen.
statement-title = Kontoudtog
statement-from = Fra dato
statement-to = Til dato
statement-show = Vis
statement-csv = Hent som CSV
statement-date = Dato
statement-what = Tekst
statement-amount = Beløb
statement-balance = Saldo
statement-none = Ingen bevægelser i perioden.
statement-older = Ældre bevægelser
statement-newest = Nyeste bevægelser
statement-card = kort
statement-awaiting_approval = afventer godkendelse
kind-deposit = Indbetaling
kind-purchase = Køb
kind-refund = Tilbagebetaling
kind-card_fee = Erstatningskort
kind-transfer = Overførsel mellem søskende
kind-withdrawal = Udbetaling
kind-migration = Saldo fra det gamle system
kind-reversal = Tilbageførsel
deposit-title = Sæt penge ind
several-title = Sæt penge ind for flere børn
several-intro = Skriv beløbet for hvert barn, du vil sætte penge ind for (tomt felt: intet). Du betaler det hele på én gang, og hvert barn får sin del.
several-pay = Betal for alle på én gang
several-hint = Saldo { $balance }. Højst { $room } mere kan stå på kontoen.
several-none = Skriv et beløb for mindst ét barn.
several-bad_amount = { $child }: skriv beløbet i kroner, fx 100 eller 75,50.
several-link = Sæt penge ind for flere børn på én gang
deposit-for = til
deposit-choose = Vælg beløb
deposit-other = Andet beløb (kr.)
deposit-other_hint = Fx 75 eller 75,50
deposit-limits = Mindst { $min } og højst { $max } pr. indbetaling. Der er plads til { $room } mere på kontoen.
deposit-fee = Gebyr pr. indbetaling: { $fee }. Det betales oven i beløbet.
deposit-no_fee = Der er intet gebyr.
deposit-pay = Gå til betaling
deposit-pay_amount = Betal { $amount }
deposit-other_heading = Et andet beløb
deposit-full = Kontoen er fyldt op til loftet. Der kan ikke sættes flere penge ind lige nu.
deposit-below_min = Det mindste beløb er { $min }.
deposit-unavailable = Indbetaling er ikke slået til endnu. Ring til support på 71 99 54 45, hvis du har spørgsmål.
deposit-above_max = Det største beløb pr. indbetaling er { $max }.
deposit-over_cap = Saldoen må højst være { $cap }. Der er plads til { $room } mere.
deposit-bad_amount = Skriv beløbet i kroner, fx 75 eller 75,50.
deposit-provider = Betal med
deposit-provider_fee = { $provider }, gebyr { $fee }
receipt-title = Indbetaling
receipt-also_for = Betalingen gjaldt også
receipt-pending = Vi venter på besked fra betalingsudbyderen. Siden opdaterer sig selv.
receipt-confirmed = Tak! Pengene er sat ind.
receipt-declined = Betalingen blev afvist. Der er ikke trukket penge. Prøv et andet kort.
receipt-cancelled = Betalingen blev annulleret. Der er ikke trukket penge.
receipt-amount = Beløb
receipt-fee = Gebyr
receipt-new_balance = Ny saldo
receipt-back = Tilbage til oversigten
receipt-refresh = Opdater siden
limit-title = Dagligt loft
limit-intro = Loftet er det mest, barnet kan købe for på én dag. Det gælder ved kassen med det samme.
limit-amount = Loft pr. dag (kr.)
limit-save = Gem loft
limit-remove = Fjern loftet
limit-saved = Det daglige loft er gemt.
limit-removed = Det daglige loft er fjernet.
limit-out_of_range = Et dagligt loft skal være mellem 1 kr. og 1.000 kr.
transfer-title = Flyt penge mellem søskende
transfer-from = Fra
transfer-to = Til
transfer-amount = Beløb (kr.)
transfer-submit = Flyt pengene
transfer-done = Pengene er flyttet.
transfer-need_two = Du skal være forælder til mindst to børn for at flytte penge mellem dem.
transfer-insufficient = Der er ikke penge nok på kontoen, der skal flyttes fra.
transfer-same = Vælg to forskellige børn.
help-title = Hjælp
a11y-title = Tilgængelighedserklæring
error-title = Noget gik galt
error-not_found = Siden findes ikke, eller du har ikke adgang til den.
error-forbidden = Det har du ikke lov til. Kun forældre med forældremyndighed kan ændre det.
error-other_institution = Det hører til en anden skole eller klub. Kontoret ser kun sine egne børn, bestillinger og kort.
error-csrf = Formularen var for gammel. Gå tilbage, genindlæs siden, og prøv igen.
error-bad_input = Teksten indeholder et tegn, som ikke kan gemmes (et nul-tegn). Intet er ændret. Gå tilbage, ret teksten, og prøv igen.
error-already_sent = Formularen er allerede sendt, og det bliver kun gjort én gang. Se barnets side eller kontoudtoget for, hvad der skete.
error-internal = Der skete en fejl hos os. Intet er ændret. Prøv igen om lidt, eller ring til support.
error-back = Til forsiden
sandbox-title = Testbetaling
sandbox-warning = Dette er sandkassens betalingsside. Der trækkes ingen rigtige penge.
sandbox-amount = Beløb
sandbox-card = Kortnummer
sandbox-card_hint = Testkort: 4111 1111 1111 1111 godkendes, 4000 0000 0000 0002 afvises.
sandbox-pay = Betal
sandbox-save = Gem kort
sandbox-save_card = Kortet gemmes hos betalingsudbyderen til automatisk optankning. Der trækkes ingen penge nu.
sandbox-save_hint = Gem 4000 0000 0000 0341 for et kort, der senere afvises, eller 4000 0027 6000 3184 for et, der kræver godkendelse. Et kort, der er udløbet, afvises.
sandbox-expiry = Udløbsdato (MM/ÅÅ)
sandbox-cancel = Annuller
sandbox-bad = Betalingslinket er ugyldigt eller ændret.
products-title = Varer
products-link = Varer og priser
products-to_report = Til dagens salg
products-intro = Det, der vises her, kan kassen sælge. En skjult vare sælges ikke, men står stadig på gamle kvitteringer. En ny pris gælder kun nye salg.
products-none = Der er ingen varer endnu. Tilføj den første nedenfor.
products-shown_tag = Vises ved kassen
products-hidden_tag = Skjult
products-up = Flyt op
products-down = Flyt ned
products-hide = Skjul
products-show = Vis ved kassen
products-edit = Ret
products-name = Navn
products-price = Pris i kr.
products-price_hint = Fx 12 eller 12,50. Højst { $max }.
products-category = Kategori
products-category_hint = Vælg en kategori, der er i brug, eller skriv en ny. Forældre kan spærre disse for deres barn: { $blockable }.
products-allergens = Allergener
products-save = Gem ændringer
products-add_title = Tilføj en vare
products-add = Tilføj vare
products-added = Varen er tilføjet og kan sælges ved kassen nu.
products-saved = Varen er gemt. Ændringen gælder nye salg.
products-hidden = Varen er skjult. Kassen sælger den ikke længere.
products-shown = Varen vises ved kassen igen.
products-bad_name = Giv varen et navn på 1 til 60 tegn. Intet er ændret.
products-bad_price = Skriv prisen i kroner, fx 12 eller 12,50. Den skal være over 0 og højst { $max }. Intet er ændret.
products-bad_category = Giv varen en kategori på 1 til 30 tegn, fx mad eller slik. Intet er ændret.
products-bad_allergens = Allergener må højst fylde 200 tegn. Intet er ændret.
products-too_many = Salgsstedet har allerede { $max } varer. Ret eller genbrug en skjult vare i stedet.
mailbox-title = Demo-postkasse
mailbox-intro = Kun i demo: de mails, Saldo ville have sendt.
mailbox-none = Ingen mails endnu.
action-replacement = Bestil erstatningskort
action-activate = Aktivér nyt kort
form-back_to_child = Tilbage til barnet
order-title = Erstatningskort
order-intro = Er kortet væk? Bestil et nyt. Det gamle kort spærres med det samme, og gebyret trækkes fra saldoen. Det nye kort hentes på kontoret og aktiveres her bagefter.
order-fee = Gebyr
order-blocks = Når du bestiller, spærres kortet, der
order-submit = Spær og bestil nyt kort
order-insufficient = Der er ikke penge nok på kontoen til gebyret på { $fee }. Kortet er spærret. Sæt penge ind, og bestil igen.
order-already = Der er allerede bestilt et nyt kort. Se nedenfor, hvor det hentes.
order-no_office = Barnet er ikke knyttet til en skole eller klub med et kontor. Ring til support.
order-done = Det gamle kort er spærret, og et nyt kort er bestilt. Det kan hentes på kontoret; der er sendt en mail om det.
order-done_waiting = Det gamle kort er spærret, og et nyt kort er bestilt. Kontoret venter på nye kort; vi sender en mail, når det kan hentes.
order-yours = Bestilt kort
order-cancel_title = Fundet det gamle kort?
order-cancel_intro = Så længe kortet ikke er hentet, kan du annullere bestillingen. Gebyret sættes tilbage på kontoen, og det gamle kort forbliver spærret, til du selv ophæver spærringen på barnets side.
order-cancel = Annullér bestillingen
order-cancelled_done = Bestillingen er annulleret, og gebyret er sat tilbage på kontoen. Har du fundet det gamle kort, kan du ophæve spærringen herunder.
order-wallet_closed = Kontoen er lukket, så gebyret kan ikke sættes tilbage her. Ring til support på 71 99 54 45.
order-not_cancellable = Bestillingen kan ikke længere annulleres: kortet er allerede hentet eller bestillingen annulleret.
order-state = Status
order-ordered_at = Bestilt
order-ordered = Bestilt, klar til at blive hentet
order-handed_out = Udleveret, venter på aktivering
order-activated = Aktiveret
order-cancelled = Annulleret
order-fetch_at = Kortet hentes på kontoret på { $office }.
activate-title = Aktivér nyt kort
activate-intro = Skriv kortnummeret og aktiveringskoden, der står på kortet. Så kommer kortet på barnets konto med saldo, aftaler og loft.
activate-for = Kortet aktiveres til
activate-child = Barn
activate-number = Kortnummer (16 cifre)
activate-code = Aktiveringskode
activate-hint = Du kan også scanne QR-koden på kortet med telefonen: så er felterne udfyldt.
activate-submit = Aktivér kortet
activate-bad_number = Kortnummeret skal være de 16 cifre på kortet. Tjek, at det er skrevet rigtigt.
activate-wrong = Kortnummer eller aktiveringskode passer ikke. Tjek begge, og prøv igen.
activate-used = Koden er allerede brugt: kortet er aktiveret eller givet til et andet barn. Ring til support, hvis det er en fejl.
activate-locked = Der er prøvet for mange gange. Vent et kvarter, og prøv igen, eller ring til support.
activate-another_active = Barnet har allerede et aktivt kort. Spær det først, hvis det skal erstattes.
activate-done = Kortet er aktiveret og kan bruges ved kassen nu.
office-title = Kontoret
office-in_stock = Blanke kort på lager
office-waiting = Venter på kort
office-hand_out_list = Udleveringsliste
office-none_waiting = Ingen venter på et kort.
office-scan = Scan eller skriv kortnummeret (valgfrit: så kan kun dette barn aktivere kortet)
office-hand_out = Udlevér kort
office-done_today = Udleveret i dag
office-search = Find et barn
office-search_label = Navn eller kortnummer
office-search_button = Søg
office-no_match = Ingen børn på jeres institution passer på søgningen.
office-born = født
office-handed_out_done = Kortet er udleveret. Forælderen kan nu aktivere det.
office-blocked_done = Kortet er spærret.
office-activated_done = Kortet er aktiveret.
office-not_in_stock = Det kort er ikke et blankt kort på jeres lager. Tag et andet kort, eller lad feltet være tomt.
office-order_not_open = Bestillingen er allerede udleveret eller lukket.
office-orders = Bestilte kort
office-activate = Aktivér et kort ved skranken
office-back = Tilbage til kontoret
admin-title = Kortlager
admin-sandbox_on = Testbetalinger er slået til: sandkassens testkort sætter penge ind uden rigtige penge. Saldo må ikke bruges af forældre sådan.
admin-central = Centralt lager
admin-offices = Kort på kontorernes lager
admin-office = Kontor
admin-generate = Lav en ny batch
admin-generate_intro = Saldo laver kortnumre og aktiveringskoder. Filen til kortprinteren hentes én gang: koderne kan ikke ses igen bagefter.
admin-count = Antal kort
admin-to = Til
admin-generate_button = Lav batch og hent printerfil
admin-import = Indlæs kortprinterens fil
admin-file = Én linje pr. kort: kortnummer;chip-id;aktiveringskode
admin-import_button = Indlæs kortene
admin-allocate = Fordel kort til et kontor
admin-allocate_button = Fordel
admin-batch_size = En batch er mellem 1 og { $max } kort.
admin-bad_line = Linje { $line } kan ikke læses. Tjek kortnummer, chip-id og kode.
admin-imported = { $count } kort er indlæst.
admin-allocated = { $count } kort er flyttet til kontoret.
staff-title = Log ind som personale
staff-intro = For skolekontorer og drift: log ind med e-mail og adgangskode.
staff-password = Adgangskode
staff-wrong = E-mail eller adgangskode passer ikke.
staff-link = Personale: log ind med adgangskode
form-cancel = Fortryd
action-withdraw = Udbetal penge
withdraw-title = Udbetaling
withdraw-intro = Få penge fra kontoen udbetalt, fx når barnet stopper på skolen. Beløbet reserveres med det samme og udbetales, når kommunen har godkendt det.
withdraw-how = Hvordan skal pengene udbetales?
withdraw-card = Tilbage til det kort, der blev brugt til indbetalinger
withdraw-bank = Til en bankkonto
withdraw-card_max = Tilbage til kortet kan gå det, du selv har sat ind for barnet og ikke har fået tilbage; resten udbetales til en bankkonto. Lige nu højst { $max }
withdraw-card_too_much = Højst { $max } kan sendes tilbage til dit kort (det, du selv har sat ind). Vælg bankkonto for at få mere udbetalt.
admin-card_refund_short = Forælderens egne indbetalinger dækker ikke længere beløbet, så det kan ikke sendes tilbage til kortet. Afvis udbetalingen; forælderen kan bede om den til en bankkonto.
admin-unanswered_title = Refusioner uden svar fra betalingsudbyderen
admin-unanswered_intro = Betalingsudbyderen svarede ikke, selv om vi prøvede flere gange, så vi ved ikke, om pengene er sendt tilbage. Beløbet står som udestående. Prøv igen fra jobkøen; samme nøgle sendes igen, så der refunderes højst én gang.
admin-refused_title = Refusioner, som betalingsudbyderen afviste
admin-refused_intro = Beløbene er sat tilbage på barnets konto, og forælderen har fået besked om at bede om udbetaling til en bankkonto i stedet.
withdraw-reg = Registreringsnummer (4 cifre, kun ved bankkonto)
withdraw-account = Kontonummer (op til 10 cifre, kun ved bankkonto)
withdraw-submit = Bed om udbetaling
withdraw-requested = Udbetalingen er bestilt. Beløbet er reserveret, og du får besked, når det er udbetalt.
withdraw-too_much = Beløbet er større end saldoen.
withdraw-bad_account = Skriv et registreringsnummer på 4 cifre og et kontonummer på op til 10 cifre.
account-close_title = Luk kontoen
account-close_intro = Når barnet stopper i kommunens skoler og klubber, kan kontoen lukkes. Kortene spærres for altid, og personoplysningerne slettes efter opbevaringsperioden.
account-close = Luk kontoen for altid
account-closed = Kontoen er lukket.
account-not_empty = Der står stadig penge på kontoen. Få dem udbetalt først.
admin-withdrawals = Udbetalinger til godkendelse
admin-none = Ingen udbetalinger venter.
admin-approve = Godkend
admin-reject = Afvis
admin-bank_title = Bankoverførsler
admin-bank_intro = Godkendte udbetalinger til bankkonto, som regneark til bankens upload. Uden datoer får du de overførsler, der ikke er hentet før, og de markeres som hentet. Med datoer får du alle i perioden igen. Hver hentning logges.
admin-bank_download = Hent bankoverførsler (CSV)
admin-nav = Administration
jobs-title = Jobkø
jobs-intro = Saldo sender mails og taler med betalingsudbyderen i baggrunden. Et job, der fejler, prøves igen med længere og længere pause; efter en række forsøg opgives det og kan prøves igen herfra. Et jobs indhold vises aldrig: mails kan indeholde login-links.
jobs-by_kind = Job efter slags
jobs-no_jobs = Der er ingen job endnu.
jobs-waiting = Venter
jobs-failing = Heraf med fejl
jobs-given_up = Opgivet
jobs-done_recently = Udført seneste døgn
jobs-oldest = Ældste ventende
jobs-age_seconds = { $n } sek.
jobs-age_minutes = { $n } min.
jobs-age_hours = { $n } t.
jobs-age_days = { $n } døgn
jobs-kind_mail = Mail
jobs-kind_top_up = Automatisk optankning
jobs-kind_sandbox_callback = Svar fra sandkassens betalinger
jobs-kind_payout_refund = Udbetaling tilbage til kort
jobs-kind_payment_poll = Betaling læst tilbage hos udbyderen
jobs-troubled = Job, der fejler eller er opgivet
jobs-troubled_intro = De nyeste først, højst { $max }.
jobs-none_troubled = Ingen job fejler.
jobs-to = til
jobs-created = Oprettet
jobs-attempts = Forsøg
jobs-next = Næste forsøg
jobs-last_error = Sidste fejl
jobs-retry = Prøv igen
jobs-retried = Jobbet prøves igen nu.
order-waiting_for_cards = Bestilt, venter på kort på kontoret
action-relatives = Relationer
relatives-title = Relationer
relatives-intro = En relation – fx en bedsteforælder – kan sætte penge ind og se kontoudtoget, men aldrig hæve penge eller ændre noget. Du kan fjerne en relation når som helst.
relatives-active = Tilknyttede relationer
relatives-none = Der er ingen relationer.
relatives-remove = Fjern
relatives-pending = Sendte invitationer
relatives-no_pending = Ingen invitationer venter.
relatives-withdraw = Træk tilbage
relatives-invite = Inviter en relation
relatives-message = En personlig hilsen (valgfri)
relatives-send = Send invitation
relatives-sent = Invitationen er sendt.
relatives-removed = Relationen er fjernet. Adgangen er lukket med det samme.
relatives-withdrawn = Invitationen er trukket tilbage.
relatives-not_email = Skriv en gyldig e-mailadresse.
relatives-too_long = Hilsenen må højst være 300 tegn.
relatives-custodian = Adressen tilhører en forælder til barnet.
invitation-title = Invitation til Saldo
invitation-intro = { $from } inviterer dig til at følge { $child }: du kan sætte penge ind og se kontoudtoget.
invitation-name = Dit navn (hvis du er ny i Saldo)
invitation-accept = Tag imod
invitation-closed = Invitationen er allerede brugt, trukket tilbage eller udløbet. Bed den, der inviterede dig, om en ny.
invitation-wrong_account = Invitationen er sendt til en anden e-mailadresse end den, du er logget ind med. Log ud, og åbn linket igen.
invitation-name_missing = Skriv dit navn.
agreement-title = Automatisk optankning
agreement-intro = Når saldoen kommer under grænsen, sætter vi beløbet ind fra et gemt kort.
agreement-none = Der er ingen aftale om automatisk optankning.
agreement-rule = Under { $threshold }: sæt { $amount } ind
agreement-owner = Aftale for
agreement-yours = din aftale
agreement-active = aktiv
agreement-paused = sat på pause
agreement-threshold = Når saldoen er under (kr.)
agreement-amount = Sæt dette beløb ind (kr.)
agreement-save = Gem og vælg kort
agreement-new = Sæt automatisk optankning op
agreement-new_card = Ny aftale eller nyt kort
agreement-pause = Sæt på pause
agreement-resume = Genoptag
agreement-delete = Slet aftalen
agreement-pending = Aftalen er gemt, så snart betalingsudbyderen har gemt dit kort.
agreement-changed = Aftalen er ændret.
agreement-bad_threshold = Grænsen skal være mellem 1 kr. og { $max } (saldoloftet).
agreement-over_cap = Grænse og beløb må tilsammen højst være { $max } (saldoloftet), ellers kan optankningen ikke være på kontoen. Vælg en lavere grænse eller et mindre beløb.
agreement-bad_amount = Beløbet skal være mellem { $min } og { $max }.
agreement-edit = Ret grænse og beløb
agreement-save_terms = Gem ændringen (samme kort)
agreement-card = Kort der slutter på { $last4 }, udløber { $expires }
agreement-card_expiring = Kortet udløber snart. Gem dit nye kort med formularen herunder, så optankningen fortsætter.
low_balance-title = Besked ved lav saldo
low_balance-intro = Få en mail, når saldoen kommer under et beløb, du selv vælger.
low_balance-on = Du får en mail, når saldoen kommer under
low_balance-threshold = Send mig en mail, når saldoen er under (kr.)
low_balance-save = Gem besked
low_balance-choose = Vælg beløbet for beskeden
low_balance-setup = Få besked ved lav saldo
low_balance-stop = Stop beskederne
low_balance-saved = Du får en mail, når saldoen kommer under beløbet.
low_balance-stopped = Du får ikke flere mails om lav saldo.
low_balance-bad_threshold = Skriv et beløb mellem 1 kr. og { $max }, fx 50.

decline-insufficient_funds = Der er ikke penge nok på kortet.
decline-daily_limit_exceeded = Dagens grænse for køb er nået.
decline-card_blocked = Kortet er spærret.
decline-card_not_active = Kortet er ikke aktiveret endnu.
decline-unknown_card = Kortet kendes ikke. Prøv at scanne igen.
decline-wallet_closed = Kontoen er lukket.
decline-item_blocked = Forældrene har sagt nej til denne vare. Tag varen ud af kurven.
api-unauthorized = Kassen er ikke logget ind. Par kassen igen, eller kontakt support.
api-missing_idempotency_key = Der mangler en Idempotency-Key i forespørgslen.
api-invalid_idempotency_key = Idempotency-Key skal være 1 til 200 synlige ASCII-tegn.
api-malformed_json = Forespørgslen er ikke gyldig JSON.
api-too_large = Forespørgslen er for stor (højst 64 KiB). Send færre linjer ad gangen.
api-invalid_request = Forespørgslen mangler felter eller har felter af forkert type.
api-unreadable_card = Kortnummeret kan ikke læses. Scan kortet igen, eller tast de 16 cifre.
api-no_lines = Kurven er tom. Vælg mindst én vare.
api-too_many_lines = Der er for mange varer i kurven. Del købet op.
api-bad_quantity = Antal skal være mellem 1 og 99.
api-unknown_product = En vare i kurven sælges ikke her. Hent varelisten igen.
api-idempotency_key_reused = Nøglen er allerede brugt til et andet køb. Start et nyt køb.
api-not_found = Siden findes ikke.
api-internal = Der skete en fejl hos os. Intet er trukket. Prøv igen om lidt.
api-pairing_invalid = Koden virker ikke. Den er brugt eller for gammel. Bed lederen om en ny kode.
api-bad_pin = En PIN-kode er 4 til 8 cifre.
api-wrong_pin = Forkert PIN-kode. Prøv igen.
api-too_many_pin_attempts = For mange forkerte PIN-koder. Vent et kvarter, og prøv igen.
api-till_locked = Kassen er låst. Lås op med din PIN-kode.
api-forbidden = Det må du ikke her.
api-void_too_late = Salget er for gammelt til at blive annulleret. Lav en refusion i stedet.
api-already_undone = Salget er allerede annulleret eller refunderet.
api-nothing_to_refund = Der er ikke mere at refundere på den linje.
api-bad_till_name = Giv kassen et navn på 1 til 60 tegn.

# What the payment page shows when a card is saved for top-ups.
pay-save_card = Gem kort til automatisk optankning
pay-deposit = Indbetaling til { $child_s } kort
pay-deposit-several = Indbetaling til { $children }
word-and = og

## Mails. Every mail is -subject and -body; $child_s is the child's name in the genitive.

-signature =
    Venlig hilsen
    Skole og Klub

    Spørgsmål? Ring til support på 71 99 54 45 (hverdage 8–15).

mail-login_link-subject = Dit login-link til Saldo
mail-login_link-body =
    Hej { $first_name }

    Åbn dette link for at logge ind på Saldo:

    { $link }

    Linket virker én gang og i { $minutes ->
        [one] ét minut
       *[other] { $minutes } minutter
    }. Har du ikke bedt om det, kan du se bort fra denne mail.

    { -signature }

mail-deposit_receipt-subject = Kvittering: { $amount } til { $child }
mail-deposit_receipt-body =
    Hej

    Vi har modtaget { $amount } til { $child }. Saldoen er nu { $balance }.

    Betalt med { $provider }, referencen hos { $provider } er { $reference }.

    { -signature }

mail-top_up_done-subject = Automatisk optankning: { $amount } til { $child }
mail-top_up_done-body =
    Hej

    Saldoen for { $child } kom under din grænse, så vi har sat { $amount } ind fra dit gemte kort. Saldoen er nu { $balance }.

    { -signature }

mail-top_up_failed-subject = Automatisk optankning for { $child } mislykkedes
mail-top_up_failed-body =
    Hej

    Vi kunne ikke sætte penge ind for { $child }: dit kort blev afvist. Der er ikke trukket penge. Vi prøver igen; efter { $tries ->
        [one] én afvisning
       *[other] { $tries } afvisninger
    } i træk sættes den automatiske optankning på pause.

    Er kortet spærret eller udløbet, så log ind på Saldo og gem et nyt kort.

    { -signature }

mail-top_up_paused-subject = Automatisk optankning for { $child } er sat på pause
mail-top_up_paused-body =
    Hej

    Vi kunne ikke sætte penge ind for { $child }: { $reason ->
        [needs_cardholder] din bank vil have, at du selv godkender betalingen
        [declined] dit kort blev afvist flere gange
       *[unreachable] vi kunne ikke få forbindelse til betalingstjenesten, selv om vi prøvede flere gange
    }. Der er ikke trukket penge. Den automatiske optankning er sat på pause.

    Log ind på Saldo for at gemme et kort igen eller sætte penge ind selv.

    { -signature }

mail-card_ready-subject = { $child_s } nye kort ligger klar på { $office }
mail-card_ready-body =
    Hej { $first_name }

    Det nye betalingskort til { $child } ligger klar på kontoret på { $office }. { $child } kan hente det dér og skal bare sige sit navn.

    Kortet virker, når du har aktiveret det. Log ind på Saldo, og skriv kortnummeret og aktiveringskoden, der står på kortet:

    { $link }

    Du kan også scanne QR-koden på kortet. Saldoen, det daglige loft og en eventuel automatisk optankning følger med til det nye kort. Husk at skrive { $child_s } navn i det hvide felt på kortet.

    { -signature }

mail-relative_invited-subject = { $from } inviterer dig til at følge { $child } i Saldo
mail-relative_invited-body =
    Hej

    { $from } inviterer dig til at følge { $child_s } betalingskort i Saldo: du kan sætte penge ind og se kontoudtoget.
    { $note }
    Tag imod invitationen her (linket virker én gang, i { $days ->
        [one] én dag
       *[other] { $days } dage
    }):

    { $link }

    { -signature }

mail-relative_removed-subject = Du følger ikke længere { $child } i Saldo
mail-relative_removed-body =
    Hej

    En forælder har fjernet dig som relation til { $child } i Saldo. Du kan ikke længere sætte penge ind eller se kontoudtoget, og din automatiske optankning for { $child } er stoppet.

    { -signature }

mail-card_expiring-subject = Dit kort til automatisk optankning for { $child } udløber snart
mail-card_expiring-body =
    Hej

    Kortet, der slutter på { $last4 }, som du har gemt til automatisk optankning for { $child }, udløber med udgangen af { $expires }. Derefter kan vi ikke sætte penge ind fra det.

    Log ind på Saldo og gem dit nye kort under "Automatisk optankning" på { $child_s } side, så optankningen fortsætter.

    { -signature }

mail-card_expired-subject = Dit kort til automatisk optankning for { $child } er udløbet
mail-card_expired-body =
    Hej

    Kortet, der slutter på { $last4 }, som du har gemt til automatisk optankning for { $child }, udløb med udgangen af { $expires }. Vi kan ikke sætte penge ind fra det.

    Log ind på Saldo og gem dit nye kort under "Automatisk optankning" på { $child_s } side, så optankningen fortsætter.

    { -signature }

mail-low_balance-subject = Saldoen for { $child } er under { $threshold }
mail-low_balance-body =
    Hej

    Saldoen for { $child } er nu { $balance }, under de { $threshold }, du har bedt om besked ved.

    Log ind på Saldo for at sætte penge ind. Du kan ændre eller stoppe disse mails på { $child_s } side.

    { -signature }

mail-payout_to_bank-subject = Udbetaling af { $amount } er godkendt
mail-payout_to_bank-body =
    Hej

    Udbetalingen af { $amount } fra { $child_s } konto er godkendt og overføres til konto { $account } inden for få bankdage.

    { -signature }

mail-payout_to_card-subject = Udbetaling af { $amount } er godkendt
mail-payout_to_card-body =
    Hej

    Udbetalingen af { $amount } fra { $child_s } konto er godkendt og sendes tilbage til det eller de kort, du har indbetalt med. Der kan gå nogle dage, før din bank viser den.

    { -signature }

mail-payout_refused-subject = Udbetaling af { $amount } er ikke godkendt
mail-payout_refused-body =
    Hej

    Udbetalingen af { $amount } fra { $child_s } konto er ikke godkendt. Pengene står igen på kontoen. Ring til support, hvis du har spørgsmål.

    { -signature }

mail-refund_refused-subject = { $amount } kunne ikke sendes tilbage til dit kort
mail-refund_refused-body =
    Hej

    Betalingstjenesten kunne ikke sende { $amount } af din udbetaling tilbage til dit kort. Beløbet står igen på { $child_s } konto. Log ind på Saldo og bed om udbetalingen til en bankkonto i stedet.

    { -signature }

# Logging in with MitID (a broker, over OpenID Connect) and the municipality's own login for staff.
login-mitid = Log ind med MitID
login-mitid_intro = Forældre logger ind med MitID. Har du ikke MitID, kan du få et login-link på e-mail.
login-email_heading = Log ind med e-mail
staff-sso = Log ind med kommunens login
staff-sso_intro = Ansatte i kommunen logger ind med deres arbejdslogin.
staff-password_heading = Log ind med adgangskode
error-login_cancelled = Du afbrød login. Du er ikke logget ind.
error-login_expired = Login tog for lang tid, eller linket er allerede brugt. Start forfra.
error-login_failed = Vi kunne ikke bekræfte dit login hos MitID eller kommunens login. Du er ikke logget ind. Prøv igen, eller ring til support.
error-login_unavailable = Vi kan ikke nå MitID eller kommunens login lige nu. Prøv igen om lidt, eller log ind med et link på e-mail.
error-login_not_fresh = Dit MitID-login var ikke nyt nok. Log ind med MitID igen for at fortsætte.
error-login_wrong_person = Du loggede ind med en andens MitID. Log ind med dit eget MitID.
error-unknown_groups = Din bruger i kommunen giver ikke adgang til Saldo. Bed din leder eller IT om at give dig adgang.
error-binding_invalid = Linket er brugt, udløbet, eller åbnet i en anden browser end den, du loggede ind med MitID i. Log ind med MitID igen, og åbn linket i samme browser.
error-step_up = Det kræver, at du har bekræftet, hvem du er, inden for de sidste 15 minutter. Gå tilbage til siden, og bekræft med MitID eller et link på e-mail.
error-try_again = Prøv at logge ind igen
error-back_portal = Til mine børn
mitid-bind_title = Velkommen, { $name }
mitid-bind_intro = Dit MitID er ikke knyttet til Saldo endnu. Skriv den e-mailadresse, skolen har på dig. Vi sender et link, som knytter dit MitID til din konto. Åbn linket i denne browser.
mitid-bind_send = Send link
mitid-bind_sent_title = Tjek din e-mail
mitid-bind_sent = Hvis skolen har adressen, har vi sendt et link til den. Åbn det i denne browser inden for 15 minutter.
mitid-bind_link_title = Knyt dit MitID til Saldo
mitid-bind_link_intro = Når du trykker på knappen, kan du fremover logge ind på Saldo med dit MitID.
mitid-bind_link_button = Knyt MitID og log ind
stepup-title = Bekræft, at det er dig
stepup-mitid = For din sikkerhed skal du bekræfte med MitID, før du beder om en udbetaling, tilføjer en relation eller lukker kontoen.
stepup-mitid_button = Bekræft med MitID
stepup-email = For din sikkerhed skal du bekræfte med et link på e-mail, før du beder om en udbetaling, tilføjer en relation eller lukker kontoen.
stepup-email_button = Send mig et link

mail-mitid_binding-subject = Knyt dit MitID til Saldo
mail-mitid_binding-body =
    Hej { $first_name }

    Nogen loggede ind på Saldo med MitID som { $mitid_name } og bad om at knytte det til din konto. Var det dig, så åbn dette link i den samme browser:

    { $link }

    Linket virker én gang og i { $minutes ->
        [one] ét minut
       *[other] { $minutes } minutter
    }. Var det ikke dig, så se bort fra denne mail; intet bliver knyttet uden linket.

    { -signature }

# Payment providers by name, as parents see them.
provider-sandbox = Testbetaling (sandkasse)
provider-nexi = Betalingskort (Dankort, Visa, Mastercard)
provider-vipps = MobilePay
provider-stripe = Betalingskort (Stripe)
method-dankort = Dankort
method-visa_mastercard = Visa eller Mastercard

# The operator's reconciliation page.
payments-title = Betalinger
payments-intro = Afstemning pr. betalingsudbyder og dag: hvad udbyderen har bekræftet at have trukket, mod hvad der er sat ind på kontiene plus gebyrer. Betalinger der venter, ikke stemmer eller er tilbagebetalt står nedenfor med udbyderens id og de kald, udbyderen har sendt.
payments-date = Dato
payments-show = Vis
payments-none = Ingen betalinger den dag.
payments-confirmed = Bekræftet af udbyderen
payments-credited = Sat ind på kontiene
payments-fees = Gebyrer
payments-result = Afstemning
payments-balances = Stemmer til øren
payments-unbalanced = Stemmer ikke
payments-what = Hvad
payments-deposit = Indbetaling
payments-provider_ref = Udbyderens id
payments-status = Status
payments-asked = Beløb
payments-taken = Trukket
payments-refunded_amount = Tilbagebetalt
payments-events = Kald fra udbyderen
payments-pending = Venter
payments-mismatched = Stemmer ikke
payments-refunded = Tilbagebetalt
payments-refused = Afviste kald (forfalskede eller ændrede)
payments-kind_deposit = Indbetaling
payments-kind_top_up = Automatisk optankning
payments-status_pending = afventer udbyderen
payments-status_credited = betalt og sat ind
payments-status_not_paid = ikke betalt

# Saldo's own payment page for Stripe (Stripe Elements).
stripe-title = Betal med kort
stripe-pay_intro = Du betaler
stripe-save_intro = Gem et betalingskort til automatisk optankning. Der trækkes ingen penge nu.
stripe-card = Kortoplysninger
stripe-pay = Betal
stripe-save = Gem kort
stripe-failed = Kortet kunne ikke bruges. Prøv igen eller brug et andet kort.
stripe-needs_script = Kortfeltet kommer fra Stripe og kræver JavaScript.
stripe-by_stripe = Kortoplysningerne går direkte til Stripe; Saldo ser dem aldrig.

# On the way to the payment provider's page.
pay-continue_title = Videre til betaling
pay-continue_text = Du sendes videre til betalingsudbyderens side.
pay-continue_link = Gå til betaling
