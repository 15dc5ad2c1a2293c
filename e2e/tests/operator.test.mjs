// The operator's month (issue 19): the school administration's export read
// in at /admin/sync (upload, the diff, apply), the registers, and the month's
// finance report with its chart and printable version. Every page passes
// axe-core on a desktop and fits a 360 px phone.
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

const operatorName = () => demo.credentials.people.find((p) => p.role === "operator").name;

const HEADER =
  "ElevNr;Fornavn;Efternavn;Fødselsdato;Skole;Klasse;Klub;Forælder1Nr;Forælder1Fornavn;Forælder1Efternavn;" +
  "Forælder1Email;Forælder1Telefon;Forælder2Nr;Forælder2Fornavn;Forælder2Efternavn;Forælder2Email;Forælder2Telefon";

test("the operator reads in the school administration's export, sees the diff and applies it once", async () => {
  const page = await openPage(browser);
  await clickDemoLogin(page, demo.baseUrl, operatorName());
  await page.goto(`${demo.baseUrl}/admin/sync`);
  await check(page, "school sync upload");
  const file = [
    HEADER,
    "E9001;Sigrid;Lund;03-05-2017;S01;3.A;K01;V9001;Karen;Lund;karen.lund@example.dk;;;;;;",
    "E9002;Villads;Lund;;S01;1.B;;V9001;Karen;Lund;karen.lund@example.dk;;;;;;",
    "E9003;Ukendt;Skole;;S99;1.A;;;;;;;;;;;",
  ].join("\r\n");
  await page.getByLabel("Eksportfil (CSV)").setInputFiles({ name: "elever.csv", mimeType: "text/csv", buffer: Buffer.from(file) });
  await page.getByRole("button", { name: "Læs filen og vis ændringerne" }).click();
  await page.getByRole("heading", { name: "Ændringer fra skoleadministrationen" }).waitFor();
  assert.equal(await page.locator("#count-arrivals").textContent(), "2");
  assert.equal(await page.locator("#count-rejected").textContent(), "1");
  await page.getByText("Sigrid Lund (E9001)").waitFor();
  await page.getByText("no institution numbered S99").waitFor();
  await check(page, "school sync diff");
  await page.getByRole("button", { name: "Gennemfør 2 ændringer" }).click();
  await page.getByRole("heading", { name: "Ændringerne er gennemført" }).waitFor();
  await check(page, "school sync applied");
  // The same file again: nothing to do.
  await page.goto(page.url().replace(/\/apply$/, ""));
  await page.getByText("Der er intet at gennemføre").waitFor();

  // The new children are in the registers, with their custodian.
  await page.goto(`${demo.baseUrl}/admin/master/children?q=lund`);
  await check(page, "children in the registers");
  await page.getByRole("link", { name: "Sigrid Lund" }).click();
  await page.getByText("Karen Lund (karen.lund@example.dk)").waitFor();
  await check(page, "a child in the registers");
  await page.goto(`${demo.baseUrl}/admin/master`);
  await check(page, "the registers");
});

test("the month's finance report shows the money of the demo's month, printable and as a chart", async () => {
  const page = await openPage(browser);
  await clickDemoLogin(page, demo.baseUrl, operatorName());
  await page.goto(`${demo.baseUrl}/admin/reports`);
  await page.getByRole("heading", { name: /^Økonomirapport: måned/ }).waitFor();
  const salesTotal = async () =>
    (await page.locator("#sales-total").count()) > 0 ? await page.locator("#sales-total").textContent() : "";
  const totals = [await salesTotal()];
  await page.getByRole("img", { name: "Salg pr. dag" }).waitFor();
  await check(page, "month report");
  // Last month holds the start of the demo's history too.
  const lastMonth = new Date();
  lastMonth.setDate(1);
  lastMonth.setMonth(lastMonth.getMonth() - 1);
  const month = `${lastMonth.getFullYear()}-${String(lastMonth.getMonth() + 1).padStart(2, "0")}`;
  await page.getByLabel("Måned").fill(month);
  await page.getByRole("button", { name: "Vis" }).first().click();
  await page.waitForURL(new RegExp(`period=${month}`));
  await check(page, "last month's report");
  totals.push(await salesTotal());
  // The demo's 30 days of history put sales at the canteens in one month or the other.
  assert.ok(totals.some((t) => /kr\.$/.test(t) && t !== "0,00 kr."), `sales in the demo's month: ${totals}`);
  await page.getByRole("link", { name: "Udskriftsvenlig rapport" }).click();
  await page.getByText("Udskriv siden, eller gem den som PDF").waitFor();
  await check(page, "printable month report");
  const csv = await page.request.get(`${demo.baseUrl}/admin/reports/sales.csv?period=${month}`);
  assert.equal(csv.status(), 200);
  assert.match(await csv.text(), /^\uFEFFperiod;institution;sales_point/);
});
