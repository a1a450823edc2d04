"""classroom: the logic of the Streamlit classroom app (``app.py``), importable and
testable without Streamlit.

* :mod:`classroom.state`: the session as plain data, and the callbacks that change it;
* :mod:`classroom.lesson`: an expression's graph and replayed backward pass, built
  from a plain-data :class:`~classroom.lesson.LessonSpec` and shared through a small cache;
* :mod:`classroom.panel`, :mod:`classroom.checks`, :mod:`classroom.newton`: what the
  panels show (queue, grad sums, leaf grads vs numerical ones, a Newton step);
* :mod:`classroom.downloads`, :mod:`classroom.view`: frames as SVG/PNG/GIF/HTML files
  and the HTML around the page;
* :mod:`classroom.presets`, :mod:`classroom.i18n`: examples and interface text (en/ko);
* :mod:`classroom.synthetic`: generated graphs for the browser benchmark;
* :mod:`classroom.server`: settings of the one process serving every session (thread
  switching, the garbage collector).
"""
