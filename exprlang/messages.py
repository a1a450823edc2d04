"""Messages for every ExpressionError code, in English and Korean.

Each template is filled with the error's ``params`` plus ``{at}``, the position
phrase (" at line 1, column 3" / " (1번째 줄, 3번째 글자)", empty when the error has
no position). Some params are keys into small vocabularies translated here
(``construct``, ``expected``, ``found``), so no English leaks into a Korean message
except what the user typed and the engine's own error text.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from .errors import ExpressionError

LANGUAGES = ("en", "ko")

_LANGUAGE_HINT_EN = ("The language has numbers, variables, + - * / ** @ (matrix product), "
                     "parentheses and the listed functions.")
_LANGUAGE_HINT_KO = "숫자, 변수, + - * / ** @(행렬 곱), 괄호와 제공된 함수만 쓸 수 있습니다."

TEMPLATES: dict[str, dict[str, str]] = {
    # --- the text as a whole -----------------------------------------------------------
    "not_text": {
        "en": "The expression must be text, not {type}.",
        "ko": "식은 문자열이어야 합니다({type}이(가) 주어졌습니다).",
    },
    "too_long": {
        "en": "The text is {length} characters long; the limit is {limit}. Shorten it.",
        "ko": "입력이 {length}자로 너무 깁니다(최대 {limit}자). 더 짧게 줄여 주세요.",
    },
    "empty": {
        "en": "The expression is empty. Type something like square(exp(square(x))).",
        "ko": "식이 비어 있습니다. square(exp(square(x))) 같은 식을 입력해 보세요.",
    },
    # --- characters --------------------------------------------------------------------
    "non_ascii_identifier": {
        "en": "The letter '{char}' ({codepoint} {name}){at} is not an English letter{lookalike}. "
              "Names may only use a-z, A-Z, 0-9 and '_': retype it.",
        "ko": "'{char}'({codepoint} {name})는 영문자가 아닙니다{lookalike}{at}. 이름에는 "
              "a-z, A-Z, 0-9, '_'만 쓸 수 있으니 직접 다시 입력해 주세요.",
    },
    "non_ascii_character": {
        "en": "The character '{char}' ({codepoint} {name}){at} is not part of the expression "
              "language. " + _LANGUAGE_HINT_EN,
        "ko": "'{char}'({codepoint} {name}) 문자는 식에 쓸 수 없습니다{at}. " + _LANGUAGE_HINT_KO,
    },
    "invisible_character": {
        "en": "There is an invisible character, {codepoint} ({name}){at}, probably pasted "
              "along with the text. Delete it and retype that spot.",
        "ko": "눈에 보이지 않는 문자 {codepoint}({name})가 들어 있습니다{at}. 복사해 붙여 넣을 "
              "때 딸려 온 것 같으니 지우고 그 부분을 다시 입력해 주세요.",
    },
    "unexpected_character": {
        "en": "The character '{char}'{at} is not part of the expression language. "
              + _LANGUAGE_HINT_EN,
        "ko": "'{char}' 문자는 식에 쓸 수 없습니다{at}. " + _LANGUAGE_HINT_KO,
    },
    "bad_number": {
        "en": "'{text}'{at} is not a number this language reads. Write numbers like 3, 0.5 or "
              "1e-3.",
        "ko": "'{text}'는 이 언어에서 읽을 수 있는 숫자가 아닙니다{at}. 3, 0.5, 1e-3처럼 "
              "쓰세요.",
    },
    # --- syntax ------------------------------------------------------------------------
    "bad_syntax": {
        "en": "This is not a valid expression: expected {expected}{at}, but found {found}.",
        "ko": "올바른 식이 아닙니다{at}. 여기에는 {expected}이(가) 와야 하는데, "
              "{found_ko}.",
    },
    "missing_operand": {
        "en": "This is not a valid expression: '{operator}'{at} needs a number, a variable, a "
              "function call or '(' after it, but found {found}.",
        "ko": "올바른 식이 아닙니다{at}. '{operator}' 뒤에는 숫자, 변수, 함수 호출 또는 '('가 "
              "와야 하는데, {found_ko}.",
    },
    "missing_operator": {
        "en": "This is not a valid expression: '{left}' and '{right}'{at} need an operator "
              "between them. To multiply, write '{left} * {right}'.",
        "ko": "올바른 식이 아닙니다{at}. '{left}'와 '{right}' 사이에 연산자가 없습니다. "
              "곱하려면 '{left} * {right}'처럼 '*'를 쓰세요.",
    },
    "unclosed_paren": {
        "en": "This is not a valid expression: the '('{at} is never closed. Add a ')'.",
        "ko": "올바른 식이 아닙니다. 여는 괄호 '('가 닫히지 않았습니다{at}. ')'를 추가하세요.",
    },
    "unmatched_paren": {
        "en": "This is not a valid expression: the ')'{at} has no matching '('. Remove it or "
              "add a '(' before it.",
        "ko": "올바른 식이 아닙니다. 닫는 괄호 ')'에 짝이 되는 '('가 없습니다{at}. 지우거나 "
              "앞에 '('를 추가하세요.",
    },
    "not_allowed": {
        "en": "This is not allowed{at}: {what}.{suggest} {tip}",
        "ko": "쓸 수 없는 문법입니다: {what}{at}.{suggest} {tip}",
    },
    # --- size limits ---------------------------------------------------------------------
    "too_deep": {
        "en": "The expression is nested more than {limit} levels deep{at}. Split it into "
              "named steps (a = ..., then y = ...).",
        "ko": "식이 {limit}단계보다 깊게 중첩되어 있습니다{at}. a = ... 처럼 이름을 붙인 여러 "
              "줄로 나누세요.",
    },
    "too_many_nodes": {
        "en": "The program has more than {limit} parts (numbers, names, operators, "
              "calls){at}. Make it shorter.",
        "ko": "프로그램의 구성 요소(숫자, 이름, 연산자, 함수 호출)가 {limit}개를 넘습니다{at}. "
              "더 짧게 만들어 주세요.",
    },
    "too_many_statements": {
        "en": "The program has {count} lines (the limit is {limit}); the first extra one "
              "starts{at}. Combine some steps.",
        "ko": "프로그램이 {count}줄입니다(최대 {limit}줄){at}. 몇 단계를 합쳐 주세요.",
    },
    "too_many_variables": {
        "en": "The program uses {count} input variables (the limit is {limit}); the first "
              "extra one is{at}.",
        "ko": "입력 변수가 {count}개입니다(최대 {limit}개){at}.",
    },
    "name_too_long": {
        "en": "The name '{name}'{at} is {length} characters long; names may be at most "
              "{limit} characters.",
        "ko": "이름이 너무 깁니다: '{name}'({length}자){at}. 이름은 {limit}자까지 쓸 수 "
              "있습니다.",
    },
    "constant_too_large": {
        "en": "The number {text}{at} is too large: numbers may be at most {limit} in size.",
        "ko": "숫자가 너무 큽니다: {text}{at}. 숫자의 크기는 {limit} 이하여야 합니다.",
    },
    "value_divides_by_zero": {
        "en": "'{text}'{at} divides by zero: write a number, e.g. 0.5 or 1/2.",
        "ko": "'{text}'{at}는 0으로 나눕니다. 0.5나 1/2 같은 수를 쓰세요.",
    },
    "exponent_too_large": {
        "en": "The exponent {text} in {whole}{at} is too large: a constant exponent may be at "
              "most {limit} in size (a bigger one can take for ever to compute).",
        "ko": "지수가 너무 큽니다: {whole}의 {text}{at}. 상수 지수의 크기는 {limit} 이하여야 "
              "합니다(더 크면 계산이 끝나지 않을 수 있습니다).",
    },
    # --- names and statements ------------------------------------------------------------
    "bad_name": {
        "en": "Names starting with '_' such as '{name}' are not allowed{at}. Use a name that "
              "starts with a letter.",
        "ko": "'{name}'처럼 '_'로 시작하는 이름은 쓸 수 없습니다{at}. 영문자로 시작하는 이름을 "
              "쓰세요.",
    },
    "function_as_variable": {
        "en": "'{name}'{at} is a function, not a variable. Call it like {name}(x), or choose "
              "another name.",
        "ko": "'{name}'은(는) 변수가 아니라 함수입니다{at}. {name}(x)처럼 호출하거나 다른 이름을 "
              "쓰세요.",
    },
    "reassigned": {
        "en": "'{name}' is assigned a second time{at} (first on line {first_line}). Give each "
              "step its own name, like {name}2.",
        "ko": "'{name}'에 두 번째로 대입했습니다{at}(처음은 {first_line}번째 줄). 단계마다 "
              "{name}2처럼 다른 이름을 붙이세요.",
    },
    "assigned_input": {
        "en": "'{name}' is an input variable (it is used on line {first_line} before any "
              "assignment), so it cannot be assigned{at}. Use a new name for this step.",
        "ko": "'{name}'은(는) 입력 변수라서({first_line}번째 줄에서 대입 전에 쓰였습니다) "
              "대입할 수 없습니다{at}. 이 단계에는 새 이름을 쓰세요.",
    },
    "bare_expression_not_last": {
        "en": "The expression{at} has no name, but only the last line may be an expression "
              "without one. Name it (a = ...) or move it to the end.",
        "ko": "이름 없는 식은 마지막 줄에만 쓸 수 있습니다{at}. 이 줄에 이름을 붙이거나"
              "(a = ...) 맨 끝으로 옮기세요.",
    },
    # --- functions ------------------------------------------------------------------------
    "unknown_function": {
        "en": "Unknown function '{name}'{at}. Available functions: {available}.{suggestion}",
        "ko": "알 수 없는 함수 '{name}'입니다{at}. 사용할 수 있는 함수: {available}.{suggestion}",
    },
    "wrong_arguments": {
        "en": "{name}() was given {given} argument(s){at}, but it is used like {usage}.",
        "ko": "{name}()에 인자를 {given}개 주었습니다{at}. 사용법: {usage}",
    },
    "unknown_keyword": {
        "en": "{name}() has no parameter '{keyword}'{at}. Its parameters: {allowed}.",
        "ko": "{name}()에는 '{keyword}' 매개변수가 없습니다{at}. 쓸 수 있는 매개변수: {allowed}.",
    },
    "duplicate_argument": {
        "en": "The parameter '{keyword}' of {name}() is given twice{at}.",
        "ko": "{name}()의 '{keyword}' 매개변수를 두 번 주었습니다{at}.",
    },
    "positional_after_keyword": {
        "en": "In {name}(), an argument without a name comes after a named one{at}. Put "
              "plain arguments first, then name=value ones.",
        "ko": "{name}()에서 이름 없는 인자가 이름 붙은 인자 뒤에 왔습니다{at}. 이름 없는 인자를 "
              "먼저 쓰고 이름=값 인자를 뒤에 쓰세요.",
    },
    "bad_parameter": {
        "en": "The parameter '{param}' of {name}(){at} must be a constant: a number, a tuple "
              "of integers like (2, 3), True, False or None.{suggest}",
        "ko": "{name}()의 '{param}' 매개변수는 상수여야 합니다{at}. 숫자, (2, 3) 같은 정수 "
              "튜플, True, False, None 중 하나를 쓰세요.{suggest}",
    },
    "parameter_too_large": {
        "en": "The parameter '{param}' of {name}(){at} is too large: {text} (at most {limit}).",
        "ko": "{name}()의 '{param}' 매개변수 값이 너무 큽니다: {text}{at}(최대 {limit}).",
    },
    # --- values --------------------------------------------------------------------------
    "missing_value": {
        "en": "No value for the variable '{name}'{at}. Set it, e.g. {name} = 0.5.",
        "ko": "변수 '{name}'의 값이 없습니다{at}. 예: {name} = 0.5",
    },
    "bad_value": {
        "en": "The value is not a number or a list of numbers: found {found}{at}. Write e.g. "
              "0.5, -2, [1, 2, 3] or [[1, 2], [3, 4]].",
        "ko": "값이 숫자나 숫자 목록이 아닙니다{at}. 읽을 수 없는 부분: {found}. 0.5, -2, "
              "[1, 2, 3], [[1, 2], [3, 4]]처럼 쓰세요.",
    },
    "bad_input_value": {
        "en": "The value given for '{name}' is not numeric ({detail}).",
        "ko": "'{name}'에 준 값이 숫자가 아닙니다({detail}).",
    },
    "empty_value": {
        "en": "The value is empty. Type a number like 0.5 or a list like [1, 2, 3].",
        "ko": "값이 비어 있습니다. 0.5 같은 숫자나 [1, 2, 3] 같은 목록을 입력하세요.",
    },
    "empty_list": {
        "en": "The list '[]'{at} is empty. Every list needs at least one number.",
        "ko": "빈 목록 '[]'이 있습니다{at}. 목록에는 숫자가 하나 이상 있어야 합니다.",
    },
    "ragged": {
        "en": "The list is not rectangular: row {row}{at} has {length} element(s), but row "
              "{first_row} has {expected} (rows are counted from 0, like x[0]). Every row "
              "needs the same length.",
        "ko": "목록이 직사각형 모양이 아닙니다{at}. {row} 행의 원소는 {length}개인데 "
              "{first_row} 행은 {expected}개입니다(행 번호는 x[0]처럼 0부터 셉니다). 모든 "
              "행의 길이가 같아야 합니다.",
    },
    "mixed_nesting": {
        "en": "The list mixes numbers and lists at the same level{at}: element {row} is "
              "{this}, but element {first_row} is {other}. Use only numbers or only lists "
              "of the same length.",
        "ko": "목록의 같은 단계에 숫자와 목록이 섞여 있습니다{at}. {row} 원소는 {this}인데 "
              "{first_row} 원소는 {other}입니다. 숫자만 쓰거나 길이가 같은 목록만 쓰세요.",
    },
    "too_many_dimensions": {
        "en": "The list is nested more than {limit} levels deep{at}; values may have at most "
              "{limit} dimensions.",
        "ko": "목록이 {limit}단계보다 깊게 중첩되어 있습니다{at}. 값은 {limit}차원까지만 "
              "쓸 수 있습니다.",
    },
    "too_many_elements": {
        "en": "The value has {count} elements; the limit is {limit}.",
        "ko": "값의 원소가 {count}개입니다(최대 {limit}개).",
    },
    "non_finite_value": {
        "en": "'{text}'{at} is not accepted as a value: inputs must be finite numbers. (NaN "
              "and infinity can still come out of an expression, e.g. log(x) at x = 0, and "
              "are then marked on the graph.)",
        "ko": "'{text}'은(는) 값으로 쓸 수 없습니다{at}. 입력은 유한한 숫자여야 합니다. (NaN과 "
              "무한대는 x = 0에서의 log(x)처럼 식의 결과로는 나올 수 있고, 그때는 그래프에 "
              "표시됩니다.)",
    },
    # --- evaluation ------------------------------------------------------------------------
    "shape_mismatch": {
        "en": "The shapes do not fit together in {op}{at}: {shapes}. {tip}",
        "ko": "{op}에서 모양(shape)이 맞지 않습니다{at}: {shapes}. {tip}",
    },
    "result_too_large": {
        "en": "{op}{at} would make a result of {count} elements; the limit is {limit}.",
        "ko": "{op}의 결과 원소가 {count}개가 됩니다{at}(최대 {limit}개).",
    },
    "too_much_memory": {
        "en": "This expression needs too much memory: with {op}{at} its values would hold "
              "{count} numbers in all ({limit} at most, their grads come on top). Use "
              "smaller values or fewer operations.",
        "ko": "이 식은 메모리가 너무 많이 필요합니다: {op}{at}까지 값의 원소가 모두 {count}개가 "
              "됩니다(최대 {limit}개, 기울기는 따로 더 필요합니다). 더 작은 값이나 더 적은 연산을 "
              "쓰세요.",
    },
    "too_much_work": {
        "en": "This expression needs too much computing: with {op}{at} it would take {count} "
              "multiply-adds in all ({limit} at most, the backward pass costs about twice "
              "as much again). Use smaller values or fewer operations.",
        "ko": "이 식은 계산이 너무 많이 필요합니다: {op}{at}까지 곱셈-덧셈이 모두 {count}번 "
              "필요합니다(최대 {limit}번, 역전파에는 그 두 배쯤이 더 듭니다). 더 작은 값이나 더 "
              "적은 연산을 쓰세요.",
    },
    "evaluation_failed": {
        "en": "{op}{at} failed: {detail}",
        "ko": "{op} 계산에 실패했습니다{at}: {detail}",
    },
    # --- a bug in exprlang (never expected; the fuzz tests check it does not happen) --
    "internal_error": {
        "en": "Something went wrong while reading this expression (a bug in the program, "
              "not in your text): {detail}. Please tell your teacher.",
        "ko": "식을 읽는 중에 문제가 생겼습니다(입력의 잘못이 아니라 프로그램의 버그입니다): "
              "{detail}. 선생님께 알려 주세요.",
    },
}

CODES: frozenset[str] = frozenset(TEMPLATES)
"""Every error code exprlang raises."""

# Things the user wrote that the language does not have (param ``construct``): what it
# is called, and (optionally) a tip that replaces the general hint.
CONSTRUCTS: dict[str, dict[str, str]] = {
    "attribute": {"en": "attribute access like '{text}'", "ko": "'{text}' 같은 속성 접근"},
    "subscript": {"en": "indexing like '{text}'", "ko": "'{text}' 같은 인덱싱"},
    "list": {"en": "a list in brackets '[...]'", "ko": "대괄호 목록 '[...]'",
             "tip_en": "Array values go in the value boxes, not in the expression.",
             "tip_ko": "배열 값은 식이 아니라 값 입력란에 쓰세요."},
    "braces": {"en": "a brace '{{' or '}}' (dicts and sets)",
               "ko": "중괄호 '{{', '}}'(딕셔너리, 집합)"},
    "string": {"en": "text in quotes", "ko": "따옴표로 감싼 문자열"},
    "fstring": {"en": "an f-string", "ko": "f-문자열"},
    "lambda": {"en": "a lambda", "ko": "lambda 함수"},
    "keyword": {"en": "the Python keyword '{text}'", "ko": "파이썬 키워드 '{text}'"},
    "comparison": {"en": "a comparison '{text}'", "ko": "비교 연산 '{text}'"},
    "walrus": {"en": "the walrus operator ':='", "ko": "바다코끼리 연산자 ':='"},
    "operator": {"en": "the operator '{text}'", "ko": "연산자 '{text}'"},
    "aug_assign": {"en": "an update like '{text}'", "ko": "'{text}' 같은 갱신 대입",
                   "tip_en": "Each name is assigned only once: write 'y2 = y + 1'.",
                   "tip_ko": "이름마다 한 번만 대입합니다. 'y2 = y + 1'처럼 새 이름을 쓰세요."},
    "semicolon": {"en": "a semicolon ';'", "ko": "세미콜론 ';'",
                  "tip_en": "Put each statement on its own line.",
                  "tip_ko": "문장마다 줄을 바꿔 쓰세요."},
    "colon": {"en": "a colon ':' (slices, dicts and blocks)",
              "ko": "콜론 ':'(슬라이스, 딕셔너리, 블록)"},
    "backslash": {"en": "a backslash '\\'", "ko": "역슬래시 '\\'",
                  "tip_en": "To continue a line, wrap the expression in parentheses.",
                  "tip_ko": "줄을 이어 쓰려면 식 전체를 괄호로 감싸세요."},
    "unpacking": {"en": "unpacking with '{text}'", "ko": "'{text}'를 쓴 풀기(unpacking)"},
    "constant_value": {"en": "using '{text}' as a value", "ko": "'{text}'를 값으로 쓰기",
                       "tip_en": "True, False and None are only for parameters like "
                                 "keepdims=True.",
                       "tip_ko": "True, False, None은 keepdims=True 같은 매개변수에만 쓸 수 "
                                 "있습니다."},
    "multiple_assignment": {"en": "assigning to several names at once",
                            "ko": "여러 이름에 한꺼번에 대입하기",
                            "tip_en": "Write one 'name = expression' per line.",
                            "tip_ko": "한 줄에 '이름 = 식' 하나씩 쓰세요."},
    "assign_target": {"en": "assigning to '{text}'", "ko": "'{text}'에 대입하기",
                      "tip_en": "Only a plain name can be assigned: 'a = ...'.",
                      "tip_ko": "'a = ...'처럼 이름에만 대입할 수 있습니다."},
    "tuple": {"en": "a tuple like '(a, b)' as a value", "ko": "값으로 쓴 '(a, b)' 같은 튜플"},
    "keyword_outside_call": {"en": "'{text}=' inside an expression",
                             "ko": "식 안의 '{text}='",
                             "tip_en": "name=value is only for function parameters, like "
                                       "sum(x, axis=0).",
                             "tip_ko": "이름=값은 sum(x, axis=0)처럼 함수 매개변수에만 씁니다."},
}

# What the parser expected (param ``expected``).
EXPECTED: dict[str, dict[str, str]] = {
    "operand": {"en": "a number, a variable, a function call or '('",
                "ko": "숫자, 변수, 함수 호출 또는 '('"},
    "operator": {"en": "an operator (+ - * / ** @) or the end of the line",
                 "ko": "연산자(+ - * / ** @) 또는 줄의 끝"},
    "close_paren": {"en": "')'", "ko": "')'"},
    "comma_or_close": {"en": "',' or ')'", "ko": "',' 또는 ')'"},
    "statement": {"en": "'name = expression' or an expression",
                  "ko": "'이름 = 식' 또는 식"},
    "end_of_line": {"en": "the end of the line", "ko": "줄의 끝"},
}

# Short suggestions (param ``suggest``): the code to write instead.
SUGGEST = {
    "en": " Write {code} instead.",
    "ko": " 대신 {code}처럼 쓰세요.",
}

NESTING = {
    "number": {"en": "a number", "ko": "숫자"},
    "list": {"en": "a list", "ko": "목록"},
}

_SHAPE_TIP = {"en": "For + - * / ** the shapes must broadcast: compared from the right, "
                    "each pair of sizes must be equal or one of them 1.",
              "ko": "+ - * / **에서는 브로드캐스트가 가능해야 합니다. 오른쪽부터 비교해 각 "
                    "크기가 같거나 한쪽이 1이어야 합니다."}
_DETAIL = {"en": "Details: {detail}", "ko": "자세한 내용: {detail}"}
_VALUE_OF = {"en": "Value of '{name}': ", "ko": "'{name}'의 값: "}
_LANGUAGE_HINT = {"en": _LANGUAGE_HINT_EN, "ko": _LANGUAGE_HINT_KO}
_NONE = {"en": "none", "ko": "없음"}
_AT = {"en": " at line {line}, column {col}", "ko": " ({line}번째 줄, {col}번째 글자)"}
_END = {"end_of_line": {"en": "the end of the line", "ko": "줄의 끝"},
        "end_of_text": {"en": "the end of the text", "ko": "식의 끝"}}
# bad_value when the text stops inside a list: a value cut short, not a bad token.
_VALUE_ENDS_EARLY = {
    "en": "The value ends too early{at}: a closing ']' is missing. Write e.g. [1, 2, 3].",
    "ko": "값이 중간에 끝났습니다{at}. 닫는 ']'가 없습니다. [1, 2, 3]처럼 쓰세요.",
}
_DID_YOU_MEAN = {"en": " Did you mean '{name}'?", "ko": " '{name}'{object} 쓰려고 하셨나요?"}


def object_particle(word: str) -> str:
    """The Korean object particle for ``word``: 을 after a final consonant, else 를.

    Hangul: by the last syllable's final consonant (batchim). Latin names (as read
    aloud): 을 after b c d g k l m n p t (as in "matmul을"), 를 after a vowel sound.
    """
    last = word.strip()[-1:] if word.strip() else ""
    if "가" <= last <= "힣":
        return "을" if (ord(last) - 0xAC00) % 28 else "를"
    if last.isdigit():
        return "을" if last in "013678" else "를"
    return "을" if last.lower() in "bcdgklmnpt" else "를"
_LOOKALIKE = {"en": " (it only looks like '{char}')",
              "ko": "('{char}'처럼 보이지만 다른 문자입니다)"}


class _Params(dict):
    """Format arguments that never raise: a missing key shows as '?'."""

    def __missing__(self, key: str) -> str:
        return "?"


def _found(value: Any, lang: str) -> str:
    """How a found token is shown: quoted text, or 'the end of the line'."""
    if isinstance(value, str) and value in _END:
        return _END[value][lang]
    return f"'{value}'"


def _localise(params: Mapping[str, Any], lang: str) -> dict[str, Any]:
    out = _Params(params)
    text = params.get("text", "")
    if "construct" in params:
        entry = CONSTRUCTS.get(params["construct"], {"en": "'{text}'", "ko": "'{text}'"})
        out["what"] = entry.get(lang, entry["en"]).format_map(_Params(text=text))
        out["tip"] = entry.get(f"tip_{lang}", _LANGUAGE_HINT[lang])
    if params.get("allowed") == "":
        out["allowed"] = _NONE[lang]
    if "expected" in params and params["expected"] in EXPECTED:
        out["expected"] = EXPECTED[params["expected"]][lang]
    if "found" in params:
        out["found"] = _found(params["found"], lang)
        out["found_ko"] = ("식이 여기서 끝났습니다" if params["found"] in _END
                           else f"나온 것은 {out['found']}입니다")
    out["suggest"] = SUGGEST[lang].format(code=params["suggest"]) if params.get("suggest") else ""
    if "suggestion" in params:
        name = params["suggestion"]
        out["suggestion"] = (_DID_YOU_MEAN[lang].format(name=name, object=object_particle(name))
                             if name else "")
    if "lookalike" in params:
        char = params["lookalike"]
        out["lookalike"] = _LOOKALIKE[lang].format(char=char) if char else ""
    for key in ("this", "other"):
        if params.get(key) in NESTING:
            out[key] = NESTING[params[key]][lang]
    if "shapes" in params:
        out["tip"] = (_SHAPE_TIP[lang] if params.get("broadcast")
                      else _DETAIL[lang].format(detail=params.get("detail", "")))
    if "op" in params:  # an operator symbol is quoted, a function gets its parentheses
        op = str(params["op"])
        out["op"] = f"'{op}'" if not op[:1].isalpha() else f"{op}()"
    if isinstance(params.get("limit"), float):
        out["limit"] = f"{params['limit']:g}"
    for key, value in params.items():  # counts and limits as people write them: 2,401
        if type(value) is int and key not in ("line", "col"):
            out[key] = f"{value:,}"
    return out


def format_error(err: ExpressionError, lang: str = "en") -> str:
    """The message of ``err`` in ``lang`` (``"en"`` or ``"ko"``; others fall back to English).

    Never raises: an unknown code shows the code itself, a missing parameter shows '?'.
    """
    lang = lang if lang in LANGUAGES else "en"
    templates = TEMPLATES.get(err.code)
    if err.code == "bad_value" and err.params.get("found") in _END:
        templates = _VALUE_ENDS_EARLY  # "[1, 2" is a value cut short, not a bad token
    if templates is None:
        return err.code
    params = _localise(err.params, lang)
    if err.position is not None:
        line, col = err.position
        params["at"] = _AT[lang].format(line=line, col=col)
    else:
        params["at"] = ""
    text = templates[lang].format_map(params)
    if err.params.get("variable"):  # an input value's error: which variable it belongs to
        text = _VALUE_OF[lang].format(name=err.params["variable"]) + text
    return text
