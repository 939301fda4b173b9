/**
 * @module TensorFlow.js is an optional peer dependency: only the demo and `scaling coord-check` train networks, so a
 * library user need not install its 64 MB. Those two load their trainer through `withTensorFlow`, which says what to
 * install when it is missing; nothing else imports the trainer, so no other command (nor `--help`) loads TensorFlow.js.
 */
import { MissingDependencyError } from "../errors.js";

/** What the trainer imports: package.json's optional peerDependencies. */
export const TENSORFLOW_PACKAGES: readonly string[] = ["@tensorflow/tfjs-core", "@tensorflow/tfjs-backend-wasm"];

/**
 * `load()` — the import of modules that import TensorFlow.js — once every one of `packages` is found from here;
 * otherwise a MissingDependencyError naming `feature` ("the demo") and the command that installs them.
 */
export async function withTensorFlow<T>(feature: string, load: () => Promise<T>, packages = TENSORFLOW_PACKAGES): Promise<T> {
  if (!packages.every(installed)) {
    throw new MissingDependencyError(`${feature} needs TensorFlow.js, which is not installed: npm install ${packages.join(" ")}`);
  }
  return load();
}

function installed(specifier: string): boolean {
  try {
    import.meta.resolve(specifier);
    return true;
  } catch {
    return false;
  }
}
