/**
 * The configuration attributes of the node types the emulator runs, as AM's schema for each type
 * names them (am-external 8.0.2, each node's `Config` interface; checked against the attributes of
 * the node exports of real tenants). A node PUT that names another attribute is refused with AM's
 * 400 "Invalid attribute specified." and these as `detail.validAttributes`, as a tree PUT is.
 * A type not listed here (one only an import holds) is not checked.
 */
const NODE_ATTRIBUTES: Readonly<Record<string, readonly string[]>> = {
  AcceptTermsAndConditionsNode: [],
  AccountLockoutNode: ['lockAction'],
  AttributeCollectorNode: ['attributesToCollect', 'identityAttribute', 'required', 'validateInputs'],
  AttributePresentDecisionNode: ['identityAttribute', 'presentAttribute'],
  ConfigProviderNode: ['nodeType', 'script', 'scriptInputs'],
  CreateObjectNode: ['identityResource'],
  CreatePasswordNode: ['minPasswordLength'],
  DataStoreDecisionNode: [],
  EmailSuspendNode: [
    'emailAttribute',
    'emailSuspendMessage',
    'emailTemplateName',
    'identityAttribute',
    'objectLookup',
    'suspendDuration',
  ],
  EmailTemplateNode: ['emailAttribute', 'emailTemplateName', 'identityAttribute'],
  IdentifyExistingUserNode: ['identifier', 'identityAttribute'],
  IncrementLoginCountNode: ['identityAttribute'],
  InnerTreeEvaluatorNode: ['displayErrorOutcome', 'tree'],
  LoginCountDecisionNode: ['amount', 'identityAttribute', 'interval'],
  MessageNode: ['message', 'messageNo', 'messageYes', 'stateField'],
  OneTimePasswordCollectorDecisionNode: ['passwordExpiryTime'],
  OneTimePasswordGeneratorNode: ['length'],
  OneTimePasswordSmtpSenderNode: [
    'emailAttribute',
    'emailContent',
    'emailSubject',
    'fromEmailAddress',
    'hostName',
    'hostPort',
    'password',
    'passwordPurpose',
    'smsGatewayImplementationClass',
    'sslOption',
    'username',
  ],
  PageNode: ['nodes', 'pageDescription', 'pageHeader', 'stage'],
  PasswordCollectorNode: [],
  PatchObjectNode: ['identityAttribute', 'identityResource', 'ignoredFields', 'patchAsObject'],
  QueryFilterDecisionNode: ['identityAttribute', 'queryFilter'],
  RetryLimitDecisionNode: ['incrementUserAttributeOnFailure', 'retryLimit'],
  ScriptedDecisionNode: ['inputs', 'outcomes', 'outputs', 'script'],
  SessionDataNode: ['sessionDataKey', 'sharedStateKey'],
  SetFailureUrlNode: ['failureUrl'],
  SetSuccessUrlNode: ['successUrl'],
  UsernameCollectorNode: [],
  ValidatedPasswordNode: ['passwordAttribute', 'validateInput'],
  ValidatedUsernameNode: ['autocompleteValues', 'prepopulate', 'usernameAttribute', 'validateInput'],
  ZeroPageLoginNode: ['allowWithoutReferer', 'passwordHeader', 'referrerWhiteList', 'usernameHeader'],
  // Issue 19's node types (each node's Config in am-external 8.0.2; the corpus's exports agree).
  AccountActiveDecisionNode: [],
  AgentDataStoreDecisionNode: [],
  AnonymousUserNode: ['anonymousUserName'],
  AttributeValueDecisionNode: ['comparisonAttribute', 'comparisonOperation', 'comparisonValue', 'identityAttribute'],
  ChoiceCollectorNode: ['choices', 'defaultChoice', 'prompt'],
  CookiePresenceDecisionNode: ['cookieName'],
  DisplayUserNameNode: ['identityAttribute', 'userName'],
  IdentityStoreDecisionNode: [
    'minimumPasswordLength',
    'mixedCaseForPasswordChangeMessages',
    'useUniversalIdForUsername',
  ],
  KbaCreateNode: ['allowUserDefinedQuestions', 'message'],
  KbaDecisionNode: ['identityAttribute'],
  KbaVerifyNode: ['identityAttribute', 'kbaInfoAttribute'],
  MetadataNode: ['attributes'],
  PollingWaitNode: [
    'exitMessage',
    'exitable',
    'secondsToWait',
    'spamDetectionEnabled',
    'spamDetectionTolerance',
    'waitingMessage',
  ],
  SetSessionPropertiesNode: ['maxIdleTime', 'maxSessionTime', 'properties'],
  SetStateNode: ['attributes'],
  TermsAndConditionsDecisionNode: ['identityAttribute'],
  TimerStartNode: ['startTimeProperty'],
  TimerStopNode: ['metricKey', 'startTimeProperty'],
  QueryParameterNode: ['allowedQueryParameters', 'queryParametersToBeDelimited'],
  RequestHeaderNode: ['allowedHeaders', 'headersToBeDelimited'],
};

/** The attributes a node of `type` may have, or undefined when the emulator does not know the type's schema. */
export function nodeAttributes(type: string): readonly string[] | undefined {
  return Object.hasOwn(NODE_ATTRIBUTES, type) ? NODE_ATTRIBUTES[type] : undefined;
}
