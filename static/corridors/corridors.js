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

  global.corridors = {
    legend: legend,
    setLegendRows: setLegendRows,
    setNote: setNote,
    fontScale: fontScale,
    circleMarkers: circleMarkers,
    bindTooltips: bindTooltips,
    fetchedGeoJson: fetchedGeoJson,
    tileNotice: tileNotice,
  };
})(window);
