/* Booking pages: small progressive enhancements; every page works without this file. */
(function () {
  "use strict";
  document.addEventListener("DOMContentLoaded", function () {
    // NIK field: digits only, and marked invalid until it has 16 of them.
    Array.prototype.forEach.call(document.querySelectorAll("input[data-nik]"), function (input) {
      input.addEventListener("input", function () {
        input.value = input.value.replace(/\D/g, "").slice(0, 16);
        input.setAttribute("aria-invalid", input.value.length === 16 ? "false" : "true");
      });
    });
    // Ask before cancelling an appointment.
    Array.prototype.forEach.call(document.querySelectorAll("form[data-confirm]"), function (form) {
      form.addEventListener("submit", function (event) {
        if (!window.confirm(form.getAttribute("data-confirm"))) { event.preventDefault(); }
      });
    });
  });
}());
