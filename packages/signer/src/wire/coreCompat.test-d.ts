/**
 * Type-level compatibility with the official SDK (`@x402/core` 2.27): what our schemas produce is
 * something `@x402/core` parses, and what `@x402/core` produces is something ours parse. Checked by
 * `tsc -p tsconfig.json` in the `test` script; nothing runs.
 */
import type {
  PaymentPayloadV1Schema,
  PaymentPayloadV2Schema,
  PaymentRequiredV2Schema,
  PaymentRequirementsV1Schema,
  PaymentRequirementsV2Schema,
  z as z3,
} from "@x402/core/schemas";
import type {
  SettleResponse as CoreSettleResponse,
  SupportedResponse as CoreSupportedResponse,
  VerifyResponse as CoreVerifyResponse,
} from "@x402/core/types";
import type { z } from "zod";
import type {
  ExactEvmPaymentPayloadV1,
  ExactEvmPaymentPayloadV2,
  PaymentPayloadV1,
  PaymentPayloadV2,
  PaymentRequiredV2,
  PaymentRequirementsV1,
  PaymentRequirementsV2,
  SettleResponse,
  SupportedResponse,
  VerifyResponse,
} from "./index.js";

type Assert<T extends true> = T;
type Extends<A, B> = [A] extends [B] ? true : false;

// Ours → what @x402/core parses.
export type OursParsedByCore = [
  Assert<Extends<PaymentRequirementsV1, z3.input<typeof PaymentRequirementsV1Schema>>>,
  Assert<Extends<PaymentRequirementsV2, z3.input<typeof PaymentRequirementsV2Schema>>>,
  Assert<Extends<PaymentRequiredV2, z3.input<typeof PaymentRequiredV2Schema>>>,
  Assert<Extends<PaymentPayloadV1, z3.input<typeof PaymentPayloadV1Schema>>>,
  Assert<Extends<PaymentPayloadV2, z3.input<typeof PaymentPayloadV2Schema>>>,
  Assert<Extends<ExactEvmPaymentPayloadV1, z3.input<typeof PaymentPayloadV1Schema>>>,
  Assert<Extends<ExactEvmPaymentPayloadV2, z3.input<typeof PaymentPayloadV2Schema>>>,
];

// What @x402/core's schemas produce → what our schemas accept.
export type CoreParsedByOurs = [
  Assert<Extends<z3.output<typeof PaymentRequirementsV1Schema>, z.input<typeof PaymentRequirementsV1>>>,
  Assert<Extends<z3.output<typeof PaymentRequirementsV2Schema>, z.input<typeof PaymentRequirementsV2>>>,
  Assert<Extends<z3.output<typeof PaymentRequiredV2Schema>, z.input<typeof PaymentRequiredV2>>>,
  Assert<Extends<z3.output<typeof PaymentPayloadV1Schema>, z.input<typeof PaymentPayloadV1>>>,
  Assert<Extends<z3.output<typeof PaymentPayloadV2Schema>, z.input<typeof PaymentPayloadV2>>>,
  Assert<Extends<CoreVerifyResponse, z.input<typeof VerifyResponse>>>,
  Assert<Extends<CoreSettleResponse, z.input<typeof SettleResponse>>>,
  Assert<Extends<CoreSupportedResponse, z.input<typeof SupportedResponse>>>,
];
