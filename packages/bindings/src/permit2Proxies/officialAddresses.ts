/**
 * The addresses at which the official x402 Permit2 proxies live on every chain they are deployed to (CREATE2, the
 * same on each chain), as the official `@x402/evm` 2.27 SDK hard-codes them (`x402ExactPermit2ProxyAddress`,
 * `x402UptoPermit2ProxyAddress`): its client names them as the Permit2 `spender` it signs for, and its facilitator
 * sends `settle` / `settleWithPermit` there. A local chain that runs the official SDK unchanged must therefore have
 * x402kit's `X402ExactPermit2Proxy` and `X402UptoPermit2Proxy` at these addresses (their runtime code has no
 * immutables or storage, so `hardhat_setCode` with the deployed code is enough; Permit2 must be at its canonical
 * address too).
 */

/** The `exact` scheme's Permit2 proxy (`assetTransferMethod: "permit2"`; `X402ExactPermit2Proxy` in x402kit). */
export const X402_EXACT_PERMIT2_PROXY_ADDRESS = "0x402085c248EeA27D92E8b30b2C58ed07f9E20001" as const;

/** The `upto` scheme's Permit2 proxy (`X402UptoPermit2Proxy` in x402kit). */
export const X402_UPTO_PERMIT2_PROXY_ADDRESS = "0x4020A4f3b7b90ccA423B9fabCc0CE57C6C240002" as const;
