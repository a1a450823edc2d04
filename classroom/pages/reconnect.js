/* A page whose server went away is back as soon as the server answers again.
 *
 * While its connection is down, Streamlit's page asks the server's health check with a
 * pause that doubles between tries up to 4 s, so a page reconnected up to 4 s after its
 * restarted server could answer (a class: every student on the teacher's frame within
 * 2 s of the server's recovery, issue #29). Here, a health check (or the host-config
 * request sent with it) that cannot reach the server at all, or that a proxy answers with
 * 5xx (no server behind it yet), is tried again every QUICK_MS inside the same request,
 * until the server answers or Streamlit's own time limit for the request aborts it
 * (15 s; this gives up after 10 s and returns what it got, so Streamlit's own tries and
 * messages go on as before). Any other request, and every answer from a server that is
 * up, passes untouched. Installed once per page, with the player's code
 * (classroom/pages/components.py). */
(function () {
  var QUICK_MS = 250, GIVE_UP_MS = 10000;
  if (typeof window === 'undefined' || !window.fetch || window.__agvQuickReconnect) { return; }
  window.__agvQuickReconnect = true;
  var fetchOnce = window.fetch.bind(window);
  var probe = /\/_stcore\/(health|host-config)$/;
  function urlOf(resource) {
    var url = typeof resource === 'string' ? resource
      : (resource && typeof resource.url === 'string') ? resource.url : String(resource);
    return url.split('?')[0];
  }
  window.fetch = function (resource, init) {
    if (!probe.test(urlOf(resource))) { return fetchOnce(resource, init); }
    var signal = init && init.signal, until = Date.now() + GIVE_UP_MS;
    return new Promise(function (resolve, reject) {
      var timer = null;
      function aborted() {
        clearTimeout(timer);
        reject(signal.reason instanceof Error ? signal.reason
          : new DOMException('The operation was aborted.', 'AbortError'));
      }
      if (signal) { signal.addEventListener('abort', aborted, { once: true }); }
      function settle(done, value) {
        if (signal) { signal.removeEventListener('abort', aborted); }
        done(value);
      }
      function again() { return !(signal && signal.aborted) && Date.now() + QUICK_MS < until; }
      function attempt() {
        fetchOnce(resource, init).then(function (answer) {
          if (answer.status >= 500 && again()) { timer = setTimeout(attempt, QUICK_MS); return; }
          settle(resolve, answer);
        }, function (error) {  // TypeError: no answer at all (the server is down)
          if (error instanceof TypeError && again()) { timer = setTimeout(attempt, QUICK_MS); return; }
          settle(reject, error);
        });
      }
      attempt();
    });
  };
})();
