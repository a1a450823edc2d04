/* autograd-viz player: one layout drawn once, every frame applied as a small delta.
 *
 * Written for this project; no dependencies, no network access. The scene is plain
 * data made by viz.scene.Scene.payload(). Every piece of user text (names, values,
 * captions) reaches the page through textContent or a text attribute, never as HTML.
 * Used in three places: the Streamlit component, the exported HTML page and the
 * notebook view (see viz/player/__init__.py for the thin wrappers).
 */
var SVGNS = 'http://www.w3.org/2000/svg';

function agvEl(tag, cls, parent) {
  var e = document.createElement(tag);
  if (cls) { e.className = cls; }
  if (parent) { parent.appendChild(e); }
  return e;
}

function agvSvg(tag, attrs, parent) {
  var e = document.createElementNS(SVGNS, tag);
  for (var k in attrs) { if (Object.prototype.hasOwnProperty.call(attrs, k)) { e.setAttribute(k, attrs[k]); } }
  if (parent) { parent.appendChild(e); }
  return e;
}

/* Display width of a text in monospace cells (Hangul and other wide characters: 2). */
function agvCells(text) {
  var n = 0;
  for (var i = 0; i < text.length; i++) {
    var c = text.charCodeAt(i);
    n += (c >= 0x1100 && (c <= 0x115f || (c >= 0x2e80 && c <= 0xa4cf) || (c >= 0xac00 && c <= 0xd7a3) ||
      (c >= 0xf900 && c <= 0xfaff) || (c >= 0xfe30 && c <= 0xfe4f) || (c >= 0xff00 && c <= 0xff60) ||
      (c >= 0xffe0 && c <= 0xffe6))) ? 2 : 1;
  }
  return n;
}

function agvCheck(scene) {
  if (!scene || typeof scene !== 'object') { return 'no scene data'; }
  if (scene.v !== 1) { return 'unknown scene version ' + String(scene.v); }
  if (!Array.isArray(scene.nodes) || !Array.isArray(scene.edges) || !Array.isArray(scene.frames)) {
    return 'the scene has no nodes, edges or frames';
  }
  if (scene.frames.length === 0) { return 'the scene has no frames'; }
  if (!(scene.width > 0) || !(scene.height > 0)) { return 'the scene has no size'; }
  return '';
}

/* Mount a player in `root` (an empty element). opts: step, selected, projector,
 * standalone (keys on the whole document), onStep(k), onSelect(id), interval (ms),
 * onNarrow() (called when the screen is narrow and the scene has no `alt` layout). */
/* On a narrow screen a left-to-right graph is drawn top to bottom, when the scene carries
 * that second layout (``alt``): same nodes, edges and frames, other coordinates. */
var AGV_NARROW_PX = 640;
function agvGeometry(scene, width) {
  if (!scene || !scene.alt || !(width > 0) || width >= AGV_NARROW_PX) { return scene; }
  var out = {};
  for (var k in scene) { if (Object.prototype.hasOwnProperty.call(scene, k)) { out[k] = scene[k]; } }
  ['nodes', 'edges', 'width', 'height', 'rankdir', 'groups'].forEach(function (k) { out[k] = scene.alt[k]; });
  return out;
}

function agvizPlayer(root, scene, opts) {
  opts = opts || {};
  var fullScene = scene;
  scene = agvGeometry(scene, root.clientWidth || window.innerWidth);
  var words = (scene && scene.words) || {};
  var problem = agvCheck(scene);
  var box = agvEl('div', 'agv', root);
  if (problem) {
    var msg = agvEl('div', 'agv-broken', box);
    msg.setAttribute('role', 'alert');
    msg.textContent = (words.broken || 'This graph cannot be shown: {reason}').replace('{reason}', problem);
    return { sceneId: scene && scene.id, goto: function () {}, destroy: function () { root.removeChild(box); }, broken: true };
  }
  box.tabIndex = 0;
  box.setAttribute('role', 'application');
  box.setAttribute('aria-roledescription', 'graph player');
  box.setAttribute('aria-label', scene.title || words.step || 'graph');
  box.setAttribute('data-testid', 'agv-player');
  if (opts.projector) { box.classList.add('agv-projector'); }

  var frames = scene.frames.slice(), n = frames.length;  // a copy: a quiz adds frames
  var hasForward = frames.some(function (f) { return f.p === 'f'; });
  var bar = agvEl('div', 'agv-bar', box);
  function button(key, label, glyph) {
    var b = agvEl('button', 'agv-btn agv-' + key, bar);
    b.type = 'button';
    b.textContent = glyph ? glyph : label;
    b.title = label;
    b.setAttribute('aria-label', label);
    b.setAttribute('data-testid', 'agv-' + key);
    return b;
  }
  var bFirst = button('first', words.first || 'First', '\u21e4');
  var bPrev = button('prev', words.prev || 'Previous', '\u25c0');
  var bPlay = button('play', words.play || 'Play', '\u25b6\u25b6');
  var bNext = button('next', words.next || 'Next', '');
  bNext.textContent = (words.next || 'Next') + ' \u25b6';
  bNext.classList.add('agv-primary');
  var bLast = button('last', words.last || 'Last', '\u21e5');
  var slider = agvEl('input', 'agv-slider', bar);
  slider.type = 'range'; slider.min = '0'; slider.max = String(n - 1); slider.step = '1';
  slider.setAttribute('aria-label', words.step || 'Step');
  slider.setAttribute('data-testid', 'agv-slider');
  var counter = agvEl('span', 'agv-counter', bar);
  counter.setAttribute('data-testid', 'agv-counter');
  var bOut = button('zoom-out', words.zoom_out || 'Zoom out', '\u2212');
  var bIn = button('zoom-in', words.zoom_in || 'Zoom in', '+');
  var bFit = button('fit', words.fit || 'Fit', '');
  var bFull = button('fullscreen', words.fullscreen || 'Full screen', '');

  var caption = agvEl('div', 'agv-caption', box);
  caption.setAttribute('aria-live', 'polite');
  caption.setAttribute('data-testid', 'agv-caption');
  var explain = agvEl('div', 'agv-explain', box);
  explain.setAttribute('data-testid', 'agv-explain');
  explain.setAttribute('aria-live', 'polite');
  explain.setAttribute('aria-label', words.chain_rule || 'Chain rule');
  if (scene.notice) {
    var notice = agvEl('div', 'agv-notice', box);
    notice.setAttribute('role', 'status');
    notice.textContent = scene.notice;
  }
  var stage = agvEl('div', 'agv-stage', box);
  var svg = agvSvg('svg', { 'class': 'agv-svg', 'role': 'img' }, stage);
  svg.setAttribute('aria-label', scene.title || words.graph || 'computation graph');
  var view = agvSvg('g', { 'class': 'agv-view' }, svg);
  var groupLayer = agvSvg('g', { 'class': 'agv-groups' }, view);  // layer outlines: beneath
  var edgeLayer = agvSvg('g', { 'class': 'agv-edges' }, view);
  var nodeLayer = agvSvg('g', { 'class': 'agv-nodes' }, view);
  var labelLayer = agvSvg('g', { 'class': 'agv-labels' }, view);  // grads on edges: on top
  var coverLayer = agvSvg('g', { 'class': 'agv-covers' }, view);  // collapsed groups: over all
  var legend = agvEl('div', 'agv-legend', box);
  legend.setAttribute('aria-label', words.legend || 'Legend');
  var help = agvEl('div', 'agv-keys', box);
  // a locked player has no stepping keys: it says who steps it (a teacher, or the graph beside)
  help.textContent = (!opts.locked ? words.keys : opts.lockedBy === 'teacher'
    ? words.keys_locked : words.keys_follows) || '';

  var font = scene.font || 12, edgeFont = scene.edgeFont || 10;

  // --- the scene, drawn once --------------------------------------------------------------
  var nodes = {}, edges = {}, changes = {}, order = [];
  function maxLines(id) {
    var m = 1;
    for (var t = 0; t < n; t++) {
      var e = frames[t].n && frames[t].n[id];
      if (e) { m = Math.max(m, String(e[1]).split('\n').length); }
    }
    return m;
  }
  scene.edges.forEach(function (row) {
    var id = row[0];
    var g = agvSvg('g', { 'class': 'ag-edge s-idle', 'data-id': id }, edgeLayer);
    if (row[5] === 'grad of') { g.classList.add('grad-link'); }
    agvSvg('path', { d: row[3] }, g);
    if (row[4] && row[4].length) {
      agvSvg('polygon', { points: row[4].map(function (p) { return p[0] + ',' + p[1]; }).join(' ') }, g);
    }
    if (row[5] && row[6]) {
      var lab = agvSvg('text', { 'class': 'agv-operand', x: row[6][0], y: row[6][1] + edgeFont * 0.35, 'font-size': edgeFont }, g);
      lab.textContent = row[5];
    }
    // the grad (or value) travelling along the edge, just above its middle
    var flow = agvSvg('g', { 'class': 'agv-flow ag-edge s-idle', 'data-flow': id }, labelLayer);
    var ly = row[7][1] - edgeFont * 0.9;
    var rect = agvSvg('rect', { x: row[7][0], y: ly - edgeFont * 0.8, height: edgeFont * 1.45, rx: 3 }, flow);
    var txt = agvSvg('text', { x: row[7][0], y: ly + edgeFont * 0.35, 'font-size': edgeFont }, flow);
    edges[id] = { g: g, flow: flow, rect: rect, text: txt, mid: row[7], cls: null, label: null };
    changes[id] = [];
    order.push(id);
  });
  scene.nodes.forEach(function (row) {
    var id = row[0], shape = row[1], x = row[2], y = row[3], w = row[4], h = row[5];
    var g = agvSvg('g', { 'class': 'ag-node ' + row[6], 'data-id': id, 'data-testid': 'node-' + id }, nodeLayer);
    if (shape === 'ellipse') {
      agvSvg('ellipse', { 'class': 'shape', cx: x, cy: y, rx: w / 2, ry: h / 2 }, g);
      if ((' ' + row[6] + ' ').indexOf(' param ') >= 0) {  // a Parameter: a second border
        agvSvg('ellipse', { 'class': 'shape2', cx: x, cy: y, rx: w / 2 - 4, ry: h / 2 - 4 }, g);
      }
    } else {
      if (shape === 'box3d') {
        agvSvg('rect', { 'class': 'shape', x: x - w / 2 + 4, y: y - h / 2 - 4, width: w, height: h }, g);
      }
      agvSvg('rect', { 'class': 'shape', x: x - w / 2, y: y - h / 2, width: w, height: h, rx: shape === 'box' ? 3 : 0 }, g);
    }
    var text = agvSvg('text', { x: x, 'font-size': font }, g);
    var spans = [];
    for (var i = 0, m = maxLines(id); i < m; i++) { spans.push(agvSvg('tspan', { x: x }, text)); }
    nodes[id] = { g: g, label: text, spans: spans, x: x, y: y, w: w, h: h, base: 'ag-node ' + row[6], cls: null, text: null, lines: -1 };
    changes[id] = [];
  });
  // --- groups (layers, viz.scope): an outline each; collapsed, a box covering it -----------
  // Collapsing draws nothing new: the box covers the group's own area of the one layout, its
  // members and inner edges are hidden, edges crossing its border end at the box.
  var groups = {}, groupOrder = [];
  (scene.groups || []).forEach(function (row) {
    var id = row[0], x = row[2], y = row[3], w = row[4], h = row[5];
    var outline = agvSvg('g', { 'class': 'agv-group', 'data-group': id }, groupLayer);
    agvSvg('rect', { 'class': 'agv-group-box', x: x, y: y, width: w, height: h, rx: 6 }, outline);
    var toggle = agvSvg('g', { 'class': 'agv-group-toggle', 'data-group': id, tabindex: '0', role: 'button' }, outline);
    var label = agvSvg('text', { x: x + 6, y: y + 14, 'font-size': 12 }, toggle);
    label.textContent = '\u25be ' + row[1];
    toggle.setAttribute('aria-label', (words.collapse || 'Collapse') + ' ' + row[1]);
    var cover = agvSvg('g', { 'class': 'agv-cover', 'data-group': id, tabindex: '0', role: 'button' }, coverLayer);
    cover.setAttribute('aria-label', (words.expand || 'Expand') + ' ' + row[1]);
    agvSvg('rect', { x: x, y: y, width: w, height: h, rx: 6 }, cover);
    var lines = String(row[6]).split('\n'), lh = font * 1.3;
    var text = agvSvg('text', { x: x + w / 2, 'font-size': font }, cover);
    lines.forEach(function (line, i) {
      var span = agvSvg('tspan', { x: x + w / 2, y: y + h / 2 - lh * (lines.length - 1) / 2 + font * 0.35 + i * lh }, text);
      span.textContent = i === 0 ? '\u25b8 ' + line : line;
    });
    cover.style.display = 'none';
    groups[id] = { outline: outline, cover: cover, members: row[7], depth: row[8], label: label, name: row[1] };
    groupOrder.push(id);
  });
  var collapsedGroups = {};
  (opts.collapsed || scene.collapsed || []).forEach(function (id) { if (groups[id]) { collapsedGroups[id] = true; } });
  function applyGroups() {
    var hiddenNode = {}, coveredGroup = {};
    groupOrder.forEach(function (id) {
      if (!collapsedGroups[id]) { return; }
      groups[id].members.forEach(function (m) { hiddenNode[m] = true; });
    });
    groupOrder.forEach(function (id) {  // a group inside a collapsed one is covered with it
      var g = groups[id];
      groupOrder.forEach(function (other) {
        if (other !== id && collapsedGroups[other] && groups[other].depth < g.depth &&
            g.members.every(function (m) { return groups[other].members.indexOf(m) >= 0; })) {
          coveredGroup[id] = true;
        }
      });
    });
    for (var nid in nodes) { nodes[nid].g.style.visibility = hiddenNode[nid] ? 'hidden' : ''; }
    scene.edges.forEach(function (row) {
      var ed = edges[row[0]], inner = hiddenNode[row[1]] && hiddenNode[row[2]];
      ed.g.style.visibility = inner ? 'hidden' : '';
      ed.flow.style.visibility = (hiddenNode[row[1]] || hiddenNode[row[2]]) ? 'hidden' : '';
    });
    var shut = [];
    groupOrder.forEach(function (id) {
      var g = groups[id], closed = !!collapsedGroups[id] && !coveredGroup[id];
      g.cover.style.display = closed ? '' : 'none';
      g.outline.style.display = (coveredGroup[id] || closed) ? 'none' : '';
      g.label.textContent = '\u25be ' + g.name;
      if (closed) { shut.push(id); }
    });
    box.setAttribute('data-collapsed', shut.join(' '));
  }
  function toggleGroup(id) {
    if (!groups[id]) { return; }
    if (collapsedGroups[id]) { delete collapsedGroups[id]; } else { collapsedGroups[id] = true; }
    applyGroups();
    if (opts.onCollapse) { opts.onCollapse(Object.keys(collapsedGroups).sort()); }
  }
  applyGroups();

  // per element, the frames where it changes: [t, entry], ascending
  function noteChanges(t) {
    var fr = frames[t];
    for (var nid in fr.n) { if (changes[nid]) { changes[nid].push([t, fr.n[nid]]); } }
    for (var eid in fr.e) { if (changes[eid]) { changes[eid].push([t, fr.e[eid]]); } }
  }
  for (var t = 0; t < n; t++) { noteChanges(t); }
  // A quiz's frames: exactly 0..upto, those held and ``more`` (frames from ``from`` on). A
  // frame after upto goes (the quiz started again); a missing one stops the adding.
  function reveal(upto, from, more) {
    if (n - 1 === upto) { return; }  // the usual case: nothing to add or take back
    more = more || [];
    while (n - 1 > upto && n > 1) {
      var last = frames.pop(), id;
      n = frames.length;
      for (id in last.n) { if (changes[id]) { changes[id].pop(); } }
      for (id in last.e) { if (changes[id]) { changes[id].pop(); } }
    }
    while (n - 1 < upto && n >= from && more[n - from]) {
      var fr = more[n - from];
      frames.push(fr);
      n = frames.length;
      noteChanges(n - 1);
      for (var nid in fr.n) {  // a longer label than any before: room for its lines
        var nd = nodes[nid], count = String(fr.n[nid][1]).split('\n').length;
        while (nd && nd.spans.length < count) { nd.spans.push(agvSvg('tspan', { x: nd.x }, nd.label)); }
      }
    }
    hasForward = frames.some(function (f) { return f.p === 'f'; });
    slider.max = String(n - 1);
    if (current >= 0) {  // Next and Last again; a frame taken back: painted whole
      var at = Math.min(current, n - 1);
      if (at !== current) { current = -1; }
      show(at, null);
    }
  }
  var chips = [];
  scene.legend.forEach(function (item) {
    var chip = agvEl('span', 'agv-chip', legend);
    chips.push([chip, item[3] || '']);
    var sample = agvEl('span', 'agv-sample agv-sample-' + item[0], chip);
    sample.setAttribute('data-state', item[1]);
    var svgChip = agvSvg('svg', { width: 26, height: 16, viewBox: '0 0 26 16' }, sample);
    if (item[0] === 'edge') {
      var eg = agvSvg('g', { 'class': 'ag-edge ' + item[1] }, svgChip);
      agvSvg('path', { d: 'M1,8H25' }, eg);
    } else {
      var ng = agvSvg('g', { 'class': 'ag-node ' + (item[0] === 'fn' ? 'fn ' : 'var ') + item[1] }, svgChip);
      if (item[0] === 'fn') { agvSvg('rect', { 'class': 'shape', x: 2, y: 2, width: 22, height: 12, rx: 2 }, ng); }
      else { agvSvg('ellipse', { 'class': 'shape', cx: 13, cy: 8, rx: 11, ry: 6 }, ng); }
    }
    var words_ = agvEl('span', 'agv-chip-text', chip);
    words_.textContent = item[2];
  });

  function entryAt(id, t) {
    var list = changes[id], lo = 0, hi = list.length - 1, found = null;
    while (lo <= hi) {
      var mid = (lo + hi) >> 1;
      if (list[mid][0] <= t) { found = list[mid][1]; lo = mid + 1; } else { hi = mid - 1; }
    }
    return found;
  }

  function paintNode(id, entry) {
    var nd = nodes[id];
    if (!nd || !entry) { return; }
    var cls = entry[0], text = String(entry[1]);
    if (cls !== nd.cls) {
      nd.cls = cls;
      nd.g.setAttribute('class', nd.base + (cls ? ' ' + cls : '') + (selected === id ? ' agv-selected' : ''));
    }
    if (text !== nd.text) {
      nd.text = text;
      var lines = text.split('\n'), count = Math.min(lines.length, nd.spans.length);
      var lineH = font * 1.3, top = nd.y - lineH * (count - 1) / 2 + font * 0.35;
      for (var i = 0; i < nd.spans.length; i++) {
        nd.spans[i].textContent = i < count ? lines[i] : '';
        if (count !== nd.lines) { nd.spans[i].setAttribute('y', top + i * lineH); }
      }
      nd.lines = count;
    }
  }

  function paintEdge(id, entry) {
    var ed = edges[id];
    if (!ed || !entry) { return; }
    if (entry[0] !== ed.cls) {
      ed.cls = entry[0];
      ed.g.setAttribute('class', 'ag-edge ' + entry[0] + (ed.g.classList.contains('grad-link') ? ' grad-link' : ''));
      ed.flow.setAttribute('class', 'agv-flow ag-edge ' + entry[0]);
    }
    var label = String(entry[1] || '');
    if (label !== ed.label) {
      ed.label = label;
      ed.text.textContent = label;
      var w = agvCells(label) * edgeFont * 0.62 + 6;
      ed.rect.setAttribute('x', ed.mid[0] - w / 2);
      ed.rect.setAttribute('width', w);
      ed.flow.style.display = label ? 'inline' : 'none';
    }
  }

  // --- stepping ----------------------------------------------------------------------------
  var current = -1, selected = opts.selected || null, timer = null, reportTimer = null;
  var interval = opts.interval || 1200;

  function show(t, why) {
    t = Math.max(0, Math.min(n - 1, t | 0));
    var ids;
    if (current >= 0 && Math.abs(t - current) <= 8) {
      var seen = {};
      ids = [];
      for (var s = Math.min(t, current) + 1; s <= Math.max(t, current); s++) {
        var f = frames[s];
        for (var a in f.n) { if (!seen[a]) { seen[a] = 1; ids.push(a); } }
        for (var b in f.e) { if (!seen[b]) { seen[b] = 1; ids.push(b); } }
      }
    } else {
      ids = Object.keys(nodes).concat(order);
    }
    for (var i = 0; i < ids.length; i++) {
      var id = ids[i];
      if (nodes[id]) { paintNode(id, entryAt(id, t)); } else { paintEdge(id, entryAt(id, t)); }
    }
    current = t;
    slider.value = String(t);
    // one counter only, the caption's ("Step 2 of 3: ..."); next to the slider, the pass
    var fr = frames[t], phase = fr.p === 'f' ? 'f' : 'b';
    counter.textContent = hasForward ? (phase === 'f' ? (words.forward || 'forward') + ' \u2192'
                                                      : '\u2190 ' + (words.backward || 'backward')) : '';
    chips.forEach(function (c) { c[0].style.display = (!c[1] || c[1] === phase) ? '' : 'none'; });
    caption.textContent = frames[t].c || '';
    var lines = frames[t].x || [];
    while (explain.firstChild) { explain.removeChild(explain.firstChild); }
    lines.forEach(function (line) { agvEl('div', 'agv-rule', explain).textContent = line; });
    explain.style.display = lines.length ? '' : 'none';
    box.setAttribute('data-step', String(t));
    box.setAttribute('data-phase', frames[t].p === 'f' ? 'forward' : 'backward');
    box.setAttribute('data-phase-step', String(frames[t].k));
    var atStart = t === 0, atEnd = t === n - 1;
    var focusWasNext = (rootNode().activeElement === bNext || rootNode().activeElement === bLast);
    var lock = !!opts.locked;  // a student following a teacher: the teacher steps
    bFirst.disabled = atStart || lock; bPrev.disabled = atStart || lock;
    bNext.disabled = atEnd || lock; bLast.disabled = atEnd || lock;
    bPlay.disabled = lock; slider.disabled = lock;
    if (atEnd && focusWasNext) { box.focus({ preventScroll: true }); }
    follow();
    if (why && opts.onStep) { report(why === 'slider'); }
    if (why && why.timeStamp !== undefined) { measure(why.timeStamp, t); }
  }

  function rootNode() { return box.getRootNode ? box.getRootNode() : document; }

  // Tell the page the step: a key or click after a quiet spell at once (a student's single
  // step), a burst (a held key, a dragged slider) once more after it ends.
  var lastReport = -Infinity;
  function report(dragging) {
    clearTimeout(reportTimer);
    var now = performance.now(), quiet = now - lastReport > 150;
    if (quiet && !dragging) { lastReport = now; opts.onStep(current); return; }
    lastReport = now;
    reportTimer = setTimeout(function () { lastReport = performance.now(); opts.onStep(current); },
                             dragging ? 250 : 25);
  }

  function measure(since, t) {
    requestAnimationFrame(function () {
      var ms = performance.now() - since;
      box.setAttribute('data-painted-ms', ms.toFixed(1));
      var log = window.agvizTimings || (window.agvizTimings = []);
      log.push({ step: t, ms: ms });
    });
  }

  function stop() { if (timer) { clearInterval(timer); timer = null; bPlay.textContent = '\u25b6\u25b6'; bPlay.title = words.play || 'Play'; } }
  function play() {
    if (opts.locked) { return; }
    if (timer) { stop(); return; }
    if (current >= n - 1) { show(0, 'play'); }
    bPlay.textContent = '\u275a\u275a'; bPlay.title = words.pause || 'Pause';
    timer = setInterval(function () { if (current >= n - 1) { stop(); } else { show(current + 1, 'play'); } }, interval);
  }
  function go(t, why) { if (opts.locked) { return; } stop(); show(t, why || 'user'); }

  bFirst.addEventListener('click', function (e) { go(0, e); });
  bPrev.addEventListener('click', function (e) { go(current - 1, e); });
  bNext.addEventListener('click', function (e) { go(current + 1, e); });
  bLast.addEventListener('click', function (e) { go(n - 1, e); });
  bPlay.addEventListener('click', function () { play(); });
  slider.addEventListener('input', function () { stop(); show(parseInt(slider.value, 10), 'slider'); });

  // --- zoom and pan ------------------------------------------------------------------------
  var scale = 1, tx = 0, ty = 0, minScale = 0.05, maxScale = 8, pad = 12;  // pad: stage margin
  // Node text in CSS px is font * scale: a graph is shown whole only while its text stays
  // readable (18 px on a projector, 12 px elsewhere); a bigger one is shown at that size,
  // and the view follows the running node as it steps.
  function legibleScale() { return (opts.projector ? 18 : 12) / font; }
  var userView = false;  // the reader zoomed or panned: a resize keeps their view
  function apply() { view.setAttribute('transform', 'translate(' + tx.toFixed(1) + ',' + ty.toFixed(1) + ') scale(' + scale.toFixed(4) + ')'); }
  function stageSize() { return { w: stage.clientWidth || 600, h: stage.clientHeight || 400 }; }
  function fitScale(s, keepLegible) {
    var k = Math.min((s.w - 2 * pad) / scene.width, (s.h - 2 * pad) / scene.height);
    k = Math.min(k, opts.projector ? 3 : 2);
    if (keepLegible) { k = Math.max(k, legibleScale()); }
    return Math.max(minScale, Math.min(maxScale, k));
  }
  function fit(keepLegible) {
    var s = stageSize();
    userView = false;
    scale = fitScale(s, keepLegible);
    tx = (s.w - scene.width * scale) / 2; ty = (s.h - scene.height * scale) / 2;
    if (scene.width * scale > s.w) { tx = pad; }
    if (scene.height * scale > s.h) { ty = pad; }
    apply();
    follow(true);
  }
  function zoomAt(factor, cx, cy) {
    userView = true;
    var k = Math.max(minScale, Math.min(maxScale, scale * factor));
    tx = cx - (cx - tx) * (k / scale); ty = cy - (cy - ty) * (k / scale); scale = k; apply();
  }
  function zoomCentre(factor) { var s = stageSize(); zoomAt(factor, s.w / 2, s.h / 2); }
  /* Keep the running functions on screen (before a pass starts: the queued ones): the
     scene names their states' classes (scene.follow). */
  var followed = fullScene.follow || [];  // state classes, in order (from viz.states)
  function follow(force) {
    var s = stageSize(), ids = [];
    for (var f = 0; f < followed.length && !ids.length; f++) {
      for (var id in nodes) {
        if ((' ' + (nodes[id].cls || '') + ' ').indexOf(' ' + followed[f] + ' ') >= 0) { ids.push(id); }
      }
    }
    if (!ids.length) { return; }
    var x0 = Infinity, y0 = Infinity, x1 = -Infinity, y1 = -Infinity;
    ids.forEach(function (i) { var d = nodes[i]; x0 = Math.min(x0, d.x - d.w / 2); x1 = Math.max(x1, d.x + d.w / 2); y0 = Math.min(y0, d.y - d.h / 2); y1 = Math.max(y1, d.y + d.h / 2); });
    var sx0 = x0 * scale + tx, sx1 = x1 * scale + tx, sy0 = y0 * scale + ty, sy1 = y1 * scale + ty;
    if (force || sx0 < 0 || sy0 < 0 || sx1 > s.w || sy1 > s.h) {
      if (sx0 >= 0 && sy0 >= 0 && sx1 <= s.w && sy1 <= s.h) { return; }
      tx += s.w / 2 - (sx0 + sx1) / 2; ty += s.h / 2 - (sy0 + sy1) / 2;
      keepGraphInView(s); apply();
    }
  }
  /* A graph bigger than the stage covers it: centring a node near the graph's end would
     leave blank stage beyond it while the rest of the graph is cut off on the other side. */
  function keepGraphInView(s) {
    var gw = scene.width * scale, gh = scene.height * scale;
    if (gw > s.w - 2 * pad) { tx = Math.min(pad, Math.max(s.w - pad - gw, tx)); }
    if (gh > s.h - 2 * pad) { ty = Math.min(pad, Math.max(s.h - pad - gh, ty)); }
  }
  bIn.addEventListener('click', function () { zoomCentre(1.25); });
  bOut.addEventListener('click', function () { zoomCentre(0.8); });
  bFit.addEventListener('click', function () { fit(false); });
  svg.addEventListener('wheel', function (e) {
    e.preventDefault();
    var r = svg.getBoundingClientRect();
    zoomAt(Math.exp(-e.deltaY * (e.deltaMode === 1 ? 0.05 : 0.0015)), e.clientX - r.left, e.clientY - r.top);
  }, { passive: false });
  var pointers = {}, drag = null, pinch = null;
  svg.addEventListener('pointerdown', function (e) {
    pointers[e.pointerId] = { x: e.clientX, y: e.clientY };
    var ids = Object.keys(pointers);
    if (ids.length === 2) {
      var p = pointers[ids[0]], q = pointers[ids[1]];
      pinch = { d: Math.hypot(p.x - q.x, p.y - q.y), scale: scale };
      drag = null;
    } else {
      drag = { x: e.clientX, y: e.clientY, tx: tx, ty: ty, moved: false, target: e.target };
    }
    try { svg.setPointerCapture(e.pointerId); } catch (err) { /* not capturable */ }
  });
  svg.addEventListener('pointermove', function (e) {
    if (!pointers[e.pointerId]) { return; }
    pointers[e.pointerId] = { x: e.clientX, y: e.clientY };
    var ids = Object.keys(pointers);
    if (pinch && ids.length === 2) {
      var p = pointers[ids[0]], q = pointers[ids[1]], r = svg.getBoundingClientRect();
      var d = Math.hypot(p.x - q.x, p.y - q.y);
      zoomAt((pinch.scale * d / pinch.d) / scale, (p.x + q.x) / 2 - r.left, (p.y + q.y) / 2 - r.top);
    } else if (drag) {
      var dx = e.clientX - drag.x, dy = e.clientY - drag.y;
      if (Math.abs(dx) + Math.abs(dy) > 4) { drag.moved = true; }
      if (drag.moved) { userView = true; tx = drag.tx + dx; ty = drag.ty + dy; apply(); svg.classList.add('agv-dragging'); }
    }
  });
  function release(e) {
    delete pointers[e.pointerId];
    if (Object.keys(pointers).length < 2) { pinch = null; }
    if (drag && !drag.moved && e.type === 'pointerup') { clickAt(drag.target); }
    if (!Object.keys(pointers).length) { drag = null; svg.classList.remove('agv-dragging'); }
  }
  svg.addEventListener('pointerup', release);
  svg.addEventListener('pointercancel', release);

  // --- selecting a node ----------------------------------------------------------------------
  function select(id, report) {
    if (selected && nodes[selected]) { nodes[selected].g.classList.remove('agv-selected'); }
    selected = id;
    if (id && nodes[id]) { nodes[id].g.classList.add('agv-selected'); box.setAttribute('data-selected', id); }
    else { box.removeAttribute('data-selected'); }
    if (report && opts.onSelect) { opts.onSelect(id); }
  }
  function clickAt(target) {
    var group = target && target.closest ? target.closest('.agv-group-toggle, .agv-cover') : null;
    if (group) { toggleGroup(group.getAttribute('data-group')); return; }
    var g = target && target.closest ? target.closest('.ag-node') : null;
    if (g) { select(g.getAttribute('data-id'), true); }
  }

  // --- keys and full screen -------------------------------------------------------------------
  function onKey(e) {
    var tag = e.target && e.target.tagName;
    if (e.altKey || e.ctrlKey || e.metaKey) { return; }
    if (opts.standalone && (tag === 'INPUT' || tag === 'TEXTAREA' || tag === 'SELECT') && e.target !== slider) { return; }
    var k = e.key;
    var groupKey = e.target && e.target.getAttribute ? e.target.getAttribute('data-group') : null;
    if (groupKey && (k === 'Enter' || k === ' ')) { toggleGroup(groupKey); }
    else if (k === 'ArrowRight' || k === 'PageDown') { go(current + 1, e); }
    else if (k === 'ArrowLeft' || k === 'PageUp') { go(current - 1, e); }
    else if (k === 'Home') { go(0, e); }
    else if (k === 'End') { go(n - 1, e); }
    else if (k === ' ' && tag !== 'BUTTON') { play(); }
    else if (k === '+' || k === '=') { zoomCentre(1.25); }
    else if (k === '-' || k === '_') { zoomCentre(0.8); }
    else if (k === '0') { fit(false); }
    else if (k === 'f' || k === 'F') { toggleFull(); }
    else { return; }
    e.preventDefault();
    e.stopPropagation();
  }
  var keyTarget = opts.standalone ? document : box;
  keyTarget.addEventListener('keydown', onKey);
  /* opts.pageKeys (the app's own player): ← and → step it from anywhere on the page, as the
     README's "Press →" says, unless the key is meant for what has focus: a text field, a
     slider, a list, a radio group, a menu, or another player. The newest such player on the
     page takes them (one per page: the app mounts one). */
  var KEEPS_ARROWS = /^(slider|spinbutton|combobox|listbox|option|radio|radiogroup|tab|tablist|menu|menuitem|menuitemradio|grid|gridcell|tree|treeitem|textbox)$/;
  var NO_ARROWS_INPUT = /^(checkbox|button|submit|reset|image|color|file)$/;
  function arrowsBelongTo(el) {
    for (var e = el; e && e.nodeType === 1; e = e.parentElement) {
      var tag = e.tagName;
      if (tag === 'INPUT' && !NO_ARROWS_INPUT.test(e.type || '')) { return true; }
      if (tag === 'TEXTAREA' || tag === 'SELECT' || e.isContentEditable) { return true; }
      if (KEEPS_ARROWS.test(e.getAttribute('role') || '')) { return true; }
      if (e.classList && e.classList.contains('agv')) { return true; }
    }
    return false;
  }
  function onPageKey(e) {
    if (window.__agvPageKeys !== onPageKey || opts.locked || !box.isConnected) { return; }
    if (e.defaultPrevented || e.altKey || e.ctrlKey || e.metaKey || e.shiftKey) { return; }
    if (e.key !== 'ArrowRight' && e.key !== 'ArrowLeft') { return; }
    var path = e.composedPath ? e.composedPath() : [e.target];
    if (arrowsBelongTo(path[0])) { return; }
    go(current + (e.key === 'ArrowRight' ? 1 : -1), e);
    e.preventDefault();
  }
  if (opts.pageKeys && !opts.standalone) {
    window.__agvPageKeys = onPageKey;
    document.addEventListener('keydown', onPageKey);
  }
  function isFull() { return document.fullscreenElement === box || box.classList.contains('agv-full'); }
  function toggleFull() {
    if (isFull()) {
      if (document.fullscreenElement && document.exitFullscreen) { document.exitFullscreen().catch(function () {}); }
      box.classList.remove('agv-full');
    } else {
      box.classList.add('agv-full');
      if (box.requestFullscreen) { box.requestFullscreen().catch(function () { /* CSS full page instead */ }); }
    }
    labelFull();
    setTimeout(function () { size(); fit(true); }, 60);
  }
  function labelFull() {  // the button says what it will do now
    var label = isFull() ? (words.exit_fullscreen || 'Exit full screen') : (words.fullscreen || 'Full screen');
    bFull.textContent = label; bFull.title = label; bFull.setAttribute('aria-label', label);
  }
  bFull.addEventListener('click', toggleFull);
  function onFullChange() {
    if (!document.fullscreenElement) { box.classList.remove('agv-full'); }
    labelFull();
    size(); fit(true);
  }
  document.addEventListener('fullscreenchange', onFullChange);

  // --- size: the width of the page and the height left under the player's top -------------
  // The stage is as tall as the graph needs at the scale it is shown at, and no taller than
  // what is left of the window under its top (with the legend and the keys' line below it),
  // so that the running node the view follows is on screen with the legend. A player that
  // starts too low for that (a phone, a long program above it) gets the height it has once
  // scrolled to: the window less its own bar and caption.
  function size() {
    box.classList.toggle('agv-narrow', (root.clientWidth || window.innerWidth) < 520);
    if (isFull()) { stage.style.height = ''; return; }
    if (opts.height > 0) { stage.style.height = opts.height + 'px'; return; }
    var top = Math.max(0, stage.getBoundingClientRect().top);
    var below = legend.offsetHeight + help.offsetHeight + 24;
    var room = window.innerHeight - top - below;
    if (room < 200) { room = window.innerHeight - (stage.offsetTop || 0) - below; }
    var floor = Math.min(240, Math.max(120, room));
    var k = fitScale({ w: stage.clientWidth || 600, h: Infinity }, true);  // its width's scale
    var natural = scene.height * k + 2 * pad;
    stage.style.height = Math.round(Math.max(floor, Math.min(room, natural))) + 'px';
  }
  var resizeTimer = null;
  function onResize() {
    clearTimeout(resizeTimer);
    resizeTimer = setTimeout(function () {
      var width = root.clientWidth || window.innerWidth;
      var wanted = agvGeometry(fullScene, width);
      if (wanted.rankdir !== scene.rankdir && opts.remount) { opts.remount(current, selected); return; }
      askNarrow(width);
      size(); refit();
    }, 100);
  }
  function refit() {  // the stage changed size: fit again, unless the reader set the view
    if (!userView) { fit(true); } else { keepGraphInView(stageSize()); apply(); }
  }
  window.addEventListener('resize', onResize);
  // The stage's width also changes without a window resize: the sidebar collapsed or opened,
  // the page's scroll bar came or went as the rest of the page filled in.
  var stageSeen = { w: 0, h: 0 }, observer = null;
  if (window.ResizeObserver) {
    observer = new ResizeObserver(function () {
      var s = stageSize();
      if (Math.abs(s.w - stageSeen.w) < 2 && Math.abs(s.h - stageSeen.h) < 2) { return; }
      var widthChanged = Math.abs(s.w - stageSeen.w) >= 2;
      stageSeen = s;
      if (widthChanged) { onResize(); } else { refit(); }
    });
    observer.observe(stage);
  }
  function askNarrow(width) {
    if (opts.onNarrow && !fullScene.alt && width > 0 && width < AGV_NARROW_PX) { opts.onNarrow(); }
  }

  show(opts.step === undefined ? (scene.start || 0) : opts.step, null);
  size();
  fit(true);
  stageSeen = stageSize();
  if (selected) { select(selected, false); }
  box.setAttribute('data-ready', '1');
  box.setAttribute('data-rankdir', scene.rankdir || 'LR');
  if (window.agvizReadyAt === undefined) { window.agvizReadyAt = performance.now(); }  // benchmarks
  askNarrow(root.clientWidth || window.innerWidth);

  return {
    sceneId: scene.id,
    box: box,
    goto: function (t) { stop(); show(t, null); },
    key: onKey,  // a key event a host caught first (a notebook's shortcuts run before ours)
    get step() { return current; },
    select: function (id) { select(id, false); },
    reveal: reveal,
    setProjector: function (on) {
      opts.projector = !!on;
      box.classList.toggle('agv-projector', !!on);
      size(); fit(true);
    },
    destroy: function () {
      stop();
      clearTimeout(reportTimer);
      keyTarget.removeEventListener('keydown', onKey);
      document.removeEventListener('keydown', onPageKey);
      if (window.__agvPageKeys === onPageKey) { window.__agvPageKeys = null; }
      if (observer) { observer.disconnect(); }
      window.removeEventListener('resize', onResize);
      document.removeEventListener('fullscreenchange', onFullChange);
      if (box.parentNode) { box.parentNode.removeChild(box); }
    }
  };
}
