"""viz's catalogue: every key in every language, every placeholder in both, none unused."""

from __future__ import annotations

import re
from pathlib import Path

from viz.i18n import LANGS, TEXT


def test_every_key_in_every_language_with_the_same_placeholders():
    for lang in LANGS:
        assert set(TEXT[lang]) == set(TEXT["en"]), lang
    for key, english in TEXT["en"].items():
        for lang in LANGS:
            assert set(re.findall(r"{(\w+)", TEXT[lang][key])) == set(
                re.findall(r"{(\w+)", english)), (lang, key)
            if lang != "en" and key not in {"summary"}:
                assert TEXT[lang][key] != english or not re.search("[a-z]{4}", english), key


def test_no_key_is_unused():
    source = "\n".join(p.read_text(encoding="utf-8")
                       for p in Path(__file__).resolve().parents[2].glob("*/**/*.py")
                       if "tests" not in p.parts and p.name != "i18n.py")
    source += Path(__file__).resolve().parents[2].joinpath("viz/i18n.py").read_text()
    unused = [key for key in TEXT["en"]
              if f'"{key}"' not in source and f"'{key}'" not in source
              and not any(key.startswith(prefix) for prefix in ("pitfall_", "forward", "backward"))]
    assert unused == []


def test_a_gradients_graph_says_its_derivative_order_in_korean():
    """Issue #13: "order 1" was left in English on Korean pages."""
    import numpy as np

    import autograd_core as ag
    import viz

    def gradient_scene(lang):
        x = ag.Variable(np.array(2.0), name="x")
        (x ** 3).backward(create_graph=True)
        return viz.Scene(viz.BackwardReplay(x.grad), lang=lang, engine="layered").to_json()

    korean = gradient_scene("ko")
    assert "1차 미분" in korean and "order 1" not in korean
    assert "order 1" in gradient_scene("en")
