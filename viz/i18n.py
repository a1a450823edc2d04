"""viz's words in every language: frame captions and the player's controls.

One catalogue (language -> key -> text); ``tests/viz/test_i18n.py`` checks that
every key exists in every language.
"""

from __future__ import annotations

from collections.abc import Sequence

LANGS = ("en", "ko")

TEXT: dict[str, dict[str, str]] = {
    "en": {
        "before_backward": "Before backward (0/{n}): the output's grad is seeded with 1",
        "backward_step": "Step {k} of {n}: generation {gen} runs {names}",
        "before_forward": "Before the forward pass (0/{n}): only the inputs have values",
        "forward_step": "Forward step {k} of {n}: generation {gen} runs {names}",
        "no_steps": "Nothing to backpropagate: the output is an input or a constant",
        "first": "First", "prev": "Previous", "play": "Play", "pause": "Pause",
        "next": "Next", "last": "Last", "step": "Step", "zoom_in": "Zoom in",
        "zoom_out": "Zoom out", "fit": "Fit", "fullscreen": "Full screen",
        "exit_fullscreen": "Exit full screen",
        "keys": "Keys: ← → Home End Space, + − 0 (fit); drag to pan, wheel to zoom, "
                "click a node to select it",
        "forward": "forward", "backward": "backward",
        "broken": "This graph cannot be shown: {reason}",
        "selected": "selected", "legend": "Legend",
        "summary": "{shape} min {lo} max {hi} mean {mean}",
        "all_nonfinite": "all NaN or infinite", "nonfinite_count": "{n} NaN or infinite",
        "nan": "NaN (not a number)", "inf": "infinity", "neg_inf": "minus infinity",
        "generic_rule": "(this op declares no formula; from gy = {gy})",
        "output_of": "{fn}'s output", "a_leaf": "an input",
        "from_fn": "from {fn}", "earlier_grad": "left from an earlier pass",
        "so_far": "so far: {got} of {total}", "chain_rule": "Chain rule at this step",
    },
    "ko": {
        "before_backward": "역전파 전 (0/{n}): 출력의 기울기를 1로 둡니다",
        "backward_step": "{k}/{n}단계: 세대 {gen}의 {names} 실행",
        "before_forward": "순전파 전 (0/{n}): 입력만 값이 있습니다",
        "forward_step": "순전파 {k}/{n}단계: 세대 {gen}의 {names} 실행",
        "no_steps": "역전파할 것이 없습니다: 출력이 입력이거나 상수입니다",
        "first": "처음", "prev": "이전", "play": "재생", "pause": "일시정지",
        "next": "다음", "last": "끝", "step": "단계", "zoom_in": "확대",
        "zoom_out": "축소", "fit": "맞추기", "fullscreen": "전체 화면",
        "exit_fullscreen": "전체 화면 끝내기",
        "keys": "키: ← → Home End 스페이스, + − 0 (맞추기); 끌어서 이동, 휠로 확대, "
                "노드를 눌러 선택",
        "forward": "순전파", "backward": "역전파",
        "broken": "이 그래프를 보여 줄 수 없습니다: {reason}",
        "selected": "선택됨", "legend": "범례",
        "summary": "{shape} 최소 {lo} 최대 {hi} 평균 {mean}",
        "all_nonfinite": "모두 NaN 또는 무한대", "nonfinite_count": "NaN 또는 무한대 {n}개",
        "nan": "NaN(정의되지 않은 값)", "inf": "무한대", "neg_inf": "음의 무한대",
        "generic_rule": "(이 연산은 공식을 선언하지 않았습니다; gy = {gy}에서)",
        "output_of": "{fn}의 출력", "a_leaf": "입력",
        "from_fn": "{fn}에서", "earlier_grad": "이전 역전파에서 남은 값",
        "so_far": "지금까지 {total}개 중 {got}개", "chain_rule": "이 단계의 연쇄 법칙",
    },
}

PLAYER_KEYS = ("first", "prev", "play", "pause", "next", "last", "step", "zoom_in", "zoom_out",
               "fit", "fullscreen", "exit_fullscreen", "keys", "forward", "backward",
               "broken", "selected", "legend", "chain_rule")


def t(key: str, lang: str = "en", **values: object) -> str:
    """The text of ``key`` in ``lang`` (English when the language is unknown)."""
    table = TEXT.get(lang, TEXT["en"])
    return table[key].format(**values) if values else table[key]


def caption(phase: str, k: int, n: int, generation: int | None, names: Sequence[str],
            lang: str = "en") -> str:
    """One sentence for step ``k`` of ``n`` of a phase ("forward" or "backward")."""
    if phase == "backward":
        if n == 0:
            return t("no_steps", lang)
        if k == 0:
            return t("before_backward", lang, n=n)
        return t("backward_step", lang, k=k, n=n, gen=generation, names=", ".join(names))
    if k == 0:
        return t("before_forward", lang, n=n)
    return t("forward_step", lang, k=k, n=n, gen=generation, names=", ".join(names))


def player_words(lang: str = "en") -> dict[str, str]:
    """The words of the player's controls."""
    return {key: t(key, lang) for key in PLAYER_KEYS}
