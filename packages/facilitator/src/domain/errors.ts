/**
 * Typed errors of the facilitator, in the viem style: one base class with a short message, optional
 * details and meta lines, a `cause`, and a literal `name` per subclass. Expected business failures are
 * never errors (they are `isValid:false` / `success:false` data); these are for faults and refusals.
 */

/** Constructor arguments shared by every facilitator error. */
export type FacilitatorErrorParameters = {
  /** Extra detail, e.g. the underlying RPC message. */
  details?: string | undefined;
  /** Additional lines printed under the message. */
  metaMessages?: string[] | undefined;
  /** The error that caused this one. */
  cause?: unknown;
};

/** Base class of every error thrown by `@x402kit/facilitator`. */
export class FacilitatorError extends Error {
  override name = "FacilitatorError";
  /** The one-line message, without details. */
  readonly shortMessage: string;
  /** Extra detail, if any. */
  readonly details: string | undefined;
  /** Additional lines printed under the message. */
  readonly metaMessages: string[] | undefined;

  constructor(shortMessage: string, parameters: FacilitatorErrorParameters = {}) {
    const lines = [shortMessage];
    if (parameters.metaMessages?.length) lines.push("", ...parameters.metaMessages);
    if (parameters.details) lines.push("", `Details: ${parameters.details}`);
    super(lines.join("\n"), parameters.cause === undefined ? undefined : { cause: parameters.cause });
    this.shortMessage = shortMessage;
    this.details = parameters.details;
    this.metaMessages = parameters.metaMessages;
  }
}

/** A configuration setting is missing or invalid. Start-up fails with it, naming the setting. */
export class ConfigError extends FacilitatorError {
  override name = "ConfigError" as const;
  /** The settings that failed, as dotted paths (e.g. `networks.0.rpcUrl`). */
  readonly settings: string[];

  constructor({ settings, problems, cause }: { settings: string[]; problems: string[]; cause?: unknown }) {
    super(`Invalid facilitator configuration: ${settings.join(", ")}`, { metaMessages: problems, cause });
    this.settings = settings;
  }
}

/** The chain's JSON-RPC endpoint cannot be reached or answered with a transport-level error. Retryable. */
export class RpcUnavailableError extends FacilitatorError {
  override name = "RpcUnavailableError" as const;
  /** CAIP-2 network whose RPC failed. */
  readonly network: string;

  constructor({ network, cause }: { network: string; cause?: unknown }) {
    super(`The RPC endpoint of ${network} is unavailable`, {
      details:
        cause instanceof Error ? ((cause as { shortMessage?: string }).shortMessage ?? cause.message) : undefined,
      cause,
    });
    this.network = network;
  }
}

/** Every signer of a network has a full queue. Retry after `retryAfterSeconds`. */
export class QueueFullError extends FacilitatorError {
  override name = "QueueFullError" as const;
  /** Seconds the caller should wait before retrying. */
  readonly retryAfterSeconds: number;

  constructor({ network, retryAfterSeconds }: { network: string; retryAfterSeconds: number }) {
    super(`Every settlement queue of ${network} is full`, { metaMessages: [`Retry after ${retryAfterSeconds} s.`] });
    this.retryAfterSeconds = retryAfterSeconds;
  }
}

/** A transaction would need more gas than one transaction may have (EIP-7825, or `maxTransactionGas`). Nothing was signed. */
export class TransactionGasCapError extends FacilitatorError {
  override name = "TransactionGasCapError" as const;
  /** The estimate. */
  readonly gas: bigint;
  /** The cap it exceeds. */
  readonly cap: bigint;

  constructor({ gas, cap }: { gas: bigint; cap: bigint }) {
    super(`The transaction needs ${gas} gas, more than the ${cap} one transaction may have`);
    this.gas = gas;
    this.cap = cap;
  }
}

/** The facilitator is draining for shutdown and takes no new settlements. */
export class ShuttingDownError extends FacilitatorError {
  override name = "ShuttingDownError" as const;

  constructor() {
    super("The facilitator is shutting down and accepts no new settlements");
  }
}

/** A settlement was asked to move to a state its current state does not lead to. A bug, never data. */
export class InvalidTransitionError extends FacilitatorError {
  override name = "InvalidTransitionError" as const;

  constructor({ id, from, to }: { id: string; from: string; to: string }) {
    super(`Settlement ${id} cannot move from "${from}" to "${to}"`);
  }
}

/** A write of a signer's work refused: this instance holds no lease of that signer, or another took it over. */
export class LeaseLostError extends FacilitatorError {
  override name = "LeaseLostError" as const;

  constructor({ signer, token, ours }: { signer: string; token: string | undefined; ours: string | undefined }) {
    super(
      ours === undefined
        ? `This facilitator holds no lease of signer ${signer}; not writing its work`
        : `The lease of signer ${signer} was taken over (fencing token ${token ?? "none"}, ours ${ours}); not writing`,
    );
  }
}

/** The data directory is used by another running facilitator (one writer per signer). */
export class DataDirLockedError extends FacilitatorError {
  override name = "DataDirLockedError" as const;

  constructor({ path, cause }: { path: string; cause?: unknown }) {
    super(`The settlement journal ${path} is locked by another process`, {
      metaMessages: ["Run one facilitator per data directory: two writers would share signer nonces."],
      cause,
    });
  }
}

/**
 * Another facilitator process is the active writer of this Postgres journal. Start-up fails with it (unless the
 * facilitator is a standby, which waits instead): two writers would share signer nonces (I4).
 */
/**
 * A standby facilitator (shared Postgres journal, not its writer yet) was asked to do what only the writer may: send
 * a transaction of its own (the batch-settlement scheme's). Answered 503 with `Retry-After`; retry on the writer.
 */
export class NotWriterError extends FacilitatorError {
  override name = "NotWriterError" as const;

  /**
   * @param what - What it does not do (`send batch-settlement transactions`).
   * @param sharing - `writer`: a standby of the journal's single writer; `lease`: under signer leases, another
   *   instance holds the sender's lease.
   */
  constructor(what: string, sharing: "writer" | "lease" = "writer") {
    super(
      sharing === "writer"
        ? `This facilitator is a standby of the journal's writer and does not ${what}; retry on the writer`
        : `Another facilitator instance holds this sender's lease, so this one does not ${what}; retry (the holder sends)`,
    );
  }
}

export class JournalLockedError extends FacilitatorError {
  override name = "JournalLockedError" as const;

  constructor() {
    super("The Postgres settlement journal is in use by another facilitator process", {
      metaMessages: [
        "One facilitator writes a journal at a time; start the others with standby (X402KIT_STANDBY=1) to take over when it stops.",
      ],
    });
  }
}

/**
 * The batch settlement router configured for a network is not usable: no contract at the address, or a
 * contract that is not x402kit's BatchSettlementRouter. Start-up fails with it in `batched` mode.
 */
export class RouterMisconfiguredError extends FacilitatorError {
  override name = "RouterMisconfiguredError" as const;
  /** CAIP-2 network of the router. */
  readonly network: string;
  /** The configured router address. */
  readonly router: string;

  constructor({ network, router, problem }: { network: string; router: string; problem: string }) {
    super(`The batch settlement router ${router} on ${network} is not usable: ${problem}`, {
      metaMessages: [
        "Set networks[].router (X402KIT_ROUTER, --router) to a deployed x402kit BatchSettlementRouter, or use mode=direct.",
      ],
    });
    this.network = network;
    this.router = router;
  }
}
