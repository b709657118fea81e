/** Answers of the scheme, in the wire shape of x402 v2 (`VerifyResponse`, `SettleResponse`). */
export type BatchSettlementVerifyResponse = {
  isValid: boolean;
  invalidReason?: string;
  invalidMessage?: string;
  payer?: string;
  extra?: Record<string, unknown>;
};

export type BatchSettlementSettleResponse = {
  success: boolean;
  errorReason?: string;
  errorMessage?: string;
  transaction: string;
  network: string;
  payer?: string;
  amount?: string;
  extra?: Record<string, unknown>;
};
