// The test OpenID provider of the Rust suite (crates/saldo-web/tests/oidc):
// node oidc-provider with a MitID-shaped parent, started for a browser test.
import { execFileSync, spawn } from "node:child_process";
import { existsSync } from "node:fs";
import { createServer } from "node:net";
import { resolve } from "node:path";
import { createInterface } from "node:readline";

const dir = resolve(new URL(".", import.meta.url).pathname, "../../crates/saldo-web/tests/oidc");

/** A free loopback port (for Saldo, whose address the provider must know first). */
export async function freePort() {
  return new Promise((ok, fail) => {
    const server = createServer();
    server.on("error", fail);
    server.listen(0, "127.0.0.1", () => {
      const { port } = server.address();
      server.close(() => ok(port));
    });
  });
}

/** Starts the provider for a Saldo at `saldoBase`; `issuer`, `settings` (SALDO_* for the demo) and `stop()`. */
export async function startProvider(saldoBase) {
  if (!existsSync(resolve(dir, "node_modules/oidc-provider/package.json"))) {
    execFileSync("npm", ["ci", "--no-audit", "--no-fund", "--loglevel=error"], { cwd: dir, stdio: "inherit" });
  }
  const child = spawn(process.execPath, [resolve(dir, "provider.mjs"), saldoBase], { stdio: ["pipe", "pipe", "ignore"] });
  const issuer = await new Promise((ok, fail) => {
    const timer = setTimeout(() => fail(new Error("the test provider did not start within 30 s")), 30_000);
    child.on("exit", (code) => fail(new Error(`the test provider exited with ${code}`)));
    createInterface({ input: child.stdout }).on("line", (line) => {
      if (line.startsWith("issuer ")) {
        clearTimeout(timer);
        ok(line.slice("issuer ".length));
      }
    });
  });
  return {
    issuer,
    settings: {
      SALDO_LOGIN__PARENTS__ISSUER: issuer,
      SALDO_LOGIN__PARENTS__CLIENT_ID: "saldo-parents",
      SALDO_LOGIN__PARENTS__CLIENT_SECRET: "parents-secret-for-tests-only",
      SALDO_LOGIN__PARENTS__SCOPES: "openid profile mitid",
    },
    async stop() {
      child.kill("SIGTERM");
      await new Promise((ok) => (child.exitCode === null ? child.on("exit", ok) : ok()));
    },
  };
}
