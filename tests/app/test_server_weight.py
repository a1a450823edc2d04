"""What a lesson and a class cost the server's process that they need not.

In a fresh interpreter (a new server: nothing imported by other tests), a teacher's lesson,
its class and a student's page, through AppTest: pandas and pyarrow are never imported
(0.23 s and ~68 MiB of a new server's memory; Streamlit imports them to look for data
frames in a dict given to a component: classroom.pages.components.unscanned). The
training page and a quiz's bar chart do need them.
"""

from __future__ import annotations

import subprocess
import sys
import textwrap
from pathlib import Path

HERE = Path(__file__).resolve().parent

SCRIPT = """
import sys

from app_helpers import backward_step, new_app

teacher = new_app().run()
teacher.selectbox(key="preset__en").set_value("diamond").run()
teacher.button(key="btn_start_class").click().run()
student = new_app()
student.query_params["room"] = teacher.query_params["room"]
student.run()
backward_step(teacher, 2)
student.run()
assert not teacher.exception and not student.exception
assert len(student.get("bidi_component")) >= 3, "a student's page has its components"
print(sorted(name for name in ("pandas", "pyarrow") if name in sys.modules))
"""


def test_a_lesson_and_a_class_never_import_pandas():
    done = subprocess.run([sys.executable, "-c", textwrap.dedent(SCRIPT)], cwd=HERE,
                          capture_output=True, text=True, timeout=300)
    assert done.returncode == 0, done.stderr[-3000:]
    assert done.stdout.strip().splitlines()[-1] == "[]"
