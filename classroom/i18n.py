"""Every piece of interface text, in English and Korean.

Expression errors are worded by ``exprlang`` (``exprlang.messages``) and frame
captions / legend words by ``viz``; everything else the page says is here.
"""

from __future__ import annotations

from exprlang import ExpressionError
from exprlang.messages import format_error

LANGUAGES: dict[str, str] = {"en": "English", "ko": "한국어"}

TEXT: dict[str, dict[str, str]] = {
    # --- page and sidebar ---------------------------------------------------------------------
    "page_title": {"en": "Backprop, step by step", "ko": "역전파 한 단계씩"},
    "title": {"en": "Watch backpropagation, step by step",
              "ko": "역전파를 한 단계씩 살펴보기"},
    "language": {"en": "Language / 언어", "ko": "언어 / Language"},
    "preset": {"en": "Example", "ko": "예제"},
    "custom": {"en": "(your own expression)", "ko": "(직접 입력한 식)"},
    "higher": {"en": "Gradient graph (create_graph=True)",
               "ko": "기울기 계산 그래프 (create_graph=True)"},
    "higher_help": {"en": "Draw the graph that computes dy/dx and step its own backward pass: "
                          "that pass gives the second derivative. Functions of each derivative "
                          "order get their own border colour.",
                    "ko": "dy/dx를 계산하는 그래프를 그리고, 그 그래프의 역전파를 단계별로 "
                          "봅니다. 이 역전파가 2차 미분을 줍니다. 미분 차수마다 함수 테두리 "
                          "색이 다릅니다."},
    "wrt": {"en": "Differentiate with respect to", "ko": "미분할 변수"},
    "projector": {"en": "Projector mode (large text)", "ko": "프로젝터 모드 (큰 글씨)"},
    "rankdir": {"en": "Graph direction", "ko": "그래프 방향"},
    "rankdir_auto": {"en": "automatic (top → bottom on narrow screens)",
                     "ko": "자동 (좁은 화면에서는 위 → 아래)"},
    "rankdir_LR": {"en": "left → right", "ko": "왼쪽 → 오른쪽"},
    "rankdir_TB": {"en": "top → bottom", "ko": "위 → 아래"},
    "max_nodes": {"en": "Largest graph drawn in full (nodes)",
                  "ko": "전체를 그릴 최대 그래프 크기 (노드 수)"},
    "max_nodes_help": {"en": "Bigger graphs are simplified (chains collapsed, or only the "
                             "newest part drawn) and a notice says what was left out.",
                       "ko": "이보다 큰 그래프는 간단히 그립니다(연쇄를 한 노드로 묶거나 "
                             "최근 부분만 그림). 무엇을 생략했는지 안내합니다."},
    "advanced": {"en": "Display options", "ko": "표시 옵션"},
    "open_at": {"en": "A new lesson opens", "ko": "새 식을 열 때 시작 위치"},
    "open_at_backward": {"en": "before backward", "ko": "역전파 전"},
    "open_at_forward": {"en": "before forward", "ko": "순전파 전"},
    "quiz": {"en": "Predict, then reveal (quiz)", "ko": "예측하고 확인하기 (퀴즈)"},
    "torch_side": {"en": "The same in PyTorch", "ko": "PyTorch로도 보기"},
    "torch_side_help": {"en": "Build the expression with PyTorch too and step its backward "
                              "pass (MulBackward0, AccumulateGrad...) beside this one; the "
                              "inputs' grads of both are compared.",
                        "ko": "같은 식을 PyTorch로도 만들어 그 역전파(MulBackward0, "
                              "AccumulateGrad...)를 이 역전파와 나란히 넘겨 봅니다. 두 "
                              "역전파의 입력 기울기를 비교합니다."},
    "torch_title": {"en": "The same in PyTorch (it follows your steps)",
                    "ko": "PyTorch의 같은 계산 (여러분의 단계를 따라갑니다)"},
    "torch_missing": {"en": "PyTorch is not installed on this server. Add it with: {detail}",
                      "ko": "이 서버에는 PyTorch가 설치되어 있지 않습니다. 설치: {detail}"},
    "torch_higher_order": {"en": "PyTorch's side shows the first backward pass only: switch "
                                 "off the gradient graph to see it.",
                           "ko": "PyTorch 쪽은 첫 번째 역전파만 보여 줍니다. 기울기 계산 "
                                 "그래프를 끄면 볼 수 있습니다."},
    "torch_not_here": {"en": "This graph is generated, not typed: PyTorch's side needs an "
                             "expression.",
                       "ko": "이 그래프는 생성된 그래프라서 PyTorch 쪽에 보여 줄 식이 "
                             "없습니다."},
    "torch_cannot": {"en": "PyTorch could not build this expression ({detail}).",
                     "ko": "PyTorch로 이 식을 만들 수 없습니다 ({detail})."},
    "torch_quiz": {"en": "Hidden during the quiz: PyTorch's grads would give the answers away.",
                   "ko": "퀴즈 중에는 숨깁니다. PyTorch의 기울기가 정답을 알려 주기 때문입니다."},
    "torch_same": {"en": "Both engines give the same grads: {rows}.",
                   "ko": "두 엔진의 기울기가 같습니다: {rows}."},
    "torch_differ": {"en": "The grads differ: {rows}.", "ko": "기울기가 다릅니다: {rows}."},
    "quiz_help": {"en": "Before each backward step, predict one grad it computes; Reveal shows "
                        "whether you were right, with the chain rule.",
                  "ko": "역전파 각 단계 전에 그 단계가 계산할 기울기 하나를 예측합니다. "
                        "확인을 누르면 연쇄 법칙과 함께 정답 여부를 보여 줍니다."},
    "quiz_ask": {"en": "Predict {label} after step {k}",
                 "ko": "{k}단계가 끝나면 {label}은(는) 얼마일까요?"},
    "quiz_highlighted": {"en": "the grad{element} of the highlighted variable",
                         "ko": "강조 표시된 변수의 기울기{element}"},
    "quiz_placeholder": {"en": "a number, 1/2 or 3e-2", "ko": "숫자, 1/2, 3e-2 등"},
    "quiz_reveal": {"en": "Reveal ▶", "ko": "확인 ▶"},
    "quiz_right": {"en": "✔ Right: {label} = {answer}", "ko": "✔ 정답: {label} = {answer}"},
    "quiz_wrong": {"en": "✘ Not quite: you said {guess}; {label} = {answer}",
                   "ko": "✘ 아쉬워요. 입력한 값: {guess} · 정답: {label} = {answer}"},
    "quiz_score": {"en": "Score: {right} of {asked}",
                   "ko": "점수: {asked}문제 중 {right}문제 정답"},
    "quiz_error_empty": {"en": "Type a number first (e.g. 0.5, 1/2 or 3e-2).",
                         "ko": "먼저 숫자를 입력하세요 (예: 0.5, 1/2, 3e-2)."},
    "quiz_error_too_long": {"en": "That answer is too long: a number, please.",
                            "ko": "답이 너무 깁니다. 숫자 하나만 입력하세요."},
    "quiz_error_not_a_number": {"en": "That is not a number: write e.g. 0.5, -2, 1/2 or 3e-2.",
                                "ko": "숫자가 아닙니다. 0.5, -2, 1/2, 3e-2처럼 쓰세요."},
    "quiz_error_divide_by_zero": {"en": "A fraction cannot divide by 0.",
                                  "ko": "분모가 0인 분수는 쓸 수 없습니다."},
    "class": {"en": "Class", "ko": "수업"},
    "start_class": {"en": "▶ Start a class", "ko": "▶ 수업 시작"},
    "room_code": {"en": "Room code", "ko": "방 코드"},
    "join_class": {"en": "Join", "ko": "참여"},
    "room_teacher": {"en": "You are teaching room **{code}**: students join with this code.",
                     "ko": "**{code}** 방에서 수업 중입니다. 학생은 이 코드로 참여합니다."},
    "room_student": {"en": "You follow room **{code}**: the teacher steps.",
                     "ko": "**{code}** 방에 참여 중입니다. 단계는 선생님이 넘깁니다."},
    "copy_student_link": {"en": "Copy the students' link", "ko": "학생용 링크 복사"},
    "copy_teacher_link": {"en": "Copy my teacher's link (private)",
                          "ko": "내 교사용 링크 복사 (비공개)"},
    "teacher_link_private": {"en": "Your teacher's link drives the room from another device: "
                                   "keep it to yourself. Every other link leaves it out.",
                             "ko": "교사용 링크로는 다른 기기에서도 방을 진행할 수 있으니 "
                                   "혼자만 간직하세요. 다른 링크에는 들어가지 않습니다."},
    "end_class": {"en": "End the class (leave the room)", "ko": "수업 끝내기 (방 나가기)"},
    "leave_class": {"en": "Leave the room", "ko": "방 나가기"},
    "room_error_too_many_answers": {
        "en": "Too many students have answered this question from this network.",
        "ko": "이 네트워크에서 이 문제에 답한 학생이 너무 많습니다."},
    "room_error_unreachable": {"en": "The class could not be reached: try again in a moment.",
                               "ko": "수업에 연결하지 못했습니다. 잠시 후 다시 시도하세요."},
    "reconnecting": {"en": "Reconnecting to the class…", "ko": "수업에 다시 연결하는 중…"},
    "reconnecting_teacher": {
        "en": "Reconnecting to the class… Your steps reach the students once it is back.",
        "ko": "수업에 다시 연결하는 중… 연결되면 진행한 단계가 학생들에게 전해집니다."},
    "room_error_ended": {"en": "That class has ended.", "ko": "그 수업은 끝났습니다."},
    "room_ended": {"en": "The teacher ended the class. This page is your own again, on the "
                         "class's last lesson.",
                   "ko": "선생님이 수업을 끝냈습니다. 이제 이 페이지는 다시 내 것이며, 수업의 "
                         "마지막 내용이 그대로 있습니다."},
    "teacher_gone": {"en": "The teacher's page has been closed for a while: the class may be "
                           "over. The last step stays here; “Leave the room” gives you your "
                           "own page.",
                     "ko": "선생님 페이지가 한동안 닫혀 있습니다. 수업이 끝났을 수 있습니다. "
                           "마지막 단계는 그대로 있고, “방 나가기”를 누르면 내 페이지로 "
                           "돌아갑니다."},
    "room_gone": {"en": "That room does not exist or has expired.",
                  "ko": "그 방이 없거나 만료되었습니다."},
    "room_error_bad_code": {"en": "A room code is six letters and digits, e.g. ABC234.",
                            "ko": "방 코드는 ABC234처럼 영문자와 숫자 6자리입니다."},
    "room_error_no_room": {"en": "No room has that code (or it has expired).",
                           "ko": "그 코드의 방이 없습니다 (또는 만료되었습니다)."},
    "room_error_too_many_joins": {"en": "Too many tries: wait a minute and join again.",
                                  "ko": "시도가 너무 많습니다. 1분 뒤에 다시 참여하세요."},
    "room_error_too_many_rooms": {"en": "The server has too many rooms open right now.",
                                  "ko": "지금 서버에 열린 방이 너무 많습니다."},
    "room_error_room_full": {"en": "This question already has the most answers a room keeps.",
                             "ko": "이 질문은 방이 받을 수 있는 최대 답변 수에 도달했습니다."},
    "room_error_bad_answer": {"en": "That answer is not a finite number.",
                              "ko": "유한한 숫자가 아닙니다."},
    "room_error_view_too_big": {"en": "This lesson is too big to share in a room.",
                                "ko": "이 식은 방에서 공유하기에 너무 큽니다."},
    "room_error_not_teacher": {"en": "Only the teacher can change the room.",
                               "ko": "방은 선생님만 바꿀 수 있습니다."},
    "tally": {"en": "{count} answered, {right} right ({percent:.0f}%)",
              "ko": "{count}명 응답 · {right}명 정답 ({percent:.0f}%)"},
    "class_reveal": {"en": "Reveal to the class ▶", "ko": "정답 공개 ▶"},
    "send_answer": {"en": "Send my answer ▶", "ko": "답 보내기 ▶"},
    "answer_sent": {"en": "Your answer is in: wait for the teacher to reveal.",
                    "ko": "답을 보냈습니다. 선생님이 공개할 때까지 기다리세요."},
    "copy_link": {"en": "Copy link to this view", "ko": "이 화면의 링크 복사"},
    "copied": {"en": "✔ Link copied", "ko": "✔ 링크를 복사했습니다"},
    "link_problems": {"en": "Part of the link could not be used and was left out: {keys}.",
                      "ko": "링크의 일부를 쓸 수 없어 빼고 열었습니다: {keys}."},
    "expression_box": {"en": "Expression and values", "ko": "식과 값"},
    "walkthrough": {"en": "How to use", "ko": "사용법"},
    "walkthrough_text": {
        "en": "1. Pick an **Example** or type an expression, and set the values.\n"
              "2. Press **Next ▶**: one generation of the backward pass runs. The functions "
              "that run are orange with a thick border; a variable's grad is yellow (dashed) "
              "while only part of it has arrived and green (bold) once it is final.\n"
              "3. The panel under the graph shows the queue of functions still to run and how "
              "the chosen variable's grad is a sum of contributions.\n"
              "4. At the end, compare every input's grad with numerical differentiation.\n"
              "5. Switch on the gradient graph to differentiate a second time.",
        "ko": "1. **예제**를 고르거나 식을 입력하고 값을 정합니다.\n"
              "2. **다음 ▶**을 누르면 역전파가 한 세대씩 진행됩니다. 실행되는 함수는 굵은 "
              "테두리의 주황색이고, 변수의 기울기는 일부만 도착했을 때 노란색(점선), 모두 "
              "도착하면 초록색(굵은 선)입니다.\n"
              "3. 그래프 아래 패널에서 아직 실행할 함수의 대기열과, 고른 변수의 기울기가 "
              "기여들의 합으로 만들어지는 과정을 봅니다.\n"
              "4. 끝까지 진행한 뒤 입력 변수의 기울기를 수치 미분과 비교합니다.\n"
              "5. 기울기 계산 그래프를 켜면 한 번 더 미분할 수 있습니다."},
    # --- expression and values ----------------------------------------------------------------
    "expression": {"en": "Expression (one per line: a = square(x), then y = exp(a) + a)",
                   "ko": "식 (한 줄에 하나씩: a = square(x), 그다음 y = exp(a) + a)"},
    "expression_help": {"en": "Numbers, variables, + - * / **, @ (matrix product: x @ W is "
                              "matmul(x, W)), parentheses and the functions: "
                              "{functions} (written as in the book, F.tanh(x), works too). "
                              "Press Ctrl+Enter to apply.",
                        "ko": "숫자, 변수, + - * / **, @(행렬 곱: x @ W는 matmul(x, W)), "
                              "괄호와 다음 함수를 쓸 수 있습니다: "
                              "{functions} (책처럼 F.tanh(x)로 써도 됩니다). "
                              "Ctrl+Enter로 적용합니다."},
    "loading_controls": {"en": "Loading the controls…", "ko": "조작 도구를 불러오는 중…"},
    "values": {"en": "Values", "ko": "값"},
    "value_help": {"en": "A number like 0.5 or 1/2, or a list like [1, 2, 3] or "
                         "[[1, 2], [3, 4]].",
                   "ko": "0.5나 1/2 같은 숫자, 또는 [1, 2, 3]이나 [[1, 2], [3, 4]] 같은 목록."},
    "no_inputs": {"en": "(no variables)", "ko": "(변수 없음)"},
    "value_error": {"en": "The value of {name}: {message}", "ko": "{name}의 값: {message}"},
    "understood": {"en": "Understood as", "ko": "해석한 식"},
    # --- stepping -------------------------------------------------------------------------------
    "frame": {"en": "Step {k} of {n}", "ko": "{n}단계 중 {k}단계"},
    "nothing_upstream": {"en": "The output is a plain value that no function made: there is no "
                               "backward pass to step.",
                         "ko": "출력이 함수로 만들어진 값이 아니라서 단계별로 볼 역전파가 "
                               "없습니다."},
    # --- graph ---------------------------------------------------------------------------------
    "big_graph": {"en": "This graph has {size:,} nodes, more than the {limit:,} drawn in full: "
                        "{notice}. (Display options in the sidebar change the limit.)",
                  "ko": "이 그래프는 노드가 {size:,}개로, 전체를 그리는 한도 {limit:,}개보다 "
                        "큽니다: {notice}. (사이드바의 표시 옵션에서 한도를 바꿀 수 있습니다.)"},
    "stale_graph": {"en": "The graph below is the last one that worked, dimmed until the "
                          "expression is fixed.",
                    "ko": "아래 그래프는 마지막으로 잘 그려진 것입니다. 식을 고칠 때까지 "
                          "흐리게 보입니다."},
    "stale_graph_value": {"en": "The graph below is the last one that worked, dimmed until "
                                "the value of {name} is fixed.",
                          "ko": "아래 그래프는 마지막으로 잘 그려진 것입니다. {name}의 값을 "
                                "고칠 때까지 흐리게 보입니다."},
    "layout_fallback": {"en": "Drawn with a simpler layout (straight edges) because Graphviz "
                              "did not finish: {reason}",
                        "ko": "Graphviz가 끝나지 않아 더 간단한 배치(곧은 선)로 그렸습니다: "
                              "{reason}"},
    "trouble_forward": {"en": "Numerical trouble: {op} gave {kind} (line {line}, column {col}). "
                              "Its node has a vermillion border; the graph can still be "
                              "stepped.",
                        "ko": "수치 문제: {op}의 결과가 {kind}입니다({line}번째 줄, "
                              "{col}번째 글자). 해당 노드 테두리가 주홍색입니다. 역전파는 계속 "
                              "살펴볼 수 있습니다."},
    "trouble_backward": {"en": "Numerical trouble in the backward pass: {op}'s backward gave "
                               "{kind} (step {step}).",
                         "ko": "역전파 중 수치 문제: {op}의 역전파 결과가 {kind}입니다"
                               "({step}단계)."},
    "and": {"en": " and ", "ko": ", "},
    "kind_nan": {"en": "NaN (not a number)", "ko": "NaN(정의되지 않은 값)"},
    "kind_inf": {"en": "infinity", "ko": "무한대"},
    # --- side panel -----------------------------------------------------------------------------
    "queue": {"en": "Queue: functions still to run", "ko": "대기열: 아직 실행할 함수"},
    "queue_forward": {"en": "(the forward pass is running: the queue starts with the backward "
                            "pass)",
                      "ko": "(순전파 중입니다: 대기열은 역전파에서 시작합니다)"},
    "queue_empty": {"en": "(empty: nothing left to run)", "ko": "(비어 있음: 더 실행할 함수 없음)"},
    "queue_row": {"en": "{name} (generation {gen})", "ko": "{name} (세대 {gen})"},
    "selected": {"en": "Where does this grad come from?", "ko": "이 기울기는 어디서 왔을까?"},
    "grad_none": {"en": "no grad has reached it yet", "ko": "아직 기울기가 도착하지 않았습니다"},
    "grad_seed": {"en": "the output: its grad is seeded with 1", "ko": "출력: 기울기를 1로 둡니다"},
    "grad_from": {"en": "from {fn}", "ko": "{fn}에서"},
    "grad_partial": {"en": "partial: {got} of {total} contributions so far",
                     "ko": "일부: 기여 {total}개 중 {got}개 도착"},
    "grad_final": {"en": "final", "ko": "확정"},
    # --- leaf table ------------------------------------------------------------------------------
    "leaf_table": {"en": "Input grads vs. numerical differentiation",
                   "ko": "입력 변수의 기울기와 수치 미분 비교"},
    "leaf_table_higher": {"en": "Second derivatives: grads of {target} vs. numerical "
                                "differentiation",
                          "ko": "2차 미분: {target}의 기울기와 수치 미분 비교"},
    "col_var": {"en": "variable", "ko": "변수"},
    "col_value": {"en": "value", "ko": "값"},
    "col_grad": {"en": "backprop grad", "ko": "역전파 기울기"},
    "col_num": {"en": "numerical grad", "ko": "수치 미분"},
    "col_check": {"en": "check", "ko": "확인"},
    "pass": {"en": "✔ pass", "ko": "✔ 일치"},
    "fail": {"en": "✘ fail", "ko": "✘ 불일치"},
    "skipped": {"en": "— not checked (too many elements)", "ko": "— 확인 안 함 (원소가 너무 많음)"},
    "not_final": {"en": "(not final yet)", "ko": "(아직 확정 전)"},
    "after_quiz": {"en": "(after the quiz)", "ko": "(퀴즈가 끝나면)"},
    "pitfall_after_quiz": {"en": "Shown after the quiz: the real grads beside the naive ones "
                                 "would give the answers away.",
                           "ko": "퀴즈가 끝나면 보입니다. 단순한 역전파 옆의 실제 기울기가 "
                                 "정답을 알려 주기 때문입니다."},
    "dl_after_quiz": {"en": "After the quiz: the whole pass holds every answer.",
                      "ko": "퀴즈가 끝나면 받을 수 있습니다. 역전파 전체에 모든 정답이 들어 "
                            "있습니다."},
    # --- "what if...": the picker (the pitfalls' own words are viz.i18n's) ---
    "pitfall": {"en": "What if… (a naive backward the book replaces)",
                "ko": "만약… (책에서 개선하기 전의 단순한 역전파)"},
    "pitfall_none": {"en": "— the real backward only —", "ko": "— 실제 역전파만 —"},
    "pitfall_not_here": {
        "en": "This pitfall does not change anything on this graph (no variable is used "
              "twice, or no function has to wait). Try the example “{example}”.",
        "ko": "이 그래프에서는 이 함정이 결과를 바꾸지 않습니다(두 번 쓰인 변수나 "
              "기다려야 하는 함수가 없음). 예제 “{example}”에서 확인해 보세요."},
    # --- Newton ----------------------------------------------------------------------------------
    "newton": {"en": "Newton's method", "ko": "뉴턴 방법"},
    "newton_formula": {"en": "One step from {x} = {x0}:  {x} − f′({x}) / f″({x}) = {x0} − "
                             "({d1}) / ({d2}) = **{x1}**",
                       "ko": "{x} = {x0}에서 한 단계:  {x} − f′({x}) / f″({x}) = {x0} − "
                             "({d1}) / ({d2}) = **{x1}**"},
    "newton_apply": {"en": "Take the step: {x} ← {x1}", "ko": "한 단계 이동: {x} ← {x1}"},
    "newton_far": {"en": "f″({x}) = {d2} is almost 0 here (an inflection point?): the step "
                         "would jump from {x0} to {x1}. Newton's method is not reliable "
                         "where f″ is near 0; try another starting value.",
                   "ko": "여기서 f″({x}) = {d2}로 거의 0입니다(변곡점?). 한 단계에 {x0}에서 "
                         "{x1}(으)로 멀리 뛰게 됩니다. f″가 0에 가까운 곳에서는 뉴턴 방법을 "
                         "믿기 어려우니 다른 시작값을 써 보세요."},
    "newton_not_finite": {"en": "f′({x}) or f″({x}) is not finite here (NaN or infinity): "
                                "Newton's method cannot take a step.",
                          "ko": "여기서 f′({x}) 또는 f″({x})가 유한하지 않습니다(NaN 또는 "
                                "무한대). 뉴턴 방법으로 이동할 수 없습니다."},
    "newton_wait": {"en": "Step the backward pass to the end: it computes f″({x}), which the "
                          "step needs.",
                    "ko": "역전파를 끝까지 진행하세요. 그래야 이 단계에 필요한 f″({x})가 "
                          "계산됩니다."},
    "newton_flat": {"en": "f″({x}) is 0 here: Newton's method cannot take a step.",
                    "ko": "여기서 f″({x})가 0이라 뉴턴 방법으로 이동할 수 없습니다."},
    # --- downloads -------------------------------------------------------------------------------
    "downloads": {"en": "Download", "ko": "내려받기"},
    "dl_dot": {"en": "This step: DOT", "ko": "이 단계: DOT"},
    "dl_svg": {"en": "This step: SVG", "ko": "이 단계: SVG"},
    "dl_png": {"en": "This step: PNG", "ko": "이 단계: PNG"},
    "dl_gif": {"en": "Whole pass: GIF", "ko": "전체 과정: GIF"},
    "dl_html": {"en": "Whole pass: HTML", "ko": "전체 과정: HTML"},
    "dl_dot_help": {"en": "Graphviz source of the graph on screen",
                    "ko": "화면에 보이는 그래프의 Graphviz 소스"},
    "dl_svg_help": {"en": "The graph on screen as a vector image",
                    "ko": "화면에 보이는 그래프의 벡터 이미지"},
    "dl_png_help": {"en": "The graph on screen as a picture, with the legend",
                    "ko": "화면에 보이는 그래프를 범례와 함께 그림으로"},
    "dl_gif_help": {"en": "Every step of the backward pass as an animation",
                    "ko": "역전파의 모든 단계를 애니메이션으로"},
    "dl_html_help": {"en": "One web page with a player for every step; works offline",
                     "ko": "모든 단계를 넘겨 볼 수 있는 웹 페이지 하나(오프라인에서도 동작)"},
    "dl_too_big": {"en": "Not offered for this graph: {reason}",
                   "ko": "이 그래프에는 제공하지 않습니다: {reason}"},
    "dl_reason_bytes": {"en": "the page would be {size:,} bytes, more than {limit:,}",
                        "ko": "페이지가 {size:,}바이트로 {limit:,}을 넘습니다"},
    "dl_reason": {"en": "{nodes:,} nodes × {frames:,} frames is more than {limit:,}",
                  "ko": "노드 {nodes:,}개 × 프레임 {frames:,}개가 {limit:,}을 넘습니다"},
    # --- the training page (classroom.training, classroom.pages.train) ---------------------
    "page": {"en": "Page", "ko": "페이지"},
    "page_lesson": {"en": "Backprop, step by step", "ko": "역전파 한 단계씩"},
    "page_train": {"en": "Train a network", "ko": "신경망 학습시키기"},
    "train_title": {"en": "Watch a network learn", "ko": "신경망이 배우는 모습 보기"},
    "train_settings": {"en": "The network and its training", "ko": "신경망과 학습 설정"},
    "train_dataset": {"en": "Dataset", "ko": "데이터셋"},
    "dataset_sin": {"en": "sin(2πx) + noise (step 43)", "ko": "sin(2πx) + 잡음 (43단계)"},
    "dataset_line": {"en": "line 5 + 2x + noise (step 42)", "ko": "직선 5 + 2x + 잡음 (42단계)"},
    "dataset_moons": {"en": "two moons (2 classes)", "ko": "반달 두 개 (클래스 2개)"},
    "dataset_xor": {"en": "XOR (2 classes)", "ko": "XOR (2개 클래스)"},
    "dataset_sine_wave": {"en": "sine wave, next value by an RNN (step 59)",
                          "ko": "사인파, RNN으로 다음 값 예측 (59단계)"},
    "train_activation_rnn": {"en": "The RNN uses tanh, as the book's does",
                             "ko": "RNN은 책과 같이 tanh를 씁니다"},
    "train_rnn_cut": {
        "en": "One iteration is one window of {length} points, unrolled. The hidden state "
              "h (cut) comes from the window before: loss.unchain_backward() cut the graph "
              "there, so the backward pass ends at it (truncated backpropagation through time).",
        "ko": "한 번의 반복은 {length}개 점의 창 하나를 펼친 것입니다. 은닉 상태 h (cut)는 앞 "
              "창에서 왔고, loss.unchain_backward()가 거기서 그래프를 끊었으므로 역전파는 "
              "그곳에서 멈춥니다(시간을 거슬러 끊어서 하는 역전파, truncated BPTT)."},
    "train_hidden": {"en": "Hidden layer sizes", "ko": "은닉층 크기"},
    "train_hidden_help": {"en": "Units per hidden layer, separated by commas: 10 or 16, 16 "
                                "(at most {layers} layers of {units} units)",
                          "ko": "은닉층마다 유닛 수를 쉼표로 구분해 적습니다: 10 또는 16, 16 "
                                "(최대 {layers}개 층, 층마다 {units}개 유닛)"},
    "train_activation": {"en": "Activation", "ko": "활성화 함수"},
    "train_optimizer": {"en": "Optimizer", "ko": "옵티마이저"},
    "train_lr": {"en": "Learning rate", "ko": "학습률"},
    "train_points": {"en": "Data points", "ko": "데이터 개수"},
    "train_new": {"en": "New run with these settings", "ko": "이 설정으로 새로 시작"},
    "train_step": {"en": "Step one iteration", "ko": "반복 1회 자세히 보기"},
    "train_start": {"en": "Train", "ko": "학습 시작"},
    "train_pause": {"en": "Pause", "ko": "일시 정지"},
    "train_status": {"en": "Iteration {iteration:,} · loss {loss}",
                     "ko": "반복 {iteration:,}회 · 손실 {loss}"},
    "train_accuracy": {"en": " · accuracy {accuracy:.0%}", "ko": " · 정확도 {accuracy:.0%}"},
    "train_loss_chart": {"en": "Loss", "ko": "손실"},
    "train_fit_chart": {"en": "The fit", "ko": "모델의 예측"},
    "train_boundary_chart": {"en": "Decision boundary (P(class 1))",
                             "ko": "결정 경계 (클래스 1일 확률)"},
    "train_layers_chart": {"en": "Weights and grads per layer", "ko": "층별 가중치와 기울기"},
    "train_kind_weight": {"en": "weight", "ko": "가중치"},
    "train_kind_grad": {"en": "grad", "ko": "기울기"},
    "train_iteration": {"en": "iteration", "ko": "반복"},
    "train_value": {"en": "value (low → high, per row)", "ko": "값 (행마다 작은 값 → 큰 값)"},
    "train_count": {"en": "count", "ko": "개수"},
    "train_scrub": {"en": "Look back at iteration", "ko": "지난 반복 다시 보기"},
    "train_scrub_help": {"en": "The last {n} recorded iterations can be looked at again.",
                         "ko": "기록된 마지막 {n}개 반복을 다시 볼 수 있습니다."},
    "train_show_graph": {"en": "The graph of this iteration", "ko": "이 반복의 계산 그래프"},
    "train_update": {"en": "The optimizer's update at iteration {iteration}",
                     "ko": "{iteration}번째 반복에서 옵티마이저가 바꾼 값"},
    "train_update_element": {"en": "its largest grad", "ko": "기울기가 가장 큰 원소"},
    "train_update_cols": {"en": "| parameter | shape | before | grad | after |",
                          "ko": "| 매개변수 | 형상 | 이전 값 | 기울기 | 새 값 |"},
    "train_update_rule_SGD": {"en": "SGD: after = before − lr × grad (lr = {lr:g})",
                              "ko": "SGD: 새 값 = 이전 값 − 학습률 × 기울기 (학습률 = {lr:g})"},
    "train_update_rule_MomentumSGD": {
        "en": "MomentumSGD: v = 0.9 v − lr × grad; after = before + v (lr = {lr:g})",
        "ko": "MomentumSGD: v = 0.9 v − 학습률 × 기울기; 새 값 = 이전 값 + v (학습률 = {lr:g})"},
    "train_update_rule_Adam": {
        "en": "Adam: after = before − α̂ m / (√v + ε), m and v running means of grad and "
              "grad² (α = {lr:g})",
        "ko": "Adam: 새 값 = 이전 값 − α̂ m / (√v + ε), m과 v는 기울기와 기울기²의 이동 평균 "
              "(α = {lr:g})"},
    "train_dl_loss": {"en": "Loss curve: PNG", "ko": "손실 곡선: PNG"},
    "train_dl_html": {"en": "This iteration: HTML player", "ko": "이 반복: HTML 플레이어"},
    "train_dl_gif": {"en": "This iteration: GIF", "ko": "이 반복: GIF"},
    "train_stopped_diverged": {
        "en": "Training stopped: the loss became {kind} at iteration {iteration} (learning rate "
              "{lr:g} is too large for this network). The parameters are back at iteration "
              "{back}, the last with a finite loss. Start a new run with a smaller learning "
              "rate.",
        "ko": "학습을 멈췄습니다: {iteration}번째 반복에서 손실이 {kind}가 되었습니다(학습률 "
              "{lr:g}이 이 신경망에는 너무 큽니다). 매개변수는 손실이 유한했던 마지막 반복인 "
              "{back}번째로 되돌렸습니다. 더 작은 학습률로 새로 시작하세요."},
    "train_stopped_limit": {"en": "Training stopped: a run keeps at most {limit:,} iterations. "
                                  "Start a new run to go on.",
                            "ko": "학습을 멈췄습니다: 한 번의 학습은 최대 {limit:,}회 "
                                  "반복합니다. 계속하려면 새로 시작하세요."},
    "train_error_dataset": {"en": "Unknown dataset {got!r}; choose one of: {known}",
                            "ko": "알 수 없는 데이터셋 {got!r}입니다. 다음 중에서 고르세요: "
                                  "{known}"},
    "train_error_activation": {"en": "Unknown activation {got!r}; choose one of: {known}",
                               "ko": "알 수 없는 활성화 함수 {got!r}입니다. 다음 중에서 "
                                     "고르세요: {known}"},
    "train_error_optimizer": {"en": "Unknown optimizer {got!r}; choose one of: {known}",
                              "ko": "알 수 없는 옵티마이저 {got!r}입니다. 다음 중에서 "
                                    "고르세요: {known}"},
    "train_error_layers": {"en": "{got} hidden layers: give between 1 and {limit}, e.g. 10 or "
                                 "16, 16",
                           "ko": "은닉층이 {got}개입니다. 1개에서 {limit}개 사이로 적으세요"
                                 " (예: 10 또는 16, 16)"},
    "train_error_rnn_layers": {
        "en": "{got} hidden layers: the RNN has one; give its size, e.g. 10",
        "ko": "은닉층 {got}개: RNN은 은닉층이 하나입니다. 크기 하나만 적으세요(예: 10)"},
    "train_error_units": {"en": "A hidden layer of {got} units: each layer takes 1 to {limit}",
                          "ko": "은닉층 유닛이 {got}개입니다. 층마다 1개에서 {limit}개까지 "
                                "쓸 수 있습니다"},
    "train_error_points": {"en": "{got} data points: choose between {low} and {high}",
                           "ko": "데이터가 {got}개입니다. {low}개에서 {high}개 사이로 "
                                 "고르세요"},
    "train_lr_help": {"en": "Between {low:g} and {high:g}, used by the next new run.",
                      "ko": "{low:g}에서 {high:g} 사이. 다음에 새로 시작할 때 쓰입니다."},
    "train_error_lr": {"en": "Learning rate {got:g}: choose a number between {low:g} and {high:g}",
                       "ko": "학습률 {got:g}: {low:g}에서 {high:g} 사이의 수를 고르세요"},
    "train_error_hidden_text": {"en": "Hidden layer sizes {got!r}: write whole numbers "
                                      "separated by commas, e.g. 10 or 16, 16",
                                "ko": "은닉층 크기 {got!r}: 쉼표로 구분한 정수로 적으세요 "
                                      "(예: 10 또는 16, 16)"},
}


def t(key: str, lang: str, **params: object) -> str:
    """The interface text ``key`` in ``lang`` (English when ``lang`` is unknown)."""
    entry = TEXT[key]
    text = entry.get(lang, entry["en"])
    return text.format(**params) if params else text


def error_text(error: ExpressionError, lang: str, variable: str | None = None) -> str:
    """A student-facing message for ``error`` (worded by exprlang), naming the input
    whose value box caused it."""
    message = format_error(error, lang)
    return t("value_error", lang, name=variable, message=message) if variable else message
