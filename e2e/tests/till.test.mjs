// The till in a real browser (domain.md flow 5): unlock with a PIN, ring up an
// item, the reader types the card number and Enter, the green answer; a
// decline in red; a void; the day report; the manager's products page.
// Every screen passes axe-core.
import { after, before, test } from "node:test";
import assert from "node:assert/strict";
import { startDemo } from "../lib/demo.mjs";
import { assertAccessible, assertFitsPhone, check, clickDemoLogin, launch } from "../lib/browser.mjs";

let demo;
let browser;
let till;

before(async () => {
  demo = await startDemo();
  browser = await launch();
  // Absalons Skole's canteen, whose manager is kantine1@ (tills are listed by id, not by school).
  till = demo.credentials.tills.find((t) => t.sales_point.includes("Absalons"));
});

after(async () => {
  await browser?.close();
  await demo?.stop();
});

/** A till browser: the device token in place, as pairing leaves it. CSP bypassed only for axe-core. */
async function tillPage() {
  const context = await browser.newContext({ bypassCSP: true, viewport: { width: 1024, height: 768 } });
  await context.addInitScript((token) => window.localStorage.setItem("saldo_till_token", token), till.token);
  const page = await context.newPage();
  await page.goto(`${demo.baseUrl}/till`);
  await page.getByLabel("Din PIN-kode").fill(demo.credentials.staff_pin);
  await page.getByRole("button", { name: "Lås op" }).click();
  await page.getByLabel(/Kort/).waitFor();
  return page;
}

/** The reader: digits, then Enter, into whatever has focus (the card field). */
async function scan(page, number) {
  await page.keyboard.type(number);
  await page.keyboard.press("Enter");
}

test("an unpaired till asks for its pairing code and offers nothing else (no lock, no selling)", async () => {
  const context = await browser.newContext({ bypassCSP: true, viewport: { width: 1024, height: 768 } });
  const page = await context.newPage();
  await page.goto(`${demo.baseUrl}/till`);
  await page.locator("#till-pair").waitFor();
  assert.equal(await page.getByRole("button", { name: "Lås kassen" }).isVisible(), false);
  assert.equal(await page.locator("#till-sell").isVisible(), false);
  assert.equal(await page.locator("#till-unlock").isVisible(), false);
  await assertAccessible(page, "the unpaired till");
  await context.close();
});

test("a sale from scan to the green answer, then a void", async () => {
  const page = await tillPage();
  await assertAccessible(page, "the unlocked till");
  const fits = await page.evaluate(() => document.documentElement.scrollWidth);
  assert.ok(fits <= 1024, `the till is ${fits} px wide at 1024 px`);
  const card = demo.credentials.cards.find((c) => c.balance_ore >= 2_000);
  await page.getByRole("button", { name: /^Frugt/ }).click();
  assert.match(await page.locator("#till-total").textContent(), /5,00 kr\./);
  const started = Date.now();
  await scan(page, card.number);
  const result = page.locator("#till-result.ok");
  await result.waitFor();
  const took = Date.now() - started;
  assert.match(await result.textContent(), new RegExp(card.first_name));
  assert.match(await result.textContent(), /Godkendt/);
  assert.match(await page.locator("#result-balance").textContent(), new RegExp(((card.balance_ore - 500) / 100).toFixed(2).replace(".", ",")));
  console.log(`scan to green answer in the browser: ${took} ms`);
  await assertAccessible(page, "the green answer");
  await page.getByRole("button", { name: "Næste" }).click();
  assert.equal(await page.locator("#till-basket li").count(), 0, "the basket is empty for the next child");

  await page.getByRole("button", { name: "Annullér sidste salg" }).click();
  await page.locator("#till-result.ok").waitFor();
  assert.match(await page.locator("#till-result").textContent(), /annulleret/);
  assert.match(await page.locator("#result-balance").textContent(), new RegExp((card.balance_ore / 100).toFixed(2).replace(".", ",")));
});

test("a decline is red, says why in Danish and keeps the basket", async () => {
  const page = await tillPage();
  const poor = demo.credentials.cards.find((c) => c.balance_ore < 3_500);
  assert.ok(poor, "the demo has a card with less than 35 kr.");
  await page.getByRole("button", { name: /^Dagens ret/ }).click();
  await scan(page, poor.number);
  const result = page.locator("#till-result.bad");
  await result.waitFor();
  assert.match(await result.textContent(), /Afvist/);
  assert.match(await result.textContent(), /ikke penge nok|grænse/);
  await assertAccessible(page, "the red answer");
  await page.getByRole("button", { name: "Næste" }).click();
  assert.equal(await page.locator("#till-basket li").count(), 1, "the basket is kept after a decline");
  await assertFitsPhone(page, "the till");
  await assertAccessible(page, "the till at 360 px");
});

test("the day report shows the sales point's day and is accessible", async () => {
  const page = await tillPage();
  const card = demo.credentials.cards.find((c) => c.balance_ore >= 2_000);
  await page.getByRole("button", { name: /^Vand/ }).click();
  await scan(page, card.number);
  await page.locator("#till-result.ok").waitFor();

  const context = await browser.newContext({ bypassCSP: true, viewport: { width: 1280, height: 900 } });
  const office = await context.newPage();
  const manager = demo.credentials.people.find((p) => p.email === "kantine1@skole.example.dk");
  await clickDemoLogin(office, demo.baseUrl, manager.name);
  // Staff land on their sales points, not on an empty "Mine børn".
  await office.waitForURL(/\/sales-points$/);
  await check(office, "the manager's sales points");
  assert.ok(await office.locator(`a[href="/sales-points/${till.sales_point_id}/day"]`).isVisible());
  await office.goto(`${demo.baseUrl}/sales-points/${till.sales_point_id}/day`);
  assert.match(await office.locator("h1").textContent(), /Dagens salg/);
  assert.match(await office.locator("#report-products").textContent(), /Vand/);
  await assertAccessible(office, "the day report");
  await assertFitsPhone(office, "the day report");
  await assertAccessible(office, "the day report at 360 px");
});

test("an answer lost on the network: the till says so, keeps the basket, and the retry charges once", async () => {
  const page = await tillPage();
  const card = demo.credentials.cards.filter((c) => c.balance_ore >= 2_000)[3];
  await page.getByRole("button", { name: /^Frugt/ }).click();
  // The sale reaches the server, but its answer never reaches the till.
  let lost = 0;
  await page.route("**/api/v1/till/purchases", async (route) => {
    if (lost === 0) {
      lost += 1;
      await route.fetch();
      return route.abort("connectionfailed");
    }
    return route.continue();
  });
  await scan(page, card.number);
  const banner = page.locator("#till-offline");
  await banner.waitFor();
  assert.match(await banner.textContent(), /Ingen forbindelse til serveren/);
  assert.equal(await page.locator("#till-basket li").count(), 1, "the basket is kept while the answer is missing");
  // The same Idempotency-Key again: the server answers the first sale; the card is charged once.
  await page.locator("#till-result.ok").waitFor({ timeout: 20_000 });
  assert.match(await page.locator("#result-balance").textContent(), new RegExp(((card.balance_ore - 500) / 100).toFixed(2).replace(".", ",")));
  assert.ok(await banner.isHidden());
});

test("a line of an earlier sale goes back with the manager's PIN", async () => {
  const page = await tillPage();
  const card = demo.credentials.cards.filter((c) => c.balance_ore >= 2_000)[4];
  await page.getByRole("button", { name: /^Frugt/ }).click();
  await scan(page, card.number);
  await page.locator("#till-result.ok").waitFor();
  await page.getByRole("button", { name: "Næste" }).click();
  await page.getByRole("button", { name: "Seneste salg / refundér" }).click();
  await page.locator("#refund-list li").first().waitFor();
  await assertAccessible(page, "the till's recent sales");
  const refund = page.getByRole("button", { name: new RegExp(`^Refundér én: Frugt, ${card.first_name}`) }).first();
  await refund.click();
  assert.match(await page.locator("#refund-message").textContent(), /lederens PIN-kode/);
  await page.getByLabel("Lederens PIN-kode").fill(demo.credentials.staff_pin);
  await refund.click();
  await page.getByText(/^Refunderet 5,00 kr\./).waitFor();
  assert.equal(await page.getByLabel("Lederens PIN-kode").inputValue(), "", "the PIN is asked for again for the next refund");
  assert.match(await page.locator("#refund-message").textContent(), new RegExp((card.balance_ore / 100).toFixed(2).replace(".", ",")));
  await assertFitsPhone(page, "the till's recent sales");
  await assertAccessible(page, "the till's recent sales at 360 px");
});

test("the manager adds a product, a bad price is refused, and the till sells the new one", async () => {
  const context = await browser.newContext({ bypassCSP: true, viewport: { width: 1280, height: 900 } });
  const office = await context.newPage();
  const manager = demo.credentials.people.find((p) => p.email === "kantine1@skole.example.dk");
  await clickDemoLogin(office, demo.baseUrl, manager.name);
  await office.waitForURL(/\/sales-points$/);
  await office.goto(`${demo.baseUrl}/sales-points/${till.sales_point_id}/day`);
  await office.getByRole("link", { name: "Varer og priser" }).click();
  assert.match(await office.locator("h1").textContent(), /Varer/);
  await check(office, "the products page");

  await office.locator("#new-price").fill("0");
  await office.locator("#new-name").fill("Boller");
  await office.locator("#new-category").fill("Bagværk");
  await office.getByRole("button", { name: "Tilføj vare" }).click();
  assert.match(await office.locator("#products-error").textContent(), /over 0/);
  await check(office, "the products page with an error");

  await office.locator("#new-name").fill("Boller");
  await office.locator("#new-price").fill("7,50");
  await office.locator("#new-category").fill("Bagværk");
  await office.getByRole("button", { name: "Tilføj vare" }).click();
  assert.match(await office.locator(".notice").textContent(), /tilføjet/);
  await office.locator("details.product-edit").last().locator("summary").click();
  await check(office, "the products page with a product open for editing");

  const page = await tillPage();
  const boller = page.getByRole("button", { name: /^Boller/ });
  await boller.waitFor();
  assert.match(await boller.textContent(), /7,50/);
  await boller.click();
  await scan(page, demo.credentials.cards.find((c) => c.balance_ore >= 2_000).number);
  await page.locator("#till-result.ok").waitFor();
});
