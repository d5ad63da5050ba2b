/**
 * The demo tenant's service account: an id and an RSA key whose private half is published here,
 * so that tools (frodo, scripts, tests) can get an admin bearer token on a loopback tenant with
 * AIC's JWT-bearer grant. Like the demo passwords, it is for loopback only: beyond loopback the
 * demo tenant has no service account (start-secrets.ts).
 */
import type { ServiceAccountConfig } from './config-types.js';

export const DEMO_SERVICE_ACCOUNT_ID = '9d0149ab-2f83-4f37-a41a-8c1d291d6434';

/** The private key (JWK) a tool signs its assertion with: published, loopback only. */
export const DEMO_SERVICE_ACCOUNT_JWK = {
  kty: 'RSA',
  n: 'hl0ZbYr6Inl-Y5Oycxq5dWuRIvfZB7t0ULCHhphZ3-2TeRGiY-IUbjYWLDGkOwOtXuVdbv6lBX0vmpeQZZSwXqBKR2gqtSMcZv_Xq3fhkTsxhNV3etnYffkJwdm9ggsyJfGqQ-oWb9ba0IjXcOml67y0ccZtzgi7XZSR2akSH18d-CXWy1tJuA-J8VoMebCokLbILu9IXPCGCHgLEf2E5jlmekCWqOt_qB1NC3t4y0dkDRPXJB6N5dGCi7R01vdeFULcZ30LebQmVcwnoJPjdfznVo6E0d2uQ0hK9bMLby1InLf9HaHWWYDfwOMgJx-_CqF5sym98O0IOJy1jP7Gpw',
  e: 'AQAB',
  d: 'K_yoiWsZDlY14UWGAxa5pk4ruoXnQBfHMW9JPu_7ZEqzn8v9HLPzukzsn1U1DbjbdhiiqOamgZCFGBgMRqURxDi3eH8KlDhFYRbatSDO8KuvP2xe7BILRNpVrmepGbyukyt1cTxeUgjFo8VYundTQUSK0kCCzBOhuzYbNWWbMDeK9Pa2oPXqHVitXp0cAHwgtvQAYpn3I3VFW6BLuUV5r24oVXOHS8c0l4r1GvSLz1GVdKtoJj8X8wiBw6abk73U57n0ttRfbx1Xwoyz9IMg7Eq8EHiWiAJIYZqY-6KqWJlrqpnToVVS4NosPRW7358igUqMjd2QdwjPjtFsHXGcwQ',
  p: 'vN25C2OykCpODg3cTUDfMhYZTBmKgG7t9U1wTa1_67MTbvJPeDJza5yaOb8LogYeJt5UTe1YxddWXjlVx4omVKLHTrwGaJduBtAhZuYoTtOxOGP34dTZq3P_QZ1l93NsLs0-nDPDYVLivdOnDGBwhZIL3z9YbJsfo88jeIjfq4c',
  q: 'th_Par-B7uLttQb7qFFD5lcMppDotzVANT_ie-1V9gUCY374fvb4XcBq7eem3zUpX3jV1saY8Floga_4tzko5WTkz9K04dGw8H_l-h5KJ22ANywXt2uvzXONfrqKgQOxG9zL1mfSvMhSBHzM3CtCP5xkOxNMdqOkoCji3FtiE-E',
  dp: 'h2QXFDAbQLfjDrYm-IaJujkXV3Nz01Aya8hgun6nFktgogc4qvzXuwwfj0gCSdtC4DA_lUGRgvo0owVNFedWRRQP9sRZf78Wk_G-ECrsOF4PTFJ1z8GrbPqRwPLZtwNaSU6_FHETHgCyJMzGktvLriUdN6QMeobVrrN-RRkx5p8',
  dq: 'Z1f9lpE85ZUXVZW0z3ntkZLrtsibhPpOiOjLV48BLC0DgfnWgBUcMfaxtnWwlw_PfkFO9iSTPC8_wfdcpntk3WY3AEaMJWebg5zPnvH5Gg5kpun6OzZ795UOQU8QsMyrfyf28p7PUhhJkgpPJM_XM8lGhs8YoGmTTN5mfKvOJ4E',
  qi: 'TD3lea86aLQw3fwXSrin13m_gWwHuTCqe3sFLco4_M0kCOKB0apWhf6LlZo_SLM1TTGhl8hkZgLFwRs2CnPEPZlEOA2RQt7V_WvbzUS-m2s5XjNHwtOD_kd54Y66XHI-6k9D2wsSCML4DBuAvkDKGg0pG4eafJcNLjbxGDa76z4',
  kid: 'demo-service-account',
  alg: 'RS256',
} as const;

export const DEMO_SERVICE_ACCOUNT: ServiceAccountConfig = {
  id: DEMO_SERVICE_ACCOUNT_ID,
  name: 'demo-service-account',
  scopes: ['fr:am:*', 'fr:idm:*', 'fr:idc:esv:*'],
  jwks: {
    keys: [
      {
        kty: 'RSA',
        kid: 'demo-service-account',
        alg: 'RS256',
        n: 'hl0ZbYr6Inl-Y5Oycxq5dWuRIvfZB7t0ULCHhphZ3-2TeRGiY-IUbjYWLDGkOwOtXuVdbv6lBX0vmpeQZZSwXqBKR2gqtSMcZv_Xq3fhkTsxhNV3etnYffkJwdm9ggsyJfGqQ-oWb9ba0IjXcOml67y0ccZtzgi7XZSR2akSH18d-CXWy1tJuA-J8VoMebCokLbILu9IXPCGCHgLEf2E5jlmekCWqOt_qB1NC3t4y0dkDRPXJB6N5dGCi7R01vdeFULcZ30LebQmVcwnoJPjdfznVo6E0d2uQ0hK9bMLby1InLf9HaHWWYDfwOMgJx-_CqF5sym98O0IOJy1jP7Gpw',
        e: 'AQAB',
        use: 'sig',
      },
    ],
  },
};
