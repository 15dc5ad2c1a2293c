// A parent's first MitID login on a 360 px phone (issue 17), against a real
// OpenID provider standing in for the MitID broker: the login page, MitID,
// "which address does the school have?", the link from the mailbox opened in
// the same browser, and the portal. Every Saldo page on the way passes axe-core.
import { after, before, test } from "node:test";
import assert from "node:assert/strict";
import { startDemo } from "../lib/demo.mjs";
import { freePort, startProvider } from "../lib/provider.mjs";
import { assertAccessible, assertFitsPhone, launch } from "../lib/browser.mjs";

let demo;
let provider;
let browser;

before(async () => {
  const port = await freePort();
  provider = await startProvider(`http://127.0.0.1:${port}`);
  demo = await startDemo({ listen: `127.0.0.1:${port}`, env: provider.settings });
  browser = await launch();
});

after(async () => {
  await browser?.close();
  await demo?.stop();
  await provider?.stop();
});

/** axe-core and no sideways scrolling, on the phone. */
async function checkPhone(page, what) {
  await assertFitsPhone(page, what);
  await assertAccessible(page, `${what} at 360 px`);
}

test("a parent's first MitID login binds by the e-mail on file, on a phone", async () => {
  const ida = demo.credentials.cards.find((c) => c.first_name === "Ida" && c.balance_ore === 30000);
  const context = await browser.newContext({ bypassCSP: true, viewport: { width: 360, height: 740 }, isMobile: true });
  const page = await context.newPage();

  await page.goto(`${demo.baseUrl}/login`);
  await checkPhone(page, "/login with MitID");
  await page.getByRole("button", { name: "Log ind med MitID" }).click();

  // At the broker (the test provider's page stands in for MitID).
  await page.waitForURL((url) => url.href.startsWith(provider.issuer));
  await page.getByLabel("Bruger-ID").fill("anna");
  await page.getByRole("button", { name: "Log ind", exact: true }).click();

  // Back at Saldo: not known yet, so the address on file.
  await page.waitForURL(/\/login\/mitid\/bind$/);
  assert.match(await page.textContent("h1"), /Velkommen, Anna Testmor/);
  await checkPhone(page, "the binding page");
  await page.getByLabel("E-mailadresse").fill(ida.custodian_email);
  await page.getByRole("button", { name: "Send link" }).click();
  await page.waitForURL(/\/login\/mitid\/sent$/);
  await checkPhone(page, "the link-sent page");

  // The mail (the demo keeps it in its mailbox), opened in the same browser.
  const mailbox = await context.newPage();
  await mailbox.goto(`${demo.baseUrl}/dev/mailbox`);
  const mail = mailbox.locator("article.mail").filter({ hasText: ida.custodian_email }).filter({ hasText: "MitID" }).first();
  const link = (await mail.locator("pre").textContent()).match(/http\S+\/login\/mitid\/bind\?token=\w+/)[0];
  await mailbox.close();
  await page.goto(link);
  await checkPhone(page, "the binding link's page");
  await page.getByRole("button", { name: "Knyt MitID og log ind" }).click();
  await page.waitForURL(/\/portal$/);
  await checkPhone(page, "the portal after a MitID login");
  assert.ok((await page.locator("li.child").count()) > 0);

  // Just logged in with MitID: a payout needs no further confirmation.
  await page.locator("li.child").filter({ hasText: "Ida" }).getByRole("link", { name: "Ida", exact: true }).click();
  await page.goto(`${page.url()}/withdraw`);
  assert.equal(await page.getByRole("button", { name: "Bekræft med MitID" }).count(), 0);
  await checkPhone(page, "the payout page");
  await context.close();
});

test("the MitID button leads to the broker under Saldo's own Content-Security-Policy", async () => {
  // No CSP bypass here (the other test needs it to inject axe-core): the
  // browser must let the button's form redirect to the broker.
  const context = await browser.newContext({ viewport: { width: 360, height: 740 } });
  const page = await context.newPage();
  const response = await page.goto(`${demo.baseUrl}/login`);
  assert.match(response.headers()["content-security-policy"], new RegExp(`form-action 'self' ${provider.issuer}`));
  await page.getByRole("button", { name: "Log ind med MitID" }).click();
  await page.waitForURL((url) => url.href.startsWith(provider.issuer));
  await page.getByLabel("Bruger-ID").waitFor();
  await context.close();
});
