// The till: products, basket, card input (a USB reader types the number and
// Enter), the answer in big colours, void, and retries with the same
// Idempotency-Key when the network is gone. No framework; no inline scripts.
"use strict";
(function () {
  const $ = (id) => document.getElementById(id);
  const T = $("till-texts").dataset;
  const store = window.localStorage;
  const session = window.sessionStorage;
  let products = [];
  let basket = []; // {id, name, price, qty}
  let pending = null; // {key, body}: an attempt the server has not answered yet
  let lastSale = null;
  let resultTimer = null;

  // crypto.randomUUID needs https or localhost; a till on a plain-http LAN still gets 128 random bits.
  const newKey = () =>
    crypto.randomUUID
      ? crypto.randomUUID()
      : Array.from(crypto.getRandomValues(new Uint8Array(16)), (b) => b.toString(16).padStart(2, "0")).join("");
  const kr = (ore) => (ore / 100).toLocaleString("da-DK", { minimumFractionDigits: 2, maximumFractionDigits: 2 }) + " kr.";
  const token = () => store.getItem("saldo_till_token");
  const staffToken = () => session.getItem("saldo_till_staff") || "";

  async function api(method, path, body, extra) {
    const headers = { "Content-Type": "application/json", Authorization: "Bearer " + (token() || "") };
    if (staffToken()) headers["X-Till-Staff"] = staffToken();
    Object.assign(headers, extra || {});
    const response = await fetch(path, { method, headers, body: body ? JSON.stringify(body) : undefined, cache: "no-store" });
    let data = null;
    try { data = await response.json(); } catch (_) { data = null; }
    return { status: response.status, data };
  }

  function show(section) {
    for (const id of ["till-pair", "till-unlock", "till-sell", "till-refunds"]) $(id).hidden = id !== section;
    $("till-lock").hidden = section !== "till-sell" && section !== "till-refunds";
    $("till-report").hidden = section !== "till-sell";
    const focus = { "till-pair": "pair-code", "till-unlock": "unlock-pin", "till-sell": "card-input", "till-refunds": "refund-pin" }[section];
    if (focus) $(focus).focus();
  }

  function offline(on) {
    $("till-offline").hidden = !on;
    $("till-offline").textContent = on ? T.offline + " " + T.retrying : "";
  }

  async function start() {
    $("refund-pin").value = "";
    if (!token()) return show("till-pair");
    let me;
    try { me = await api("GET", "/api/v1/till/me"); } catch (_) { offline(true); return setTimeout(start, 2000); }
    offline(false);
    if (me.status === 401) { store.removeItem("saldo_till_token"); return show("till-pair"); }
    $("till-where").textContent = me.data.sales_point + " · " + me.data.till;
    $("till-report").href = "/sales-points/" + encodeURIComponent(me.data.sales_point_id) + "/day";
    const list = await api("GET", "/api/v1/till/products");
    products = list.data || [];
    renderProducts();
    if (!staffToken()) return show("till-unlock");
    $("till-staff").textContent = session.getItem("saldo_till_staff_name") || "";
    show("till-sell");
  }

  function renderProducts() {
    const box = $("till-products");
    box.textContent = "";
    const categories = [...new Set(products.map((p) => p.category))];
    for (const category of categories) {
      const group = document.createElement("section");
      const h = document.createElement("h2");
      h.textContent = category.charAt(0).toUpperCase() + category.slice(1);
      group.appendChild(h);
      const grid = document.createElement("div");
      grid.className = "till-grid";
      for (const p of products.filter((x) => x.category === category)) {
        const b = document.createElement("button");
        b.type = "button";
        b.className = "till-product";
        b.dataset.id = p.id;
        const name = document.createElement("span");
        name.textContent = p.name;
        const price = document.createElement("span");
        price.className = "till-price";
        price.textContent = kr(p.price_ore);
        b.append(name, price);
        if (p.allergens) {
          // Staff can answer "is there milk in it?" without leaving the till.
          const allergens = document.createElement("span");
          allergens.className = "till-allergens";
          allergens.textContent = p.allergens;
          b.append(allergens);
        }
        b.addEventListener("click", () => add(p));
        grid.appendChild(b);
      }
      group.appendChild(grid);
      box.appendChild(group);
    }
  }

  function add(p) {
    if (pending) return; // the basket is locked while a sale waits for the server
    const line = basket.find((l) => l.id === p.id);
    if (line) line.qty = Math.min(99, line.qty + 1);
    else basket.push({ id: p.id, name: p.name, price: p.price_ore, qty: 1 });
    renderBasket();
    $("card-input").focus();
  }

  function renderBasket() {
    const ul = $("till-basket");
    ul.textContent = "";
    let total = 0;
    for (const line of basket) {
      total += line.price * line.qty;
      const li = document.createElement("li");
      const text = document.createElement("span");
      text.textContent = line.qty + " × " + line.name + " · " + kr(line.price * line.qty);
      const minus = document.createElement("button");
      minus.type = "button";
      minus.className = "secondary";
      minus.textContent = "−";
      minus.setAttribute("aria-label", T.remove + " " + line.name);
      minus.addEventListener("click", () => {
        if (pending) return;
        line.qty -= 1;
        basket = basket.filter((l) => l.qty > 0);
        renderBasket();
      });
      li.append(text, minus);
      ul.appendChild(li);
    }
    $("till-total").textContent = kr(total);
  }

  async function charge(event) {
    event.preventDefault();
    const card = $("card-input").value.trim();
    if (pending) return; // a double tap or a second scan joins the attempt already under way
    if (!card) return;
    // A card read with an empty sale: the webshop's order for today is handed out.
    if (basket.length === 0) { $("card-input").value = ""; return handOut(card, newKey()); }
    pending = {
      key: newKey(),
      body: { card, lines: basket.map((l) => ({ product_id: l.id, quantity: l.qty })) },
    };
    $("card-input").value = "";
    await send();
  }

  async function send() {
    let answer;
    try {
      answer = await api("POST", "/api/v1/till/purchases", pending.body, { "Idempotency-Key": pending.key });
    } catch (_) {
      offline(true); // the same key again when the network is back: never charged twice
      setTimeout(send, 1500);
      return;
    }
    if (answer.status >= 500 || answer.status === 0) { offline(true); setTimeout(send, 1500); return; }
    offline(false);
    const data = answer.data || {};
    const card = pending.body.card;
    pending = null;
    lookUpOrder(card);
    if (answer.status === 201) {
      lastSale = data.purchase_id;
      $("till-void").disabled = false;
      basket = [];
      renderBasket();
      result(true, data.child.first_name, T.amount + ": " + kr(data.total_ore), T.balance + ": " + kr(data.balance_ore), data.child.note);
    } else if (answer.status === 402) {
      const item = data.item ? " " + T.item + ": " + data.item + "." : "";
      const left = data.left_today_ore == null ? "" : " " + T.leftToday + ": " + kr(data.left_today_ore) + ".";
      const balance = data.balance_ore == null ? "" : T.balance + ": " + kr(data.balance_ore);
      result(false, T.declined, data.message + item + left, balance, data.note);
    } else {
      result(false, T.declined, (data && data.message) || T.error, "", "");
    }
  }

  // The webshop: after a sale, the card's order for today (if any) is shown
  // with an "Udleveret" button; the hand-out is its own request, never the sale's.
  let orderCard = null;

  async function lookUpOrder(card) {
    $("till-order").hidden = true;
    orderCard = null;
    let answer;
    try { answer = await api("POST", "/api/v1/till/orders/today", { card }); } catch (_) { return; }
    if (answer.status !== 200 || !answer.data || !answer.data.lines.length) return;
    $("order-text").textContent = answer.data.message;
    $("order-hand-out").hidden = !answer.data.to_hand_out;
    orderCard = answer.data.to_hand_out ? card : null;
    $("till-order").hidden = false;
  }

  async function handOut(card, key) {
    let answer;
    try {
      answer = await api("POST", "/api/v1/till/hand-outs", { card }, { "Idempotency-Key": key });
      if (answer.status >= 500) throw new Error("server");
    } catch (_) {
      offline(true); // the same key again: handed out once
      return setTimeout(() => handOut(card, key), 1500);
    }
    offline(false);
    const data = answer.data || {};
    orderCard = null;
    $("order-hand-out").hidden = true;
    if (answer.status === 200 && data.outcome === "handed_out") {
      $("till-order").hidden = true;
      result(true, data.first_name, data.message, "", "");
      $("result-title").textContent = T.handedOut;
    } else if (answer.status === 200 && data.outcome === "nothing_ordered") {
      $("till-message").textContent = data.message + " " + T.empty;
    } else if (answer.status === 200) {
      $("order-text").textContent = data.message;
      $("till-order").hidden = false;
      $("till-message").textContent = data.message;
    } else {
      $("till-message").textContent = data.message || T.error;
    }
  }

  function result(ok, name, amount, balance, note) {
    const box = $("till-result");
    box.className = "till-result " + (ok ? "ok" : "bad");
    $("result-title").textContent = ok ? T.approved : T.declined;
    $("result-name").textContent = ok ? name : "";
    $("result-amount").textContent = amount;
    $("result-balance").textContent = balance;
    $("result-note").textContent = note ? T.note + ": " + note : "";
    box.hidden = false;
    clearTimeout(resultTimer);
    // Approvals clear by themselves; a refusal stays until the staff has seen it.
    if (ok) resultTimer = setTimeout(next, 2500);
    $("card-input").focus();
  }

  function next() {
    clearTimeout(resultTimer);
    $("till-result").hidden = true;
    $("card-input").focus();
  }

  async function voidLast() {
    if (!lastSale) return;
    $("till-void").disabled = true;
    try {
      const answer = await api("POST", "/api/v1/till/purchases/" + encodeURIComponent(lastSale) + "/void");
      if (answer.status === 200) {
        lastSale = null;
        result(true, "", T.voided, T.balance + ": " + kr(answer.data.balance_ore), "");
        $("result-title").textContent = T.voided;
      } else {
        result(false, "", (answer.data && answer.data.message) || T.error, "", "");
        $("till-void").disabled = false;
      }
    } catch (_) {
      offline(true);
      $("till-void").disabled = false;
    }
  }

  // Recent sales: a line of an earlier sale goes back with the manager's PIN.
  async function openRecent() {
    $("refund-message").textContent = "";
    show("till-refunds");
    await renderRecent();
  }

  async function renderRecent() {
    let answer;
    try { answer = await api("GET", "/api/v1/till/recent"); } catch (_) {
      offline(true);
      return setTimeout(() => { if (!$("till-refunds").hidden) renderRecent(); }, 1500);
    }
    offline(false);
    if (answer.status === 401 || answer.status === 403) return lock(); // the staff session ended
    const list = $("refund-list");
    list.replaceChildren();
    if (answer.status !== 200) {
      $("refund-message").textContent = (answer.data && answer.data.message) || T.error;
      return;
    }
    const sales = answer.data;
    if (!sales.length) {
      const li = document.createElement("li");
      li.textContent = T.noRecent;
      list.append(li);
    }
    for (const sale of sales) {
      const li = document.createElement("li");
      li.className = "till-sale";
      const head = document.createElement("strong");
      head.textContent = sale.time + " · " + sale.first_name + " · " + kr(sale.total_ore) + (sale.voided ? " (" + T.voidedSale + ")" : "");
      li.append(head);
      for (const line of sale.lines) {
        const row = document.createElement("div");
        row.className = "till-sale-line";
        const left = line.quantity - line.refunded_quantity;
        const text = document.createElement("span");
        text.textContent = line.quantity + " × " + line.name + " (" + kr(line.unit_price_ore) + ")" +
          (line.refunded_quantity ? " · " + T.refunded + ": " + line.refunded_quantity : "");
        row.append(text);
        if (left > 0 && !sale.voided) {
          const button = document.createElement("button");
          button.type = "button";
          button.className = "secondary";
          button.textContent = T.refundOne;
          button.setAttribute("aria-label", T.refundOne + ": " + line.name + ", " + sale.first_name + " " + sale.time);
          button.addEventListener("click", () => refundOne(sale.purchase_id, line.line, button));
          row.append(button);
        }
        li.append(row);
      }
      list.append(li);
    }
  }

  async function refundOne(purchase, line, button) {
    const pin = $("refund-pin").value.trim();
    // The manager's PIN is for this one refund: the next one asks for it again.
    $("refund-pin").value = "";
    if (!pin) {
      $("refund-message").textContent = T.needPin;
      return $("refund-pin").focus();
    }
    button.disabled = true;
    // One key for this refund, sent again until the server answers: never refunded twice.
    const key = newKey();
    const path = "/api/v1/till/purchases/" + encodeURIComponent(purchase) + "/refunds";
    let answer = null;
    while (answer === null) {
      try {
        answer = await api("POST", path, { line, quantity: 1, manager_pin: pin }, { "Idempotency-Key": key });
        if (answer.status >= 500) { answer = null; throw new Error("server"); }
      } catch (_) {
        offline(true);
        await new Promise((resolve) => setTimeout(resolve, 1500));
      }
    }
    offline(false);
    if (answer.status === 200) {
      $("refund-message").textContent = T.refunded + " " + kr(answer.data.amount_ore) + " " + T.balance + ": " + kr(answer.data.balance_ore);
      await renderRecent();
    } else {
      $("refund-message").textContent = (answer.data && answer.data.message) || T.error;
      button.disabled = false;
    }
    // The button may be gone with the list redrawn: the message keeps the focus.
    $("refund-message").focus();
  }

  async function pair(event) {
    event.preventDefault();
    const answer = await api("POST", "/api/v1/till/pair", { code: $("pair-code").value });
    if (answer.status === 201) {
      store.setItem("saldo_till_token", answer.data.token);
      $("pair-error").hidden = true;
      return start();
    }
    $("pair-error").textContent = (answer.data && answer.data.message) || T.error;
    $("pair-error").hidden = false;
  }

  async function unlock(event) {
    event.preventDefault();
    const answer = await api("POST", "/api/v1/till/unlock", { pin: $("unlock-pin").value });
    $("unlock-pin").value = "";
    if (answer.status === 200) {
      session.setItem("saldo_till_staff", answer.data.staff_token);
      session.setItem("saldo_till_staff_name", answer.data.first_name);
      $("unlock-error").hidden = true;
      return start();
    }
    $("unlock-error").textContent = (answer.data && answer.data.message) || T.error;
    $("unlock-error").hidden = false;
    $("unlock-pin").focus();
  }

  async function lock() {
    $("refund-pin").value = "";
    try { await api("POST", "/api/v1/till/lock"); } catch (_) { /* locked locally anyway */ }
    session.removeItem("saldo_till_staff");
    session.removeItem("saldo_till_staff_name");
    $("till-staff").textContent = "";
    show("till-unlock");
  }

  $("pair-form").addEventListener("submit", pair);
  $("unlock-form").addEventListener("submit", unlock);
  $("card-form").addEventListener("submit", charge);
  $("till-clear").addEventListener("click", () => { if (!pending) { basket = []; renderBasket(); } });
  $("till-void").addEventListener("click", voidLast);
  $("till-lock").addEventListener("click", lock);
  $("till-recent").addEventListener("click", openRecent);
  $("refund-back").addEventListener("click", () => { $("refund-pin").value = ""; show("till-sell"); });
  $("result-next").addEventListener("click", next);
  $("order-hand-out").addEventListener("click", () => { if (orderCard) handOut(orderCard, newKey()); });
  // The next scan dismisses the answer: the reader's first digit lands in the card field.
  document.addEventListener("keydown", () => { if (!$("till-result").hidden) { next(); } });
  window.addEventListener("online", () => { if (pending) send(); });
  start();
})();
