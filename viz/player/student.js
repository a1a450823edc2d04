/* Streamlit components v2: the id this browser keeps for a student in a live room (its
 * local storage), reported once as the component's state ``id`` when the page does not
 * know it yet (data.known): a refreshed or reopened page answers a quiz as the same
 * student, so the teacher's tally counts each student once. No storage (a private
 * window that refuses it): the session's own id stays. Draws nothing. */
export default function (component) {
  var data = (component.data || [])[0] || {}, key = 'agv-student-id', id = null;
  try { id = window.localStorage.getItem(key); } catch (err) { return; }
  if (!id || !/^[0-9a-f]{24}$/.test(id)) {
    var bytes = new Uint8Array(12);
    window.crypto.getRandomValues(bytes);
    id = Array.prototype.map.call(bytes, function (b) { return ('0' + b.toString(16)).slice(-2); }).join('');
    try { window.localStorage.setItem(key, id); } catch (err) { return; }
  }
  if (data.known !== id) { component.setStateValue('id', id); }
}
