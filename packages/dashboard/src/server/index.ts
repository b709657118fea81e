/**
 * `@x402kit/dashboard`: the live devnet dashboard's server side. `createDashboardServer` serves the built web
 * app (`@x402kit/dashboard/web/*`) and feeds it over Server-Sent Events from a facilitator's events and the
 * chain; `readTransactionView` decodes one settlement transaction.
 *
 * @packageDocumentation
 */

export {
  type CreateDashboardCollectorParameters,
  createDashboardCollector,
  type DashboardCollector,
  type DashboardFacilitator,
  type DashboardSource,
} from "./createDashboardCollector.js";
export {
  type CreateDashboardServerParameters,
  createDashboardServer,
  type DashboardServer,
} from "./createDashboardServer.js";
export { type CreatePaymentBookParameters, createPaymentBook, type PaymentBook } from "./createPaymentBook.js";
export { DashboardAssetsMissingError, DashboardError, TransactionNotFoundError } from "./errors.js";
export { DASHBOARD_WEB_ROOT, loadWebAssets, type WebAsset } from "./loadWebAssets.js";
export { type ReadTransactionViewParameters, readTransactionView } from "./readTransactionView.js";
