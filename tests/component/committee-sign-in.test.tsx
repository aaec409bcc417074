/**
 * The committee page's sign-in at an address that is not a GateLog server's, or not reachable:
 * each failure says what is true (nothing answers, something else answers, the token is wrong),
 * against a plain HTTP server answering as the case needs.
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { render, screen } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { CommitteePage } from '../../src/app/features/committee/committee-app';

/** What the server at the page's address answers to every request. */
let answer: (res: ServerResponse, req: IncomingMessage) => void;
let server: Server;
let base: string;

beforeEach(async () => {
  sessionStorage.clear();
  localStorage.setItem('gatelog.locale', 'zh-CN');
  server = createServer((req, res) => answer(res, req));
  await new Promise<void>((done) => server.listen(0, '127.0.0.1', done));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});

afterEach(async () => {
  server.closeAllConnections();
  await new Promise((done) => server.close(done));
});

const send = (status: number, type: string, body: string) => (res: ServerResponse) =>
  res.writeHead(status, { 'content-type': type }).end(body);
const html = (status: number) =>
  send(status, 'text/html', `<html><body><h1>${status}</h1><p>nginx</p></body></html>`);
const json =
  (status: number, body: unknown, headers: Record<string, string> = {}) =>
  (res: ServerResponse) =>
    res
      .writeHead(status, { 'content-type': 'application/json; charset=utf-8', ...headers })
      .end(JSON.stringify(body));
/** GateLog of another version names itself as every GateLog server does. */
const OTHER_GATELOG = { 'x-gatelog-version': '9.4.0' };
/** A gate as a later GateLog might send it: `rules` renamed. */
const RENAMED = { gates: [{ id: 'g1', name: '正门', policy: {} }] };

/** Signs in with a token at `base`, and the alert's text. */
async function signIn(): Promise<string | null> {
  render(<CommitteePage base={base} />);
  const user = userEvent.setup();
  await user.type(await screen.findByLabelText(/管理令牌|Admin token/), 'some-admin-token-0000');
  await user.click(screen.getByRole('button', { name: /^(登录|Sign in)$/ }));
  return (await screen.findByRole('alert')).textContent;
}

const NO_GATELOG = () => `${base} 没有 GateLog 服务器应答：请核对服务器地址。`;

describe('committee sign-in', () => {
  it('says that nothing answers at the address, and to check the network and the address', async () => {
    server.close();
    await new Promise((done) => server.once('close', done));
    expect(await signIn()).toBe(`连不上 ${base}：请检查网络和服务器地址后重试。`);
  });

  it('says that no GateLog server answers a web page answered 404', async () => {
    answer = html(404);
    expect(await signIn()).toBe(NO_GATELOG());
    expect(screen.queryByText(/找不到了/)).not.toBeInTheDocument();
  });

  it('says that no GateLog server answers a JSON 404 (no GateLog API at this address)', async () => {
    answer = json(404, { error: 'not_found', message: 'Not found' });
    expect(await signIn()).toBe(NO_GATELOG());
  });

  it('says that no GateLog server answers a web page answered with 200', async () => {
    answer = html(200);
    expect(await signIn()).toBe(NO_GATELOG());
  });

  it('says that no GateLog server answers JSON that is not a list of gates', async () => {
    answer = json(200, { status: 'ok', items: [] });
    expect(await signIn()).toBe(NO_GATELOG());
  });

  it('says GateLog of another version, naming it, when its answer fails the page’s checks', async () => {
    answer = json(200, RENAMED, OTHER_GATELOG);
    expect(await signIn()).toBe(
      `${base} 上的服务器运行的是另一个版本的 GateLog（9.4.0），本页读不懂它的应答：请刷新本页；刷新后仍是如此，请更新服务器。`,
    );
  });

  it('says GateLog of another version when that GateLog has no list of gates here (its 404)', async () => {
    answer = json(404, { error: 'not_found', message: 'Not found' }, OTHER_GATELOG);
    expect(await signIn()).toMatch(/另一个版本的 GateLog（9\.4\.0）/);
  });

  it('says GateLog of another version when its error is of another shape', async () => {
    answer = json(400, { code: 'bad_request', detail: 'x' }, OTHER_GATELOG);
    expect(await signIn()).toMatch(/另一个版本的 GateLog（9\.4\.0）/);
  });

  it('says GateLog of another version once signed in, where an answer fails the page’s checks', async () => {
    // Its list of gates reads; its log does not.
    answer = (res, req) =>
      req.url === '/api/v1/gates'
        ? json(200, { gates: [{ id: 'g1', name: '正门', rules: {} }] }, OTHER_GATELOG)(res)
        : json(200, { rows: [] }, OTHER_GATELOG)(res);
    expect(await signIn()).toBe(
      '服务器运行的是另一个版本的 GateLog（9.4.0），本页读不懂它的应答：请刷新本页。 重试',
    );
  });

  it('says the token is wrong when GateLog refuses it (401 with its error)', async () => {
    answer = json(401, { error: 'unauthorized', message: 'Unknown token' });
    expect(await signIn()).toBe('服务器不认这个令牌，请核对后重试。');
  });

  it('does not blame the token for a 401 of some other server (a proxy’s login page)', async () => {
    answer = html(401);
    expect(await signIn()).toBe(NO_GATELOG());
  });

  it('says a 502 of a proxy in front of GateLog as a server error', async () => {
    answer = html(502);
    expect(await signIn()).toBe('服务器出错（502），请稍后再试。');
  });

  it('says a proxy’s own 429 page as too many requests, not as no GateLog', async () => {
    answer = html(429);
    expect(await signIn()).toBe('请求太多，请过一分钟再试。');
  });

  it('says a proxy’s own 413 page as too large, not as no GateLog', async () => {
    answer = html(413);
    expect(await signIn()).toBe('请求太大，服务器不接受（413）。');
  });

  it('says GateLog’s own 413 as too large', async () => {
    answer = json(413, { error: 'too_large', message: 'Request body is too large' });
    expect(await signIn()).toBe('请求太大，服务器不接受（413）。');
  });

  it('says the same in English', async () => {
    localStorage.setItem('gatelog.locale', 'en');
    answer = html(404);
    expect(await signIn()).toBe(
      `No GateLog server answers at ${base}: check the server’s address.`,
    );
  });

  it('says GateLog of another version in English', async () => {
    localStorage.setItem('gatelog.locale', 'en');
    answer = json(200, RENAMED, OTHER_GATELOG);
    expect(await signIn()).toBe(
      `The server at ${base} runs another version of GateLog (9.4.0), whose answers this page cannot read: reload the page; if this stays, update the server.`,
    );
  });

  it('says a proxy’s 429 in English', async () => {
    localStorage.setItem('gatelog.locale', 'en');
    answer = html(429);
    expect(await signIn()).toBe('Too many requests; try again in a minute.');
  });

  it('says a proxy’s 413 in English', async () => {
    localStorage.setItem('gatelog.locale', 'en');
    answer = html(413);
    expect(await signIn()).toBe('Too large: the server does not take a request this big (413).');
  });
});
