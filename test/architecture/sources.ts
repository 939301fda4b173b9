/** @module The folders whose modules the boundary rule covers (tests excepted). */
export const SOURCE_FOLDERS = ["src", "perf"] as const;
