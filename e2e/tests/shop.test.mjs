// The webshop in a real browser (issue 18): a parent orders for two days and
// cancels one, the kitchen's pick list, and the hand-out at the till. The
// demo starts on the next weekday morning (`SALDO_DEMO_CLOCK`), so the till
// has orders for "today" whatever day the suite runs. Every page passes
// axe-core on a desktop and at 360 px.
import { after, before, test } from "node:test";
import assert from "node:assert/strict";
import { startDemo } from "../lib/demo.mjs";
import { assertAccessible, check, clickDemoLogin, launch, openPage } from "../lib/browser.mjs";

let demo;
let browser;

/** 08:30 UTC on the next weekday after today: a school morning in Denmark (09:30 or 10:30). */
function nextWeekdayMorning() {
  const day = new Date();
  do {
    day.setUTCDate(day.getUTCDate() + 1);
  } while (day.getUTCDay() === 0 || day.getUTCDay() === 6);
  day.setUTCHours(8, 30, 0, 0);
  return day.toISOString().replace(/\.\d+Z$/, "Z");
}

before(async () => {
  demo = await startDemo({ env: { SALDO_DEMO_CLOCK: nextWeekdayMorning() } });
  browser = await launch();
});

after(async () => {
  await browser?.close();
  await demo?.stop();
});

// Ida's parent: the seed's first family (300 kr., a 40 kr. daily limit, no orders yet).
const ida = () => demo.credentials.cards.find((c) => c.first_name === "Ida" && c.balance_ore === 30000);
const custodian = () => demo.credentials.people.find((p) => p.email === ida().custodian_email);
const cook = () => demo.credentials.people.find((p) => p.email === "kantine1@skole.example.dk");
const till = () => demo.credentials.tills.find((t) => t.sales_point.includes("Absalons"));

test("a parent orders lunch for two days, pays once and cancels one day", async () => {
  const page = await openPage(browser);
  await clickDemoLogin(page, demo.baseUrl, custodian().name);
  await page.waitForURL(/\/portal$/);
  await page.locator("li.child").filter({ hasText: "Ida" }).getByRole("link", { name: "Ida", exact: true }).click();
  await page.getByRole("link", { name: "Bestil mad" }).click();
  await check(page, "the child's shop");

  // The first days carry the demo's orders of other children; Ida orders for the third and fourth.
  const days = page.locator("h3.shop-day");
  const chosen = [await days.nth(2).textContent(), await days.nth(3).textContent()];
  for (const day of chosen) {
    await page.getByRole("button", { name: new RegExp(`^Læg i kurv.*, ${day}$`) }).first().click();
    await page.getByText("Kurven er opdateret.").waitFor();
  }
  await check(page, "the shop with two days in the basket");
  assert.match(await page.locator(".uncollected-policy").first().textContent(), /får I ikke pengene tilbage/);
  const total = await page.locator("#basket-total").textContent();
  await page.getByRole("button", { name: `Betal ${total} fra kontoen` }).click();
  await page.getByText("Bestillingen er betalt.").waitFor();
  await check(page, "the shop after paying");
  assert.equal(await page.locator("#orders li").count(), 2);

  const before = await page.locator("#shop-balance").textContent();
  await page.getByRole("button", { name: `Afbestil hele ${chosen[1]}` }).click();
  await page.getByText("Afbestilt. Pengene er sat tilbage på kontoen.").waitFor();
  await check(page, "the shop after cancelling a day");
  assert.notEqual(await page.locator("#shop-balance").textContent(), before, "the money is back at once");
  assert.match(await page.locator("#orders").textContent(), /Afbestilt/);
  await page.context().close();
});

test("the kitchen sees today's counts and pick list, printable", async () => {
  const page = await openPage(browser);
  await clickDemoLogin(page, demo.baseUrl, cook().name);
  await page.goto(`${demo.baseUrl}/sales-points`);
  await page.getByRole("link", { name: /^Køkkenliste/ }).first().click();
  await page.locator("table.pick-list").waitFor();
  assert.ok((await page.locator("table.kitchen-counts tbody tr").count()) > 0, "portions to make");
  assert.ok((await page.locator("table.pick-list tbody tr").count()) > 0, "children to hand out to");
  await check(page, "the kitchen list");
  await page.emulateMedia({ media: "print" });
  assert.equal(await page.locator("nav.no-print").isVisible(), false, "the print leaves the links out");
  await page.emulateMedia({ media: "screen" });
  await page.getByRole("link", { name: "Til madplanen" }).click();
  await check(page, "the menu plan");
  await page.context().close();
});

/** Cards at Absalons Skole with an order for today, found through the till's own API. */
async function cardsWithOrders() {
  const found = [];
  for (const card of demo.credentials.cards) {
    const answer = await fetch(`${demo.baseUrl}/api/v1/till/orders/today`, {
      method: "POST",
      headers: { "Content-Type": "application/json", Authorization: `Bearer ${till().token}` },
      body: JSON.stringify({ card: card.number }),
    });
    if (answer.status === 200 && (await answer.json()).to_hand_out) found.push(card);
  }
  assert.ok(found.length >= 2, "the demo has orders for today");
  return found;
}

test("the till hands out an order on an empty sale, says so on the second scan, and offers it after a sale", async () => {
  const [card, buyer] = await cardsWithOrders();
  const context = await browser.newContext({ bypassCSP: true, viewport: { width: 1024, height: 768 } });
  await context.addInitScript((token) => window.localStorage.setItem("saldo_till_token", token), till().token);
  const page = await context.newPage();
  await page.goto(`${demo.baseUrl}/till`);
  await page.getByLabel("Din PIN-kode").fill(demo.credentials.staff_pin);
  await page.getByRole("button", { name: "Lås op" }).click();
  await page.getByLabel(/Kort/).waitFor();

  await page.keyboard.type(card.number);
  await page.keyboard.press("Enter");
  await page.locator("#till-result.ok").waitFor();
  assert.equal(await page.locator("#result-title").textContent(), "Udleveret");
  assert.match(await page.locator("#result-amount").textContent(), new RegExp(`^${card.first_name} har fået: 1 × `));
  await assertAccessible(page, "the till after a hand-out");
  // A green answer clears by itself; the next scan then asks again.
  await page.locator("#till-result").waitFor({ state: "hidden" });

  await page.keyboard.type(card.number);
  await page.keyboard.press("Enter");
  await page.locator("#till-order:not([hidden])").waitFor();
  assert.match(await page.locator("#order-text").textContent(), /er allerede udleveret/);
  await assertAccessible(page, "the till with a second scan's answer");

  // A sale first: the till then shows what the child ordered, and "Udleveret" hands it out.
  await page.locator("#till-products button").first().click();
  await page.keyboard.type(buyer.number);
  await page.keyboard.press("Enter");
  await page.locator("#till-result").waitFor();
  await page.locator("#order-hand-out:not([hidden])").waitFor();
  assert.match(await page.locator("#order-text").textContent(), new RegExp(`^${buyer.first_name} har bestilt: 1 × `));
  await assertAccessible(page, "the till offering an order after a sale");
  await page.getByRole("button", { name: "Udleveret" }).click();
  await page.locator("#result-title", { hasText: "Udleveret" }).waitFor();
  assert.equal(await page.locator("#till-order").isVisible(), false);
  await context.close();
});
