/** Thrown when items cannot be encoded in the BatchSettlementRouter packed format. */
export class SettlementEncodingError extends Error {
  override readonly name = "SettlementEncodingError";
  /** Index of the offending item, when one item is at fault. */
  readonly itemIndex: number | undefined;

  constructor(parameters: { message: string; itemIndex?: number }) {
    super(
      parameters.itemIndex === undefined ? parameters.message : `item ${parameters.itemIndex}: ${parameters.message}`,
    );
    this.itemIndex = parameters.itemIndex;
  }
}
