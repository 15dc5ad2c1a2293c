// Screenshots of the parent's overview and child page at 360 px, for
// docs/screenshots/: `node screenshots.mjs SALDO_BINARY PREFIX`.
import { mkdtempSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { spawn } from "node:child_process";
import { clickDemoLogin, launch } from "./lib/browser.mjs";

const [binary, prefix] = process.argv.slice(2);
const dir = mkdtempSync(join(tmpdir(), "saldo-shots-"));
const port = 18700 + Math.floor(Math.random() * 200);
const demo = spawn(binary, ["demo", "--database-url", `sqlite://${dir}/demo.db`, "--listen", `127.0.0.1:${port}`,
  "--credentials-out", `${dir}/demo.json`], { stdio: ["ignore", "pipe", "ignore"] });
await new Promise((resolve) => demo.stdout.on("data", (d) => { if (String(d).includes("open http")) resolve(); }));
const credentials = JSON.parse(readFileSync(`${dir}/demo.json`, "utf8"));
const ida = credentials.cards.find((c) => c.first_name === "Ida" && c.balance_ore === 30000);
const parent = credentials.people.find((p) => p.email === ida.custodian_email);
const base = `http://127.0.0.1:${port}`;
const browser = await launch();
const page = await browser.newPage({ viewport: { width: 360, height: 740 } });
await clickDemoLogin(page, base, parent.name);
await page.waitForURL(/\/portal$/);
await page.screenshot({ path: `${prefix}-overview-360.png`, fullPage: true });
await page.locator("li.child").filter({ hasText: "Ida" }).getByRole("link", { name: "Ida", exact: true }).click();
await page.screenshot({ path: `${prefix}-child-360.png`, fullPage: true });
const height = await page.evaluate(() => document.documentElement.scrollHeight);
console.log(`${prefix}: child page ${height} px tall`);
await browser.close();
demo.kill();
