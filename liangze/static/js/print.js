// The print view's 打印 button: the browser's own print dialog, with the print stylesheet.
document.querySelectorAll("[data-print]").forEach((button) => {
  button.addEventListener("click", () => window.print());
});
