/**
 * The tenant's control state as data: what the control API and journeys change besides sessions
 * (the clock, ESVs, users, faults, stubs, imported journeys). State files save and load it; the
 * instances of a tenant sharing Redis exchange it, whole (a reset) or one entry at a time.
 *
 * An entry is one thing that changes on its own, under a key:
 *
 *   clock              the clock's state
 *   esv:<name>         an ESV's value, or {value, secret: true} for one made a secret otherwise
 *                      than by its name (the ESV REST API's secrets: masked on every instance)
 *   user:<_id>         a user record
 *   fault:<id>         { order, fault } (order keeps the registry's first-match order)
 *   stub:<id>          { order, stub }
 *   journeys:<realm>   a realm's journeys: trees, nodes, scripts, custom node types
 *   node-stub:<id>     a node stub (`<nodeType>` or `<nodeType>/<nodeId>`)
 *   idm-config:<id>    an IDM configuration object (`ui/themerealm`, `emailTemplate/<name>`)
 *
 * Not here: the journal and journey runs (each instance's own record of what it served).
 */
import type { Tenant } from './tenant.js';
import type { ClockState } from '../core/clock.js';
import type { User } from '../state/user-directory.js';
import type { Fault } from '../state/faults.js';
import type { Stub } from '../state/stubs.js';
import type { CustomNodeType, JourneyTree, NodeConfig, ScriptDef } from '../state/journeys/model.js';
import type { NodeStub } from '../state/node-stubs.js';
import type { RealmJourneys } from '../state/journeys/registry.js';
import type { IdmConfigObject } from '../state/idm-config.js';

export interface RealmJourneysData {
  trees: JourneyTree[];
  nodes: NodeConfig[];
  scripts: ScriptDef[];
  /** Node Designer custom node types (absent in state files written before them). */
  nodeTypes?: CustomNodeType[];
}

export interface ControlState {
  clock: ClockState;
  esvs: Record<string, string>;
  /** ESVs made secrets otherwise than by their names (absent in state files written before them). */
  secretEsvs?: string[];
  users: User[];
  faults: Fault[];
  stubs: Stub[];
  /** Node stubs (absent in state files written before them). */
  nodeStubs?: NodeStub[];
  /** By realm path. */
  journeys: Record<string, RealmJourneysData>;
  /** IDM's configuration objects (not in state files). */
  idmConfig: IdmConfigObject[];
}

export function captureRealmJourneys(tenant: Tenant, realmPath: string): RealmJourneysData {
  return realmJourneysData(tenant.journeys.of(realmPath));
}

/** A realm's journeys as data (the registry's change events carry its maps). */
export function realmJourneysData(journeys: RealmJourneys): RealmJourneysData {
  return {
    trees: [...journeys.trees.values()],
    nodes: [...journeys.nodes.values()],
    scripts: [...journeys.scripts.values()],
    nodeTypes: [...(journeys.nodeTypes?.values() ?? [])],
  };
}

export function captureControlState(tenant: Tenant): ControlState {
  return {
    clock: tenant.clock.state(),
    esvs: Object.fromEntries(tenant.esvs.entries()),
    secretEsvs: tenant.esvs.madeSecrets(),
    users: tenant.users.list(),
    faults: tenant.faults.list(),
    stubs: tenant.stubs.list(),
    nodeStubs: tenant.nodeStubs.list(),
    journeys: Object.fromEntries(
      tenant.journeys.realmPaths().map((realm) => [realm, captureRealmJourneys(tenant, realm)]),
    ),
    idmConfig: tenant.idmConfig.list(),
  };
}

/** Replaces the parts given (all of the tenant's users, all its ESVs, ...); the others stay. */
export function restoreControlState(tenant: Tenant, state: Partial<ControlState>): void {
  if (state.esvs) {
    tenant.esvs.clear();
    const secret = new Set(state.secretEsvs ?? []);
    for (const [name, value] of Object.entries(state.esvs)) tenant.esvs.set(name, value, { secret: secret.has(name) });
  }
  if (state.users) {
    tenant.users.clear();
    for (const user of state.users) tenant.users.put(user);
  }
  if (state.faults) {
    tenant.faults.clear();
    for (const fault of state.faults) tenant.faults.put(fault);
  }
  if (state.stubs) {
    tenant.stubs.clear();
    for (const stub of state.stubs) tenant.stubs.put(stub);
  }
  if (state.nodeStubs) {
    tenant.nodeStubs.clear();
    for (const stub of state.nodeStubs) tenant.nodeStubs.put(stub);
  }
  if (state.journeys) {
    tenant.journeys.clear();
    for (const [realm, data] of Object.entries(state.journeys)) restoreRealmJourneys(tenant, realm, data);
  }
  if (state.idmConfig) {
    tenant.idmConfig.clear();
    for (const object of state.idmConfig) tenant.idmConfig.put(object._id, object);
  }
  // Last: moving the clock wakes the sweeper, which should see the rest in place.
  if (state.clock) tenant.clock.restore(state.clock);
}

function restoreRealmJourneys(tenant: Tenant, realm: string, data: RealmJourneysData): void {
  const journeys = tenant.journeys.of(realm);
  journeys.trees.clear();
  journeys.nodes.clear();
  journeys.scripts.clear();
  journeys.nodeTypes?.clear();
  // add() also bumps the registry's version, so what was worked out from the old ones is dropped.
  tenant.journeys.add(realm, {
    trees: new Map(data.trees.map((tree) => [tree.name, tree])),
    nodes: new Map(data.nodes.map((node) => [node.id, node])),
    scripts: new Map(data.scripts.map((script) => [script.id, script])),
    nodeTypes: new Map((data.nodeTypes ?? []).map((type) => [type.id, type])),
    realmHint: undefined,
  });
}

/** The state as entries (key, value), in an order that rebuilds the same registries. */
export function controlEntries(state: ControlState): [string, unknown][] {
  return [
    ['clock', state.clock],
    ...Object.entries(state.esvs).map(([name, value]): [string, unknown] => [
      `esv:${name}`,
      (state.secretEsvs ?? []).includes(name) ? { value, secret: true } : value,
    ]),
    ...state.users.map((user): [string, unknown] => [`user:${user._id}`, user]),
    ...state.faults.map((fault, order): [string, unknown] => [`fault:${fault.id}`, { order, fault }]),
    ...state.stubs.map((stub, order): [string, unknown] => [`stub:${stub.id}`, { order, stub }]),
    ...(state.nodeStubs ?? []).map((stub): [string, unknown] => [`node-stub:${stub.id}`, stub]),
    ...Object.entries(state.journeys).map(([realm, data]): [string, unknown] => [`journeys:${realm}`, data]),
    ...state.idmConfig.map((object): [string, unknown] => [`idm-config:${object._id}`, object]),
  ];
}

/** Entries back into a whole state (faults and stubs in their order). */
export function controlStateFromEntries(entries: Iterable<[string, unknown]>): ControlState {
  const state: ControlState = {
    clock: { offsetMs: 0, frozenAt: null },
    esvs: {},
    secretEsvs: [],
    users: [],
    faults: [],
    stubs: [],
    nodeStubs: [],
    journeys: {},
    idmConfig: [],
  };
  const faults: { order: number; fault: Fault }[] = [];
  const stubs: { order: number; stub: Stub }[] = [];
  for (const [key, value] of entries) {
    const [kind, id] = splitKey(key);
    if (kind === 'clock') state.clock = value as ClockState;
    else if (kind === 'esv') {
      const secret = esvEntry(value);
      if (secret) {
        state.esvs[id] = secret.value;
        state.secretEsvs?.push(id);
      } else if (typeof value === 'string') state.esvs[id] = value;
    } else if (kind === 'user') state.users.push(value as User);
    else if (kind === 'fault') faults.push(value as { order: number; fault: Fault });
    else if (kind === 'stub') stubs.push(value as { order: number; stub: Stub });
    else if (kind === 'node-stub') state.nodeStubs?.push(value as NodeStub);
    else if (kind === 'journeys') state.journeys[id] = value as RealmJourneysData;
    else if (kind === 'idm-config') state.idmConfig.push(value as IdmConfigObject);
  }
  const byOrder = (a: { order: number }, b: { order: number }) => a.order - b.order;
  state.faults = faults.sort(byOrder).map((entry) => entry.fault);
  state.stubs = stubs.sort(byOrder).map((entry) => entry.stub);
  return state;
}

/** Applies one entry to the tenant: a value sets it, undefined removes it. */
export function applyControlEntry(tenant: Tenant, key: string, value: unknown): void {
  const [kind, id] = splitKey(key);
  switch (kind) {
    case 'clock':
      if (value !== undefined) tenant.clock.restore(value as ClockState);
      return;
    case 'esv': {
      const secret = esvEntry(value);
      if (secret) tenant.esvs.set(id, secret.value, { secret: true });
      else if (typeof value === 'string') tenant.esvs.set(id, value);
      return;
    }
    case 'user':
      if (value === undefined) tenant.users.remove(id);
      else tenant.users.put(value as User);
      return;
    case 'fault':
      if (value === undefined) tenant.faults.remove(id);
      else tenant.faults.put((value as { fault: Fault }).fault);
      return;
    case 'stub':
      if (value === undefined) tenant.stubs.remove(id);
      else tenant.stubs.put((value as { stub: Stub }).stub);
      return;
    case 'node-stub':
      if (value === undefined) tenant.nodeStubs.remove(id);
      else tenant.nodeStubs.put(value as NodeStub);
      return;
    case 'journeys':
      if (value !== undefined) restoreRealmJourneys(tenant, id, value as RealmJourneysData);
      return;
    case 'idm-config':
      if (value === undefined) tenant.idmConfig.remove(id);
      else tenant.idmConfig.put(id, value as IdmConfigObject);
      return;
    default:
      // An entry a newer version wrote: ignored rather than fatal.
      return;
  }
}

function splitKey(key: string): [string, string] {
  const colon = key.indexOf(':');
  return colon < 0 ? [key, ''] : [key.slice(0, colon), key.slice(colon + 1)];
}

/** An ESV entry made a secret: `{value, secret: true}` (a plain string is any other ESV's). */
function esvEntry(value: unknown): { value: string } | undefined {
  if (value === null || typeof value !== 'object') return undefined;
  const entry = value as { value?: unknown; secret?: unknown };
  return typeof entry.value === 'string' && entry.secret === true ? { value: entry.value } : undefined;
}
