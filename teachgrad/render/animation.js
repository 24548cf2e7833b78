(function () {
  var root = document.getElementById(__TG_ROOT_ID__);
  var texts = __TG_STEP_TEXTS__;
  var frames = root.querySelectorAll(".tg-frame");
  var slider = root.querySelector(".tg-slider");
  var play = root.querySelector(".tg-play");
  var text = root.querySelector(".tg-step-text");
  var counter = root.querySelector(".tg-counter");
  var speed = root.querySelector(".tg-speed");
  var last = frames.length - 1, current = -1, timer = null;
  function show(k) {
    k = Math.max(0, Math.min(last, k));
    for (var i = 0; i < frames.length; i++) { frames[i].style.display = i === k ? "" : "none"; }
    current = k;
    root.setAttribute("data-step", String(k));
    slider.value = String(k);
    text.textContent = texts[k];
    counter.textContent = "step " + k + " / " + last;
  }
  function stop() {
    if (timer !== null) { clearInterval(timer); timer = null; }
    play.textContent = "\u25B6 Play";
    root.setAttribute("data-playing", "false");
  }
  function tick() { if (current >= last) { stop(); } else { show(current + 1); } }
  function start() {
    if (current >= last) { show(0); }
    stop();
    timer = setInterval(tick, 1000 / parseFloat(speed.value));
    play.textContent = "\u2016 Pause";
    root.setAttribute("data-playing", "true");
  }
  play.addEventListener("click", function () { if (timer === null) { start(); } else { stop(); } });
  function on(cls, go) {
    root.querySelector(cls).addEventListener("click", function () { stop(); show(go()); });
  }
  on(".tg-prev", function () { return current - 1; });
  on(".tg-next", function () { return current + 1; });
  on(".tg-first", function () { return 0; });
  on(".tg-last", function () { return last; });
  slider.addEventListener("input", function () { stop(); show(parseInt(slider.value, 10)); });
  speed.addEventListener("change", function () { if (timer !== null) { start(); } });
  root.addEventListener("keydown", function (event) {
    if (event.target === slider) { return; }
    if (event.key === "ArrowRight") { stop(); show(current + 1); event.preventDefault(); }
    if (event.key === "ArrowLeft") { stop(); show(current - 1); event.preventDefault(); }
    if (event.key === " ") { play.click(); event.preventDefault(); }
  });
  show(__TG_START__);
})();
