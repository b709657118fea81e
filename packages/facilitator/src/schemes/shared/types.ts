/**
 * Answers of the schemes that send their own contract calls (`batch-settlement`, Permit2 `exact` and `upto`), in
 * the wire shape of x402 v2 (`VerifyResponse`, `SettleResponse`).
 */
export type SchemeVerifyResponse = {
  isValid: boolean;
  invalidReason?: string;
  invalidMessage?: string;
  payer?: string;
  extra?: Record<string, unknown>;
};

export type SchemeSettleResponse = {
  success: boolean;
  errorReason?: string;
  errorMessage?: string;
  transaction: string;
  network: string;
  payer?: string;
  amount?: string;
  extra?: Record<string, unknown>;
};
