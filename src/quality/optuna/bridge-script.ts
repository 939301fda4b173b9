/**
 * @module The Python side of the Optuna bridge, kept as a string so that it ships inside `dist/` with the rest of
 * the harness (the build is plain `tsc`, which copies no other files). It is run as `python -c <script>`.
 *
 * Protocol: one JSON object per line each way, strictly request → reply. After start-up Python sends
 * `{"ready": true, "optuna": version}` (or `{"error": "import", …}` when Optuna cannot be imported). Requests:
 * `{"op": "start", "sampler", "seed", "direction"}` → `{"ok": true}` (a new in-memory study);
 * `{"op": "ask"}` → `{"number", "ms"}`; `{"op": "suggest", "name", "distribution"}` → `{"value", "ms"}` (float/int
 * value, or the categorical choice's index); `{"op": "tell", "value"}` or `{"op": "tell", "failed": true}` →
 * `{"state", "ms"}`. Any failure → `{"error": kind, "message"}`. `ms` is Python's own time for that call.
 * The names of the samplers it builds are here too, light to load for the command line's help.
 */

/** The Optuna samplers the script builds, its `factories` (`gp` only where Optuna has GPSampler: 3.6 and later). */
export const OPTUNA_SAMPLERS: readonly string[] = ["random", "tpe", "tpe_mv", "tpe_mv_group", "cmaes", "qmc", "gp"];
/** The anchors' five; `tpe_mv_group` matters only on conditional spaces. */
export const DEFAULT_OPTUNA_SAMPLERS: readonly string[] = ["random", "tpe", "tpe_mv", "cmaes", "qmc"];

export const OPTUNA_BRIDGE_SCRIPT = String.raw`
import json
import sys
import time
import warnings


def main():
    out = sys.stdout
    # Anything Optuna or its dependencies print goes to stderr, never into the protocol.
    sys.stdout = sys.stderr

    def send(message):
        out.write(json.dumps(message) + "\n")
        out.flush()

    try:
        import optuna
    except Exception as error:
        send({"error": "import", "message": type(error).__name__ + ": " + str(error)})
        return 3
    optuna.logging.set_verbosity(optuna.logging.ERROR)
    optuna.logging.disable_default_handler()
    warnings.simplefilter("ignore", optuna.exceptions.ExperimentalWarning)

    samplers = optuna.samplers
    factories = {
        "random": lambda seed: samplers.RandomSampler(seed=seed),
        "tpe": lambda seed: samplers.TPESampler(seed=seed),
        "tpe_mv": lambda seed: samplers.TPESampler(seed=seed, multivariate=True),
        "tpe_mv_group": lambda seed: samplers.TPESampler(seed=seed, multivariate=True, group=True),
        "cmaes": lambda seed: samplers.CmaEsSampler(seed=seed),
        # scramble=True: without it the seed changes only the first point (see the anchors' RESULTS.md).
        "qmc": lambda seed: samplers.QMCSampler(seed=seed, scramble=True),
    }
    if hasattr(samplers, "GPSampler"):
        factories["gp"] = lambda seed: samplers.GPSampler(seed=seed)
    send({"ready": True, "optuna": optuna.__version__, "samplers": sorted(factories)})

    study = None
    trial = None
    while True:
        line = sys.stdin.readline()
        if not line:
            return 0
        request = json.loads(line)
        op = request.get("op")
        start = time.perf_counter()
        elapsed = lambda: (time.perf_counter() - start) * 1000.0
        try:
            if op == "start":
                name = request["sampler"]
                if name not in factories:
                    send({"error": "sampler", "message": "Optuna " + optuna.__version__ + " has no sampler '" + name
                          + "'; available: " + ", ".join(sorted(factories))})
                    continue
                sampler = factories[name](request["seed"])
                study = optuna.create_study(direction=request["direction"], sampler=sampler)
                send({"ok": True})
            elif op == "ask":
                trial = study.ask()
                send({"number": trial.number, "ms": elapsed()})
            elif op == "suggest":
                name = request["name"]
                d = request["distribution"]
                if d["type"] == "float":
                    value = trial.suggest_float(name, d["low"], d["high"], step=d["step"], log=d["log"])
                elif d["type"] == "int":
                    value = trial.suggest_int(name, d["low"], d["high"], step=d["step"], log=d["log"])
                else:
                    value = d["choices"].index(trial.suggest_categorical(name, d["choices"]))
                send({"value": value, "ms": elapsed()})
            elif op == "tell":
                if request.get("failed"):
                    study.tell(trial, state=optuna.trial.TrialState.FAIL)
                    send({"state": "failed", "ms": elapsed()})
                else:
                    study.tell(trial, request["value"])
                    send({"state": "complete", "ms": elapsed()})
            else:
                send({"error": "protocol", "message": "unknown op " + repr(op)})
        except Exception as error:
            send({"error": "optuna", "message": type(error).__name__ + ": " + str(error)})


sys.exit(main())
`;
