// The phone menu: one button opens and closes the site's menu (site.css hides it below 720px once this runs).
(function () {
  var button = document.querySelector(".nav-toggle");
  if (!button) return;
  document.documentElement.classList.add("js-nav");
  button.addEventListener("click", function () {
    button.setAttribute("aria-expanded", button.getAttribute("aria-expanded") === "true" ? "false" : "true");
  });
})();
