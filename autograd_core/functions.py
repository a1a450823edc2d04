"""The book's ``dezero.functions``: ``import autograd_core.functions as F``.

Every registered op, by its name (``F.sigmoid``, ``F.linear``, ``F.mean_squared_error``,
``F.max``, ``F.clip``...), and the book's functions built from them (``F.softmax_simple``,
``F.softmax_cross_entropy_simple``, ``F.accuracy``, ``F.dropout``).
"""

from . import ops as _ops  # noqa: F401 (registers every op first)
from .ops.nn import accuracy, dropout, softmax_cross_entropy_simple, softmax_simple
from .registry import OPS as _OPS

globals().update({name: info.function for name, info in _OPS.items()})
# every registered op, and the book's functions made of other ops
__all__ = [*_OPS, "accuracy", "dropout", "softmax_cross_entropy_simple",  # noqa: PLE0605
           "softmax_simple"]
