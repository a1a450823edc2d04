(function () {
  var root = document.getElementById('agv-root'), scene = null;
  try { scene = JSON.parse(document.getElementById('agv-scene').textContent); }
  catch (err) { scene = { v: -1 }; }
  agvizPlayer(root, scene, { standalone: true, projector: root.getAttribute('data-projector') === '1' });
})();
