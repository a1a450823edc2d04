/* The comparison page (viz.compare): two players, the second following the first.
 * The left one takes the keys and buttons; each of its steps moves the right one to the
 * same fraction of its own pass (the two engines may take different numbers of steps). */
(function () {
  function load(i) {
    try { return JSON.parse(document.getElementById('agv-scene-' + i).textContent); }
    catch (err) { return { v: -1 }; }
  }
  var left = load(0), right = load(1), follower = null;
  function frames(scene) { return (scene && scene.frames) ? scene.frames.length : 1; }
  function follow(k) {
    if (!follower || follower.broken) { return; }
    var a = frames(left) - 1, b = frames(right) - 1;
    follower.goto(a > 0 ? Math.round(k * b / a) : 0);
  }
  follower = agvizPlayer(document.getElementById('agv-root-1'), right,
                         { locked: true, height: 420 });
  agvizPlayer(document.getElementById('agv-root-0'), left,
              { standalone: true, height: 420, onStep: follow });
  follow(0);
})();
