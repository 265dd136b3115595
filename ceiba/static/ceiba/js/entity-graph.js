// The graph of an entity's links (entity detail page). Loads its nodes and edges from the page's
// graph endpoint (data-graph-url), which returns only entities the user may see, and draws them with
// the vendored Cytoscape.js. No inline script: the site's CSP forbids it.
(function () {
  "use strict";
  const COLOURS = {
    Person: "#1f6f8b",
    Organization: "#b5542d",
    Company: "#8a5a00",
    LegalEntity: "#8a5a00",
    Vessel: "#2e7d32",
    Vehicle: "#2e7d32",
    Airplane: "#2e7d32",
    Address: "#6a1b9a",
    BankAccount: "#455a64",
    UserAccount: "#455a64",
  };

  function draw(container, graph) {
    const elements = graph.nodes.concat(graph.edges);
    const cy = window.cytoscape({
      container: container,
      elements: elements,
      wheelSensitivity: 0.3,
      style: [
        {
          selector: "node",
          style: {
            label: "data(label)",
            "background-color": function (node) {
              return COLOURS[node.data("schema")] || "#555";
            },
            color: "#222",
            "font-size": 11,
            "text-valign": "bottom",
            "text-margin-y": 4,
            "text-wrap": "ellipsis",
            "text-max-width": 140,
            width: 22,
            height: 22,
          },
        },
        { selector: "node[?center]", style: { width: 34, height: 34, "border-width": 3, "border-color": "#000" } },
        {
          selector: "edge",
          style: {
            label: "data(label)",
            "font-size": 9,
            color: "#444",
            width: 2,
            "line-color": "#999",
            "target-arrow-color": "#999",
            "target-arrow-shape": "triangle",
            "curve-style": "bezier",
            "text-rotation": "autorotate",
          },
        },
      ],
      layout: { name: elements.length > 2 ? "cose" : "grid", animate: false, padding: 30 },
    });
    cy.on("tap", "node", function (event) {
      const url = event.target.data("url");
      if (url && !event.target.data("center")) {
        window.location.assign(url);
      }
    });
    container.dataset.rendered = "true";
    container.dataset.nodes = String(graph.nodes.length);
    container.dataset.edges = String(graph.edges.length);
  }

  function start() {
    const container = document.getElementById("entity-graph");
    if (!container || !window.cytoscape) {
      return;
    }
    fetch(container.dataset.graphUrl, { credentials: "same-origin", headers: { Accept: "application/json" } })
      .then(function (response) {
        if (!response.ok) {
          throw new Error(response.statusText);
        }
        return response.json();
      })
      .then(function (graph) {
        draw(container, graph);
      })
      .catch(function () {
        container.dataset.rendered = "error";
      });
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", start);
  } else {
    start();
  }
})();
