/*
 * interactive.js - pan, zoom, search and supply cones over the Graphviz SVG
 * of a chengyu network, in a page that loads nothing from anywhere.
 *
 * Embedded verbatim at build time (CMake, src/report/embed.cmake) into the
 * HTML pages that `chengyu render --format html` and `chengyu weak-links
 * --format html` write; the page's Content-Security-Policy allows exactly
 * this script by its SHA-256.
 *
 * Each figure is a div.cy-net with data-cy="K" holding the SVG, with its
 * data in the JSON data element (a script of type application/json) whose
 * id is cy-data-K:
 *   {"nodes": {"f12": {"id": ..., "name": ..., "zh": ..., "lines": [...],
 *                      "up": ["f3", ...], "down": [...], "row": [...]}},
 *    "labels": {...}}
 * keyed by the SVG node <title> (synthetic: f12, n3, p4).  "up" are the
 * node's direct suppliers, "down" its direct customers; the cones follow
 * them transitively.  "row" is the node's register row as [label, value]
 * pairs, when the page has one.  Every string is set with textContent,
 * never parsed as markup.
 *
 * URL fragment #focus=ID focuses the firm with that id on load.
 *
 * Every table.sortable of the page sorts by the column whose
 * header is clicked (numeric cells by their data-v), a second click
 * reverses.
 */
(function () {
  'use strict';

  function parseData(key) {
    var el = document.getElementById('cy-data-' + key);
    return el ? JSON.parse(el.textContent) : null;
  }

  function titleOf(g) {
    var t = g.querySelector('title');
    return t ? t.textContent : '';
  }

  /* Every node reachable through `dir` ("up" or "down"), not `start`. */
  function cone(nodes, start, dir) {
    var seen = {}, stack = [start], out = [];
    seen[start] = true;
    while (stack.length) {
      var here = nodes[stack.pop()];
      var next = here ? here[dir] || [] : [];
      for (var k = 0; k < next.length; k++) {
        if (!seen[next[k]]) {
          seen[next[k]] = true;
          out.push(next[k]);
          stack.push(next[k]);
        }
      }
    }
    return out;
  }

  function el(tag, cls, text) {
    var e = document.createElement(tag);
    if (cls) e.className = cls;
    if (text !== undefined) e.textContent = text;
    return e;
  }

  function Figure(box) {
    this.box = box;
    this.key = box.getAttribute('data-cy');
    this.data = parseData(this.key) || {nodes: {}, labels: {}};
    this.labels = this.data.labels || {};
    this.svg = box.querySelector('svg');
    this.nodeEls = {};
    this.edgeEls = [];
    this.focused = null;
    var gs = this.svg ? this.svg.querySelectorAll('g.node') : [];
    for (var i = 0; i < gs.length; i++) {
      var t = titleOf(gs[i]);
      if (this.data.nodes[t]) {
        this.nodeEls[t] = gs[i];
        gs[i].classList.add('cy-node');
      }
    }
    var es = this.svg ? this.svg.querySelectorAll('g.edge') : [];
    for (var j = 0; j < es.length; j++) {
      var ends = titleOf(es[j]).split('->');
      if (ends.length === 2) this.edgeEls.push({g: es[j], from: ends[0], to: ends[1]});
    }
    this.buildBar();
    this.panel = el('div', 'cy-panel');
    this.panel.hidden = true;
    box.appendChild(this.panel);
    if (this.svg) this.enablePanZoom();
    var self = this;
    box.addEventListener('click', function (ev) {
      var g = ev.target.closest ? ev.target.closest('g.cy-node') : null;
      if (g && !self.dragged) self.focus(titleOf(g));
    });
  }

  Figure.prototype.label = function (key, fallback) {
    return this.labels[key] || fallback;
  };

  Figure.prototype.buildBar = function () {
    var self = this, bar = el('div', 'cy-bar');
    var listId = 'cy-names-' + this.key;
    this.search = el('input', 'cy-search');
    this.search.type = 'search';
    this.search.placeholder = this.label('search', 'find a firm: id, name or Chinese name');
    this.search.setAttribute('list', listId);
    this.search.setAttribute('aria-label', this.search.placeholder);
    var list = el('datalist');
    list.id = listId;
    for (var t in this.data.nodes) {
      var n = this.data.nodes[t];
      var o = el('option');
      o.value = n.id;
      o.textContent = n.name + (n.zh ? ' ' + n.zh : '');
      list.appendChild(o);
    }
    this.status = el('span', 'cy-status');
    var buttons = [['+', 1 / 1.5], ['\u2212', 1.5], [this.label('fit', 'fit'), 0],
                   [this.label('clear', 'clear'), -1]];
    bar.appendChild(this.search);
    bar.appendChild(list);
    buttons.forEach(function (b) {
      var button = el('button', 'cy-button', b[0]);
      button.type = 'button';
      button.addEventListener('click', function () {
        if (b[1] > 0) self.zoomBy(b[1], null);
        else if (b[1] === 0) self.fit();
        else self.clear();
      });
      bar.appendChild(button);
    });
    bar.appendChild(this.status);
    this.search.addEventListener('change', function () { self.find(self.search.value); });
    this.search.addEventListener('keydown', function (ev) {
      if (ev.key === 'Enter') self.find(self.search.value);
    });
    this.box.insertBefore(bar, this.box.firstChild);
  };

  /* The node whose id, name or Chinese name is `text`: exact first, then
   * the first that contains it, ignoring case. */
  Figure.prototype.lookup = function (text) {
    var q = String(text).trim(), lower = q.toLowerCase(), partial = null, t, n;
    if (!q) return null;
    for (t in this.data.nodes) {
      n = this.data.nodes[t];
      if (n.id === q || n.name === q || n.zh === q) return t;
    }
    for (t in this.data.nodes) {
      n = this.data.nodes[t];
      if ((n.id + '\n' + n.name + '\n' + (n.zh || '')).toLowerCase().indexOf(lower) >= 0) {
        partial = t;
        break;
      }
    }
    return partial;
  };

  Figure.prototype.find = function (text) {
    var t = this.lookup(text);
    if (t) this.focus(t);
    else this.status.textContent = this.label('notfound', 'no firm matches');
    return t;
  };

  Figure.prototype.clear = function () {
    var marked = this.box.querySelectorAll('.cy-focus, .cy-up, .cy-down');
    for (var i = 0; i < marked.length; i++)
      marked[i].classList.remove('cy-focus', 'cy-up', 'cy-down');
    this.box.classList.remove('cy-active');
    this.panel.hidden = true;
    this.status.textContent = '';
    this.focused = null;
  };

  Figure.prototype.focus = function (title) {
    var nodes = this.data.nodes, node = nodes[title];
    if (!node) return;
    this.clear();
    this.focused = title;
    var up = cone(nodes, title, 'up'), down = cone(nodes, title, 'down');
    var inUp = {}, inDown = {}, k;
    for (k = 0; k < up.length; k++) inUp[up[k]] = true;
    for (k = 0; k < down.length; k++) inDown[down[k]] = true;
    inUp[title] = inDown[title] = true;
    this.box.classList.add('cy-active');
    if (this.nodeEls[title]) this.nodeEls[title].classList.add('cy-focus');
    for (k = 0; k < up.length; k++)
      if (this.nodeEls[up[k]]) this.nodeEls[up[k]].classList.add('cy-up');
    for (k = 0; k < down.length; k++)
      if (this.nodeEls[down[k]]) this.nodeEls[down[k]].classList.add('cy-down');
    for (k = 0; k < this.edgeEls.length; k++) {
      var e = this.edgeEls[k];
      if (inUp[e.from] && inUp[e.to]) e.g.classList.add('cy-up');
      else if (inDown[e.from] && inDown[e.to]) e.g.classList.add('cy-down');
    }
    this.showPanel(node, up.length, down.length);
    this.status.textContent = '';
    this.frame([title].concat(up, down));
  };

  Figure.prototype.showPanel = function (node, up, down) {
    var p = this.panel;
    while (p.firstChild) p.removeChild(p.firstChild);
    p.appendChild(el('div', 'cy-name', node.name + (node.zh ? ' \u00b7 ' + node.zh : '')));
    p.appendChild(el('div', 'cy-id', node.id));
    (node.lines || []).forEach(function (line) { p.appendChild(el('div', 'cy-line', line)); });
    p.appendChild(el('div', 'cy-cones',
                     this.label('upstream', 'upstream (suppliers, all tiers)') + ': ' + up +
                     ' \u00b7 ' +
                     this.label('downstream', 'downstream (customers, all tiers)') + ': ' + down));
    if (node.row && !node.row.length) {
      p.appendChild(el('div', 'cy-norow', this.label('norow', 'not in the risk register')));
    } else if (node.row) {
      var table = el('table', 'cy-row');
      table.appendChild(el('caption', null, this.label('register', 'risk register')));
      node.row.forEach(function (pair) {
        var tr = el('tr');
        tr.appendChild(el('th', null, pair[0]));
        tr.appendChild(el('td', null, pair[1]));
        table.appendChild(tr);
      });
      p.appendChild(table);
    }
    p.hidden = false;
  };

  /* ---- pan and zoom: the SVG's viewBox ---- */

  Figure.prototype.enablePanZoom = function () {
    var self = this, svg = this.svg, vb = svg.viewBox.baseVal;
    this.home = {x: vb.x, y: vb.y, w: vb.width, h: vb.height};
    svg.removeAttribute('width');
    svg.removeAttribute('height');
    svg.classList.add('cy-svg');
    svg.addEventListener('wheel', function (ev) {
      ev.preventDefault();
      self.zoomBy(ev.deltaY < 0 ? 1 / 1.2 : 1.2, self.toSvg(ev.clientX, ev.clientY));
    }, {passive: false});
    var start = null;
    svg.addEventListener('pointerdown', function (ev) {
      start = {x: ev.clientX, y: ev.clientY, vx: vb.x, vy: vb.y};
      self.dragged = false;
    });
    svg.addEventListener('pointermove', function (ev) {
      if (!start) return;
      var scale = vb.width / (svg.getBoundingClientRect().width || 1);
      var dx = ev.clientX - start.x, dy = ev.clientY - start.y;
      if (Math.abs(dx) + Math.abs(dy) > 3) self.dragged = true;
      vb.x = start.vx - dx * scale;
      vb.y = start.vy - dy * scale;
    });
    var stop = function () { start = null; setTimeout(function () { self.dragged = false; }, 0); };
    svg.addEventListener('pointerup', stop);
    svg.addEventListener('pointerleave', stop);
  };

  Figure.prototype.toSvg = function (cx, cy) {
    var m = this.svg.getScreenCTM();
    if (!m) return null;
    var pt = this.svg.createSVGPoint();
    pt.x = cx;
    pt.y = cy;
    return pt.matrixTransform(m.inverse());
  };

  Figure.prototype.zoomBy = function (factor, at) {
    if (!this.svg) return;
    var vb = this.svg.viewBox.baseVal;
    var w = Math.min(Math.max(vb.width * factor, this.home.w / 50), this.home.w * 4);
    factor = w / vb.width;
    var ax = at ? at.x : vb.x + vb.width / 2, ay = at ? at.y : vb.y + vb.height / 2;
    vb.x = ax - (ax - vb.x) * factor;
    vb.y = ay - (ay - vb.y) * factor;
    vb.width *= factor;
    vb.height *= factor;
  };

  Figure.prototype.fit = function () {
    if (!this.svg) return;
    var vb = this.svg.viewBox.baseVal;
    vb.x = this.home.x;
    vb.y = this.home.y;
    vb.width = this.home.w;
    vb.height = this.home.h;
  };

  /* The box of node `title` in the SVG's user space, or null. */
  Figure.prototype.boxOf = function (title) {
    var g = this.nodeEls[title];
    if (!g || !g.getBBox) return null;
    var b = g.getBBox(), m = null;
    if (g.getCTM && this.svg.getCTM && g.getCTM() && this.svg.getCTM())
      m = this.svg.getCTM().inverse().multiply(g.getCTM());
    var corners = [[b.x, b.y], [b.x + b.width, b.y + b.height]], out = [];
    for (var k = 0; k < 2; k++) {
      var pt = this.svg.createSVGPoint();
      pt.x = corners[k][0];
      pt.y = corners[k][1];
      out.push(m ? pt.matrixTransform(m) : pt);
    }
    return {x0: Math.min(out[0].x, out[1].x), y0: Math.min(out[0].y, out[1].y),
            x1: Math.max(out[0].x, out[1].x), y1: Math.max(out[0].y, out[1].y)};
  };

  /* Fit the view to the drawn nodes `titles` (the focus and its cones)
   * with the figure's on-screen aspect ratio; never closer than an eighth
   * of the whole diagram's width. */
  Figure.prototype.frame = function (titles) {
    if (!this.svg) return;
    var box = null;
    for (var k = 0; k < titles.length; k++) {
      var b = this.boxOf(titles[k]);
      if (!b) continue;
      if (!box) box = b;
      else box = {x0: Math.min(box.x0, b.x0), y0: Math.min(box.y0, b.y0),
                  x1: Math.max(box.x1, b.x1), y1: Math.max(box.y1, b.y1)};
    }
    if (!box) return;
    var vb = this.svg.viewBox.baseVal, rect = this.svg.getBoundingClientRect();
    var aspect = rect.width > 0 && rect.height > 0 ? rect.height / rect.width
                                                   : vb.height / vb.width;
    var w = Math.max((box.x1 - box.x0) * 1.1, this.home.w / 8);
    var h = Math.max((box.y1 - box.y0) * 1.1, w * aspect);
    w = Math.max(w, h / aspect);
    vb.x = (box.x0 + box.x1) / 2 - w / 2;
    vb.y = (box.y0 + box.y1) / 2 - w * aspect / 2;
    vb.width = w;
    vb.height = w * aspect;
  };

  function focusFromHash(figures) {
    var m = /^#focus=(.*)$/.exec(window.location.hash);
    if (!m) return;
    var id;
    try { id = decodeURIComponent(m[1]); } catch (e) { return; }
    for (var k = 0; k < figures.length; k++) {
      var f = figures[k];
      for (var t in f.data.nodes) {
        if (f.data.nodes[t].id === id) {
          f.focus(t);
          if (f.box.scrollIntoView) f.box.scrollIntoView();
          return;
        }
      }
    }
    /* Not drawn (an aggregated figure draws groups): say so. */
    if (figures.length) {
      figures[0].search.value = id;
      figures[0].status.textContent = figures[0].label('notfound', 'no firm matches');
    }
  }

  /* ---- sortable tables ---- */

  function sortable(table) {
    var heads = table.querySelectorAll('th');
    Array.prototype.forEach.call(heads, function (th, i) {
      th.addEventListener('click', function () {
        var body = table.tBodies[0], rows = Array.prototype.slice.call(body.rows);
        var asc = !th.classList.contains('sorted-asc');
        Array.prototype.forEach.call(heads, function (h) {
          h.classList.remove('sorted-asc', 'sorted-desc');
        });
        th.classList.add(asc ? 'sorted-asc' : 'sorted-desc');
        rows.sort(function (r1, r2) {
          var a = r1.cells[i], b = r2.cells[i], d;
          var x = a.getAttribute('data-v'), y = b.getAttribute('data-v');
          if (x !== null && y !== null) d = parseFloat(x) - parseFloat(y);
          else d = a.textContent.localeCompare(b.textContent);
          return asc ? d : -d;
        });
        rows.forEach(function (r) { body.appendChild(r); });
      });
    });
  }

  function start() {
    Array.prototype.forEach.call(document.querySelectorAll('table.sortable'), sortable);
    var boxes = document.querySelectorAll('div.cy-net'), figures = [];
    for (var i = 0; i < boxes.length; i++) figures.push(new Figure(boxes[i]));
    focusFromHash(figures);
    window.addEventListener('hashchange', function () { focusFromHash(figures); });
  }

  if (document.readyState === 'loading') document.addEventListener('DOMContentLoaded', start);
  else start();
})();
