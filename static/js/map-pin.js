/* Map pin: an inline SVG of administrative boundaries; a click sets latitude and longitude and
 * the area is filled in by reverse geocoding. No tiles, no CDN: the boundaries come from
 * /api/v1/boundaries/?parent=<code>&format=geojson and the area from /api/v1/areas/locate/.
 *
 * <div data-map-pin data-parent="62.71" data-within="62.71" data-lat="id_latitude"
 *      data-lon="id_longitude" data-area="id_area"><p data-map-status>…</p></div>
 *
 * Projection: equirectangular with longitude scaled by cos(middle latitude), the same as the
 * server-rendered maps (geo.svgmap). The latitude/longitude inputs stay the keyboard way in;
 * typing in them moves the marker.
 */
(function () {
  "use strict";

  var WIDTH = 800;
  var MAX_HEIGHT = 560;
  var SVG_NS = "http://www.w3.org/2000/svg";

  function within(code, ancestor) {
    return !ancestor || code === ancestor || code.indexOf(ancestor + ".") === 0;
  }

  function rings(geometry) {
    if (!geometry) return [];
    if (geometry.type === "Polygon") return geometry.coordinates;
    if (geometry.type === "MultiPolygon") {
      return geometry.coordinates.reduce(function (all, polygon) { return all.concat(polygon); }, []);
    }
    return [];
  }

  function setup(box) {
    var status = box.querySelector("[data-map-status]");
    var latInput = document.getElementById(box.getAttribute("data-lat"));
    var lonInput = document.getElementById(box.getAttribute("data-lon"));
    var areaInput = document.getElementById(box.getAttribute("data-area"));
    var ancestor = box.getAttribute("data-within") || "";
    var parent = box.getAttribute("data-parent") || "";
    var locateButton = document.querySelector("[data-use-location]");
    var projection = null;
    var svg = null;
    var marker = null;

    function say(text) { if (status) status.textContent = text; }

    function toXY(lon, lat) {
      return [(lon - projection.minX) * projection.k * projection.scale, (projection.maxY - lat) * projection.scale];
    }

    function toLonLat(x, y) {
      return [x / (projection.k * projection.scale) + projection.minX, projection.maxY - y / projection.scale];
    }

    function placeMarker() {
      if (!svg) return;
      var lat = parseFloat(latInput.value);
      var lon = parseFloat(lonInput.value);
      if (isNaN(lat) || isNaN(lon)) { if (marker) marker.setAttribute("visibility", "hidden"); return; }
      var xy = toXY(lon, lat);
      if (!marker) {
        marker = document.createElementNS(SVG_NS, "circle");
        marker.setAttribute("r", "7");
        marker.setAttribute("class", "pin");
        marker.setAttribute("data-testid", "map-marker");
        svg.appendChild(marker);
      }
      marker.setAttribute("cx", xy[0].toFixed(1));
      marker.setAttribute("cy", xy[1].toFixed(1));
      marker.setAttribute("visibility", "visible");
    }

    function locate(lat, lon) {
      var url = "/api/v1/areas/locate/?lat=" + lat + "&lon=" + lon;
      return fetch(url, { credentials: "same-origin", headers: { Accept: "application/json" } })
        .then(function (r) { return r.ok ? r.json() : null; })
        .then(function (area) {
          if (!area) { say("Titik ini di luar wilayah yang dikenal; periksa lagi letak pin."); return; }
          if (!within(area.code, ancestor)) {
            say("Titik berada di " + area.display_name + ", di luar wilayah laporan (" + ancestor + ").");
            return;
          }
          // Keep a finer area (a desa) that already lies inside the located kecamatan.
          if (!areaInput.value || !within(areaInput.value, area.code)) {
            areaInput.value = area.code;
            areaInput.dispatchEvent(new Event("change", { bubbles: true }));
            var picker = areaInput.closest("[data-area-picker]");
            if (picker) picker.dispatchEvent(new CustomEvent("area:set", { detail: area }));
          }
          say("Lokasi: " + area.display_name + " (" + area.code + ").");
        })
        .catch(function () { say("Wilayah dari titik tidak dapat dicari sekarang; isi wilayah secara manual."); });
    }

    function setPoint(lat, lon) {
      latInput.value = lat.toFixed(6);
      lonInput.value = lon.toFixed(6);
      latInput.dispatchEvent(new Event("change", { bubbles: true }));
      lonInput.dispatchEvent(new Event("change", { bubbles: true }));
      placeMarker();
      return locate(latInput.value, lonInput.value);
    }

    function draw(collection) {
      var features = (collection && collection.features) || [];
      var minX = Infinity, minY = Infinity, maxX = -Infinity, maxY = -Infinity;
      features.forEach(function (f) {
        rings(f.geometry).forEach(function (ring) {
          ring.forEach(function (p) {
            if (p[0] < minX) minX = p[0];
            if (p[0] > maxX) maxX = p[0];
            if (p[1] < minY) minY = p[1];
            if (p[1] > maxY) maxY = p[1];
          });
        });
      });
      if (!features.length || !isFinite(minX)) { unavailable(); return; }
      var k = Math.cos(((minY + maxY) / 2) * Math.PI / 180);
      var spanX = Math.max((maxX - minX) * k, 1e-9);
      var spanY = Math.max(maxY - minY, 1e-9);
      var scale = Math.min(WIDTH / spanX, MAX_HEIGHT / spanY);
      projection = { minX: minX, maxY: maxY, k: k, scale: scale };
      var width = spanX * scale;
      var height = spanY * scale;

      svg = document.createElementNS(SVG_NS, "svg");
      svg.setAttribute("viewBox", "0 0 " + width.toFixed(1) + " " + height.toFixed(1));
      svg.setAttribute("class", "map pin-map");
      svg.setAttribute("role", "img");
      svg.setAttribute("aria-label", "Peta wilayah: klik untuk menandai lokasi kejadian");
      features.forEach(function (f) {
        var d = rings(f.geometry).map(function (ring) {
          return "M" + ring.map(function (p) {
            var xy = toXY(p[0], p[1]);
            return xy[0].toFixed(1) + "," + xy[1].toFixed(1);
          }).join(" ") + "Z";
        }).join("");
        var path = document.createElementNS(SVG_NS, "path");
        var code = (f.properties && f.properties.code) || "";
        path.setAttribute("d", d);
        path.setAttribute("data-code", code);
        if (!within(code, ancestor) && !within(ancestor, code)) path.setAttribute("class", "outside");
        var title = document.createElementNS(SVG_NS, "title");
        title.textContent = ((f.properties && f.properties.name) || code) + " (" + code + ")";
        path.appendChild(title);
        svg.appendChild(path);
      });
      svg.addEventListener("click", function (event) {
        var point = svg.createSVGPoint();
        point.x = event.clientX;
        point.y = event.clientY;
        var local = point.matrixTransform(svg.getScreenCTM().inverse());
        var lonLat = toLonLat(local.x, local.y);
        setPoint(lonLat[1], lonLat[0]);
      });
      box.insertBefore(svg, status);
      box.setAttribute("data-state", "ready");
      say("Klik peta untuk menandai lokasi kejadian.");
      placeMarker();
    }

    function unavailable() {
      box.setAttribute("data-state", "unavailable");
      say("Peta belum tersedia (batas wilayah belum dimuat). Isi lintang dan bujur secara manual.");
    }

    if (!latInput || !lonInput || !areaInput) return;
    say("Memuat peta…");
    fetch("/api/v1/boundaries/?format=geojson&parent=" + encodeURIComponent(parent), {
      credentials: "same-origin",
      headers: { Accept: "application/json" },
    })
      .then(function (r) { return r.ok ? r.json() : null; })
      .then(function (data) { if (data) draw(data); else unavailable(); })
      .catch(unavailable);

    [latInput, lonInput].forEach(function (el) { el.addEventListener("input", placeMarker); });
    [latInput, lonInput].forEach(function (el) {
      el.addEventListener("change", function (e) {
        if (!e.isTrusted) return; // our own change events
        placeMarker();
        if (latInput.value && lonInput.value) locate(latInput.value, lonInput.value);
      });
    });

    if (locateButton && navigator.geolocation) {
      locateButton.hidden = false;
      locateButton.addEventListener("click", function () {
        say("Mencari lokasi perangkat…");
        navigator.geolocation.getCurrentPosition(
          function (pos) { setPoint(pos.coords.latitude, pos.coords.longitude); },
          function () { say("Lokasi perangkat tidak tersedia; klik peta atau isi lintang dan bujur."); },
          { enableHighAccuracy: true, timeout: 15000 }
        );
      });
    }
  }

  function init() {
    Array.prototype.forEach.call(document.querySelectorAll("[data-map-pin]"), setup);
  }
  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", init);
  else init();
})();
