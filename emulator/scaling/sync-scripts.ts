/**
 * The Lua side of the tenant sync (tenant-sync.ts). Under the tenant's control prefix C:
 *
 *   C state    hash: entry key → JSON value (control-state.ts): the whole control state now
 *   C seq      counter: one number per change, in the order Redis applied them
 *   C cookie   the tenant's cookie name: instances with another config are refused
 *   C events   pub/sub channel: "<seq> <change as JSON>" for every change
 *
 * A change writes the hash and publishes in one script, so the hash at sequence number N is
 * exactly every change up to N: an instance that starts (or missed a message) loads the hash
 * and follows the channel from there.
 */

/** ARGV: C, payload, op ('set' | 'del' | 'baseline'), then key, value | key | key, value pairs. → seq */
export const PUBLISH = `
local C = ARGV[1]
local op = ARGV[3]
local seq = redis.call('INCR', C .. 'seq')
if op == 'set' then
  redis.call('HSET', C .. 'state', ARGV[4], ARGV[5])
elseif op == 'del' then
  redis.call('HDEL', C .. 'state', ARGV[4])
elseif op == 'baseline' then
  redis.call('DEL', C .. 'state')
  for i = 4, #ARGV, 2 do redis.call('HSET', C .. 'state', ARGV[i], ARGV[i + 1]) end
end
redis.call('PUBLISH', C .. 'events', seq .. ' ' .. ARGV[2])
return seq
`;

/**
 * The first instance of a tenant writes its state; the others read the state there is. Also run
 * to reload: after a lost message, or after Redis itself restarted empty, when the first
 * instance to notice writes its state back (with the authId key every instance already holds).
 * ARGV: C, cookieName, authId key name, authId key, then key, value pairs (this instance's state).
 * → {-1, otherCookie} | {1, seq} (written) | {0, seq, flat hash} (read)
 */
export const INIT = `
local C = ARGV[1]
local cookie = redis.call('GET', C .. 'cookie')
if cookie and cookie ~= ARGV[2] then return {-1, cookie} end
redis.call('SET', ARGV[3], ARGV[4], 'NX')
if redis.call('EXISTS', C .. 'seq') == 1 then
  return {0, tonumber(redis.call('GET', C .. 'seq')), redis.call('HGETALL', C .. 'state')}
end
redis.call('SET', C .. 'cookie', ARGV[2])
redis.call('DEL', C .. 'state')
for i = 5, #ARGV, 2 do redis.call('HSET', C .. 'state', ARGV[i], ARGV[i + 1]) end
return {1, redis.call('INCR', C .. 'seq')}
`;
