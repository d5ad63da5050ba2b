/**
 * IDM configuration a fresh tenant starts with (emulator/state/idm-config.ts holds it; a reset
 * brings it back). Decisions: docs/fidelity.md, "IDM config".
 *
 * - `ui/themerealm` in the form AIC answered it with no theme saved [real:
 *   aic-idm-managed-config-email-theme.har #0]: the hosted pages' themes a new AIC tenant shows
 *   (Starter Theme and others) are not in any recording, so the emulator starts with none.
 * - The email templates of AIC's default self-service journeys (Registration, ResetPassword,
 *   ForgottenUsername, UpdatePassword), as a tenant answered them [real:
 *   aic-alpha-default-journeys-export.har #34-#37], and `welcome`, the Email Template node's
 *   default, whose subject and placeholder the reference gives but not its text (inferred body).
 */
/** A config object as IDM answers it: `_id` first. */
export type IdmConfigSeedObject = Record<string, unknown> & { _id: string };

/** The themes of the hosted pages, by realm name (none). */
export const THEMEREALM_SEED: IdmConfigSeedObject = { _id: 'ui/themerealm', realm: {} };

/** [real] aic-alpha-default-journeys-export.har */
const REGISTRATION: IdmConfigSeedObject = {
  _id: 'emailTemplate/registration',
  defaultLocale: 'en',
  enabled: true,
  from: '',
  html: {
    en: '<html><body><h3>This is your registration email.</h3><p><a href="{{object.resumeURI}}">Email verification link</a></p></body></html>',
    fr: '<html><body><h3>Ceci est votre mail d\'inscription.</h3><p><a href="{{object.resumeURI}}">Lien de vérification email</a></p></body></html>',
  },
  message: {
    en: '<html><head></head><body style="background-color: #324054; color: #5e6d82; padding: 60px; text-align: center;"><div class="content" style="background-color: #fff; border-radius: 4px; margin: 0 auto; padding: 48px; width: 235px;"><h3>This is your registration email.</h3><p><a href="{{object.resumeURI}}" style="text-decoration: none; color: #109cf1;">Email verification link</a></p></div></body></html>',
    fr: '<html><head></head><body style="background-color: #324054; color: #5e6d82; padding: 60px; text-align: center;"><div class="content" style="background-color: #fff; border-radius: 4px; margin: 0 auto; padding: 48px; width: 235px;"><h3>Ceci est votre mail d\'inscription.</h3><p><a href="{{object.resumeURI}}" style="text-decoration: none; color: #109cf1;">Lien de vérification email</a></p></div></body></html>',
  },
  mimeType: 'text/html',
  styles:
    'body{background-color:#324054;color:#5e6d82;padding:60px;text-align:center}a{text-decoration:none;color:#109cf1}.content{background-color:#fff;border-radius:4px;margin:0 auto;padding:48px;width:235px}',
  subject: {
    en: 'Register new account',
    fr: 'Créer un nouveau compte',
  },
};

/** [real] aic-alpha-default-journeys-export.har */
const RESET_PASSWORD: IdmConfigSeedObject = {
  _id: 'emailTemplate/resetPassword',
  defaultLocale: 'en',
  enabled: true,
  from: '',
  message: {
    en: '<h3>Click to reset your password</h3><h4><a href="{{object.resumeURI}}">Password reset link</a></h4>',
    fr: '<h3>Cliquez pour réinitialiser votre mot de passe</h3><h4><a href="{{object.resumeURI}}">Mot de passe lien de réinitialisation</a></h4>',
  },
  mimeType: 'text/html',
  subject: {
    en: 'Reset your password',
    fr: 'Réinitialisez votre mot de passe',
  },
};

/** [real] aic-alpha-default-journeys-export.har */
const FORGOTTEN_USERNAME: IdmConfigSeedObject = {
  _id: 'emailTemplate/forgottenUsername',
  defaultLocale: 'en',
  enabled: true,
  from: '',
  html: {
    en: '<html><body>{{#if object.userName}}<p>Your username is \'{{object.userName}}\'.</p>{{else}}If you received this email in error, please disregard.{{/if}}<p><a href="{{object.resumeURI}}">Click here to login</a></p></body></html>',
    fr: "<html><body>{{#if object.userName}}<p>Votre nom d'utilisateur est '{{object.userName}}'.</p>{{else}}Si vous avez reçu cet e-mail par erreur, veuillez ne pas en tenir compte.{{/if}}<p><a href=\"{{object.resumeURI}}\">Cliquez ici pour vous connecter</a></p></body></html>",
  },
  message: {
    en: '<html><head></head><body style="background-color: #324054; color: #455469; padding: 60px; text-align: center;"><div class="content" style="background-color: #fff; border-radius: 4px; margin: 0 auto; padding: 48px; width: 235px;"><p>{{#if object.userName}}Your username is \'{{object.userName}}\'.</p><p>{{else}}If you received this email in error, please disregard.{{/if}}</p><p><a href="{{object.resumeURI}}" style="text-decoration: none; color: #109cf1;">Click here to login</a></p></div></body></html>',
    fr: '<html><head></head><body style="background-color: #324054; color: #455469; padding: 60px; text-align: center;"><div class="content" style="background-color: #fff; border-radius: 4px; margin: 0 auto; padding: 48px; width: 235px;">{{#if object.userName}}<p>Votre nom d\'utilisateur est \'{{object.userName}}\'.</p>{{else}}Si vous avez reçu cet e-mail par erreur, veuillez ne pas en tenir compte.{{/if}}<p><a href="{{object.resumeURI}}" style="text-decoration: none; color: #109cf1;">Cliquez ici pour vous connecter</a></p></div></body></html>',
  },
  mimeType: 'text/html',
  styles:
    'body{background-color:#324054;color:#5e6d82;padding:60px;text-align:center}a{text-decoration:none;color:#109cf1}.content{background-color:#fff;border-radius:4px;margin:0 auto;padding:48px;width:235px}',
  subject: {
    en: 'Account Information - username',
    fr: "Informations sur le compte - nom d'utilisateur",
  },
};

/** [real] aic-alpha-default-journeys-export.har */
const UPDATE_PASSWORD: IdmConfigSeedObject = {
  _id: 'emailTemplate/updatePassword',
  defaultLocale: 'en',
  enabled: true,
  from: '',
  html: {
    en: '<h3>Verify email to update password</h3><p><a href="{{object.resumeURI}}">Update password link</a></p>',
  },
  message: {
    en: '<html><head></head><body style="background-color: #324054; color: #5e6d82; padding: 60px; text-align: center;"><div class="content" style="background-color: #fff; border-radius: 4px; margin: 0 auto; padding: 48px; width: 235px;"><h3 id="verifyemailtoupdatepassword">Verify email to update password</h3><p><a href="{{object.resumeURI}}" style="text-decoration: none; color: #109cf1;">Update password link</a></p></div></body></html>',
  },
  mimeType: 'text/html',
  styles:
    'body{background-color:#324054;color:#5e6d82;padding:60px;text-align:center}a{text-decoration:none;color:#109cf1}.content{background-color:#fff;border-radius:4px;margin:0 auto;padding:48px;width:235px}',
  subject: {
    en: 'Update your password',
  },
};

/** (inferred) body: the reference gives the subject and that it greets `{{object.userName}}`. */
const WELCOME: IdmConfigSeedObject = {
  _id: 'emailTemplate/welcome',
  defaultLocale: 'en',
  enabled: true,
  from: '',
  message: {
    en: '<html><body><h3>Welcome, {{object.userName}}.</h3><p>Your account has been created.</p></body></html>',
  },
  mimeType: 'text/html',
  subject: {
    en: 'Your account has been created',
  },
};

/**
 * The security questions (IDM's `selfservice.kba`, which AM's KBA nodes read): AIC's default
 * questions, and the other values as in the example AM's KbaCreateNode documents (am-external
 * 8.0.2, KbaCreateNode.java) and the PingIDM KBA docs; the questions match the SDK's recorded
 * Registration step (ForgeRock JavaScript SDK, e2e mock-api response.registration.js).
 */
const KBA: IdmConfigSeedObject = {
  _id: 'selfservice.kba',
  kbaPropertyName: 'kbaInfo',
  minimumAnswersToDefine: 2,
  minimumAnswersToVerify: 1,
  questions: {
    '1': { en: "What's your favorite color?" },
    '2': { en: 'Who was your first employer?' },
  },
};

/**
 * Terms and conditions (IDM's `selfservice.terms`, which Accept Terms and Conditions and Terms
 * and Conditions Decision read): version, text and date as the SDK's recorded Registration step
 * shows them (ForgeRock JavaScript SDK, e2e mock-api response.registration.js); `uiConfig` as
 * IDM's sample config (inferred).
 */
const TERMS: IdmConfigSeedObject = {
  _id: 'selfservice.terms',
  versions: [
    {
      version: '0.0',
      termsTranslations: {
        en: 'Lorem ipsum dolor sit amet, consectetur adipiscing elit, sed do eiusmod tempor incididunt ut labore et dolore magna aliqua. Ut enim ad minim veniam, quis nostrud exercitation ullamco laboris nisi ut aliquip ex ea commodo consequat. Duis aute irure dolor in reprehenderit in voluptate velit esse cillum dolore eu fugiat nulla pariatur. Excepteur sint occaecat cupidatat non proident, sunt in culpa qui officia deserunt mollit anim id est laborum.',
      },
      createDate: '2019-10-28T04:20:11.320Z',
    },
  ],
  active: '0.0',
  uiConfig: {
    displayName: "We've updated our terms",
    purpose: 'You must accept the updated terms in order to proceed.',
    buttonText: 'Accept',
  },
};

/** Every object a fresh tenant's IDM config holds. */
export function idmConfigSeed(): IdmConfigSeedObject[] {
  return structuredClone([
    THEMEREALM_SEED,
    REGISTRATION,
    RESET_PASSWORD,
    FORGOTTEN_USERNAME,
    UPDATE_PASSWORD,
    WELCOME,
    KBA,
    TERMS,
  ]);
}
