# Saldo's texts in English. Ids: the old dotted key with '-' for '.'.

report-pin_title = Your PIN at the till
report-pin = New PIN (4 to 8 digits)
report-pin_save = Save PIN
report-pin_saved = Your PIN is saved. Use it to unlock the till.
report-pin_bad = A PIN is 4 to 8 digits.
till-title = Till
till-approved = Approved
till-declined = Declined
till-balance = Balance now
till-left_today = Left of today's limit
till-amount = Amount
till-offline = No connection to the server. The basket is kept. The sale has NOT gone through yet.
till-retrying = Trying again …
till-empty_basket = Choose items first.
till-voided = The sale is voided. The money is back on the card.
till-note = Note from parents
till-blocked_item = Item
till-remove = Remove
till-error = Something went wrong. Try again.
till-report = Today's sales
till-lock = Lock the till
till-pair_title = Set up the till
till-pair_intro = Type the code the sales point's manager got in Saldo.
till-pair_code = Pairing code
till-pair_button = Set up the till
till-unlock_title = Unlock the till
till-pin = Your PIN
till-unlock_button = Unlock
till-basket = Basket
till-total = Total
till-card = Card (scan or type the number)
till-charge = Charge
till-clear = Empty the basket
till-void = Void last sale
till-next = Next
till-recent = Recent sales / refund
till-recent_title = Today's recent sales
till-recent_intro = Refund an item from an earlier sale. Each refund needs the manager's PIN; the money goes back to the child's account.
till-manager_pin = Manager's PIN
till-refund_one = Refund one
till-refunded = Refunded
till-need_pin = Enter the manager's PIN first.
till-no_recent = No sales today yet.
till-voided_sale = voided
till-back_to_sale = Back to selling
report-title = The day's sales
report-day = Day
report-show = Show
report-purchases = Purchases
report-gross = Sold
report-voids = Voided
report-refunds = Refunded
report-net = Net
report-by_product = Sales by product
report-by_hour = Sales by hour
report-product = Item
report-quantity = Quantity
report-amount = Amount
report-hour = Hour
report-none = No sales this day.
report-csv = Download as CSV
report-print = Print
report-chart = Bar chart of sales by hour
report-pairing = New till
report-pairing_intro = Make a one-time code and type it on the new till at /till. The code works for 15 minutes.
report-till_name = The till's name
report-make_code = Make code
report-code_is = The code is
report-points = My sales points
controls-title = Rules at the till
controls-intro = Choose what your child may not buy, and write a short note the till shows at every purchase (e.g. an allergy).
controls-blocked = May not buy
controls-note = Note for the staff
controls-save = Save
controls-saved = The rules at the till are saved.
controls-too_long = The note can be at most 200 characters.
controls-none = Nothing blocked
controls-not_allowed = May not buy: { $items }
action-controls = Rules at the till
site-name = Saldo
site-tagline = Payment cards for school and club
nav-skip = Skip to content
nav-overview = My children
nav-help = Help
nav-office = The office
nav-admin = Card stock
nav-sales_points = Sales points
nav-login = Log in
nav-logout = Log out
nav-other_lang = Dansk
nav-other_lang_code = da
nav-main = Main menu
sales_points-title = My sales points
sales_points-none = You do not sell at any sales point yet. Ask your manager or the office for access.
sales_points-day = Day report and new tills
sales_points-products = Products and prices
sales_points-till = Open the till
footer-help = Need help?
footer-call = Call support on
footer-hours = weekdays 8–15
footer-write = or write to
footer-a11y = Accessibility statement
landing-title = Payment cards for school and club
landing-intro = Saldo is the municipality's payment card for canteens and clubs. Children pay with their card at the till, and parents top up, follow the statement and set a daily limit.
landing-login = Log in as a parent
landing-api = For tills and integrations: the till API is described in
landing-api_link = the OpenAPI specification
login-title = Log in
login-intro = Enter your e-mail address. We will send you a link that logs you in.
login-email = E-mail address
login-send = Send login link
login-demo = Demo: log in with one click
login-sent_title = Check your e-mail
login-sent = If we know the address, we have sent a login link to it. The link works for 15 minutes and only once.
login-sent_none = No link? Check your spam folder, or call support.
login-link_title = Log in to Saldo
login-link_button = Log in
login-link_invalid = The link has been used or has expired. Ask for a new login link.
login-rate_limited = You have asked for many links in a short time. Wait a quarter of an hour and try again.
login-not_email = Enter a valid e-mail address, e.g. name@example.com.
demo-title = Demo login
demo-warning = Demo only: log in as one of the made-up people with one click.
demo-as = Log in as
demo-group_custodian = Parents
demo-group_relative = Relatives
demo-group_office = School and club offices
demo-group_till_staff = Canteens and clubs
demo-group_operator = Operator
demo-group_support = Support
demo-more = Show { $count } more
overview-title = My children
overview-last_purchases = Last purchases
overview-none = You are not linked to any children yet. Contact support if this is a mistake.
overview-hello = Hello
child-balance = Balance
child-today = Spent today
child-of_limit = of
child-no_limit = No daily limit
child-card = Card
child-no_card = No active card
child-relative_note = You are linked as a relative: you can top up and see the statement.
child-open = View
child-next-top_up = The balance is low. Top up.
child-next-no_card = There is no active card.
child-next-card_ordered = A new card is ordered. { $office_s } office is waiting for cards and will tell you when it is ready.
child-next-card_ready = The new card is ready at { $office_s } office.
child-next-card_handed_out = The new card is handed out. Activate it with the code on the card.
child-cards = Cards
child-recent = Recent movements
child-settings = Top-ups and notices
child-all = The whole statement
action-deposit = Top up
action-statement = Statement
action-limit = Daily limit
action-transfer = Move money between siblings
action-block = Block card
action-unblock = Unblock card
block-explain = A blocked card cannot be used at the till until it is unblocked. If the card is lost, you can order a new one afterwards.
block-confirm = Yes, block the card
card-active = active
card-blocked = blocked
card-handed_out = handed out, not activated
card-in_stock = in stock
card-cancelled = cancelled
card-ending = ending in
card-blocked_done = The card is blocked. It cannot be used at the till.
card-unblocked_done = The card is unblocked. It works again.
statement-title = Statement
statement-from = From date
statement-to = To date
statement-show = Show
statement-csv = Download as CSV
statement-date = Date
statement-what = Description
statement-amount = Amount
statement-balance = Balance
statement-none = No movements in the period.
statement-older = Older movements
statement-newest = Newest movements
statement-card = card
statement-awaiting_approval = awaiting approval
kind-deposit = Top-up
kind-purchase = Purchase
kind-refund = Refund
kind-card_fee = Replacement card
kind-transfer = Transfer between siblings
kind-withdrawal = Payout
kind-migration = Balance from the old system
kind-reversal = Reversal
deposit-title = Top up
several-title = Put money in for several children
several-intro = Enter the amount for each child you want to put money in for (empty: none). You pay it all at once, and each child gets their part.
several-pay = Pay for all at once
several-hint = Balance { $balance }. At most { $room } more fits on the account.
several-none = Enter an amount for at least one child.
several-bad_amount = { $child }: enter the amount in kroner, e.g. 100 or 75.50.
several-link = Put money in for several children at once
deposit-for = for
deposit-choose = Choose an amount
deposit-other = Other amount (DKK)
deposit-other_hint = E.g. 75 or 75.50
deposit-limits = At least { $min } and at most { $max } per top-up. The account has room for { $room } more.
deposit-fee = Fee per top-up: { $fee }. It is paid on top of the amount.
deposit-no_fee = There is no fee.
deposit-pay = Go to payment
deposit-pay_amount = Pay { $amount }
deposit-other_heading = Another amount
deposit-full = The account is full up to the cap. No more money can be added right now.
deposit-below_min = The smallest amount is { $min }.
deposit-unavailable = Deposits are not switched on yet. Call support on +45 71 99 54 45 if you have questions.
deposit-above_max = The largest amount per top-up is { $max }.
deposit-over_cap = The balance may be at most { $cap }. There is room for { $room } more.
deposit-bad_amount = Write the amount in kroner, e.g. 75 or 75.50.
deposit-provider = Pay with
deposit-provider_fee = { $provider }, fee { $fee }
receipt-title = Top-up
receipt-also_for = The payment was also for
receipt-pending = We are waiting for word from the payment provider. The page updates itself.
receipt-confirmed = Thank you! The money is in.
receipt-declined = The payment was declined. No money was taken. Try another card.
receipt-cancelled = The payment was cancelled. No money was taken.
receipt-amount = Amount
receipt-fee = Fee
receipt-new_balance = New balance
receipt-back = Back to the overview
receipt-refresh = Refresh the page
limit-title = Daily limit
limit-intro = The limit is the most the child can spend in one day. It applies at the till at once.
limit-amount = Limit per day (DKK)
limit-save = Save limit
limit-remove = Remove the limit
limit-saved = The daily limit is saved.
limit-removed = The daily limit is removed.
limit-out_of_range = A daily limit is between DKK 1 and DKK 1,000.
transfer-title = Move money between siblings
transfer-from = From
transfer-to = To
transfer-amount = Amount (DKK)
transfer-submit = Move the money
transfer-done = The money has been moved.
transfer-need_two = You must be the parent of at least two children to move money between them.
transfer-insufficient = There is not enough money in the account to move from.
transfer-same = Choose two different children.
help-title = Help
a11y-title = Accessibility statement
error-title = Something went wrong
error-not_found = The page does not exist, or you do not have access to it.
error-forbidden = You are not allowed to do that. Only parents with custody can change it.
error-other_institution = That belongs to another school or club. An office sees only its own children, orders and cards.
error-csrf = The form was too old. Go back, reload the page and try again.
error-bad_input = The text holds a character that cannot be stored (a NUL character). Nothing was changed. Go back, correct the text and try again.
error-already_sent = The form was already sent, and it is only acted on once. See the child's page or the statement for what happened.
error-internal = Something went wrong on our side. Nothing was changed. Try again shortly, or call support.
error-back = To the front page
sandbox-title = Test payment
sandbox-warning = This is the sandbox payment page. No real money is taken.
sandbox-amount = Amount
sandbox-card = Card number
sandbox-card_hint = Test cards: 4111 1111 1111 1111 is approved, 4000 0000 0000 0002 is declined.
sandbox-pay = Pay
sandbox-save = Save card
sandbox-save_card = The card is saved with the payment provider for automatic top-ups. No money is taken now.
sandbox-save_hint = Save 4000 0000 0000 0341 for a card declined later, or 4000 0027 6000 3184 for one that needs approval. An expired card is declined.
sandbox-expiry = Expiry date (MM/YY)
sandbox-cancel = Cancel
sandbox-bad = The payment link is invalid or has been altered.
products-title = Products
products-link = Products and prices
products-to_report = To the day's sales
products-intro = What is shown here, the till can sell. A hidden product is not sold, but stays on old receipts. A new price applies to new sales only.
products-none = There are no products yet. Add the first one below.
products-shown_tag = Shown at the till
products-hidden_tag = Hidden
products-up = Move up
products-down = Move down
products-hide = Hide
products-show = Show at the till
products-edit = Edit
products-name = Name
products-price = Price in DKK
products-price_hint = E.g. 12 or 12,50. At most { $max }.
products-category = Category
products-category_hint = Choose a category in use, or type a new one. Parents can block these for their child: { $blockable }.
products-allergens = Allergens
products-save = Save changes
products-add_title = Add a product
products-add = Add product
products-added = The product is added and can be sold at the till now.
products-saved = The product is saved. The change applies to new sales.
products-hidden = The product is hidden. The till no longer sells it.
products-shown = The product is shown at the till again.
products-bad_name = Give the product a name of 1 to 60 characters. Nothing was changed.
products-bad_price = Type the price in kroner, e.g. 12 or 12,50. It must be above 0 and at most { $max }. Nothing was changed.
products-bad_category = Give the product a category of 1 to 30 characters, e.g. mad or slik. Nothing was changed.
products-bad_allergens = Allergens may be at most 200 characters. Nothing was changed.
products-too_many = The sales point already has { $max } products. Edit or reuse a hidden product instead.
mailbox-title = Demo mailbox
mailbox-intro = Demo only: the mails Saldo would have sent.
mailbox-none = No mails yet.
action-replacement = Order a replacement card
action-activate = Activate a new card
form-back_to_child = Back to the child
order-title = Replacement card
order-intro = Card lost? Order a new one. The old card is blocked at once, and the fee is taken from the balance. The new card is fetched at the office and activated here afterwards.
order-fee = Fee
order-blocks = When you order, we block the card
order-submit = Block and order a new card
order-insufficient = There is not enough money in the account for the fee of { $fee }. The card is blocked. Top up, and order again.
order-already = A new card has already been ordered. See below where to fetch it.
order-no_office = The child is not linked to a school or club with an office. Call support.
order-done = The old card is blocked and a new card is ordered. It can be fetched at the office; an e-mail about it has been sent.
order-done_waiting = The old card is blocked and a new card is ordered. The office is waiting for new cards; we will send an e-mail when it can be fetched.
order-yours = Ordered card
order-cancel_title = Found the old card?
order-cancel_intro = As long as the card has not been fetched, you can cancel the order. The fee goes back into the account, and the old card stays blocked until you unblock it on the child's page.
order-cancel = Cancel the order
order-cancelled_done = The order is cancelled and the fee is back in the account. If you found the old card, you can unblock it below.
order-wallet_closed = The account is closed, so the fee cannot be returned here. Call support on +45 71 99 54 45.
order-not_cancellable = The order can no longer be cancelled: the card has been fetched or the order was cancelled.
order-state = Status
order-ordered_at = Ordered
order-ordered = Ordered, ready to be fetched
order-handed_out = Handed out, waiting for activation
order-activated = Activated
order-cancelled = Cancelled
order-fetch_at = Fetch the card at the office of { $office }.
activate-title = Activate a new card
activate-intro = Enter the card number and the activation code printed on the card. The card then joins the child's account with its balance, agreements and limit.
activate-for = The card is activated for
activate-child = Child
activate-number = Card number (16 digits)
activate-code = Activation code
activate-hint = You can also scan the QR code on the card with your phone: the fields are then filled in.
activate-submit = Activate the card
activate-bad_number = The card number is the 16 digits on the card. Check that it is typed correctly.
activate-wrong = The card number or activation code does not match. Check both and try again.
activate-used = The code has already been used: the card is activated or given to another child. Call support if this is a mistake.
activate-locked = Too many tries. Wait a quarter of an hour and try again, or call support.
activate-another_active = The child already has an active card. Block it first if it is to be replaced.
activate-done = The card is activated and can be used at the till now.
office-title = The office
office-in_stock = Blank cards in stock
office-waiting = Waiting for a card
office-hand_out_list = Hand-out list
office-none_waiting = Nobody is waiting for a card.
office-scan = Scan or type the card number (optional: then only this child can activate the card)
office-hand_out = Hand out card
office-done_today = Handed out today
office-search = Find a child
office-search_label = Name or card number
office-search_button = Search
office-no_match = No children at your institution match the search.
office-born = born
office-handed_out_done = The card is handed out. The parent can now activate it.
office-blocked_done = The card is blocked.
office-activated_done = The card is activated.
office-not_in_stock = That card is not a blank card in your stock. Take another card, or leave the field empty.
office-order_not_open = The order has already been handed out or closed.
office-orders = Ordered cards
office-activate = Activate a card at the desk
office-back = Back to the office
admin-title = Card stock
admin-sandbox_on = Test payments are on: the sandbox's test cards put money in without real money. Parents must not use Saldo like this.
admin-central = Central stock
admin-offices = Cards in the offices' stock
admin-office = Office
admin-generate = Make a new batch
admin-generate_intro = Saldo makes card numbers and activation codes. The file for the card printer is downloaded once: the codes cannot be seen again afterwards.
admin-count = Number of cards
admin-to = To
admin-generate_button = Make batch and download the printer file
admin-import = Import the card printer's file
admin-file = One line per card: card number;chip id;activation code
admin-import_button = Import the cards
admin-allocate = Allocate cards to an office
admin-allocate_button = Allocate
admin-batch_size = A batch is between 1 and { $max } cards.
admin-bad_line = Line { $line } cannot be read. Check the card number, chip id and code.
admin-imported = { $count ->
    [one] { $count } card is imported.
   *[other] { $count } cards are imported.
}
admin-allocated = { $count ->
    [one] { $count } card has been moved to the office.
   *[other] { $count } cards have been moved to the office.
}
staff-title = Staff login
staff-intro = For school offices and the operator: log in with e-mail and password.
staff-password = Password
staff-wrong = The e-mail or password does not match.
staff-link = Staff: log in with a password
form-cancel = Cancel
action-withdraw = Pay money out
withdraw-title = Payout
withdraw-intro = Have money from the account paid out, for example when the child leaves the school. The amount is reserved at once and paid out when the municipality has approved it.
withdraw-how = How should the money be paid out?
withdraw-card = Back to the card used for top-ups
withdraw-bank = To a bank account
withdraw-card_max = Back to the card can go what you paid in for the child yourself and have not had back; the rest is paid to a bank account. Right now at most { $max }
withdraw-card_too_much = At most { $max } can go back to your card (what you paid in yourself). Choose a bank account to have more paid out.
admin-card_refund_short = The parent's own deposits no longer cover the amount, so it cannot go back to the card. Reject the payout; the parent can ask for it to a bank account.
admin-unanswered_title = Refunds the payment provider has not answered
admin-unanswered_intro = The payment provider did not answer however often we tried, so we do not know whether the money went back. The amount is held as due. Try again from the job queue; the same key is sent again, so it is refunded at most once.
admin-refused_title = Refunds the payment provider refused
admin-refused_intro = The amounts are back on the child's account, and the parent has been told to ask for the payout to a bank account instead.
withdraw-reg = Sort code (4 digits, bank account only)
withdraw-account = Account number (up to 10 digits, bank account only)
withdraw-submit = Ask for the payout
withdraw-requested = The payout is requested. The amount is reserved, and you will hear when it is paid out.
withdraw-too_much = The amount is more than the balance.
withdraw-bad_account = Enter a 4-digit sort code and an account number of up to 10 digits.
account-close_title = Close the account
account-close_intro = When the child leaves the municipality's schools and clubs, the account can be closed. The cards are blocked for good, and the personal data is erased after the retention period.
account-close = Close the account for good
account-closed = The account is closed.
account-not_empty = There is still money in the account. Have it paid out first.
admin-withdrawals = Payouts to approve
admin-none = No payouts are waiting.
admin-approve = Approve
admin-reject = Reject
admin-bank_title = Bank transfers
admin-bank_intro = Approved payouts to bank accounts, as a spreadsheet for the bank's upload. Without dates you get the transfers not downloaded before, and they are marked as downloaded. With dates you get all of the period again. Every download is logged.
admin-bank_download = Download bank transfers (CSV)
admin-nav = Administration
jobs-title = Job queue
jobs-intro = Saldo sends mail and talks to the payment provider in the background. A job that fails is tried again with longer and longer pauses; after a number of attempts it is given up and can be tried again from here. A job's content is never shown: mails can hold login links.
jobs-by_kind = Jobs by kind
jobs-no_jobs = There are no jobs yet.
jobs-waiting = Waiting
jobs-failing = Of which failing
jobs-given_up = Given up
jobs-done_recently = Done in the last 24 hours
jobs-oldest = Oldest waiting
jobs-age_seconds = { $n } s
jobs-age_minutes = { $n } min
jobs-age_hours = { $n } h
jobs-age_days = { $n } d
jobs-kind_mail = Mail
jobs-kind_top_up = Automatic top-up
jobs-kind_sandbox_callback = Sandbox payment callback
jobs-kind_payout_refund = Payout back to a card
jobs-kind_payment_poll = Payment read back from the provider
jobs-troubled = Jobs failing or given up
jobs-troubled_intro = Newest first, at most { $max }.
jobs-none_troubled = No job is failing.
jobs-to = to
jobs-created = Created
jobs-attempts = Attempts
jobs-next = Next try
jobs-last_error = Last error
jobs-retry = Try again
jobs-retried = The job is tried again now.
order-waiting_for_cards = Ordered, waiting for cards at the office
action-relatives = Relatives
relatives-title = Relatives
relatives-intro = A relative – a grandparent, say – can top up and see the statement, but never take money out or change anything. You can remove a relative at any time.
relatives-active = Linked relatives
relatives-none = There are no relatives.
relatives-remove = Remove
relatives-pending = Invitations sent
relatives-no_pending = No invitations are waiting.
relatives-withdraw = Withdraw
relatives-invite = Invite a relative
relatives-message = A personal line (optional)
relatives-send = Send invitation
relatives-sent = The invitation has been sent.
relatives-removed = The relative has been removed. Their access ended at once.
relatives-withdrawn = The invitation has been withdrawn.
relatives-not_email = Enter a valid e-mail address.
relatives-too_long = The personal line can be at most 300 characters.
relatives-custodian = The address belongs to a parent of the child.
invitation-title = Invitation to Saldo
invitation-intro = { $from } invites you to follow { $child }: you can top up and see the statement.
invitation-name = Your name (if you are new to Saldo)
invitation-accept = Accept
invitation-closed = The invitation has been used, withdrawn or has expired. Ask the person who invited you for a new one.
invitation-wrong_account = The invitation was sent to another e-mail address than the one you are logged in with. Log out and open the link again.
invitation-name_missing = Enter your name.
agreement-title = Automatic top-up
agreement-intro = When the balance falls below the limit, we add the amount from a saved card.
agreement-none = There is no automatic top-up agreement.
agreement-rule = Below { $threshold }: add { $amount }
agreement-owner = Agreement of
agreement-yours = your agreement
agreement-active = active
agreement-paused = paused
agreement-threshold = When the balance is below (DKK)
agreement-amount = Add this amount (DKK)
agreement-save = Save and choose a card
agreement-new = Set up automatic top-up
agreement-new_card = A new agreement or a new card
agreement-pause = Pause
agreement-resume = Resume
agreement-delete = Delete the agreement
agreement-pending = The agreement is saved as soon as the payment provider has saved your card.
agreement-changed = The agreement has been changed.
agreement-bad_threshold = The limit must be between DKK 1 and { $max } (the balance cap).
agreement-over_cap = Limit and amount together may be at most { $max } (the balance cap), or the top-up would not fit in the account. Choose a lower limit or a smaller amount.
agreement-bad_amount = The amount must be between { $min } and { $max }.
agreement-edit = Change limit and amount
agreement-save_terms = Save the change (same card)
agreement-card = Card ending in { $last4 }, expires { $expires }
agreement-card_expiring = The card expires soon. Save your new card with the form below so the top-ups go on.
low_balance-title = Low-balance notice
low_balance-intro = Get an e-mail when the balance falls below an amount you choose.
low_balance-on = You get an e-mail when the balance falls below
low_balance-threshold = E-mail me when the balance is below (DKK)
low_balance-save = Save notice
low_balance-choose = Choose the amount for the mail
low_balance-setup = Get a mail when the balance is low
low_balance-stop = Stop the notices
low_balance-saved = You will get an e-mail when the balance falls below the amount.
low_balance-stopped = You will get no more low-balance e-mails.
low_balance-bad_threshold = Enter an amount between DKK 1 and { $max }, e.g. 50.

decline-insufficient_funds = Not enough money on the card.
decline-daily_limit_exceeded = Today's spending limit is reached.
decline-card_blocked = The card is blocked.
decline-card_not_active = The card is not activated yet.
decline-unknown_card = This card is not known. Try scanning again.
decline-wallet_closed = The account is closed.
decline-item_blocked = The parents have said no to this item. Take it out of the basket.
api-unauthorized = The till is not signed in. Pair the till again, or contact support.
api-missing_idempotency_key = The request has no Idempotency-Key.
api-invalid_idempotency_key = An Idempotency-Key is 1 to 200 visible ASCII characters.
api-malformed_json = The request is not valid JSON.
api-too_large = The request is too large (64 KiB at most). Send fewer lines at a time.
api-invalid_request = The request lacks fields or has fields of the wrong type.
api-unreadable_card = The card number cannot be read. Scan the card again, or type the 16 digits.
api-no_lines = The basket is empty. Choose at least one item.
api-too_many_lines = Too many items in the basket. Split the purchase.
api-bad_quantity = A quantity is between 1 and 99.
api-unknown_product = An item in the basket is not sold here. Fetch the product list again.
api-idempotency_key_reused = The key was already used for another purchase. Start a new purchase.
api-not_found = There is no such page.
api-internal = Something went wrong on our side. Nothing was charged. Try again shortly.
api-pairing_invalid = The code does not work. It is used or too old. Ask the manager for a new code.
api-bad_pin = A PIN is 4 to 8 digits.
api-wrong_pin = Wrong PIN. Try again.
api-too_many_pin_attempts = Too many wrong PINs. Wait a quarter of an hour and try again.
api-till_locked = The till is locked. Unlock it with your PIN.
api-forbidden = You may not do that here.
api-void_too_late = The sale is too old to void. Make a refund instead.
api-already_undone = The sale is already voided or refunded.
api-nothing_to_refund = There is nothing more to refund on that line.
api-bad_till_name = Give the till a name of 1 to 60 characters.

# What the payment page shows when a card is saved for top-ups.
pay-save_card = Save a card for automatic top-up
pay-deposit = Money for { $child_s } card
pay-deposit-several = Money for { $children }
word-and = and

## Mails. Every mail is -subject and -body; $child_s is the child's name in the genitive.

-signature =
    Kind regards
    Skole og Klub

    Questions? Call support on +45 71 99 54 45 (weekdays 8–15).

mail-login_link-subject = Your login link for Saldo
mail-login_link-body =
    Hello { $first_name }

    Open this link to log in to Saldo:

    { $link }

    The link works once and for { $minutes ->
        [one] one minute
       *[other] { $minutes } minutes
    }. If you did not ask for it, ignore this mail.

    { -signature }

mail-deposit_receipt-subject = Receipt: { $amount } for { $child }
mail-deposit_receipt-body =
    Hello

    We have received { $amount } for { $child }. The balance is now { $balance }.

    Paid with { $provider }; the reference at { $provider } is { $reference }.

    { -signature }

mail-top_up_done-subject = Automatic top-up: { $amount } for { $child }
mail-top_up_done-body =
    Hello

    The balance for { $child } fell below your limit, so we topped it up with { $amount } from your saved card. The balance is now { $balance }.

    { -signature }

mail-top_up_failed-subject = Automatic top-up for { $child } failed
mail-top_up_failed-body =
    Hello

    We could not top up the balance for { $child }: your card was declined. No money was taken. We will try again; after { $tries ->
        [one] one decline
       *[other] { $tries } declines
    } in a row the automatic top-up pauses.

    If the card is blocked or has expired, log in to Saldo and save a new card.

    { -signature }

mail-top_up_paused-subject = Automatic top-up for { $child } is paused
mail-top_up_paused-body =
    Hello

    We could not top up the balance for { $child }: { $reason ->
        [needs_cardholder] your bank wants you to approve the payment yourself
        [declined] your card was declined several times
       *[unreachable] we could not reach the payment service, however often we tried
    }. No money was taken. The automatic top-up is paused.

    Log in to Saldo to save a card again or top up by hand.

    { -signature }

mail-card_ready-subject = { $child_s } new card is ready at { $office }
mail-card_ready-body =
    Hello { $first_name }

    { $child_s } new payment card is ready at the office of { $office }. { $child } can fetch it there and only needs to give their name.

    The card works once you have activated it. Log in to Saldo and type the card number and the activation code printed on the card:

    { $link }

    You can also scan the QR code on the card. The balance, the daily limit and any automatic top-up carry over to the new card. Remember to write { $child_s } name in the white field on the card.

    { -signature }

mail-relative_invited-subject = { $from } invites you to follow { $child } in Saldo
mail-relative_invited-body =
    Hello

    { $from } invites you to follow { $child_s } card in Saldo: you can top up and see the statement.
    { $note }
    Accept the invitation here (the link works once, for { $days ->
        [one] one day
       *[other] { $days } days
    }):

    { $link }

    { -signature }

mail-relative_removed-subject = You no longer follow { $child } in Saldo
mail-relative_removed-body =
    Hello

    A parent has removed you as a relative of { $child } in Saldo. You can no longer top up or see the statement, and your automatic top-up for { $child } has ended.

    { -signature }

mail-card_expiring-subject = Your card for automatic top-up for { $child } expires soon
mail-card_expiring-body =
    Hello

    The card ending in { $last4 } that you saved for automatic top-up for { $child } expires at the end of { $expires }. After that we cannot top up from it.

    Log in to Saldo and save your new card under "Automatic top-up" on { $child_s } page, so the top-ups go on.

    { -signature }

mail-card_expired-subject = Your card for automatic top-up for { $child } has expired
mail-card_expired-body =
    Hello

    The card ending in { $last4 } that you saved for automatic top-up for { $child } expired at the end of { $expires }. We cannot top up from it.

    Log in to Saldo and save your new card under "Automatic top-up" on { $child_s } page, so the top-ups go on.

    { -signature }

mail-low_balance-subject = The balance for { $child } is below { $threshold }
mail-low_balance-body =
    Hello

    The balance for { $child } is now { $balance }, below the { $threshold } you asked to hear about.

    Log in to Saldo to top up. You can change or stop these mails on { $child_s } page.

    { -signature }

mail-payout_to_bank-subject = Payout of { $amount } approved
mail-payout_to_bank-body =
    Hello

    The payout of { $amount } from { $child_s } account is approved and will be transferred to account { $account } within a few banking days.

    { -signature }

mail-payout_to_card-subject = Payout of { $amount } approved
mail-payout_to_card-body =
    Hello

    The payout of { $amount } from { $child_s } account is approved and goes back to the card or cards you paid in with. It can take a few days before your bank shows it.

    { -signature }

mail-payout_refused-subject = Payout of { $amount } not approved
mail-payout_refused-body =
    Hello

    The payout of { $amount } from { $child_s } account was not approved. The money is back on the account. Call support if you have questions.

    { -signature }

mail-refund_refused-subject = { $amount } could not go back to your card
mail-refund_refused-body =
    Hello

    The payment service could not send { $amount } of your payout back to your card. The amount is on { $child_s } account again. Log in to Saldo and ask for the payout to a bank account instead.

    { -signature }

# Logging in with MitID (a broker, over OpenID Connect) and the municipality's own login for staff.
login-mitid = Log in with MitID
login-mitid_intro = Parents log in with MitID. Without MitID, you can get a login link by e-mail.
login-email_heading = Log in by e-mail
staff-sso = Log in with the municipality's login
staff-sso_intro = Municipal staff log in with their work login.
staff-password_heading = Log in with a password
error-login_cancelled = You cancelled the login. You are not logged in.
error-login_expired = The login took too long, or the link was already used. Start again.
error-login_failed = We could not confirm your login with MitID or the municipality's login. You are not logged in. Try again, or call support.
error-login_unavailable = We cannot reach MitID or the municipality's login right now. Try again shortly, or log in with a link by e-mail.
error-login_not_fresh = Your MitID login was not recent enough. Log in with MitID again to go on.
error-login_wrong_person = You logged in with someone else's MitID. Log in with your own MitID.
error-unknown_groups = Your municipal user does not give access to Saldo. Ask your manager or IT to give you access.
error-binding_invalid = The link has been used, has expired, or was opened in another browser than the one you logged in with MitID in. Log in with MitID again and open the link in the same browser.
error-step_up = This needs you to have confirmed who you are within the last 15 minutes. Go back to the page and confirm with MitID or a link by e-mail.
error-try_again = Try logging in again
error-back_portal = To my children
mitid-bind_title = Welcome, { $name }
mitid-bind_intro = Your MitID is not linked to Saldo yet. Enter the e-mail address the school has for you. We will send a link that links your MitID to your account. Open the link in this browser.
mitid-bind_send = Send link
mitid-bind_sent_title = Check your e-mail
mitid-bind_sent = If the school has the address, we have sent a link to it. Open it in this browser within 15 minutes.
mitid-bind_link_title = Link your MitID to Saldo
mitid-bind_link_intro = When you press the button, you can log in to Saldo with your MitID from then on.
mitid-bind_link_button = Link MitID and log in
stepup-title = Confirm it is you
stepup-mitid = For your safety, confirm with MitID before you ask for a payout, add a relative or close the account.
stepup-mitid_button = Confirm with MitID
stepup-email = For your safety, confirm with a link by e-mail before you ask for a payout, add a relative or close the account.
stepup-email_button = Send me a link

mail-mitid_binding-subject = Link your MitID to Saldo
mail-mitid_binding-body =
    Hello { $first_name }

    Someone logged in to Saldo with MitID as { $mitid_name } and asked to link it to your account. If that was you, open this link in the same browser:

    { $link }

    The link works once and for { $minutes ->
        [one] one minute
       *[other] { $minutes } minutes
    }. If it was not you, ignore this mail; nothing is linked without the link.

    { -signature }

# Payment providers by name, as parents see them.
provider-sandbox = Test payment (sandbox)
provider-nexi = Payment card (Dankort, Visa, Mastercard)
provider-vipps = MobilePay
provider-stripe = Payment card (Stripe)
method-dankort = Dankort
method-visa_mastercard = Visa or Mastercard

# The operator's reconciliation page.
payments-title = Payments
payments-intro = Reconciliation per payment provider and day: what the provider confirmed taking, against what reached the wallets plus fees. Payments that are pending, do not match or were refunded are listed below with the provider's id and the callbacks the provider sent.
payments-date = Date
payments-show = Show
payments-none = No payments that day.
payments-confirmed = Confirmed by the provider
payments-credited = Credited to the wallets
payments-fees = Fees
payments-result = Reconciliation
payments-balances = Balances to the øre
payments-unbalanced = Does not balance
payments-what = What
payments-deposit = Deposit
payments-provider_ref = Provider's id
payments-status = Status
payments-asked = Amount
payments-taken = Taken
payments-refunded_amount = Refunded
payments-events = Callbacks from the provider
payments-pending = Pending
payments-mismatched = Does not match
payments-refunded = Refunded
payments-refused = Refused callbacks (forged or altered)
payments-kind_deposit = Deposit
payments-kind_top_up = Automatic top-up
payments-status_pending = waiting for the provider
payments-status_credited = paid and credited
payments-status_not_paid = not paid

# Saldo's own payment page for Stripe (Stripe Elements).
stripe-title = Pay by card
stripe-pay_intro = You pay
stripe-save_intro = Save a payment card for automatic top-ups. Nothing is charged now.
stripe-card = Card details
stripe-pay = Pay
stripe-save = Save card
stripe-failed = The card could not be used. Try again or use another card.
stripe-needs_script = The card field comes from Stripe and needs JavaScript.
stripe-by_stripe = The card details go straight to Stripe; Saldo never sees them.

# On the way to the payment provider's page.
pay-continue_title = On to payment
pay-continue_text = You are being sent on to the payment provider's page.
pay-continue_link = Go to payment
