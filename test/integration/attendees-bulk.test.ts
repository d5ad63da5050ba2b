/**
 * `POST /__emulator/users/bulk` (issue 21): a workshop's attendees by count or from a CSV, each
 * with the attributes the demo's Single Logout journeys read, so that the how-to takes its
 * Success branches (Part 2's external logout, Part 4's logout URL).
 */
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { Emulator } from '../../emulator/index.js';
import { login, startEmulator } from '../helpers/tenant.js';
import { http } from '../helpers/http.js';
import { journey } from '../helpers/journey.js';

let emulator: Emulator;

const bulk = (body: unknown) =>
  http(`${emulator.url}/__emulator/users/bulk`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(body),
  });

interface Created {
  _id: string;
  userName: string;
  password: string;
  mail: string;
}

beforeAll(async () => {
  emulator = await startEmulator();
});
afterAll(async () => {
  await emulator?.close();
});
beforeEach(async () => {
  await emulator.reset();
});

describe('bulk attendees', () => {
  it('by count: numbered, with passwords made for a handout, and a second batch goes on from the first', async () => {
    const first = await bulk({ count: 3 });
    expect(first.status).toBe(201);
    const created = first.json.created as Created[];
    expect(first.json.realm).toBe('/alpha');
    expect(created.map((user) => user.userName)).toEqual(['attendee-01', 'attendee-02', 'attendee-03']);
    for (const user of created) {
      expect(user.password).toMatch(/^[A-Za-z2-9]{12}$/);
      expect(await login(emulator, user)).toMatch(/\*$/);
    }
    expect(new Set(created.map((user) => user.password)).size).toBe(3);
    const second = await bulk({ count: 2, prefix: 'attendee' });
    expect((second.json.created as Created[]).map((user) => user.userName)).toEqual(['attendee-04', 'attendee-05']);
    // Passwords are in the creation's answer only.
    const listed = await http(`${emulator.url}/__emulator/users?realm=alpha`);
    for (const user of created) expect(listed.text).not.toContain(user.password);
  });

  it('from a CSV, a header line optional, a missing password made', async () => {
    const answer = await bulk({
      realm: 'alpha',
      csv: 'userName,password,givenName,sn,mail\nada,Ada-pass-1,Ada,Lovelace,ada@example.com\nalan\n',
    });
    expect(answer.status).toBe(201);
    const [ada, alan] = answer.json.created as Created[];
    expect(ada).toMatchObject({ userName: 'ada', password: 'Ada-pass-1', mail: 'ada@example.com' });
    expect(alan).toMatchObject({ userName: 'alan', mail: 'alan@example.com' });
    expect(await login(emulator, alan as Created)).toMatch(/\*$/);
  });

  it('each attendee takes the how-to’s Success branches: Part 2’s external logout, Part 4’s logout URL', async () => {
    const [attendee] = (await bulk({ count: 1 })).json.created as Created[];
    const token = await login(emulator, attendee as Created);
    const cookie = `${emulator.cookieName}=${token}`;
    await journey(emulator, 'TerminateSession', { headers: { cookie } }).start();
    const runs = (await http(`${emulator.url}/__emulator/runs?journey=TerminateSession&user=${attendee?._id}`)).json
      .result as { user: { _id: string }; visits: { displayName: string; outcome?: string }[] }[];
    expect(runs).toHaveLength(1);
    expect(runs[0]?.user._id).toBe(attendee?._id);
    expect(runs[0]?.visits.find((visit) => visit.displayName === 'Terminate External Sessions')?.outcome).toBe('true');
    expect(runs[0]?.visits.find((visit) => visit.displayName === 'Terminate Sessions')?.outcome).toBe('Success');

    const again = await login(emulator, attendee as Created);
    const redirect = await journey(emulator, 'LogoutRedirect', {
      headers: { cookie: `${emulator.cookieName}=${again}` },
    }).start();
    expect(redirect.response.status).toBe(401);
    expect(redirect.body.detail.failureUrl).toBe('/am/XUI/?realm=/alpha&authIndexType=service&authIndexValue=Login');
  });

  it('refuses what it cannot do, AM-shaped, and creates nobody then', async () => {
    await bulk({ csv: 'taken-one' });
    const before = (await http(`${emulator.url}/__emulator/users`)).json.result.length;
    for (const [body, status] of [
      [{}, 400],
      [{ count: 0 }, 400],
      [{ count: 501 }, 400],
      [{ count: 1.5 }, 400],
      [{ count: 2, csv: 'a' }, 400],
      [{ count: 1, prefix: '../x' }, 400],
      [{ count: 1, realm: 'nowhere' }, 400],
      [{ csv: '' }, 400],
      [{ csv: '"quoted",x' }, 400],
      [{ csv: 'a,b,c,d,e,f' }, 400],
      [{ csv: 'fresh\ntaken-one' }, 409],
      [{ csv: 'twice\nTWICE' }, 409],
      [{ count: 1, extra: true }, 400],
      [[1], 400],
    ] as const) {
      const answer = await bulk(body);
      expect(answer.status, JSON.stringify(body)).toBe(status);
      expect(answer.json).toMatchObject({ code: status, message: expect.any(String) });
    }
    expect((await http(`${emulator.url}/__emulator/users`)).json.result.length).toBe(before);
  });
});
