/* The landing page's small map: the base map of Vietnam and the published sites as clusters (from
   the heritage map API); a tap or Enter opens the full heritage map. Uses heritage/basemap.js. */
(function () {
  "use strict";
  var element = document.getElementById("landing-map");
  if (!element || !window.L) return;
  var config = JSON.parse(document.getElementById("landing-map-config").textContent);

  var map = L.map(element, {
    zoomControl: false, attributionControl: true, keyboard: false, dragging: false, touchZoom: false,
    scrollWheelZoom: false, doubleClickZoom: false, boxZoom: false, preferCanvas: true, zoomSnap: 0.25
  });
  map.fitBounds(config.bounds);
  map.attributionControl.setPrefix(false);
  window.VhttdlBasemap.add(map, config);

  var b = map.getBounds();
  var params = new URLSearchParams({
    bbox: [b.getWest(), b.getSouth(), b.getEast(), b.getNorth()].map(function (v) { return v.toFixed(4); }).join(","),
    zoom: String(Math.round(map.getZoom()))
  });
  fetch(config.sitesUrl + "?" + params.toString(), {
    headers: { Accept: "application/geo+json", "Accept-Language": document.documentElement.lang || "vi" }
  })
    .then(function (response) { return response.ok ? response.json() : { features: [] }; })
    .then(function (collection) {
      (collection.features || []).forEach(function (feature) {
        var c = feature.geometry.coordinates;
        var count = feature.properties.count || 1;
        L.circleMarker([c[1], c[0]], {
          radius: Math.min(14, 3 + Math.sqrt(count) * 1.6), color: "#ffffff", weight: 1,
          fillColor: "#a4161a", fillOpacity: 0.85, interactive: false
        }).addTo(map);
      });
    })
    .catch(function () { /* the map still shows the country */ });

  // The whole map is a way into the full heritage map.
  element.addEventListener("click", function () { window.location.href = config.mapUrl; });
})();
