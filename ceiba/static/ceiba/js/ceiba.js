// Small progressive enhancements; every page works without JavaScript.
(function () {
  "use strict";
  document.addEventListener("change", function (event) {
    var target = event.target;
    if (target instanceof HTMLSelectElement && target.hasAttribute("data-autosubmit") && target.form) {
      target.form.submit();
    }
  });
  document.addEventListener("DOMContentLoaded", function () {
    // The language form keeps its button for keyboard and no-JS users; with JS the select submits itself.
    document.querySelectorAll("select[data-autosubmit]").forEach(function (select) {
      var button = select.form && select.form.querySelector("button[type=submit]");
      if (button) { button.classList.add("visually-hidden"); }
    });
    // htmx sends the CSRF token with every request it makes.
    document.body.addEventListener("htmx:configRequest", function (event) {
      var match = document.cookie.match(/(?:^|;\s*)(?:__Host-)?csrftoken=([^;]+)/);
      if (match) { event.detail.headers["X-CSRFToken"] = match[1]; }
    });
  });
})();
