// A real OpenID provider for Saldo's login tests: node oidc-provider on a
// loopback port, with a MitID-shaped parent (a pseudonym in `sub`, a MitID
// UUID, a name, a CPR number) and municipal staff with groups.
//
//   node provider.mjs SALDO_BASE_URL
//
// prints `issuer http://127.0.0.1:PORT` on its first line once it listens.
// Two clients: `saldo-parents` (the MitID broker's) and `saldo-staff` (the
// municipality's IdP), both with redirect URIs under SALDO_BASE_URL.
//
// Test-only controls (never in a real provider), all POST:
//   /__test/tamper?mode=signature|nonce|issuer|audience|expired
//       the next token response's ID token is changed that way
//   /__test/expire-codes   every authorization code issued so far expires
//   /__test/rotate         a new signing key replaces the old one (JWKS rotation)
import http from "node:http";
import { Provider } from "oidc-provider";
import * as jose from "jose";

const saldo = (process.argv[2] ?? "http://127.0.0.1:8080").replace(/\/$/, "");

// The people at the broker and the IdP. The key is what one types as the user id.
export const accounts = {
  // A parent: the broker gives a persistent pseudonym, the MitID UUID, the name and the CPR number.
  "anna": {
    sub: "b1d2c3e4-0001-4a5b-8c7d-000000000001",
    name: "Anna Testmor",
    "mitid.uuid": "7c0c2f4e-1111-4d6e-9f00-aaaaaaaaaaaa",
    "dk.cpr": "0101851234",
  },
  // Another parent, whose CPR number the school data holds (as a keyed hash).
  "bo": {
    sub: "b1d2c3e4-0002-4a5b-8c7d-000000000002",
    name: "Bo Testfar",
    "mitid.uuid": "7c0c2f4e-2222-4d6e-9f00-bbbbbbbbbbbb",
    "dk.cpr": "0202852345",
  },
  // Staff in the municipality's IdP, with their groups.
  "kontor": { sub: "staff-0001", name: "Karin Kontor", email: "karin.kontor@kommune.example.dk", groups: ["saldo-kontor-testskolen", "alle-ansatte"] },
  "kantine": { sub: "staff-0002", name: "Kim Kantine", email: "kim@kommune.example.dk", groups: ["saldo-kantine-leder"] },
  "drift": { sub: "staff-0003", name: "Dorte Drift", email: "dorte@kommune.example.dk", groups: ["saldo-drift"] },
  "vikar": { sub: "staff-0004", name: "Viggo Vikar", email: "viggo@kommune.example.dk", groups: ["alle-ansatte"] },
};
const bySub = new Map(Object.values(accounts).map((a) => [a.sub, a]));

// oidc-provider's storage: one map, shared by every key generation (see /__test/rotate).
const store = new Map();
class Adapter {
  constructor(model) {
    this.model = model;
  }
  key(id) {
    return `${this.model}:${id}`;
  }
  async upsert(id, payload) {
    store.set(this.key(id), { ...payload });
    if (payload.uid) store.set(`uid:${payload.uid}`, id);
  }
  async find(id) {
    return store.get(this.key(id));
  }
  async findByUid(uid) {
    return this.find(store.get(`uid:${uid}`));
  }
  async findByUserCode() {
    return undefined;
  }
  async consume(id) {
    const payload = store.get(this.key(id));
    if (payload) payload.consumed = Math.floor(Date.now() / 1000);
  }
  async destroy(id) {
    store.delete(this.key(id));
  }
  async revokeByGrantId(grantId) {
    for (const [key, value] of store) if (value?.grantId === grantId) store.delete(key);
  }
}

const clients = ["parents", "staff"].map((audience) => ({
  client_id: `saldo-${audience}`,
  client_secret: `${audience}-secret-for-tests-only`,
  redirect_uris: [`${saldo}/login/oidc/${audience}/callback`],
  post_logout_redirect_uris: [`${saldo}/`],
  grant_types: ["authorization_code"],
  response_types: ["code"],
}));

let signingKey; // the private JWK the provider signs with now
let issuer;
let provider;
let tamper = null;

async function newKey() {
  const { privateKey } = await jose.generateKeyPair("RS256", { extractable: true });
  const jwk = await jose.exportJWK(privateKey);
  return { ...jwk, kid: `key-${Date.now()}-${Math.random().toString(36).slice(2, 8)}`, alg: "RS256", use: "sig" };
}

function page(title, body) {
  return `<!doctype html><html lang="da"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1"><title>${title}</title>
<style>body{font-family:sans-serif;max-width:30rem;margin:1rem auto;padding:0 1rem;color:#111}label,input,button{display:block;font-size:1.1rem;margin:.5rem 0}input{width:100%;box-sizing:border-box;padding:.5rem}button{padding:.6rem 1rem;background:#0a3a78;color:#fff;border:0;border-radius:4px}button.secondary{background:#555}</style>
</head><body><main><h1>${title}</h1>${body}</main></body></html>`;
}

function makeProvider() {
  const p = new Provider(issuer, {
    adapter: Adapter,
    clients,
    jwks: { keys: [signingKey] },
    cookies: { keys: ["saldo-test-provider-cookie-key"] },
    claims: {
      openid: ["sub"],
      profile: ["name"],
      email: ["email"],
      mitid: ["mitid.uuid", "dk.cpr"],
      groups: ["groups"],
    },
    conformIdTokenClaims: false,
    pkce: { required: () => true },
    features: {
      devInteractions: { enabled: false },
      rpInitiatedLogout: {
        enabled: true,
        logoutSource: async (ctx, form) => {
          ctx.body = page("Log ud", `${form}<p>Vil du også logge ud her?</p><button form="op.logoutForm" name="logout" value="yes">Ja, log ud</button>`);
        },
      },
    },
    async findAccount(ctx, id) {
      const account = bySub.get(id);
      if (!account) return undefined;
      return { accountId: id, claims: async () => ({ ...account }) };
    },
    // A first-party client: the grant covers what was asked for, no consent screen.
    async loadExistingGrant(ctx) {
      const grant = new ctx.oidc.provider.Grant({ clientId: ctx.oidc.client.clientId, accountId: ctx.oidc.session.accountId });
      grant.addOIDCScope(ctx.oidc.params.scope ?? "openid");
      await grant.save();
      return grant;
    },
    interactions: { url: (ctx, interaction) => `/interaction/${interaction.uid}` },
    ttl: { AuthorizationCode: 60, IdToken: 3600, AccessToken: 3600, Interaction: 600, Session: 3600, Grant: 3600 },
    renderError: async (ctx, out) => {
      ctx.type = "html";
      ctx.body = page("Fejl", `<p>${out.error}: ${out.error_description ?? ""}</p>`);
    },
  });
  p.proxy = false;
  return p;
}

function readForm(req) {
  return new Promise((ok) => {
    let body = "";
    req.on("data", (chunk) => (body += chunk));
    req.on("end", () => ok(new URLSearchParams(body)));
  });
}

// Changes the ID token in a token response the way the test asked.
async function tampered(idToken, mode) {
  if (mode === "signature") {
    const [h, p, s] = idToken.split(".");
    const claims = JSON.parse(Buffer.from(p, "base64url").toString());
    claims.name = "Mallory";
    return `${h}.${Buffer.from(JSON.stringify(claims)).toString("base64url")}.${s}`;
  }
  const claims = jose.decodeJwt(idToken);
  const now = Math.floor(Date.now() / 1000);
  if (mode === "nonce") claims.nonce = "not-the-nonce-saldo-sent";
  if (mode === "issuer") claims.iss = "http://127.0.0.1:1/not-the-issuer";
  if (mode === "audience") claims.aud = "someone-else";
  if (mode === "expired") Object.assign(claims, { iat: now - 7200, exp: now - 3600 });
  const key = await jose.importJWK(signingKey, "RS256");
  return new jose.SignJWT(claims).setProtectedHeader({ alg: "RS256", kid: signingKey.kid, typ: "JWT" }).sign(key);
}

async function interaction(req, res, url) {
  const [, , uid, action] = url.pathname.split("/");
  const details = await provider.interactionDetails(req, res);
  if (details.uid !== uid) throw new Error("interaction mismatch");
  if (req.method === "GET") {
    res.setHeader("content-type", "text/html; charset=utf-8");
    res.end(
      page(
        "MitID (test)",
        `<form method="post" action="/interaction/${uid}/login">
<label for="user">Bruger-ID</label><input id="user" name="user" autocomplete="username" required>
<button type="submit">Log ind</button></form>
<form method="post" action="/interaction/${uid}/abort"><button class="secondary" type="submit">Afbryd</button></form>`,
      ),
    );
    return;
  }
  const form = await readForm(req);
  let result;
  if (action === "abort") {
    result = { error: "access_denied", error_description: "The user cancelled" };
  } else {
    const account = accounts[form.get("user")?.trim()];
    if (!account) {
      res.statusCode = 400;
      res.setHeader("content-type", "text/html; charset=utf-8");
      res.end(page("MitID (test)", "<p>Ukendt bruger-ID.</p>"));
      return;
    }
    result = { login: { accountId: account.sub, amr: ["mitid"], acr: "https://data.gov.dk/concept/core/nsis/substantial" } };
  }
  await provider.interactionFinished(req, res, result, { mergeWithLastSubmission: false });
}

async function handle(req, res) {
  const url = new URL(req.url, issuer);
  if (url.pathname.startsWith("/__test/") && req.method === "POST") {
    if (url.pathname === "/__test/tamper") tamper = url.searchParams.get("mode");
    if (url.pathname === "/__test/expire-codes") {
      for (const [key, value] of store) if (key.startsWith("AuthorizationCode:")) value.exp = Math.floor(Date.now() / 1000) - 1;
    }
    if (url.pathname === "/__test/rotate") {
      signingKey = await newKey();
      provider = makeProvider();
    }
    res.end("ok");
    return;
  }
  if (url.pathname.startsWith("/interaction/")) {
    await interaction(req, res, url);
    return;
  }
  if (url.pathname === "/token" && tamper) {
    const mode = tamper;
    tamper = null;
    // Let the provider answer into a buffer, change the ID token, then send it.
    const chunks = [];
    const { write, end, setHeader } = res;
    const headers = {};
    res.setHeader = (name, value) => ((headers[name.toLowerCase()] = value), res);
    res.write = (chunk) => (chunks.push(Buffer.from(chunk)), true);
    res.end = (chunk) => {
      if (chunk) chunks.push(Buffer.from(chunk));
      res.write = write;
      res.end = end;
      res.setHeader = setHeader;
      (async () => {
        let body = Buffer.concat(chunks).toString();
        try {
          const json = JSON.parse(body);
          if (json.id_token) json.id_token = await tampered(json.id_token, mode);
          body = JSON.stringify(json);
        } catch {
          // not JSON: pass it on as it was
        }
        for (const [name, value] of Object.entries(headers)) if (name !== "content-length") res.setHeader(name, value);
        res.setHeader("content-length", Buffer.byteLength(body));
        res.end(body);
      })();
      return res;
    };
  }
  provider.callback()(req, res);
}

const server = http.createServer((req, res) => {
  handle(req, res).catch((error) => {
    console.error(error);
    if (!res.headersSent) res.statusCode = 500;
    res.end("error");
  });
});
server.listen(0, "127.0.0.1", async () => {
  issuer = `http://127.0.0.1:${server.address().port}`;
  signingKey = await newKey();
  provider = makeProvider();
  console.log(`issuer ${issuer}`);
});
// Stop with the test that started it.
process.stdin.on("end", () => process.exit(0));
process.stdin.resume();
