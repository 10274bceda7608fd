// nats.ws (the browser client) under Node: connect, subscribe, publish with headers, request/reply,
// then print one line of JSON with what it saw. Usage: node natsws-client.mjs ws://127.0.0.1:PORT
import WebSocket from "ws";
globalThis.WebSocket = WebSocket;
const { connect, StringCodec, headers } = await import("nats.ws");

const sc = StringCodec();
const nc = await connect({ servers: process.argv[2], name: "natsws-probe" });
const sub = nc.subscribe("ws.>", { max: 1 });
const got = (async () => { for await (const m of sub) { return { subject: m.subject, data: sc.decode(m.data), hdr: m.headers?.get("X-Probe") }; } })();
const h = headers();
h.set("X-Probe", "yes");
nc.publish("ws.hello", sc.encode("from nats.ws"), { headers: h });
nc.subscribe("ws.svc", { callback: (_e, m) => m.respond(sc.encode("pong:" + sc.decode(m.data))) });
const reply = await nc.request("ws.svc", sc.encode("ping"), { timeout: 5000 });
const result = { message: await got, reply: sc.decode(reply.data), server: nc.info.server_id, proto: nc.info.proto };
await nc.drain();
console.log(JSON.stringify(result));
