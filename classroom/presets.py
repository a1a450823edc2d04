"""Ready examples from the book and the study notes."""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass(frozen=True)
class Preset:
    """An expression with values, titled in English and Korean."""

    key: str
    title_en: str
    title_ko: str
    text: str
    values: dict[str, str] = field(default_factory=dict)

    def title(self, lang: str) -> str:
        return self.title_ko if lang == "ko" else self.title_en


GOLDSTEIN = (
    "(1 + (x + y + 1)**2 * (19 - 14*x + 3*x**2 - 14*y + 6*x*y + 3*y**2))"
    " * (30 + (2*x - 3*y)**2 * (18 - 32*x + 12*x**2 + 48*y - 36*x*y + 27*y**2))"
)

PRESETS: tuple[Preset, ...] = (
    Preset("chain", "square → exp → square (steps 1-9)", "square → exp → square (1-9단계)",
           "square(exp(square(x)))", {"x": "0.5"}),
    Preset("x_plus_x", "x + x, then (x + x) + x (step 14)", "x + x, 그다음 (x + x) + x (14단계)",
           "a = x + x\ny = a + x", {"x": "3.0"}),
    Preset("diamond", "diamond: square(a) + square(a) (step 16)",
           "다이아몬드: square(a) + square(a) (16단계)",
           "a = square(x)\ny = square(a) + square(a)", {"x": "2.0"}),
    Preset("xy_plus_z", "x*y + z (steps 20-21)", "x*y + z (20-21단계)", "x*y + z",
           {"x": "3.0", "y": "2.0", "z": "1.0"}),
    Preset("tanh_sigmoid", "sigmoid(tanh(x)) (study notes)", "sigmoid(tanh(x)) (스터디 노트)",
           "sigmoid(tanh(x))", {"x": "1.0"}),
    Preset("sphere", "sphere x² + y² (step 24)", "sphere x² + y² (24단계)", "x**2 + y**2",
           {"x": "1.0", "y": "1.0"}),
    Preset("matyas", "matyas (step 24)", "matyas (24단계)",
           "0.26 * (x**2 + y**2) - 0.48 * x * y", {"x": "1.0", "y": "1.0"}),
    Preset("goldstein", "Goldstein-Price (step 24)", "Goldstein-Price (24단계)", GOLDSTEIN,
           {"x": "1.0", "y": "1.0"}),
    Preset("taylor_sin", "Taylor series of sin (step 27)", "sin의 테일러 급수 (27단계)",
           "y = x - x**3/6 + x**5/120 - x**7/5040", {"x": "0.7853981633974483"}),
    Preset("newton", "Newton's method: f = x⁴ - 2x² (steps 28-29)",
           "뉴턴 방법: f = x⁴ - 2x² (28-29단계)", "y = x**4 - 2 * x**2", {"x": "2.0"}),
    Preset("broadcast", "broadcasting: x + b (step 40)", "브로드캐스트: x + b (40단계)",
           "y = sum(x + b)", {"x": "[[1, 2, 3], [4, 5, 6]]", "b": "[10, 20, 30]"}),
    Preset("matmul", "matmul: sum(x @ W) (step 41)", "행렬 곱: sum(x @ W) (41단계)",
           "y = sum(matmul(x, W))", {"x": "[[1, 2], [3, 4]]", "W": "[[0.5, -1], [2, 1]]"}),
)

BY_KEY = {p.key: p for p in PRESETS}
DEFAULT = PRESETS[0]
