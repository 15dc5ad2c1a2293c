// The receipt page waits for the payment provider's confirmation. Without
// JavaScript the person presses "refresh"; with it, the page asks quietly
// every two seconds and reloads once, when the answer has come.
(function () {
  var url = document.currentScript && document.currentScript.dataset.statusUrl;
  if (!url) return;
  var tries = 0;
  function ask() {
    tries += 1;
    fetch(url, { credentials: "same-origin", headers: { Accept: "application/json" } })
      .then(function (r) { return r.ok ? r.json() : null; })
      .then(function (body) {
        if (body && body.status !== "pending") { window.location.reload(); }
        else if (tries < 90) { setTimeout(ask, 2000); }
      })
      .catch(function () { if (tries < 90) setTimeout(ask, 4000); });
  }
  setTimeout(ask, 1500);
})();
