// Stripe Elements on Saldo's page: the card goes to Stripe only; Saldo gets
// the PaymentMethod id Stripe gives back, and pays with it on the server.
(function () {
  var form = document.getElementById('stripe-pay');
  if (!form || typeof Stripe === 'undefined') return;
  var stripe = Stripe(form.getAttribute('data-key'));
  var card = stripe.elements().create('card');
  card.mount('#card-element');
  form.addEventListener('submit', function (event) {
    if (form.elements.payment_method.value) return;
    event.preventDefault();
    Promise.resolve(stripe.createPaymentMethod({ type: 'card', card: card })).then(function (result) {
      if (!result || result.error || !result.paymentMethod) {
        document.getElementById('card-error').textContent =
          (result && result.error && result.error.message) || form.getAttribute('data-failed');
        return;
      }
      form.elements.payment_method.value = result.paymentMethod.id;
      form.submit();
    });
  });
})();
