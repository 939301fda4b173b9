"""scaletune_trial: the trial side of the scaletune command-trial protocol, version 1.

One file, standard library only, Python >= 3.8. Copy it next to your script, or put its folder on the path:

    PYTHONPATH="$(npx scaletune python-helper --path)" python3 train.py
    # or, in the script: sys.path.insert(0, "<the folder `npx scaletune python-helper --path` prints>")

A training script run by `scaletune run ... -- python3 train.py` uses it like this:

    import scaletune_trial as st

    lr = st.suggest_float("lr", 1e-4, 1e-1, log=True)
    width = st.suggest_int("width", 16, 256, log=True)
    optimizer = st.suggest_categorical("optimizer", ["adam", "sgd"])
    for epoch in range(1, epochs + 1):
        loss = train_one_epoch(...)
        st.report(loss, epoch, accuracy=accuracy)
        if st.should_prune():
            raise st.TrialPruned(f"pruned at epoch {epoch}")
    st.finish(loss, accuracy=accuracy)

API
---
params()                                 the parameters the worker chose before starting the trial (a new dict);
                                         empty when the search space is define-by-run.
suggest_float(name, low, high, log=False, step=None) -> float
suggest_int(name, low, high, log=False, step=1) -> int
suggest_categorical(name, choices) -> the element of `choices` chosen (numpy numbers come back as Python's)
                                         A parameter in params() is returned without asking, after checking that its
                                         value lies in the range asked for (else ScaletuneError). Any other parameter
                                         is asked of the worker (define-by-run). Suggesting a name again returns the
                                         same value; with a different range it raises ScaletuneError.
report(value, step, **metrics)           an intermediate value (a number, or a list of numbers: one per objective)
                                         at an integer step >= 0, with optional named metrics (numbers).
should_prune() -> bool                   asks the worker's pruner. When it says True, stop: raise TrialPruned.
set_user_attr(key, value)                stores a JSON value with the trial.
finish(value, **metrics)                 the final value (a number, or a list for a multi-objective study); sends
                                         it and returns. Return from the script afterwards (exit 0): nothing may
                                         be sent after it.
trial_number(), study_name(), artifact_dir()
TrialPruned                              the exception to raise when should_prune() said True.
ScaletuneError                           raised, with a message naming the problem, for invalid arguments (a bad
                                         range, a NaN or infinite value, which JSON cannot carry, a metric name
                                         starting with "objective:") and protocol errors (no reply, a malformed
                                         reply, a refused suggestion). Uncaught, it fails the trial (exit 1).

Decisions
---------
* TrialPruned is a SystemExit whose exit code is always 0: uncaught, it ends the script silently with exit code 0,
  and `except Exception:` blocks in training code do not swallow it. The worker records a trial it told to prune as
  pruned whatever the exit code; raising TrialPruned without should_prune() having said True ends the trial
  without a final value, which the worker records as failed.
* Every message is one line "@scaletune {json}" written to the process's real stdout (sys.__stdout__, even under
  contextlib.redirect_stdout) and flushed; sys.stdout is flushed first so that messages and the script's own
  prints stay in order. The JSON is ASCII. Print whole lines: text printed without a newline just before a message
  would join its line and hide it. Replies are read line by line from the real stdin. Calls are thread-safe.
* Values must be finite numbers (bools are refused as numbers): NaN or infinity raises ScaletuneError before
  anything is sent, as do non-JSON user attributes and duplicate or mismatched suggestions.
* Outside a worker (SCALETUNE_PROTOCOL unset) a script runs as it is, for debugging:
    - parameters come from, in order: the JSON file named by SCALETUNE_PARAMS_FILE (the protocol's form
      {"params": {...}, ...} or a plain {name: value} object), then SCALETUNE_PARAM_<NAME> environment variables
      (NAME upper-cased, characters outside A-Z0-9 replaced by "_"; a categorical value matches the choice whose
      JSON or text is that string), then a default: the middle of the range (the geometric middle on a log scale,
      rounded half up onto the step or to an integer) and the first choice;
    - messages are still printed to stdout, so you see what a worker would receive; nothing is read from stdin;
      should_prune() is False;
    - trial_number() is SCALETUNE_TRIAL or 0, study_name() is SCALETUNE_STUDY or "standalone", artifact_dir() is
      SCALETUNE_ARTIFACT_DIR or a new temporary directory (made once, kept).
* In a worker SCALETUNE_PROTOCOL must be "1" and SCALETUNE_PARAMS_FILE readable; otherwise the first call raises
  ScaletuneError saying so.
"""

import json
import math
import numbers
import os
import re
import sys
import tempfile
import threading

__all__ = [
    "ScaletuneError",
    "TrialPruned",
    "artifact_dir",
    "finish",
    "params",
    "report",
    "set_user_attr",
    "should_prune",
    "study_name",
    "suggest_categorical",
    "suggest_float",
    "suggest_int",
    "trial_number",
]

PROTOCOL = 1
PREFIX = "@scaletune "
OBJECTIVE_METRIC_PREFIX = "objective:"
STEP_TOLERANCE = 1e-9


class ScaletuneError(Exception):
    """An invalid argument or a protocol error; the message names the problem."""


class TrialPruned(SystemExit):
    """Raise when should_prune() said True. Uncaught, it exits silently with code 0 (see the module's docstring)."""

    def __init__(self, message="trial pruned"):
        super().__init__(message)
        # SystemExit's exit status is its `code`: 0, whatever the message.
        self.code = 0

    def __str__(self):
        return str(self.args[0]) if self.args else "trial pruned"


# ----------------------------------------------------------------------------------------------------------- checks


def _is_number(value):
    """A real number (int, float, numpy's scalars), not a bool."""
    return isinstance(value, numbers.Real) and not isinstance(value, bool)


def _plain(value):
    """The number as a Python int or float, which json can write (numpy's float32 it cannot)."""
    return int(value) if isinstance(value, numbers.Integral) else float(value)


def _finite(what, value):
    if not _is_number(value):
        raise ScaletuneError("%s must be a number, got %r" % (what, value))
    if not math.isfinite(value):
        raise ScaletuneError("%s is %r: JSON cannot carry NaN or infinity; send a finite number" % (what, value))
    return _plain(value)


def _check_name(name):
    if not isinstance(name, str) or name == "":
        raise ScaletuneError("parameter names must be non-empty strings, got %r" % (name,))


def _fail(name, problem, fix):
    raise ScaletuneError('parameter "%s": %s; %s' % (name, problem, fix))


def _check_range(name, low, high, log, step):
    if not (_is_number(low) and _is_number(high) and math.isfinite(low) and math.isfinite(high)):
        _fail(name, "low and high must be finite numbers (got low=%r, high=%r)" % (low, high), "pass finite bounds")
    if low > high:
        _fail(name, "low (%r) is greater than high (%r)" % (low, high), "swap them or fix the range")
    if not isinstance(log, bool):
        _fail(name, "log must be True or False, got %r" % (log,), "pass a bool")
    if log:
        if low <= 0:
            _fail(name, "log scale needs low > 0 (got low=%r)" % (low,), "use a positive lower bound or drop log")
        if step is not None:
            _fail(name, "log scale cannot be combined with step", "choose one of log or step")
    if step is not None:
        if not (_is_number(step) and math.isfinite(step) and step > 0):
            _fail(name, "step must be a positive number (got %r)" % (step,), "pass step > 0")
        intervals = (high - low) / step
        if abs(intervals - round(intervals)) > STEP_TOLERANCE * max(1, intervals):
            _fail(name, "step %r does not divide the range [%r, %r]" % (step, low, high), "make high - low a multiple of step")


def _float_distribution(name, low, high, log, step):
    _check_range(name, low, high, log, step)
    return {"type": "float", "low": float(low), "high": float(high), "log": log, "step": None if step is None else float(step)}


def _is_integer(value):
    return _is_number(value) and math.isfinite(value) and float(value).is_integer()


def _int_distribution(name, low, high, log, step):
    if not (_is_integer(low) and _is_integer(high)):
        _fail(name, "integer parameters need integer bounds (got low=%r, high=%r)" % (low, high), "round the bounds or use suggest_float")
    if not _is_integer(step):
        _fail(name, "integer parameters need an integer step (got %r)" % (step,), "use an integer step")
    # An integer range always has step 1 implicitly, so only a coarser step conflicts with log.
    _check_range(name, low, high, log, None if log and step == 1 else step)
    return {"type": "int", "low": int(low), "high": int(high), "log": log, "step": int(step)}


def _choice_key(value):
    """Identity of a choice as the worker (JavaScript) sees it: 1 and 1.0 alike, True and 1 apart."""
    if value is None:
        return ("null",)
    if isinstance(value, bool):
        return ("bool", value)
    if isinstance(value, str):
        return ("str", value)
    return ("number", float(value))


def _categorical_distribution(name, choices):
    if not isinstance(choices, (list, tuple)) or len(choices) == 0:
        _fail(name, "choices are empty or not a list (got %r)" % (choices,), "pass a non-empty list of choices")
    seen = set()
    for choice in choices:
        if not (choice is None or isinstance(choice, (str, bool)) or _is_number(choice)):
            _fail(name, "choice %r is a %s" % (choice, type(choice).__name__), "choices must be strings, numbers, booleans or None")
        if _is_number(choice) and not math.isfinite(choice):
            _fail(name, "choice %r is not finite" % (choice,), "use finite numbers")
        key = _choice_key(choice)
        if key in seen:
            _fail(name, "choice %r appears twice" % (choice,), "remove the duplicate")
        seen.add(key)
    return {"type": "categorical", "choices": [_plain(c) if _is_number(c) else c for c in choices]}


def _same_distribution(a, b):
    if not isinstance(a, dict) or not isinstance(b, dict) or a.get("type") != b.get("type"):
        return False
    if a["type"] == "categorical":
        return [_choice_key(c) for c in a.get("choices", [])] == [_choice_key(c) for c in b.get("choices", [])]
    step_a = a.get("step", 1 if a["type"] == "int" else None)
    step_b = b.get("step", 1 if b["type"] == "int" else None)
    return a.get("low") == b.get("low") and a.get("high") == b.get("high") and bool(a.get("log")) == bool(b.get("log")) and step_a == step_b


def _describe(d):
    if d["type"] == "categorical":
        return "categorical %s" % json.dumps(d["choices"])
    extras = []
    if d.get("log"):
        extras.append("log")
    if d.get("step") is not None and not (d["type"] == "int" and d["step"] == 1):
        extras.append("step=%r" % (d["step"],))
    return "%s [%r, %r]%s" % (d["type"], d["low"], d["high"], "".join(" " + e for e in extras))


def _in_distribution(name, d, value, origin):
    """The external value as the script should see it, or a ScaletuneError when it is not in the distribution."""
    bad = ScaletuneError(
        '%s value %s for parameter "%s" is not in %s' % (origin, json.dumps(value), name, _describe(d))
    )
    if d["type"] == "categorical":
        if not (value is None or isinstance(value, (str, bool)) or _is_number(value)):
            raise bad
        key = _choice_key(value)
        for choice in d["choices"]:
            if _choice_key(choice) == key:
                return choice
        raise bad
    if not (_is_number(value) and math.isfinite(value)):
        raise bad
    slack = 1e-12 * max(1, abs(d["high"]), abs(d["low"]))
    if value < d["low"] - slack or value > d["high"] + slack:
        raise bad
    if d["type"] == "int" and not float(value).is_integer():
        raise bad
    if d.get("step") is not None:
        k = (value - d["low"]) / d["step"]
        if abs(k - round(k)) > 1e-8 * max(1, k):
            raise bad
    return int(value) if d["type"] == "int" else float(value)


def _default(d):
    """The value a standalone run uses when nothing gives one: the middle of the range, or the first choice."""
    if d["type"] == "categorical":
        return d["choices"][0]
    low, high, step = d["low"], d["high"], d.get("step")
    middle = math.sqrt(low * high) if d.get("log") else (low + high) / 2
    if step is not None:
        middle = low + math.floor((middle - low) / step + 0.5) * step
        # Free of representation noise such as 0.30000000000000004, as the worker's samplers snap grids.
        middle = min(high, max(low, float("%.15g" % middle)))
    if d["type"] == "int":
        return int(min(high, max(low, math.floor(middle + 0.5))))
    return float(middle)


def _json_value(what, value):
    try:
        return json.loads(json.dumps(value, allow_nan=False))
    except (TypeError, ValueError) as error:
        raise ScaletuneError("%s is not JSON-serialisable (%s); pass strings, finite numbers, bools, None, lists and dicts" % (what, error))


def _values(what, value):
    if isinstance(value, (list, tuple)):
        if len(value) == 0:
            raise ScaletuneError("%s needs a number or a non-empty list of numbers (one per objective), got []" % what)
        return [_finite("%s[%d]" % (what, i), v) for i, v in enumerate(value)]
    return _finite(what, value)


def _metrics(what, metrics):
    out = {}
    for name, value in metrics.items():
        if name.startswith(OBJECTIVE_METRIC_PREFIX):
            raise ScaletuneError('%s: metric name "%s" is reserved for the objectives of a multi-objective study; rename it' % (what, name))
        out[name] = _finite('%s: metric "%s"' % (what, name), value)
    return out


def env_name(name):
    """The environment variable that carries a parameter: SCALETUNE_PARAM_ and the name upper-cased, [^A-Z0-9] -> _."""
    return "SCALETUNE_PARAM_" + re.sub(r"[^A-Z0-9]", "_", name.upper())


# ------------------------------------------------------------------------------------------------------------ state


class _Trial:
    def __init__(self):
        self.lock = threading.RLock()
        self.loaded = False
        self.worker = False
        self.file = {}
        self.declared = {}
        self.declared_distributions = {}
        self.suggested = {}  # name -> (distribution, value)
        self.finished = False
        self.pruned = False
        self.artifacts = None

    def load(self):
        if self.loaded:
            return
        protocol = os.environ.get("SCALETUNE_PROTOCOL")
        self.worker = protocol is not None
        if self.worker and protocol != str(PROTOCOL):
            raise ScaletuneError(
                "the worker speaks protocol %r, this scaletune_trial.py speaks %d; use the helper that ships with the "
                "worker's scaletune (`npx scaletune python-helper --path`)" % (protocol, PROTOCOL)
            )
        path = os.environ.get("SCALETUNE_PARAMS_FILE")
        if path:
            self.file = self.read_params_file(path)
        elif self.worker:
            raise ScaletuneError("SCALETUNE_PROTOCOL is set but SCALETUNE_PARAMS_FILE is not: the worker must name its parameters file")
        self.loaded = True

    def read_params_file(self, path):
        try:
            with open(path, "r", encoding="utf-8") as f:
                data = json.load(f)
        except OSError as error:
            raise ScaletuneError("cannot read SCALETUNE_PARAMS_FILE %s: %s" % (path, error.strerror or error))
        except ValueError as error:
            raise ScaletuneError("SCALETUNE_PARAMS_FILE %s is not valid JSON: %s" % (path, error))
        if not isinstance(data, dict):
            raise ScaletuneError("SCALETUNE_PARAMS_FILE %s must hold a JSON object, got %s" % (path, type(data).__name__))
        protocol_form = self.worker or "params" in data
        if protocol_form:
            if data.get("protocol", PROTOCOL) != PROTOCOL:
                raise ScaletuneError("SCALETUNE_PARAMS_FILE %s is for protocol %r, this helper speaks %d" % (path, data.get("protocol"), PROTOCOL))
            declared = data.get("params", {})
            distributions = data.get("distributions", {})
            if not isinstance(declared, dict) or not isinstance(distributions, dict):
                raise ScaletuneError('SCALETUNE_PARAMS_FILE %s: "params" and "distributions" must be JSON objects' % path)
        else:
            declared, distributions = data, {}
        self.declared = dict(declared)
        self.declared_distributions = dict(distributions)
        return data

    # -- output and input

    def send(self, message):
        line = PREFIX + json.dumps(message, allow_nan=False, separators=(",", ":")) + "\n"
        out = sys.__stdout__ or sys.stdout
        if sys.stdout is not None and sys.stdout is not out:
            sys.stdout.flush()
        out.write(line)
        out.flush()

    def ask(self, message, what):
        self.send(message)
        stdin = sys.__stdin__ or sys.stdin
        if stdin is None:
            raise ScaletuneError("no stdin to read the worker's reply to %s from" % what)
        raw = stdin.buffer.readline() if hasattr(stdin, "buffer") else stdin.readline()
        if isinstance(raw, bytes):
            raw = raw.decode("utf-8", "replace")
        if raw == "":
            raise ScaletuneError("the worker closed stdin without replying to %s" % what)
        try:
            reply = json.loads(raw)
        except ValueError:
            raise ScaletuneError("the worker's reply to %s is not JSON: %r" % (what, raw.strip()[:200]))
        if not isinstance(reply, dict):
            raise ScaletuneError("the worker's reply to %s is not a JSON object: %r" % (what, raw.strip()[:200]))
        return reply

    def check_open(self, doing):
        if self.finished:
            raise ScaletuneError("cannot %s: finish() was already called, and nothing may be sent after the final value" % doing)
        if self.pruned:
            raise ScaletuneError("cannot %s: the worker said to prune this trial; raise TrialPruned" % doing)

    # -- the calls

    def suggest(self, name, distribution):
        with self.lock:
            self.load()
            previous = self.suggested.get(name)
            if previous is not None:
                if not _same_distribution(previous[0], distribution):
                    raise ScaletuneError(
                        'parameter "%s" was suggested twice in one trial with different ranges: first %s, now %s; '
                        "use one range per name (or another name)" % (name, _describe(previous[0]), _describe(distribution))
                    )
                return previous[1]
            if name in self.declared:
                value = _in_distribution(name, distribution, self.declared[name], "the declared")
            elif not self.worker:
                value = self.standalone_value(name, distribution)
            else:
                self.check_open("suggest parameter %r" % name)
                what = 'suggest "%s"' % name
                reply = self.ask({"suggest": {"name": name, "distribution": distribution}}, what)
                if "error" in reply:
                    raise ScaletuneError('the worker refused to suggest "%s" (%s): %s' % (name, _describe(distribution), reply["error"]))
                if "value" not in reply:
                    raise ScaletuneError('the worker\'s reply to %s has no "value": %s' % (what, json.dumps(reply)))
                value = _in_distribution(name, distribution, reply["value"], "the worker's")
            self.suggested[name] = (distribution, value)
            return value

    def standalone_value(self, name, distribution):
        text = os.environ.get(env_name(name))
        if text is None:
            return _default(distribution)
        origin = "%s's" % env_name(name)
        if distribution["type"] == "categorical":
            for choice in distribution["choices"]:
                if text == json.dumps(choice) or (isinstance(choice, str) and text == choice):
                    return choice
            raise ScaletuneError('%s value %r for parameter "%s" is not in %s' % (origin, text, name, _describe(distribution)))
        try:
            number = float(text)
        except ValueError:
            raise ScaletuneError('%s value %r for parameter "%s" is not a number' % (origin, text, name))
        return _in_distribution(name, distribution, number, origin)

    def report(self, value, step, metrics):
        values = _values("report()'s value", value)
        if not (isinstance(step, numbers.Integral) and not isinstance(step, bool) and step >= 0):
            raise ScaletuneError("report() needs a non-negative integer step, got %r" % (step,))
        message = {"report": values, "step": int(step)}
        if metrics:
            message["metrics"] = _metrics("report()", metrics)
        with self.lock:
            self.load()
            self.check_open("report")
            self.send(message)

    def should_prune(self):
        with self.lock:
            self.load()
            self.check_open("ask whether to prune")
            if not self.worker:
                return False
            reply = self.ask({"should_prune": True}, "should_prune")
            prune = reply.get("prune")
            if not isinstance(prune, bool):
                raise ScaletuneError('the worker\'s reply to should_prune has no true/false "prune": %s' % json.dumps(reply))
            self.pruned = prune
            return prune

    def set_user_attr(self, key, value):
        if not isinstance(key, str) or key == "":
            raise ScaletuneError("set_user_attr() needs a non-empty string key, got %r" % (key,))
        value = _json_value('user attribute "%s"' % key, value)
        with self.lock:
            self.load()
            self.check_open("set a user attribute")
            self.send({"user_attr": {"key": key, "value": value}})

    def finish(self, value, metrics):
        values = _values("finish()'s value", value)
        message = {"final": values}
        if metrics:
            message["metrics"] = _metrics("finish()", metrics)
        with self.lock:
            self.load()
            self.check_open("finish")
            self.send(message)
            self.finished = True

    def artifact_dir(self):
        with self.lock:
            if self.artifacts is None:
                self.artifacts = os.environ.get("SCALETUNE_ARTIFACT_DIR") or tempfile.mkdtemp(prefix="scaletune-artifacts-")
            return self.artifacts


_trial = _Trial()


# ------------------------------------------------------------------------------------------------------------- API


def params():
    """The parameters the worker chose before starting the trial (a new dict; empty for a define-by-run space)."""
    with _trial.lock:
        _trial.load()
        return dict(_trial.declared)


def suggest_float(name, low, high, log=False, step=None):
    """A float in [low, high], on a log scale or a grid of `step` if asked."""
    _check_name(name)
    return _trial.suggest(name, _float_distribution(name, low, high, log, step))


def suggest_int(name, low, high, log=False, step=1):
    """An int in [low, high], on a log scale or a grid of `step` if asked."""
    _check_name(name)
    return _trial.suggest(name, _int_distribution(name, low, high, log, step))


def suggest_categorical(name, choices):
    """One of `choices` (strings, numbers, bools or None)."""
    _check_name(name)
    return _trial.suggest(name, _categorical_distribution(name, choices))


def report(value, step, **metrics):
    """An intermediate value (one number per objective) at an integer step >= 0, with optional named metrics."""
    _trial.report(value, step, metrics)


def should_prune():
    """Whether the worker's pruner stops the trial now; if True, raise TrialPruned. Always False outside a worker."""
    return _trial.should_prune()


def set_user_attr(key, value):
    """Stores a JSON value with the trial under `key`."""
    _trial.set_user_attr(key, value)


def finish(value, **metrics):
    """Sends the final value (a number, or a list for a multi-objective study); exit 0 afterwards."""
    _trial.finish(value, metrics)


def trial_number():
    """The trial's number in its study (SCALETUNE_TRIAL); 0 outside a worker unless set."""
    text = os.environ.get("SCALETUNE_TRIAL")
    if text is None:
        return 0
    try:
        return int(text)
    except ValueError:
        raise ScaletuneError("SCALETUNE_TRIAL is %r, not an integer" % text)


def study_name():
    """The study's name (SCALETUNE_STUDY); "standalone" outside a worker unless set."""
    return os.environ.get("SCALETUNE_STUDY", "standalone")


def artifact_dir():
    """The directory for this trial's files (SCALETUNE_ARTIFACT_DIR); a new temporary directory outside a worker."""
    return _trial.artifact_dir()
