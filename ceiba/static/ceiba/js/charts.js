// Charts of the observatory and the assessment report: Vega-Lite specs from
// <script type="application/json"> blocks inside [data-chart] figures, drawn into their
// [data-chart-canvas] when the figure scrolls into view. The chart libraries (about 850 kB) load only
// then, from the platform itself (no CDN), at the addresses of the page's [data-chart-libraries]
// element; expressions run through vega-interpreter, so the page's CSP needs no 'unsafe-eval'. The
// table beside each chart shows the same figures, so every page reads without JavaScript.
(function () {
  "use strict";
  var loading = null;

  function loadScript(src) {
    return new Promise(function (resolve, reject) {
      var script = document.createElement("script");
      script.src = src;
      script.onload = resolve;
      script.onerror = function () { reject(new Error("Could not load " + src)); };
      document.head.appendChild(script);
    });
  }

  function loadLibraries() {
    if (loading) { return loading; }
    var assets = document.querySelector("[data-chart-libraries]");
    if (!assets) { return Promise.reject(new Error("chart libraries not declared")); }
    var d = assets.dataset;
    // Order matters: vega-lite and vega-embed expect the global `vega`; the interpreter reads vega-util from it.
    loading = loadScript(d.vega)
      .then(function () { return loadScript(d.vegaLite); })
      .then(function () { return loadScript(d.vegaInterpreter); })
      .then(function () { return loadScript(d.vegaEmbed); });
    return loading;
  }

  function render(figure) {
    var specNode = figure.querySelector("script[type='application/json']");
    var canvas = figure.querySelector("[data-chart-canvas]");
    if (!specNode || !canvas || figure.dataset.rendered) { return; }
    figure.dataset.rendered = "1";
    var spec = JSON.parse(specNode.textContent);
    loadLibraries().then(function () {
      canvas.textContent = "";
      return window.vegaEmbed(canvas, spec, {
        ast: true,
        expr: window.vegaInterpreter.expressionInterpreter,
        actions: false,
        renderer: "svg",
        defaultStyle: false,
        tooltip: { disableDefaultStyle: true }
      });
    }).then(function () {
      figure.dataset.drawn = "1";
    }).catch(function (error) {
      canvas.textContent = figure.dataset.errorText || "The chart could not be drawn.";
      if (window.console) { window.console.error(error); }
    });
  }

  document.addEventListener("DOMContentLoaded", function () {
    var figures = document.querySelectorAll("[data-chart]");
    if (!("IntersectionObserver" in window)) {
      figures.forEach(render);
      return;
    }
    var observer = new IntersectionObserver(function (entries) {
      entries.forEach(function (entry) {
        if (entry.isIntersecting) {
          observer.unobserve(entry.target);
          render(entry.target);
        }
      });
    }, { rootMargin: "300px" });
    figures.forEach(function (figure) { observer.observe(figure); });
  });
})();
