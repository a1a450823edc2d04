/* Streamlit components v2: data = {scene (JSON text), sceneId, key, step, push, selected,
 * pick, projector, ...}. The function runs again whenever the data changes; the player is
 * kept (same scene) or rebuilt (another scene).
 *
 * The browser owns stepping: a step is painted at once and reported (debounced) as the
 * component's state [step, sequence number] (the number makes every report a change
 * Python hears, whatever an earlier lesson left in the state). Python does not echo it:
 * ``step`` is the frame Python last moved the player to and ``push`` counts those moves
 * (a link, a quiz, the teacher, a new lesson); ``selected`` and ``pick`` likewise for the
 * selected node (the variable picked under the graph, a quiz's question). A newer push or
 * pick is applied; anything else leaves the student where they are. ``epoch`` names the
 * session: a page whose server restarted is reconnected to a new one, whose numbers start
 * again. A locked player then takes its moves whatever their number; an unlocked one (a
 * teacher's, or a student's alone) keeps its own frame and reports it, since the new
 * session knew only the address or the room, not the steps taken while it was away.
 * Moves come with this data when it changes anyway, and otherwise through the small
 * "moves" component (moves.js), which leaves them on window.__agvMoves[key] and calls
 * host.__agvApplyMoves: this element, with the player's code, is then not sent again for
 * a step or a pick. The moves also say how far a quiz has revealed (``upto``) and bring
 * the frames revealed since this element's scene was sent (``frames``, from frame
 * ``from``); ``focus`` and ``focusId``: a quiz's answer box (a widget key) the page
 * focuses once per question (``focusId``) when nothing else has focus: after Enter, focus
 * would fall to the page's body, 30-odd Tab presses from the next answer. The two
 * elements may come in either order: the board keeps the latest move until this player is
 * built.
 * Nothing is reported while a player is being built: a report in the middle of a script
 * run made Streamlit send stale values of widgets that run had not drawn yet.
 *
 * data.scene is the scene's JSON text the first time the app sends it, then null: the page
 * keeps the parsed scene (host.__agvScene) for as long as the component stays mounted. A
 * page that is given an id it does not hold (it lost the component) asks for the text
 * again: the trigger 'need' (Python's classroom.player.resend).
 *
 * data.askNarrow: the scene has no top-to-bottom layout; on a narrow screen the player
 * says so (state 'narrow') and the app sends the scene again with one.
 *
 * data.reportPaint: the app drew this graph alone (a new session's first run) and waits
 * for it to be on screen before it draws the rest of the page; reported once, after the
 * frame that shows it (or after a second: a background tab paints nothing). */
export default function (component) {
  var data = (component.data || [])[0] || {}, parent = component.parentElement;
  var host = parent.querySelector('.agv-host');
  if (!host) {
    host = document.createElement('div');
    host.className = 'agv-host';
    parent.appendChild(host);
    host.__agvSeq = 0;
  }
  host.__agvComponent = component;
  if (data.key) { (window.__agvHosts || (window.__agvHosts = {}))[data.key] = host; }
  host.__agvApplyMoves = function () {  // the moves component's latest, if newer
    var move = (window.__agvMoves || {})[data.key];
    follow(host.__agv, move);
    if (move) { agvFocusAnswer(move); }
  };
  // timers: they run after the build below, whether it drew the scene or its message
  if (data.reportPaint && !host.__agvPaintReported) {
    host.__agvPaintReported = true;
    var painted = false, reportPainted = function () {
      if (!painted) { painted = true; host.__agvComponent.setStateValue('painted', true); }
    };
    requestAnimationFrame(function () { setTimeout(reportPainted, 0); });
    setTimeout(reportPainted, 1000);
  }
  function sceneFor(data) {  // the parsed scene data names, or undefined: not held here
    if (typeof data.scene === 'string') {
      var parsed;
      try { parsed = JSON.parse(data.scene); } catch (err) { parsed = { v: -1 }; }
      host.__agvScene = { id: data.sceneId, scene: parsed };
      host.__agvAsked = null;
      return parsed;
    }
    var held = host.__agvScene;
    return held && held.id === data.sceneId ? held.scene : undefined;
  }
  function askNarrow() {  // once per page: the app then lays the graph out top to bottom
    if (host.__agvNarrowAsked) { return; }
    host.__agvNarrowAsked = true;
    setTimeout(function () { host.__agvComponent.setStateValue('narrow', true); }, 0);
  }
  function follow(player, move) {  // a move of Python's newer than the last one it took
    if (!player || player.broken || !move || move.sceneId !== player.sceneId) { return; }
    if (move.epoch !== player.lastEpoch) {  // another session (the server restarted): its
      player.lastEpoch = move.epoch;        // moves count from 1 again
      player.lastPush = player.lastPick = -1;
      if (!player.locked && (typeof move.upto !== 'number' || player.step <= move.upto)) {
        // This page's own frame wins over what the new session knew (the address, or the
        // room's step): steps taken while the server was away are kept, and reported
        player.lastPush = move.push;
        var k = player.step;
        setTimeout(function () { report(k); }, 0);
      }
    }
    if (typeof move.upto === 'number') { player.reveal(move.upto, move.from, move.frames); }
    if (move.push > player.lastPush) {
      player.lastPush = move.push;
      if (move.step !== player.step) { player.goto(move.step); }
    }
    if (move.pick > player.lastPick) {
      player.lastPick = move.pick;
      player.select(move.selected);
    }
  }
  function report(k) {
    host.__agvSeq += 1;
    host.__agvComponent.setStateValue('step', [k, host.__agvSeq]);
  }
  var player = host.__agv, keep = null;  // keep: the frame of a player rebuilt for its lock
  if (player && player.locked !== !!data.locked) {
    if (player.sceneId === data.sceneId && player.lastPush >= data.push) { keep = player.step; }
    player.destroy(); player = null; host.__agv = null;
  }
  if (!player || player.sceneId !== data.sceneId) {
    if (player) { player.destroy(); host.__agv = null; }
    var scene = sceneFor(data);
    if (scene === undefined) {  // sent before, to a page that no longer has it: ask again
      if (host.__agvAsked !== data.sceneId) {
        host.__agvAsked = data.sceneId;
        var ask = function (wait) {  // and again every few seconds, until it has come
          setTimeout(function () {
            if (host.__agv || !host.isConnected || host.__agvAsked !== data.sceneId) { return; }
            host.__agvComponent.setTriggerValue('need', data.sceneId);
            ask(3000);
          }, wait);
        };
        ask(0);
      }
      return function () { };
    }
    var build = function (step, selected) {
      var next = agvizPlayer(host, scene, {
        step: step, selected: selected, projector: !!data.projector, onStep: report,
        locked: !!data.locked, lockedBy: data.lockedBy || null, pageKeys: !data.locked,
        onNarrow: data.askNarrow ? askNarrow : null,
        onSelect: function (id) { host.__agvComponent.setStateValue('selected', id); },
        remount: function (k, sel) {  // the screen became narrow or wide: the other layout
          var old = host.__agv;
          if (old) { old.destroy(); }
          host.__agv = build(k, sel);
          host.__agv.lastPush = old ? old.lastPush : data.push;
          host.__agv.lastPick = old ? old.lastPick : data.pick;
          host.__agv.lastEpoch = old ? old.lastEpoch : data.epoch;
          host.__agv.lastProjector = old ? old.lastProjector : !!data.projector;
          host.__agv.locked = old ? old.locked : !!data.locked;
        }
      });
      return next;
    };
    player = build(keep === null ? data.step : keep, data.selected);
    player.locked = !!data.locked;
    player.lastPush = data.push;
    player.lastPick = data.pick;
    player.lastEpoch = data.epoch;
    player.lastProjector = !!data.projector;
    host.__agv = player;
    host.__agvApplyMoves();  // moves that came before this scene did
    if (player.box) { player.box.classList.toggle('agv-stale', !!data.stale); }
  } else {
    follow(player, data);  // Python moved the player (not an echo: none come)
    host.__agvApplyMoves();
    if (player.box) { player.box.classList.toggle('agv-stale', !!data.stale); }
    if (!!data.projector !== player.lastProjector && player.setProjector) {
      player.setProjector(!!data.projector);
      player.lastProjector = !!data.projector;
    }
  }
  return function () { if (host.__agv) { host.__agv.destroy(); host.__agv = null; } };
}

/* The answer box comes in the same script run, after the moves' element, and Streamlit may
   draw it anew once more as the run ends (focus then falls to the body): for a while, focus it
   whenever nothing else has focus; a student who went elsewhere is left there. */
function agvFocusAnswer(move) {
  if (!move.focus || window.__agvFocusedFor === move.focusId) { return; }
  window.__agvFocusedFor = move.focusId;
  var until = performance.now() + 3000;
  (function focus() {
    var box = document.querySelector('.st-key-' + move.focus + ' input');
    var active = document.activeElement;
    var free = !active || active === document.body || active.tagName === 'BUTTON';
    if (box && free) { box.focus({ preventScroll: true }); }
    else if (active && active !== box && !free) { return; }
    if (performance.now() < until) { setTimeout(focus, 100); }
  })();
}
