/* The base map under every heritage map (the public map page, the landing page's small map).

   With a tile server (MAP_TILE_URL) it draws its tiles. Without one it draws the base map shipped in
   our static files (heritage/basemap/vietnam.geojson, see its README): land, the 34 provinces of
   2025, national borders and main rivers, as Leaflet GeoJSON layers in a pane under the points.
   Nothing is fetched from another origin. Leaflet comes from django-leaflet's static files. */
(function () {
  "use strict";

  var STYLE = {
    land: { stroke: false, fillColor: "#ecebe4", fillOpacity: 1 },
    province: { color: "#a99b7c", weight: 0.8, fillColor: "#fbf7ea", fillOpacity: 1 },
    river: { color: "#6fa6d3", weight: 1.1, opacity: 0.9 },
    border: { color: "#6b604c", weight: 1.6, dashArray: "5 3", opacity: 0.9 }
  };
  var ORDER = ["land", "province", "river", "border"];

  function drawVector(map, config, data) {
    var pane = map.getPane("basemap") || map.createPane("basemap");
    pane.style.zIndex = 250;  // under the overlay pane (400) where the points are; set through the DOM
    pane.style.pointerEvents = "none";
    var renderer = L.svg({ pane: "basemap", padding: 0.5 });
    var layers = {};
    ORDER.forEach(function (name) {
      layers[name] = L.geoJSON(null, { pane: "basemap", renderer: renderer, interactive: false, style: STYLE[name] });
    });
    (data.features || []).forEach(function (feature) {
      var layer = layers[feature.properties && feature.properties.layer];
      if (layer && feature.geometry && feature.geometry.type !== "Point") layer.addData(feature);
    });
    ORDER.forEach(function (name) { layers[name].addTo(map); });
    // Archipelago names: Vietnam's Hoàng Sa and Trường Sa, labelled in the page's language.
    var labels = L.layerGroup().addTo(map);
    var lang = (document.documentElement.lang || "vi").slice(0, 2);
    (data.features || []).forEach(function (feature) {
      var p = feature.properties || {};
      if (p.layer !== "label" || !feature.geometry) return;
      var c = feature.geometry.coordinates;
      L.tooltip({ permanent: true, direction: "center", className: "basemap-label", pane: "basemap" })
        .setLatLng([c[1], c[0]]).setContent(lang === "en" ? (p.name_en || p.name) : p.name).addTo(labels);
    });
    if (config.basemapAttribution) map.attributionControl.addAttribution(config.basemapAttribution);
    return layers;
  }

  /* Adds the base map to `map`. config: {tileUrl, tileAttribution, basemapUrl, basemapAttribution}. */
  function add(map, config) {
    if (config.tileUrl) {
      L.tileLayer(config.tileUrl, { attribution: config.tileAttribution || "", maxZoom: 19 }).addTo(map);
      return Promise.resolve(null);
    }
    if (!config.basemapUrl) return Promise.resolve(null);
    map.getContainer().classList.add("has-basemap");
    return fetch(config.basemapUrl, { headers: { Accept: "application/geo+json" } })
      .then(function (response) {
        if (!response.ok) throw new Error(String(response.status));
        return response.json();
      })
      .then(function (data) { return drawVector(map, config, data); })
      .catch(function () { return null; /* the points still show on the plain background */ });
  }

  window.VhttdlBasemap = { add: add };
})();
