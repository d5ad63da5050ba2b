/** Every node type the emulator runs, by AM's type name (`_type._id`). */
import type { NodeType } from './node.js';
import { MessageNode } from './message-node.js';
import { PageNode } from './page-node.js';
import { UsernameCollectorNode } from './username-collector-node.js';
import { PasswordCollectorNode } from './password-collector-node.js';
import { ValidatedUsernameNode } from './validated-username-node.js';
import { ValidatedPasswordNode } from './validated-password-node.js';
import { DataStoreDecisionNode } from './data-store-decision-node.js';
import { ZeroPageLoginNode } from './zero-page-login-node.js';
import { SetFailureUrlNode, SetSuccessUrlNode } from './set-url-nodes.js';
import { IdentifyExistingUserNode } from './identify-existing-user-node.js';
import { InnerTreeEvaluatorNode } from './inner-tree-evaluator-node.js';
import { IncrementLoginCountNode, LoginCountDecisionNode } from './login-count-nodes.js';
import { QueryFilterDecisionNode } from './query-filter-decision-node.js';
import { AttributeCollectorNode } from './attribute-collector-node.js';
import { PatchObjectNode } from './patch-object-node.js';
import { CreateObjectNode } from './create-object-node.js';
import {
  AcceptTermsAndConditionsNode,
  AccountLockoutNode,
  AttributePresentDecisionNode,
  CreatePasswordNode,
  RetryLimitDecisionNode,
  SessionDataNode,
} from './small-decision-nodes.js';

import { ScriptedDecisionNode } from './scripted-decision-node.js';
import { EmailSuspendNode, EmailTemplateNode } from './email-nodes.js';
import {
  OneTimePasswordCollectorDecisionNode,
  OneTimePasswordGeneratorNode,
  OneTimePasswordSmtpSenderNode,
} from './otp-nodes.js';
import { configProviderNode } from './config-provider-node.js';
import { KbaCreateNode, KbaDecisionNode, KbaVerifyNode } from './kba-nodes.js';
import { AgentDataStoreDecisionNode, IdentityStoreDecisionNode } from './identity-store-decision-nodes.js';
import {
  AttributeValueDecisionNode,
  DisplayUserNameNode,
  TermsAndConditionsDecisionNode,
} from './idm-decision-nodes.js';
import {
  AnonymousUserNode,
  ChoiceCollectorNode,
  MetadataNode,
  PollingWaitNode,
  SetStateNode,
} from './utility-nodes.js';
import {
  AccountActiveDecisionNode,
  CookiePresenceDecisionNode,
  SetSessionPropertiesNode,
  TimerStartNode,
  TimerStopNode,
} from './session-nodes.js';
import { QueryParameterNode, RequestHeaderNode } from './request-nodes.js';
import { PersistentCookieDecisionNode, SetPersistentCookieNode } from './persistent-cookie-nodes.js';
import {
  ProvisionDynamicAccountNode,
  SelectIdPNode,
  SocialGoogleNode,
  SocialProviderHandlerNode,
  SocialProviderHandlerNodeV2,
} from './social-nodes.js';

/**
 * The catalog: every node type, listed here once. A new node is one file in this folder and one
 * line in this list (docs/architecture.md).
 */
const NODE_TYPES: readonly NodeType[] = [
  ScriptedDecisionNode,
  // Runs another node type with a configuration its script makes: it looks that type up here.
  configProviderNode((name) => nodeType(name)),
  MessageNode,
  PageNode,
  UsernameCollectorNode,
  PasswordCollectorNode,
  ValidatedUsernameNode,
  ValidatedPasswordNode,
  DataStoreDecisionNode,
  ZeroPageLoginNode,
  SetSuccessUrlNode,
  SetFailureUrlNode,
  IdentifyExistingUserNode,
  InnerTreeEvaluatorNode,
  IncrementLoginCountNode,
  LoginCountDecisionNode,
  QueryFilterDecisionNode,
  AttributeCollectorNode,
  PatchObjectNode,
  CreateObjectNode,
  AttributePresentDecisionNode,
  RetryLimitDecisionNode,
  SessionDataNode,
  CreatePasswordNode,
  AccountLockoutNode,
  AcceptTermsAndConditionsNode,
  EmailSuspendNode,
  EmailTemplateNode,
  KbaCreateNode,
  KbaDecisionNode,
  KbaVerifyNode,
  IdentityStoreDecisionNode,
  AgentDataStoreDecisionNode,
  AttributeValueDecisionNode,
  TermsAndConditionsDecisionNode,
  DisplayUserNameNode,
  SetStateNode,
  ChoiceCollectorNode,
  AnonymousUserNode,
  MetadataNode,
  PollingWaitNode,
  SetSessionPropertiesNode,
  CookiePresenceDecisionNode,
  AccountActiveDecisionNode,
  TimerStartNode,
  TimerStopNode,
  QueryParameterNode,
  RequestHeaderNode,
  SetPersistentCookieNode,
  PersistentCookieDecisionNode,
  OneTimePasswordGeneratorNode,
  OneTimePasswordSmtpSenderNode,
  OneTimePasswordCollectorDecisionNode,
  SelectIdPNode,
  SocialProviderHandlerNode,
  SocialProviderHandlerNodeV2,
  SocialGoogleNode,
  ProvisionDynamicAccountNode,
];

const BY_NAME: ReadonlyMap<string, NodeType> = new Map(NODE_TYPES.map((type) => [type.type, type]));

/** The node type of this name (AM's `_type._id`), if the emulator runs it. */
export function nodeType(name: string): NodeType | undefined {
  return BY_NAME.get(name);
}

export function supportedNodeTypes(): string[] {
  return [...BY_NAME.keys()].sort();
}
