"""The book's ``dezero.functions``: ``import autograd_core.functions as F``.

Every registered op, by its name (``F.sigmoid``, ``F.linear``, ``F.mean_squared_error``...).
"""

from . import ops as _ops  # noqa: F401 (registers every op first)
from .registry import OPS as _OPS

globals().update({name: info.function for name, info in _OPS.items()})
__all__ = list(_OPS)  # noqa: PLE0605 (built from the registry)
