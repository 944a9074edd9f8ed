export { createAuth, type AuthConfig, type CreateAuthOptions } from "./create-auth";
export type { TokenProvider } from "./token-provider";
export type { AuthSettings } from "./auth-config";
export {
  GRAPH_OWN_MAILBOX_SCOPES,
  GRAPH_SHARED_MAILBOX_SCOPES,
  REDIRECT_BRIDGE_PAGE,
  AUTH_DIALOG_PAGE,
} from "./auth-config";
export { DEV_DEFAULT_UPN } from "./dev-tokens";
export { withClaimsChallenge, parseClaimsChallenge } from "./claims-challenge";
