/**
 * The demo tenant's Single Logout journeys: they do what the how-to's four parts do, written for
 * the emulator (the how-to's own exports are the test fixtures).
 *
 * - CaptureSession: finds the tenant session cookie in the request (Part 1).
 * - TerminateExternalSession: identifies the user and tells an external service to end its
 *   session of them (Part 2; the demo tenant stubs https://sso.example.com/api/logout).
 * - TerminateSession: both of those, then ends every session of the user with logoutByUser and
 *   the user's own token, and shows the Login page (Part 3).
 * - LogoutRedirect: ends at Failure with the user's own logout URL, kept in
 *   frUnindexedString3, or the realm's login page (Part 4).
 */
import { END, treeExport } from './build.js';

const ID = {
  getCookie: 'f77d073c-daf6-4633-83ee-6b5afec709b0',
  getCookieScript: '49dcd43e-1e90-433d-960e-35845ae9b9c4',
  identify: '4ec64b04-87b6-4078-95ce-47e5d062367e',
  externalLogout: '46b78d7e-f64a-4da6-a573-26715da1eccc',
  externalLogoutScript: '96e5ad29-7e76-44e8-993b-9c7689a0cb89',
  capture: 'dd34c480-95ff-4b3e-9449-d09f71d1b932',
  external: '11ae475c-90c7-418f-bfcd-6151f50399a0',
  terminate: '77a268e2-aa17-4137-aa8f-4b433a9a2676',
  terminateScript: '4c5e7bc2-9ab9-4781-b31e-304791900a64',
  login: 'd7cca672-3b87-48a3-8aef-859c44d01bd3',
  errorMessage: '7470c7f3-1276-42f2-9e0e-1ce609e729d6',
  redirectIdentify: '65e3f70a-0d4f-4542-ac31-6d2b4ef5533f',
  logoutUrl: '39e8fb22-52c3-4c3e-a4db-9192e188b0c8',
  logoutUrlScript: '3c133ac2-a743-432b-acfa-ef51245dd3e4',
  fallbackUrl: '9c96a14d-3979-4907-8b31-d52c6c43f508',
} as const;

export const EXTERNAL_LOGOUT_URL = 'https://sso.example.com/api/logout';

const GET_COOKIE = `/*
 * Finds the user's tenant session cookie in the request and keeps the token in shared state
 * as "sessionCookie", for the nodes that end the session later.
 * Outcomes: "Session Found", "No Session Found".
 */
var token = requestCookies.get(cookieName);
if (token) {
  nodeState.putShared("sessionCookie", token);
  action.goTo("Session Found");
} else {
  action.goTo("No Session Found");
}
`;

const EXTERNAL_LOGOUT = `/*
 * Tells the external application to end its session of the user, identified by the token the
 * application gave them (kept in frUnindexedString2, "fr-attr-str2" to AM).
 * Outcomes: "Success", "Failure" (no token, or the application refused), "Error".
 */
var LOGOUT_URL = "${EXTERNAL_LOGOUT_URL}";

(function () {
  try {
    var id = nodeState.get("_id");
    var tokens = idRepository.getIdentity(id).getAttributeValues("fr-attr-str2");
    if (!id || tokens.isEmpty()) {
      outcome = "Failure";
      return;
    }
    var response = httpClient.send(LOGOUT_URL, {
      method: "POST",
      headers: { "Content-Type": "application/json" },
      body: { user: id, token: tokens.get(0) }
    }).get();
    nodeState.putShared("externalLogout", response.text());
    outcome = response.ok ? "Success" : "Failure";
  } catch (e) {
    logger.error("external logout failed: {}", e);
    outcome = "Error";
  }
}());
`;

const TERMINATE = `/*
 * Ends every session of the user in this realm: logoutByUser, called with the user's own
 * session token in the header named after the tenant cookie, which AM allows a user to do for
 * their own sessions.
 * Outcomes: "Success", "Failure", "No Session", "Error".
 */
var host = requestHeaders.get("host").get(0);
var realmPath = realm === "/" ? "" : realm.split("/").join("/realms/");
var url = "https://" + host + "/am/json/realms/root" + realmPath + "/sessions/?_action=logoutByUser";

(function () {
  var token = nodeState.get("sessionCookie");
  var id = nodeState.get("_id");
  if (!token || !id) {
    outcome = "No Session";
    return;
  }
  try {
    var headers = {
      "Content-Type": "application/json; charset=UTF-8",
      "Accept-API-Version": "resource=5.1, protocol=1.0"
    };
    headers[systemEnv.getProperty("esv.cookie")] = token;
    var response = httpClient.send(url, { method: "POST", headers: headers, body: { username: id } }).get();
    outcome = response.status === 200 && JSON.parse(response.text()).result === true ? "Success" : "Failure";
  } catch (e) {
    logger.error("logoutByUser failed: {}", e);
    outcome = "Error";
  }
}());
`;

const LOGOUT_URL = `/*
 * The user's own logout destination, kept in frUnindexedString3 ("fr-attr-str3"), as the
 * failure URL the login page follows.
 * Outcomes: "Found", "Not Found".
 */
var urls = idRepository.getIdentity(nodeState.get("_id")).getAttributeValues("fr-attr-str3");
if (!urls.isEmpty()) {
  nodeState.putShared("failureUrl", urls.get(0));
  action.goTo("Found");
} else {
  action.goTo("Not Found");
}
`;

const identify = (id: string, x: number, onTrue: string) => ({
  id,
  type: 'IdentifyExistingUserNode',
  name: 'Identify Existing User',
  x,
  y: 200,
  connections: { true: onTrue, false: END.failure },
  config: { identifier: 'userName', identityAttribute: 'userName' },
});

/** The four journeys for a realm (its path, such as `/alpha`). */
export function singleLogoutJourneys(realmPath: string): Record<string, Record<string, unknown>> {
  const realm = realmPath === '/' ? 'root' : (realmPath.split('/').pop() as string);
  return {
    CaptureSession: treeExport({
      name: 'CaptureSession',
      realm,
      description: 'Finds the user’s tenant session cookie (Single Logout, part 1)',
      entry: ID.getCookie,
      nodes: [
        {
          id: ID.getCookie,
          type: 'ScriptedDecisionNode',
          name: 'Get Session Cookie',
          x: 150,
          y: 200,
          connections: { 'Session Found': END.success, 'No Session Found': END.failure },
          config: {
            script: ID.getCookieScript,
            outcomes: ['Session Found', 'No Session Found'],
            inputs: ['*'],
            outputs: ['*'],
          },
        },
      ],
      scripts: [
        {
          id: ID.getCookieScript,
          name: 'Get Session Cookie',
          description: 'Keeps the tenant session token in shared state',
          source: GET_COOKIE,
          context: 'SCRIPTED_DECISION_NODE',
          evaluatorVersion: '2.0',
        },
      ],
    }),
    TerminateExternalSession: treeExport({
      name: 'TerminateExternalSession',
      realm,
      description: 'Ends the user’s session in an external application (Single Logout, part 2)',
      entry: ID.identify,
      nodes: [
        identify(ID.identify, 150, ID.externalLogout),
        {
          id: ID.externalLogout,
          type: 'ScriptedDecisionNode',
          name: 'Send Logout Request',
          x: 400,
          y: 200,
          connections: { Success: END.success, Failure: END.failure, Error: END.failure },
          config: {
            script: ID.externalLogoutScript,
            outcomes: ['Success', 'Failure', 'Error'],
            inputs: ['*'],
            outputs: ['*'],
          },
        },
      ],
      scripts: [
        {
          id: ID.externalLogoutScript,
          name: 'Send Logout Request',
          description: 'Calls the external application’s logout API',
          source: EXTERNAL_LOGOUT,
          context: 'SCRIPTED_DECISION_NODE',
          evaluatorVersion: '2.0',
        },
      ],
    }),
    TerminateSession: treeExport({
      name: 'TerminateSession',
      realm,
      description: 'Ends every session of the user, then shows the Login page (Single Logout, part 3)',
      entry: ID.capture,
      nodes: [
        {
          id: ID.capture,
          type: 'InnerTreeEvaluatorNode',
          name: 'Capture Browser Session',
          x: 150,
          y: 200,
          connections: { true: ID.external, false: ID.login },
          config: { tree: 'CaptureSession' },
        },
        {
          id: ID.external,
          type: 'InnerTreeEvaluatorNode',
          name: 'Terminate External Sessions',
          x: 400,
          y: 150,
          connections: { true: ID.terminate, false: ID.terminate },
          config: { tree: 'TerminateExternalSession' },
        },
        {
          id: ID.terminate,
          type: 'ScriptedDecisionNode',
          name: 'Terminate Sessions',
          x: 650,
          y: 150,
          connections: { Success: ID.login, 'No Session': ID.login, Failure: ID.errorMessage, Error: ID.errorMessage },
          config: {
            script: ID.terminateScript,
            outcomes: ['Success', 'Failure', 'No Session', 'Error'],
            inputs: ['*'],
            outputs: ['*'],
          },
        },
        {
          id: ID.login,
          type: 'InnerTreeEvaluatorNode',
          name: 'Login',
          x: 900,
          y: 150,
          connections: { true: END.success, false: END.failure },
          config: { tree: 'Login' },
        },
        {
          id: ID.errorMessage,
          type: 'MessageNode',
          name: 'Error Message',
          x: 900,
          y: 350,
          connections: { true: END.failure, false: END.failure },
          config: {
            message: { en: 'An error occurred. Please view the logs.' },
            messageYes: { en: 'Continue' },
            messageNo: { en: 'Cancel' },
          },
        },
      ],
      scripts: [
        {
          id: ID.terminateScript,
          name: 'Terminate Sessions',
          description: 'logoutByUser with the user’s own token',
          source: TERMINATE,
          context: 'SCRIPTED_DECISION_NODE',
          evaluatorVersion: '2.0',
        },
      ],
    }),
    LogoutRedirect: treeExport({
      name: 'LogoutRedirect',
      realm,
      description: 'Ends at Failure with the user’s own logout URL (Single Logout, part 4)',
      entry: ID.redirectIdentify,
      nodes: [
        identify(ID.redirectIdentify, 150, ID.logoutUrl),
        {
          id: ID.logoutUrl,
          type: 'ScriptedDecisionNode',
          name: 'Get Logout URL',
          x: 400,
          y: 200,
          connections: { Found: END.failure, 'Not Found': ID.fallbackUrl },
          config: { script: ID.logoutUrlScript, outcomes: ['Found', 'Not Found'], inputs: ['*'], outputs: ['*'] },
        },
        {
          id: ID.fallbackUrl,
          type: 'SetFailureUrlNode',
          name: 'Failure URL',
          x: 650,
          y: 300,
          connections: { outcome: END.failure },
          config: { failureUrl: `/am/XUI/?realm=${realmPath}` },
        },
      ],
      scripts: [
        {
          id: ID.logoutUrlScript,
          name: 'Get Logout URL',
          description: 'The user’s logout destination',
          source: LOGOUT_URL,
          context: 'SCRIPTED_DECISION_NODE',
          evaluatorVersion: '2.0',
        },
      ],
    }),
  };
}
