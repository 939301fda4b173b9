"""Tests of scaletune_trial.py against a fake worker that speaks the command-trial protocol, version 1.

Run from the repository: /usr/bin/python3 -m unittest discover -s python -p "test_*.py" (test/python-helper.test.ts
does). The PyTorch example's test runs one trial of examples/pytorch/train_digits.py; it skips, saying why, when
torch is missing, and fails instead when CI=true.
"""

import json
import os
import re
import shutil
import subprocess
import sys
import tempfile
import textwrap
import unittest

HERE = os.path.dirname(os.path.abspath(__file__))
REPO = os.path.dirname(HERE)
PREFIX = "@scaletune "


class Run:
    def __init__(self, returncode, messages, log, stderr):
        self.returncode = returncode
        self.messages = messages  # the protocol messages, in order
        self.log = log  # every other stdout line
        self.stderr = stderr

    def of(self, kind):
        return [m[kind] for m in self.messages if kind in m]


def fake_worker(argv, answer=None, params=None, distributions=None, env=None, trial=3, study="fake-study", timeout=120):
    """Runs argv as a worker would (no shell, the protocol's environment) and answers its questions with answer(message).

    answer gets each question ({"suggest": ...} or {"should_prune": true}) and returns the reply: an object sent as
    JSON, a str sent as it is (a malformed reply), or None, which sends nothing and closes stdin (a worker gone).
    """
    work = tempfile.mkdtemp(prefix="scaletune-fake-worker-")
    try:
        params = dict(params or {})
        params_file = os.path.join(work, "params.json")
        with open(params_file, "w", encoding="utf-8") as f:
            json.dump({"protocol": 1, "study": study, "trial": trial, "params": params, "distributions": distributions or {}}, f)
        artifacts = os.path.join(work, "artifacts")
        os.mkdir(artifacts)
        full_env = {k: v for k, v in os.environ.items() if not k.startswith("SCALETUNE_")}
        full_env.update(
            {
                "SCALETUNE_PROTOCOL": "1",
                "SCALETUNE_STUDY": study,
                "SCALETUNE_TRIAL": str(trial),
                "SCALETUNE_PARAMS_FILE": params_file,
                "SCALETUNE_ARTIFACT_DIR": artifacts,
                "PYTHONPATH": HERE,
                "PYTHONDONTWRITEBYTECODE": "1",
            }
        )
        for name, value in params.items():
            full_env["SCALETUNE_PARAM_" + re.sub(r"[^A-Z0-9]", "_", name.upper())] = value if isinstance(value, str) else json.dumps(value)
        full_env.update(env or {})
        proc = subprocess.Popen(argv, stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.PIPE, env=full_env, cwd=REPO)
        messages, log = [], []
        try:
            for raw in proc.stdout:
                line = raw.decode("utf-8").rstrip("\n")
                if not line.startswith(PREFIX):
                    log.append(line)
                    continue
                message = json.loads(line[len(PREFIX):])
                messages.append(message)
                if "suggest" in message or "should_prune" in message:
                    reply = answer(message) if answer else None
                    if reply is None:
                        proc.stdin.close()
                    else:
                        text = reply if isinstance(reply, str) else json.dumps(reply)
                        proc.stdin.write((text + "\n").encode("utf-8"))
                        proc.stdin.flush()
            stderr = proc.stderr.read().decode("utf-8")
            proc.wait(timeout=timeout)
        finally:
            if proc.poll() is None:
                proc.kill()
                proc.wait()
            for stream in (proc.stdin, proc.stdout, proc.stderr):
                try:
                    stream.close()
                except (OSError, ValueError):
                    pass
        run = Run(proc.returncode, messages, log, stderr)
        run.artifacts = artifacts
        run.files = sorted(os.listdir(artifacts))
        return run
    finally:
        shutil.rmtree(work, ignore_errors=True)


def script(code, **kwargs):
    """Runs a Python snippet (which imports scaletune_trial as st) under the fake worker."""
    source = "import scaletune_trial as st\n" + textwrap.dedent(code)
    return fake_worker([sys.executable, "-c", source], **kwargs)


def standalone(code, env=None):
    """Runs a snippet with no worker: no SCALETUNE_ variables but those given."""
    source = "import scaletune_trial as st\n" + textwrap.dedent(code)
    full_env = {k: v for k, v in os.environ.items() if not k.startswith("SCALETUNE_")}
    full_env.update({"PYTHONPATH": HERE, "PYTHONDONTWRITEBYTECODE": "1"}, **(env or {}))
    return subprocess.run([sys.executable, "-c", source], capture_output=True, text=True, env=full_env, stdin=subprocess.DEVNULL, timeout=60)


def values_from(table):
    """A responder that answers suggest questions from a table name -> value, and should_prune with False."""

    def answer(message):
        if "suggest" in message:
            return {"value": table[message["suggest"]["name"]]}
        return {"prune": False}

    return answer


class Suggest(unittest.TestCase):
    def test_define_by_run_asks_with_the_stored_distribution_json(self):
        run = script(
            """
            import json
            x = st.suggest_float("x", 0, 1)
            lr = st.suggest_float("lr", 1e-4, 1e-1, log=True)
            q = st.suggest_float("q", 0, 1, step=0.25)
            n = st.suggest_int("n", 1, 9, step=2)
            w = st.suggest_int("width", 16, 256, log=True)
            opt = st.suggest_categorical("opt", ["adam", "sgd", 3, True, None])
            print(json.dumps([x, lr, q, n, w, opt, type(n).__name__, type(x).__name__]))
            st.finish(x)
            """,
            answer=values_from({"x": 0.5, "lr": 0.01, "q": 0.75, "n": 7, "width": 64.0, "opt": None}),
        )
        self.assertEqual(run.returncode, 0, run.stderr)
        self.assertEqual(
            [m["suggest"] for m in run.messages[:6]],
            [
                {"name": "x", "distribution": {"type": "float", "low": 0, "high": 1, "log": False, "step": None}},
                {"name": "lr", "distribution": {"type": "float", "low": 1e-4, "high": 0.1, "log": True, "step": None}},
                {"name": "q", "distribution": {"type": "float", "low": 0, "high": 1, "log": False, "step": 0.25}},
                {"name": "n", "distribution": {"type": "int", "low": 1, "high": 9, "log": False, "step": 2}},
                {"name": "width", "distribution": {"type": "int", "low": 16, "high": 256, "log": True, "step": 1}},
                {"name": "opt", "distribution": {"type": "categorical", "choices": ["adam", "sgd", 3, True, None]}},
            ],
        )
        self.assertEqual(json.loads(run.log[0]), [0.5, 0.01, 0.75, 7, 64, None, "int", "float"])
        self.assertEqual(run.of("final"), [0.5])

    def test_declared_parameters_are_not_asked_and_params_returns_them(self):
        run = script(
            """
            import json
            print(json.dumps(st.params()))
            a = st.suggest_float("a", 0, 10)
            b = st.suggest_categorical("b", [1, 2, True])
            c = st.suggest_int("c", 0, 4)
            print(json.dumps([a, b, c, type(c).__name__]))
            st.finish(a)
            """,
            params={"a": 2.5, "b": True, "c": 3.0},
            distributions={"a": {"type": "float", "low": 0, "high": 10, "log": False, "step": None}},
        )
        self.assertEqual(run.returncode, 0, run.stderr)
        self.assertEqual(json.loads(run.log[0]), {"a": 2.5, "b": True, "c": 3.0})
        self.assertEqual(json.loads(run.log[1]), [2.5, True, 3, "int"])
        self.assertEqual(run.messages, [{"final": 2.5}])

    def test_a_declared_value_outside_the_range_asked_is_an_error(self):
        run = script('st.suggest_float("a", 0, 1)', params={"a": 5})
        self.assertEqual(run.returncode, 1)
        self.assertIn('ScaletuneError: the declared value 5 for parameter "a" is not in float [0.0, 1.0]', run.stderr)

    def test_the_same_name_again_is_answered_locally_and_another_range_is_an_error(self):
        run = script(
            """
            first = st.suggest_int("n", 0, 10)
            assert st.suggest_int("n", 0, 10) == first
            st.suggest_int("n", 0, 11)
            """,
            answer=values_from({"n": 4}),
        )
        self.assertEqual(len(run.of("suggest")), 1)
        self.assertEqual(run.returncode, 1)
        self.assertIn('parameter "n" was suggested twice in one trial with different ranges: first int [0, 10], now int [0, 11]', run.stderr)

    def test_a_refused_suggestion_raises_with_the_workers_message(self):
        run = script('st.suggest_float("x", 0, 1)', answer=lambda m: {"error": "the space is fixed"})
        self.assertEqual(run.returncode, 1)
        self.assertIn('ScaletuneError: the worker refused to suggest "x" (float [0.0, 1.0]): the space is fixed', run.stderr)

    def test_a_value_outside_the_distribution_from_the_worker_is_an_error(self):
        for value, expected in [(2, "the worker's value 2"), ("a", 'the worker\'s value "a"'), (1.5, "the worker's value 1.5")]:
            run = script('st.suggest_int("n", 0, 1)', answer=lambda m, v=value: {"value": v})
            self.assertEqual(run.returncode, 1)
            self.assertIn('%s for parameter "n" is not in int [0, 1]' % expected, run.stderr)

    def test_protocol_errors_name_the_problem(self):
        cases = [
            ('st.suggest_float("x", 0, 1)', lambda m: None, 'the worker closed stdin without replying to suggest "x"'),
            ('st.suggest_float("x", 0, 1)', lambda m: "nonsense", 'the worker\'s reply to suggest "x" is not JSON: \'nonsense\''),
            ('st.suggest_float("x", 0, 1)', lambda m: "[1, 2]", 'the worker\'s reply to suggest "x" is not a JSON object'),
            ('st.suggest_float("x", 0, 1)', lambda m: {"nothing": 1}, 'the worker\'s reply to suggest "x" has no "value"'),
            ("st.should_prune()", lambda m: {"value": 1}, 'the worker\'s reply to should_prune has no true/false "prune"'),
            ("st.should_prune()", lambda m: None, "the worker closed stdin without replying to should_prune"),
        ]
        for code, answer, expected in cases:
            run = script(code, answer=answer)
            self.assertEqual(run.returncode, 1, expected)
            self.assertIn("ScaletuneError: " + expected, run.stderr)

    def test_invalid_ranges_are_refused_before_anything_is_sent(self):
        cases = [
            ('st.suggest_float("x", 1, 0)', 'parameter "x": low (1) is greater than high (0)'),
            ('st.suggest_float("x", 0, 1, log=True)', "log scale needs low > 0"),
            ('st.suggest_float("x", 0, 1, step=0.3)', "step 0.3 does not divide the range"),
            ('st.suggest_float("x", 1e-3, 1, log=True, step=0.001)', "log scale cannot be combined with step"),
            ('st.suggest_float("x", 0, float("nan"))', "low and high must be finite numbers"),
            ('st.suggest_int("n", 0, 1.5)', "integer parameters need integer bounds"),
            ('st.suggest_int("n", 0, 10, step=2.5)', "integer parameters need an integer step"),
            ('st.suggest_int("n", 1, 16, log=True, step=3)', "log scale cannot be combined with step"),
            ('st.suggest_categorical("c", [])', "choices are empty"),
            ('st.suggest_categorical("c", ["a", "a"])', "appears twice"),
            ('st.suggest_categorical("c", [1, 1.0])', "appears twice"),
            ('st.suggest_categorical("c", [[1]])', "choices must be strings, numbers, booleans or None"),
            ('st.suggest_float("", 0, 1)', "parameter names must be non-empty strings"),
            ("st.suggest_float(3, 0, 1)", "parameter names must be non-empty strings"),
        ]
        for code, expected in cases:
            run = script(code, answer=lambda m: {"value": 0})
            self.assertEqual(run.messages, [], code)
            self.assertEqual(run.returncode, 1, code)
            self.assertIn("ScaletuneError: ", run.stderr, code)
            self.assertIn(expected, run.stderr, code)


class ReportAndPrune(unittest.TestCase):
    def test_report_should_prune_false_and_finish(self):
        run = script(
            """
            for step in range(3):
                st.report(1.0 / (step + 1), step, accuracy=0.5 + step / 10)
                assert st.should_prune() is False
            st.finish(0.25, accuracy=0.7)
            """,
            answer=lambda m: {"prune": False},
        )
        self.assertEqual(run.returncode, 0, run.stderr)
        self.assertEqual(
            run.messages,
            [
                {"report": 1.0, "step": 0, "metrics": {"accuracy": 0.5}},
                {"should_prune": True},
                {"report": 0.5, "step": 1, "metrics": {"accuracy": 0.6}},
                {"should_prune": True},
                {"report": 1.0 / 3, "step": 2, "metrics": {"accuracy": 0.7}},
                {"should_prune": True},
                {"final": 0.25, "metrics": {"accuracy": 0.7}},
            ],
        )
        self.assertEqual(run.stderr, "")

    def test_should_prune_true_then_trial_pruned_exits_0_quietly(self):
        prunes = iter([False, False, True])
        run = script(
            """
            for step in range(10):
                print("epoch", step)
                st.report(float(step), step)
                try:
                    if st.should_prune():
                        raise st.TrialPruned("pruned at step %d" % step)
                except Exception:
                    print("TrialPruned is not an Exception: training code's handlers let it through")
                    raise
            st.finish(1.0)
            """,
            answer=lambda m: {"prune": next(prunes)},
        )
        self.assertEqual(run.returncode, 0, run.stderr)
        self.assertEqual(run.stderr, "")
        self.assertEqual(run.log, ["epoch 0", "epoch 1", "epoch 2"])
        self.assertEqual(run.of("report"), [0.0, 1.0, 2.0])
        self.assertEqual(run.of("final"), [])

    def test_nothing_may_be_sent_after_a_prune(self):
        run = script(
            """
            st.should_prune()
            st.report(1.0, 1)
            """,
            answer=lambda m: {"prune": True},
        )
        self.assertEqual(run.returncode, 1)
        self.assertIn("cannot report: the worker said to prune this trial; raise TrialPruned", run.stderr)

    def test_multi_objective_report_and_finish(self):
        run = script(
            """
            st.report([0.5, 2], 1, latency=3)
            st.finish([0.25, 1.5])
            """
        )
        self.assertEqual(run.returncode, 0, run.stderr)
        self.assertEqual(run.messages, [{"report": [0.5, 2], "step": 1, "metrics": {"latency": 3}}, {"final": [0.25, 1.5]}])

    def test_invalid_values_are_refused_before_sending(self):
        cases = [
            ('st.finish(float("nan"))', "finish()'s value is nan: JSON cannot carry NaN or infinity"),
            ('st.finish([1.0, float("inf")])', "finish()'s value[1] is inf"),
            ("st.finish([])", "needs a number or a non-empty list"),
            ('st.finish("1")', "finish()'s value must be a number, got '1'"),
            ("st.finish(True)", "finish()'s value must be a number, got True"),
            ('st.finish(1.0, acc=float("nan"))', 'finish(): metric "acc" is nan'),
            ('st.report(float("nan"), 1)', "report()'s value is nan"),
            ("st.report(1.0, -1)", "report() needs a non-negative integer step, got -1"),
            ("st.report(1.0, 1.5)", "report() needs a non-negative integer step, got 1.5"),
            ('st.report(1.0, 1, **{"objective:1": 2.0})', 'metric name "objective:1" is reserved'),
            ('st.report(1.0, 1, acc="high")', 'report(): metric "acc" must be a number'),
            ('st.set_user_attr("k", {1, 2})', 'user attribute "k" is not JSON-serialisable'),
            ('st.set_user_attr("k", float("nan"))', 'user attribute "k" is not JSON-serialisable'),
            ('st.set_user_attr("", 1)', "set_user_attr() needs a non-empty string key"),
        ]
        for code, expected in cases:
            run = script(code)
            self.assertEqual(run.messages, [], code)
            self.assertEqual(run.returncode, 1, code)
            self.assertIn(expected, run.stderr, code)

    def test_numpy_scalars_are_numbers(self):
        try:
            import numpy  # noqa: F401
        except ImportError:
            self.skipTest("numpy is not installed")
        run = script(
            """
            import numpy as np
            st.report(np.float32(0.5), np.int64(2), acc=np.float64(0.25))
            print(st.suggest_categorical("c", [np.int64(1), 2]), st.suggest_int("n", np.int64(0), np.int32(4)))
            st.finish([np.float32(1.5), 2])
            """,
            answer=lambda m: {"value": 1},
        )
        self.assertEqual(run.returncode, 0, run.stderr)
        self.assertEqual(run.messages[0], {"report": 0.5, "step": 2, "metrics": {"acc": 0.25}})
        self.assertEqual(run.messages[1]["suggest"]["distribution"], {"type": "categorical", "choices": [1, 2]})
        self.assertEqual(run.messages[2]["suggest"]["distribution"], {"type": "int", "low": 0, "high": 4, "log": False, "step": 1})
        self.assertEqual(run.log, ["1 1"])
        self.assertEqual(run.messages[-1], {"final": [1.5, 2]})

    def test_nothing_may_be_sent_after_finish(self):
        run = script("st.finish(1.0)\nst.finish(2.0)")
        self.assertEqual(run.messages, [{"final": 1.0}])
        self.assertIn("cannot finish: finish() was already called", run.stderr)


class Attributes(unittest.TestCase):
    def test_user_attrs_trial_study_and_artifact_dir(self):
        run = script(
            """
            import os
            st.set_user_attr("config", {"layers": [1, 2], "name": "é", "ok": True, "none": None})
            print(st.trial_number(), st.study_name())
            with open(os.path.join(st.artifact_dir(), "model.txt"), "w") as f:
                f.write("weights")
            st.finish(1)
            """,
            trial=7,
            study="my study",
        )
        self.assertEqual(run.returncode, 0, run.stderr)
        self.assertEqual(run.messages[0], {"user_attr": {"key": "config", "value": {"layers": [1, 2], "name": "é", "ok": True, "none": None}}})
        self.assertEqual(run.log, ["7 my study"])
        self.assertEqual(run.files, ["model.txt"])

    def test_messages_stay_on_the_real_stdout_and_in_order_with_prints(self):
        run = script(
            """
            import contextlib, io, sys
            print("before", end="")
            print(" and after")
            with contextlib.redirect_stdout(io.StringIO()):
                st.report(1.0, 0)
            sys.stdout.write("buffered\\n")
            st.finish(2.0)
            """
        )
        self.assertEqual(run.returncode, 0, run.stderr)
        self.assertEqual(run.log, ["before and after", "buffered"])
        self.assertEqual(run.messages, [{"report": 1.0, "step": 0}, {"final": 2.0}])

    def test_a_worker_of_another_protocol_or_without_params_file_is_an_error(self):
        run = script('st.suggest_float("x", 0, 1)', env={"SCALETUNE_PROTOCOL": "2"})
        self.assertIn("the worker speaks protocol '2', this scaletune_trial.py speaks 1", run.stderr)
        run = script('st.suggest_float("x", 0, 1)', env={"SCALETUNE_PARAMS_FILE": ""})
        self.assertIn("SCALETUNE_PROTOCOL is set but SCALETUNE_PARAMS_FILE is not", run.stderr)
        run = script('st.suggest_float("x", 0, 1)', env={"SCALETUNE_PARAMS_FILE": "/nonexistent/params.json"})
        self.assertIn("cannot read SCALETUNE_PARAMS_FILE /nonexistent/params.json", run.stderr)


class Standalone(unittest.TestCase):
    CODE = """
        import json
        values = [
            st.suggest_float("x", 0, 1),
            st.suggest_float("lr", 1e-4, 1e-2, log=True),
            st.suggest_int("n", 1, 10, step=3),
            st.suggest_int("batch-size", 16, 64, log=True),
            st.suggest_categorical("opt", ["adam", "sgd", 3]),
            st.suggest_float("grid", 0, 0.5, step=0.1),
        ]
        st.report(0.5, 1)
        values.append(st.should_prune())
        values += [st.trial_number(), st.study_name(), st.params()]
        print(json.dumps(values))
        st.finish(0.5)
        """

    def test_defaults_are_the_middle_of_the_range_and_the_first_choice(self):
        r = standalone(self.CODE)
        self.assertEqual(r.returncode, 0, r.stderr)
        lines = r.stdout.splitlines()
        self.assertEqual(lines[0], '@scaletune {"report":0.5,"step":1}')
        values = json.loads(lines[1])
        self.assertAlmostEqual(values[1], 1e-3)
        self.assertEqual(values[:1] + values[2:], [0.5, 7, 32, "adam", 0.3, False, 0, "standalone", {}])
        self.assertEqual(lines[2], '@scaletune {"final":0.5}')

    def test_values_from_the_environment_and_a_params_file(self):
        with tempfile.NamedTemporaryFile("w", suffix=".json", delete=False) as f:
            json.dump({"x": 0.25, "opt": 3}, f)
        try:
            r = standalone(
                self.CODE,
                env={"SCALETUNE_PARAMS_FILE": f.name, "SCALETUNE_PARAM_BATCH_SIZE": "64", "SCALETUNE_PARAM_N": "7", "SCALETUNE_PARAM_X": "0.9", "SCALETUNE_TRIAL": "5"},
            )
        finally:
            os.unlink(f.name)
        self.assertEqual(r.returncode, 0, r.stderr)
        values = json.loads(r.stdout.splitlines()[1])
        # The file wins over the environment (x); the environment over the defaults (n, batch-size).
        self.assertEqual(values[:1] + values[2:], [0.25, 7, 64, 3, 0.3, False, 5, "standalone", {"x": 0.25, "opt": 3}])

    def test_a_categorical_from_the_environment_is_matched_by_text_or_json(self):
        r = standalone('print(repr(st.suggest_categorical("c", [None, 2, "b"])))', env={"SCALETUNE_PARAM_C": "b"})
        self.assertEqual(r.stdout.strip(), "'b'")
        r = standalone('print(repr(st.suggest_categorical("c", [None, 2, "b"])))', env={"SCALETUNE_PARAM_C": "2"})
        self.assertEqual(r.stdout.strip(), "2")
        r = standalone('st.suggest_categorical("c", [None, 2, "b"])', env={"SCALETUNE_PARAM_C": "z"})
        self.assertIn('SCALETUNE_PARAM_C\'s value \'z\' for parameter "c" is not in categorical [null, 2, "b"]', r.stderr)

    def test_an_artifact_dir_is_made(self):
        r = standalone("import os; d = st.artifact_dir(); print(os.path.isdir(d), d == st.artifact_dir()); os.rmdir(d)")
        self.assertEqual(r.stdout.strip(), "True True")


class PytorchExample(unittest.TestCase):
    """One trial of examples/pytorch/train_digits.py under the fake worker."""

    def setUp(self):
        probe = subprocess.run([sys.executable, "-c", "import torch"], capture_output=True, text=True)
        if probe.returncode != 0:
            reason = "torch is not installed for %s (apt-get install python3-torch)" % sys.executable
            if os.environ.get("CI") == "true":
                self.fail(reason + "; CI=true needs it")
            self.skipTest(reason)

    def test_one_trial_reports_every_epoch_and_finishes(self):
        suggested = {"lr": 0.01, "hidden": 32, "weight_decay": 1e-5, "optimizer": "adam", "batch_size": 64}
        prune_questions = []

        def answer(message):
            if "suggest" in message:
                return {"value": suggested[message["suggest"]["name"]]}
            prune_questions.append(message)
            return {"prune": False}

        run = fake_worker([sys.executable, os.path.join(REPO, "examples", "pytorch", "train_digits.py"), "--epochs=4"], answer=answer)
        self.assertEqual(run.returncode, 0, run.stderr)
        self.assertEqual(sorted(m["name"] for m in run.of("suggest")), sorted(suggested))
        reports = [m for m in run.messages if "report" in m]
        self.assertEqual([m["step"] for m in reports], [1, 2, 3, 4])
        self.assertEqual(len(prune_questions), 4)
        final = run.messages[-1]
        self.assertIn("final", final)
        self.assertGreater(final["metrics"]["accuracy"], 0.8, run.log)
        self.assertEqual(final["final"], reports[-1]["report"])
        self.assertEqual(run.files, ["model.pt"])

    def test_a_pruned_trial_stops_at_once(self):
        answer = lambda m: {"value": {"lr": 0.01, "hidden": 16, "weight_decay": 1e-4, "optimizer": "sgd", "batch_size": 128}[m["suggest"]["name"]]} if "suggest" in m else {"prune": True}
        run = fake_worker([sys.executable, os.path.join(REPO, "examples", "pytorch", "train_digits.py"), "--epochs=4"], answer=answer)
        self.assertEqual(run.returncode, 0, run.stderr)
        self.assertEqual(run.stderr, "")
        self.assertEqual([m["step"] for m in run.messages if "report" in m], [1])
        self.assertNotIn("final", run.messages[-1])


if __name__ == "__main__":
    unittest.main()
