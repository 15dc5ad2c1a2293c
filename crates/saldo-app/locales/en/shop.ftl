
## The webshop

shop-link = Order food
shop-link-menu = Menu plan
shop-link-kitchen = Kitchen list
kind-shop_order = Webshop order
kind-hand_out = Order handed out
api-order_changed = The order changed meanwhile (cancelled or handed out at another till). Scan the card again.

allergen-gluten = gluten
allergen-crustaceans = crustaceans
allergen-eggs = eggs
allergen-fish = fish
allergen-peanuts = peanuts
allergen-soybeans = soy
allergen-milk = milk
allergen-nuts = nuts
allergen-celery = celery
allergen-mustard = mustard
allergen-sesame = sesame
allergen-sulphites = sulphur dioxide and sulphites
allergen-lupin = lupin
allergen-molluscs = molluscs

shop-allergens = Allergens
shop-uncollected-kept = Kept: the food was made, and the money goes to the sales point
shop-uncollected-refunded = Paid back to the account the day after
shop-uncollected_parent-kept = If the food is not collected, you do not get the money back. Cancel before the deadline if your child will not need it.
shop-uncollected_parent-refunded = If the food is not collected, the money goes back to the account the day after.
shop-uncollected-mail = If the food is not collected, the sales point's rule you saw before paying applies. You can cancel until the deadline on the Order food page.
shop-state-paid = Ordered
shop-state-cancelled = Cancelled
shop-state-handed_out = Handed out
shop-state-not_collected = Not collected

shop-error-bad_day = That day does not exist. Write it as YYYY-MM-DD.
shop-error-bad_name = Write the dish's name with 1 to 60 characters.
shop-error-bad_price = Write a price above 0 and at most DKK 1,000, e.g. 32.50.
shop-error-bad_category = Write a category with 1 to 30 characters, e.g. mad.
shop-error-bad_allergen = Choose allergens from the list.
shop-error-bad_portions = Write a number of portions from 1 to 10,000, or leave the field empty.
shop-error-bad_terms = Write times as HH:MM (e.g. 14:00) and school days from 0 to 10.
shop-error-bad_calendar_line = Line { $line } cannot be read. Write one day per line as YYYY-MM-DD, with a reason if you like.
shop-error-too_many_dishes = A day can have at most 12 dishes.
shop-error-dish_ordered = The dish has been ordered and stays on the menu.
shop-error-empty_basket = The basket is empty. Choose a dish first.
shop-error-basket_too_big = Choose at most 5 of each dish and at most 40 dishes in all.
shop-error-basket_changed = The basket was changed in another window. Look at it again, then pay.
shop-error-day_closed = It is closed on { $day }. Take the dish out of the basket.
shop-error-past_order_deadline = The deadline for ordering for { $day } has passed. Take the dish out of the basket.
shop-error-too_far_ahead = { $day } is too far ahead. You can order up to three weeks ahead.
shop-error-sold_out = { $dish } on { $day } is sold out. Take the dish out of the basket, or choose fewer.
shop-error-allergen = { $dish } contains { $allergen }, which you marked for your child. Take the dish out of the basket.
shop-error-category_blocked = { $dish } is of a kind you have blocked for your child. Take the dish out of the basket.
shop-error-insufficient_funds = There is not enough money on the account for the basket. Add money, or take something out.
shop-error-daily_limit = The orders for { $day } are over your child's daily limit. Take something out, or raise the limit.
shop-error-wallet_closed = The account is closed.
shop-error-past_cancel_deadline = The deadline for cancelling has passed.
shop-error-not_open = The order is already cancelled, handed out or closed.

shop-title = Order food
shop-balance = Balance
shop-back_to_child = Back to your child
shop-intro = Choose dishes for the coming days, put them in the basket, and pay from the account in one go. You can cancel until the deadline and get the money back at once.
shop-basket-title = Basket
shop-basket-empty = The basket is empty.
shop-basket-remove = Take out
shop-basket-total = Total
shop-basket-pay = Pay { $total } from the account
shop-basket-updated = The basket is updated.
shop-paid = The order is paid. You will get a receipt by mail.
shop-cancelled = Cancelled. The money is back on the account.
shop-allergens_saved = The allergens are saved.
shop-orders-title = Orders
shop-orders-none = No orders yet.
shop-orders-cancel = Cancel
shop-orders-cancel_day = Cancel all of { $day }
shop-menu_of = Menu: { $place }
shop-no_menu = There are no dishes to order right now.
shop-order_by = Order by
shop-quantity = Quantity
shop-add = Put in basket
shop-change = Change quantity
shop-left = { $left } portions left
shop-warning-allergen = Contains { $allergen }, which you marked.
shop-warning-blocked = Blocked for your child.
shop-warning-sold_out = Sold out.
shop-allergens_title = Your child's allergens
shop-allergens_intro = Dishes with these allergens cannot be ordered for your child, and the kitchen sees them on its list.
shop-allergens_save = Save allergens

shop-menu-title = Menu plan
shop-menu-to_kitchen = To the kitchen list
shop-menu-intro = Put dishes on the days. Parents can order until the order deadline.
shop-menu-weeks = Weeks
shop-menu-earlier = Previous two weeks
shop-menu-later = Next two weeks
shop-menu-closed = Closed
shop-menu-order_by = Order deadline:
shop-menu-no_dishes = No dishes yet.
shop-menu-remove = Remove
shop-menu-add = Add a dish
shop-menu-name = Name
shop-menu-category = Category
shop-menu-price = Price (DKK)
shop-menu-portion_limit = Portions (empty: no limit)
shop-menu-add_button = Add the dish
shop-menu-portions = { $ordered } ordered
shop-menu-portions_of = { $ordered } of { $limit } ordered
shop-menu-added = The dish is added.
shop-menu-removed = The dish is removed.
shop-menu-terms_saved = The deadlines are saved.
shop-menu-calendar_saved = The calendar is saved.
shop-menu-terms = Deadlines
shop-menu-order_days_before = Order at the latest this many school days before
shop-menu-order_until = Order by (HH:MM)
shop-menu-cancel_until = Cancel by, on the day (HH:MM)
shop-menu-uncollected = Food that is not collected
shop-menu-save_terms = Save deadlines
shop-menu-calendar = Closed days
shop-menu-no_closed_days = No closed days in the period.
shop-menu-calendar_list = Closed days, one per line
shop-menu-calendar_hint = Write YYYY-MM-DD and a reason if you like, e.g. 2026-12-23 Christmas holiday. Start a line with - to open a day again.
shop-menu-calendar_save = Save closed days

shop-kitchen-title = Kitchen list
shop-kitchen-days = Days
shop-kitchen-earlier = Day before
shop-kitchen-later = Day after
shop-kitchen-csv = Download as CSV
shop-kitchen-to_menu = To the menu plan
shop-kitchen-print_hint = Print the page for a list in large type on A4.
shop-kitchen-counts = Portions
shop-kitchen-none = No orders for the day.
shop-kitchen-dish = Dish
shop-kitchen-portions = Quantity
shop-kitchen-pick_list = Pick list
shop-kitchen-child = Child
shop-kitchen-class = Class
shop-kitchen-dishes = Dishes
shop-kitchen-note = Note from the parents
shop-kitchen-live = The list can change until the order deadline { $deadline }.
shop-kitchen-frozen = The list was frozen at the order deadline { $deadline }. Cancellations after it are struck through.

till-shop-title = Ordered food
till-shop-button = Handed out
till-shop-handed_out_title = Handed out
till-shop-ordered = { $name } has ordered: { $dishes }
till-shop-handed_out = { $name } got: { $dishes }
till-shop-already = { $name }: { $dishes } was already handed out { $at }.
till-shop-nothing = { $name } has no order here today.

mail-shop_receipt-subject = Receipt: food ordered for { $child }
mail-shop_receipt-body =
    Hello

    You have ordered food for { $child } and paid { $total } from { $child_s } account:

    { $lines }

    { $uncollected }

    { -signature }

shop-report-title = Webshop
shop-report-intro = Orders for the day that were handed out (or kept when not collected). They are counted apart, not in the till's sales above.
shop-report-none = No webshop orders handed out on this day.
shop-report-total = Total from the webshop

mail-standing_skipped-subject = Standing order for { $child } skipped
mail-standing_skipped-body =
    Hello

    There was not enough money on { $child_s } account for the standing order on { $day }, so the day was skipped.

    Add money, and the next days will be ordered. We only write this once.

    { -signature }

shop-weekday-1 = Monday
shop-weekday-2 = Tuesday
shop-weekday-3 = Wednesday
shop-weekday-4 = Thursday
shop-weekday-5 = Friday
shop-standing-title = Standing orders
shop-standing-intro = E.g. the hot dish every Tuesday and Thursday for a school year. Each day is paid from the account when its order deadline passes. Closed days are skipped; if there is not enough money, the day is skipped and you get a mail the first time.
shop-standing-line = { $days }: { $category } from { $place }, { $from } to { $to }
shop-standing-stopped_tag = stopped
shop-standing-stop = Stop
shop-standing-new = New standing order
shop-standing-place = Sales point
shop-standing-category = Category (e.g. hot dish)
shop-standing-days = Days
shop-standing-from = From
shop-standing-to = To
shop-standing-save = Save standing order
shop-standing-saved = The standing order is saved.
shop-standing-stopped = The standing order is stopped.

shop-menu-product = From the products (optional)
shop-menu-no_product = Only in the webshop
shop-menu-product_hint = Choose a product, and the fields you leave empty get its name, category and price.
shop-csv-day = day
shop-csv-class = class
shop-csv-child = child
shop-csv-dish = dish
shop-csv-quantity = quantity
shop-csv-state = state
shop-csv-allergens = allergens
shop-csv-note = note
shop-error-no_weekdays = Choose at least one weekday for the order.
shop-error-bad_term = The period must start before it ends, end within a year, and not be over already. Correct the dates.
shop-error-unknown_category = No dish on the menu has the category “{ $category }”. Write a category from the menu, e.g. mad.
