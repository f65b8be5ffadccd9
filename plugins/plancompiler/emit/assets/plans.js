/* The plans plugin in the browser: graphs that stay legible, opened full size with pan and
 * zoom, and tables that sort and filter. Without JavaScript the pages read the same, less
 * these controls.
 *
 * Loaded as a classic script at the end of a page's content, after Mermaid and before
 * mkdocs-material's bundle, which renders each `pre.mermaid` into a closed shadow root.
 */
(function () {
  "use strict";

  // A diagram is shrunk to fit the page's column, but never below this share of its
  // natural size (Mermaid's labels are 16 px: 12 px at the smallest); a wider diagram
  // scrolls sideways in its box instead, and opens full size.
  var SMALLEST = 0.75;

  function legible(svg) {
    return svg.replace(/^(<svg[^>]*?style="[^"]*?)max-width:\s*([0-9.]+)px;?/, function (all, head, width) {
      var least = Math.ceil(parseFloat(width) * SMALLEST);
      return head + "max-width: " + width + "px; min-width: " + least + "px;";
    });
  }

  var mermaid = window.mermaid;
  if (mermaid && typeof mermaid.render === "function" && !mermaid.plansLegible) {
    var render = mermaid.render;
    mermaid.render = function () {
      return render.apply(mermaid, arguments).then(function (out) {
        if (out && typeof out.svg === "string") out.svg = legible(out.svg);
        return out;
      });
    };
    mermaid.plansLegible = true;
  }

  // -- graphs, full size ---------------------------------------------------------------------

  var sources = new WeakMap();
  var rendered = 0;

  function prepareGraphs() {
    var blocks = document.querySelectorAll("article pre.mermaid");
    for (var i = 0; i < blocks.length; i++) {
      var pre = blocks[i];
      var box = pre.parentElement;
      if (!box.classList.contains("plans-graph")) {
        // A diagram the author wrote: give it the same box as the plugin's own.
        box = document.createElement("div");
        box.className = "plans-graph";
        pre.parentElement.insertBefore(box, pre);
        box.appendChild(pre);
      }
      if (sources.has(box)) continue;
      sources.set(box, pre.textContent);
      var open = document.createElement("button");
      open.type = "button";
      open.className = "plans-graph-open";
      open.textContent = "Open full size";
      open.title = "Open this graph full size, to pan and zoom";
      open.addEventListener("click", openGraph.bind(null, box));
      var bar = document.createElement("div");
      bar.className = "plans-graph-bar";
      bar.appendChild(open);
      box.insertBefore(bar, box.firstChild);
      watchWidth(box, bar);
    }
  }

  // Once mkdocs-material has drawn the diagram, say so when it is wider than its box.
  function watchWidth(box, bar) {
    var check = function () {
      var drawn = box.querySelector("div.mermaid");
      if (!drawn) return false;
      requestAnimationFrame(function () {
        if (drawn.scrollWidth > drawn.clientWidth + 2 && !box.querySelector(".plans-graph-wider")) {
          var note = document.createElement("span");
          note.className = "plans-graph-wider";
          note.textContent = "Wider than the page: scroll it sideways, or open it full size.";
          bar.insertBefore(note, bar.firstChild);
        }
      });
      return true;
    };
    if (check()) return;
    var watcher = new MutationObserver(function () {
      if (check()) watcher.disconnect();
    });
    watcher.observe(box, { childList: true });
  }

  var dialog = null;

  function makeDialog() {
    dialog = document.createElement("dialog");
    dialog.className = "plans-graph-dialog";
    dialog.setAttribute("aria-label", "Graph, full size");
    var bar = document.createElement("div");
    bar.className = "plans-graph-toolbar";
    var buttons = [
      ["in", "Zoom in", "+"],
      ["out", "Zoom out", "\u2212"],
      ["fit", "Fit the graph to the window", "Fit"],
      ["reset", "Natural size", "100%"],
      ["close", "Close (Esc)", "Close"],
    ];
    buttons.forEach(function (b) {
      var button = document.createElement("button");
      button.type = "button";
      button.dataset.action = b[0];
      button.title = b[1];
      button.textContent = b[2];
      bar.appendChild(button);
    });
    var hint = document.createElement("span");
    hint.className = "plans-graph-hint";
    hint.textContent = "Drag to pan, wheel or pinch to zoom";
    bar.appendChild(hint);
    var stage = document.createElement("div");
    stage.className = "plans-graph-stage";
    var canvas = document.createElement("div");
    canvas.className = "plans-graph-canvas";
    stage.appendChild(canvas);
    dialog.appendChild(bar);
    dialog.appendChild(stage);
    document.body.appendChild(dialog);
    dialog.addEventListener("close", function () {
      if (dialog.panzoom) dialog.panzoom.destroy();
      dialog.panzoom = null;
      canvas.textContent = "";
    });
    bar.addEventListener("click", function (event) {
      var action = event.target.dataset && event.target.dataset.action;
      var pz = dialog.panzoom;
      if (action === "close") dialog.close();
      else if (pz && action === "in") pz.zoomIn();
      else if (pz && action === "out") pz.zoomOut();
      else if (pz && action === "reset") place(1);
      else if (pz && action === "fit") place(fitScale());
    });
    dialog.addEventListener("keydown", function (event) {
      var pz = dialog.panzoom;
      if (!pz || event.target.tagName === "INPUT") return;
      if (event.key === "+" || event.key === "=") pz.zoomIn();
      else if (event.key === "-") pz.zoomOut();
      else if (event.key === "0") place(1);
    });
    stage.addEventListener("wheel", function (event) {
      if (dialog.panzoom) dialog.panzoom.zoomWithWheel(event);
    });
    return dialog;
  }

  function fitScale() {
    var stage = dialog.querySelector(".plans-graph-stage");
    var svg = dialog.querySelector(".plans-graph-canvas svg");
    if (!svg) return 1;
    var width = parseFloat(svg.getAttribute("width")) || 1;
    var height = parseFloat(svg.getAttribute("height")) || 1;
    return Math.min(1, (stage.clientWidth - 32) / width, (stage.clientHeight - 32) / height);
  }

  // Scale, with the graph's top left corner at the stage's (a graph at its natural size
  // starts where it starts, as on the page).
  function place(scale) {
    var pz = dialog.panzoom;
    pz.zoom(scale, { animate: false });
    setTimeout(function () {
      pz.pan(16 / scale, 16 / scale, { animate: false });
    });
  }

  function openGraph(box) {
    if (!window.mermaid) return;
    if (!dialog) makeDialog();
    var canvas = dialog.querySelector(".plans-graph-canvas");
    canvas.textContent = "";
    dialog.showModal();
    dialog.querySelector('[data-action="close"]').focus();
    window.mermaid.render("plans-full-" + rendered++, sources.get(box)).then(function (out) {
      canvas.innerHTML = out.svg;
      var svg = canvas.querySelector("svg");
      var view = svg.viewBox && svg.viewBox.baseVal;
      if (view && view.width) {
        // Its natural size: neither stretched to the window nor held to a least width.
        svg.setAttribute("width", String(view.width));
        svg.setAttribute("height", String(view.height));
        svg.style.maxWidth = "none";
        svg.style.minWidth = "0";
      }
      if (typeof window.Panzoom === "function") {
        dialog.panzoom = window.Panzoom(canvas, {
          canvas: true,
          maxScale: 8,
          minScale: 0.05,
          startScale: 1,
          startX: 16,
          startY: 16,
          origin: "0 0",
        });
      }
      dialog.dataset.ready = "true";
    });
  }

  // -- tables --------------------------------------------------------------------------------

  function cellValue(cell) {
    if (!cell) return "";
    return cell.hasAttribute("data-sort") ? cell.getAttribute("data-sort") : cell.textContent.trim();
  }

  var collator = new Intl.Collator(undefined, { numeric: true, sensitivity: "base" });

  function compare(a, b) {
    var x = Number(a);
    var y = Number(b);
    if (a !== "" && b !== "" && !isNaN(x) && !isNaN(y)) return x - y;
    return collator.compare(a, b);
  }

  function prepareTable(box) {
    var table = box.querySelector("table");
    if (!table || table.dataset.plansReady) return;
    table.dataset.plansReady = "true";
    var body = table.tBodies[0];
    var heads = table.tHead ? table.tHead.rows[0].cells : [];
    var rows = Array.prototype.slice.call(body.rows);
    var original = rows.slice();
    var titles = Array.prototype.map.call(heads, function (th) {
      return th.textContent.trim();
    });
    if (box.hasAttribute("data-plans-sort")) {
      Array.prototype.forEach.call(heads, function (th, column) {
        var button = document.createElement("button");
        button.type = "button";
        button.className = "plans-sort";
        button.textContent = th.textContent;
        button.title = "Sort by " + titles[column];
        th.textContent = "";
        th.appendChild(button);
        th.setAttribute("aria-sort", "none");
        button.addEventListener("click", function () {
          var ascending = th.getAttribute("aria-sort") !== "ascending";
          Array.prototype.forEach.call(heads, function (other) {
            other.setAttribute("aria-sort", "none");
          });
          th.setAttribute("aria-sort", ascending ? "ascending" : "descending");
          var order = original.slice().sort(function (p, q) {
            var result = compare(cellValue(p.cells[column]), cellValue(q.cells[column]));
            return (ascending ? result : -result) || original.indexOf(p) - original.indexOf(q);
          });
          order.forEach(function (row) {
            body.appendChild(row);
          });
        });
      });
    }
    var filters = (box.getAttribute("data-plans-filter") || "").split(",").filter(Boolean);
    if (!filters.length) return;
    var noun = box.getAttribute("data-plans-noun") || "rows";
    var form = document.createElement("div");
    form.className = "plans-filters";
    form.setAttribute("role", "search");
    var choices = [];
    filters.forEach(function (name) {
      var column = titles.indexOf(name);
      if (column < 0) return;
      var values = {};
      rows.forEach(function (row) {
        var value = row.cells[column] ? row.cells[column].textContent.trim() : "";
        values[value] = true;
      });
      var label = document.createElement("label");
      label.textContent = name + " ";
      var select = document.createElement("select");
      select.name = name;
      var all = document.createElement("option");
      all.value = "";
      all.textContent = "all";
      select.appendChild(all);
      Object.keys(values)
        .sort(collator.compare)
        .forEach(function (value) {
          var option = document.createElement("option");
          option.value = value;
          option.textContent = value;
          select.appendChild(option);
        });
      label.appendChild(select);
      form.appendChild(label);
      choices.push([column, select]);
    });
    var search = document.createElement("label");
    search.textContent = "Text ";
    var input = document.createElement("input");
    input.type = "search";
    input.name = "text";
    input.placeholder = "any word in a row";
    search.appendChild(input);
    form.appendChild(search);
    var count = document.createElement("span");
    count.className = "plans-count";
    count.setAttribute("aria-live", "polite");
    form.appendChild(count);
    box.insertBefore(form, box.firstChild);

    function apply() {
      var words = input.value.trim().toLowerCase().split(/\s+/).filter(Boolean);
      var shown = 0;
      rows.forEach(function (row) {
        var keep = choices.every(function (choice) {
          var cell = row.cells[choice[0]];
          return !choice[1].value || (cell && cell.textContent.trim() === choice[1].value);
        });
        if (keep && words.length) {
          var text = row.textContent.toLowerCase();
          keep = words.every(function (word) {
            return text.indexOf(word) >= 0;
          });
        }
        row.hidden = !keep;
        if (keep) shown++;
      });
      count.textContent = shown + " of " + rows.length + " " + noun;
    }
    form.addEventListener("input", apply);
    form.addEventListener("change", apply);
    apply();
  }

  function prepare() {
    prepareGraphs();
    var tables = document.querySelectorAll("article .plans-table[data-plans-sort], article .plans-table[data-plans-filter]");
    for (var i = 0; i < tables.length; i++) prepareTable(tables[i]);
  }

  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", prepare);
  else prepare();
  // This script runs while the page is still being read, so the diagrams above it exist:
  // they get their box now, before mkdocs-material replaces them with rendered ones.
  prepareGraphs();
})();
