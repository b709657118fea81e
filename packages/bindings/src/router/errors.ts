import { BaseError } from "../errors/base.js";

/** Type of {@link SettlementEncodingError}. */
export type SettlementEncodingErrorType = SettlementEncodingError & { name: "SettlementEncodingError" };

/**
 * Items cannot be written in the BatchSettlementRouter packed format (see `IBatchSettlementRouter`): no
 * items or too many, a malformed address, nonce, salt or signature, a number that does not fit, or a fee
 * above its value. The router would reject such a batch whole, so the encoder refuses it first.
 *
 * @example
 * ```ts
 * import { SettlementEncodingError, encodeSettlementBatch } from "@x402kit/bindings/router";
 * try {
 *   encodeSettlementBatch([]);
 * } catch (error) {
 *   if (error instanceof SettlementEncodingError) console.error(error.shortMessage, error.itemIndex);
 * }
 * ```
 */
export class SettlementEncodingError extends BaseError {
  override name = "SettlementEncodingError" as const;
  /** Index of the offending item, when one item is at fault. */
  readonly itemIndex: number | undefined;

  /**
   * @param parameters - `reason`: what is wrong, quoting the bad value; `itemIndex`: the item at fault.
   */
  constructor(parameters: { reason: string; itemIndex?: number | undefined }) {
    super(
      parameters.itemIndex === undefined
        ? `Cannot encode the settlement batch: ${parameters.reason}.`
        : `Cannot encode settlement item ${parameters.itemIndex}: ${parameters.reason}.`,
    );
    this.itemIndex = parameters.itemIndex;
  }
}

/** Type of {@link SettlementDecodingError}. */
export type SettlementDecodingErrorType = SettlementDecodingError & { name: "SettlementDecodingError" };

/**
 * Data claimed to come from the BatchSettlementRouter does not decode: `results` that are not whole bytes,
 * a failure-reason code this version does not know (a newer router?), or logs that break the router's
 * documented order.
 *
 * @example
 * ```ts
 * import { SettlementDecodingError, decodeSettlementResults } from "@x402kit/bindings/router";
 * try {
 *   decodeSettlementResults("0x00ff");
 * } catch (error) {
 *   if (error instanceof SettlementDecodingError) console.error(error.shortMessage);
 * }
 * ```
 */
export class SettlementDecodingError extends BaseError {
  override name = "SettlementDecodingError" as const;
  /** Index of the offending item, when one item is at fault. */
  readonly itemIndex: number | undefined;

  /**
   * @param parameters - `reason`: what is wrong, quoting the bad value; `itemIndex`: the item at fault.
   */
  constructor(parameters: { reason: string; itemIndex?: number | undefined }) {
    super(
      parameters.itemIndex === undefined
        ? `Cannot decode the settlement result: ${parameters.reason}.`
        : `Cannot decode the result of settlement item ${parameters.itemIndex}: ${parameters.reason}.`,
    );
    this.itemIndex = parameters.itemIndex;
  }
}
