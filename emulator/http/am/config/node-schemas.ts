/**
 * The configuration schema of each node type the emulator runs, as AM's node actions `schema` and
 * `template` answer them (`nodes/<type>?_action=schema`): each attribute of the node's `Config`
 * interface in am-external 8.0.2 (openam-auth-trees and idm-integration nodes), with its title and
 * help from the node's `.properties`, its `@Attribute` order, its JSON type and its default where the
 * source names a literal one; `required` lists the attributes that are not `Optional`. The shape
 * follows the recorded answer for ValidatedUsernameNode, which is kept as recorded (AIC's node has
 * two attributes more than 8.0.2's) [real: aic-alpha-journey-nodes-rest.har #9]. Generated from
 * am-external; where a default is an expression of AM's core, it is left out (docs/fidelity.md).
 */

type Schema = Readonly<Record<string, unknown>>;

export const NODE_SCHEMAS: Readonly<Record<string, Schema>> = {
  ScriptedDecisionNode: {
    type: 'object',
    properties: {
      script: {
        title: 'Script',
        description: 'The script to evaluate.',
        propertyOrder: 100,
        type: 'string',
        exampleValue: '',
      },
      outcomes: {
        title: 'Outcomes',
        description: '',
        propertyOrder: 200,
        items: {
          type: 'string',
        },
        type: 'array',
        exampleValue: '',
      },
      inputs: {
        title: 'Script Inputs',
        description: 'A list of state inputs required by the script.',
        propertyOrder: 300,
        items: {
          type: 'string',
        },
        type: 'array',
        exampleValue: '',
      },
      outputs: {
        title: 'Script Outputs',
        description: 'A list of state outputs produced by the script.',
        propertyOrder: 400,
        items: {
          type: 'string',
        },
        type: 'array',
        exampleValue: '',
      },
    },
    required: ['script', 'outcomes', 'inputs', 'outputs'],
  },
  MessageNode: {
    type: 'object',
    properties: {
      message: {
        title: 'Message',
        description:
          'Localisation overrides - as key fill shortcut for language (first will be used as default if not empty or "Default message" if empty), value is message for language defined by key.',
        propertyOrder: 100,
        patternProperties: {
          '.*': {
            type: 'string',
          },
        },
        type: 'object',
        exampleValue: '',
        default: {},
      },
      messageYes: {
        title: 'Positive answer',
        description:
          'Localisation overrides - as key fill shortcut for language (first will be used as default if not empty or "Yes" if empty), value is positive answer for language defined by key.',
        propertyOrder: 200,
        patternProperties: {
          '.*': {
            type: 'string',
          },
        },
        type: 'object',
        exampleValue: '',
        default: {},
      },
      messageNo: {
        title: 'Negative answer',
        description:
          'Localisation overrides - as key fill shortcut for language (first will be used as default if not empty or "No" if empty), value is negative answer for language defined by key.',
        propertyOrder: 300,
        patternProperties: {
          '.*': {
            type: 'string',
          },
        },
        type: 'object',
        exampleValue: '',
        default: {},
      },
      stateField: {
        title: 'Shared State Property Name',
        description: '',
        propertyOrder: 400,
        type: 'string',
        exampleValue: '',
      },
    },
    required: ['message', 'messageYes', 'messageNo'],
  },
  PageNode: {
    type: 'object',
    properties: {
      pageHeader: {
        title: 'Page Header',
        description:
          'Localisation overrides - as key fill shortcut for language (first will be used as default if not empty or "Default header" if empty), value is header for language defined by key.',
        propertyOrder: 100,
        patternProperties: {
          '.*': {
            type: 'string',
          },
        },
        type: 'object',
        exampleValue: '',
        default: {},
      },
      pageDescription: {
        title: 'Page Description',
        description:
          'Localisation overrides - as key fill shortcut for language (first will be used as default if not empty or "Default description" if empty), value is description for language defined by key.',
        propertyOrder: 200,
        patternProperties: {
          '.*': {
            type: 'string',
          },
        },
        type: 'object',
        exampleValue: '',
        default: {},
      },
      stage: {
        title: 'Stage',
        description: 'An optional stage name to pass to the client to aid in rendering.',
        propertyOrder: 300,
        type: 'string',
        exampleValue: '',
      },
      nodes: {
        title: 'nodes',
        description: '',
        propertyOrder: 500,
        items: {
          type: 'string',
        },
        type: 'array',
        exampleValue: '',
      },
    },
    required: ['pageHeader', 'pageDescription', 'stage', 'nodes'],
  },
  UsernameCollectorNode: {
    type: 'object',
    required: [],
  },
  PasswordCollectorNode: {
    type: 'object',
    required: [],
  },
  ValidatedUsernameNode: {
    type: 'object',
    properties: {
      validateInput: {
        title: 'Validate username',
        description: 'Check IDM policy against this username and return any policy failures as errors.',
        propertyOrder: 100,
        type: 'boolean',
        exampleValue: '',
        default: false,
      },
      usernameAttribute: {
        title: 'Username Attribute',
        description: 'The name of the attribute in the IDM object that stores the username.',
        propertyOrder: 200,
        type: 'string',
        exampleValue: '',
        default: 'userName',
      },
      prepopulate: {
        title: 'Prepopulate Username',
        description: "If true, the input field is prepopulated with the 'username' value if present in the node state.",
        propertyOrder: 300,
        type: 'boolean',
        exampleValue: '',
        default: false,
      },
      autocompleteValues: {
        title: 'Autocomplete Values',
        description:
          'If set, the input field will provide autocomplete suggestions based on these values, as per HTML 5 specifications.',
        propertyOrder: 400,
        items: {
          type: 'string',
        },
        type: 'array',
        exampleValue: '',
        default: [],
      },
    },
    required: ['validateInput', 'usernameAttribute', 'prepopulate', 'autocompleteValues'],
  },
  ValidatedPasswordNode: {
    type: 'object',
    properties: {
      validateInput: {
        title: 'Validate password',
        description: 'Check IDM policy against this password and return any policy failures as errors.',
        propertyOrder: 100,
        type: 'boolean',
        exampleValue: '',
        default: false,
      },
      passwordAttribute: {
        title: 'Password Attribute',
        description: 'The name of the attribute in the IDM object that stores the password.',
        propertyOrder: 200,
        type: 'string',
        exampleValue: '',
        default: 'password',
      },
    },
    required: ['validateInput', 'passwordAttribute'],
  },
  DataStoreDecisionNode: {
    type: 'object',
    required: [],
  },
  ZeroPageLoginNode: {
    type: 'object',
    properties: {
      usernameHeader: {
        title: 'Username Header Name',
        description: '',
        propertyOrder: 100,
        type: 'string',
        exampleValue: '',
        default: 'X-OpenAM-Username',
      },
      passwordHeader: {
        title: 'Password Header Name',
        description: '',
        propertyOrder: 200,
        type: 'string',
        exampleValue: '',
        default: 'X-OpenAM-Password',
      },
      allowWithoutReferer: {
        title: 'Allow Without Referer',
        description: '',
        propertyOrder: 300,
        type: 'boolean',
        exampleValue: '',
        default: true,
      },
      referrerWhiteList: {
        title: 'Referer Whitelist',
        description: '',
        propertyOrder: 400,
        items: {
          type: 'string',
        },
        type: 'array',
        exampleValue: '',
      },
    },
    required: ['usernameHeader', 'passwordHeader', 'allowWithoutReferer', 'referrerWhiteList'],
  },
  SetSuccessUrlNode: {
    type: 'object',
    properties: {
      successUrl: {
        title: 'Success URL',
        description: '',
        propertyOrder: 100,
        type: 'string',
        exampleValue: '',
      },
    },
    required: ['successUrl'],
  },
  SetFailureUrlNode: {
    type: 'object',
    properties: {
      failureUrl: {
        title: 'Failure URL',
        description: '',
        propertyOrder: 100,
        type: 'string',
        exampleValue: '',
      },
    },
    required: ['failureUrl'],
  },
  IdentifyExistingUserNode: {
    type: 'object',
    properties: {
      identifier: {
        title: 'Identifier',
        description: 'The IDM attribute used to save existing value in sharedState for log in purposes.',
        propertyOrder: 100,
        type: 'string',
        exampleValue: '',
        default: 'userName',
      },
      identityAttribute: {
        title: 'Identity Attribute',
        description: 'The attribute used to retrieve an existing user.',
        propertyOrder: 200,
        type: 'string',
        exampleValue: '',
        default: 'mail',
      },
    },
    required: ['identifier', 'identityAttribute'],
  },
  InnerTreeEvaluatorNode: {
    type: 'object',
    properties: {
      tree: {
        title: 'Tree Name',
        description: 'The name of the tree that will be evaluated.',
        propertyOrder: 100,
        type: 'string',
        exampleValue: '',
      },
      displayErrorOutcome: {
        title: 'Error Outcome',
        description: 'Displays the outcome to return if an exception occurs during the evaluation of the inner \\',
        propertyOrder: 200,
        type: 'boolean',
        exampleValue: '',
        default: false,
      },
    },
    required: ['tree', 'displayErrorOutcome'],
  },
  IncrementLoginCountNode: {
    type: 'object',
    properties: {
      identityAttribute: {
        title: 'Identity Attribute',
        description: 'The attribute of the IDM object to use retrieve the object.',
        propertyOrder: 100,
        type: 'string',
        exampleValue: '',
        default: 'userName',
      },
    },
    required: ['identityAttribute'],
  },
  LoginCountDecisionNode: {
    type: 'object',
    properties: {
      interval: {
        title: 'Interval',
        description: "The interval type for which the decision should occur. Valid types are 'every' and 'at'.",
        propertyOrder: 100,
        enum: [],
        type: 'string',
        exampleValue: '',
        default: 'AT',
      },
      amount: {
        title: 'Amount',
        description: 'The amount (count) of logins for the interval.',
        propertyOrder: 200,
        type: 'integer',
        exampleValue: '',
        default: 25,
      },
      identityAttribute: {
        title: 'Identity Attribute',
        description: 'The attribute of the IDM object to use retrieve the object.',
        propertyOrder: 300,
        type: 'string',
        exampleValue: '',
        default: 'userName',
      },
    },
    required: ['interval', 'amount', 'identityAttribute'],
  },
  QueryFilterDecisionNode: {
    type: 'object',
    properties: {
      queryFilter: {
        title: 'Query Filter',
        description: 'A query filter tested against an object.',
        propertyOrder: 100,
        type: 'string',
        exampleValue: '',
      },
      identityAttribute: {
        title: 'Identity Attribute',
        description: 'The attribute used to retrieve the object to be tested against the query filter.',
        propertyOrder: 200,
        type: 'string',
        exampleValue: '',
        default: 'userName',
      },
    },
    required: ['queryFilter', 'identityAttribute'],
  },
  AttributeCollectorNode: {
    type: 'object',
    properties: {
      attributesToCollect: {
        title: 'Attributes to Collect',
        description: 'A set of attributes to collect from the client.',
        propertyOrder: 100,
        items: {
          type: 'string',
        },
        type: 'array',
        exampleValue: '',
      },
      required: {
        title: 'All Attributes Required',
        description: 'When set, requires all attributes collected to contain non-null values.',
        propertyOrder: 200,
        type: 'boolean',
        exampleValue: '',
        default: false,
      },
      validateInputs: {
        title: 'Validate Input',
        description: 'Set to true if client input should be validated against IDM policy as declared in the schema.',
        propertyOrder: 300,
        type: 'boolean',
        exampleValue: '',
        default: false,
      },
      identityAttribute: {
        title: 'Identity Attribute',
        description: 'The attribute used to identify the the object in IDM.',
        propertyOrder: 400,
        type: 'string',
        exampleValue: '',
        default: 'userName',
      },
    },
    required: ['attributesToCollect', 'required', 'validateInputs', 'identityAttribute'],
  },
  PatchObjectNode: {
    type: 'object',
    properties: {
      patchAsObject: {
        title: 'Patch As Object',
        description:
          'Whether the patch should be done as object or client. Defaults to false, which represents the oauth client.',
        propertyOrder: 100,
        type: 'boolean',
        exampleValue: '',
        default: false,
      },
      ignoredFields: {
        title: 'Ignored Fields',
        description:
          'Fields from sharedState that should be ignored as part of patch. If empty, all fields are attempted as part of the patch.',
        propertyOrder: 200,
        items: {
          type: 'string',
        },
        type: 'array',
        exampleValue: '',
      },
      identityResource: {
        title: 'Identity Resource',
        description: 'The identity resource in IDM that this node will patch. This is used to aid node input \\',
        propertyOrder: 300,
        type: 'string',
        exampleValue: '',
      },
      identityAttribute: {
        title: 'Identity Attribute',
        description: 'The attribute used to identify the the object in IDM.',
        propertyOrder: 400,
        type: 'string',
        exampleValue: '',
        default: 'userName',
      },
    },
    required: ['patchAsObject', 'ignoredFields', 'identityResource', 'identityAttribute'],
  },
  CreateObjectNode: {
    type: 'object',
    properties: {
      identityResource: {
        title: 'Identity Resource',
        description: 'The identity resource in IDM that this node will create. This is used to aid node input \\',
        propertyOrder: 100,
        type: 'string',
        exampleValue: '',
      },
    },
    required: ['identityResource'],
  },
  AttributePresentDecisionNode: {
    type: 'object',
    properties: {
      presentAttribute: {
        title: 'Present Attribute',
        description: 'The object attribute to verify is present regardless of whether the field is private.',
        propertyOrder: 100,
        type: 'string',
        exampleValue: '',
      },
      identityAttribute: {
        title: 'Identity Attribute',
        description: 'The attribute to query in the IDM object.',
        propertyOrder: 200,
        type: 'string',
        exampleValue: '',
        default: 'userName',
      },
    },
    required: ['presentAttribute', 'identityAttribute'],
  },
  RetryLimitDecisionNode: {
    type: 'object',
    properties: {
      retryLimit: {
        title: 'Retry Limit',
        description: 'The number of times to allow a retry.',
        propertyOrder: 100,
        type: 'integer',
        exampleValue: '',
        default: 3,
      },
      incrementUserAttributeOnFailure: {
        title: 'Save Retry Limit to User',
        description: 'If true the number of failures will be persisted beyond the scope of the execution \\',
        propertyOrder: 200,
        type: 'boolean',
        exampleValue: '',
        default: true,
      },
    },
    required: ['retryLimit', 'incrementUserAttributeOnFailure'],
  },
  SessionDataNode: {
    type: 'object',
    properties: {
      sessionDataKey: {
        title: 'Session Data Key',
        description: '',
        propertyOrder: 100,
        type: 'string',
        exampleValue: '',
      },
      sharedStateKey: {
        title: 'Shared State Key',
        description: '',
        propertyOrder: 200,
        type: 'string',
        exampleValue: '',
      },
    },
    required: ['sessionDataKey', 'sharedStateKey'],
  },
  CreatePasswordNode: {
    type: 'object',
    properties: {
      minPasswordLength: {
        title: 'minPasswordLength',
        description: '',
        propertyOrder: 100,
        type: 'integer',
        exampleValue: '',
        default: 8,
      },
    },
    required: ['minPasswordLength'],
  },
  AccountLockoutNode: {
    type: 'object',
    properties: {
      lockAction: {
        title: 'Lock Action',
        description: 'If the action is set to LOCK, the node will lock the account.',
        propertyOrder: 100,
        enum: [],
        type: 'string',
        exampleValue: '',
        default: 'LOCK',
      },
    },
    required: ['lockAction'],
  },
  AcceptTermsAndConditionsNode: {
    type: 'object',
    required: [],
  },
  EmailSuspendNode: {
    type: 'object',
    properties: {
      emailTemplateName: {
        title: 'Email Template Name',
        description: 'The IDM email template to be sent.',
        propertyOrder: 100,
        type: 'string',
        exampleValue: '',
      },
      emailAttribute: {
        title: 'Email Attribute',
        description: 'The IDM email field to send the email to.',
        propertyOrder: 200,
        type: 'string',
        exampleValue: '',
        default: 'mail',
      },
      emailSuspendMessage: {
        title: 'Email Suspend Message',
        description: 'The localised message to be returned once the tree is suspended.',
        propertyOrder: 300,
        patternProperties: {
          '.*': {
            type: 'string',
          },
        },
        type: 'object',
        exampleValue: '',
      },
      identityAttribute: {
        title: 'Identity Attribute',
        description: 'The attribute used to identify the the object in IDM.',
        propertyOrder: 500,
        type: 'string',
        exampleValue: '',
        default: 'userName',
      },
      objectLookup: {
        title: 'Object Lookup',
        description:
          'Determines whether object lookup should occur. If true, existing object is queried. Otherwise, object in shared state is used for template object.',
        propertyOrder: 400,
        type: 'boolean',
        exampleValue: '',
        default: false,
      },
      suspendDuration: {
        title: 'Suspend Duration (optional)',
        description: 'The duration, in minutes, that the authentication flow is suspended.',
        propertyOrder: 600,
        type: 'string',
        exampleValue: '',
      },
    },
    required: ['emailTemplateName', 'emailAttribute', 'emailSuspendMessage', 'identityAttribute', 'objectLookup'],
  },
  EmailTemplateNode: {
    type: 'object',
    properties: {
      emailTemplateName: {
        title: 'Email Template Name',
        description: 'The IDM email template to be sent.',
        propertyOrder: 100,
        type: 'string',
        exampleValue: '',
      },
      emailAttribute: {
        title: 'Email Attribute',
        description: 'The IDM email field to send the email to.',
        propertyOrder: 200,
        type: 'string',
        exampleValue: '',
        default: 'mail',
      },
      identityAttribute: {
        title: 'Identity Attribute',
        description: 'The attribute used to identify the the object in IDM.',
        propertyOrder: 300,
        type: 'string',
        exampleValue: '',
        default: 'userName',
      },
    },
    required: ['emailTemplateName', 'emailAttribute', 'identityAttribute'],
  },
  OneTimePasswordGeneratorNode: {
    type: 'object',
    properties: {
      length: {
        title: 'One Time Password Length',
        description: 'The length in characters of the one time password.',
        propertyOrder: 100,
        type: 'integer',
        exampleValue: '',
        default: 8,
      },
    },
    required: ['length'],
  },
  OneTimePasswordSmtpSenderNode: {
    type: 'object',
    properties: {
      hostName: {
        title: 'Mail Server Host Name',
        description: 'The name of the mail server OpenAM will use to send the messages.',
        propertyOrder: 200,
        type: 'string',
        exampleValue: '',
      },
      hostPort: {
        title: 'Mail Server Host Port',
        description:
          'The port of the mail server. The default port for SMTP is 25, if using SSL the default port is 465.',
        propertyOrder: 300,
        type: 'integer',
        exampleValue: '',
      },
      username: {
        title: 'Mail Server Authentication Username',
        description: 'The username to use when the mail server is using SMTP authentication.',
        propertyOrder: 400,
        type: 'string',
        exampleValue: '',
      },
      password: {
        title: 'Mail Server Authentication Password',
        description:
          'The password to use when the mail server uses SMTP authentication. This property is deprecated. \\',
        propertyOrder: 500,
        type: 'string',
        exampleValue: '',
      },
      passwordPurpose: {
        title: 'Mail Server Secret Label Identifier',
        description:
          'Label identifier used to create a secret label for mapping to the secret in the secret store. <br>\\',
        propertyOrder: 550,
        type: 'string',
        exampleValue: '',
      },
      fromEmailAddress: {
        title: 'Email From Address',
        description: 'Emails from the OTP Email Sender node will come from this address.',
        propertyOrder: 600,
        type: 'string',
        exampleValue: '',
      },
      emailAttribute: {
        title: 'Email Attribute Name',
        description: 'This is the attribute name used by the OTP Sender to email the user.',
        propertyOrder: 1100,
        type: 'string',
        exampleValue: '',
        default: 'mail',
      },
      emailSubject: {
        title: 'The subject of the email',
        description: 'This is the subject of the email that will be sent.',
        propertyOrder: 1300,
        patternProperties: {
          '.*': {
            type: 'string',
          },
        },
        type: 'object',
        exampleValue: '',
      },
      emailContent: {
        title: 'The content of the email',
        description: 'This is the content of the email that will be sent. All occurrence of {{OTP}} will be \\',
        propertyOrder: 1400,
        patternProperties: {
          '.*': {
            type: 'string',
          },
        },
        type: 'object',
        exampleValue: '',
      },
      sslOption: {
        title: 'Mail Server Secure Connection',
        description:
          'This setting controls whether the authentication module communicates with the mail server using SSL/TLS.',
        propertyOrder: 2100,
        type: 'string',
        exampleValue: '',
        default: 'SSL',
      },
      smsGatewayImplementationClass: {
        title: 'Gateway Implementation Class',
        description: 'The OTP Email Sender node uses this class to send email messages. <br><br>\\',
        propertyOrder: 2200,
        type: 'string',
        exampleValue: '',
        default: 'com.sun.identity.authentication.modules.hotp.DefaultSMSGatewayImpl',
      },
    },
    required: [
      'hostName',
      'hostPort',
      'username',
      'fromEmailAddress',
      'emailAttribute',
      'emailSubject',
      'emailContent',
      'sslOption',
      'smsGatewayImplementationClass',
    ],
  },
  OneTimePasswordCollectorDecisionNode: {
    type: 'object',
    properties: {
      passwordExpiryTime: {
        title: 'One Time Password Validity Length',
        description: 'This One Time Password will remain valid for this period in minutes.',
        propertyOrder: 100,
        type: 'integer',
        exampleValue: '',
        default: 5,
      },
    },
    required: ['passwordExpiryTime'],
  },
  ConfigProviderNode: {
    type: 'object',
    properties: {
      nodeType: {
        title: 'Node Type',
        description: 'The type of node that this should execute.',
        propertyOrder: 100,
        type: 'string',
        exampleValue: '',
      },
      script: {
        title: 'Script',
        description: 'The configuration provider script to be executed to generate the configuration for the node.',
        propertyOrder: 200,
        type: 'string',
        exampleValue: '',
      },
      scriptInputs: {
        title: 'Script Inputs',
        description: 'A list of inputs required by the configuration script.',
        propertyOrder: 300,
        items: {
          type: 'string',
        },
        type: 'array',
        exampleValue: '',
      },
    },
    required: ['nodeType', 'script', 'scriptInputs'],
  },
};
