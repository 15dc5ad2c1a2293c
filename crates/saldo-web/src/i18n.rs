//! The catalogue: every text a person reads, in Danish (the default) and English.
//!
//! One enum of messages and one exhaustive match per language, so a message
//! without a translation does not compile.

use saldo_core::purchase::Decline;

/// The language of a page: the catalogue's own, so pages and mails agree.
pub use saldo_app::texts::Lang;

/// The page catalogue: every text a page shows, by key, in Danish and English.
/// One row per text, so a text cannot exist in one language only.
const TEXTS: &[(&str, &str, &str)] = &[
    ("report.pin_title", "Din PIN-kode ved kassen", "Your PIN at the till"),
    ("report.pin", "Ny PIN-kode (4 til 8 cifre)", "New PIN (4 to 8 digits)"),
    ("report.pin_save", "Gem PIN-kode", "Save PIN"),
    ("report.pin_saved", "Din PIN-kode er gemt. Brug den til at låse kassen op.", "Your PIN is saved. Use it to unlock the till."),
    ("report.pin_bad", "En PIN-kode er 4 til 8 cifre.", "A PIN is 4 to 8 digits."),
    ("till.title", "Kasse", "Till"),
    ("till.approved", "Godkendt", "Approved"),
    ("till.declined", "Afvist", "Declined"),
    ("till.balance", "Saldo nu", "Balance now"),
    ("till.amount", "Beløb", "Amount"),
    ("till.offline", "Ingen forbindelse til serveren. Kurven er gemt. Salget er IKKE gennemført endnu.", "No connection to the server. The basket is kept. The sale has NOT gone through yet."),
    ("till.retrying", "Prøver igen …", "Trying again …"),
    ("till.empty_basket", "Vælg varer først.", "Choose items first."),
    ("till.voided", "Salget er annulleret. Pengene er tilbage på kortet.", "The sale is voided. The money is back on the card."),
    ("till.note", "Besked fra forældre", "Note from parents"),
    ("till.blocked_item", "Vare", "Item"),
    ("till.remove", "Fjern", "Remove"),
    ("till.error", "Noget gik galt. Prøv igen.", "Something went wrong. Try again."),
    ("till.report", "Dagens salg", "Today's sales"),
    ("till.lock", "Lås kassen", "Lock the till"),
    ("till.pair_title", "Opsæt kassen", "Set up the till"),
    ("till.pair_intro", "Skriv koden, som lederen af salgsstedet har fået på Saldo.", "Type the code the sales point's manager got in Saldo."),
    ("till.pair_code", "Parringskode", "Pairing code"),
    ("till.pair_button", "Opsæt kassen", "Set up the till"),
    ("till.unlock_title", "Lås kassen op", "Unlock the till"),
    ("till.pin", "Din PIN-kode", "Your PIN"),
    ("till.unlock_button", "Lås op", "Unlock"),
    ("till.basket", "Kurv", "Basket"),
    ("till.total", "I alt", "Total"),
    ("till.card", "Kort (scan eller tast nummeret)", "Card (scan or type the number)"),
    ("till.charge", "Betal", "Charge"),
    ("till.clear", "Tøm kurven", "Empty the basket"),
    ("till.void", "Annullér sidste salg", "Void last sale"),
    ("till.next", "Næste", "Next"),
    ("till.recent", "Seneste salg / refundér", "Recent sales / refund"),
    ("till.recent_title", "Dagens seneste salg", "Today's recent sales"),
    ("till.recent_intro", "Refundér en vare fra et tidligere salg. Det kræver lederens PIN-kode for hver refundering; pengene går tilbage på barnets konto.", "Refund an item from an earlier sale. Each refund needs the manager's PIN; the money goes back to the child's account."),
    ("till.manager_pin", "Lederens PIN-kode", "Manager's PIN"),
    ("till.refund_one", "Refundér én", "Refund one"),
    ("till.refunded", "Refunderet", "Refunded"),
    ("till.need_pin", "Skriv lederens PIN-kode først.", "Enter the manager's PIN first."),
    ("till.no_recent", "Ingen salg i dag endnu.", "No sales today yet."),
    ("till.voided_sale", "annulleret", "voided"),
    ("till.back_to_sale", "Tilbage til salg", "Back to selling"),
    ("report.title", "Dagens salg", "The day's sales"),
    ("report.day", "Dag", "Day"),
    ("report.show", "Vis", "Show"),
    ("report.purchases", "Køb", "Purchases"),
    ("report.gross", "Solgt", "Sold"),
    ("report.voids", "Annulleret", "Voided"),
    ("report.refunds", "Refunderet", "Refunded"),
    ("report.net", "I alt", "Net"),
    ("report.by_product", "Salg pr. vare", "Sales by product"),
    ("report.by_hour", "Salg pr. time", "Sales by hour"),
    ("report.product", "Vare", "Item"),
    ("report.quantity", "Antal", "Quantity"),
    ("report.amount", "Beløb", "Amount"),
    ("report.hour", "Time", "Hour"),
    ("report.none", "Intet salg denne dag.", "No sales this day."),
    ("report.csv", "Hent som CSV", "Download as CSV"),
    ("report.print", "Udskriv", "Print"),
    ("report.chart", "Søjlediagram over salg pr. time", "Bar chart of sales by hour"),
    ("report.pairing", "Ny kasse", "New till"),
    ("report.pairing_intro", "Lav en engangskode og skriv den på den nye kasse under /till. Koden virker i 15 minutter.", "Make a one-time code and type it on the new till at /till. The code works for 15 minutes."),
    ("report.till_name", "Kassens navn", "The till's name"),
    ("report.make_code", "Lav kode", "Make code"),
    ("report.code_is", "Koden er", "The code is"),
    ("report.points", "Mine salgssteder", "My sales points"),
    ("controls.title", "Regler ved kassen", "Rules at the till"),
    ("controls.intro", "Vælg, hvad dit barn ikke må købe, og skriv en kort besked, som kassen viser ved hvert køb (fx en allergi).", "Choose what your child may not buy, and write a short note the till shows at every purchase (e.g. an allergy)."),
    ("controls.blocked", "Må ikke købe", "May not buy"),
    ("controls.note", "Besked til personalet", "Note for the staff"),
    ("controls.save", "Gem", "Save"),
    ("controls.saved", "Reglerne ved kassen er gemt.", "The rules at the till are saved."),
    ("controls.too_long", "Beskeden må højst være 200 tegn.", "The note can be at most 200 characters."),
    ("action.controls", "Regler ved kassen", "Rules at the till"),
    ("site.name", "Saldo", "Saldo"),
    ("site.tagline", "Betalingskort til skole og klub", "Payment cards for school and club"),
    ("nav.skip", "Gå til indhold", "Skip to content"),
    ("nav.overview", "Mine børn", "My children"),
    ("nav.help", "Hjælp", "Help"),
    ("nav.office", "Kontoret", "The office"),
    ("nav.admin", "Kortlager", "Card stock"),
    ("nav.login", "Log ind", "Log in"),
    ("nav.logout", "Log ud", "Log out"),
    ("nav.other_lang", "English", "Dansk"),
    ("nav.other_lang_code", "en", "da"),
    ("nav.main", "Hovedmenu", "Main menu"),
    ("footer.help", "Brug for hjælp?", "Need help?"),
    ("footer.call", "Ring til support på", "Call support on"),
    ("footer.hours", "hverdage 8–15", "weekdays 8–15"),
    ("footer.write", "eller skriv til", "or write to"),
    ("footer.a11y", "Tilgængelighedserklæring", "Accessibility statement"),
    ("landing.title", "Betalingskort til skole og klub", "Payment cards for school and club"),
    ("landing.intro", "Saldo er kommunens betalingskort til kantiner og klubber. Børn betaler med deres kort ved kassen, og forældre sætter penge ind, følger kontoudtoget og sætter et dagligt loft.", "Saldo is the municipality's payment card for canteens and clubs. Children pay with their card at the till, and parents top up, follow the statement and set a daily limit."),
    ("landing.login", "Log ind som forælder", "Log in as a parent"),
    ("landing.api", "For kasser og integrationer: kasse-API'et er beskrevet i", "For tills and integrations: the till API is described in"),
    ("landing.api_link", "OpenAPI-specifikationen", "the OpenAPI specification"),
    ("login.title", "Log ind", "Log in"),
    ("login.intro", "Skriv din e-mailadresse. Vi sender dig et link, som logger dig ind.", "Enter your e-mail address. We will send you a link that logs you in."),
    ("login.email", "E-mailadresse", "E-mail address"),
    ("login.send", "Send login-link", "Send login link"),
    ("login.demo", "Demo: log ind med ét klik", "Demo: log in with one click"),
    ("login.sent_title", "Tjek din e-mail", "Check your e-mail"),
    ("login.sent", "Hvis adressen er kendt hos os, har vi sendt et login-link til den. Linket virker i 15 minutter og kun én gang.", "If we know the address, we have sent a login link to it. The link works for 15 minutes and only once."),
    ("login.sent_none", "Intet link? Tjek spam-mappen, eller ring til support.", "No link? Check your spam folder, or call support."),
    ("login.link_title", "Log ind på Saldo", "Log in to Saldo"),
    ("login.link_button", "Log ind", "Log in"),
    ("login.link_invalid", "Linket er allerede brugt eller udløbet. Bed om et nyt login-link.", "The link has been used or has expired. Ask for a new login link."),
    ("login.rate_limited", "Du har bedt om mange links på kort tid. Vent et kvarter, og prøv igen.", "You have asked for many links in a short time. Wait a quarter of an hour and try again."),
    ("login.not_email", "Skriv en gyldig e-mailadresse, fx navn@eksempel.dk.", "Enter a valid e-mail address, e.g. name@example.com."),
    ("demo.title", "Demo-login", "Demo login"),
    ("demo.warning", "Kun i demo: log ind som en af de opdigtede personer med ét klik.", "Demo only: log in as one of the made-up people with one click."),
    ("demo.as", "Log ind som", "Log in as"),
    ("role.custodian", "forælder", "parent"),
    ("role.relative", "relation", "relative"),
    ("role.office", "skolekontor", "school office"),
    ("role.till_staff", "kantine", "canteen"),
    ("role.operator", "drift", "operator"),
    ("role.support", "support", "support"),
    ("overview.title", "Mine børn", "My children"),
    ("overview.none", "Du er ikke knyttet til nogen børn endnu. Kontakt support, hvis det er en fejl.", "You are not linked to any children yet. Contact support if this is a mistake."),
    ("overview.hello", "Hej", "Hello"),
    ("child.balance", "Saldo", "Balance"),
    ("child.today", "Brugt i dag", "Spent today"),
    ("child.of_limit", "af", "of"),
    ("child.no_limit", "Intet dagligt loft", "No daily limit"),
    ("child.card", "Kort", "Card"),
    ("child.no_card", "Intet aktivt kort", "No active card"),
    ("child.relative_note", "Du er tilknyttet som relation: du kan indbetale og se kontoudtoget.", "You are linked as a relative: you can top up and see the statement."),
    ("child.open", "Se", "View"),
    ("child.next.top_up", "Saldoen er lav. Sæt penge ind.", "The balance is low. Top up."),
    ("child.next.no_card", "Der er intet aktivt kort.", "There is no active card."),
    ("child.cards", "Kort", "Cards"),
    ("child.recent", "Seneste bevægelser", "Recent movements"),
    ("child.all", "Hele kontoudtoget", "The whole statement"),
    ("action.deposit", "Sæt penge ind", "Top up"),
    ("action.statement", "Kontoudtog", "Statement"),
    ("action.limit", "Dagligt loft", "Daily limit"),
    ("action.transfer", "Flyt penge mellem søskende", "Move money between siblings"),
    ("action.block", "Spær kort", "Block card"),
    ("action.unblock", "Ophæv spærring", "Unblock card"),
    ("card.active", "aktivt", "active"),
    ("card.blocked", "spærret", "blocked"),
    ("card.handed_out", "udleveret, ikke aktiveret", "handed out, not activated"),
    ("card.in_stock", "på lager", "in stock"),
    ("card.cancelled", "annulleret", "cancelled"),
    ("card.ending", "slutter på", "ending in"),
    ("card.blocked_done", "Kortet er spærret. Det kan ikke bruges ved kassen.", "The card is blocked. It cannot be used at the till."),
    ("card.unblocked_done", "Spærringen er ophævet. Kortet virker igen.", "The card is unblocked. It works again."),
    ("statement.title", "Kontoudtog", "Statement"),
    ("statement.from", "Fra dato", "From date"),
    ("statement.to", "Til dato", "To date"),
    ("statement.show", "Vis", "Show"),
    ("statement.csv", "Hent som CSV", "Download as CSV"),
    ("statement.date", "Dato", "Date"),
    ("statement.what", "Tekst", "Description"),
    ("statement.amount", "Beløb", "Amount"),
    ("statement.balance", "Saldo", "Balance"),
    ("statement.none", "Ingen bevægelser i perioden.", "No movements in the period."),
    ("statement.older", "Ældre bevægelser", "Older movements"),
    ("statement.newest", "Nyeste bevægelser", "Newest movements"),
    ("statement.card", "kort", "card"),
    ("kind.deposit", "Indbetaling", "Top-up"),
    ("kind.purchase", "Køb", "Purchase"),
    ("kind.refund", "Tilbagebetaling", "Refund"),
    ("kind.card_fee", "Erstatningskort", "Replacement card"),
    ("kind.transfer", "Overførsel mellem søskende", "Transfer between siblings"),
    ("kind.withdrawal", "Udbetaling", "Payout"),
    ("kind.migration", "Saldo fra det gamle system", "Balance from the old system"),
    ("kind.reversal", "Tilbageførsel", "Reversal"),
    ("deposit.title", "Sæt penge ind", "Top up"),
    ("deposit.for", "til", "for"),
    ("deposit.choose", "Vælg beløb", "Choose an amount"),
    ("deposit.other", "Andet beløb (kr.)", "Other amount (DKK)"),
    ("deposit.other_hint", "Fx 75 eller 75,50", "E.g. 75 or 75.50"),
    ("deposit.limits", "Mindst {min} og højst {max} pr. indbetaling. Der er plads til {room} mere på kontoen.", "At least {min} and at most {max} per top-up. The account has room for {room} more."),
    ("deposit.fee", "Gebyr pr. indbetaling: {fee}. Det betales oven i beløbet.", "Fee per top-up: {fee}. It is paid on top of the amount."),
    ("deposit.no_fee", "Der er intet gebyr.", "There is no fee."),
    ("deposit.pay", "Gå til betaling", "Go to payment"),
    ("deposit.full", "Kontoen er fyldt op til loftet. Der kan ikke sættes flere penge ind lige nu.", "The account is full up to the cap. No more money can be added right now."),
    ("deposit.below_min", "Det mindste beløb er {min}.", "The smallest amount is {min}."),
    ("deposit.above_max", "Det største beløb pr. indbetaling er {max}.", "The largest amount per top-up is {max}."),
    ("deposit.over_cap", "Saldoen må højst være {cap}. Der er plads til {room} mere.", "The balance may be at most {cap}. There is room for {room} more."),
    ("deposit.bad_amount", "Skriv beløbet i kroner, fx 75 eller 75,50.", "Write the amount in kroner, e.g. 75 or 75.50."),
    ("receipt.title", "Indbetaling", "Top-up"),
    ("receipt.pending", "Vi venter på besked fra betalingsudbyderen. Siden opdaterer sig selv.", "We are waiting for word from the payment provider. The page updates itself."),
    ("receipt.confirmed", "Tak! Pengene er sat ind.", "Thank you! The money is in."),
    ("receipt.declined", "Betalingen blev afvist. Der er ikke trukket penge. Prøv et andet kort.", "The payment was declined. No money was taken. Try another card."),
    ("receipt.cancelled", "Betalingen blev annulleret. Der er ikke trukket penge.", "The payment was cancelled. No money was taken."),
    ("receipt.amount", "Beløb", "Amount"),
    ("receipt.fee", "Gebyr", "Fee"),
    ("receipt.new_balance", "Ny saldo", "New balance"),
    ("receipt.back", "Tilbage til oversigten", "Back to the overview"),
    ("receipt.refresh", "Opdater siden", "Refresh the page"),
    ("limit.title", "Dagligt loft", "Daily limit"),
    ("limit.intro", "Loftet er det mest, barnet kan købe for på én dag. Det gælder ved kassen med det samme.", "The limit is the most the child can spend in one day. It applies at the till at once."),
    ("limit.amount", "Loft pr. dag (kr.)", "Limit per day (DKK)"),
    ("limit.save", "Gem loft", "Save limit"),
    ("limit.remove", "Fjern loftet", "Remove the limit"),
    ("limit.saved", "Det daglige loft er gemt.", "The daily limit is saved."),
    ("limit.removed", "Det daglige loft er fjernet.", "The daily limit is removed."),
    ("limit.out_of_range", "Et dagligt loft skal være mellem 1 kr. og 1.000 kr.", "A daily limit is between DKK 1 and DKK 1,000."),
    ("transfer.title", "Flyt penge mellem søskende", "Move money between siblings"),
    ("transfer.from", "Fra", "From"),
    ("transfer.to", "Til", "To"),
    ("transfer.amount", "Beløb (kr.)", "Amount (DKK)"),
    ("transfer.submit", "Flyt pengene", "Move the money"),
    ("transfer.done", "Pengene er flyttet.", "The money has been moved."),
    ("transfer.need_two", "Du skal være forælder til mindst to børn for at flytte penge mellem dem.", "You must be the parent of at least two children to move money between them."),
    ("transfer.insufficient", "Der er ikke penge nok på kontoen, der skal flyttes fra.", "There is not enough money in the account to move from."),
    ("transfer.same", "Vælg to forskellige børn.", "Choose two different children."),
    ("help.title", "Hjælp", "Help"),
    ("a11y.title", "Tilgængelighedserklæring", "Accessibility statement"),
    ("error.title", "Noget gik galt", "Something went wrong"),
    ("error.not_found", "Siden findes ikke, eller du har ikke adgang til den.", "The page does not exist, or you do not have access to it."),
    ("error.forbidden", "Det har du ikke lov til. Kun forældre med forældremyndighed kan ændre det.", "You are not allowed to do that. Only parents with custody can change it."),
    ("error.other_institution", "Det hører til en anden skole eller klub. Kontoret ser kun sine egne børn, bestillinger og kort.", "That belongs to another school or club. An office sees only its own children, orders and cards."),
    ("error.csrf", "Formularen var for gammel. Gå tilbage, genindlæs siden, og prøv igen.", "The form was too old. Go back, reload the page and try again."),
    ("error.internal", "Der skete en fejl hos os. Intet er ændret. Prøv igen om lidt, eller ring til support.", "Something went wrong on our side. Nothing was changed. Try again shortly, or call support."),
    ("error.back", "Til forsiden", "To the front page"),
    ("sandbox.title", "Testbetaling", "Test payment"),
    ("sandbox.warning", "Dette er sandkassens betalingsside. Der trækkes ingen rigtige penge.", "This is the sandbox payment page. No real money is taken."),
    ("sandbox.amount", "Beløb", "Amount"),
    ("sandbox.card", "Kortnummer", "Card number"),
    ("sandbox.card_hint", "Testkort: 4111 1111 1111 1111 godkendes, 4000 0000 0000 0002 afvises.", "Test cards: 4111 1111 1111 1111 is approved, 4000 0000 0000 0002 is declined."),
    ("sandbox.pay", "Betal", "Pay"),
    ("sandbox.save", "Gem kort", "Save card"),
    ("sandbox.save_card", "Kortet gemmes hos betalingsudbyderen til automatisk optankning. Der trækkes ingen penge nu.", "The card is saved with the payment provider for automatic top-ups. No money is taken now."),
    ("sandbox.save_hint", "Gem 4000 0000 0000 0341 for et kort, der senere afvises, eller 4000 0027 6000 3184 for et, der kræver godkendelse. Et kort, der er udløbet, afvises.", "Save 4000 0000 0000 0341 for a card declined later, or 4000 0027 6000 3184 for one that needs approval. An expired card is declined."),
    ("sandbox.expiry", "Udløbsdato (MM/ÅÅ)", "Expiry date (MM/YY)"),
    ("sandbox.cancel", "Annuller", "Cancel"),
    ("sandbox.bad", "Betalingslinket er ugyldigt eller ændret.", "The payment link is invalid or has been altered."),
    ("products.title", "Varer", "Products"),
    ("products.link", "Varer og priser", "Products and prices"),
    ("products.to_report", "Til dagens salg", "To the day's sales"),
    ("products.intro", "Det, der vises her, kan kassen sælge. En skjult vare sælges ikke, men står stadig på gamle kvitteringer. En ny pris gælder kun nye salg.", "What is shown here, the till can sell. A hidden product is not sold, but stays on old receipts. A new price applies to new sales only."),
    ("products.none", "Der er ingen varer endnu. Tilføj den første nedenfor.", "There are no products yet. Add the first one below."),
    ("products.shown_tag", "Vises ved kassen", "Shown at the till"),
    ("products.hidden_tag", "Skjult", "Hidden"),
    ("products.up", "Flyt op", "Move up"),
    ("products.down", "Flyt ned", "Move down"),
    ("products.hide", "Skjul", "Hide"),
    ("products.show", "Vis ved kassen", "Show at the till"),
    ("products.edit", "Ret", "Edit"),
    ("products.name", "Navn", "Name"),
    ("products.price", "Pris i kr.", "Price in DKK"),
    ("products.price_hint", "Fx 12 eller 12,50. Højst {max}.", "E.g. 12 or 12,50. At most {max}."),
    ("products.category", "Kategori", "Category"),
    ("products.category_hint", "Vælg en kategori, der er i brug, eller skriv en ny. Forældre kan spærre disse for deres barn: {blockable}.", "Choose a category in use, or type a new one. Parents can block these for their child: {blockable}."),
    ("products.allergens", "Allergener", "Allergens"),
    ("products.save", "Gem ændringer", "Save changes"),
    ("products.add_title", "Tilføj en vare", "Add a product"),
    ("products.add", "Tilføj vare", "Add product"),
    ("products.added", "Varen er tilføjet og kan sælges ved kassen nu.", "The product is added and can be sold at the till now."),
    ("products.saved", "Varen er gemt. Ændringen gælder nye salg.", "The product is saved. The change applies to new sales."),
    ("products.hidden", "Varen er skjult. Kassen sælger den ikke længere.", "The product is hidden. The till no longer sells it."),
    ("products.shown", "Varen vises ved kassen igen.", "The product is shown at the till again."),
    ("products.bad_name", "Giv varen et navn på 1 til 60 tegn. Intet er ændret.", "Give the product a name of 1 to 60 characters. Nothing was changed."),
    ("products.bad_price", "Skriv prisen i kroner, fx 12 eller 12,50. Den skal være over 0 og højst {max}. Intet er ændret.", "Type the price in kroner, e.g. 12 or 12,50. It must be above 0 and at most {max}. Nothing was changed."),
    ("products.bad_category", "Giv varen en kategori på 1 til 30 tegn, fx mad eller slik. Intet er ændret.", "Give the product a category of 1 to 30 characters, e.g. mad or slik. Nothing was changed."),
    ("products.bad_allergens", "Allergener må højst fylde 200 tegn. Intet er ændret.", "Allergens may be at most 200 characters. Nothing was changed."),
    ("products.too_many", "Salgsstedet har allerede {max} varer. Ret eller genbrug en skjult vare i stedet.", "The sales point already has {max} products. Edit or reuse a hidden product instead."),
    ("mailbox.title", "Demo-postkasse", "Demo mailbox"),
    ("mailbox.intro", "Kun i demo: de mails, Saldo ville have sendt.", "Demo only: the mails Saldo would have sent."),
    ("mailbox.none", "Ingen mails endnu.", "No mails yet."),
    ("action.replacement", "Bestil erstatningskort", "Order a replacement card"),
    ("action.activate", "Aktivér nyt kort", "Activate a new card"),
    ("form.back_to_child", "Tilbage til barnet", "Back to the child"),
    ("order.title", "Erstatningskort", "Replacement card"),
    ("order.intro", "Er kortet væk? Bestil et nyt. Det gamle kort spærres med det samme, og gebyret trækkes fra saldoen. Det nye kort hentes på kontoret og aktiveres her bagefter.", "Card lost? Order a new one. The old card is blocked at once, and the fee is taken from the balance. The new card is fetched at the office and activated here afterwards."),
    ("order.fee", "Gebyr", "Fee"),
    ("order.blocks", "Når du bestiller, spærres kortet, der", "When you order, we block the card"),
    ("order.submit", "Spær og bestil nyt kort", "Block and order a new card"),
    ("order.insufficient", "Der er ikke penge nok på kontoen til gebyret på {fee}. Kortet er spærret. Sæt penge ind, og bestil igen.", "There is not enough money in the account for the fee of {fee}. The card is blocked. Top up, and order again."),
    ("order.already", "Der er allerede bestilt et nyt kort. Se nedenfor, hvor det hentes.", "A new card has already been ordered. See below where to fetch it."),
    ("order.no_office", "Barnet er ikke knyttet til en skole eller klub med et kontor. Ring til support.", "The child is not linked to a school or club with an office. Call support."),
    ("order.done", "Det gamle kort er spærret, og et nyt kort er bestilt. Det kan hentes på kontoret; der er sendt en mail om det.", "The old card is blocked and a new card is ordered. It can be fetched at the office; an e-mail about it has been sent."),
    ("order.done_waiting", "Det gamle kort er spærret, og et nyt kort er bestilt. Kontoret venter på nye kort; vi sender en mail, når det kan hentes.", "The old card is blocked and a new card is ordered. The office is waiting for new cards; we will send an e-mail when it can be fetched."),
    ("order.yours", "Bestilt kort", "Ordered card"),
    ("order.cancel_title", "Fundet det gamle kort?", "Found the old card?"),
    ("order.cancel_intro", "Så længe kortet ikke er hentet, kan du annullere bestillingen. Gebyret sættes tilbage på kontoen, og det gamle kort forbliver spærret, til du selv ophæver spærringen på barnets side.", "As long as the card has not been fetched, you can cancel the order. The fee goes back into the account, and the old card stays blocked until you unblock it on the child's page."),
    ("order.cancel", "Annullér bestillingen", "Cancel the order"),
    ("order.cancelled_done", "Bestillingen er annulleret, og gebyret er sat tilbage på kontoen. Har du fundet det gamle kort, kan du ophæve spærringen herunder.", "The order is cancelled and the fee is back in the account. If you found the old card, you can unblock it below."),
    ("order.wallet_closed", "Kontoen er lukket, så gebyret kan ikke sættes tilbage her. Ring til support på 71 99 54 45.", "The account is closed, so the fee cannot be returned here. Call support on +45 71 99 54 45."),
    ("order.not_cancellable", "Bestillingen kan ikke længere annulleres: kortet er allerede hentet eller bestillingen annulleret.", "The order can no longer be cancelled: the card has been fetched or the order was cancelled."),
    ("order.state", "Status", "Status"),
    ("order.ordered_at", "Bestilt", "Ordered"),
    ("order.ordered", "Bestilt, klar til at blive hentet", "Ordered, ready to be fetched"),
    ("order.handed_out", "Udleveret, venter på aktivering", "Handed out, waiting for activation"),
    ("order.activated", "Aktiveret", "Activated"),
    ("order.cancelled", "Annulleret", "Cancelled"),
    ("order.fetch_at", "Kortet hentes på kontoret på {office}.", "Fetch the card at the office of {office}."),
    ("activate.title", "Aktivér nyt kort", "Activate a new card"),
    ("activate.intro", "Skriv kortnummeret og aktiveringskoden, der står på kortet. Så kommer kortet på barnets konto med saldo, aftaler og loft.", "Enter the card number and the activation code printed on the card. The card then joins the child's account with its balance, agreements and limit."),
    ("activate.for", "Kortet aktiveres til", "The card is activated for"),
    ("activate.child", "Barn", "Child"),
    ("activate.number", "Kortnummer (16 cifre)", "Card number (16 digits)"),
    ("activate.code", "Aktiveringskode", "Activation code"),
    ("activate.hint", "Du kan også scanne QR-koden på kortet med telefonen: så er felterne udfyldt.", "You can also scan the QR code on the card with your phone: the fields are then filled in."),
    ("activate.submit", "Aktivér kortet", "Activate the card"),
    ("activate.bad_number", "Kortnummeret skal være de 16 cifre på kortet. Tjek, at det er skrevet rigtigt.", "The card number is the 16 digits on the card. Check that it is typed correctly."),
    ("activate.wrong", "Kortnummer eller aktiveringskode passer ikke. Tjek begge, og prøv igen.", "The card number or activation code does not match. Check both and try again."),
    ("activate.used", "Koden er allerede brugt: kortet er aktiveret eller givet til et andet barn. Ring til support, hvis det er en fejl.", "The code has already been used: the card is activated or given to another child. Call support if this is a mistake."),
    ("activate.locked", "Der er prøvet for mange gange. Vent et kvarter, og prøv igen, eller ring til support.", "Too many tries. Wait a quarter of an hour and try again, or call support."),
    ("activate.another_active", "Barnet har allerede et aktivt kort. Spær det først, hvis det skal erstattes.", "The child already has an active card. Block it first if it is to be replaced."),
    ("activate.done", "Kortet er aktiveret og kan bruges ved kassen nu.", "The card is activated and can be used at the till now."),
    ("office.title", "Kontoret", "The office"),
    ("office.in_stock", "Blanke kort på lager", "Blank cards in stock"),
    ("office.waiting", "Venter på kort", "Waiting for a card"),
    ("office.hand_out_list", "Udleveringsliste", "Hand-out list"),
    ("office.none_waiting", "Ingen venter på et kort.", "Nobody is waiting for a card."),
    ("office.scan", "Scan eller skriv kortnummeret (valgfrit: så kan kun dette barn aktivere kortet)", "Scan or type the card number (optional: then only this child can activate the card)"),
    ("office.hand_out", "Udlevér kort", "Hand out card"),
    ("office.done_today", "Udleveret i dag", "Handed out today"),
    ("office.search", "Find et barn", "Find a child"),
    ("office.search_label", "Navn eller kortnummer", "Name or card number"),
    ("office.search_button", "Søg", "Search"),
    ("office.no_match", "Ingen børn på jeres institution passer på søgningen.", "No children at your institution match the search."),
    ("office.handed_out_done", "Kortet er udleveret. Forælderen kan nu aktivere det.", "The card is handed out. The parent can now activate it."),
    ("office.blocked_done", "Kortet er spærret.", "The card is blocked."),
    ("office.activated_done", "Kortet er aktiveret.", "The card is activated."),
    ("office.not_in_stock", "Det kort er ikke et blankt kort på jeres lager. Tag et andet kort, eller lad feltet være tomt.", "That card is not a blank card in your stock. Take another card, or leave the field empty."),
    ("office.order_not_open", "Bestillingen er allerede udleveret eller lukket.", "The order has already been handed out or closed."),
    ("office.orders", "Bestilte kort", "Ordered cards"),
    ("office.activate", "Aktivér et kort ved skranken", "Activate a card at the desk"),
    ("office.back", "Tilbage til kontoret", "Back to the office"),
    ("admin.title", "Kortlager", "Card stock"),
    ("admin.central", "Centralt lager", "Central stock"),
    ("admin.offices", "Kort på kontorernes lager", "Cards in the offices' stock"),
    ("admin.office", "Kontor", "Office"),
    ("admin.generate", "Lav en ny batch", "Make a new batch"),
    ("admin.generate_intro", "Saldo laver kortnumre og aktiveringskoder. Filen til kortprinteren hentes én gang: koderne kan ikke ses igen bagefter.", "Saldo makes card numbers and activation codes. The file for the card printer is downloaded once: the codes cannot be seen again afterwards."),
    ("admin.count", "Antal kort", "Number of cards"),
    ("admin.to", "Til", "To"),
    ("admin.generate_button", "Lav batch og hent printerfil", "Make batch and download the printer file"),
    ("admin.import", "Indlæs kortprinterens fil", "Import the card printer's file"),
    ("admin.file", "Én linje pr. kort: kortnummer;chip-id;aktiveringskode", "One line per card: card number;chip id;activation code"),
    ("admin.import_button", "Indlæs kortene", "Import the cards"),
    ("admin.allocate", "Fordel kort til et kontor", "Allocate cards to an office"),
    ("admin.allocate_button", "Fordel", "Allocate"),
    ("admin.batch_size", "En batch er mellem 1 og {max} kort.", "A batch is between 1 and {max} cards."),
    ("admin.bad_line", "Linje {line} kan ikke læses. Tjek kortnummer, chip-id og kode.", "Line {line} cannot be read. Check the card number, chip id and code."),
    ("admin.imported", "{count} kort er indlæst.", "{count} cards are imported."),
    ("admin.allocated", "{count} kort er flyttet til kontoret.", "{count} cards have been moved to the office."),
    ("staff.title", "Log ind som personale", "Staff login"),
    ("staff.intro", "For skolekontorer og drift: log ind med e-mail og adgangskode.", "For school offices and the operator: log in with e-mail and password."),
    ("staff.password", "Adgangskode", "Password"),
    ("staff.wrong", "E-mail eller adgangskode passer ikke.", "The e-mail or password does not match."),
    ("staff.link", "Personale: log ind med adgangskode", "Staff: log in with a password"),
    ("form.cancel", "Fortryd", "Cancel"),
    ("action.withdraw", "Udbetal penge", "Pay money out"),
    ("withdraw.title", "Udbetaling", "Payout"),
    ("withdraw.intro", "Få penge fra kontoen udbetalt, fx når barnet stopper på skolen. Beløbet reserveres med det samme og udbetales, når kommunen har godkendt det.", "Have money from the account paid out, for example when the child leaves the school. The amount is reserved at once and paid out when the municipality has approved it."),
    ("withdraw.how", "Hvordan skal pengene udbetales?", "How should the money be paid out?"),
    ("withdraw.card", "Tilbage til det kort, der blev brugt til indbetalinger", "Back to the card used for top-ups"),
    ("withdraw.bank", "Til en bankkonto", "To a bank account"),
    ("withdraw.card_max", "Tilbage til kortet kan gå det, du selv har sat ind for barnet og ikke har fået tilbage; resten udbetales til en bankkonto. Lige nu højst", "Back to the card can go what you paid in for the child yourself and have not had back; the rest is paid to a bank account. Right now at most"),
    ("withdraw.card_too_much", "Højst {max} kan sendes tilbage til dit kort (det, du selv har sat ind). Vælg bankkonto for at få mere udbetalt.", "At most {max} can go back to your card (what you paid in yourself). Choose a bank account to have more paid out."),
    ("admin.card_refund_short", "Forælderens egne indbetalinger dækker ikke længere beløbet, så det kan ikke sendes tilbage til kortet. Afvis udbetalingen; forælderen kan bede om den til en bankkonto.", "The parent's own deposits no longer cover the amount, so it cannot go back to the card. Reject the payout; the parent can ask for it to a bank account."),
    ("admin.unanswered_title", "Refusioner uden svar fra betalingsudbyderen", "Refunds the payment provider has not answered"),
    ("admin.unanswered_intro", "Betalingsudbyderen svarede ikke, selv om vi prøvede flere gange, så vi ved ikke, om pengene er sendt tilbage. Beløbet står som udestående. Prøv igen fra jobkøen; samme nøgle sendes igen, så der refunderes højst én gang.", "The payment provider did not answer however often we tried, so we do not know whether the money went back. The amount is held as due. Try again from the job queue; the same key is sent again, so it is refunded at most once."),
    ("admin.refused_title", "Refusioner, som betalingsudbyderen afviste", "Refunds the payment provider refused"),
    ("admin.refused_intro", "Beløbene er sat tilbage på barnets konto, og forælderen har fået besked om at bede om udbetaling til en bankkonto i stedet.", "The amounts are back on the child's account, and the parent has been told to ask for the payout to a bank account instead."),
    ("withdraw.reg", "Registreringsnummer (4 cifre, kun ved bankkonto)", "Sort code (4 digits, bank account only)"),
    ("withdraw.account", "Kontonummer (op til 10 cifre, kun ved bankkonto)", "Account number (up to 10 digits, bank account only)"),
    ("withdraw.submit", "Bed om udbetaling", "Ask for the payout"),
    ("withdraw.requested", "Udbetalingen er bestilt. Beløbet er reserveret, og du får besked, når det er udbetalt.", "The payout is requested. The amount is reserved, and you will hear when it is paid out."),
    ("withdraw.too_much", "Beløbet er større end saldoen.", "The amount is more than the balance."),
    ("withdraw.bad_account", "Skriv et registreringsnummer på 4 cifre og et kontonummer på op til 10 cifre.", "Enter a 4-digit sort code and an account number of up to 10 digits."),
    ("account.close_title", "Luk kontoen", "Close the account"),
    ("account.close_intro", "Når barnet stopper i kommunens skoler og klubber, kan kontoen lukkes. Kortene spærres for altid, og personoplysningerne slettes efter opbevaringsperioden.", "When the child leaves the municipality's schools and clubs, the account can be closed. The cards are blocked for good, and the personal data is erased after the retention period."),
    ("account.close", "Luk kontoen for altid", "Close the account for good"),
    ("account.closed", "Kontoen er lukket.", "The account is closed."),
    ("account.not_empty", "Der står stadig penge på kontoen. Få dem udbetalt først.", "There is still money in the account. Have it paid out first."),
    ("admin.withdrawals", "Udbetalinger til godkendelse", "Payouts to approve"),
    ("admin.none", "Ingen udbetalinger venter.", "No payouts are waiting."),
    ("admin.approve", "Godkend", "Approve"),
    ("admin.reject", "Afvis", "Reject"),
    ("admin.bank_title", "Bankoverførsler", "Bank transfers"),
    ("admin.bank_intro", "Godkendte udbetalinger til bankkonto, som regneark til bankens upload. Uden datoer får du de overførsler, der ikke er hentet før, og de markeres som hentet. Med datoer får du alle i perioden igen. Hver hentning logges.", "Approved payouts to bank accounts, as a spreadsheet for the bank's upload. Without dates you get the transfers not downloaded before, and they are marked as downloaded. With dates you get all of the period again. Every download is logged."),
    ("admin.bank_download", "Hent bankoverførsler (CSV)", "Download bank transfers (CSV)"),
    // The operator's job queue, and whether a replacement card waits at the office.
    ("admin.nav", "Administration", "Administration"),
    ("jobs.title", "Jobkø", "Job queue"),
    ("jobs.intro", "Saldo sender mails og taler med betalingsudbyderen i baggrunden. Et job, der fejler, prøves igen med længere og længere pause; efter en række forsøg opgives det og kan prøves igen herfra. Et jobs indhold vises aldrig: mails kan indeholde login-links.", "Saldo sends mail and talks to the payment provider in the background. A job that fails is tried again with longer and longer pauses; after a number of attempts it is given up and can be tried again from here. A job's content is never shown: mails can hold login links."),
    ("jobs.by_kind", "Job efter slags", "Jobs by kind"),
    ("jobs.no_jobs", "Der er ingen job endnu.", "There are no jobs yet."),
    ("jobs.waiting", "Venter", "Waiting"),
    ("jobs.failing", "Heraf med fejl", "Of which failing"),
    ("jobs.given_up", "Opgivet", "Given up"),
    ("jobs.done_recently", "Udført seneste døgn", "Done in the last 24 hours"),
    ("jobs.oldest", "Ældste ventende", "Oldest waiting"),
    ("jobs.age_seconds", "{n} sek.", "{n} s"),
    ("jobs.age_minutes", "{n} min.", "{n} min"),
    ("jobs.age_hours", "{n} t.", "{n} h"),
    ("jobs.age_days", "{n} døgn", "{n} d"),
    ("jobs.kind_mail", "Mail", "Mail"),
    ("jobs.kind_top_up", "Automatisk optankning", "Automatic top-up"),
    ("jobs.kind_sandbox_callback", "Svar fra sandkassens betalinger", "Sandbox payment callback"),
    ("jobs.kind_payout_refund", "Udbetaling tilbage til kort", "Payout back to a card"),
    ("jobs.troubled", "Job, der fejler eller er opgivet", "Jobs failing or given up"),
    ("jobs.troubled_intro", "De nyeste først, højst {max}.", "Newest first, at most {max}."),
    ("jobs.none_troubled", "Ingen job fejler.", "No job is failing."),
    ("jobs.to", "til", "to"),
    ("jobs.created", "Oprettet", "Created"),
    ("jobs.attempts", "Forsøg", "Attempts"),
    ("jobs.next", "Næste forsøg", "Next try"),
    ("jobs.last_error", "Sidste fejl", "Last error"),
    ("jobs.retry", "Prøv igen", "Try again"),
    ("jobs.retried", "Jobbet prøves igen nu.", "The job is tried again now."),
    ("order.waiting_for_cards", "Bestilt, venter på kort på kontoret", "Ordered, waiting for cards at the office"),
    ("action.relatives", "Relationer", "Relatives"),
    ("relatives.title", "Relationer", "Relatives"),
    ("relatives.intro", "En relation – fx en bedsteforælder – kan sætte penge ind og se kontoudtoget, men aldrig hæve penge eller ændre noget. Du kan fjerne en relation når som helst.", "A relative – a grandparent, say – can top up and see the statement, but never take money out or change anything. You can remove a relative at any time."),
    ("relatives.active", "Tilknyttede relationer", "Linked relatives"),
    ("relatives.none", "Der er ingen relationer.", "There are no relatives."),
    ("relatives.remove", "Fjern", "Remove"),
    ("relatives.pending", "Sendte invitationer", "Invitations sent"),
    ("relatives.no_pending", "Ingen invitationer venter.", "No invitations are waiting."),
    ("relatives.withdraw", "Træk tilbage", "Withdraw"),
    ("relatives.invite", "Inviter en relation", "Invite a relative"),
    ("relatives.message", "En personlig hilsen (valgfri)", "A personal line (optional)"),
    ("relatives.send", "Send invitation", "Send invitation"),
    ("relatives.sent", "Invitationen er sendt.", "The invitation has been sent."),
    ("relatives.removed", "Relationen er fjernet. Adgangen er lukket med det samme.", "The relative has been removed. Their access ended at once."),
    ("relatives.withdrawn", "Invitationen er trukket tilbage.", "The invitation has been withdrawn."),
    ("relatives.not_email", "Skriv en gyldig e-mailadresse.", "Enter a valid e-mail address."),
    ("relatives.too_long", "Hilsenen må højst være 300 tegn.", "The personal line can be at most 300 characters."),
    ("relatives.custodian", "Adressen tilhører en forælder til barnet.", "The address belongs to a parent of the child."),
    ("invitation.title", "Invitation til Saldo", "Invitation to Saldo"),
    ("invitation.intro", "{from} inviterer dig til at følge {child}: du kan sætte penge ind og se kontoudtoget.", "{from} invites you to follow {child}: you can top up and see the statement."),
    ("invitation.name", "Dit navn (hvis du er ny i Saldo)", "Your name (if you are new to Saldo)"),
    ("invitation.accept", "Tag imod", "Accept"),
    ("invitation.closed", "Invitationen er allerede brugt, trukket tilbage eller udløbet. Bed den, der inviterede dig, om en ny.", "The invitation has been used, withdrawn or has expired. Ask the person who invited you for a new one."),
    ("invitation.wrong_account", "Invitationen er sendt til en anden e-mailadresse end den, du er logget ind med. Log ud, og åbn linket igen.", "The invitation was sent to another e-mail address than the one you are logged in with. Log out and open the link again."),
    ("invitation.name_missing", "Skriv dit navn.", "Enter your name."),
    ("agreement.title", "Automatisk optankning", "Automatic top-up"),
    ("agreement.intro", "Når saldoen kommer under grænsen, sætter vi beløbet ind fra et gemt kort.", "When the balance falls below the limit, we add the amount from a saved card."),
    ("agreement.none", "Der er ingen aftale om automatisk optankning.", "There is no automatic top-up agreement."),
    ("agreement.rule", "Under {threshold}: sæt {amount} ind", "Below {threshold}: add {amount}"),
    ("agreement.owner", "Aftale for", "Agreement of"),
    ("agreement.yours", "din aftale", "your agreement"),
    ("agreement.active", "aktiv", "active"),
    ("agreement.paused", "sat på pause", "paused"),
    ("agreement.threshold", "Når saldoen er under (kr.)", "When the balance is below (DKK)"),
    ("agreement.amount", "Sæt dette beløb ind (kr.)", "Add this amount (DKK)"),
    ("agreement.save", "Gem og vælg kort", "Save and choose a card"),
    ("agreement.pause", "Sæt på pause", "Pause"),
    ("agreement.resume", "Genoptag", "Resume"),
    ("agreement.delete", "Slet aftalen", "Delete the agreement"),
    ("agreement.pending", "Aftalen er gemt, så snart betalingsudbyderen har gemt dit kort.", "The agreement is saved as soon as the payment provider has saved your card."),
    ("agreement.changed", "Aftalen er ændret.", "The agreement has been changed."),
    ("agreement.bad_threshold", "Grænsen skal være mellem 1 kr. og {max} (saldoloftet).", "The limit must be between DKK 1 and {max} (the balance cap)."),
    ("agreement.over_cap", "Grænse og beløb må tilsammen højst være {max} (saldoloftet), ellers kan optankningen ikke være på kontoen. Vælg en lavere grænse eller et mindre beløb.", "Limit and amount together may be at most {max} (the balance cap), or the top-up would not fit in the account. Choose a lower limit or a smaller amount."),
    ("agreement.bad_amount", "Beløbet skal være mellem {min} og {max}.", "The amount must be between {min} and {max}."),
    ("agreement.edit", "Ret grænse og beløb", "Change limit and amount"),
    ("agreement.save_terms", "Gem ændringen (samme kort)", "Save the change (same card)"),
    ("agreement.card", "Kort der slutter på {last4}, udløber {expires}", "Card ending in {last4}, expires {expires}"),
    ("agreement.card_expiring", "Kortet udløber snart. Gem dit nye kort med formularen herunder, så optankningen fortsætter.", "The card expires soon. Save your new card with the form below so the top-ups go on."),
    ("low_balance.title", "Besked ved lav saldo", "Low-balance notice"),
    ("low_balance.intro", "Få en mail, når saldoen kommer under et beløb, du selv vælger.", "Get an e-mail when the balance falls below an amount you choose."),
    ("low_balance.on", "Du får en mail, når saldoen kommer under", "You get an e-mail when the balance falls below"),
    ("low_balance.threshold", "Send mig en mail, når saldoen er under (kr.)", "E-mail me when the balance is below (DKK)"),
    ("low_balance.save", "Gem besked", "Save notice"),
    ("low_balance.stop", "Stop beskederne", "Stop the notices"),
    ("low_balance.saved", "Du får en mail, når saldoen kommer under beløbet.", "You will get an e-mail when the balance falls below the amount."),
    ("low_balance.stopped", "Du får ikke flere mails om lav saldo.", "You will get no more low-balance e-mails."),
    ("low_balance.bad_threshold", "Skriv et beløb mellem 1 kr. og {max}, fx 50.", "Enter an amount between DKK 1 and {max}, e.g. 50."),
];

/// Texts and formats for one language.
#[derive(Clone, Copy, Debug, Default)]
pub struct Tr {
    pub lang: Lang,
}

impl Tr {
    pub fn new(lang: Lang) -> Tr {
        Tr { lang }
    }

    /// The text for `key`. An unknown key shows as itself (a test keeps every
    /// key the templates use in the catalogue).
    pub fn t(&self, key: &str) -> &'static str {
        match TEXTS.iter().find(|(k, _, _)| *k == key) {
            Some((_, da, en)) => match self.lang {
                Lang::Da => da,
                Lang::En => en,
            },
            None => {
                tracing::warn!(key, "text missing from the catalogue");
                "…"
            }
        }
    }

    /// A text with `{name}` placeholders filled in.
    pub fn fill(&self, key: &str, values: &[(&str, String)]) -> String {
        let mut text = self.t(key).to_owned();
        for (name, value) in values {
            text = text.replace(&format!("{{{name}}}"), value);
        }
        text
    }

    pub fn money(&self, amount: &saldo_core::Money) -> String {
        match self.lang {
            Lang::Da => amount.display_da(),
            Lang::En => amount.display_en(),
        }
    }

    /// A moment, in Danish time: `25.11.2026 kl. 12.30` / `25 Nov 2026, 12:30`.
    pub fn datetime(&self, micros: &i64) -> String {
        let Ok(at) = jiff::Timestamp::from_microsecond(*micros) else { return String::new() };
        let local = at.to_zoned(saldo_core::day::local_tz());
        match self.lang {
            Lang::Da => local.strftime("%d.%m.%Y kl. %H.%M").to_string(),
            Lang::En => local.strftime("%-d %b %Y, %H:%M").to_string(),
        }
    }

    pub fn code(&self) -> &'static str {
        self.lang.code()
    }
}

/// Every key the catalogue has (for the completeness test).
pub fn keys() -> impl Iterator<Item = &'static str> {
    TEXTS.iter().map(|(k, _, _)| *k)
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Msg {
    Declined(Decline),
    Unauthorized,
    MissingIdempotencyKey,
    InvalidIdempotencyKey,
    MalformedJson,
    InvalidRequest,
    UnreadableCard,
    NoLines,
    TooManyLines,
    BadQuantity,
    UnknownProduct,
    IdempotencyKeyReused,
    NotFound,
    Internal,
    PairingInvalid,
    BadPin,
    WrongPin,
    TooManyPinAttempts,
    TillLocked,
    Forbidden,
    VoidTooLate,
    AlreadyUndone,
    NothingToRefund,
    BadTillName,
}

pub fn text(msg: Msg, lang: Lang) -> &'static str {
    match lang {
        Lang::Da => da(msg),
        Lang::En => en(msg),
    }
}

/// Danish. The till's refusals are read aloud to a 7-year-old: short and plain.
fn da(msg: Msg) -> &'static str {
    match msg {
        Msg::Declined(Decline::InsufficientFunds) => "Der er ikke penge nok på kortet.",
        Msg::Declined(Decline::DailyLimitExceeded) => "Dagens grænse for køb er nået.",
        Msg::Declined(Decline::CardBlocked) => "Kortet er spærret.",
        Msg::Declined(Decline::CardNotActive) => "Kortet er ikke aktiveret endnu.",
        Msg::Declined(Decline::UnknownCard) => "Kortet kendes ikke. Prøv at scanne igen.",
        Msg::Declined(Decline::WalletClosed) => "Kontoen er lukket.",
        Msg::Declined(Decline::ItemBlocked) => "Forældrene har sagt nej til denne vare. Tag varen ud af kurven.",
        Msg::Unauthorized => "Kassen er ikke logget ind. Par kassen igen, eller kontakt support.",
        Msg::MissingIdempotencyKey => "Der mangler en Idempotency-Key i forespørgslen.",
        Msg::InvalidIdempotencyKey => "Idempotency-Key skal være 1 til 200 synlige ASCII-tegn.",
        Msg::MalformedJson => "Forespørgslen er ikke gyldig JSON.",
        Msg::InvalidRequest => "Forespørgslen mangler felter eller har felter af forkert type.",
        Msg::UnreadableCard => "Kortnummeret kan ikke læses. Scan kortet igen, eller tast de 16 cifre.",
        Msg::NoLines => "Kurven er tom. Vælg mindst én vare.",
        Msg::TooManyLines => "Der er for mange varer i kurven. Del købet op.",
        Msg::BadQuantity => "Antal skal være mellem 1 og 99.",
        Msg::UnknownProduct => "En vare i kurven sælges ikke her. Hent varelisten igen.",
        Msg::IdempotencyKeyReused => "Nøglen er allerede brugt til et andet køb. Start et nyt køb.",
        Msg::NotFound => "Siden findes ikke.",
        Msg::Internal => "Der skete en fejl hos os. Intet er trukket. Prøv igen om lidt.",
        Msg::PairingInvalid => "Koden virker ikke. Den er brugt eller for gammel. Bed lederen om en ny kode.",
        Msg::BadPin => "En PIN-kode er 4 til 8 cifre.",
        Msg::WrongPin => "Forkert PIN-kode. Prøv igen.",
        Msg::TooManyPinAttempts => "For mange forkerte PIN-koder. Vent et kvarter, og prøv igen.",
        Msg::TillLocked => "Kassen er låst. Lås op med din PIN-kode.",
        Msg::Forbidden => "Det må du ikke her.",
        Msg::VoidTooLate => "Salget er for gammelt til at blive annulleret. Lav en refusion i stedet.",
        Msg::AlreadyUndone => "Salget er allerede annulleret eller refunderet.",
        Msg::NothingToRefund => "Der er ikke mere at refundere på den linje.",
        Msg::BadTillName => "Giv kassen et navn på 1 til 60 tegn.",
    }
}

fn en(msg: Msg) -> &'static str {
    match msg {
        Msg::Declined(Decline::InsufficientFunds) => "Not enough money on the card.",
        Msg::Declined(Decline::DailyLimitExceeded) => "Today's spending limit is reached.",
        Msg::Declined(Decline::CardBlocked) => "The card is blocked.",
        Msg::Declined(Decline::CardNotActive) => "The card is not activated yet.",
        Msg::Declined(Decline::UnknownCard) => "This card is not known. Try scanning again.",
        Msg::Declined(Decline::WalletClosed) => "The account is closed.",
        Msg::Declined(Decline::ItemBlocked) => "The parents have said no to this item. Take it out of the basket.",
        Msg::Unauthorized => "The till is not signed in. Pair the till again, or contact support.",
        Msg::MissingIdempotencyKey => "The request has no Idempotency-Key.",
        Msg::InvalidIdempotencyKey => "An Idempotency-Key is 1 to 200 visible ASCII characters.",
        Msg::MalformedJson => "The request is not valid JSON.",
        Msg::InvalidRequest => "The request lacks fields or has fields of the wrong type.",
        Msg::UnreadableCard => "The card number cannot be read. Scan the card again, or type the 16 digits.",
        Msg::NoLines => "The basket is empty. Choose at least one item.",
        Msg::TooManyLines => "Too many items in the basket. Split the purchase.",
        Msg::BadQuantity => "A quantity is between 1 and 99.",
        Msg::UnknownProduct => "An item in the basket is not sold here. Fetch the product list again.",
        Msg::IdempotencyKeyReused => "The key was already used for another purchase. Start a new purchase.",
        Msg::NotFound => "There is no such page.",
        Msg::Internal => "Something went wrong on our side. Nothing was charged. Try again shortly.",
        Msg::PairingInvalid => "The code does not work. It is used or too old. Ask the manager for a new code.",
        Msg::BadPin => "A PIN is 4 to 8 digits.",
        Msg::WrongPin => "Wrong PIN. Try again.",
        Msg::TooManyPinAttempts => "Too many wrong PINs. Wait a quarter of an hour and try again.",
        Msg::TillLocked => "The till is locked. Unlock it with your PIN.",
        Msg::Forbidden => "You may not do that here.",
        Msg::VoidTooLate => "The sale is too old to void. Make a refund instead.",
        Msg::AlreadyUndone => "The sale is already voided or refunded.",
        Msg::NothingToRefund => "There is nothing more to refund on that line.",
        Msg::BadTillName => "Give the till a name of 1 to 60 characters.",
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Every `t("…")` and `fill("…"` in the templates and handlers names a text that exists.
    #[test]
    fn every_key_used_is_in_the_catalogue_once() {
        let mut seen = std::collections::HashSet::new();
        for key in keys() {
            assert!(seen.insert(key), "{key} twice in the catalogue");
        }
        let dirs = [concat!(env!("CARGO_MANIFEST_DIR"), "/templates"), concat!(env!("CARGO_MANIFEST_DIR"), "/src")];
        let mut files = Vec::new();
        for dir in dirs {
            collect(std::path::Path::new(dir), &mut files);
        }
        for file in files {
            let text = std::fs::read_to_string(&file).unwrap();
            for marker in [".t(\"", ".fill(\""] {
                for part in text.split(marker).skip(1) {
                    let key = part.split('"').next().unwrap();
                    if key.contains('{') || key.is_empty() {
                        continue;
                    }
                    assert!(seen.contains(key), "{} uses {key:?}, which is not in the catalogue", file.display());
                }
            }
        }
    }

    fn collect(dir: &std::path::Path, files: &mut Vec<std::path::PathBuf>) {
        for entry in std::fs::read_dir(dir).unwrap() {
            let path = entry.unwrap().path();
            if path.is_dir() {
                collect(&path, files);
            } else {
                files.push(path);
            }
        }
    }

    #[test]
    fn amounts_and_dates_follow_the_language() {
        let at = jiff::Timestamp::from_second(1_795_000_000).unwrap().as_microsecond();
        assert_eq!(Tr::new(Lang::Da).money(&saldo_core::Money::from_ore(123_450)), "1.234,50 kr.");
        assert_eq!(Tr::new(Lang::En).money(&saldo_core::Money::from_ore(123_450)), "DKK 1,234.50");
        assert!(Tr::new(Lang::Da).datetime(&at).contains(" kl. "));
        assert!(!Tr::new(Lang::En).datetime(&at).contains(" kl. "));
    }

    #[test]
    fn every_decline_reads_differently_in_each_language() {
        for lang in [Lang::Da, Lang::En] {
            let mut seen: Vec<&str> = Decline::ALL.iter().map(|d| text(Msg::Declined(*d), lang)).collect();
            seen.sort();
            seen.dedup();
            assert_eq!(seen.len(), Decline::ALL.len());
        }
    }
}
