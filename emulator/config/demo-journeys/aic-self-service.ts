/**
 * AIC's default self-service journeys, as frodo exported them from a real AIC tenant's alpha realm
 * (rockcarver/frodo-cli, test/e2e/exports/full-export-separate/realm/root-alpha/journey/*.journey.json,
 * MIT License, Copyright (c) 2022 rockcarver): Registration, ForgottenUsername, ResetPassword and
 * UpdatePassword, their trees and node configurations unchanged (the email templates, KBA
 * questions and terms they use are the tenant's IDM config, seeded in idm-config-seed.ts). The
 * demo tenant's sign-in page links to them, as AIC's does.
 */

/** The four journeys, by name, in frodo's single-journey export shape (tree, nodes, innerNodes, scripts). */
export const AIC_SELF_SERVICE_JOURNEYS: Readonly<Record<string, unknown>> = {
  Registration: {
    tree: {
      _id: 'Registration',
      description: 'Platform Registration Tree',
      enabled: true,
      entryNodeId: '0c091c49-f3af-48fb-ac6f-07fba0499dd6',
      identityResource: 'managed/alpha_user',
      innerTreeOnly: false,
      mustRun: false,
      nodes: {
        '0c091c49-f3af-48fb-ac6f-07fba0499dd6': {
          connections: {
            outcome: '466f8b54-07fb-4e31-a11d-a6842618cc37',
          },
          displayName: 'Page Node',
          nodeType: 'PageNode',
          x: 261,
          y: 168,
        },
        '466f8b54-07fb-4e31-a11d-a6842618cc37': {
          connections: {
            outcome: 'ad5dcbb3-7335-49b7-b3e7-7d850bb88237',
          },
          displayName: 'Email Suspend Node',
          nodeType: 'EmailSuspendNode',
          x: 484,
          y: 267.015625,
        },
        '97a15eb2-a015-4b6d-81a0-be78c3aa1a3b': {
          connections: {
            outcome: '70e691a5-1e33-4ac3-a356-e7b6d60d92e0',
          },
          displayName: 'Increment Login Count',
          nodeType: 'IncrementLoginCountNode',
          x: 861,
          y: 221,
        },
        'ad5dcbb3-7335-49b7-b3e7-7d850bb88237': {
          connections: {
            CREATED: '97a15eb2-a015-4b6d-81a0-be78c3aa1a3b',
            FAILURE: 'e301438c-0bd0-429c-ab0c-66126501069a',
          },
          displayName: 'Create Object',
          nodeType: 'CreateObjectNode',
          x: 717,
          y: 283,
        },
      },
      staticNodes: {
        '70e691a5-1e33-4ac3-a356-e7b6d60d92e0': {
          x: 1085,
          y: 248,
        },
        'e301438c-0bd0-429c-ab0c-66126501069a': {
          x: 921,
          y: 370,
        },
        startNode: {
          x: 50,
          y: 25,
        },
      },
      uiConfig: {
        categories: '["Registration"]',
      },
    },
    nodes: {
      '0c091c49-f3af-48fb-ac6f-07fba0499dd6': {
        _id: '0c091c49-f3af-48fb-ac6f-07fba0499dd6',
        _outcomes: [
          {
            displayName: 'Outcome',
            id: 'outcome',
          },
        ],
        _type: {
          _id: 'PageNode',
          collection: true,
          name: 'Page Node',
        },
        nodes: [
          {
            _id: '7fcaf48e-a754-4959-858b-05b2933b825f',
            displayName: 'Platform Username',
            nodeType: 'ValidatedUsernameNode',
          },
          {
            _id: 'd3ce2036-1523-4ce8-b1a2-895a2a036667',
            displayName: 'Attribute Collector',
            nodeType: 'AttributeCollectorNode',
          },
          {
            _id: '3d8709a1-f09f-4d1f-8094-2850e472c1db',
            displayName: 'Platform Password',
            nodeType: 'ValidatedPasswordNode',
          },
          {
            _id: '120c69d3-90b4-4ad4-b7af-380e8b119340',
            displayName: 'KBA Definition',
            nodeType: 'KbaCreateNode',
          },
          {
            _id: 'b4a0e915-c15d-4b83-9c9d-18347d645976',
            displayName: 'Accept Terms and Conditions',
            nodeType: 'AcceptTermsAndConditionsNode',
          },
        ],
        pageDescription: {
          en: "Signing up is fast and easy.<br>Already have an account? <a href='#/service/Login'>Sign In</a>",
        },
        pageHeader: {
          en: 'Sign Up',
        },
        stage:
          '{"ValidatedCreatePasswordCallback":[{"id":"3d8709a1-f09f-4d1f-8094-2850e472c1db","confirmPassword":true,"policyDisplayCheckmark":true}]}',
      },
      '466f8b54-07fb-4e31-a11d-a6842618cc37': {
        _id: '466f8b54-07fb-4e31-a11d-a6842618cc37',
        _outcomes: [
          {
            displayName: 'Outcome',
            id: 'outcome',
          },
        ],
        _type: {
          _id: 'EmailSuspendNode',
          collection: true,
          name: 'Email Suspend Node',
        },
        emailAttribute: 'mail',
        emailSuspendMessage: {
          en: 'An email has been sent to the address you entered. Click the link in that email to proceed.',
        },
        emailTemplateName: 'registration',
        identityAttribute: 'userName',
        objectLookup: false,
      },
      '97a15eb2-a015-4b6d-81a0-be78c3aa1a3b': {
        _id: '97a15eb2-a015-4b6d-81a0-be78c3aa1a3b',
        _outcomes: [
          {
            displayName: 'Outcome',
            id: 'outcome',
          },
        ],
        _type: {
          _id: 'IncrementLoginCountNode',
          collection: true,
          name: 'Increment Login Count',
        },
        identityAttribute: 'userName',
      },
      'ad5dcbb3-7335-49b7-b3e7-7d850bb88237': {
        _id: 'ad5dcbb3-7335-49b7-b3e7-7d850bb88237',
        _outcomes: [
          {
            displayName: 'Created',
            id: 'CREATED',
          },
          {
            displayName: 'Failed',
            id: 'FAILURE',
          },
        ],
        _type: {
          _id: 'CreateObjectNode',
          collection: true,
          name: 'Create Object',
        },
        identityResource: 'managed/alpha_user',
      },
    },
    innerNodes: {
      '120c69d3-90b4-4ad4-b7af-380e8b119340': {
        _id: '120c69d3-90b4-4ad4-b7af-380e8b119340',
        _outcomes: [
          {
            displayName: 'Outcome',
            id: 'outcome',
          },
        ],
        _type: {
          _id: 'KbaCreateNode',
          collection: true,
          name: 'KBA Definition',
        },
        allowUserDefinedQuestions: true,
        message: {
          en: 'Select a security question',
        },
      },
      '3d8709a1-f09f-4d1f-8094-2850e472c1db': {
        _id: '3d8709a1-f09f-4d1f-8094-2850e472c1db',
        _outcomes: [
          {
            displayName: 'Outcome',
            id: 'outcome',
          },
        ],
        _type: {
          _id: 'ValidatedPasswordNode',
          collection: true,
          name: 'Platform Password',
        },
        passwordAttribute: 'password',
        validateInput: true,
      },
      '7fcaf48e-a754-4959-858b-05b2933b825f': {
        _id: '7fcaf48e-a754-4959-858b-05b2933b825f',
        _outcomes: [
          {
            displayName: 'Outcome',
            id: 'outcome',
          },
        ],
        _type: {
          _id: 'ValidatedUsernameNode',
          collection: true,
          name: 'Platform Username',
        },
        usernameAttribute: 'userName',
        validateInput: true,
      },
      'b4a0e915-c15d-4b83-9c9d-18347d645976': {
        _id: 'b4a0e915-c15d-4b83-9c9d-18347d645976',
        _outcomes: [
          {
            displayName: 'Outcome',
            id: 'outcome',
          },
        ],
        _type: {
          _id: 'AcceptTermsAndConditionsNode',
          collection: true,
          name: 'Accept Terms and Conditions',
        },
      },
      'd3ce2036-1523-4ce8-b1a2-895a2a036667': {
        _id: 'd3ce2036-1523-4ce8-b1a2-895a2a036667',
        _outcomes: [
          {
            displayName: 'Outcome',
            id: 'outcome',
          },
        ],
        _type: {
          _id: 'AttributeCollectorNode',
          collection: true,
          name: 'Attribute Collector',
        },
        attributesToCollect: ['givenName', 'sn', 'mail', 'preferences/marketing', 'preferences/updates'],
        identityAttribute: 'userName',
        required: true,
        validateInputs: true,
      },
    },
    scripts: {},
  },
  ForgottenUsername: {
    tree: {
      _id: 'ForgottenUsername',
      description: 'Forgotten Username Tree',
      enabled: true,
      entryNodeId: '5e2a7c95-94af-4b23-8724-deb13853726a',
      identityResource: 'managed/alpha_user',
      innerTreeOnly: false,
      mustRun: false,
      nodes: {
        '5e2a7c95-94af-4b23-8724-deb13853726a': {
          connections: {
            outcome: 'bf9ea8d5-9802-4f26-9664-a21840faac23',
          },
          displayName: 'Page Node',
          nodeType: 'PageNode',
          x: 0,
          y: 0,
        },
        'b93ce36e-1976-4610-b24f-8d6760b5463b': {
          connections: {
            false: 'e301438c-0bd0-429c-ab0c-66126501069a',
            true: '70e691a5-1e33-4ac3-a356-e7b6d60d92e0',
          },
          displayName: 'Inner Tree Evaluator',
          nodeType: 'InnerTreeEvaluatorNode',
          x: 0,
          y: 0,
        },
        'bf9ea8d5-9802-4f26-9664-a21840faac23': {
          connections: {
            false: 'd9a79f01-2ce3-4be2-a28a-975f35c3c8ca',
            true: 'd9a79f01-2ce3-4be2-a28a-975f35c3c8ca',
          },
          displayName: 'Identify Existing User',
          nodeType: 'IdentifyExistingUserNode',
          x: 0,
          y: 0,
        },
        'd9a79f01-2ce3-4be2-a28a-975f35c3c8ca': {
          connections: {
            outcome: 'b93ce36e-1976-4610-b24f-8d6760b5463b',
          },
          displayName: 'Email Suspend Node',
          nodeType: 'EmailSuspendNode',
          x: 0,
          y: 0,
        },
      },
      staticNodes: {
        '70e691a5-1e33-4ac3-a356-e7b6d60d92e0': {
          x: 970,
          y: 149,
        },
        'e301438c-0bd0-429c-ab0c-66126501069a': {
          x: 982,
          y: 252,
        },
        startNode: {
          x: 50,
          y: 25,
        },
      },
      uiConfig: {
        categories: '["Username Reset"]',
      },
    },
    nodes: {
      '5e2a7c95-94af-4b23-8724-deb13853726a': {
        _id: '5e2a7c95-94af-4b23-8724-deb13853726a',
        _outcomes: [
          {
            displayName: 'Outcome',
            id: 'outcome',
          },
        ],
        _type: {
          _id: 'PageNode',
          collection: true,
          name: 'Page Node',
        },
        nodes: [
          {
            _id: '9f1e8d94-4922-481b-9e14-212b66548900',
            displayName: 'Attribute Collector',
            nodeType: 'AttributeCollectorNode',
          },
        ],
        pageDescription: {
          en: 'Enter your email address or <a href="#/service/Login">Sign in</a>',
        },
        pageHeader: {
          en: 'Forgotten Username',
        },
      },
      'b93ce36e-1976-4610-b24f-8d6760b5463b': {
        _id: 'b93ce36e-1976-4610-b24f-8d6760b5463b',
        _outcomes: [
          {
            displayName: 'True',
            id: 'true',
          },
          {
            displayName: 'False',
            id: 'false',
          },
        ],
        _type: {
          _id: 'InnerTreeEvaluatorNode',
          collection: true,
          name: 'Inner Tree Evaluator',
        },
        tree: 'Login',
      },
      'bf9ea8d5-9802-4f26-9664-a21840faac23': {
        _id: 'bf9ea8d5-9802-4f26-9664-a21840faac23',
        _outcomes: [
          {
            displayName: 'True',
            id: 'true',
          },
          {
            displayName: 'False',
            id: 'false',
          },
        ],
        _type: {
          _id: 'IdentifyExistingUserNode',
          collection: true,
          name: 'Identify Existing User',
        },
        identifier: 'userName',
        identityAttribute: 'mail',
      },
      'd9a79f01-2ce3-4be2-a28a-975f35c3c8ca': {
        _id: 'd9a79f01-2ce3-4be2-a28a-975f35c3c8ca',
        _outcomes: [
          {
            displayName: 'Outcome',
            id: 'outcome',
          },
        ],
        _type: {
          _id: 'EmailSuspendNode',
          collection: true,
          name: 'Email Suspend Node',
        },
        emailAttribute: 'mail',
        emailSuspendMessage: {
          en: 'An email has been sent to the address you entered. Click the link in that email to proceed.',
        },
        emailTemplateName: 'forgottenUsername',
        identityAttribute: 'mail',
        objectLookup: true,
      },
    },
    innerNodes: {
      '9f1e8d94-4922-481b-9e14-212b66548900': {
        _id: '9f1e8d94-4922-481b-9e14-212b66548900',
        _outcomes: [
          {
            displayName: 'Outcome',
            id: 'outcome',
          },
        ],
        _type: {
          _id: 'AttributeCollectorNode',
          collection: true,
          name: 'Attribute Collector',
        },
        attributesToCollect: ['mail'],
        identityAttribute: 'mail',
        required: true,
        validateInputs: false,
      },
    },
    scripts: {},
  },
  ResetPassword: {
    tree: {
      _id: 'ResetPassword',
      description: 'Reset Password Tree',
      enabled: true,
      entryNodeId: 'cc3e1ed2-25f1-47bf-83c6-17084f8b2b2b',
      identityResource: 'managed/alpha_user',
      innerTreeOnly: false,
      mustRun: false,
      nodes: {
        '06c97be5-7fdd-4739-aea1-ecc7fe082865': {
          connections: {
            outcome: 'e4c752f9-c625-48c9-9644-a58802fa9e9c',
          },
          displayName: 'Email Suspend Node',
          nodeType: 'EmailSuspendNode',
          x: 453,
          y: 66,
        },
        '21b8ddf3-0203-4ae1-ab05-51cf3a3a707a': {
          connections: {
            false: '06c97be5-7fdd-4739-aea1-ecc7fe082865',
            true: '06c97be5-7fdd-4739-aea1-ecc7fe082865',
          },
          displayName: 'Identify Existing User',
          nodeType: 'IdentifyExistingUserNode',
          x: 271,
          y: 21,
        },
        '989f0bf8-a328-4217-b82b-5275d79ca8bd': {
          connections: {
            FAILURE: 'e301438c-0bd0-429c-ab0c-66126501069a',
            PATCHED: '70e691a5-1e33-4ac3-a356-e7b6d60d92e0',
          },
          displayName: 'Patch Object',
          nodeType: 'PatchObjectNode',
          x: 819,
          y: 61,
        },
        'cc3e1ed2-25f1-47bf-83c6-17084f8b2b2b': {
          connections: {
            outcome: '21b8ddf3-0203-4ae1-ab05-51cf3a3a707a',
          },
          displayName: 'Page Node',
          nodeType: 'PageNode',
          x: 103,
          y: 50,
        },
        'e4c752f9-c625-48c9-9644-a58802fa9e9c': {
          connections: {
            outcome: '989f0bf8-a328-4217-b82b-5275d79ca8bd',
          },
          displayName: 'Page Node',
          nodeType: 'PageNode',
          x: 643,
          y: 50,
        },
      },
      staticNodes: {
        '70e691a5-1e33-4ac3-a356-e7b6d60d92e0': {
          x: 970,
          y: 79,
        },
        'e301438c-0bd0-429c-ab0c-66126501069a': {
          x: 981,
          y: 147,
        },
        startNode: {
          x: 25,
          y: 25,
        },
      },
      uiConfig: {
        categories: '["Password Reset"]',
      },
    },
    nodes: {
      '06c97be5-7fdd-4739-aea1-ecc7fe082865': {
        _id: '06c97be5-7fdd-4739-aea1-ecc7fe082865',
        _outcomes: [
          {
            displayName: 'Outcome',
            id: 'outcome',
          },
        ],
        _type: {
          _id: 'EmailSuspendNode',
          collection: true,
          name: 'Email Suspend Node',
        },
        emailAttribute: 'mail',
        emailSuspendMessage: {
          en: 'An email has been sent to the address you entered. Click the link in that email to proceed.',
        },
        emailTemplateName: 'resetPassword',
        identityAttribute: 'mail',
        objectLookup: true,
      },
      '21b8ddf3-0203-4ae1-ab05-51cf3a3a707a': {
        _id: '21b8ddf3-0203-4ae1-ab05-51cf3a3a707a',
        _outcomes: [
          {
            displayName: 'True',
            id: 'true',
          },
          {
            displayName: 'False',
            id: 'false',
          },
        ],
        _type: {
          _id: 'IdentifyExistingUserNode',
          collection: true,
          name: 'Identify Existing User',
        },
        identifier: 'userName',
        identityAttribute: 'mail',
      },
      '989f0bf8-a328-4217-b82b-5275d79ca8bd': {
        _id: '989f0bf8-a328-4217-b82b-5275d79ca8bd',
        _outcomes: [
          {
            displayName: 'Patched',
            id: 'PATCHED',
          },
          {
            displayName: 'Failed',
            id: 'FAILURE',
          },
        ],
        _type: {
          _id: 'PatchObjectNode',
          collection: true,
          name: 'Patch Object',
        },
        identityAttribute: 'mail',
        identityResource: 'managed/alpha_user',
        ignoredFields: [],
        patchAsObject: false,
      },
      'cc3e1ed2-25f1-47bf-83c6-17084f8b2b2b': {
        _id: 'cc3e1ed2-25f1-47bf-83c6-17084f8b2b2b',
        _outcomes: [
          {
            displayName: 'Outcome',
            id: 'outcome',
          },
        ],
        _type: {
          _id: 'PageNode',
          collection: true,
          name: 'Page Node',
        },
        nodes: [
          {
            _id: '276afa7c-a680-4cf4-a5f6-d6c78191f5c9',
            displayName: 'Attribute Collector',
            nodeType: 'AttributeCollectorNode',
          },
        ],
        pageDescription: {
          en: 'Enter your email address or <a href="#/service/Login">Sign in</a>',
        },
        pageHeader: {
          en: 'Reset Password',
        },
      },
      'e4c752f9-c625-48c9-9644-a58802fa9e9c': {
        _id: 'e4c752f9-c625-48c9-9644-a58802fa9e9c',
        _outcomes: [
          {
            displayName: 'Outcome',
            id: 'outcome',
          },
        ],
        _type: {
          _id: 'PageNode',
          collection: true,
          name: 'Page Node',
        },
        nodes: [
          {
            _id: '009c19c8-9572-47bb-adb2-1f092c559a43',
            displayName: 'Platform Password',
            nodeType: 'ValidatedPasswordNode',
          },
        ],
        pageDescription: {
          en: 'Change password',
        },
        pageHeader: {
          en: 'Reset Password',
        },
      },
    },
    innerNodes: {
      '009c19c8-9572-47bb-adb2-1f092c559a43': {
        _id: '009c19c8-9572-47bb-adb2-1f092c559a43',
        _outcomes: [
          {
            displayName: 'Outcome',
            id: 'outcome',
          },
        ],
        _type: {
          _id: 'ValidatedPasswordNode',
          collection: true,
          name: 'Platform Password',
        },
        passwordAttribute: 'password',
        validateInput: true,
      },
      '276afa7c-a680-4cf4-a5f6-d6c78191f5c9': {
        _id: '276afa7c-a680-4cf4-a5f6-d6c78191f5c9',
        _outcomes: [
          {
            displayName: 'Outcome',
            id: 'outcome',
          },
        ],
        _type: {
          _id: 'AttributeCollectorNode',
          collection: true,
          name: 'Attribute Collector',
        },
        attributesToCollect: ['mail'],
        identityAttribute: 'mail',
        required: true,
        validateInputs: false,
      },
    },
    scripts: {},
  },
  UpdatePassword: {
    tree: {
      _id: 'UpdatePassword',
      description: 'Update password using active session',
      enabled: true,
      entryNodeId: 'd1b79744-493a-44fe-bc26-7d324a8caa4e',
      identityResource: 'managed/alpha_user',
      innerTreeOnly: false,
      mustRun: false,
      nodes: {
        '0f0904e6-1da3-4cdb-9abf-0d2545016fab': {
          connections: {
            false: 'a3d97b53-e38a-4b24-aed0-a021050eb744',
            true: '20237b34-26cb-4a0b-958f-abb422290d42',
          },
          displayName: 'Attribute Present Decision',
          nodeType: 'AttributePresentDecisionNode',
          x: 288,
          y: 133,
        },
        '20237b34-26cb-4a0b-958f-abb422290d42': {
          connections: {
            outcome: '7d1deabe-cd98-49c8-943f-ca12305775f3',
          },
          displayName: 'Page Node',
          nodeType: 'PageNode',
          x: 526,
          y: 46,
        },
        '3990ce1f-cce6-435b-ae1c-f138e89411c1': {
          connections: {
            FAILURE: 'e301438c-0bd0-429c-ab0c-66126501069a',
            PATCHED: '70e691a5-1e33-4ac3-a356-e7b6d60d92e0',
          },
          displayName: 'Patch Object',
          nodeType: 'PatchObjectNode',
          x: 1062,
          y: 189,
        },
        '7d1deabe-cd98-49c8-943f-ca12305775f3': {
          connections: {
            false: 'e301438c-0bd0-429c-ab0c-66126501069a',
            true: 'd018fcd1-4e22-4160-8c41-63bee51c9cb3',
          },
          displayName: 'Data Store Decision',
          nodeType: 'DataStoreDecisionNode',
          x: 722,
          y: 45,
        },
        'a3d97b53-e38a-4b24-aed0-a021050eb744': {
          connections: {
            outcome: 'd018fcd1-4e22-4160-8c41-63bee51c9cb3',
          },
          displayName: 'Email Suspend Node',
          nodeType: 'EmailSuspendNode',
          x: 659,
          y: 223,
        },
        'd018fcd1-4e22-4160-8c41-63bee51c9cb3': {
          connections: {
            outcome: '3990ce1f-cce6-435b-ae1c-f138e89411c1',
          },
          displayName: 'Page Node',
          nodeType: 'PageNode',
          x: 943,
          y: 30,
        },
        'd1b79744-493a-44fe-bc26-7d324a8caa4e': {
          connections: {
            outcome: '0f0904e6-1da3-4cdb-9abf-0d2545016fab',
          },
          displayName: 'Get Session Data',
          nodeType: 'SessionDataNode',
          x: 122,
          y: 129,
        },
      },
      staticNodes: {
        '70e691a5-1e33-4ac3-a356-e7b6d60d92e0': {
          x: 1212,
          y: 128,
        },
        'e301438c-0bd0-429c-ab0c-66126501069a': {
          x: 939,
          y: 290,
        },
        startNode: {
          x: 50,
          y: 25,
        },
      },
      uiConfig: {
        categories: '["Password Reset"]',
      },
    },
    nodes: {
      '0f0904e6-1da3-4cdb-9abf-0d2545016fab': {
        _id: '0f0904e6-1da3-4cdb-9abf-0d2545016fab',
        _outcomes: [
          {
            displayName: 'True',
            id: 'true',
          },
          {
            displayName: 'False',
            id: 'false',
          },
        ],
        _type: {
          _id: 'AttributePresentDecisionNode',
          collection: true,
          name: 'Attribute Present Decision',
        },
        identityAttribute: 'userName',
        presentAttribute: 'password',
      },
      '20237b34-26cb-4a0b-958f-abb422290d42': {
        _id: '20237b34-26cb-4a0b-958f-abb422290d42',
        _outcomes: [
          {
            displayName: 'Outcome',
            id: 'outcome',
          },
        ],
        _type: {
          _id: 'PageNode',
          collection: true,
          name: 'Page Node',
        },
        nodes: [
          {
            _id: 'fe2962fc-4db3-4066-8624-553649afc438',
            displayName: 'Platform Password',
            nodeType: 'ValidatedPasswordNode',
          },
        ],
        pageDescription: {
          en: 'Enter current password',
        },
        pageHeader: {
          en: 'Verify Existing Password',
        },
      },
      '3990ce1f-cce6-435b-ae1c-f138e89411c1': {
        _id: '3990ce1f-cce6-435b-ae1c-f138e89411c1',
        _outcomes: [
          {
            displayName: 'Patched',
            id: 'PATCHED',
          },
          {
            displayName: 'Failed',
            id: 'FAILURE',
          },
        ],
        _type: {
          _id: 'PatchObjectNode',
          collection: true,
          name: 'Patch Object',
        },
        identityAttribute: 'userName',
        identityResource: 'managed/alpha_user',
        ignoredFields: ['userName'],
        patchAsObject: false,
      },
      '7d1deabe-cd98-49c8-943f-ca12305775f3': {
        _id: '7d1deabe-cd98-49c8-943f-ca12305775f3',
        _outcomes: [
          {
            displayName: 'True',
            id: 'true',
          },
          {
            displayName: 'False',
            id: 'false',
          },
        ],
        _type: {
          _id: 'DataStoreDecisionNode',
          collection: true,
          name: 'Data Store Decision',
        },
      },
      'a3d97b53-e38a-4b24-aed0-a021050eb744': {
        _id: 'a3d97b53-e38a-4b24-aed0-a021050eb744',
        _outcomes: [
          {
            displayName: 'Outcome',
            id: 'outcome',
          },
        ],
        _type: {
          _id: 'EmailSuspendNode',
          collection: true,
          name: 'Email Suspend Node',
        },
        emailAttribute: 'mail',
        emailSuspendMessage: {
          en: 'An email has been sent to your address, please verify your email address to update your password. Click the link in that email to proceed.',
        },
        emailTemplateName: 'updatePassword',
        identityAttribute: 'userName',
        objectLookup: true,
      },
      'd018fcd1-4e22-4160-8c41-63bee51c9cb3': {
        _id: 'd018fcd1-4e22-4160-8c41-63bee51c9cb3',
        _outcomes: [
          {
            displayName: 'Outcome',
            id: 'outcome',
          },
        ],
        _type: {
          _id: 'PageNode',
          collection: true,
          name: 'Page Node',
        },
        nodes: [
          {
            _id: '21a99653-a7a7-47ee-b650-f493a84bba09',
            displayName: 'Platform Password',
            nodeType: 'ValidatedPasswordNode',
          },
        ],
        pageDescription: {
          en: 'Enter new password',
        },
        pageHeader: {
          en: 'Update Password',
        },
      },
      'd1b79744-493a-44fe-bc26-7d324a8caa4e': {
        _id: 'd1b79744-493a-44fe-bc26-7d324a8caa4e',
        _outcomes: [
          {
            displayName: 'Outcome',
            id: 'outcome',
          },
        ],
        _type: {
          _id: 'SessionDataNode',
          collection: true,
          name: 'Get Session Data',
        },
        sessionDataKey: 'UserToken',
        sharedStateKey: 'userName',
      },
    },
    innerNodes: {
      '21a99653-a7a7-47ee-b650-f493a84bba09': {
        _id: '21a99653-a7a7-47ee-b650-f493a84bba09',
        _outcomes: [
          {
            displayName: 'Outcome',
            id: 'outcome',
          },
        ],
        _type: {
          _id: 'ValidatedPasswordNode',
          collection: true,
          name: 'Platform Password',
        },
        passwordAttribute: 'password',
        validateInput: true,
      },
      'fe2962fc-4db3-4066-8624-553649afc438': {
        _id: 'fe2962fc-4db3-4066-8624-553649afc438',
        _outcomes: [
          {
            displayName: 'Outcome',
            id: 'outcome',
          },
        ],
        _type: {
          _id: 'ValidatedPasswordNode',
          collection: true,
          name: 'Platform Password',
        },
        passwordAttribute: 'password',
        validateInput: false,
      },
    },
    scripts: {},
  },
};
