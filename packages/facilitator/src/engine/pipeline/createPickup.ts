// Pipeline, admit (shared journal): the writer picks up the settlements followers admitted as `received`.

import type { Logger } from "pino";
import type { NetworkRuntime } from "../../chain/networkRuntime.js";
import { errorSummary } from "../../domain/errorSummary.js";
import { InvalidTransitionError } from "../../domain/errors.js";
import type { PaymentStore } from "../../domain/store.js";
import type { SettlementRecord } from "../../domain/types.js";

/** The writer's pickup of a shared journal's received rows. */
export type Pickup = {
  /** Starts picking up every `pollMs` (once; later calls do nothing). */
  start(): void;
  stop(): void;
};

/** Parameters of {@link createPickup}. */
export type CreatePickupParameters = {
  networks: readonly NetworkRuntime[];
  store: PaymentStore;
  logger: Logger;
  pollMs: number;
  /** Whether the engine is draining (nothing new is picked up then). */
  draining(): boolean;
  dispatch(records: readonly SettlementRecord[]): Promise<void>;
  /**
   * Takes the rows to dispatch of one chain, moved to `queued` (signer leases: `store.leases.claimUnowned`, once this
   * instance holds a lease); default: its `received` rows.
   */
  take?: ((chainId: number) => Promise<readonly SettlementRecord[]>) | undefined;
};

/**
 * The writer of a shared journal: dispatches the rows followers admitted (`received`), every `pollMs`.
 *
 * @param parameters - See {@link CreatePickupParameters}.
 * @returns A {@link Pickup}.
 */
export function createPickup(parameters: CreatePickupParameters): Pickup {
  const { networks, store, logger, pollMs, draining, dispatch } = parameters;
  const take =
    parameters.take ??
    (async (chainId: number): Promise<readonly SettlementRecord[]> => {
      const received = await store.listByState(["received"], chainId);
      if (received.length === 0) return [];
      // One journal transaction for the lot; if another dispatch moved one of them meanwhile, row by row.
      return store.markQueued(received.map((r) => r.id)).then(
        () => received.map((r) => ({ ...r, state: "queued" as const })),
        (error: unknown) => {
          if (error instanceof InvalidTransitionError) return received;
          throw error;
        },
      );
    });
  let pickupTimer: NodeJS.Timeout | undefined;
  return {
    start() {
      if (pickupTimer) return;
      let running = false;
      const pickup = async () => {
        if (running || draining()) return;
        running = true;
        try {
          for (const network of networks) {
            const queued = await take(network.chainId);
            if (queued.length > 0) await dispatch(queued);
          }
        } catch (error) {
          logger.warn({ err: errorSummary(error) }, "cannot pick up the journal's received settlements yet");
        } finally {
          running = false;
        }
      };
      pickupTimer = setInterval(() => void pickup(), pollMs);
      pickupTimer.unref();
    },
    stop: () => clearInterval(pickupTimer),
  };
}
