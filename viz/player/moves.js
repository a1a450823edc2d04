/* The player's moves (what streamlit.js documents): left on a board for the player, and
 * handed to it at once if it is on the page. Sent with every step to every student, so
 * kept to a few lines (its code travels in each element). */
export default function (component) {
  var move = (component.data || [])[0] || {};
  (window.__agvMoves || (window.__agvMoves = {}))[move.key] = move;
  var host = (window.__agvHosts || {})[move.key];
  if (host && host.isConnected && host.__agvApplyMoves) { host.__agvApplyMoves(); }
}
