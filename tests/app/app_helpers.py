"""Helpers for driving app.py with Streamlit's AppTest."""

from __future__ import annotations

import contextlib
import json
import re
import threading
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any
from unittest import mock

import pytest
from streamlit.testing.v1 import AppTest

APP = str(Path(__file__).resolve().parents[2] / "app.py")
# A sum students type, drawn with more than classroom.lesson.ALWAYS_NARROW_NODES nodes:
# its top-to-bottom layout is laid out only when a narrow screen asks for it.
BIG_SUM = " + ".join(f"{i}*x" for i in range(1, 31))


class BrowserApp(AppTest):
    """app.py as a browser drives it: when a run draws a new session's graph alone, the
    player's "painted" report follows (one more run, which draws the whole page)."""

    def _run(self, widget_state=None, timeout=None) -> AppTest:
        super()._run(widget_state, timeout)
        if self._tree.get("bidi_component") and self.session_state["graph_only"] \
                and not self.session_state["page_shown"]:
            painted(self)
        return self


def new_app() -> AppTest:
    """app.py, each run followed by what the browser's player reports on its own."""
    return BrowserApp(APP, default_timeout=60)


def first_run_only() -> AppTest:
    """app.py without the player's reports: what a script run alone sends."""
    return AppTest.from_file(APP, default_timeout=60)


@pytest.fixture
def app() -> AppTest:
    at = new_app().run()
    assert not at.exception
    return at


def markdown_with(at: AppTest, marker: str) -> str:
    for md in at.markdown:
        if marker in md.value:
            return md.value
    raise AssertionError(f"no markdown containing {marker!r} on the page")


def player_payload(at: AppTest) -> dict[str, Any]:
    """The data the app gave the (first) graph player, with its latest move: what the
    player in a browser goes by (its own element's data, then the newer step and
    selection its moves' element brings; see classroom.player.Payload)."""
    data, moves = player_element_data(at), moves_data(at)
    assert moves["key"] == data["key"] and moves["sceneId"] == data["sceneId"], (moves, data)
    assert moves["push"] >= data["push"] and moves["pick"] >= data["pick"], (moves, data)
    return {**data, **moves}


def player_element_data(at: AppTest) -> dict[str, Any]:
    """The data of the (first) player's own element: the scene and how it is shown, with
    the moves as they were when that last changed."""
    found = _elements(at, "autograd_viz_player")
    assert found, "no player on the page"
    return _data(found[0])


def moves_data(at: AppTest) -> dict[str, Any]:
    """The data of the (first) player's moves' element: where the app last put it."""
    found = _elements(at, "autograd_viz_moves")
    assert found, "no player's moves on the page"
    return _data(found[0])


def _elements(at: AppTest, component: str) -> list[Any]:
    return [e for e in at.get("bidi_component") if e.proto.component_name.endswith(component)]


def _data(element: Any) -> dict[str, Any]:
    proto = element.proto
    data = json.loads(proto.mixed.json if proto.WhichOneof("data") == "mixed" else proto.json)
    return data[0]  # (components.unscanned)


def remember_scenes(at: AppTest) -> None:
    """What a browser does after each run (called by the ``_the_page_keeps_its_scenes``
    fixture): each player on the page keeps the last scene text it was sent (the app
    sends it once, then ``None``); a player no longer on the page is gone, with its scene."""
    held = at.__dict__.setdefault("_agv_scenes", {})
    present = {}
    for element in _elements(at, "autograd_viz_player"):
        data, proto_id = _data(element), element.proto.id
        present[proto_id] = (data["sceneId"], data["scene"]) if data["scene"] is not None \
            else held.get(proto_id)
    held.clear()
    held.update({key: value for key, value in present.items() if value is not None})


def scene_text(at: AppTest) -> str:
    """The scene's JSON text the (first) player holds: the app must have sent it to this
    page before it sends the scene's id alone."""
    data = player_payload(at)
    if data["scene"] is not None:
        return data["scene"]
    proto = _elements(at, "autograd_viz_player")[0].proto
    scene_id, text = at.__dict__.get("_agv_scenes", {}).get(proto.id, (None, None))
    assert scene_id == data["sceneId"], \
        f"the player was given scene {data['sceneId']} without its text, holding {scene_id}"
    return text


def scene(at: AppTest) -> dict[str, Any]:
    """The scene the player shows (one layout, frames as deltas): the one its element
    holds, with the frames a quiz revealed since (they come with the moves)."""
    shown = json.loads(scene_text(at))
    moves = moves_data(at)
    frames = shown["frames"][:moves["upto"] + 1]
    for t in range(len(frames), moves["upto"] + 1):
        assert moves.get("from", t + 1) <= t, f"frame {t} was never sent: {moves}"
        frames.append(moves["frames"][t - moves["from"]])
    return {**shown, "frames": frames}


def on_screen(at: AppTest) -> int:
    """The frame the player shows: where the app last moved it, or where the student has
    stepped since (the player reports its steps; the app does not send them back)."""
    data = player_payload(at)
    state = at.session_state
    where = state.get("player_shown")
    return where[1] if where and where[0] == data["sceneId"] else data["step"]


def shown(at: AppTest, t: int | None = None) -> tuple[dict, dict]:
    """Every node's and edge's [classes, text] at frame ``t`` (default: the frame on screen)."""
    frames = scene(at)["frames"]
    t = on_screen(at) if t is None else t
    nodes: dict = {}
    edges: dict = {}
    for frame in frames[:t + 1]:
        nodes.update(frame["n"])
        edges.update(frame["e"])
    return nodes, edges


def node_state(at: AppTest, node_id: str) -> str:
    """The state class (s-...) of a node on screen."""
    classes = shown(at)[0][node_id][0].split()
    return next(c for c in classes if c.startswith("s-"))


def node_text(at: AppTest, node_id: str) -> str:
    return shown(at)[0][node_id][1]


def all_text(at: AppTest) -> str:
    """Every node label on screen, one per line."""
    return "\n".join(text for _, text in shown(at)[0].values())


def report(at: AppTest, *, step: int | None = None, selected: str | None = None,
           painted: bool = True) -> AppTest:
    """What the player does in a browser: report a frame and/or a clicked node (one rerun);
    ``painted``: its graph is on screen (it always is by the time a student clicks)."""
    data = player_payload(at)
    _REPORTS[0] += 1  # the player numbers its reports: each one is a change
    return _send_player_state(at, {
        "step": [on_screen(at) if step is None else step, _REPORTS[0]],
        "selected": data["selected"] if selected is None else selected,
        "painted": True if painted else None})


def _send_player_state(at: AppTest, value: dict[str, Any],
                       run: Callable[..., AppTest] | None = None) -> AppTest:
    """The player's component state as the browser sends it, and the rerun it starts
    (``run``: AppTest._run itself, for a report BrowserApp must not follow up)."""
    from streamlit.proto.WidgetStates_pb2 import WidgetStates

    states: WidgetStates = at._tree.get_widget_states()
    widget = states.widgets.add()
    widget.id = _elements(at, "autograd_viz_player")[0].proto.id
    widget.json_value = json.dumps(value)
    return run(at, states) if run is not None else at._run(states)


_REPORTS = [0]


def ask_for_the_scene(at: AppTest, scene_id: str) -> AppTest:
    """What a page given a scene's id without its text does when it does not hold it."""
    from streamlit.components.v2.bidi_component.main import _make_trigger_id
    from streamlit.proto.WidgetStates_pb2 import WidgetStates

    states: WidgetStates = at._tree.get_widget_states()
    trigger = states.widgets.add()
    trigger.id = _make_trigger_id(_elements(at, "autograd_viz_player")[0].proto.id, "events")
    trigger.json_trigger_value = json.dumps([{"event": "need", "value": scene_id}])
    return at._run(states)


def narrow_screen(at: AppTest) -> AppTest:
    """What the player reports on a narrow screen when its scene has no top-to-bottom
    layout (``askNarrow``)."""
    previous = at.session_state.get("player") or {}
    return _send_player_state(at, {**previous, "narrow": True})


def painted(at: AppTest) -> AppTest:
    """What the player reports once the graph a page waits for is on screen."""
    previous = at.session_state.get("player") or {}
    return _send_player_state(at, {"step": previous.get("step"),
                                   "selected": previous.get("selected"), "painted": True},
                              run=AppTest._run)


def backward_step(at: AppTest, k: int) -> AppTest:
    """Step the player to backward step ``k`` (frame start + k)."""
    return report(at, step=scene(at)["start"] + k)


def to_end(at: AppTest) -> AppTest:
    return report(at, step=len(scene(at)["frames"]) - 1)


def frame_step(at: AppTest) -> int:
    """The backward step on screen (0 also for every forward frame)."""
    frame = scene(at)["frames"][on_screen(at)]
    return frame["k"] if frame["p"] == "b" else 0


def inspect_picker(at: AppTest):
    """The "where does this grad come from?" picker (a widget per language and lesson)."""
    found = [s for s in at.selectbox if str(s.key or "").startswith("inspect__")]
    assert len(found) == 1, [s.key for s in at.selectbox]
    return found[0]


def unescaped(markdown: str) -> str:
    """What Streamlit shows for Markdown text (backslash escapes removed)."""
    return re.sub(r"\\(.)", r"\1", markdown)


def page_text(at: AppTest) -> str:
    """Every markdown, HTML, caption, error, warning and info text on the page, joined."""
    parts = [m.value for m in at.markdown] + [c.value for c in at.caption]
    parts += [h.proto.body for h in at.get("html")]
    parts += [e.value for e in at.error] + [w.value for w in at.warning]
    parts += [i.value for i in at.info] + [s.value for s in at.success]
    return "\n".join(parts)


def leaf_table(at: AppTest) -> dict[str, list[str]]:
    """The leaf-grad table (a Markdown table) as column -> cells, unescaped."""
    text = next(m.value for m in at.markdown if "\n| " in m.value)  # under its heading
    lines = [line for line in text.splitlines() if line.startswith("|")]
    rows = [[re.sub(r"\\(.)", r"\1", cell.strip()) for cell in
             re.split(r"(?<!\\)\|", line.strip())[1:-1]] for line in lines]
    head, body = rows[0], rows[2:]
    return {col: [row[i] for row in body] for i, col in enumerate(head)}


def has_leaf_table(at: AppTest) -> bool:
    return any("\n| " in m.value for m in at.markdown)


@contextlib.contextmanager
def recorded_downloads() -> Iterator[dict[str, Any]]:
    """Record what download buttons offer: bytes of eager ones (AppTest drops them after
    a run) and the callables of deferred ones (run when a student clicks)."""
    from streamlit.runtime.media_file_manager import MediaFileManager
    from streamlit.runtime.memory_media_file_storage import MemoryMediaFileStorage

    offered: dict[str, Any] = {}
    store = MemoryMediaFileStorage.load_and_get_id
    defer = MediaFileManager.add_deferred

    def record(self, path_or_data, mimetype, kind, filename=None):
        if filename:
            offered[filename] = path_or_data
        return store(self, path_or_data, mimetype, kind, filename)

    def record_deferred(self, data_callable, mimetype, coordinates, file_name=None, **kw):
        if file_name:
            offered[file_name] = data_callable
        return defer(self, data_callable, mimetype, coordinates, file_name, **kw)

    with mock.patch.object(MemoryMediaFileStorage, "load_and_get_id", record), \
            mock.patch.object(MediaFileManager, "add_deferred", record_deferred):
        yield offered


def as_bytes(data: Any) -> bytes:
    """What a download button hands the browser, as bytes."""
    if callable(data):
        data = data()
    return data.encode("utf-8") if isinstance(data, str) else bytes(data)


@contextlib.contextmanager
def concurrent_apptests() -> Iterator[None]:
    """Let several AppTests run at once in threads.

    AppTest is written for one run at a time: each run installs a mock Runtime as the
    process-wide singleton (and removes it when done) and patches the process-wide
    ``config.get_option``; overlapping runs would tear each other's down. Here one shared
    mock Runtime (with a real, locked media file manager) and one appTest config stay in
    place for the whole block, and AppTest's own swaps become no-ops. Each AppTest keeps
    its own session state and script runner thread, as sessions do on a server.
    """
    from streamlit import config
    from streamlit.components.v2.component_manager import BidiComponentManager
    from streamlit.runtime import Runtime
    from streamlit.runtime.caching.storage.dummy_cache_storage import (
        MemoryCacheStorageManager,
    )
    from streamlit.runtime.dataframe_source_manager import DataframeSourceManager
    from streamlit.runtime.media_file_manager import MediaFileManager
    from streamlit.runtime.memory_media_file_storage import MemoryMediaFileStorage
    from streamlit.testing.v1 import app_test

    shared = mock.MagicMock(spec=Runtime)
    shared.media_file_mgr = MediaFileManager(MemoryMediaFileStorage("/mock/media"))
    shared.dataframe_source_mgr = DataframeSourceManager()
    shared.cache_storage_manager = MemoryCacheStorageManager()
    components = BidiComponentManager()
    components.discover_and_register_components(start_file_watching=False)
    shared.bidi_component_registry = components
    original_get_option = config.get_option

    def get_option(name: str) -> Any:
        return True if name == "global.appTest" else original_get_option(name)

    @contextlib.contextmanager
    def no_patch(_overrides: dict) -> Iterator[None]:
        yield

    with mock.patch.object(Runtime, "instance", classmethod(lambda cls: shared)), \
            mock.patch.object(Runtime, "exists", classmethod(lambda cls: True)), \
            mock.patch.object(config, "get_option", get_option), \
            mock.patch.object(app_test, "patch_config_options", no_patch):
        yield


def run_in_threads(jobs: list[Callable[[], Any]], timeout: float = 120) -> list[Any]:
    """Run every job in its own thread, all released at once; results in job order."""
    results: list[Any] = [None] * len(jobs)
    errors: list[BaseException] = []
    barrier = threading.Barrier(len(jobs))

    def work(i: int) -> None:
        try:
            barrier.wait(30)
            results[i] = jobs[i]()
        except BaseException as exc:  # reported below with the job's index
            errors.append(exc)

    threads = [threading.Thread(target=work, args=(i,)) for i in range(len(jobs))]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout)
    assert not errors, errors
    assert not any(thread.is_alive() for thread in threads), "a session did not finish"
    return results
