// MSAL for Node (@azure/msal-node, from npm) against `apppass simcloud`:
// device code, a forced silent refresh, the password grant's errors and the
// browser sign-in (authorization code + PKCE) through MSAL's own loopback
// server, with Node's https playing the browser, then an Exchange Online
// token for SMTP.Send from the owner's refresh token, written (mode 0600)
// for Python's smtplib to try with XOAUTH2. Each check prints "ok   ..."
// or "FAIL ..."; any FAIL exits 1.
//
// Usage: NODE_EXTRA_CA_CERTS=<caCertificate> node msal.mjs <file with the JSON line> <token file>
import { readFileSync, writeFileSync } from "node:fs";
import crypto from "node:crypto";
import http from "node:http";
import https from "node:https";
import { PublicClientApplication } from "@azure/msal-node";

// Microsoft Graph Command Line Tools, the client apppass signs in with.
const clientId = "14d82eec-204b-4c2f-b7e8-296a70dab67e";
const cloud = JSON.parse(readFileSync(process.argv[2], "utf8"));
const host = new URL(cloud.authority).host;
const admin = cloud.identities.admin;
const scopes = ["User.Read"];

let failures = 0;
function check(label, ok, detail = "") {
  console.log(ok ? `ok   msal-node: ${label}` : `FAIL msal-node: ${label}${detail ? `: ${detail}` : ""}`);
  if (!ok) failures++;
}

// send makes one request with Node's http or https (which trusts
// NODE_EXTRA_CA_CERTS) and resolves to its status, headers and body.
function send(url, { method = "GET", form, headers = {} } = {}) {
  const body = form ? new URLSearchParams(form).toString() : undefined;
  if (body) headers = { ...headers, "content-type": "application/x-www-form-urlencoded" };
  const client = url.startsWith("https:") ? https : http;
  return new Promise((resolve, reject) => {
    const req = client.request(url, { method, headers }, (res) => {
      let text = "";
      res.setEncoding("utf8");
      res.on("data", (chunk) => (text += chunk));
      res.on("end", () => resolve({ status: res.statusCode, headers: res.headers, body: text }));
    });
    req.on("error", reject);
    req.end(body);
  });
}

async function getJSON(url, headers) {
  const res = await send(url, { headers });
  return { status: res.status, json: JSON.parse(res.body) };
}

// verifyIDToken checks an id token's RS256 signature with the key the
// OpenID document's jwks_uri publishes, using Node's crypto.
async function verifyIDToken(idToken, authority) {
  const [header, payload, signature] = idToken.split(".");
  const doc = (await getJSON(`${authority}/v2.0/.well-known/openid-configuration`)).json;
  const { kid } = JSON.parse(Buffer.from(header, "base64url").toString());
  const jwk = (await getJSON(doc.jwks_uri)).json.keys.find((k) => k.kid === kid);
  check("the id token's kid is in the JWKS", jwk !== undefined, kid);
  if (!jwk) return;
  const key = crypto.createPublicKey({ key: { kty: jwk.kty, n: jwk.n, e: jwk.e }, format: "jwk" });
  const valid = crypto.verify("RSA-SHA256", Buffer.from(`${header}.${payload}`), key, Buffer.from(signature, "base64url"));
  const claims = JSON.parse(Buffer.from(payload, "base64url").toString());
  check("the id token's RS256 signature verifies with the JWKS key", valid);
  check("the id token's issuer is the document's", claims.iss === doc.issuer, `${claims.iss} vs ${doc.issuer}`);
}

async function callGraph(accessToken) {
  return getJSON(`${cloud.graphRoot}/v1.0/me`, { authorization: `Bearer ${accessToken}` });
}

// Device code through an authority MSAL trusts by knownAuthorities; the
// code is entered on simcloud's /devicelogin page, as a person would.
async function deviceCode() {
  const authority = `${cloud.authority}/${cloud.tenant.domain}`;
  const pca = new PublicClientApplication({ auth: { clientId, authority, knownAuthorities: [host] } });
  let entered;
  const result = await pca.acquireTokenByDeviceCode({
    scopes,
    deviceCodeCallback: (r) => {
      check("device code: the message names the page and the code",
        r.message.includes(r.verificationUri) && r.message.includes(r.userCode), r.message);
      entered = send(r.verificationUri, { method: "POST", form: { otc: r.userCode } });
    },
  });
  check("device code: the code entered on the page is accepted", (await entered).status === 200);
  check("device code: signed in as the admin", result.account.username === admin.upn, result.account.username);
  check("device code: the account's tenant", result.account.tenantId === cloud.tenant.id, result.account.tenantId);
  check("device code: the id token's audience is the client", result.idTokenClaims.aud === clientId);
  await verifyIDToken(result.idToken, authority);
  const me = await callGraph(result.accessToken);
  check("device code: Graph /me answers with the token", me.status === 200 && me.json.userPrincipalName === admin.upn, JSON.stringify(me));

  const refreshed = await pca.acquireTokenSilent({ account: result.account, scopes, forceRefresh: true });
  check("silent refresh: a new access token, not from the cache",
    !refreshed.fromCache && refreshed.accessToken !== result.accessToken);
  check("silent refresh: Graph /me answers with it", (await callGraph(refreshed.accessToken)).status === 200);
}

// The password grant's refusals reach MSAL as Entra words them: its
// error name and AADSTS number. This authority is trusted through the
// instance discovery answer simcloud gives, not knownAuthorities.
async function passwordErrors(pca) {
  const cases = [
    { label: "a wrong password", upn: admin.upn, password: "wrong", code: "50126" },
    { label: "the account's password under per-user MFA", upn: cloud.identities.account.upn, password: cloud.identities.account.password, code: "50076" },
  ];
  for (const c of cases) {
    try {
      await pca.acquireTokenByUsernamePassword({ scopes, username: c.upn, password: c.password });
      check(`password grant: ${c.label} is refused`, false, "a token was issued");
    } catch (e) {
      check(`password grant: ${c.label} is refused with AADSTS${c.code}`,
        e.errorCode === "invalid_grant" && String(e.errorNo) === c.code && e.errorMessage.includes(`AADSTS${c.code}: `),
        `${e.errorCode} ${e.errorNo} ${e.errorMessage}`);
    }
  }
}

// discoveredApp builds a client whose authority MSAL trusts through
// simcloud's instance discovery answer (cloudDiscoveryMetadata).
async function discoveredApp() {
  const authority = `${cloud.authority}/${cloud.tenant.id}`;
  const res = await send(`${cloud.authority}/common/discovery/instance?api-version=1.1&authorization_endpoint=${
    encodeURIComponent(`${authority}/oauth2/v2.0/authorize`)}`);
  const discovery = JSON.parse(res.body);
  check("instance discovery: tenant_discovery_endpoint and metadata",
    res.status === 200 && discovery.tenant_discovery_endpoint === `${authority}/v2.0/.well-known/openid-configuration` &&
    discovery.metadata.some((m) => m.aliases.includes(host)), res.body);
  return new PublicClientApplication({ auth: { clientId, authority, cloudDiscoveryMetadata: res.body } });
}

// formOf reads the first form of a page: where it posts and its hidden fields.
function formOf(page) {
  const unescape = (s) => s.replace(/&(amp|quot|#39|lt|gt);/g, (_, e) => ({ amp: "&", quot: '"', "#39": "'", lt: "<", gt: ">" })[e]);
  const action = /<form method="post" action="([^"]+)"/.exec(page);
  const fields = {};
  for (const m of page.matchAll(/<input type="hidden" name="([^"]+)" value="([^"]*)">/g)) fields[unescape(m[1])] = unescape(m[2]);
  return { action: action ? unescape(action[1]) : "", fields };
}

// browser plays the person at the browser MSAL opens: simcloud's sign-in
// page, then the page that posts the code to MSAL's loopback server.
async function browser(url, who) {
  const signIn = await send(url);
  check("browser sign-in: the page asks for the hinted account",
    signIn.status === 200 && signIn.body.includes(`value="${who.upn}"`), signIn.body.slice(0, 300));
  const form = formOf(signIn.body);
  const posted = await send(new URL(form.action, url).href, {
    method: "POST", form: { ...form.fields, login: who.upn, passwd: who.password },
  });
  const back = formOf(posted.body);
  check("browser sign-in: the code is posted back to MSAL's loopback (form_post)",
    posted.status === 200 && back.action.startsWith("http://localhost:") && back.fields.code && back.fields.state, posted.body.slice(0, 300));
  const loopback = await send(back.action, { method: "POST", form: back.fields });
  check("browser sign-in: MSAL's loopback takes the code", loopback.status === 200 && loopback.body === "signed in", loopback.body);
}

// The browser sign-in (authorization code + PKCE) as the account's owner,
// through MSAL's own loopback server.
async function browserSignIn(pca) {
  const who = cloud.identities.account;
  const nonce = crypto.randomUUID();
  const result = await pca.acquireTokenInteractive({
    scopes, nonce, loginHint: who.upn, successTemplate: "signed in", errorTemplate: "sign-in failed",
    openBrowser: (url) => browser(url, who),
  });
  check("browser sign-in: signed in as the account", result.account.username === who.upn, result.account.username);
  check("browser sign-in: the id token carries the request's nonce", result.idTokenClaims.nonce === nonce);
  await verifyIDToken(result.idToken, `${cloud.authority}/${cloud.tenant.id}`);
  const me = await callGraph(result.accessToken);
  check("browser sign-in: Graph /me answers as the account", me.status === 200 && me.json.userPrincipalName === who.upn, JSON.stringify(me));
  return result.account;
}

// SMTP.Send is Exchange Online's scope: MSAL gets a token for that other
// resource from the refresh token, and Graph refuses it.
async function smtpToken(pca, account, file) {
  const r = await pca.acquireTokenSilent({ account, scopes: ["https://outlook.office.com/SMTP.Send"] });
  check("SMTP.Send: a token for Exchange Online from the owner's refresh token", !r.fromCache && !!r.accessToken);
  check("SMTP.Send: the granted scope is SMTP.Send", r.scopes.some((s) => s.endsWith("SMTP.Send")), r.scopes.join(" "));
  const me = await callGraph(r.accessToken);
  check("SMTP.Send: Graph refuses the Exchange Online token", me.status === 401, String(me.status));
  writeFileSync(file, r.accessToken, { mode: 0o600 });
}

try {
  await deviceCode();
  const pca = await discoveredApp();
  await passwordErrors(pca);
  const owner = await browserSignIn(pca);
  await smtpToken(pca, owner, process.argv[3]);
} catch (e) {
  check("no unexpected error", false, e.stack || String(e));
}
process.exit(failures ? 1 : 0);
