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
  function legend(map, elementId, foldBelow) {
    var control = L.control({ position: "topright" });
    control.onAdd = function () {
      var div = L.DomUtil.create("div", "corridor-legend");
      div.id = elementId;
      var details = L.DomUtil.create("details", "", div);
      details.addEventListener("toggle", function () {
        fitLegend(map);
        scheduleLabels(map);
      });
      details.open = !shortOfSpace(map, foldBelow); // a phone or a short map starts folded
      var summary = L.DomUtil.create("summary", "", details);
      summary.textContent = "Legend";
      L.DomUtil.create("div", "corridor-legend-rows", details);
      L.DomEvent.disableClickPropagation(div);
      L.DomEvent.disableScrollPropagation(div);
      return div;
    };
    control.addTo(map);
    fillFrame(map); // every map has a legend; one opening at a link's view is fitted to nothing
    keepTooltipsClear(map, control.getContainer());
    map.on("resize", function () {
      fitLegend(map);
    });
    whenStyled(function () {
      fitLegend(map); // measured again with the style sheets in: the controls placed
    });
    global.__corridorMap = map;
    if (global.__corridorLegendRows !== undefined) {
      setLegendRows(global.__corridorLegendRows); // the overlays came first
    }
    if (global.__corridorNote !== undefined) {
      setNote(global.__corridorNote);
    }
    return control;
  }

  /**
   * Keep the open legend inside the map and clear of the controls at its bottom (scale bar,
   * credits): where its rows would run past them (large type on a short projector image), set
   * them smaller, then in two columns; only where even that is too tall, it scrolls in its box.
   */
  function fitLegend(map) {
    var div = map.getContainer().querySelector(".corridor-legend");
    if (!div) {
      return;
    }
    var steps = ["corridor-legend-compact", "corridor-legend-columns"];
    steps.forEach(function (name) {
      L.DomUtil.removeClass(div, name);
    });
    var room = map.getSize().y - div.offsetTop - cornerRoom(map).bottom - CONTROL_GAP;
    div.style.maxHeight = Math.max(0, room) + "px";
    for (var i = 0; i < steps.length && div.scrollHeight > room; i++) {
      L.DomUtil.addClass(div, steps[i]);
    }
    map.fire("corridorlegendfit"); // the map's bounds keep room for it (keepToArea)
  }

  var CONTROL_GAP = 10; // pixels between two of the map's controls, as Leaflet spaces them

  /**
   * The room the map's own controls take at its edges, in pixels: at the left, the zoom and
   * drawing buttons' column; at the bottom, the tallest of the scale bar, a note and the credits.
   */
  function cornerRoom(map) {
    var container = map.getContainer();
    var outer = container.getBoundingClientRect();
    var room = { left: 0, bottom: 0 };
    function each(selector, fn) {
      container.querySelectorAll(selector).forEach(function (el) {
        if (el.offsetWidth) {
          fn(el.getBoundingClientRect());
        }
      });
    }
    each(".leaflet-top.leaflet-left > .leaflet-control", function (box) {
      room.left = Math.max(room.left, box.right - outer.left);
    });
    each(".leaflet-bottom > .leaflet-control", function (box) {
      room.bottom = Math.max(room.bottom, outer.bottom - box.top);
    });
    return room;
  }

  /** Whether the map is too small to keep the legend open: [width, height] in pixels. */
  function shortOfSpace(map, foldBelow) {
    var size = map.getSize();
    return size.x < foldBelow[0] || size.y < foldBelow[1];
  }

  /**
   * The wheel zooms the map only once the map is in use (pressed, dragged or tapped), and goes
   * back to scrolling the page when the pointer leaves it: over a map that fills most of a
   * laptop's screen, the wheel on its way to the tabs below zoomed the map out to a speck of
   * Eurasia instead. A wheel turned over a map not in use shows a hint for a moment; the zoom
   * buttons and the keys (+ and -) work as ever. A map with nothing around it to scroll to
   * zooms at once: ``atOnce`` (presentation mode, where it fills the screen), or a standalone
   * page, not in a frame, whose map is the whole page.
   */
  function wheelWhenInUse(map, atOnce) {
    if (atOnce || window.parent === window) {
      return;
    }
    var container = map.getContainer();
    var hint = L.DomUtil.create("div", "corridor-wheel-hint", container);
    hint.textContent = "Click the map, then scroll to zoom";
    hint.setAttribute("aria-hidden", "true"); // the buttons and keys zoom without it
    var timer = null;
    map.scrollWheelZoom.disable();
    container.addEventListener("pointerdown", function () {
      map.scrollWheelZoom.enable();
      L.DomUtil.removeClass(hint, "corridor-wheel-hint-shown");
    });
    container.addEventListener("pointerleave", function () {
      map.scrollWheelZoom.disable();
    });
    container.addEventListener(
      "wheel",
      function () {
        if (map.scrollWheelZoom.enabled()) {
          return;
        }
        L.DomUtil.addClass(hint, "corridor-wheel-hint-shown");
        clearTimeout(timer);
        timer = setTimeout(function () {
          L.DomUtil.removeClass(hint, "corridor-wheel-hint-shown");
        }, 1500);
      },
      { passive: true }
    );
  }

  /**
   * Keep the map on the study area (corridors/extent.py's, the maxBounds the map is made with):
   * zoomed out by the wheel or the buttons, or dragged away, the map became a speck of Eurasia
   * in an empty world. It zooms out no farther than the whole area fits the map, and its bounds
   * are the area with room east of it for the open legend: with the area alone, Leaflet centres
   * it in a map wider than it (presentation mode's short, wide map at its lowest zoom), with
   * its east under the legend, and undoes a fit that keeps a box clear of the legend. Measured
   * again on every resize (a phone turning, presentation mode), before the legend's and the
   * first fit's handlers, so they fit at the new limit, and as the legend is fitted.
   */
  function keepToArea(map, notice) {
    var area = map.options.maxBounds;
    map.__corridorArea = area;
    if (notice) {
      dismissableNotice(map, notice);
    }
    function limit() {
      var size = map.getSize();
      if (!area || !size.x || !size.y) {
        return; // a frame not laid out yet: its resize sets the limit
      }
      var span = map.project(area.getSouthEast(), 0).subtract(map.project(area.getNorthWest(), 0));
      var zoom = map.getScaleZoom(Math.min(size.x / span.x, size.y / span.y), 0);
      var snap = map.options.zoomSnap;
      zoom = snap ? Math.floor(zoom / snap) * snap : zoom;
      var east = map.project(area.getNorthEast(), zoom).add([legendRoom(map), 0]);
      var bounds = L.latLngBounds(area.getSouthWest(), map.unproject(east, zoom));
      // Not setMaxBounds: the pan it starts into new bounds is animated, and lands after (and
      // undoes) a fit made meanwhile. Leaflet reads the option on every move, as its own.
      map.options.maxBounds = bounds;
      if (map._loaded) {
        map.panInsideBounds(bounds, { animate: false });
      }
      if (map._loaded && map.getZoom() < zoom) {
        // At once: setMinZoom would animate the zoom, and undo a view set in the meantime.
        map.setView(map.getCenter(), zoom, { animate: false });
      }
      map.setMinZoom(zoom);
    }
    map.on("resize corridorlegendfit", limit);
    limit();
  }

  /** A note on the map, as the others, with a button that takes it away. */
  function dismissableNotice(map, text) {
    var note = L.control({ position: "bottomleft" });
    note.onAdd = function () {
      var div = L.DomUtil.create("div", "corridor-notice corridor-notice-dismissable");
      div.setAttribute("role", "status");
      L.DomUtil.create("span", "", div).textContent = text;
      var close = L.DomUtil.create("button", "", div);
      close.type = "button";
      close.textContent = "\u00d7";
      close.setAttribute("aria-label", "Dismiss this note");
      L.DomEvent.disableClickPropagation(div);
      L.DomEvent.on(close, "click", function () {
        note.remove();
      });
      return div;
    };
    note.addTo(map);
  }

  /** The width the open legend takes at the map's right, with its gaps; 0 while it is folded. */
  function legendRoom(map) {
    var details = map.getContainer().querySelector(".corridor-legend details");
    return details && details.open ? details.parentNode.offsetWidth + 2 * CONTROL_GAP : 0;
  }

  /**
   * Keep every open tooltip whole and readable: moved inside the map where it would be cut at
   * an edge, and the legend hidden while a tooltip would lie under it (controls sit above the
   * map's panes, so no z-index can lift a tooltip over them).
   */
  function keepTooltipsClear(map, legendDiv) {
    var container = map.getContainer();
    function adjust() {
      var covered = false;
      var outer = container.getBoundingClientRect();
      var tips = container.querySelectorAll(".leaflet-tooltip");
      for (var i = 0; i < tips.length; i++) {
        var tip = tips[i];
        // Moved by its own translate: Leaflet places it by its transform, and its margin keeps
        // it an arrow's length off its anchor.
        tip.style.translate = "";
        var box = tip.getBoundingClientRect();
        var dx = Math.max(0, outer.left + 2 - box.left) - Math.max(0, box.right - outer.right + 2);
        var dy = Math.max(0, outer.top + 2 - box.top) - Math.max(0, box.bottom - outer.bottom + 2);
        tip.style.translate = dx + "px " + dy + "px";
        var legendBox = legendDiv.getBoundingClientRect();
        covered =
          covered ||
          (box.left + dx < legendBox.right &&
            legendBox.left < box.right + dx &&
            box.top + dy < legendBox.bottom &&
            legendBox.top < box.bottom + dy);
      }
      L.DomUtil[covered ? "addClass" : "removeClass"](legendDiv, "corridor-legend-yield");
    }
    // Also once the map has moved or been resized under an open tooltip (a resize's fit, a
    // tour step, a pan from the keys): the tooltip moves with the map, maybe under the legend.
    map.on("tooltipopen tooltipclose mousemove moveend zoomend resize", function () {
      L.Util.requestAnimFrame(adjust);
    });
  }

  /**
   * The fit the map keeps while nobody else moves it: run again whenever the map is resized
   * (presentation mode stretching it, a tour step's column narrowing it, a phone turning), and
   * dropped once the user or the page moves the map (see moveMap).
   */
  function autoFit(map) {
    if (!map.__corridorFit) {
      var kept = { fit: null };
      map.__corridorFit = kept;
      map.on("resize", function () {
        if (kept.fit) {
          kept.fit();
        }
      });
      ["mousedown", "touchstart", "wheel", "keydown"].forEach(function (type) {
        map.getContainer().addEventListener(
          type,
          function () {
            stopFitting(map); // the user's view from now on
          },
          true,
        );
      });
    }
    return map.__corridorFit;
  }

  function keepFitted(map, fit) {
    autoFit(map).fit = fit;
    fit();
  }

  function stopFitting(map) {
    autoFit(map).fit = null;
  }

  /**
   * Fit the first view to the corridors, with room for the legend only where it is open, and
   * keep it fitted as the map's frame is resized (see autoFit).
   */
  function fitRoutes(map, bounds, legendWidthPx, foldBelow) {
    keepFitted(map, function () {
      var right = shortOfSpace(map, foldBelow) ? 12 : legendWidthPx;
      map.fitBounds(bounds, {
        paddingTopLeft: [12, 12],
        paddingBottomRight: [right, 12],
        animate: false,
      });
    });
  }

  var STEP_GAP = 12; // pixels between a tour step's box and the map's edge or the legend

  /**
   * Fit a box the page chose (a tour step's), [[south, west], [north, east]], to the map as it
   * is on screen, as the numbered move ``number`` (see moveMap): the page sends no view of its
   * own to move to first, so the map moves once. The box is kept fitted while the page
   * settles around it (the step's column appearing beside the map, presentation mode's bar
   * above it), until the user or the page moves the map.
   */
  function fitMap(layer, box, number) {
    once(layer, number, function (map) {
      whenStyled(function () {
        if (map.__corridorMove === number) {
          keepFitted(map, stepFit(map, L.latLngBounds(box)));
          revealFirstScreen();
        }
      });
    });
  }

  /**
   * The page's first screen (the title row, the map and a tour step's words beside or above
   * it), keyed by corridors/ui/presentation.py's FIRST_SCREEN. A tour started from the Tour
   * tab, a scroll below the map, would leave the map it moves and the step's words off screen.
   */
  var FIRST_SCREEN = ".st-key-first_screen";

  /**
   * Bring the page's first screen into view when the map's frame is not wholly on screen: the
   * page it is embedded in lays out as it does at its top (page.css gives the first screen the
   * room above it as a scroll margin). A standalone page is not in a frame.
   */
  function revealFirstScreen() {
    var frame = window.frameElement;
    if (!frame) {
      return;
    }
    var box = frame.getBoundingClientRect();
    var view = frame.ownerDocument.defaultView;
    if (box.top >= 0 && box.bottom <= view.innerHeight) {
      return;
    }
    (frame.closest(FIRST_SCREEN) || frame).scrollIntoView({ block: "start" });
  }

  /**
   * Take the frame's size as it is now, without a move of the map's own. The page lays out a
   * tour step's column beside the map (above it on a phone) before the step's box reaches the
   * map, but the frame's resize event comes after: fitted at the size Leaflet last measured,
   * the box would be fitted again on that resize, and Leaflet's own resize moves the map too.
   * Leaflet 1.9 measures again on its next getSize once _sizeChanged is set; its resize
   * handler then finds the size unchanged and leaves the map alone.
   */
  function takeFrameSize(map) {
    fillHeight(map);
    var container = map.getContainer();
    var size = map.getSize();
    if (container.clientWidth !== size.x || container.clientHeight !== size.y) {
      map._sizeChanged = true;
    }
  }

  /**
   * Run ``fn`` once the frame's style sheets are in: streamlit-folium adds Leaflet's as the map
   * is made, and until it is in, the legend is not yet placed on the map to be measured.
   */
  function whenStyled(fn) {
    var pending = Array.prototype.filter.call(
      document.querySelectorAll('link[rel="stylesheet"]'),
      function (link) {
        return !link.sheet;
      },
    );
    var left = pending.length;
    if (!left) {
      fn();
      return;
    }
    function done() {
      left -= 1;
      if (!left) {
        fn();
      }
    }
    pending.forEach(function (link) {
      link.addEventListener("load", done);
      link.addEventListener("error", done);
    });
  }

  /**
   * A fit of ``bounds`` that the legend does not cover: beside the open legend, or with the
   * legend folded to its title and the box beside or under that, whichever shows the box
   * larger; the legend stays open where that costs at most half a zoom level. A legend the
   * reader folded stays folded; one folded here opens again for the next fit to weigh.
   */
  function stepFit(map, bounds) {
    var foldedHere = false;
    return function () {
      takeFrameSize(map);
      var shown = map.getContainer().getBoundingClientRect();
      if (!shown.width || !shown.height) {
        return; // a frame not laid out yet: the resize when it is fits the box
      }
      var details = map.getContainer().querySelector(".corridor-legend details");
      if (foldedHere) {
        details.open = true;
        foldedHere = false;
        fitLegend(map);
      }
      var room = roomBeside(map, bounds, details.parentNode);
      if (details.open) {
        details.open = false;
        fitLegend(map);
        var folded = roomBeside(map, bounds, details.parentNode);
        if (room.zoom + 0.5 < folded.zoom) {
          room = folded;
          foldedHere = true;
        } else {
          details.open = true;
          fitLegend(map);
        }
      }
      if (!isFinite(room.zoom)) {
        return; // a frame laid out smaller than the legend's margins: its resize fits again
      }
      map.fitBounds(bounds, {
        paddingTopLeft: room.topLeft,
        paddingBottomRight: room.bottomRight,
        animate: false,
      });
    };
  }

  /**
   * Padding for fitBounds that keeps ``bounds`` left of the legend or under it, whichever
   * gives the larger zoom, with that zoom; the legend as it is now, open or folded. Either way
   * the box keeps right of the zoom and drawing buttons and above the scale bar and credits.
   */
  function roomBeside(map, bounds, legendDiv) {
    var outer = map.getContainer().getBoundingClientRect();
    var legend = legendDiv.getBoundingClientRect();
    var tools = cornerRoom(map); // the box stays clear of the buttons and the scale bar too
    var left = tools.left + STEP_GAP;
    var bottom = tools.bottom + STEP_GAP;
    var right = Math.max(STEP_GAP, outer.right - legend.left + STEP_GAP);
    var top = Math.max(STEP_GAP, legend.bottom - outer.top + STEP_GAP);
    var beside = { topLeft: [left, STEP_GAP], bottomRight: [right, bottom] };
    var below = { topLeft: [left, top], bottomRight: [STEP_GAP, bottom] };
    var size = map.getSize();
    function zoomWithin(padding) {
      // Padding as wide or tall as the map leaves no room: Leaflet would give it any zoom
      // (Infinity), and a step under a legend taller than the map's room was never fitted.
      return padding.x < size.x && padding.y < size.y ? map.getBoundsZoom(bounds, false, padding) : -Infinity;
    }
    beside.zoom = zoomWithin(L.point(left + right, STEP_GAP + bottom));
    below.zoom = zoomWithin(L.point(left + STEP_GAP, top + bottom));
    return beside.zoom >= below.zoom ? beside : below;
  }

  /**
   * Keep the map exactly as tall as the frame it is embedded in. streamlit-folium gives the map
   * a fixed height in pixels; when the page makes the frame shorter (presentation mode on a
   * 720-pixel projector) the map's bottom, with its scale bar, would be cut off, and when it
   * makes it taller the map would leave a gap. A standalone page is not in a frame.
   */
  function fillFrame(map) {
    if (window.parent === window) {
      return;
    }
    function fill() {
      if (fillHeight(map)) {
        map.invalidateSize(); // about the same centre, as Leaflet keeps it on a window resize
      }
    }
    window.addEventListener("resize", fill);
    fill();
  }

  /** Set the map's height to its frame's, in a frame; return whether it changed. */
  function fillHeight(map) {
    var container = map.getContainer();
    var height = window.innerHeight;
    if (window.parent === window || !(height > 0)) {
      return false;
    }
    if (Math.abs(container.offsetHeight - height) <= 1) {
      return false;
    }
    container.style.height = height + "px";
    return true;
  }

  /**
   * Move the map to a view the page chose (a link, a tour step, a corridor picked), once: the
   * overlays carrying the move are evaluated again whenever any layer changes, and a move made
   * already must not undo the user's pans since. The view is set at once, not in Leaflet's
   * quarter-second pan: the page often resizes the map in the same moment (presentation mode's
   * tour bar going away), and a resize during a pan lands the map half the resize away.
   */
  function moveMap(layer, center, zoom, number) {
    once(layer, number, function (map) {
      map.setView(center, zoom, { animate: false });
    });
  }

  /**
   * Make the page's move ``number`` with ``go(map)`` unless the map has made it already. A move
   * ends any fit the map was keeping (see autoFit). From then on the map's reports to the page
   * say they answer this move: streamlit-folium sends back only fields of its own, and this map
   * has no tag filter, so the number goes as its one selected tag. The page drops a report
   * made before its last move reached the map (a view the page has moved away from since).
   */
  function once(layer, number, go) {
    function move() {
      var map = layer._map;
      if (map.__corridorMove !== number) {
        map.__corridorMove = number;
        if (global.__GLOBAL_DATA__) {
          global.__GLOBAL_DATA__.selected_tags = [number]; // before the move's own report
        }
        stopFitting(map); // the page's view from now on
        go(map);
      }
    }
    function whenAdded() {
      if (layer._map) {
        move();
      } else {
        layer.once("add", move); // the overlays are added to the map after they are built
      }
    }
    if (claimed !== null) {
      movesAfterSettling.push(whenAdded); // after the layers this update drops are gone
    } else {
      whenAdded();
    }
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
    if (global.__corridorMap) {
      fitLegend(global.__corridorMap);
      scheduleLabels(global.__corridorMap); // labels keep clear of the legend's new size
    }
  }

  /** Scale the map's own text (legend, labels, tooltips) through a CSS variable. */
  function fontScale(map, scale) {
    map.getContainer().style.setProperty("--corridor-font-scale", scale);
    if (map.__corridorLabels) {
      map.__corridorLabels.sizing += 1; // every label is measured again
    }
  }

  /**
   * What a group's tooltips share (escaped HTML: its sources' links, its route's heading), sent
   * once for the group rather than in every tooltip (corridors/webmap/elements.py, TooltipParts).
   */
  function tooltipParts(parts) {
    return parts;
  }

  /**
   * A tooltip's text (escaped HTML): as it came, or put together from its parts, where a number
   * stands for that entry of its group's ``shared`` parts. It is whole before it is bound, so the
   * tooltip, its popup, the keyboard's name for it and what streamlit-folium reports of a click
   * read the same text as before.
   */
  function tooltipHtml(text, shared) {
    if (typeof text === "string") {
      return text;
    }
    return text
      .map(function (part) {
        return typeof part === "number" ? shared[part] : part;
      })
      .join("");
  }

  /** Circle markers sharing one style, each with its own (escaped) tooltip, as one element. */
  function circleMarkers(parent, points, style, shared) {
    points.forEach(function (point) {
      L.circleMarker([point[0], point[1]], style)
        .bindTooltip("<div>" + tooltipHtml(point[2], shared) + "</div>", { sticky: true })
        .addTo(parent);
    });
  }

  /** Bind each line's tooltip (escaped HTML), as folium.Tooltip would, in one call. */
  function bindTooltips(pairs, shared) {
    pairs.forEach(function (pair) {
      pair[0].bindTooltip("<div>" + tooltipHtml(pair[1], shared) + "</div>", { sticky: true });
    });
  }

  /**
   * A click on a line, station or chokepoint whose tooltip links sources, or on a cut, opens the
   * same (escaped) text in a popup that stays open, so its links can be clicked: a tooltip closes
   * as the pointer leaves it. The popup is the map's, not the layer's: the click reruns the page, which swaps
   * the overlays, and a layer's own popup would close with its layer.
   */
  function sourcePopups(map) {
    var shown = null; // the last source popup opened
    function hook(layer) {
      if (layer.getTooltip && !layer._corridorPopup) {
        layer._corridorPopup = true;
        layer.on("click", function (e) {
          shown = openSourcePopup(map, layer, e.latlng) || shown;
        });
      }
    }
    map.eachLayer(hook);
    map.on("layeradd", function (e) {
      hook(e.layer);
    });
    // The pointer still rests on the line it clicked, and the rerun the click starts draws that
    // line again under it: its tooltip, the popup's own text, would open beside the popup and
    // cover it. It stays closed while the popup is open; the next hover after opens it again.
    map.on("tooltipopen", function (e) {
      if (shown !== null && shown.isOpen() && e.tooltip.getContent() === shown.getContent()) {
        map.removeLayer(e.tooltip);
      }
    });
  }

  /**
   * What a click on a layer opens in a popup, or null: its tooltip's text (escaped HTML) if it
   * links sources, or if the layer asks for it (``opensPopup``, a cut's option: what closed the
   * route is read, and kept on screen, as the others' sources are).
   */
  function popupHtml(layer) {
    var tip = layer.getTooltip ? layer.getTooltip() : null;
    var html = tip ? tip.getContent() : null;
    if (typeof html !== "string") {
      return null;
    }
    return html.indexOf("<a ") >= 0 || layer.options.opensPopup ? html : null;
  }

  /** Open ``layer``'s tooltip text in a popup at ``latlng`` if a click opens it; return it. */
  function openSourcePopup(map, layer, latlng) {
    var html = popupHtml(layer);
    if (html === null) {
      return null; // the tooltip says it all
    }
    layer.closeTooltip();
    var size = map.getSize();
    return L.popup({
      className: "corridor-popup",
      maxWidth: Math.max(120, Math.min(320, size.x - 60)),
      maxHeight: Math.max(80, size.y - 60),
      autoPanPadding: [8, 8],
    })
      .setLatLng(latlng)
      .setContent(html)
      .openOn(map);
  }

  /**
   * The basemap's states, under everything else and never clickable: ``source`` is the URL of
   * its file, which the browser fetches once (the dashboard), or the GeoJSON itself (a
   * standalone page). Its own pane below the overlay pane (400) keeps it under the corridors'
   * states and lines whenever it arrives: in the overlay pane, a basemap added after them
   * covered the states a route crosses.
   */
  function basemapLayer(map, source, style, attribution) {
    map.createPane("basemap").style.zIndex = 350;
    var fetched = typeof source === "string";
    var layer = L.geoJSON(fetched ? null : source, {
      pane: "basemap",
      style: style,
      interactive: false,
      attribution: attribution,
    }).addTo(map);
    if (fetched) {
      fetchJson(source, "basemap", function (data) {
        layer.addData(data);
      });
    }
    return layer;
  }

  /** Fetch the JSON file at ``url`` and hand it to ``use``; a failure is logged as ``what``'s. */
  function fetchJson(url, what, use) {
    fetch(url)
      .then(function (response) {
        if (!response.ok) {
          throw new Error(what + ": HTTP " + response.status);
        }
        return response.json();
      })
      .then(use)
      .catch(function (err) {
        console.error(err);
      });
  }

  /*
   * What the overlays draw from data the map already holds, instead of receiving it again: the
   * selected corridor's states were a third of the overlays, though the basemap the browser
   * fetched once holds the same shapes.
   */
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
    });
    // Drawn after the lines, or again when their group comes back, the states would cover the
    // lines there, and take their hover and click: the states go under every other overlay,
    // again after anything else is added (a map with no view yet adds its layers only once it
    // has one, in an order of its own), once a frame.
    var pending = false;
    function toBack(e) {
      if (pending || (e && e.layer instanceof L.DivOverlay)) {
        return; // a tooltip or popup opening draws nothing over the states
      }
      pending = true;
      L.Util.requestAnimFrame(function () {
        pending = false;
        if (layer._map) {
          keepFocus(function () {
            layer.bringToBack();
          });
        }
      });
    }
    layer.__corridorBack = true; // not brought to the front with its overlay (toFront)
    layer.on("add", function () {
      layer._map.on("layeradd", toBack);
      toBack();
    });
    layer.on("remove", function () {
      layer._map.off("layeradd", toBack);
    });
    layer.addTo(parent);
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
      console.error("corridors: no basemap shared");
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

  /*
   * Overlays kept by their text. streamlit-folium removes every overlay and runs all their
   * scripts again on any change, so a toggle drew every corridor, state and marker anew. Each
   * overlay's script comes wrapped in a function (corridors/webmap/elements.py, KeptLayer) whose
   * text is its key: a layer built from the same text in the update before stays on the map as
   * it is, and only a new text is built. What streamlit-folium adds and removes is an empty
   * stand-in; a layer the page no longer sends is removed, and the layers put back in the
   * page's order (later over earlier), once the update's scripts have run.
   */
  var keptLayers = new Map(); // the build function's text -> {layer, rank, fresh}
  var claimed = null; // this update's entries, in the page's order, while its scripts run
  // Moves an update's scripts ask for (see once): made once the layers it no longer sends are
  // removed, so that Leaflet does not project those again for the new view (a pick's move took
  // about 39 ms with them, the old corridor's states and names among them).
  var movesAfterSettling = [];

  function overlay(map, build) {
    var text = build.toString();
    if (claimed === null) {
      claimed = [];
      Promise.resolve().then(function () {
        settleOverlays(map);
      });
    }
    var key = text;
    for (var n = 2; claimed.some(function (item) { return item.key === key; }); n += 1) {
      key = text + "\n// " + n; // the same layer twice in one update: two layers
    }
    var entry = keptLayers.get(key);
    if (entry === undefined) {
      entry = { layer: build(), rank: -1, fresh: true };
      keptLayers.set(key, entry);
    }
    claimed.push({ key: key, entry: entry });
    return L.layerGroup();
  }

  function settleOverlays(map) {
    var order = claimed;
    claimed = null;
    var wanted = new Set(order.map(function (item) { return item.key; }));
    keptLayers.forEach(function (entry, key) {
      if (!wanted.has(key)) {
        map.removeLayer(entry.layer);
        keptLayers.delete(key);
      }
    });
    movesAfterSettling.splice(0).forEach(function (move) {
      move();
    });
    // A new layer was drawn over all the kept ones: from the first one new or out of order
    // on, every layer goes to the front in turn.
    var restack = false;
    var highest = -1;
    keepFocus(function () {
      order.forEach(function (item, rank) {
        var entry = item.entry;
        restack = restack || entry.fresh || entry.rank < highest;
        highest = Math.max(highest, entry.rank);
        if (restack) {
          toFront(entry.layer);
        }
        entry.rank = rank;
        entry.fresh = false;
      });
    });
  }

  /** Bring a layer's lines and markers to the front, except states kept under everything. */
  function toFront(layer) {
    if (layer.__corridorBack) {
      return;
    }
    if (layer instanceof L.Path) {
      if (layer._map) {
        layer.bringToFront();
      }
    } else if (layer.eachLayer) {
      layer.eachLayer(toFront);
    }
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

  /*
   * Labels: names of states, seas, places, stations and bypassed states, laid out per view.
   *
   * Each label set is a layer: the base map adds the fixed names, the overlays the stations and
   * "bypassed" states, so removing a group removes its names. After every move, zoom or change
   * of layers all live labels are placed again, most important first: each is tried at its
   * anchors in turn (a station or a sea beside its point too) and shown at the first spot where
   * its box stays on the map, inside its state (see corridors/webmap/labels.py), clear of every
   * label already placed, of the route lines and of the markers; else it stays hidden, or, for a
   * name a tour step's words mention or a state the selected route crosses or bypasses, goes
   * beside its place on a leader (leaderSpot).
   */
  var LABEL_GAP = 3; // pixels kept between a label and anything else

  function labelRegistry(map) {
    if (!map.__corridorLabels) {
      // ``sizing`` counts the changes that can resize a label (its style sheet or a font
      // arriving, the font scale): a label measured under an older count is measured again.
      var registry = { sets: [], pending: false, sizing: 0 };
      map.__corridorLabels = registry;
      var pane = map.createPane("corridorLabels");
      pane.style.zIndex = 450; // over the lines (400), under markers (600) and tooltips (650)
      pane.style.pointerEvents = "none";
      L.DomUtil.addClass(pane, "leaflet-zoom-hide"); // hidden while a zoom animates
      map.on("zoomend moveend resize layeradd layerremove", function () {
        scheduleLabels(map);
      });
      function resized() {
        registry.sizing += 1;
        scheduleLabels(map);
      }
      window.addEventListener("load", resized);
      // streamlit-folium adds the style sheets after the frame's own load: each one's load
      // (which does not bubble) is caught on its way down.
      document.addEventListener(
        "load",
        function (e) {
          if (e.target instanceof HTMLLinkElement) {
            resized();
          }
        },
        true,
      );
      if (document.fonts) {
        document.fonts.addEventListener("loadingdone", resized);
      }
    }
    return map.__corridorLabels;
  }

  function scheduleLabels(map) {
    var registry = labelRegistry(map);
    if (!registry.pending) {
      registry.pending = true;
      L.Util.requestAnimFrame(function () {
        registry.pending = false;
        layoutLabels(map);
      });
    }
  }

  var LabelSet = L.Layer.extend({
    initialize: function (records, aspects, fitZoom, emphasis, mentioned, near) {
      this._records = records;
      this._aspects = aspects;
      this._fitZoom = fitZoom;
      this._emphasis = emphasis;
      this._mentioned = mentioned;
      this._near = near || [];
      this._items = [];
    },
    onAdd: function (map) {
      var registry = labelRegistry(map);
      var pane = map.getPane("corridorLabels");
      this._items = this._records.map(function (record) {
        var classes = "corridor-label corridor-label-" + record.kind;
        if (record.size) {
          classes += " corridor-label-" + record.size;
        }
        var el = L.DomUtil.create("div", classes, pane);
        // Escaped HTML, as for tooltips and the legend (corridors.text.escape_html).
        L.DomUtil.create("span", "", el).innerHTML = record.text;
        if (record.note) {
          L.DomUtil.create("small", "", el).innerHTML = record.note;
        }
        el.style.display = "none";
        // ``sizing``: the registry's count it was measured under; ``shown``, ``at``,
        // ``crossed``, ``leader``: what the last layout left (see placeLabel, layoutLabels,
        // placeLeader).
        return {
          record: record,
          el: el,
          w: 0,
          h: 0,
          sizing: -1,
          shown: false,
          at: null,
          crossed: null,
          rank: 0,
          leader: null,
          leaderEl: null,
        };
      });
      registry.sets.push(this);
      scheduleLabels(map);
    },
    onRemove: function (map) {
      var registry = labelRegistry(map);
      this._items.forEach(function (item) {
        L.DomUtil.remove(item.el);
        if (item.leaderEl) {
          L.DomUtil.remove(item.leaderEl);
        }
      });
      registry.sets.splice(registry.sets.indexOf(this), 1);
      scheduleLabels(map);
    },
  });

  /** A set of labels (escaped HTML), added to the map or to an overlay group. */
  function labelSet(parent, records, aspects, fitZoom, emphasis, mentioned, near) {
    return new LabelSet(records, aspects, fitZoom, emphasis, mentioned, near).addTo(parent);
  }

  /** A set of labels (escaped HTML) the browser fetches once, added to the map when they land. */
  function fetchedLabelSet(map, url, aspects, fitZoom) {
    var set = labelSet(map, [], aspects, fitZoom, [], []);
    fetchJson(url, "names", function (records) {
      map.removeLayer(set);
      set._records = records;
      map.addLayer(set);
    });
    return set;
  }

  function boxesOverlap(a, b) {
    return a[0] < b[2] && b[0] < a[2] && a[1] < b[3] && b[1] < a[3];
  }

  /** Whether a segment [x0, y0, x1, y1] crosses a box (Liang-Barsky clipping). */
  function segmentHitsBox(s, box) {
    if (
      Math.max(s[0], s[2]) < box[0] ||
      Math.min(s[0], s[2]) > box[2] ||
      Math.max(s[1], s[3]) < box[1] ||
      Math.min(s[1], s[3]) > box[3]
    ) {
      return false;
    }
    var dx = s[2] - s[0];
    var dy = s[3] - s[1];
    var p = [-dx, dx, -dy, dy];
    var q = [s[0] - box[0], box[2] - s[0], s[1] - box[1], box[3] - s[1]];
    var t0 = 0;
    var t1 = 1;
    for (var i = 0; i < 4; i++) {
      if (p[i] === 0) {
        if (q[i] < 0) {
          return false;
        }
      } else {
        var r = q[i] / p[i];
        if (p[i] < 0) {
          t0 = Math.max(t0, r);
        } else {
          t1 = Math.min(t1, r);
        }
        if (t0 > t1) {
          return false;
        }
      }
    }
    return true;
  }

  /** Whether two segments [x0, y0, x1, y1] cross (or touch), by the signs of their turns. */
  function segmentsCross(a, b) {
    var turn = function (p, q, x, y) {
      return Math.sign((q[0] - p[0]) * (y - p[1]) - (q[1] - p[1]) * (x - p[0]));
    };
    var a0 = [a[0], a[1]];
    var a1 = [a[2], a[3]];
    var b0 = [b[0], b[1]];
    var b1 = [b[2], b[3]];
    return (
      turn(a0, a1, b[0], b[1]) * turn(a0, a1, b[2], b[3]) <= 0 &&
      turn(b0, b1, a[0], a[1]) * turn(b0, b1, a[2], a[3]) <= 0
    );
  }

  /** The route lines and markers on the map, in pixels: what labels keep clear of. */
  function labelObstacles(map) {
    var segments = [];
    var dots = [];
    var view = map.getBounds().pad(0.2);
    map.eachLayer(function (layer) {
      if (layer instanceof L.CircleMarker) {
        var c = map.latLngToContainerPoint(layer.getLatLng());
        var r = layer.getRadius() + 1;
        dots.push([c.x - r, c.y - r, c.x + r, c.y + r]);
      } else if (layer instanceof L.Polyline && !(layer instanceof L.Polygon)) {
        if (!layer.getLatLngs().length || !view.intersects(layer.getBounds())) {
          return;
        }
        var lines = layer.getLatLngs();
        (L.LineUtil.isFlat(lines) ? [lines] : lines).forEach(function (line) {
          var last = null;
          line.forEach(function (latlng) {
            var point = map.latLngToContainerPoint(latlng);
            if (last) {
              segments.push([last.x, last.y, point.x, point.y]);
            }
            last = point;
          });
        });
      }
    });
    return { segments: segments, dots: dots };
  }

  /**
   * Where a label of w x h pixels may sit around a state's anchor and stay inside the state:
   * the room left in the largest fitting rectangle (see labels.py), as shifts nearest first.
   */
  function shiftsInState(fits, aspects, w, h, scale) {
    var best = null;
    for (var i = 0; i < fits.length; i++) {
      var half = fits[i] * scale;
      var room = [aspects[i] * half - w / 2 - 1, half - h / 2 - 1];
      if (room[0] >= 0 && room[1] >= 0 && (!best || Math.min(room[0], room[1]) > Math.min(best[0], best[1]))) {
        best = room;
      }
    }
    if (!best) {
      return [];
    }
    var steps = [0, 0.5, -0.5, 1, -1];
    var moves = [];
    steps.forEach(function (fy) {
      steps.forEach(function (fx) {
        moves.push([fx * best[0], fy * best[1]]);
      });
    });
    return moves.sort(function (a, b) {
      return Math.abs(a[0]) + 2 * Math.abs(a[1]) - (Math.abs(b[0]) + 2 * Math.abs(b[1]));
    });
  }

  /** Where a label may sit around an anchor with no state to stay in: on it, or beside it. */
  function shiftsBeside(item) {
    var w = item.w / 2 + 10; // clear of a marker's ring and the gap kept round every label
    var h = item.h / 2 + 9;
    var corners = [[w, -h], [-w, -h], [w, h], [-w, h]]; // a corner by the anchor
    if (item.record.kind === "station") {
      var sides = [[w, 0], [-w, 0], [0, -h], [0, h]];
      return item.mentioned ? sides.concat(corners) : sides;
    }
    var near = [[0, 0], [0, -h], [0, h], [w, 0], [-w, 0]];
    // A name the words beside the map mention may take a corner by its anchor, never farther
    // out, where it would name a neighbour.
    return item.mentioned ? near.concat(corners) : near;
  }

  /** The controls on the map (legend, zoom, tools, notes), in pixels: labels stay clear. */
  function controlBoxes(map) {
    var outer = map.getContainer().getBoundingClientRect();
    var boxes = [];
    map
      .getContainer()
      .querySelectorAll(".leaflet-control")
      .forEach(function (el) {
        var r = el.getBoundingClientRect();
        if (r.width && r.height) {
          boxes.push([r.left - outer.left, r.top - outer.top, r.right - outer.left, r.bottom - outer.top]);
        }
      });
    return boxes;
  }

  /**
   * Where ``item`` goes: the first box round its anchors that overlaps no placed label,
   * control or marker, stays in its state (if it has one) and crosses no route line, or null.
   * A name the words beside the map mention (a tour step's), or a state the selected route
   * crosses or bypasses, is looked for harder, as the reader is looking for it: a state's
   * anywhere in the part of it in view (its anchors may all lie off the view), then across a
   * line (its halo keeps it legible), then over its state and the sea by its coast, then over
   * the markers inside it (spotInMask), and never half over a neighbour, where it would read as
   * the neighbour's; another name (a station's, a sea's) beside its anchors. Where none of
   * these has room, the name goes on a leader (leaderSpot, tried by layoutLabels).
   */
  function findSpot(map, item, aspects, scale, placed, obstacles) {
    var inState = function (anchor) {
      return anchor[2].length ? shiftsInState(anchor[2], aspects, item.w, item.h, scale) : shiftsBeside(item);
    };
    var beside = function (anchor) {
      return anchor[2].length ? shiftsBeside(item) : []; // one with no state: tried beside above
    };
    var box = firstSpot(map, item, inState, placed, obstacles, false);
    if (box || !item.sought) {
      return box;
    }
    var iso3 = item.record.iso3;
    var own = iso3 ? stateMask(map, obstacles, iso3, null) : null; // null: no state, or not here yet
    var inView = function (acrossLines, others) {
      return own && spotInMask(map, item, own, others, placed, obstacles, acrossLines);
    };
    return (
      inView(false, null) ||
      firstSpot(map, item, inState, placed, obstacles, true) ||
      inView(true, null) ||
      inView(true, own && stateMask(map, obstacles, iso3, [item.w, item.h])) ||
      inView(OVER_MARKERS, own && stateMask(map, obstacles, iso3, [item.w, item.h])) ||
      (item.record.iso3 ? null : firstSpot(map, item, beside, placed, obstacles, true))
    );
  }

  // ``acrossLines`` at its last resort: a mentioned state's name over route lines and markers
  // alike (the markers are drawn over it), as few as can be, rather than unnamed.
  var OVER_MARKERS = 2;

  /** Whether ``box`` (pixels) is on the map and clear of what labels keep clear of. */
  function spotFree(size, box, placed, obstacles, acrossLines) {
    if (box[0] < 2 || box[1] < 2 || box[2] > size.x - 2 || box[3] > size.y - 2) {
      return false;
    }
    var padded = [box[0] - LABEL_GAP, box[1] - LABEL_GAP, box[2] + LABEL_GAP, box[3] + LABEL_GAP];
    var hits = function (b) {
      return boxesOverlap(padded, b);
    };
    if (placed.some(hits) || obstacles.controls.some(hits)) {
      return false;
    }
    if (
      obstacles.leaders.some(function (s) {
        return segmentHitsBox(s, padded);
      })
    ) {
      return false;
    }
    if (acrossLines !== OVER_MARKERS && obstacles.dots.some(hits)) {
      return false;
    }
    return (
      acrossLines ||
      !obstacles.segments.some(function (s) {
        return segmentHitsBox(s, box);
      })
    );
  }

  /**
   * The first box at ``movesAt``'s shifts round each anchor, in order, that is free (and that
   * ``accept``, if given, takes).
   */
  function firstSpot(map, item, movesAt, placed, obstacles, acrossLines, accept) {
    var size = map.getSize();
    var anchors = item.record.anchors;
    for (var i = 0; i < anchors.length; i++) {
      var moves = movesAt(anchors[i]);
      var p = map.latLngToContainerPoint([anchors[i][0], anchors[i][1]]);
      for (var j = 0; j < moves.length; j++) {
        var x = p.x + moves[j][0] - item.w / 2;
        var y = p.y + moves[j][1] - item.h / 2;
        var box = [x, y, x + item.w, y + item.h];
        if (spotFree(size, box, placed, obstacles, acrossLines) && (!accept || accept(box))) {
          return box;
        }
      }
    }
    return null;
  }

  /*
   * Where a state is on the screen, for a mentioned state's name: its basemap shape (the
   * display's, simplified to some 5 km, under a pixel at the tour's zooms) filled on a canvas
   * at half the map's scale over the state's box in view, read back as a table of sums so that
   * how much of a box lies inside the state, or over others, is four look-ups. Made once a
   * layout, for the few states a step names whose anchors have no room: on the tour's steps at
   * 1280x720 a layout took some 5-10 ms more (a frame's median 27-33 ms against 22-25 ms,
   * 2026-12-01 21:17 UTC, load about 3), where the whole map's canvas took 140-240 ms.
   */
  var MASK_SCALE = 0.5; // canvas pixels per map pixel
  var SPOT_STEP = 6; // map pixels between the centres tried in a state's part in view
  // The most of a state's name that may lie over other states where it fits in none of its own
  // (more over its own state, the rest over the sea): a quarter still reads as this state's.
  var OTHERS_SHARE = 0.25;

  /**
   * The filled cells of state ``iso3`` over the part of the map its box covers, or null (no
   * state, or its shape not here yet); with ``around`` (a label's width and height), those of
   * every other state within that much of it.
   */
  function stateMask(map, obstacles, iso3, around) {
    var key = around ? iso3 + "!" + around.join("x") : iso3;
    if (key in obstacles.masks) {
      return obstacles.masks[key];
    }
    var own = around ? stateMask(map, obstacles, iso3, null) : null;
    var features = [];
    var bounds = null;
    if (basemap !== null && (own || !around)) {
      // The other states only where they can lie under the name: filling every state in view
      // (a hundred on a view of Eurasia) for a few pixels round Armenia took most of its time.
      var view = own
        ? L.latLngBounds(
            map.containerPointToLatLng([own.x0 - around[0], own.y0 - around[1]]),
            map.containerPointToLatLng([own.x1 + around[0], own.y1 + around[1]]),
          )
        : map.getBounds();
      basemap.eachLayer(function (state) {
        var id = state.feature && state.feature.id;
        if ((id === iso3) === !around && view.intersects(state.getBounds())) {
          features.push(state.feature);
          bounds = bounds ? bounds.extend(state.getBounds()) : L.latLngBounds([state.getBounds()]);
        }
      });
    }
    var mask = null;
    if (own) {
      var x0 = own.x0 - around[0];
      var y0 = own.y0 - around[1];
      mask = fillMask(map, features, false, [x0, y0, own.x1 + around[0], own.y1 + around[1]]);
    } else if (bounds) {
      var nw = map.latLngToContainerPoint(bounds.getNorthWest());
      var se = map.latLngToContainerPoint(bounds.getSouthEast());
      mask = fillMask(map, features, true, [nw.x, nw.y, se.x, se.y]);
    }
    obstacles.masks[key] = mask;
    return mask;
  }

  /**
   * A summed-area table of ``features`` drawn at MASK_SCALE over ``region`` (map pixels, cut to
   * the map): a cell counts if wholly covered (``whole``, for inside a state: its edge cells do
   * not) or touched at all (for "over it").
   */
  function fillMask(map, features, whole, region) {
    var size = map.getSize();
    var x0 = Math.max(0, Math.floor(region[0] * MASK_SCALE)) / MASK_SCALE;
    var y0 = Math.max(0, Math.floor(region[1] * MASK_SCALE)) / MASK_SCALE;
    var w = Math.max(1, Math.ceil((Math.min(size.x, region[2]) - x0) * MASK_SCALE));
    var h = Math.max(1, Math.ceil((Math.min(size.y, region[3]) - y0) * MASK_SCALE));
    var canvas = document.createElement("canvas");
    canvas.width = w;
    canvas.height = h;
    var ctx = canvas.getContext("2d", { willReadFrequently: true });
    // The paths are in pixels at zoom 0: scaled to the map's zoom and moved to its view here.
    var crs = map.options.crs;
    var zoom = map.getZoom();
    var centre = map.getCenter();
    var off = map.latLngToContainerPoint(centre).subtract(map.project(centre, zoom));
    var k = (crs.scale(zoom) / crs.scale(0)) * MASK_SCALE;
    ctx.setTransform(k, 0, 0, k, (off.x - x0) * MASK_SCALE, (off.y - y0) * MASK_SCALE);
    features.forEach(function (feature) {
      ctx.fill(statePath(crs, feature), "evenodd");
    });
    var alpha = ctx.getImageData(0, 0, w, h).data;
    var sums = new Int32Array((w + 1) * (h + 1));
    for (var y = 0; y < h; y++) {
      var row = 0;
      for (var x = 0; x < w; x++) {
        var a = alpha[(y * w + x) * 4 + 3];
        row += (whole ? a === 255 : a > 0) ? 1 : 0;
        sums[(y + 1) * (w + 1) + x + 1] = sums[y * (w + 1) + x + 1] + row;
      }
    }
    return { x0: x0, y0: y0, x1: x0 + w / MASK_SCALE, y1: y0 + h / MASK_SCALE, w: w, h: h, sums: sums };
  }

  /**
   * A state's shape as a canvas path in pixels at zoom 0, made once: projecting the states in
   * view again for each layout took some 110 ms of it at 1280x720.
   */
  function statePath(crs, feature) {
    if (!feature.__corridorPath) {
      var path = new Path2D();
      var geometry = feature.geometry;
      var polygons = geometry.type === "Polygon" ? [geometry.coordinates] : geometry.coordinates;
      polygons.forEach(function (rings) {
        rings.forEach(function (ring) {
          ring.forEach(function (c, i) {
            var p = crs.latLngToPoint(L.latLng(c[1], c[0]), 0);
            path[i ? "lineTo" : "moveTo"](p.x, p.y);
          });
          path.closePath();
        });
      });
      feature.__corridorPath = path;
    }
    return feature.__corridorPath;
  }

  /** How many of the mask's cells under ``box`` (map pixels, clipped to the mask) count. */
  function maskCount(mask, box) {
    var x0 = Math.max(0, Math.floor((box[0] - mask.x0) * MASK_SCALE));
    var y0 = Math.max(0, Math.floor((box[1] - mask.y0) * MASK_SCALE));
    var x1 = Math.min(mask.w, Math.ceil((box[2] - mask.x0) * MASK_SCALE));
    var y1 = Math.min(mask.h, Math.ceil((box[3] - mask.y0) * MASK_SCALE));
    return x1 <= x0 || y1 <= y0 ? 0 : cellSum(mask, x0, y0, x1, y1);
  }

  /** The filled cells from cell (x0, y0) up to, not including, (x1, y1): four look-ups. */
  function cellSum(mask, x0, y0, x1, y1) {
    var s = mask.sums;
    var W = mask.w + 1;
    return s[y1 * W + x1] - s[y0 * W + x1] - s[y1 * W + x0] + s[y0 * W + x0];
  }

  /** The number of cells under ``box`` (map pixels), wherever it is. */
  function boxCells(mask, box) {
    return (
      (Math.ceil((box[2] - mask.x0) * MASK_SCALE) - Math.floor((box[0] - mask.x0) * MASK_SCALE)) *
      (Math.ceil((box[3] - mask.y0) * MASK_SCALE) - Math.floor((box[1] - mask.y0) * MASK_SCALE))
    );
  }

  /**
   * The free box inside the state's part in view nearest the middle of where the name fits
   * there, or null: a step's view may show part of a large state and none of its anchors.
   * With ``others`` (the other states' cells), where it does not fit: the free box most over
   * its state and at most OTHERS_SHARE over others (the rest over the sea), so that a small
   * coastal state is named by its coast and no name reads as a neighbour's.
   */
  function spotInMask(map, item, own, others, placed, obstacles, acrossLines) {
    var size = map.getSize();
    var fits = [];
    var mx = 0;
    var my = 0;
    // Every box inside the map that could overlap the state (inside it, without ``others``).
    var reach = others ? [item.w, item.h] : [0, 0];
    var top = Math.max(2, own.y0 - reach[1]);
    var left = Math.max(2, own.x0 - reach[0]);
    var bottom = Math.min(size.y - 2, own.y1 + reach[1]);
    var right = Math.min(size.x - 2, own.x1 + reach[0]);
    for (var y = top; y + item.h <= bottom; y += SPOT_STEP) {
      for (var x = left; x + item.w <= right; x += SPOT_STEP) {
        var box = [x, y, x + item.w, y + item.h];
        var cells = boxCells(own, box);
        var share = maskCount(own, box) / cells;
        var over = others ? maskCount(others, box) / cells : 0;
        if (others ? share > 0 && over <= OTHERS_SHARE : share === 1) {
          fits.push({ box: box, share: Math.round(share * 10) });
          mx += x;
          my += y;
        }
      }
    }
    mx /= fits.length;
    my /= fits.length;
    fits.forEach(function (fit) {
      fit.markers =
        acrossLines === OVER_MARKERS
          ? obstacles.dots.filter(function (dot) {
              return boxesOverlap(fit.box, dot);
            }).length
          : 0;
    });
    // As few markers under it as can be, then as much over its state, then near the middle.
    fits.sort(function (a, b) {
      var far = Math.hypot(a.box[0] - mx, a.box[1] - my) - Math.hypot(b.box[0] - mx, b.box[1] - my);
      return a.markers - b.markers || b.share - a.share || far;
    });
    for (var i = 0; i < fits.length; i++) {
      if (spotFree(size, fits[i].box, placed, obstacles, acrossLines)) {
        return fits[i].box;
      }
    }
    return null;
  }

  /*
   * A sought name (mentioned, or a state the selected route crosses or bypasses) with no room
   * by its anchors or in its state's part in view (Armenia, a few pixels across on the steps
   * fitted to western Asia and the first views; "Azerbaijan", wider than its state and the
   * Caspian beside it) is named on a leader, as the print export does
   * (corridors/printmap/placement.py): in the nearest free spot within LEADER_REACH label
   * heights of a point inside the state (a station's or region's anchor), clear of the route
   * lines if it can be, over other states and the sea if need be, else up to LEADER_FAR label
   * heights out (the Caucasus at zoom 3.5, under three routes' markers), with a line from its
   * nearest edge to that point that crosses no other leader; later names keep clear of it.
   */
  var LEADER_REACH = 4; // label heights from a name to the point its leader ends at
  var LEADER_FAR = 8; // the same, where the markers of a crowded route leave nothing nearer
  var LEADER_TURNS = 16; // directions tried round that point

  /**
   * Where ``item`` goes on a leader: ``{box, line}`` (line: [x0, y0, x1, y1] from the name's
   * edge to the point, map pixels), or null.
   */
  function leaderSpot(map, item, placed, obstacles) {
    var end = leaderEnd(map, item, obstacles);
    if (!end) {
      return null;
    }
    var size = map.getSize();
    var w = item.w;
    var h = item.h;
    var crosses = function (line) {
      return function (b) {
        return segmentHitsBox(line, b);
      };
    };
    // Clear of the route lines, then across them, then across them and farther out.
    for (var pass = 0; pass < 3; pass++) {
      for (var r = pass < 2 ? 1 : LEADER_REACH + 0.5; r <= (pass < 2 ? LEADER_REACH : LEADER_FAR); r += 0.5) {
        for (var k = 0; k < LEADER_TURNS; k++) {
          var dx = Math.cos((2 * Math.PI * k) / LEADER_TURNS);
          var dy = Math.sin((2 * Math.PI * k) / LEADER_TURNS);
          // From the point out to the box's edge, r label heights, then on to its centre.
          var edge = Math.min(w / 2 / Math.max(Math.abs(dx), 1e-9), h / 2 / Math.max(Math.abs(dy), 1e-9));
          var out = r * h + edge;
          var x = Math.round(end[0] + dx * out - w / 2);
          var y = Math.round(end[1] + dy * out - h / 2);
          var box = [x, y, x + w, y + h];
          var from = [Math.min(Math.max(end[0], x), x + w), Math.min(Math.max(end[1], y), y + h)];
          var line = [from[0], from[1], end[0], end[1]];
          if (
            spotFree(size, box, placed, obstacles, pass > 0) &&
            !placed.some(crosses(line)) &&
            !obstacles.controls.some(crosses(line)) &&
            !obstacles.leaders.some(function (other) {
              return segmentsCross(line, other);
            })
          ) {
            return { box: box, line: line };
          }
        }
      }
    }
    return null;
  }

  /**
   * The point a leader ends at, in map pixels clear of the controls, or null: for a state the
   * cell wholly inside it (in view) and off the markers nearest its first anchor in view, else
   * nearest the middle of its cells in view (with none off the markers, the one farthest out
   * from under them); for another name its first anchor in view.
   */
  function leaderEnd(map, item, obstacles) {
    var size = map.getSize();
    var free = function (p) {
      return (
        p[0] >= 2 &&
        p[1] >= 2 &&
        p[0] <= size.x - 2 &&
        p[1] <= size.y - 2 &&
        !obstacles.controls.some(function (b) {
          return p[0] >= b[0] && p[0] <= b[2] && p[1] >= b[1] && p[1] <= b[3];
        })
      );
    };
    var anchors = item.record.anchors
      .map(function (a) {
        var p = map.latLngToContainerPoint([a[0], a[1]]);
        return [p.x, p.y];
      })
      .filter(free);
    if (!item.record.iso3) {
      return anchors.length ? anchors[0] : null;
    }
    var mask = stateMask(map, obstacles, item.record.iso3, null);
    if (!mask) {
      return null;
    }
    var cells = [];
    for (var j = 0; j < mask.h; j++) {
      for (var i = 0; i < mask.w; i++) {
        if (cellSum(mask, i, j, i + 1, j + 1) === 1) {
          var p = [mask.x0 + (i + 0.5) / MASK_SCALE, mask.y0 + (j + 0.5) / MASK_SCALE];
          if (free(p)) {
            cells.push(p);
          }
        }
      }
    }
    if (!cells.length) {
      return null;
    }
    // Off the markers where the state has room (a leader ending under one points at nothing),
    // else as far out from under them as it has.
    var clearance = function (p) {
      return obstacles.dots.reduce(function (least, b) {
        var r = (b[2] - b[0]) / 2;
        return Math.min(least, Math.hypot(p[0] - b[0] - r, p[1] - b[1] - r) - r);
      }, Infinity);
    };
    var bare = cells.filter(function (p) {
      return clearance(p) >= 0;
    });
    if (!bare.length) {
      return cells.reduce(function (best, p) {
        return clearance(p) > clearance(best) ? p : best;
      });
    }
    cells = bare;
    var aim = anchors.length
      ? anchors[0]
      : cells.reduce(
          function (sum, p) {
            return [sum[0] + p[0] / cells.length, sum[1] + p[1] / cells.length];
          },
          [0, 0],
        );
    var near = function (p) {
      return Math.hypot(p[0] - aim[0], p[1] - aim[1]);
    };
    return cells.reduce(function (best, p) {
      return near(p) < near(best) ? p : best;
    });
  }

  // How far a label's tier (mentioned, the selected route's states, the rest) puts it before
  // the next tier's: more than twice the labels' own priorities (labels.py, 0 to 9).
  var RANK_TIER = 20;

  function layoutLabels(map) {
    var registry = labelRegistry(map);
    var items = [];
    var emphasised = {};
    var near = {};
    var mentioned = {};
    var replaced = {};
    registry.sets.forEach(function (set) {
      set._emphasis.forEach(function (iso3) {
        emphasised[iso3] = true;
      });
      set._near.forEach(function (iso3) {
        near[iso3] = true;
      });
      set._mentioned.forEach(function (text) {
        mentioned[text] = true;
      });
      set._items.forEach(function (item) {
        item.aspects = set._aspects;
        item.scale = Math.pow(2, map.getZoom() - set._fitZoom);
        items.push(item);
        if (item.record.kind === "bypassed") {
          replaced[item.record.iso3] = true;
        }
      });
    });
    // Measure the labels not measured yet, in one pass (one reflow, not one per label). A label
    // keeps its size until its style sheet or a font arrives (registry.sizing), or while it
    // measured nothing (a frame not laid out): measuring all of them after every move or
    // change of layers restyled every name on the map, most of that layout's time.
    var unsized = items.filter(function (item) {
      return item.sizing !== registry.sizing || !item.w;
    });
    unsized.forEach(function (item) {
      item.el.style.visibility = "hidden";
      item.el.style.display = "";
    });
    unsized.forEach(function (item) {
      item.w = item.el.offsetWidth;
      item.h = item.el.offsetHeight;
      item.sizing = registry.sizing;
    });
    unsized.forEach(function (item) {
      item.el.style.display = "none";
      item.el.style.visibility = "";
      item.shown = false;
    });
    // Each label's rank worked out once, and its class touched only where that changes: set
    // in the sort's comparison, every name's class was written some twenty times a layout.
    items.forEach(function (item) {
      var crossed = item.record.kind === "state" && Boolean(emphasised[item.record.iso3]);
      if (item.crossed !== crossed) {
        L.DomUtil[crossed ? "addClass" : "removeClass"](item.el, "corridor-label-crossed");
        item.crossed = crossed;
      }
      // Named by the words beside the map (a tour step's): first, and at any zoom. Then, also
      // at any zoom, the states the selected route is about, as the analysis gives them (the
      // emphasis, the "bypassed" labels and the states it passes near): the bypassed, then the
      // crossed smallest first (a small state has the fewest spots left, a large one many),
      // then those it touches or skirts, smallest first. Then the rest.
      var passed = item.record.kind === "state" && !crossed && Boolean(near[item.record.iso3]);
      item.mentioned = Boolean(mentioned[item.record.text]);
      item.route = crossed || passed || item.record.kind === "bypassed";
      item.sought = item.mentioned || item.route; // looked for harder, and put on a leader
      if (item.mentioned) {
        item.rank = item.record.priority - (crossed ? 2.5 : 0);
      } else if (passed) {
        item.rank = RANK_TIER * 1.5 + (RANK_TIER / 2 - item.record.priority);
      } else if (item.route) {
        // A state's priority falls with its area (labels.py): the reverse, after the bypassed.
        item.rank = RANK_TIER + (crossed ? RANK_TIER / 2 - item.record.priority : item.record.priority);
      } else {
        item.rank = 2 * RANK_TIER + item.record.priority;
      }
    });
    items.sort(function (a, b) {
      return a.rank - b.rank;
    });
    var obstacles = labelObstacles(map);
    obstacles.controls = controlBoxes(map);
    obstacles.masks = {}; // stateMask's, for this layout
    obstacles.leaders = []; // the leaders' lines placed so far
    var placed = [];
    items.forEach(function (item) {
      var record = item.record;
      var box = null;
      var leader = null;
      // A state named by its "bypassed" label is not named again.
      var zoomed = item.sought || map.getZoom() >= record.minZoom;
      if (item.w && zoomed && !(record.kind === "state" && replaced[record.iso3])) {
        box = findSpot(map, item, item.aspects, item.scale, placed, obstacles);
        if (!box && item.sought) {
          leader = leaderSpot(map, item, placed, obstacles);
          box = leader && leader.box;
        }
      }
      if (box) {
        placed.push(box);
      }
      if (leader) {
        obstacles.leaders.push(leader.line);
      }
      placeLabel(map, item, box);
      placeLeader(map, item, leader && leader.line);
    });
  }

  /**
   * Draw ``item``'s leader along ``line`` (map pixels), or hide it (no line): a thin rotated
   * box in the labels' pane, made the first time it is needed, hidden from screen readers (the
   * name says it all). ``item.leader`` keeps the line for the tests.
   */
  function placeLeader(map, item, line) {
    item.leader = line;
    if (!line) {
      if (item.leaderEl) {
        item.leaderEl.style.display = "none";
      }
      return;
    }
    if (!item.leaderEl) {
      item.leaderEl = L.DomUtil.create("div", "corridor-leader", map.getPane("corridorLabels"));
      item.leaderEl.setAttribute("aria-hidden", "true");
    }
    var at = map.containerPointToLayerPoint([line[0], line[1]]);
    var dx = line[2] - line[0];
    var dy = line[3] - line[1];
    var el = item.leaderEl;
    el.style.width = Math.hypot(dx, dy) + "px";
    el.style.transform = "translate(" + at.x + "px, " + at.y + "px) rotate(" + Math.atan2(dy, dx) + "rad)";
    el.style.display = "";
  }

  /**
   * Show a label at ``box``'s corner, or hide it (no box), touching its style only where that
   * changes: a label left where it was is not restyled.
   */
  function placeLabel(map, item, box) {
    if (box) {
      var at = map.containerPointToLayerPoint([box[0], box[1]]);
      if (!item.at || !item.at.equals(at)) {
        L.DomUtil.setPosition(item.el, at);
        item.at = at;
      }
    }
    if (item.shown !== Boolean(box)) {
      item.shown = Boolean(box);
      item.el.style.display = box ? "" : "none";
    }
  }

  /*
   * The map from the keyboard: its lines and markers are one Tab stop (WAI-ARIA's roving
   * tabindex). Leaflet 1.9 listens for focus on every line and marker with a tooltip, to show
   * the tooltip, and Chromium makes an SVG element with a focus listener a Tab stop of its own:
   * the map was hundreds of them, one leg at a time. Here the item the keyboard last rested on,
   * or else the selected corridor's first leg, has tabindex 0 and every other -1. The arrow keys
   * move along them in the order the overlays give (keyGroup: by corridor, then along the
   * route), Page Up and Page Down to the start of a route, Home and End to the ends; a
   * focused item shows its tooltip (Leaflet's own focus listener). Enter or Space on an item
   * whose tooltip links sources, or on a cut, does what a click does (the popup, and in the
   * dashboard the corridor picked) and moves the focus into the popup, where Tab reaches its
   * links; Escape there closes it and puts the focus back on the item.
   *
   * The overlays are swapped on every update (see overlay): the order is worked out again once
   * the scripts that added or removed layers have run, and an item is known by its key (its
   * group's name and its place in the group), so the Tab stop, and the focus if it was on an
   * item drawn anew, move to the layer that replaced it.
   */
  var KEYS_HINT =
    "Lines and markers of the map: arrow keys move between them, Page Up and Page Down " +
    "between routes, Enter opens a line's sources";

  /**
   * Run ``move``, which restacks lines or states, keeping the keyboard's place: an element
   * taken out of the document and put back loses the focus. Only while this document has the
   * focus: a map in a frame must not take it from the page around it.
   */
  function keepFocus(move) {
    var active = document.hasFocus() ? document.activeElement : null;
    move();
    if (active && active !== document.activeElement && active.isConnected) {
      active.focus({ preventScroll: true });
    }
  }

  /** Mark an overlay group's lines and markers as one stretch of the keyboard's walk. */
  function keyGroup(group, name, rank, start) {
    group.__corridorKeys = { name: name, rank: rank, start: start, order: null, count: -1 };
    return group;
  }

  /** Make the map's lines and markers one Tab stop, walked with the keys (see above). */
  function keyboardNav(map) {
    var nav = {
      items: [], // {layer, el, key, group} in the keyboard's order
      byEl: new WeakMap(),
      stop: null, // the element with tabindex 0
      stopKey: null, // the key of the item the keyboard last rested on
      focusedEl: null, // the item the focus is on (or was on, until its layer went away)
      popup: null, // the popup opened from the keyboard, while it is open
      opened: null, // the last popup opened (see openFromKeys)
      pending: false,
    };
    function schedule() {
      if (!nav.pending) {
        nav.pending = true;
        Promise.resolve().then(function () {
          nav.pending = false;
          orderKeys(map, nav);
        });
      }
    }
    // A new item leaves the Tab order at once; its place in the walk follows (orderKeys).
    function leaveTabOrder(layer) {
      var el = itemElement(layer);
      if (el && !el.hasAttribute("tabindex")) {
        el.setAttribute("tabindex", "-1");
      }
    }
    map.eachLayer(leaveTabOrder);
    map.on("layeradd", function (e) {
      leaveTabOrder(e.layer);
      schedule();
    });
    map.on("layerremove", schedule);
    map.on("popupopen", function (e) {
      nav.opened = e.popup;
    });
    // A focused item's tooltip shows its sources' links, but it closes as the focus leaves the
    // item: Tab would land on a link going away with it. They are followed in the popup.
    map.on("tooltipopen", function (e) {
      e.tooltip
        .getElement()
        .querySelectorAll("a")
        .forEach(function (link) {
          link.setAttribute("tabindex", "-1");
        });
      var item = nav.byEl.get(document.activeElement);
      if (item && item.layer.getTooltip() === e.tooltip) {
        sideClearOf(map, item.layer, e.tooltip);
      }
    });
    // A tooltip turned to a side for the keyboard opens as before for the pointer.
    map.on("tooltipclose", function (e) {
      var side = e.tooltip.__corridorSide;
      if (side) {
        e.tooltip.options.direction = side.direction;
        e.tooltip.options.offset = side.offset;
        e.tooltip.__corridorSide = null;
      }
    });
    map.on("popupclose", function (e) {
      if (e.popup !== nav.popup) {
        return;
      }
      nav.popup = null;
      var active = document.activeElement;
      if (!active || active === document.body || e.popup.getElement().contains(active)) {
        // Once the popup is off the map: while it is on, its item's tooltip stays closed.
        Promise.resolve().then(function () {
          focusItem(map, nav, findItem(nav, nav.stopKey) || nav.byEl.get(nav.stop), false);
        });
      }
    });
    var container = map.getContainer();
    container.addEventListener("focusin", function (e) {
      var item = nav.byEl.get(e.target);
      if (item) {
        nav.focusedEl = item.el;
        setStop(nav, item);
      }
    });
    container.addEventListener("focusout", function (e) {
      if (e.relatedTarget !== null) {
        nav.focusedEl = null; // moved on within the page, not lost with its layer
      }
    });
    container.addEventListener("keydown", function (e) {
      if (e.altKey || e.ctrlKey || e.metaKey) {
        return;
      }
      var box = nav.popup ? nav.popup.getElement() : null;
      if (box && box.contains(e.target)) {
        if (e.key === "Escape") {
          e.preventDefault();
          map.closePopup(nav.popup);
        }
        return;
      }
      var item = nav.byEl.get(e.target);
      if (item) {
        onItemKey(map, nav, item, e);
      }
    });
    schedule();
    return nav;
  }

  /** The element of a layer the keyboard walks (one with a tooltip), or null. */
  function itemElement(layer) {
    if (!layer.getTooltip || !layer.getTooltip() || !layer.getElement) {
      return null;
    }
    return layer.getElement() || null;
  }

  /** Work out the keyboard's order of the items on the map, and which one is the Tab stop. */
  function orderKeys(map, nav) {
    var groups = [];
    map.eachLayer(function (layer) {
      if (layer.__corridorKeys) {
        groups.push(layer);
      }
    });
    groups.sort(function (a, b) {
      return compareRanks(a.__corridorKeys.rank, b.__corridorKeys.rank);
    });
    var items = [];
    var claimed = new Set();
    var start = null; // the selected corridor's first leg, or else the first leg
    groups.forEach(function (group) {
      var keys = group.__corridorKeys;
      groupOrder(map, group).forEach(function (layer, i) {
        claimed.add(layer);
        var id = layer.feature && layer.feature.id !== undefined ? layer.feature.id : i;
        var item = { layer: layer, el: layer.getElement(), key: keys.name + "/" + id, group: keys.name };
        items.push(item);
        var leg = layer instanceof L.Polyline && !(layer instanceof L.Polygon);
        if (leg && (start === null || (keys.start && !start.first))) {
          start = { item: item, first: keys.start };
        }
      });
    });
    // Anything else with a tooltip (the network's detours) comes after, as it was drawn.
    map.eachLayer(function (layer) {
      if (!claimed.has(layer) && itemElement(layer)) {
        items.push({ layer: layer, el: layer.getElement(), key: "other/" + L.stamp(layer), group: "other" });
      }
    });
    nav.items = items;
    nav.byEl = new WeakMap();
    var stop = null;
    items.forEach(function (item) {
      nav.byEl.set(item.el, item);
      describeItem(item);
      if (item.key === nav.stopKey) {
        stop = item;
      }
    });
    stop = stop || (start && start.item) || items[0] || null;
    items.forEach(function (item) {
      var wanted = item === stop ? "0" : "-1";
      if (item.el.getAttribute("tabindex") !== wanted) {
        item.el.setAttribute("tabindex", wanted);
      }
    });
    nav.stop = stop ? stop.el : null;
    // The focus was on an item whose layer an update took away: it goes to the stop, the same
    // item drawn anew where there is one, unless it has moved on (to the page, or a popup).
    var active = document.activeElement;
    var lost = nav.focusedEl !== null && !nav.focusedEl.isConnected;
    if (stop && lost && document.hasFocus() && (!active || active === document.body)) {
      focusItem(map, nav, stop, false);
    }
  }

  /** Compare two ranks, [kind, index] (corridors/webmap/layers.py's KEY_ORDER), in order. */
  function compareRanks(a, b) {
    for (var i = 0; i < Math.min(a.length, b.length); i++) {
      if (a[i] !== b[i]) {
        return a[i] - b[i];
      }
    }
    return a.length - b.length;
  }

  /**
   * A group's items in the keyboard's order: its lines as drawn (a route's legs in travel
   * order), each marker after the line whose vertex it is nearest (before it at the line's
   * first vertex), the rest after them. Worked out once per group and number of items: a
   * group is drawn anew when it changes, and the states' group fills in once.
   */
  function groupOrder(map, group) {
    var keys = group.__corridorKeys;
    var leaves = [];
    (function collect(layer) {
      if (layer.eachLayer) {
        layer.eachLayer(collect);
      } else if (itemElement(layer)) {
        leaves.push(layer);
      }
    })(group);
    if (keys.order !== null && keys.count === leaves.length) {
      return keys.order;
    }
    var lines = leaves.filter(function (layer) {
      return layer instanceof L.Polyline && !(layer instanceof L.Polygon);
    });
    var placed = leaves.map(function (layer) {
      var at = Infinity;
      if (lines.indexOf(layer) >= 0) {
        at = lines.indexOf(layer);
      } else if (layer instanceof L.CircleMarker && lines.length) {
        at = alongLines(map, lines, layer.getLatLng());
      }
      return { layer: layer, at: at };
    });
    placed.sort(function (a, b) {
      return a.at === b.at ? 0 : a.at < b.at ? -1 : 1; // stable: equal places keep their order
    });
    keys.order = placed.map(function (p) {
      return p.layer;
    });
    keys.count = leaves.length;
    return keys.order;
  }

  /** Where along ``lines`` (legs in order) a point lies: by its nearest vertex, geodesically. */
  function alongLines(map, lines, latlng) {
    var best = Infinity;
    var at = lines.length;
    lines.forEach(function (line, i) {
      var points = line.getLatLngs();
      points = L.LineUtil.isFlat(points) ? points : [].concat.apply([], points);
      points.forEach(function (point, j) {
        var d = map.distance(point, latlng);
        if (d < best) {
          best = d;
          at = j === 0 ? i - 0.5 : i + 0.5 * (1 + j / points.length);
        }
      });
    });
    return at;
  }

  /**
   * Name an item for screen readers, once: the first line of its tooltip (the route and leg,
   * or the place); Leaflet points its aria-describedby at the tooltip while it is open. An item
   * whose tooltip links sources is a button that opens them.
   */
  var inert = null; // the document tooltips are read as text in

  function describeItem(item) {
    if (item.el.__corridorDescribed) {
      return;
    }
    item.el.__corridorDescribed = true;
    var html = item.layer.getTooltip().getContent();
    if (typeof html === "string") {
      // The tooltip's escaped HTML, read as text in an inert document: nothing in it runs or
      // loads. One document for every item: a new one each (DOMParser) took the first order
      // of the real data's 237 items from 5-6 ms to 9-11 ms in headless Chromium.
      inert = inert || document.implementation.createHTMLDocument("");
      inert.body.innerHTML = html.split(/<br\s*\/?>/i)[0];
      item.el.setAttribute("aria-label", inert.body.textContent.trim());
    }
    if (popupHtml(item.layer) === null) {
      item.el.setAttribute("role", "img");
    } else {
      item.el.setAttribute("role", "button");
      item.el.setAttribute("aria-haspopup", "dialog");
    }
    var svg = item.el.ownerSVGElement;
    if (svg && !svg.hasAttribute("aria-label")) {
      svg.setAttribute("role", "group");
      svg.setAttribute("aria-label", KEYS_HINT);
    }
  }

  function findItem(nav, key) {
    for (var i = 0; i < nav.items.length; i++) {
      if (nav.items[i].key === key) {
        return nav.items[i];
      }
    }
    return null;
  }

  /** Make ``item`` the map's one Tab stop. */
  function setStop(nav, item) {
    if (nav.stop && nav.stop !== item.el) {
      nav.stop.setAttribute("tabindex", "-1");
    }
    item.el.setAttribute("tabindex", "0");
    nav.stop = item.el;
    nav.stopKey = item.key;
  }

  /** Put the focus on ``item``, its tooltip's anchor panned into view first if ``reveal``. */
  function focusItem(map, nav, item, reveal) {
    if (!item || !item.el.isConnected) {
      return;
    }
    setStop(nav, item);
    if (reveal) {
      var at = anchorOf(item.layer);
      if (!map.getBounds().contains(at)) {
        map.panInside(at, { padding: [24, 24], animate: false });
      }
    }
    item.el.focus({ preventScroll: true });
  }

  /**
   * Turn a focused line's or marker's tooltip to where it covers least of the line or marker
   * and its focus ring (corridors.css): Leaflet puts it left or right of a line's middle by the
   * map's halves, over the other half of a level leg, and against a marker's centre, over half
   * of it. Tried in turn: above, below, right and left of the middle, then beyond the line's
   * top, bottom, right and left ends, where a slanting line leaves it clear; each box taken
   * where keepTooltipsClear would move it, inside the map.
   */
  function sideClearOf(map, layer, tooltip) {
    var ring = 3; // the focus ring's width
    var middle = map.latLngToContainerPoint(tooltip.getLatLng());
    var away;
    var points;
    if (layer instanceof L.CircleMarker) {
      away = layer.getRadius() + ring;
      points = [0, 1, 2, 3, 4, 5, 6, 7].map(function (i) {
        var angle = (i * Math.PI) / 4;
        return middle.add(L.point(Math.cos(angle), Math.sin(angle)).multiplyBy(away));
      });
    } else if (layer instanceof L.Polyline && !(layer instanceof L.Polygon)) {
      away = ring;
      points = linePoints(map, layer);
    } else {
      return; // a state's tooltip sits on its land
    }
    var size = map.getSize();
    var box = tooltip.getElement();
    var w = box.offsetWidth;
    var h = box.offsetHeight;
    var gap = away + 6; // and the tooltip's arrow (leaflet.css)
    function extreme(better) {
      return points.reduce(function (a, b) {
        return better(b, a) ? b : a;
      });
    }
    var ends = {
      top: extreme(function (p, q) {
        return p.y < q.y;
      }),
      bottom: extreme(function (p, q) {
        return p.y > q.y;
      }),
      right: extreme(function (p, q) {
        return p.x > q.x;
      }),
      left: extreme(function (p, q) {
        return p.x < q.x;
      }),
    };
    function place(at, side) {
      var box = {
        top: [at.x - w / 2, at.y - gap - h, 0, -away],
        bottom: [at.x - w / 2, at.y + gap, 0, away],
        right: [at.x + gap, at.y - h / 2, away, 0],
        left: [at.x - gap - w, at.y - h / 2, -away, 0],
      }[side];
      var x = Math.max(2, Math.min(box[0], size.x - 2 - w));
      var y = Math.max(2, Math.min(box[1], size.y - 2 - h));
      var covered = points.filter(function (p) {
        return x <= p.x && p.x <= x + w && y <= p.y && p.y <= y + h;
      }).length;
      return { at: at, side: side, offset: box.slice(2), covered: covered };
    }
    var sides = ["top", "bottom", "right", "left"];
    var tries = sides
      .map(function (side) {
        return place(middle, side);
      })
      .concat(
        sides.map(function (side) {
          return place(ends[side], side);
        })
      );
    var best = tries.reduce(function (a, b) {
      return b.covered < a.covered ? b : a;
    });
    tooltip.__corridorSide = tooltip.__corridorSide || {
      direction: tooltip.options.direction,
      offset: tooltip.options.offset,
    };
    tooltip.options.direction = best.side;
    tooltip.options.offset = best.offset;
    if (best.at !== middle) {
      tooltip.setLatLng(map.containerPointToLatLng(best.at));
    }
    tooltip.update();
  }

  /** A line's points on the map's container, every few pixels along it. */
  function linePoints(map, layer) {
    var points = [];
    function walk(latlngs) {
      if (latlngs.length && !(latlngs[0] instanceof L.LatLng)) {
        latlngs.forEach(walk);
        return;
      }
      var last = null;
      latlngs.forEach(function (latlng) {
        var p = map.latLngToContainerPoint(latlng);
        if (last !== null) {
          var steps = Math.min(200, Math.ceil(last.distanceTo(p) / 4));
          for (var i = 1; i < steps; i++) {
            points.push(last.add(p.subtract(last).multiplyBy(i / steps)));
          }
        }
        points.push(p);
        last = p;
      });
    }
    walk(layer.getLatLngs());
    return points;
  }

  /** Where a layer's tooltip opens when it is focused: a line's middle, a marker's point. */
  function anchorOf(layer) {
    return layer.getCenter ? layer.getCenter() : layer.getLatLng();
  }

  /**
   * Where Page Up (``step`` -1) or Page Down (1) goes from item ``at``: the first item of this
   * route, or of the one before if it is there already; the first of the next route. Null at
   * the ends.
   */
  function routeStart(nav, at, step) {
    var items = nav.items;
    function start(i) {
      while (i > 0 && items[i - 1].group === items[i].group) {
        i -= 1;
      }
      return i;
    }
    if (step < 0) {
      var own = start(at);
      return own < at ? own : own > 0 ? start(own - 1) : null;
    }
    var i = at;
    while (i < items.length && items[i].group === items[at].group) {
      i += 1;
    }
    return i < items.length ? i : null;
  }

  function onItemKey(map, nav, item, e) {
    var at = nav.items.indexOf(item);
    var to = null;
    switch (e.key) {
      case "ArrowRight":
      case "ArrowDown":
        to = at + 1;
        break;
      case "ArrowLeft":
      case "ArrowUp":
        to = at - 1;
        break;
      case "Home":
        to = 0;
        break;
      case "End":
        to = nav.items.length - 1;
        break;
      case "PageDown":
        to = routeStart(nav, at, 1);
        break;
      case "PageUp":
        to = routeStart(nav, at, -1);
        break;
      case "Enter":
      case " ":
        e.preventDefault(); // Space would scroll the page
        openFromKeys(map, nav, item);
        return;
      default:
        return;
    }
    e.preventDefault(); // the arrows would scroll the page
    if (to !== null && to >= 0 && to < nav.items.length) {
      focusItem(map, nav, nav.items[to], true);
    }
  }

  /**
   * Do what a click on ``item`` does, if it opens a popup (popupHtml): the popup opens (see
   * sourcePopups) and streamlit-folium reports the click, as for the mouse. The focus goes
   * into the popup, named as a dialog after the item, where Tab reaches its links.
   */
  function openFromKeys(map, nav, item) {
    if (popupHtml(item.layer) === null) {
      return;
    }
    var at = anchorOf(item.layer);
    nav.opened = null;
    item.layer.fire("click", {
      latlng: at,
      layerPoint: map.latLngToLayerPoint(at),
      containerPoint: map.latLngToContainerPoint(at),
    });
    var popup = nav.opened;
    if (popup === null || !popup.isOpen()) {
      return;
    }
    nav.popup = popup;
    var box = popup.getElement();
    box.setAttribute("role", "dialog");
    box.setAttribute("aria-label", item.el.getAttribute("aria-label") || "Sources");
    var content = box.querySelector(".leaflet-popup-content");
    content.setAttribute("tabindex", "-1");
    content.focus({ preventScroll: true });
  }

  global.corridors = {
    labelSet: labelSet,
    fetchedLabelSet: fetchedLabelSet,
    fitRoutes: fitRoutes,
    fitMap: fitMap,
    moveMap: moveMap,
    legend: legend,
    setLegendRows: setLegendRows,
    setNote: setNote,
    fontScale: fontScale,
    tooltipParts: tooltipParts,
    circleMarkers: circleMarkers,
    bindTooltips: bindTooltips,
    sourcePopups: sourcePopups,
    keyboardNav: keyboardNav,
    wheelWhenInUse: wheelWhenInUse,
    keepToArea: keepToArea,
    keyGroup: keyGroup,
    basemapLayer: basemapLayer,
    shareBasemap: shareBasemap,
    basemapStates: basemapStates,
    overlay: overlay,
    tileNotice: tileNotice,
  };
})(window);
