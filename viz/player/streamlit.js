/* Streamlit components v2: data = {scene (JSON text), sceneId, step, selected, projector}.
 * The function runs again whenever the data changes; the player is kept (same scene:
 * only a step that Python moved is applied) or rebuilt (another scene). */
export default function (component) {
  var data = component.data || {}, parent = component.parentElement;
  var host = parent.querySelector('.agv-host');
  if (!host) { host = document.createElement('div'); host.className = 'agv-host'; parent.appendChild(host); }
  var player = host.__agv;
  /* The component's state must hold the frame on screen: a later report of the same
   * number as a stale state would otherwise be no change, and Python would not hear it. */
  function report(k) { host.__agvReported = k; component.setStateValue('step', k); }
  function sync(k) { if (host.__agvReported !== k) { report(k); } }
  if (!player || player.sceneId !== data.sceneId) {
    if (player) { player.destroy(); }
    var scene = null;
    try { scene = JSON.parse(data.scene || 'null'); } catch (err) { scene = { v: -1 }; }
    player = agvizPlayer(host, scene, {
      step: data.step, selected: data.selected, projector: !!data.projector,
      onStep: function (k) { report(k); },
      onSelect: function (id) { component.setStateValue('selected', id); }
    });
    player.lastDataStep = data.step;
    player.lastProjector = !!data.projector;
    host.__agv = player;
    sync(data.step);
  } else {
    if (data.step !== player.lastDataStep && data.step !== player.step) { player.goto(data.step); }
    if (data.step !== player.lastDataStep) { sync(data.step); }
    player.lastDataStep = data.step;
    if (!!data.projector !== player.lastProjector && player.setProjector) {
      player.setProjector(!!data.projector);
      player.lastProjector = !!data.projector;
    }
  }
  return function () { if (host.__agv) { host.__agv.destroy(); host.__agv = null; } };
}
