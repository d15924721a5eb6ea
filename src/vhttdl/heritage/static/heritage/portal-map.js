/* The public heritage map: asks the API for what is in view (clusters far out, sites close in),
   draws only that, and keeps the list beside the map in step. Leaflet comes from django-leaflet. */
(function () {
  "use strict";

  var config = JSON.parse(document.getElementById("map-config").textContent);
  var provincePoints = JSON.parse(document.getElementById("province-points").textContent);
  var T = config.text;
  var form = document.getElementById("map-filters");
  var listEl = document.getElementById("site-list");
  var statusEl = document.getElementById("map-status");
  var legendEl = document.getElementById("map-legend");
  // On a phone the filters fold away, so the map is on the first screen (open by default without script).
  var filtersBox = document.getElementById("map-filters-box");
  if (filtersBox && window.matchMedia("(max-width: 900px)").matches) filtersBox.open = false;

  // The API follows Accept-Language; the page's language is the one the visitor chose.
  var apiHeaders = { Accept: "application/geo+json", "Accept-Language": document.documentElement.lang || "vi" };

  var RANK_COLORS = {
    special_national: "#a4161a", national: "#d9480f", provincial: "#1a5fb4", inventoried: "#5c636a"
  };
  var TYPE_COLORS = {
    historical: "#a4161a", architectural_artistic: "#6f42c1", archaeological: "#8a5a00", scenic: "#1e6b34"
  };

  function fmt(template, values) {
    return template.replace(/%\((\w+)\)s/g, function (_, key) { return values[key]; });
  }
  function number(n) { return Number(n).toLocaleString(document.documentElement.lang || "vi"); }
  function escapeHtml(text) {
    return String(text == null ? "" : text).replace(/[&<>"']/g, function (c) {
      return { "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" }[c];
    });
  }

  // Start from the URL hash (lat,lon,zoom) when a site page linked here.
  var start = { center: config.center, zoom: config.zoom };
  var hash = window.location.hash.replace("#", "").split(",").map(Number);
  if (hash.length === 3 && hash.every(isFinite)) { start = { center: [hash[0], hash[1]], zoom: hash[2] }; }

  var map = L.map("map", { preferCanvas: true, minZoom: 4, maxZoom: 18, worldCopyJump: false });
  if (start.zoom === config.zoom && !window.location.hash) {
    map.fitBounds([[8.3, 102.1], [23.4, 109.6]]);  // mainland Vietnam (the archipelagos show when zoomed out)
  } else {
    map.setView(start.center, start.zoom);
  }
  map.attributionControl.setPrefix(false);
  // The base map: the tile server when there is one, else our own vector base map (heritage/basemap.js).
  window.VhttdlBasemap.add(map, config);

  // Province names at their centres, when there is no tile server to name them.
  var provinces = L.layerGroup();
  provincePoints.forEach(function (p) {
    L.circleMarker([p.lat, p.lon], { radius: 2, color: "#8a949e", weight: 1, fillOpacity: .6, interactive: false })
      .bindTooltip(escapeHtml(p.name), { permanent: true, direction: "right", className: "province-label" })
      .addTo(provinces);
  });
  function syncProvinceLabels() {
    var show = !config.tileUrl && map.getZoom() >= 7 && map.getZoom() <= 10;
    if (show && !map.hasLayer(provinces)) provinces.addTo(map);
    if (!show && map.hasLayer(provinces)) map.removeLayer(provinces);
  }

  var sitesLayer = L.layerGroup().addTo(map);
  var festivalsLayer = L.layerGroup();
  var markersByCode = {};
  var lastCollection = null;
  var controller = null;
  var festivalController = null;

  function colorBy() { return form.querySelector("input[name=color]:checked").value; }
  function colorOf(props) {
    return colorBy() === "type" ? (TYPE_COLORS[props.type] || "#333") : (RANK_COLORS[props.rank] || "#333");
  }

  function renderLegend() {
    // Swatches are coloured by class (portal.css): the CSP refuses inline style attributes.
    var kind = colorBy() === "type" ? "type" : "rank";
    var select = form.querySelector(kind === "type" ? "#f-type" : "#f-rank");
    var html = "";
    Array.prototype.forEach.call(select.options, function (option) {
      if (!option.value) return;
      html += '<span><span class="swatch ' + kind + "-" + escapeHtml(option.value) + '"></span>' +
        escapeHtml(option.textContent) + "</span>";
    });
    if (document.getElementById("f-festivals").checked) {
      html += '<span><span class="swatch festival"></span>' + escapeHtml(T.festival) + "</span>";
    }
    legendEl.innerHTML = html;
  }

  function filterParams() {
    var params = new URLSearchParams();
    ["province", "rank", "type"].forEach(function (name) {
      var value = form.elements[name].value;
      if (value) params.set(name, value);
    });
    return params;
  }

  function bboxParam() {
    var b = map.getBounds();
    var clamp = function (v, lo, hi) { return Math.max(lo, Math.min(hi, v)); };
    return [clamp(b.getWest(), -180, 180), clamp(b.getSouth(), -90, 90),
            clamp(b.getEast(), -180, 180), clamp(b.getNorth(), -90, 90)]
      .map(function (v) { return v.toFixed(5); }).join(",");
  }

  function sitePopup(props) {
    return '<span class="popup-name">' + escapeHtml(props.name) + "</span>" +
      escapeHtml(props.rank_label) + " · " + escapeHtml(props.type_label) + "<br>" +
      escapeHtml(props.province) + '<br><a href="' + props.url + '">' + escapeHtml(T.open) + "</a>";
  }

  function drawSites(collection) {
    sitesLayer.clearLayers();
    markersByCode = {};
    collection.features.forEach(function (feature) {
      var props = feature.properties;
      var lonlat = feature.geometry.coordinates;
      if (props.kind === "cluster") {
        var size = Math.round(26 + Math.min(30, Math.log(props.count) * 5));
        var marker = L.marker([lonlat[1], lonlat[0]], {
          // Leaflet sizes the icon's box (through the DOM, which the CSP allows); the label fills it.
          icon: L.divIcon({ className: "cluster-box", html: '<div class="cluster-icon">' + number(props.count) + "</div>",
            iconSize: [size, size] }),
          title: fmt(T.cluster, { count: number(props.count) }),
          keyboard: true
        });
        marker.on("click", function () {
          var b = props.bbox;
          if (b[0] === b[2] && b[1] === b[3]) { map.setView([b[1], b[0]], Math.min(map.getZoom() + 3, 18)); }
          else { map.fitBounds([[b[1], b[0]], [b[3], b[2]]], { padding: [30, 30], maxZoom: 18 }); }
        });
        sitesLayer.addLayer(marker);
      } else {
        var point = L.circleMarker([lonlat[1], lonlat[0]], {
          radius: props.rank === "special_national" ? 8 : 6, color: "#ffffff", weight: 1.5,
          fillColor: colorOf(props), fillOpacity: .95
        }).bindPopup(sitePopup(props)).bindTooltip(escapeHtml(props.name));
        markersByCode[props.code] = point;
        sitesLayer.addLayer(point);
      }
    });
  }

  function renderList(collection) {
    var items = collection.list || [];
    var meta = collection.meta || {};
    var html = "";
    items.forEach(function (props) {
      html += '<li><a href="' + props.url + '" data-code="' + escapeHtml(props.code) + '">' +
        '<span class="name">' + escapeHtml(props.name) + "</span>" +
        '<span class="meta">' + escapeHtml(props.rank_label) + " · " + escapeHtml(props.province) + "</span></a></li>";
    });
    listEl.innerHTML = html;
    var total = meta.total != null ? meta.total : items.length;
    var status = items.length ? fmt(T.inView, { count: number(total) }) : T.none;
    if (total > items.length) status += ". " + fmt(T.listedTop, { shown: number(items.length) });
    if (meta.truncated) status = fmt(T.truncated, { shown: number(meta.returned) });
    statusEl.textContent = status;
  }

  function loadSites() {
    if (controller) controller.abort();
    controller = new AbortController();
    var params = filterParams();
    params.set("bbox", bboxParam());
    params.set("zoom", String(map.getZoom()));
    statusEl.textContent = T.loading;
    fetch(config.sitesUrl + "?" + params.toString(), { signal: controller.signal, headers: apiHeaders })
      .then(function (response) {
        return response.json().then(function (body) {
          if (!response.ok) throw new Error(body.message || T.error);
          return body;
        });
      })
      .then(function (collection) { lastCollection = collection; drawSites(collection); renderList(collection); })
      .catch(function (error) { if (error.name !== "AbortError") statusEl.textContent = error.message || T.error; });
  }

  function loadFestivals() {
    festivalsLayer.clearLayers();
    if (!document.getElementById("f-festivals").checked) { map.removeLayer(festivalsLayer); return; }
    festivalsLayer.addTo(map);
    if (festivalController) festivalController.abort();
    festivalController = new AbortController();
    var params = new URLSearchParams({ year: String(config.year), bbox: bboxParam() });
    if (form.elements.province.value) params.set("province", form.elements.province.value);
    fetch(config.festivalsUrl + "?" + params.toString(), { signal: festivalController.signal, headers: apiHeaders })
      .then(function (response) { return response.json(); })
      .then(function (collection) {
        (collection.features || []).forEach(function (feature) {
          var p = feature.properties;
          var c = feature.geometry.coordinates;
          var html = '<span class="popup-name">' + escapeHtml(p.name) + "</span>" +
            (p.date ? escapeHtml(new Date(p.date + "T00:00:00").toLocaleDateString(document.documentElement.lang || "vi")) : "") +
            (p.lunar_label ? " (" + escapeHtml(p.lunar_label) + " ÂL)" : "") + "<br>" + escapeHtml(p.province) +
            (p.approximate ? "<br><em>" + escapeHtml(T.approximate) + "</em>" : "") +
            (p.site_url ? '<br><a href="' + p.site_url + '">' + escapeHtml(T.open) + "</a>" : "");
          L.circleMarker([c[1], c[0]], { radius: 6, color: "#7a4b00", weight: 1.5, fillColor: "#f2c200", fillOpacity: .95 })
            .bindPopup(html).addTo(festivalsLayer);
        });
      })
      .catch(function () { /* the festival layer is optional; the sites still show */ });
  }

  function refresh() {
    syncProvinceLabels();
    loadSites();
    loadFestivals();
  }

  // Filters: no page reload; the URL keeps them so a link can be shared.
  form.addEventListener("change", function (event) {
    var params = filterParams();
    history.replaceState(null, "", window.location.pathname + (params.toString() ? "?" + params : "") + window.location.hash);
    renderLegend();
    if (event.target.name === "color") {
      if (lastCollection) drawSites(lastCollection);
      return;
    }
    refresh();
  });
  form.addEventListener("submit", function (event) { event.preventDefault(); refresh(); });

  // The list follows the map, and the keyboard: arrows move between sites, focus shows the marker.
  function highlight(code, on) {
    var marker = markersByCode[code];
    if (!marker) return;
    if (on) { marker.setStyle({ weight: 4, color: "#1a5fb4" }); marker.openTooltip(); }
    else { marker.setStyle({ weight: 1.5, color: "#ffffff" }); marker.closeTooltip(); }
  }
  listEl.addEventListener("focusin", function (event) { var a = event.target.closest("a"); if (a) highlight(a.dataset.code, true); });
  listEl.addEventListener("focusout", function (event) { var a = event.target.closest("a"); if (a) highlight(a.dataset.code, false); });
  listEl.addEventListener("mouseover", function (event) { var a = event.target.closest("a"); if (a) highlight(a.dataset.code, true); });
  listEl.addEventListener("mouseout", function (event) { var a = event.target.closest("a"); if (a) highlight(a.dataset.code, false); });
  listEl.addEventListener("keydown", function (event) {
    var links = Array.prototype.slice.call(listEl.querySelectorAll("a"));
    var index = links.indexOf(document.activeElement);
    if (index < 0) return;
    var next = null;
    if (event.key === "ArrowDown") next = links[Math.min(index + 1, links.length - 1)];
    else if (event.key === "ArrowUp") next = links[Math.max(index - 1, 0)];
    else if (event.key === "Home") next = links[0];
    else if (event.key === "End") next = links[links.length - 1];
    if (next) { event.preventDefault(); next.focus(); }
  });

  var timer = null;
  map.on("moveend", function () {
    clearTimeout(timer);
    timer = setTimeout(refresh, 150);
  });
  renderLegend();
  refresh();
})();
