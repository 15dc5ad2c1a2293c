
## The webshop

shop-link = Bestil mad
shop-link-menu = Madplan
shop-link-kitchen = Køkkenliste
kind-shop_order = Bestilling i webshoppen
kind-hand_out = Udleveret bestilling
api-order_changed = Bestillingen er ændret imens (afbestilt eller udleveret ved en anden kasse). Scan kortet igen.

allergen-gluten = gluten
allergen-crustaceans = krebsdyr
allergen-eggs = æg
allergen-fish = fisk
allergen-peanuts = jordnødder
allergen-soybeans = soja
allergen-milk = mælk
allergen-nuts = nødder
allergen-celery = selleri
allergen-mustard = sennep
allergen-sesame = sesam
allergen-sulphites = svovldioxid og sulfitter
allergen-lupin = lupin
allergen-molluscs = bløddyr

shop-allergens = Allergener
shop-uncollected-kept = Beholdes: maden er lavet, og pengene går til salgsstedet
shop-uncollected-refunded = Betales tilbage til kontoen dagen efter
shop-uncollected_parent-kept = Bliver maden ikke hentet, får I ikke pengene tilbage. Afbestil før fristen, hvis barnet ikke skal have den.
shop-uncollected_parent-refunded = Bliver maden ikke hentet, får I pengene tilbage på kontoen dagen efter.
shop-uncollected-mail = Bliver maden ikke hentet, gælder salgsstedets regel, som I så, før I betalte. I kan afbestile indtil fristen på siden Bestil mad.
shop-state-paid = Bestilt
shop-state-cancelled = Afbestilt
shop-state-handed_out = Udleveret
shop-state-not_collected = Ikke hentet

shop-error-bad_day = Dagen findes ikke. Skriv den som ÅÅÅÅ-MM-DD.
shop-error-bad_name = Skriv rettens navn med 1 til 60 tegn.
shop-error-bad_price = Skriv en pris over 0 og højst 1.000 kr., fx 32,50.
shop-error-bad_category = Skriv en kategori med 1 til 30 tegn, fx mad.
shop-error-bad_allergen = Vælg allergener fra listen.
shop-error-bad_portions = Skriv et antal portioner fra 1 til 10.000, eller lad feltet stå tomt.
shop-error-bad_terms = Skriv tider som TT:MM (fx 14:00) og antal skoledage fra 0 til 10.
shop-error-bad_calendar_line = Linje { $line } kan ikke læses. Skriv én dag pr. linje som ÅÅÅÅ-MM-DD og evt. en grund.
shop-error-too_many_dishes = En dag kan højst have 12 retter.
shop-error-dish_ordered = Retten er bestilt og bliver på madplanen.
shop-error-empty_basket = Kurven er tom. Vælg en ret først.
shop-error-basket_too_big = Vælg højst 5 af hver ret og højst 40 retter i alt.
shop-error-basket_changed = Kurven er ændret i et andet vindue. Se den igen, og betal derefter.
shop-error-day_closed = Der er lukket { $day }. Tag retten ud af kurven.
shop-error-past_order_deadline = Fristen for at bestille til { $day } er overskredet. Tag retten ud af kurven.
shop-error-too_far_ahead = { $day } ligger for langt fremme. Du kan bestille op til tre uger frem.
shop-error-sold_out = { $dish } { $day } er udsolgt. Tag retten ud af kurven, eller vælg færre.
shop-error-allergen = { $dish } indeholder { $allergen }, som du har markeret for barnet. Tag retten ud af kurven.
shop-error-category_blocked = { $dish } hører til en slags varer, du har spærret for barnet. Tag retten ud af kurven.
shop-error-insufficient_funds = Der er ikke penge nok på kontoen til kurven. Sæt penge ind, eller tag noget ud af kurven.
shop-error-daily_limit = Bestillingerne til { $day } er over barnets daglige grænse. Tag noget ud, eller hæv grænsen.
shop-error-wallet_closed = Kontoen er lukket.
shop-error-past_cancel_deadline = Fristen for at afbestille er overskredet.
shop-error-not_open = Bestillingen er allerede afbestilt, udleveret eller afsluttet.

shop-title = Bestil mad
shop-balance = Saldo
shop-back_to_child = Tilbage til barnet
shop-intro = Vælg retter til de næste dage, læg dem i kurven, og betal fra kontoen på én gang. Du kan afbestille indtil fristen og får pengene tilbage med det samme.
shop-basket-title = Kurv
shop-basket-empty = Kurven er tom.
shop-basket-remove = Tag ud
shop-basket-total = I alt
shop-basket-pay = Betal { $total } fra kontoen
shop-basket-updated = Kurven er opdateret.
shop-paid = Bestillingen er betalt. Du får en kvittering på mail.
shop-cancelled = Afbestilt. Pengene er sat tilbage på kontoen.
shop-allergens_saved = Allergenerne er gemt.
shop-orders-title = Bestillinger
shop-orders-none = Ingen bestillinger endnu.
shop-orders-cancel = Afbestil
shop-orders-cancel_day = Afbestil hele { $day }
shop-menu_of = Madplan: { $place }
shop-no_menu = Der er ingen retter at bestille lige nu.
shop-order_by = Bestil senest
shop-quantity = Antal
shop-add = Læg i kurv
shop-change = Ret antal
shop-left = { $left } portioner tilbage
shop-warning-allergen = Indeholder { $allergen }, som du har markeret.
shop-warning-blocked = Spærret for barnet.
shop-warning-sold_out = Udsolgt.
shop-allergens_title = Barnets allergener
shop-allergens_intro = Retter med disse allergener kan ikke bestilles til barnet, og køkkenet ser dem på listen.
shop-allergens_save = Gem allergener

shop-menu-title = Madplan
shop-menu-to_kitchen = Til køkkenlisten
shop-menu-intro = Sæt retter på dagene. Forældre kan bestille indtil bestillingsfristen.
shop-menu-weeks = Uger
shop-menu-earlier = Forrige to uger
shop-menu-later = Næste to uger
shop-menu-closed = Lukket
shop-menu-order_by = Bestillingsfrist:
shop-menu-no_dishes = Ingen retter endnu.
shop-menu-remove = Fjern
shop-menu-add = Tilføj ret
shop-menu-name = Navn
shop-menu-category = Kategori
shop-menu-price = Pris (kr.)
shop-menu-portion_limit = Antal portioner (tomt: ingen grænse)
shop-menu-add_button = Tilføj retten
shop-menu-portions = { $ordered } bestilt
shop-menu-portions_of = { $ordered } af { $limit } bestilt
shop-menu-added = Retten er tilføjet.
shop-menu-removed = Retten er fjernet.
shop-menu-terms_saved = Fristerne er gemt.
shop-menu-calendar_saved = Kalenderen er gemt.
shop-menu-terms = Frister
shop-menu-order_days_before = Bestil senest dette antal skoledage før
shop-menu-order_until = Bestil senest kl. (TT:MM)
shop-menu-cancel_until = Afbestil senest kl. på dagen (TT:MM)
shop-menu-uncollected = Mad der ikke bliver hentet
shop-menu-save_terms = Gem frister
shop-menu-calendar = Lukkedage
shop-menu-no_closed_days = Ingen lukkedage i perioden.
shop-menu-calendar_list = Lukkedage, én pr. linje
shop-menu-calendar_hint = Skriv ÅÅÅÅ-MM-DD og evt. en grund, fx 2026-12-23 Juleferie. Start linjen med - for at åbne en dag igen.
shop-menu-calendar_save = Gem lukkedage

shop-kitchen-title = Køkkenliste
shop-kitchen-days = Dage
shop-kitchen-earlier = Dagen før
shop-kitchen-later = Dagen efter
shop-kitchen-csv = Hent som CSV
shop-kitchen-to_menu = Til madplanen
shop-kitchen-print_hint = Udskriv siden for en liste i stor skrift på A4.
shop-kitchen-counts = Portioner
shop-kitchen-none = Ingen bestillinger til dagen.
shop-kitchen-dish = Ret
shop-kitchen-portions = Antal
shop-kitchen-pick_list = Plukliste
shop-kitchen-child = Barn
shop-kitchen-class = Klasse
shop-kitchen-dishes = Retter
shop-kitchen-note = Besked fra forældre
shop-kitchen-live = Listen kan ændre sig indtil bestillingsfristen { $deadline }.
shop-kitchen-frozen = Listen er låst ved bestillingsfristen { $deadline }. Afbestillinger derefter er streget ud.

till-shop-title = Bestilt mad
till-shop-button = Udleveret
till-shop-handed_out_title = Udleveret
till-shop-ordered = { $name } har bestilt: { $dishes }
till-shop-handed_out = { $name } har fået: { $dishes }
till-shop-already = { $name }: { $dishes } er allerede udleveret { $at }.
till-shop-nothing = { $name } har ingen bestilling her i dag.

mail-shop_receipt-subject = Kvittering: mad bestilt til { $child }
mail-shop_receipt-body =
    Hej

    Du har bestilt mad til { $child } og betalt { $total } fra { $child_s } konto:

    { $lines }

    { $uncollected }

    { -signature }

shop-report-title = Webshop
shop-report-intro = Bestillinger til dagen, der er udleveret (eller beholdt, når de ikke blev hentet). De tælles for sig, ikke med i kassens salg ovenfor.
shop-report-none = Ingen webshop-bestillinger udleveret denne dag.
shop-report-total = I alt fra webshoppen

mail-standing_skipped-subject = Fast bestilling til { $child } sprunget over
mail-standing_skipped-body =
    Hej

    Der var ikke penge nok på { $child_s } konto til den faste bestilling { $day }, så dagen er sprunget over.

    Sæt penge ind, så kommer de næste dage med. Vi skriver kun denne ene gang.

    { -signature }

shop-weekday-1 = mandag
shop-weekday-2 = tirsdag
shop-weekday-3 = onsdag
shop-weekday-4 = torsdag
shop-weekday-5 = fredag
shop-standing-title = Faste bestillinger
shop-standing-intro = Fx hver tirsdag og torsdag den varme ret i et skoleår. Hver dag betales fra kontoen, når bestillingsfristen er gået. Lukkedage springes over, og er der ikke penge nok, springes dagen over, og du får en mail første gang.
shop-standing-line = { $days }: { $category } fra { $place }, { $from } til { $to }
shop-standing-stopped_tag = stoppet
shop-standing-stop = Stop
shop-standing-new = Ny fast bestilling
shop-standing-place = Salgssted
shop-standing-category = Kategori (fx varm ret)
shop-standing-days = Dage
shop-standing-from = Fra
shop-standing-to = Til
shop-standing-save = Gem fast bestilling
shop-standing-saved = Den faste bestilling er gemt.
shop-standing-stopped = Den faste bestilling er stoppet.

shop-menu-product = Fra varerne (valgfrit)
shop-menu-no_product = Kun i webshoppen
shop-menu-product_hint = Vælg en vare, så bliver felter, du lader stå tomme, udfyldt med dens navn, kategori og pris.
shop-csv-day = dag
shop-csv-class = klasse
shop-csv-child = barn
shop-csv-dish = ret
shop-csv-quantity = antal
shop-csv-state = status
shop-csv-allergens = allergener
shop-csv-note = note
shop-error-no_weekdays = Vælg mindst én ugedag, som bestillingen skal gælde.
shop-error-bad_term = Perioden skal begynde før den slutter, højst et år senere, og må ikke være slut allerede. Ret datoerne.
shop-error-unknown_category = Ingen retter på menuen har kategorien “{ $category }”. Skriv en kategori fra menuen, fx mad.
