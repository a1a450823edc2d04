/* The notebook widget (anywidget): the player, two-way. The model holds the scene's JSON
 * text and the player's state: step, selected node, collapsed groups; the language comes
 * with the scene (Python sends the scene in the other language). Keys step the player
 * only while it has focus (it is not "standalone": its keys are its own, and it stops
 * the ones it uses, so a notebook's shortcuts never see them, and the notebook keeps the
 * others). Every listener and timer goes with the view (the returned cleanup). */
export default {
  render({ model, el }) {
    var host = document.createElement('div');
    host.className = 'agv-widget';
    // JupyterLab's shortcuts leave keys pressed inside the player to the player
    host.setAttribute('data-lm-suppress-shortcuts', 'true');
    el.appendChild(host);
    // Some notebooks (Notebook 7) read keys on the document before any element does: a
    // key pressed inside the widget goes to the player first, from the window, and the
    // ones it does not use that would move the notebook (ArrowUp/Down) stop there too.
    function keepKeys(e) {
      if (!player || player.broken || !host.contains(e.target)) { return; }
      var tag = e.target.tagName;
      if (tag === 'INPUT' && e.target.type !== 'range') { return; }
      player.key(e);
      if (e.key === 'ArrowUp' || e.key === 'ArrowDown') { e.stopPropagation(); }
    }
    window.addEventListener('keydown', keepKeys, true);
    var details = null, player = null, sceneText = null, scene = null, collapsedSaved = null;

    function parse(text) {
      try { return JSON.parse(text); } catch (err) { return { v: -1 }; }
    }
    function save(name, value) {
      if (JSON.stringify(model.get(name)) === JSON.stringify(value)) { return; }
      model.set(name, value);
      model.save_changes();
    }
    function mount(step, selected) {
      if (player) { player.destroy(); }
      host.textContent = '';
      if (model.get('scene') !== sceneText) {
        sceneText = model.get('scene');
        scene = parse(sceneText);
      }
      if (scene && scene.title) {  // what is stepped: the expression or the output's name
        var title = document.createElement('div');
        title.className = 'agv-title';
        title.setAttribute('data-testid', 'agv-title');
        title.textContent = scene.title;
        host.appendChild(title);
      }
      player = agvizPlayer(host, scene, {
        step: step, selected: selected || null, collapsed: model.get('collapsed'),
        height: model.get('height') > 0 ? model.get('height') : undefined,
        onStep: function (k) { save('step', k); },
        onSelect: function (id) { save('selected', id || ''); },
        onCollapse: function (ids) { collapsedSaved = JSON.stringify(ids); save('collapsed', ids); },
        remount: mount
      });
      details = document.createElement('div');
      details.className = 'agv-details';
      details.setAttribute('data-testid', 'agv-details');
      details.setAttribute('aria-live', 'polite');
      host.appendChild(details);
      showDetails();
    }
    function showDetails() {
      if (details) { details.textContent = model.get('details') || ''; }
    }
    function onStep() {
      var k = model.get('step');
      if (player && !player.broken && player.step !== k) { player.goto(k); }
    }
    function onSelected() {
      if (player && !player.broken) { player.select(model.get('selected') || null); }
    }
    function onScene() {
      mount(player && !player.broken ? player.step : model.get('step'), model.get('selected'));
    }
    function onCollapsed() {  // from Python (the player's own clicks are already shown)
      if (JSON.stringify(model.get('collapsed')) !== collapsedSaved) { onScene(); }
    }
    model.on('change:step', onStep);
    model.on('change:selected', onSelected);
    model.on('change:scene', onScene);
    model.on('change:collapsed', onCollapsed);
    model.on('change:details', showDetails);
    mount(model.get('step'), model.get('selected'));
    return function () {
      model.off('change:step', onStep);
      model.off('change:selected', onSelected);
      model.off('change:scene', onScene);
      model.off('change:collapsed', onCollapsed);
      model.off('change:details', showDetails);
      if (player) { player.destroy(); }
      player = null;
      window.removeEventListener('keydown', keepKeys, true);
    };
  }
};
