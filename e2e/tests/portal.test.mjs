// The parent portal in a real browser (domain.md flow 2): log in, deposit
// through the sandbox, see balance and statement move, set a limit, block a
// card — and every page passes axe-core and fits a 360 px phone.
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
  await page.goto(`${demo.baseUrl}/demo-login`);
  await check(page, "/demo-login");
  await clickDemoLogin(page, demo.baseUrl, name);
  await page.waitForURL(/\/portal$/);
}

// Ida's parent: the seed's first family, 300 kr. and a 40 kr. daily limit.
const ida = () => demo.credentials.cards.find((c) => c.first_name === "Ida" && c.balance_ore === 30000);
const custodian = () => demo.credentials.people.find((p) => p.email === ida().custodian_email);
const relative = () => demo.credentials.people.find((p) => p.role === "relative");

test("open pages are accessible and fit a phone", async () => {
  const page = await newPage();
  for (const path of ["/", "/login", "/help", "/accessibility", "/lang/en?back=/help"]) {
    await page.goto(`${demo.baseUrl}${path}`);
    await check(page, path);
  }
  await page.context().close();
});

test("a parent deposits, sees the statement move, sets a limit and blocks a card", async () => {
  const page = await newPage();
  await demoLogin(page, custodian().name);
  await check(page, "/portal");
  const ida = page.locator("li.child").filter({ hasText: "Ida" });
  await assert.doesNotReject(ida.waitFor());
  const before = await ida.locator(".balance").textContent();
  assert.equal(before, "300,00 kr.");

  await ida.getByRole("link", { name: "Ida", exact: true }).click();
  await check(page, "child page");

  await page.getByRole("link", { name: "Sæt penge ind" }).first().click();
  await check(page, "deposit form");
  await page.getByRole("button", { name: "Betal 100,00 kr." }).click();
  await page.waitForURL(/sandbox-pay/);
  await check(page, "sandbox payment page");
  await page.getByRole("button", { name: /^Betal/ }).click();
  await page.waitForURL(/\/portal\/deposits\//);
  await check(page, "receipt");
  // The provider confirms by callback a moment later; the receipt refreshes itself.
  await page.getByText("Tak! Pengene er sat ind.").waitFor({ timeout: 20_000 });
  assert.equal(await page.locator("#balance").textContent(), "400,00 kr.");

  await page.getByRole("link", { name: "Tilbage til oversigten" }).click();
  await page.locator("li.child").filter({ hasText: "Ida" }).getByRole("link", { name: /Kontoudtog/ }).click();
  await check(page, "statement");
  assert.match(await page.locator("table.statement tbody tr").first().textContent(), /Indbetaling[\s\S]*100,00 kr\.[\s\S]*400,00 kr\./);

  await page.goto(page.url().replace(/\/statement.*$/, "/limit"));
  await check(page, "limit form");
  await page.getByLabel("Loft pr. dag (kr.)").fill("50");
  await page.getByRole("button", { name: "Gem loft" }).click();
  await page.getByText("Det daglige loft er gemt.").waitFor();
  assert.match(await page.locator("dl.facts").textContent(), /af 50,00 kr\./);

  // Blocking asks first: the red button is behind "Spær kort".
  await page.locator("summary", { hasText: "Spær kort" }).click();
  await check(page, "child page asking before blocking");
  await page.getByRole("button", { name: /Ja, spær kortet/ }).click();
  await page.getByText("Kortet er spærret. Det kan ikke bruges ved kassen.").waitFor();
  await check(page, "child page after blocking");
  assert.ok(await page.getByRole("button", { name: /Ophæv spærring/ }).isVisible());

  await page.goto(`${demo.baseUrl}/portal/transfer`);
  await check(page, "transfer form");
  await page.goto(`${demo.baseUrl}/lang/en?back=/portal`);
  await check(page, "/portal in English");
  assert.match(await page.locator("h1").textContent(), /My children/);
  await page.context().close();
});

test("one amount comes out of the deposit form: what the parent typed, named on the button", async () => {
  const page = await newPage();
  await demoLogin(page, custodian().name);
  await page.goto(`${demo.baseUrl}/lang/da?back=/portal`);
  await page.locator("li.child").filter({ hasText: "Ida" }).getByRole("link", { name: /Sæt penge ind/ }).click();
  const amount = page.getByLabel("Andet beløb (kr.)");
  await amount.fill("75");
  await page.getByRole("button", { name: "Betal 75,00 kr." }).waitFor();
  // Below the minimum: the error, and the field exactly as typed.
  await amount.fill("10");
  await page.getByRole("button", { name: "Betal 10,00 kr." }).click();
  await page.getByText("Det mindste beløb er 20,00 kr.", { exact: true }).waitFor();
  await check(page, "deposit form with an error");
  assert.equal(await amount.inputValue(), "10");
  await amount.fill("25");
  await page.getByRole("button", { name: "Betal 25,00 kr." }).click();
  await page.waitForURL(/sandbox-pay/);
  await page.getByText("25,00 kr.", { exact: true }).first().waitFor();
  await page.getByRole("button", { name: "Annuller" }).click();
  await page.context().close();
});

test("a relative sees the child and may deposit, but gets no controls", async () => {
  const page = await newPage();
  await demoLogin(page, relative().name);
  const child = page.locator("li.child").first();
  await child.waitFor();
  assert.equal(await child.getByRole("link", { name: /Dagligt loft/ }).count(), 0);
  await child.getByRole("link", { name: /Sæt penge ind/ }).click();
  await check(page, "deposit form for a relative");
  await page.context().close();
});

test("the demo mailbox shows a login link that logs in", async () => {
  const page = await newPage();
  await page.goto(`${demo.baseUrl}/login`);
  await page.getByLabel("E-mailadresse").fill(custodian().email);
  await page.getByRole("button", { name: "Send login-link" }).click();
  await page.getByText("Tjek din e-mail").waitFor();
  await check(page, "/login/sent");
  await page.goto(`${demo.baseUrl}/dev/mailbox`);
  await check(page, "/dev/mailbox");
  const link = (await page.locator("pre").first().textContent()).match(/http\S+\/login\/link\?token=\w+/)[0];
  await page.goto(link);
  await check(page, "login link page");
  await page.getByRole("button", { name: "Log ind" }).click();
  await page.waitForURL(/\/portal$/);
  await page.context().close();
});

test("a parent saves a card for automatic top-up, changes it, and asks for a low-balance mail", async () => {
  const page = await newPage();
  await demoLogin(page, custodian().name);
  // An earlier test left this parent reading English.
  await page.goto(`${demo.baseUrl}/lang/da?back=/portal`);
  await page.locator("li.child").filter({ hasText: "Ida" }).getByRole("link", { name: "Ida", exact: true }).click();
  await page.locator("summary", { hasText: "Sæt automatisk optankning op" }).click();
  await page.getByLabel("Når saldoen er under (kr.)", { exact: true }).last().fill("60");
  await page.getByLabel("Sæt dette beløb ind (kr.)", { exact: true }).last().fill("150");
  await page.getByRole("button", { name: "Gem og vælg kort" }).click();
  await page.waitForURL(/sandbox-pay/);
  await check(page, "sandbox page saving a card");
  await page.getByRole("button", { name: "Gem kort" }).click();
  await page.waitForURL(/\/portal\/children\//);
  // The provider's callback saves the agreement a moment later.
  const rule = page.getByText("Under 60,00 kr.: sæt 150,00 kr. ind");
  for (let i = 0; i < 40 && !(await rule.isVisible()); i++) {
    await page.waitForTimeout(500);
    await page.reload();
  }
  assert.ok(await rule.isVisible(), `the saved agreement shows: ${page.url()} ${await page.locator("main").innerText()}`);
  assert.ok(await page.getByText(/Kort der slutter på 1111, udløber/).isVisible());
  await check(page, "child page with an agreement");

  await page.getByText("Ret grænse og beløb").click();
  await check(page, "agreement edit form open");
  await page.locator("details", { hasText: "Ret grænse og beløb" }).getByLabel("Sæt dette beløb ind (kr.)", { exact: true }).fill("200");
  await page.getByRole("button", { name: "Gem ændringen (samme kort)" }).click();
  await page.getByText("Under 60,00 kr.: sæt 200,00 kr. ind").waitFor();

  await page.locator("summary", { hasText: "Få besked ved lav saldo" }).click();
  await page.getByLabel("Send mig en mail, når saldoen er under (kr.)").fill("75");
  await page.getByRole("button", { name: "Gem besked" }).click();
  await page.getByText("Du får en mail, når saldoen kommer under beløbet.").waitFor();
  await check(page, "child page with a low-balance notice");
  await page.context().close();
});
