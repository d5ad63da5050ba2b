/**
 * The addresses people reach a listening emulator at: what the front door (`/`) and the start
 * banner list. A server on `0.0.0.0` answers on every IPv4 address of the machine, one on `::`
 * on every address (IPv4 too: Node listens dual-stack), one on a given address on that one only.
 * `Emulator.url` stays the loopback URL; these are the addresses a workshop's attendees type.
 */
import { networkInterfaces, type NetworkInterfaceInfo } from 'node:os';
import type { AddressInfo } from 'node:net';
import { isLoopbackHost } from '../am/cookies.js';

const isLoopbackAddress = (address: string) => isLoopbackHost(address) || address === '::ffff:127.0.0.1';

export interface ReachableUrls {
  /** On this machine only: `http://127.0.0.1:<port>` (or the loopback address listened on). */
  loopback: string[];
  /** From other machines: every non-loopback address listened on, `http://<address>:<port>`. */
  network: string[];
}

type Interfaces = ReturnType<typeof networkInterfaces>;

/** `http://<address>:<port>`, an IPv6 address in brackets. */
export function urlOf(address: string, port: number): string {
  return `http://${address.includes(':') ? `[${address}]` : address}:${port}`;
}

/** The machine's interfaces; none when the system will not say (some sandboxes refuse). */
function machineInterfaces(): Interfaces {
  try {
    return networkInterfaces();
  } catch {
    return {};
  }
}

/**
 * The URLs of a server listening at `address`. Interface addresses that no browser can use in a
 * plain URL are left out: IPv6 link-local ones (`fe80::`, they need a zone) and loopback ones.
 */
export function reachableUrls(address: AddressInfo, interfaces: Interfaces = machineInterfaces()): ReachableUrls {
  const { port } = address;
  const wildcard4 = address.address === '0.0.0.0';
  const wildcard6 = address.address === '::';
  if (!wildcard4 && !wildcard6) {
    return isLoopbackAddress(address.address)
      ? { loopback: [urlOf(address.address, port)], network: [] }
      : { loopback: [], network: [urlOf(address.address, port)] };
  }
  const usable = (info: NetworkInterfaceInfo) =>
    !info.internal &&
    !isLoopbackAddress(info.address) &&
    (info.family === 'IPv4' || (wildcard6 && info.scopeid === 0 && !/^fe[89ab]/i.test(info.address)));
  const network = new Set<string>();
  for (const infos of Object.values(interfaces)) {
    for (const info of infos ?? []) if (usable(info)) network.add(urlOf(info.address, port));
  }
  // IPv4 first, then IPv6, each in the order the system lists them.
  const sorted = [...network].sort((a, b) => Number(a.includes('[')) - Number(b.includes('[')));
  return { loopback: [urlOf('127.0.0.1', port)], network: sorted };
}
