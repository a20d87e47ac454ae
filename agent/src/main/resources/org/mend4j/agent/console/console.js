// The mend4j edit console: a client of the agent's admin API on the same origin. The token is
// asked for, kept in sessionStorage (this tab only) and sent as a bearer header with every call;
// it never appears in a URL. Everything shown comes from the API; untrusted text (prompts,
// targets, messages) only ever reaches the page as textContent.
"use strict";

const API = "/mend4j/v1";
const TOKEN_KEY = "mend4j.token";
const METRICS_EVERY_MS = 2000;

let metricsTimer = null;
let lastEdits = [];
let lastVariants = [];

const $ = (id) => document.getElementById(id);

class ApiError extends Error {
  constructor(status, message) {
    super(message);
    this.status = status;
  }
}

async function call(method, path, body, token = sessionStorage.getItem(TOKEN_KEY)) {
  const init = { method, cache: "no-store", headers: { Authorization: "Bearer " + token } };
  if (body !== undefined) {
    init.headers["Content-Type"] = "application/json";
    init.body = typeof body === "string" ? body : JSON.stringify(body);
  }
  const response = await fetch(path, init);
  const text = await response.text();
  if (!response.ok) {
    let message = text;
    try {
      message = JSON.parse(text).error || text;
    } catch (e) {
      // not JSON: show the text as it came
    }
    throw new ApiError(response.status, message);
  }
  const type = response.headers.get("Content-Type") || "";
  return type.startsWith("application/json") ? JSON.parse(text) : text;
}

function el(tag, attrs = {}, ...children) {
  const node = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs)) {
    if (k === "class") node.className = v;
    else if (k.startsWith("on")) node.addEventListener(k.slice(2), v);
    else node.setAttribute(k, v);
  }
  for (const c of children) node.append(c instanceof Node ? c : document.createTextNode(String(c)));
  return node;
}

function showError(e) {
  if (e instanceof ApiError && e.status === 401) {
    logout("the token was refused: " + e.message);
    return;
  }
  $("error-text").textContent = e instanceof ApiError ? e.status + ": " + e.message : String(e);
  $("error").hidden = false;
}

function clearError() {
  $("error").hidden = true;
  $("error-text").textContent = "";
}

// an action: its button disabled while it runs, its failure shown as the API words it
async function act(button, busyText, work) {
  const label = button.textContent;
  button.disabled = true;
  button.textContent = busyText;
  clearError();
  try {
    await work();
  } catch (e) {
    showError(e);
  } finally {
    button.disabled = false;
    button.textContent = label;
  }
}

// ---- session

async function login(token) {
  try {
    await call("GET", API + "/status", undefined, token);
  } catch (e) {
    $("login-error").textContent =
      e instanceof ApiError ? "refused (" + e.status + "): " + e.message : String(e);
    return;
  }
  sessionStorage.setItem(TOKEN_KEY, token);
  $("login-error").textContent = "";
  $("token").value = "";
  $("login").hidden = true;
  $("app").hidden = false;
  $("session").hidden = false;
  try {
    await refresh();
  } catch (e) {
    showError(e);
  }
  refreshMetrics();
  metricsTimer = setInterval(refreshMetrics, METRICS_EVERY_MS);
}

function logout(message = "") {
  sessionStorage.removeItem(TOKEN_KEY);
  clearInterval(metricsTimer);
  metricsTimer = null;
  $("app").hidden = true;
  $("session").hidden = true;
  $("login").hidden = false;
  $("login-error").textContent = message;
}

// ---- edits and variants

async function refresh() {
  const [status, edits, variants] = await Promise.all([
    call("GET", API + "/status"),
    call("GET", API + "/edits"),
    call("GET", API + "/variants"),
  ]);
  lastEdits = edits;
  lastVariants = variants;
  $("snapshot").textContent = "snapshot " + status.snapshot + (status.persistent ? ", persisted" : "");
  renderEdits(edits, variants);
  renderVariants(variants);
  renderVariantEditChoices(edits);
}

function variantsOf(edit, variants) {
  const names = variants.filter((v) => v.edits.includes(edit.id)).map((v) => v.name);
  if (edit.active) names.unshift("default");
  return names.join(", ") || "none";
}

function renderEdits(edits, variants) {
  const body = $("edits").tBodies[0];
  body.replaceChildren();
  for (const e of edits) {
    const toggle = el("button", { type: "button", class: "toggle" }, e.enabled ? "Disable" : "Enable");
    toggle.addEventListener("click", () =>
      act(toggle, "…", async () => {
        await call("POST", API + "/edits/" + e.id + (e.enabled ? "/disable" : "/enable"));
        await refresh();
      }));
    const remove = el("button", { type: "button", class: "delete" }, "Delete");
    remove.addEventListener("click", () => {
      if (!confirm("Delete edit " + e.id + " (also from every variant and from disk)?")) return;
      act(remove, "…", async () => {
        await call("DELETE", API + "/edits/" + e.id);
        await refresh();
      });
    });
    const more = e.requests.length > 1 ? " (+" + (e.requests.length - 1) + " more)" : "";
    const state = e.state.toLowerCase() + (e.enabled ? ", enabled" : ", disabled");
    const row = el(
      "tr",
      { "data-id": e.id, "data-enabled": String(e.enabled), class: e.enabled ? "" : "off" },
      el("td", { class: "mono" }, e.id),
      el("td", {}, e.prompt + more),
      el("td", {}, e.target_new),
      el("td", { class: "state", title: e.message || "" }, state),
      el("td", {}, new Date(e.created).toLocaleString()),
      el("td", { class: "in-variants" }, variantsOf(e, variants)),
      el("td", { class: "actions" }, toggle, remove),
    );
    body.append(row);
  }
  if (edits.length === 0) body.append(el("tr", {}, el("td", { colspan: 7, class: "empty" }, "no edits")));
}

function renderVariants(variants) {
  const body = $("variants").tBodies[0];
  body.replaceChildren();
  for (const v of variants) {
    const edit = el("button", { type: "button", class: "edit" }, "Edit");
    edit.addEventListener("click", () => fillVariantForm(v));
    const remove = el("button", { type: "button", class: "delete" }, "Delete");
    remove.addEventListener("click", () =>
      act(remove, "…", async () => {
        await call("DELETE", API + "/variants/" + encodeURIComponent(v.name));
        await refresh();
      }));
    body.append(
      el(
        "tr",
        { "data-name": v.name },
        el("td", {}, v.name),
        el("td", { class: "mono" }, v.edits.join(", ") || "none (the unedited model)"),
        el("td", { class: "traffic" }, v.traffic_percent + " %"),
        el("td", { class: "actions" }, edit, remove),
      ),
    );
  }
  if (variants.length === 0) {
    body.append(el("tr", {}, el("td", { colspan: 4, class: "empty" }, "only the default variant")));
  }
}

function renderVariantEditChoices(edits) {
  const box = $("variant-edits");
  const checked = new Set([...box.querySelectorAll("input:checked")].map((i) => i.value));
  box.replaceChildren(el("legend", {}, "edits"));
  for (const e of edits) {
    const input = el("input", { type: "checkbox", value: e.id });
    input.checked = checked.has(e.id);
    box.append(el("label", { class: "choice" }, input, " ", e.id, " ", el("small", {}, e.prompt + " → " + e.target_new)));
  }
  if (edits.length === 0) box.append(el("small", {}, "no edits: the variant serves the unedited model"));
}

function fillVariantForm(v) {
  $("variant-name").value = v.name;
  $("variant-traffic").value = v.traffic_percent;
  for (const input of $("variant-edits").querySelectorAll("input")) {
    input.checked = v.edits.includes(input.value);
  }
}

// ---- try it

function renderTry(result) {
  const body = $("try-results").tBodies[0];
  body.replaceChildren();
  for (const a of result.answers) {
    const share = a.traffic_percent !== undefined ? " (" + a.traffic_percent + " %)" : "";
    body.append(
      el(
        "tr",
        { "data-variant": a.variant },
        el("td", {}, a.variant + share),
        el("td", { class: "mono" }, a.edits.join(", ") || "none"),
        el("td", { class: "completion" }, el("span", { class: "prompt" }, result.prompt), a.completion),
      ),
    );
  }
}

// ---- live counters

function parseMetrics(text) {
  const samples = [];
  for (const line of text.split("\n")) {
    const m = /^([A-Za-z_:][\w:]*)(?:\{([^}]*)\})?\s+(\S+)$/.exec(line.trim());
    if (!m) continue;
    const labels = {};
    for (const pair of (m[2] || "").matchAll(/(\w+)="((?:[^"\\]|\\.)*)"/g)) labels[pair[1]] = pair[2];
    samples.push({ name: m[1], labels, value: Number(m[3]) });
  }
  return samples;
}

function value(samples, name) {
  const s = samples.find((x) => x.name === name);
  return s ? s.value : 0;
}

async function refreshMetrics() {
  let samples;
  try {
    samples = parseMetrics(await call("GET", "/metrics"));
  } catch (e) {
    showError(e);
    return;
  }
  const requests = samples.filter((s) => s.name === "mend4j_requests_total");
  const total = requests.reduce((n, s) => n + s.value, 0);
  $("m-requests").textContent = total;
  $("m-edited").textContent = value(samples, "mend4j_edited_layer_calls_total");
  $("m-suppressed").textContent = value(samples, "mend4j_suppressed_errors_total");
  $("m-auth").textContent = value(samples, "mend4j_admin_auth_failures_total");
  const configured = new Map(lastVariants.map((v) => [v.name, v.traffic_percent]));
  const defaultShare = 100 - lastVariants.reduce((n, v) => n + v.traffic_percent, 0);
  const names = new Set(["default", ...configured.keys(), ...requests.map((s) => s.labels.variant)]);
  const body = $("traffic").tBodies[0];
  body.replaceChildren();
  for (const name of names) {
    const n = requests.filter((s) => s.labels.variant === name).reduce((a, s) => a + s.value, 0);
    const share = total > 0 ? (100 * n) / total : 0;
    const want = name === "default" ? defaultShare : configured.get(name);
    const bar = el("div", { class: "bar" }, el("div", { class: "fill" }));
    bar.firstChild.style.width = share.toFixed(1) + "%";
    body.append(
      el(
        "tr",
        { "data-variant": name },
        el("td", {}, name),
        el("td", { class: "count" }, n),
        el("td", {}, bar, " " + share.toFixed(1) + " %"),
        el("td", {}, want === undefined ? "removed" : +want.toFixed(2) + " %"),
      ),
    );
  }
  $("metrics-updated").textContent = "updated " + new Date().toLocaleTimeString();
}

// ---- wiring

document.addEventListener("DOMContentLoaded", () => {
  $("login-form").addEventListener("submit", (ev) => {
    ev.preventDefault();
    login($("token").value.trim());
  });
  $("logout").addEventListener("click", () => logout());
  $("error-close").addEventListener("click", clearError);

  $("edit-form").addEventListener("submit", (ev) => {
    ev.preventDefault();
    const request = { prompt: $("edit-prompt").value, target_new: $("edit-target").value };
    if ($("edit-rephrase").value.trim()) request.rephrase_prompt = $("edit-rephrase").value;
    act($("edit-create"), "computing…", async () => {
      await call("POST", API + "/edits", request);
      $("edit-form").reset();
      await refresh();
    });
  });
  $("batch-create").addEventListener("click", () =>
    act($("batch-create"), "computing…", async () => {
      await call("POST", API + "/edits", $("batch-json").value);
      $("batch-json").value = "";
      await refresh();
    }));

  $("variant-form").addEventListener("submit", (ev) => {
    ev.preventDefault();
    const edits = [...$("variant-edits").querySelectorAll("input:checked")].map((i) => i.value);
    const traffic = Number($("variant-traffic").value || 0);
    act($("variant-save"), "saving…", async () => {
      await call("PUT", API + "/variants/" + encodeURIComponent($("variant-name").value.trim()), {
        edits,
        traffic_percent: traffic,
      });
      await refresh();
      refreshMetrics();
    });
  });

  $("try-form").addEventListener("submit", (ev) => {
    ev.preventDefault();
    act($("try-run"), "answering…", async () => {
      renderTry(
        await call("POST", API + "/try", {
          prompt: $("try-prompt").value,
          max_new_tokens: Number($("try-tokens").value || 4),
        }),
      );
    });
  });

  const saved = sessionStorage.getItem(TOKEN_KEY);
  if (saved) login(saved);
});
