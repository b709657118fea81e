import { BaseError } from "./base.js";

/** Type of {@link ArtifactNotFoundError}. */
export type ArtifactNotFoundErrorType = ArtifactNotFoundError & { name: "ArtifactNotFoundError" };

/** An Ignition module asked the bindings' artifact resolver for a contract the bindings do not ship. */
export class ArtifactNotFoundError extends BaseError {
  override name = "ArtifactNotFoundError" as const;
  /** The contract name (or `source:Contract`) that was asked for. */
  readonly contractName: string;

  constructor({ contractName, known }: { contractName: string; known: readonly string[] }) {
    super(`No artifact for contract "${contractName}" in @x402kit/bindings.`, {
      metaMessages: [`Known contracts: ${known.join(", ")}.`],
    });
    this.contractName = contractName;
  }
}

/** Type of {@link CreateXNotDeployedError}. */
export type CreateXNotDeployedErrorType = CreateXNotDeployedError & { name: "CreateXNotDeployedError" };

/**
 * The CreateX factory, which Ignition's CREATE2 strategy deploys through, is not on the chain and cannot
 * be installed: the node does not let us fund its keyless deployer (`hardhat_setBalance` /
 * `anvil_setBalance`), or the keyless deployment transaction failed.
 */
export class CreateXNotDeployedError extends BaseError {
  override name = "CreateXNotDeployedError" as const;
  /** The chain without CreateX. */
  readonly chainId: number;

  constructor({ chainId, cause }: { chainId: number; cause?: unknown }) {
    super(`The CreateX factory is not deployed on chain ${chainId} and cannot be installed there.`, {
      cause,
      metaMessages: [
        "CreateX (0xba5Ed099633D3B313e4D5F7bdc1305d3c28ba5Ed) exists on most public chains, Base Sepolia included.",
        "On a development node it is installed with its keyless transaction, which needs `hardhat_setBalance` or `anvil_setBalance`.",
      ],
    });
    this.chainId = chainId;
  }
}

/** Type of {@link CreateXBytecodeMismatchError}. */
export type CreateXBytecodeMismatchErrorType = CreateXBytecodeMismatchError & { name: "CreateXBytecodeMismatchError" };

/** Some other code sits at the CreateX address, so CREATE2 addresses computed for CreateX would be wrong. */
export class CreateXBytecodeMismatchError extends BaseError {
  override name = "CreateXBytecodeMismatchError" as const;
  /** The chain with the unexpected code. */
  readonly chainId: number;

  constructor({ chainId, codeHash }: { chainId: number; codeHash: string }) {
    super(`The code at the CreateX address on chain ${chainId} is not CreateX (code hash ${codeHash}).`);
    this.chainId = chainId;
  }
}

/** Type of {@link IgnitionDeploymentError}. */
export type IgnitionDeploymentErrorType = IgnitionDeploymentError & { name: "IgnitionDeploymentError" };

/**
 * Ignition reported a failed deployment (invalid parameters, a reverted transaction, a timeout) or
 * threw while deploying (`resultType` `"EXCEPTION"`, the error in `cause`).
 */
export class IgnitionDeploymentError extends BaseError {
  override name = "IgnitionDeploymentError" as const;
  /** Ignition's result type, e.g. `VALIDATION_ERROR` or `EXECUTION_ERROR`, or `EXCEPTION` when it threw. */
  readonly resultType: string;

  constructor({
    moduleId,
    resultType,
    problems,
    cause,
  }: {
    moduleId: string;
    resultType: string;
    problems: readonly string[];
    cause?: unknown;
  }) {
    super(`Deploying the Ignition module ${moduleId} failed (${resultType}).`, { metaMessages: problems, cause });
    this.resultType = resultType;
  }
}
