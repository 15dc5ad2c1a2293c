// Debian's Chromium under Playwright, never a downloaded browser; and the checks every page must pass.
import { readFileSync } from "node:fs";
import { createRequire } from "node:module";
import assert from "node:assert/strict";
import { chromium } from "playwright-core";

const require = createRequire(import.meta.url);
const axeSource = readFileSync(require.resolve("axe-core/axe.min.js"), "utf8");

export async function launch() {
  return chromium.launch({
    executablePath: process.env.CHROMIUM ?? "/usr/bin/chromium",
    headless: true,
    // This machine's network is closed: keep Chromium from calling home.
    args: [
      "--no-sandbox",
      "--disable-gpu",
      "--disable-quic",
      "--no-first-run",
      "--disable-background-networking",
      "--disable-component-update",
      "--disable-sync",
    ],
  });
}

/** axe-core with the WCAG 2.1 A and AA rules: no violations allowed. */
export async function assertAccessible(page, what) {
  await page.addScriptTag({ content: axeSource });
  const result = await page.evaluate(async () =>
    // eslint-disable-next-line no-undef
    axe.run(document, { runOnly: { type: "tag", values: ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"] } }),
  );
  const found = result.violations.map((v) => `${v.id}: ${v.help} (${v.nodes.map((n) => n.target).join(", ")})`);
  assert.deepEqual(found, [], `axe-core violations on ${what}`);
}

/** On a 360 px wide phone nothing may need sideways scrolling. */
export async function assertFitsPhone(page, what) {
  await page.setViewportSize({ width: 360, height: 740 });
  const width = await page.evaluate(() => document.documentElement.scrollWidth);
  assert.ok(width <= 360, `${what} is ${width} px wide at 360 px`);
}

/** A fresh browser context (own cookies), bypassing CSP only so axe-core can be injected. */
export async function openPage(browser) {
  const context = await browser.newContext({ bypassCSP: true, viewport: { width: 1280, height: 900 } });
  return context.newPage();
}

/** axe on desktop, then the same page at 360 px (fits, and axe again), then back. */
export async function check(page, what) {
  await assertAccessible(page, what);
  await assertFitsPhone(page, what);
  await assertAccessible(page, `${what} at 360 px`);
  await page.setViewportSize({ width: 1280, height: 900 });
}

/** Logs in on the demo's one-click page as the named person (a long role group keeps most behind "show more"). */
export async function clickDemoLogin(page, baseUrl, name) {
  await page.goto(`${baseUrl}/demo-login`);
  const button = page.getByRole("button", { name: `Log ind som ${name}`, exact: true });
  // A button in a closed <details> is outside the accessibility tree: find its group by text.
  const more = page.locator("details:not([open])", { has: page.locator("button", { hasText: `Log ind som ${name}` }) });
  if ((await more.count()) > 0) await more.first().locator("summary").click();
  await button.click();
}
