// Script isolation: node:vm vs QuickJS (WebAssembly) vs isolated-vm, measured the same way on the
// same machine in the same run (docs/script-isolation.md has the figures and what they mean).
//
//   npm run build && node bench/isolation-compare.mjs
//   ISOLATED_VM=/path/to/node_modules/isolated-vm node bench/isolation-compare.mjs   (adds isolated-vm)
//
// node:vm and QuickJS need nothing beyond the project's own dependencies; isolated-vm is not one
// (a native addon, compiled at install), so its rows run only when ISOLATED_VM points at an
// installed copy. ROUNDS (default 5) rounds; in each, every engine runs once in its own process,
// interleaved, inside a worker thread shaped like the script workers (4 MiB stack). Each figure is
// the median over rounds of the round's median. RUNTIME_JS overrides the compiled runtime module
// (runtime/index.js, whose RUNTIME_SOURCE the worker evaluates; an older build's runtime.js,
// exporting installRuntime, is taken too, to compare before and after).
import { execFileSync } from 'node:child_process';
import { createRequire } from 'node:module';
import { loadavg } from 'node:os';
import { fileURLToPath, pathToFileURL } from 'node:url';
import vm from 'node:vm';
import { Worker, isMainThread, parentPort, workerData } from 'node:worker_threads';

const self = fileURLToPath(import.meta.url);
const runtimeJs =
  process.env.RUNTIME_JS ?? fileURLToPath(new URL('../dist/emulator/sandbox/runtime/index.js', import.meta.url));

function median(xs) {
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
}

// ------------------------------------------------------------------ inputs, the same for every engine

function inputJson() {
  const shared = {};
  for (let i = 0; JSON.stringify(shared).length < 1500; i++) shared[`attribute${i}`] = `value-${i}-${'x'.repeat(20)}`;
  return JSON.stringify({
    cacheKey: 'k',
    scriptName: 'bench-script',
    scriptId: 'id-1',
    engine: '2.0',
    kind: 'decision',
    realm: '/alpha',
    state: { shared: { ...shared, username: 'bjensen' }, transient: { password: 'secret' }, secure: {} },
    inputs: ['*'],
    outputs: ['*'],
    headers: [['host', ['localhost']]],
    parameters: [['authIndexType', ['service']]],
    cookies: [],
    cookieName: 'iPlanetDirectoryPro',
    existingSession: null,
    esvs: { 'esv-x': 'y' },
    callbacks: [],
    loggerName: 'scripts.bench',
    timeoutMs: 10000,
    random: [1, 2, 3, 4, 5, 6, 7, 8],
  });
}
const SMALL = 'nodeState.putShared("a", 1);\nnodeState.putShared("b", "two");\noutcome = "true";\n';
const CPU_BODY =
  'var acc = 0; for (var i = 0; i < 1000000; i++) { var t = "k" + (i % 100); acc += t.length + t.charCodeAt(1); }';
const CPU_GLOBAL = `${CPU_BODY} acc`; // top-level vars, as journey scripts are written
const CPU_LOCAL = `(function () { ${CPU_BODY} return acc; })()`;
const CALLS = 10000;
const HOST_GLOBAL = `var n = 0; for (var i = 0; i < ${CALLS}; i++) { n += host("http", "payload").length; } n`;
const HOST_LOCAL = `(function () { var h = host, n = 0; for (var i = 0; i < ${CALLS}; i++) { n += h("http", "payload").length; } return n; })()`;
const hostFn = (op, payload) => `${op}:${payload}`;

// ------------------------------------------------------------------ one engine, one round (in a worker)

async function measureEngine(engine) {
  const runtimeModule = await import(pathToFileURL(runtimeJs).href);
  const RUNTIME = runtimeModule.RUNTIME_SOURCE ?? `(${runtimeModule.installRuntime.toString()})`;
  // Since issue 22 the runtime's value is prepareRuntime(host), which returns installRun(input):
  // a worker prepares once, before it copies its memory. Older builds: installRuntime(host, input).
  const PREPARED = RUNTIME.includes('function prepareRuntime(host)');
  /** The runtime's finish for one run, from the evaluated runtime (`install`), as either build does it. */
  const installAll = (context, install, host, input) => {
    if (!PREPARED) return context.callFunction(install, context.undefined, host, input).unwrap();
    const installRun = context.callFunction(install, context.undefined, host).unwrap();
    try {
      return context.callFunction(installRun, context.undefined, input).unwrap();
    } finally {
      installRun.dispose();
    }
  };
  const INPUT = inputJson();
  const now = () => performance.now();
  const measure = (n, warm, fn, prepare) => {
    for (let i = 0; i < warm; i++) fn(prepare?.());
    const xs = [];
    for (let i = 0; i < n; i++) {
      const p = prepare?.();
      const t = now();
      fn(p);
      xs.push((now() - t) * 1000);
    }
    return median(xs);
  };
  const check = (out) => {
    if (typeof out !== 'string' || !out.includes('"outcome"'))
      throw new Error(`unexpected outcome: ${String(out).slice(0, 200)}`);
  };
  const r = { runtimeChars: RUNTIME.length, inputChars: INPUT.length };

  if (engine === 'node:vm') {
    // As the node:vm worker did: a null-prototype sandbox, the runtime and scripts compiled once.
    const newContext = () =>
      vm.createContext(Object.create(null), {
        codeGeneration: { strings: true, wasm: false },
        microtaskMode: 'afterEvaluate',
      });
    const runtime = new vm.Script(RUNTIME, { filename: 'aic-emulator-runtime.js' });
    const small = new vm.Script(SMALL, { filename: 'script.js' });
    const prepare = () => {
      const context = newContext();
      return { context, install: runtime.runInContext(context) };
    };
    const runPrepared = ({ context, install }) => {
      const finish = PREPARED ? install(hostFn)(INPUT) : install(hostFn, INPUT);
      small.runInContext(context);
      check(finish());
    };
    r.a_fresh = measure(200, 50, () => runPrepared(prepare()));
    r.b_prepare = measure(200, 50, prepare);
    r.b_spare = measure(200, 50, runPrepared, prepare);
    const withHost = () => {
      const context = newContext();
      context.host = hostFn;
      return context;
    };
    for (const [key, src, n, ctx] of [
      ['c_cpu_global', CPU_GLOBAL, 3, newContext],
      ['c_cpu_local', CPU_LOCAL, 5, newContext],
      ['d_host_global', HOST_GLOBAL, 5, withHost],
      ['d_host_local', HOST_LOCAL, 5, withHost],
    ]) {
      const script = new vm.Script(src);
      r[key] = measure(n, 1, (context) => script.runInContext(context), ctx) / (key.startsWith('d_') ? CALLS : 1);
    }
  }

  if (engine === 'quickjs') {
    // As worker.ts does: a runtime and a context per run, limits set, the WebAssembly memory capped.
    const t0 = now();
    const { newQuickJSWASMModuleFromVariant, newVariant } = await import('quickjs-emscripten-core');
    const base = (await import('@jitl/quickjs-wasmfile-release-sync')).default;
    const wasmMemory = new WebAssembly.Memory({ initial: 256, maximum: ((96 + 48) * 1024 * 1024) / 65536 });
    const quickjs = await newQuickJSWASMModuleFromVariant(newVariant(base, { wasmMemory }));
    r.load = (now() - t0) * 1000;
    const deadline = Date.now() + 3_600_000;
    const newRuntime = () => {
      const runtime = quickjs.newRuntime();
      runtime.setMemoryLimit(96 * 1024 * 1024);
      runtime.setMaxStackSize(1024 * 1024);
      return runtime;
    };
    const prepare = () => {
      const runtime = newRuntime();
      const context = runtime.newContext();
      return {
        runtime,
        context,
        install: context.evalCode(RUNTIME, 'aic-emulator-runtime.js', { type: 'global' }).unwrap(),
      };
    };
    const runPrepared = ({ runtime, context, install }) => {
      runtime.setInterruptHandler(() => Date.now() >= deadline);
      const host = context.newFunction('host', (op, payload) =>
        context.newString(hostFn(context.getString(op), context.getString(payload))),
      );
      const input = context.newString(INPUT);
      const finish = installAll(context, install, host, input);
      context.evalCode(SMALL, 'script.js', { type: 'global' }).unwrap().dispose();
      const outcome = context.callFunction(finish, context.undefined).unwrap();
      const out = context.getString(outcome);
      for (const handle of [outcome, finish, input, host, install]) handle.dispose();
      context.dispose();
      runtime.dispose();
      check(out);
    };
    const dispose = ({ runtime, context, install }) => {
      install.dispose();
      context.dispose();
      runtime.dispose();
    };
    // As worker.ts does now: one engine with the runtime parsed, its WebAssembly memory copied
    // once; each run puts the copy back, then installs, runs and finishes (no dispose: the next
    // restore frees everything).
    {
      const engine = prepare();
      engine.runtime.setInterruptHandler(() => Date.now() >= deadline);
      const { context, install } = engine;
      const host = context.newFunction('host', (op, payload) =>
        context.newString(hostFn(context.getString(op), context.getString(payload))),
      );
      // The prepared part is made before the copy, as worker.ts makes it (issue 22).
      const installRun = PREPARED ? context.callFunction(install, context.undefined, host).unwrap() : undefined;
      const copy = new Uint8Array(wasmMemory.buffer).slice(0);
      let used = copy.length;
      while (used > 0 && copy[used - 1] === 0) used -= 1;
      const saved = copy.slice(0, used);
      r.e_snapshot = measure(200, 20, () => {
        new Uint8Array(wasmMemory.buffer).set(saved);
        const finish = installRun
          ? context.callFunction(installRun, context.undefined, context.newString(INPUT)).unwrap()
          : context.callFunction(install, context.undefined, host, context.newString(INPUT)).unwrap();
        context.evalCode(SMALL, 'script.js', { type: 'global' }).unwrap();
        check(context.getString(context.callFunction(finish, context.undefined).unwrap()));
      });
      new Uint8Array(wasmMemory.buffer).set(saved);
      r.snapshotBytes = saved.length;
    }
    r.a_fresh = measure(60, 10, () => runPrepared(prepare()));
    r.b_prepare = measure(60, 10, () => dispose(prepare()));
    r.b_spare = measure(100, 20, runPrepared, prepare);
    const bare = () => {
      const runtime = newRuntime();
      runtime.setInterruptHandler(() => Date.now() >= deadline);
      return { runtime, context: runtime.newContext() };
    };
    const withHost = () => {
      const p = bare();
      const host = p.context.newFunction('host', (op, payload) =>
        p.context.newString(hostFn(p.context.getString(op), p.context.getString(payload))),
      );
      p.context.setProp(p.context.global, 'host', host);
      host.dispose();
      return p;
    };
    for (const [key, src, n, make] of [
      ['c_cpu_global', CPU_GLOBAL, 3, bare],
      ['c_cpu_local', CPU_LOCAL, 3, bare],
      ['d_host_global', HOST_GLOBAL, 5, withHost],
      ['d_host_local', HOST_LOCAL, 5, withHost],
    ]) {
      r[key] =
        measure(
          n,
          1,
          ({ runtime, context }) => {
            context.evalCode(src).unwrap().dispose();
            context.dispose();
            runtime.dispose();
          },
          make,
        ) / (key.startsWith('d_') ? CALLS : 1);
    }
  }

  if (engine === 'isolated-vm') {
    const t0 = now();
    const ivm = createRequire(import.meta.url)(process.env.ISOLATED_VM);
    const isolate = new ivm.Isolate({ memoryLimit: 128 });
    const runtime = isolate.compileScriptSync(RUNTIME, { filename: 'aic-emulator-runtime.js' });
    const small = isolate.compileScriptSync(SMALL, { filename: 'script.js' });
    const host = new ivm.Callback(hostFn);
    r.load = (now() - t0) * 1000;
    const prepare = () => {
      const context = isolate.createContextSync();
      return { context, install: runtime.runSync(context, { reference: true }) };
    };
    const runPrepared = ({ context, install }) => {
      const finish = install.applySync(undefined, [host, INPUT], { result: { reference: true } });
      small.runSync(context);
      const out = finish.applySync(undefined, []);
      finish.release();
      install.release();
      context.release();
      check(out);
    };
    r.a_fresh = measure(200, 50, () => runPrepared(prepare()));
    r.a_fresh_isolate = measure(30, 5, () => {
      const own = new ivm.Isolate({ memoryLimit: 128 });
      const context = own.createContextSync();
      const install = own
        .compileScriptSync(RUNTIME, { filename: 'aic-emulator-runtime.js' })
        .runSync(context, { reference: true });
      const finish = install.applySync(undefined, [new ivm.Callback(hostFn), INPUT], { result: { reference: true } });
      own.compileScriptSync(SMALL, { filename: 'script.js' }).runSync(context);
      check(finish.applySync(undefined, []));
      own.dispose();
    });
    r.b_prepare = measure(200, 50, () => {
      const p = prepare();
      p.install.release();
      p.context.release();
    });
    r.b_spare = measure(200, 50, runPrepared, prepare);
    const bare = () => isolate.createContextSync();
    const withHost = () => {
      const context = isolate.createContextSync();
      context.global.setSync('host', host);
      return context;
    };
    for (const [key, src, n, make] of [
      ['c_cpu_global', CPU_GLOBAL, 5, bare],
      ['c_cpu_local', CPU_LOCAL, 5, bare],
      ['d_host_global', HOST_GLOBAL, 5, withHost],
      ['d_host_local', HOST_LOCAL, 5, withHost],
    ]) {
      const script = isolate.compileScriptSync(src);
      r[key] =
        measure(
          n,
          1,
          (context) => {
            script.runSync(context);
            context.release();
          },
          make,
        ) / (key.startsWith('d_') ? CALLS : 1);
    }
    // applySyncPromise: the host answers asynchronously (no Atomics.wait); the isolate then runs on
    // isolated-vm's own thread (script.run, not runSync).
    const context = isolate.createContextSync();
    context.global.setSync('hostRef', new ivm.Reference(async (op, payload) => hostFn(op, payload)));
    const script = isolate.compileScriptSync(
      'var n = 0; for (var i = 0; i < 2000; i++) { n += hostRef.applySyncPromise(undefined, ["http", "payload"]).length; } n',
    );
    const xs = [];
    for (let i = 0; i < 4; i++) {
      const t = now();
      await script.run(context);
      xs.push(((now() - t) * 1000) / 2000);
    }
    r.d_host_applySyncPromise = median(xs.slice(1));
    isolate.dispose();
  }
  return r;
}

// ------------------------------------------------------------------ entry points

const ROWS = [
  ['a_fresh', '(a) fresh context + runtime + 2 KB input + small script + finish, µs'],
  ['a_fresh_isolate', '(a′) the same in a fresh isolate per run, µs'],
  ['b_prepare', '(b) idle-time preparation of a spare (context + runtime evaluated), µs'],
  ['b_spare', '(b) per run with a spare: install + small script + finish, µs'],
  ['e_snapshot', '(e) per run from a restored memory copy (worker.ts): restore + install + small script + finish, µs'],
  ['c_cpu_global', '(c) 1e6-iteration string loop, top-level vars, ms'],
  ['c_cpu_local', '(c) the same loop inside a function, ms'],
  ['d_host_global', '(d) host call round trip (top-level loop), µs per call'],
  ['d_host_local', '(d) host call round trip (inside a function), µs per call'],
  ['d_host_applySyncPromise', '(d′) host call via applySyncPromise (async host), µs per call'],
  ['load', 'engine load + first instance in the worker, ms'],
];

if (!isMainThread) {
  parentPort.postMessage(await measureEngine(workerData.engine));
} else if (process.argv[2]) {
  // A child process: one engine, one round, inside a worker like the script workers.
  const worker = new Worker(self, {
    workerData: { engine: process.argv[2] },
    resourceLimits: { maxOldGenerationSizeMb: 512, stackSizeMb: 4 },
  });
  worker.on('message', (m) => console.log(JSON.stringify(m)));
  worker.on('error', (e) => {
    console.error(e);
    process.exitCode = 1;
  });
} else {
  const rounds = Number(process.env.ROUNDS ?? 5);
  const engines = [
    ['node:vm', []],
    ['quickjs', []],
  ];
  // isolated-vm documents --no-node-snapshot as required on Node 20 and later.
  if (process.env.ISOLATED_VM) engines.push(['isolated-vm', ['--no-node-snapshot']]);
  const all = {};
  const loads = [];
  for (let round = 0; round < rounds; round++) {
    for (const [engine, flags] of engines) {
      const out = execFileSync(process.execPath, [...flags, self, engine], { encoding: 'utf8' });
      const res = JSON.parse(out.trim().split('\n').pop());
      for (const [key, value] of Object.entries(res)) ((all[engine] ??= {})[key] ??= []).push(value);
    }
    loads.push(loadavg()[0]);
    process.stderr.write(`round ${round + 1}/${rounds} (load average ${loadavg()[0].toFixed(1)})\n`);
  }
  const cell = (engine, key) => {
    const xs = all[engine]?.[key];
    if (!xs) return '–';
    const scale = key.startsWith('c_') || key === 'load' ? 1000 : 1;
    const f = (x) => (x / scale).toFixed(x / scale < 1 ? 2 : x / scale < 10 ? 1 : 0);
    return `${f(median(xs))} (${f(Math.min(...xs))}–${f(Math.max(...xs))})`;
  };
  const names = engines.map(([e]) => e);
  const first = all[names[0]];
  console.log(
    `Node ${process.version}, ${rounds} rounds, runtime source ${first.runtimeChars[0]} chars, input ${first.inputChars[0]} chars, 1-min load average ${loads.map((l) => l.toFixed(1)).join(' ')}\n`,
  );
  console.log(`| measure | ${names.join(' | ')} |\n|---|${names.map(() => '---|').join('')}`);
  for (const [key, label] of ROWS)
    if (names.some((e) => all[e]?.[key])) console.log(`| ${label} | ${names.map((e) => cell(e, key)).join(' | ')} |`);
}
