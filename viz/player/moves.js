/* Streamlit components v2: the player's moves, apart from the player. data = {key, sceneId,
 * step, push, selected, pick, upto, from?, frames?}: where Python puts the player ``key``
 * (``push`` counts its frame moves, ``pick`` its selections) and, in a quiz, the frames
 * revealed since its element was sent (see classroom.player). The player's own element
 * (its scene and ~42 KB of code) then stays the same from one teacher's step to the next,
 * and a step costs each student this element: a few hundred bytes.
 *
 * ``focus``/``focusId``: a quiz's answer box (a widget key) the page focuses once per
 * question (``focusId``), when nothing else has focus: after Enter, focus would fall to
 * the page's body, 30-odd Tab presses from the next answer.
 *
 * The move is left on a board the player reads when it is built (the two elements may
 * come in either order), and handed to the player at once if it is on the page. */
export default function (component) {
  var move = (component.data || [])[0] || {};  // (a one-item list: see components.py)
  var board = window.__agvMoves || (window.__agvMoves = {});
  board[move.key] = move;
  var host = (window.__agvHosts || {})[move.key];
  if (host && host.isConnected && host.__agvApplyMoves) { host.__agvApplyMoves(); }
  agvFocusAnswer(move);
}

/* The answer box comes in the same script run, after this element, and Streamlit may draw
   it anew once more as the run ends (focus then falls to the body): for a while, focus it
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
