"""The built-in ops. Importing this package registers them and installs Variable's operators."""

from ..core import Variable
from ..registry import install_operators
from . import tensor  # noqa: I001  (tensor first: the others' backward uses sum_to)
from . import arithmetic, elementwise

install_operators(Variable)

__all__ = ["arithmetic", "elementwise", "tensor"]
