(function () {
  var root = document.getElementById('agv-root'), scene = null;
  try { scene = JSON.parse(document.getElementById('agv-scene').textContent); }
  catch (err) { scene = { v: -1 }; }
  var projector = root.getAttribute('data-projector') === '1', player = null;
  function mount(step, selected) {
    if (player) { player.destroy(); }
    player = agvizPlayer(root, scene, { standalone: true, projector: projector, step: step,
                                        selected: selected, remount: mount });
  }
  mount(undefined, null);
})();
