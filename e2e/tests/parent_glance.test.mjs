// What a parent sees at a glance on a phone (issue 14): the last purchases
// on the overview, a short child page, pending things where the parent looks,
// and forms that act once however often they are sent. Every page at 360 px
// with axe-core.
import { after, before, test } from "node:test";
import assert from "node:assert/strict";
import { startDemo } from "../lib/demo.mjs";
import { check, clickDemoLogin, launch, openPage } from "../lib/browser.mjs";

let demo;
let browser;

before(async () => {
  demo = await startDemo();
  browser = await launch();
});

after(async () => {
  await browser?.close();
  await demo?.stop();
});

/** A child of its own per test (the demo has 20 families), and the custodian who logs in. */
function family(nth) {
  const children = demo.credentials.cards.filter((c) => c.custodian_email && c.balance_ore >= 10_000);
  const child = children[nth];
  const parent = demo.credentials.people.find((p) => p.email === child.custodian_email);
  return { child, parent };
}

async function loggedIn(parent) {
  const page = await openPage(browser);
  await page.setViewportSize({ width: 360, height: 740 });
  await clickDemoLogin(page, demo.baseUrl, parent.name);
  await page.waitForURL(/\/portal$/);
  return page;
}

/** A sale at the child's own sales point's till, through the till API. */
async function buy(card, productName) {
  const till = demo.credentials.tills[0];
  const headers = { authorization: `Bearer ${till.token}` };
  const products = await (await fetch(`${demo.baseUrl}/api/v1/till/products`, { headers })).json();
  const product = products.find((p) => p.name === productName);
  const answer = await fetch(`${demo.baseUrl}/api/v1/till/purchases`, {
    method: "POST",
    headers: { ...headers, "content-type": "application/json", "idempotency-key": `glance-${Date.now()}-${Math.random()}` },
    body: JSON.stringify({ card, lines: [{ product_id: product.id, quantity: 1 }] }),
  });
  assert.equal(answer.status, 201, await answer.text());
}

test("the overview lists each child's last purchases, and the child page stays under 1,200 px on a phone", async () => {
  const { child, parent } = family(0);
  for (const item of ["Frugt", "Grøntsagsstave", "Frugt", "Grøntsagsstave"]) await buy(child.number, item);
  const page = await loggedIn(parent);
  const card = page.locator("li.child").filter({ hasText: child.first_name });
  const purchases = card.locator("ul.purchases li");
  assert.equal(await purchases.count(), 3, "the last three purchases");
  assert.match(await purchases.first().textContent(), /Grøntsagsstave/);
  await check(page, "overview with purchases");

  await card.getByRole("link", { name: child.first_name, exact: true }).click();
  await page.waitForURL(/\/portal\/children\//);
  await page.setViewportSize({ width: 360, height: 740 });
  const height = await page.evaluate(() => document.documentElement.scrollHeight);
  assert.ok(height < 1200, `the child page is ${height} px tall at 360 px`);
  assert.equal(await page.locator("ul.moves li").count(), 3);
  // The settings are one tap away, not pre-filled forms above the purchases.
  assert.equal(await page.getByLabel("Når saldoen er under (kr.)", { exact: true }).first().isVisible(), false);
  await page.locator("summary", { hasText: "Sæt automatisk optankning op" }).click();
  assert.equal(await page.getByLabel("Når saldoen er under (kr.)", { exact: true }).first().isVisible(), true);
  await check(page, "child page with purchases");
  await page.context().close();
});

test("a replacement on its way and a payout awaiting approval are shown where the parent looks", async () => {
  const { child, parent } = family(1);
  const page = await loggedIn(parent);
  const overview = () => page.locator("li.child").filter({ hasText: child.first_name });
  await overview().getByRole("link", { name: child.first_name, exact: true }).click();
  await page.getByRole("link", { name: "Bestil erstatningskort" }).click();
  await page.getByRole("button", { name: /Spær og bestil nyt kort/ }).click();
  await page.getByText("Det gamle kort er spærret, og et nyt kort er bestilt.").waitFor();
  // The child page says what is under way, and offers neither unblocking the lost card nor a second order.
  assert.match(await page.locator("p.next").textContent(), /nye kort ligger klar|nyt kort er bestilt/);
  assert.equal(await page.getByRole("button", { name: /Ophæv spærring/ }).count(), 0);
  await check(page, "child page with a replacement on its way");

  await page.goto(`${demo.baseUrl}/portal`);
  assert.match(await overview().textContent(), /nye kort ligger klar|nyt kort er bestilt/);
  assert.equal(await overview().getByRole("link", { name: "Bestil erstatningskort" }).count(), 0);
  await check(page, "overview with a replacement on its way");

  // A payout is reserved at once and reads "afventer godkendelse" until the operator approves it.
  await overview().getByRole("link", { name: child.first_name, exact: true }).click();
  await page.getByRole("link", { name: "Udbetal penge" }).click();
  await page.getByLabel("Beløb (kr.)").fill("10");
  await page.getByLabel("Til en bankkonto").check();
  await page.getByLabel(/Registreringsnummer/).fill("1234");
  await page.getByLabel(/Kontonummer/).fill("12345678");
  await page.getByRole("button", { name: "Bed om udbetaling" }).click();
  await page.getByText("Udbetalingen er bestilt.", { exact: false }).waitFor();
  await page.goto(page.url().replace(/\?.*$/, "") + "/statement");
  assert.match(await page.locator("table.statement").textContent(), /Udbetaling \(afventer godkendelse\)/);
  await check(page, "statement with a payout awaiting approval");
  await page.context().close();
});

test("a payout form sent twice (a duplicated tab, the back button) acts once and shows what happened", async () => {
  const { child, parent } = family(2);
  const first = await loggedIn(parent);
  await first.locator("li.child").filter({ hasText: child.first_name }).getByRole("link", { name: child.first_name, exact: true }).click();
  const withdraw = first.url() + "/withdraw";
  await first.goto(withdraw);
  const key = await first.locator('input[name="once"]').first().inputValue();
  const fill = async (page) => {
    await page.getByLabel("Beløb (kr.)").fill("10");
    await page.getByLabel("Til en bankkonto").check();
    await page.getByLabel(/Registreringsnummer/).fill("1234");
    await page.getByLabel(/Kontonummer/).fill("12345678");
  };
  await fill(first);
  await first.getByRole("button", { name: "Bed om udbetaling" }).click();
  await first.getByText("Udbetalingen er bestilt.", { exact: false }).waitFor();
  const wentTo = new URL(first.url()).pathname;

  // A second tab showing the same page (its key is the first one's) sends the form again.
  const second = await first.context().newPage();
  await second.goto(withdraw);
  await second.locator('input[name="once"]').first().evaluate((input, k) => (input.value = k), key);
  await fill(second);
  await second.getByRole("button", { name: "Bed om udbetaling" }).click();
  await second.waitForLoadState();
  assert.equal(new URL(second.url()).pathname, wentTo, "sent where the first went");
  await check(second, "the page a repeated payout lands on");

  // The back button, then the same form sent once more.
  await first.goBack();
  if (new URL(first.url()).pathname.endsWith("/withdraw")) {
    await first.locator('input[name="once"]').first().evaluate((input, k) => (input.value = k), key);
    await fill(first);
    await first.getByRole("button", { name: "Bed om udbetaling" }).click();
    await first.waitForLoadState();
  }

  await second.goto(second.url().replace(/\?.*$/, "") + "/statement");
  const payouts = await second.locator("table.statement tr", { hasText: "Udbetaling" }).count();
  assert.equal(payouts, 1, "one payout, however often the form was sent");
  await first.context().close();
});

test("one payment for several children: an amount for each, paid once, each wallet gets its part", async () => {
  // A custodian with two children in the demo, both with room under the cap.
  const byParent = new Map();
  for (const card of demo.credentials.cards.filter((c) => c.custodian_email && c.balance_ore <= 50_000)) {
    byParent.set(card.custodian_email, [...(byParent.get(card.custodian_email) ?? []), card]);
  }
  // Not a family the other tests here change (their children are family(0..2)).
  const used = new Set([0, 1, 2].map((n) => family(n).parent.email));
  const [email, kids] = [...byParent].find(([parentEmail, cards]) => cards.length >= 2 && !used.has(parentEmail));
  const [first, second] = kids;
  const parent = demo.credentials.people.find((p) => p.email === email);
  const page = await loggedIn(parent);
  await page.getByRole("link", { name: "Sæt penge ind for flere børn på én gang" }).click();
  await check(page, "the form for several children");
  await page.getByLabel(first.first_name, { exact: true }).fill("20");
  await page.getByLabel(second.first_name, { exact: true }).fill("30");
  await page.getByRole("button", { name: "Betal for alle på én gang" }).click();
  await page.waitForURL(/sandbox-pay/);
  assert.match(await page.locator("main").textContent(), /50,00/);
  await page.getByRole("button", { name: /^Betal/ }).click();
  await page.waitForURL(/\/portal\/deposits\//);
  await page.getByText("Tak! Pengene er sat ind.").waitFor({ timeout: 20_000 });
  const receipt = await page.locator("main").textContent();
  assert.match(receipt, /Betalingen gjaldt også/);
  assert.ok(receipt.includes(first.first_name) && receipt.includes(second.first_name), receipt);
  await check(page, "the receipt of a payment for several children");
  await page.goto(`${demo.baseUrl}/portal`);
  const balance = async (card) =>
    (await page.locator("li.child").filter({ hasText: card.first_name }).locator(".balance").textContent()).trim();
  const kr = (ore) => `${Math.floor(ore / 100).toLocaleString("da-DK")},${String(ore % 100).padStart(2, "0")} kr.`;
  assert.equal(await balance(first), kr(first.balance_ore + 2000));
  assert.equal(await balance(second), kr(second.balance_ore + 3000));
  await page.context().close();
});
