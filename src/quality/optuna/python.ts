/** @module Which Python runs Optuna, and what to tell a user whose Python lacks it. */

export const INSTALL_OPTUNA =
  "install it with  apt-get install python3-optuna python3-scipy python3-cmaes  and run it with /usr/bin/python3 " +
  "(the default; set SCALETUNE_PYTHON to use another Python that has optuna)";

/** `SCALETUNE_PYTHON`, else Debian's /usr/bin/python3 (a pyenv python3 on PATH may lack Debian's packages). */
export function pythonExecutable(): string {
  return process.env.SCALETUNE_PYTHON || "/usr/bin/python3";
}
