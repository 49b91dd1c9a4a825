// Shows the lesson text as patients will see it, while the therapist types.
(function () {
  "use strict";

  function csrfToken() {
    const field = document.querySelector("input[name=csrfmiddlewaretoken]");
    return field ? field.value : "";
  }

  function setup() {
    const textarea = document.getElementById("id_body");
    if (!textarea) {
      return;
    }
    const url = window.location.pathname.replace(/\/(add|\d+\/change)\/?$/, "/markdown-preview/");
    const label = document.createElement("p");
    label.className = "markdown-preview-label";
    label.id = "markdown-preview-label";
    label.textContent = textarea.dataset.previewLabel || "Preview / Voorbeeld";
    const preview = document.createElement("div");
    preview.className = "markdown-preview";
    preview.setAttribute("role", "region");
    preview.setAttribute("aria-labelledby", label.id);
    preview.setAttribute("aria-live", "polite");
    textarea.after(label, preview);

    let timer = null;
    let lastSent = null;
    async function refresh() {
      if (textarea.value === lastSent) {
        return;
      }
      lastSent = textarea.value;
      const body = new URLSearchParams({ body: textarea.value });
      try {
        const response = await fetch(url, {
          method: "POST",
          headers: { "X-CSRFToken": csrfToken() },
          body: body,
          credentials: "same-origin",
        });
        const data = await response.json();
        // The server sanitises the HTML with nh3 before it is sent back.
        preview.innerHTML = data.html !== undefined ? data.html : "";
      } catch (error) {
        preview.textContent = "…";
      }
    }
    textarea.addEventListener("input", function () {
      window.clearTimeout(timer);
      timer = window.setTimeout(refresh, 400);
    });
    refresh();
  }

  document.addEventListener("DOMContentLoaded", setup);
})();
