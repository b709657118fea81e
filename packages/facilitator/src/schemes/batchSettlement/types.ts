import type { SchemeSettleResponse, SchemeVerifyResponse } from "../shared/types.js";

/** Answers of the scheme, in the wire shape of x402 v2 (`VerifyResponse`, `SettleResponse`). */
export type BatchSettlementVerifyResponse = SchemeVerifyResponse;
export type BatchSettlementSettleResponse = SchemeSettleResponse;
