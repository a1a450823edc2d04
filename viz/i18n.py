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
        "before_recorded": ("Before backward (0/{n}): your backward ran once ({source}) and "
                            "made {n} call(s), each recorded here"),
        "recorded_step": "Call {k} of {n}: your backward runs {names}",
        "before_replayed": ("A replay (0/{n}): the backward had already run, so viz runs each "
                            "function's own backward again on copies of the grads; your "
                            "objects are left as they were"),
        "replayed_step": "Replay {k} of {n}: {names}",
        "backward_raised": "Then the backward raised {error}: the frames stop here.",
        "title_backward": "Backward pass of {what}", "title_big": "{name} ({n:,} functions)",
        "the_output": "the output",
        "rule_gives": "(≠ {value}, what the rule gives: check this backward)",
        "more_terms": "… ({n:,} more terms)",
        "the_seed": "the seed of the pass",
        "then_freed": "then freed: retain_grad=False",
        "no_grad_yet_story": "none yet (no function has sent it a grad)",
        "widget_step_clamped": ("step {asked} is out of range: frames are 0..{last}; "
                                "showing {shown}"),
        "widget_missing": ('viz.show(y, steps=True) is the HTML player here: for the two-way '
                           'widget (w.step, w.selected), pip install "autograd-viz[notebook]"'),
        "step_not_drawn": "(this step's function is in the part of the graph summarised in "
                          "one node)",
        "cmp_title": "Side by side: {what}",
        "cmp_how": ("Step the left pass (keys, buttons); the right one follows, at the same "
                    "point of its own pass."),
        "cmp_input": "input", "cmp_missing": "not in both graphs",
        "cmp_same": "Both passes give the same grads.",
        "cmp_differ": "The grads differ (marked ✘).",
        "first": "First", "prev": "Previous", "play": "Play", "pause": "Pause",
        "next": "Next", "last": "Last", "step": "Step", "zoom_in": "Zoom in",
        "zoom_out": "Zoom out", "fit": "Fit", "fullscreen": "Full screen",
        "exit_fullscreen": "Exit full screen", "collapse": "Collapse", "expand": "Expand",
        "order": "order {order}",
        "keys": "Keys: ← → Home End Space, + − 0 (fit); drag to pan, wheel to zoom, "
                "click a node to select it",
        "keys_locked": "The teacher steps. Keys: + − 0 (fit); drag to pan, wheel to zoom, "
                       "click a node to select it",
        "keys_follows": "Follows the graph it is paired with: step that one. Keys: + − 0 "
                        "(fit); drag to pan, wheel to zoom, click a node to select it",
        "forward": "forward", "backward": "backward",
        "broken": "This graph cannot be shown: {reason}",
        "selected": "selected", "legend": "Legend", "graph": "computation graph",
        "summary": "{shape} min {lo} max {hi} mean {mean}",
        "array_stats": "min {lo} max {hi} mean {mean}",
        "all_nonfinite": "all NaN or infinite", "nonfinite_count": "{n} NaN or infinite",
        "nan": "NaN (not a number)", "inf": "infinity", "neg_inf": "minus infinity",
        "generic_rule": "(this op declares no formula; from gy = {gy})",
        "output_of": "{fn}'s output", "a_leaf": "an input", "grad_of": "{name}.grad",
        "group_params": "{n:,} params", "group_in": "in: {names}", "group_out": "out: {names}",
        "from_fn": "from {fn}", "earlier_grad": "left from an earlier pass",
        "so_far": "so far: {got} of {total}", "chain_rule": "Chain rule at this step",
        "pitfall_no_change": "On this graph the naive loop gives the same grads.",
        "cli_second_order": ("The backward pass of {name} (second derivatives), as the "
                             "app's gradient graph steps it:"),
        "cli_missing_value": "no value for the variable '{name}': give it with --var {name}=0.5",
        "pitfall_overwrite": 'overwrite: x.grad = gx (before step 14)',
        "pitfall_inplace": 'in place: x.grad += gx (the note in step 14)',
        "pitfall_no_cleargrad": 'no cleargrad() before reusing x (step 14)',
        "pitfall_earlier": "Earlier, with the same inputs: {expr}, then backward()",
        "pitfall_earlier_same": "Earlier: this same backward(), once",
        "pitfall_no_generations": 'no generations: a plain stack (before step 16)',
        "pitfall_recursion": 'recursion instead of a loop (step 7 vs step 8)',
        "pitfall_why_overwrite": ("Step 14 of the book: a variable used twice gets a grad from "
            "each use; assigning instead of adding keeps only the last one."),
        "pitfall_why_inplace": ("Step 14's note: Add passes gy on unchanged, so x.grad and y.grad "
            "are one array; += then changes y.grad too. The book writes "
            "x.grad = x.grad + gx."),
        "pitfall_why_no_cleargrad": ("Step 14: grads accumulate, so a second backward() without "
            "x.cleargrad() adds to what the first one left."),
        "pitfall_why_no_generations": (
            "Step 16: with a plain stack a function can run before every grad of its "
            "output has arrived (marked *); generations make it wait."),
        "pitfall_why_recursion": (
            "Step 8: a recursive backward uses one Python frame per function; a long "
            "chain overflows the stack, the loop does not."),
        "pitfall_order": 'Order the naive loop runs: {order}',
        "pitfall_first": 'First difference at call {k} ({fn}).',
        "pitfall_naive": 'naive',
        "pitfall_real": 'real',
        "functions_1": "1 function", "functions_n": "{n:,} functions",
        "pitfall_error": 'The recursive backward stops: {error}',
        "pitfall_recursion_fits": (
            "This graph's deepest path has {depth}: a recursive backward fits in "
            "Python's stack. On a chain of {n:,} functions it stops with: {error}"),
    },
    "ko": {
        "before_backward": "역전파 전 (0/{n}): 출력의 기울기를 1로 둡니다",
        "backward_step": "{k}/{n}단계: 세대 {gen}의 {names} 실행",
        "before_forward": "순전파 전 (0/{n}): 입력만 값이 있습니다",
        "forward_step": "순전파 {k}/{n}단계: 세대 {gen}의 {names} 실행",
        "no_steps": "역전파할 것이 없습니다: 출력이 입력이거나 상수입니다",
        "before_recorded": ("역전파 전 (0/{n}): 여러분의 backward를 한 번 실행해({source}) "
                            "호출 {n}개를 모두 기록했습니다"),
        "recorded_step": "{n}번 중 {k}번째 호출: 여러분의 backward가 {names}을(를) 실행",
        "before_replayed": ("다시 보기 (0/{n}): 역전파가 이미 끝난 그래프라서, 각 함수의 "
                            "backward를 기울기의 복사본으로 다시 실행합니다. 여러분의 객체는 "
                            "그대로입니다"),
        "replayed_step": "다시 보기 {k}/{n}: {names}",
        "backward_raised": "그다음 backward에서 {error} 오류가 났습니다: 여기서 멈춥니다.",
        "title_backward": "{what}의 역전파", "title_big": "{name} (함수 {n:,}개)",
        "the_output": "출력",
        "rule_gives": "(≠ {value}: 공식으로 계산한 값과 다릅니다. 이 backward를 확인하세요)",
        "more_terms": "… (항 {n:,}개 더)",
        "the_seed": "역전파의 시작값",
        "then_freed": "그 뒤 해제됨: retain_grad=False",
        "no_grad_yet_story": "아직 없음 (기울기를 보낸 함수가 없습니다)",
        "widget_step_clamped": ("{asked}단계는 범위 밖입니다: 프레임은 0..{last}입니다. "
                                "{shown}단계를 보여 줍니다"),
        "widget_missing": ('여기서는 viz.show(y, steps=True)가 HTML 플레이어입니다. 양방향 위젯'
                           '(w.step, w.selected)을 쓰려면 pip install "autograd-viz[notebook]"'),
        "step_not_drawn": "(이 단계의 함수는 노드 하나로 요약된 부분에 있습니다)",
        "cmp_title": "나란히 보기: {what}",
        "cmp_how": ("왼쪽 역전파를 넘기세요(키, 버튼). 오른쪽은 자기 역전파의 같은 지점으로 "
                    "따라갑니다."),
        "cmp_input": "입력", "cmp_missing": "두 그래프에 모두 있지 않음",
        "cmp_same": "두 역전파의 기울기가 같습니다.",
        "cmp_differ": "기울기가 다릅니다(✘ 표시).",
        "first": "처음", "prev": "이전", "play": "재생", "pause": "일시 정지",
        "next": "다음", "last": "마지막", "step": "단계", "zoom_in": "확대",
        "zoom_out": "축소", "fit": "화면 맞춤", "fullscreen": "전체 화면",
        "exit_fullscreen": "전체 화면 끝내기", "collapse": "접기", "expand": "펼치기",
        "order": "{order}차 미분",
        "keys": ("단축키: ← → Home End Space, + − 0(화면 맞춤) · 드래그로 이동, 휠로 "
                 "확대/축소, 노드를 클릭해 선택"),
        "keys_locked": ("단계는 선생님이 넘깁니다. 단축키: + − 0(화면 맞춤) · 드래그로 이동, "
                        "휠로 확대/축소, 노드를 클릭해 선택"),
        "keys_follows": ("짝이 된 그래프를 따라갑니다. 단계는 그쪽에서 넘기세요. 단축키: + − "
                         "0(화면 맞춤) · 드래그로 이동, 휠로 확대/축소, 노드를 클릭해 선택"),
        "forward": "순전파", "backward": "역전파",
        "broken": "이 그래프를 보여 줄 수 없습니다: {reason}",
        "selected": "선택됨", "legend": "범례", "graph": "계산 그래프",
        "summary": "{shape} 최소 {lo} 최대 {hi} 평균 {mean}",
        "array_stats": "최소 {lo} 최대 {hi} 평균 {mean}",
        "all_nonfinite": "모두 NaN 또는 무한대", "nonfinite_count": "NaN 또는 무한대 {n}개",
        "nan": "NaN(정의되지 않은 값)", "inf": "무한대", "neg_inf": "음의 무한대",
        "generic_rule": "(이 연산은 공식을 선언하지 않았습니다; gy = {gy}에서)",
        "output_of": "{fn} 출력", "a_leaf": "입력", "grad_of": "{name}의 기울기",
        "group_params": "매개변수 {n:,}개", "group_in": "입력: {names}",
        "group_out": "출력: {names}",
        "from_fn": "{fn}에서", "earlier_grad": "이전 역전파에서 남은 값",
        "so_far": "지금까지 {total}개 중 {got}개", "chain_rule": "이 단계의 연쇄 법칙",
        "pitfall_no_change": "이 그래프에서는 단순한 방식도 같은 기울기를 줍니다.",
        "cli_second_order": "{name}의 역전파(2차 미분), 앱의 기울기 계산 그래프와 같은 순서:",
        "cli_missing_value": "변수 '{name}'의 값이 없습니다. --var {name}=0.5처럼 주세요",
        "pitfall_overwrite": '덮어쓰기: x.grad = gx (14단계 전)',
        "pitfall_inplace": '제자리 연산(in-place): x.grad += gx (14단계의 주의)',
        "pitfall_no_cleargrad": 'x를 다시 쓰기 전 cleargrad() 없음 (14단계)',
        "pitfall_earlier": "앞서 같은 입력으로: {expr}, 그다음 backward()",
        "pitfall_earlier_same": "앞서: 같은 backward()를 한 번",
        "pitfall_no_generations": '세대 없음: 단순한 스택 (16단계 전)',
        "pitfall_recursion": '반복문 대신 재귀 (7단계와 8단계)',
        "pitfall_why_overwrite": ("책의 14단계: 두 번 쓰인 변수는 쓰일 때마다 기울기를 "
            "받습니다. 더하지 않고 대입하면 마지막 것만 남습니다."),
        "pitfall_why_inplace": ("14단계의 주의: Add는 gy를 그대로 넘기므로 x.grad와 "
            "y.grad가 같은 배열이 됩니다. +=는 y.grad까지 바꿉니다. "
            "책은 x.grad = x.grad + gx로 씁니다."),
        "pitfall_why_no_cleargrad": ("14단계: 기울기는 누적되므로 x.cleargrad() 없이 "
            "backward()를 다시 하면 앞의 결과에 더해집니다."),
        "pitfall_why_no_generations": ("16단계: 단순한 스택에서는 출력의 기울기가 다 도착하기 "
            "전에 함수가 실행될 수 있습니다(* 표시). 세대가 이를 "
            "기다리게 합니다."),
        "pitfall_why_recursion": ("8단계: 재귀 역전파는 함수마다 파이썬 프레임을 하나씩 "
            "씁니다. 긴 연쇄에서는 스택이 넘치지만 반복문은 그렇지 "
            "않습니다."),
        "pitfall_order": '단순한 방식의 실행 순서: {order}',
        "pitfall_first": '{k}번째 호출({fn})에서 처음 달라집니다.',
        "pitfall_naive": '단순',
        "pitfall_real": '실제',
        "functions_1": "함수 1개", "functions_n": "함수 {n:,}개",
        "pitfall_error": '재귀 역전파가 멈춥니다: {error}',
        "pitfall_recursion_fits": (
            "이 그래프의 깊이는 {depth}라 재귀 역전파도 파이썬 스택에 "
            "들어갑니다. 함수 {n:,}개의 연쇄에서는 이렇게 멈춥니다: {error}"),
    },
}

PLAYER_KEYS = ("first", "prev", "play", "pause", "next", "last", "step", "zoom_in", "zoom_out",
               "fit", "fullscreen", "exit_fullscreen", "keys", "forward", "backward",
               "broken", "selected", "legend", "chain_rule", "collapse", "expand",
               "graph", "keys_locked", "keys_follows")


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
