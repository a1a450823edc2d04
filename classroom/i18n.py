"""Interface text in English and Korean."""

from __future__ import annotations

TEXT: dict[str, dict[str, str]] = {
    "title": {"en": "Watch backpropagation, step by step",
              "ko": "역전파를 한 단계씩 살펴보기"},
    "language": {"en": "Language / 언어", "ko": "언어 / Language"},
    "preset": {"en": "Example", "ko": "예제"},
    "load_preset": {"en": "Load example", "ko": "예제 불러오기"},
    "expression": {"en": "Expression (several lines: a = ..., then y = ...)",
                   "ko": "식 (여러 줄 가능: a = ..., 그다음 y = ...)"},
    "values": {"en": "Values", "ko": "값"},
    "value_help": {"en": "a number like 0.5, or a list like [1, 2, 3] or [[1, 2], [3, 4]]",
                   "ko": "0.5 같은 숫자 또는 [1, 2, 3], [[1, 2], [3, 4]] 같은 목록"},
    "understood": {"en": "Understood as", "ko": "이렇게 이해했습니다"},
    "reset": {"en": "◀◀ Reset", "ko": "◀◀ 처음으로"},
    "prev": {"en": "◀ Previous step", "ko": "◀ 이전 단계"},
    "next": {"en": "Next step ▶", "ko": "다음 단계 ▶"},
    "end": {"en": "Run to the end ▶▶", "ko": "끝까지 ▶▶"},
    "slider": {"en": "Backward step", "ko": "역전파 단계"},
    "queue": {"en": "Queue of pending functions", "ko": "대기 중인 함수"},
    "queue_empty": {"en": "(empty)", "ko": "(비어 있음)"},
    "generation": {"en": "generation", "ko": "세대"},
    "selected": {"en": "Variable to inspect", "ko": "살펴볼 변수"},
    "grad_sum": {"en": "Its grad is the sum of contributions", "ko": "기울기는 기여들의 합"},
    "no_contrib": {"en": "no contribution yet", "ko": "아직 기여 없음"},
    "leaf_table": {"en": "Leaf gradients vs. numerical differentiation",
                   "ko": "입력 변수의 기울기와 수치 미분 비교"},
    "col_var": {"en": "variable", "ko": "변수"}, "col_value": {"en": "value", "ko": "값"},
    "col_grad": {"en": "backprop grad", "ko": "역전파 기울기"},
    "col_num": {"en": "numerical grad", "ko": "수치 미분"},
    "col_check": {"en": "check", "ko": "확인"},
    "pass": {"en": "✔ pass", "ko": "✔ 일치"}, "fail": {"en": "✘ fail", "ko": "✘ 불일치"},
    "skipped": {"en": "— skipped (too many elements)", "ko": "— 생략 (원소가 너무 많음)"},
    "not_final": {"en": "(grad not final yet)", "ko": "(기울기 아직 미완성)"},
    "higher": {"en": "Gradient graph (create_graph=True)",
               "ko": "기울기의 그래프 (create_graph=True)"},
    "higher_help": {"en": "Draw the graph of dy/dx and step its own backward pass "
                          "(the second derivative). Derivative orders have their own colours.",
                    "ko": "dy/dx의 그래프를 그리고 그 역전파(2차 미분)를 단계별로 봅니다. "
                          "미분 차수마다 색이 다릅니다."},
    "wrt": {"en": "Differentiate with respect to", "ko": "미분할 변수"},
    "projector": {"en": "Projector mode (large text)", "ko": "프로젝터 모드 (큰 글씨)"},
    "rankdir": {"en": "Layout direction", "ko": "배치 방향"},
    "downloads": {"en": "Download", "ko": "내려받기"},
    "dl_dot": {"en": "Frame as DOT", "ko": "현재 장면 DOT"},
    "dl_svg": {"en": "Frame as SVG", "ko": "현재 장면 SVG"},
    "dl_png": {"en": "Frame as PNG", "ko": "현재 장면 PNG"},
    "dl_gif": {"en": "Whole pass as GIF", "ko": "전체 과정 GIF"},
    "dl_html": {"en": "Whole pass as HTML player", "ko": "전체 과정 HTML 플레이어"},
    "trouble": {"en": "Numerical trouble: {op} produced {kind} (line {line}, column {col}). "
                      "The node is marked ⚠.",
                "ko": "수치 문제: {op}의 결과가 {kind}입니다 ({line}번째 줄, {col}번째 칸). "
                      "해당 노드에 ⚠ 표시가 있습니다."},
    "big_graph": {"en": "Big graph: {notice}.", "ko": "큰 그래프: {notice}."},
    "nothing_upstream": {"en": "The output is a plain value (no function made it): "
                               "there is nothing to backpropagate.",
                         "ko": "출력이 함수로 만들어지지 않은 값이라 역전파할 것이 없습니다."},
    "render_failed": {"en": "The graph could not be drawn: {detail}",
                      "ko": "그래프를 그리지 못했습니다: {detail}"},
    "legend_title": {"en": "Legend", "ko": "범례"},
    "walkthrough": {"en": "How to use", "ko": "사용법"},
    "walkthrough_text": {
        "en": "1. Pick an example or type an expression. 2. Press **Next step** to run one "
              "generation of the backward pass: the functions that run are orange, grads "
              "appear on variables (yellow = partial, green = final). 3. Check the table: "
              "backprop grads against numerical differentiation.",
        "ko": "1. 예제를 고르거나 식을 입력합니다. 2. **다음 단계**를 누르면 역전파가 한 세대씩 "
              "진행됩니다. 실행 중인 함수는 주황색, 변수의 기울기는 노랑(일부)·초록(완성)으로 "
              "표시됩니다. 3. 표에서 역전파 기울기와 수치 미분을 비교합니다."},
    "step_caption": {"en": "Frame {k} of {n}", "ko": "{n}단계 중 {k}단계"},
}


def t(key: str, lang: str, **params: object) -> str:
    """The interface text ``key`` in ``lang``."""
    entry = TEXT[key]
    text = entry.get(lang, entry["en"])
    return text.format(**params) if params else text
