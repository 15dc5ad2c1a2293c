// The support console in a real browser (issue 19.1): the help desk finds a
// child by card number with a reason, reads why the card was declined, blocks
// it with a reason, sees the audit line, and the parent sees on the portal who
// at support looked and why. Every page passes axe-core and fits a 360 px phone.
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

/** A basket of three of the till's dearest product: over a 40 kr. daily limit. */
async function buyTooMuch(card) {
  const till = demo.credentials.tills[0];
  const headers = { Authorization: `Bearer ${till.token}` };
  const products = await (await fetch(`${demo.baseUrl}/api/v1/till/products`, { headers })).json();
  const dearest = products.reduce((a, b) => (a.price_ore >= b.price_ore ? a : b));
  const response = await fetch(`${demo.baseUrl}/api/v1/till/purchases`, {
    method: "POST",
    headers: { ...headers, "Idempotency-Key": crypto.randomUUID(), "Content-Type": "application/json" },
    body: JSON.stringify({ card, lines: [{ product_id: dearest.id, quantity: 3 }] }),
  });
  return { status: response.status, body: await response.json() };
}

test("support finds a card, reads the decline, blocks it, and the parent sees who looked", async () => {
  const ida = demo.credentials.cards.find((c) => c.first_name === "Ida" && c.custodian_email?.includes("nielsen"));
  assert.ok(ida, "the demo has Ida Nielsen with a daily limit");
  const parentOf = demo.credentials.people.find((p) => p.email === ida.custodian_email);
  const declined = await buyTooMuch(ida.number);
  assert.equal(declined.status, 402);
  assert.equal(declined.body.reason, "daily_limit_exceeded");

  const desk = await openPage(browser);
  await clickDemoLogin(desk, demo.baseUrl, "Kasper Lund");
  await desk.waitForURL(/\/support$/);
  await check(desk, "support search");
  await desk.getByLabel("Hvorfor kigger du?").selectOption("parent_phone");
  await desk.getByLabel(/Kort note/).fill("telefon fra forælder");
  await desk.getByLabel("Søg", { exact: true }).fill(ida.number);
  await desk.getByRole("button", { name: "Søg" }).click();
  await desk.getByRole("link", { name: /Ida Nielsen/ }).waitFor();
  await check(desk, "support search results");

  await desk.getByRole("link", { name: /Ida Nielsen/ }).click();
  await desk.getByRole("heading", { name: "Ida Nielsen" }).waitFor();
  const declines = desk.locator("#declines + ul");
  assert.match(await declines.textContent(), /Dagens grænse for køb er nået\./);
  await check(desk, "support child page");

  // Block the card, with its own reason.
  const block = desk.locator("details", { has: desk.locator("summary", { hasText: "Spær kort" }) }).first();
  await block.locator("summary").click();
  await block.getByLabel("Hvorfor kigger du?").selectOption("parent_phone");
  await block.getByLabel(/Kort note/).fill("kortet er tabt");
  await check(desk, "support block form open");
  await block.getByRole("button", { name: /Ja, spær kortet/ }).click();
  await desk.getByText("Kortet er spærret.", { exact: true }).first().waitFor();
  assert.match(await desk.locator("main").textContent(), /Spærret: card …\d{4} active → blocked/);
  assert.match(await desk.locator("#access + ul").textContent(), /Spærrede et kort – Telefon fra forælder: kortet er tabt/);
  await check(desk, "support child page after blocking");

  // The parent reads on the portal who at support looked, and why.
  const parent = await openPage(browser);
  await clickDemoLogin(parent, demo.baseUrl, parentOf.name);
  await parent.waitForURL(/\/portal$/);
  await parent.locator("li.child").getByRole("link", { name: "Ida", exact: true }).first().click();
  await parent.waitForURL(/\/portal\/children\/[^/]+$/);
  await parent.goto(`${parent.url()}/statement`);
  await parent.getByRole("link", { name: "Supports opslag" }).click();
  const lines = await parent.locator("#access-lines").textContent();
  assert.match(lines, /Kasper Lund/);
  assert.match(lines, /Spærrede et kort – Telefon fra forælder: kortet er tabt/);
  assert.match(lines, /Kiggede på kontoen/);
  await check(parent, "parent's access log");
});

test("the demo's support cases, and the copies of personal data, pass the same checks", async () => {
  const desk = await openPage(browser);
  await clickDemoLogin(desk, demo.baseUrl, "Kasper Lund");
  await desk.waitForURL(/\/support$/);
  const open = async (name) => {
    await desk.goto(`${demo.baseUrl}/support`);
    await desk.getByLabel("Hvorfor kigger du?").selectOption("other");
    await desk.getByLabel(/Kort note/).fill("demo");
    await desk.getByLabel("Søg", { exact: true }).fill(name);
    await desk.getByRole("button", { name: "Søg" }).click();
    await desk.getByRole("link", { name: new RegExp(name) }).first().click();
    await desk.getByRole("heading", { name }).waitFor();
  };
  // A deposit still waiting for the provider, with the button to ask again.
  await open("Noah Jensen");
  assert.match(await desk.locator("#deposits + ul").textContent(), /afventer betaling/);
  await desk.getByText("Spørg udbyderen igen").first().click();
  await check(desk, "a pending deposit in the console");
  // A card blocked by a parent: who and when, in the card's history.
  await open("William Hansen");
  assert.match(await desk.locator("main").textContent(), /Spærret: card …\d{4} active → blocked/);
  await check(desk, "a blocked card in the console");

  // A parent's own copy, and the operator's copy for a person who asked.
  const family = demo.credentials.people.find((p) => p.role === "custodian");
  const parent = await openPage(browser);
  await clickDemoLogin(parent, demo.baseUrl, family.name);
  await parent.waitForURL(/\/portal$/);
  await parent.getByRole("link", { name: "Se og hent dine data" }).click();
  await parent.getByRole("heading", { name: "Dine data i Saldo" }).waitFor();
  await check(parent, "a parent's copy of their data");
  const file = await parent.request.get(`${demo.baseUrl}/portal/my-data.json`);
  assert.equal((await file.json()).person.email, family.email);

  const operator = await openPage(browser);
  await clickDemoLogin(operator, demo.baseUrl, "Birgitte Holm");
  await operator.goto(`${demo.baseUrl}/admin/gdpr`);
  await operator.getByLabel("Personens e-mail").fill(family.email);
  await operator.getByRole("button", { name: "Find data" }).click();
  await operator.getByRole("link", { name: "Hent som fil (JSON)" }).waitFor();
  await check(operator, "the operator's copy for a person");
});
