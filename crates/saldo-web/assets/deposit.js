// The typed amount's button says what it will pay ("Betal 75,00 kr."), as
// the parent types. Without JavaScript the button reads "Gå til betaling" and
// the payment page shows the amount before anything is paid.
(function () {
  var input = document.getElementById("amount");
  var button = document.getElementById("pay-typed");
  if (!input || !button) return;
  var lang = button.dataset.lang === "en" ? "en" : "da";

  // The amount in øre, read as the server reads it (saldo_core::Money), or null.
  function ore(text) {
    var s = text.trim().replace(/^(kr\.?|DKK)\s*/i, "").replace(/\s*(kr\.?|DKK)$/i, "").trim();
    if (!/^[0-9.,]+$/.test(s)) return null;
    var whole = s, fraction = "";
    var comma = s.lastIndexOf(",");
    if (comma >= 0) {
      whole = s.slice(0, comma); fraction = s.slice(comma + 1);
      if (!/^(\d{1,3}(\.\d{3})*|\d*)$/.test(whole)) return null;
    } else if (/^\d+\.\d{1,2}$/.test(s)) {
      whole = s.slice(0, s.indexOf(".")); fraction = s.slice(s.indexOf(".") + 1);
    } else if (!/^(\d{1,3}(\.\d{3})+|\d+)$/.test(s)) {
      return null;
    }
    whole = whole.replace(/\./g, "");
    if (!/^\d*$/.test(fraction) || fraction.length > 2 || (whole + fraction) === "") return null;
    var n = parseInt(whole || "0", 10) * 100 + parseInt((fraction + "00").slice(0, 2), 10);
    return n > 0 ? n : null;
  }

  function money(n) {
    var number = new Intl.NumberFormat(lang === "en" ? "en-GB" : "da-DK", {
      minimumFractionDigits: 2, maximumFractionDigits: 2
    }).format(n / 100);
    return lang === "en" ? "DKK " + number : number + " kr.";
  }

  function update() {
    var n = ore(input.value);
    button.textContent = n === null ? button.dataset.plain : button.dataset.pay.replace("{}", money(n));
  }
  input.addEventListener("input", update);
  update();
})();
