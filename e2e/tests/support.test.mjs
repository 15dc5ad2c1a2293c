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
  await parent.getByRole("link", { name: "Supports opslag" }).click();
  const lines = await parent.locator("#access-lines").textContent();
  assert.match(lines, /Kasper Lund/);
  assert.match(lines, /Spærrede et kort – Telefon fra forælder: kortet er tabt/);
  assert.match(lines, /Kiggede på kontoen/);
  await check(parent, "parent's access log");
});
