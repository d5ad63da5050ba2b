/**
 * The Redis session store's operations, each one Lua script: Redis runs a script atomically, so
 * an instance never sees a session half created or half removed, and a session's read, expiry
 * check and removal happen in one step (two instances cannot both end the same session).
 *
 * Layout under the tenant's session prefix P (`aic:<cookie>:s:`):
 *
 *   P t:<token>          hash: the session (fields below; properties as `p:<name>`)
 *   P h:<handle>         string: the token of that handle
 *   P u:<realm>|<user>   set: the user's tokens in a realm (realm paths never contain `|`)
 *   P r:<realm>          set: the realm's tokens
 *   P exp                sorted set: token → expiry on the tenant clock (for the sweeper)
 *
 * Expiry is decided by the tenant clock, which only the emulator knows: every script gets `now`
 * as an argument and treats a session past its time as gone (and removes it). Redis TTLs are a
 * backstop on top: each key expires a margin after the session would, so that a tenant nobody
 * sweeps any more does not keep its sessions forever.
 *
 * Every script starts with ARGV[1] = P and ARGV[2] = now (ms), and answers the number of session
 * records it read first, for the store's work counter (indexes, not scans, bound the work).
 */

/** Hash fields: short, since a million sessions repeat them. */
export const FIELDS = {
  tokenId: 't',
  handle: 'h',
  ctxId: 'c',
  realm: 'r',
  userId: 'u',
  universalId: 'U',
  creationTime: 'ct',
  latestAccessTime: 'la',
  maxIdleMinutes: 'mi',
  maxSessionMinutes: 'ms',
  service: 'sv',
  successUrl: 'su',
} as const;

/** Session properties are hash fields with this prefix. */
export const PROPERTY_PREFIX = 'p:';

const COMMON = `
local P = ARGV[1]
local now = tonumber(ARGV[2])

local function load(token)
  local flat = redis.call('HGETALL', P .. 't:' .. token)
  if #flat == 0 then return nil, nil end
  local s = {}
  for i = 1, #flat, 2 do s[flat[i]] = flat[i + 1] end
  return s, flat
end

local function expiresAt(s)
  local idle = tonumber(s.la) + tonumber(s.mi) * 60000
  local max = tonumber(s.ct) + tonumber(s.ms) * 60000
  if idle < max then return idle end
  return max
end

local function userKey(realm, user) return P .. 'u:' .. realm .. '|' .. user end

local function remove(s)
  redis.call('DEL', P .. 't:' .. s.t, P .. 'h:' .. s.h)
  redis.call('SREM', userKey(s.r, s.u), s.t)
  redis.call('SREM', P .. 'r:' .. s.r, s.t)
  redis.call('ZREM', P .. 'exp', s.t)
end

-- The garbage-collection backstop: a key lives at least ttl more milliseconds (never shortened,
-- since index keys are shared by several sessions; a key without a TTL, PTTL -1, gets one).
local function keepAtLeast(key, ttl)
  if redis.call('PTTL', key) < ttl then redis.call('PEXPIRE', key, ttl) end
end

local function backstop(at)
  local ttl = math.floor(at - now + tonumber(ARGV[3]))
  if ttl < 1000 then return 1000 end
  return ttl
end

local function protect(s, at)
  local ttl = backstop(at)
  redis.call('PEXPIRE', P .. 't:' .. s.t, ttl)
  redis.call('PEXPIRE', P .. 'h:' .. s.h, ttl)
  keepAtLeast(userKey(s.r, s.u), ttl)
  keepAtLeast(P .. 'r:' .. s.r, ttl)
  keepAtLeast(P .. 'exp', ttl)
end

-- The session if it is live; an expired one is removed. Also says whether a record was read.
local function live(token)
  local s, flat = load(token)
  if not s then return nil, nil, 0 end
  if now >= expiresAt(s) then
    remove(s)
    return nil, nil, 1
  end
  return s, flat, 1
end
`;

/** ARGV: P, now, backstopMs, then the hash as field, value pairs. → {1} */
export const CREATE = `${COMMON}
local s = {}
for i = 4, #ARGV, 2 do s[ARGV[i]] = ARGV[i + 1] end
local at = expiresAt(s)
local ttl = backstop(at)
local hash = P .. 't:' .. s.t
redis.call('HSET', hash, unpack(ARGV, 4))
redis.call('PEXPIRE', hash, ttl)
redis.call('SET', P .. 'h:' .. s.h, s.t, 'PX', ttl)
local user, realm = userKey(s.r, s.u), P .. 'r:' .. s.r
redis.call('SADD', user, s.t)
redis.call('SADD', realm, s.t)
redis.call('ZADD', P .. 'exp', at, s.t)
keepAtLeast(user, ttl)
keepAtLeast(realm, ttl)
keepAtLeast(P .. 'exp', ttl)
return {1}
`;

/** ARGV: P, now, backstopMs, token. → {visited, flat?} */
export const GET = `${COMMON}
local s, flat, visited = live(ARGV[4])
if not s then return {visited} end
return {visited, flat}
`;

/** ARGV: P, now, backstopMs, handle. → {visited, flat?} */
export const GET_BY_HANDLE = `${COMMON}
local token = redis.call('GET', P .. 'h:' .. ARGV[4])
if not token then return {0} end
local s, flat, visited = live(token)
if not s then return {visited} end
return {visited, flat}
`;

/**
 * Resets the idle timer when at least `frequencyMs` passed since the last recorded access.
 * ARGV: P, now, backstopMs, token, frequencyMs. → {visited, flat?}
 */
export const TOUCH = `${COMMON}
local s, flat, visited = live(ARGV[4])
if not s then return {visited} end
if now - tonumber(s.la) >= tonumber(ARGV[5]) then
  redis.call('HSET', P .. 't:' .. s.t, 'la', ARGV[2])
  s.la = ARGV[2]
  local at = expiresAt(s)
  redis.call('ZADD', P .. 'exp', at, s.t)
  protect(s, at)
  flat = redis.call('HGETALL', P .. 't:' .. s.t)
end
return {visited, flat}
`;

/** ARGV: P, now, backstopMs, token, then property name, value pairs. → {visited, flat?} */
export const SET_PROPERTIES = `${COMMON}
local s, flat, visited = live(ARGV[4])
if not s then return {visited} end
for i = 5, #ARGV, 2 do redis.call('HSET', P .. 't:' .. s.t, 'p:' .. ARGV[i], ARGV[i + 1]) end
return {visited, redis.call('HGETALL', P .. 't:' .. s.t)}
`;

/** ARGV: P, now, backstopMs, token. → {visited, ended (0|1)} */
export const DELETE = `${COMMON}
local s, flat, visited = live(ARGV[4])
if not s then return {visited, 0} end
remove(s)
return {visited, 1}
`;

/** ARGV: P, now, backstopMs, handle. → {visited, ended (0|1)} */
export const DELETE_BY_HANDLE = `${COMMON}
local token = redis.call('GET', P .. 'h:' .. ARGV[4])
if not token then return {0, 0} end
local s, flat, visited = live(token)
if not s then return {visited, 0} end
remove(s)
return {visited, 1}
`;

/** Ends every session of a user in a realm. ARGV: P, now, backstopMs, realm, userId. → {visited, ended} */
export const DELETE_BY_USER = `${COMMON}
local key = userKey(ARGV[4], ARGV[5])
local visited, ended = 0, 0
for _, token in ipairs(redis.call('SMEMBERS', key)) do
  local s = load(token)
  if s then
    visited = visited + 1
    if now < expiresAt(s) then ended = ended + 1 end
    remove(s)
  else
    redis.call('SREM', key, token) -- its hash went with the TTL backstop
  end
end
return {visited, ended}
`;

/**
 * The live sessions of an index: a user's (ARGV[4] = 'user', realm, userId), a realm's
 * ('realm', realm) or all ('all'). Expired ones are removed on the way.
 * → {visited, flat1, flat2, ...}
 */
export const LIST = `${COMMON}
local kind = ARGV[4]
local key, tokens
if kind == 'user' then
  key = userKey(ARGV[5], ARGV[6])
  tokens = redis.call('SMEMBERS', key)
elseif kind == 'realm' then
  key = P .. 'r:' .. ARGV[5]
  tokens = redis.call('SMEMBERS', key)
else
  key = P .. 'exp'
  tokens = redis.call('ZRANGE', key, 0, -1)
end
local result = {0}
for _, token in ipairs(tokens) do
  local s, flat, visited = live(token)
  result[1] = result[1] + visited
  if s then
    result[#result + 1] = flat
  elseif visited == 0 then
    if kind == 'all' then redis.call('ZREM', key, token) else redis.call('SREM', key, token) end
  end
end
return result
`;

/**
 * Removes up to `budget` sessions whose expiry has come, earliest first.
 * ARGV: P, now, backstopMs, budget. → {visited, purged, more (0|1)}
 */
export const PURGE = `${COMMON}
local visited, purged = 0, 0
for _, token in ipairs(redis.call('ZRANGEBYSCORE', P .. 'exp', '-inf', now, 'LIMIT', 0, tonumber(ARGV[4]))) do
  local s = load(token)
  if not s then
    redis.call('ZREM', P .. 'exp', token)
  else
    visited = visited + 1
    local at = expiresAt(s)
    if now >= at then
      remove(s)
      purged = purged + 1
    else
      redis.call('ZADD', P .. 'exp', at, token)
    end
  end
end
local more = 0
if redis.call('ZCOUNT', P .. 'exp', '-inf', now) > 0 then more = 1 end
return {visited, purged, more}
`;

/**
 * Ends up to `batch` sessions of the tenant (any, live or not), through its own index: the
 * work is the tenant's size, whatever else the Redis server holds.
 * ARGV: P, now, backstopMs, batch. → sessions left
 */
export const CLEAR = `${COMMON}
for _, token in ipairs(redis.call('ZRANGE', P .. 'exp', 0, tonumber(ARGV[4]) - 1)) do
  local s = load(token)
  if s then remove(s) else redis.call('ZREM', P .. 'exp', token) end
end
return redis.call('ZCARD', P .. 'exp')
`;
