"""The Korean a native reader asked for (issue "The classroom app as a teacher and a class
found it", the Korean table): each row's wording is what the page shows, and the English
it replaced on a Korean page is gone."""

from __future__ import annotations

import json

import numpy as np
import pytest

import viz
from autograd_core import Variable
from autograd_core.layers import Linear
from classroom import panel
from classroom.i18n import t as ct
from classroom.lesson import LessonSpec, lesson_for
from classroom.view import page_css
from viz.i18n import player_words
from viz.i18n import t as vt
from viz.model.bigraph import plan
from viz.model.explain import grad_name
from viz.model.graph import collect
from viz.model.groups import box_lines, find_groups
from viz.model.pitfalls import run
from viz.render.dot import drawing_edges
from viz.render.style import fmt_array

# (catalogue, key, parameters, what the Korean page says)
ROWS = [
    (ct, "quiz_wrong", {"guess": 1, "label": "x.grad", "answer": 2},
     "✘ 아쉬워요. 입력한 값: 1 · 정답: x.grad = 2"),
    (ct, "quiz_ask", {"k": 3, "label": "x.grad"}, "3단계가 끝나면 x.grad은(는) 얼마일까요?"),
    (ct, "quiz_highlighted", {"element": ""}, "강조 표시된 변수의 기울기"),
    (ct, "quiz_score", {"right": 2, "asked": 3}, "점수: 3문제 중 2문제 정답"),
    (ct, "tally", {"count": 4, "right": 3, "percent": 75.0}, "4명 응답 · 3명 정답 (75%)"),
    (ct, "class_reveal", {}, "정답 공개 ▶"),
    (ct, "room_student", {"code": "ABC234"},
     "**ABC234** 방에 참여 중입니다. 단계는 선생님이 넘깁니다."),
    (ct, "room_error_bad_code", {}, "방 코드는 ABC234처럼 영문자와 숫자 6자리입니다."),
    (ct, "grad_final", {}, "확정"),
    (ct, "not_final", {}, "(아직 확정 전)"),
    (ct, "pitfall", {}, "만약… (책에서 개선하기 전의 단순한 역전파)"),
    (ct, "train_step", {}, "반복 1회 자세히 보기"),
    (ct, "train_scrub", {}, "지난 반복 다시 보기"),
    (ct, "train_fit_chart", {}, "모델의 예측"),
    (ct, "dataset_moons", {}, "반달 두 개 (클래스 2개)"),
    (ct, "dl_reason", {"nodes": 1200, "frames": 40, "limit": 40000},
     "노드 1,200개 × 프레임 40개가 40,000을 넘습니다"),
    (vt, "last", {}, "마지막"),
    (vt, "pause", {}, "일시 정지"),
    (vt, "fit", {}, "화면 맞춤"),
    (vt, "keys", {}, "단축키: ← → Home End Space, + − 0(화면 맞춤) · 드래그로 이동, 휠로 "
                     "확대/축소, 노드를 클릭해 선택"),
    (vt, "graph", {}, "계산 그래프"),
    (vt, "pitfall_inplace", {}, "제자리 연산(in-place): x.grad += gx (14단계의 주의)"),
]


@pytest.mark.parametrize(("catalogue", "key", "params", "korean"), ROWS,
                         ids=[row[1] for row in ROWS])
def test_each_row_reads_as_the_native_reader_wrote_it(catalogue, key, params, korean):
    assert catalogue(key, "ko", **params) == korean


def test_the_gradient_graph_and_the_walkthrough_name_what_the_page_shows():
    assert ct("higher", "ko").startswith("기울기 계산 그래프")
    assert "**다음 ▶**" in ct("walkthrough_text", "ko")  # the button's own label
    assert "**Next ▶**" in ct("walkthrough_text", "en")
    assert player_words("ko")["next"] + " ▶" == "다음 ▶"  # (player.js adds the arrow)
    assert "pause" in player_words("ko") and player_words("ko")["pause"] == ct("train_pause", "ko")


def test_legend_and_nodes_say_not_run_yet_and_settled():
    from autograd_core import exp, square

    x = Variable(np.array(0.5), name="x")
    text = viz.Scene(viz.BackwardReplay(square(exp(square(x)))), lang="ko",
                     engine="layered").to_json()
    assert "아직 실행 전" in text and "기울기 확정" in text
    assert "도달 전" not in text and "완성" not in text


def test_unnamed_variables_and_their_grads_read_as_korean():
    built = lesson_for(LessonSpec.make("a = square(x)\ny = square(a) + square(a)", {"x": "2"}))
    assert panel.variable_label(built, "v2", "ko") == "Square #2 출력 = 16"
    lines = panel.grad_sum(built, built.n_steps, "v2", "ko").lines("ko")
    assert lines[0].startswith("Square #2 출력의 기울기 = ")  # words, not code
    assert panel.grad_sum(built, built.n_steps, "v1", "ko").lines("ko")[0].startswith("`a.grad`")
    assert grad_name("Square 출력", "ko") == "Square 출력의 기울기"
    assert grad_name("입력", "ko") == "입력의 기울기"
    assert grad_name("x", "ko") == "x.grad" and grad_name("Square's output", "en") == \
        "Square's output.grad"
    # the pitfall's comparison lines too: an unnamed variable used twice
    from autograd_core import square

    x = Variable(np.array(3.0), name="x")
    a = square(x)
    replay = viz.BackwardReplay(a + a)
    lines = run(replay, "overwrite").lines(replay, "ko")
    assert any(line.startswith("Square 출력의 기울기: 1 (") for line in lines), lines
    assert any(line.startswith("x.grad: ") for line in lines)


def test_arrays_are_summarised_in_korean_on_the_nodes():
    big = np.arange(12.0).reshape(3, 4)
    assert fmt_array(big, lang="ko")[-1] == "최소 0 최대 11 평균 5.5"
    assert fmt_array(big)[-1] == "min 0 max 11 mean 5.5"
    x = Variable(big, name="W")
    scene = viz.Scene(viz.BackwardReplay((x * 2).sum()), lang="ko", engine="layered")
    payload = scene.to_json()
    assert "최소 0 최대 11 평균 5.5" in payload and "min 0" not in payload


def test_a_collapsed_layer_reads_as_korean():
    from autograd_core import functions as F

    layer = Linear(3, in_size=2)
    x = Variable(np.ones((100, 2)), name="x")
    y = F.sum(layer(x))
    drawing = plan(collect(y))
    groups = find_groups(drawing, drawing_edges(drawing))
    assert groups
    lines = box_lines(groups[0], {}, "ko")
    assert lines[1] == "매개변수 9개" and lines[2].startswith("입력: ") \
        and lines[3].startswith("출력: ")
    english = box_lines(groups[0], {}, "en")
    assert english[1] == "9 params" and english[2].startswith("in: ")
    scene = viz.Scene(viz.BackwardReplay(y), lang="ko", engine="layered", collapse=("all",))
    rows = json.loads(scene.to_json())["groups"]
    assert any("매개변수 9개" in row[6] for row in rows)


def test_table_headers_keep_korean_words_whole():
    assert "th,td{word-break:keep-all}" in page_css(False)
