"""The app's pages, drawn with Streamlit: :mod:`~classroom.pages.lesson` (an expression's
backward pass, stepped alone, in a quiz or as a class) and :mod:`~classroom.pages.train`
(a network learning), the components they mount (:mod:`~classroom.pages.components`: the
player and its moves; :mod:`~classroom.pages.copy_link`) and what both draw alike
(:mod:`~classroom.pages.shared`). Everything they show is worked out in ``classroom``'s
other modules, which run without Streamlit."""
