"""The built-in ops. Importing this package registers them and installs Variable's operators."""

from ..core import Variable
from ..registry import install_operators
from . import arithmetic, elementwise, nn, tensor

install_operators(Variable)

__all__ = ["arithmetic", "elementwise", "nn", "tensor"]
