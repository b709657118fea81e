import { BaseError } from "./base.js";

/** Type of {@link Erc8004ChainNotKnownError}. */
export type Erc8004ChainNotKnownErrorType = Erc8004ChainNotKnownError & { name: "Erc8004ChainNotKnownError" };

/** The official ERC-8004 registries list no deployment on the requested chain. */
export class Erc8004ChainNotKnownError extends BaseError {
  override name = "Erc8004ChainNotKnownError" as const;
  /** The chain that was asked for. */
  readonly chainId: number;

  constructor({ chainId, knownChainIds }: { chainId: number; knownChainIds: readonly number[] }) {
    super(`The official ERC-8004 registries are not deployed on chain ${chainId}.`, {
      metaMessages: [
        `Chains with official registries (erc-8004/erc-8004-contracts scripts/addresses.ts): ${knownChainIds.join(", ")}.`,
        "For a deployment of your own, use its addresses (e.g. `deployments` or the result of `deployX402Kit`).",
      ],
    });
    this.chainId = chainId;
  }
}
