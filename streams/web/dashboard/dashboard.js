/* casualty-stream dashboard: polls the worker's JSON views and redraws in place.
 * Every value from the stream is written with textContent (never innerHTML): article text is
 * untrusted input. */
(function () {
  "use strict";

  var POLL_MS = 2000;
  var BIN_S = 10; // throughput chart: one point per 10 s, per-second counts are too spiky to read
  var SVG_NS = "http://www.w3.org/2000/svg";
  var numberFormat = new Intl.NumberFormat("en-US");

  function $(id) { return document.getElementById(id); }
  function fmt(n) { return typeof n === "number" && isFinite(n) ? numberFormat.format(n) : "–"; }

  /** Create an element with attributes and children (strings become text nodes). */
  function h(tag, attrs) {
    var node = document.createElement(tag);
    if (attrs) {
      Object.keys(attrs).forEach(function (key) {
        if (attrs[key] !== undefined && attrs[key] !== null) node.setAttribute(key, String(attrs[key]));
      });
    }
    for (var i = 2; i < arguments.length; i++) {
      var child = arguments[i];
      if (child === null || child === undefined) continue;
      node.appendChild(typeof child === "object" ? child : document.createTextNode(String(child)));
    }
    return node;
  }

  function svg(tag, attrs) {
    var node = document.createElementNS(SVG_NS, tag);
    Object.keys(attrs || {}).forEach(function (key) { node.setAttribute(key, String(attrs[key])); });
    return node;
  }

  /** Accept a bare list or an object wrapping it ({"regions": [...]}), whichever the view returns. */
  function asList(data, key) {
    if (Array.isArray(data)) return data;
    if (data && Array.isArray(data[key])) return data[key];
    return [];
  }

  function getJSON(path) {
    return fetch(path, { cache: "no-store", headers: { Accept: "application/json" } }).then(function (r) {
      if (!r.ok) throw new Error(path + ": HTTP " + r.status);
      return r.json();
    });
  }

  /** Breakdown chips: {"civilian": {"killed": 3, ...}} or {"civilian": 3}, largest first, top 3. */
  function chips(breakdown, field) {
    var entries = Object.keys(breakdown || {}).map(function (name) {
      var value = breakdown[name];
      var n = typeof value === "number" ? value : (value && typeof value[field] === "number" ? value[field] : 0);
      return [name, n];
    }).filter(function (e) { return e[1] > 0; });
    entries.sort(function (a, b) { return b[1] - a[1] || (a[0] < b[0] ? -1 : 1); });
    var cell = h("td");
    entries.slice(0, 3).forEach(function (e) {
      cell.appendChild(h("span", { "class": "chip" }, e[0].replace(/_/g, " ") + " " + fmt(e[1])));
    });
    if (entries.length > 3) cell.appendChild(h("span", { "class": "chip muted" }, "+" + (entries.length - 3)));
    return cell;
  }

  function dateRange(first, last) {
    if (!first && !last) return "";
    if (!first || first === last) return first || last;
    return first + " – " + last;
  }

  function renderRegions(regions) {
    var rows = regions.filter(function (r) { return !r.window || r.window === "all"; });
    rows.sort(function (a, b) {
      return (b.killed || 0) - (a.killed || 0) || (b.wounded || 0) - (a.wounded || 0) ||
        String(a.region_code).localeCompare(String(b.region_code));
    });
    var body = h("tbody", { id: "regions-body" });
    var total = { killed: 0, wounded: 0, incidents: 0 };
    rows.forEach(function (r) {
      total.killed += r.killed || 0;
      total.wounded += r.wounded || 0;
      total.incidents += r.incidents || 0;
      body.appendChild(h("tr", { "data-region": r.region_code },
        h("td", { "class": "name" }, r.region || r.region_code, h("span", { "class": "code" }, r.region_code)),
        h("td", { "class": "num killed" }, fmt(r.killed || 0)),
        h("td", { "class": "num wounded" }, fmt(r.wounded || 0)),
        h("td", { "class": "num incidents" }, fmt(r.incidents || 0)),
        chips(r.by_victim_category, "killed"),
        chips(r.by_method, "incidents"),
        h("td", { "class": "dates" }, dateRange(r.first_event_date, r.last_event_date))));
    });
    if (!rows.length) body.appendChild(h("tr", { "class": "empty" }, h("td", { colspan: 7 }, "No incidents yet.")));
    $("regions-body").replaceWith(body);

    var foot = h("tfoot", { id: "regions-foot" });
    if (rows.length) {
      foot.appendChild(h("tr", { "class": "totals", "data-total": "all" },
        h("td", null, "Total (" + rows.length + (rows.length === 1 ? " region)" : " regions)")),
        h("td", { "class": "num killed" }, fmt(total.killed)),
        h("td", { "class": "num wounded" }, fmt(total.wounded)),
        h("td", { "class": "num incidents" }, fmt(total.incidents)),
        h("td"), h("td"), h("td")));
    }
    $("regions-foot").replaceWith(foot);

    $("total-killed").textContent = fmt(total.killed);
    $("total-wounded").textContent = fmt(total.wounded);
    $("total-incidents").textContent = fmt(total.incidents);
    $("total-regions").textContent = fmt(rows.length);
  }

  function renderIncidents(incidents) {
    var list = h("ol", { "class": "incidents", id: "incidents" });
    incidents.forEach(function (inc) {
      var loc = inc.location || {};
      var place = loc.place || loc.city || loc.name || "unknown place";
      var region = loc.region || loc.region_code || "";
      var evidence = inc.evidence && inc.evidence.text;
      var detail = [inc.victim_category, inc.method].filter(function (x) { return x && x !== "unknown"; });
      list.appendChild(h("li", { "data-incident-id": inc.incident_id, "data-region": loc.region_code || "unknown" },
        h("div", { "class": "incident-head" },
          h("span", { "class": "date" }, inc.event_date || inc.published || "date unknown"),
          h("span", { "class": "place" }, place),
          region ? h("span", { "class": "muted region" }, region) : null,
          detail.length ? h("span", { "class": "chip" }, detail.join(" · ").replace(/_/g, " ")) : null,
          h("span", { "class": "numbers" },
            h("span", { "class": "k" }, fmt(inc.killed || 0)), " killed, ",
            h("span", { "class": "w" }, fmt(inc.wounded || 0)), " wounded")),
        evidence ? h("blockquote", { "class": "evidence" }, evidence) : null));
    });
    if (!incidents.length) list.appendChild(h("li", { "class": "empty" }, "No incidents yet."));
    $("incidents").replaceWith(list);
  }

  /** Sum per-second points into BIN_S bins (lag: last value of the bin), aligned to the clock. */
  function binSeries(series) {
    var bins = [];
    var byStart = {};
    series.forEach(function (p) {
      var start = p.t - (p.t % BIN_S);
      var bin = byStart[start];
      if (!bin) {
        bin = byStart[start] = { t: start, articles: 0, incidents: 0, lag: 0 };
        bins.push(bin);
      }
      bin.articles += p.articles || 0;
      bin.incidents += p.incidents || 0;
      bin.lag = p.lag || 0;
    });
    return bins;
  }

  /** Draw series [{key, cls, area}] of points into an SVG with a grid, max label and time axis. */
  function drawChart(node, points, keys, windowSeconds, now) {
    var W = 600, H = 150, top = 14, bottom = 18, left = 4, right = 4;
    while (node.firstChild) node.removeChild(node.firstChild);
    var max = 0;
    points.forEach(function (p) { keys.forEach(function (k) { max = Math.max(max, p[k.key] || 0); }); });
    var yMax = max > 0 ? max * 1.1 : 1;
    var t0 = now - windowSeconds;
    function x(t) { return left + (W - left - right) * Math.max(0, (t - t0)) / windowSeconds; }
    function y(v) { return top + (H - top - bottom) * (1 - v / yMax); }

    [0, 0.5, 1].forEach(function (f) {
      var gy = top + (H - top - bottom) * f;
      node.appendChild(svg("line", { x1: 0, x2: W, y1: gy, y2: gy, "class": "grid-line" }));
    });
    var maxLabel = svg("text", { x: 6, y: 11, "class": "axis-label" });
    maxLabel.textContent = "max " + fmt(max);
    node.appendChild(maxLabel);
    var minutes = Math.round(windowSeconds / 60);
    var startLabel = svg("text", { x: 4, y: H - 4, "class": "axis-label" });
    startLabel.textContent = "−" + minutes + " min";
    node.appendChild(startLabel);
    var nowLabel = svg("text", { x: W - 4, y: H - 4, "class": "axis-label", "text-anchor": "end" });
    nowLabel.textContent = "now";
    node.appendChild(nowLabel);

    if (!points.length) return;
    keys.forEach(function (k) {
      var coords = points.map(function (p) { return x(p.t) + "," + y(p[k.key] || 0); });
      if (coords.length === 1) coords.push(x(now) + "," + y(points[0][k.key] || 0));
      if (k.area) {
        var first = coords[0].split(",")[0], last = coords[coords.length - 1].split(",")[0];
        node.appendChild(svg("polygon", {
          points: first + "," + y(0) + " " + coords.join(" ") + " " + last + "," + y(0), "class": k.area
        }));
      }
      node.appendChild(svg("polyline", { points: coords.join(" "), "class": "series " + k.cls }));
    });
  }

  function renderStats(stats) {
    var articles = stats.articles || {};
    $("articles-ok").textContent = fmt(articles.ok);
    $("articles-detail").textContent = fmt(articles.duplicate) + " duplicate · " +
      fmt(articles.dead_letter) + " dead letter";
    $("lag-now").textContent = fmt(stats.lag);
    var status = $("status");
    status.textContent = stats.ready ? "ready" : "recovering tables";
    status.className = "pill " + (stats.ready ? "pill-ok" : "pill-wait");

    var series = Array.isArray(stats.series) ? stats.series : [];
    var windowSeconds = stats.window_seconds || 600;
    var now = series.length ? series[series.length - 1].t + 1 : Date.now() / 1000;
    $("window-label").textContent = "(last " + Math.round(windowSeconds / 60) + " minutes, per " + BIN_S + " s)";
    drawChart($("chart-throughput"), binSeries(series), [
      { key: "articles", cls: "series-articles" },
      { key: "incidents", cls: "series-incidents" }
    ], windowSeconds, now);
    drawChart($("chart-lag"), series, [{ key: "lag", cls: "series-lag", area: "area-lag" }], windowSeconds, now);
  }

  function refresh() {
    return Promise.allSettled([
      getJSON("/regions"), getJSON("/incidents?limit=20"), getJSON("/stats")
    ]).then(function (results) {
      var failed = results.filter(function (r) { return r.status === "rejected"; });
      if (results[0].status === "fulfilled") renderRegions(asList(results[0].value, "regions"));
      if (results[1].status === "fulfilled") renderIncidents(asList(results[1].value, "incidents"));
      if (results[2].status === "fulfilled") renderStats(results[2].value || {});
      if (failed.length) {
        // Keep the last good numbers on screen; say clearly that they are stale.
        var status = $("status");
        status.textContent = "worker unreachable";
        status.className = "pill pill-bad";
        status.title = failed.map(function (r) { return String(r.reason); }).join("; ");
      } else {
        $("status").title = "Worker readiness";
        $("updated").textContent = "updated " + new Date().toLocaleTimeString("en-GB");
      }
    });
  }

  // Chain timeouts rather than setInterval so a slow worker never gets overlapping polls.
  function loop() {
    refresh().catch(function () { /* rendering errors must not stop polling */ }).then(function () {
      setTimeout(loop, POLL_MS);
    });
  }
  loop();
})();
