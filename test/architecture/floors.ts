/**
 * @module The boundary rule (docs/architecture.md), as data: which room each source file is in, and which rooms
 * and faces it may import.
 *
 * Floors, bottom up: ground (errors, math, space) → core (the contracts) → families (samplers, pruners, storage,
 * scaling, importance, execution), which import only ground and core, never each other → study (where families are
 * composed) → faces (the package's entry points and the testing kit) → applications (cli, the dashboard server,
 * demo, the quality benchmarks, the perf benchmarks). The CLI and the server import faces only, so they use the
 * library as users do.
 */
export type RoomKind = "ground" | "core" | "family" | "study" | "faces" | "application";

export interface Room {
  readonly name: string;
  readonly kind: RoomKind;
}

const FLOOR: Record<RoomKind, number> = { ground: 0, core: 1, family: 2, study: 3, faces: 4, application: 5 };

/** Folder (or file) → room. A family is one folder; the families are siblings on one floor. */
const ROOMS: readonly (readonly [prefix: string, room: Room])[] = [
  ["src/errors.ts", { name: "ground", kind: "ground" }],
  ["src/math/", { name: "ground", kind: "ground" }],
  ["src/space/", { name: "ground", kind: "ground" }],
  ["src/core/", { name: "core", kind: "core" }],
  ["src/samplers/", { name: "samplers", kind: "family" }],
  ["src/pruners/", { name: "pruners", kind: "family" }],
  ["src/storage/", { name: "storage", kind: "family" }],
  ["src/scaling/", { name: "scaling", kind: "family" }],
  ["src/execution/", { name: "execution", kind: "family" }],
  ["src/importance/", { name: "importance", kind: "family" }],
  ["src/study/", { name: "study", kind: "study" }],
  ["src/index.ts", { name: "faces", kind: "faces" }],
  ["src/testing/", { name: "testing", kind: "faces" }],
  ["src/cli/", { name: "cli", kind: "application" }],
  // An application, not a family: showing a study needs the study floor (StudyReader) and importance.
  ["src/server/", { name: "server", kind: "application" }],
  ["src/demo/", { name: "demo", kind: "application" }],
  ["src/quality/", { name: "quality", kind: "application" }],
  ["perf/", { name: "perf", kind: "application" }],
];

/**
 * The package's faces (`scaletune`, `scaletune/errors`, `scaletune/scaling`, `scaletune/testing`,
 * `scaletune/dashboard`) and the applications' own.
 */
export const FACES: ReadonlySet<string> = new Set([
  "src/errors.ts",
  "src/index.ts",
  "src/scaling/index.ts",
  "src/testing/index.ts",
  "src/server/index.ts",
  "src/quality/index.ts",
  "src/demo/index.ts",
]);

/** Applications that use the library only as its users do: through its faces. */
const FACES_ONLY: ReadonlySet<string> = new Set(["cli", "server"]);

export function roomOf(file: string): Room | null {
  for (const [prefix, room] of ROOMS) if (file === prefix || (prefix.endsWith("/") && file.startsWith(prefix))) return room;
  return null;
}

/** Why `from` may not import `to`, or null when it may. */
export function breach(from: string, to: string): string | null {
  const a = roomOf(from);
  const b = roomOf(to);
  if (!a) return `${from} is in no room: add its folder to test/architecture/floors.ts and docs/architecture.md`;
  if (!b) return `${to} is in no room: add its folder to test/architecture/floors.ts and docs/architecture.md`;
  if (a.name === b.name) return null;
  if (FACES_ONLY.has(a.name)) return FACES.has(to) ? null : `${a.name} imports ${to}, which is not a face: import it through ${[...FACES].join(", ")}`;
  if (a.kind === "application") {
    if (b.kind === "application" && !FACES.has(to)) return `${a.name} imports ${to}, inside another application: go through its face`;
    return null;
  }
  if (FLOOR[b.kind] > FLOOR[a.kind]) return `${a.name} (${a.kind}) imports ${to} from the floor above (${b.kind})`;
  if (a.kind === "family" && b.kind === "family") return `the ${a.name} family imports the ${b.name} family: move what both need to src/core/`;
  return null;
}

/** Every import in the graph that breaks the rule, with the reason. */
export function breaches(graph: ReadonlyMap<string, readonly string[]>): string[] {
  const found: string[] = [];
  for (const [from, targets] of graph) {
    for (const to of targets) {
      const reason = breach(from, to);
      if (reason) found.push(`${from} → ${to}: ${reason}`);
    }
  }
  return found;
}
