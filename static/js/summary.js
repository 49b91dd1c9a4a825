// The summary page (templates/therapy/summary.html): its Print button opens the print window.
document.getElementById("summary-print")?.addEventListener("click", () => window.print());
