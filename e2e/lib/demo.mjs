// Starts a real `saldo demo` on a free port with a fresh database, and stops it.
import { execFileSync, spawn } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { createInterface } from "node:readline";

const here = new URL(".", import.meta.url).pathname;

/**
 * `listen` picks the address (a test that must know the port first, for an
 * OpenID provider's redirect URIs); `env` adds SALDO_* settings.
 */
export async function startDemo({ listen = "127.0.0.1:0", env = {} } = {}) {
  const bin = process.env.SALDO_BIN ?? resolve(here, "../../target/debug/saldo");
  const dir = mkdtempSync(join(tmpdir(), "saldo-e2e-"));
  // With SALDO_E2E_POSTGRES_ADMIN (a server's admin URL) each demo gets a
  // PostgreSQL database of its own, dropped when it stops; else a SQLite file.
  const admin = process.env.SALDO_E2E_POSTGRES_ADMIN;
  const pgName = admin ? `saldo_e2e_${process.pid}_${Date.now()}` : null;
  if (admin) execFileSync("psql", [admin, "-qc", `CREATE DATABASE ${pgName}`]);
  const databaseUrl = admin ? `${admin.replace(/\/[^/]*$/, "")}/${pgName}` : `sqlite://${join(dir, "demo.db")}`;
  const credentialsFile = join(dir, "credentials.json");
  const child = spawn(
    bin,
    ["demo", "--database-url", databaseUrl, "--listen", listen, "--credentials-out", credentialsFile],
    { stdio: ["ignore", "pipe", "inherit"], env: { ...process.env, ...env } },
  );
  const baseUrl = await new Promise((ok, fail) => {
    const timer = setTimeout(() => fail(new Error("saldo demo did not start within 60 s")), 60_000);
    child.on("exit", (code) => fail(new Error(`saldo demo exited with ${code}`)));
    createInterface({ input: child.stdout }).on("line", (line) => {
      const found = line.match(/open (http:\/\/\S+?)\/? in a browser/);
      if (found) {
        clearTimeout(timer);
        ok(found[1]);
      }
    });
  });
  const credentials = JSON.parse(readFileSync(credentialsFile, "utf8"));
  return {
    baseUrl,
    credentials,
    async stop() {
      child.kill("SIGTERM");
      await new Promise((ok) => (child.exitCode === null ? child.on("exit", ok) : ok()));
      rmSync(dir, { recursive: true, force: true });
      if (admin) execFileSync("psql", [admin, "-qc", `DROP DATABASE IF EXISTS ${pgName} WITH (FORCE)`]);
    },
  };
}
