"""ExpressionError and its messages in English and Korean."""

from __future__ import annotations

from typing import Any

MESSAGES: dict[str, dict[str, str]] = {
    "empty": {
        "en": "The expression is empty. Type something like square(exp(square(x))).",
        "ko": "식이 비어 있습니다. square(exp(square(x))) 같은 식을 입력하세요.",
    },
    "too_long": {
        "en": "The text is {length} characters long; the limit is {limit}. Shorten it.",
        "ko": "입력이 {length}자로 너무 깁니다(최대 {limit}자). 줄여 주세요.",
    },
    "non_ascii": {
        "en": "The character {char!r} ({codepoint}) is not allowed. Use plain ASCII letters, "
              "digits and + - * / ** ( ).",
        "ko": "문자 {char!r} ({codepoint})는 쓸 수 없습니다. 영문자, 숫자와 + - * / ** ( )만 "
              "사용하세요.",
    },
    "bad_syntax": {
        "en": "This is not a valid expression: {detail}. Check for a missing operator or "
              "parenthesis.",
        "ko": "올바른 식이 아닙니다: {detail}. 빠진 연산자나 괄호가 없는지 확인하세요.",
    },
    "too_deep": {
        "en": "The expression is nested {depth} levels deep; the limit is {limit}. "
              "Split it into named steps (a = ..., then y = ...).",
        "ko": "식이 {depth}단계로 너무 깊게 중첩되어 있습니다(최대 {limit}). a = ... 처럼 "
              "여러 줄로 나누세요.",
    },
    "too_many_nodes": {
        "en": "The expression has {count} parts; the limit is {limit}. Make it shorter.",
        "ko": "식의 구성 요소가 {count}개로 너무 많습니다(최대 {limit}). 더 짧게 만드세요.",
    },
    "too_many_statements": {
        "en": "There are {count} lines; the limit is {limit}.",
        "ko": "줄이 {count}개입니다(최대 {limit}).",
    },
    "too_many_variables": {
        "en": "The expression uses {count} variables; the limit is {limit}.",
        "ko": "변수가 {count}개입니다(최대 {limit}).",
    },
    "not_allowed": {
        "en": "{what} is not allowed here. Use numbers, variables, + - * / **, parentheses "
              "and the listed functions.",
        "ko": "{what}은(는) 쓸 수 없습니다. 숫자, 변수, + - * / **, 괄호와 제공된 함수만 "
              "사용하세요.",
    },
    "unknown_function": {
        "en": "Unknown function {name!r}.{hint} Available: {available}.",
        "ko": "알 수 없는 함수 {name!r}입니다.{hint} 사용 가능: {available}.",
    },
    "wrong_arguments": {
        "en": "{name}() takes {expected}; it was given {given}.",
        "ko": "{name}()에는 {expected}이(가) 필요한데 {given}이(가) 주어졌습니다.",
    },
    "bad_parameter": {
        "en": "The parameter {param}= of {name}() must be {expected}.",
        "ko": "{name}()의 {param}= 값은 {expected}이어야 합니다.",
    },
    "constant_too_large": {
        "en": "The number {value} is too large (the limit is {limit:g}).",
        "ko": "숫자 {value}가 너무 큽니다(최대 {limit:g}).",
    },
    "exponent_too_large": {
        "en": "The exponent {value} is too large: exponents must be at most {limit} in size. "
              "(9**9**9 would never finish.)",
        "ko": "지수 {value}가 너무 큽니다. 지수는 크기가 {limit} 이하여야 합니다. "
              "(9**9**9는 끝나지 않습니다.)",
    },
    "bad_name": {
        "en": "{name!r} cannot be used as a variable name: {reason}.",
        "ko": "{name!r}은(는) 변수 이름으로 쓸 수 없습니다: {reason}.",
    },
    "reassigned": {
        "en": "{name!r} is assigned twice (or is an input); give each step its own name.",
        "ko": "{name!r}에 두 번 대입했습니다(또는 입력 변수입니다). 단계마다 다른 이름을 쓰세요.",
    },
    "bare_expression_not_last": {
        "en": "Only the last line may be a bare expression; name this one (a = ...).",
        "ko": "이름 없는 식은 마지막 줄에만 쓸 수 있습니다. 이 줄에 이름을 붙이세요(a = ...).",
    },
    "no_output": {
        "en": "The program has no output: end with an expression or an assignment.",
        "ko": "출력이 없습니다. 식이나 대입문으로 끝내세요.",
    },
    "missing_value": {
        "en": "No value for the variable {name!r}. Set it, e.g. {name} = 0.5.",
        "ko": "변수 {name!r}의 값이 없습니다. 예: {name} = 0.5",
    },
    "bad_value": {
        "en": "The value {text!r} is not a number or a list of numbers: {detail}.",
        "ko": "값 {text!r}은(는) 숫자나 숫자 목록이 아닙니다: {detail}.",
    },
    "too_many_elements": {
        "en": "The value has {count} elements; the limit is {limit}.",
        "ko": "값의 원소가 {count}개입니다(최대 {limit}).",
    },
    "ragged": {
        "en": "The rows of the list have different lengths ({detail}); every row needs the same.",
        "ko": "목록의 행 길이가 서로 다릅니다({detail}). 모든 행의 길이가 같아야 합니다.",
    },
    "evaluation_failed": {
        "en": "{op} failed: {detail}",
        "ko": "{op} 계산에 실패했습니다: {detail}",
    },
}


# Korean for the descriptions of disallowed syntax that the parser puts in {what}.
WHAT_KO = {
    "attribute access like 'x.data'": "'x.data' 같은 속성 접근",
    "indexing like 'x[0]'": "'x[0]' 같은 인덱싱",
    "a lambda": "lambda", "a comparison": "비교 연산", "'and'/'or'": "'and'/'or'",
    "an if-expression": "if 식", "a list comprehension": "리스트 컴프리헨션",
    "a generator": "제너레이터", "a dict": "딕셔너리", "a set": "집합",
    "a list (set array values in the value boxes)": "리스트(배열 값은 값 입력란에 쓰세요)",
    "an f-string": "f-문자열", "the walrus operator": "바다코끼리 연산자(:=)",
    "'*' unpacking": "'*' 풀기", "await": "await", "import": "import",
    "a function definition": "함수 정의", "'+=' style assignment": "'+=' 같은 대입",
    "an annotated assignment": "타입 주석이 있는 대입", "text in quotes": "따옴표 안의 문자열",
    "this kind of assignment": "이런 형태의 대입",
    "calling a method or an expression like obj.f()": "obj.f() 같은 메서드 호출",
}


class ExpressionError(ValueError):
    """Anything wrong with user-typed text, with a code, parameters and a position.

    ``str(err)`` is the English message with its position; :meth:`message`
    gives it in another language (``"ko"``).
    """

    def __init__(self, code: str, position: tuple[int, int] | None = None, **params: Any):
        self.code = code
        self.params = params
        self.position = position
        super().__init__(self.message("en"))

    def message(self, lang: str = "en") -> str:
        """The message in ``lang`` ("en" or "ko"), with its position."""
        templates = MESSAGES.get(self.code, {"en": self.code})
        params = dict(self.params)
        if lang == "ko" and "what" in params:
            params["what"] = WHAT_KO.get(params["what"], params["what"])
        suggestion = params.pop("suggestion", None)
        if "hint" in templates["en"]:
            if not suggestion:
                params["hint"] = ""
            elif lang == "ko":
                params["hint"] = f" 혹시 {suggestion!r}인가요?"
            else:
                params["hint"] = f" Did you mean {suggestion!r}?"
        text = templates.get(lang, templates["en"]).format(**params)
        if self.position is not None:
            line, col = self.position
            where = (f" (line {line}, column {col})" if lang != "ko"
                     else f" ({line}번째 줄, {col}번째 칸)")
            text += where
        return text


def format_error(err: ExpressionError, lang: str = "en") -> str:
    """The message of ``err`` in ``lang``."""
    return err.message(lang)
