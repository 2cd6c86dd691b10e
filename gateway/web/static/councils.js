/* Councils: small enhancements over pages that work without JavaScript. */
(function () {
  "use strict";

  function fill(template, values) {
    return template.replace(/\{(\w+)\}/g, function (_, key) {
      return key in values ? values[key] : "{" + key + "}";
    });
  }

  /* Approval: "X of N selected", kept live. */
  document.querySelectorAll("[data-approval]").forEach(function (box) {
    var counter = box.querySelector("[data-counter]");
    var total = box.getAttribute("data-total");
    function update() {
      var count = box.querySelectorAll("input[type=checkbox]:checked").length;
      counter.textContent = fill(counter.getAttribute("data-template"), {count: count, n: total});
    }
    box.addEventListener("change", update);
  });

  /* Consensus: a reason is required for a concern or a block. */
  document.querySelectorAll("[data-consensus]").forEach(function (box) {
    var reason = box.querySelector("[data-reason]");
    function update() {
      var picked = box.querySelector("input[type=radio]:checked");
      var needed = picked && (picked.value === "concern" || picked.value === "block");
      reason.required = !!needed;
      reason.setAttribute("aria-required", needed ? "true" : "false");
    }
    box.addEventListener("change", update);
    update();
  });

  /* Ranking: rank selects, move up/down buttons that keep focus and announce, drag and drop. */
  document.querySelectorAll("[data-ranking]").forEach(function (list) {
    var total = parseInt(list.getAttribute("data-total"), 10);
    var live = list.parentNode.querySelector("[data-announce]");
    function items() { return Array.prototype.slice.call(list.querySelectorAll(".rank-item")); }
    function selectOf(item) { return item.querySelector(".rank-select"); }
    function nameOf(item) { return item.getAttribute("data-option"); }
    function isRanked(item) { return selectOf(item).value !== ""; }
    function rankedCount() { return items().filter(isRanked).length; }

    function renumber() {
      var rank = 0;
      items().forEach(function (item) {
        if (isRanked(item)) { rank += 1; selectOf(item).value = String(rank); }
        var up = item.querySelector(".move-up");
        var down = item.querySelector(".move-down");
        var ranked = isRanked(item);
        up.disabled = ranked && rank === 1;
        down.disabled = !ranked;
      });
    }
    function announce(item) {
      var text = isRanked(item)
        ? fill(list.getAttribute("data-moved"), {name: nameOf(item), rank: selectOf(item).value, n: total})
        : fill(list.getAttribute("data-unranked"), {name: nameOf(item)});
      live.textContent = "";
      window.setTimeout(function () { live.textContent = text; }, 50);
    }
    /* Put `item` at ranked position `rank` (1-based), or among the unranked when rank is 0. */
    function place(item, rank) {
      list.removeChild(item);
      var ranked = items().filter(isRanked);
      if (rank === 0) {
        selectOf(item).value = "";
        var firstUnranked = items().filter(function (i) { return !isRanked(i); })[0];
        list.insertBefore(item, firstUnranked || null);
      } else {
        rank = Math.min(rank, ranked.length + 1);
        selectOf(item).value = String(rank);
        list.insertBefore(item, ranked[rank - 1] || (items().filter(function (i) { return !isRanked(i); })[0] || null));
      }
      renumber();
    }
    function keepFocus(item, preferred) {
      var button = item.querySelector(preferred);
      if (button.disabled) {
        button = item.querySelector(preferred === ".move-up" ? ".move-down" : ".move-up");
      }
      if (button.disabled) { button = selectOf(item); }
      button.focus();
    }

    items().forEach(function (item) {
      item.querySelector(".movers").hidden = false;
      item.querySelector(".move-up").addEventListener("click", function () {
        var rank = isRanked(item) ? parseInt(selectOf(item).value, 10) - 1 : rankedCount() + 1;
        place(item, Math.max(rank, 1));
        keepFocus(item, ".move-up");
        announce(item);
      });
      item.querySelector(".move-down").addEventListener("click", function () {
        var rank = parseInt(selectOf(item).value, 10);
        place(item, rank >= rankedCount() ? 0 : rank + 1);
        keepFocus(item, ".move-down");
        announce(item);
      });
      selectOf(item).addEventListener("change", function () {
        var value = selectOf(item).value;
        place(item, value === "" ? 0 : parseInt(value, 10));
        selectOf(item).focus();
        announce(item);
      });
      item.addEventListener("dragstart", function (event) {
        item.classList.add("dragging");
        event.dataTransfer.effectAllowed = "move";
        event.dataTransfer.setData("text/plain", nameOf(item));
      });
      item.addEventListener("dragend", function () { item.classList.remove("dragging"); });
      item.addEventListener("dragover", function (event) {
        event.preventDefault();
        item.classList.add("drop-target");
      });
      item.addEventListener("dragleave", function () { item.classList.remove("drop-target"); });
      item.addEventListener("drop", function (event) {
        event.preventDefault();
        item.classList.remove("drop-target");
        var dragged = list.querySelector(".rank-item.dragging");
        if (!dragged || dragged === item) { return; }
        var target = isRanked(item) ? parseInt(selectOf(item).value, 10) : rankedCount() + 1;
        place(dragged, target);
        announce(dragged);
      });
    });
    renumber();
  });

  /* Copy the receipt. */
  document.querySelectorAll("[data-copy]").forEach(function (button) {
    var source = document.getElementById(button.getAttribute("data-copy"));
    var status = document.querySelector("[data-copy-status]");
    button.hidden = false;
    button.addEventListener("click", function () {
      var text = source.textContent.trim();
      function done(ok) {
        status.textContent = status.getAttribute(ok ? "data-done" : "data-failed");
      }
      if (navigator.clipboard && navigator.clipboard.writeText) {
        navigator.clipboard.writeText(text).then(function () { done(true); }, function () {
          done(false);
        });
      } else {
        var range = document.createRange();
        range.selectNodeContents(source);
        var selection = window.getSelection();
        selection.removeAllRanges();
        selection.addRange(range);
        try { done(document.execCommand("copy")); } catch (e) { done(false); }
      }
    });
  });

  /* After a failed submit, bring the error summary into focus. */
  var summary = document.getElementById("error-summary");
  if (summary) { summary.focus(); }

  /* Installable and readable offline: the service worker keeps the styles and an offline page
     (never a member's page or a ballot). Over plain HTTP on another host browsers refuse it. */
  var script = document.currentScript || document.querySelector("script[data-worker]");
  var worker = script && script.getAttribute("data-worker");
  if (worker && "serviceWorker" in navigator) {
    window.addEventListener("load", function () {
      navigator.serviceWorker.register(worker, {scope: "/"}).catch(function () {});
    });
  }
})();
