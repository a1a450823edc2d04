"""The graph and its frames: what is drawn, and how it looks at each step.

``graph`` collects a graph from its output; ``frames`` replays its backward pass as
frames (:class:`BackwardReplay`); ``states`` is the closed vocabulary of a node's state in
a frame and the one painter of its look; ``explain`` writes the chain rule with numbers;
``groups`` (layers), ``bigraph`` (what a big graph draws), ``titles`` and ``pitfalls`` (the
book's naive backward passes) complete it. Nothing here draws or lays anything out.
"""
