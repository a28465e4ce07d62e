/*
 * The web map's own behaviour, called by the map elements of corridors/webmap/elements.py.
 *
 * Every element's script is one call to a function here, with its data as JSON: no text from
 * the data or from users is ever part of a template's source. Served from the static folder
 * next to Leaflet (and inlined in a standalone page), so it needs no network.
 */
(function (global) {
  "use strict";

  /** The legend: a control whose rows the overlays fill in with what is drawn. */
  function legend(map, elementId, foldBelowPx) {
    var control = L.control({ position: "topright" });
    control.onAdd = function () {
      var div = L.DomUtil.create("div", "corridor-legend");
      div.id = elementId;
      var details = L.DomUtil.create("details", "", div);
      details.open = map.getSize().x >= foldBelowPx; // a phone starts folded
      var summary = L.DomUtil.create("summary", "", details);
      summary.textContent = "Legend";
      L.DomUtil.create("div", "corridor-legend-rows", details);
      L.DomEvent.disableClickPropagation(div);
      L.DomEvent.disableScrollPropagation(div);
      return div;
    };
    control.addTo(map);
    global.__corridorMap = map;
    if (global.__corridorLegendRows !== undefined) {
      setLegendRows(global.__corridorLegendRows); // the overlays came first
    }
    if (global.__corridorNote !== undefined) {
      setNote(global.__corridorNote);
    }
    return control;
  }

  /** A line on the map saying what it shows (the timeline's year); empty text removes it. */
  function setNote(text) {
    global.__corridorNote = text;
    var map = global.__corridorMap;
    if (!map) {
      return;
    }
    if (!global.__corridorNoteControl) {
      var control = L.control({ position: "bottomleft" });
      control.onAdd = function () {
        var div = L.DomUtil.create("div", "corridor-notice corridor-map-note");
        div.setAttribute("role", "status");
        return div;
      };
      control.addTo(map);
      global.__corridorNoteControl = control;
    }
    var div = global.__corridorNoteControl.getContainer();
    div.textContent = text;
    div.style.display = text ? "" : "none";
  }

  /** Fill the legend with rows of escaped HTML built in Python from what is drawn. */
  function setLegendRows(html) {
    global.__corridorLegendRows = html;
    var rows = document.querySelector(".corridor-legend .corridor-legend-rows");
    if (rows) {
      rows.innerHTML = html;
    }
  }

  /** Scale the map's own text (legend, labels, tooltips) through a CSS variable. */
  function fontScale(map, scale) {
    map.getContainer().style.setProperty("--corridor-font-scale", scale);
  }

  /** Circle markers sharing one style, each with its own (escaped) tooltip, as one element. */
  function circleMarkers(parent, points, style) {
    points.forEach(function (point) {
      L.circleMarker([point[0], point[1]], style)
        .bindTooltip("<div>" + point[2] + "</div>", { sticky: true })
        .addTo(parent);
    });
  }

  /** Bind each line's tooltip (escaped HTML), as folium.Tooltip would, in one call. */
  function bindTooltips(pairs) {
    pairs.forEach(function (pair) {
      pair[0].bindTooltip("<div>" + pair[1] + "</div>", { sticky: true });
    });
  }

  /** A GeoJSON layer the browser fetches once, under everything else and never clickable. */
  function fetchedGeoJson(map, url, style, attribution) {
    map.createPane("basemap").style.zIndex = 350; // under the overlay pane (400)
    var layer = L.geoJSON(null, {
      pane: "basemap",
      style: style,
      interactive: false,
      attribution: attribution,
    }).addTo(map);
    fetch(url)
      .then(function (response) {
        if (!response.ok) {
          throw new Error("basemap: HTTP " + response.status);
        }
        return response.json();
      })
      .then(function (data) {
        layer.addData(data);
      })
      .catch(function (err) {
        console.error(err);
      });
    return layer;
  }

  /** Say so on the map when web tiles cannot be loaded (offline), and show the land again. */
  function tileNotice(map, layer, basemap, text) {
    var shown = false;
    layer.on("tileerror", function () {
      if (shown) {
        return;
      }
      shown = true;
      basemap.setStyle({ fillOpacity: 1 }); // the land was see-through for the tiles
      var note = L.control({ position: "bottomleft" });
      note.onAdd = function () {
        var div = L.DomUtil.create("div", "corridor-notice");
        div.setAttribute("role", "status");
        div.textContent = text;
        return div;
      };
      note.addTo(map);
    });
  }

  /**
   * Keep the map's centre and zoom in the address bar of the page embedding the map.
   *
   * Panning never reruns the dashboard, so Python never learns where the map is; the browser
   * does. On every move the user makes, the map writes its view into the embedding page's URL
   * (same origin: Streamlit serves both), and it wraps that page's history.replaceState and
   * pushState so that when Streamlit rewrites the query string after a widget changes, the live
   * view is put back in. A standalone page has no embedding page, and this does nothing.
   */
  function viewInAddressBar(map, params, decimals) {
    var host = window.parent;
    try {
      if (host === window || !host.history) {
        return;
      }
      void host.location.search; // throws if the embedding page is on another origin
    } catch (err) {
      return;
    }
    function withView(url) {
      var view = host.__corridorMapView;
      if (!view || url === undefined || url === null) {
        return url;
      }
      var target = new URL(String(url), host.location.href);
      target.searchParams.set(params.center, view.center);
      target.searchParams.set(params.zoom, view.zoom);
      return target.pathname + target.search + target.hash;
    }
    // The wrapper is replaced by each new map, so it never outlives the frame it runs in.
    var original = host.__corridorHistory || {
      replaceState: host.history.replaceState,
      pushState: host.history.pushState,
    };
    host.__corridorHistory = original;
    ["replaceState", "pushState"].forEach(function (name) {
      host.history[name] = function (state, title, url) {
        return original[name].call(host.history, state, title, withView(url));
      };
    });
    function record() {
      var centre = map.getCenter().wrap();
      var round = function (x) {
        return String(+x.toFixed(decimals));
      };
      host.__corridorMapView = {
        center: round(centre.lat) + "," + round(centre.lng),
        zoom: String(map.getZoom()),
      };
      host.history.replaceState(host.history.state, "", host.location.href);
    }
    // Moves made while loading (fitting, resizing the frame) are not the user's, unless the
    // user already moved the map this frame replaces: then its view is the new one.
    var touched = Boolean(host.__corridorMapView);
    if (touched) {
      record();
    }
    ["mousedown", "touchstart", "wheel", "keydown"].forEach(function (type) {
      map.getContainer().addEventListener(
        type,
        function () {
          touched = true;
        },
        true,
      );
    });
    map.on("moveend", function () {
      if (touched) {
        record();
      }
    });
  }

  global.corridors = {
    legend: legend,
    setLegendRows: setLegendRows,
    setNote: setNote,
    fontScale: fontScale,
    circleMarkers: circleMarkers,
    bindTooltips: bindTooltips,
    fetchedGeoJson: fetchedGeoJson,
    tileNotice: tileNotice,
    viewInAddressBar: viewInAddressBar,
  };
})(window);
