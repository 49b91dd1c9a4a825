// The lesson editor in the admin (courses/editor.py): shows the text as patients will see
// it while the therapist types, and places an uploaded image at the cursor.
(function () {
  "use strict";

  function csrfToken() {
    const field = document.querySelector("input[name=csrfmiddlewaretoken]");
    return field ? field.value : "";
  }

  function setupPreview(preview) {
    const textarea = document.getElementById(preview.dataset.source);
    if (!textarea) {
      return;
    }
    const warnings = preview.parentElement.querySelector("[data-preview-warnings]");
    let timer = null;
    let lastSent = null;

    function showWarnings(list) {
      warnings.replaceChildren();
      (list || []).forEach(function (text) {
        const item = document.createElement("li");
        item.textContent = text;
        warnings.append(item);
      });
      warnings.hidden = !warnings.children.length;
    }

    async function refresh() {
      if (textarea.value === lastSent) {
        return;
      }
      lastSent = textarea.value;
      const body = new URLSearchParams({ body: textarea.value, lesson: preview.dataset.lesson });
      try {
        const response = await fetch(preview.dataset.previewUrl, {
          method: "POST",
          headers: { "X-CSRFToken": csrfToken() },
          body: body,
          credentials: "same-origin",
        });
        const data = await response.json();
        // The server sanitises the HTML with nh3 before it is sent back.
        preview.innerHTML = data.html !== undefined ? data.html : "";
        showWarnings(data.error ? [data.error] : data.warnings);
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

  // Writes the image's token at the cursor, on a line of its own (then it is a figure).
  function place(button) {
    const textarea = document.getElementById(button.dataset.target);
    if (!textarea) {
      return;
    }
    const token = button.dataset.imageToken;
    const start = textarea.selectionStart;
    const end = textarea.selectionEnd;
    const before = textarea.value.slice(0, start);
    const after = textarea.value.slice(end);
    const lead = before === "" || before.endsWith("\n\n") ? "" : before.endsWith("\n") ? "\n" : "\n\n";
    const tail = after === "" || after.startsWith("\n\n") ? "" : after.startsWith("\n") ? "\n" : "\n\n";
    const inserted = lead + token + tail;
    textarea.focus();
    textarea.setRangeText(inserted, start, end, "end");
    const cursor = start + lead.length + token.length;
    textarea.setSelectionRange(cursor, cursor);
    textarea.dispatchEvent(new Event("input", { bubbles: true }));
  }

  function setup() {
    document.querySelectorAll("[data-markdown-preview]").forEach(setupPreview);
    document.addEventListener("click", function (event) {
      const button = event.target.closest("[data-image-token]");
      if (button) {
        event.preventDefault();
        place(button);
      }
    });
  }

  document.addEventListener("DOMContentLoaded", setup);
})();
