/**
 * The bindings scripts see (AIC docs, "Script bindings"; AM's binding classes; measured on AIC by agiledigital), on
 * both engines: how each behaves where it matters to real scripts.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Emulator } from '../../emulator/index.js';
import { DEMO, login, startEmulator } from '../helpers/tenant.js';
import { http } from '../helpers/http.js';
import { runScript } from '../helpers/script-journey.js';

let emulator: Emulator;
beforeAll(async () => {
  emulator = await startEmulator({
    config: { esvs: { 'esv-number': '42', 'esv-list': 'a,b', 'esv-json': '{"k":"v"}' } },
  });
});
afterAll(() => emulator.close());

const report = (expression: string) => `nodeState.putShared("result", ${expression}); outcome = "done";`;

describe('bindings made on first use', () => {
  it.each([['2.0'], ['1.0']] as const)(
    'engine %s: one object per binding, not enumerable, and a script may replace or declare one first',
    async (engine) => {
      const source = [
        'var same = httpClient === httpClient && logger === logger && systemEnv === systemEnv;',
        'var hidden = Object.keys(this).indexOf("httpClient") < 0 && !this.propertyIsEnumerable("logger");',
        'secrets = "mine";',
        'var utilsSeen = typeof utils;',
        'var requestParameters = "declared";',
        'function idRepository() { return "fn"; }',
        'var r = [same, hidden, secrets, typeof requestHeaders.get, requestParameters, idRepository(), typeof com.sun.identity].join(",");',
        engine === '1.0'
          ? 'sharedState.put("result", r); outcome = "done";'
          : 'nodeState.putShared("result", r); outcome = "done";',
      ].join('\n');
      const run = await runScript(emulator, source, { engine });
      expect(run.error).toBeUndefined();
      expect(run.result).toBe('true,true,mine,function,declared,fn,function');
    },
  );
});

describe('next-gen (2.0)', () => {
  it('requestHeaders: case-insensitive, values are lists with get(i) and size()', async () => {
    const run = await runScript(
      emulator,
      report(
        'requestHeaders.get("X-Probe").get(0) + "|" + requestHeaders.get("x-probe").size() + "|" + requestHeaders.get("absent")',
      ),
      { headers: { 'x-probe': 'hello' } },
    );
    expect(run.result).toBe('hello|1|null');
  });

  it('requestParameters are the query of the /authenticate request', async () => {
    expect((await runScript(emulator, report('requestParameters.get("authIndexType").get(0)'))).result).toBe('service');
  });

  it('nodeState.get answers native values, null when absent; putShared chains', async () => {
    const run = await runScript(
      emulator,
      'nodeState.putShared("a", "x").putShared("n", 1); ' +
        report('typeof nodeState.get("a") + "," + nodeState.get("absent") + "," + nodeState.get("n")'),
    );
    expect(run.result).toBe('string,null,1');
  });

  it('mergeShared refuses nested objects outside objectAttributes, in AM’s words', async () => {
    const run = await runScript(emulator, 'nodeState.mergeShared({"nested": {"a": 1}}); outcome = "done";');
    expect(run.error).toContain(
      'State must not contain nested objects unless they are inside registered state containers: objectAttributes',
    );
  });

  it('systemEnv: esv. names only, defaults, typed forms', async () => {
    const run = await runScript(
      emulator,
      report(
        '[systemEnv.getProperty("esv.cookie") === cookieName, systemEnv.getProperty("esv.absent"), systemEnv.getProperty("esv.absent", "d"), systemEnv.getProperty("esv.number", null, "number") + 1, systemEnv.getProperty("esv.list", null, "array").size(), systemEnv.getProperty("esv.json", null, "object").k, systemEnv.getProperty("cookie")].join(",")',
      ),
    );
    expect(run.result).toBe('true,,d,43,2,v,');
  });

  it('an unsupported systemEnv type is an InternalError in AIC’s words', async () => {
    expect((await runScript(emulator, report('systemEnv.getProperty("esv.number", null, "int")'))).error).toContain(
      'InternalError: Unsupported return type: int',
    );
  });

  it('logger: slf4j placeholders, levels captured in the run (trace is off)', async () => {
    const run = await runScript(
      emulator,
      'logger.trace("t"); logger.debug("d {}", 1); logger.info("i {} {}", "a", "b"); logger.warn("w"); logger.error("e"); outcome = "done";',
    );
    expect(run.logs).toEqual([
      { level: 'debug', message: 'd 1' },
      { level: 'info', message: 'i a b' },
      { level: 'warn', message: 'w' },
      { level: 'error', message: 'e' },
    ]);
  });

  it('action.goTo wins over outcome; an undeclared one is AM’s "Invalid outcome from script"', async () => {
    expect((await runScript(emulator, 'outcome = "done"; action.goTo("other");')).outcome).toBe('other');
    expect((await runScript(emulator, 'action.goTo("nope");')).error).toBe("Invalid outcome from script, 'nope'");
  });

  it('an outcome that is not a string, or none at all: "Script must set \'outcome\' to a string."', async () => {
    expect((await runScript(emulator, 'outcome = 1;')).error).toBe("Script must set 'outcome' to a string.");
    expect((await runScript(emulator, 'var x = 1;')).error).toBe("Script must set 'outcome' to a string.");
  });

  it('callbacksBuilder callbacks are sent (and win over goTo); the answers come back in callbacks', async () => {
    const source = `
      if (callbacks.isEmpty()) {
        callbacksBuilder.textOutputCallback(0, "Hello");
        callbacksBuilder.nameCallback("Who?");
        callbacksBuilder.confirmationCallback(0, ["Yes", "No"], 1);
        action.goTo("done");
      } else {
        nodeState.putShared("result", callbacks.getNameCallbacks().get(0) + ":" + callbacks.getConfirmationCallbacks().get(0));
        action.goTo("done");
      }`;
    const { treeExport, END } = await import('../../emulator/config/demo-journeys/build.js');
    const node = 'e1000000-0000-4000-8000-000000000001';
    const script = 'f1000000-0000-4000-8000-000000000001';
    await http(`${emulator.url}/__emulator/import`, {
      method: 'POST',
      body: JSON.stringify({
        trees: {
          Ask: treeExport({
            name: 'Ask',
            description: '',
            entry: node,
            nodes: [
              {
                id: node,
                type: 'ScriptedDecisionNode',
                name: 'Ask',
                x: 1,
                y: 1,
                connections: { done: END.failure },
                config: { script, outcomes: ['done'] },
              },
            ],
            scripts: [
              {
                id: script,
                name: 'ask',
                description: '',
                source,
                context: 'SCRIPTED_DECISION_NODE',
                evaluatorVersion: '2.0',
              },
            ],
          }),
        },
      }),
    });
    const { journey } = await import('../helpers/journey.js');
    const step = await journey(emulator, 'Ask').start();
    expect(step.body.callbacks.map((callback: { type: string }) => callback.type)).toEqual([
      'TextOutputCallback',
      'NameCallback',
      'ConfirmationCallback',
    ]);
    expect(step.body.callbacks[2].output).toContainEqual({ name: 'defaultOption', value: 1 });
    await step.answer(1, 'Ada').answer(2, 1).next();
    const run = (await http(`${emulator.url}/__emulator/runs`)).json.result.at(-1);
    expect(run.visits.at(-1).shared).toContainEqual({ key: 'result', after: 'Ada:1' });
  });

  it('idRepository: attribute values as a Java list ("[]" when none), store() persists', async () => {
    const run = await runScript(
      emulator,
      `var id = idRepository.getIdentity("${DEMO._id}");
       var before = id.getAttributeValues("fr-attr-str2");
       var none = id.getAttributeValues("fr-attr-str4x");
       id.setAttribute("fr-attr-str5", ["changed"]); id.store();
       ${report('before + "|" + before[0] + "|" + before.length + "|" + (none == "[]") + "|" + typeof before.includes')}`,
    );
    expect(run.result).toBe('[exampleSSOToken]|exampleSSOToken|1|true|undefined');
    expect(emulator.tenant.users.get(DEMO._id)?.attributes['frUnindexedString5']).toBe('changed');
    await emulator.reset();
  });

  it('idRepository with an unknown id: reading values fails as on AIC', async () => {
    expect(
      (await runScript(emulator, report('idRepository.getIdentity("nobody").getAttributeValues("mail")'))).error,
    ).toContain('this.amIdentity is null');
  });

  it('openidm reads and queries the realm’s users', async () => {
    const run = await runScript(
      emulator,
      report(
        `openidm.read("managed/alpha_user/${DEMO._id}").userName + "|" + openidm.query("managed/alpha_user", {"_queryFilter": "userName sw \\"bj\\""}).resultCount`,
      ),
    );
    expect(run.result).toBe('demo|1');
  });

  it('existingSession is present only when the request carries a live session', async () => {
    expect((await runScript(emulator, report('typeof existingSession'))).result).toBe('undefined');
    const token = await login(emulator, DEMO);
    const run = await runScript(emulator, report('existingSession.get("UserId")'), {
      headers: { cookie: `${emulator.cookieName}=${token}` },
    });
    expect(run.result).toBe(DEMO._id);
  });

  it('requestCookies and cookieName find the tenant session cookie', async () => {
    const token = await login(emulator, DEMO);
    const run = await runScript(
      emulator,
      report(`requestCookies.get(cookieName) === "${token}" && requestCookies.get("a") === "b"`),
      { headers: { cookie: `a=b; ${emulator.cookieName}=${token}` } },
    );
    expect(run.result).toBe(true);
  });

  it('httpClient: status, ok, text() and json() from the tenant itself; an object body is JSON with numbers as doubles', async () => {
    await http(`${emulator.url}/__emulator/stubs`, {
      method: 'POST',
      body: JSON.stringify({ url: 'https://echo.example.com/', echoRequestBody: true, body: {} }),
    });
    const run = await runScript(
      emulator,
      `var info = httpClient.send("https://" + requestHeaders.get("host").get(0) + "/am/json/serverinfo/*").get();
       var echo = httpClient.send("https://echo.example.com/", {method: "POST", headers: {"Content-Type": "application/json"}, body: {n: 1, u: undefined}}).get();
       ${report('info.status + "|" + info.ok + "|" + info.json().cookieName.length + "|" + echo.text()')}`,
    );
    expect(run.result).toBe('200|true|15|{"n":1,"u":null}');
    // What went over the wire: AIC's httpClient writes JS numbers as doubles and undefined as null.
    const sent = (await http(`${emulator.url}/__emulator/journal`)).json.result.filter(
      (entry: { url: string }) => entry.url === 'https://echo.example.com/',
    );
    expect(sent.at(-1).requestBody).toBe('{"n":1.0,"u":null}');
  });
});

describe('legacy (1.0)', () => {
  it('nodeState.get answers a JsonValue whose string form is JSON (quotes included)', async () => {
    const run = await runScript(
      emulator,
      'nodeState.putShared("token", "abc"); sharedState.put("result", `Captured: ${nodeState.get("token")}` + "|" + nodeState.get("token").asString()); outcome = "done";',
      { engine: '1.0' },
    );
    expect(run.result).toBe('Captured: "abc"|abc');
  });

  it('sharedState and transientState are copies written back after the script', async () => {
    const run = await runScript(emulator, 'sharedState.put("result", "via copy"); outcome = "done";', {
      engine: '1.0',
    });
    expect(run.result).toBe('via copy');
  });

  it('Action.goTo(...).build() through JavaImporter', async () => {
    const run = await runScript(
      emulator,
      'var fr = JavaImporter(org.forgerock.openam.auth.node.api.Action); action = fr.Action.goTo("other").build();',
      { engine: '1.0' },
    );
    expect(run.outcome).toBe('other');
  });

  it('legacy loggers have message/warning/error, not info', async () => {
    const run = await runScript(
      emulator,
      'logger.message("m"); logger.warning("w"); logger.error("e"); logger.info("i"); outcome = "done";',
      { engine: '1.0' },
    );
    expect(run.logs).toEqual([
      { level: 'message', message: 'm' },
      { level: 'warning', message: 'w' },
      { level: 'error', message: 'e' },
    ]);
    expect(run.error).toMatch(/Cannot find function info/);
  });

  it('the next-gen-only bindings are absent', async () => {
    const run = await runScript(
      emulator,
      'sharedState.put("result", [typeof callbacksBuilder, typeof openidm, typeof requestCookies, typeof utils].join(",")); outcome = "done";',
      { engine: '1.0' },
    );
    expect(run.result).toBe('undefined,undefined,undefined,undefined');
  });

  it('the legacy httpClient sends an org.forgerock.http.protocol.Request', async () => {
    const run = await runScript(
      emulator,
      `var request = new org.forgerock.http.protocol.Request();
       request.setUri("https://" + requestHeaders.get("host").get(0) + "/am/json/serverinfo/*");
       request.setMethod("GET");
       var response = httpClient.send(request).get();
       sharedState.put("result", response.getStatus().getCode() + "|" + JSON.parse(response.getEntity().getString())._id); outcome = "done";`,
      { engine: '1.0' },
    );
    expect(run.result).toBe('200|*');
  });
});
