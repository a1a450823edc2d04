"""classroom: the logic of the classroom app (``app.py``), importable and testable without
Streamlit; the pages that draw it with Streamlit are :mod:`classroom.pages`.

* :mod:`classroom.state`: the session as plain data, and the callbacks that change it;
* :mod:`classroom.lesson`: an expression's graph and replayed backward pass, built
  from a plain-data :class:`~classroom.lesson.LessonSpec` and shared through
  :mod:`classroom.cache` (a small thread-safe LRU cache);
* :mod:`classroom.panel`, :mod:`classroom.checks`, :mod:`classroom.newton`: what the
  panels show (queue, grad sums, leaf grads vs numerical ones, a Newton step);
* :mod:`classroom.quiz`: predict, then reveal; :mod:`classroom.links`: a view as a link;
* :mod:`classroom.rooms`: a live room (a teacher drives, students follow), in memory or
  in Redis;
* :mod:`classroom.player`: the data the player's components are given (the scene once,
  then only its moves);
* :mod:`classroom.torch_side`: the same lesson in PyTorch, recorded and stepped beside it;
* :mod:`classroom.training`: a network learning, one iteration at a time;
* :mod:`classroom.downloads`, :mod:`classroom.view`: frames as SVG/PNG/GIF/HTML files
  and the HTML around the page;
* :mod:`classroom.presets`, :mod:`classroom.i18n`: examples and interface text (en/ko);
* :mod:`classroom.synthetic`: generated graphs for the browser benchmark;
* :mod:`classroom.server`: settings of the one process serving every session (thread
  switching, the garbage collector).
"""
