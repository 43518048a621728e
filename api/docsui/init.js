// Starts Swagger UI on the docs page (a file, not an inline script, so that
// the page's Content-Security-Policy allows scripts from this server only).
(function () {
  var url = document.currentScript.dataset.url;
  window.addEventListener('load', function () {
    window.ui = SwaggerUIBundle({ url: url, dom_id: '#swagger-ui', deepLinking: true });
  });
})();
