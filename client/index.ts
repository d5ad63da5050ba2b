/**
 * `aic-emulator/client`: a typed, cookie-aware client for PingOne AIC's AM REST surface
 * (sessions, authenticate, users, serverinfo) and its OAuth 2.0 / OpenID Connect provider, for
 * apps and tests, against a real tenant or the emulator alike.
 */
export {
  AmClient,
  type AmClientOptions,
  type JourneyOptions,
  type LoginInput,
  type SessionQuery,
} from './am-client.js';
export type { CallOptions, Credentials } from './credentials.js';
export {
  AmAbortError,
  AmError,
  AmNetworkError,
  AmOAuth2Error,
  AmProtocolError,
  AmTimeoutError,
  AmTransportError,
  type RequestSummary,
} from './errors.js';
export { DEFAULT_TIMEOUT_MS, type AgentOptions } from './http.js';
export {
  AmLoginIncompleteError,
  JourneyStep,
  type FillValues,
  type JourneyResult,
  type JourneySuccess,
  type StepJson,
} from './journey.js';
export {
  BooleanAttributeInputCallback,
  Callback,
  ChoiceCallback,
  ConfirmationCallback,
  HiddenValueCallback,
  KbaCreateCallback,
  MetadataCallback,
  NameCallback,
  NumberAttributeInputCallback,
  PasswordCallback,
  PollingWaitCallback,
  RedirectCallback,
  StringAttributeInputCallback,
  SuspendedTextOutputCallback,
  TermsAndConditionsCallback,
  TextInputCallback,
  TextOutputCallback,
  ValidatedCreatePasswordCallback,
  ValidatedCreateUsernameCallback,
  createCallback,
  type CallbackJson,
  type CallbackType,
  type CallbackTypeMap,
  type CallbackValue,
  type NameValue,
} from './callbacks.js';
export {
  AmOAuth2,
  createPkce,
  createState,
  type ActiveToken,
  type AuthorizationCode,
  type AuthorizeInput,
  type AuthorizeUrl,
  type EndSessionInput,
  type EndSessionResult,
  type InactiveToken,
  type Introspection,
  type OAuth2CallOptions,
  type OAuth2ClientOptions,
  type OpenIdConfiguration,
  type Pkce,
  type TokenEndpointAuthMethod,
  type TokenResponse,
  type UserInfo,
} from './oauth2.js';
export { oauth2BasePath, realmBasePath } from './paths.js';
export {
  type TerminateAllSessionsOptions,
  type TerminateAllSessionsResult,
  type TerminateOutcome,
} from './terminate-all-sessions.js';
export {
  isInvalidSession,
  type AmUser,
  type IdFromSession,
  type InvalidSession,
  type LogoutByHandleResult,
  type LogoutByUserResult,
  type LogoutResult,
  type QueryResult,
  type RefreshResult,
  type ServerInfo,
  type ServerVersion,
  type SessionInfo,
  type SessionQueryItem,
  type ValidateResult,
} from './types.js';
export { API_VERSIONS, type ApiCall } from './versions.js';
