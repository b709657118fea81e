import { useEffect, useReducer } from "preact/hooks";
import { DashboardDelta, DashboardSnapshot } from "../protocol/messages.js";

/** Connection to the server's event stream. */
export type Connection = "connecting" | "open" | "reconnecting";

export type DashboardState = { connection: Connection; data: DashboardSnapshot | undefined; rejected: number };

type Action =
  | { type: "snapshot"; snapshot: DashboardSnapshot }
  | { type: "delta"; delta: DashboardDelta }
  | { type: "connection"; connection: Connection }
  | { type: "rejected" };

const byKey = <T, K extends keyof T>(old: readonly T[], rows: readonly T[], key: K, limit: number): T[] => {
  const map = new Map(old.map((row) => [row[key], row]));
  for (const row of rows) {
    map.delete(row[key]);
    map.set(row[key], row);
  }
  const merged = [...map.values()];
  return merged.length > limit ? merged.slice(merged.length - limit) : merged;
};

function reduce(state: DashboardState, action: Action): DashboardState {
  switch (action.type) {
    case "connection":
      return { ...state, connection: action.connection };
    case "rejected":
      return { ...state, rejected: state.rejected + 1 };
    case "snapshot":
      return { ...state, connection: "open", data: action.snapshot };
    case "delta": {
      const data = state.data;
      if (!data) return state;
      const d = action.delta;
      return {
        ...state,
        data: {
          chain: d.chain ?? data.chain,
          payments: d.payments ? byKey(data.payments, d.payments, "id", 2_000) : data.payments,
          batches: d.batches ? byKey(data.batches, d.batches, "hash", 500) : data.batches,
          lanes: d.lanes ?? data.lanes,
          balances: d.balances ?? data.balances,
          agents: d.agents ?? data.agents,
        },
      };
    }
  }
}

/**
 * Follows the server's Server-Sent Events stream (`/api/events`): the `snapshot` event sets the state, each
 * `delta` event merges into it. Every message is validated with the protocol's zod schemas; one that does not
 * match is dropped and counted. EventSource reconnects by itself, and a new connection starts with a snapshot.
 */
export function useDashboard(): DashboardState {
  const [state, dispatch] = useReducer(reduce, { connection: "connecting", data: undefined, rejected: 0 });
  useEffect(() => {
    const source = new EventSource("api/events");
    const parse = <T>(
      schema: { safeParse(v: unknown): { success: true; data: T } | { success: false } },
      raw: string,
    ) => {
      try {
        const result = schema.safeParse(JSON.parse(raw));
        if (result.success) return result.data;
      } catch {
        // not JSON
      }
      dispatch({ type: "rejected" });
      return undefined;
    };
    source.addEventListener("snapshot", (event) => {
      const snapshot = parse(DashboardSnapshot, (event as MessageEvent<string>).data);
      if (snapshot) dispatch({ type: "snapshot", snapshot });
    });
    source.addEventListener("delta", (event) => {
      const delta = parse(DashboardDelta, (event as MessageEvent<string>).data);
      if (delta) dispatch({ type: "delta", delta });
    });
    source.onerror = () => dispatch({ type: "connection", connection: "reconnecting" });
    return () => source.close();
  }, []);
  return state;
}
