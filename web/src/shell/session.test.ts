import { describe, expect, it } from 'vitest';
import { readClaims, takeTokenFromHash } from './session.ts';

const encode = (value: object) => Buffer.from(JSON.stringify(value)).toString('base64url');

describe('takeTokenFromHash', () => {
  it('takes the token and keeps the rest of the fragment', () => {
    expect(takeTokenFromHash('#token=a.b.c')).toEqual({ token: 'a.b.c', rest: '' });
    expect(takeTokenFromHash('#node=n1&token=a.b.c')).toEqual({ token: 'a.b.c', rest: '#node=n1' });
  });
  it('leaves a fragment without a token alone', () => {
    expect(takeTokenFromHash('#node=n1')).toEqual({ token: null, rest: '#node=n1' });
    expect(takeTokenFromHash('')).toEqual({ token: null, rest: '' });
  });
});

describe('readClaims', () => {
  it('reads who the token names, for display', () => {
    const token = `${encode({ alg: 'HS256' })}.${encode({ user_id: 42, username: 'ünï', entities: [123, '9'], exp: 5 })}.sig`;
    expect(readClaims(token)).toEqual({ userId: '42', username: 'ünï', entities: [123, '9'], roles: [], expiresAt: 5 });
  });
  it('answers null for something that is not a JWT', () => {
    expect(readClaims('nope')).toBeNull();
    expect(readClaims(`x.${encode({ name: 'no user' })}.y`)).toBeNull();
  });
});
