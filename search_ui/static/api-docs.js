/* Starts Swagger UI on /api/docs from the packaged bundle (kept out of the page: the
   Content-Security-Policy allows no inline script). */
(function () {
  "use strict";
  var root = document.getElementById("swagger-ui");
  window.SwaggerUIBundle({ url: root.getAttribute("data-openapi"), dom_id: "#swagger-ui" });
})();
