"""ExpressionError: the one exception parse/evaluate raise, with a code, params and position."""

from __future__ import annotations

import functools
from collections.abc import Callable
from typing import Any, TypeVar

F = TypeVar("F", bound=Callable[..., Any])


class ExpressionError(ValueError):
    """Anything wrong with user-typed text or values.

    Attributes:
        code: a stable machine string such as ``"too_long"`` or ``"unknown_function"``
            (the full list is ``exprlang.messages.CODES``).
        params: the values the message templates are filled with.
        position: ``(line, column)``, both 1-based, in the text the user typed
            (before look-alike normalisation), or ``None`` when the error has no
            single place.

    ``str(err)`` is the English message; :meth:`message` (or
    :func:`exprlang.messages.format_error`) gives it in another language.
    """

    def __init__(self, code: str, position: tuple[int, int] | None = None, **params: Any):
        self.code = code
        self.params = params
        self.position = position
        super().__init__(code)

    def message(self, lang: str = "en") -> str:
        """The message in ``lang`` (``"en"`` or ``"ko"``), naming the position."""
        from .messages import format_error

        return format_error(self, lang)

    def __str__(self) -> str:
        return self.message("en")

    def __repr__(self) -> str:
        return f"ExpressionError({self.code!r}, {self.position!r}, **{self.params!r})"

    def __reduce__(self) -> tuple[Any, ...]:  # picklable although params are keywords
        return (_rebuild, (self.code, self.position, self.params))


def _rebuild(code: str, position: tuple[int, int] | None, params: dict[str, Any]
             ) -> ExpressionError:
    return ExpressionError(code, position, **params)


def only_expression_errors(fn: F) -> F:
    """Let nothing but ExpressionError out of ``fn`` (a public entry point).

    An unexpected exception is a bug in exprlang, not in the user's text; it still
    reaches the caller as ``ExpressionError("internal_error")`` (with the original
    chained as ``__cause__``) so the app can show a message instead of a traceback.
    """

    @functools.wraps(fn)
    def guarded(*args: Any, **kwargs: Any) -> Any:
        try:
            return fn(*args, **kwargs)
        except ExpressionError:
            raise
        except Exception as exc:
            detail = f"{type(exc).__name__}: {exc}".split("\n", 1)[0][:200]
            raise ExpressionError("internal_error", None, detail=detail) from exc

    return guarded  # type: ignore[return-value]
