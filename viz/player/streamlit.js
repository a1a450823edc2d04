/* Streamlit components v2: data = {scene (JSON text), sceneId, step, selected, projector}.
 * The function runs again whenever the data changes; the player is kept (same scene:
 * only a step that Python moved is applied) or rebuilt (another scene).
 *
 * The browser owns stepping: a step is painted at once and reported (debounced) as the
 * component's state [step, sequence number] (the number makes every report a change
 * Python hears, whatever an earlier lesson left in the state); Python's next data then
 * echoes it. An echo of one of our own reports is never applied (the student may
 * already be further on); a step Python chose itself is. Nothing is reported while a
 * player is being built: a report in the middle of a script run made Streamlit send
 * stale values of widgets that run had not drawn yet.
 *
 * data.reportPaint: the app drew this graph alone (a new session's first run) and waits
 * for it to be on screen before it draws the rest of the page; reported once, after the
 * frame that shows it (or after a second: a background tab paints nothing). */
export default function (component) {
  var data = component.data || {}, parent = component.parentElement;
  var host = parent.querySelector('.agv-host');
  if (!host) {
    host = document.createElement('div');
    host.className = 'agv-host';
    parent.appendChild(host);
    host.__agvSent = [];
    host.__agvSeq = 0;
  }
  host.__agvComponent = component;
  // timers: they run after the build below, whether it drew the scene or its message
  if (data.reportPaint && !host.__agvPaintReported) {
    host.__agvPaintReported = true;
    var painted = false, reportPainted = function () {
      if (!painted) { painted = true; host.__agvComponent.setStateValue('painted', true); }
    };
    requestAnimationFrame(function () { setTimeout(reportPainted, 0); });
    setTimeout(reportPainted, 1000);
  }
  function report(k) {
    host.__agvSent.push(k);
    if (host.__agvSent.length > 50) { host.__agvSent.shift(); }
    host.__agvSeq += 1;
    host.__agvComponent.setStateValue('step', [k, host.__agvSeq]);
  }
  function isEcho(k) {
    var i = host.__agvSent.indexOf(k);
    if (i < 0) { return false; }
    host.__agvSent.splice(0, i + 1);
    return true;
  }
  var player = host.__agv;
  if (player && player.locked !== !!data.locked) { player.destroy(); player = null; }
  if (!player || player.sceneId !== data.sceneId) {
    if (player) { player.destroy(); }
    var scene = null;
    try { scene = JSON.parse(data.scene || 'null'); } catch (err) { scene = { v: -1 }; }
    var build = function (step, selected) {
      var next = agvizPlayer(host, scene, {
        step: step, selected: selected, projector: !!data.projector, onStep: report,
        locked: !!data.locked,
        onSelect: function (id) { host.__agvComponent.setStateValue('selected', id); },
        remount: function (k, sel) {  // the screen became narrow or wide: the other layout
          var old = host.__agv;
          if (old) { old.destroy(); }
          host.__agv = build(k, sel);
          host.__agv.lastDataStep = old ? old.lastDataStep : k;
          host.__agv.lastProjector = old ? old.lastProjector : !!data.projector;
          host.__agv.locked = old ? old.locked : !!data.locked;
        }
      });
      return next;
    };
    player = build(data.step, data.selected);
    player.locked = !!data.locked;
    player.lastDataStep = data.step;
    player.lastProjector = !!data.projector;
    host.__agv = player;
    host.__agvSent = [];
    if (player.box) { player.box.classList.toggle('agv-stale', !!data.stale); }
  } else {
    if (data.step !== player.lastDataStep && !isEcho(data.step) && data.step !== player.step) {
      player.goto(data.step);
    }
    player.lastDataStep = data.step;
    if (player.box) { player.box.classList.toggle('agv-stale', !!data.stale); }
    if (!!data.projector !== player.lastProjector && player.setProjector) {
      player.setProjector(!!data.projector);
      player.lastProjector = !!data.projector;
    }
  }
  return function () { if (host.__agv) { host.__agv.destroy(); host.__agv = null; } };
}
