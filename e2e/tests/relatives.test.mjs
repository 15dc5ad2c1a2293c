// Relatives in a real browser (domain.md flow 4): a custodian invites, the
// relative accepts and tops up, the custodian removes them, and the
// relative's next page load shows no child.
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


test("invite, accept, deposit, remove", async () => {
  const ida = demo.credentials.cards.find((c) => c.first_name === "Ida" && c.balance_ore === 30000);
  const custodian = demo.credentials.people.find((p) => p.email === ida.custodian_email);
  const parent = await newPage();
  await clickDemoLogin(parent, demo.baseUrl, custodian.name);
  await parent.waitForURL(/\/portal$/);
  await parent.locator("li.child").filter({ hasText: "Ida" }).getByRole("link", { name: "Ida", exact: true }).click();
  await parent.getByRole("link", { name: "Relationer" }).click();
  await check(parent, "relatives page");
  await parent.getByLabel("E-mailadresse").fill("farmor.e2e@example.dk");
  await parent.getByLabel("En personlig hilsen (valgfri)").fill("Nu kan du følge med");
  await parent.getByRole("button", { name: "Send invitation" }).click();
  await parent.getByText("Invitationen er sendt.").waitFor();
  assert.match(await parent.locator("main").textContent(), /farmor\.e2e@example\.dk/);

  const relative = await newPage();
  await relative.goto(`${demo.baseUrl}/dev/mailbox`);
  const mail = relative.locator("article.mail").filter({ hasText: "farmor.e2e@example.dk" }).first();
  const link = (await mail.locator("pre").textContent()).match(/http\S+\/invitations\/\w+/)[0];
  await relative.goto(link);
  await check(relative, "invitation page");
  await relative.getByLabel("Dit navn (hvis du er ny i Saldo)").fill("Farmor Hansen");
  await relative.getByRole("button", { name: "Tag imod" }).click();
  await relative.waitForURL(/\/portal$/);
  const child = relative.locator("li.child");
  assert.equal(await child.count(), 1);
  await child.getByRole("link", { name: /Sæt penge ind/ }).click();
  await relative.getByRole("button", { name: "Betal 100,00 kr." }).click();
  await relative.getByRole("button", { name: /^Betal/ }).click();
  await relative.getByText("Tak! Pengene er sat ind.").waitFor({ timeout: 20_000 });

  await parent.reload();
  await parent.getByRole("button", { name: "Fjern Farmor Hansen" }).click();
  await parent.getByText("Relationen er fjernet.").waitFor();

  await relative.goto(`${demo.baseUrl}/portal`);
  assert.equal(await relative.locator("li.child").count(), 0);
  await relative.getByText("Du er ikke knyttet til nogen børn endnu.").waitFor();
});
