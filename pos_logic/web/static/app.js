// pos-logic: the checklist renderer shared by the web page and the standalone HTML report.
// Everything from a case is written with textContent: a contractor's name is text, never markup.
"use strict";


function el(tag, attrs, ...children) {
  const node = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs || {})) {
    if (k === "class") node.className = v; else if (k.startsWith("on")) node.addEventListener(k.slice(2), v);
    else node.setAttribute(k, v);
  }
  for (const c of children) if (c !== null && c !== undefined) node.append(c);
  return node;
}

function sourceLine(source) {
  const m = /:(\d+)$/.exec(source || "");
  return m ? Number(m[1]) : null;
}

// Case lines a derivation rests on (for highlighting when it is unfolded).
function linesOf(derivation, out = new Set()) {
  for (const p of derivation.premises || []) collectPremise(p, out);
  return out;
}
function collectPremise(p, out) {
  const line = sourceLine(p.source);
  if (line) out.add(line);
  if (p.derivation) linesOf(p.derivation, out);
  for (const part of p.parts || []) collectPremise(part, out);
}

function renderDerivation(d, onLine) {
  const item = el("li", {},
    el("div", { class: "rule" }, `${d.rule}${d.cite ? " · " + d.cite : ""}`),
    d.says ? el("div", {}, d.says) : null,
    d.reading ? el("div", {}, "read as: " + d.reading) : null,
    d.cure ? el("div", {}, "to cure: " + d.cure) : null,
    el("div", { class: "ground" }, d.ground_rule));
  const premises = el("ul", { class: "premises" });
  for (const p of d.premises || []) premises.append(renderPremise(p, onLine));
  item.append(premises);
  return el("ul", { class: "derivation" }, item);
}

function renderPremise(p, onLine) {
  const li = el("li", {}, p.text);
  const line = sourceLine(p.source);
  if (line) {
    li.append(" ", el("button", { type: "button", class: "link", "aria-label": `show line ${line} of the case`,
                                  onclick: () => onLine([line], true) }, `(line ${line})`));
  }
  if (p.derivation) li.append(renderDerivation(p.derivation, onLine));
  if (p.parts && p.parts.length) {
    const parts = el("ul", { class: "premises" });
    for (const part of p.parts) parts.append(renderPremise(part, onLine));
    li.append(parts);
  }
  return li;
}

function renderFinding(f, mark, onLine) {
  const detail = f.detail ? ` (${f.detail})` : "";
  const box = el("div", { class: `finding ${f.kind}` },
    el("div", { class: "head" }, el("span", { class: "mark", "aria-hidden": "true" }, mark),
       f.finding + detail),
    el("div", { class: "meta" }, `${f.cite} [${f.rules.join(", ")}]`),
    f.kind !== "value" ? el("div", { class: "reason" }, f.reason) : null,
    f.cure ? el("div", { class: "cure" }, "to cure: " + f.cure) : null);
  const unfold = el("details", {}, el("summary", {}, "How this was derived"));
  unfold.addEventListener("toggle", () => {
    if (unfold.open && unfold.childElementCount === 1) {
      for (const d of f.derivations) unfold.append(renderDerivation(d, onLine));
    }
    if (unfold.open) {
      const lines = new Set();
      for (const d of f.derivations) linesOf(d, lines);
      onLine([...lines].sort((a, b) => a - b), false);
    }
  });
  box.append(unfold);
  return box;
}

function renderCase(c, kinds, onLine) {
  const out = el("div", { class: "case" });
  const bad = c.violations > 0;
  for (const a of c.agreements) {
    out.append(el("h3", { class: "case-title" }, `${a.kind} “${a.title}”`));
    const mine = c.findings.filter(f => f.agreement === a.title);
    if (!mine.length) out.append(el("p", { class: "hint" }, "no findings"));
    for (const [kind, heading, mark] of kinds) {
      const group = mine.filter(f => f.kind === kind);
      if (!group.length) continue;
      const section = el("section", { class: "group", "aria-label": heading }, el("h3", {}, heading));
      for (const f of group) section.append(renderFinding(f, mark, onLine));
      out.append(section);
    }
    for (const u of (c.unstated || []).filter(u => u.agreement === a.title)) {
      out.append(el("p", { class: "unstated" }, "? " + u.message));
    }
  }
  for (const miss of (c.expectations && c.expectations.failed) || []) {
    out.append(el("p", { class: "summary bad" }, `expectation not met (line ${miss.line}): ${miss.message}`));
  }
  // not checked is not an all-clear: a status or a fact the case does not state (c.complete false)
  const unsure = !bad && c.complete === false;
  out.prepend(el("p", { class: `summary ${bad ? "bad" : unsure ? "unsure" : "good"}` },
    `${c.title} (${c.jurisdiction}${c.as_of ? ", as of " + c.as_of : ""}): ` +
    (bad ? `${c.violations} violation${c.violations === 1 ? "" : "s"} found`
      : unsure ? "no violations among what the case states; some of it could not be checked (see \u201cNot checked\u201d and \u201c?\u201d)"
      : "no violations")));
  return out;
}

function renderErrors(errors, onLine) {
  const list = el("ul", { class: "errors" });
  for (const e of errors) {
    list.append(el("li", {}, el("button", { type: "button", class: "link",
      onclick: () => onLine([e.line], true, e.column) }, `line ${e.line}, column ${e.column}`),
      ": " + e.message + (e.hint ? ` (did you mean '${e.hint}'?)` : "") +
      (e.expected ? ` — expected: ${e.expected.join(", ")}` : "")));
  }
  return el("div", {}, el("p", { class: "summary bad" },
    `The case could not be read: ${errors.length} problem${errors.length === 1 ? "" : "s"}.`), list);
}

// ---- the standalone report: data embedded in the page -----------------------------------------
function renderReport(data) {
  const root = document.getElementById("report");
  data.cases.forEach((c, i) => {
    const rows = c.source.split("\n");
    const source = el("pre", { class: "source", tabindex: "0", "aria-label": `case file ${c.file}` });
    const lineNodes = rows.map((text, n) => el("span", { id: `c${i}-l${n + 1}` }, `${String(n + 1).padStart(4)}  ${text}\n`));
    source.append(...lineNodes);
    const onLine = (lines, jump) => {
      for (const node of lineNodes) node.classList.remove("hl");
      for (const l of lines) if (lineNodes[l - 1]) lineNodes[l - 1].classList.add("hl");
      if (jump && lineNodes[lines[0] - 1]) lineNodes[lines[0] - 1].scrollIntoView({ block: "center" });
    };
    root.append(el("h2", {}, c.file), renderCase(c, data.kinds, onLine),
                el("details", {}, el("summary", {}, "The case file"), source));
  });
}

// ---- the page: editor, examples, checks --------------------------------------------------------
function setupPage() {
  const text = document.getElementById("case");
  const backdrop = document.getElementById("backdrop");
  const results = document.getElementById("results");
  const status = document.getElementById("status");
  const picker = document.getElementById("jurisdiction");
  const examplePicker = document.getElementById("example");
  let examples = [], kinds = [], marked = new Map();

  function paintBackdrop() {
    backdrop.textContent = "";
    text.value.split("\n").forEach((row, n) => {
      const kind = marked.get(n + 1);
      backdrop.append(kind ? el("mark", { class: kind === "error" ? "error" : "" }, row + "\n") : row + "\n");
    });
    backdrop.scrollTop = text.scrollTop; backdrop.scrollLeft = text.scrollLeft;
  }
  function onLine(lines, jump, column = 1, kind = "line") {
    marked = new Map(lines.map(l => [l, kind]));
    paintBackdrop();
    if (jump && lines.length) {
      const rows = text.value.split("\n");
      const start = rows.slice(0, lines[0] - 1).reduce((n, r) => n + r.length + 1, 0) + column - 1;
      text.focus();
      text.setSelectionRange(start, start);
      const lineHeight = parseFloat(getComputedStyle(text).lineHeight);
      text.scrollTop = Math.max(0, (lines[0] - 4) * lineHeight);
    }
  }
  text.addEventListener("input", () => { marked = new Map(); paintBackdrop(); });
  text.addEventListener("scroll", paintBackdrop);

  function jurisdictionOf(source) {
    const m = /^\s*jurisdiction\s+([A-Za-z_]\w*)/m.exec(source);
    return m ? m[1] : null;
  }
  function fillExamples() {
    examplePicker.length = 1;
    for (const ex of examples.filter(e => jurisdictionOf(e.text) === picker.value)) {
      examplePicker.append(el("option", { value: ex.name }, ex.name));
    }
  }
  picker.addEventListener("change", () => {
    const line = `jurisdiction ${picker.value}`;
    text.value = jurisdictionOf(text.value) ? text.value.replace(/^(\s*)jurisdiction\s+\S+/m, `$1${line}`)
                                            : `${line}\n${text.value}`;
    fillExamples(); paintBackdrop();
  });
  examplePicker.addEventListener("change", () => {
    const ex = examples.find(e => e.name === examplePicker.value);
    if (ex) { text.value = ex.text; marked = new Map(); paintBackdrop(); }
  });

  async function post(path, body) {
    const response = await fetch(path, { method: "POST", headers: { "Content-Type": "application/json" },
                                         body: JSON.stringify(body) });
    return [response.status, await response.json()];
  }
  async function check() {
    status.textContent = "Checking…";
    const [code, data] = await post("/v1/check", { case: text.value, filename: "case.pos" });
    results.textContent = "";
    if (data.errors) {
      results.append(renderErrors(data.errors, (lines, jump, column) => onLine(lines, jump, column, "error")));
      marked = new Map(data.errors.map(e => [e.line, "error"])); paintBackdrop();
      status.textContent = "The case has input errors.";
    } else if (data.case) {
      results.append(renderCase(data.case, kinds, onLine));
      marked = new Map(); paintBackdrop();
      status.textContent = "Checked.";
    } else {
      results.append(el("p", { class: "summary bad" }, data.detail || data.policy_error || `error ${code}`));
      status.textContent = "The check failed.";
    }
  }
  document.getElementById("check").addEventListener("click", check);
  text.addEventListener("keydown", e => { if (e.key === "Enter" && (e.ctrlKey || e.metaKey)) { e.preventDefault(); check(); } });
  document.getElementById("whynot-form").addEventListener("submit", async e => {
    e.preventDefault();
    const query = document.getElementById("whynot").value;
    status.textContent = "Looking…";
    const [, data] = await post("/v1/why-not", { case: text.value, filename: "case.pos", finding: query });
    results.textContent = "";
    if (data.errors) results.append(renderErrors(data.errors, (l, j, c) => onLine(l, j, c, "error")));
    else results.append(el("pre", { class: "source" }, data.text || data.detail || JSON.stringify(data)));
    status.textContent = "";
  });

  Promise.all([fetch("/v1/meta").then(r => r.json()), fetch("/v1/examples").then(r => r.json())])
    .then(([meta, list]) => {
      kinds = meta.kinds; examples = list;
      for (const j of meta.jurisdictions) picker.append(el("option", { value: j }, j));
      const first = examples[0];
      if (first) { text.value = first.text; picker.value = jurisdictionOf(first.text) || picker.value; }
      fillExamples(); paintBackdrop();
    });
}

const embedded = document.getElementById("pos-data");
if (embedded) renderReport(JSON.parse(embedded.textContent));
else setupPage();
