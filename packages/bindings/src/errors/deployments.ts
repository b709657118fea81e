import type { X402KitContractName } from "../types.js";
import { BaseError } from "./base.js";

/** Type of {@link DeploymentNotFoundError}. */
export type DeploymentNotFoundErrorType = DeploymentNotFoundError & { name: "DeploymentNotFoundError" };

/**
 * The bindings know no x402kit deployment (or only part of one) on the requested chain, and the
 * caller did not supply the missing addresses.
 */
export class DeploymentNotFoundError extends BaseError {
  override name = "DeploymentNotFoundError" as const;
  /** The chain that was asked for. */
  readonly chainId: number;
  /** The contracts that have no address. */
  readonly missing: readonly X402KitContractName[];

  constructor({
    chainId,
    missing,
    knownChainIds,
  }: {
    chainId: number;
    missing: readonly X402KitContractName[];
    knownChainIds: readonly number[];
  }) {
    super(`No x402kit deployment on chain ${chainId} (missing: ${missing.join(", ")}).`, {
      metaMessages: [
        `Chains with a deployment in @x402kit/bindings: ${knownChainIds.length > 0 ? knownChainIds.join(", ") : "none"}.`,
        "Pass `addresses` for a deployment of your own, e.g. the result of `deployX402Kit` from `@x402kit/bindings/ignition`.",
      ],
    });
    this.chainId = chainId;
    this.missing = missing;
  }
}

/** Type of {@link ChainIdRequiredError}. */
export type ChainIdRequiredErrorType = ChainIdRequiredError & { name: "ChainIdRequiredError" };

/** Neither a `chainId` nor a client with a `chain` was given, so the deployment cannot be chosen. */
export class ChainIdRequiredError extends BaseError {
  override name = "ChainIdRequiredError" as const;

  constructor() {
    super("Cannot tell which chain to use: the client has no `chain` and no `chainId` was given.", {
      metaMessages: ["Create the client with `chain`, or pass `chainId` (or `addresses`)."],
    });
  }
}
