"""The app's logic without Streamlit: presets, lessons, panels, checks, Newton, state
callbacks, downloads, i18n and the HTML fragments."""

from __future__ import annotations

import io
import pickle

import numpy as np
import pytest
from PIL import Image

from classroom import downloads, panel
from classroom import state as ui
from classroom.cache import BoundedCache
from classroom.checks import leaf_rows, numerical_grads
from classroom.i18n import TEXT, error_text
from classroom.lesson import (
    LessonError,
    LessonSpec,
    build_lesson,
    cache_stats,
    function_names,
    input_names,
    lesson_for,
)
from classroom.newton import newton_step
from classroom.presets import BY_KEY, DEFAULT, PRESETS
from classroom.synthetic import BENCH_GRAPHS, bench_spec
from classroom.view import page_css, understood_html
from viz import layout as layout_module

EXPECTED_GRADS = {
    "chain": ["3.297"], "x_plus_x": ["3"], "diamond": ["64"], "xy_plus_z": ["2", "3", "1"],
    "tanh_sigmoid": ["0.1201"], "sigmoid_tanh": ["0.09113"], "sphere": ["2", "2"],
    "matyas": ["0.04", "0.04"], "goldstein": ["-5376", "8064"], "taylor_sin": ["0.7071"],
    "newton": ["44"], "broadcast": ["[[1, 1, 1], [1, 1, 1]]", "[2, 2, 2]"],
    "matmul": ["[[-0.5, 3], [-0.5, 3]]", "[[4, 4], [6, 6]]"],
    # torch 2.13: sigmoid(x @ W + b).sum().backward() gives the same grads
    "layer": ["[[-0.04595, 0.1677], [-0.06628, 0.1135]]", "[[0.2693, 0.3578], [0.05803, 0.2455]]",
              "[0.3894, 0.4753]"],
}


def lesson(text: str, values: dict | None = None, **kw):
    return lesson_for(LessonSpec.make(text, values or {}, **kw))


@pytest.mark.parametrize("preset", PRESETS, ids=lambda p: p.key)
def test_every_preset_builds_steps_and_passes_the_numerical_check(preset):
    built = lesson(preset.text, preset.values, higher_order=preset.higher_order)
    assert built.n_steps >= 1
    rows = leaf_rows(built)
    assert [r.name for r in rows] == list(built.program.input_names)
    assert all(r.ok for r in rows), rows
    assert [r.grad for r in rows] == EXPECTED_GRADS[preset.key]
    scene = built.scene(lang="en")
    assert "<svg" in scene.svg(scene.n_frames - 1)


def test_the_default_is_the_seed_chain_at_one_half():
    assert DEFAULT.text == "square(exp(square(x)))" and DEFAULT.values == {"x": "0.5"}
    assert "(1 + (x + y + 1)**2 * (19 - 14*x" in BY_KEY["goldstein"].text


def test_a_spec_is_plain_hashable_data_and_the_cache_shares_lessons():
    spec = LessonSpec.make("square(x)", {"x": "2"})
    assert spec == LessonSpec.make("square(x)", {"x": "2"}) and hash(spec)
    pickle.loads(pickle.dumps(spec))
    first = lesson_for(spec)
    hits = cache_stats()["hits"]
    assert lesson_for(LessonSpec.make("square(x)", {"x": "2"})) is first
    assert cache_stats()["hits"] == hits + 1


def test_bounded_cache_evicts_by_count_and_weight():
    cache: BoundedCache[str] = BoundedCache(max_entries=3, max_weight=10, weigh=len)
    for key in "abc":
        cache.put(key, "xx")
    cache.get("a")  # recently used: survives
    cache.put("d", "xx")
    assert "a" in cache and "b" not in cache and len(cache) == 3
    cache.put("e", "x" * 9)  # weight: drops the oldest until it fits
    assert cache.weight <= 10 and "e" in cache
    assert cache.put("huge", "x" * 11) == "x" * 11 and "huge" not in cache
    assert cache.get_or_make("f", lambda: "y") == "y" and cache.get("f") == "y"


def test_higher_order_lesson_differentiates_the_gradient():
    built = lesson("y = x**4 - 2 * x**2", {"x": "2.0"}, higher_order=True)
    assert built.higher_order and built.target.name == "dy/dx"
    assert float(built.target.data) == 24.0
    assert [r.grad for r in leaf_rows(built)] == ["44"]
    assert {s.order for s in built.replay.steps} == {2}
    two = lesson("x**2 * y**3", {"x": "2", "y": "3"}, higher_order=True, wrt="y")
    assert two.target.name == "df/dy" and [r.grad for r in leaf_rows(two)] == ["108", "72"]


def test_queue_grad_sums_and_the_default_variable_of_the_diamond():
    built = lesson("a = square(x)\ny = square(a) + square(a)", {"x": "2"})
    assert [r.text("en") for r in panel.queue(built, 1)] == ["Square (generation 1)"] * 2
    assert panel.queue(built, 3) == []
    assert panel.default_variable(built) == "v1"  # a has two consumers
    assert panel.variable_label(built, "v1", "en") == "a = 4"
    assert panel.variable_label(built, "v2", "ko") == "Square #2 출력 = 16"
    partial = panel.grad_sum(built, 1, "v1")
    assert partial.terms == () and partial.lines("en")[1] == "no grad has reached it yet"
    total = panel.grad_sum(built, 2, "v1")
    # the two consumers told apart (#9.15)
    assert total.terms == (("Square #1", "8"), ("Square #2", "8")) and total.total == "16"
    assert total.lines("en") == [
        "`a.grad` = 8 *(from Square #1)* + 8 *(from Square #2)* = **16**", "final"]
    minus = lesson("y = x * 2 - x * 5", {"x": "3"})
    line = panel.grad_sum(minus, minus.n_steps, minus.variable_ids[0]).lines("en")[0]
    assert "- 5 *(from Mul #2)*" in line and "+ -" not in line  # not "+ -5"
    seed = panel.grad_sum(built, 0, "v4")
    assert seed.is_output and seed.lines("ko")[1] == "출력: 기울기를 1로 둡니다"


def test_a_partial_grad_counts_its_contributions():
    built = lesson("exp(x) * x", {"x": "1"})
    partial = panel.grad_sum(built, 1, "v0")
    assert (partial.received, partial.expected) == (1, 2)
    assert partial.lines("en")[1] == "partial: 1 of 2 contributions so far"


def test_numerical_check_fails_when_it_should_and_is_skipped_for_big_arrays():
    built = lesson("sum(x * x)", {"x": "[" + ", ".join(["1"] * 100) + "]"})
    assert numerical_grads(built) is None
    assert leaf_rows(built)[0].ok is None
    assert leaf_rows(built)[0].cells("en", final=True)["check"].startswith("—")
    small = lesson("x * 3", {"x": "2"})
    assert leaf_rows(small)[0].cells("ko", final=False)["역전파 기울기"] == "(아직 확정 전)"


def test_newton_step_of_the_book():
    built = lesson("y = x**4 - 2 * x**2", {"x": "2.0"}, higher_order=True)
    step = newton_step(built)
    assert (step.d1, step.d2) == (24.0, 44.0) and step.possible
    assert step.texts() == {"x": "x", "x0": "2", "d1": "24", "d2": "44", "x1": "1.455"}
    x = 2.0  # the book's iterates converge to 1
    for _ in range(6):
        x = float(newton_step(lesson("y = x**4 - 2 * x**2", {"x": repr(x)})).value_text)
    assert abs(x - 1.0) < 1e-9
    assert newton_step(lesson("x + x", {"x": "1"})).possible is False  # f'' = 0
    assert not newton_step(built).far
    inflection = newton_step(lesson("y = x**4 - 2 * x**2", {"x": "0.5773502691896258"}))
    assert inflection.possible and inflection.far and abs(inflection.d2) < 1e-14
    assert newton_step(lesson("x * y", {"x": "1", "y": "2"})) is None
    assert newton_step(lesson("sum(x)", {"x": "[1, 2]"})) is None


def test_bad_text_and_values_raise_lesson_errors_with_messages():
    with pytest.raises(LessonError) as bad:
        build_lesson(LessonSpec.make("9**9**9"))
    assert bad.value.variable is None and "9**9**9" in error_text(bad.value.error, "en")
    with pytest.raises(LessonError) as missing:
        build_lesson(LessonSpec.make("x + 1", {}))
    assert missing.value.variable == "x"
    with pytest.raises(LessonError) as value:
        build_lesson(LessonSpec.make("x + 1", {"x": "[1, 2"}))
    assert error_text(value.value.error, "ko", value.value.variable).startswith("x의 값: ")
    with pytest.raises(LessonError):
        build_lesson(LessonSpec.make("matmul(x, y)", {"x": "[1, 2]", "y": "[1, 2, 3]"}))
    assert input_names("x +") == [] and input_names("a = x\ny = a * z") == ["x", "z"]
    assert "square" in function_names() and "get_item" not in function_names()


def test_numerical_trouble_forward_and_backward():
    built = lesson("a = log(x)\ny = a / x", {"x": "[-1, 0, 2]"})
    (trouble,) = built.forward_troubles
    assert (trouble.op, trouble.kinds, trouble.position) == ("Log", ("nan", "inf"), (1, 5))
    assert [(b.op, b.kind) for b in built.backward_troubles] == [("Div", "nan")]
    assert built.n_steps == 2  # still steps


def test_state_is_plain_data_and_callbacks_step_within_bounds():
    s: dict = {}
    ui.init(s)
    assert s["expr"] == DEFAULT.text and s["values"] == {"x": "0.5"}
    assert all(ui.is_plain(v) for v in s.values())
    pickle.loads(pickle.dumps(s))
    assert s["step"] is None  # a new lesson opens where the "open at" option says
    s["n_frames"] = 8
    for reported, shown in (([2, 1], 2), ([7, 2], 7), ([99, 3], 7), ([-3, 4], 0),
                            (["3", 5], 0), ([True, 6], 0), (4, 4), ([], 4), (None, 4)):
        s["player"] = {"step": reported, "selected": None}
        ui.player_stepped(s, "player")  # the player's report, clamped; junk is ignored
        assert s["step"] == shown, reported
    s["player"] = {"step": 3, "selected": "v1"}
    ui.player_selected(s, "player", ["v0", "v1"])
    assert s["inspect"] == "v1"
    s["player"] = {"step": 3, "selected": "f0"}  # a function, or a forged id: ignored
    ui.player_selected(s, "player", ["v0", "v1"])
    assert s["inspect"] == "v1"
    s["preset__en"] = "goldstein"
    ui.preset_picked(s, "en")
    assert s["preset"] == "goldstein" and s["expr"] == BY_KEY["goldstein"].text
    assert s["val_y"] == "1.0" and s["values"]["y"] == "1.0"
    ui.follow_lesson(s, ui.spec(s, ["x", "y"]))  # another lesson: it opens at its start
    assert s["step"] is None and s["inspect"] is None
    s["step"], s["inspect"] = 5, "v2"
    s["lang"] = "ko"
    ui.follow_lesson(s, ui.spec(s, ["x", "y"]))  # the same lesson in Korean: kept
    assert s["step"] == 5 and s["inspect"] == "v2"
    s["rankdir"] = "TB"
    ui.follow_lesson(s, ui.spec(s, ["x", "y"]))  # another drawing: from its start
    assert s["step"] is None
    ui.show_value_boxes(s, ["x", "new"])
    assert s["val_new"] == "1.0" and ui.values(s, ["x", "new"]) == {"x": "1.0", "new": "1.0"}
    s["val_new"] = "[1, 2]"
    ui.value_changed(s, "new")
    assert s["values"]["new"] == "[1, 2]"
    del s["val_new"]  # Streamlit drops the box's state while it is hidden...
    ui.show_value_boxes(s, ["new"])
    assert s["val_new"] == "[1, 2]"  # ...and it comes back with the text
    s["page_runs"] = 10  # drawn in run 10; run 11 drew the graph alone (no boxes):
    ui.boxes_drawn(s, ["new"])
    s["val_new"] = "[3]"  # what the browser's box held
    s["page_runs"] = 12  # in run 12 the box is given its text again, as a new box is
    ui.show_value_boxes(s, ["new"])
    assert s["val_new"] == "[1, 2]"
    ui.boxes_drawn(s, ["new"])
    s["val_new"] = "[3]"
    s["page_runs"] = 13  # drawn in the run before: the box's own text stays
    ui.show_value_boxes(s, ["new"])
    assert s["val_new"] == "[3]"
    s["preset__ko"] = "newton"
    ui.preset_picked(s, "ko")
    assert s["higher_order"] is True
    ui.take_newton_step(s, "x", "1.5")
    assert s["val_x"] == s["values"]["x"] == "1.5"
    assert ui.spec(s, ["x"]) == LessonSpec.make(BY_KEY["newton"].text, {"x": "1.5"},
                                                higher_order=True)
    assert not ui.frame_options(s).projector
    s["projector"] = True
    assert ui.frame_options(s).projector and ui.frame_options(s).scale == 2.0
    assert not ui.is_plain({"graph": object()})


def test_pickers_follow_the_model_in_each_language():
    s: dict = {}
    ui.init(s)
    ui.before_picker(s, "preset", "ko")
    assert s["preset__ko"] == "chain"
    s["preset__ko"] = "diamond"
    ui.picker_changed(s, "preset", "ko")
    ui.before_picker(s, "preset", "en")
    assert s["preset"] == "diamond" and s["preset__en"] == "diamond"


def test_downloads_make_real_files_and_refuse_huge_passes():
    built = lesson("a = square(x)\ny = square(a) + square(a)", {"x": "2"})
    opts = downloads.FrameOptions(lang="ko")
    scene = opts.scene(built)
    assert downloads.file_stem(built, scene.start + 1, scene) == "y_square_a_square_a_backward_01"
    assert downloads.expression_stem(lesson("y = (x + 1) / 2", {"x": "1"})) == "y_x_1_2"
    assert downloads.expression_stem(lesson("x", {"x": "1"})) == "x"
    assert downloads.frame_dot(built, scene.start + 1, opts).startswith("digraph")
    assert downloads.frame_dot(built, 0, opts) == downloads.frame_dot(built, scene.start, opts)
    svg = downloads.frame_svg(built, scene.start + 1, opts)
    assert "1/3단계: 세대 2의 Add 실행" in svg  # the caption, in Korean
    png = Image.open(io.BytesIO(downloads.frame_png(built, 1, opts)))
    assert png.format == "PNG"
    gif = Image.open(io.BytesIO(downloads.pass_gif(built, opts)))
    assert gif.n_frames == scene.n_frames
    durations = []
    for k in range(gif.n_frames):
        gif.seek(k)
        durations.append(gif.info["duration"])
    assert durations[-1] == 3 * durations[0]  # the last frame is held longer
    page = downloads.pass_html(built, opts)
    assert 'lang="ko"' in page and scene.scene_id in page and "<script src" not in page
    assert downloads.refusal(built, "gif", "en", opts) is None
    big = lesson_for(bench_spec("1000"))
    assert "nodes" in downloads.refusal(big, "gif", "en", downloads.FrameOptions())
    assert downloads.refusal(big, "html", "en", downloads.FrameOptions()) is None


@pytest.mark.parametrize("name", sorted(BENCH_GRAPHS))
def test_benchmark_graphs_have_the_requested_size(name):
    built = lesson_for(bench_spec(name))
    assert abs(built.graph_size - BENCH_GRAPHS[name][1]) <= 10
    assert bench_spec("12345") is None and bench_spec(None) is None


def test_big_graph_notice():
    built = lesson_for(bench_spec("200"))
    assert built.notice(1500) is None
    assert built.notice(100)
    assert built.frame_dot(1, max_nodes=100).count("[id=") <= 100
    assert len(built.scene(max_nodes=100).layout.nodes) <= 100


def test_every_text_exists_in_both_languages():
    for key, entry in TEXT.items():
        assert set(entry) == {"en", "ko"}, key
        assert entry["en"] != entry["ko"] or key in {"higher"}, key


def test_html_fragments():
    built = lesson("square(x)", {"x": "1"})
    assert "font-size:20px" in page_css(True) and "font-size:20px" not in page_css(False)
    fragment = understood_html("Understood <as>", "a = x\ny = <b>")
    assert "&lt;b&gt;" in fragment and "&lt;as&gt;" in fragment and "<br>" in fragment
    assert "break-all" not in page_css(False)  # numbers and ** are never split
    np.testing.assert_equal(built.n_steps, 1)


def test_example_titles_fit_the_sidebar():
    """Issue #9.11: long titles were cut off in the picker."""
    assert max(len(p.title(lang)) for p in PRESETS for lang in ("en", "ko")) <= 44


def test_generated_graphs_come_from_registered_builders():
    from classroom.lesson import GENERATED, build_lesson

    assert set(GENERATED) >= {"chain", "ladder"}  # registered by classroom.synthetic
    with pytest.raises(ValueError, match="no builder for generated graph 'spiral:10'; known: "):
        build_lesson(LessonSpec("# spiral", synthetic="spiral:10"))
    with pytest.raises(ValueError, match="unknown generated graph 'chain:7'"):
        build_lesson(LessonSpec("# chain", synthetic="chain:7"))


def test_every_interface_text_is_used():
    """Issue #13: no unused keys in the catalogue. A key counts as used when the app or the
    classroom package names it, literally or by an f-string's fixed start (``f"dl_{what}"``)."""
    import ast
    from pathlib import Path

    root = Path(__file__).resolve().parents[2]
    literals, prefixes = set(), set()
    for path in [*sorted((root / "classroom").rglob("*.py")), root / "app.py"]:
        tree = ast.parse(path.read_text(encoding="utf-8"))
        # the catalogue's own module: only its functions' uses, not the catalogue itself
        parts = [f for f in tree.body if isinstance(f, ast.FunctionDef)] \
            if path.name == "i18n.py" else [tree]
        for node in (n for part in parts for n in ast.walk(part)):
            if isinstance(node, ast.Constant) and isinstance(node.value, str):
                literals.add(node.value)
            elif (isinstance(node, ast.JoinedStr) and node.values
                  and isinstance(node.values[0], ast.Constant) and node.values[0].value):
                prefixes.add(node.values[0].value)
    unused = [key for key in TEXT
              if key not in literals and not any(key.startswith(p) for p in prefixes)]
    assert unused == []


def test_a_new_lesson_builds_each_languages_frames_once(monkeypatch):
    """Node sizes (every frame's text in every language) are worked out once for both
    directions, and the English scene is that same build: a class's new lesson holds the
    server's one interpreter for half as long (0.54 -> 0.25 s of CPU for a 70-term sum)."""
    import viz.player.scene

    builds: list[str] = []
    real = viz.player.scene.Scene._build
    monkeypatch.setattr(viz.player.scene.Scene, "_build",
                        lambda self, lang: builds.append(lang) or real(self, lang))
    made = layout_module.layouts_made()
    fresh = lesson(" + ".join(f"{i}*sin(x)" for i in range(1, 9)), {"x": "0.25"})
    english = fresh.scene(lang="en")
    assert builds == ["en"] and layout_module.layouts_made() - made == 2  # LR and TB
    korean = fresh.scene(lang="ko")
    assert builds == ["en", "ko"] and layout_module.layouts_made() - made == 2
    assert korean.layout is english.layout and korean.narrow_layout is english.narrow_layout
    assert korean.payload()["nodes"] == english.payload()["nodes"]  # sizes fit both languages
    assert fresh.scene(lang="en") is english  # kept for every session


def test_both_titles_of_an_example_quote_the_same_code():
    """Issue #27.25: the matmul example's English title lacked the sum the Korean one had."""
    import re

    from classroom.presets import PRESETS

    def calls(title: str) -> list[str]:
        return sorted(re.findall(r"[A-Za-z_][\w.]*\(", title))

    for preset in PRESETS:
        assert calls(preset.title_en) == calls(preset.title_ko), preset.key
        first_line = preset.text.splitlines()[-1].split("=", 1)[-1].strip()
        if first_line.startswith("sum("):  # a sum the page computes is in the title too
            assert "sum(" in preset.title_en and "sum(" in preset.title_ko, preset.key
