(function () {
  "use strict";
  var root = document.getElementById(__TG_ROOT_ID__);
  var data = __TG_PRACTICE__;
  function find(cls) { return root.querySelector("." + cls); }
  var form = find("tg-practice-form"), input = find("tg-practice-input");
  var check = find("tg-practice-check"), reveal = find("tg-practice-reveal");
  var restart = find("tg-practice-restart"), hint = find("tg-practice-hint");
  var question = find("tg-practice-question"), score = find("tg-practice-score");
  var worked = find("tg-practice-worked"), logBody = root.querySelector(".tg-practice-attempts tbody");
  var logCount = find("tg-practice-log-count");
  var frames = root.querySelectorAll(".tg-practice-frame");
  var givenHtml = worked.innerHTML;
  var state;

  // ---- Reading an answer: the whitelist of teachgrad.expressions.number_value ----
  var FUNCTIONS = {
    sin: Math.sin, cos: Math.cos, tan: Math.tan, exp: Math.exp, log: Math.log, sqrt: Math.sqrt,
    square: function (x) { return x * x; }, abs: Math.abs, sinh: Math.sinh, cosh: Math.cosh,
    tanh: Math.tanh, atan: Math.atan, sigmoid: function (x) { return 1 / (1 + Math.exp(-x)); },
    relu: function (x) { return x > 0 ? x : 0; }, maximum: Math.max, minimum: Math.min
  };
  var NAMES = Object.keys(data.functions).join(", ");
  var NUMBER = /^(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?/, NAME = /^[A-Za-z_][A-Za-z_0-9]*/;

  function fail(message) { throw new Error(message); }

  function tokenize(text) {
    var tokens = [], i = 0, m;
    while (i < text.length) {
      var rest = text.slice(i), c = text[i];
      if (/\s/.test(c)) { i += 1; continue; }
      if ((m = NUMBER.exec(rest))) { tokens.push({t: "num", v: m[0], at: i}); i += m[0].length; continue; }
      if ((m = NAME.exec(rest))) { tokens.push({t: "name", v: m[0], at: i}); i += m[0].length; continue; }
      if (rest.slice(0, 2) === "**") { tokens.push({t: "**", at: i}); i += 2; continue; }
      if ("+-*/(),".indexOf(c) >= 0) { tokens.push({t: c, at: i}); i += 1; continue; }
      // Anything else stops the reading where the parser meets it, as Python's checks do.
      var why = "'" + c + "' is not allowed (column " + (i + 1) + "): only numbers, + - * / ** and parentheses";
      if (c === ".") why = "attribute access not allowed (column " + (i + 1) + ")";
      if (c === "'" || c === '"') why = "text in quotes is not a number";
      if (c === "=") why = "an assignment is not allowed here: only numbers and arithmetic on them";
      if ("^%&|<>@~[]{}".indexOf(c) >= 0) why = "operator '" + c + "' not allowed: use + - * / or **";
      tokens.push({t: "bad", v: why, at: i});
      break;
    }
    return tokens;
  }

  function stop(tok) { fail(tok.t === "bad" ? tok.v : "syntax error at column " + (tok.at + 1)); }

  function parse(text) {
    var tokens = tokenize(text), k = 0;
    function peek() { return tokens[k] || {t: "end", at: text.length}; }
    function take(t) {
      var tok = peek();
      if (tok.t !== t) { if (t === ")" && tok.t === "end") fail("a parenthesis is not closed"); stop(tok); }
      k += 1;
      return tok;
    }
    function sum() {
      var v = product();
      while (peek().t === "+" || peek().t === "-") { v = take(peek().t).t === "+" ? v + product() : v - product(); }
      return v;
    }
    function product() {
      var v = unary();
      while (peek().t === "*" || peek().t === "/") { v = take(peek().t).t === "*" ? v * unary() : v / unary(); }
      return v;
    }
    function unary() {
      if (peek().t === "-") { k += 1; return -unary(); }
      if (peek().t === "+") { k += 1; return unary(); }
      var base = atom();
      if (peek().t === "**") { k += 1; return Math.pow(base, unary()); }
      return base;
    }
    function atom() {
      var tok = peek();
      if (tok.t === "num") { k += 1; return parseFloat(tok.v); }
      if (tok.t === "(") { k += 1; var v = sum(); take(")"); return v; }
      if (tok.t === "name") {
        k += 1;
        if (peek().t !== "(") fail("the name '" + tok.v + "' is not allowed here: only numbers and arithmetic on them");
        if (!Object.prototype.hasOwnProperty.call(data.functions, tok.v)) fail("'" + tok.v + "' is not an allowed function: expected one of " + NAMES);
        k += 1;
        var args = [sum()];
        while (peek().t === ",") { k += 1; args.push(sum()); }
        take(")");
        if (args.length !== data.functions[tok.v]) fail(tok.v + "() takes " + data.functions[tok.v] + " argument(s), got " + args.length);
        return FUNCTIONS[tok.v].apply(null, args);
      }
      if (tok.t === "end") fail("the calculation ends too early");
      stop(tok);
    }
    var value = sum();
    if (peek().t !== "end") stop(peek());
    return value;
  }

  function normalise(text) {
    Object.keys(data.signs).forEach(function (s) { text = text.split(s).join(data.signs[s]); });
    return text.trim();
  }

  function digits(text) {   // [significant digits, half a unit of the last digit] of a plain number
    var m = /^[+-]?(\d*)\.?(\d*)(?:[eE]([+-]?\d+))?$/.exec(text);
    if (!m || !(m[1] + m[2])) return [null, null];
    var significant = (m[1] + m[2]).replace(/^0+/, "").length;
    var exponent = parseInt(m[3] || "0", 10) - m[2].length;
    return [significant, 0.5 * Math.pow(10, exponent)];
  }

  function read(raw) {
    if (raw.length > data.maxLength) fail("the answer is " + raw.length + " characters long: type a number or a short calculation (at most " + data.maxLength + " characters)");
    var text = normalise(raw);
    if (!text) fail("the answer is empty: type a number, like 5, or a calculation, like 1*2 + 1*3");
    var value = parse(text);
    if (!isFinite(value)) fail(text + " gives " + value + ", not a finite number");
    var d = digits(text);
    return {text: raw.trim(), value: value, digits: d[0], halfUnit: d[1]};
  }

  // ---- Judging it: the rules of teachgrad.practice.answers ----
  function close(x, target) { return Math.abs(x - target) <= data.relative * Math.abs(target) + data.absolute; }
  function roundsTo(a, target) {
    return a.halfUnit !== null && Math.abs(a.value - target) <= a.halfUnit * (1 + 1e-9) + data.absolute;
  }
  function matches(a, target) {
    return close(a.value, target) || (a.digits !== null && a.digits >= data.minDigits && roundsTo(a, target));
  }
  function fill(template, text) { return template.replace("{}", function () { return text; }); }
  function diagnose(ex, a) {
    for (var i = 0; i < ex.candidates.length; i++) {
      if (matches(a, ex.candidates[i][0])) return {kind: ex.candidates[i][1], hint: ex.candidates[i][2]};
    }
    if (roundsTo(a, ex.value)) return {kind: "round", hint: data.texts.round};
    return {kind: "unknown", hint: fill(data.texts.unknown, ex.fallback)};
  }

  // ---- The run: the step asked, the tries, the log ----
  function start() {
    state = {position: 0, wrong: data.steps.map(function () { return 0; }),
             outcome: data.steps.map(function () { return null; })};
    worked.innerHTML = givenHtml;
    logBody.textContent = "";
    logCount.textContent = "0";
    say("", "");
    show();
  }
  function current() { return data.steps[state.position]; }
  function say(kind, text) {
    hint.textContent = text;
    hint.setAttribute("data-kind", kind);
    hint.className = "tg-practice-hint" + (kind ? " tg-" + ({right: "right", invalid: "invalid", revealed: "revealed"}[kind] || "wrong") : "");
  }
  function log(typed, right, kind) {
    var ex = current(), row = document.createElement("tr");
    var cells = [new Date().toLocaleTimeString(), String(ex.step), ex.question.split(" = ")[0],
                 typed === null ? "(revealed)" : typed, (right ? "✓ " : "") + kind];
    cells.forEach(function (text) { var td = document.createElement("td"); td.textContent = text; row.appendChild(td); });
    logBody.appendChild(row);
    logCount.textContent = String(logBody.children.length);
  }
  function finish(outcome, text) {
    state.outcome[state.position] = outcome;
    var li = document.createElement("li");
    li.textContent = text + (outcome === "revealed" ? " (shown)" : "");
    if (outcome === "revealed") li.className = "tg-shown";
    worked.appendChild(li);
    state.position += 1;
    input.value = "";
    show();
  }
  function onCheck() {
    var ex = current();
    if (!ex) return;
    var a;
    try { a = read(input.value); } catch (error) {
      var message = fill(data.texts.invalid, error.message);
      log(input.value.length > 60 ? input.value.slice(0, 57) + "…" : input.value, false, "invalid");
      say("invalid", message);
      return;
    }
    if (matches(a, ex.value)) {
      log(a.text, true, "right");
      say("right", fill(data.texts.right, ex.worked));
      finish(state.wrong[state.position] ? "later" : "first", ex.worked);
      return;
    }
    var found = diagnose(ex, a);
    state.wrong[state.position] += 1;
    var text = found.hint + (state.wrong[state.position] >= data.tries ? data.texts.offer : "");
    log(a.text, false, found.kind);
    say(found.kind, text);
    show();
  }
  function onReveal() {
    var ex = current();
    if (!ex) return;
    log(null, false, "revealed");
    say("revealed", fill(data.texts.revealed, ex.worked));
    finish("revealed", ex.worked);
  }
  function show() {
    var n = data.steps.length, done = state.position >= n;
    for (var i = 0; i < frames.length; i++) { frames[i].style.display = i === state.position ? "" : "none"; }
    var right = 0, asked = 0;
    for (var j = 0; j < n; j++) {
      if (state.outcome[j] === "first") right += 1;
      if (state.outcome[j] !== null || state.wrong[j] > 0) asked += 1;
    }
    score.textContent = right + " of " + asked + " right at the first try";
    root.setAttribute("data-right", String(right));
    root.setAttribute("data-asked", String(asked));
    root.setAttribute("data-done", done ? "true" : "false");
    if (done) {
      root.setAttribute("data-step", String(data.nSteps));
      question.textContent = "All steps done: " + right + " of " + n + " right at the first try.";
    } else {
      root.setAttribute("data-step", String(current().step));
      question.textContent = "step " + current().step + " of " + data.nSteps + ": " + current().question;
    }
    input.disabled = check.disabled = done;
    reveal.hidden = done || state.wrong[state.position] < data.tries;
  }

  form.addEventListener("submit", function (event) { event.preventDefault(); onCheck(); });
  reveal.addEventListener("click", onReveal);
  restart.addEventListener("click", start);
  start();
})();
