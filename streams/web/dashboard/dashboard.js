/* casualty-stream dashboard: polls the worker's JSON views and redraws in place.
 *
 * Every value from the stream is written with textContent (never innerHTML): article text is
 * untrusted input. Links are only made from http(s) URLs.
 *
 * Data sources: the components (map, series, table, lists, totals) draw any records with the
 * incident fields (location, killed, wounded, method, victim_category, source, url, evidence,
 * event_date) and the summary document of streams/web/query.py. "Incidents" is one source; a
 * second one (resolved events at /events, /events/summary, /export/events.*) appears as a switch
 * as soon as the worker answers /events/summary, with no change to the components.
 */
(function () {
  "use strict";

  var POLL_MS = 2000;
  var BIN_S = 10; // throughput chart: one point per 10 s
  var MAP_LIMIT = 1000; // most records drawn on the map
  var DRILL_LIMIT = 200;
  var SVG_NS = "http://www.w3.org/2000/svg";
  var LAND = "#f7f7f4";
  var numberFormat = new Intl.NumberFormat("en-US");

  var SOURCES = [
    { id: "incidents", label: "Incidents", list: "/incidents", summary: "/incidents/summary", exports: "/export/incidents" },
    { id: "events", label: "Events", list: "/events", summary: "/events/summary", exports: "/export/events", optional: true }
  ];
  var METHODS = ["ied", "car_bomb", "suicide_bombing", "airstrike", "shelling", "gunfire", "armed_clash", "execution",
    "sniper", "bodies_found", "other", "unknown"];
  var VICTIMS = ["civilian", "security", "militant", "militia", "unknown", "mixed"];
  var PALETTE = {
    method: {
      ied: "#d92d20", car_bomb: "#b42318", suicide_bombing: "#7a271a", airstrike: "#1570ef", shelling: "#6941c6",
      gunfire: "#f79009", armed_clash: "#039855", execution: "#344054", sniper: "#0e9384", bodies_found: "#667085",
      other: "#c11574", unknown: "#98a2b3"
    },
    victim: {
      civilian: "#d92d20", security: "#1570ef", militant: "#344054", militia: "#039855", unknown: "#98a2b3",
      mixed: "#f79009"
    }
  };

  var state = {
    source: SOURCES[0],
    filters: { country: "", region: "", since: "", until: "", method: "", victim: "", source: "" },
    selection: null, // {kind: "region", code, name} or {kind: "place", key, name}
    colourBy: "method",
    world: null, // decoded outlines
    extentKey: "",
    items: [],
    sourcesSeen: {}
  };

  function $(id) { return document.getElementById(id); }
  function fmt(n) { return typeof n === "number" && isFinite(n) ? numberFormat.format(n) : "–"; }
  function words(s) { return String(s || "").replace(/_/g, " "); }

  /** Create an element with attributes and children (strings become text nodes). */
  function h(tag, attrs) {
    var node = document.createElement(tag);
    if (attrs) {
      Object.keys(attrs).forEach(function (key) {
        if (attrs[key] !== undefined && attrs[key] !== null && attrs[key] !== false) node.setAttribute(key, String(attrs[key]));
      });
    }
    for (var i = 2; i < arguments.length; i++) {
      var child = arguments[i];
      if (child === null || child === undefined || child === false) continue;
      node.appendChild(typeof child === "object" ? child : document.createTextNode(String(child)));
    }
    return node;
  }

  function svg(tag, attrs) {
    var node = document.createElementNS(SVG_NS, tag);
    Object.keys(attrs || {}).forEach(function (key) { node.setAttribute(key, String(attrs[key])); });
    return node;
  }

  function clear(node) { while (node.firstChild) node.removeChild(node.firstChild); return node; }

  function getJSON(path) {
    return fetch(path, { cache: "no-store", headers: { Accept: "application/json" } }).then(function (r) {
      if (!r.ok) throw new Error(path + ": HTTP " + r.status);
      return r.json();
    });
  }

  function safeUrl(url) {
    return typeof url === "string" && /^https?:\/\//i.test(url) ? url : null;
  }

  /** The filters as a query string (only those set), plus extra parameters. */
  function query(extra) {
    var params = [];
    var all = Object.assign({}, state.filters, extra || {});
    Object.keys(all).forEach(function (key) {
      if (all[key] !== "" && all[key] !== null && all[key] !== undefined) {
        params.push(encodeURIComponent(key) + "=" + encodeURIComponent(all[key]));
      }
    });
    return params.length ? "?" + params.join("&") : "";
  }

  function anyFilter() {
    return Object.keys(state.filters).some(function (k) { return state.filters[k] !== ""; });
  }

  // --- figures with their ranges and wording ---------------------------------------------------

  /** "(24–99; dozens)" next to a counted figure, when the record's bounds or words say more. */
  function rangeNote(count, low, high, vague, approx) {
    var parts = [];
    low = typeof low === "number" ? low : count;
    if (high === null) parts.push(fmt(low) + "+");
    else if (typeof high === "number" && (high !== count || low !== count)) parts.push(fmt(low) + "–" + fmt(high));
    (vague || []).concat(approx || []).forEach(function (w) { if (w && parts.indexOf(w) < 0) parts.push(w); });
    return parts.length ? "(" + parts.join("; ") + ")" : "";
  }

  function incidentNote(inc, kind) {
    var vague = inc.vague && inc.vague[kind] ? [inc.vague[kind]] : [];
    var approx = inc.approximate && inc.approximate[kind] ? [inc.approximate[kind]] : [];
    var high = inc[kind + "_max"];
    return rangeNote(inc[kind] || 0, inc[kind + "_min"], high === undefined ? inc[kind] || 0 : high, vague, approx);
  }

  // --- the map -------------------------------------------------------------------------------

  /** TopoJSON -> [{id, name, rings: [[[lon, lat], ...], ...]}] (arcs delta-decoded with the transform). */
  function decodeTopology(topo, objectName) {
    var tf = topo.transform;
    var arcs = topo.arcs.map(function (arc) {
      var x = 0, y = 0;
      return arc.map(function (p) {
        x += p[0]; y += p[1];
        return tf ? [x * tf.scale[0] + tf.translate[0], y * tf.scale[1] + tf.translate[1]] : [p[0], p[1]];
      });
    });
    function ring(indexes) {
      var out = [];
      indexes.forEach(function (i) {
        var arc = i >= 0 ? arcs[i] : arcs[~i].slice().reverse();
        arc.forEach(function (p, k) { if (k > 0 || !out.length) out.push(p); });
      });
      return out;
    }
    var object = topo.objects[objectName];
    if (!object) return [];
    return object.geometries.map(function (g) {
      var polygons = g.type === "Polygon" ? [g.arcs] : g.type === "MultiPolygon" ? g.arcs : [];
      var rings = [];
      polygons.forEach(function (poly) { poly.forEach(function (r) { rings.push(ring(r)); }); });
      return { id: String(g.id), name: (g.properties && g.properties.name) || "", rings: rings };
    });
  }

  function loadWorld() {
    return getJSON("/dashboard/world.json").then(function (doc) {
      var countries = decodeTopology(doc.topology, "countries");
      countries.forEach(function (c) { c.alpha2 = doc.alpha2[c.id] || null; });
      state.world = {
        countries: countries,
        admin1: doc.admin1 ? decodeTopology(doc.admin1, Object.keys(doc.admin1.objects)[0]) : []
      };
      if (doc.source) $("map-attribution").textContent = "Country outlines: " + doc.source;
    }).catch(function () { state.world = { countries: [], admin1: [] }; });
  }

  function located(items) {
    return items.filter(function (i) {
      var loc = i.location || {};
      return typeof loc.lat === "number" && typeof loc.lon === "number";
    });
  }

  /** Bounding box [west, south, east, north] of the records, padded, at least `span` degrees. */
  function extentOf(items) {
    var pts = located(items);
    if (!pts.length) return [38.5, 29, 48.8, 37.5]; // Iraq when nothing is placed yet
    var w = 180, s = 90, e = -180, n = -90;
    pts.forEach(function (i) {
      var lon = i.location.lon, lat = i.location.lat;
      w = Math.min(w, lon); e = Math.max(e, lon); s = Math.min(s, lat); n = Math.max(n, lat);
    });
    var span = 4;
    var padX = Math.max((e - w) * 0.15, (span - (e - w)) / 2, 0.5), padY = Math.max((n - s) * 0.15, (span - (n - s)) / 2, 0.5);
    return [w - padX, Math.max(-85, s - padY), e + padX, Math.min(85, n + padY)];
  }

  /** Equirectangular projection scaled for the middle latitude of the extent. */
  function projection(extent) {
    var k = Math.cos(((extent[1] + extent[3]) / 2) * Math.PI / 180);
    return { k: k, x: function (lon) { return lon * k; }, y: function (lat) { return -lat; } };
  }

  function ringsPath(rings, proj) {
    var d = [];
    rings.forEach(function (r) {
      var prev = null;
      r.forEach(function (p, i) {
        // a jump across the antimeridian starts a new subpath instead of a line across the map
        var jump = prev !== null && Math.abs(p[0] - prev[0]) > 180;
        d.push((i === 0 || jump ? "M" : "L") + proj.x(p[0]).toFixed(3) + "," + proj.y(p[1]).toFixed(3));
        prev = p;
      });
      d.push("Z");
    });
    return d.join("");
  }

  function shade(value, max) {
    if (!value || !max) return null;
    var t = Math.sqrt(value / max); // 0..1
    var light = [252, 238, 234], dark = [236, 146, 130]; // light enough for the points to stand out
    var c = light.map(function (l, i) { return Math.round(l + (dark[i] - l) * t); });
    return "rgb(" + c.join(",") + ")";
  }

  function colourOf(inc) {
    var key = state.colourBy === "victim" ? inc.victim_category || "unknown" : inc.method || "unknown";
    return PALETTE[state.colourBy][key] || "#98a2b3";
  }

  function placeKey(inc) {
    var loc = inc.location || {};
    return [loc.lat, loc.lon, loc.place || loc.name || ""].join("|");
  }

  function drawMap(items, summary) {
    var node = $("map");
    var box = node.getBoundingClientRect();
    var width = Math.max(200, box.width || 640), height = Math.max(200, box.height || 420);
    var extent = extentOf(items);
    var proj = projection(extent);
    // fit the extent into the SVG's aspect
    var x0 = proj.x(extent[0]), x1 = proj.x(extent[2]), y0 = proj.y(extent[3]), y1 = proj.y(extent[1]);
    var vw = x1 - x0, vh = y1 - y0, aspect = width / height;
    if (vw / vh > aspect) { var grow = vw / aspect - vh; y0 -= grow / 2; vh += grow; }
    else { var widen = vh * aspect - vw; x0 -= widen / 2; vw += widen; }
    node.setAttribute("viewBox", [x0, y0, vw, vh].map(function (v) { return v.toFixed(4); }).join(" "));
    var perPx = vw / width;

    var key = extent.map(function (v) { return v.toFixed(2); }).join(",") + "|" + (state.world ? state.world.countries.length : 0);
    var byCountry = {};
    ((summary && summary.countries) || []).forEach(function (g) { if (g.country) byCountry[g.country] = g.totals.killed; });
    var maxKilled = Math.max.apply(null, [0].concat(Object.keys(byCountry).map(function (c) { return byCountry[c]; })));
    var byRegion = {};
    ((summary && summary.regions) || []).forEach(function (r) { byRegion[r.region_code] = r.killed; });
    var maxRegion = Math.max.apply(null, [0].concat(Object.keys(byRegion).map(function (c) { return byRegion[c]; })));

    var outlines = node.querySelector("g.outlines");
    if (!outlines || state.extentKey !== key) {
      clear(node);
      outlines = svg("g", { "class": "outlines" });
      node.appendChild(outlines);
      if (state.world) {
        state.world.countries.forEach(function (c) {
          outlines.appendChild(svg("path", { "class": "country", d: ringsPath(c.rings, proj), "data-country": c.alpha2 || c.id }));
        });
        state.world.admin1.forEach(function (r) {
          outlines.appendChild(svg("path", { "class": "admin1", d: ringsPath(r.rings, proj), "data-region": r.id }));
        });
      }
      node.appendChild(svg("g", { "class": "points" }));
      state.extentKey = key;
    }
    // country shading by killed (admin-1 shading where shapes exist)
    Array.prototype.forEach.call(outlines.querySelectorAll("path.country"), function (p) {
      var fill = shade(byCountry[p.getAttribute("data-country")], maxKilled);
      p.setAttribute("fill", fill || LAND);
      p.setAttribute("class", fill ? "country has-data" : "country");
    });
    Array.prototype.forEach.call(outlines.querySelectorAll("path.admin1"), function (p) {
      var fill = shade(byRegion[p.getAttribute("data-region")], maxRegion);
      if (fill) p.setAttribute("fill", fill); else p.removeAttribute("fill");
    });

    var layer = clear(node.querySelector("g.points"));
    var pts = located(items).slice().sort(function (a, b) { return (b.killed || 0) - (a.killed || 0); });
    pts.forEach(function (inc) {
      var loc = inc.location;
      var radius = Math.min(26, 3.5 + 2.2 * Math.sqrt(inc.killed || 0));
      var cls = "point" + (inc.status === "suspect" ? " suspect" : "") +
        (state.selection && state.selection.kind === "place" && state.selection.key === placeKey(inc) ? " selected" : "");
      var c = svg("circle", {
        "class": cls, cx: proj.x(loc.lon), cy: proj.y(loc.lat), r: radius * perPx, fill: colourOf(inc),
        "data-incident-id": inc.incident_id || inc.event_id || "", "data-region": loc.region_code || "unknown"
      });
      c.addEventListener("mouseenter", function (ev) { showTooltip(inc, ev); });
      c.addEventListener("mousemove", function (ev) { moveTooltip(ev); });
      c.addEventListener("mouseleave", hideTooltip);
      c.addEventListener("click", function () {
        state.selection = { kind: "place", key: placeKey(inc), name: loc.place || loc.name || "this place" };
        refresh();
      });
      layer.appendChild(c);
    });
    $("map-note").textContent = "(" + fmt(pts.length) + " placed of " + fmt(items.length) + "; sized by killed)";
    drawLegend(pts);
  }

  function drawLegend(pts) {
    var legend = clear($("map-legend"));
    var seen = {};
    pts.forEach(function (inc) {
      seen[state.colourBy === "victim" ? inc.victim_category || "unknown" : inc.method || "unknown"] = true;
    });
    Object.keys(PALETTE[state.colourBy]).forEach(function (name) {
      if (!seen[name]) return;
      var key = h("span", { "class": "key round", "data-colour": name });
      key.style.background = PALETTE[state.colourBy][name]; // CSSOM, allowed by the page's CSP
      legend.appendChild(h("span", { "class": "item" }, key, words(name)));
    });
    if (!pts.length) legend.appendChild(h("span", { "class": "item" }, "No placed incidents for these filters."));
  }

  function tooltipText(inc) {
    var loc = inc.location || {};
    var lines = [];
    lines.push(h("b", null, loc.place || loc.name || "unknown place"));
    var where = [loc.region || loc.region_code, loc.country].filter(Boolean).join(", ");
    if (where) lines.push(h("div", null, where));
    var kNote = incidentNote(inc, "killed"), wNote = incidentNote(inc, "wounded");
    lines.push(h("div", null, fmt(inc.killed || 0) + " killed" + (kNote ? " " + kNote : "") + ", " +
      fmt(inc.wounded || 0) + " wounded" + (wNote ? " " + wNote : "")));
    lines.push(h("div", null, [inc.event_date || "undated", words(inc.method), words(inc.victim_category)].join(" · ")));
    lines.push(h("div", null, "source: " + (inc.source || "unknown")));
    if (inc.status === "suspect") lines.push(h("div", null, "suspect: " + (inc.status_reason || "")));
    return lines;
  }

  function showTooltip(inc, ev) {
    var tip = clear($("tooltip"));
    tooltipText(inc).forEach(function (line) { tip.appendChild(line); });
    tip.hidden = false;
    moveTooltip(ev);
  }

  function moveTooltip(ev) {
    var tip = $("tooltip"), wrap = $("map-wrap").getBoundingClientRect();
    var x = ev.clientX - wrap.left + 14, y = ev.clientY - wrap.top + 14;
    if (x + 300 > wrap.width) x = Math.max(0, ev.clientX - wrap.left - 300);
    tip.style.left = x + "px";
    tip.style.top = y + "px";
  }

  function hideTooltip() { $("tooltip").hidden = true; }

  // --- the daily series ----------------------------------------------------------------------

  function drawTotalSeries(series) {
    var node = clear($("series-total"));
    var W = 600, H = 160, top = 14, bottom = 18, left = 4, right = 4;
    var days = series.total.daily;
    var undated = series.total.undated;
    var slots = days.length + 2; // a gap, then the undated bar
    var max = 0;
    days.concat([undated]).forEach(function (p) { max = Math.max(max, p.killed || 0, p.wounded || 0); });
    var yMax = max > 0 ? max * 1.1 : 1;
    var slot = (W - left - right) / Math.max(slots, 3);
    function y(v) { return top + (H - top - bottom) * (1 - v / yMax); }
    [0, 0.5, 1].forEach(function (f) {
      var gy = top + (H - top - bottom) * f;
      node.appendChild(svg("line", { x1: 0, x2: W, y1: gy, y2: gy, "class": "grid-line" }));
    });
    function bars(p, i, cls) {
      var x = left + i * slot;
      var bw = Math.max(1, slot * 0.38);
      var g = svg("g", { "class": cls, "data-day": p.day, "data-killed": p.killed || 0, "data-wounded": p.wounded || 0 });
      g.appendChild(svg("rect", { x: x + slot * 0.1, y: y(p.killed || 0), width: bw, height: y(0) - y(p.killed || 0), "class": "bar-killed" }));
      g.appendChild(svg("rect", { x: x + slot * 0.1 + bw, y: y(p.wounded || 0), width: bw, height: y(0) - y(p.wounded || 0), "class": "bar-wounded" }));
      var title = svg("title", {});
      title.textContent = p.day + ": " + fmt(p.killed || 0) + " killed, " + fmt(p.wounded || 0) + " wounded";
      g.appendChild(title);
      node.appendChild(g);
    }
    days.forEach(function (p, i) { bars(p, i, "day"); });
    var ux = left + (days.length + 1) * slot;
    node.appendChild(svg("line", { x1: ux - slot / 2, x2: ux - slot / 2, y1: top, y2: H - bottom, "class": "undated-sep" }));
    bars(undated, days.length + 1, "day undated");
    function label(x, text, anchor) {
      var t = svg("text", { x: x, y: H - 4, "class": "axis-label", "text-anchor": anchor || "start" });
      t.textContent = text;
      node.appendChild(t);
    }
    if (days.length) {
      label(left, days[0].day);
      if (days.length > 1) label(left + days.length * slot, days[days.length - 1].day, "end");
    } else {
      label(left, "no dated incidents");
    }
    label(ux + slot / 2, "undated", "middle");
    var maxLabel = svg("text", { x: 6, y: 11, "class": "axis-label" });
    maxLabel.textContent = "max " + fmt(max);
    node.appendChild(maxLabel);
    $("series-note").textContent = days.length ?
      "(" + days[0].day + " – " + days[days.length - 1].day + ", " + fmt(days.length) + " days with incidents)" : "";
  }

  function spark(points, days, max) {
    var node = svg("svg", { "class": "spark", viewBox: "0 0 100 18", preserveAspectRatio: "none" });
    var index = {};
    days.forEach(function (d, i) { index[d] = i; });
    var slot = 100 / Math.max(days.length, 1);
    points.forEach(function (p) {
      var i = index[p.day];
      if (i === undefined) return;
      var hk = max ? 18 * (p.killed || 0) / max : 0;
      node.appendChild(svg("rect", { x: i * slot + slot * 0.1, y: 18 - hk, width: Math.max(0.6, slot * 0.8), height: hk }));
    });
    return node;
  }

  function drawSeriesTable(series) {
    var body = h("tbody", { id: "series-body" });
    var days = series.days;
    var max = 0;
    series.regions.forEach(function (r) { r.daily.forEach(function (p) { max = Math.max(max, p.killed || 0); }); });
    function row(cls, code, name, points, undated) {
      var dated = points.reduce(function (a, p) { return a + (p.killed || 0); }, 0);
      var datedW = points.reduce(function (a, p) { return a + (p.wounded || 0); }, 0);
      return h("tr", { "class": cls, "data-series": code },
        h("td", { "class": "name", title: name }, name),
        h("td", null, spark(points, days, max)),
        h("td", { "class": "num" }, fmt(dated) + " / " + fmt(datedW)),
        h("td", { "class": "num undated" }, fmt(undated.killed || 0) + " / " + fmt(undated.wounded || 0)));
    }
    body.appendChild(row("total", "total", "All regions", series.total.daily, series.total.undated));
    series.regions.slice(0, 12).forEach(function (r) {
      body.appendChild(row("", r.region_code, (r.region || r.region_code) + " (" + r.region_code + ")", r.daily, r.undated));
    });
    if (series.regions.length > 12) {
      body.appendChild(h("tr", { "class": "empty" }, h("td", { colspan: 4 }, "+" + (series.regions.length - 12) + " more regions (see the table)")));
    }
    $("series-body").replaceWith(body);
  }

  // --- totals and the regions table ------------------------------------------------------------

  function chips(breakdown, field) {
    var entries = Object.keys(breakdown || {}).map(function (name) {
      var value = breakdown[name];
      return [name, typeof value === "number" ? value : (value && typeof value[field] === "number" ? value[field] : 0)];
    }).filter(function (e) { return e[1] > 0; });
    entries.sort(function (a, b) { return b[1] - a[1] || (a[0] < b[0] ? -1 : 1); });
    var cell = h("td");
    entries.slice(0, 3).forEach(function (e) { cell.appendChild(h("span", { "class": "chip" }, words(e[0]) + " " + fmt(e[1]))); });
    if (entries.length > 3) cell.appendChild(h("span", { "class": "chip muted" }, "+" + (entries.length - 3)));
    return cell;
  }

  function dateRange(first, last) {
    if (!first && !last) return "undated";
    if (!first || first === last) return first || last;
    return first + " – " + last;
  }

  function rowRange(r, kind) {
    var g = r.ranges || {};
    return rangeNote(r[kind] || 0, g[kind + "_min"], g[kind + "_max"], kind === "killed" ? g.vague : [], g.approximate);
  }

  function figureCell(r, kind) {
    var note = rowRange(r, kind);
    return h("td", { "class": "num " + kind }, fmt(r[kind] || 0), note ? h("span", { "class": "range" }, note) : null);
  }

  function suspectCell(r) {
    var n = r.suspect_incidents || 0;
    return h("td", { "class": "num suspect" }, n ? fmt(r.suspect_killed || 0) + "/" + fmt(r.suspect_wounded || 0) : "");
  }

  function renderTable(summary) {
    var body = h("tbody", { id: "regions-body" });
    var groups = summary.countries || [];
    groups.forEach(function (g) {
      var t = g.totals;
      body.appendChild(h("tr", { "class": "country", "data-country": g.country || "unknown" },
        h("td", null, g.name || g.country || "Unknown place"),
        h("td", { "class": "num killed" }, fmt(t.killed)), h("td", { "class": "num wounded" }, fmt(t.wounded)),
        h("td", { "class": "num" }, fmt(t.incidents)),
        h("td", { "class": "num suspect" }, t.suspect_incidents ? fmt(t.suspect_killed) + "/" + fmt(t.suspect_wounded) : ""),
        h("td", { colspan: 3, "class": "muted small" }, g.regions.length + (g.regions.length === 1 ? " region" : " regions"))));
      g.regions.forEach(function (r) {
        var selected = state.selection && state.selection.kind === "region" && state.selection.code === r.region_code;
        var tr = h("tr", { "data-region": r.region_code, "class": selected ? "selected" : null },
          h("td", { "class": "name" }, r.region || r.region_code, h("span", { "class": "code" }, r.region_code)),
          figureCell(r, "killed"), figureCell(r, "wounded"),
          h("td", { "class": "num incidents" }, fmt(r.incidents || 0)),
          suspectCell(r),
          chips(r.by_victim_category, "killed"),
          chips(r.by_method, "incidents"),
          h("td", { "class": "dates" }, dateRange(r.first_event_date, r.last_event_date)));
        tr.addEventListener("click", function () {
          state.selection = { kind: "region", code: r.region_code, name: r.region || r.region_code };
          refresh();
        });
        body.appendChild(tr);
      });
    });
    if (!groups.length) body.appendChild(h("tr", { "class": "empty" }, h("td", { colspan: 8 }, "No incidents for these filters.")));
    $("regions-body").replaceWith(body);

    var foot = h("tfoot", { id: "regions-foot" });
    var rows = summary.regions || [];
    var t = summary.totals || {};
    if (rows.length) {
      foot.appendChild(h("tr", { "class": "totals", "data-total": "all" },
        h("td", null, "Total (" + rows.length + (rows.length === 1 ? " region)" : " regions)")),
        figureCell(t, "killed"), h("td", { "class": "num wounded" }, fmt(t.wounded)),
        h("td", { "class": "num incidents" }, fmt(t.incidents)), suspectCell(t), h("td"), h("td"), h("td")));
    }
    $("regions-foot").replaceWith(foot);
  }

  function renderTotals(summary) {
    var t = summary.totals || {};
    var rows = summary.regions || [];
    $("total-killed").textContent = fmt(t.killed);
    $("total-wounded").textContent = fmt(t.wounded);
    $("total-incidents").textContent = fmt(t.incidents);
    $("total-regions").textContent = fmt(rows.length);
    var countries = (summary.countries || []).filter(function (g) { return g.country; }).length;
    $("total-countries").textContent = fmt(countries) + (countries === 1 ? " country" : " countries");
    var kr = rangeNote(t.killed || 0, t.killed_min, t.killed_max, t.vague, t.approximate);
    $("total-killed-range").textContent = kr ? "range " + kr : "";
    var wr = rangeNote(t.wounded || 0, t.wounded_min, t.wounded_max, [], []);
    $("total-wounded-range").textContent = wr ? "range " + wr : "";
    $("total-suspect").textContent = fmt(t.suspect_killed || 0) + " / " + fmt(t.suspect_wounded || 0);
    $("suspect-detail").textContent = fmt(t.suspect_incidents || 0) + " incidents, " +
      (summary.count_suspect ? "counted in the totals (--count-suspect)" : "not in the totals");
    var scope = anyFilter() ? "filtered" : "all";
    if (summary.source === "incidents" && summary.complete === false) scope += ", from the web view's recent incidents";
    $("total-scope").textContent = scope;
  }

  // --- lists: drill-down and review ---------------------------------------------------------------

  function incidentItem(inc, compact) {
    var loc = inc.location || {};
    var place = loc.place || loc.city || loc.name || "unknown place";
    var detail = [inc.victim_category, inc.method].filter(function (x) { return x && x !== "unknown"; });
    var url = safeUrl(inc.url);
    var kNote = incidentNote(inc, "killed"), wNote = incidentNote(inc, "wounded");
    var li = h("li", { "data-incident-id": inc.incident_id || inc.event_id, "data-region": loc.region_code || "unknown",
                       "class": inc.status === "suspect" ? "suspect" : null },
      h("div", { "class": "incident-head" },
        h("span", { "class": "date" }, inc.event_date || "undated"),
        h("span", { "class": "place" }, place),
        loc.region || loc.region_code ? h("span", { "class": "muted region" }, loc.region || loc.region_code) : null,
        detail.length ? h("span", { "class": "chip" }, words(detail.join(" · "))) : null,
        inc.status === "suspect" ? h("span", { "class": "chip suspect" }, "suspect") : null,
        h("span", { "class": "numbers" },
          h("span", { "class": "k" }, fmt(inc.killed || 0)), " killed", kNote ? " " + kNote : "", ", ",
          h("span", { "class": "w" }, fmt(inc.wounded || 0)), " wounded", wNote ? " " + wNote : "")),
      inc.status === "suspect" && inc.status_reason ? h("div", { "class": "reason" }, inc.status_reason) : null,
      inc.evidence && inc.evidence.text ? h("blockquote", { "class": "evidence" }, inc.evidence.text) : null,
      inc.sources && inc.sources.length ? sourcesList(inc.sources) :
      compact && !url && !inc.source ? null : h("div", { "class": "incident-meta" },
        "source: ", inc.source || "unknown", inc.published ? ", published " + inc.published : "",
        url ? " · " : "", url ? h("a", { href: url, target: "_blank", rel: "noopener noreferrer" }, "article") : null));
    return li;
  }

  // An event's reports: each outlet, when it published, and the figures it gave.
  function sourcesList(sources) {
    var list = h("ul", { "class": "sources" });
    sources.forEach(function (s) {
      var url = safeUrl(s.url);
      list.appendChild(h("li", { "data-article-id": s.article_id },
        h("span", { "class": "outlet" }, s.source || s.article_id), " ",
        h("span", { "class": "muted" }, s.published ? String(s.published).slice(0, 16).replace("T", " ") : "undated"),
        ": ", h("span", { "class": "k" }, fmt(s.killed || 0)), " killed, ",
        h("span", { "class": "w" }, fmt(s.wounded || 0)), " wounded",
        url ? " · " : "", url ? h("a", { href: url, target: "_blank", rel: "noopener noreferrer" }, "article") : null));
    });
    return h("div", { "class": "incident-meta" }, fmt(sources.length) + (sources.length === 1 ? " report:" : " reports:"), list);
  }

  function renderList(id, items, empty, compact) {
    var list = h("ol", { "class": "incidents" + (compact ? " compact" : ""), id: id });
    items.forEach(function (inc) { list.appendChild(incidentItem(inc, compact)); });
    if (!items.length) list.appendChild(h("li", { "class": "empty" }, empty));
    $(id).replaceWith(list);
  }

  function renderDrill(items) {
    var sel = state.selection;
    var title = $("drill-title");
    clear(title);
    if (!sel) {
      title.appendChild(document.createTextNode("Recent " + state.source.label.toLowerCase() + " "));
      title.appendChild(h("span", { "class": "muted small" }, "(newest first; click a region or a point to narrow)"));
      renderList("drill", items.slice(0, 30), "No incidents for these filters.");
      return;
    }
    title.appendChild(document.createTextNode(state.source.label + (sel.kind === "region" ? " in " : " at ") + sel.name + " "));
    title.appendChild(h("span", { "class": "muted small", id: "drill-count" }, "(" + fmt(items.length) + ", newest first)"));
    var close = h("button", { type: "button", "class": "chip", id: "drill-close" }, "close");
    close.addEventListener("click", function () { state.selection = null; refresh(); });
    title.appendChild(close);
    renderList("drill", items, "No incidents for these filters.");
  }

  function renderReview(review) {
    renderList("suspect", review.suspect || [], "None.", true);
    $("suspect-mode").textContent = review.count_suspect ? "(counted in the tables: --count-suspect)" : "(not counted in the tables)";
    var body = h("tbody", { id: "letters-body" });
    (review.dead_letters || []).slice(0, 50).forEach(function (d) {
      body.appendChild(h("tr", { "data-error": d.error_code },
        h("td", { title: d.occurred_at || "" }, String(d.occurred_at || "").slice(11, 19)),
        h("td", null, d.error_code || ""), h("td", null, d.error_field || ""),
        h("td", null, d.key || ""), h("td", { title: d.reason || "" }, d.reason || "")));
    });
    if (!(review.dead_letters || []).length) body.appendChild(h("tr", { "class": "empty" }, h("td", { colspan: 5 }, "None.")));
    $("letters-body").replaceWith(body);
  }

  // --- throughput and lag ----------------------------------------------------------------------

  function binSeries(series) {
    var bins = [], byStart = {};
    series.forEach(function (p) {
      var start = p.t - (p.t % BIN_S);
      var bin = byStart[start];
      if (!bin) { bin = byStart[start] = { t: start, articles: 0, incidents: 0, lag: 0 }; bins.push(bin); }
      bin.articles += p.articles || 0;
      bin.incidents += p.incidents || 0;
      bin.lag = p.lag || 0;
    });
    return bins;
  }

  function drawChart(node, points, keys, windowSeconds, now) {
    var W = 600, H = 110, top = 14, bottom = 16, left = 4, right = 4;
    clear(node);
    var max = 0;
    points.forEach(function (p) { keys.forEach(function (k) { max = Math.max(max, p[k.key] || 0); }); });
    var yMax = max > 0 ? max * 1.1 : 1, t0 = now - windowSeconds;
    function x(t) { return left + (W - left - right) * Math.max(0, (t - t0)) / windowSeconds; }
    function y(v) { return top + (H - top - bottom) * (1 - v / yMax); }
    [0, 0.5, 1].forEach(function (f) {
      var gy = top + (H - top - bottom) * f;
      node.appendChild(svg("line", { x1: 0, x2: W, y1: gy, y2: gy, "class": "grid-line" }));
    });
    var maxLabel = svg("text", { x: 6, y: 11, "class": "axis-label" });
    maxLabel.textContent = "max " + fmt(max);
    node.appendChild(maxLabel);
    var startLabel = svg("text", { x: 4, y: H - 3, "class": "axis-label" });
    startLabel.textContent = "−" + Math.round(windowSeconds / 60) + " min";
    node.appendChild(startLabel);
    var nowLabel = svg("text", { x: W - 4, y: H - 3, "class": "axis-label", "text-anchor": "end" });
    nowLabel.textContent = "now";
    node.appendChild(nowLabel);
    if (!points.length) return;
    keys.forEach(function (k) {
      var coords = points.map(function (p) { return x(p.t) + "," + y(p[k.key] || 0); });
      if (coords.length === 1) coords.push(x(now) + "," + y(points[0][k.key] || 0));
      if (k.area) {
        var first = coords[0].split(",")[0], last = coords[coords.length - 1].split(",")[0];
        node.appendChild(svg("polygon", { points: first + "," + y(0) + " " + coords.join(" ") + " " + last + "," + y(0), "class": k.area }));
      }
      node.appendChild(svg("polyline", { points: coords.join(" "), "class": "series " + k.cls }));
    });
  }

  function renderStats(stats) {
    var articles = stats.articles || {};
    $("articles-ok").textContent = fmt(articles.ok);
    $("articles-detail").textContent = fmt(articles.duplicate) + " duplicate · " + fmt(articles.dead_letter) + " dead letter";
    $("lag-now").textContent = fmt(stats.lag);
    var status = $("status");
    status.textContent = stats.ready ? "ready" : "recovering tables";
    status.className = "pill " + (stats.ready ? "pill-ok" : "pill-wait");
    var series = Array.isArray(stats.series) ? stats.series : [];
    var windowSeconds = stats.window_seconds || 600;
    var now = series.length ? series[series.length - 1].t + 1 : Date.now() / 1000;
    $("window-label").textContent = "(last " + Math.round(windowSeconds / 60) + " minutes, per " + BIN_S + " s)";
    drawChart($("chart-throughput"), binSeries(series), [
      { key: "articles", cls: "series-articles" }, { key: "incidents", cls: "series-incidents" }
    ], windowSeconds, now);
    drawChart($("chart-lag"), series, [{ key: "lag", cls: "series-lag", area: "area-lag" }], windowSeconds, now);
  }

  // --- filters ---------------------------------------------------------------------------------

  function setOptions(select, options, keep) {
    var current = select.value;
    var signature = JSON.stringify(options);
    if (select.getAttribute("data-options") === signature) return;
    select.setAttribute("data-options", signature);
    while (select.options.length > 1) select.remove(1);
    var groups = {};
    options.forEach(function (o) {
      var parent = select;
      if (o.group) {
        parent = groups[o.group] || (groups[o.group] = select.appendChild(h("optgroup", { label: o.group })));
      }
      parent.appendChild(h("option", { value: o.value }, o.label));
    });
    select.value = keep !== undefined ? keep : current;
  }

  function updateFilterOptions(regionsDoc) {
    var names = regionsDoc.countries || {};
    var rows = (regionsDoc.regions || []).slice().sort(function (a, b) {
      return String(a.region || a.region_code).localeCompare(String(b.region || b.region_code));
    });
    var countries = Object.keys(names).sort(function (a, b) { return String(names[a]).localeCompare(String(names[b])); });
    setOptions($("f-country"), countries.map(function (c) { return { value: c, label: names[c] || c }; }), state.filters.country);
    setOptions($("f-region"), rows.filter(function (r) {
      return !state.filters.country || String(r.region_code).indexOf(state.filters.country + "-") === 0;
    }).map(function (r) {
      var country = r.region_code === "unknown" ? "Unknown place" : names[String(r.region_code).split("-")[0]] || "";
      return { value: r.region_code, label: (r.region || r.region_code) + " (" + r.region_code + ")", group: country };
    }), state.filters.region);
    var sources = Object.keys(state.sourcesSeen).sort();
    setOptions($("f-source"), sources.map(function (s) { return { value: s, label: s }; }), state.filters.source);
  }

  function initFilters() {
    setOptions($("f-method"), METHODS.map(function (m) { return { value: m, label: words(m) }; }), "");
    setOptions($("f-victim"), VICTIMS.map(function (v) { return { value: v, label: v }; }), "");
    ["country", "region", "since", "until", "method", "victim", "source"].forEach(function (name) {
      $("f-" + name).addEventListener("change", function (ev) {
        state.filters[name] = ev.target.value;
        if (name === "country") state.filters.region = "";
        refresh();
      });
    });
    $("f-clear").addEventListener("click", function () {
      Object.keys(state.filters).forEach(function (k) { state.filters[k] = ""; $("f-" + k).value = ""; });
      state.selection = null;
      refresh();
    });
    $("filters").addEventListener("submit", function (ev) { ev.preventDefault(); });
    $("colour-by").addEventListener("change", function (ev) { state.colourBy = ev.target.value; drawMap(state.items, state.summary); });
  }

  function updateExports() {
    var q = query();
    $("x-incidents-csv").setAttribute("href", state.source.exports + ".csv" + q);
    $("x-incidents-json").setAttribute("href", state.source.exports + ".json" + q);
    $("x-regions-csv").setAttribute("href", "/export/regions.csv" + q);
    $("x-regions-json").setAttribute("href", "/export/regions.json" + q);
  }

  function probeSources() {
    SOURCES.filter(function (s) { return s.optional; }).forEach(function (s) {
      fetch(s.summary, { cache: "no-store" }).then(function (r) {
        if (!r.ok) return;
        var box = $("source-switch");
        box.hidden = false;
        clear(box);
        SOURCES.forEach(function (src) {
          var b = h("button", { type: "button", "class": src === state.source ? "on" : null, "data-source": src.id }, src.label);
          b.addEventListener("click", function () {
            state.source = src;
            state.selection = null;
            Array.prototype.forEach.call(box.querySelectorAll("button"), function (x) {
              x.className = x === b ? "on" : "";
            });
            refresh();
          });
          box.appendChild(b);
        });
      }).catch(function () { /* no second source */ });
    });
  }

  // --- polling ---------------------------------------------------------------------------------

  function drillPath() {
    var sel = state.selection;
    if (!sel) return null;
    if (sel.kind === "region") return state.source.list + query({ region: sel.code, limit: DRILL_LIMIT });
    return null; // a place: taken from the map's records
  }

  var pending = null, again = false;
  function refresh() {
    if (pending) { again = true; return pending; } // a click during a poll: poll again right after
    updateExports();
    var src = state.source;
    var drill = drillPath();
    pending = Promise.allSettled([
      getJSON(src.summary + query()), getJSON(src.list + query({ limit: MAP_LIMIT })), getJSON("/review"),
      getJSON("/stats"), getJSON("/regions"), drill ? getJSON(drill) : Promise.resolve(null)
    ]).then(function (results) {
      var failed = results.filter(function (r) { return r.status === "rejected"; });
      var summary = results[0].status === "fulfilled" ? results[0].value : null;
      var list = results[1].status === "fulfilled" ? results[1].value : null;
      var items = list ? (list.incidents || list.events || []) : state.items;
      items.concat(results[2].status === "fulfilled" ? results[2].value.suspect || [] : []).forEach(function (i) {
        if (i.source) state.sourcesSeen[i.source] = true;
      });
      if (summary) {
        state.summary = summary;
        renderTotals(summary);
        renderTable(summary);
        drawTotalSeries(summary.series);
        drawSeriesTable(summary.series);
      }
      if (list) state.items = items;
      drawMap(state.items, state.summary);
      if (results[2].status === "fulfilled") renderReview(results[2].value);
      if (results[3].status === "fulfilled") renderStats(results[3].value || {});
      if (results[4].status === "fulfilled") updateFilterOptions(results[4].value);
      var sel = state.selection;
      if (sel && sel.kind === "region" && results[5].status === "fulfilled" && results[5].value) {
        renderDrill(results[5].value.incidents || results[5].value.events || []);
      } else if (sel && sel.kind === "place") {
        renderDrill(state.items.filter(function (i) { return placeKey(i) === sel.key; }));
      } else {
        renderDrill(state.items);
      }
      var status = $("status");
      if (failed.length) {
        status.textContent = failed.length === results.length ? "worker unreachable" : "some views failed";
        status.className = "pill pill-bad";
        status.title = failed.map(function (r) { return String(r.reason); }).join("; ");
      } else {
        status.title = "Worker readiness";
        $("updated").textContent = "updated " + new Date().toLocaleTimeString("en-GB");
      }
      document.body.setAttribute("data-refreshed", String(Date.now()));
    }).finally(function () {
      pending = null;
      if (again) { again = false; refresh(); }
    });
    return pending;
  }

  // Chain timeouts rather than setInterval so a slow worker never gets overlapping polls.
  function loop() {
    refresh().catch(function () { /* rendering errors must not stop polling */ }).then(function () {
      setTimeout(loop, POLL_MS);
    });
  }

  initFilters();
  probeSources();
  loadWorld().then(loop, loop);
})();
