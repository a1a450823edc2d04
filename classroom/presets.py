"""Ready examples from the book ("Deep Learning from Scratch 3") and the study notes."""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass(frozen=True)
class Preset:
    """An expression with its values and options, titled in English and Korean."""

    key: str
    title_en: str
    title_ko: str
    text: str
    values: dict[str, str] = field(default_factory=dict)
    higher_order: bool = False
    # The book's earlier computation with the same inputs, whose backward() left grads on
    # them (the "no cleargrad()" pitfall adds the lesson's to these): step 14's add(x, x).
    earlier: str | None = None

    def title(self, lang: str) -> str:
        """The title shown in the example picker."""
        return self.title_ko if lang == "ko" else self.title_en


GOLDSTEIN = (
    "(1 + (x + y + 1)**2 * (19 - 14*x + 3*x**2 - 14*y + 6*x*y + 3*y**2))"
    " * (30 + (2*x - 3*y)**2 * (18 - 32*x + 12*x**2 + 48*y - 36*x*y + 27*y**2))"
)

PRESETS: tuple[Preset, ...] = (
    Preset("chain", "square → exp → square at x = 0.5 (steps 1-9)",
           "square → exp → square, x = 0.5 (1-9단계)",
           "square(exp(square(x)))", {"x": "0.5"}),
    Preset("x_plus_x", "x + x, then (x + x) + x (step 14)", "x + x, 그다음 (x + x) + x (14단계)",
           "a = x + x\ny = a + x", {"x": "3.0"}, earlier="y = x + x"),
    Preset("diamond", "diamond: square(a) + square(a) (step 16)",
           "다이아몬드: square(a) + square(a) (16단계)",
           "a = square(x)\ny = square(a) + square(a)", {"x": "2.0"}),
    Preset("xy_plus_z", "x * y + z (steps 20-21)", "x * y + z (20-21단계)", "x*y + z",
           {"x": "3.0", "y": "2.0", "z": "1.0"}),
    Preset("tanh_sigmoid", "tanh(sigmoid(x))", "tanh(sigmoid(x))", "tanh(sigmoid(x))",
           {"x": "1.0"}),
    Preset("sigmoid_tanh", "sigmoid(tanh(x)) = 0.0911 (study notes)",
           "sigmoid(tanh(x)) = 0.0911 (스터디 노트)",
           "a = tanh(x)\nb = sigmoid(a)", {"x": "1.0"}),
    Preset("sphere", "sphere: x² + y² (step 24)", "sphere: x² + y² (24단계)", "z = x**2 + y**2",
           {"x": "1.0", "y": "1.0"}),
    Preset("matyas", "matyas: 0.26(x² + y²) − 0.48xy (step 24)",
           "matyas: 0.26(x² + y²) − 0.48xy (24단계)",
           "z = 0.26 * (x**2 + y**2) - 0.48 * x * y", {"x": "1.0", "y": "1.0"}),
    Preset("goldstein", "Goldstein-Price at (1, 1) (step 24)", "Goldstein-Price, (1, 1) (24단계)",
           "z = " + GOLDSTEIN, {"x": "1.0", "y": "1.0"}),
    Preset("taylor_sin", "sin as a Taylor series, 4 terms (step 27)",
           "테일러 급수로 쓴 sin, 4개 항 (27단계)",
           "y = x - x**3/6 + x**5/120 - x**7/5040", {"x": "0.7853981633974483"}),
    Preset("newton", "Newton: x⁴ − 2x², f″ (steps 29, 33)",
           "뉴턴 방법: x⁴ − 2x², 2차 미분 (29, 33단계)",
           "y = x**4 - 2 * x**2", {"x": "2.0"}, higher_order=True),
    Preset("broadcast", "broadcasting: sum(x + b) (step 40)",
           "브로드캐스트: sum(x + b) (40단계)",
           "y = sum(x + b)", {"x": "[[1, 2, 3], [4, 5, 6]]", "b": "[10, 20, 30]"}),
    Preset("matmul", "matrix product: sum(matmul(x, W)) (step 41)",
           "행렬 곱: sum(matmul(x, W)) (41단계)",
           "y = sum(matmul(x, W))", {"x": "[[1, 2], [3, 4]]", "W": "[[0.5, -1], [2, 1]]"}),
    Preset("layer", "one layer: sum(sigmoid(x @ W + b)) (step 43)",
           "한 층: sum(sigmoid(x @ W + b)) (43단계)",
           "y = sum(sigmoid(x @ W + b))",  # '@' is matmul, as in Python
           {"x": "[[0.5, -1], [1, 2]]", "W": "[[0.2, -0.4], [0.6, 0.1]]", "b": "[0.1, -0.2]"}),
)

BY_KEY: dict[str, Preset] = {p.key: p for p in PRESETS}
DEFAULT: Preset = PRESETS[0]
CUSTOM = "custom"  # the picker's entry for an expression the student typed


def picker_keys() -> list[str]:
    """What the example picker offers: every preset, then the student's own expression."""
    return [p.key for p in PRESETS] + [CUSTOM]
