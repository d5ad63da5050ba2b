/**
 * The Java classes of AIC's allowlist that real decision scripts use (AUTHENTICATION_TREE_DECISION_NODE's
 * whiteList as frodo-cli exports it from an AIC tenant): ForgeRock's Base64 and Base64url, AM's
 * ThreadLocalSecureRandom and RedirectCallback, the JDK callbacks' constants; what a class outside
 * the allowlist does; Rhino's words when a script calls one wrongly. Every value a script gets from
 * them is made in the script's own engine, and the run's limits hold. docs/fidelity.md, "Scripts".
 */
import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Emulator } from '../../emulator/index.js';
import { END, treeExport } from '../../emulator/config/demo-journeys/build.js';
import { startEmulator } from '../helpers/tenant.js';
import { http } from '../helpers/http.js';
import { journey } from '../helpers/journey.js';
import { runScript } from '../helpers/script-journey.js';

let emulator: Emulator;
beforeAll(async () => {
  emulator = await startEmulator();
});
afterAll(() => emulator.close());

const legacy = (body: string) =>
  runScript(emulator, `${body}\nsharedState.put("result", r); outcome = "done";`, { engine: '1.0' });
const nextGen = (body: string) => runScript(emulator, `${body}\nnodeState.putShared("result", r); outcome = "done";`);

let probes = 0;
/** A one-node journey running `source`; its first step over /authenticate. */
async function firstStep(source: string, engine: '1.0' | '2.0') {
  return journey(emulator, await importProbe(source, engine)).start();
}

/** Imports a one-node journey running `source`; its name. */
async function importProbe(source: string, engine: '1.0' | '2.0'): Promise<string> {
  probes += 1;
  const name = `JavaProbe${probes}`;
  const node = `e7000000-0000-4000-8000-${String(probes).padStart(12, '0')}`;
  const script = `f7000000-0000-4000-8000-${String(probes).padStart(12, '0')}`;
  await http(`${emulator.url}/__emulator/import`, {
    method: 'POST',
    body: JSON.stringify({
      trees: {
        [name]: treeExport({
          name,
          description: '',
          entry: node,
          nodes: [
            {
              id: node,
              type: 'ScriptedDecisionNode',
              name: 'Probe',
              x: 1,
              y: 1,
              connections: { done: END.success },
              config: { script, outcomes: ['done'] },
            },
          ],
          scripts: [
            {
              id: script,
              name: `java-probe-${probes}`,
              description: '',
              source,
              context: 'AUTHENTICATION_TREE_DECISION_NODE',
              evaluatorVersion: engine,
            },
          ],
        }),
      },
    }),
  });
  return name;
}

describe('a real script from the corpus runs unmodified', () => {
  it('platform-ui e2e IAM-4384: Base64url, ThreadLocalSecureRandom and RedirectCallback through JavaImporter; the nonce comes back and the journey goes on at "true"', async () => {
    const exported = readFileSync(
      new URL(
        '../fixtures/journeys-corpus/ForgeRock__platform-ui/packages/platform-login/e2e/fixtures/IAM-4384.json',
        import.meta.url,
      ),
      'utf8',
    );
    const imported = await http(`${emulator.url}/__emulator/import`, { method: 'POST', body: exported });
    expect(imported.status).toBeLessThan(300);
    const username = await journey(emulator, 'IAM-4384').start();
    const redirect = await username.answer(0, 'demo').next();
    // AM's RestAuthRedirectCallbackHandler: url, method, trackingCookie; no redirectData when null.
    expect(redirect.body.callbacks).toHaveLength(1);
    const [callback] = redirect.body.callbacks;
    expect(callback.type).toBe('RedirectCallback');
    expect(callback.output.map((o: { name: string }) => o.name)).toEqual([
      'redirectUrl',
      'redirectMethod',
      'trackingCookie',
    ]);
    expect(callback.output[1].value).toBe('GET');
    expect(callback.output[2].value).toBe(true);
    expect(callback.input).toBeUndefined();
    const nonce = /[?&]nonce=([^&]*)$/.exec(callback.output[0].value)?.[1];
    // 16 random bytes, Base64url: 22 characters, no padding.
    expect(nonce).toMatch(/^[A-Za-z0-9_-]{22}$/);
    // The browser comes back from the redirect with the nonce in the query.
    const back = await http(
      `${emulator.url}/am/json/realms/root/realms/alpha/authenticate?authIndexType=service&authIndexValue=IAM-4384&comingback=true&nonce=${nonce}`,
      {
        method: 'POST',
        headers: { 'accept-api-version': 'resource=2.0, protocol=1.0', 'content-type': 'application/json' },
        body: JSON.stringify(redirect.body),
      },
    );
    const runs = (await http(`${emulator.url}/__emulator/runs`)).json.result as {
      journey: string;
      error?: string;
      visits: { outcome?: string; logs: { message: string }[] }[];
    }[];
    const run = runs.filter((entry) => entry.journey === 'IAM-4384').at(-1)!;
    expect(run.error).toBeUndefined();
    const logs = run.visits.flatMap((visit) => visit.logs.map((log) => log.message));
    expect(logs.some((message) => message.includes('Hit Hit Hit'))).toBe(true);
    // The Message Node after "true".
    expect(JSON.stringify(back.json)).toContain('Made it to true!');
  });
});

describe('org.forgerock.util.encode.Base64 and Base64url (legacy)', () => {
  it('encode a byte[] or an array of numbers; decode to a byte[] of signed bytes; Base64url has no padding', async () => {
    const run = await legacy(`
      var fr = JavaImporter(org.forgerock.util.encode.Base64, org.forgerock.util.encode.Base64url);
      var bytes = fr.Base64.decode("+/8AAQ==");
      var r = [fr.Base64.encode([251, 255, 0, 1]), fr.Base64url.encode(bytes), bytes.length, bytes[0], bytes[1],
        fr.Base64url.decode("-_8AAQ")[0], fr.Base64.encode(fr.Base64url.decode("aGk")), typeof bytes, String(fr.Base64),
        fr.Base64.decode("abc"), fr.Base64.decode("a b\\nc=")[1]].join("|");`);
    expect(run.error).toBeUndefined();
    expect(run.result).toBe('+/8AAQ==|-_8AAQ|4|-5|-1|-5|aGk=|object|[JavaClass org.forgerock.util.encode.Base64]||-73');
  });

  it('a JavaScript string is no byte[]: Rhino\'s "Can\'t find method" names the class, the method and the argument types', async () => {
    const run = await legacy(`
      var r = [];
      try { org.forgerock.util.encode.Base64url.encode("text"); } catch (e) { r.push(String(e)); }
      try { org.forgerock.util.encode.Base64.encode({}, 1); } catch (e) { r.push(String(e)); }
      try { org.forgerock.util.encode.Base64url.decode(); } catch (e) { r.push(String(e)); }
      r = r.join("|");`);
    expect(run.error).toBeUndefined();
    expect(run.result).toBe(
      [
        "InternalError: Can't find method org.forgerock.util.encode.Base64url.encode(string).",
        "InternalError: Can't find method org.forgerock.util.encode.Base64.encode(object,number).",
        "InternalError: Can't find method org.forgerock.util.encode.Base64url.decode().",
      ].join('|'),
    );
  });
});

describe('org.forgerock.openam.shared.security.ThreadLocalSecureRandom (legacy)', () => {
  it('nextBytes(n) is a byte[] of n signed bytes, nextBytes(byte[]) fills one, nextInt(bound) stays below it; getCurrent() answers the same', async () => {
    const run = await legacy(`
      var R = org.forgerock.openam.shared.security.ThreadLocalSecureRandom;
      var b = R.nextBytes(64), ok = b.length === 64;
      for (var i = 0; i < b.length; i++) ok = ok && b[i] >= -128 && b[i] <= 127 && b[i] === Math.floor(b[i]);
      var filled = org.forgerock.util.encode.Base64.decode("AAAAAAAAAAAAAAAAAAAAAA==");
      R.nextBytes(filled);
      var n = true; for (var j = 0; j < 200; j++) { var x = R.getCurrent().nextInt(6); n = n && x >= 0 && x < 6; }
      var r = [ok, org.forgerock.util.encode.Base64.encode(filled) !== "AAAAAAAAAAAAAAAAAAAAAA==", n, typeof R.nextInt(), typeof R.nextBoolean(),
        org.forgerock.util.encode.Base64url.encode(b)].join("|");`);
    expect(run.error).toBeUndefined();
    const [ok, filled, bounded, int, bool, nonce] = String(run.result).split('|');
    expect([ok, filled, bounded, int, bool]).toEqual(['true', 'true', 'true', 'number', 'boolean']);
    // Another run draws other bytes: the saved engine state is not where they come from.
    const again = await legacy(
      'var r = org.forgerock.util.encode.Base64url.encode(org.forgerock.openam.shared.security.ThreadLocalSecureRandom.nextBytes(64));',
    );
    expect(again.result).not.toBe(nonce);
  });

  it('a negative size is Java’s exception; a size past what a run can hold ends in an error, not in the emulator', async () => {
    const run = await legacy(`
      var R = org.forgerock.openam.shared.security.ThreadLocalSecureRandom, r = [];
      try { R.nextBytes(-1); } catch (e) { r.push(String(e)); }
      try { R.nextBytes(2147483647); } catch (e) { r.push(String(e)); }
      try { R.nextInt(0); } catch (e) { r.push(String(e)); }
      r = r.join("|");`);
    expect(run.error).toBeUndefined();
    expect(run.result).toBe(
      [
        'JavaException: java.lang.NegativeArraySizeException: -1',
        'JavaException: java.lang.OutOfMemoryError: Java heap space',
        'JavaException: java.lang.IllegalArgumentException: bound must be positive',
      ].join('|'),
    );
    // Keeping every byte[] it draws: the run's memory limit ends it, the emulator goes on.
    const greedy = await runScript(
      emulator,
      'var kept = []; for (;;) kept.push(org.forgerock.openam.shared.security.ThreadLocalSecureRandom.nextBytes(1048576));',
      { engine: '1.0' },
    );
    expect(greedy.status).toBe(401);
    expect(greedy.error).toMatch(/memory|longer than its limit/i);
    expect((await legacy('var r = "alive";')).result).toBe('alive');
  });
});

describe('java.util.UUID (legacy)', () => {
  it('randomUUID() is a version 4 UUID, another in every call; fromString normalises; a bad string is Java’s exception', async () => {
    const run = await legacy(`
      var fr = JavaImporter(java.util.UUID), u = fr.UUID.randomUUID(), v = java.util.UUID.randomUUID(), r = [];
      r.push(/^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/.test("" + u), u.version(), String(u) !== String(v),
        u.equals(java.util.UUID.fromString(u.toString())), java.util.UUID.fromString("A-b-c-d-1").toString());
      try { java.util.UUID.fromString("nope"); } catch (e) { r.push(String(e)); }
      r = r.join("|");`);
    expect(run.error).toBeUndefined();
    expect(run.result).toBe(
      'true|4|true|true|0000000a-000b-000c-000d-000000000001|JavaException: java.lang.IllegalArgumentException: Invalid UUID string: nope',
    );
    const nextGenRun = await nextGen(
      'var r; try { java.util.UUID.randomUUID(); r = "reached"; } catch (e) { r = String(e); }',
    );
    expect(nextGenRun.result).toBe('TypeError: [JavaPackage java.util.UUID.randomUUID] is not a function');
  });
});

describe('java.lang.Math, Long and Double (both engines)', () => {
  it.each([['1.0'], ['2.0']] as const)(
    'engine %s: their statics; a bad number is Java’s NumberFormatException',
    async (engine) => {
      const body = `
      var fr = JavaImporter(java.lang.Math), r = [fr.Math.max(3, 7), java.lang.Math.round(2.5), java.lang.Math.round(-2.5), java.lang.Math.floorMod(-7, 3),
        java.lang.Long.parseLong("42") + 1, java.lang.Double.parseDouble("1.5e1"), java.lang.Math.PI === Math.PI, String(java.lang.Math)];
      try { java.lang.Long.valueOf("4x"); } catch (e) { r.push(String(e)); }
      r = r.join("|");`;
      const run = engine === '1.0' ? await legacy(body) : await nextGen(body);
      expect(run.error).toBeUndefined();
      expect(run.result).toBe(
        '7|3|-2|2|43|15|true|[JavaClass java.lang.Math]|JavaException: java.lang.NumberFormatException: For input string: "4x"',
      );
    },
  );
});

describe('values made in the script’s own engine', () => {
  it('byte[], the classes and a RedirectCallback lead to no host global through their constructors', async () => {
    const run = await legacy(`
      var fr = JavaImporter(org.forgerock.util.encode.Base64url, org.forgerock.openam.shared.security.ThreadLocalSecureRandom,
        com.sun.identity.authentication.spi.RedirectCallback);
      var values = [fr.ThreadLocalSecureRandom.nextBytes(4), fr.Base64url, fr.ThreadLocalSecureRandom, fr.ThreadLocalSecureRandom.getCurrent(),
        fr.Base64url.encode, new fr.RedirectCallback("https://x", null, "GET"), fr.RedirectCallback,
        java.util.UUID, java.util.UUID.randomUUID()];
      try { fr.Base64url.encode("x"); } catch (e) { values.push(e); }
      var found = [];
      values.forEach(function (v) {
        [v, Object.getPrototypeOf(v), v.constructor].forEach(function (w) {
          try { var F = (typeof w === "function" ? w : w.constructor).constructor;
            var t = F("return [typeof process, typeof require, typeof globalThis.host].join()")();
            if (t !== "undefined,undefined,undefined") found.push(t); } catch (e) {}
        });
      });
      var r = found.length === 0 ? "nothing" : found.join(";");`);
    expect(run.error).toBeUndefined();
    expect(run.result).toBe('nothing');
  });

  it('a script cannot change the classes other runs see', async () => {
    const first = await legacy(`
      var r = "kept";
      try { org.forgerock.util.encode.Base64url.encode = function () { return "mine"; }; } catch (e) { r = "frozen"; }`);
    expect(first.error).toBeUndefined();
    const second = await legacy('var r = org.forgerock.util.encode.Base64url.encode([104, 105]);');
    expect(second.result).toBe('aGk');
  });
});

describe('RedirectCallback and the JDK callbacks (legacy)', () => {
  it('the five-argument constructor with data and trackingCookie: AM’s wire order, redirectData last', async () => {
    const step = await firstStep(
      `var fr = JavaImporter(org.forgerock.openam.auth.node.api.Action, com.sun.identity.authentication.spi.RedirectCallback);
       var data = new java.util.HashMap(); data.put("SAMLRequest", "abc"); data.put("RelayState", "xyz");
       var cb = new fr.RedirectCallback("https://idp.example.com/sso", data, "POST", "status", "backCookie");
       cb.setTrackingCookie(true);
       action = fr.Action.send(cb).build();`,
      '1.0',
    );
    expect(step.body.callbacks).toEqual([
      {
        type: 'RedirectCallback',
        output: [
          { name: 'redirectUrl', value: 'https://idp.example.com/sso' },
          { name: 'redirectMethod', value: 'POST' },
          { name: 'trackingCookie', value: true },
          { name: 'redirectData', value: { SAMLRequest: 'abc', RelayState: 'xyz' } },
        ],
        _id: 0,
      },
    ]);
  });

  it('setters after construction are what is sent; getters answer them; a constructor AM lacks is Rhino’s error', async () => {
    const run = await legacy(`
      var RC = com.sun.identity.authentication.spi.RedirectCallback, cb = new RC();
      cb.setRedirectUrl("https://a"); cb.setMethod("GET");
      var r = [cb.getRedirectUrl(), cb.getMethod(), cb.getRedirectData(), cb.getTrackingCookie(), RC.SUCCESS];
      try { new RC("https://a"); } catch (e) { r.push(String(e)); }
      r = r.join("|");`);
    expect(run.error).toBeUndefined();
    expect(run.result).toBe(
      'https://a|GET||false|SUCCESS|InternalError: Java constructor for "com.sun.identity.authentication.spi.RedirectCallback" with arguments "string" not found.',
    );
  });

  it('TextOutputCallback.ERROR and ConfirmationCallback.YES_NO_OPTION are the JDK’s constants', async () => {
    const step = await firstStep(
      `var fr = JavaImporter(org.forgerock.openam.auth.node.api.Action, javax.security.auth.callback.TextOutputCallback,
         javax.security.auth.callback.ConfirmationCallback);
       action = fr.Action.send(new fr.TextOutputCallback(fr.TextOutputCallback.ERROR, "Oops"),
         new fr.ConfirmationCallback(fr.ConfirmationCallback.INFORMATION, fr.ConfirmationCallback.YES_NO_OPTION, fr.ConfirmationCallback.NO)).build();`,
      '1.0',
    );
    expect(step.body.callbacks[0].output).toEqual([
      { name: 'message', value: 'Oops' },
      { name: 'messageType', value: '2' },
    ]);
    expect(step.body.callbacks[1].output).toContainEqual({ name: 'options', value: ['Yes', 'No'] });
    expect(step.body.callbacks[1].output).toContainEqual({ name: 'defaultOption', value: 1 });
  });

  it('next-gen callbacksBuilder.redirectCallback: the same wire, redirectData when a map is given', async () => {
    const step = await firstStep(
      'callbacksBuilder.redirectCallback("https://idp.example.com/sso", {"a": "1"}, "POST"); action.goTo("done");',
      '2.0',
    );
    expect(step.body.callbacks[0].output).toEqual([
      { name: 'redirectUrl', value: 'https://idp.example.com/sso' },
      { name: 'redirectMethod', value: 'POST' },
      { name: 'trackingCookie', value: false },
      { name: 'redirectData', value: { a: '1' } },
    ]);
  });
});

describe('classes outside the allowlist', () => {
  it('legacy: a denied class stays a Java package, as Rhino does when AM’s class shutter refuses it', async () => {
    const run = await legacy(`
      var r = [];
      try { new java.lang.Thread(); } catch (e) { r.push(String(e)); }
      try { java.lang.Class.forName("java.lang.Runtime"); } catch (e) { r.push(String(e)); }
      try { java.lang.reflect.Method.invoke(); } catch (e) { r.push(String(e)); }
      try { java.util.ArrayList().getClass(); } catch (e) { r.push(String(e)); }
      try { new java.util.ArrayList().getClass(); } catch (e) { r.push(String(e)); }
      r = r.join("|");`);
    expect(run.error).toBeUndefined();
    expect(String(run.result).split('|')).toEqual([
      'TypeError: [JavaPackage java.lang.Thread] is not a function',
      'TypeError: [JavaPackage java.lang.Class.forName] is not a function',
      'TypeError: [JavaPackage java.lang.reflect.Method.invoke] is not a function',
      expect.stringMatching(/^(TypeError|InternalError)/),
      'InternalError: Access to Java class "java.lang.Class" is prohibited.',
    ]);
  });

  it('next-gen: Base64url, ThreadLocalSecureRandom, RedirectCallback, Action and the callbacks are not on its allowlist (the JDK collections and wrappers are; utils and callbacksBuilder take the others’ place)', async () => {
    const run = await nextGen(`
      var r = [];
      try { org.forgerock.util.encode.Base64url.encode([1]); } catch (e) { r.push(String(e)); }
      try { org.forgerock.openam.shared.security.ThreadLocalSecureRandom.nextBytes(16); } catch (e) { r.push(String(e)); }
      try { new com.sun.identity.authentication.spi.RedirectCallback("https://x", null, "GET"); } catch (e) { r.push(String(e)); }
      try { org.forgerock.openam.auth.node.api.Action.goTo("done").build(); } catch (e) { r.push(String(e)); }
      try { new javax.security.auth.callback.NameCallback("Who?"); } catch (e) { r.push(String(e)); }
      r.push(new java.util.ArrayList().size(), java.lang.Integer.valueOf("7"));
      r.push(utils.base64url.encode("hi"));
      r = r.join("|");`);
    expect(run.error).toBeUndefined();
    expect(String(run.result).split('|')).toEqual([
      'TypeError: [JavaPackage org.forgerock.util.encode.Base64url.encode] is not a function',
      'TypeError: [JavaPackage org.forgerock.openam.shared.security.ThreadLocalSecureRandom.nextBytes] is not a function',
      'TypeError: [JavaPackage com.sun.identity.authentication.spi.RedirectCallback] is not a function',
      'TypeError: [JavaPackage org.forgerock.openam.auth.node.api.Action.goTo] is not a function',
      'TypeError: [JavaPackage javax.security.auth.callback.NameCallback] is not a function',
      '0',
      '7',
      'aGk',
    ]);
  });
});

describe('a caught engine error printed in Rhino’s words', () => {
  it.each([['1.0'], ['2.0']] as const)(
    'engine %s: String(e) and "" + e; e.message stays the engine’s',
    async (engine) => {
      const body = `
      var r = [];
      try { null.x; } catch (e) { r.push(String(e)); }
      try { var u; u.name; } catch (e) { r.push("" + e); }
      try { undefinedThing; } catch (e) { r.push(e.toString()); }
      try { var n = null; n.y = 1; } catch (e) { r.push(String(e)); }
      try { throw new Error("mine"); } catch (e) { r.push(String(e)); }
      try { null.x; } catch (e) { r.push(e.message); }
      r = r.join("|");`;
      const run = engine === '1.0' ? await legacy(body) : await nextGen(body);
      expect(run.error).toBeUndefined();
      expect(String(run.result).split('|')).toEqual([
        'TypeError: Cannot read property "x" from null',
        'TypeError: Cannot read property "name" from undefined',
        'ReferenceError: "undefinedThing" is not defined.',
        'TypeError: Cannot set property "y" of null',
        'Error: mine',
        "cannot read property 'x' of null",
      ]);
    },
  );
});

describe('the linter names the Java classes a decision script cannot have', () => {
  const warningsOf = async (name: string) => {
    const { json } = await http(`${emulator.url}/__emulator/journeys?realm=alpha`);
    const entry = json.result.find((item: { name: string }) => item.name === name);
    return (entry.problems as { severity: string; message: string }[]).map((p) => `${p.severity}: ${p.message}`);
  };

  it('legacy: one outside AIC’s allowlist, one AIC allows that the emulator lacks; none for the ones it has', async () => {
    const name = await importProbe(
      `var fr = JavaImporter(org.forgerock.openam.auth.node.api.Action, org.forgerock.util.encode.Base64url, org.forgerock.openam.auth.node.api);
       var t = new java.lang.Thread(), h = Packages.org.forgerock.util.encode.Hex.encode([1]), u = java.util.UUID.randomUUID();
       action = fr.Action.goTo("done").build();`,
      '1.0',
    );
    expect(await warningsOf(name)).toEqual([
      `warning: names the Java class java.lang.Thread, which is not on AIC's allowlist for legacy decision scripts: AIC sees a Java package there ("TypeError: [JavaPackage java.lang.Thread] is not a function" where it is called)`,
      'warning: names the Java class org.forgerock.util.encode.Hex, which AIC allows in legacy decision scripts and the emulator does not provide: the script fails here where it is used',
    ]);
  });

  it('next-gen: AM’s Action is not on its list', async () => {
    const name = await importProbe(
      'var l = new java.util.ArrayList(); org.forgerock.openam.auth.node.api.Action.goTo("done"); action.goTo("done");',
      '2.0',
    );
    expect(await warningsOf(name)).toEqual([
      `warning: names the Java class org.forgerock.openam.auth.node.api.Action, which is not on AIC's allowlist for next-generation decision scripts: AIC sees a Java package there ("TypeError: [JavaPackage org.forgerock.openam.auth.node.api.Action] is not a function" where it is called)`,
    ]);
  });

  it('the classes the linter counts as provided are the ones scripts get, in each engine', async () => {
    const { EMULATED_CLASSES, allowedOnAic } = await import('../../emulator/journeys/scripts/java-allowlist.js');
    for (const engine of ['1.0', '2.0'] as const) {
      const names = EMULATED_CLASSES[engine];
      expect(names.filter((name) => !allowedOnAic(name, engine))).toEqual([]);
      const body = `var r = [${names.map((name) => `String(${name})`).join(', ')}].filter(function (s) { return s.indexOf("[JavaPackage") === 0; }).join("|");`;
      const run = engine === '1.0' ? await legacy(body) : await nextGen(body);
      expect(run.error).toBeUndefined();
      expect(run.result).toBe('');
    }
  });
});
