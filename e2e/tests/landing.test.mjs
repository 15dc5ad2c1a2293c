// The landing page: reachable, in Danish, accessible, and fit for a phone.
import { after, before, test } from "node:test";
import assert from "node:assert/strict";
import { startDemo } from "../lib/demo.mjs";
import { assertAccessible, assertFitsPhone, launch } from "../lib/browser.mjs";

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

test("the landing page is Danish, accessible and fits a 360 px phone", async () => {
  // The site's CSP forbids inline scripts; the test injects axe-core, so it bypasses it.
  const page = await (await browser.newContext({ bypassCSP: true })).newPage();
  const response = await page.goto(`${demo.baseUrl}/`);
  assert.equal(response.status(), 200);
  assert.equal(await page.getAttribute("html", "lang"), "da");
  assert.match(await page.textContent("footer"), /71 99 54 45/);
  await assertAccessible(page, "/ on a desktop");
  await assertFitsPhone(page, "/");
  await assertAccessible(page, "/ on a phone");
});

test("the page works without JavaScript", async () => {
  const context = await browser.newContext({ javaScriptEnabled: false });
  const page = await context.newPage();
  await page.goto(`${demo.baseUrl}/`);
  assert.match(await page.textContent("h1"), /Betalingskort/);
  await context.close();
});
