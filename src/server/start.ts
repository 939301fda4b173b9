/** @module `startDashboardServer`: the dashboard's API served over HTTP until `close()`. */
import { serve } from "@hono/node-server";
import type { AddressInfo } from "node:net";
import type { Server } from "node:http";
import { openStorage, type StorageInput } from "../index.js";
import { dashboardApp } from "./app.js";

export interface DashboardServerOptions {
  /** The storage to show: a URL (opened read-only, closed with the server) or an open Storage (left open). */
  readonly storage: StorageInput;
  /** The address to listen on (default 127.0.0.1: only this machine; the API has no authentication). */
  readonly host?: string;
  /** The port (default 0: any free one; `url` says which). */
  readonly port?: number;
}

export interface DashboardServer {
  /** Where the server listens, e.g. `http://127.0.0.1:41234`. */
  readonly url: string;
  /** Ends the event streams, stops listening, and closes the storage if it was opened from a URL. */
  close(): Promise<void>;
}

export async function startDashboardServer(options: DashboardServerOptions): Promise<DashboardServer> {
  const { host = "127.0.0.1", port = 0 } = options;
  const storage = openStorage(options.storage, { readOnly: true });
  const { app, streams } = dashboardApp(storage);
  // overrideGlobalObjects: false — the library's users keep their own Request and Response globals.
  const server = serve({ fetch: app.fetch, hostname: host, port, overrideGlobalObjects: false }) as Server;
  try {
    await new Promise<void>((resolve, reject) => {
      server.once("listening", resolve);
      server.once("error", reject);
    });
  } catch (error) {
    if (storage !== options.storage) await storage.close();
    throw error;
  }
  const address = server.address() as AddressInfo;
  const shownHost = address.family === "IPv6" ? `[${address.address}]` : address.address;
  return {
    url: `http://${shownHost}:${address.port}`,
    async close() {
      const closed = new Promise<void>((resolve) => server.close(() => resolve()));
      await streams.stop();
      // Keep-alive connections, the ended event streams' among them, would hold `close` open until they time out.
      server.closeAllConnections();
      await closed;
      if (storage !== options.storage) await storage.close();
    },
  };
}
