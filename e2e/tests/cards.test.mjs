// A lost card, end to end in a real browser (domain.md flow 3): the parent
// blocks it and orders a replacement (fee from the balance), the school
// office logs in with its password and hands a blank card out, the parent
// activates it from the QR code's address, and the tills take the new card
// and refuse the old one. Every page passes axe-core and fits a 360 px phone.
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

const newPage = () => openPage(browser);


async function demoLogin(page, name) {
  await clickDemoLogin(page, demo.baseUrl, name);
}

/** A purchase of the till's first product with `card`, as a till sends it. */
async function buy(card) {
  const till = demo.credentials.tills[0];
  const headers = { Authorization: `Bearer ${till.token}` };
  const products = await (await fetch(`${demo.baseUrl}/api/v1/till/products`, { headers })).json();
  const cheapest = products.reduce((a, b) => (a.price_ore <= b.price_ore ? a : b));
  const response = await fetch(`${demo.baseUrl}/api/v1/till/purchases`, {
    method: "POST",
    headers: { ...headers, "Idempotency-Key": crypto.randomUUID(), "Content-Type": "application/json" },
    body: JSON.stringify({ card, lines: [{ product_id: cheapest.id, quantity: 1 }] }),
  });
  return { status: response.status, body: await response.json() };
}

const custodian = () => demo.credentials.people.find((p) => p.role === "custodian");

/**
 * A child of a family the portal test leaves alone (on PostgreSQL the suites
 * share one demo database), with money for the fee and blank cards at its office.
 */
function someChild() {
  const portalFamily = custodian().email;
  const children = demo.credentials.cards.filter((c) => {
    const twin = demo.credentials.cards.some((o) => o !== c && o.custodian_email === c.custodian_email);
    return !twin && c.custodian_email !== portalFamily && c.balance_ore >= 2000 && c.office?.endsWith("Skole");
  });
  const child = children.at(-1);
  const parent = demo.credentials.people.find((p) => p.email === child.custodian_email);
  const blank = demo.credentials.stock.find((s) => s.office === child.office);
  return { child, parent, blank };
}

test("a lost card is blocked, reordered, handed out at the office and activated at home", async () => {
  const { child: ida, parent: family, blank } = someChild();
  assert.ok(ida && family && blank?.office_staff_email, "the demo has a child, its parent and blank cards at its office");
  const balance = (ore) => `${Math.floor(ore / 100).toLocaleString("da-DK")},${String(ore % 100).padStart(2, "0")} kr.`;

  // The parent orders a replacement: old card blocked, 10 kr taken.
  const parent = await newPage();
  await demoLogin(parent, family.name);
  await parent.waitForURL(/\/portal$/);
  await parent.locator("li.child").first().getByRole("link", { name: ida.first_name, exact: true }).click();
  await parent.getByRole("link", { name: "Bestil erstatningskort" }).click();
  await check(parent, "replacement order page");
  await parent.getByRole("button", { name: /Spær og bestil nyt kort/ }).click();
  await parent.getByText("Det gamle kort er spærret, og et nyt kort er bestilt.").waitFor();
  assert.equal(await parent.locator("#balance").textContent(), balance(ida.balance_ore - 1000));
  await check(parent, "child page after ordering");
  await parent.getByRole("link", { name: "Bestil erstatningskort" }).click();
  assert.match(await parent.locator("#order-state").textContent(), /Bestilt/);
  assert.match(await parent.locator("main").textContent(), new RegExp(`kontoret på ${ida.office}`));
  await check(parent, "order status page");
  assert.deepEqual((await buy(ida.number)).body.reason, "card_blocked");

  // The office logs in with its password and hands a scanned blank card out.
  const office = await newPage();
  await office.goto(`${demo.baseUrl}/login`);
  await office.getByRole("link", { name: "Personale: log ind med adgangskode" }).click();
  await check(office, "staff login");
  await office.getByLabel("E-mailadresse").fill(blank.office_staff_email);
  await office.getByLabel("Adgangskode").fill("demo-kontor");
  await office.getByRole("button", { name: "Log ind" }).click();
  await office.waitForURL(/\/office\/\w+$/);
  await check(office, "office desk");
  const order = office.locator("li.order").filter({ hasText: ida.first_name });
  await order.getByRole("textbox").fill(blank.number);
  await order.getByRole("button", { name: /Udlevér kort/ }).click();
  await office.getByText("Kortet er udleveret.").waitFor();
  await check(office, "office desk after hand-out");
  await office.getByLabel("Navn eller kortnummer").fill(ida.number);
  await office.getByRole("button", { name: "Søg" }).click();
  await office.getByRole("link", { name: new RegExp(ida.first_name) }).first().click();
  await check(office, "office child page");

  // At home: the QR code's address fills the form; pressing the button activates.
  await parent.goto(`${demo.baseUrl}/activate?card=${blank.number}&code=${blank.activation_code}`);
  await check(parent, "activation form from the QR code");
  assert.equal(await parent.getByLabel("Kortnummer (16 cifre)").inputValue(), blank.number);
  await parent.getByRole("button", { name: "Aktivér kortet" }).click();
  await parent.getByText("Kortet er aktiveret og kan bruges ved kassen nu.").waitFor();
  await check(parent, "child page after activation");

  const approved = await buy(blank.number);
  assert.equal(approved.status, 201, JSON.stringify(approved.body));
  const declined = await buy(ida.number);
  assert.equal(declined.status, 402);
  assert.equal(declined.body.reason, "card_blocked");

  await parent.goto(parent.url().replace(/\?.*$/, "") + "/statement");
  assert.match(await parent.locator("table.statement").textContent(), /Erstatningskort/);
  assert.match(await parent.locator("table.statement").textContent(), new RegExp(`kort …${blank.number.slice(12)}`));
  await parent.context().close();
  await office.context().close();
});

test("the operator's card stock and job queue pages, and a wrong activation code", async () => {
  const operator = await newPage();
  await demoLogin(operator, "Birgitte Holm");
  await operator.waitForURL(/\/admin$/);
  await check(operator, "operator card stock");
  await operator.getByRole("link", { name: "Jobkø" }).click();
  await operator.waitForURL(/\/admin\/jobs$/);
  await operator.getByRole("heading", { level: 1, name: "Jobkø" }).waitFor();
  await check(operator, "operator job queue");
  await operator.context().close();

  const parent = await newPage();
  const someone = demo.credentials.people.filter((p) => p.role === "custodian")[2];
  await demoLogin(parent, someone.name);
  await parent.waitForURL(/\/portal$/);
  const child = parent.locator("li.child").first();
  await child.getByRole("link").first().click();
  await parent.getByRole("link", { name: "Aktivér nyt kort" }).click();
  await check(parent, "activation form");
  const blank = demo.credentials.stock[0];
  await parent.getByLabel("Kortnummer (16 cifre)").fill(blank.number);
  await parent.getByLabel("Aktiveringskode").fill("AAAA-AAAA");
  await parent.getByRole("button", { name: "Aktivér kortet" }).click();
  await parent.getByText("Kortnummer eller aktiveringskode passer ikke.").waitFor();
  await check(parent, "activation form with an error");
  await parent.context().close();
});
