// The operations console: one EventSource on /console/events; "snapshot" messages redraw the
// servers and accounts, "event" messages go to the top of the stream (filtered on the client).
(function () {
  "use strict";
  const MAX_EVENTS = 300;
  const $ = (sel) => document.querySelector(sel);
  const fmt = new Intl.NumberFormat();
  const names = {};   // account key -> JWT name, for filtering and labels

  function text(el, s) { el.textContent = s; return el; }
  function el(tag, cls, s) { const e = document.createElement(tag); if (cls) e.className = cls; if (s !== undefined) e.textContent = s; return e; }
  function bytes(n) { return n > 1 << 20 ? (n / (1 << 20)).toFixed(1) + " MiB" : n > 1024 ? (n / 1024).toFixed(1) + " KiB" : n + " B"; }

  function bar(label, value, limit) {
    const b = el("div", "bar " + label);
    const l = el("div", "label");
    l.append(el("span", "", label), el("span", label + "-value", limit > 0 ? value + " / " + fmt.format(limit) : String(value)));
    const track = el("div", "track");
    const fill = el("div", "fill");
    const pct = limit > 0 ? Math.min(100, 100 * value / limit) : (value > 0 ? 100 : 0);
    fill.style.width = pct + "%";
    if (limit > 0 && value >= limit) fill.classList.add("full");
    if (!(limit > 0)) fill.style.opacity = "0.35";   // no limit: the bar only says "in use"
    track.append(fill);
    b.append(l, track);
    return b;
  }

  function drawServers(s) {
    const rows = [Object.assign({ server: { name: s.server_name, id: s.server_id } }, { statsz: s.statsz })]
      .concat(s.peers || []);
    const body = $("#servers tbody");
    body.replaceChildren();
    for (const r of rows) {
      const z = r.statsz || {};
      const tr = el("tr");
      tr.append(el("td", "", (r.server.name || r.server.id)),
        el("td", "", fmt.format(z.connections || 0)), el("td", "", fmt.format(z.subscriptions || 0)),
        el("td", "", fmt.format((z.received || {}).msgs || 0)), el("td", "", fmt.format((z.sent || {}).msgs || 0)),
        el("td", "", fmt.format(z.slow_consumers || 0)), el("td", "", bytes(z.mem || 0)),
        el("td", "", (z.cpu || 0).toFixed(1) + "%"));
      body.append(tr);
    }
    text($("#server"), s.server_name + " · " + s.now);
  }

  function drawAccounts(s) {
    const box = $("#accounts");
    box.replaceChildren();
    for (const a of s.accounts) {
      if (a.jwt && a.jwt.name) names[a.acc] = a.jwt.name;
      const d = el("div", "account");
      d.dataset.account = a.acc;
      const title = el("div", "title");
      title.append(el("b", "", a.jwt && a.jwt.name ? a.jwt.name : a.acc));
      if (a.jwt && a.jwt.name) title.append(el("span", "muted", a.acc));
      if (a.system) title.append(el("span", "muted", "system account"));
      d.append(title);
      if (a.jwt) {
        const exp = a.jwt.expires > 0 ? new Date(a.jwt.expires * 1000).toISOString() : "never";
        d.append(el("div", "jwt", "JWT issued " + new Date(a.jwt.iat * 1000).toISOString() + " by "
          + a.jwt.issuer.slice(0, 12) + "…, expires " + exp + ", from " + a.jwt.source));
      }
      const bars = el("div", "bars");
      bars.append(bar("conns", a.conns, a.limits.conn), bar("subs", a.subscriptions, a.limits.subs),
        bar("leaf", a.leafnodes, a.limits.leaf),
        bar("payload", (a.received || {}).bytes || 0, -1));
      const pay = bars.querySelector(".payload-value");
      text(pay, bytes((a.received || {}).bytes || 0) + " in" + (a.limits.payload > 0 ? " · max " + bytes(a.limits.payload) : ""));
      d.append(bars);
      box.append(d);
    }
  }

  function describe(e) {
    const ev = e.event || {};
    const c = ev.client || {};
    switch (e.kind) {
      case "CONNECT": return (c.user || "") + " " + (c.name ? "\"" + c.name + "\" " : "") + "from " + (c.host || "?") + " cid " + (c.id || "");
      case "DISCONNECT": return (c.user || "") + " " + (c.name ? "\"" + c.name + "\" " : "") + "cid " + (c.id || "") + " reason " + (ev.reason || "");
      case "AUTH.ERR": return "user " + (c.user || "(none)") + " " + (c.name ? "\"" + c.name + "\" " : "") + "from " + (c.host || "?") + ": " + (ev.reason || "");
      case "CLAIMS.UPDATE": return (e.name || "") + " from " + e.source + ", issued " + new Date(e.iat * 1000).toISOString();
      case "SLOW_CONSUMER": return "cid " + e.cid + (e.name ? " \"" + e.name + "\"" : "");
      default: return JSON.stringify(ev.acc || ev.server || "");
    }
  }

  function visible(li) {
    const acc = $("#filter-account").value.trim().toLowerCase();
    const kind = $("#filter-kind").value;
    const a = (li.dataset.acc + " " + (names[li.dataset.acc] || "")).toLowerCase();
    return (!kind || li.dataset.kind === kind) && (!acc || a.includes(acc));
  }

  function addEvent(e) {
    const li = el("li");
    li.dataset.kind = e.kind;
    li.dataset.acc = e.acc || (e.event && e.event.client && e.event.client.acc) || "";
    const when = (e.event && e.event.timestamp) || e.time || new Date().toISOString();
    li.append(el("span", "muted", when.slice(11, 19) + " "), el("span", "kind", e.kind),
      el("span", "acc", (names[li.dataset.acc] || li.dataset.acc) + " "), el("span", "what", describe(e)));
    if (!visible(li)) li.classList.add("hidden");
    const list = $("#events");
    list.prepend(li);
    while (list.children.length > MAX_EVENTS) list.lastChild.remove();
    text($("#event-count"), list.children.length + " events");
  }

  function refilter() { for (const li of document.querySelectorAll("#events li")) li.classList.toggle("hidden", !visible(li)); }
  $("#filter-account").addEventListener("input", refilter);
  $("#filter-kind").addEventListener("change", refilter);

  const source = new EventSource("/console/events");
  source.addEventListener("open", () => { const s = $("#status"); s.className = "status live"; text(s, "live"); });
  source.addEventListener("error", () => { const s = $("#status"); s.className = "status lost"; text(s, "reconnecting"); });
  source.addEventListener("snapshot", (m) => { const s = JSON.parse(m.data); drawServers(s); drawAccounts(s); });
  source.addEventListener("event", (m) => addEvent(JSON.parse(m.data)));
})();
