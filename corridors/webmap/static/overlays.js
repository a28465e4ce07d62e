/*
 * What the overlays draw from data the map already holds, instead of receiving it again.
 *
 * The dashboard sends its overlays to the map on every change; the selected corridor's states
 * were a third of them, though the basemap the browser fetched once holds the same shapes. These
 * functions draw them from the basemap. They are inlined into the map's script (see
 * BasemapStates in corridors/webmap/elements.py), so this file must contain no Jinja
 * delimiters: no two opening braces in a row, no brace followed by a percent or hash sign.
 */
(function (global) {
  "use strict";

  /** The layer holding the basemap's states: one map to a page. */
  var basemap = null;

  /** Remember which layer holds the basemap's states, for the layers drawn from it. */
  function shareBasemap(layer) {
    basemap = layer;
  }

  /** Draw the states with these ISO codes from the basemap's own shapes, once they arrive. */
  function basemapStates(parent, codes, labels, style, interactive) {
    var layer = L.geoJSON(null, {
      style: style,
      interactive: interactive,
      onEachFeature: function (feature, state) {
        if (feature.properties.label !== undefined) {
          state.bindTooltip(feature.properties.label, { sticky: true });
        }
      },
    }).addTo(parent);
    var wanted = new Set(codes);
    function fill() {
      basemap.eachLayer(function (state) {
        var feature = state.feature;
        if (feature && wanted.has(feature.id)) {
          var properties = labels[feature.id] === undefined ? {} : { label: labels[feature.id] };
          layer.addData({
            type: "Feature",
            id: feature.id,
            properties: properties,
            geometry: feature.geometry,
          });
        }
      });
    }
    if (basemap === null) {
      console.error("corridorOverlays: no basemap shared");
    } else if (basemap.getLayers().length > 0) {
      fill();
    } else {
      // The basemap's file is still on its way: it adds every state in one go when it lands.
      basemap.once("layeradd", function () {
        L.Util.requestAnimFrame(fill);
      });
    }
    return layer;
  }

  global.corridorOverlays = {
    shareBasemap: shareBasemap,
    basemapStates: basemapStates,
  };
})(window);
