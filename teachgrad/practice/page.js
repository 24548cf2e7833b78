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

  // ---- Reading an answer: the grammar of teachgrad.practice.answers (data.grammar) ----
  // Every function an expression may call, computed as teachgrad's ops compute them.
  function pow(a, b) {   // C's pow, as NumPy's: 1 to any power, and (-1) to ±∞, are 1
    if (a === 1 || (a === -1 && (b === Infinity || b === -Infinity))) return 1;
    return Math.pow(a, b);
  }
  var FUNCTIONS = {
    sin: Math.sin, cos: Math.cos, tan: Math.tan, exp: Math.exp, log: Math.log, sqrt: Math.sqrt,
    square: function (x) { return x * x; }, abs: Math.abs, sinh: Math.sinh, cosh: Math.cosh,
    tanh: Math.tanh, atan: Math.atan,
    sigmoid: function (x) { return 0.5 * (Math.tanh(0.5 * x) + 1); },
    relu: function (x) { return Math.max(x, 0); }, maximum: Math.max, minimum: Math.min,
    log1p: Math.log1p,
    softplus: function (x) { return Math.max(x, 0) + Math.log1p(Math.exp(-Math.abs(x))); },
    expm1: Math.expm1, rsqrt: function (x) { return 1 / Math.sqrt(x); },
    reciprocal: function (x) { return 1 / x; },
    elu: function (x) { return x > 0 ? x : Math.expm1(Math.min(x, 0)); },
    selu: function (x) {
      return 1.0507009873554804934193349852946
        * (x > 0 ? x : 1.6732632423543772848170429916717 * Math.expm1(Math.min(x, 0)));
    },
    relu6: function (x) { return Math.min(Math.max(x, 0), 6); },
    softsign: function (x) { return x / (1 + Math.abs(x)); }
  };
  var G = data.grammar;
  var NAMES = Object.keys(data.functions).join(", ");
  var NUMBER = new RegExp("^" + G.number), NAME = new RegExp("^" + G.name);
  var PLAIN = new RegExp("^[+-]?" + G.number + "$");
  var WHY = {".": "attribute access not allowed", "'": "text in quotes is not a number",
             '"': "text in quotes is not a number",
             "=": "an assignment is not allowed here: only numbers and arithmetic on them"};

  function fail(message) { throw new Error(message); }
  function shorten(text, limit) { return text.length <= limit ? text : text.slice(0, limit - 1) + "…"; }

  function refusal(text, i) {   // why the character at i is not in the grammar
    var c = text[i];
    if (Object.prototype.hasOwnProperty.call(WHY, c)) return c === "." ? WHY[c] + " (column " + (i + 1) + ")" : WHY[c];
    if ("^%&|<>@~[]{}".indexOf(c) >= 0) return "operator '" + c + "' not allowed: use + - * / or **";
    var shown = /[\s\x00-\x1f\x7f-\x9f]/.test(c) ? "U+" + ("000" + c.charCodeAt(0).toString(16).toUpperCase()).slice(-4) : c;
    return "'" + shown + "' is not allowed (column " + (i + 1) + "): only numbers, + - * / ** and parentheses";
  }

  function tokenize(text) {
    var tokens = [], i = 0, m, letters;
    while (i < text.length) {
      var rest = text.slice(i), c = text[i];
      if (G.space.indexOf(c) >= 0) { i += 1; continue; }
      if ((m = NUMBER.exec(rest))) {
        if ((letters = NAME.exec(rest.slice(m[0].length)))) {
          tokens.push({t: "bad", at: i, v: "the number " + m[0] + " runs into the letters " + shorten(letters[0], 20) +
                       " (column " + (i + m[0].length + 1) + "): write numbers with digits, a point and an exponent only, like 16, 1000 or 1.5e3"});
          break;
        }
        tokens.push({t: "num", v: m[0], at: i}); i += m[0].length; continue;
      }
      if ((m = NAME.exec(rest))) { tokens.push({t: "name", v: m[0], at: i}); i += m[0].length; continue; }
      if (rest.slice(0, 2) === "**") { tokens.push({t: "**", at: i}); i += 2; continue; }
      if (G.operators.indexOf(c) >= 0) { tokens.push({t: c, at: i}); i += 1; continue; }
      // Anything else stops the reading where the parser meets it.
      tokens.push({t: "bad", v: refusal(text, i), at: i});
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
      if (peek().t === "**") { k += 1; return pow(base, unary()); }
      return base;
    }
    function atom() {
      var tok = peek();
      if (tok.t === "num") { k += 1; return parseFloat(tok.v); }
      if (tok.t === "(") { k += 1; var v = sum(); take(")"); return v; }
      if (tok.t === "name") {
        k += 1;
        var shown = shorten(tok.v, 40);
        if (peek().t !== "(") {
          if (Object.prototype.hasOwnProperty.call(data.functions, tok.v)) fail("'" + shown + "' is a function: call it, e.g. " + shown + "(2)");
          fail("the name '" + shown + "' is not allowed here: only numbers and arithmetic on them");
        }
        if (!Object.prototype.hasOwnProperty.call(data.functions, tok.v)) fail("'" + shown + "' is not an allowed function: expected one of " + NAMES);
        k += 1;
        var args = [sum()];
        while (peek().t === ",") { k += 1; if (peek().t === ")") break; args.push(sum()); }   // f(1,) as in Python
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

  function trim(text) {
    var i = 0, j = text.length;
    while (i < j && G.trim.indexOf(text[i]) >= 0) i += 1;
    while (j > i && G.trim.indexOf(text[j - 1]) >= 0) j -= 1;
    return text.slice(i, j);
  }

  function normalise(text) {
    Object.keys(data.signs).forEach(function (s) { text = text.split(s).join(data.signs[s]); });
    return trim(text);
  }

  function digits(text) {   // [significant digits, half a unit of the last digit] of a plain number
    if (!PLAIN.test(text)) return [null, null];
    var body = text.replace(/^[+-]/, "").toLowerCase(), e = body.indexOf("e");
    var mantissa = e < 0 ? body : body.slice(0, e), exponent = e < 0 ? 0 : parseInt(body.slice(e + 1), 10);
    var dot = mantissa.indexOf("."), fraction = dot < 0 ? "" : mantissa.slice(dot + 1);
    var significant = mantissa.replace(".", "").replace(/^0+/, "").length;
    var power = exponent - fraction.length - 1;   // the half unit read from text, as Python reads it
    return [significant, power > 400 ? Infinity : power < -400 ? 0 : parseFloat("5e" + power)];
  }

  function read(raw) {
    if (raw.length > data.maxLength) fail("the answer is " + raw.length + " characters long: type a number or a short calculation (at most " + data.maxLength + " characters)");
    var text = normalise(raw);
    if (!text) fail("the answer is empty: type a number, like 5, or a calculation, like 1*2 + 1*3");
    var value = parse(text);
    if (!isFinite(value)) fail(shorten(text, 60) + " gives " + value + ", not a finite number");
    var d = digits(text);
    return {text: trim(raw), value: value, digits: d[0], halfUnit: d[1]};
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
  // What an answer gets at the step asked, without counting it (the checks below, and
  // root.tgPractice.judge for scripts and tests).
  function judge(typed) {
    var ex = current(), a;
    try { a = read(typed); } catch (error) {
      return {kind: "invalid", hint: fill(data.texts.invalid, error.message), answer: null};
    }
    if (matches(a, ex.value)) return {kind: "right", hint: fill(data.texts.right, ex.worked), answer: a};
    var found = diagnose(ex, a);
    return {kind: found.kind, hint: found.hint, answer: a};
  }
  function onCheck() {
    var ex = current();
    if (!ex) return;
    var typed = input.value, verdict = judge(typed), a = verdict.answer;
    if (verdict.kind === "invalid") {
      log(typed.length > 60 ? typed.slice(0, 57) + "…" : typed, false, "invalid");
      say("invalid", verdict.hint);
      return;
    }
    if (verdict.kind === "right") {
      log(a.text, true, "right");
      say("right", verdict.hint);
      finish(state.wrong[state.position] ? "later" : "first", ex.worked);
      return;
    }
    state.wrong[state.position] += 1;
    var text = verdict.hint + (state.wrong[state.position] >= data.tries ? data.texts.offer : "");
    log(a.text, false, verdict.kind);
    say(verdict.kind, text);
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
  root.tgPractice = {judge: judge, read: read};
  start();
})();
