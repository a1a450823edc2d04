"""autograd_core: a DeZero-style define-by-run autograd engine.

The names are the book's ("Deep Learning from Scratch 3"): ``Variable``,
``Function``, ``square``, ``exp``, ``backward``, ``cleargrad``, ``no_grad`` ...
The backward pass is the generator :func:`backward_steps`; ``backward()``
drains it.
"""

from . import functions, layers, models, optimizers  # F, L, M, O as in the book
from . import ops as _ops  # registers the ops and installs Variable's operators
from .backprop import (
    BackwardStep,
    FunctionStep,
    NothingUpstreamWarning,
    backward_steps,
    grad_array,
    recorded_backward,
)
from .config import Config, is_grad_enabled, no_grad, scope, test_mode, using_config
from .core import Function, Parameter, Variable, as_array, as_variable, variable_origin
from .layers import Layer, Linear
from .models import MLP, Model
from .numdiff import (
    GradientCheck,
    GradientCheckError,
    compare_grads,
    gradient_check,
    numerical_diff,
    numerical_grad,
)
from .ops.arithmetic import (
    Add,
    Div,
    Mul,
    Neg,
    Pow,
    PowVar,
    Sub,
    add,
    div,
    mul,
    neg,
    pow,
    pow_var,
    rdiv,
    rpow,
    rsub,
    sub,
)
from .ops.elementwise import (
    Clip,
    Cos,
    Exp,
    Log,
    Sigmoid,
    Sin,
    Square,
    Tanh,
    clip,
    cos,
    exp,
    log,
    sigmoid,
    sin,
    square,
    tanh,
)
from .ops.nn import (
    LeakyReLU,
    LinearFunction,
    LogSoftmax,
    MeanSquaredError,
    ReLU,
    Softmax,
    SoftmaxCrossEntropy,
    accuracy,
    dropout,
    leaky_relu,
    linear,
    log_softmax,
    mean_squared_error,
    relu,
    softmax,
    softmax_cross_entropy,
    softmax_cross_entropy_simple,
    softmax_simple,
)
from .ops.tensor import (
    BroadcastTo,
    GetItem,
    GetItemGrad,
    MatMul,
    Max,
    Min,
    Reshape,
    Sum,
    SumTo,
    Transpose,
    broadcast_to,
    get_item,
    matmul,
    max,
    min,
    reshape,
    sum,
    sum_to,
    transpose,
)
from .optimizers import SGD, Adam, MomentumSGD, Optimizer
from .registry import OPS, OpExample, OpInfo

del _ops

__all__ = [
    "OPS", "Add", "BackwardStep", "BroadcastTo", "Config", "Cos", "Div", "Exp", "Function",
    "FunctionStep", "GetItem", "GetItemGrad", "Log", "MatMul", "Mul", "Neg",
    "NothingUpstreamWarning", "OpExample", "OpInfo", "Pow", "PowVar", "Reshape", "Sigmoid", "Sin",
    "Square", "Sub", "Sum", "SumTo", "Tanh", "Transpose", "Variable", "add", "as_array",
    "as_variable", "backward_steps", "broadcast_to", "cos", "div", "exp", "get_item",
    "grad_array", "recorded_backward", "Clip", "LeakyReLU", "LogSoftmax", "Max", "Min",
    "accuracy", "clip", "dropout", "leaky_relu", "log_softmax", "max", "min",
    "softmax_cross_entropy_simple", "softmax_simple", "test_mode",
    "is_grad_enabled", "log", "matmul", "mul", "neg", "no_grad", "numerical_diff",
    "numerical_grad", "gradient_check", "compare_grads", "GradientCheck", "GradientCheckError",
    "pow", "pow_var", "rdiv", "reshape", "rpow", "rsub", "sigmoid", "sin",
    "square", "sub", "sum", "sum_to", "tanh", "transpose", "using_config", "variable_origin",
    # the book's steps 37-46: layers, models, losses, optimizers
    "Adam", "Layer", "Linear", "LinearFunction", "MLP", "MeanSquaredError", "Model",
    "MomentumSGD", "Optimizer", "Parameter", "ReLU", "SGD", "Softmax", "SoftmaxCrossEntropy",
    "functions", "layers", "linear", "mean_squared_error", "models", "optimizers", "relu",
    "scope", "softmax", "softmax_cross_entropy",
]
