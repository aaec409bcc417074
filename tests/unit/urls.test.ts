/** What a link to the server is to a phone (src/shared/urls.ts): the page's and npm start's judge. */
import { describe, expect, it } from 'vitest';
import { phoneLink } from '../../src/shared';

describe('a link to the server, as a phone can use it', () => {
  it('is loopback when its host is this computer’s own, over http or https', () => {
    for (const host of ['localhost', 'LOCALHOST', 'gate.localhost', '127.0.0.1', '127.1.2.3'])
      expect(phoneLink(`http://${host}:8080/?enroll=abc`)?.kind, host).toBe('loopback');
    expect(phoneLink('http://[::1]:8080/')).toEqual({
      kind: 'loopback',
      hostname: '[::1]',
      host: '[::1]:8080',
    });
    expect(phoneLink('http://[::ffff:127.0.0.1]/')?.kind).toBe('loopback');
    // https does not make this computer's address one a phone can open.
    expect(phoneLink('https://localhost/?enroll=abc')).toEqual({
      kind: 'loopback',
      hostname: 'localhost',
      host: 'localhost',
    });
  });

  it('is plain http when it is http to another computer', () => {
    expect(phoneLink('http://192.168.1.5:8080/?enroll=abc')).toEqual({
      kind: 'plainHttp',
      hostname: '192.168.1.5',
      host: '192.168.1.5:8080',
    });
    for (const host of ['gatelog.lan', '10.0.0.127', '127.example.org', 'GateLog.Example.org'])
      expect(phoneLink(`http://${host}/`)?.kind, host).toBe('plainHttp');
  });

  it('is https otherwise, its host lowercase as the URL parser writes it', () => {
    expect(phoneLink('https://GateLog.example.org:8443/?enroll=abc')).toEqual({
      kind: 'https',
      hostname: 'gatelog.example.org',
      host: 'gatelog.example.org:8443',
    });
  });

  it('is none for what is not an http(s) URL', () => {
    expect(phoneLink('not a url')).toBeNull();
    expect(phoneLink('')).toBeNull();
    expect(phoneLink('ftp://192.168.1.5/')).toBeNull();
  });
});
