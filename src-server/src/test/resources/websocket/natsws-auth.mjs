// nats.ws under Node, logging in one way: node natsws-auth.mjs URL '{"user":..,"pass":..}' | '{"token":..}'
// | '{"nkeySeed":..}' | '{"creds":"/path/file.creds"}'. Prints {"ok":true,"reply":...} or {"ok":false,"error":...}.
import WebSocket from "ws";
import { readFileSync } from "node:fs";
globalThis.WebSocket = WebSocket;
const { connect, StringCodec, nkeyAuthenticator, credsAuthenticator } = await import("nats.ws");

const auth = JSON.parse(process.argv[3] || "{}");
const opts = { servers: process.argv[2], name: "natsws-auth", reconnect: false, timeout: 3000 };
if (auth.user) { opts.user = auth.user; opts.pass = auth.pass; }
if (auth.token) opts.token = auth.token;
if (auth.nkeySeed) opts.authenticator = nkeyAuthenticator(new TextEncoder().encode(auth.nkeySeed));
if (auth.creds) opts.authenticator = credsAuthenticator(new TextEncoder().encode(readFileSync(auth.creds, "utf8")));
try {
  const sc = StringCodec();
  const nc = await connect(opts);
  nc.subscribe("auth.svc", { callback: (_e, m) => m.respond(sc.encode("pong")) });
  const r = await nc.request("auth.svc", sc.encode("ping"), { timeout: 3000 });
  console.log(JSON.stringify({ ok: true, reply: sc.decode(r.data) }));
  await nc.close();
} catch (e) {
  console.log(JSON.stringify({ ok: false, error: String(e && (e.code || e.message) || e) }));
}
