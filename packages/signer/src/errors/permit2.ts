import { BaseError } from "./base.js";

/** Type of {@link Eip2612DomainMissingError}. */
export type Eip2612DomainMissingErrorType = Eip2612DomainMissingError & { name: "Eip2612DomainMissingError" };

/**
 * The token's EIP-712 domain is unknown: the requirement's `extra` has no `name` or `version` and none was given, so
 * no EIP-2612 `permit` can be signed. Nothing was signed.
 */
export class Eip2612DomainMissingError extends BaseError {
  override name = "Eip2612DomainMissingError" as const;
  /** The token. */
  readonly asset: string;

  constructor({ asset, missing }: { asset: string; missing: readonly ("name" | "version")[] }) {
    super(`The EIP-712 domain of ${asset} is unknown: no token ${missing.join(" and ")}.`, {
      metaMessages: ["Pass `name` and `version`, or pay a requirement whose `extra` carries them."],
    });
    this.asset = asset;
  }
}

/** Type of {@link Eip2612NonceReadError}. */
export type Eip2612NonceReadErrorType = Eip2612NonceReadError & { name: "Eip2612NonceReadError" };

/** The token's `nonces(owner)` could not be read (see `cause`), so no EIP-2612 `permit` was signed. */
export class Eip2612NonceReadError extends BaseError {
  override name = "Eip2612NonceReadError" as const;
  /** The token. */
  readonly asset: string;
  /** The owner whose nonce was read. */
  readonly owner: string;

  constructor({ asset, owner, cause }: { asset: string; owner: string; cause: unknown }) {
    super(`Could not read nonces(${owner}) of ${asset}.`, { cause });
    this.asset = asset;
    this.owner = owner;
  }
}
