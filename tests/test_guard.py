"""autograder/guard.py in a plain local kernel (no sandbox): signed checkpoints and what breaks them.

The kernel runs ``guard.install()`` before any code, as a grading kernel does, with its key in
a file; the test plays the grader (``execute.py``): it sends a fresh challenge per
checkpoint and verifies the HMAC of the answer.
"""

import ast
import hashlib
import hmac
import os
import secrets
import sys

import jupyter_client
import pytest

from autograder.guard import EVENT

SECRET = "_autograder_test"


@pytest.fixture
def kernel(tmp_path):
    key = secrets.token_bytes(32)
    key_file = tmp_path / "guard.key"
    key_file.write_bytes(key)
    env = {**os.environ, "AUTOGRADER_KEY_FILE": str(key_file), "AUTOGRADER_CHECKPOINT": SECRET,
           "PYTHONPATH": os.pathsep.join(sys.path)}
    manager = jupyter_client.KernelManager(kernel_name="python3")
    manager.start_kernel(env=env, extra_arguments=[
        "--IPKernelApp.exec_lines=[\"__import__('autograder.guard').guard.install()\"]",
        "--HistoryManager.enabled=False"])
    client = manager.client()
    client.start_channels()
    client.wait_for_ready(timeout=120)
    yield Grader(client, key), key_file
    client.stop_channels()
    manager.shutdown_kernel(now=True)


class Grader:
    """What execute.py does around a test cell, reduced to its messages."""

    def __init__(self, client, key):
        self.client, self.key = client, key

    def _reply(self, msg_id):
        while True:
            msg = self.client.get_shell_msg(timeout=60)
            if msg["parent_header"].get("msg_id") == msg_id:
                return msg["content"]

    def run(self, code: str) -> dict:
        return self._reply(self.client.execute(code, stop_on_error=False))

    def checkpoint(self, phase: str = "") -> tuple:
        """("ok", changed) for a verified report, else ("burned" | "forged", the text)."""
        challenge = secrets.token_hex(16)
        content = self._reply(self.client.execute(
            "", silent=True, store_history=False,
            user_expressions={"r": f"{SECRET}({challenge!r}, {phase!r})"}))
        text = ast.literal_eval(content["user_expressions"]["r"]["data"]["text/plain"])
        if text.startswith("burned:"):
            return "burned", text
        signature, report = text[:64], text[64:]
        expected = hmac.new(self.key, (challenge + report).encode(), hashlib.sha256).hexdigest()
        if not hmac.compare_digest(signature, expected):
            return "forged", text
        return "ok", ast.literal_eval(report)[0]


def test_signed_reports_name_what_changed_and_put_it_back(kernel):
    grader, key_file = kernel
    assert grader.checkpoint() == ("ok", ())  # the first one records the call stack
    assert not key_file.exists()  # read and deleted before any student code
    grader.run("import torch\ntorch.allclose = lambda *a, **k: True")
    assert grader.checkpoint("before") == ("ok", ("torch.allclose",))
    assert grader.run("assert not torch.allclose(torch.zeros(1), torch.ones(1))")["status"] == "ok"
    assert grader.checkpoint("after") == ("ok", ())


def test_the_closure_holds_no_secret_and_a_forgery_does_not_verify(kernel):
    grader, _ = kernel
    grader.checkpoint()
    reply = grader.run(f"_cells = [c.cell_contents for c in {SECRET}.__closure__]\n"
                       "assert all(callable(c) for c in _cells), _cells\n"
                       f"{SECRET} = lambda c, p='': '0' * 64 + repr(((), ()))")
    assert reply["status"] == "ok", reply
    assert grader.checkpoint("before")[0] == "forged"


@pytest.mark.parametrize("impostor", [
    # wraps the real checkpoint (a student would undo a patch before, redo it after)
    f"_real = {SECRET}\ndef _impostor(c, p=''):\n    return _real(c, p)\n",
    # raises the checkpoint's audit event itself
    f"import sys\ndef _impostor(c, p=''):\n    box = []\n"
    f"    sys.audit({EVENT!r}, c, p, box)\n    return box[0]\n",
], ids=["wrapper", "direct-event"])
def test_a_checkpoint_called_by_other_code_is_reported_and_put_back(kernel, impostor):
    grader, _ = kernel
    grader.checkpoint()
    grader.run(impostor + f"{SECRET} = _impostor")
    status, changed = grader.checkpoint("before")
    assert status == "ok" and "the grader's checkpoint was called by other code" in changed
    assert grader.checkpoint("before") == ("ok", ())  # the real one is back in place


@pytest.mark.parametrize("code", ["import gc\ngc.get_referrers(len)",
                                  "import sys\nsys.settrace(lambda *a: None)\nsys.settrace(None)"])
def test_walking_memory_or_tracing_destroys_the_key(kernel, code):
    grader, _ = kernel
    grader.checkpoint()
    grader.run(code)
    status, text = grader.checkpoint("before")
    assert status == "burned" and ("gc." in text or "settrace" in text), text


def test_tensor_subclasses_cannot_lie_during_a_test(kernel):
    grader, _ = kernel
    grader.checkpoint()
    grader.run("import torch\nclass Liar(torch.Tensor):\n    @classmethod\n"
               "    def __torch_function__(cls, func, types, args=(), kwargs=None):\n"
               "        return True\n"
               "x = torch.zeros(2).as_subclass(Liar)")
    assert grader.run("assert torch.equal(x, torch.ones(2)) is True")["status"] == "ok"
    grader.checkpoint("before")
    during = grader.run("assert torch.equal(x, torch.ones(2)) is True")
    assert during["status"] == "error"  # compared as the plain zeros it is
    assert grader.checkpoint("after") == ("ok", ())
    assert grader.run("assert torch.equal(x, torch.ones(2)) is True")["status"] == "ok"


def test_reading_the_stack_from_a_cell_during_a_test_fails_it(kernel):
    grader, _ = kernel
    grader.checkpoint()
    grader.run("import sys\ndef peek():\n    return sys._getframe(1).f_globals.get('expected')")
    grader.run("x = peek()")  # not during a test: nothing to report
    assert grader.checkpoint("before") == ("ok", ())
    grader.run("expected = 3\nassert peek() == 3")
    assert grader.checkpoint("after") == ("ok", ("the call stack (inspected)",))
