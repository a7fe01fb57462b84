"""The browser's half of a chart's text labels: a scatter trace of text alone (mode "text", no hover, no legend
entry: the diagrams' names, x_t under each copy, the characters read) is drawn by ui.plot as SVG text in a layer
of its own over the plot, not by plotly.

Why: plotly lays out each label on every redraw (it parses the label's markup into tspans and measures it), and
with ~50 of them that was most of a diagram's redraw: Plotly.react of the Unfolded RNN's diagram took 31 ms a step
with its six text traces and 13 ms without them (Chromium, a blank page). This layer writes the same SVG text
with plotly's own arithmetic and no measuring:

    anchor  "left" → end, "right" → start, else middle                       (plotly: textPointPosition)
    y       point + 0.75·size + (v − 1)·lines·size/2,  v = −1 top, 0 middle, +1 bottom,
            lines = 1 + 1.3·(number of <br>)
    markup  <b> <i> as bold and italic; <sub> / <sup> as 70 % type shifted by 0.3em / −0.6em (and back by
            −0.21em / 0.42em after); <br> a new line 1.3em down; &amp; &lt; &#39; … decoded; any other
            tag stays text. Everything is written with text nodes, never as HTML.

The figure keeps its text traces (tests and "The numbers" read them): in their place plotly gets a trace with
the same points and mode "none", so every axis is ranged as before and trace numbers do not move. The PNG of
the camera button is plotly's own, of the figure with its text traces (plot.JS swaps them in for that click).
"""

JS = r"""
const SVGNS = "http://www.w3.org/2000/svg";
const LINE = 1.3;                                       // plotly's line spacing, in em
const SHIFT = {sub: ["0.3em", "-0.21em"], sup: ["-0.6em", "0.42em"]};     // [into, back out of] the tag
const FACE = {b: ["fontWeight", "bold"], i: ["fontStyle", "italic"]};
const ENTITY = {amp: "&", lt: "<", gt: ">", quot: "\"", apos: "'", nbsp: "\xA0", times: "\xD7", plusmn: "\xB1",
                deg: "\xB0"};
const TYPED = {i1: Int8Array, u1: Uint8Array, u1c: Uint8ClampedArray, i2: Int16Array, u2: Uint16Array,
               i4: Int32Array, u4: Uint32Array, f4: Float32Array, f8: Float64Array};

// A trace the layer draws: text only, nothing to hover, no legend entry, on a 2-d cartesian plot.
const isLabels = (t) => !!t && (t.type || "scatter") === "scatter" && t.mode === "text" && t.visible !== false
  && (t.hoverinfo === "skip" || t.hoverinfo === "none") && t.showlegend === false && !t.texttemplate
  && !t.selectedpoints && !t.transforms;

// An array as the figure carries it: a list, or NumPy's base64 "bdata" ({dtype, bdata}).
const values = (v) => {
  if (v && typeof v === "object" && !Array.isArray(v) && typeof v.bdata === "string" && TYPED[v.dtype]) {
    const raw = atob(v.bdata), bytes = new Uint8Array(raw.length);
    for (let i = 0; i < raw.length; i++) bytes[i] = raw.charCodeAt(i);
    return Array.from(new TYPED[v.dtype](bytes.buffer));
  }
  return v;
};
const nth = (v, i) => (Array.isArray(v) ? v[i] : v);
const decode = (s) => s.replace(/&(#\d+|#x[\da-fA-F]+|[a-z]+);/g, (m, r) => r[0] !== "#" ? (ENTITY[r] || m)
  : String.fromCodePoint(r[1] === "x" ? parseInt(r.slice(2), 16) : parseInt(r.slice(1), 10)));

// The label's markup as tspans in `el` (see the module's docstring); returns its number of lines.
const write = (el, label, x) => {
  const lines = String(label).split(/<br\s*\/?>/i);
  lines.forEach((line, k) => {
    let at = el;
    if (lines.length > 1) {
      at = document.createElementNS(SVGNS, "tspan");
      at.setAttribute("x", x);
      at.setAttribute("dy", k ? LINE + "em" : "0em");
      el.appendChild(at);
    }
    const open = [];
    for (const part of line.split(/(<\/?(?:b|i|sub|sup)>)/i)) {
      const tag = part.match(/^<(\/?)(b|i|sub|sup)>$/i);
      if (!tag) {
        if (part) at.appendChild(document.createTextNode(decode(part)));
        continue;
      }
      const name = tag[2].toLowerCase();
      if (tag[1]) {                                      // a closing tag: back to where its tag opened
        if (!open.length || open[open.length - 1].name !== name) continue;
        at = open.pop().parent;
        if (SHIFT[name]) {
          const back = document.createElementNS(SVGNS, "tspan");
          back.setAttribute("dy", SHIFT[name][1]);
          back.textContent = "\u200B";
          at.appendChild(back);
        }
        continue;
      }
      const span = document.createElementNS(SVGNS, "tspan");
      if (SHIFT[name]) {
        at.appendChild(document.createTextNode("\u200B"));
        span.setAttribute("dy", SHIFT[name][0]);
        span.style.fontSize = "70%";
      } else {
        span.style[FACE[name][0]] = FACE[name][1];
      }
      at.appendChild(span);
      open.push({name, parent: at});
      at = span;
    }
  });
  return lines.length;
};

// plotly gets, in a label trace's place, the same points drawn as nothing (axes ranged as before).
const stand_in = (t) => ({type: "scatter", mode: "none", x: t.x, y: t.y, xaxis: t.xaxis, yaxis: t.yaxis,
                          hoverinfo: "skip", showlegend: false});

// Draw the label traces of figure `data` over the plot in `div` (after plotly has drawn it).
const drawLabels = (div) => {
  const traces = (div.__rnnvizSent || []).filter(isLabels);
  let layer = div.querySelector(":scope > svg.rnnviz-labels");
  const full = div._fullLayout;
  if (!traces.length || !full) { if (layer) layer.remove(); return; }
  if (!layer) {
    layer = document.createElementNS(SVGNS, "svg");
    layer.setAttribute("class", "rnnviz-labels");
    layer.setAttribute("aria-hidden", "true");          // the chart's words are its summary ("The numbers")
    Object.assign(layer.style, {position: "absolute", left: "0", top: "0", overflow: "visible",
                                pointerEvents: "none"});
    div.appendChild(layer);
  }
  layer.setAttribute("width", full.width);
  layer.setAttribute("height", full.height);
  const font = full.font || {}, out = document.createDocumentFragment();
  for (const t of traces) {
    const xa = full["xaxis" + (t.xaxis || "x").slice(1)], ya = full["yaxis" + (t.yaxis || "y").slice(1)];
    if (!xa || !ya || !xa.l2p || !ya.l2p) continue;
    const xs = values(t.x) || [], ys = values(t.y) || [], texts = values(t.text), tf = t.textfont || {};
    const sizes = values(tf.size), colors = values(tf.color), families = values(tf.family),
          weights = values(tf.weight), where = values(t.textposition);
    const group = document.createElementNS(SVGNS, "g");
    if (t.opacity !== undefined) group.setAttribute("opacity", t.opacity);
    const n = Math.min(xs.length, ys.length);
    for (let i = 0; i < n; i++) {
      const label = nth(texts, i);
      if (label === undefined || label === null || label === "") continue;
      const x = xa._offset + xa.l2p(xa.d2l(xs[i])), y = ya._offset + ya.l2p(ya.d2l(ys[i]));
      if (!isFinite(x) || !isFinite(y)) continue;
      if (t.cliponaxis !== false && (x < xa._offset - 0.5 || x > xa._offset + xa._length + 0.5
                                     || y < ya._offset - 0.5 || y > ya._offset + ya._length + 0.5)) continue;
      const size = +(nth(sizes, i) ?? font.size ?? 12), pos = String(nth(where, i) || "middle center");
      const v = pos.includes("top") ? -1 : pos.includes("bottom") ? 1 : 0;
      const el = document.createElementNS(SVGNS, "text");
      el.setAttribute("x", x);
      el.setAttribute("text-anchor", pos.includes("left") ? "end" : pos.includes("right") ? "start" : "middle");
      const lines = write(el, label, x);
      el.setAttribute("y", y + 0.75 * size + (v - 1) * ((lines - 1) * LINE + 1) * size / 2);
      el.style.fontFamily = nth(families, i) || font.family || "sans-serif";
      el.style.fontSize = size + "px";
      el.style.fill = nth(colors, i) || font.color || "#444";
      el.style.whiteSpace = "pre";
      const weight = nth(weights, i);
      if (weight !== undefined && weight !== null) el.style.fontWeight = weight;
      group.appendChild(el);
    }
    out.appendChild(group);
  }
  layer.replaceChildren(out);
};
"""
