/* Streamlit components v2: the player's moves, apart from the player. data = {key, sceneId,
 * step, push, selected, pick, upto, from?, frames?}: where Python puts the player ``key``
 * (``push`` counts its frame moves, ``pick`` its selections) and, in a quiz, the frames
 * revealed since its element was sent (see classroom.player). The player's own element
 * (its scene and ~42 KB of code) then stays the same from one teacher's step to the next,
 * and a step costs each student this element: a few hundred bytes.
 *
 * The move is left on a board the player reads when it is built (the two elements may
 * come in either order), and handed to the player at once if it is on the page. */
export default function (component) {
  var move = component.data || {};
  var board = window.__agvMoves || (window.__agvMoves = {});
  board[move.key] = move;
  var host = (window.__agvHosts || {})[move.key];
  if (host && host.isConnected && host.__agvApplyMoves) { host.__agvApplyMoves(); }
}
