/**
 * @module scaletune/dashboard: the dashboard's server — a read-only JSON API over a storage, with a study's changes
 * as server-sent events (docs/dashboard.md). A subpath of its own so that users of `scaletune` never load it or its
 * HTTP framework.
 *
 * @example
 * import { startDashboardServer } from "scaletune/dashboard";
 * const server = await startDashboardServer({ storage: "sqlite:./scaletune.db" });
 * console.log(`${server.url}/api/studies`);
 */
export { startDashboardServer } from "./start.js";
export type { DashboardServer, DashboardServerOptions } from "./start.js";
