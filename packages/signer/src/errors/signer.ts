import { shortenHex } from "../internal/shortenHex.js";
import { BaseError } from "./base.js";

/** Type of {@link AccountNotFoundError}. */
export type AccountNotFoundErrorType = AccountNotFoundError & { name: "AccountNotFoundError" };

/**
 * No account that can sign: a `WalletClient` was given without an `account`, or a bare JSON-RPC
 * account (an address, whose key lives in a wallet) was given without the wallet client that reaches it.
 */
export class AccountNotFoundError extends BaseError {
  override name = "AccountNotFoundError" as const;

  /**
   * @param parameters - `address` of a JSON-RPC account given alone; omitted for a client without an account.
   */
  constructor(parameters: { address?: string | undefined } = {}) {
    super(
      parameters.address
        ? `The account ${parameters.address} cannot sign by itself (a JSON-RPC account).`
        : "The wallet client has no account to sign with.",
      {
        metaMessages: [
          parameters.address
            ? "Pass the wallet client that holds it, e.g. createWalletClient({ account, transport: custom(window.ethereum) })."
            : "Create the client with `account`, e.g. createWalletClient({ account, transport }).",
        ],
      },
    );
  }
}

/** Type of {@link InvalidSignatureError}. */
export type InvalidSignatureErrorType = InvalidSignatureError & { name: "InvalidSignatureError" };

/** Why a signature was refused by {@link InvalidSignatureError}. */
export type InvalidSignatureReason = "length" | "v" | "high_s";

/**
 * A signature cannot be split into ECDSA `(v, r, s)`: it is not 65 bytes, its `v` is not 0, 1, 27
 * or 28, or its `s` is in the upper half of the curve order (malleable; tokens reject it).
 * The message quotes only a shortened form of the signature.
 */
export class InvalidSignatureError extends BaseError {
  override name = "InvalidSignatureError" as const;
  /** Why the signature was refused. */
  readonly reason: InvalidSignatureReason;

  constructor({ signature, reason }: { signature: string; reason: InvalidSignatureReason }) {
    const text: Record<InvalidSignatureReason, string> = {
      length: "is not a 65-byte ECDSA signature",
      v: "has a recovery byte other than 0, 1, 27 or 28",
      high_s: "has a high s value (malleable)",
    };
    super(`Signature ${shortenHex(signature)} ${text[reason]}.`);
    this.reason = reason;
  }
}

/** Type of {@link InvalidAuthorizationError}. */
export type InvalidAuthorizationErrorType = InvalidAuthorizationError & { name: "InvalidAuthorizationError" };

/**
 * An authorization cannot be signed as given: an empty validity window (`validBefore <= validAfter`),
 * a value outside uint256, or a similar mistake the types cannot catch.
 */
export class InvalidAuthorizationError extends BaseError {
  override name = "InvalidAuthorizationError" as const;

  constructor({ reason }: { reason: string }) {
    super(`Invalid authorization: ${reason}.`);
  }
}
