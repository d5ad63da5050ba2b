/**
 * Login and ProgressiveProfile, shaped like AIC's default journeys (the "Platform Login Tree"
 * included in the single-logout how-to's Part 3 export, gwizdala/lib-ping): a Sign In page with
 * Platform Username and Password, Data Store Decision, Increment Login Count, then
 * ProgressiveProfile, which on the third login asks users who have not chosen their preferences.
 */
import { END, treeExport } from './build.js';

const ID = {
  page: 'f9224dd1-56d3-4d6a-b537-c59321d757a8',
  username: '1ebd41a1-c733-4538-adf5-3a6705c52b79',
  password: '8bcee318-cd2b-4fe6-aa76-b013307304f8',
  dataStore: '69b2c69a-9eda-40f2-a092-9fb5988761da',
  increment: 'cacb5324-1980-4527-9a5b-bd1cba897445',
  progressive: '6e83ddbf-dfd8-4718-85c1-45b2f2dc87d3',
  loginCount: '33a64abf-f8c0-4b1e-82e8-71fdf05f1723',
  queryFilter: 'ba257948-804e-41db-9b92-76b10187c1f9',
  preferencesPage: 'c5306b10-477d-412b-bb1c-c7d531bdc259',
  collector: 'bf680492-ac2c-4746-a7e5-9dc6cc608338',
  patch: '623babd7-0e36-442e-a347-ed6f2cb57cde',
} as const;

export function loginJourney(realm: string): Record<string, unknown> {
  return treeExport({
    name: 'Login',
    realm,
    description: 'Platform Login Tree',
    entry: ID.page,
    nodes: [
      {
        id: ID.page,
        type: 'PageNode',
        name: 'Page Node',
        x: 150,
        y: 200,
        connections: { outcome: ID.dataStore },
        config: {
          nodes: [
            { _id: ID.username, nodeType: 'ValidatedUsernameNode', displayName: 'Platform Username' },
            { _id: ID.password, nodeType: 'ValidatedPasswordNode', displayName: 'Platform Password' },
          ],
          pageDescription: {
            en: 'New here? <a href="#/service/Registration">Create an account</a><br><a href="#/service/ForgottenUsername">Forgot username?</a><a href="#/service/ResetPassword"> Forgot password?</a>',
          },
          pageHeader: { en: 'Sign In' },
        },
      },
      {
        id: ID.dataStore,
        type: 'DataStoreDecisionNode',
        name: 'Data Store Decision',
        x: 400,
        y: 200,
        connections: { true: ID.increment, false: END.failure },
        config: {},
      },
      {
        id: ID.increment,
        type: 'IncrementLoginCountNode',
        name: 'Increment Login Count',
        x: 650,
        y: 150,
        connections: { outcome: ID.progressive },
        config: { identityAttribute: 'userName' },
      },
      {
        id: ID.progressive,
        type: 'InnerTreeEvaluatorNode',
        name: 'Inner Tree Evaluator',
        x: 900,
        y: 150,
        connections: { true: END.success, false: END.failure },
        config: { tree: 'ProgressiveProfile' },
      },
    ],
    innerNodes: [
      {
        id: ID.username,
        type: 'ValidatedUsernameNode',
        name: 'Platform Username',
        config: { usernameAttribute: 'userName', validateInput: false },
      },
      {
        id: ID.password,
        type: 'ValidatedPasswordNode',
        name: 'Platform Password',
        config: { passwordAttribute: 'password', validateInput: false },
      },
    ],
  });
}

export function progressiveProfileJourney(realm: string): Record<string, unknown> {
  return treeExport({
    name: 'ProgressiveProfile',
    realm,
    description: 'Prompt for missing preferences on 3rd login',
    entry: ID.loginCount,
    nodes: [
      {
        id: ID.loginCount,
        type: 'LoginCountDecisionNode',
        name: 'Login Count Decision',
        x: 150,
        y: 200,
        connections: { true: ID.queryFilter, false: END.success },
        config: { interval: 'AT', amount: 3, identityAttribute: 'userName' },
      },
      {
        id: ID.queryFilter,
        type: 'QueryFilterDecisionNode',
        name: 'Query Filter Decision',
        x: 400,
        y: 150,
        connections: { true: ID.preferencesPage, false: END.success },
        config: {
          queryFilter: '!(/preferences pr) or /preferences/marketing eq false or /preferences/updates eq false',
          identityAttribute: 'userName',
        },
      },
      {
        id: ID.preferencesPage,
        type: 'PageNode',
        name: 'Page Node',
        x: 650,
        y: 100,
        connections: { outcome: ID.patch },
        config: {
          nodes: [{ _id: ID.collector, nodeType: 'AttributeCollectorNode', displayName: 'Attribute Collector' }],
          pageDescription: { en: 'Select which communications you would like to receive' },
          pageHeader: { en: 'Please select your preferences' },
        },
      },
      {
        id: ID.patch,
        type: 'PatchObjectNode',
        name: 'Patch Object',
        x: 900,
        y: 100,
        connections: { PATCHED: END.success, FAILURE: END.failure },
        config: {
          identityResource: `managed/${realm}_user`,
          patchAsObject: false,
          ignoredFields: [],
          identityAttribute: 'userName',
        },
      },
    ],
    innerNodes: [
      {
        id: ID.collector,
        type: 'AttributeCollectorNode',
        name: 'Attribute Collector',
        config: {
          attributesToCollect: ['preferences/updates', 'preferences/marketing'],
          identityAttribute: 'userName',
          validateInputs: false,
          required: false,
        },
      },
    ],
  });
}
